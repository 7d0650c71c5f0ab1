//! The resolve engine: finds who helps a citizen of one region with one service.
//!
//! It works on an in-memory [`Index`] built from a database [`Snapshot`]; requests never wait on
//! the database. This is the walking-skeleton version: it walks the ARS hierarchy upwards and
//! takes the most specific 1st-level contact, preferring one that is specific to the requested
//! service. 115 inheritance, 2nd-level contacts and opening-hour evaluation build on this seam.

use crate::db::Snapshot;
use crate::domain::{Ars, LeikaKey};
use std::collections::HashMap;
use wire::{Contact, HelpResponse, RegionRef, ResolvedContact, SupportLevel};

/// Immutable lookup structure; rebuilt and swapped as a whole when data changes.
#[derive(Debug, Default)]
pub struct Index {
    regions: HashMap<Ars, RegionRef>,
    first_level: HashMap<Ars, Vec<Entry>>,
}

#[derive(Debug)]
struct Entry {
    contact: Contact,
    /// Services served; empty = all.
    services: Vec<LeikaKey>,
}

impl Index {
    /// Builds the index. Rows with keys that do not parse are skipped with a warning — the
    /// import validates keys, so this only guards against hand-edited databases.
    pub fn build(snapshot: Snapshot) -> Self {
        let mut index = Index::default();
        for r in snapshot.regions {
            match r.ars.parse::<Ars>() {
                Ok(ars) => {
                    index.regions.insert(
                        ars,
                        RegionRef {
                            ars: r.ars,
                            name: r.name,
                            level: r.level,
                        },
                    );
                }
                Err(e) => tracing::warn!(error = %e, "skipping region with malformed ARS"),
            }
        }
        for c in snapshot.contacts {
            let Ok(region) = c.region_ars.parse::<Ars>() else {
                tracing::warn!(contact = %c.id, "skipping contact with malformed region");
                continue;
            };
            if c.level != SupportLevel::First {
                continue;
            }
            let services = c.services.iter().filter_map(|s| s.parse().ok()).collect();
            index.first_level.entry(region).or_default().push(Entry {
                services,
                contact: Contact {
                    id: c.id,
                    name: c.name,
                    level: c.level,
                    is_115: c.is_115,
                    channels: c.channels,
                    hours: c.hours,
                },
            });
        }
        index
    }

    /// Number of regions known to the index.
    pub fn region_count(&self) -> usize {
        self.regions.len()
    }

    /// The 1st-level contact for `ars` and, if given, `leika`: the most specific region wins;
    /// within one region a contact for this service beats one for all services.
    pub fn help(&self, ars: Ars, leika: Option<LeikaKey>) -> Option<HelpResponse> {
        for region in ars.ancestors() {
            let Some(entries) = self.first_level.get(&region) else {
                continue;
            };
            let specific = leika.and_then(|key| entries.iter().find(|e| e.services.contains(&key)));
            let general = || entries.iter().find(|e| e.services.is_empty());
            if let Some(entry) = specific.or_else(general) {
                return Some(HelpResponse {
                    ars: ars.to_string(),
                    leika: leika.map(|k| k.to_string()),
                    first_level: ResolvedContact {
                        contact: entry.contact.clone(),
                        resolved_from: self.region_ref(region),
                    },
                });
            }
        }
        None
    }

    fn region_ref(&self, ars: Ars) -> RegionRef {
        self.regions
            .get(&ars)
            .cloned()
            .unwrap_or_else(|| RegionRef {
                ars: ars.to_string(),
                name: ars.to_string(),
                level: if ars == Ars::BUND {
                    wire::RegionLevel::Bund
                } else {
                    wire::RegionLevel::Land
                },
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{StoredContact, StoredRegion};
    use wire::RegionLevel;

    fn region(ars: &str, level: RegionLevel) -> StoredRegion {
        StoredRegion {
            ars: ars.into(),
            name: format!("Region {ars}"),
            level,
            in_115: None,
        }
    }

    fn contact(id: &str, region: &str, services: &[&str]) -> StoredContact {
        StoredContact {
            id: id.into(),
            name: format!("Kontakt {id}"),
            level: SupportLevel::First,
            region_ars: region.into(),
            is_115: false,
            services: services.iter().map(|s| s.to_string()).collect(),
            channels: vec![],
            hours: vec![],
        }
    }

    fn index() -> Index {
        Index::build(Snapshot {
            regions: vec![
                region("000000000000", RegionLevel::Bund),
                region("040000000000", RegionLevel::Land),
                region("040110000000", RegionLevel::Kreis),
            ],
            contacts: vec![
                contact("bund", "000000000000", &[]),
                contact("bremen-land", "040000000000", &[]),
                contact("bremen-elterngeld", "040000000000", &["99041006017000"]),
            ],
        })
    }

    fn resolve(ars: &str, leika: Option<&str>) -> Option<(String, String)> {
        let ars = ars.parse().expect("test ARS");
        let leika = leika.map(|k| k.parse().expect("test LeiKa"));
        index()
            .help(ars, leika)
            .map(|h| (h.first_level.contact.id, h.first_level.resolved_from.ars))
    }

    #[test]
    fn nearest_ancestor_with_a_contact_wins() {
        assert_eq!(
            resolve("040110000000", None),
            Some(("bremen-land".into(), "040000000000".into()))
        );
    }

    #[test]
    fn service_specific_contact_beats_general_one_in_the_same_region() {
        assert_eq!(
            resolve("040110000000", Some("99041006017000")).map(|r| r.0),
            Some("bremen-elterngeld".into())
        );
        assert_eq!(
            resolve("040110000000", Some("99000000000000")).map(|r| r.0),
            Some("bremen-land".into())
        );
    }

    #[test]
    fn unknown_regions_fall_back_to_the_bund() {
        assert_eq!(
            resolve("091620000000", None),
            Some(("bund".into(), "000000000000".into()))
        );
    }

    #[test]
    fn no_contact_anywhere_gives_none() {
        let empty = Index::default();
        assert!(empty.help(Ars::BUND, None).is_none());
    }
}
