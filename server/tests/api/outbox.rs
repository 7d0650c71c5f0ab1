//! Delivery of contact-form messages against a real SMTP server: `tests/smtp/sink.py`
//! (aiosmtpd), started per test on a free port. The outbox is driven pass by pass with
//! `deliver_due` and a chosen "now", so retries and backoff need no waiting; one test runs the
//! worker itself and waits for the sink to report the message. The application's clock is
//! fixed at [`RECEIVED`], so nothing depends on the wall clock.
//!
//! The sink runs on `ANLAUFSTELLE_SMTP_PYTHON` (set by `cargo xtask test`), or else on
//! `target/tools/venv/bin/python`; without aiosmtpd the tests fail and say how to install it.

use crate::TestApp;
use anlaufstelle::cli::MessageArgs;
use anlaufstelle::db::messages::NewMessage;
use anlaufstelle::outbox::{self, Mailer};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::mpsc;

pub const FROM: &str = "Anlaufstelle <noreply@anlaufstelle.example>";
const ELTERNGELD: &str = "99041006017000";
const BREMEN: &str = "040110000000";
const MAILBOX: &str = "elterngeld@example.bremen.de";
/// How long the sink may take to start or to report a message.
const WAIT: Duration = Duration::from_secs(20);

/// The Python interpreter with aiosmtpd; checked once per test binary.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let python = std::env::var_os("ANLAUFSTELLE_SMTP_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("target/tools/venv/bin/python"));
        let works = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            works,
            "the SMTP sink needs Python with aiosmtpd, not found at {}: run `cargo xtask test` \
             (it creates target/tools/venv), or `python3 -m venv target/tools/venv && \
             target/tools/venv/bin/pip install -r tests/smtp/requirements.txt`, or set \
             ANLAUFSTELLE_SMTP_PYTHON",
            python.display()
        );
        python
    })
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ sits in the workspace")
        .to_path_buf()
}

/// A port nothing listens on (bound once by the OS, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// One message the sink reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// File number in the maildir.
    pub n: u32,
    /// Its Message-ID header.
    pub message_id: String,
}

/// `tests/smtp/sink.py`, running; killed when dropped.
pub struct Sink {
    child: Child,
    // Held open: the sink stops by itself when it closes (`--stop-on-eof`), even if this test
    // process dies without dropping it.
    _stdin: ChildStdin,
    /// The port it listens on.
    pub port: u16,
    /// Where it keeps messages.
    pub maildir: PathBuf,
    events: mpsc::UnboundedReceiver<String>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    /// Starts the sink on `port` (0 = any free one), storing into `maildir`; recipients in
    /// `reject` domains get `550`.
    pub async fn start(maildir: &Path, port: u16, reject: &[&str]) -> Self {
        let mut command = Command::new(python());
        command
            .arg(workspace().join("tests/smtp/sink.py"))
            .args(["--port", &port.to_string(), "--maildir"])
            .arg(maildir)
            .arg("--stop-on-eof");
        for domain in reject {
            command.args(["--reject-domain", domain]);
        }
        let log = maildir.with_extension("log");
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("sink log"))
            .spawn()
            .expect("the sink starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, mut events) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = tokio::time::timeout(WAIT, events.recv()).await;
        let port = match first {
            Ok(Some(line)) => line
                .strip_prefix("listening on ")
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("unexpected first line from the sink: {line:?}")),
            _ => panic!(
                "the sink did not start within {WAIT:?}: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            ),
        };
        Self {
            child,
            _stdin: stdin,
            port,
            maildir: maildir.to_path_buf(),
            events,
        }
    }

    /// A sink on any free port with its own maildir under `dir`.
    pub async fn start_in(dir: &Path) -> Self {
        Self::start(&dir.join("mail"), 0, &[]).await
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        smtp_url(self.port)
    }

    /// The next message the sink stored (it reports each one before answering `250`).
    pub async fn next(&mut self) -> Received {
        let line = tokio::time::timeout(WAIT, self.events.recv())
            .await
            .unwrap_or_else(|_| panic!("no message reached the sink within {WAIT:?}"))
            .expect("the sink is running");
        let mut words = line.splitn(3, ' ');
        match (words.next(), words.next(), words.next()) {
            (Some("received"), Some(n), Some(id)) => Received {
                n: n.parse().expect("message number"),
                message_id: id.to_string(),
            },
            _ => panic!("unexpected line from the sink: {line:?}"),
        }
    }

