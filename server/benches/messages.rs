//! Contact-form throughput, printed by `cargo xtask bench` (`cargo bench -p server --bench
//! messages`).
//!
//! Runs the real `anlaufstelle` binary (a separate process; SQLite with full fsync, the
//! default) and the SMTP sink `tests/smtp/sink.py` (aiosmtpd), both on loopback:
//!
//! 1. **Intake** — `CLIENTS` concurrent clients, each on its own keep-alive connection, send
//!    `POST /api/v1/messages` for `LOAD` (no SMTP server configured, so delivery does not
//!    compete): acknowledged (`202`, i.e. committed) messages per second, p50 / p99 / max
//!    latency, and how many answers were errors. Form tokens are single-use, so each message
//!    fetches its own first (not in the latency, but in the messages per second).
//! 2. **Delivery** — the server is restarted with `--smtp-url` on the backlog from 1: messages
//!    per second from the start of the worker until the sink has received all of them.
//!
//! Bounded: the load runs for `LOAD`; delivery gives up after `DELIVERY_LIMIT` and reports how
//! many arrived. The sink needs Python with aiosmtpd: `ANLAUFSTELLE_SMTP_PYTHON`, or
//! `target/tools/venv/bin/python` as `cargo xtask test` / `cargo xtask bench` create it.

use http_body_util::{BodyExt as _, Empty, Full};
use hyper::body::Bytes;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const CLIENTS: usize = 32;
const LOAD: Duration = Duration::from_secs(5);
const DELIVERY_LIMIT: Duration = Duration::from_secs(120);
const START_LIMIT: Duration = Duration::from_secs(30);

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ sits in the workspace")
        .to_path_buf()
}

/// Lines a child prints, as they come.
fn lines(stdout: impl std::io::Read + Send + 'static) -> mpsc::UnboundedReceiver<String> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

struct Sink {
    _process: Process,
    _stdin: ChildStdin,
    port: u16,
    events: mpsc::UnboundedReceiver<String>,
}

async fn start_sink(maildir: &Path) -> Sink {
    let python = std::env::var_os("ANLAUFSTELLE_SMTP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/tools/venv/bin/python"));
    let mut child = Command::new(&python)
        .arg(workspace().join("tests/smtp/sink.py"))
        .args(["--port", "0", "--stop-on-eof", "--maildir"])
        .arg(maildir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start the SMTP sink with {} ({e}); run `cargo xtask bench`, which \
                 installs target/tools/venv",
                python.display()
            )
        });
    let stdin = child.stdin.take().expect("piped stdin");
    let mut events = lines(child.stdout.take().expect("piped stdout"));
    let first = tokio::time::timeout(START_LIMIT, events.recv())
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| {
            panic!(
                "the SMTP sink did not start (is aiosmtpd installed for {}?)",
                python.display()
            )
        });
    let port = first
        .strip_prefix("listening on ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line from the sink: {first:?}"));
    Sink {
        _process: Process(child),
        _stdin: stdin,
        port,
        events,
    }
}

async fn start_server(data: &Path, smtp: Option<u16>) -> (Process, SocketAddr) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"));
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--sample-data"])
        .args(["--min-fill-seconds", "0"])
        .args(["--rate-limit-client", "100000000"])
        .args(["--rate-limit-service", "100000000"])
        .arg("--data-dir")
        .arg(data)
        .env_remove("ANLAUFSTELLE_DATABASE_URL")
        .env_remove("ANLAUFSTELLE_SMTP_URL")
        // Refused requests are counted below; the server's log of each would drown the figures.
        .stderr(Stdio::null())
        .stdout(Stdio::piped());
    if let Some(port) = smtp {
        command.args(["--smtp-url", &format!("smtp://127.0.0.1:{port}")]);
    }
    let mut child = command.spawn().expect("server starts");
    let mut out = lines(child.stdout.take().expect("piped stdout"));
    let line = tokio::time::timeout(START_LIMIT, out.recv())
        .await
        .ok()
        .flatten()
        .expect("listening line");
    let addr = line
        .strip_prefix("listening on http://")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    (Process(child), addr)
}

type Sender<B> = hyper::client::conn::http1::SendRequest<B>;

async fn connect<B>(addr: SocketAddr) -> Sender<B>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
    sender
}

async fn form_token(addr: SocketAddr) -> String {
    let mut sender = connect::<Empty<Bytes>>(addr).await;
    let response = sender
        .send_request(
            hyper::Request::get("/api/v1/messages/token")
                .header("host", "bench")
                .body(Empty::new())
                .expect("request"),
        )
        .await
        .expect("token answer");
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    json["token"].as_str().expect("token").to_string()
}

