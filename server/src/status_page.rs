//! Public status page: a server-rendered, accessible HTML page in German that lists current
//! disruptions, maintenance windows and information notices for the online services.
//!
//! The page works without JavaScript (filtering is a plain GET form) and carries no scripts at
//! all, so it stays usable on any device and with assistive technology. Everything shown comes
//! from notices the caller has already filtered; this module only renders. All text from
//! notices is HTML-escaped, including attribute values, because notices are written by many
//! hands.
//!
//! The German labels, the escaping and the URL encoding are shared with [`crate::feeds`].

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use wire::{AnswersKept, Impact, Notice, NoticeKind, NoticeState};

use crate::feeds::{last_change, maintenance_running, parse_time};

/// What the visitor chose to see, echoed into the filter form and the feed links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusFilter<'a> {
    /// LeiKa key of the chosen service, if any.
    pub leika: Option<&'a str>,
    /// ARS (prefix) of the chosen region, if any.
    pub ars: Option<&'a str>,
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query or URN component: everything but the RFC 3986 unreserved
/// characters, byte by byte in UTF-8.
pub(crate) fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `?leika=…&ars=…` for the given filter values (URL-encoded), or `""` when there are none.
/// The result is a raw URL; escape it before putting it into HTML.
pub(crate) fn query_string(leika: Option<&str>, ars: Option<&str>) -> String {
    let pairs: Vec<String> = [("leika", leika), ("ars", ars)]
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| format!("{key}={}", url_encode(v))))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// German name of a notice kind.
pub(crate) fn kind_label(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Incident => "Störung",
        NoticeKind::Maintenance => "Wartung",
        NoticeKind::Info => "Hinweis",
    }
}

/// German name of a notice state.
pub(crate) fn state_label(state: NoticeState) -> &'static str {
    match state {
        NoticeState::Investigating => "Wird untersucht",
        NoticeState::Identified => "Ursache gefunden",
        NoticeState::Monitoring => "Wird beobachtet",
        NoticeState::Resolved => "Behoben",
        NoticeState::Scheduled => "Geplant",
        NoticeState::InProgress => "Läuft",
        NoticeState::Completed => "Abgeschlossen",
        NoticeState::Active => "Aktiv",
    }
}

/// German name of an impact level (the word after "Auswirkung:").
pub(crate) fn impact_label(impact: Impact) -> &'static str {
    match impact {
        Impact::None => "keine",
        Impact::Minor => "gering",
        Impact::Major => "erheblich",
        Impact::Critical => "kritisch",
    }
}

/// The sentence telling citizens whether what they already entered survives.
pub(crate) fn answers_kept_sentence(kept: AnswersKept) -> &'static str {
    match kept {
        AnswersKept::Yes => "Ihre bisherigen Eingaben bleiben erhalten.",
        AnswersKept::No => "Ihre bisherigen Eingaben gehen verloren.",
        AnswersKept::Unknown => "Ob Ihre Eingaben erhalten bleiben, ist noch unklar.",
    }
}

/// The time zone every time on the page is shown in.
fn berlin() -> TimeZone {
    TimeZone::get("Europe/Berlin").expect("Europe/Berlin is in the bundled tz database")
}

/// German two-letter weekday abbreviation.
fn weekday_short(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Mo",
        Weekday::Tuesday => "Di",
        Weekday::Wednesday => "Mi",
        Weekday::Thursday => "Do",
        Weekday::Friday => "Fr",
        Weekday::Saturday => "Sa",
        Weekday::Sunday => "So",
    }
}

/// "Mo, 30.11.2026, 22:00" in Europe/Berlin (without "Uhr", so ranges can share one).
fn berlin_datetime(ts: Timestamp, tz: &TimeZone) -> String {
    let zoned = ts.to_zoned(tz.clone());
    format!(
        "{}, {}",
        weekday_short(zoned.weekday()),
        zoned.strftime("%d.%m.%Y, %H:%M")
    )
}