    /// Message `n` as Python's e-mail parser reads it (headers decoded, text body, envelope).
    pub fn mail(&self, n: u32) -> Value {
        let text = std::fs::read_to_string(self.maildir.join(format!("{n}.json")))
            .expect("stored message");
        serde_json::from_str(&text).expect("the sink writes JSON")
    }

    /// Message `n` exactly as received.
    pub fn raw(&self, n: u32) -> String {
        std::fs::read_to_string(self.maildir.join(format!("{n}.eml"))).expect("stored message")
    }

    /// The Message-ID of every message received so far, in order.
    pub fn message_ids(&self) -> Vec<String> {
        message_ids(&self.maildir)
    }
}

/// The Message-IDs in a sink's maildir (none before the first message).
pub fn message_ids(maildir: &Path) -> Vec<String> {
    std::fs::read_to_string(maildir.join("index.txt"))
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// Sample data, delivery to `smtp_url`, forms may be sent at once; the clock stands at
/// [`RECEIVED`].
async fn app(smtp_url: Option<String>, max_attempts: u32) -> TestApp {
    let mut app = TestApp::with_sample_data().await.at(RECEIVED);
    app.state = app.state.clone().with_messages(MessageArgs {
        smtp_url,
        smtp_from: FROM.into(),
        max_attempts,
        min_fill_seconds: 0,
        rate_limit_client: 1000,
        ..MessageArgs::default()
    });
    app
}

fn mailer(url: &str) -> Mailer {
    Mailer::new(url, FROM).expect("valid SMTP configuration")
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("RFC 3339 timestamp")
}

/// When [`NewMessage::example`] is received.
const RECEIVED: &str = "2026-11-23T09:15:00Z";

async fn enqueue(app: &TestApp, message: NewMessage) -> String {
    app.state
        .db
        .enqueue_for_test(&message)
        .await
        .expect("message stored")
}

async fn columns(app: &TestApp, reference: &str) -> BTreeMap<String, Option<String>> {
    app.state
        .db
        .message_columns_for_test(reference)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no message {reference}"))
}

fn column<'a>(row: &'a BTreeMap<String, Option<String>>, name: &str) -> Option<&'a str> {
    row.get(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_deref()
}

/// Sends a message through `POST /api/v1/messages`; returns its reference.
async fn submit(app: &TestApp, key: &str, fields: Value) -> String {
    let token = app.get("/api/v1/messages/token").await.json()["token"]
        .as_str()
        .expect("form token")
        .to_string();
    let mut body = json!({
        "token": token,
        "idempotency_key": key,
        "category": "question",
        "message": "Welche Nachweise brauche ich?",
        "consent": true,
        "website": "",
        "wants_confirmation": false,
        "context": {"leika": ELTERNGELD, "ars": BREMEN},
        "lang": "de"
    });
    if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
        body.extend(fields.clone());
    }
    let res = app.send_json("POST", "/api/v1/messages", None, &body).await;
    assert_eq!(
        res.status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    res.json()["reference"]
        .as_str()
        .expect("reference")
        .to_string()
}

