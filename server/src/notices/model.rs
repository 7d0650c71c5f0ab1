//! What a notice is, what an operator may send, and the rules around it.

use crate::domain::LeikaKey;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wire::{Impact, NoticeContent, NoticeKind, NoticeState};

/// Languages a notice may be written in; German is required, the others fall back to it.
pub const LANGUAGES: [&str; 3] = ["de", "en", "de-x-ls"];

/// Characters of `still_works`, `alternative` and `alternative_url`.
pub const MAX_SHORT_TEXT: usize = 1000;
/// Characters of one timeline message in one language.
pub const MAX_MESSAGE: usize = 2000;
/// Entries of a notice's timeline; older ones are dropped.
pub const MAX_UPDATES: usize = 100;
/// Bytes of a stored notice (JSON): every copy in the change log, the replay window and the
/// streams is bounded by it. Texts at their limits fit; a long timeline loses its oldest
/// entries first.
pub const MAX_NOTICE_BYTES: usize = 96 * 1024;
/// Entries of `services` and of `regions`.
pub const MAX_SCOPE: usize = 200;

/// Maintenance is announced this long before it starts.
pub const ANNOUNCE_AHEAD: SignedDuration = SignedDuration::from_hours(24 * 14);

/// A notice as stored: every language, publication state and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredNotice {
    /// Stable identifier (`ntc-` + 16 hex digits).
    pub id: String,
    /// Incident, maintenance or info.
    pub kind: NoticeKind,
    /// Life-cycle state.
    pub state: NoticeState,
    /// Impact.
    pub impact: Impact,
    /// LeiKa keys; empty = all services.
    pub services: Vec<String>,
    /// ARS prefixes; empty = everywhere.
    pub regions: Vec<String>,
    /// Maintenance window start.
    pub starts_at: Option<Timestamp>,
    /// Maintenance window end.
    pub ends_at: Option<Timestamp>,
    /// Drafts (e.g. raised by a monitor awaiting a person) are not shown to the public.
    pub published: bool,
    /// Who raised it: `token:<name>`, `monitor:<leika>`, `alertmanager:<fingerprint>`.
    pub source: String,
    /// First saved.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
    /// Texts by language; always has `de`.
    pub content: BTreeMap<String, NoticeContent>,
    /// Timeline, newest first.
    pub updates: Vec<StoredUpdate>,
}

/// One timeline entry with its message per language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredUpdate {
    /// When.
    pub at: Timestamp,
    /// State after the update.
    pub state: NoticeState,
    /// Message by language (may be empty).
    pub message: BTreeMap<String, String>,
}

/// What an operator sends to raise a notice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    /// Kind.
    pub kind: NoticeKind,
    /// Initial state; defaults to the kind's first state.
    pub state: Option<NoticeState>,
    /// Impact.
    pub impact: Impact,
    /// LeiKa keys; empty = all services.
    #[serde(default)]
    pub services: Vec<String>,
    /// ARS prefixes; empty = everywhere.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Maintenance window start (RFC 3339).
    pub starts_at: Option<Timestamp>,
    /// Maintenance window end (RFC 3339).
    pub ends_at: Option<Timestamp>,
    /// Publish at once (default) or keep as a draft.
    #[serde(default = "yes")]
    pub published: bool,
    /// Texts by language; `de` is required.
    pub content: BTreeMap<String, NoticeContent>,
    /// First timeline message by language.
    #[serde(default)]
    pub message: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// What an operator sends to change a notice; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticePatch {
    /// New state.
    pub state: Option<NoticeState>,
    /// New impact.
    pub impact: Option<Impact>,
    /// New service scope.
    pub services: Option<Vec<String>>,
    /// New region scope.
    pub regions: Option<Vec<String>>,
    /// New window start.
    pub starts_at: Option<Timestamp>,
    /// New window end.
    pub ends_at: Option<Timestamp>,
    /// Publish a draft (or withdraw).
    pub published: Option<bool>,
    /// Replace texts of the given languages.
    #[serde(default)]
    pub content: BTreeMap<String, NoticeContent>,
    /// Timeline message by language.
    #[serde(default)]
    pub message: BTreeMap<String, String>,
}

/// A rule a notice breaks: the field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct NoticeError {
    /// Offending field, e.g. `regions[0]`.
    pub field: String,
    /// Explanation for a person.
    pub reason: String,
}