/// `<time datetime="…">Mo, 30.11.2026, 22:00 Uhr</time>` for an RFC 3339 string, or the escaped
/// string itself when it cannot be read (a broken date should not hide the rest of a notice).
fn time_element(raw: &str, tz: &TimeZone) -> String {
    match parse_time(raw) {
        Some(ts) => format!(
            "<time datetime=\"{}\">{} Uhr</time>",
            escape(&ts.to_string()),
            escape(&berlin_datetime(ts, tz))
        ),
        None => escape(raw),
    }
}

/// The window of a notice as "Mo, 30.11.2026, 22:00 – Di, 01.12.2026, 02:00 Uhr" (HTML, with
/// `<time>` elements), "ab …" when only the start is known, `None` without a readable start.
fn window_html(notice: &Notice, tz: &TimeZone) -> Option<String> {
    let start = parse_time(notice.starts_at.as_deref()?)?;
    let start_html = format!(
        "<time datetime=\"{}\">{}</time>",
        escape(&start.to_string()),
        escape(&berlin_datetime(start, tz))
    );
    match notice.ends_at.as_deref().and_then(parse_time) {
        Some(end) => Some(format!(
            "{start_html} – <time datetime=\"{}\">{}</time> Uhr",
            escape(&end.to_string()),
            escape(&berlin_datetime(end, tz))
        )),
        None => Some(format!("ab {start_html} Uhr")),
    }
}

/// Whether a link target is safe to put into `href`: web addresses and site-relative paths
/// only, so that a notice cannot smuggle in `javascript:` or other schemes.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

/// Body text as paragraphs: blank lines separate paragraphs, single line breaks are kept.
fn paragraphs(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n");
    normalised
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>\n")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The page for a status request that cannot be answered (a malformed filter): what is wrong,
/// in words, and the way back to the unfiltered page.
pub fn render_error(message: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ungültige Auswahl – Status der Online-Dienste – Anlaufstelle</title>
<link rel="stylesheet" href="/status/style.css">
</head>
<body>
<main id="inhalt">
<h1>Status der Online-Dienste</h1>
<p role="alert">Diese Auswahl kann nicht angezeigt werden. Bitte prüfen Sie die Angaben.</p>
<p class="hint" lang="en">{message}</p>
<p><a href="/status">Alle Meldungen anzeigen</a></p>
</main>
</body>
</html>
"##,
        message = escape(message),
    )
}