#[tokio::test]
async fn a_message_from_the_form_reaches_the_routed_mailbox_with_reference_context_and_reply_to() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;
    let text =
        "Mein Upload bricht ab.\n<script>alert(\"x\")</script>\n<b>Bitte</b> helfen Sie.\n.\nEnde";
    let reference = submit(
        &app,
        "delivery-test-0001",
        json!({
            "message": text,
            "reply_email": "erika@example.org",
            "name": "Erika Mustermann",
            "context": {
                "leika": ELTERNGELD, "ars": BREMEN, "form_step": "Schritt 3: Nachweise",
                "error_code": "UPLOAD-413", "page_path": "/elterngeld/antrag"
            }
        }),
    )
    .await;

    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
        .await
        .expect("pass");
    assert_eq!(pass.delivered, [reference.as_str()]);
    let got = sink.next().await;
    let message_id = format!("<{reference}@anlaufstelle.example>");
    assert_eq!(got.message_id, message_id);

    let mail = sink.mail(got.n);
    assert_eq!(mail["envelope"]["rcpt_tos"], json!([MAILBOX]));
    assert_eq!(
        mail["envelope"]["mail_from"],
        "noreply@anlaufstelle.example"
    );
    assert_eq!(mail["to"], MAILBOX);
    assert_eq!(mail["from"], FROM);
    assert_eq!(mail["reply_to"], "Erika Mustermann <erika@example.org>");
    assert_eq!(
        mail["subject"],
        format!("[{reference}] Anfrage zu Elterngeld Bewilligung – Frage zum Antrag")
    );
    assert_eq!(mail["content_type"], "text/plain");
    assert_eq!(mail["charset"], "utf-8");
    assert_eq!(mail["parts"], 1, "one text part, no HTML alternative");
    let body = mail["text"].as_str().expect("text body");
    for expected in [
        format!("Referenz:        {reference}").as_str(),
        "Anliegen:        Frage zum Antrag",
        "Leistung:        Elterngeld Bewilligung (LeiKa 99041006017000)",
        "Region (ARS):    040110000000",
        "Formularschritt: Schritt 3: Nachweise",
        "Fehlercode:      UPLOAD-413",
        "Seite:           /elterngeld/antrag",
        "Name:            Erika Mustermann",
        "E-Mail:          erika@example.org",
        // The citizen's text, markup and a lone dot included, exactly as typed.
        text,
    ] {
        assert!(body.contains(expected), "{expected:?} missing in:\n{body}");
    }
    let raw = sink.raw(got.n);
    assert!(!raw.to_ascii_lowercase().contains("text/html"));

    let row = columns(&app, &reference).await;
    assert_eq!(column(&row, "status"), Some("delivered"));
    assert!(column(&row, "delivered_at").is_some());
    assert_eq!(column(&row, "attempts"), Some("0"));
    assert_eq!(column(&row, "confirmation_status"), Some("not_wanted"));
    assert!(
        outbox::deliver_due(
            &app.state,
            &mailer(&sink.url()),
            at(RECEIVED) + SignedDuration::from_hours(2)
        )
        .await
        .expect("pass")
        .delivered
        .is_empty(),
        "delivered once"
    );
}

#[tokio::test]
async fn without_a_reply_address_the_office_is_told_that_no_answer_is_possible() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;
    let reference = enqueue(&app, NewMessage::example()).await;
    outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
        .await
        .expect("pass");
    let got = sink.next().await;
    let mail = sink.mail(got.n);
    assert_eq!(mail["reply_to"], Value::Null);
    let body = mail["text"].as_str().expect("text body");
    assert!(body.contains("Keine Antwortadresse angegeben – eine Antwort ist nicht möglich."));
    assert!(
        body.contains("Eingegangen:     23.11.2026, 10:15 Uhr"),
        "{body}"
    );
    assert!(
        mail["subject"]
            .as_str()
            .expect("subject")
            .starts_with(&format!("[{reference}]"))
    );
}

#[tokio::test]
async fn while_smtp_is_down_a_message_stays_queued_with_backoff_and_arrives_exactly_once_later() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let url = smtp_url(port);
    let app = app(Some(url.clone()), 10).await;
    let mailer = mailer(&url);
    let reference = enqueue(&app, NewMessage::example()).await;

    let t0 = at(RECEIVED);
    let pass = outbox::deliver_due(&app.state, &mailer, t0)
        .await
        .expect("pass");
    assert_eq!(pass.retrying, [reference.as_str()]);
    let row = columns(&app, &reference).await;
    assert_eq!(column(&row, "status"), Some("queued"));
    assert_eq!(column(&row, "attempts"), Some("1"));
    assert!(
        column(&row, "last_error").is_some_and(|e| !e.is_empty() && e.chars().count() <= 201),
        "{row:?}"
    );
    let next = at(column(&row, "next_attempt_at").expect("due time"));
    let delay = next.duration_since(t0);
    assert!(
        delay >= SignedDuration::from_secs(24) && delay <= SignedDuration::from_secs(30),
        "first retry after 30 s less jitter, got {delay:?}"
    );
    assert_eq!(app.state.db.next_due_at().await.expect("query"), Some(next));

    // Not due yet: nothing is tried.
    let early = outbox::deliver_due(&app.state, &mailer, t0 + SignedDuration::from_secs(20))
        .await
        .expect("pass");
    assert!(early.retrying.is_empty() && early.delivered.is_empty());
    assert_eq!(
        column(&columns(&app, &reference).await, "attempts"),
        Some("1")
    );

    // The second failure doubles the delay.
    outbox::deliver_due(&app.state, &mailer, next)
        .await
        .expect("pass");
    let row = columns(&app, &reference).await;
    assert_eq!(column(&row, "attempts"), Some("2"));
    let delay = at(column(&row, "next_attempt_at").expect("due time")).duration_since(next);
    assert!(
        delay >= SignedDuration::from_secs(48) && delay <= SignedDuration::from_secs(60),
        "{delay:?}"
    );

    // The SMTP server comes up on the configured port.
    let mut sink = Sink::start(&dir.path().join("mail"), port, &[]).await;
    let later = next + SignedDuration::from_hours(1);
    let pass = outbox::deliver_due(&app.state, &mailer, later)
        .await
        .expect("pass");
    assert_eq!(pass.delivered, [reference.as_str()]);
    let message_id = format!("<{reference}@anlaufstelle.example>");
    assert_eq!(sink.next().await.message_id, message_id);
    let row = columns(&app, &reference).await;
    assert_eq!(column(&row, "status"), Some("delivered"));
    assert_eq!(
        column(&row, "attempts"),
        Some("2"),
        "attempts stay as history"
    );

    let again = outbox::deliver_due(&app.state, &mailer, later + SignedDuration::from_hours(1))
        .await
        .expect("pass");
    assert!(again.delivered.is_empty());
    assert_eq!(sink.message_ids(), [message_id], "exactly once");
}

