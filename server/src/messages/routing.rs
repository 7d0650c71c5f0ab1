//! Who receives a message: the category and the resolved contacts decide.
//!
//! - a question about the application goes to the region's subject-matter contact (2nd level
//!   fachlich) for the service, else to the region's own 1st level;
//! - a technical problem goes to the technical 2nd level (the operating IT provider), else the
//!   3rd level, else the 1st level;
//! - an accessibility barrier goes to whoever operates the online service (technical 2nd
//!   level), else the subject-matter contact, else the 1st level.
//!
//! Only contacts with a Funktionspostfach count; the 115 takes no written messages. Each
//! message records the recipient and the reason in words.

use super::form::Category;
use crate::domain::{Ars, LeikaKey};
use crate::resolve::Index;
use wire::SupportLevel;

/// The chosen mailbox and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Contact id.
    pub contact_id: String,
    /// Contact name.
    pub name: String,
    /// Functional mailbox.
    pub email: String,
    /// Reason, for the record and the mail.
    pub reason: String,
}

/// Picks the recipient for a message about `leika` from `ars` (Bund when unknown).
pub fn route(
    index: &Index,
    category: Category,
    ars: Option<Ars>,
    leika: Option<LeikaKey>,
) -> Option<Route> {
    use SupportLevel::*;
    let levels: &[SupportLevel] = match category {
        Category::Question => &[SecondFachlich, First],
        Category::Technical => &[SecondTechnisch, Third, First],
        Category::Accessibility => &[SecondTechnisch, SecondFachlich, First],
    };
    let region = ars.unwrap_or(Ars::BUND);
    let found = index.recipient(region, leika, levels)?;
    let level = match found.level {
        First => "1st level",
        SecondFachlich => "2nd level fachlich",
        SecondTechnisch => "2nd level technisch",
        Third => "3rd level",
    };
    let service = if found.service_specific {
        ", für diese Leistung"
    } else {
        ""
    };
    Some(Route {
        reason: format!(
            "{} → {} ({level}{service}, zuständig für {} {})",
            category.label(),
            found.name,
            found.region_name,
            found.region_ars
        ),
        contact_id: found.contact_id,
        name: found.name,
        email: found.email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Dataset, SAMPLE_JSON};

    fn index() -> Index {
        Index::build(Dataset::from_json(SAMPLE_JSON).expect("sample data"))
    }

    fn to(category: Category, ars: &str, leika: Option<&str>) -> Option<String> {
        route(
            &index(),
            category,
            Some(ars.parse().expect("ARS")),
            leika.map(|k| k.parse().expect("LeiKa")),
        )
        .map(|r| r.email)
    }

    const ELTERNGELD: &str = "99041006017000";

    #[test]
    fn a_question_goes_to_the_regions_fachstelle_for_the_service() {
        assert_eq!(
            to(Category::Question, "040110000000", Some(ELTERNGELD)).as_deref(),
            Some("elterngeld@example.bremen.de")
        );
        assert_eq!(
            to(Category::Question, "147130000000", Some(ELTERNGELD)).as_deref(),
            Some("elterngeld@example.sachsen.de")
        );
    }

    #[test]
    fn a_technical_problem_goes_to_the_operators_support() {
        assert_eq!(
            to(Category::Technical, "040110000000", Some(ELTERNGELD)).as_deref(),
            Some("support-elterngeld@example.dataport.de")
        );
        assert_eq!(
            to(Category::Accessibility, "091620000000", Some(ELTERNGELD)).as_deref(),
            Some("support-elterngeld@example.dataport.de")
        );
    }

    #[test]
    fn without_any_mailbox_there_is_no_route() {
        // Hamburg has only the 115 (which takes no written messages) and nothing for Wohngeld.
        assert_eq!(
            to(Category::Question, "020000000000", Some("99107005000000")),
            None
        );
    }

    #[test]
    fn the_reason_names_recipient_level_and_region() {
        let route = route(
            &index(),
            Category::Question,
            Some("040110000000".parse().expect("ARS")),
            Some(ELTERNGELD.parse().expect("key")),
        )
        .expect("a route");
        assert_eq!(
            route.reason,
            "Frage zum Antrag → Elterngeldstelle Bremen – Amt für Soziale Dienste (2nd level fachlich, für diese Leistung, zuständig für Bremen, Stadt 040110000000)"
        );
    }
}
