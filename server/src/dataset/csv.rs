//! CSV variants of the exchange format, for data Redaktionen keep in spreadsheets.
//! Semicolon-separated (what German spreadsheet programs write), UTF-8, one header row.
//!
//! - **regions** — in the style of the Destatis Gemeindeverzeichnis: `satzart;ars;name;in_115`
//!   with the GV record types 10 Land, 20 Regierungsbezirk, 40 Kreis, 50 Gemeindeverband,
//!   60 Gemeinde (and 00 for the Bund); `in_115` is `ja`, `nein` or empty (inherit).
//! - **postcodes** — `plz;ars`, one row per pair.
//! - **contacts** — one row per contact. Lists inside a cell are separated by ` | `; a channel
//!   value may carry a label in square brackets (`115 [Behördennummer]`); hours are
//!   `mon 08:00-18:00 | tue 08:00-18:00`; exceptions `2026-12-24 closed (Heiligabend) |
//!   2026-12-31 09:00-12:00`.
//!
//! CSV carries everything JSON does except the order of channels across kinds (CSV groups
//! them by kind): a CSV export imported again exports to the same CSV.
//!
//! Spreadsheet programs run a cell that begins with `=`, `+`, `-` or `@` as a formula. Import
//! validation refuses such free text, so valid data never needs more; but data stored by an
//! older version may hold it, so the export puts a `'` before any such cell (OWASP's advice)
//! and the spreadsheet shows it as text. Only cells vouched for by a narrower rule keep their
//! first character: checked phone numbers (`+49 421 361-0`) and contact ids (`-a1` is no call).
//! An import keeps the `'` (it is harmless text), so the next export is the same again.

use super::{
    ContactRecord, Dataset, DatasetError, PostcodeRecord, RegionRecord, is_contact_id,
    is_phone_number, looks_like_formula,
};
use crate::db::enum_name;
use crate::hours::{DatedHours, TimeRange};
use std::borrow::Cow;
use wire::{Address, Channel, ChannelKind, RegionLevel, SupportLevel, WeeklyHours};

/// Which CSV table a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Regions, Gemeindeverzeichnis style.
    Regions,
    /// PLZ ↔ ARS pairs.
    Postcodes,
    /// Contact points.
    Contacts,
}

const REGION_HEADER: [&str; 4] = ["satzart", "ars", "name", "in_115"];
const POSTCODE_HEADER: [&str; 2] = ["plz", "ars"];
const CONTACT_HEADER: [&str; 20] = [
    "id",
    "name",
    "level",
    "region",
    "services",
    "is_115",
    "phone",
    "mobile",
    "fax",
    "email",
    "web",
    "contact_form",
    "hours",
    "exceptions",
    "closes_on_holidays",
    "languages",
    "mailbox",
    "street",
    "postcode",
    "city",
];
const CHANNEL_COLUMNS: [(ChannelKind, usize); 6] = [
    (ChannelKind::Phone, 6),
    (ChannelKind::Mobile, 7),
    (ChannelKind::Fax, 8),
    (ChannelKind::Email, 9),
    (ChannelKind::Web, 10),
    (ChannelKind::ContactForm, 11),
];
const LIST_SEPARATOR: &str = " | ";

/// Recognises the table by its header row.
pub fn detect(text: &str) -> Option<Table> {
    let header = text.trim_start_matches('\u{feff}').lines().next()?;
    let first = header.split(';').next()?.trim();
    match first {
        "satzart" => Some(Table::Regions),
        "plz" => Some(Table::Postcodes),
        "id" => Some(Table::Contacts),
        _ => None,
    }
}

