//! The Alertmanager webhook: hand-written payloads in-process for every rule, and one run with a
//! real Prometheus Alertmanager (`ANLAUFSTELLE_ALERTMANAGER`, default
//! `/usr/bin/prometheus-alertmanager`; `cargo xtask test` installs it) delivering to a served app.

use crate::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use wire::{Impact, NoticeState};

const ELTERNGELD: &str = "99041006017000";
const HOOK: &str = "/api/v1/hooks/alertmanager";
const NOW: &str = "2026-11-23T09:00:00Z";

fn alert(status: &str, fingerprint: &str, labels: Value, annotations: Value) -> Value {
    json!({
        "status": status,
        "labels": labels,
        "annotations": annotations,
        "startsAt": "2026-11-23T09:00:00Z",
        "endsAt": if status == "resolved" { "2026-11-23T09:30:00Z" } else { "0001-01-01T00:00:00Z" },
        "generatorURL": "http://prometheus.test/graph",
        "fingerprint": fingerprint
    })
}

/// A version-4 notification around `alerts`.
fn payload(alerts: Vec<Value>) -> Value {
    json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"ElterngeldDown\"}",
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "anlaufstelle",
        "groupLabels": {"alertname": "ElterngeldDown"},
        "commonLabels": {"alertname": "ElterngeldDown"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.test",
        "alerts": alerts
    })
}

fn bremen_labels() -> Value {
    json!({"alertname": "ElterngeldDown", "leika": ELTERNGELD, "ars": "04", "severity": "critical"})
}

fn firing(fingerprint: &str) -> Value {
    alert(
        "firing",
        fingerprint,
        bremen_labels(),
        json!({"summary": "Elterngeld-Antrag gestört", "description": "Uploads schlagen fehl."}),
    )
}

fn list(leika: &str, ars: &str) -> String {
    format!("/api/v1/notices?leika={leika}&ars={ars}")
}

async fn post(app: &TestApp, token: &str, alerts: Vec<Value>) -> Value {
    let res = app
        .send_json("POST", HOOK, Some(token), &payload(alerts))
        .await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    res.json()
}

#[tokio::test]
async fn a_firing_alert_raises_a_published_incident_for_its_service_and_region() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("alertmanager", &[], &[]).await;
    let report = post(&app, &token, vec![firing("a1b2c3")]).await;
    assert_eq!(report["resolved"], json!([]));
    assert_eq!(report["ignored"], 0);
    assert_eq!(report["rejected"], json!([]));
    let id = report["raised"][0].as_str().expect("raised id");

    let notice = app.state.notices.get(id).expect("stored");
    assert_eq!(notice.source, "alertmanager:alertmanager:a1b2c3");
    assert_eq!(notice.impact, Impact::Critical);
    assert!(notice.published);
    assert_eq!(notice.content["de"].title, "Elterngeld-Antrag gestört");
    assert_eq!(notice.content["de"].body, "Uploads schlagen fehl.");

    let bremen = app.get(&list(ELTERNGELD, "040110000000")).await.json();
    assert_eq!(bremen["notices"][0]["id"], id);
    let nrw = app.get(&list(ELTERNGELD, "050000000000")).await.json();
    assert_eq!(nrw["notices"], json!([]));
}

#[tokio::test]
async fn the_same_fingerprint_again_updates_the_incident_instead_of_raising_another() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("alertmanager", &[], &[]).await;
    let first = post(&app, &token, vec![firing("a1b2c3")]).await;
    let id = first["raised"][0].as_str().expect("raised id").to_string();

    // Alertmanager repeats firing alerts; an unchanged repeat is not announced again.
    let events = app.state.notices.last_event_id();
    let repeat = post(&app, &token, vec![firing("a1b2c3")]).await;
    assert_eq!(repeat["raised"], json!([id]));
    assert_eq!(app.state.notices.last_event_id(), events);

    let mut changed = firing("a1b2c3");
    changed["labels"]["severity"] = json!("warning");
    changed["annotations"]["summary"] = json!("Elterngeld-Antrag teilweise gestört");
    let update = post(&app, &token, vec![changed]).await;
    assert_eq!(update["raised"], json!([id]));
    assert!(app.state.notices.last_event_id() > events);

    let notices = app.state.notices.all();
    assert_eq!(notices.len(), 1, "one incident per fingerprint");
    assert_eq!(notices[0].impact, Impact::Major);
    assert_eq!(
        notices[0].content["de"].title,
        "Elterngeld-Antrag teilweise gestört"
    );
}