#[tokio::test]
async fn after_max_attempts_a_message_is_dead_listed_for_admins_and_an_admin_retry_delivers_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let down = smtp_url(free_port());
    let app = app(Some(down.clone()), 2).await;
    let reference = enqueue(&app, NewMessage::example()).await;
    let mut now = at(RECEIVED);
    let mut dead = Vec::new();
    for _ in 0..2 {
        let pass = outbox::deliver_due(&app.state, &mailer(&down), now)
            .await
            .expect("pass");
        dead = pass.dead;
        now += SignedDuration::from_hours(2);
    }
    assert_eq!(dead, [reference.as_str()]);
    assert!(
        outbox::deliver_due(
            &app.state,
            &mailer(&down),
            now + SignedDuration::from_hours(24)
        )
        .await
        .expect("pass")
        .retrying
        .is_empty(),
        "a dead message is not tried again by itself"
    );

    let admin = app.admin_token("admin").await;
    let scoped = app.token("elterngeld", &[ELTERNGELD], &[]).await;
    let list = app
        .send_json(
            "GET",
            "/api/v1/admin/messages?status=dead",
            Some(&admin),
            &json!(null),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let messages = list.json()["messages"].clone();
    assert_eq!(messages.as_array().map(Vec::len), Some(1), "{messages}");
    let entry = &messages[0];
    assert_eq!(entry["reference"], reference.as_str());
    assert_eq!(entry["status"], "dead");
    assert_eq!(entry["attempts"], 2);
    assert_eq!(entry["recipient_email"], MAILBOX);
    assert_eq!(entry["received_at"], RECEIVED);
    assert!(entry["last_error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(entry["routing_reason"].as_str().is_some());
    for private in ["body", "message", "reply_email", "sender_name", "name"] {
        assert!(entry.get(private).is_none(), "{private} must not be listed");
    }
    let queued = app
        .send_json(
            "GET",
            "/api/v1/admin/messages?status=queued",
            Some(&admin),
            &json!(null),
        )
        .await;
    assert_eq!(queued.json()["messages"], json!([]));

    let path = format!("/api/v1/admin/messages/{reference}/retry");
    app.send_json("GET", "/api/v1/admin/messages", Some(&scoped), &json!(null))
        .await
        .assert_error(StatusCode::FORBIDDEN, "admin_required");
    app.send_json("POST", &path, Some(&scoped), &json!({}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "admin_required");
    app.send_json("GET", "/api/v1/admin/messages", None, &json!(null))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    app.send_json("POST", &path, Some("ast_wrong"), &json!({}))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    app.send_json(
        "GET",
        "/api/v1/admin/messages?status=lost",
        Some(&admin),
        &json!(null),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    app.send_json(
        "POST",
        "/api/v1/admin/messages/AS-2026-999999/retry",
        Some(&admin),
        &json!({}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");

    let retried = app.send_json("POST", &path, Some(&admin), &json!({})).await;
    assert_eq!(retried.status, StatusCode::ACCEPTED);
    assert_eq!(
        retried.json(),
        json!({"reference": reference, "status": "queued"})
    );
    tokio::time::timeout(Duration::from_secs(5), app.state.outbox.notified())
        .await
        .expect("the retry wakes the worker");
    let row = columns(&app, &reference).await;
    assert_eq!(column(&row, "status"), Some("queued"));
    assert_eq!(column(&row, "attempts"), Some("0"));

    let mut sink = Sink::start_in(dir.path()).await;
    // The retry made it due at the application's "now".
    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
        .await
        .expect("pass");
    assert_eq!(pass.delivered, [reference.as_str()]);
    assert_eq!(
        sink.next().await.message_id,
        format!("<{reference}@anlaufstelle.example>")
    );
    app.send_json("POST", &path, Some(&admin), &json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "already_delivered");
    let delivered = app
        .send_json(
            "GET",
            "/api/v1/admin/messages?status=delivered",
            Some(&admin),
            &json!(null),
        )
        .await;
    assert_eq!(
        delivered.json()["messages"][0]["reference"],
        reference.as_str()
    );
}

#[tokio::test]
async fn the_citizen_gets_a_confirmation_without_the_message_text_after_delivery() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;
    let reference = enqueue(
        &app,
        NewMessage {
            body: "Meine Steuer-ID ist 12 345 678 901.".into(),
            reply_email: Some("erika@example.org".into()),
            sender_name: Some("Erika Mustermann".into()),
            wants_confirmation: true,
            ..NewMessage::example()
        },
    )
    .await;
    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
        .await
        .expect("pass");
    assert_eq!(pass.delivered, [reference.as_str()]);
    assert_eq!(pass.confirmed, [reference.as_str()]);

    let delivery = sink.next().await;
    assert_eq!(
        delivery.message_id,
        format!("<{reference}@anlaufstelle.example>")
    );
    let confirmation = sink.next().await;
    assert_eq!(
        confirmation.message_id,
        format!("<{reference}.confirmation@anlaufstelle.example>")
    );
    let mail = sink.mail(confirmation.n);
    assert_eq!(mail["envelope"]["rcpt_tos"], json!(["erika@example.org"]));
    assert_eq!(
        mail["subject"],
        format!("Ihre Nachricht ist eingegangen – Referenz {reference}")
    );
    let text = mail["text"].as_str().expect("text body");
    assert!(text.contains(&reference));
    assert!(text.contains("keine Kopie Ihrer Nachricht"), "{text}");
    assert!(
        !text.contains("Steuer-ID") && !text.contains("Erika"),
        "{text}"
    );
    assert_eq!(
        column(&columns(&app, &reference).await, "confirmation_status"),
        Some("sent")
    );
}

#[tokio::test]
async fn the_confirmation_speaks_the_language_the_citizen_wrote_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;
    // Received 09:15 UTC = 10:15 in Berlin (CET).
    let cases = [
        (
            "en",
            "Your message has been received – reference {}",
            [
                "Received:   23 Nov 2026, 10:15 (German time)",
                "Topic:      Question about the application",
                "this confirmation contains no copy of your message",
            ],
        ),
        (
            "de-x-ls",
            "Ihre Nachricht ist angekommen. Referenz: {}",
            [
                "Ihre Nachricht ist angekommen am: 23. November 2026 um 10:15 Uhr",
                "Ihr Thema: Ich habe eine Frage zum Antrag.",
                "Ihre Nachricht steht nicht in dieser E-Mail.",
            ],
        ),
    ];
    for (lang, subject, lines) in cases {
        let reference = enqueue(
            &app,
            NewMessage {
                body: "Meine Steuer-ID ist 12 345 678 901.".into(),
                reply_email: Some("erika@example.org".into()),
                wants_confirmation: true,
                lang: lang.into(),
                ..NewMessage::example()
            },
        )
        .await;
        let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
            .await
            .expect("pass");
        assert_eq!(pass.confirmed, [reference.as_str()], "{lang}");
        let _delivery = sink.next().await;
        let confirmation = sink.next().await;
        let mail = sink.mail(confirmation.n);
        assert_eq!(mail["subject"], subject.replace("{}", &reference), "{lang}");
        let text = mail["text"].as_str().expect("text body");
        assert!(text.contains(&reference), "{lang}: {text}");
        for line in lines {
            assert!(text.contains(line), "{lang}: no {line:?} in\n{text}");
        }
        assert!(!text.contains("Steuer-ID"), "{lang}: {text}");
    }
}

#[tokio::test]
async fn a_refused_confirmation_is_recorded_and_leaves_the_delivery_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start(&dir.path().join("mail"), 0, &["unreachable.example"]).await;
    let app = app(Some(sink.url()), 10).await;
    let reference = enqueue(
        &app,
        NewMessage {
            reply_email: Some("erika@unreachable.example".into()),
            wants_confirmation: true,
            ..NewMessage::example()
        },
    )
    .await;
    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
        .await
        .expect("pass");
    assert_eq!(pass.delivered, [reference.as_str()]);
    assert!(pass.confirmed.is_empty());
    assert_eq!(
        sink.next().await.message_id,
        format!("<{reference}@anlaufstelle.example>")
    );
    let row = columns(&app, &reference).await;
    assert_eq!(column(&row, "status"), Some("delivered"));
    assert_eq!(column(&row, "confirmation_status"), Some("failed"));
    // Not retried: a pass an hour later sends nothing more.
    outbox::deliver_due(
        &app.state,
        &mailer(&sink.url()),
        at(RECEIVED) + SignedDuration::from_hours(1),
    )
    .await
    .expect("pass");
    assert_eq!(sink.message_ids().len(), 1);
}

#[tokio::test]
async fn a_mailbox_the_smtp_server_refuses_counts_as_a_failed_attempt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sink = Sink::start(&dir.path().join("mail"), 0, &["example.bremen.de"]).await;
    let app = app(Some(sink.url()), 10).await;
    let reference = enqueue(&app, NewMessage::example()).await;
    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
        .await
        .expect("pass");
    assert_eq!(pass.retrying, [reference.as_str()]);
    let row = columns(&app, &reference).await;
    // The code and its category; not the server's reply text, which quotes the address.
    assert_eq!(
        column(&row, "last_error"),
        Some("SMTP 550 (permanent rejection)"),
        "{row:?}"
    );
    assert!(sink.message_ids().is_empty());
}

#[tokio::test]
async fn a_stored_reply_address_that_cannot_be_used_is_left_out_and_the_office_is_told() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;

    // The intake refuses such addresses…
    for address in [
        "erika@example.org\r\nBcc: victim@example.net",
        "max..muster@example.de",
    ] {
        let token = app.get("/api/v1/messages/token").await.json()["token"].clone();
        let refused = app
            .send_json(
                "POST",
                "/api/v1/messages",
                None,
                &json!({
                    "token": token, "idempotency_key": "unusable-address-0001",
                    "category": "question", "message": "Hallo", "consent": true, "website": "",
                    "reply_email": address, "wants_confirmation": true,
                    "context": {"leika": ELTERNGELD, "ars": BREMEN}, "lang": "de"
                }),
            )
            .await;
        refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_message");
    }

    // …and one stored before that check (as `max..muster@example.de` was) is still delivered:
    // to the mailbox only, without Reply-To, with a line saying the address was unusable.
    for address in [
        "erika@example.org\r\nBcc: victim@example.net",
        "max..muster@example.de",
    ] {
        let reference = enqueue(
            &app,
            NewMessage {
                reply_email: Some(address.into()),
                wants_confirmation: true,
                ..NewMessage::example()
            },
        )
        .await;
        let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
            .await
            .expect("pass");
        assert_eq!(pass.delivered, [reference.as_str()], "{address:?}");
        let got = sink.next().await;
        let mail = sink.mail(got.n);
        assert_eq!(
            mail["envelope"]["rcpt_tos"],
            json!([MAILBOX]),
            "{address:?}"
        );
        assert_eq!(mail["reply_to"], Value::Null, "{address:?}");
        let text = mail["text"].as_str().expect("text body");
        assert!(
            text.contains("konnte nicht als Antwortadresse verwendet werden"),
            "{address:?}: {text}"
        );
        let row = columns(&app, &reference).await;
        assert_eq!(column(&row, "status"), Some("delivered"));
        // The confirmation cannot go anywhere either.
        assert_eq!(column(&row, "confirmation_status"), Some("failed"));
    }
    // Nothing reached anyone else: two mails, both to the mailbox.
    assert_eq!(sink.message_ids().len(), 2);
}

#[tokio::test]
async fn a_skipped_confirmation_is_not_sent_and_the_message_is_delivered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;
    let mut references = Vec::new();
    for i in 0..4 {
        references.push(
            submit(
                &app,
                &format!("confirm-limit-{i:04}"),
                json!({"reply_email": "erika@example.org", "wants_confirmation": true}),
            )
            .await,
        );
    }
    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), at(RECEIVED))
        .await
        .expect("pass");
    assert_eq!(pass.delivered.len(), 4);
    let mut confirmed = pass.confirmed.clone();
    confirmed.sort();
    assert_eq!(confirmed, references[..3].to_vec());
    let ids = sink.message_ids();
    assert_eq!(
        ids.len(),
        7,
        "four messages and three confirmations: {ids:?}"
    );
    assert!(!ids.contains(&format!(
        "<{}.confirmation@anlaufstelle.example>",
        references[3]
    )));
    let row = columns(&app, &references[3]).await;
    assert_eq!(column(&row, "status"), Some("delivered"));
    assert_eq!(
        column(&row, "confirmation_status"),
        Some("skipped_rate_limited")
    );
    assert!(sink.next().await.n >= 1);
}

