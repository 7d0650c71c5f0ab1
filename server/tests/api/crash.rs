//! A crash under load loses no acknowledged message. The real binary takes concurrent
//! submissions while its outbox delivers them to the SMTP sink; it is killed with SIGKILL
//! mid-way, restarted on the same data directory, and must then deliver every message it
//! acknowledged with `202`.
//!
//! Delivery is at-least-once: a message whose `250` arrived just before the kill, but whose
//! status update did not, goes out again after the restart. Every copy carries the same
//! Message-ID and the same bytes, so deduplicated by Message-ID each reference arrives exactly
//! once; the raw duplicates are bounded by what can be in flight at the kill.
//!
//! The real binary's log is also checked here for personal data: a refused confirmation must
//! be logged without the citizen's address, which SMTP servers quote in their reply.

use crate::outbox::{FROM, Sink};
use anlaufstelle::outbox::CONCURRENCY;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::mpsc;

const CLIENTS: usize = 8;
/// Acknowledgements before the kill.
const KILL_AFTER: usize = 60;
const LIMIT: Duration = Duration::from_secs(60);

/// The server process; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"));
    for name in [
        "ANLAUFSTELLE_DATABASE_URL",
        "ANLAUFSTELLE_SMTP_URL",
        "ANLAUFSTELLE_SMTP_FROM",
        "ANLAUFSTELLE_MESSAGE_SECRET",
    ] {
        command.env_remove(name);
    }
    command
}

async fn start(data: &Path, smtp_port: u16, log: &str) -> Server {
    let mut child = binary()
        .args(["serve", "--listen", "127.0.0.1:0", "--sample-data"])
        .args(["--min-fill-seconds", "0"])
        .args([
            "--rate-limit-client",
            "100000",
            "--rate-limit-service",
            "100000",
        ])
        .args(["--smtp-url", &format!("smtp://127.0.0.1:{smtp_port}")])
        .args(["--smtp-from", FROM])
        .arg("--data-dir")
        .arg(data)
        .env("ANLAUFSTELLE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(data.join(log)).expect("log file"))
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let line = tokio::time::timeout(
        LIMIT,
        tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .map(|_| line)
        }),
    )
    .await
    .expect("the server starts in time")
    .expect("reader thread")
    .expect("reads stdout");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| {
            panic!(
                "unexpected first line {line:?}; log: {}",
                std::fs::read_to_string(data.join(log)).unwrap_or_default()
            )
        })
        .parse()
        .expect("socket address");
    Server { child, addr }
}

/// One HTTP/1.1 exchange on its own connection. `Err` when no complete answer arrived.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Result<(u16, Value), String> {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .await
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&response);
    let (head, content) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("incomplete answer: {text:?}"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let length: Option<usize> = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    });
    if length.is_some_and(|n| n != content.len()) {
        return Err(format!("truncated answer: {text:?}"));
    }
    let json = serde_json::from_str(content).map_err(|e| format!("{e}: {content:?}"))?;
    Ok((status, json))
}

fn submission(key: &str, token: &str) -> Value {
    json!({
        "token": token,
        "idempotency_key": key,
        "category": "question",
        "message": format!("Frage {key}: Welche Nachweise brauche ich?"),
        "reply_email": "erika@example.org",
        "consent": true,
        "website": "",
        "wants_confirmation": false,
        "context": {"leika": "99041006017000", "ars": "040110000000"},
        "lang": "de"
    })
}

/// What became of one submission.
enum Outcome {
    /// A complete `202`: the message is committed.
    Acknowledged { reference: String },
    /// A complete answer other than `202`: the message was not taken.
    Refused { key: String, answer: String },
    /// No complete answer: the message may or may not be stored.
    Lost { key: String },
}

