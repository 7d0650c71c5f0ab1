//! Built-in HTTP health monitor: probes each online service's health URL on an interval and
//! raises an incident by itself when the service stops answering, resolving it when the service
//! is back — so citizens learn about an outage even before a person has noticed it.
//!
//! - [`MonitorConfig`] — one entry of the `--monitors` JSON file, with [`load_config`] to read
//!   and check the whole file on start;
//! - [`MonitorState`] — the pure up/down state machine (N failures in a row to go down, M
//!   successes in a row to come back), so flapping does not raise and resolve incidents;
//! - [`Monitor`] — one probe plus applying its outcome through the [`NoticeHub`]
//!   ([`Monitor::check_once`], driven by tests directly);
//! - [`spawn_all`] — one task per monitor on its interval, used by the server.
//!
//! A monitor stays silent while a published maintenance notice covering its service and regions
//! is in progress: announced downtime is not an incident.

use crate::domain::LeikaKey;
use crate::notices::NoticeHub;
use crate::notices::hub::HubError;
use crate::notices::model::{NoticeInput, StoredNotice};
use crate::state::Clock;
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use wire::{AnswersKept, Impact, NoticeContent, NoticeKind, NoticeState};

/// Body of every monitor incident.
pub const INCIDENT_BODY: &str = "Der Online-Dienst antwortet nicht (automatische Überwachung).";
/// What citizens can do instead.
pub const INCIDENT_ALTERNATIVE: &str =
    "Bitte versuchen Sie es später erneut oder rufen Sie die Behördennummer 115 an.";
/// Timeline message when the service answers again.
pub const RECOVERED_MESSAGE: &str = "Der Online-Dienst ist wieder erreichbar.";
/// Title when neither the file nor the service's name give one.
pub const GENERIC_TITLE: &str = "Online-Dienst gestört";

/// Whether a monitor's incident needs a person to publish it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publish {
    /// Raised unpublished; a person checks it and publishes it (`PATCH … {"published": true}`).
    #[default]
    Draft,
    /// Published at once.
    Direct,
}

/// One monitored online service, as written in the `--monitors` file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorConfig {
    /// Unique name; the incident's source is `monitor:<name>`.
    pub name: String,
    /// LeiKa key of the service.
    pub leika: String,
    /// ARS prefixes the service serves; empty = everywhere.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Health URL (`http://` or `https://`); 2xx and 3xx count as up.
    pub url: String,
    /// Seconds between probes.
    #[serde(default = "default_interval")]
    pub interval_secs: u64,
    /// Seconds a probe may take before it counts as a failure.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Failed probes in a row before the service counts as down.
    #[serde(default = "default_failures")]
    pub failures_to_down: u32,
    /// Successful probes in a row before a down service counts as up again.
    #[serde(default = "default_successes")]
    pub successes_to_up: u32,
    /// Draft (default) or direct publication.
    #[serde(default)]
    pub publish: Publish,
    /// German incident title; defaults to "<service name>: Online-Dienst gestört".
    #[serde(default)]
    pub title: Option<String>,
}

fn default_interval() -> u64 {
    30
}
fn default_timeout() -> u64 {
    5
}
fn default_failures() -> u32 {
    3
}
fn default_successes() -> u32 {
    2
}

/// A problem in the monitors file, with its place (`[0].leika`, `line 3, column 7`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {reason}")]
pub struct ConfigProblem {
    /// Where: JSON path or line and column.
    pub place: String,
    /// Why, for a person.
    pub reason: String,
}

/// Why the monitors file cannot be used. Each renders as one line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read monitors file {path}: {cause}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error (part of the message, so the line stays complete on its own).
        cause: std::io::Error,
    },
    /// The file is not a valid monitor list.
    #[error("monitors file {path}: {problem}")]
    Invalid {
        /// The file.
        path: String,
        /// The first problem found.
        problem: ConfigProblem,
    },
}

/// Reads and checks the monitors file.
pub fn load_config(path: &Path) -> Result<Vec<MonitorConfig>, ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|cause| ConfigError::Read {
        path: shown.clone(),
        cause,
    })?;
    parse_config(&text).map_err(|problem| ConfigError::Invalid {
        path: shown,
        problem,
    })
}