/// The public status page as a complete HTML5 document in German, server-rendered and usable
/// without JavaScript.
///
/// `services` maps LeiKa keys to service names for display (unknown keys are shown as the key)
/// and fills the service `<select>` of the filter form; `filter` is what the visitor chose and is
/// echoed into the form and the feed links. Notices are grouped into "Aktuelle Störungen",
/// "Wartungsarbeiten" and "Hinweise"; each is an `<article id="notice-{id}">`, the anchor the
/// feeds link to. `now` decides whether maintenance is already running and is shown as the
/// page's "Stand".
pub fn render(
    notices: &[Notice],
    services: &[(String, String)],
    filter: &StatusFilter<'_>,
    now: Timestamp,
) -> String {
    let tz = berlin();
    let service_name = |key: &str| -> String {
        services
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| key.to_owned(), |(_, name)| name.clone())
    };

    let mut incidents: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.kind == NoticeKind::Incident)
        .collect();
    // Open ones before resolved ones, then the most severe, then the most recently changed.
    incidents.sort_by(|a, b| {
        a.is_over()
            .cmp(&b.is_over())
            .then_with(|| b.impact.cmp(&a.impact))
            .then_with(|| last_change(b).cmp(&last_change(a)))
    });
    let mut maintenances: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.kind == NoticeKind::Maintenance)
        .collect();
    // Running work first, then upcoming by start, completed last.
    maintenances.sort_by_key(|n| {
        let rank = if maintenance_running(n, now) {
            0
        } else if n.is_over() {
            2
        } else {
            1
        };
        (rank, n.starts_at.as_deref().and_then(parse_time))
    });
    let mut infos: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.kind == NoticeKind::Info)
        .collect();
    infos.sort_by_key(|n| std::cmp::Reverse(last_change(n)));

    let current = notices.iter().filter(|n| !n.is_over()).count();
    let disrupted = notices.iter().any(|n| {
        (n.kind == NoticeKind::Incident && !n.is_over() && n.impact > Impact::None)
            || maintenance_running(n, now)
    });
    let count_text = if current == 1 {
        "1 aktuelle Meldung".to_owned()
    } else {
        format!("{current} aktuelle Meldungen")
    };
    let summary = match (disrupted, current) {
        (false, 0) => "Alle Dienste arbeiten normal.".to_owned(),
        (false, _) => format!("Alle Dienste arbeiten normal. {count_text}."),
        (true, _) => format!("Einschränkungen bei Online-Diensten: {count_text}."),
    };

    let qs = escape(&query_string(filter.leika, filter.ars));
    let mut html = String::with_capacity(16 * 1024);
    html.push_str(&format!(
        r##"<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Status der Online-Dienste – Anlaufstelle</title>
<link rel="alternate" type="application/atom+xml" title="Meldungen (Atom)" href="/feeds/notices.atom{qs}">
<link rel="stylesheet" href="/status/style.css">
</head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header>
<h1>Status der Online-Dienste</h1>
<p class="summary{summary_class}" role="status">{summary}</p>
<p class="stand">Stand: {stand}</p>
</header>
<main id="inhalt">
"##,
        summary_class = if disrupted { " disrupted" } else { "" },
        summary = escape(&summary),
        stand = time_element(&now.to_string(), &tz),
    ));

    html.push_str(&filter_form(services, filter));

    section(
        &mut html,
        "stoerungen",
        "Aktuelle Störungen",
        "Derzeit sind keine Störungen bekannt.",
        &incidents,
        &service_name,
        &tz,
    );
    section(
        &mut html,
        "wartung",
        "Wartungsarbeiten",
        "Derzeit sind keine Wartungsarbeiten geplant.",
        &maintenances,
        &service_name,
        &tz,
    );
    section(
        &mut html,
        "hinweise",
        "Hinweise",
        "Derzeit gibt es keine Hinweise.",
        &infos,
        &service_name,
        &tz,
    );

    html.push_str(&format!(
        r#"<section aria-labelledby="abonnieren-titel">
<h2 id="abonnieren-titel">Meldungen abonnieren</h2>
<ul class="feeds">
<li><a href="/feeds/notices.atom{qs}">Alle Meldungen als Atom-Feed</a></li>
<li><a href="/feeds/maintenance.ics{qs}">Wartungsarbeiten als Kalender (iCalendar)</a></li>
<li><a href="/api/v2/summary.json">Maschinenlesbare Zusammenfassung (JSON, Statuspage-kompatibel)</a></li>
</ul>
</section>
</main>
<footer><p>Anlaufstelle – Hilfe zu Online-Diensten der Verwaltung</p></footer>
</body>
</html>
"#
    ));
    html
}

/// The filter form: a service select and a region text input, submitted with GET to the page
/// itself (no `action`, so it works under any path prefix).
fn filter_form(services: &[(String, String)], filter: &StatusFilter<'_>) -> String {
    let mut options = String::from("<option value=\"\">Alle Online-Dienste</option>\n");
    let mut chosen_listed = false;
    for (key, name) in services {
        let selected = filter.leika == Some(key.as_str());
        chosen_listed |= selected;
        options.push_str(&format!(
            "<option value=\"{}\"{}>{}</option>\n",
            escape(key),
            if selected { " selected" } else { "" },
            escape(name)
        ));
    }
    // A key the page does not know is still what the visitor asked for; keep it selectable so
    // that submitting the form again does not silently widen the filter.
    if let Some(key) = filter.leika.filter(|_| !chosen_listed) {
        options.push_str(&format!(
            "<option value=\"{0}\" selected>{0}</option>\n",
            escape(key)
        ));
    }
    format!(
        r#"<form method="get" class="filter" aria-labelledby="filter-titel">
<h2 id="filter-titel">Anzeige eingrenzen</h2>
<div class="field">
<label for="leika">Online-Dienst</label>
<select id="leika" name="leika">
{options}</select>
</div>
<div class="field">
<label for="ars">Region (Amtlicher Regionalschlüssel)</label>
<input id="ars" name="ars" type="text" inputmode="numeric" autocomplete="off" value="{ars}" aria-describedby="ars-hinweis">
<p id="ars-hinweis" class="hint">Zum Beispiel 04 für das Land Bremen oder 040110000000 für die Stadt Bremen.</p>
</div>
<button type="submit">Meldungen anzeigen</button>
</form>
"#,
        ars = escape(filter.ars.unwrap_or("")),
    )
}