#[tokio::test]
async fn purging_after_the_retention_period_removes_personal_data_and_keeps_the_statistics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;
    let personal = NewMessage {
        body: "Ich heiße Erika und wohne in der Musterstraße 1.".into(),
        reply_email: Some("erika@example.org".into()),
        sender_name: Some("Erika Mustermann".into()),
        form_step: Some("Schritt 2".into()),
        ..NewMessage::example()
    };
    let delivered = enqueue(&app, personal.clone()).await;
    let delivered_at = at("2026-11-23T10:00:00Z");
    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), delivered_at)
        .await
        .expect("pass");
    assert_eq!(pass.delivered, [delivered.as_str()]);
    // Still waiting for delivery, received less than the retention period ago: kept whole.
    let waiting = enqueue(
        &app,
        NewMessage {
            received_at: at("2026-11-24T09:00:00Z"),
            idempotency_key: "purge-test-waiting".into(),
            ..personal
        },
    )
    .await;
    let before = columns(&app, &delivered).await;

    let day = SignedDuration::from_hours(24);
    let early = delivered_at + day * 30 - SignedDuration::from_secs(1);
    assert_eq!(
        outbox::purge(&app.state.db, early, 30)
            .await
            .expect("purge"),
        0
    );
    assert!(column(&columns(&app, &delivered).await, "body").is_some());

    let due = delivered_at + day * 30;
    assert_eq!(
        outbox::purge(&app.state.db, due, 30).await.expect("purge"),
        1
    );
    let after = columns(&app, &delivered).await;
    for gone in ["body", "reply_email", "sender_name"] {
        assert_eq!(column(&after, gone), None, "{gone} is deleted");
    }
    assert_eq!(column(&after, "purged_at"), Some(due.to_string().as_str()));
    for kept in [
        "reference",
        "received_at",
        "delivered_at",
        "category",
        "leika",
        "ars",
        "recipient_email",
        "recipient_contact",
        "routing_reason",
        "status",
        "attempts",
    ] {
        assert_eq!(
            column(&after, kept),
            column(&before, kept),
            "{kept} is kept"
        );
        assert!(column(&after, kept).is_some(), "{kept} is set");
    }
    let untouched = columns(&app, &waiting).await;
    assert!(column(&untouched, "body").is_some() && column(&untouched, "purged_at").is_none());

    assert_eq!(
        outbox::purge(&app.state.db, due + day * 400, 30)
            .await
            .expect("purge"),
        1,
        "only the waiting message, now past its retention period"
    );
    assert_eq!(
        outbox::purge(&app.state.db, due + day * 800, 30)
            .await
            .expect("purge"),
        0,
        "a purged message is not purged again"
    );
}

