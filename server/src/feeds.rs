//! Machine-readable feeds of notices: Atom for feed readers, iCalendar for maintenance windows
//! and a Statuspage-compatible `summary.json` for existing status tooling.
//!
//! All three are pure functions of notices the caller has already filtered (scope, publication)
//! and localised, so they can be tested without a server and cached by the caller. Output is
//! written with real format libraries (`atom_syndication`, `icalendar`, `serde_json`) rather than
//! string templates, because hand-rolled escaping is exactly what feed readers choke on.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use icalendar::{Calendar, Component, Event, EventStatus};
use jiff::Timestamp;
use serde_json::{Value, json};
use wire::{Impact, Notice, NoticeKind, NoticeState};

use crate::status_page::{
    answers_kept_sentence, escape, impact_label, kind_label, query_string, state_label,
};

/// Filter echoed into feed metadata/self links.
///
/// The notices are filtered by the caller; the query is only repeated here so that a feed names
/// the selection it holds and its self link fetches the same selection again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedQuery<'a> {
    /// LeiKa key of the service the feed is limited to, if any.
    pub leika: Option<&'a str>,
    /// ARS (prefix) of the region the feed is limited to, if any.
    pub ars: Option<&'a str>,
}

impl FeedQuery<'_> {
    /// `?leika=…&ars=…` with the values URL-encoded, or the empty string for the unfiltered feed.
    fn query_string(&self) -> String {
        query_string(self.leika, self.ars)
    }

    /// Human-readable suffix for titles, e.g. " (Leistung 99…, Region 04)".
    fn title_suffix(&self) -> String {
        let parts: Vec<String> = [
            self.leika.map(|l| format!("Leistung {l}")),
            self.ars.map(|a| format!("Region {a}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    }
}

/// Parses an RFC 3339 time of a notice.
///
/// Notices are validated when stored, so `None` only happens with damaged data; callers then
/// degrade (sort last, leave a field out) rather than dropping the whole feed.
pub(crate) fn parse_time(s: &str) -> Option<Timestamp> {
    s.parse().ok()
}

/// Whether maintenance work is going on at `now`: declared as running, or still marked as
/// scheduled although its window has begun (operators do not always flip the state on time).
pub(crate) fn maintenance_running(notice: &Notice, now: Timestamp) -> bool {
    if notice.kind != NoticeKind::Maintenance {
        return false;
    }
    match notice.state {
        NoticeState::InProgress => true,
        NoticeState::Scheduled => {
            let start = notice.starts_at.as_deref().and_then(parse_time);
            let end = notice.ends_at.as_deref().and_then(parse_time);
            matches!((start, end), (Some(s), Some(e)) if s <= now && now < e)
                || matches!((start, end), (Some(s), None) if s <= now)
        }
        _ => false,
    }
}

/// The time a notice last changed, for ordering: `updated_at`, else `created_at`, else the
/// epoch so that a notice with damaged times sorts last instead of disappearing.
pub(crate) fn last_change(notice: &Notice) -> Timestamp {
    parse_time(&notice.updated_at)
        .or_else(|| parse_time(&notice.created_at))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Converts to the date type `atom_syndication` writes (chrono's), via RFC 3339 text so that
/// the server needs no direct chrono dependency.
fn atom_time(ts: Timestamp) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&ts.to_string())
        .expect("jiff prints RFC 3339, which chrono reads")
}

/// Percent-encodes one component for use inside a URN (everything but RFC 3986 unreserved).
fn urn_component(value: &str) -> String {
    crate::status_page::url_encode(value)
}

/// Atom 1.0 feed of notices (all kinds), newest `updated` first.
///
/// `base_url` is the public origin without trailing slash (e.g. `http://127.0.0.1:8080`); links
/// to the status page and the self link are built from it. `now` becomes the feed's
/// `<updated>` only when there are no entries; otherwise the newest entry's time is used.
///
/// Each entry carries the notice's title, `published` (= `created_at`), `updated`, a link to
/// the notice on the status page, a plain-text summary (the body) and an HTML content block with
/// state, impact, what still works, whether answers are kept and the alternative. The feed id
/// is a URN derived from the query, so the same selection always has the same id.
pub fn atom(notices: &[Notice], base_url: &str, query: &FeedQuery<'_>, now: Timestamp) -> String {
    let mut sorted: Vec<&Notice> = notices.iter().collect();
    // Newest change first; the id breaks ties so the output is deterministic.
    sorted.sort_by(|a, b| {
        last_change(b)
            .cmp(&last_change(a))
            .then_with(|| a.id.cmp(&b.id))
    });

    let entries: Vec<Entry> = sorted.iter().map(|n| atom_entry(n, base_url)).collect();
    // The feed changed when its newest entry did; an empty feed has no such time, so the caller's
    // clock stands in.
    let updated = sorted.first().map_or(now, |n| last_change(n));

    let mut id = String::from("urn:anlaufstelle:feed:notices");
    if let Some(leika) = query.leika {
        id.push_str(":leika:");
        id.push_str(&urn_component(leika));
    }
    if let Some(ars) = query.ars {
        id.push_str(":ars:");
        id.push_str(&urn_component(ars));
    }

    let qs = query.query_string();
    let feed = Feed {
        title: Text::plain(format!(
            "Anlaufstelle – Meldungen zu Online-Diensten{}",
            query.title_suffix()
        )),
        subtitle: Some(Text::plain(
            "Störungen, Wartungsarbeiten und Hinweise zu Online-Diensten der Verwaltung",
        )),
        id,
        updated: atom_time(updated),
        // Atom requires an author on the feed unless every entry has one.
        authors: vec![Person {
            name: "Anlaufstelle".to_owned(),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "Anlaufstelle".to_owned(),
            ..Generator::default()
        }),
        links: vec![
            Link {
                href: format!("{base_url}/feeds/notices.atom{qs}"),
                rel: "self".to_owned(),
                mime_type: Some("application/atom+xml".to_owned()),
                ..Link::default()
            },
            Link {
                href: format!("{base_url}/status{qs}"),
                rel: "alternate".to_owned(),
                mime_type: Some("text/html".to_owned()),
                ..Link::default()
            },
        ],
        lang: Some("de".to_owned()),
        entries,
        ..Feed::default()
    };
    feed.to_string()
}

/// One Atom entry for one notice.
fn atom_entry(notice: &Notice, base_url: &str) -> Entry {
    let published = parse_time(&notice.created_at).map(atom_time);
    Entry {
        id: format!("urn:anlaufstelle:notice:{}", notice.id),
        title: Text::plain(notice.content.title.clone()),
        updated: atom_time(last_change(notice)),
        published,
        links: vec![Link {
            href: format!("{base_url}/status#notice-{}", notice.id),
            rel: "alternate".to_owned(),
            mime_type: Some("text/html".to_owned()),
            ..Link::default()
        }],
        categories: vec![Category {
            term: kind_term(notice.kind).to_owned(),
            label: Some(kind_label(notice.kind).to_owned()),
            ..Category::default()
        }],
        summary: Some(Text {
            lang: Some(notice.lang.clone()),
            ..Text::plain(notice.content.body.clone())
        }),
        content: Some(Content {
            lang: Some(notice.lang.clone()),
            value: Some(entry_html(notice)),
            content_type: Some("html".to_owned()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// The HTML of an entry's content. Every piece of notice text is HTML-escaped here; the Atom
/// writer then XML-escapes the whole fragment once more, as `type="html"` requires.
fn entry_html(notice: &Notice) -> String {
    let c = &notice.content;
    let mut html = String::new();
    html.push_str(&format!(
        "<p><strong>{}</strong> – Status: {} – Auswirkung: {}</p>",
        escape(kind_label(notice.kind)),
        escape(state_label(notice.state)),
        escape(impact_label(notice.impact)),
    ));
    if !c.body.is_empty() {
        html.push_str(&format!("<p>{}</p>", escape(&c.body)));
    }
    if let Some(still) = &c.still_works {
        html.push_str(&format!(
            "<p>Was weiterhin funktioniert: {}</p>",
            escape(still)
        ));
    }
    if notice.kind != NoticeKind::Info {
        html.push_str(&format!(
            "<p>{}</p>",
            escape(answers_kept_sentence(c.answers_kept))
        ));
    }
    match (&c.alternative, &c.alternative_url) {
        (Some(text), Some(url)) => html.push_str(&format!(
            "<p>Alternative: {} (<a href=\"{}\">{}</a>)</p>",
            escape(text),
            escape(url),
            escape(url)
        )),
        (Some(text), None) => html.push_str(&format!("<p>Alternative: {}</p>", escape(text))),
        (None, Some(url)) => html.push_str(&format!(
            "<p>Alternative: <a href=\"{}\">{}</a></p>",
            escape(url),
            escape(url)
        )),
        (None, None) => {}
    }
    html
}

/// The Statuspage / Cachet term for a notice kind, used as Atom category.
fn kind_term(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Incident => "incident",
        NoticeKind::Maintenance => "maintenance",
        NoticeKind::Info => "info",
    }
}

/// iCalendar (RFC 5545) with one VEVENT per maintenance notice that has a start and an end.
///
/// The calendar carries PRODID, VERSION, CALSCALE, METHOD:PUBLISH and X-WR-CALNAME (naming the
/// query). Each event has UID `{id}@anlaufstelle` (stable, so clients update rather than
/// duplicate it), DTSTAMP and LAST-MODIFIED = `updated_at`, SUMMARY = title, DESCRIPTION = body
/// plus the alternative, and DTSTART/DTEND in UTC (`…Z`), which every client understands without
/// a VTIMEZONE block.
///
/// STATUS is CONFIRMED for scheduled, running and completed maintenance alike: a completed window
/// did take place, and CANCELLED would make clients strike it through or drop it as if it never
/// happened. Notices whose window cannot be read or does not end after it starts are left out,
/// because a single invalid VEVENT can make clients reject the whole calendar. Events are
/// TRANSP:TRANSPARENT so that subscribing does not block the subscriber's free/busy time.
pub fn maintenance_ics(notices: &[Notice], query: &FeedQuery<'_>) -> String {
    let mut windows: Vec<(&Notice, Timestamp, Timestamp)> = notices
        .iter()
        .filter(|n| n.kind == NoticeKind::Maintenance)
        .filter_map(|n| {
            let start = parse_time(n.starts_at.as_deref()?)?;
            let end = parse_time(n.ends_at.as_deref()?)?;
            (start < end).then_some((n, start, end))
        })
        .collect();
    windows.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)));

    let name = format!("Anlaufstelle – Wartungsarbeiten{}", query.title_suffix());
    // `Calendar::empty` instead of `new`, which would add the library's own PRODID.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("PRODID", "-//Anlaufstelle//Wartungsarbeiten//DE"))
        .append_property(("VERSION", "2.0"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&name)
        .append_property(("X-WR-TIMEZONE", "Europe/Berlin"));

    for (notice, start, end) in windows {
        calendar.push(maintenance_event(notice, start, end));
    }
    calendar.to_string()
}

/// One VEVENT for one maintenance window.
fn maintenance_event(notice: &Notice, start: Timestamp, end: Timestamp) -> Event {
    let c = &notice.content;
    let mut description = c.body.clone();
    if let Some(alternative) = &c.alternative {
        push_paragraph(&mut description, &format!("Alternative: {alternative}"));
    }
    if let Some(url) = &c.alternative_url {
        push_paragraph(&mut description, url);
    }
    // RFC 5545 text escapes LF only; a CR would end the content line early.
    let description = description.replace("\r\n", "\n").replace('\r', "\n");

    let mut event = Event::new();
    event
        .uid(&format!("{}@anlaufstelle", notice.id))
        .summary(&c.title.replace(['\r', '\n'], " "))
        .add_property("DTSTART", ical_utc(start))
        .add_property("DTEND", ical_utc(end))
        .add_property("TRANSP", "TRANSPARENT")
        .status(EventStatus::Confirmed);
    // DTSTAMP is required; without it the library would stamp the current time, which changes on
    // every request and makes clients think the event changed.
    let stamp = last_change(notice);
    event
        .add_property("DTSTAMP", ical_utc(stamp))
        .add_property("LAST-MODIFIED", ical_utc(stamp));
    if let Some(created) = parse_time(&notice.created_at) {
        event.add_property("CREATED", ical_utc(created));
    }
    if !description.is_empty() {
        event.description(&description);
    }
    event.done()
}

/// Appends `text` to `out` as a new paragraph (blank line between).
fn push_paragraph(out: &mut String, text: &str) {
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(text);
}

/// A UTC date-time in the iCalendar basic format, `20261130T210000Z`.
fn ical_utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The notices in the shape of the Statuspage public API v2 `summary.json`, so that existing
/// status tooling can read them.
///
/// `page` names this page (time zone Europe/Berlin, `updated_at` = newest notice change, else
/// `now`); `components` is empty; `incidents` holds unresolved incidents, most severe first;
/// `scheduled_maintenances` holds upcoming and running maintenance by start. Each object has
/// Statuspage's fields (id, name, status, impact, created_at, updated_at, started_at, shortlink,
/// page_id, incident_updates with id/status/body/created_at/updated_at/display_at; maintenance
/// also scheduled_for/scheduled_until). `status.indicator` is the highest impact among
/// unresolved incidents, `maintenance` when none outranks running maintenance (as Statuspage
/// does), else `none`.
///
/// Choices: info notices have no Statuspage counterpart and are left out. Scheduled maintenance
/// whose window has already ended is neither upcoming nor running and is left out; in-progress
/// maintenance stays even past its planned end (it is overrunning). The shortlink points at the
/// notice's anchor on the status page, `…/status#notice-<id>`. Times are passed through as the
/// notices carry them (RFC 3339 with offset).
pub fn statuspage_summary(notices: &[Notice], base_url: &str, now: Timestamp) -> Value {
    const PAGE_ID: &str = "anlaufstelle";

    let mut incidents: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.kind == NoticeKind::Incident && n.state != NoticeState::Resolved)
        .collect();
    // Most severe first, then the most recently changed, as a status reader would want them.
    incidents.sort_by(|a, b| {
        b.impact
            .cmp(&a.impact)
            .then_with(|| last_change(b).cmp(&last_change(a)))
            .then_with(|| a.id.cmp(&b.id))
    });

    let mut maintenances: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.kind == NoticeKind::Maintenance)
        .filter(|n| match n.state {
            NoticeState::InProgress => true,
            NoticeState::Scheduled => n
                .ends_at
                .as_deref()
                .and_then(parse_time)
                .is_none_or(|end| end > now),
            _ => false,
        })
        .collect();
    maintenances.sort_by(|a, b| {
        let start = |n: &Notice| n.starts_at.as_deref().and_then(parse_time);
        start(a).cmp(&start(b)).then_with(|| a.id.cmp(&b.id))
    });

    let worst = incidents
        .iter()
        .map(|n| n.impact)
        .max()
        .unwrap_or(Impact::None);
    let (indicator, description) = match worst {
        Impact::Critical => ("critical", "Major Service Outage"),
        Impact::Major => ("major", "Partial System Outage"),
        Impact::Minor => ("minor", "Minor Service Outage"),
        // Statuspage reports maintenance only when no incident outranks it.
        Impact::None if maintenances.iter().any(|n| maintenance_running(n, now)) => {
            ("maintenance", "Service Under Maintenance")
        }
        Impact::None => ("none", "All Systems Operational"),
    };

    let page_updated = notices
        .iter()
        .map(last_change)
        .max()
        .unwrap_or(now)
        .to_string();

    let incident_json = |n: &Notice| {
        let mut obj = statuspage_object(n, base_url, PAGE_ID);
        let monitoring_at = n
            .updates
            .iter()
            .rev()
            .find(|u| u.state == NoticeState::Monitoring)
            .map(|u| u.at.clone());
        obj["monitoring_at"] = json!(monitoring_at);
        obj["resolved_at"] = Value::Null;
        obj
    };
    let maintenance_json = |n: &Notice| {
        let mut obj = statuspage_object(n, base_url, PAGE_ID);
        obj["scheduled_for"] = json!(n.starts_at);
        obj["scheduled_until"] = json!(n.ends_at);
        obj
    };

    json!({
        "page": {
            "id": PAGE_ID,
            "name": "Anlaufstelle – Status der Online-Dienste",
            "url": format!("{base_url}/status"),
            "time_zone": "Europe/Berlin",
            "updated_at": page_updated,
        },
        "status": { "indicator": indicator, "description": description },
        "components": [],
        "incidents": incidents.iter().map(|n| incident_json(n)).collect::<Vec<_>>(),
        "scheduled_maintenances": maintenances.iter().map(|n| maintenance_json(n)).collect::<Vec<_>>(),
    })
}

/// Fields shared by Statuspage incidents and scheduled maintenances.
fn statuspage_object(notice: &Notice, base_url: &str, page_id: &str) -> Value {
    let count = notice.updates.len();
    let updates: Vec<Value> = notice
        .updates
        .iter()
        .enumerate()
        .map(|(i, u)| {
            // Updates are newest first, so counting from the oldest keeps an update's id stable
            // when newer ones are added in front.
            json!({
                "id": format!("{}-{}", notice.id, count - i),
                "incident_id": notice.id,
                "status": state_term(u.state),
                "body": u.message,
                "created_at": u.at,
                "updated_at": u.at,
                "display_at": u.at,
                "affected_components": [],
            })
        })
        .collect();
    json!({
        "id": notice.id,
        "name": notice.content.title,
        "status": state_term(notice.state),
        "impact": impact_term(notice.impact),
        "created_at": notice.created_at,
        "updated_at": notice.updated_at,
        "started_at": notice.starts_at.as_deref().unwrap_or(&notice.created_at),
        "shortlink": format!("{base_url}/status#notice-{}", notice.id),
        "page_id": page_id,
        "components": [],
        "incident_updates": updates,
    })
}

/// The Statuspage spelling of a state (identical to ours by design).
fn state_term(state: NoticeState) -> &'static str {
    match state {
        NoticeState::Investigating => "investigating",
        NoticeState::Identified => "identified",
        NoticeState::Monitoring => "monitoring",
        NoticeState::Resolved => "resolved",
        NoticeState::Scheduled => "scheduled",
        NoticeState::InProgress => "in_progress",
        NoticeState::Completed => "completed",
        // Statuspage has no "active"; an active info notice is, in its terms, still open.
        NoticeState::Active => "investigating",
    }
}

/// The Statuspage spelling of an impact.
fn impact_term(impact: Impact) -> &'static str {
    match impact {
        Impact::None => "none",
        Impact::Minor => "minor",
        Impact::Major => "major",
        Impact::Critical => "critical",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::{AnswersKept, NoticeContent, NoticeUpdate};

    const BASE: &str = "http://127.0.0.1:8080";

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

    fn maintenance(id: &str, state: NoticeState, start: &str, end: &str) -> Notice {
        Notice {
            starts_at: Some(start.to_owned()),
            ends_at: Some(end.to_owned()),
            ..notice(id, NoticeKind::Maintenance, state, Impact::Major)
        }
    }

    fn parse_feed(xml: &str) -> Feed {
        xml.parse::<Feed>().expect("the Atom output parses")
    }

    fn parse_ics(ics: &str) -> Calendar {
        ics.parse::<Calendar>()
            .expect("the iCalendar output parses")
    }

    #[test]
    fn an_empty_atom_feed_is_valid_and_dated_now() {
        let now = ts("2026-12-01T08:00:00Z");
        let feed = parse_feed(&atom(&[], BASE, &FeedQuery::default(), now));
        assert!(feed.entries().is_empty());
        assert_eq!(feed.updated().to_rfc3339(), "2026-12-01T08:00:00+00:00");
        assert_eq!(feed.id(), "urn:anlaufstelle:feed:notices");
        assert!(!feed.authors().is_empty(), "Atom requires a feed author");
    }

    #[test]
    fn atom_entries_are_sorted_newest_update_first_with_stable_ids() {
        let mut old = notice(
            "alt",
            NoticeKind::Incident,
            NoticeState::Resolved,
            Impact::Minor,
        );
        old.updated_at = "2026-11-01T09:00:00+01:00".to_owned();
        let mut new = notice("neu", NoticeKind::Info, NoticeState::Active, Impact::None);
        new.updated_at = "2026-11-25T09:00:00+01:00".to_owned();
        let mut mid = maintenance(
            "wart",
            NoticeState::Scheduled,
            "2026-11-30T22:00:00+01:00",
            "2026-12-01T02:00:00+01:00",
        );
        mid.updated_at = "2026-11-10T09:00:00+01:00".to_owned();

        let xml = atom(
            &[old, new, mid],
            BASE,
            &FeedQuery::default(),
            ts("2026-12-01T00:00:00Z"),
        );
        let feed = parse_feed(&xml);
        let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
        assert_eq!(
            ids,
            [
                "urn:anlaufstelle:notice:neu",
                "urn:anlaufstelle:notice:wart",
                "urn:anlaufstelle:notice:alt"
            ]
        );
        assert_eq!(feed.entries()[0].title().as_str(), "Titel neu");
        assert_eq!(
            feed.updated().to_rfc3339(),
            "2026-11-25T08:00:00+00:00",
            "the feed is as new as its newest entry"
        );
        let entry = &feed.entries()[2];
        assert_eq!(
            entry.published().map(|p| p.to_rfc3339()),
            Some("2026-11-20T09:00:00+00:00".to_owned())
        );
        assert_eq!(entry.links()[0].href(), format!("{BASE}/status#notice-alt"));
    }

    #[test]
    fn atom_titles_with_markup_are_escaped_and_read_back_verbatim() {
        let mut n = notice(
            "x",
            NoticeKind::Incident,
            NoticeState::Investigating,
            Impact::Major,
        );
        n.content.title = "<script>alert(1)</script> & Co".to_owned();
        n.content.alternative = Some("Formular <b>Papier</b>".to_owned());
        let xml = atom(
            &[n],
            BASE,
            &FeedQuery::default(),
            ts("2026-12-01T00:00:00Z"),
        );
        assert!(!xml.contains("<script>"), "raw markup leaked: {xml}");
        let feed = parse_feed(&xml);
        let entry = &feed.entries()[0];
        assert_eq!(entry.title().as_str(), "<script>alert(1)</script> & Co");
        let content = entry
            .content()
            .and_then(|c| c.value())
            .expect("content present");
        assert!(
            content.contains("Formular &lt;b&gt;Papier&lt;/b&gt;"),
            "{content}"
        );
        assert!(content.contains("Auswirkung: erheblich"), "{content}");
        assert!(content.contains("Wird untersucht"), "{content}");
    }

    #[test]
    fn atom_feed_id_and_self_link_echo_the_query() {
        let query = FeedQuery {
            leika: Some("99123456789012"),
            ars: Some("04 & mehr"),
        };
        let feed = parse_feed(&atom(&[], BASE, &query, ts("2026-12-01T00:00:00Z")));
        assert_eq!(
            feed.id(),
            "urn:anlaufstelle:feed:notices:leika:99123456789012:ars:04%20%26%20mehr"
        );
        let self_link = feed
            .links()
            .iter()
            .find(|l| l.rel() == "self")
            .expect("self link present");
        assert_eq!(
            self_link.href(),
            format!("{BASE}/feeds/notices.atom?leika=99123456789012&ars=04%20%26%20mehr")
        );
        assert!(feed.title().as_str().contains("Leistung 99123456789012"));
    }

    #[test]
    fn ics_holds_one_event_per_maintenance_window_in_utc() {
        let notices = [
            maintenance(
                "w1",
                NoticeState::Scheduled,
                "2026-11-30T22:00:00+01:00",
                "2026-12-01T02:00:00+01:00",
            ),
            notice(
                "s1",
                NoticeKind::Incident,
                NoticeState::Investigating,
                Impact::Major,
            ),
            notice("i1", NoticeKind::Info, NoticeState::Active, Impact::None),
        ];
        let ics = maintenance_ics(&notices, &FeedQuery::default());
        let calendar = parse_ics(&ics);
        let events: Vec<&Event> = calendar.events().collect();
        assert_eq!(events.len(), 1, "only maintenance appears: {ics}");
        let event = events[0];
        assert_eq!(event.get_uid(), Some("w1@anlaufstelle"));
        assert_eq!(event.property_value("DTSTART"), Some("20261130T210000Z"));
        assert_eq!(event.property_value("DTEND"), Some("20261201T010000Z"));
        assert_eq!(event.property_value("DTSTAMP"), Some("20261120T090000Z"));
        assert_eq!(event.get_status(), Some(EventStatus::Confirmed));
        assert_eq!(event.get_summary(), Some("Titel w1"));
        assert!(!ics.contains("s1@anlaufstelle"));
    }

    #[test]
    fn ics_carries_the_calendar_headers() {
        let ics = maintenance_ics(
            &[],
            &FeedQuery {
                leika: None,
                ars: Some("04"),
            },
        );
        let calendar = parse_ics(&ics);
        assert_eq!(calendar.events().count(), 0);
        assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
        assert_eq!(calendar.property_value("METHOD"), Some("PUBLISH"));
        assert_eq!(
            calendar.property_value("PRODID"),
            Some("-//Anlaufstelle//Wartungsarbeiten//DE")
        );
        assert_eq!(
            calendar.property_value("X-WR-CALNAME"),
            Some("Anlaufstelle – Wartungsarbeiten (Region 04)")
        );
        assert!(ics.contains("\r\n"), "RFC 5545 lines end in CRLF");
    }

    #[test]
    fn ics_keeps_completed_maintenance_confirmed_and_skips_windows_it_cannot_use() {
        let done = maintenance(
            "done",
            NoticeState::Completed,
            "2026-11-01T22:00:00+01:00",
            "2026-11-02T01:00:00+01:00",
        );
        let backwards = maintenance(
            "backwards",
            NoticeState::Scheduled,
            "2026-11-02T01:00:00+01:00",
            "2026-11-01T22:00:00+01:00",
        );
        let mut open_end = maintenance(
            "open",
            NoticeState::Scheduled,
            "2026-11-02T01:00:00+01:00",
            "x",
        );
        open_end.ends_at = None;
        let calendar = parse_ics(&maintenance_ics(
            &[done, backwards, open_end],
            &FeedQuery::default(),
        ));
        let uids: Vec<&str> = calendar.events().filter_map(|e| e.get_uid()).collect();
        assert_eq!(uids, ["done@anlaufstelle"]);
        let event = calendar.events().next().expect("one event");
        assert_eq!(event.get_status(), Some(EventStatus::Confirmed));
    }

    #[test]
    fn ics_description_joins_body_and_alternative_and_survives_special_characters() {
        let mut n = maintenance(
            "w",
            NoticeState::Scheduled,
            "2026-11-30T22:00:00+01:00",
            "2026-12-01T02:00:00+01:00",
        );
        n.content.title = "Wartung; Teil 1, <script>".to_owned();
        n.content.body = "Zeile eins\nZeile zwei".to_owned();
        n.content.alternative = Some("Rufen Sie die 115 an.".to_owned());
        let calendar = parse_ics(&maintenance_ics(&[n], &FeedQuery::default()));
        let event = calendar.events().next().expect("one event");
        assert_eq!(event.get_summary(), Some("Wartung; Teil 1, <script>"));
        assert_eq!(
            event.get_description(),
            Some("Zeile eins\nZeile zwei\n\nAlternative: Rufen Sie die 115 an.")
        );
    }

    #[test]
    fn summary_without_notices_reports_all_systems_operational() {
        let now = ts("2026-12-01T00:00:00Z");
        let summary = statuspage_summary(&[], BASE, now);
        assert_eq!(summary["status"]["indicator"], "none");
        assert_eq!(summary["status"]["description"], "All Systems Operational");
        assert_eq!(summary["page"]["time_zone"], "Europe/Berlin");
        assert_eq!(summary["page"]["updated_at"], now.to_string());
        assert_eq!(summary["incidents"], json!([]));
        assert_eq!(summary["scheduled_maintenances"], json!([]));
        assert_eq!(summary["components"], json!([]));
    }

    #[test]
    fn summary_indicator_is_the_worst_unresolved_incident_impact() {
        let notices = [
            notice(
                "a",
                NoticeKind::Incident,
                NoticeState::Identified,
                Impact::Minor,
            ),
            notice(
                "b",
                NoticeKind::Incident,
                NoticeState::Resolved,
                Impact::Critical,
            ),
            notice(
                "c",
                NoticeKind::Incident,
                NoticeState::Monitoring,
                Impact::Major,
            ),
            notice("d", NoticeKind::Info, NoticeState::Active, Impact::Critical),
        ];
        let summary = statuspage_summary(&notices, BASE, ts("2026-12-01T00:00:00Z"));
        assert_eq!(summary["status"]["indicator"], "major");
        assert_eq!(summary["status"]["description"], "Partial System Outage");
        let ids: Vec<&str> = summary["incidents"]
            .as_array()
            .expect("incidents is an array")
            .iter()
            .filter_map(|i| i["id"].as_str())
            .collect();
        assert_eq!(
            ids,
            ["c", "a"],
            "resolved incidents and info notices are left out"
        );
    }

    #[test]
    fn summary_reports_maintenance_only_when_no_incident_outranks_it() {
        let now = ts("2026-11-30T22:00:00Z");
        let running = maintenance(
            "w",
            NoticeState::Scheduled,
            "2026-11-30T22:00:00+01:00",
            "2026-12-01T02:00:00+01:00",
        );
        let summary = statuspage_summary(std::slice::from_ref(&running), BASE, now);
        assert_eq!(summary["status"]["indicator"], "maintenance");
        assert_eq!(
            summary["status"]["description"],
            "Service Under Maintenance"
        );

        let incident = notice(
            "s",
            NoticeKind::Incident,
            NoticeState::Investigating,
            Impact::Critical,
        );
        let summary = statuspage_summary(&[running, incident], BASE, now);
        assert_eq!(summary["status"]["indicator"], "critical");
        assert_eq!(summary["status"]["description"], "Major Service Outage");
    }

    #[test]
    fn summary_lists_upcoming_maintenance_without_changing_the_indicator() {
        let now = ts("2026-11-01T00:00:00Z");
        let upcoming = maintenance(
            "w",
            NoticeState::Scheduled,
            "2026-11-30T22:00:00+01:00",
            "2026-12-01T02:00:00+01:00",
        );
        let over = maintenance(
            "old",
            NoticeState::Scheduled,
            "2026-10-01T22:00:00+02:00",
            "2026-10-02T02:00:00+02:00",
        );
        let summary = statuspage_summary(&[upcoming, over], BASE, now);
        assert_eq!(summary["status"]["indicator"], "none");
        let list = summary["scheduled_maintenances"]
            .as_array()
            .expect("scheduled_maintenances is an array");
        assert_eq!(list.len(), 1, "a window that has passed is not upcoming");
        let m = &list[0];
        assert_eq!(m["id"], "w");
        assert_eq!(m["status"], "scheduled");
        assert_eq!(m["impact"], "major");
        assert_eq!(m["scheduled_for"], "2026-11-30T22:00:00+01:00");
        assert_eq!(m["scheduled_until"], "2026-12-01T02:00:00+01:00");
        assert_eq!(m["shortlink"], format!("{BASE}/status#notice-w"));
        assert_eq!(m["page_id"], "anlaufstelle");
    }

    #[test]
    fn summary_incident_updates_keep_order_and_stable_ids() {
        let mut n = notice(
            "s",
            NoticeKind::Incident,
            NoticeState::Monitoring,
            Impact::Minor,
        );
        n.updates = vec![
            NoticeUpdate {
                at: "2026-11-20T12:00:00+01:00".to_owned(),
                state: NoticeState::Monitoring,
                message: "Behoben, wir beobachten.".to_owned(),
            },
            NoticeUpdate {
                at: "2026-11-20T10:00:00+01:00".to_owned(),
                state: NoticeState::Investigating,
                message: "Wir prüfen.".to_owned(),
            },
        ];
        let summary = statuspage_summary(&[n], BASE, ts("2026-11-21T00:00:00Z"));
        let incident = &summary["incidents"][0];
        assert_eq!(incident["monitoring_at"], "2026-11-20T12:00:00+01:00");
        let updates = incident["incident_updates"]
            .as_array()
            .expect("incident_updates is an array");
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[0]["id"], "s-2");
        assert_eq!(updates[0]["status"], "monitoring");
        assert_eq!(updates[0]["body"], "Behoben, wir beobachten.");
        assert_eq!(updates[1]["id"], "s-1");
        assert_eq!(updates[1]["display_at"], "2026-11-20T10:00:00+01:00");
    }
}