/// Parses a CSV file into a (partial) data set; `file` names it in error places.
pub fn read(text: &str, file: &str) -> Result<Dataset, Vec<DatasetError>> {
    let table = detect(text).ok_or_else(|| {
        vec![DatasetError::new(
            format!("{file} line 1"),
            "unknown header: the first column must be `satzart` (regions), `plz` (postcodes) or `id` (contacts)",
        )]
    })?;
    let expected: &[&str] = match table {
        Table::Regions => &REGION_HEADER,
        Table::Postcodes => &POSTCODE_HEADER,
        Table::Contacts => &CONTACT_HEADER,
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| vec![DatasetError::new(format!("{file} line 1"), e.to_string())])?
        .iter()
        .map(str::to_string)
        .collect();
    if header != expected {
        return Err(vec![DatasetError::new(
            format!("{file} line 1"),
            format!("expected the columns {}", expected.join(";")),
        )]);
    }

    let mut data = Dataset::default();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(DatasetError::new(
                    format!("{file} line {line}"),
                    e.to_string(),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or_default().trim();
        let mut fail = |column: &str, reason: String| {
            problems.push(DatasetError::new(
                format!("{file} line {line}, column {column}"),
                reason,
            ));
        };
        match table {
            Table::Regions => {
                let level = match cell(0) {
                    "00" => Some(RegionLevel::Bund),
                    "10" => Some(RegionLevel::Land),
                    "20" => Some(RegionLevel::Regierungsbezirk),
                    "40" => Some(RegionLevel::Kreis),
                    "50" => Some(RegionLevel::Gemeindeverband),
                    "60" => Some(RegionLevel::Gemeinde),
                    other => {
                        fail(
                            "satzart",
                            format!("`{other}` is not a record type (00, 10, 20, 40, 50, 60)"),
                        );
                        None
                    }
                };
                let in_115 = match cell(3) {
                    "" => Some(None),
                    "ja" => Some(Some(true)),
                    "nein" => Some(Some(false)),
                    other => {
                        fail(
                            "in_115",
                            format!("`{other}` must be `ja`, `nein` or empty (inherit)"),
                        );
                        None
                    }
                };
                if let (Some(level), Some(in_115)) = (level, in_115) {
                    data.regions.push(RegionRecord {
                        ars: cell(1).to_string(),
                        name: cell(2).to_string(),
                        level,
                        in_115,
                    });
                }
            }
            Table::Postcodes => data.postcodes.push(PostcodeRecord {
                plz: cell(0).to_string(),
                ars: cell(1).to_string(),
            }),
            Table::Contacts => match contact_from_row(&cell) {
                Ok(contact) => data.contacts.push(contact),
                Err((column, reason)) => fail(column, reason),
            },
        }
    }
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(problems)
    }
}