/// Parses and checks a monitor list (the file's text).
pub fn parse_config(text: &str) -> Result<Vec<MonitorConfig>, ConfigProblem> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let configs: Vec<MonitorConfig> = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // A syntax error has no meaningful path (`[0].?`); its line and column say more.
        let syntax = matches!(
            inner.classify(),
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof
        );
        let place = if syntax || path == "." || path.is_empty() {
            format!("line {}, column {}", inner.line(), inner.column())
        } else {
            path
        };
        // serde's message repeats the position; keep the reason short.
        let reason = inner.to_string();
        let reason = reason
            .rsplit_once(" at line ")
            .map_or(reason.as_str(), |(r, _)| r)
            .to_string();
        ConfigProblem { place, reason }
    })?;
    let mut names = HashSet::new();
    for (i, config) in configs.iter().enumerate() {
        let problem = |field: &str, reason: String| ConfigProblem {
            place: format!("[{i}].{field}"),
            reason,
        };
        let name_ok = !config.name.is_empty()
            && config.name.len() <= 64
            && config
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !name_ok {
            return Err(problem(
                "name",
                "1 to 64 letters, digits, `-`, `_` or `.`".into(),
            ));
        }
        if !names.insert(config.name.as_str()) {
            return Err(problem("name", format!("`{}` is used twice", config.name)));
        }
        config
            .leika
            .parse::<LeikaKey>()
            .map_err(|e| problem("leika", e.to_string()))?;
        let url_ok = reqwest::Url::parse(&config.url).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        });
        if !url_ok {
            return Err(problem(
                "url",
                format!("`{}` is not an http:// or https:// URL", config.url),
            ));
        }
        for (field, value) in [
            ("interval_secs", config.interval_secs),
            ("timeout_secs", config.timeout_secs),
            ("failures_to_down", u64::from(config.failures_to_down)),
            ("successes_to_up", u64::from(config.successes_to_up)),
        ] {
            if value == 0 {
                return Err(problem(field, "must be at least 1".into()));
            }
        }
        // Regions and title follow the rules of every notice; check them with those rules.
        let draft = incident_input(config, config.title.as_deref().unwrap_or(GENERIC_TITLE));
        StoredNotice::create(String::new(), draft, String::new(), Timestamp::UNIX_EPOCH).map_err(
            |e| {
                let field = if e.field.starts_with("content") {
                    "title".to_string()
                } else {
                    e.field
                };
                problem(&field, e.reason)
            },
        )?;
    }
    Ok(configs)
}

/// Gives every monitor without a title "<service name>: Online-Dienst gestört", the name taken
/// from the contact data (`(leika, name)` pairs).
pub fn fill_default_titles(configs: &mut [MonitorConfig], service_names: &[(String, String)]) {
    for config in configs.iter_mut().filter(|c| c.title.is_none()) {
        let title = service_names
            .iter()
            .find(|(key, _)| *key == config.leika)
            .map(|(_, name)| format!("{name}: {GENERIC_TITLE}"))
            // A title must stay within the notice limit; an overlong name falls back.
            .filter(|t| t.chars().count() <= 200)
            .unwrap_or_else(|| GENERIC_TITLE.to_string());
        config.title = Some(title);
    }
}

/// What the incident of `config` says.
fn incident_input(config: &MonitorConfig, title: &str) -> NoticeInput {
    let content = NoticeContent {
        title: title.to_string(),
        body: INCIDENT_BODY.to_string(),
        still_works: None,
        answers_kept: AnswersKept::Unknown,
        alternative: Some(INCIDENT_ALTERNATIVE.to_string()),
        alternative_url: None,
    };
    NoticeInput {
        kind: NoticeKind::Incident,
        state: None,
        impact: Impact::Major,
        services: vec![config.leika.clone()],
        regions: config.regions.clone(),
        starts_at: None,
        ends_at: None,
        published: config.publish == Publish::Direct,
        content: [("de".to_string(), content)].into(),
        message: BTreeMap::new(),
    }
}

/// A change of a monitored service's condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Enough failures in a row: the service is down.
    Down,
    /// Enough successes in a row after being down: the service is back.
    Up,
}

/// Up/down with hysteresis: a single failed or successful probe changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorState {
    failures_to_down: u32,
    successes_to_up: u32,
    down: bool,
    /// Probes in a row that contradict the current condition.
    streak: u32,
}

impl MonitorState {
    /// Starts up. Thresholds below 1 are taken as 1.
    pub fn new(failures_to_down: u32, successes_to_up: u32) -> Self {
        Self {
            failures_to_down: failures_to_down.max(1),
            successes_to_up: successes_to_up.max(1),
            down: false,
            streak: 0,
        }
    }