/// What one client saw.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

/// Sends messages on one keep-alive connection until `until`.
async fn client(addr: SocketAddr, id: usize, until: Instant) -> Tally {
    let mut sender = connect::<Full<Bytes>>(addr).await;
    let mut tally = Tally::default();
    for i in 0.. {
        if Instant::now() >= until {
            break;
        }
        // A form token sends one message only, as a citizen's form does; it is fetched before
        // the timed request (but within the run, so messages/s includes it).
        let token = form_token(addr).await;
        let body = serde_json::json!({
            "token": token,
            "idempotency_key": format!("bench-{id:03}-{i:08}"),
            "category": "question",
            "message": "Welche Nachweise brauche ich für den Antrag auf Elterngeld? Mein Kind ist im Oktober geboren.",
            "reply_email": "erika@example.org",
            "name": "Erika Mustermann",
            "consent": true,
            "website": "",
            "wants_confirmation": false,
            "context": {"leika": "99041006017000", "ars": "040110000000", "form_step": "Schritt 2"},
            "lang": "de"
        });
        let sent = Instant::now();
        let result = sender
            .send_request(
                hyper::Request::post("/api/v1/messages")
                    .header("host", "bench")
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body.to_string())))
                    .expect("request"),
            )
            .await;
        let Ok(response) = result else {
            tally.errors += 1;
            tally.first_error.get_or_insert("connection failed".into());
            sender = connect(addr).await;
            continue;
        };
        let status = response.status();
        let answer = response.into_body().collect().await.map(|b| b.to_bytes());
        if status == 202 && answer.is_ok() {
            tally.latencies.push(sent.elapsed());
        } else {
            tally.errors += 1;
            tally.first_error.get_or_insert_with(|| {
                format!(
                    "{status} {}",
                    answer
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default()
                )
            });
        }
    }
    tally
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(bench());
}

async fn bench() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");

    // 1. Intake under load, nothing delivered meanwhile.
    let (server, addr) = start_server(&data, None).await;
    let until = Instant::now() + LOAD;
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for id in 0..CLIENTS {
        clients.spawn(client(addr, id, until));
    }
    let mut latencies = Vec::new();
    let (mut errors, mut first_error) = (0, None);
    while let Some(done) = clients.join_next().await {
        let tally = done.expect("client task");
        latencies.extend(tally.latencies);
        errors += tally.errors;
        first_error = first_error.or(tally.first_error);
    }
    let elapsed = started.elapsed();
    drop(server);
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let acknowledged = latencies.len();
    println!(
        "contact form: POST /api/v1/messages, {CLIENTS} clients on keep-alive connections, {:.1} s, SQLite with full fsync",
        elapsed.as_secs_f64()
    );
    println!(
        "  intake:   {acknowledged} acknowledged (202, committed), {:.0} messages/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {errors} errors",
        acknowledged as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        pct(1.0),
    );
    if let Some(error) = first_error {
        println!(
            "            first error: {}",
            error.chars().take(200).collect::<String>()
        );
    }

    // 2. Delivery of that backlog to the local SMTP sink.
    let mut sink = start_sink(&dir.path().join("mail")).await;
    let started = Instant::now();
    let (_server, _) = start_server(&data, Some(sink.port)).await;
    let deadline = started + DELIVERY_LIMIT;
    let mut delivered = 0;
    let (mut first, mut last) = (None, started);
    while delivered < acknowledged {
        match tokio::time::timeout_at(deadline.into(), sink.events.recv()).await {
            Ok(Some(line)) if line.starts_with("received ") => {
                delivered += 1;
                last = Instant::now();
                first.get_or_insert(last);
            }
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    let total = last.duration_since(started).as_secs_f64();
    let steady = first.map_or(0.0, |f| last.duration_since(f).as_secs_f64());
    println!(
        "  delivery: {delivered} of {acknowledged} queued messages to the SMTP sink (aiosmtpd) in {total:.1} s \
         including the server's start: {:.0} messages/s ({:.0} messages/s from the first receipt to the last){}",
        delivered as f64 / total.max(f64::EPSILON),
        delivered.saturating_sub(1) as f64 / steady.max(f64::EPSILON),
        if delivered < acknowledged {
            format!("; gave up after {DELIVERY_LIMIT:?}")
        } else {
            String::new()
        }
    );
}
