// Texts the loader shows before (or without) the wasm widget; same wording as texts/src/lib.rs.
// t title, ld loading, st fallback status, nm 115 name, ph / em / web channel labels (as
// channel_phone / _email / _web in texts/src/lib.rs), hh hours heading,
// dy/dl days short/long (<abbr title>), hr hours, alt fallback alternative heading,
// btn launcher button, x close button, fr iframe title.
export const TEXTS = {
  de: {
    t: "Wer kann mir helfen?",
    ld: "Kontaktdaten werden geladen …",
    st: "Die Behördennummer 115 hilft Ihnen weiter: Montag bis Freitag, 08:00–18:00 Uhr.",
    nm: "Behördennummer 115",
    ph: "Telefon",
    em: "E-Mail",
    web: "Internet",
    hh: "Erreichbarkeit",
    dy: "Mo–Fr",
    dl: "Montag bis Freitag",
    hr: "08:00–18:00 Uhr",
    alt: "Oder:",
    btn: "Hilfe",
    x: "Schließen",
    fr: "Anlaufstelle: Wer kann mir helfen?",
  },
  en: {
    t: "Who can help me?",
    ld: "Loading contact details …",
    st: "The public service number 115 can help you: Monday to Friday, 08:00–18:00.",
    nm: "Public service number 115",
    ph: "Phone",
    em: "Email",
    web: "Website",
    hh: "Opening hours",
    dy: "Mon–Fri",
    dl: "Monday to Friday",
    hr: "08:00–18:00",
    alt: "Alternatively:",
    btn: "Help",
    x: "Close",
    fr: "Anlaufstelle: Who can help me?",
  },
  easy: {
    t: "Wer kann mir helfen?",
    ld: "Wir laden die Kontakt·daten. Bitte warten Sie kurz.",
    st: "Die Behörden·nummer 115 hilft Ihnen weiter. Die 115 ist eine Telefon·nummer für Fragen an Ämter. Sie erreichen die 115 von Montag bis Freitag. Jeweils von 8 Uhr bis 18 Uhr.",
    nm: "Behörden·nummer 115",
    ph: "Telefon",
    em: "E-Mail",
    web: "Internet·seite",
    hh: "Wann erreichen Sie die Stelle?",
    dy: "Montag bis Freitag",
    dl: "Montag bis Freitag",
    hr: "08:00 Uhr bis 18:00 Uhr",
    alt: "Oder:",
    btn: "Hilfe",
    x: "Schließen",
    fr: "Anlaufstelle: Wer kann mir helfen?",
  },
};

// Same mapping as Lang::from_tag: "de" | "en" | "easy"; unknown → "de".
export function pickLang(tag) {
  const t = String(tag ?? "").trim().toLowerCase();
  if (["de-x-ls", "de-ls", "ls", "easy", "leichte-sprache"].includes(t) || (t.startsWith("de-") && t.endsWith("-x-ls"))) return "easy";
  return t.split(/[-_]/)[0] === "en" ? "en" : "de";
}
