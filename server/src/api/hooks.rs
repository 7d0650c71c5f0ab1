//! Webhooks from monitoring systems. `POST /api/v1/hooks/alertmanager` takes Prometheus
//! Alertmanager's webhook payload (version 4) and turns alerts that name a service (`leika`
//! label) and/or a region (`ars` label) into incidents — raised while firing, resolved when
//! resolved — so an alert the operations team already has reaches the citizens' forms too.
//!
//! The same bearer tokens as `POST /api/v1/notices` authorise it, with the same scopes; an
//! alert whose labels lie outside the token's scope is skipped and reported, the others still
//! apply. Each alert is its own notice source, `alertmanager:<token name>:<fingerprint>`, so a
//! repeated notification updates the open incident instead of raising a second one, and two
//! tokens whose alerts share a fingerprint (a hash of the labels) never meet. A notice outside
//! the token's scope does not exist for the webhook: an alert colliding with one raises its own
//! incident, its end is ignored, and no answer names it. Incidents keyed the old way,
//! `alertmanager:<fingerprint>`, are still found, by tokens that cover them. Applying an alert
//! is idempotent, which is why a database failure answers `503` for the whole batch:
//! Alertmanager then retries it.

use crate::api::auth::operator;
use crate::domain::{Ars, LeikaKey};
use crate::notices::NoticeHub;
use crate::notices::hub::HubError;
use crate::notices::model::{NoticeError, NoticeInput, StoredNotice};
use crate::notices::tokens::TokenRecord;
use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::HeaderMap;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wire::{AnswersKept, Impact, NoticeContent, NoticeKind};

/// Timeline message when Alertmanager reports an alert as resolved.
pub const RESOLVED_MESSAGE: &str = "Die Störung ist behoben.";

/// The parts of Alertmanager's webhook payload that matter here; every other field (`version`,
/// `groupKey`, `commonLabels`, `externalURL`, …) is accepted and ignored.
#[derive(Debug, Deserialize)]
pub struct AlertmanagerPayload {
    /// The alerts of the notification's group.
    pub alerts: Vec<Alert>,
}

/// One alert.
#[derive(Debug, Deserialize)]
pub struct Alert {
    /// Firing or resolved.
    pub status: AlertStatus,
    /// Labels; `leika`, `ars`, `severity`, `publish` and `alertname` are read.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Annotations; `summary` and `description` are read.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// Alertmanager's stable identity of the alert (a hash of its labels).
    #[serde(default)]
    pub fingerprint: String,
}

/// An alert's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// The condition holds.
    Firing,
    /// The condition ended.
    Resolved,
}

/// The answer: what became of each alert.
#[derive(Debug, Default, Serialize)]
pub struct HookReport {
    /// Ids of notices raised or updated by firing alerts.
    pub raised: Vec<String>,
    /// Ids of notices resolved.
    pub resolved: Vec<String>,
    /// Alerts without `leika`/`ars` labels, and resolved alerts with nothing open.
    pub ignored: usize,
    /// Alerts that could not be applied, with the reason.
    pub rejected: Vec<Rejected>,
}

/// An alert that could not be applied.
#[derive(Debug, Serialize)]
pub struct Rejected {
    /// The alert's fingerprint.
    pub fingerprint: String,
    /// Why, for a person.
    pub error: String,
}