/// Token, then message.
async fn submit(addr: SocketAddr, key: &str) -> Outcome {
    let lost = || Outcome::Lost {
        key: key.to_string(),
    };
    let refused = |status: u16, answer: &Value| Outcome::Refused {
        key: key.to_string(),
        answer: format!("{status} {answer}"),
    };
    let Ok((status, token)) = http(addr, "GET", "/api/v1/messages/token", None, None).await else {
        return lost();
    };
    let Some(token) = token["token"].as_str().filter(|_| status == 200) else {
        return refused(status, &token);
    };
    let Ok((status, answer)) = http(
        addr,
        "POST",
        "/api/v1/messages",
        None,
        Some(&submission(key, token)),
    )
    .await
    else {
        return lost();
    };
    match (status, answer["reference"].as_str()) {
        (202, Some(reference)) => Outcome::Acknowledged {
            reference: reference.to_string(),
        },
        _ => refused(status, &answer),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_delivers_every_acknowledged_message_after_its_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let mut sink = Sink::start_in(dir.path()).await;
    let out = binary()
        .args([
            "token",
            "create",
            "--name",
            "admin",
            "--admin",
            "--data-dir",
        ])
        .arg(&data)
        .output()
        .expect("token create runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let admin = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_string();

    let mut server = start(&data, sink.port, "before.log").await;
    let addr = server.addr;
    let (tx, mut outcomes) = mpsc::unbounded_channel();
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..CLIENTS {
        let tx = tx.clone();
        clients.spawn(async move {
            // Each client submits until the server is gone: a lost answer is its last.
            for i in 0.. {
                let outcome = submit(addr, &format!("crash-test-{client}-{i:06}")).await;
                let lost = matches!(outcome, Outcome::Lost { .. });
                if tx.send(outcome).is_err() || lost {
                    return;
                }
            }
        });
    }
    drop(tx);

    let mut acknowledged = BTreeSet::new();
    let mut lost = Vec::new();
    let mut refused = Vec::new();
    let deadline = Instant::now() + LIMIT;
    while acknowledged.len() < KILL_AFTER {
        match tokio::time::timeout_at(deadline.into(), outcomes.recv()).await {
            Ok(Some(Outcome::Acknowledged { reference })) => {
                acknowledged.insert(reference);
            }
            Ok(Some(Outcome::Refused { key, answer })) => refused.push((key, answer)),
            Ok(Some(Outcome::Lost { key })) => panic!(
                "the answer to {key} was lost before the kill; server log: {}",
                std::fs::read_to_string(data.join("before.log")).unwrap_or_default()
            ),
            _ => panic!(
                "only {} acknowledgements within {LIMIT:?}",
                acknowledged.len()
            ),
        }
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("the server is gone");
    // Every client ends with the failure the kill caused; what was acknowledged meanwhile
    // counts too.
    while let Some(outcome) = tokio::time::timeout_at(deadline.into(), outcomes.recv())
        .await
        .expect("the clients notice the kill")
    {
        match outcome {
            Outcome::Acknowledged { reference } => {
                acknowledged.insert(reference);
            }
            Outcome::Refused { key, answer } => refused.push((key, answer)),
            Outcome::Lost { key } => lost.push(key),
        }
    }
    while clients.join_next().await.is_some() {}
    assert_eq!(
        lost.len(),
        CLIENTS,
        "each client stops at its first failure"
    );

    // Same data directory. A client whose answer was lost asks again with the same
    // idempotency key: it learns the reference if the message was stored, or stores it now.
    let server = start(&data, sink.port, "after.log").await;
    let mut retried = BTreeMap::new();
    for key in &lost {
        let Outcome::Acknowledged { reference } = submit(server.addr, key).await else {
            panic!("asking again for {key} was not acknowledged");
        };
        assert!(
            !acknowledged.contains(&reference),
            "{key} got the reference of another message"
        );
        retried.insert(key.clone(), reference);
    }
    let expected: BTreeSet<String> = acknowledged
        .iter()
        .chain(retried.values())
        .cloned()
        .collect();
    let id = |reference: &str| format!("<{reference}@anlaufstelle.example>");
    let mut missing: BTreeSet<String> = expected.iter().map(|r| id(r)).collect();
    // Copies that reached the sink before the kill count.
    for message_id in sink.message_ids() {
        missing.remove(&message_id);
    }
    let deadline = Instant::now() + LIMIT;
    while !missing.is_empty() {
        assert!(
            Instant::now() < deadline,
            "not delivered within {LIMIT:?}: {missing:?}"
        );
        let got = sink.next().await;
        missing.remove(&got.message_id);
    }

    // Nothing may still be queued (a re-sent duplicate could be in flight otherwise). There is
    // no event for that outside the server process, so its admin list is asked until it is
    // empty, with a deadline.
    loop {
        let (status, list) = http(
            server.addr,
            "GET",
            "/api/v1/admin/messages",
            Some(&admin),
            None,
        )
        .await
        .expect("admin list");
        assert_eq!(status, 200, "{list}");
        let messages = list["messages"].as_array().expect("list").clone();
        let open: Vec<_> = messages
            .iter()
            .filter(|m| m["status"] != "delivered")
            .collect();
        if open.is_empty() {
            assert_eq!(
                messages.len(),
                expected.len(),
                "one stored message per submission"
            );
            break;
        }
        assert!(Instant::now() < deadline, "still not delivered: {open:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let received = sink.message_ids();
    let mut copies: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, message_id) in received.iter().enumerate() {
        copies.entry(message_id.as_str()).or_default().push(n + 1);
    }
    let distinct: BTreeSet<String> = copies.keys().map(|s| s.to_string()).collect();
    let wanted: BTreeSet<String> = expected.iter().map(|r| id(r)).collect();
    assert_eq!(
        distinct, wanted,
        "by Message-ID, exactly the acknowledged (and retried) messages arrived"
    );
    let duplicates: usize = copies.values().map(|c| c.len() - 1).sum();
    assert!(
        duplicates <= CONCURRENCY,
        "{duplicates} duplicate copies; only the messages in flight at the kill may repeat"
    );
    for (message_id, numbers) in copies.iter().filter(|(_, c)| c.len() > 1) {
        let first = sink.raw(numbers[0] as u32);
        for n in &numbers[1..] {
            assert_eq!(
                sink.raw(*n as u32),
                first,
                "a duplicate of {message_id} is the same mail"
            );
        }
    }
    eprintln!(
        "crash test: {} acknowledged, {} refused, {} answers lost in flight (asked again: {}), \
         {} delivered, {duplicates} duplicate copies",
        acknowledged.len(),
        refused.len(),
        lost.len(),
        retried.len(),
        distinct.len()
    );
    // Durability is checked above either way; a refusal is no loss, the client knows. But
    // eight clients are no load a contact form may refuse.
    assert!(
        refused.is_empty(),
        "{} submissions refused under concurrent load, e.g. {:?}",
        refused.len(),
        refused.first()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_confirmation_is_logged_without_the_citizens_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = Sink::start(&dir.path().join("mail"), 0, &["unreachable.example"]).await;
    let mut child = binary()
        .args(["serve", "--listen", "127.0.0.1:0", "--sample-data"])
        .args(["--min-fill-seconds", "0"])
        .args(["--smtp-url", &format!("smtp://127.0.0.1:{}", sink.port)])
        .args(["--smtp-from", FROM])
        .arg("--data-dir")
        .arg(dir.path())
        // Everything the server itself logs, at every level.
        .env("ANLAUFSTELLE_LOG", "anlaufstelle=trace,info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let (tx, mut lines) = mpsc::unbounded_channel::<String>();
    let stderr = child.stderr.take().expect("piped stderr");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stdout = child.stdout.take().expect("piped stdout");
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    });
    let first = tokio::time::timeout(LIMIT, first)
        .await
        .expect("the server starts in time")
        .expect("reader thread")
        .expect("reads stdout");
    let mut server = Server {
        child,
        addr: first
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {first:?}")),
    };

    let (_, token) = http(server.addr, "GET", "/api/v1/messages/token", None, None)
        .await
        .expect("token");
    let mut body = submission(
        "log-privacy-test-0001",
        token["token"].as_str().expect("token"),
    );
    body["reply_email"] = json!("erika.privat@unreachable.example");
    body["name"] = json!("Erika Mustermann");
    body["wants_confirmation"] = json!(true);
    body["message"] = json!("Meine Steuer-ID ist 12 345 678 901.");
    let (status, answer) = http(server.addr, "POST", "/api/v1/messages", None, Some(&body))
        .await
        .expect("answer");
    assert_eq!(status, 202, "{answer}");
    sink.next().await;

    // The failed confirmation is logged right after the delivery.
    let mut log = Vec::new();
    let found = tokio::time::timeout(LIMIT, async {
        while let Some(line) = lines.recv().await {
            let done = line.contains("confirmation to the citizen failed");
            log.push(line);
            if done {
                return true;
            }
        }
        false
    })
    .await;
    let _ = server.child.kill();
    let _ = server.child.wait();
    // The reader ends with the process: take what else was written.
    while let Some(line) = lines.recv().await {
        log.push(line);
    }
    let log = log.join("\n");
    assert_eq!(found, Ok(true), "no failure line in:\n{log}");
    assert!(log.contains("SMTP 550"), "the code is logged:\n{log}");
    for private in [
        "erika.privat",
        "unreachable.example",
        "Mustermann",
        "Steuer-ID",
    ] {
        assert!(!log.contains(private), "{private} in the log:\n{log}");
    }
}
