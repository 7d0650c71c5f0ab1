//! The exchange format for contact data: what `--sample-data` loads and what import/export
//! will read and write.
//!
//! Top-level keys are `regions`, `services`, `contacts` and `postcodes`. Channels and hours use
//! the wire types, so the JSON a Redaktion imports looks like what the widget receives.

use crate::domain::{Ars, LeikaKey};
use serde::{Deserialize, Serialize};
use wire::{Channel, RegionLevel, SupportLevel, WeeklyHours};

/// The sample data bundled into the binary: all 16 Länder, a few cities, one service.
pub const SAMPLE_JSON: &str = include_str!("../sample-data/sample.json");

/// A complete data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Marks invented data that must never be mistaken for real contacts.
    #[serde(default)]
    pub sample: bool,
    /// Regions by ARS.
    pub regions: Vec<RegionRecord>,
    /// Services by LeiKa key.
    #[serde(default)]
    pub services: Vec<ServiceRecord>,
    /// Contact points.
    pub contacts: Vec<ContactRecord>,
    /// PLZ ↔ ARS pairs (many-to-many).
    #[serde(default)]
    pub postcodes: Vec<PostcodeRecord>,
}

/// A region of the ARS hierarchy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRecord {
    /// 12-digit ARS.
    pub ars: String,
    /// Official name.
    pub name: String,
    /// Administrative level.
    pub level: RegionLevel,
    /// Membership in the 115-Verbund: `true`, `false`, or absent to inherit from above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// A contact point assigned to a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    /// Stable identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Support level.
    pub level: SupportLevel,
    /// ARS of the region the contact is assigned to; it applies to all regions below.
    pub region: String,
    /// LeiKa keys this contact serves; empty means all services.
    #[serde(default)]
    pub services: Vec<String>,
    /// Whether this is the Behördennummer 115.
    #[serde(default)]
    pub is_115: bool,
    /// Ways to reach the contact.
    pub channels: Vec<Channel>,
    /// Weekly opening hours.
    #[serde(default)]
    pub hours: Vec<WeeklyHours>,
}

/// One PLZ ↔ region pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostcodeRecord {
    /// Five-digit Postleitzahl.
    pub plz: String,
    /// ARS of a region (usually a Gemeinde) the PLZ covers.
    pub ars: String,
}

/// A problem found in a data set, with the JSON path it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct DatasetError {
    /// JSON path such as `contacts[3].region`.
    pub path: String,
    /// What is wrong, for a person.
    pub reason: String,
}

impl Dataset {
    /// Parses a data set from JSON, reporting the line and column of syntax errors.
    pub fn from_json(json: &str) -> Result<Self, DatasetError> {
        serde_json::from_str(json).map_err(|e| DatasetError {
            path: format!("line {}, column {}", e.line(), e.column()),
            reason: e.to_string(),
        })
    }

    /// Checks keys and references; returns every problem found, not just the first.
    pub fn validate(&self) -> Result<(), Vec<DatasetError>> {
        let mut problems = Vec::new();
        let mut push = |path: String, reason: String| problems.push(DatasetError { path, reason });
        let mut known = std::collections::HashSet::new();
        for (i, r) in self.regions.iter().enumerate() {
            match r.ars.parse::<Ars>() {
                Ok(ars) if !known.insert(ars) => {
                    push(format!("regions[{i}].ars"), format!("{ars} appears twice"))
                }
                Ok(_) => {}
                Err(e) => push(format!("regions[{i}].ars"), e.to_string()),
            }
        }
        for (i, s) in self.services.iter().enumerate() {
            if let Err(e) = s.leika.parse::<LeikaKey>() {
                push(format!("services[{i}].leika"), e.to_string());
            }
        }
        let mut ids = std::collections::HashSet::new();
        for (i, c) in self.contacts.iter().enumerate() {
            if !ids.insert(c.id.as_str()) {
                push(
                    format!("contacts[{i}].id"),
                    format!("`{}` appears twice", c.id),
                );
            }
            match c.region.parse::<Ars>() {
                Ok(ars) if !known.contains(&ars) => push(
                    format!("contacts[{i}].region"),
                    format!("region {ars} is not listed under `regions`"),
                ),
                Ok(_) => {}
                Err(e) => push(format!("contacts[{i}].region"), e.to_string()),
            }
            for (j, s) in c.services.iter().enumerate() {
                if let Err(e) = s.parse::<LeikaKey>() {
                    push(format!("contacts[{i}].services[{j}]"), e.to_string());
                }
            }
        }
        for (i, p) in self.postcodes.iter().enumerate() {
            if p.plz.len() != 5 || !p.plz.bytes().all(|b| b.is_ascii_digit()) {
                push(
                    format!("postcodes[{i}].plz"),
                    format!("`{}` is not a five-digit PLZ", p.plz),
                );
            }
            if let Err(e) = p.ars.parse::<Ars>() {
                push(format!("postcodes[{i}].ars"), e.to_string());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_sample_data_is_valid_and_covers_every_land() {
        let data = Dataset::from_json(SAMPLE_JSON).expect("sample data parses");
        assert!(data.sample, "sample data must be marked as such");
        assert_eq!(data.validate(), Ok(()));
        let lands = data
            .regions
            .iter()
            .filter(|r| r.level == RegionLevel::Land)
            .count();
        assert_eq!(lands, 16);
        assert!(data.regions.iter().any(|r| r.ars == "000000000000"));
    }

    #[test]
    fn broken_references_are_reported_with_their_json_path() {
        let mut data = Dataset::from_json(SAMPLE_JSON).expect("sample data parses");
        data.contacts[0].region = "010000000001".into();
        data.contacts[1].region = "12345".into();
        let problems = data.validate().expect_err("two broken references");
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["contacts[0].region", "contacts[1].region"]);
        assert!(problems[0].reason.contains("not listed"));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = Dataset::from_json("{\n  \"regions\": [,]\n}").expect_err("invalid JSON");
        assert!(err.path.starts_with("line 2"), "{err}");
    }
}