    /// Starts down (after a restart while the monitor's incident is still open).
    pub fn new_down(failures_to_down: u32, successes_to_up: u32) -> Self {
        Self {
            down: true,
            ..Self::new(failures_to_down, successes_to_up)
        }
    }

    /// Whether the service currently counts as down.
    pub fn is_down(&self) -> bool {
        self.down
    }

    /// Takes one probe result; returns the transition it completes, if any.
    pub fn observe(&mut self, ok: bool) -> Option<Transition> {
        // A probe agreeing with the current condition breaks any streak towards the other.
        if ok != self.down {
            self.streak = 0;
            return None;
        }
        self.streak += 1;
        let needed = if self.down {
            self.successes_to_up
        } else {
            self.failures_to_down
        };
        if self.streak < needed {
            return None;
        }
        self.streak = 0;
        self.down = !self.down;
        Some(if self.down {
            Transition::Down
        } else {
            Transition::Up
        })
    }

    /// Drops failures counted towards going down (used during maintenance, so an outage right
    /// after the window needs a full fresh run of failures).
    pub fn forget_failures(&mut self) {
        if !self.down {
            self.streak = 0;
        }
    }
}

/// Why a probe failed.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The server answered with a status other than 2xx/3xx.
    #[error("answered HTTP {0}")]
    Status(u16),
    /// No answer within the timeout.
    #[error("no answer within {0} s")]
    Timeout(u64),
    /// Connecting, TLS or the request failed.
    #[error("request failed: {0}")]
    Request(String),
}

/// Setting up a monitor failed.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// The HTTP client could not be built (TLS roots, …).
    #[error("monitor `{name}`: cannot set up the HTTP client: {reason}")]
    Client {
        /// The monitor.
        name: String,
        /// Why.
        reason: String,
    },
}

/// What one [`Monitor::check_once`] did.
#[derive(Debug)]
pub struct CheckOutcome {
    /// The probe's result.
    pub probe: Result<(), ProbeError>,
    /// A failure was not counted because maintenance covering the service is in progress.
    pub silenced: bool,
    /// The transition this probe completed.
    pub transition: Option<Transition>,
    /// The incident raised or resolved by the transition.
    pub notice: Option<Arc<StoredNotice>>,
}

/// One monitored service with its HTTP client and state.
#[derive(Debug)]
pub struct Monitor {
    config: MonitorConfig,
    source: String,
    client: reqwest::Client,
    state: MonitorState,
}

