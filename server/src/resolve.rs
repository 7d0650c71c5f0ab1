//! The resolve engine: who helps a citizen of one region with one service.
//!
//! It works on an in-memory [`Index`] built from a database snapshot; requests never wait on
//! the database. Rules, per support level:
//!
//! - walk the region's path Gemeinde → Gemeindeverband → Kreis → Regierungsbezirk → Land →
//!   Bund; the most specific region with a matching contact wins, and all matching contacts of
//!   that region are returned;
//! - within one region, contacts for the requested service beat contacts for all services;
//! - an unknown LeiKa key is treated as "no service" (all-services contacts only) and flagged;
//! - 1st level: a region in the 115-Verbund (tri-state, inherited down the path) gets the
//!   nearest 115 contact as primary, with the region's own 1st level listed as alternatives;
//!   otherwise its own 1st level is primary. Without any own contact the 115 is still shown.

pub mod search;

use crate::dataset::{ContactRecord, Dataset};
use crate::domain::{Ars, LeikaKey};
use crate::hours::{DatedHours, Schedule, availability, week};
use std::collections::HashMap;
use wire::{
    Contact, ContactRole, HelpResponse, RegionLevel, RegionRef, ResolvedContact, SupportLevel,
};

/// Immutable lookup structure; rebuilt and swapped as a whole when data changes.
#[derive(Debug, Default)]
pub struct Index {
    regions: HashMap<Ars, Region>,
    services: HashMap<LeikaKey, String>,
    /// Contacts by the region they are assigned to, then by level.
    contacts: HashMap<(Ars, SupportLevel), Vec<Entry>>,
    search: search::SearchIndex,
}

#[derive(Debug)]
struct Region {
    reference: RegionRef,
    in_115: Option<bool>,
}

#[derive(Debug)]
struct Entry {
    contact: Contact,
    /// Funktionspostfach for written messages; never part of a public answer.
    mailbox: Option<String>,
    /// Services served; empty = all.
    services: Vec<LeikaKey>,
    exceptions: Vec<DatedHours>,
    region: Ars,
}

/// A winning entry and whether it won as service-specific.
#[derive(Clone, Copy)]
struct Hit<'a> {
    entry: &'a Entry,
    specific: bool,
}

impl Index {
    /// Builds the index. Rows with keys that do not parse are skipped with a warning — the
    /// import validates keys, so this only guards against hand-edited databases.
    pub fn build(data: Dataset) -> Self {
        let mut index = Index::default();
        for r in data.regions {
            let Ok(ars) = r.ars.parse::<Ars>() else {
                tracing::warn!(ars = %r.ars, "skipping region with malformed ARS");
                continue;
            };
            let reference = RegionRef {
                ars: r.ars,
                name: r.name,
                level: r.level,
            };
            index.regions.insert(
                ars,
                Region {
                    reference,
                    in_115: r.in_115,
                },
            );
        }
        for s in data.services {
            if let Ok(key) = s.leika.parse() {
                index.services.insert(key, s.name);
            }
        }
        for c in data.contacts {
            let Ok(region) = c.region.parse::<Ars>() else {
                tracing::warn!(contact = %c.id, "skipping contact with malformed region");
                continue;
            };
            let level = c.level;
            index
                .contacts
                .entry((region, level))
                .or_default()
                .push(entry(c, region));
        }
        index.search = search::SearchIndex::build(&index.regions_for_search(), &data.postcodes);
        index
    }

    fn regions_for_search(&self) -> Vec<(Ars, RegionRef, String)> {
        self.regions
            .iter()
            .map(|(ars, r)| (*ars, r.reference.clone(), self.context(*ars)))
            .collect()
    }