fn contact_from_row<'a>(
    cell: &impl Fn(usize) -> &'a str,
) -> Result<ContactRecord, (&'static str, String)> {
    let level: SupportLevel = serde_json::from_value(serde_json::Value::String(cell(2).into()))
        .map_err(|_| {
            (
                "level",
                format!(
                    "`{}` must be first, second_fachlich, second_technisch or third",
                    cell(2)
                ),
            )
        })?;
    let mut channels = Vec::new();
    for (kind, column) in CHANNEL_COLUMNS {
        for item in list(cell(column)) {
            let (value, label) = match item.strip_suffix(']').and_then(|s| s.rsplit_once(" [")) {
                Some((value, label)) => (value.to_string(), Some(label.to_string())),
                None => (item.to_string(), None),
            };
            channels.push(Channel { kind, value, label });
        }
    }
    let mut hours = Vec::new();
    for item in list(cell(12)) {
        let (day, range) = item.split_once(' ').ok_or((
            "hours",
            format!("`{item}` must look like `mon 08:00-18:00`"),
        ))?;
        let day = serde_json::from_value(serde_json::Value::String(day.into())).map_err(|_| {
            (
                "hours",
                format!("`{day}` is not a weekday (mon, tue, wed, thu, fri, sat, sun)"),
            )
        })?;
        let (opens, closes) =
            split_range(range).ok_or(("hours", format!("`{range}` must look like 08:00-18:00")))?;
        hours.push(WeeklyHours { day, opens, closes });
    }
    let mut exceptions = Vec::new();
    for item in list(cell(13)) {
        let (rest, note) = match item.strip_suffix(')').and_then(|s| s.split_once(" (")) {
            Some((rest, note)) => (rest, Some(note.to_string())),
            None => (item, None),
        };
        let (date, spec) = rest.split_once(' ').ok_or((
            "exceptions",
            format!("`{item}` must look like `2026-12-24 closed` or `2026-12-31 09:00-12:00`"),
        ))?;
        let date = date
            .parse()
            .map_err(|_| ("exceptions", format!("`{date}` is not a date (YYYY-MM-DD)")))?;
        let ranges = if spec == "closed" {
            Vec::new()
        } else {
            spec.split(',')
                .map(|r| {
                    split_range(r.trim())
                        .map(|(opens, closes)| TimeRange { opens, closes })
                        .ok_or(("exceptions", format!("`{r}` must look like 09:00-12:00")))
                })
                .collect::<Result<_, _>>()?
        };
        exceptions.push(DatedHours { date, ranges, note });
    }
    let flag = |column: usize, name: &'static str| match cell(column) {
        "ja" => Ok(true),
        "nein" => Ok(false),
        other => Err((name, format!("`{other}` must be `ja` or `nein`"))),
    };
    let optional = |column: usize| Some(cell(column).to_string()).filter(|s| !s.is_empty());
    let address = match (optional(17), optional(18), optional(19)) {
        (None, None, None) => None,
        (street, postcode, city) => Some(Address {
            street: street.unwrap_or_default(),
            postcode: postcode.unwrap_or_default(),
            city: city.unwrap_or_default(),
        }),
    };
    Ok(ContactRecord {
        id: cell(0).to_string(),
        name: cell(1).to_string(),
        level,
        region: cell(3).to_string(),
        services: cell(4).split_whitespace().map(str::to_string).collect(),
        is_115: flag(5, "is_115")?,
        channels,
        hours,
        exceptions,
        closes_on_holidays: flag(14, "closes_on_holidays")?,
        languages: cell(15).split_whitespace().map(str::to_string).collect(),
        mailbox: optional(16),
        address,
    })
}

fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(LIST_SEPARATOR.trim())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn split_range(range: &str) -> Option<(String, String)> {
    let (opens, closes) = range.split_once('-')?;
    Some((opens.trim().to_string(), closes.trim().to_string()))
}

/// Rewrites the JSON-path places of validation problems (`postcodes[1].ars`) into CSV places
/// (`plz.csv line 3, column ars`): record `i` sits on line `i + 2`, after the header.
pub fn relocate(problems: Vec<DatasetError>, file: &str) -> Vec<DatasetError> {
    problems
        .into_iter()
        .map(|p| {
            let located = ["regions[", "postcodes[", "contacts["]
                .iter()
                .find_map(|prefix| p.place.strip_prefix(prefix))
                .and_then(|rest| rest.split_once("]."))
                .and_then(|(index, field)| Some((index.parse::<usize>().ok()?, field)));
            match located {
                Some((index, field)) => DatasetError::new(
                    format!("{file} line {}, column {}", index + 2, column_of(field)),
                    p.reason,
                ),
                None => p,
            }
        })
        .collect()
}

/// The CSV column that holds a contact's JSON field: `address.street` is in `street`,
/// `exceptions[0].note` in `exceptions`. Channels keep their JSON path (`channels[1].label`),
/// since which column a channel sits in depends on its kind.
fn column_of(field: &str) -> &str {
    let field = field.strip_prefix("address.").unwrap_or(field);
    match field.split_once('[') {
        Some((list @ ("hours" | "exceptions" | "services" | "languages"), _)) => list,
        _ => field,
    }
}

