//! The widget's built-in texts in German (default), English and Leichte Sprache.
//!
//! One [`Texts`] struct holds every text the widget itself writes; [`DE`], [`EN`] and [`EASY`]
//! are its three `static` tables. A struct literal must name every field, so a text missing in
//! one language does not compile. [`Lang::from_tag`] maps the host's language tag to a table,
//! [`Lang::texts`] returns it; components read plain `&'static str` fields.
//!
//! The widget compiles in only [`DE`]. The build writes [`EN`] and [`EASY`] as JSON lists
//! ([`Texts::to_list`]) next to the wasm, the loader fetches the one a page needs, and the
//! widget reads it back with [`Texts::from_list`]: German pages, the most, download no table
//! they do not show (about 3 KB brotli).
//!
//! Conventions:
//! - Texts with parameters are templates with `{}` placeholders, filled in order by [`fill`]
//!   (a dozen lines, no `format!` machinery). Every language takes the same arguments in the
//!   same order; the tests check the number of placeholders (see `Texts::templates`).
//!   [`fill`] on a text without placeholders returns it unchanged.
//! - Pieces marked "appended" start with their own separator (" – …", " (…)", " Der Grund: …")
//!   and are concatenated by the caller, e.g. `closed_now + closed_reason + again_*`.
//! - Texts ending in a space (`still_works`, `instead`, `form_reference`, …) are followed
//!   directly by an element or a server text.
//! - Where a sentence starts with a day phrase ("heute", "Mo, 06.10."), the caller upper-cases
//!   the first letter of the *filled* text (`day_deviation`, `notice_window*`), not of the
//!   argument: in Leichte Sprache the day phrase is not always first.
//! - Leichte Sprache writes no abbreviations: its `weekdays_short` are the full names, so
//!   `<abbr>` is only needed where short and long differ.
//! - The same texts are spoken by screen readers and used as accessible names (`aria-label`,
//!   `title`), so no text relies on layout or colour.
//!
//! Not built in — these come from the server or the host page and are shown as sent, so
//! they fall back to German wherever the server has no translation:
//! - contact names, channel values and channel labels (web links), the 115 contact's name;
//! - region names and their context in the picker's candidate list, and the echoed query;
//! - holiday names and closure notes (`Availability::closed_reason`, `DayHours::note`);
//! - notice titles, bodies, "still works" and "alternative" texts, alternative URLs (their
//!   language is the notice's own `lang`);
//! - the message recipient's name and the reference; the privacy page behind `privacy_url`;
//! - the server's error messages (`FieldError::message`, `ErrorBody::message`). For the known
//!   codes `Texts::field_error` / `Texts::general_error` give a translation; the server's
//!   message stays the fallback for all other codes.
//!
//! Language-independent and therefore not here: "115", the `aria-hidden` symbols "⚠ ", "● ",
//! "○ ", "✓ ", the "·" between PLZ and place, and the honeypot label "Website" (hidden from
//! people; only bots see it).

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// German, the default.
    De,
    /// English.
    En,
    /// Leichte Sprache (German Easy Language, rules of Netzwerk Leichte Sprache).
    Easy,
}

impl Lang {
    /// Reads a language tag, case-insensitively: `de`, `de-DE` → German; `en`, `en-GB` →
    /// English; `de-x-ls`, `de-DE-x-ls`, `de-ls`, `ls`, `easy`, `leichte-sprache` → Leichte
    /// Sprache; anything else (also empty) → German. Same mapping as `pickLang` in
    /// `loader/texts.js`.
    #[must_use]
    pub fn from_tag(tag: &str) -> Lang {
        let tag = tag.trim();
        let easy = ["de-x-ls", "de-ls", "ls", "easy", "leichte-sprache"]
            .iter()
            .any(|t| tag.eq_ignore_ascii_case(t))
            || (tag.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("de-"))
                && tag
                    .get(tag.len().saturating_sub(5)..)
                    .is_some_and(|s| s.eq_ignore_ascii_case("-x-ls")));
        if easy {
            Lang::Easy
        } else if tag
            .split(['-', '_'])
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case("en"))
        {
            Lang::En
        } else {
            Lang::De
        }
    }

    /// Value for the `lang` attribute: Leichte Sprache is German, so `de`.
    #[must_use]
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::De | Lang::Easy => "de",
            Lang::En => "en",
        }
    }

    /// Value for the API's `lang` parameter and `MessageRequest::lang`: `de`, `en`, `de-x-ls`.
    #[must_use]
    pub fn api_tag(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
            Lang::Easy => "de-x-ls",
        }
    }

    /// The texts in this language.
    #[must_use]
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::De => &DE,
            Lang::En => &EN,
            Lang::Easy => &EASY,
        }
    }
}

/// Replaces each `{}` in `template` with the next of `args`, in order.
///
/// Extra `args` are ignored. A placeholder without an argument stays `{}`, so a mistake shows
/// (and the tests make sure the tables never need it). A text without placeholders is
/// returned unchanged.
#[must_use]
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(args.next().copied().unwrap_or("{}"));
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// `text` with its first letter upper-cased, for a sentence that starts with a day phrase
/// (see the capitalisation convention above).
///
/// The built-in texts start with an ASCII letter, a digit or a German umlaut, and only those
/// are upper-cased: `char::to_uppercase` would carry the whole Unicode case table into the
/// widget for three letters. Anything else is left as it is (the tests check every table).
#[must_use]
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let upper = match first {
        'ä' => 'Ä',
        'ö' => 'Ö',
        'ü' => 'Ü',
        c => c.to_ascii_uppercase(),
    };
    let mut out = String::with_capacity(text.len());
    out.push(upper);
    out.push_str(chars.as_str());
    out
}

