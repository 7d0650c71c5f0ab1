//! Region search for the widget's picker: by PLZ (many-to-many with regions) or by name.
//!
//! Names are folded for matching (lower case; ä/ae → a, ö/oe → o, ü/ue → u, ß → ss), so
//! "koeln", "koln" and "Köln" find the same place. Ranking: exact name, then name prefix, then
//! a word of the name starting with the query; within each, Gemeinden and kreisfreie Städte
//! before larger regions, then shorter names, then alphabetical.

use crate::dataset::PostcodeRecord;
use crate::domain::Ars;
use std::collections::BTreeMap;
use wire::{RegionHit, RegionLevel, RegionRef};

/// Sort key of a name match: match kind, level rank, name length, name.
type RankKey<'a> = (u8, u8, usize, &'a str);

/// Precomputed search structures.
#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: Vec<SearchEntry>,
    /// PLZ → indices into `entries`.
    postcodes: BTreeMap<String, Vec<usize>>,
}

#[derive(Debug)]
struct SearchEntry {
    reference: RegionRef,
    context: String,
    folded: String,
}

impl SearchIndex {
    /// Builds the index from regions (with their context) and PLZ pairs.
    pub fn build(regions: &[(Ars, RegionRef, String)], postcodes: &[PostcodeRecord]) -> Self {
        let mut sorted: Vec<_> = regions
            .iter()
            .filter(|(ars, _, _)| *ars != Ars::BUND)
            .collect();
        sorted.sort_by_key(|(ars, _, _)| *ars);
        let entries: Vec<SearchEntry> = sorted
            .iter()
            .map(|(_, reference, context)| SearchEntry {
                folded: fold(&reference.name),
                reference: reference.clone(),
                context: context.clone(),
            })
            .collect();
        let position: std::collections::HashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.reference.ars.as_str(), i))
            .collect();
        let mut by_plz: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for p in postcodes {
            if let Some(i) = position.get(p.ars.as_str()) {
                by_plz.entry(p.plz.clone()).or_default().push(*i);
            }
        }
        Self {
            entries,
            postcodes: by_plz,
        }
    }

    /// Up to `limit` candidates for `query`, best first.
    pub fn find(&self, query: &str, limit: usize) -> Vec<RegionHit> {
        let query = query.trim();
        if !query.is_empty() && query.bytes().all(|b| b.is_ascii_digit()) {
            return self.find_plz(query, limit);
        }
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(RankKey<'_>, &SearchEntry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let kind = if e.folded == q {
                    0
                } else if e.folded.starts_with(&q) {
                    1
                } else if e
                    .folded
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|word| word.starts_with(&q))
                {
                    2
                } else {
                    return None;
                };
                let key = (
                    kind,
                    level_rank(e.reference.level),
                    e.reference.name.len(),
                    e.reference.name.as_str(),
                );
                Some((key, e))
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0));
        scored
            .into_iter()
            .take(limit)
            .map(|(_, e)| hit(e, None))
            .collect()
    }

    fn find_plz(&self, digits: &str, limit: usize) -> Vec<RegionHit> {
        let mut seen = std::collections::HashSet::new();
        let mut hits = Vec::new();
        for (plz, indices) in self.postcodes.range(digits.to_string()..) {
            if !plz.starts_with(digits) {
                break;
            }
            let mut here: Vec<&SearchEntry> = indices.iter().map(|i| &self.entries[*i]).collect();
            here.sort_by(|a, b| {
                (level_rank(a.reference.level), &a.reference.name)
                    .cmp(&(level_rank(b.reference.level), &b.reference.name))
            });
            for e in here {
                if seen.insert(e.reference.ars.as_str()) {
                    hits.push(hit(e, Some(plz.clone())));
                }
            }
            if hits.len() >= limit {
                break;
            }
        }
        hits.truncate(limit);
        hits
    }
}

fn hit(e: &SearchEntry, plz: Option<String>) -> RegionHit {
    RegionHit {
        ars: e.reference.ars.clone(),
        name: e.reference.name.clone(),
        level: e.reference.level,
        context: e.context.clone(),
        plz,
    }
}