/// Writes one table of `data` as CSV.
pub fn write(data: &Dataset, table: Table) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let result = match table {
        Table::Regions => write_regions(&mut writer, data),
        Table::Postcodes => write_postcodes(&mut writer, data),
        Table::Contacts => write_contacts(&mut writer, data),
    };
    result.expect("writing CSV to memory cannot fail");
    let bytes = writer
        .into_inner()
        .expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

type Writer = ::csv::Writer<Vec<u8>>;

/// Writes one row, each cell as text a spreadsheet program will not run (see the module docs).
fn write_row<const N: usize>(
    w: &mut Writer,
    header: [&str; N],
    row: [&str; N],
) -> ::csv::Result<()> {
    let cells: Vec<Cow<'_, str>> = header
        .iter()
        .zip(row)
        .map(|(column, cell)| as_text(column, cell))
        .collect();
    w.write_record(cells.iter().map(|cell| cell.as_bytes()))
}

/// `cell` as text: with a leading `'` if a spreadsheet would take it for a formula, unless
/// the column's own rule vouches for it.
fn as_text<'a>(column: &str, cell: &'a str) -> Cow<'a, str> {
    let vouched = match column {
        // A checked phone number comes first; its label follows after ` [`.
        "phone" | "mobile" | "fax" => {
            let first = cell.split(LIST_SEPARATOR).next().unwrap_or_default();
            is_phone_number(first.split_once(" [").map_or(first, |(number, _)| number))
        }
        "id" => is_contact_id(cell),
        _ => false,
    };
    if vouched || !looks_like_formula(cell) {
        Cow::Borrowed(cell)
    } else {
        Cow::Owned(format!("'{cell}"))
    }
}

fn write_regions(w: &mut Writer, data: &Dataset) -> ::csv::Result<()> {
    w.write_record(REGION_HEADER)?;
    for r in &data.regions {
        let satzart = match r.level {
            RegionLevel::Bund => "00",
            RegionLevel::Land => "10",
            RegionLevel::Regierungsbezirk => "20",
            RegionLevel::Kreis => "40",
            RegionLevel::Gemeindeverband => "50",
            RegionLevel::Gemeinde => "60",
        };
        let in_115 = match r.in_115 {
            None => "",
            Some(true) => "ja",
            Some(false) => "nein",
        };
        write_row(w, REGION_HEADER, [satzart, &r.ars, &r.name, in_115])?;
    }
    Ok(())
}

fn write_postcodes(w: &mut Writer, data: &Dataset) -> ::csv::Result<()> {
    w.write_record(POSTCODE_HEADER)?;
    for p in &data.postcodes {
        write_row(w, POSTCODE_HEADER, [&p.plz, &p.ars])?;
    }
    Ok(())
}