#[tokio::test]
async fn dead_and_undeliverable_messages_lose_their_personal_data_and_expire_after_the_retention_period()
 {
    let dir = tempfile::tempdir().expect("temp dir");
    let down = smtp_url(free_port());
    // No SMTP server at all for the queued one; one that never answers for the dead one.
    let app = app(None, 1).await;
    let personal = NewMessage {
        body: "Ich heiße Erika.".into(),
        reply_email: Some("erika@example.org".into()),
        sender_name: Some("Erika Mustermann".into()),
        ..NewMessage::example()
    };
    let dead = enqueue(&app, personal.clone()).await;
    let died_at = at(RECEIVED) + SignedDuration::from_hours(5 * 24);
    let pass = outbox::deliver_due(&app.state, &mailer(&down), died_at)
        .await
        .expect("pass");
    assert_eq!(pass.dead, [dead.as_str()]);
    let queued = enqueue(
        &app,
        NewMessage {
            idempotency_key: "expire-test-queued".into(),
            received_at: died_at + SignedDuration::from_hours(1),
            ..personal
        },
    )
    .await;

    let day = SignedDuration::from_hours(24);
    // 30 days after receipt the dead message has been dead for only 25: kept.
    let purged = outbox::purge(&app.state.db, at(RECEIVED) + day * 30, 30)
        .await
        .expect("purge");
    assert_eq!(purged, 0);
    assert!(column(&columns(&app, &dead).await, "body").is_some());

    // 30 days after it died: its personal data goes, and it can never be sent empty.
    let purged = outbox::purge(&app.state.db, died_at + day * 30, 30)
        .await
        .expect("purge");
    assert_eq!(purged, 1);
    let row = columns(&app, &dead).await;
    for gone in ["body", "reply_email", "sender_name"] {
        assert_eq!(column(&row, gone), None, "{gone} is deleted");
    }
    assert_eq!(column(&row, "status"), Some("expired"));
    assert_eq!(column(&row, "reference"), Some(dead.as_str()));
    assert!(column(&columns(&app, &queued).await, "body").is_some());

    // The queued one expires 30 days after receipt.
    let purged = outbox::purge(
        &app.state.db,
        died_at + SignedDuration::from_hours(1) + day * 30,
        30,
    )
    .await
    .expect("purge");
    assert_eq!(purged, 1);
    let row = columns(&app, &queued).await;
    assert_eq!(column(&row, "status"), Some("expired"));
    assert_eq!(column(&row, "body"), None);

    // Expired messages are listed for admins, never delivered, and cannot be retried.
    let admin = app.admin_token("admin").await;
    let list = app
        .send_json(
            "GET",
            "/api/v1/admin/messages?status=expired",
            Some(&admin),
            &json!(null),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["messages"].as_array().map(Vec::len), Some(2));
    app.send_json(
        "POST",
        &format!("/api/v1/admin/messages/{dead}/retry"),
        Some(&admin),
        &json!({}),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "message_expired");
    let sink = Sink::start_in(dir.path()).await;
    let pass = outbox::deliver_due(&app.state, &mailer(&sink.url()), died_at + day * 400)
        .await
        .expect("pass");
    assert!(pass.delivered.is_empty());
    assert!(sink.message_ids().is_empty());
}

