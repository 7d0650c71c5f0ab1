//! Precedence rules of the resolver, on a small purpose-built data set.

use super::*;
use crate::dataset::{ContactRecord, RegionRecord, ServiceRecord};
use wire::{Channel, ChannelKind, Weekday, WeeklyHours};

const ELTERNGELD: &str = "99041006017000";
const WOHNGELD: &str = "99107005000000";

fn region(ars: &str, level: RegionLevel, in_115: Option<bool>) -> RegionRecord {
    RegionRecord {
        ars: ars.into(),
        name: format!("Region {ars}"),
        level,
        in_115,
    }
}

fn contact(id: &str, level: SupportLevel, region: &str, services: &[&str]) -> ContactRecord {
    ContactRecord {
        id: id.into(),
        name: format!("Kontakt {id}"),
        level,
        region: region.into(),
        services: services.iter().map(|s| s.to_string()).collect(),
        is_115: false,
        channels: vec![Channel {
            kind: ChannelKind::Phone,
            value: "0421 1".into(),
            label: None,
        }],
        hours: [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(|day| WeeklyHours {
            day,
            opens: "08:00".into(),
            closes: "18:00".into(),
        })
        .collect(),
        exceptions: vec![],
        closes_on_holidays: true,
        address: None,
        languages: vec![],
        mailbox: None,
    }
}

fn the_115(id: &str, region: &str) -> ContactRecord {
    ContactRecord {
        is_115: true,
        ..contact(id, SupportLevel::First, region, &[])
    }
}

/// Land 03 in the 115-Verbund; a Kreis, a Gemeindeverband and two Gemeinden below it, one of
/// which opts out of the 115. Land 09 is not in the Verbund.
fn data() -> Dataset {
    use RegionLevel::*;
    use SupportLevel::*;
    Dataset {
        sample: false,
        regions: vec![
            region("000000000000", Bund, None),
            region("030000000000", Land, Some(true)),
            region("033550000000", Kreis, None),
            region("033555401000", Gemeindeverband, None),
            region("033555401001", Gemeinde, None),
            region("033550022022", Gemeinde, Some(false)),
            region("090000000000", Land, Some(false)),
            region("091000000000", Regierungsbezirk, None),
            region("091620000000", Kreis, None),
        ],
        services: vec![
            ServiceRecord {
                leika: ELTERNGELD.into(),
                name: "Elterngeld".into(),
            },
            ServiceRecord {
                leika: WOHNGELD.into(),
                name: "Wohngeld".into(),
            },
        ],
        contacts: vec![
            the_115("bund-115", "000000000000"),
            contact(
                "bund-technik",
                SecondTechnisch,
                "000000000000",
                &[ELTERNGELD],
            ),
            contact("bund-betrieb", Third, "000000000000", &[]),
            contact("ni-fach", SecondFachlich, "030000000000", &[]),
            contact(
                "kreis-fach-elterngeld",
                SecondFachlich,
                "033550000000",
                &[ELTERNGELD],
            ),
            contact("gv-buero", First, "033555401000", &[]),
            contact("stadt-buergerservice", First, "033550022022", &[]),
            contact("by-land", First, "090000000000", &[]),
            contact("by-elterngeld", First, "090000000000", &[ELTERNGELD]),
            contact("obb-wohngeld", First, "091000000000", &[WOHNGELD]),
            contact("m-a", First, "091620000000", &[]),
            contact("m-b", First, "091620000000", &[]),
        ],
        postcodes: vec![],
    }
}

/// Monday 2026-11-23, 10:00 in Berlin.
fn monday_morning() -> jiff::Timestamp {
    "2026-11-23T09:00:00Z".parse().expect("valid timestamp")
}

fn help(ars: &str, leika: Option<&str>) -> HelpResponse {
    Index::build(data()).help(
        ars.parse().expect("test ARS"),
        leika.map(|k| k.parse().expect("test LeiKa")),
        monday_morning(),
    )
}

fn ids(contacts: &[ResolvedContact]) -> Vec<(&str, ContactRole)> {
    contacts
        .iter()
        .map(|c| (c.contact.id.as_str(), c.role))
        .collect()
}

#[test]
fn a_region_in_the_115_verbund_gets_the_115_with_its_own_contact_as_alternative() {
    let h = help("033555401001", None);
    assert!(h.in_115, "inherited from the Land");
    assert_eq!(
        ids(&h.first_level),
        [
            ("bund-115", ContactRole::Primary),
            ("gv-buero", ContactRole::Alternative)
        ]
    );
    assert_eq!(h.first_level[1].resolved_from.ars, "033555401000");
    assert_eq!(
        h.first_level[1].resolved_from.level,
        RegionLevel::Gemeindeverband
    );
}

#[test]
fn a_gemeinde_opting_out_below_an_opted_in_land_gets_its_own_first_level() {
    let h = help("033550022022", None);
    assert!(!h.in_115);
    assert_eq!(
        ids(&h.first_level),
        [("stadt-buergerservice", ContactRole::Primary)]
    );
}

#[test]
fn a_land_outside_the_verbund_gets_its_own_first_level() {
    let h = help("090000000000", None);
    assert!(!h.in_115);
    assert_eq!(ids(&h.first_level), [("by-land", ContactRole::Primary)]);
}

#[test]
fn a_verbund_region_without_own_first_level_gets_only_the_115() {
    let h = help("033550000000", None);
    assert_eq!(ids(&h.first_level), [("bund-115", ContactRole::Primary)]);
}

#[test]
fn outside_the_verbund_and_without_own_contact_the_115_is_still_offered() {
    // Land 12 is neither in the data nor in the Verbund, and has no contact of its own.
    let h = help("120000000000", None);
    assert!(!h.in_115);
    assert_eq!(ids(&h.first_level), [("bund-115", ContactRole::Primary)]);
}

#[test]
fn the_most_specific_region_wins_at_every_level() {
    // Kreis München has two general contacts: both are returned, the first as primary.
    let h = help("091620000000", None);
    assert_eq!(
        ids(&h.first_level),
        [
            ("m-a", ContactRole::Primary),
            ("m-b", ContactRole::Alternative)
        ]
    );
    // A Gemeinde in the Kreis without own data walks up to the Kreis.
    let h = help("091620000001", None);
    assert_eq!(h.first_level[0].contact.id, "m-a");
    assert_eq!(h.region.ars, "091620000000", "nearest known region");
}

#[test]
fn a_service_specific_contact_of_a_less_specific_region_loses_to_a_general_one_below() {
    // by-elterngeld sits at the Land, m-a at the Kreis: the more specific region wins.
    let h = help("091620000000", Some(ELTERNGELD));
    assert_eq!(h.first_level[0].contact.id, "m-a");
    assert!(!h.first_level[0].service_specific);
}

#[test]
fn within_one_region_the_service_specific_contact_wins() {
    let h = help("090000000000", Some(ELTERNGELD));
    assert_eq!(
        ids(&h.first_level),
        [("by-elterngeld", ContactRole::Primary)]
    );
    assert!(h.first_level[0].service_specific);
    let h = help("091000000000", Some(WOHNGELD));
    assert_eq!(h.first_level[0].contact.id, "obb-wohngeld");
    let h = help("091000000000", Some(ELTERNGELD));
    assert_eq!(h.first_level[0].contact.id, "by-elterngeld");
    assert_eq!(h.first_level[0].resolved_from.level, RegionLevel::Land);
}

#[test]
fn second_and_third_levels_resolve_independently() {
    let h = help("033555401001", Some(ELTERNGELD));
    assert_eq!(
        ids(&h.second_fachlich),
        [("kreis-fach-elterngeld", ContactRole::Primary)]
    );
    assert_eq!(
        ids(&h.second_technisch),
        [("bund-technik", ContactRole::Primary)]
    );
    assert_eq!(ids(&h.third), [("bund-betrieb", ContactRole::Primary)]);
    // For another service the Kreis's Elterngeld contact does not apply; the Land's does.
    let h = help("033555401001", Some(WOHNGELD));
    assert_eq!(ids(&h.second_fachlich), [("ni-fach", ContactRole::Primary)]);
    assert!(
        h.second_technisch.is_empty(),
        "the technical contact serves Elterngeld only"
    );
}

#[test]
fn an_unknown_leika_key_falls_back_to_all_services_contacts_and_says_so() {
    let h = help("090000000000", Some("99999999999999"));
    assert!(h.leika_unknown);
    assert_eq!(h.service_name, None);
    assert_eq!(ids(&h.first_level), [("by-land", ContactRole::Primary)]);
    let known = help("090000000000", Some(ELTERNGELD));
    assert!(!known.leika_unknown);
    assert_eq!(known.service_name.as_deref(), Some("Elterngeld"));
}

#[test]
fn an_unknown_but_well_formed_ars_resolves_through_its_ancestors() {
    let h = help("037771234567", None);
    assert_eq!(h.region.ars, "030000000000");
    assert_eq!(h.first_level[0].contact.id, "bund-115");
}

#[test]
fn every_contact_carries_its_availability_and_week() {
    let h = help("090000000000", None);
    let a = &h.first_level[0].availability;
    assert!(a.open_now, "Monday 10:00");
    assert_eq!(a.next_change.as_deref(), Some("2026-11-23T18:00:00+01:00"));
    assert_eq!(a.week.len(), 7);
    assert_eq!(a.week[0].date, "2026-11-23");
    assert_eq!(a.week[5].ranges, vec![], "Saturday is closed");
}