#[tokio::test]
async fn a_resolved_alert_resolves_its_incident() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("alertmanager", &[], &[]).await;
    let raised = post(&app, &token, vec![firing("a1b2c3")]).await;
    let id = raised["raised"][0].as_str().expect("raised id").to_string();

    let resolved = alert("resolved", "a1b2c3", bremen_labels(), json!({}));
    let report = post(&app, &token, vec![resolved.clone()]).await;
    assert_eq!(report["resolved"], json!([id]));
    let notice = app.state.notices.get(&id).expect("kept");
    assert_eq!(notice.state, NoticeState::Resolved);
    assert_eq!(notice.updates[0].message["de"], "Die Störung ist behoben.");
    assert_eq!(
        app.get(&list(ELTERNGELD, "040110000000")).await.json()["notices"],
        json!([])
    );

    // Told again: nothing is open any more.
    let again = post(&app, &token, vec![resolved]).await;
    assert_eq!(
        (again["resolved"].clone(), again["ignored"].clone()),
        (json!([]), json!(1))
    );
}

#[tokio::test]
async fn an_alert_outside_the_tokens_scope_is_rejected_while_the_others_apply() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("bremen", &[], &["04"]).await;
    let mut nrw = firing("nrw");
    nrw["labels"]["ars"] = json!("05");
    let report = post(&app, &token, vec![nrw, firing("bremen")]).await;
    assert_eq!(report["raised"].as_array().map(Vec::len), Some(1));
    assert_eq!(report["rejected"][0]["fingerprint"], "nrw");
    let error = report["rejected"][0]["error"].as_str().expect("reason");
    assert!(error.contains("scope"), "{error}");
    assert!(
        app.state
            .notices
            .all()
            .iter()
            .all(|n| n.source == "alertmanager:bremen:bremen")
    );
}

#[tokio::test]
async fn alerts_without_service_or_region_labels_are_ignored() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("alertmanager", &[], &[]).await;
    let labels = json!({"alertname": "DiskFull", "severity": "critical"});
    let report = post(
        &app,
        &token,
        vec![
            alert("firing", "d1", labels.clone(), json!({})),
            alert("resolved", "d2", labels, json!({})),
        ],
    )
    .await;
    assert_eq!(report["ignored"], 2);
    assert_eq!(report["raised"], json!([]));
    assert!(app.state.notices.all().is_empty());
}

#[tokio::test]
async fn labels_choose_impact_draft_publication_and_a_full_ars_covers_its_region() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("alertmanager", &[], &[]).await;
    let with = |fingerprint: &str, labels: Value| {
        alert("firing", fingerprint, labels, json!({"summary": "Störung"}))
    };
    let report = post(
        &app,
        &token,
        vec![
            with(
                "info",
                json!({"alertname": "A", "leika": ELTERNGELD, "severity": "info"}),
            ),
            with("none", json!({"alertname": "B", "leika": ELTERNGELD})),
            with(
                "draft",
                json!({"alertname": "C", "ars": "040110000000", "publish": "draft"}),
            ),
            with("badkey", json!({"alertname": "D", "leika": "9904"})),
        ],
    )
    .await;
    assert_eq!(
        report["raised"].as_array().map(Vec::len),
        Some(3),
        "{report}"
    );
    assert_eq!(report["rejected"][0]["fingerprint"], "badkey");
    let error = report["rejected"][0]["error"].as_str().expect("reason");
    assert!(error.contains("label `leika`"), "{error}");

    let by_source = |fingerprint: &str| {
        app.state
            .notices
            .open_from(&format!("alertmanager:alertmanager:{fingerprint}"))
            .expect("raised")
    };
    assert_eq!(by_source("info").impact, Impact::Minor);
    assert_eq!(by_source("none").impact, Impact::Major);
    assert_eq!(by_source("none").content["de"].title, "Störung");
    let draft = by_source("draft");
    assert!(!draft.published);
    assert_eq!(draft.regions, ["04011"]);
    assert!(draft.services.is_empty(), "all services of that region");
}

#[tokio::test]
async fn malformed_payloads_and_missing_tokens_are_clear_errors() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("alertmanager", &[], &[]).await;
    let res = app
        .request(
            Request::post(HOOK)
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from("{\"alerts\": [")) // cut off
                .expect("request"),
        )
        .await;
    res.assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    let res = app
        .send_json(
            "POST",
            HOOK,
            Some(&token),
            &json!({"alerts": [{"status": "pending"}]}),
        )
        .await;
    res.assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    app.send_json("POST", HOOK, None, &payload(vec![firing("a")]))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    assert!(app.state.notices.all().is_empty());
}