/// Why one alert was not applied.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// Without a fingerprint the alert cannot be matched to its notice later.
    #[error("the alert has no fingerprint")]
    NoFingerprint,
    /// A label is malformed.
    #[error("label `{label}`: {reason}")]
    Label {
        /// The label.
        label: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The resulting notice would break a rule.
    #[error("the notice would not be valid: {0}")]
    Invalid(#[from] NoticeError),
    /// The token may not touch this service or region.
    #[error("outside the token's scope (its services and regions)")]
    OutOfScope,
    /// The hub failed.
    #[error(transparent)]
    Hub(#[from] HubError),
}

/// What applying one alert did.
#[derive(Debug)]
enum Applied {
    Raised(String),
    /// Every incident its end closed (more than one only where duplicates were left open).
    Resolved(Vec<String>),
    Ignored,
}

/// `POST /api/v1/hooks/alertmanager`: applies each alert of an Alertmanager notification and
/// answers `200` with a [`HookReport`].
pub async fn alertmanager(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<AlertmanagerPayload>, JsonRejection>,
) -> Result<Json<HookReport>, Error> {
    let token = operator(&state, &headers).await?;
    let Json(payload) = body.map_err(|e| Error::BadJson(e.body_text()))?;
    let now = state.clock.now();
    // The batch runs to its end even if Alertmanager gives up waiting: each change is then
    // committed and announced alike, and a retry finds them applied.
    state
        .notices
        .detached(move |hub| async move { apply_all(&hub, &token, &payload, now).await })
        .await
        .map(Json)
}

async fn apply_all(
    hub: &NoticeHub,
    token: &TokenRecord,
    payload: &AlertmanagerPayload,
    now: Timestamp,
) -> Result<HookReport, Error> {
    let mut report = HookReport::default();
    for alert in &payload.alerts {
        match apply(hub, token, alert, now).await {
            Ok(Applied::Raised(id)) => report.raised.push(id),
            Ok(Applied::Resolved(ids)) => report.resolved.extend(ids),
            Ok(Applied::Ignored) => report.ignored += 1,
            // Not the alert's fault: fail the batch so Alertmanager retries it.
            Err(AlertError::Hub(HubError::Db(e))) => return Err(Error::Database(e)),
            Err(e) => {
                tracing::warn!(
                    fingerprint = alert.fingerprint.as_str(),
                    token = token.name.as_str(),
                    error = %e,
                    "alert rejected"
                );
                report.rejected.push(Rejected {
                    fingerprint: alert.fingerprint.clone(),
                    error: e.to_string(),
                });
            }
        }
    }
    Ok(report)
}

async fn apply(
    hub: &NoticeHub,
    token: &TokenRecord,
    alert: &Alert,
    now: Timestamp,
) -> Result<Applied, AlertError> {
    let label = |name: &str| {
        alert
            .labels
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let (leika, ars) = (label("leika"), label("ars"));
    if leika.is_none() && ars.is_none() {
        // Not meant for citizens: most alerts of a monitoring system are not.
        return Ok(Applied::Ignored);
    }
    let fingerprint = alert.fingerprint.trim();
    if fingerprint.is_empty() {
        return Err(AlertError::NoFingerprint);
    }
    let source = format!("alertmanager:{}:{fingerprint}", token.name);
    // The key before tokens were part of it. Such notices were raised by whichever token came
    // first; one covering them may carry them on, others must not even see them.
    let legacy = format!("alertmanager:{fingerprint}");
    let older = [legacy.as_str()];
    let covered = |notice: &StoredNotice| token.covers(notice);

    if alert.status == AlertStatus::Resolved {
        let message = [("de".to_string(), RESOLVED_MESSAGE.to_string())].into();
        let closed = hub
            .resolve_from(&source, &older, message, now, covered)
            .await?;
        return Ok(if closed.is_empty() {
            Applied::Ignored
        } else {
            Applied::Resolved(closed.iter().map(|n| n.id.clone()).collect())
        });
    }

    let services = leika.map(parse_services).transpose()?.unwrap_or_default();
    let regions = ars.map(parse_regions).transpose()?.unwrap_or_default();
    let input = incident(alert, services, regions);
    // The alert's own labels must lie inside the scope; this says nothing about other notices.
    let draft = StoredNotice::create(String::new(), input.clone(), String::new(), now)?;
    if !token.covers(&draft) {
        return Err(AlertError::OutOfScope);
    }
    // Alertmanager repeats firing alerts in every notification of their group; the hub commits
    // (and announces) only a repeat that changes something.
    match hub.raise_from(&source, &older, input, now, covered).await {
        Ok(notice) => Ok(Applied::Raised(notice.id.clone())),
        // The change would leave the scope; named as such, without the notice's id.
        Err(HubError::NotFound(_)) => Err(AlertError::OutOfScope),
        Err(e) => Err(e.into()),
    }
}

/// The incident a firing alert stands for.
fn incident(alert: &Alert, services: Vec<String>, regions: Vec<String>) -> NoticeInput {
    let text = |map: &BTreeMap<String, String>, key: &str| {
        map.get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let title = text(&alert.annotations, "summary")
        .or_else(|| text(&alert.labels, "alertname"))
        .unwrap_or_else(|| "Störung".to_string());
    let body = text(&alert.annotations, "description").unwrap_or_default();
    let impact = match alert.labels.get("severity").map(|s| s.trim()) {
        Some("critical") => Impact::Critical,
        Some("info" | "minor") => Impact::Minor,
        // warning, major and anything unknown: a disruption worth telling.
        _ => Impact::Major,
    };
    let published = alert.labels.get("publish").map(|s| s.trim()) != Some("draft");
    let content = NoticeContent {
        // Alert texts are not written for the notice limits; cut rather than reject.
        title: shorten(&title, 200),
        body: shorten(&body, 5000),
        still_works: None,
        answers_kept: AnswersKept::Unknown,
        alternative: None,
        alternative_url: None,
    };
    NoticeInput {
        kind: NoticeKind::Incident,
        state: None,
        impact,
        services,
        regions,
        starts_at: None,
        ends_at: None,
        published,
        content: [("de".to_string(), content)].into(),
        message: BTreeMap::new(),
    }
}

/// LeiKa keys from the `leika` label (comma-separated).
fn parse_services(label: &str) -> Result<Vec<String>, AlertError> {
    let keys = split(label)
        .map(|key| {
            key.parse::<LeikaKey>()
                .map(|k| k.to_string())
                .map_err(|e| AlertError::Label {
                    label: "leika",
                    reason: e.to_string(),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    non_empty(keys, "leika")
}

/// A label that is there but names nothing must not widen the notice to "all".
fn non_empty(values: Vec<String>, label: &'static str) -> Result<Vec<String>, AlertError> {
    if values.is_empty() {
        return Err(AlertError::Label {
            label,
            reason: "no value between the commas".into(),
        });
    }
    Ok(values)
}

/// ARS prefixes from the `ars` label (comma-separated). A full 12-digit ARS stands for that
/// region and everything below it, so it is cut to its significant prefix (`040110000000` →
/// `04011`); shorter prefixes are taken as they are and checked by the notice rules.
fn parse_regions(label: &str) -> Result<Vec<String>, AlertError> {
    let prefixes = split(label)
        .map(|value| {
            if value.len() != 12 {
                return Ok(value.to_string());
            }
            let ars = value.parse::<Ars>().map_err(|e| AlertError::Label {
                label: "ars",
                reason: e.to_string(),
            })?;
            if ars == Ars::BUND {
                return Err(AlertError::Label {
                    label: "ars",
                    reason: "`000000000000` is the Bund; leave out `ars` for everywhere".into(),
                });
            }
            Ok(significant_prefix(ars.as_str()).to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    non_empty(prefixes, "ars")
}

/// The ARS up to its last non-zero level: Land (2), Regierungsbezirk (3), Kreis (5),
/// Gemeindeverband (9) or Gemeinde (12 digits).
fn significant_prefix(ars: &str) -> &str {
    [2, 3, 5, 9]
        .into_iter()
        .find(|&end| ars[end..].bytes().all(|b| b == b'0'))
        .map_or(ars, |end| &ars[..end])
}

fn split(label: &str) -> impl Iterator<Item = &str> {
    label.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_ars_becomes_the_prefix_of_its_level() {
        assert_eq!(significant_prefix("040000000000"), "04");
        assert_eq!(significant_prefix("051000000000"), "051");
        assert_eq!(significant_prefix("040110000000"), "04011");
        assert_eq!(significant_prefix("031515401000"), "031515401");
        assert_eq!(significant_prefix("031515401001"), "031515401001");
        assert_eq!(
            parse_regions("04, 040110000000").expect("valid"),
            ["04", "04011"]
        );
        assert!(parse_regions("000000000000").is_err());
        assert!(parse_regions("170000000000").is_err());
    }

    #[test]
    fn several_leika_keys_may_be_given() {
        assert_eq!(
            parse_services("99041006017000,99107005000000").expect("valid"),
            ["99041006017000", "99107005000000"]
        );
        assert!(parse_services("99041006017000,12").is_err());
        assert!(
            parse_services(" , ").is_err(),
            "a label naming nothing is no wildcard"
        );
        assert!(parse_regions(",").is_err());
    }

    #[test]
    fn long_alert_texts_are_cut_to_the_notice_limits() {
        assert_eq!(shorten("kurz", 200), "kurz");
        let long = "ä".repeat(300);
        let cut = shorten(&long, 200);
        assert_eq!(cut.chars().count(), 200);
        assert!(cut.ends_with('…'));
    }
}
