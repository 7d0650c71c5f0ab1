//! Notice latency, printed by `cargo xtask bench` (`cargo bench -p server --bench notices`).
//!
//! Starts the real `anlaufstelle` binary (a separate process, so server and clients each stay
//! within their file-descriptor limit), opens N concurrent SSE streams on loopback
//! (N = 1,000 and 10,000), and for each of `ROUNDS` notices measures the time from the
//! operator's `POST /api/v1/notices` to the moment every stream has received it: p50, p99 and
//! max over all receipts. Server memory per open stream is the growth of the server's resident
//! set while the streams are open, divided by N.
//!
//! Bounded: every phase gives up after `PHASE_LIMIT` and reports how many receipts arrived.

use http_body_util::{BodyExt as _, Empty, Full};
use hyper::body::Bytes;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, mpsc};

const ROUNDS: usize = 3;
const PHASE_LIMIT: Duration = Duration::from_secs(90);
const LEIKA: &str = "99041006017000";
const ARS: &str = "040110000000";

#[path = "support/server.rs"]
mod support;

use support::{Server, client_address, connect_from, rss_kb};

fn main() {
    let server = support::start(false);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    println!("notice latency: POST /api/v1/notices → received by every SSE stream (loopback)");
    for n in [1_000usize, 10_000] {
        runtime.block_on(phase(&server, n));
    }
}

async fn phase(server: &Server, n: usize) {
    let before = rss_kb(server.child.id());
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel::<()>();
    let (got_tx, mut got_rx) = mpsc::unbounded_channel::<(usize, Instant)>();
    let handshakes = Arc::new(Semaphore::new(256));
    let mut clients = tokio::task::JoinSet::new();
    for i in 0..n {
        let (ready_tx, got_tx, handshakes) = (ready_tx.clone(), got_tx.clone(), handshakes.clone());
        let addr = server.addr;
        // Each stream from its own address: citizens, not one client past its stream cap.
        let from = client_address(i);
        clients.spawn(async move { client(addr, from, ready_tx, got_tx, handshakes).await });
    }
    drop((ready_tx, got_tx));

    let deadline = Instant::now() + PHASE_LIMIT;
    let mut ready = 0;
    while ready < n {
        match tokio::time::timeout_at(deadline.into(), ready_rx.recv()).await {
            Ok(Some(())) => ready += 1,
            _ => break,
        }
    }
    let after = rss_kb(server.child.id());
    let per_stream = after.saturating_sub(before) as f64 * 1024.0 / ready.max(1) as f64;

    let mut latencies: Vec<Duration> = Vec::with_capacity(n * ROUNDS);
    let mut missing = 0;
    for round in 0..ROUNDS {
        let sent = Instant::now();
        post_notice(server, round, n).await;
        let mut received = 0;
        while received < ready {
            match tokio::time::timeout_at(deadline.into(), got_rx.recv()).await {
                Ok(Some((r, at))) if r == round => {
                    latencies.push(at.duration_since(sent));
                    received += 1;
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        missing += ready - received;
    }
    clients.abort_all();
    while clients.join_next().await.is_some() {}

    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "N = {n:>6}: streams open {ready}, receipts {} (missing {missing}), p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; server memory {:.1} KiB per open stream",
        latencies.len(),
        pct(0.50),
        pct(0.99),
        pct(1.0),
        per_stream / 1024.0,
    );
}

/// One SSE client: connects, reports readiness after the snapshot, then reports the arrival
/// time of every notice event tagged with its round.
async fn client(
    addr: SocketAddr,
    from: std::net::Ipv4Addr,
    ready: mpsc::UnboundedSender<()>,
    got: mpsc::UnboundedSender<(usize, Instant)>,
    handshakes: Arc<Semaphore>,
) {
    let permit = handshakes.acquire_owned().await.expect("semaphore open");
    let Ok(stream) = connect_from(addr, from).await else {
        return;
    };
    let io = hyper_util::rt::TokioIo::new(stream);
    let Ok((mut sender, conn)) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(io).await
    else {
        return;
    };
    tokio::spawn(conn);
    let request = hyper::Request::get(format!("/api/v1/notices/stream?leika={LEIKA}&ars={ARS}"))
        .header("host", "bench")
        .body(Empty::new())
        .expect("request");
    let Ok(response) = sender.send_request(request).await else {
        return;
    };
    drop(permit);
    let mut body = response.into_body();
    let mut buffer = String::new();
    let mut snapshot_seen = false;
    while let Some(Ok(frame)) = body.frame().await {
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let at = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if block.contains("event: snapshot") && !snapshot_seen {
                snapshot_seen = true;
                let _ = ready.send(());
            } else if block.contains("event: notice")
                && let Some(round) = block
                    .split("Bench-Runde ")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .and_then(|r| r.parse().ok())
            {
                let _ = got.send((round, at));
            }
        }
    }
}

async fn post_notice(server: &Server, round: usize, n: usize) {
    let stream = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Full<Bytes>>(
        hyper_util::rt::TokioIo::new(stream),
    )
    .await
    .expect("handshake");
    tokio::spawn(conn);
    let body = serde_json::json!({
        "kind": "info",
        "impact": "none",
        "services": [LEIKA],
        "regions": ["04"],
        "content": {"de": {"title": format!("Bench-Runde {round}"), "body": format!("{n} Streams")}}
    });
    let response = sender
        .send_request(
            hyper::Request::post("/api/v1/notices")
                .header("host", "bench")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {}", server.token))
                .body(Full::new(Bytes::from(body.to_string())))
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status(), 201, "notice accepted");
    let _ = response.into_body().collect().await;
}
