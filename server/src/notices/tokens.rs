//! Bearer tokens for operators and monitoring. A token is shown once when created; only its
//! SHA-256 is stored. A token may be limited to services (LeiKa keys) and regions (ARS
//! prefixes); it can then only raise or change notices entirely inside that scope.

use super::model::StoredNotice;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A stored token (without the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Who or what uses it, e.g. `betrieb-elterngeld`.
    pub name: String,
    /// SHA-256 of the token, hex.
    pub hash: String,
    /// LeiKa keys it may touch; empty = all.
    pub services: Vec<String>,
    /// ARS prefixes it may touch; empty = all.
    pub regions: Vec<String>,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// A fresh random token: `ast_` and 64 hex digits (256 bits).
pub fn generate() -> String {
    format!("ast_{}", crate::hex::random(32))
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    crate::hex::encode(&Sha256::digest(token.as_bytes()))
}

impl TokenRecord {
    /// Whether this token may hold `notice`: every service and region of the notice must lie
    /// inside the token's scope, and a scoped token cannot address "all".
    pub fn covers(&self, notice: &StoredNotice) -> bool {
        let services_ok = self.services.is_empty()
            || (!notice.services.is_empty()
                && notice.services.iter().all(|s| self.services.contains(s)));
        let regions_ok = self.regions.is_empty()
            || (!notice.regions.is_empty()
                && notice
                    .regions
                    .iter()
                    .all(|r| self.regions.iter().any(|p| r.starts_with(p.as_str()))));
        services_ok && regions_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notices::model::{NoticeInput, StoredNotice};
    use wire::{Impact, NoticeKind};

    fn notice(services: &[&str], regions: &[&str]) -> StoredNotice {
        let content = [(
            "de".to_string(),
            wire::NoticeContent {
                title: "Störung".into(),
                body: String::new(),
                still_works: None,
                answers_kept: wire::AnswersKept::Unknown,
                alternative: None,
                alternative_url: None,
            },
        )]
        .into();
        StoredNotice::create(
            "ntc-1".into(),
            NoticeInput {
                kind: NoticeKind::Incident,
                state: None,
                impact: Impact::Minor,
                services: services.iter().map(|s| s.to_string()).collect(),
                regions: regions.iter().map(|s| s.to_string()).collect(),
                starts_at: None,
                ends_at: None,
                published: true,
                content,
                message: Default::default(),
            },
            "test".into(),
            "2026-11-23T09:00:00Z".parse().expect("timestamp"),
        )
        .expect("valid notice")
    }

    fn token(services: &[&str], regions: &[&str]) -> TokenRecord {
        TokenRecord {
            name: "t".into(),
            hash: String::new(),
            services: services.iter().map(|s| s.to_string()).collect(),
            regions: regions.iter().map(|s| s.to_string()).collect(),
            created_at: String::new(),
        }
    }

    #[test]
    fn an_unscoped_token_covers_everything() {
        assert!(token(&[], &[]).covers(&notice(&[], &[])));
    }

    #[test]
    fn a_region_token_covers_only_regions_inside_its_prefix() {
        let bremen = token(&[], &["04"]);
        assert!(bremen.covers(&notice(&[], &["04"])));
        assert!(bremen.covers(&notice(&[], &["040110"])));
        assert!(!bremen.covers(&notice(&[], &["05"])));
        assert!(!bremen.covers(&notice(&[], &["04", "05"])));
        assert!(!bremen.covers(&notice(&[], &[])), "not everywhere");
    }

    #[test]
    fn a_service_token_covers_only_its_services() {
        let elterngeld = token(&["99041006017000"], &[]);
        assert!(elterngeld.covers(&notice(&["99041006017000"], &["04"])));
        assert!(!elterngeld.covers(&notice(&["99107005000000"], &[])));
        assert!(!elterngeld.covers(&notice(&[], &[])), "not all services");
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(a.starts_with("ast_") && a.len() == 68);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert!(!hash(&a).contains(&a[4..]));
    }
}