/// Places a citizen lives in come first.
fn level_rank(level: RegionLevel) -> u8 {
    match level {
        RegionLevel::Gemeinde => 0,
        RegionLevel::Kreis => 1,
        RegionLevel::Gemeindeverband => 2,
        RegionLevel::Regierungsbezirk => 3,
        RegionLevel::Land => 4,
        RegionLevel::Bund => 5,
    }
}

/// Lower case with umlauts and their two-letter spellings folded to the base vowel.
pub fn fold(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'ä' | 'à' | 'á' | 'â' => out.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' => out.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => out.push('u'),
            'é' | 'è' | 'ê' => out.push('e'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out.replace("ae", "a").replace("oe", "o").replace("ue", "u")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(
        ars: &str,
        name: &str,
        level: RegionLevel,
        context: &str,
    ) -> (Ars, RegionRef, String) {
        (
            ars.parse().expect("test ARS"),
            RegionRef {
                ars: ars.into(),
                name: name.into(),
                level,
            },
            context.into(),
        )
    }

    fn index() -> SearchIndex {
        let regions = vec![
            region("050000000000", "Nordrhein-Westfalen", RegionLevel::Land, ""),
            region(
                "053150000000",
                "Köln, Stadt",
                RegionLevel::Kreis,
                "Nordrhein-Westfalen",
            ),
            region("030000000000", "Niedersachsen", RegionLevel::Land, ""),
            region(
                "033550022022",
                "Bienenbüttel",
                RegionLevel::Gemeinde,
                "Lüneburg, Niedersachsen",
            ),
            region(
                "033550000000",
                "Lüneburg",
                RegionLevel::Kreis,
                "Niedersachsen",
            ),
            region(
                "033550022000",
                "Samtgemeinde Ilmenau",
                RegionLevel::Gemeindeverband,
                "Lüneburg, Niedersachsen",
            ),
            region(
                "033550022021",
                "Barnstedt",
                RegionLevel::Gemeinde,
                "Lüneburg, Niedersachsen",
            ),
        ];
        let postcodes = vec![
            PostcodeRecord {
                plz: "50667".into(),
                ars: "053150000000".into(),
            },
            PostcodeRecord {
                plz: "29553".into(),
                ars: "033550022022".into(),
            },
            PostcodeRecord {
                plz: "21397".into(),
                ars: "033550022021".into(),
            },
            PostcodeRecord {
                plz: "21397".into(),
                ars: "033550022000".into(),
            },
        ];
        SearchIndex::build(&regions, &postcodes)
    }

    fn names(hits: &[RegionHit]) -> Vec<&str> {
        hits.iter().map(|h| h.name.as_str()).collect()
    }

    #[test]
    fn umlauts_match_with_or_without_their_spelling() {
        let index = index();
        for q in ["Köln", "koln", "KOELN", "köl"] {
            assert_eq!(names(&index.find(q, 10)), ["Köln, Stadt"], "{q}");
        }
    }

    #[test]
    fn a_plz_shared_by_several_places_offers_all_of_them_gemeinden_first() {
        let hits = index().find("21397", 10);
        assert_eq!(names(&hits), ["Barnstedt", "Samtgemeinde Ilmenau"]);
        assert_eq!(hits[0].plz.as_deref(), Some("21397"));
        assert_eq!(hits[0].context, "Lüneburg, Niedersachsen");
    }

    #[test]
    fn a_plz_prefix_lists_regions_in_plz_order() {
        assert_eq!(
            names(&index().find("2", 10)),
            ["Barnstedt", "Samtgemeinde Ilmenau", "Bienenbüttel"]
        );
    }

    #[test]
    fn exact_and_prefix_matches_rank_before_word_matches() {
        let hits = index().find("lüneburg", 10);
        assert_eq!(names(&hits), ["Lüneburg"]);
        let hits = index().find("ilm", 10);
        assert_eq!(names(&hits), ["Samtgemeinde Ilmenau"]);
        let hits = index().find("n", 10);
        assert_eq!(names(&hits), ["Niedersachsen", "Nordrhein-Westfalen"]);
    }

    #[test]
    fn the_limit_is_respected() {
        assert_eq!(index().find("2", 1).len(), 1);
        assert!(index().find("", 10).is_empty());
    }
}