fn fail(field: impl Into<String>, reason: impl Into<String>) -> NoticeError {
    NoticeError {
        field: field.into(),
        reason: reason.into(),
    }
}

/// The state a new notice of `kind` starts in.
pub fn first_state(kind: NoticeKind) -> NoticeState {
    match kind {
        NoticeKind::Incident => NoticeState::Investigating,
        NoticeKind::Maintenance => NoticeState::Scheduled,
        NoticeKind::Info => NoticeState::Active,
    }
}

/// Whether `state` belongs to the life cycle of `kind`.
pub fn state_fits(kind: NoticeKind, state: NoticeState) -> bool {
    use NoticeState::*;
    match kind {
        NoticeKind::Incident => matches!(state, Investigating | Identified | Monitoring | Resolved),
        NoticeKind::Maintenance => matches!(state, Scheduled | InProgress | Completed),
        NoticeKind::Info => matches!(state, Active | Resolved),
    }
}

impl StoredNotice {
    /// Builds a new notice from operator input; `id` and `now` come from the caller.
    pub fn create(
        id: String,
        input: NoticeInput,
        source: String,
        now: Timestamp,
    ) -> Result<Self, NoticeError> {
        let state = input.state.unwrap_or(first_state(input.kind));
        let notice = StoredNotice {
            id,
            kind: input.kind,
            state,
            impact: input.impact,
            services: input.services,
            regions: input.regions,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            published: input.published,
            source,
            created_at: now,
            updated_at: now,
            content: input.content,
            updates: vec![StoredUpdate {
                at: now,
                state,
                message: input.message,
            }],
        };
        notice.validate()?;
        Ok(notice)
    }

    /// Applies a patch; a timeline entry is added when the state changes or a message is given.
    pub fn patched(&self, patch: NoticePatch, now: Timestamp) -> Result<Self, NoticeError> {
        let mut next = self.clone();
        if let Some(state) = patch.state {
            next.state = state;
        }
        if let Some(impact) = patch.impact {
            next.impact = impact;
        }
        if let Some(services) = patch.services {
            next.services = services;
        }
        if let Some(regions) = patch.regions {
            next.regions = regions;
        }
        if patch.starts_at.is_some() {
            next.starts_at = patch.starts_at;
        }
        if patch.ends_at.is_some() {
            next.ends_at = patch.ends_at;
        }
        if let Some(published) = patch.published {
            next.published = published;
        }
        next.content.extend(patch.content);
        if next.state != self.state || !patch.message.is_empty() {
            next.updates.insert(
                0,
                StoredUpdate {
                    at: now,
                    state: next.state,
                    message: patch.message,
                },
            );
        }
        next.updated_at = now;
        // The timeline keeps its newest entries: bounded, and a notice can always move on (by
        // a person, a monitor or the clock), whatever its history.
        next.trim_timeline();
        next.validate()?;
        Ok(next)
    }

    /// Drops the oldest timeline entries (never the newest) until the timeline holds at most
    /// [`MAX_UPDATES`] entries and the whole notice fits in [`MAX_NOTICE_BYTES`].
    fn trim_timeline(&mut self) {
        self.updates.truncate(MAX_UPDATES);
        while self.updates.len() > 1 && self.stored_len() > MAX_NOTICE_BYTES {
            self.updates.pop();
        }
    }

    /// Bytes of the stored JSON.
    pub fn stored_len(&self) -> usize {
        serde_json::to_vec(self).map_or(usize::MAX, |v| v.len())
    }

    /// Whether the notice has ended (resolved or completed).
    pub fn is_over(&self) -> bool {
        matches!(self.state, NoticeState::Resolved | NoticeState::Completed)
    }

