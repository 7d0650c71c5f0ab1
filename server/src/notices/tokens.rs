//! Bearer tokens for operators, monitoring and admins. A token is shown once when created; only
//! its SHA-256 is stored. Every token has a role: an operator raises and changes notices, limited
//! to services (LeiKa keys) and regions (ARS prefixes) if it is scoped; an admin may also
//! administer contact-form messages, which cross every service and region. A token may expire;
//! an expired token is refused like an unknown one.

use super::model::StoredNotice;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How often the last-used time of a token is written at most: a busy webhook must not turn
/// every request into a database write.
pub const LAST_USED_GRANULARITY: SignedDuration = SignedDuration::from_mins(1);

/// What a token may do beyond notices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Raises and changes notices inside its scope (the default).
    #[default]
    Operator,
    /// Also administers contact-form messages; never scoped.
    Admin,
}

impl Role {
    /// The stored and printed name: `operator` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Admin => "admin",
        }
    }

    /// The role with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "operator" => Some(Self::Operator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A stored token (without the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Who or what uses it, e.g. `betrieb-elterngeld`.
    pub name: String,
    /// SHA-256 of the token, hex.
    pub hash: String,
    /// Operator (default) or admin.
    pub role: Role,
    /// LeiKa keys it may touch; empty = all.
    pub services: Vec<String>,
    /// ARS prefixes it may touch; empty = all.
    pub regions: Vec<String>,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// From this instant on it is refused; `None` = never.
    pub expires_at: Option<Timestamp>,
    /// When it was last accepted, to within [`LAST_USED_GRANULARITY`]; `None` = never.
    pub last_used_at: Option<Timestamp>,
}

/// A fresh random token: `ast_` and 64 hex digits (256 bits).
pub fn generate() -> String {
    format!("ast_{}", crate::hex::random(32))
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    crate::hex::encode(&Sha256::digest(token.as_bytes()))
}

/// The token of an `Authorization` header value: scheme `Bearer` in any case (RFC 7235 makes
/// auth-schemes case-insensitive), one or more spaces, then the token.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl TokenRecord {
    /// An operator or admin token without expiry that was never used.
    pub fn new(name: String, hash: String, role: Role, created_at: String) -> Self {
        Self {
            name,
            hash,
            role,
            services: Vec::new(),
            regions: Vec::new(),
            created_at,
            expires_at: None,
            last_used_at: None,
        }
    }

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

    /// Whether the token has expired at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|end| now >= end)
    }

    /// Whether a use at `now` should be written down: never used, or the last recorded use is
    /// at least [`LAST_USED_GRANULARITY`] old (or, with a clock set back, in the future).
    pub fn use_worth_recording(&self, now: Timestamp) -> bool {
        self.last_used_at.is_none_or(|last| {
            let age = now.duration_since(last);
            age >= LAST_USED_GRANULARITY || age.is_negative()
        })
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
            services: services.iter().map(|s| s.to_string()).collect(),
            regions: regions.iter().map(|s| s.to_string()).collect(),
            ..TokenRecord::new("t".into(), String::new(), Role::Operator, String::new())
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

    #[test]
    fn the_bearer_scheme_is_case_insensitive_and_nothing_else_passes() {
        for header in [
            "Bearer ast_1",
            "bearer ast_1",
            "BEARER  ast_1 ",
            " BeArEr ast_1",
        ] {
            assert_eq!(bearer(header), Some("ast_1"), "{header}");
        }
        for header in [
            "Basic ast_1",
            "Bearerast_1",
            "ast_1",
            "Bearer ",
            "Bearer",
            "",
        ] {
            assert_eq!(bearer(header), None, "{header}");
        }
    }

    #[test]
    fn a_token_expires_at_its_instant_and_records_its_use_once_a_minute() {
        let at = |s: &str| s.parse::<Timestamp>().expect("timestamp");
        let mut t = token(&[], &[]);
        assert!(!t.expired(at("2100-01-01T00:00:00Z")), "no expiry");
        t.expires_at = Some(at("2026-12-01T00:00:00Z"));
        assert!(!t.expired(at("2026-11-30T23:59:59Z")));
        assert!(t.expired(at("2026-12-01T00:00:00Z")));

        assert!(
            t.use_worth_recording(at("2026-11-23T09:00:00Z")),
            "never used"
        );
        t.last_used_at = Some(at("2026-11-23T09:00:00Z"));
        assert!(!t.use_worth_recording(at("2026-11-23T09:00:59Z")));
        assert!(t.use_worth_recording(at("2026-11-23T09:01:00Z")));
        assert!(
            t.use_worth_recording(at("2026-11-23T08:00:00Z")),
            "a clock set back is corrected"
        );
    }
}