    /// Names of the known regions above `ars`, most specific first, without the Bund.
    fn context(&self, ars: Ars) -> String {
        ars.ancestors()
            .skip(1)
            .filter(|a| *a != Ars::BUND)
            .filter_map(|a| self.regions.get(&a))
            .map(|r| r.reference.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Service names by LeiKa key, sorted by name.
    pub fn service_names(&self) -> Vec<(String, String)> {
        let mut names: Vec<(String, String)> = self
            .services
            .iter()
            .map(|(k, n)| (k.to_string(), n.clone()))
            .collect();
        names.sort_by(|a, b| a.1.cmp(&b.1));
        names
    }

    /// The mailbox for a written message: at the first of `levels` that has one, the most
    /// specific region's contact with a Funktionspostfach (service-specific first). The 115
    /// takes no written messages.
    pub fn recipient(
        &self,
        ars: Ars,
        leika: Option<LeikaKey>,
        levels: &[SupportLevel],
    ) -> Option<Recipient> {
        let path: Vec<Ars> = ars.ancestors().collect();
        let service = leika.filter(|k| self.services.contains_key(k));
        levels.iter().find_map(|level| {
            let hits = self.winners(&path, *level, service, |e| {
                e.mailbox.is_some() && !e.contact.is_115
            });
            let hit = hits.first()?;
            let region = self
                .regions
                .get(&hit.entry.region)
                .map(|r| r.reference.clone())
                .unwrap_or_else(bund_ref);
            Some(Recipient {
                contact_id: hit.entry.contact.id.clone(),
                name: hit.entry.contact.name.clone(),
                email: hit.entry.mailbox.clone()?,
                level: *level,
                service_specific: hit.specific,
                region_name: region.name,
                region_ars: region.ars,
            })
        })
    }

    /// Number of regions known to the index.
    pub fn region_count(&self) -> usize {
        self.regions.len()
    }

    /// Region search for the widget's picker.
    pub fn search(&self, query: &str, limit: usize) -> Vec<wire::RegionHit> {
        self.search.find(query, limit)
    }

    /// Resolves every support level for `ars` and `leika` at instant `now`.
    pub fn help(&self, ars: Ars, leika: Option<LeikaKey>, now: jiff::Timestamp) -> HelpResponse {
        let path: Vec<Ars> = ars.ancestors().collect();
        let region = path
            .iter()
            .find_map(|a| self.regions.get(a))
            .map(|r| r.reference.clone())
            .unwrap_or_else(bund_ref);
        let service_name = leika.and_then(|k| self.services.get(&k).cloned());
        let leika_unknown = leika.is_some() && service_name.is_none();
        let service = if leika_unknown { None } else { leika };
        let in_115 = path
            .iter()
            .find_map(|a| self.regions.get(a).and_then(|r| r.in_115))
            .unwrap_or(false);

        let own_first = self.winners(&path, SupportLevel::First, service, |e| !e.contact.is_115);
        let the_115 = self.winners(&path, SupportLevel::First, service, |e| e.contact.is_115);
        let first: Vec<(Hit<'_>, ContactRole)> =
            match (in_115, the_115.first(), own_first.is_empty()) {
                (true, Some(t115), _) | (false, Some(t115), true) => {
                    std::iter::once((*t115, ContactRole::Primary))
                        .chain(own_first.iter().map(|h| (*h, ContactRole::Alternative)))
                        .collect()
                }
                _ => own_first
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        (
                            *h,
                            if i == 0 {
                                ContactRole::Primary
                            } else {
                                ContactRole::Alternative
                            },
                        )
                    })
                    .collect(),
            };

        let resolve = |hits: Vec<(Hit<'_>, ContactRole)>| -> Vec<ResolvedContact> {
            hits.into_iter()
                .map(|(hit, role)| self.resolved(hit, role, ars, now))
                .collect()
        };
        let all_primary = |level| {
            self.winners(&path, level, service, |_| true)
                .into_iter()
                .map(|h| (h, ContactRole::Primary))
                .collect::<Vec<_>>()
        };

        HelpResponse {
            ars: ars.to_string(),
            region,
            leika: leika.map(|k| k.to_string()),
            service_name,
            leika_unknown,
            in_115,
            first_level: resolve(first),
            second_fachlich: resolve(all_primary(SupportLevel::SecondFachlich)),
            second_technisch: resolve(all_primary(SupportLevel::SecondTechnisch)),
            third: resolve(all_primary(SupportLevel::Third)),
        }
    }

    /// The contacts of the most specific region on `path` that has any matching `level`
    /// contact passing `filter`; service-specific ones win within that region.
    fn winners(
        &self,
        path: &[Ars],
        level: SupportLevel,
        service: Option<LeikaKey>,
        filter: impl Fn(&Entry) -> bool,
    ) -> Vec<Hit<'_>> {
        for region in path {
            let Some(entries) = self.contacts.get(&(*region, level)) else {
                continue;
            };
            let candidates = entries.iter().filter(|e| filter(e));
            let specific: Vec<Hit<'_>> = match service {
                Some(key) => candidates
                    .clone()
                    .filter(|e| e.services.contains(&key))
                    .map(|entry| Hit {
                        entry,
                        specific: true,
                    })
                    .collect(),
                None => Vec::new(),
            };
            if !specific.is_empty() {
                return specific;
            }
            let general: Vec<Hit<'_>> = candidates
                .filter(|e| e.services.is_empty())
                .map(|entry| Hit {
                    entry,
                    specific: false,
                })
                .collect();
            if !general.is_empty() {
                return general;
            }
        }
        Vec::new()
    }

    fn resolved(
        &self,
        hit: Hit<'_>,
        role: ContactRole,
        requested: Ars,
        now: jiff::Timestamp,
    ) -> ResolvedContact {
        let entry = hit.entry;
        // Holidays are those where the contact works; a nationwide contact (the 115) is
        // answered regionally, so it follows the citizen's region.
        let holiday_region = if entry.region == Ars::BUND {
            requested
        } else {
            entry.region
        };
        let schedule = Schedule {
            weekly: &entry.contact.hours,
            exceptions: &entry.exceptions,
            closes_on_holidays: entry.contact.closes_on_holidays,
            region: holiday_region,
        };
        let state = availability(&schedule, now);
        ResolvedContact {
            contact: entry.contact.clone(),
            resolved_from: self
                .regions
                .get(&entry.region)
                .map(|r| r.reference.clone())
                .unwrap_or_else(bund_ref),
            service_specific: hit.specific,
            role,
            availability: wire::Availability {
                open_now: state.open_now,
                next_change: state
                    .next_change
                    .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
                closed_reason: state.closed_reason,
                week: week(&schedule, now, 7),
            },
        }
    }
}

/// A contact that receives written messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Contact id.
    pub contact_id: String,
    /// Contact name.
    pub name: String,
    /// Funktionspostfach.
    pub email: String,
    /// Level it was found on.
    pub level: SupportLevel,
    /// Whether it serves exactly the requested service.
    pub service_specific: bool,
    /// Name of the region it is assigned to.
    pub region_name: String,
    /// ARS of that region.
    pub region_ars: String,
}

fn entry(c: ContactRecord, region: Ars) -> Entry {
    Entry {
        mailbox: c.mailbox,
        services: c.services.iter().filter_map(|s| s.parse().ok()).collect(),
        exceptions: c.exceptions,
        region,
        contact: Contact {
            id: c.id,
            name: c.name,
            level: c.level,
            is_115: c.is_115,
            channels: c.channels,
            hours: c.hours,
            closes_on_holidays: c.closes_on_holidays,
            address: c.address,
            languages: c.languages,
        },
    }
}

fn bund_ref() -> RegionRef {
    RegionRef {
        ars: Ars::BUND.to_string(),
        name: "Bundesrepublik Deutschland".into(),
        level: RegionLevel::Bund,
    }
}

#[cfg(test)]
mod tests;