/// Installs rustls' `ring` provider as the process default; call it before building any
/// `reqwest::Client` (reqwest is built without a provider of its own, to avoid aws-lc-rs, a
/// long C build needing cmake). Idempotent.
pub fn install_crypto_provider() {
    // An error only means a provider is installed already, which is all we need.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Monitor {
    /// Sets up a monitor. If an incident it raised is still open (the server restarted during
    /// an outage), it starts down, so that recovery resolves that incident.
    pub fn new(config: MonitorConfig, hub: &NoticeHub) -> Result<Self, MonitorError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.timeout_secs))
            // 3xx counts as up; following redirects would probe another page.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("anlaufstelle-monitor/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| MonitorError::Client {
                name: config.name.clone(),
                reason: error_chain(&e),
            })?;
        let source = format!("monitor:{}", config.name);
        let state = if hub.open_from(&source).is_some() {
            MonitorState::new_down(config.failures_to_down, config.successes_to_up)
        } else {
            MonitorState::new(config.failures_to_down, config.successes_to_up)
        };
        Ok(Self {
            config,
            source,
            client,
            state,
        })
    }

    /// The monitor's configuration.
    pub fn config(&self) -> &MonitorConfig {
        &self.config
    }

    /// The source key of its incidents: `monitor:<name>`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The current up/down state.
    pub fn state(&self) -> MonitorState {
        self.state
    }

    /// One request to the health URL.
    pub async fn probe(&self) -> Result<(), ProbeError> {
        match self.client.get(&self.config.url).send().await {
            Ok(response) => {
                let status = response.status();
                if status.is_success() || status.is_redirection() {
                    Ok(())
                } else {
                    Err(ProbeError::Status(status.as_u16()))
                }
            }
            Err(e) if e.is_timeout() => Err(ProbeError::Timeout(self.config.timeout_secs)),
            Err(e) => Err(ProbeError::Request(error_chain(&e))),
        }
    }

    /// Probes once and applies the outcome: raises the incident (source `monitor:<name>`) when
    /// the service goes down, resolves it when it is back. On a hub failure the state is left
    /// as before the probe, so the next probe tries again.
    pub async fn check_once(
        &mut self,
        hub: &NoticeHub,
        now: Timestamp,
    ) -> Result<CheckOutcome, HubError> {
        let probe = self.probe().await;
        let name = self.config.name.as_str();
        let mut outcome = CheckOutcome {
            silenced: false,
            transition: None,
            notice: None,
            probe,
        };
        if let Err(e) = &outcome.probe {
            if self.in_maintenance(hub, now) {
                tracing::debug!(monitor = name, error = %e, "probe failed during maintenance");
                self.state.forget_failures();
                outcome.silenced = true;
                return Ok(outcome);
            }
            // Warn while failures count towards an outage; once down, the incident says it all.
            if self.state.is_down() {
                tracing::debug!(monitor = name, error = %e, "probe failed; still down");
            } else {
                tracing::warn!(monitor = name, url = %self.config.url, error = %e, "probe failed");
            }
        }
        let before = self.state;
        outcome.transition = self.state.observe(outcome.probe.is_ok());
        let applied = match outcome.transition {
            None => Ok(None),
            Some(Transition::Down) => {
                let title = self.config.title.as_deref().unwrap_or(GENERIC_TITLE);
                let input = incident_input(&self.config, title);
                hub.raise_from(&self.source, &[], input, now, |_| true)
                    .await
                    .map(Some)
            }
            Some(Transition::Up) => {
                let message = [("de".to_string(), RECOVERED_MESSAGE.to_string())].into();
                // Every open incident of this monitor is closed; the newest is reported.
                hub.resolve_from(&self.source, &[], message, now, |_| true)
                    .await
                    .map(|closed| closed.into_iter().next_back())
            }
        };
        match applied {
            Ok(notice) => {
                if let Some(transition) = outcome.transition {
                    tracing::info!(
                        monitor = name,
                        ?transition,
                        notice = notice.as_ref().map(|n| n.id.as_str()),
                        "service condition changed"
                    );
                }
                outcome.notice = notice;
                Ok(outcome)
            }
            Err(e) => {
                self.state = before;
                Err(e)
            }
        }
    }

    /// Whether a published maintenance notice in progress covers this monitor's service and
    /// all of its regions.
    fn in_maintenance(&self, hub: &NoticeHub, now: Timestamp) -> bool {
        let config = &self.config;
        hub.all().iter().any(|n| {
            let service_ok = n.services.is_empty() || n.services.contains(&config.leika);
            let regions_ok = n.regions.is_empty()
                || (!config.regions.is_empty()
                    && config
                        .regions
                        .iter()
                        .all(|r| n.regions.iter().any(|p| r.starts_with(p.as_str()))));
            n.kind == NoticeKind::Maintenance
                && n.state == NoticeState::InProgress
                && n.visible(now)
                && service_ok
                && regions_ok
        })
    }
}

/// Runs every monitor on its own interval until the process ends. The first probe is at once.
pub fn spawn_all(
    monitors: Vec<Monitor>,
    hub: Arc<NoticeHub>,
    clock: Clock,
) -> Vec<tokio::task::JoinHandle<()>> {
    monitors
        .into_iter()
        .map(|mut monitor| {
            let hub = hub.clone();
            tokio::spawn(async move {
                let period = Duration::from_secs(monitor.config.interval_secs);
                let mut interval = tokio::time::interval(period);
                // A slow probe delays the next one instead of firing a burst to catch up.
                interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    interval.tick().await;
                    if let Err(e) = monitor.check_once(&hub, clock.now()).await {
                        tracing::error!(
                            monitor = monitor.config.name.as_str(),
                            error = %e,
                            "raising or resolving the monitor's incident failed"
                        );
                    }
                }
            })
        })
        .collect()
}