#[tokio::test]
async fn the_worker_wakes_on_a_committed_message_and_delivers_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let app = app(Some(sink.url()), 10).await;
    let worker = tokio::spawn(outbox::run(app.state.clone()));
    // Through the intake, which wakes the worker after committing.
    let reference = submit(&app, "worker-wake-test-0001", json!({})).await;
    assert_eq!(
        sink.next().await.message_id,
        format!("<{reference}@anlaufstelle.example>")
    );
    worker.abort();
}

#[tokio::test]
async fn without_an_smtp_server_the_worker_stops_and_messages_stay_queued() {
    let app = app(None, 10).await;
    let reference = enqueue(&app, NewMessage::example()).await;
    tokio::time::timeout(Duration::from_secs(5), outbox::run(app.state.clone()))
        .await
        .expect("the worker returns at once");
    let row = columns(&app, &reference).await;
    assert_eq!(column(&row, "status"), Some("queued"));
    assert_eq!(column(&row, "attempts"), Some("0"));
}

#[test]
fn an_unusable_smtp_url_stops_the_server_with_one_line_that_hides_the_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .args(["--smtp-url", "http://user:geheim@mail.example:25"])
        .env_remove("ANLAUFSTELLE_DATABASE_URL")
        .output()
        .expect("binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("--smtp-url"), "{stderr}");
    assert!(!stderr.contains("geheim"), "{stderr}");
}