/// Defines [`Texts`] as written below and, from the same field list, its conversion to and
/// from a flat list of strings ([`Texts::to_list`], [`Texts::from_list`]): the widget carries
/// only the German table and receives the others as such a list when it needs them, so the
/// order is defined once, here.
macro_rules! texts_struct {
    (
        $(#[$meta:meta])*
        pub struct Texts { $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty, )* }
    ) => {
        $(#[$meta])*
        pub struct Texts { $( $(#[$field_meta])* pub $field: $ty, )* }

        impl Texts {
            /// Every text in field order; arrays (the weekdays) element by element.
            #[must_use]
            pub fn to_list(&self) -> Vec<&'static str> {
                let mut list = Vec::new();
                $( Piece::push(&self.$field, &mut list); )*
                list
            }

            /// How many strings [`Texts::to_list`] gives.
            pub const LIST_LEN: usize = 0 $( + <$ty as Piece>::LEN )*;

            /// The table [`Texts::to_list`] gave, read back; `None` unless `list` has exactly
            /// [`Texts::LIST_LEN`] texts.
            #[must_use]
            pub fn from_list(list: &[&'static str]) -> Option<Texts> {
                // The length first, so that reading a field cannot fail: in the wasm this is
                // one short call per field instead of a branch per field.
                if list.len() != Self::LIST_LEN {
                    return None;
                }
                let mut list = list.iter();
                Some(Texts { $( $field: Piece::take(&mut list), )* })
            }
        }
    };
}

/// A field of [`Texts`]: one text, or a fixed number of them.
trait Piece: Sized {
    /// How many strings the field takes in the list.
    const LEN: usize;
    fn push(&self, list: &mut Vec<&'static str>);
    /// Reads the field; the caller has checked that the list is long enough.
    fn take(list: &mut std::slice::Iter<'_, &'static str>) -> Self;
}

impl Piece for &'static str {
    const LEN: usize = 1;
    fn push(&self, list: &mut Vec<&'static str>) {
        list.push(self);
    }
    #[inline(never)]
    fn take(list: &mut std::slice::Iter<'_, &'static str>) -> Self {
        list.next().copied().unwrap_or_default()
    }
}

/// A flag travels as `"1"` or `""`.
impl Piece for bool {
    const LEN: usize = 1;
    fn push(&self, list: &mut Vec<&'static str>) {
        list.push(if *self { "1" } else { "" });
    }
    fn take(list: &mut std::slice::Iter<'_, &'static str>) -> Self {
        <&str as Piece>::take(list) == "1"
    }
}

impl<const N: usize> Piece for [&'static str; N] {
    const LEN: usize = N;
    fn push(&self, list: &mut Vec<&'static str>) {
        list.extend_from_slice(self);
    }
    fn take(list: &mut std::slice::Iter<'_, &'static str>) -> Self {
        std::array::from_fn(|_| <&str as Piece>::take(list))
    }
}

texts_struct! {
/// Every built-in text of the widget in one language.
#[derive(Debug)]
pub struct Texts {
    // ---- Widget frame (lib.rs) ----
    /// Main heading; also the accessible name of the widget and the launcher dialog's title.
    pub title: &'static str,
    /// Status while contacts load.
    pub loading: &'static str,
    /// Button to pick a different place after the citizen chose one.
    pub change_place: &'static str,

    // ---- Embedding: launcher, dialog, iframe ----
    /// Label of the floating launcher button.
    pub launcher_label: &'static str,
    /// Label of the dialog's close button.
    pub close_label: &'static str,
    /// `title` of the iframe variant.
    pub iframe_title: &'static str,

    // ---- Region picker (picker.rs) ----
    /// Why the widget asks for the place.
    pub picker_intro: &'static str,
    /// Label of the search field.
    pub picker_label: &'static str,
    /// Hint under the label.
    pub picker_hint: &'static str,
    /// Error: fewer than 2 characters.
    pub picker_too_short: &'static str,
    /// Search button.
    pub picker_search: &'static str,
    /// Status: the search failed.
    pub picker_failed: &'static str,
    /// Status: nothing found. Template: the query.
    pub picker_none: &'static str,
    /// Status: exactly one place found.
    pub picker_one: &'static str,
    /// Status: several places found. Template: the number.
    pub picker_many: &'static str,

    // ---- Contacts (contact.rs: Levels, ContactCard) ----
    /// Heading above the alternative 1st-level contacts.
    pub alternatives_heading: &'static str,
    /// Summary of the disclosure with 2nd- and 3rd-level contacts.
    pub further_summary: &'static str,
    /// Hint inside that disclosure.
    pub further_hint: &'static str,
    /// Level label: 2nd level, subject matter.
    pub level_fachlich: &'static str,
    /// Level label: 2nd level, technical.
    pub level_technisch: &'static str,
    /// Level label: 3rd level, operator of the online service.
    pub level_third: &'static str,

    // ---- Reachability (contact.rs: Reachability) ----
    /// Open, no known closing time.
    pub open_now: &'static str,
    /// Open until today's closing time. Template: `HH:MM`.
    pub open_until_today: &'static str,
    /// Open until a later day. Template: day phrase (`tomorrow` or `date`), `HH:MM`.
    pub open_until_day: &'static str,
    /// Closed now; followed by the appended `closed_reason` and `again_*`.
    pub closed_now: &'static str,
    /// Appended: why it is closed. Template: holiday name or note from the server.
    pub closed_reason: &'static str,
    /// Appended: open again today or tomorrow. Template: `today`/`tomorrow`, `HH:MM`.
    pub again_near: &'static str,
    /// Appended: open again on a later day. Template: `date`, `HH:MM`.
    pub again_later: &'static str,

    // ---- Days and dates (time.rs) ----
    /// Day phrase for today (lower case; see the capitalisation convention).
    pub today: &'static str,
    /// Day phrase for tomorrow.
    pub tomorrow: &'static str,
    /// A later day. Template: weekday (`weekdays_short`), day of month, month
    /// (`months_in_date`); use [`Texts::date`].
    pub date: &'static str,
    /// Whether the day of the month keeps its leading zero ("06.10.").
    pub date_pad: bool,
    /// Months as written in `date`, January first.
    pub months_in_date: [&'static str; 12],
    /// Weekday abbreviations, Monday first (`wire::Weekday as usize` indexes them).
    pub weekdays_short: [&'static str; 7],
    /// Full weekday names, Monday first (`<abbr title>`).
    pub weekdays_long: [&'static str; 7],

    // ---- Channels (contact.rs: ChannelLink) ----
    /// Phone.
    pub channel_phone: &'static str,
    /// Mobile phone.
    pub channel_mobile: &'static str,
    /// Fax.
    pub channel_fax: &'static str,
    /// E-mail.
    pub channel_email: &'static str,
    /// Web page.
    pub channel_web: &'static str,
    /// Online contact form.
    pub channel_form: &'static str,

    // ---- Hours (contact.rs: Hours, Fallback) ----
    /// Heading of the hours.
    pub hours_heading: &'static str,
    /// Run of days, shown. Template: first and last of `weekdays_short`.
    pub day_range_short: &'static str,
    /// Run of days, spelled out (`<abbr title>`). Template: first and last of `weekdays_long`.
    pub day_range_long: &'static str,
    /// One time range. Template: opens, closes (`HH:MM`).
    pub time_range: &'static str,
    /// Between several time ranges of one day.
    pub time_separator: &'static str,
    /// Around the joined time ranges. Template: the ranges.
    pub times: &'static str,
    /// A day without hours.
    pub closed_day: &'static str,
    /// A day this week that deviates. Template: day phrase, `times` or `closed_day`, note.
    pub day_deviation: &'static str,

    // ---- Fallback (contact.rs: Fallback; loader) ----
    /// Status when the server cannot be reached.
    pub fallback_status: &'static str,
    /// Name of the built-in contact.
    pub fallback_name: &'static str,
    /// Heading before other ways to get help offered next to the 115.
    pub fallback_alternative: &'static str,

    // ---- Notices (notices.rs) ----
    /// Kind: incident.
    pub notice_incident: &'static str,
    /// Kind: maintenance.
    pub notice_maintenance: &'static str,
    /// Kind: information.
    pub notice_info: &'static str,
    /// State: investigating.
    pub state_investigating: &'static str,
    /// State: cause identified.
    pub state_identified: &'static str,
    /// State: fixed, monitoring.
    pub state_monitoring: &'static str,
    /// State: scheduled.
    pub state_scheduled: &'static str,
    /// State: in progress.
    pub state_in_progress: &'static str,
    /// State: resolved or completed.
    pub state_done: &'static str,
    /// Appended to the state: service unusable.
    pub impact_critical: &'static str,
    /// Appended to the state: severely limited.
    pub impact_major: &'static str,
    /// Appended to the state: slightly limited.
    pub impact_minor: &'static str,
    /// Label line. Template: kind, state, impact (may be empty). Active notices show the
    /// kind alone.
    pub notice_label: &'static str,
    /// Time window on one day. Template: day phrase, from, to (`HH:MM`).
    pub notice_window_same_day: &'static str,
    /// Time window over days. Template: day phrase, from, day phrase, to.
    pub notice_window: &'static str,
    /// Answers are kept.
    pub answers_kept_yes: &'static str,
    /// Answers are lost.
    pub answers_kept_no: &'static str,
    /// Unknown whether answers are kept.
    pub answers_kept_unknown: &'static str,
    /// Prefix of the "still works" text.
    pub still_works: &'static str,
    /// Prefix of the alternative.
    pub instead: &'static str,
    /// Link to the alternative's page.
    pub more: &'static str,

    // ---- Contact form (form.rs) ----
    /// Button that opens the form.
    pub form_open: &'static str,
    /// Heading of the form.
    pub form_title: &'static str,
    /// Title of the error summary.
    pub form_summary_title: &'static str,
    /// Legend of the categories.
    pub form_category_legend: &'static str,
    /// Category `question`.
    pub form_category_question: &'static str,
    /// Category `technical`.
    pub form_category_technical: &'static str,
    /// Category `accessibility`.
    pub form_category_accessibility: &'static str,
    /// Label of the message.
    pub form_message_label: &'static str,
    /// Hint: no data from the application.
    pub form_message_hint: &'static str,
    /// Character counter. Template: used, maximum.
    pub form_counter: &'static str,
    /// Label of the e-mail address.
    pub form_email_label: &'static str,
    /// Hint: without an address no answer.
    pub form_email_hint: &'static str,
    /// Checkbox: confirmation of receipt.
    pub form_receipt: &'static str,
    /// Label of the name.
    pub form_name_label: &'static str,
    /// Consent, followed by the privacy link.
    pub form_consent: &'static str,
    /// Privacy link.
    pub form_privacy: &'static str,
    /// Submit button.
    pub form_send: &'static str,
    /// Submit button while sending.
    pub form_sending: &'static str,
    /// The message could not be sent (network or unreadable answer).
    pub form_network_error: &'static str,
    /// Confirmation heading.
    pub form_sent_title: &'static str,
    /// Before the reference.
    pub form_reference: &'static str,
    /// Before the recipient's name.
    pub form_recipient: &'static str,
    /// Advice to note the reference.
    pub form_reference_hint: &'static str,

    // ---- Server error codes (translations of the server's German messages) ----
    /// `category` / `required`.
    pub err_category_required: &'static str,
    /// `category` / `invalid`.
    pub err_category_invalid: &'static str,
    /// `message` / `required`.
    pub err_message_required: &'static str,
    /// `message` / `too_long`. Template: maximum length.
    pub err_message_too_long: &'static str,
    /// `message` / `invalid` (control characters).
    pub err_message_invalid: &'static str,
    /// `reply_email` / `invalid`.
    pub err_email_invalid: &'static str,
    /// `reply_email` / `required_for_confirmation`.
    pub err_email_required: &'static str,
    /// `name` / `invalid`.
    pub err_name_invalid: &'static str,
    /// `consent` / `required`.
    pub err_consent_required: &'static str,
    /// `token_invalid`.
    pub err_token_invalid: &'static str,
    /// `token_too_fast`.
    pub err_token_too_fast: &'static str,
    /// `token_expired`.
    pub err_token_expired: &'static str,
    /// `rate_limited` (the server's message also names the time).
    pub err_rate_limited: &'static str,
    /// `no_recipient`.
    pub err_no_recipient: &'static str,
}
}

impl Texts {
    /// A later day, e.g. "Mo, 06.10.", "Mon 6 Oct", "Montag, 6. Oktober". `weekday` is
    /// Monday = 0; `dd` and `mm` are the digits of a `YYYY-MM-DD` date.
    #[must_use]
    pub fn date(&self, weekday: usize, dd: &str, mm: &str) -> String {
        let day = if self.date_pad {
            dd
        } else {
            dd.strip_prefix('0').unwrap_or(dd)
        };
        let month = mm
            .parse::<usize>()
            .ok()
            .and_then(|m| self.months_in_date.get(m.wrapping_sub(1)))
            .copied()
            .unwrap_or(mm);
        let name = self
            .weekdays_short
            .get(weekday)
            .copied()
            .unwrap_or_default();
        fill(self.date, &[name, day, month])
    }

    /// The contact form's topics: the code the server knows, and the name the form shows
    /// (and the citizen's confirmation repeats).
    #[must_use]
    pub fn categories(&self) -> [(&'static str, &'static str); 3] {
        [
            ("question", self.form_category_question),
            ("technical", self.form_category_technical),
            ("accessibility", self.form_category_accessibility),
        ]
    }

    /// The translation of a server field error, by field and code; `None` for unknown ones
    /// (then show the server's message). `err_message_too_long` is a template: pass the
    /// result through [`fill`] with the maximum length (a no-op for the others).
    #[must_use]
    pub fn field_error(&self, field: &str, code: &str) -> Option<&'static str> {
        Some(match (field, code) {
            ("category", "required") => self.err_category_required,
            ("category", _) => self.err_category_invalid,
            ("message", "required") => self.err_message_required,
            ("message", "too_long") => self.err_message_too_long,
            ("message", _) => self.err_message_invalid,
            ("reply_email", "required_for_confirmation") => self.err_email_required,
            ("reply_email", _) => self.err_email_invalid,
            ("name", _) => self.err_name_invalid,
            ("consent", _) => self.err_consent_required,
            _ => return None,
        })
    }

    /// The translation of a server error code that is not about one field; `None` for
    /// unknown ones (then show the server's message).
    #[must_use]
    pub fn general_error(&self, code: &str) -> Option<&'static str> {
        Some(match code {
            "token_invalid" => self.err_token_invalid,
            "token_too_fast" => self.err_token_too_fast,
            // A used token (a second message with one form, or a replay) reads like an expired
            // one to the citizen: the widget fetches a fresh token and they send again.
            "token_expired" | "token_used" => self.err_token_expired,
            "rate_limited" => self.err_rate_limited,
            "no_recipient" => self.err_no_recipient,
            _ => return None,
        })
    }

    /// Every template, in one place, for the placeholder check.
    #[cfg(test)]
    fn templates(&self) -> [&'static str; 18] {
        [
            self.picker_none,
            self.picker_many,
            self.open_until_today,
            self.open_until_day,
            self.closed_reason,
            self.again_near,
            self.again_later,
            self.date,
            self.day_range_short,
            self.day_range_long,
            self.time_range,
            self.times,
            self.day_deviation,
            self.notice_label,
            self.notice_window_same_day,
            self.notice_window,
            self.form_counter,
            self.err_message_too_long,
        ]
    }
}

/// German.
pub static DE: Texts = Texts {
    title: "Wer kann mir helfen?",
    loading: "Kontaktdaten werden geladen …",
    change_place: "Anderen Ort wählen",

    launcher_label: "Hilfe",
    close_label: "Schließen",
    iframe_title: "Anlaufstelle: Wer kann mir helfen?",

    picker_intro: "Damit wir Ihnen die richtige Stelle nennen: Wo wohnen Sie?",
    picker_label: "Postleitzahl oder Ort",
    picker_hint: "Zum Beispiel 28195 oder Bremen",
    picker_too_short: "Bitte geben Sie mindestens 2 Zeichen ein.",
    picker_search: "Suchen",
    picker_failed: "Die Suche ist gerade nicht möglich. Bitte versuchen Sie es später erneut.",
    picker_none: "Kein Ort gefunden für „{}“.",
    picker_one: "1 Ort gefunden.",
    picker_many: "{} Orte gefunden.",

    alternatives_heading: "Ebenfalls für Sie da",
    further_summary: "Fachliche und technische Ansprechpartner",
    further_hint: "Wenn die erste Anlaufstelle Ihre Frage nicht beantworten kann.",
    level_fachlich: "Fachliche Fragen",
    level_technisch: "Technische Probleme",
    level_third: "Betrieb des Online-Dienstes",

    open_now: "Jetzt erreichbar",
    open_until_today: "Jetzt erreichbar – bis {} Uhr",
    open_until_day: "Jetzt erreichbar – bis {} {} Uhr",
    closed_now: "Zurzeit nicht erreichbar",
    closed_reason: " ({})",
    again_near: " – wieder {} ab {} Uhr",
    again_later: " – wieder ab {}, {} Uhr",

    today: "heute",
    tomorrow: "morgen",
    date: "{}, {}.{}.",
    date_pad: true,
    months_in_date: [
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
    ],
    weekdays_short: ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
    weekdays_long: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],

    channel_phone: "Telefon",
    channel_mobile: "Mobil",
    channel_fax: "Fax",
    channel_email: "E-Mail",
    channel_web: "Internet",
    channel_form: "Formular",

    hours_heading: "Erreichbarkeit",
    day_range_short: "{}–{}",
    day_range_long: "{} bis {}",
    time_range: "{}–{}",
    time_separator: ", ",
    times: "{} Uhr",
    closed_day: "geschlossen",
    day_deviation: "{}: {} ({})",

    fallback_status: "Die Kontaktdaten für Ihre Region sind gerade nicht abrufbar. Die Behördennummer 115 hilft Ihnen weiter.",
    fallback_name: "Behördennummer 115",
    fallback_alternative: "Oder:",

    notice_incident: "Störung",
    notice_maintenance: "Wartung",
    notice_info: "Hinweis",
    state_investigating: "wird untersucht",
    state_identified: "Ursache gefunden",
    state_monitoring: "behoben, wird beobachtet",
    state_scheduled: "geplant",
    state_in_progress: "läuft gerade",
    state_done: "beendet",
    impact_critical: " · Dienst nicht nutzbar",
    impact_major: " · erheblich eingeschränkt",
    impact_minor: " · leicht eingeschränkt",
    notice_label: "{} – {}{}",
    notice_window_same_day: "{}, {}–{} Uhr",
    notice_window: "{}, {} Uhr bis {}, {} Uhr",
    answers_kept_yes: "Ihre bisherigen Eingaben bleiben erhalten.",
    answers_kept_no: "Ihre bisherigen Eingaben gehen dabei verloren.",
    answers_kept_unknown: "Ob Ihre bisherigen Eingaben erhalten bleiben, ist noch unklar.",
    still_works: "Was weiter funktioniert: ",
    instead: "Stattdessen: ",
    more: "Mehr dazu",

    form_open: "Nachricht schreiben",
    form_title: "Nachricht an die zuständige Stelle",
    form_summary_title: "Bitte prüfen Sie Ihre Angaben:",
    form_category_legend: "Worum geht es?",
    form_category_question: "Frage zum Antrag",
    form_category_technical: "Technisches Problem",
    form_category_accessibility: "Barriere melden (Barrierefreiheit)",
    form_message_label: "Ihre Nachricht",
    form_message_hint: "Bitte nennen Sie keine Angaben aus Ihrem Antrag wie Steuer-ID oder Kontonummer.",
    form_counter: "{} von {} Zeichen",
    form_email_label: "E-Mail-Adresse für die Antwort (freiwillig)",
    form_email_hint: "Ohne E-Mail-Adresse kann Ihnen niemand antworten.",
    form_receipt: "Eingangsbestätigung an diese Adresse senden",
    form_name_label: "Ihr Name (freiwillig)",
    form_consent: "Ich bin einverstanden, dass meine Angaben an die zuständige Stelle weitergegeben werden. ",
    form_privacy: "Hinweise zum Datenschutz",
    form_send: "Nachricht senden",
    form_sending: "Wird gesendet …",
    form_network_error: "Die Nachricht konnte nicht gesendet werden. Ihr Text ist noch da – bitte versuchen Sie es gleich noch einmal.",
    form_sent_title: "Ihre Nachricht ist eingegangen.",
    form_reference: "Ihre Referenz: ",
    form_recipient: "Sie geht an: ",
    form_reference_hint: "Bitte notieren Sie die Referenz, falls Sie nachfragen möchten.",

    err_category_required: "Bitte wählen Sie, worum es geht.",
    err_category_invalid: "Bitte wählen Sie eine der angebotenen Möglichkeiten.",
    err_message_required: "Bitte schreiben Sie Ihre Nachricht.",
    err_message_too_long: "Ihre Nachricht ist zu lang: höchstens {} Zeichen.",
    err_message_invalid: "Ihre Nachricht enthält unzulässige Steuerzeichen.",
    err_email_invalid: "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@example.de.",
    err_email_required: "Für eine Eingangsbestätigung brauchen wir Ihre E-Mail-Adresse.",
    err_name_invalid: "Bitte geben Sie einen Namen mit höchstens 100 Zeichen an.",
    err_consent_required: "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, damit wir die Nachricht weiterleiten können.",
    err_token_invalid: "Das Formular konnte nicht geprüft werden. Bitte senden Sie es noch einmal.",
    err_token_too_fast: "Das Formular wurde sehr schnell abgeschickt. Bitte prüfen Sie Ihre Nachricht und senden Sie sie noch einmal.",
    err_token_expired: "Das Formular ist abgelaufen. Bitte senden Sie Ihre Nachricht noch einmal.",
    err_rate_limited: "Es wurden gerade zu viele Nachrichten gesendet. Bitte versuchen Sie es später erneut.",
    err_no_recipient: "Für Ihre Region ist für dieses Anliegen kein Postfach hinterlegt. Bitte nutzen Sie die angegebene Telefonnummer.",
};

/// English.
pub static EN: Texts = Texts {
    title: "Who can help me?",
    loading: "Loading contact details …",
    change_place: "Choose a different place",

    launcher_label: "Help",
    close_label: "Close",
    iframe_title: "Anlaufstelle: Who can help me?",

    picker_intro: "So that we can show you the right office: where do you live?",
    picker_label: "Postcode or place",
    picker_hint: "For example 28195 or Bremen",
    picker_too_short: "Please enter at least 2 characters.",
    picker_search: "Search",
    picker_failed: "Searching is not possible right now. Please try again later.",
    picker_none: "No place found for “{}”.",
    picker_one: "1 place found.",
    picker_many: "{} places found.",

    alternatives_heading: "Also there for you",
    further_summary: "Specialist and technical contacts",
    further_hint: "If the first point of contact cannot answer your question.",
    level_fachlich: "Questions about the matter",
    level_technisch: "Technical problems",
    level_third: "Operator of the online service",

    open_now: "Available now",
    open_until_today: "Available now – until {}",
    open_until_day: "Available now – until {} at {}",
    closed_now: "Not available at the moment",
    closed_reason: " ({})",
    again_near: " – available again {} from {}",
    again_later: " – available again on {} from {}",

    today: "today",
    tomorrow: "tomorrow",
    date: "{} {} {}",
    date_pad: false,
    months_in_date: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    weekdays_short: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    weekdays_long: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],

    channel_phone: "Phone",
    channel_mobile: "Mobile",
    channel_fax: "Fax",
    channel_email: "Email",
    channel_web: "Website",
    channel_form: "Contact form",

    hours_heading: "Opening hours",
    day_range_short: "{}–{}",
    day_range_long: "{} to {}",
    time_range: "{}–{}",
    time_separator: ", ",
    times: "{}",
    closed_day: "closed",
    day_deviation: "{}: {} ({})",

    fallback_status: "The contact details for your region cannot be loaded right now. The public service number 115 can help you.",
    fallback_name: "Public service number 115",
    fallback_alternative: "Alternatively:",

    notice_incident: "Disruption",
    notice_maintenance: "Maintenance",
    notice_info: "Notice",
    state_investigating: "being investigated",
    state_identified: "cause found",
    state_monitoring: "fixed, being monitored",
    state_scheduled: "scheduled",
    state_in_progress: "in progress",
    state_done: "over",
    impact_critical: " · service cannot be used",
    impact_major: " · severely restricted",
    impact_minor: " · slightly restricted",
    notice_label: "{} – {}{}",
    notice_window_same_day: "{}, {}–{}",
    notice_window: "{}, {} to {}, {}",
    answers_kept_yes: "What you have entered so far will be kept.",
    answers_kept_no: "What you have entered so far will be lost.",
    answers_kept_unknown: "It is not yet clear whether what you have entered so far will be kept.",
    still_works: "What still works: ",
    instead: "Instead: ",
    more: "More about this",

    form_open: "Write a message",
    form_title: "Message to the responsible office",
    form_summary_title: "Please check your entries:",
    form_category_legend: "What is it about?",
    form_category_question: "Question about the application",
    form_category_technical: "Technical problem",
    form_category_accessibility: "Report a barrier (accessibility)",
    form_message_label: "Your message",
    form_message_hint: "Please do not include details from your application such as your tax ID or account number.",
    form_counter: "{} of {} characters",
    form_email_label: "Email address for the reply (optional)",
    form_email_hint: "Without an email address, nobody can reply to you.",
    form_receipt: "Send a confirmation of receipt to this address",
    form_name_label: "Your name (optional)",
    form_consent: "I agree that my details are passed on to the responsible office. ",
    form_privacy: "Privacy information",
    form_send: "Send message",
    form_sending: "Sending …",
    form_network_error: "The message could not be sent. Your text is still here – please try again in a moment.",
    form_sent_title: "Your message has been received.",
    form_reference: "Your reference: ",
    form_recipient: "It goes to: ",
    form_reference_hint: "Please note down the reference in case you want to ask about your message.",

    err_category_required: "Please choose what your message is about.",
    err_category_invalid: "Please choose one of the options offered.",
    err_message_required: "Please write your message.",
    err_message_too_long: "Your message is too long: at most {} characters.",
    err_message_invalid: "Your message contains characters that are not allowed.",
    err_email_invalid: "Please enter a valid email address, for example name@example.com.",
    err_email_required: "We need your email address to send you a confirmation of receipt.",
    err_name_invalid: "Please enter a name with at most 100 characters.",
    err_consent_required: "Please agree to the processing of your details so that we can forward your message.",
    err_token_invalid: "The form could not be checked. Please send it again.",
    err_token_too_fast: "The form was sent very quickly. Please check your message and send it again.",
    err_token_expired: "The form has expired. Please send your message again.",
    err_rate_limited: "Too many messages have just been sent. Please try again later.",
    err_no_recipient: "No mailbox is available for this matter in your region. Please use the phone number shown.",
};

/// Leichte Sprache.
pub static EASY: Texts = Texts {
    title: "Wer kann mir helfen?",
    loading: "Wir laden die Kontakt·daten. Bitte warten Sie kurz.",
    change_place: "Einen anderen Ort wählen",

    launcher_label: "Hilfe",
    close_label: "Schließen",
    iframe_title: "Anlaufstelle: Wer kann mir helfen?",

    picker_intro: "Wo wohnen Sie? Dann zeigen wir Ihnen: Wer kann Ihnen helfen?",
    picker_label: "Post·leitzahl oder Ort",
    picker_hint: "Zum Beispiel: 28195 oder Bremen",
    picker_too_short: "Bitte schreiben Sie mindestens 2 Buchstaben oder Zahlen.",
    picker_search: "Suchen",
    picker_failed: "Die Suche geht gerade nicht. Bitte versuchen Sie es später noch einmal.",
    picker_none: "Wir finden keinen Ort für: {}. Bitte prüfen Sie Ihre Eingabe.",
    picker_one: "Wir haben 1 Ort gefunden.",
    picker_many: "Wir haben {} Orte gefunden.",

    alternatives_heading: "Diese Stellen helfen Ihnen auch:",
    further_summary: "Mehr Hilfe bei Fach·fragen und bei Technik",
    further_hint: "Die erste Stelle kann Ihre Frage nicht beantworten? Dann fragen Sie hier.",
    level_fachlich: "Fragen zu Ihrem Antrag",
    level_technisch: "Probleme mit der Technik",
    level_third: "Betreiber vom Online·dienst",

    open_now: "Sie erreichen die Stelle jetzt.",
    open_until_today: "Sie erreichen die Stelle jetzt. Heute bis {} Uhr.",
    open_until_day: "Sie erreichen die Stelle jetzt. Bis {} um {} Uhr.",
    closed_now: "Sie erreichen die Stelle gerade nicht.",
    closed_reason: " Der Grund: {}.",
    again_near: " Sie erreichen die Stelle wieder {} ab {} Uhr.",
    again_later: " Sie erreichen die Stelle wieder am {} ab {} Uhr.",

    today: "heute",
    tomorrow: "morgen",
    date: "{}, {}. {}",
    date_pad: false,
    months_in_date: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    weekdays_short: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],
    weekdays_long: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],

    channel_phone: "Telefon",
    channel_mobile: "Handy",
    channel_fax: "Fax",
    channel_email: "E-Mail",
    channel_web: "Internet·seite",
    channel_form: "Formular im Internet",

    hours_heading: "Wann erreichen Sie die Stelle?",
    day_range_short: "{} bis {}",
    day_range_long: "{} bis {}",
    time_range: "{} Uhr bis {} Uhr",
    time_separator: " und ",
    times: "{}",
    closed_day: "geschlossen",
    day_deviation: "{}: {}. Der Grund: {}.",

    fallback_status: "Wir können die Kontakt·daten für Ihren Ort gerade nicht zeigen. Bitte rufen Sie die Behörden·nummer 115 an. Die 115 ist eine Telefon·nummer für Fragen an Ämter. Die Menschen dort helfen Ihnen.",
    fallback_name: "Behörden·nummer 115",
    fallback_alternative: "Oder:",

    notice_incident: "Störung",
    notice_maintenance: "Arbeiten am Online·dienst",
    notice_info: "Hinweis",
    state_investigating: "Wir suchen den Fehler.",
    state_identified: "Wir kennen den Fehler.",
    state_monitoring: "Der Fehler ist weg. Wir prüfen das noch.",
    state_scheduled: "Das ist geplant.",
    state_in_progress: "Das passiert gerade.",
    state_done: "Das ist vorbei.",
    impact_critical: " Der Online·dienst geht gerade nicht.",
    impact_major: " Viele Teile vom Online·dienst gehen gerade nicht.",
    impact_minor: " Einige Teile vom Online·dienst gehen gerade nicht.",
    notice_label: "{}. {}{}",
    notice_window_same_day: "{} von {} Uhr bis {} Uhr",
    notice_window: "Beginn: {} um {} Uhr. Ende: {} um {} Uhr.",
    answers_kept_yes: "Alles, was Sie schon eingegeben haben, bleibt gespeichert.",
    answers_kept_no: "Alles, was Sie schon eingegeben haben, ist dann weg. Sie müssen es noch einmal eingeben.",
    answers_kept_unknown: "Bleibt gespeichert, was Sie schon eingegeben haben? Das wissen wir noch nicht.",
    still_works: "Das geht weiter: ",
    instead: "Das können Sie stattdessen tun: ",
    more: "Mehr Informationen",

    form_open: "Eine Nachricht schreiben",
    form_title: "Nachricht an die richtige Stelle",
    form_summary_title: "Bitte prüfen Sie Ihre Angaben:",
    form_category_legend: "Worum geht es?",
    form_category_question: "Ich habe eine Frage zum Antrag.",
    form_category_technical: "Ich habe ein Problem mit der Technik.",
    form_category_accessibility: "Etwas ist schwer für mich zu benutzen. Das heißt: Ich melde eine Barriere.",
    form_message_label: "Ihre Nachricht",
    form_message_hint: "Schreiben Sie nur Ihre Frage. Schreiben Sie keine Daten aus Ihrem Antrag. Zum Beispiel keine Konto·nummer und keine Steuer-Identifikations·nummer.",
    form_counter: "Sie haben {} von {} Zeichen geschrieben.",
    form_email_label: "Ihre E-Mail-Adresse für die Antwort. Das müssen Sie nicht ausfüllen.",
    form_email_hint: "Mit E-Mail-Adresse bekommen Sie eine Antwort.",
    form_receipt: "Schicken Sie mir bitte eine E-Mail: Die Nachricht ist angekommen.",
    form_name_label: "Ihr Name. Das müssen Sie nicht ausfüllen.",
    form_consent: "Ich bin einverstanden: Meine Angaben gehen an die richtige Stelle. ",
    form_privacy: "Informationen zum Daten·schutz",
    form_send: "Nachricht senden",
    form_sending: "Wir senden die Nachricht …",
    form_network_error: "Das Senden hat nicht geklappt. Ihr Text ist noch da. Bitte versuchen Sie es gleich noch einmal.",
    form_sent_title: "Ihre Nachricht ist angekommen.",
    form_reference: "Ihre Nummer für die Nachricht: ",
    form_recipient: "Die Nachricht geht an: ",
    form_reference_hint: "Bitte schreiben Sie sich die Nummer auf. Mit der Nummer können Sie später nachfragen.",

    err_category_required: "Bitte wählen Sie: Worum geht es?",
    err_category_invalid: "Bitte wählen Sie eine Antwort aus der Liste.",
    err_message_required: "Bitte schreiben Sie Ihre Nachricht.",
    err_message_too_long: "Ihre Nachricht ist zu lang. Bitte schreiben Sie höchstens {} Zeichen.",
    err_message_invalid: "In Ihrer Nachricht sind Zeichen, die nicht gehen. Bitte prüfen Sie Ihre Nachricht.",
    err_email_invalid: "Bitte prüfen Sie Ihre E-Mail-Adresse. Eine E-Mail-Adresse sieht so aus: name@example.de",
    err_email_required: "Sie möchten eine Bestätigung? Dann schreiben Sie bitte Ihre E-Mail-Adresse.",
    err_name_invalid: "Ihr Name ist zu lang. Bitte schreiben Sie höchstens 100 Zeichen.",
    err_consent_required: "Bitte setzen Sie den Haken bei: Ich bin einverstanden. Sonst können wir die Nachricht nicht weiter·geben.",
    err_token_invalid: "Das hat nicht geklappt. Bitte senden Sie die Nachricht noch einmal.",
    err_token_too_fast: "Das ging sehr schnell. Bitte prüfen Sie Ihre Nachricht. Dann senden Sie die Nachricht noch einmal.",
    err_token_expired: "Das Formular war zu lange offen. Bitte senden Sie die Nachricht noch einmal.",
    err_rate_limited: "Gerade kommen sehr viele Nachrichten an. Bitte versuchen Sie es später noch einmal.",
    err_no_recipient: "Für Ihre Frage gibt es hier keine E-Mail-Adresse. Bitte rufen Sie die Stelle an.",
};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [(&str, &Texts); 3] = [("de", &DE), ("en", &EN), ("easy", &EASY)];

    #[test]
    fn capitalise_upper_cases_the_first_letter_only() {
        assert_eq!(capitalise("heute ab 08:00 Uhr"), "Heute ab 08:00 Uhr");
        assert_eq!(capitalise("übermorgen"), "Übermorgen");
        assert_eq!(capitalise("ärger"), "Ärger");
        assert_eq!(capitalise("öffnet"), "Öffnet");
        assert_eq!(capitalise("Mo, 06.10."), "Mo, 06.10.");
        assert_eq!(capitalise("24.12."), "24.12.");
        assert_eq!(capitalise(""), "");
    }

    /// Every sentence the widget capitalises starts with one of these texts or the template's
    /// own first word: each must come out upper-case (or start with a digit) in every language.
    #[test]
    fn capitalise_covers_every_sentence_start_in_every_table() {
        for (name, t) in ALL {
            let mut starts = vec![t.today, t.tomorrow, fill(t.date, &["Mo", "6", "10"]).leak()];
            starts.extend(t.weekdays_short);
            starts.extend(t.weekdays_long);
            starts.extend([t.day_deviation, t.notice_window, t.notice_window_same_day]);
            for start in starts {
                let first = capitalise(start).chars().next().expect("no text is empty");
                assert!(
                    first == '{' || first.is_uppercase() || first.is_ascii_digit(),
                    "{name}: {start:?} does not start upper-case when capitalised"
                );
            }
        }
    }

    #[test]
    fn tags_map_to_languages() {
        for tag in ["de", "de-DE", "DE-de", "", "fr", "tr", " de "] {
            assert_eq!(Lang::from_tag(tag), Lang::De, "{tag}");
        }
        for tag in ["en", "en-GB", "EN-us", "en_GB"] {
            assert_eq!(Lang::from_tag(tag), Lang::En, "{tag}");
        }
        for tag in [
            "de-x-ls",
            "DE-X-LS",
            "de-DE-x-ls",
            "de-ls",
            "ls",
            "LS",
            "easy",
            "Leichte-Sprache",
        ] {
            assert_eq!(Lang::from_tag(tag), Lang::Easy, "{tag}");
        }
        assert_eq!(Lang::Easy.html_lang(), "de");
        assert_eq!(Lang::En.html_lang(), "en");
        assert_eq!(Lang::Easy.api_tag(), "de-x-ls");
        assert_eq!(Lang::from_tag("en").texts().title, EN.title);
    }

    #[test]
    fn tables_survive_the_list_the_widget_receives() {
        for (name, texts) in ALL {
            let list = texts.to_list();
            let back = Texts::from_list(&list).expect("a complete list");
            assert_eq!(back.to_list(), list, "{name}");
            assert_eq!(back.title, texts.title, "{name}");
            assert_eq!(back.weekdays_long, texts.weekdays_long, "{name}");
            assert_eq!(back.err_no_recipient, texts.err_no_recipient, "{name}");
            assert_eq!(back.date_pad, texts.date_pad, "{name}");
            // One text fewer or more is refused, not shifted.
            assert!(Texts::from_list(&list[1..]).is_none(), "{name}");
            let mut longer = list.clone();
            longer.push("extra");
            assert!(Texts::from_list(&longer).is_none(), "{name}");
        }
        assert_eq!(DE.to_list().len(), Texts::LIST_LEN);
        assert_ne!(DE.to_list(), EN.to_list());
    }

    #[test]
    fn fill_replaces_in_order() {
        assert_eq!(
            fill("{} von {} Zeichen", &["12", "4000"]),
            "12 von 4000 Zeichen"
        );
        assert_eq!(fill("ohne", &["x"]), "ohne");
        // Extra arguments are ignored; missing ones leave the placeholder visible.
        assert_eq!(fill("{}", &["a", "b"]), "a");
        assert_eq!(fill("{}–{}", &["a"]), "a–{}");
        // Arguments are not read as templates.
        assert_eq!(fill("„{}“ {}", &["{}", "b"]), "„{}“ b");
    }

    #[test]
    fn templates_take_the_same_arguments_in_every_language() {
        let count = |s: &str| s.matches("{}").count();
        for (name, texts) in ALL {
            for (i, (t, de)) in texts.templates().iter().zip(DE.templates()).enumerate() {
                assert!(count(de) > 0, "DE template {i} has no placeholder");
                assert_eq!(count(t), count(de), "{name}: template {i} {t:?} vs {de:?}");
            }
            // No placeholder hides in a text that is not listed as a template.
            let listed: usize = texts.templates().iter().map(|t| count(t)).sum();
            assert_eq!(count(&format!("{texts:?}")), listed, "{name}");
        }
    }

    #[test]
    fn no_text_is_empty() {
        for (name, texts) in ALL {
            let all = format!("{texts:?}");
            assert!(!all.contains("\"\""), "{name} has an empty text");
        }
    }

    #[test]
    fn leichte_sprache_spells_out_weekdays() {
        assert_eq!(EASY.weekdays_short, EASY.weekdays_long);
        for texts in [&DE, &EN] {
            assert_ne!(texts.weekdays_short, texts.weekdays_long);
        }
    }

    #[test]
    fn dates_and_errors() {
        assert_eq!(DE.date(0, "06", "10"), "Mo, 06.10.");
        assert_eq!(EN.date(0, "06", "10"), "Mon 6 Oct");
        assert_eq!(EASY.date(0, "06", "10"), "Montag, 6. Oktober");
        assert_eq!(DE.date(9, "06", "13"), ", 06.13.");
        let too_long = EN
            .field_error("message", "too_long")
            .map(|t| fill(t, &["4000"]));
        assert_eq!(
            too_long.as_deref(),
            Some("Your message is too long: at most 4000 characters.")
        );
        assert_eq!(DE.field_error("website", "x"), None);
        assert_eq!(
            EASY.general_error("token_expired"),
            Some(EASY.err_token_expired)
        );
        assert_eq!(DE.general_error("database_unavailable"), None);
        assert_eq!(
            EN.general_error("token_used"),
            Some(EN.err_token_expired),
            "a used form token is told in the form's language"
        );
    }

    #[test]
    fn german_matches_the_current_widget() {
        // e2e tests and the hours shown today: "Mo–Fr 07:00–18:00 Uhr".
        let days = fill(
            DE.day_range_short,
            &[DE.weekdays_short[0], DE.weekdays_short[4]],
        );
        let times = fill(DE.times, &[&fill(DE.time_range, &["07:00", "18:00"])]);
        assert_eq!(format!("{days} {times}"), "Mo–Fr 07:00–18:00 Uhr");
        assert_eq!(
            fill(
                DE.day_range_long,
                &[DE.weekdays_long[0], DE.weekdays_long[4]]
            ),
            "Montag bis Freitag"
        );
        assert!(fill(DE.open_until_today, &["18:00"]).starts_with("Jetzt erreichbar – bis"));
    }
}