/// One section with its heading and notices, or a sentence saying there are none.
fn section(
    html: &mut String,
    id: &str,
    title: &str,
    empty: &str,
    notices: &[&Notice],
    service_name: &dyn Fn(&str) -> String,
    tz: &TimeZone,
) {
    html.push_str(&format!(
        "<section aria-labelledby=\"{id}-titel\">\n<h2 id=\"{id}-titel\">{}</h2>\n",
        escape(title)
    ));
    if notices.is_empty() {
        html.push_str(&format!("<p class=\"empty\">{}</p>\n", escape(empty)));
    }
    for notice in notices {
        html.push_str(&article(notice, service_name, tz));
    }
    html.push_str("</section>\n");
}

/// One notice as an article.
fn article(notice: &Notice, service_name: &dyn Fn(&str) -> String, tz: &TimeZone) -> String {
    let c = &notice.content;
    let id = escape(&format!("notice-{}", notice.id));
    let impact_class = match notice.impact {
        Impact::None => "none",
        Impact::Minor => "minor",
        Impact::Major => "major",
        Impact::Critical => "critical",
    };
    let mut out = format!(
        "<article id=\"{id}\" class=\"notice impact-{impact_class}\" aria-labelledby=\"{id}-titel\"{lang}>\n\
         <h3 id=\"{id}-titel\">{title}</h3>\n\
         <p class=\"meta\"><span class=\"tag\">{kind}</span> \
         <span>Status: <strong>{state}</strong></span> \
         <span>Auswirkung: <strong>{impact}</strong></span></p>\n<dl class=\"facts\">\n",
        // Content may be in another language than the page (e.g. Leichte Sprache or English).
        lang = if notice.lang == "de" {
            String::new()
        } else {
            format!(" lang=\"{}\"", escape(&notice.lang))
        },
        title = escape(&c.title),
        kind = escape(kind_label(notice.kind)),
        state = escape(state_label(notice.state)),
        impact = escape(impact_label(notice.impact)),
    );

    if let Some(window) = window_html(notice, tz) {
        let label = if notice.kind == NoticeKind::Maintenance {
            "Zeitraum"
        } else {
            "Beginn"
        };
        out.push_str(&format!("<dt>{label}</dt><dd>{window}</dd>\n"));
    }
    let services = if notice.services.is_empty() {
        "Alle Online-Dienste".to_owned()
    } else {
        notice
            .services
            .iter()
            .map(|key| escape(&service_name(key)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!("<dt>Betroffene Dienste</dt><dd>{services}</dd>\n"));
    let regions = if notice.regions.is_empty() {
        "Bundesweit".to_owned()
    } else {
        format!(
            "Regionalschlüssel {}",
            notice
                .regions
                .iter()
                .map(|r| escape(r))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    out.push_str(&format!(
        "<dt>Betroffene Regionen</dt><dd>{regions}</dd>\n</dl>\n"
    ));

    out.push_str(&paragraphs(&c.body));
    out.push('\n');

    let mut help = String::new();
    if let Some(still) = &c.still_works {
        help.push_str(&format!(
            "<dt>Was weiterhin funktioniert</dt><dd>{}</dd>\n",
            escape(still)
        ));
    }
    // Information notices do not interrupt forms, so the question does not arise for them.
    if notice.kind != NoticeKind::Info {
        help.push_str(&format!(
            "<dt>Ihre Eingaben</dt><dd>{}</dd>\n",
            escape(answers_kept_sentence(c.answers_kept))
        ));
    }
    let alternative = match (&c.alternative, c.alternative_url.as_deref()) {
        (Some(text), Some(url)) if is_safe_url(url) => {
            Some(format!("<a href=\"{}\">{}</a>", escape(url), escape(text)))
        }
        (None, Some(url)) if is_safe_url(url) => {
            Some(format!("<a href=\"{0}\">{0}</a>", escape(url)))
        }
        (Some(text), _) => Some(escape(text)),
        (None, _) => None,
    };
    if let Some(alternative) = alternative {
        help.push_str(&format!("<dt>Alternative</dt><dd>{alternative}</dd>\n"));
    }
    if !help.is_empty() {
        out.push_str(&format!("<dl class=\"help\">\n{help}</dl>\n"));
    }

    if !notice.updates.is_empty() {
        out.push_str(&format!(
            "<h4 id=\"{id}-verlauf\">Verlauf</h4>\n<ol class=\"timeline\" aria-labelledby=\"{id}-verlauf\">\n"
        ));
        for update in &notice.updates {
            out.push_str(&format!(
                "<li>{} – <strong>{}</strong>",
                time_element(&update.at, tz),
                escape(state_label(update.state))
            ));
            if !update.message.is_empty() {
                out.push_str(&format!(": {}", escape(&update.message)));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    out.push_str(&format!(
        "<p class=\"updated\">Zuletzt aktualisiert: {}</p>\n</article>\n",
        time_element(&notice.updated_at, tz)
    ));
    out
}

/// The page's stylesheet. Colours meet WCAG AA contrast (4.5:1 for text) on their backgrounds;
/// impact is always also written out, the coloured edge only repeats it.
/// The page's stylesheet, served as `/status/style.css`.
pub const STYLE: &str = r#"
:root { color-scheme: light; --text: #1b1b1b; --muted: #4a4a4a; --bg: #ffffff; --panel: #f3f4f6;
  --link: #0b4f9c; --focus: #ffbf47; --ok: #1d6b2f; --minor: #8a5a00; --major: #b3261e; --critical: #7a0c12; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 1.0625rem; line-height: 1.55; color: var(--text); background: var(--bg); }
header, main, footer { max-width: 48rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.75rem; margin: 0.5rem 0; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.15rem; margin: 0 0 0.5rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.25rem; }
a { color: var(--link); text-decoration: underline; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--text); }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: 0.5rem; }
.skip:focus { left: 0.5rem; }
.summary { font-size: 1.2rem; font-weight: 600; padding: 0.75rem 1rem; border-left: 6px solid var(--ok);
  background: var(--panel); }
.summary.disrupted { border-left-color: var(--major); }
.stand, .hint, .updated, .empty { color: var(--muted); }
.filter { background: var(--panel); padding: 1rem; border-radius: 4px; }
.filter h2 { margin-top: 0; }
.field { margin-bottom: 0.75rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
select, input { font: inherit; width: 100%; max-width: 32rem; padding: 0.4rem; color: var(--text);
  background: var(--bg); border: 2px solid var(--muted); border-radius: 3px; }
.hint { margin: 0.25rem 0 0; font-size: 0.95rem; }
button { font: inherit; font-weight: 600; padding: 0.5rem 1rem; color: #ffffff; background: var(--link);
  border: 2px solid var(--link); border-radius: 3px; cursor: pointer; }
.notice { border: 1px solid #c4c7cc; border-left: 6px solid var(--muted); border-radius: 4px;
  padding: 1rem; margin-bottom: 1rem; }
.impact-minor { border-left-color: var(--minor); }
.impact-major { border-left-color: var(--major); }
.impact-critical { border-left-color: var(--critical); }
.meta { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; margin: 0 0 0.5rem; }
.tag { font-weight: 700; }
dl { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.timeline { padding-left: 1.5rem; }
footer { color: var(--muted); border-top: 1px solid #c4c7cc; margin-top: 2rem; }
@media (max-width: 32rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.5rem; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use wire::{NoticeContent, NoticeUpdate};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp is valid")
    }

    fn notice(id: &str, kind: NoticeKind, state: NoticeState, impact: Impact) -> Notice {
        Notice {
            id: id.to_owned(),
            kind,
            state,
            impact,
            services: vec![],
            regions: vec![],
            starts_at: None,
            ends_at: None,
            created_at: "2026-11-20T10:00:00+01:00".to_owned(),
            updated_at: "2026-11-20T10:00:00+01:00".to_owned(),
            content: NoticeContent {
                title: format!("Titel {id}"),
                body: "Beschreibung".to_owned(),
                still_works: None,
                answers_kept: AnswersKept::Unknown,
                alternative: None,
                alternative_url: None,
            },
            lang: "de".to_owned(),
            updates: vec![],
        }
    }

    fn services() -> Vec<(String, String)> {
        vec![
            (
                "99123456789012".to_owned(),
                "Wohngeld beantragen".to_owned(),
            ),
            ("99000000000001".to_owned(), "Meldebescheinigung".to_owned()),
        ]
    }

    fn page(notices: &[Notice]) -> String {
        render(
            notices,
            &services(),
            &StatusFilter::default(),
            ts("2026-11-25T12:00:00Z"),
        )
    }

    #[test]
    fn the_page_is_a_german_html5_document_with_one_h1_and_no_scripts() {
        let html = page(&[]);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<html lang=\"de\">"));
        assert!(html.contains("<title>"));
        assert!(html.contains("name=\"viewport\""));
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains("<h1>Status der Online-Dienste</h1>"));
        assert!(!html.to_lowercase().contains("<script"));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn without_notices_the_status_sentence_says_all_is_well() {
        let html = page(&[]);
        assert!(
            html.contains("role=\"status\">Alle Dienste arbeiten normal.</p>"),
            "{html}"
        );
        assert!(html.contains("Derzeit sind keine Störungen bekannt."));
        assert!(html.contains("Derzeit sind keine Wartungsarbeiten geplant."));
        assert!(html.contains("Derzeit gibt es keine Hinweise."));
    }

    #[test]
    fn open_notices_are_counted_in_the_status_sentence() {
        let html = page(&[
            notice(
                "a",
                NoticeKind::Incident,
                NoticeState::Investigating,
                Impact::Major,
            ),
            notice("b", NoticeKind::Info, NoticeState::Active, Impact::None),
            notice(
                "c",
                NoticeKind::Incident,
                NoticeState::Resolved,
                Impact::Minor,
            ),
        ]);
        assert!(
            html.contains(
                "role=\"status\">Einschränkungen bei Online-Diensten: 2 aktuelle Meldungen.</p>"
            ),
            "{html}"
        );
        let single = page(&[notice(
            "b",
            NoticeKind::Info,
            NoticeState::Active,
            Impact::None,
        )]);
        assert!(
            single.contains("Alle Dienste arbeiten normal. 1 aktuelle Meldung."),
            "{single}"
        );
    }

    #[test]
    fn a_script_title_is_escaped_everywhere() {
        let mut n = notice(
            "x",
            NoticeKind::Incident,
            NoticeState::Identified,
            Impact::Critical,
        );
        n.content.title = "<script>alert('x')</script> & \"mehr\"".to_owned();
        n.content.body = "<img src=x onerror=alert(1)>".to_owned();
        let html = page(&[n]);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;mehr&quot;")
        );
    }

    #[test]
    fn each_notice_is_an_article_with_its_anchor_and_german_labels() {
        let mut incident = notice(
            "s-1",
            NoticeKind::Incident,
            NoticeState::Identified,
            Impact::Major,
        );
        incident.services = vec!["99123456789012".to_owned(), "99999999999999".to_owned()];
        incident.regions = vec!["04".to_owned()];
        incident.content.still_works = Some("Sie können Ihren Antrag speichern.".to_owned());
        incident.content.answers_kept = AnswersKept::Yes;
        let mut maint = notice(
            "w-1",
            NoticeKind::Maintenance,
            NoticeState::Scheduled,
            Impact::Critical,
        );
        maint.content.answers_kept = AnswersKept::No;
        let info = notice("h-1", NoticeKind::Info, NoticeState::Active, Impact::None);
        let html = page(&[incident, maint, info]);

        for id in ["s-1", "w-1", "h-1"] {
            assert!(
                html.contains(&format!(
                    "<article id=\"notice-{id}\" class=\"notice impact-"
                )),
                "{id} missing"
            );
            assert!(html.contains(&format!("aria-labelledby=\"notice-{id}-titel\"")));
            assert!(html.contains(&format!("<h3 id=\"notice-{id}-titel\">Titel {id}</h3>")));
        }
        for label in [
            "Störung",
            "Wartung",
            "Hinweis",
            "Ursache gefunden",
            "Geplant",
            "Aktiv",
            "Auswirkung: <strong>erheblich</strong>",
            "Auswirkung: <strong>kritisch</strong>",
            "Auswirkung: <strong>keine</strong>",
            "Aktuelle Störungen",
            "Wartungsarbeiten",
            "Hinweise",
            "Wohngeld beantragen, 99999999999999",
            "Regionalschlüssel 04",
            "Bundesweit",
            "Sie können Ihren Antrag speichern.",
            "Ihre bisherigen Eingaben bleiben erhalten.",
            "Ihre bisherigen Eingaben gehen verloren.",
        ] {
            assert!(html.contains(label), "label {label:?} missing");
        }
        assert!(
            !html.contains("Ob Ihre Eingaben erhalten bleiben"),
            "info notices do not talk about form answers"
        );
    }

    #[test]
    fn the_maintenance_window_is_shown_in_berlin_time() {
        let mut n = notice(
            "w",
            NoticeKind::Maintenance,
            NoticeState::Scheduled,
            Impact::Major,
        );
        n.starts_at = Some("2026-11-30T21:00:00Z".to_owned());
        n.ends_at = Some("2026-12-01T01:00:00Z".to_owned());
        let html = page(&[n]);
        let text = html
            .split("<dt>Zeitraum</dt><dd>")
            .nth(1)
            .and_then(|rest| rest.split("</dd>").next())
            .expect("window shown");
        let without_tags = strip_tags(text);
        assert_eq!(
            without_tags,
            "Mo, 30.11.2026, 22:00 – Di, 01.12.2026, 02:00 Uhr"
        );
        assert!(text.contains("<time datetime=\"2026-11-30T21:00:00Z\">"));
    }

    #[test]
    fn running_maintenance_changes_the_status_sentence() {
        let mut n = notice(
            "w",
            NoticeKind::Maintenance,
            NoticeState::Scheduled,
            Impact::Minor,
        );
        n.starts_at = Some("2026-11-25T11:00:00Z".to_owned());
        n.ends_at = Some("2026-11-25T13:00:00Z".to_owned());
        let html = page(&[n]);
        assert!(
            html.contains("Einschränkungen bei Online-Diensten: 1 aktuelle Meldung."),
            "{html}"
        );
    }

    #[test]
    fn the_timeline_is_an_ordered_list_with_machine_readable_times() {
        let mut n = notice(
            "s",
            NoticeKind::Incident,
            NoticeState::Monitoring,
            Impact::Minor,
        );
        n.updates = vec![
            NoticeUpdate {
                at: "2026-07-01T12:30:00+02:00".to_owned(),
                state: NoticeState::Monitoring,
                message: "Wir beobachten die Lage.".to_owned(),
            },
            NoticeUpdate {
                at: "2026-07-01T10:00:00+02:00".to_owned(),
                state: NoticeState::Investigating,
                message: String::new(),
            },
        ];
        let html = page(&[n]);
        let list = html
            .split("<ol class=\"timeline\"")
            .nth(1)
            .and_then(|rest| rest.split("</ol>").next())
            .expect("timeline shown");
        assert_eq!(list.matches("<li>").count(), 2);
        assert!(list.contains(
            "<time datetime=\"2026-07-01T10:30:00Z\">Mi, 01.07.2026, 12:30 Uhr</time> – <strong>Wird beobachtet</strong>: Wir beobachten die Lage."
        ));
        assert!(list.find("Wird beobachtet") < list.find("Wird untersucht"));
    }

    #[test]
    fn the_alternative_is_linked_only_for_web_addresses() {
        let mut safe = notice(
            "a",
            NoticeKind::Incident,
            NoticeState::Investigating,
            Impact::Major,
        );
        safe.content.alternative = Some("Papierformular".to_owned());
        safe.content.alternative_url = Some("https://example.org/formular?a=1&b=2".to_owned());
        let mut unsafe_link = notice(
            "b",
            NoticeKind::Incident,
            NoticeState::Investigating,
            Impact::Major,
        );
        unsafe_link.content.alternative = Some("Klick".to_owned());
        unsafe_link.content.alternative_url = Some("javascript:alert(1)".to_owned());
        let html = page(&[safe, unsafe_link]);
        assert!(
            html.contains(
                "<a href=\"https://example.org/formular?a=1&amp;b=2\">Papierformular</a>"
            )
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<dt>Alternative</dt><dd>Klick</dd>"));
    }

    #[test]
    fn the_filter_is_echoed_into_the_form_and_the_feed_links() {
        let filter = StatusFilter {
            leika: Some("99123456789012"),
            ars: Some("04\"><b>&"),
        };
        let html = render(&[], &services(), &filter, ts("2026-11-25T12:00:00Z"));
        assert!(html.contains("<form method=\"get\""));
        assert!(html.contains("<label for=\"leika\">"));
        assert!(html.contains("<label for=\"ars\">"));
        assert!(html.contains("<button type=\"submit\">"));
        assert!(
            html.contains("<option value=\"99123456789012\" selected>Wohngeld beantragen</option>")
        );
        assert!(html.contains("<option value=\"99000000000001\">Meldebescheinigung</option>"));
        assert!(
            html.contains("value=\"04&quot;&gt;&lt;b&gt;&amp;\""),
            "{html}"
        );
        assert!(!html.contains("<b>"));
        let query = "?leika=99123456789012&amp;ars=04%22%3E%3Cb%3E%26";
        assert!(
            html.contains(&format!("href=\"/feeds/notices.atom{query}\"")),
            "{html}"
        );
        assert!(html.contains(&format!("href=\"/feeds/maintenance.ics{query}\"")));
        assert!(html.contains("href=\"/api/v2/summary.json\""));
    }

    #[test]
    fn an_unknown_chosen_service_stays_selected() {
        let filter = StatusFilter {
            leika: Some("12345678901234"),
            ars: None,
        };
        let html = render(&[], &services(), &filter, ts("2026-11-25T12:00:00Z"));
        assert!(html.contains("<option value=\"12345678901234\" selected>12345678901234</option>"));
        assert!(
            html.contains("value=\"\" aria-describedby"),
            "empty region input"
        );
    }

    #[test]
    fn url_encoding_leaves_only_unreserved_characters() {
        assert_eq!(url_encode("a-Z_0.9~"), "a-Z_0.9~");
        assert_eq!(url_encode("ä &/?"), "%C3%A4%20%26%2F%3F");
        assert_eq!(query_string(None, None), "");
        assert_eq!(query_string(None, Some("04")), "?ars=04");
    }

    /// Drops HTML tags from a fragment, for comparing visible text.
    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }
}