fn write_contacts(w: &mut Writer, data: &Dataset) -> ::csv::Result<()> {
    w.write_record(CONTACT_HEADER)?;
    let yes_no = |b: bool| if b { "ja" } else { "nein" };
    for c in &data.contacts {
        let channels = |kind: ChannelKind| {
            c.channels
                .iter()
                .filter(|ch| ch.kind == kind)
                .map(|ch| match &ch.label {
                    Some(label) => format!("{} [{label}]", ch.value),
                    None => ch.value.clone(),
                })
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR)
        };
        let hours = c
            .hours
            .iter()
            .map(|h| format!("{} {}-{}", enum_name(&h.day), h.opens, h.closes))
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR);
        let exceptions = c
            .exceptions
            .iter()
            .map(|e| {
                let spec = if e.ranges.is_empty() {
                    "closed".to_string()
                } else {
                    e.ranges
                        .iter()
                        .map(|r| format!("{}-{}", r.opens, r.closes))
                        .collect::<Vec<_>>()
                        .join(",")
                };
                match &e.note {
                    Some(note) => format!("{} {spec} ({note})", e.date),
                    None => format!("{} {spec}", e.date),
                }
            })
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR);
        let address = c.address.clone().unwrap_or(Address {
            street: String::new(),
            postcode: String::new(),
            city: String::new(),
        });
        write_row(
            w,
            CONTACT_HEADER,
            [
                c.id.as_str(),
                &c.name,
                &enum_name(&c.level),
                &c.region,
                &c.services.join(" "),
                yes_no(c.is_115),
                &channels(ChannelKind::Phone),
                &channels(ChannelKind::Mobile),
                &channels(ChannelKind::Fax),
                &channels(ChannelKind::Email),
                &channels(ChannelKind::Web),
                &channels(ChannelKind::ContactForm),
                &hours,
                &exceptions,
                yes_no(c.closes_on_holidays),
                &c.languages.join(" "),
                c.mailbox.as_deref().unwrap_or_default(),
                &address.street,
                &address.postcode,
                &address.city,
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{SAMPLE_JSON, looks_like_formula};

    fn sample() -> Dataset {
        let mut data = Dataset::from_json(SAMPLE_JSON).expect("sample parses");
        data.normalise();
        data
    }

    #[test]
    fn every_table_round_trips_through_csv() {
        let data = sample();
        for table in [Table::Regions, Table::Postcodes, Table::Contacts] {
            let csv = write(&data, table);
            assert_eq!(detect(&csv), Some(table));
            let back = read(&csv, "x.csv").expect("own export reads back");
            assert_eq!(write(&back, table), csv, "{table:?}");
        }
    }

    #[test]
    fn contacts_keep_labels_hours_exceptions_and_address() {
        let data = sample();
        let back = read(&write(&data, Table::Contacts), "x.csv").expect("reads back");
        for (original, copy) in data.contacts.iter().zip(&back.contacts) {
            let mut expected = original.channels.clone();
            expected.sort_by_key(|c| CHANNEL_COLUMNS.iter().position(|(k, _)| *k == c.kind));
            assert_eq!(copy.channels, expected, "{}", original.id);
            assert_eq!(copy.hours, original.hours, "{}", original.id);
            assert_eq!(copy.exceptions, original.exceptions, "{}", original.id);
            assert_eq!(copy.address, original.address, "{}", original.id);
            assert_eq!(copy.mailbox, original.mailbox, "{}", original.id);
        }
    }

    #[test]
    fn problems_name_file_line_and_column() {
        let csv = "satzart;ars;name;in_115\n10;010000000000;Schleswig-Holstein;ja\n99;020000000000;Hamburg;vielleicht\n";
        let problems = read(csv, "gv.csv").expect_err("bad rows");
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].starts_with("gv.csv line 3, column satzart"),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("gv.csv line 3, column in_115"),
            "{text:?}"
        );
    }

    /// Data as an older version may have stored it, before free text that a spreadsheet runs
    /// as a formula was refused: every free-text cell of every table starts a formula.
    fn older_data() -> Dataset {
        Dataset::from_json(
            r#"{
  "regions": [{"ars": "040000000000", "name": "=HYPERLINK(\"https://example.invalid\";\"Bremen\")", "level": "land"}],
  "postcodes": [{"plz": "28195", "ars": "040000000000"}],
  "contacts": [{
    "id": "-buergeramt", "name": "@SUMME(1;2)", "level": "first", "region": "040000000000",
    "channels": [
      {"kind": "phone", "value": "+49 421 361-0", "label": "=1+1"},
      {"kind": "fax", "value": "-0421 361 1"},
      {"kind": "email", "value": "=1+1@example.bremen.de"},
      {"kind": "web", "value": "https://example.bremen.de/", "label": "-Startseite"}
    ],
    "exceptions": [{"date": "2026-12-24", "note": "+geschlossen"}],
    "address": {"street": "\t=1+1", "postcode": "28195", "city": "\r-Bremen"},
    "mailbox": "-info@example.bremen.de"
  }]
}"#,
        )
        .expect("test data parses")
    }

    /// Every cell of a CSV text, with its column name.
    fn cells(csv: &str) -> Vec<(String, String)> {
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(csv.as_bytes());
        let header = reader.headers().expect("header").clone();
        reader
            .records()
            .flat_map(|row| {
                let row = row.expect("row");
                header
                    .iter()
                    .zip(row.iter())
                    .map(|(column, cell)| (column.to_string(), cell.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn exported_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote() {
        let data = older_data();
        let regions = write(&data, Table::Regions);
        assert!(
            regions.contains(r#";"'=HYPERLINK(""https://example.invalid"";""Bremen"")";"#),
            "{regions}"
        );
        let contacts = write(&data, Table::Contacts);
        let contact = cells(&contacts);
        let cell = |column: &str| {
            contact
                .iter()
                .find(|(c, _)| c == column)
                .map(|(_, cell)| cell.as_str())
                .unwrap_or_else(|| panic!("no column {column}"))
        };
        assert_eq!(cell("name"), "'@SUMME(1;2)");
        assert_eq!(cell("email"), "'=1+1@example.bremen.de");
        assert_eq!(cell("mailbox"), "'-info@example.bremen.de");
        assert_eq!(cell("street"), "'\t=1+1");
        assert_eq!(cell("city"), "'\r-Bremen");
        // Checked phone numbers and ids keep their `+` and `-`; labels and notes never start
        // a cell.
        assert_eq!(cell("phone"), "+49 421 361-0 [=1+1]");
        assert_eq!(cell("fax"), "-0421 361 1");
        assert_eq!(cell("id"), "-buergeramt");
        for table in [Table::Regions, Table::Postcodes, Table::Contacts] {
            for (column, cell) in cells(&write(&data, table)) {
                if !["id", "phone", "mobile", "fax"].contains(&column.as_str()) {
                    assert!(!looks_like_formula(&cell), "{table:?} {column}: {cell:?}");
                }
            }
        }
    }

    #[test]
    fn a_quoted_cell_reads_back_as_harmless_text_and_exports_the_same() {
        let data = older_data();
        for table in [Table::Regions, Table::Postcodes, Table::Contacts] {
            let csv = write(&data, table);
            let back = read(&csv, "x.csv").expect("own export reads back");
            assert_eq!(write(&back, table), csv, "{table:?}");
        }
        let back = read(&write(&data, Table::Contacts), "x.csv").expect("reads back");
        assert_eq!(back.contacts[0].name, "'@SUMME(1;2)");
        let known = crate::dataset::KnownKeys {
            regions: [
                crate::domain::Ars::BUND,
                "040000000000".parse().expect("ARS"),
            ]
            .into(),
            services: std::collections::HashSet::new(),
        };
        // The quote defused the names, street and city. Labels and notes never begin a cell,
        // so they travel as they are, and validation names them, like the quoted e-mail
        // addresses, for the Redaktion to correct.
        let problems = back.validate(&known).expect_err("labels, notes, addresses");
        let places: Vec<_> = problems.iter().map(|p| p.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "contacts[0].channels[0].label",
                "contacts[0].channels[2].value",
                "contacts[0].channels[3].label",
                "contacts[0].exceptions[0].note",
                "contacts[0].mailbox"
            ]
        );
    }

    #[test]
    fn valid_data_is_exported_without_quotes_and_phone_numbers_keep_their_plus() {
        let data = sample();
        let contacts = write(&data, Table::Contacts);
        assert!(contacts.contains(";+49 421 9999 0100"), "{contacts}");
        for table in [Table::Regions, Table::Postcodes, Table::Contacts] {
            for (column, cell) in cells(&write(&data, table)) {
                assert!(!cell.starts_with('\''), "{table:?} {column}: {cell:?}");
            }
        }
    }

    #[test]
    fn a_wrong_header_is_refused_before_any_row() {
        let problems = read("plz;name\n28195;Bremen\n", "plz.csv").expect_err("bad header");
        assert_eq!(problems[0].place, "plz.csv line 1");
        assert!(problems[0].reason.contains("plz;ars"));
    }
}
