//! Hostile load, printed by `cargo xtask bench` (`cargo bench -p server --bench hostile`).
//!
//! The real binary (release, sample data, default caps) with a history of notice changes a
//! replay from `Last-Event-ID: 0` would walk. A second client (its own address) asks
//! `/api/v1/help` over `HELPERS` keep-alive connections for `WINDOW`, first undisturbed, then
//! while one attacking address holds `IDLE` connections that send nothing, `HALF_SENT`
//! connections that stop in the middle of their headers, and `STREAMS` notice streams resuming
//! from `Last-Event-ID: 0` that never read a byte. Printed: the second client's p50 / p99 and
//! the server's resident memory, without and with the attack, and what the attacker got.

#[path = "support/server.rs"]
mod support;

use http_body_util::{BodyExt as _, Empty, Full};
use hyper::body::Bytes;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use support::{Server, connect_from, rss_kb, sender};
use tokio::io::AsyncWriteExt as _;

const IDLE: usize = 1_000;
const HALF_SENT: usize = 1_000;
const STREAMS: usize = 500;
/// Notice changes in the history (out of the citizen's region, so nothing is visible).
const HISTORY: usize = 300;
const HELPERS: usize = 4;
const WINDOW: Duration = Duration::from_secs(4);
const ATTACKER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const CITIZEN: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
const HELP: &str = "/api/v1/help?ars=040110000000&leika=99041006017000";

fn main() {
    let server = support::start(true);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        history(&server).await;
        let calm = measure(&server).await;
        let held = attack(server.addr).await;
        let under_attack = measure(&server).await;
        let open = still_open(&held);
        println!(
            "hostile load: one address holds {IDLE} idle + {HALF_SENT} half-sent connections and {STREAMS} notice streams replaying from Last-Event-ID: 0 ({HISTORY} changes in the history); a second client asks {HELP} on {HELPERS} keep-alive connections for {:.0} s",
            WINDOW.as_secs_f64()
        );
        println!(
            "  attacker: {open} of {} connections kept open by the server (the rest refused at once with 503)",
            IDLE + HALF_SENT + STREAMS
        );
        for (label, m) in [("without attack", &calm), ("under attack", &under_attack)] {
            println!(
                "  {label:<15} help p50 {:.2} ms, p99 {:.2} ms, {} answers ({} failed); server memory {:.1} MiB",
                m.p50_ms,
                m.p99_ms,
                m.answers,
                m.failures,
                m.rss_kb as f64 / 1024.0
            );
        }
        drop(held);
    });
}

/// Raises and resolves notices for another Land, so a replay from 0 has a long history.
async fn history(server: &Server) {
    let mut sender = sender::<Full<Bytes>>(server.addr, CITIZEN).await;
    for i in 0..HISTORY {
        let body = serde_json::json!({
            "kind": "info", "impact": "none", "regions": ["05"],
            "content": {"de": {"title": format!("Bench-Historie {i}"), "body": "x".repeat(2000)}}
        });
        let request = hyper::Request::post("/api/v1/notices")
            .header("host", "bench")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {}", server.token))
            .body(Full::new(Bytes::from(body.to_string())))
            .expect("request");
        sender.ready().await.expect("connection ready");
        let response = sender.send_request(request).await.expect("response");
        assert_eq!(response.status(), 201, "notice accepted");
        let _ = response.into_body().collect().await;
    }
}

struct Measured {
    p50_ms: f64,
    p99_ms: f64,
    answers: usize,
    failures: usize,
    rss_kb: u64,
}

/// The second client's help latencies over `WINDOW`, and the server's memory at the end.
async fn measure(server: &Server) -> Measured {
    let until = Instant::now() + WINDOW;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..HELPERS {
        let addr = server.addr;
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0;
            let mut conn = sender::<Empty<Bytes>>(addr, CITIZEN).await;
            while Instant::now() < until {
                let request = hyper::Request::get(HELP)
                    .header("host", "bench")
                    .body(Empty::new())
                    .expect("request");
                let started = Instant::now();
                let answer = async {
                    conn.ready().await?;
                    conn.send_request(request).await
                };
                match tokio::time::timeout(Duration::from_secs(10), answer).await {
                    Ok(Ok(response)) if response.status() == 200 => {
                        let _ = response.into_body().collect().await;
                        latencies.push(started.elapsed());
                    }
                    _ => {
                        failures += 1;
                        conn = sender(addr, CITIZEN).await;
                    }
                }
            }
            (latencies, failures)
        });
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    while let Some(Ok((l, f))) = tasks.join_next().await {
        latencies.extend(l);
        failures += f;
    }
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    Measured {
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        answers: latencies.len(),
        failures,
        rss_kb: rss_kb(server.child.id()),
    }
}

/// Opens the attacker's connections, streams first (so that they are inside the attacker's
/// connection cap and the replay is exercised), and returns them held open.
async fn attack(addr: SocketAddr) -> Vec<tokio::net::TcpStream> {
    let mut held = Vec::new();
    for i in 0..IDLE + HALF_SENT + STREAMS {
        let Ok(mut conn) = connect_from(addr, ATTACKER).await else {
            continue;
        };
        let request: &[u8] = if i < STREAMS {
            b"GET /api/v1/notices/stream?ars=040110000000 HTTP/1.1\r\nHost: bench\r\nLast-Event-ID: 0\r\n\r\n"
        } else if i < STREAMS + HALF_SENT {
            b"GET /api/v1/help?ars=040110000000 HTTP/1.1\r\nHost: bench\r\nUser-Ag"
        } else {
            b""
        };
        let _ = conn.write_all(request).await;
        held.push(conn);
    }
    held
}

/// How many of `held` the server still keeps open: a refused connection was answered and
/// closed, so reading it ends in EOF; an open one has nothing more (or a stream's bytes).
fn still_open(held: &[tokio::net::TcpStream]) -> usize {
    held.iter()
        .filter(|conn| {
            let mut buf = [0u8; 4096];
            loop {
                match conn.try_read(&mut buf) {
                    Ok(0) => return false,
                    Ok(_) => {}
                    Err(e) => return e.kind() == std::io::ErrorKind::WouldBlock,
                }
            }
        })
        .count()
}