/// An error with its causes, on one line (reqwest's own message omits the cause).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: &mut MonitorState, probes: &[bool]) -> Vec<Option<Transition>> {
        probes.iter().map(|ok| state.observe(*ok)).collect()
    }

    #[test]
    fn three_failures_in_a_row_take_a_service_down() {
        let mut state = MonitorState::new(3, 2);
        assert_eq!(
            run(&mut state, &[false, false, false]),
            [None, None, Some(Transition::Down)]
        );
        assert!(state.is_down());
        assert_eq!(run(&mut state, &[false, false, false, false]), [None; 4]);
    }

    #[test]
    fn a_success_in_between_restarts_the_count_towards_down() {
        let mut state = MonitorState::new(3, 2);
        assert_eq!(
            run(&mut state, &[false, false, true, false, false]),
            [None; 5]
        );
        assert!(!state.is_down());
        assert_eq!(state.observe(false), Some(Transition::Down));
    }

    #[test]
    fn two_successes_in_a_row_bring_a_down_service_back() {
        let mut state = MonitorState::new_down(3, 2);
        assert_eq!(
            run(&mut state, &[true, false, true]),
            [None, None, None],
            "a failure in between restarts the count"
        );
        assert_eq!(state.observe(true), Some(Transition::Up));
        assert!(!state.is_down());
    }

    #[test]
    fn thresholds_of_one_switch_on_every_change() {
        let mut state = MonitorState::new(0, 1);
        assert_eq!(
            run(&mut state, &[true, false, false, true]),
            [None, Some(Transition::Down), None, Some(Transition::Up)]
        );
    }

    #[test]
    fn forgetting_failures_needs_a_full_run_again() {
        let mut state = MonitorState::new(3, 2);
        run(&mut state, &[false, false]);
        state.forget_failures();
        assert_eq!(
            run(&mut state, &[false, false, false]),
            [None, None, Some(Transition::Down)]
        );
        // Once down, forgetting does not touch the way back up.
        state.observe(true);
        state.forget_failures();
        assert_eq!(state.observe(true), Some(Transition::Up));
    }

    #[test]
    fn a_minimal_file_gets_the_defaults() {
        let configs = parse_config(
            r#"[{"name": "elterngeld-bremen", "leika": "99041006017000",
                 "regions": ["04"], "url": "https://example.org/health"}]"#,
        )
        .expect("valid file");
        let c = &configs[0];
        assert_eq!(
            (
                c.interval_secs,
                c.timeout_secs,
                c.failures_to_down,
                c.successes_to_up
            ),
            (30, 5, 3, 2)
        );
        assert_eq!(c.publish, Publish::Draft);
        assert_eq!(c.title, None);
    }

    #[test]
    fn problems_in_the_file_name_their_place() {
        let entry = |extra: &str| {
            format!(
                r#"[{{"name": "a", "leika": "99041006017000", "url": "http://x.test/"{extra}}}]"#
            )
        };
        let cases = [
            (
                entry(r#", "regions": ["4"]"#),
                "[0].regions[0]",
                "ARS prefix",
            ),
            (
                entry(r#", "interval_secs": 0"#),
                "[0].interval_secs",
                "at least 1",
            ),
            (entry(r#", "publish": "later""#), "[0].publish", "`later`"),
            (entry(r#", "colour": "red""#), "[0].colour", "unknown field"),
            (entry(r#", "title": " ""#), "[0].title", "empty"),
            (entry(","), "line 1, column 67", "trailing comma"),
            (
                r#"[{"name": "a", "leika": "123", "url": "http://x.test/"}]"#.to_string(),
                "[0].leika",
                "LeiKa",
            ),
            (
                r#"[{"name": "a", "leika": "99041006017000", "url": "ftp://x.test/"}]"#.to_string(),
                "[0].url",
                "ftp://",
            ),
            (
                r#"[{"name": "a", "leika": "99041006017000", "url": "http://x.test/"},
                    {"name": "a", "leika": "99041006017000", "url": "http://x.test/"}]"#
                    .to_string(),
                "[1].name",
                "twice",
            ),
        ];
        for (text, place, reason) in cases {
            let problem = parse_config(&text).expect_err(&text);
            assert_eq!(problem.place, place, "{text}: {problem}");
            assert!(problem.reason.contains(reason), "{text}: {problem}");
            assert!(!problem.to_string().contains('\n'), "one line: {problem}");
        }
    }

    #[test]
    fn missing_titles_are_named_after_the_service() {
        let mut configs = parse_config(
            r#"[{"name": "a", "leika": "99041006017000", "url": "http://x.test/"},
                {"name": "b", "leika": "99000000000000", "url": "http://x.test/"},
                {"name": "c", "leika": "99041006017000", "url": "http://x.test/", "title": "Eigen"}]"#,
        )
        .expect("valid file");
        fill_default_titles(
            &mut configs,
            &[("99041006017000".into(), "Elterngeld".into())],
        );
        let titles: Vec<_> = configs.iter().map(|c| c.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                Some("Elterngeld: Online-Dienst gestört"),
                Some(GENERIC_TITLE),
                Some("Eigen")
            ]
        );
    }
}