    /// Checks every rule; the first broken one is returned.
    pub fn validate(&self) -> Result<(), NoticeError> {
        if !state_fits(self.kind, self.state) {
            return Err(fail(
                "state",
                format!(
                    "`{}` is not a state of a {} notice",
                    crate::db::enum_name(&self.state),
                    crate::db::enum_name(&self.kind)
                ),
            ));
        }
        if self.services.len() > MAX_SCOPE || self.regions.len() > MAX_SCOPE {
            return Err(fail(
                if self.services.len() > MAX_SCOPE {
                    "services"
                } else {
                    "regions"
                },
                format!(
                    "at most {MAX_SCOPE} entries; use a shorter prefix or leave it empty for all"
                ),
            ));
        }
        for (i, s) in self.services.iter().enumerate() {
            s.parse::<LeikaKey>()
                .map_err(|e| fail(format!("services[{i}]"), e.to_string()))?;
        }
        for (i, r) in self.regions.iter().enumerate() {
            check_prefix(r).map_err(|reason| fail(format!("regions[{i}]"), reason))?;
        }
        if !self.content.contains_key("de") {
            return Err(fail("content", "a German text (`de`) is required"));
        }
        for (lang, c) in &self.content {
            if !LANGUAGES.contains(&lang.as_str()) {
                return Err(fail(
                    format!("content.{lang}"),
                    "languages are de, en and de-x-ls",
                ));
            }
            if c.title.trim().is_empty() {
                return Err(fail(format!("content.{lang}.title"), "must not be empty"));
            }
            if c.title.chars().count() > 200 || c.body.chars().count() > 5000 {
                return Err(fail(
                    format!("content.{lang}"),
                    "title ≤ 200 and body ≤ 5000 characters",
                ));
            }
            let short_texts = [
                ("still_works", c.still_works.as_deref()),
                ("alternative", c.alternative.as_deref()),
                ("alternative_url", c.alternative_url.as_deref()),
            ];
            for (field, text) in short_texts {
                if text.is_some_and(|t| t.chars().count() > MAX_SHORT_TEXT) {
                    return Err(fail(
                        format!("content.{lang}.{field}"),
                        format!("at most {MAX_SHORT_TEXT} characters"),
                    ));
                }
            }
            if let Some(url) = &c.alternative_url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                return Err(fail(
                    format!("content.{lang}.alternative_url"),
                    "must start with https://",
                ));
            }
        }
        // The newest entry is the one just written; older ones were checked when they were.
        for (i, update) in self.updates.iter().enumerate().take(1) {
            for (lang, text) in &update.message {
                if !LANGUAGES.contains(&lang.as_str()) {
                    return Err(fail(
                        format!("message.{}", lang.chars().take(20).collect::<String>()),
                        "languages are de, en and de-x-ls",
                    ));
                }
                if text.chars().count() > MAX_MESSAGE {
                    let place = if i == 0 {
                        "message".to_string()
                    } else {
                        format!("updates[{i}]")
                    };
                    return Err(fail(
                        format!("{place}.{lang}"),
                        format!("at most {MAX_MESSAGE} characters"),
                    ));
                }
            }
        }
        if self.stored_len() > MAX_NOTICE_BYTES {
            return Err(fail(
                "content",
                format!(
                    "the notice is too large (at most {} KiB with all its languages)",
                    MAX_NOTICE_BYTES / 1024
                ),
            ));
        }
        if self.kind == NoticeKind::Maintenance {
            match (self.starts_at, self.ends_at) {
                (Some(start), Some(end)) if start < end => {}
                (Some(_), Some(_)) => {
                    return Err(fail("ends_at", "the window must end after it starts"));
                }
                _ => {
                    return Err(fail(
                        "starts_at",
                        "maintenance needs `starts_at` and `ends_at`",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether the notice concerns a citizen of `ars` using `leika`. A notice for all services
    /// or everywhere matches everyone; without a service (or region) only such notices match.
    pub fn matches(&self, leika: Option<&str>, ars: Option<&str>) -> bool {
        let service_ok =
            self.services.is_empty() || leika.is_some_and(|k| self.services.iter().any(|s| s == k));
        let region_ok = self.regions.is_empty()
            || ars.is_some_and(|a| self.regions.iter().any(|p| a.starts_with(p.as_str())));
        service_ok && region_ok
    }

    /// Whether the public sees it at `now`: published, not over, and — for maintenance — no
    /// more than two weeks ahead.
    pub fn visible(&self, now: Timestamp) -> bool {
        let over = matches!(self.state, NoticeState::Resolved | NoticeState::Completed);
        let too_early = self.state == NoticeState::Scheduled
            && self
                .starts_at
                .is_some_and(|s| s.checked_sub(ANNOUNCE_AHEAD).is_ok_and(|a| now < a));
        self.published && !over && !too_early
    }

    /// The state the clock moves a maintenance notice to at `now`, if any.
    pub fn due_transition(&self, now: Timestamp) -> Option<NoticeState> {
        if self.kind != NoticeKind::Maintenance {
            return None;
        }
        let ended = self.ends_at.is_some_and(|e| now >= e);
        let started = self.starts_at.is_some_and(|s| now >= s);
        match self.state {
            NoticeState::Scheduled | NoticeState::InProgress if ended => {
                Some(NoticeState::Completed)
            }
            NoticeState::Scheduled if started => Some(NoticeState::InProgress),
            _ => None,
        }
    }

    /// The public view in `lang`, falling back to German text by text.
    pub fn public(&self, lang: &str) -> wire::Notice {
        let (lang, content) = match self.content.get(lang) {
            Some(c) => (lang, c.clone()),
            None => (
                "de",
                self.content
                    .get("de")
                    .cloned()
                    .unwrap_or_else(|| NoticeContent {
                        title: String::new(),
                        body: String::new(),
                        still_works: None,
                        answers_kept: wire::AnswersKept::Unknown,
                        alternative: None,
                        alternative_url: None,
                    }),
            ),
        };
        wire::Notice {
            id: self.id.clone(),
            kind: self.kind,
            state: self.state,
            impact: self.impact,
            services: self.services.clone(),
            regions: self.regions.clone(),
            starts_at: self.starts_at.map(rfc3339),
            ends_at: self.ends_at.map(rfc3339),
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            content,
            lang: lang.to_string(),
            updates: self
                .updates
                .iter()
                .map(|u| wire::NoticeUpdate {
                    at: rfc3339(u.at),
                    state: u.state,
                    message: u
                        .message
                        .get(lang)
                        .or_else(|| u.message.get("de"))
                        .cloned()
                        .unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// An instant as RFC 3339 in Europe/Berlin wall time with offset.
pub fn rfc3339(t: Timestamp) -> String {
    t.to_zoned(crate::hours::berlin())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// An ARS prefix: 2 to 12 digits whose Land part exists (the one rule, [`crate::domain::ars_prefix`]).
fn check_prefix(prefix: &str) -> Result<(), String> {
    crate::domain::ars_prefix(prefix)
        .map(drop)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::AnswersKept;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    fn content(title: &str) -> BTreeMap<String, NoticeContent> {
        [(
            "de".to_string(),
            NoticeContent {
                title: title.into(),
                body: "Text".into(),
                still_works: None,
                answers_kept: AnswersKept::Yes,
                alternative: Some("Rufen Sie die 115 an.".into()),
                alternative_url: None,
            },
        )]
        .into()
    }

    fn input(kind: NoticeKind) -> NoticeInput {
        NoticeInput {
            kind,
            state: None,
            impact: Impact::Major,
            services: vec!["99041006017000".into()],
            regions: vec!["04".into()],
            starts_at: None,
            ends_at: None,
            published: true,
            content: content("Störung"),
            message: BTreeMap::new(),
        }
    }

    fn incident() -> StoredNotice {
        StoredNotice::create(
            "ntc-1".into(),
            input(NoticeKind::Incident),
            "test".into(),
            at("2026-11-23T09:00:00Z"),
        )
        .expect("valid incident")
    }

    fn maintenance() -> StoredNotice {
        StoredNotice::create(
            "ntc-2".into(),
            NoticeInput {
                starts_at: Some(at("2026-12-01T21:00:00Z")),
                ends_at: Some(at("2026-12-02T01:00:00Z")),
                ..input(NoticeKind::Maintenance)
            },
            "test".into(),
            at("2026-11-10T09:00:00Z"),
        )
        .expect("valid maintenance")
    }

    #[test]
    fn a_region_prefix_reaches_every_gemeinde_below_it() {
        let n = incident();
        assert!(n.matches(Some("99041006017000"), Some("040110000000")));
        assert!(n.matches(Some("99041006017000"), Some("040120000000")));
        assert!(!n.matches(Some("99041006017000"), Some("050000000000")));
        assert!(
            !n.matches(Some("99041006017000"), None),
            "a regional notice needs a region"
        );
        assert!(!n.matches(Some("99000000000000"), Some("040110000000")));
        assert!(
            !n.matches(None, Some("040110000000")),
            "a service notice needs the service"
        );
    }

    #[test]
    fn notices_without_scope_reach_everyone() {
        let n = StoredNotice {
            services: vec![],
            regions: vec![],
            ..incident()
        };
        assert!(n.matches(None, None));
        assert!(n.matches(Some("99041006017000"), Some("160000000000")));
    }

    #[test]
    fn maintenance_moves_on_the_clock() {
        let m = maintenance();
        assert_eq!(m.state, NoticeState::Scheduled);
        assert_eq!(m.due_transition(at("2026-12-01T20:59:59Z")), None);
        assert_eq!(
            m.due_transition(at("2026-12-01T21:00:00Z")),
            Some(NoticeState::InProgress)
        );
        let running = StoredNotice {
            state: NoticeState::InProgress,
            ..m.clone()
        };
        assert_eq!(running.due_transition(at("2026-12-02T00:59:59Z")), None);
        assert_eq!(
            running.due_transition(at("2026-12-02T01:00:00Z")),
            Some(NoticeState::Completed)
        );
        // A window missed entirely (server down) completes directly.
        assert_eq!(
            m.due_transition(at("2026-12-03T00:00:00Z")),
            Some(NoticeState::Completed)
        );
        assert_eq!(incident().due_transition(at("2030-01-01T00:00:00Z")), None);
    }

    #[test]
    fn maintenance_is_announced_two_weeks_ahead() {
        let m = maintenance();
        assert!(!m.visible(at("2026-11-17T20:59:59Z")));
        assert!(m.visible(at("2026-11-17T21:00:00Z")));
        let done = StoredNotice {
            state: NoticeState::Completed,
            ..m
        };
        assert!(!done.visible(at("2026-12-02T02:00:00Z")));
    }

    #[test]
    fn drafts_are_not_public() {
        let draft = StoredNotice {
            published: false,
            ..incident()
        };
        assert!(!draft.visible(at("2026-11-23T10:00:00Z")));
    }

    #[test]
    fn patches_add_a_timeline_entry_on_state_change() {
        let n = incident();
        let patched = n
            .patched(
                NoticePatch {
                    state: Some(NoticeState::Identified),
                    message: [("de".to_string(), "Ursache gefunden".to_string())].into(),
                    ..NoticePatch::default()
                },
                at("2026-11-23T09:30:00Z"),
            )
            .expect("valid patch");
        assert_eq!(patched.updates.len(), 2);
        assert_eq!(patched.updates[0].state, NoticeState::Identified);
        assert_eq!(patched.updated_at, at("2026-11-23T09:30:00Z"));
        let unchanged = n
            .patched(NoticePatch::default(), at("2026-11-23T09:31:00Z"))
            .expect("empty patch");
        assert_eq!(unchanged.updates.len(), 1);
    }

    #[test]
    fn broken_rules_name_the_field() {
        let bad_state = incident().patched(
            NoticePatch {
                state: Some(NoticeState::InProgress),
                ..NoticePatch::default()
            },
            at("2026-11-23T10:00:00Z"),
        );
        assert_eq!(bad_state.map_err(|e| e.field), Err("state".to_string()));
        let bad_region = StoredNotice {
            regions: vec!["4".into()],
            ..incident()
        };
        assert_eq!(
            bad_region.validate().map_err(|e| e.field),
            Err("regions[0]".to_string())
        );
        let bad_land = StoredNotice {
            regions: vec!["17".into()],
            ..incident()
        };
        assert!(bad_land.validate().is_err());
        let no_german = StoredNotice {
            content: BTreeMap::new(),
            ..incident()
        };
        assert_eq!(
            no_german.validate().map_err(|e| e.field),
            Err("content".to_string())
        );
        let no_window = StoredNotice::create(
            "x".into(),
            input(NoticeKind::Maintenance),
            "t".into(),
            at("2026-11-23T09:00:00Z"),
        );
        assert_eq!(no_window.map_err(|e| e.field), Err("starts_at".to_string()));
    }

    #[test]
    fn other_languages_fall_back_to_german() {
        let mut n = incident();
        let public = n.public("en");
        assert_eq!(
            (public.lang.as_str(), public.content.title.as_str()),
            ("de", "Störung")
        );
        n.content.insert(
            "en".into(),
            NoticeContent {
                title: "Outage".into(),
                ..content("x")["de"].clone()
            },
        );
        assert_eq!(n.public("en").content.title, "Outage");
        assert_eq!(n.public("en").created_at, "2026-11-23T10:00:00+01:00");
    }
}
