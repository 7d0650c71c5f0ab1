//! The built-in health monitor against real local HTTP servers. Probes are driven one by one
//! with `check_once` (no timers), so every step is deterministic; one test runs the real binary
//! with `--monitors` to show the wiring, waiting on the live stream instead of the clock.

use crate::TestApp;
use anlaufstelle::monitor::{
    GENERIC_TITLE, INCIDENT_ALTERNATIVE, INCIDENT_BODY, Monitor, MonitorConfig, ProbeError,
    RECOVERED_MESSAGE, Transition, fill_default_titles, parse_config,
};
use anlaufstelle::notices::model::NoticeInput;
use axum::http::StatusCode;
use axum::response::Redirect;
use axum::routing::get;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use wire::{Impact, NoticeKind, NoticeState};

const ELTERNGELD: &str = "99041006017000";
const BREMEN: &str = "040110000000";

/// A service's health endpoint whose answer the test switches.
struct Target {
    addr: SocketAddr,
    healthy: Arc<AtomicBool>,
}

impl Target {
    /// `/health` answers 200 while healthy and 503 otherwise; `/moved` always redirects.
    async fn start(healthy: bool) -> Self {
        let flag = Arc::new(AtomicBool::new(healthy));
        let state = flag.clone();
        let router = axum::Router::new()
            .route(
                "/health",
                get(move || {
                    let healthy = state.load(Ordering::SeqCst);
                    async move {
                        if healthy {
                            StatusCode::OK
                        } else {
                            StatusCode::SERVICE_UNAVAILABLE
                        }
                    }
                }),
            )
            .route(
                "/moved",
                get(|| async { Redirect::temporary("/elsewhere") }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            addr,
            healthy: flag,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/health", self.addr)
    }

    fn set_healthy(&self, healthy: bool) {
        self.healthy.store(healthy, Ordering::SeqCst);
    }
}

/// One monitor entry as the file would hold it, with `extra` fields merged in.
fn config(url: &str, extra: Value) -> MonitorConfig {
    let mut entry = json!({
        "name": "elterngeld-bremen",
        "leika": ELTERNGELD,
        "regions": ["04"],
        "url": url,
    });
    if let (Some(entry), Some(extra)) = (entry.as_object_mut(), extra.as_object()) {
        entry.extend(extra.clone());
    }
    let mut configs = parse_config(&json!([entry]).to_string()).expect("valid monitor config");
    configs.remove(0)
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

fn list_uri() -> String {
    format!("/api/v1/notices?leika={ELTERNGELD}&ars={BREMEN}")
}

/// Runs `n` probes and returns their transitions.
async fn checks(monitor: &mut Monitor, app: &TestApp, n: usize) -> Vec<Option<Transition>> {
    let mut transitions = Vec::new();
    for _ in 0..n {
        let outcome = monitor
            .check_once(&app.state.notices, now())
            .await
            .expect("hub accepts the change");
        transitions.push(outcome.transition);
    }
    transitions
}

#[tokio::test]
async fn a_service_that_stops_answering_gets_a_draft_incident_and_recovery_resolves_it() {
    let app = TestApp::with_sample_data().await;
    let target = Target::start(false).await;
    let hub = app.state.notices.clone();
    let mut monitor = Monitor::new(config(&target.url(), json!({})), &hub).expect("monitor");
    assert_eq!(monitor.source(), "monitor:elterngeld-bremen");

    for _ in 0..2 {
        let outcome = monitor.check_once(&hub, now()).await.expect("check");
        assert!(
            matches!(outcome.probe, Err(ProbeError::Status(503))),
            "{:?}",
            outcome.probe
        );
        assert_eq!(outcome.transition, None);
    }
    assert!(hub.all().is_empty(), "two failures raise nothing");

    let third = monitor.check_once(&hub, now()).await.expect("check");
    assert_eq!(third.transition, Some(Transition::Down));
    let incident = third.notice.expect("an incident is raised");
    assert_eq!(incident.kind, NoticeKind::Incident);
    assert_eq!(incident.state, NoticeState::Investigating);
    assert_eq!(incident.impact, Impact::Major);
    assert!(!incident.published, "a draft awaits a person");
    assert_eq!(incident.source, "monitor:elterngeld-bremen");
    assert_eq!(
        (incident.services.as_slice(), incident.regions.as_slice()),
        (&[ELTERNGELD.to_string()][..], &["04".to_string()][..])
    );
    let de = &incident.content["de"];
    assert_eq!(de.title, GENERIC_TITLE);
    assert_eq!(de.body, INCIDENT_BODY);
    assert_eq!(de.alternative.as_deref(), Some(INCIDENT_ALTERNATIVE));
    assert_eq!(de.answers_kept, wire::AnswersKept::Unknown);
    assert_eq!(
        app.get(&list_uri()).await.json()["notices"],
        json!([]),
        "drafts are not public"
    );

    // Still down: no second incident.
    assert_eq!(checks(&mut monitor, &app, 2).await, [None, None]);
    assert_eq!(hub.all().len(), 1);

    target.set_healthy(true);
    let first_ok = monitor.check_once(&hub, now()).await.expect("check");
    assert!(first_ok.probe.is_ok());
    assert_eq!(first_ok.transition, None);
    let second_ok = monitor.check_once(&hub, now()).await.expect("check");
    assert_eq!(second_ok.transition, Some(Transition::Up));
    let resolved = second_ok.notice.expect("the incident is resolved");
    assert_eq!(resolved.id, incident.id);
    assert_eq!(resolved.state, NoticeState::Resolved);
    assert_eq!(resolved.updates[0].message["de"], RECOVERED_MESSAGE);
    assert!(hub.open_from(monitor.source()).is_none());
}

#[tokio::test]
async fn a_directly_published_incident_reaches_the_forms_of_its_service_and_region() {
    let app = TestApp::with_sample_data().await;
    let target = Target::start(false).await;
    let mut configs = vec![config(&target.url(), json!({"publish": "direct"}))];
    fill_default_titles(&mut configs, &app.state.service_names());
    let mut monitor = Monitor::new(configs.remove(0), &app.state.notices).expect("monitor");

    assert_eq!(
        checks(&mut monitor, &app, 3).await,
        [None, None, Some(Transition::Down)]
    );
    let list = app.get(&list_uri()).await.json();
    assert_eq!(list["notices"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(
        list["notices"][0]["content"]["title"],
        "Elterngeld Bewilligung: Online-Dienst gestört"
    );
    let elsewhere = app
        .get(&format!(
            "/api/v1/notices?leika={ELTERNGELD}&ars=050000000000"
        ))
        .await
        .json();
    assert_eq!(elsewhere["notices"], json!([]));

    target.set_healthy(true);
    assert_eq!(
        checks(&mut monitor, &app, 2).await,
        [None, Some(Transition::Up)]
    );
    assert_eq!(app.get(&list_uri()).await.json()["notices"], json!([]));
}

/// A published maintenance notice in progress for `regions`.
async fn maintenance(app: &TestApp, regions: &[&str]) -> String {
    let input: NoticeInput = serde_json::from_value(json!({
        "kind": "maintenance",
        "state": "in_progress",
        "impact": "major",
        "services": [ELTERNGELD],
        "regions": regions,
        "starts_at": now().checked_sub(jiff::SignedDuration::from_hours(1)).expect("time"),
        "ends_at": now().checked_add(jiff::SignedDuration::from_hours(1)).expect("time"),
        "content": {"de": {"title": "Wartung am Elterngeld-Dienst"}}
    }))
    .expect("valid notice input");
    app.state
        .notices
        .create(input, "token:ops".into(), now())
        .await
        .expect("maintenance raised")
        .id
        .clone()
}

#[tokio::test]
async fn failures_during_announced_maintenance_raise_nothing() {
    let app = TestApp::with_sample_data().await;
    let target = Target::start(false).await;
    let hub = app.state.notices.clone();
    let window = maintenance(&app, &["04"]).await;
    let mut monitor =
        Monitor::new(config(&target.url(), json!({"publish": "direct"})), &hub).expect("monitor");

    for _ in 0..5 {
        let outcome = monitor.check_once(&hub, now()).await.expect("check");
        assert!(outcome.probe.is_err());
        assert!(outcome.silenced, "maintenance silences the monitor");
        assert_eq!(outcome.transition, None);
    }
    assert!(hub.open_from(monitor.source()).is_none());
    assert!(!monitor.state().is_down());

    // After the window the monitor counts from zero: failures during maintenance are gone.
    hub.update(
        &window,
        anlaufstelle::notices::model::NoticePatch {
            state: Some(NoticeState::Completed),
            ..Default::default()
        },
        now(),
        |_, _| Ok(()),
    )
    .await
    .expect("maintenance completed");
    assert_eq!(
        checks(&mut monitor, &app, 3).await,
        [None, None, Some(Transition::Down)]
    );
    assert!(hub.open_from(monitor.source()).is_some());
}

#[tokio::test]
async fn maintenance_in_another_region_does_not_silence_the_monitor() {
    let app = TestApp::with_sample_data().await;
    let target = Target::start(false).await;
    maintenance(&app, &["05"]).await;
    let mut monitor =
        Monitor::new(config(&target.url(), json!({})), &app.state.notices).expect("monitor");
    assert_eq!(
        checks(&mut monitor, &app, 3).await,
        [None, None, Some(Transition::Down)]
    );
}

#[tokio::test]
async fn a_server_that_never_answers_within_the_timeout_counts_as_a_failure() {
    let app = TestApp::with_sample_data().await;
    // Accepts connections and holds them without ever answering.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let url = format!("http://{addr}/health");
    let mut monitor = Monitor::new(
        config(&url, json!({"timeout_secs": 1, "failures_to_down": 1})),
        &app.state.notices,
    )
    .expect("monitor");

    let started = std::time::Instant::now();
    let outcome = tokio::time::timeout(
        Duration::from_secs(10),
        monitor.check_once(&app.state.notices, now()),
    )
    .await
    .expect("the probe gives up by itself")
    .expect("check");
    assert!(
        matches!(outcome.probe, Err(ProbeError::Timeout(1))),
        "{:?}",
        outcome.probe
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(outcome.transition, Some(Transition::Down));
}

#[tokio::test]
async fn a_refused_connection_fails_a_redirect_counts_as_up_and_https_speaks_tls() {
    let app = TestApp::with_sample_data().await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let monitor = Monitor::new(
        config(&format!("http://{closed}/health"), json!({})),
        &app.state.notices,
    )
    .expect("monitor");
    assert!(
        matches!(monitor.probe().await, Err(ProbeError::Request(_))),
        "nothing listens there"
    );

    let target = Target::start(false).await;
    let moved = Monitor::new(
        config(&format!("http://{}/moved", target.addr), json!({})),
        &app.state.notices,
    )
    .expect("monitor");
    assert!(moved.probe().await.is_ok(), "3xx counts as up");

    // HTTPS is spoken (rustls with the ring provider): a plain-HTTP server fails the handshake
    // instead of being read as an answer.
    let tls = Monitor::new(
        config(&format!("https://{}/health", target.addr), json!({})),
        &app.state.notices,
    )
    .expect("monitor");
    target.set_healthy(true);
    match tls.probe().await {
        // rustls' own complaint about a server that does not speak TLS.
        Err(ProbeError::Request(reason)) => assert!(reason.contains("corrupt message"), "{reason}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_restart_during_an_outage_resolves_the_open_incident_on_recovery() {
    let app = TestApp::with_sample_data().await;
    let target = Target::start(false).await;
    let hub = app.state.notices.clone();
    let mut before = Monitor::new(config(&target.url(), json!({})), &hub).expect("monitor");
    checks(&mut before, &app, 3).await;
    let open = hub.open_from(before.source()).expect("incident open");
    drop(before);

    let mut after = Monitor::new(config(&target.url(), json!({})), &hub).expect("monitor");
    assert!(after.state().is_down(), "picks up the open incident");
    target.set_healthy(true);
    assert_eq!(
        checks(&mut after, &app, 2).await,
        [None, Some(Transition::Up)]
    );
    let notice = hub.get(&open.id).expect("notice kept");
    assert_eq!(notice.state, NoticeState::Resolved);
}

/// Runs the binary; returns (exit code, stderr).
fn serve_with_monitors(file: &std::path::Path, dir: &std::path::Path) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args(["serve", "--listen", "127.0.0.1:0", "--monitors"])
        .arg(file)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("ANLAUFSTELLE_DATABASE_URL")
        .output()
        .expect("binary runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_bad_monitors_file_is_one_line_and_exit_code_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("monitors.json");
    std::fs::write(
        &file,
        r#"[{"name": "x", "leika": "123", "url": "http://127.0.0.1:1/"}]"#,
    )
    .expect("write");
    let (code, stderr) = serve_with_monitors(&file, dir.path());
    assert_eq!(code, 1, "{stderr}");
    let errors: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("monitors file"), "{stderr}");
    assert!(errors[0].contains("[0].leika"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let (code, stderr) = serve_with_monitors(&dir.path().join("missing.json"), dir.path());
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot read monitors file"), "{stderr}");
}

/// Kills the server when the test ends, whatever happened.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_server_runs_the_monitors_from_its_file_and_announces_the_outage() {
    use std::io::BufRead as _;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let target = Target::start(false).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("monitors.json");
    let monitors = json!([{
        "name": "elterngeld-bremen",
        "leika": ELTERNGELD,
        "regions": ["04"],
        "url": target.url(),
        "interval_secs": 1,
        "failures_to_down": 1,
        "publish": "direct"
    }]);
    std::fs::write(&file, monitors.to_string()).expect("write");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--sample-data",
            "--monitors",
        ])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("ANLAUFSTELLE_DATABASE_URL")
        .env("ANLAUFSTELLE_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reads stdout");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();

    // The live stream tells us when the monitor's incident is announced: in the snapshot if
    // the first probe came before we connected, as a live event otherwise.
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let request = format!(
        "GET /api/v1/notices/stream?leika={ELTERNGELD}&ars={BREMEN} HTTP/1.1\r\nHost: test\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let title = "Elterngeld Bewilligung: Online-Dienst gestört";
    let mut received = Vec::new();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let announced = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buffer = [0u8; 4096];
        while !text(&received).contains(title) {
            let n = stream.read(&mut buffer).await.expect("stream open");
            assert!(n > 0, "stream closed early: {}", text(&received));
            received.extend_from_slice(&buffer[..n]);
        }
    })
    .await;
    assert!(
        announced.is_ok(),
        "no incident within 20 s; stream so far: {}",
        text(&received)
    );
    assert!(text(&received).contains(INCIDENT_BODY));
    drop(server);
}
