// Anlaufstelle loader: the one script a portal embeds.
//
//   <script src="https://…/widget/v1/anlaufstelle.js" data-ars="…" data-leika="…" async></script>
//
// It creates an <anlaufstelle-hilfe> element right after its own script tag (or inside the
// element named by data-target), attaches a shadow root, adopts the widget's stylesheet there,
// loads the WebAssembly widget from next to this script and mounts it. Nothing is added to the
// host page's global scope or stylesheets. If the widget cannot load, a built-in fallback
// (Behördennummer 115) is shown instead of an empty box.
//
// esbuild bundles this file with the wasm-bindgen glue into one IIFE; `__WASM_FILE__` is the
// fingerprinted file name of the wasm, replaced at build time.
import init, { mount } from "widget-pkg";
import css from "../src/widget.css";

const script = document.currentScript;
if (script) {
  start(script);
}

function start(script) {
  const src = new URL(script.src, document.baseURI);
  const data = script.dataset;

  const host = document.createElement("anlaufstelle-hilfe");
  // Context the contact form sends along; the host page may change these on the element later
  // (e.g. host.dataset.errorCode = "E-4711" when its form shows an error).
  for (const key of ["formStep", "errorCode"]) {
    if (data[key]) host.dataset[key] = data[key];
  }
  const target = data.target ? document.querySelector(data.target) : null;
  if (target) {
    target.append(host);
  } else if (script.parentElement && script.parentElement !== document.head) {
    script.after(host);
  } else {
    document.body.append(host);
  }

  const shadow = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  shadow.adoptedStyleSheets = [sheet];
  const root = document.createElement("div");
  root.lang = "de";
  shadow.append(root);

  // The API lives two levels above /widget/v1/anlaufstelle.js on the same server.
  const apiBase = new URL("../../", src).href;
  // A citizen must never look at an empty box: if the widget is not there within 3 seconds
  // (slow or unreachable server), the built-in fallback shows until it is.
  const fallbackTimer = setTimeout(() => showFallback(root), 3000);
  init({ module_or_path: new URL(__WASM_FILE__, src) })
    .then(() => {
      clearTimeout(fallbackTimer);
      root.replaceChildren();
      mount(root, apiBase, data.ars || "", data.leika || "", data.mode || "inline");
    })
    .catch(() => {
      clearTimeout(fallbackTimer);
      showFallback(root);
    });
}

// The same content the widget shows when its server is unreachable, built without the widget.
function showFallback(root) {
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  };
  const section = el("section", "as-widget");
  section.setAttribute("aria-label", "Wer kann mir helfen?");
  const link = el("a", "as-link", "115");
  link.href = "tel:115";
  const item = el("li");
  item.append(el("span", "as-kind", "Telefon"), link);
  const list = el("ul", "as-channels");
  list.append(item);
  section.append(
    el("h2", "as-title", "Wer kann mir helfen?"),
    el("p", "as-status", "Die Behördennummer 115 hilft Ihnen weiter: Mo–Fr 08:00–18:00 Uhr."),
    list,
  );
  root.replaceChildren(section);
}