/// A running Alertmanager, killed when the test ends however it ends.
struct Alertmanager {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Alertmanager {
    /// Starts the binary with `config` on a free port, storing its data in `dir`.
    fn start(dir: &std::path::Path, config: &str) -> Self {
        let binary = std::env::var_os("ANLAUFSTELLE_ALERTMANAGER")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/prometheus-alertmanager"));
        assert!(
            binary.exists(),
            "Alertmanager not found at {}: install it with `apt-get install prometheus-alertmanager` \
             (or run `cargo xtask test`, which does), or set ANLAUFSTELLE_ALERTMANAGER",
            binary.display()
        );
        let config_file = dir.join("alertmanager.yml");
        std::fs::write(&config_file, config).expect("config written");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let log = dir.join("alertmanager.log");
        let child = Command::new(&binary)
            .arg(format!("--config.file={}", config_file.display()))
            .arg(format!("--storage.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            // Empty: no cluster gossip, a single instance.
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        Self { child, port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `/-/ready` answers 200 (bounded: 20 s).
    async fn ready(&mut self, client: &reqwest::Client) {
        let ready = tokio::time::timeout(Duration::from_secs(20), async {
            let mut every = tokio::time::interval(Duration::from_millis(100));
            loop {
                every.tick().await;
                if let Ok(Some(status)) = self.child.try_wait() {
                    return Err(format!("exited with {status}"));
                }
                let probe = client.get(self.url("/-/ready")).send().await;
                if probe.is_ok_and(|r| r.status().is_success()) {
                    return Ok(());
                }
            }
        })
        .await;
        match ready {
            Ok(Ok(())) => {}
            Ok(Err(why)) => panic!("Alertmanager {why}:\n{}", self.log()),
            Err(_) => panic!("Alertmanager not ready within 20 s:\n{}", self.log()),
        }
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Awaits the hub's next event whose notice satisfies `wanted` (bounded: 20 s).
async fn await_notice(
    rx: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<anlaufstelle::notices::NoticeEvent>>,
    alertmanager: &Alertmanager,
    what: &str,
    wanted: impl Fn(&anlaufstelle::notices::model::StoredNotice) -> bool,
) -> std::sync::Arc<anlaufstelle::notices::model::StoredNotice> {
    let found = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let event = rx.recv().await.expect("hub open");
            if wanted(&event.notice) {
                return event.notice.clone();
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| {
        panic!(
            "Alertmanager did not deliver {what} within 20 s; its log:\n{}",
            alertmanager.log()
        )
    })
}

#[tokio::test]
async fn a_real_alertmanager_raises_and_resolves_an_incident_through_the_webhook() {
    let app = TestApp::with_sample_data().await;
    let token = app.token("alertmanager", &[ELTERNGELD], &["04"]).await;
    let addr = app.serve().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = format!(
        r#"route:
  receiver: anlaufstelle
  group_by: ["alertname"]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: anlaufstelle
    webhook_configs:
      - url: http://{addr}{HOOK}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: {token}
"#
    );
    let mut alertmanager = Alertmanager::start(dir.path(), &config);
    anlaufstelle::monitor::install_crypto_provider();
    let client = reqwest::Client::new();
    alertmanager.ready(&client).await;

    let (_, mut rx) = app.state.notices.subscribe(None);
    let starts_at = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_mins(1))
        .expect("time");
    let alert = json!({
        "labels": {
            "alertname": "ElterngeldDown",
            "leika": ELTERNGELD,
            "ars": "04",
            "severity": "critical"
        },
        "annotations": {
            "summary": "Elterngeld-Antrag in Bremen gestört",
            "description": "Der Antragsdienst antwortet nicht."
        },
        "startsAt": starts_at.to_string(),
        "generatorURL": "http://prometheus.test/graph"
    });
    let sent = client
        .post(alertmanager.url("/api/v2/alerts"))
        .header("content-type", "application/json")
        .body(json!([alert]).to_string())
        .send()
        .await
        .expect("Alertmanager answers");
    assert!(sent.status().is_success(), "{}", sent.status());

    let raised = await_notice(&mut rx, &alertmanager, "the firing alert", |n| {
        n.source.starts_with("alertmanager:") && n.state == NoticeState::Investigating
    })
    .await;
    assert!(raised.published);
    assert_eq!(raised.impact, Impact::Critical);
    assert_eq!(
        raised.content["de"].title,
        "Elterngeld-Antrag in Bremen gestört"
    );
    let bremen = app.get(&list(ELTERNGELD, "040110000000")).await.json();
    assert_eq!(bremen["notices"][0]["id"], raised.id.as_str(), "{bremen}");

    // The same alert ending in the past: Alertmanager sends it as resolved.
    let mut ended = alert.clone();
    ended["endsAt"] = json!(
        jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .expect("time")
            .to_string()
    );
    let sent = client
        .post(alertmanager.url("/api/v2/alerts"))
        .header("content-type", "application/json")
        .body(json!([ended]).to_string())
        .send()
        .await
        .expect("Alertmanager answers");
    assert!(sent.status().is_success(), "{}", sent.status());

    let id = raised.id.clone();
    let resolved = await_notice(&mut rx, &alertmanager, "the resolved alert", |n| {
        n.id == id && n.state == NoticeState::Resolved
    })
    .await;
    assert_eq!(
        resolved.updates[0].message["de"],
        "Die Störung ist behoben."
    );
    assert_eq!(
        app.get(&list(ELTERNGELD, "040110000000")).await.json()["notices"],
        json!([])
    );
}

/// A firing alert for `fingerprint` in the region `ars`, titled `summary`.
fn firing_in(fingerprint: &str, ars: &str, summary: &str) -> Value {
    alert(
        "firing",
        fingerprint,
        json!({"alertname": "ElterngeldDown", "leika": ELTERNGELD, "ars": ars, "severity": "critical"}),
        json!({"summary": summary, "description": "Uploads schlagen fehl."}),
    )
}

fn resolved(fingerprint: &str) -> Value {
    alert("resolved", fingerprint, bremen_labels(), json!({}))
}

/// The ids of the open notices whose source ends in `:<fingerprint>`, sorted.
fn open_for(app: &TestApp, fingerprint: &str) -> Vec<String> {
    let suffix = format!(":{fingerprint}");
    let mut open: Vec<String> = app
        .state
        .notices
        .all()
        .into_iter()
        .filter(|n| n.source.ends_with(&suffix) && n.state != NoticeState::Resolved)
        .map(|n| n.id.clone())
        .collect();
    open.sort();
    open
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// An incident stored the way the webhook keyed them before tokens were part of the key.
async fn legacy_incident(app: &TestApp, fingerprint: &str, region: &str) -> String {
    let input = serde_json::from_value(json!({
        "kind": "incident",
        "impact": "critical",
        "services": [ELTERNGELD],
        "regions": [region],
        "content": {"de": {"title": "Elterngeld-Antrag in Bayern gestört", "body": "Alt."}}
    }))
    .expect("notice input");
    app.state
        .notices
        .create(
            input,
            format!("alertmanager:{fingerprint}"),
            "2026-11-23T08:00:00Z".parse().expect("timestamp"),
        )
        .await
        .expect("stored")
        .id
        .clone()
}

#[tokio::test]
async fn an_alert_colliding_with_a_foreign_incident_raises_its_own_and_learns_nothing_about_it() {
    let app = TestApp::with_sample_data().await.at(NOW);
    let bayern = app.token("bayern", &[], &["09"]).await;
    let bremen = app.token("bremen", &[], &["04"]).await;
    let theirs = post(
        &app,
        &bayern,
        vec![firing_in(
            "f00d",
            "09",
            "Elterngeld-Antrag in Bayern gestört",
        )],
    )
    .await;
    let theirs = theirs["raised"][0].as_str().expect("raised id").to_string();
    let before = app.state.notices.get(&theirs).expect("stored");

    // The same fingerprint from a token scoped to Bremen: Alertmanager fingerprints are hashes
    // of the labels, so two teams' alerts can share one.
    let report = post(&app, &bremen, vec![firing_in("f00d", "04", "Übernommen")]).await;
    let ours = report["raised"][0].as_str().expect("raised id").to_string();
    assert_ne!(ours, theirs, "{report}");
    assert!(!report.to_string().contains(&theirs), "{report}");
    assert_eq!(
        *app.state.notices.get(&theirs).expect("kept"),
        *before,
        "the Bayern incident is untouched"
    );
    assert_eq!(
        open_for(&app, "f00d"),
        sorted(vec![theirs.clone(), ours.clone()])
    );

    // Its end resolves only its own incident.
    let report = post(&app, &bremen, vec![resolved("f00d")]).await;
    assert_eq!(report["resolved"], json!([ours]), "{report}");
    assert_eq!(open_for(&app, "f00d"), std::slice::from_ref(&theirs));
    // And told again, it is answered exactly like an alert nobody ever raised.
    let again = post(&app, &bremen, vec![resolved("f00d")]).await;
    let never = post(&app, &bremen, vec![resolved("0000")]).await;
    assert_eq!(again, never);
    assert_eq!(open_for(&app, "f00d"), [theirs]);
}

#[tokio::test]
async fn incidents_keyed_the_old_way_are_found_only_by_tokens_that_cover_them() {
    let app = TestApp::with_sample_data().await.at(NOW);
    let old = legacy_incident(&app, "cafe", "09").await;
    let bayern = app.token("bayern", &[ELTERNGELD], &["09"]).await;
    let bremen = app.token("bremen", &[], &["04"]).await;

    // Outside the Bremen token's scope the old incident does not exist for it: its end is
    // ignored like an unknown alert's, and its start raises Bremen's own incident.
    let report = post(&app, &bremen, vec![resolved("cafe")]).await;
    let never = post(&app, &bremen, vec![resolved("0000")]).await;
    assert_eq!(report, never);
    assert_eq!(report["ignored"], 1, "{report}");
    let report = post(&app, &bremen, vec![firing_in("cafe", "04", "Bremen")]).await;
    let bremens = report["raised"][0].as_str().expect("raised id").to_string();
    assert_ne!(bremens, old);
    let stored = app.state.notices.get(&bremens).expect("stored");
    assert_eq!(stored.source, "alertmanager:bremen:cafe");

    // A token that covers it carries on with it.
    let report = post(&app, &bayern, vec![firing_in("cafe", "09", "Neu")]).await;
    assert_eq!(report["raised"], json!([old]), "{report}");
    let updated = app.state.notices.get(&old).expect("kept");
    assert_eq!(updated.content["de"].title, "Neu");
    let report = post(&app, &bayern, vec![resolved("cafe")]).await;
    assert_eq!(report["resolved"], json!([old]), "{report}");
    assert_eq!(open_for(&app, "cafe"), [bremens]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_notifications_for_a_new_alert_raise_one_incident_and_its_end_closes_it() {
    let app = TestApp::with_sample_data().await.at(NOW);
    let token = app.token("alertmanager", &[], &[]).await;
    for round in 0..5 {
        let fingerprint = format!("race{round}");
        // What an HA pair of Alertmanagers does: both send the same notification at once.
        let (a, b) = tokio::join!(
            post(&app, &token, vec![firing(&fingerprint)]),
            post(&app, &token, vec![firing(&fingerprint)]),
        );
        let open = open_for(&app, &fingerprint);
        assert_eq!(open.len(), 1, "round {round}: {a} {b}");
        assert_eq!(a["raised"], json!(open), "round {round}");
        assert_eq!(b["raised"], json!(open), "round {round}");

        let (a, b) = tokio::join!(
            post(&app, &token, vec![resolved(&fingerprint)]),
            post(&app, &token, vec![resolved(&fingerprint)]),
        );
        assert!(open_for(&app, &fingerprint).is_empty(), "round {round}");
        let closed: Vec<_> = [&a, &b]
            .iter()
            .flat_map(|r| r["resolved"].as_array().cloned().unwrap_or_default())
            .collect();
        assert_eq!(closed, [json!(open[0])], "resolved once: {a} {b}");
    }
}

#[tokio::test]
async fn a_resolved_alert_closes_every_incident_open_from_its_source() {
    let app = TestApp::with_sample_data().await.at(NOW);
    let token = app.token("alertmanager", &[], &[]).await;
    // What racing notifications left behind before raising was atomic: two open incidents for
    // one alert, here one keyed the old way and one the new way.
    let old = legacy_incident(&app, "a1b2c3", "04").await;
    let report = post(&app, &token, vec![firing_in("a1b2c3", "04", "Neu")]).await;
    assert_eq!(
        report["raised"],
        json!([old]),
        "the old incident carries on"
    );
    let input = serde_json::from_value(json!({
        "kind": "incident", "impact": "major", "services": [ELTERNGELD], "regions": ["04"],
        "content": {"de": {"title": "Doppelt"}}
    }))
    .expect("notice input");
    let twin = app
        .state
        .notices
        .create(
            input,
            "alertmanager:alertmanager:a1b2c3".into(),
            "2026-11-23T08:30:00Z".parse().expect("timestamp"),
        )
        .await
        .expect("stored")
        .id
        .clone();
    assert_eq!(open_for(&app, "a1b2c3").len(), 2);

    let report = post(&app, &token, vec![resolved("a1b2c3")]).await;
    let closed: Vec<String> = serde_json::from_value(report["resolved"].clone()).expect("ids");
    assert_eq!(sorted(closed), sorted(vec![old, twin]), "{report}");
    assert!(open_for(&app, "a1b2c3").is_empty());
}
