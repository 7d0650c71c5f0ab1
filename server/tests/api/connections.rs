//! The accept loop under a hostile or careless client: caps per client and in total, the
//! header, request and idle timeouts, and the notice stream's caps — on real sockets, with
//! clients on different loopback addresses (127.0.0.1 and 127.0.0.2 are different clients).

use crate::{Binary, TestApp};
use anlaufstelle::listener::Limits;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpSocket, TcpStream};

/// Generous bound for anything the server should do "soon"; a test fails only past it.
const BOUND: Duration = Duration::from_secs(10);

fn small_limits() -> Limits {
    Limits {
        max_connections: 40,
        max_connections_per_client: 8,
        max_streams: 20,
        max_streams_per_client: 3,
        header_read_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
    }
}

async fn serve(limits: Limits) -> (TestApp, SocketAddr) {
    let mut app = TestApp::with_sample_data().await;
    app.state = app.state.with_limits(limits);
    let addr = app.serve().await;
    (app, addr)
}

/// A connection from the loopback address `from` (e.g. `127.0.0.2`).
async fn connect_from(addr: SocketAddr, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(format!("{from}:0").parse().expect("address"))
        .expect("bind");
    socket.connect(addr).await.expect("connect")
}

/// Reads one response (status, head, body by Content-Length) from `stream`.
async fn read_response(stream: &mut TcpStream) -> (u16, String, String) {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout(BOUND, stream.read(&mut chunk))
            .await
            .expect("response within the bound")
            .expect("read");
        assert!(
            n > 0,
            "closed before a response: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status = head[9..12].parse().expect("status code");
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout(BOUND, stream.read(&mut chunk))
            .await
            .expect("body within the bound")
            .expect("read");
        assert!(n > 0, "closed in the body");
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).to_string();
    (status, head, body)
}

async fn get(stream: &mut TcpStream, path: &str) -> (u16, String, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    read_response(stream).await
}

/// Whether the server closes `stream` within the bound (reading and dropping what it sends).
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let read_to_end = async {
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(BOUND, read_to_end).await.is_ok()
}

/// Opens a notice stream and reads until its snapshot arrived.
async fn open_stream(addr: SocketAddr, from: &str) -> TcpStream {
    let mut stream = connect_from(addr, from).await;
    stream
        .write_all(b"GET /api/v1/notices/stream?ars=040110000000 HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .expect("write");
    let mut seen = String::new();
    while !seen.contains("event: snapshot") {
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout(BOUND, stream.read(&mut chunk))
            .await
            .expect("snapshot within the bound")
            .expect("read");
        assert!(n > 0, "stream closed before its snapshot: {seen}");
        seen.push_str(&String::from_utf8_lossy(&chunk[..n]));
    }
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    stream
}

#[tokio::test]
async fn a_half_sent_request_is_cut_after_the_header_timeout() {
    let (_app, addr) = serve(small_limits()).await;
    let mut slow = connect_from(addr, "127.0.0.1").await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: te")
        .await
        .expect("write");
    assert!(closed_by_server(&mut slow).await);
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_and_a_busy_one_is_not() {
    let (_app, addr) = serve(small_limits()).await;
    let mut conn = connect_from(addr, "127.0.0.1").await;
    let (status, _, _) = get(&mut conn, "/healthz").await;
    assert_eq!(status, 200);
    // Well inside the idle timeout the connection still serves a second request.
    let (status, _, _) = get(&mut conn, "/readyz").await;
    assert_eq!(status, 200);
    assert!(closed_by_server(&mut conn).await, "idle connection kept");
}

#[tokio::test]
async fn an_event_stream_outlives_the_idle_timeout_on_its_heartbeats() {
    let limits = small_limits();
    let heartbeat = limits.heartbeat();
    assert!(heartbeat < limits.idle_timeout);
    let (_app, addr) = serve(limits).await;
    let mut stream = open_stream(addr, "127.0.0.1").await;
    // Six heartbeats take twice the idle timeout; the stream must stay open through them.
    let mut text = String::new();
    while text.matches("ping").count() < 6 {
        let mut chunk = [0u8; 1024];
        let n = tokio::time::timeout(BOUND, stream.read(&mut chunk))
            .await
            .expect("heartbeat within the bound")
            .expect("read");
        assert!(n > 0, "stream closed after {text:?}");
        text.push_str(&String::from_utf8_lossy(&chunk[..n]));
    }
}

#[tokio::test]
async fn a_request_body_that_never_finishes_gets_408() {
    // The request timeout strikes first; the idle timeout would close without an answer.
    let mut limits = small_limits();
    limits.idle_timeout = Duration::from_secs(5);
    let (_app, addr) = serve(limits).await;
    let mut conn = connect_from(addr, "127.0.0.1").await;
    conn.write_all(
        b"POST /api/v1/messages HTTP/1.1\r\nHost: test\r\nOrigin: https://portal.example\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"token\":",
    )
    .await
    .expect("write");
    let (status, head, body) = read_response(&mut conn).await;
    assert_eq!(status, 408, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON error");
    assert_eq!(json["error"], "request_timeout");
    // The widget on a portal page reads the code only if CORS lets it.
    assert!(
        head.to_ascii_lowercase()
            .contains("access-control-allow-origin: *"),
        "{head}"
    );
}

#[tokio::test]
async fn one_client_cannot_take_the_connections_other_clients_need() {
    let (_app, addr) = serve(small_limits()).await;
    // The first client holds its whole share with half-sent and idle connections …
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut c = connect_from(addr, "127.0.0.1").await;
        c.write_all(b"GET /healthz HTTP/1.1\r\n")
            .await
            .expect("write");
        held.push(c);
    }
    // … so its next connection is refused at once, with a reason …
    let mut refused = connect_from(addr, "127.0.0.1").await;
    let (status, head, body) = read_response(&mut refused).await;
    assert_eq!(status, 503);
    assert!(
        head.to_ascii_lowercase().contains("retry-after: "),
        "{head}"
    );
    assert!(body.contains("too_many_connections"), "{body}");
    // … while another client is served as if nothing happened.
    let mut other = connect_from(addr, "127.0.0.2").await;
    let (status, _, _) = get(&mut other, "/healthz").await;
    assert_eq!(status, 200);
    let (status, _, body) = get(&mut other, "/api/v1/help?ars=040110000000").await;
    assert_eq!(status, 200, "{body}");
    drop(held);
}

#[tokio::test]
async fn past_the_stream_cap_a_stream_gets_503_and_help_still_answers() {
    let (_app, addr) = serve(small_limits()).await;
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(open_stream(addr, "127.0.0.1").await);
    }
    let mut conn = connect_from(addr, "127.0.0.1").await;
    let (status, head, body) = get(&mut conn, "/api/v1/notices/stream?ars=040110000000").await;
    assert_eq!(status, 503, "{body}");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 30"),
        "{head}"
    );
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON error");
    assert_eq!(json["error"], "too_many_streams");
    // The same client still gets everything else, polling included.
    for path in [
        "/healthz",
        "/readyz",
        "/api/v1/help?ars=040110000000",
        "/api/v1/notices?ars=040110000000",
    ] {
        let (status, _, body) = get(&mut conn, path).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    // Another client's stream is not affected by this client's share.
    let _other = open_stream(addr, "127.0.0.2").await;
}

#[tokio::test]
async fn the_total_stream_cap_holds_across_clients() {
    let mut limits = small_limits();
    limits.max_streams = 2;
    let (_app, addr) = serve(limits).await;
    let _a = open_stream(addr, "127.0.0.1").await;
    let _b = open_stream(addr, "127.0.0.2").await;
    let mut c = connect_from(addr, "127.0.0.3").await;
    let (status, _, body) = get(&mut c, "/api/v1/notices/stream").await;
    assert_eq!(status, 503, "{body}");
    let (status, _, _) = get(&mut c, "/api/v1/help?ars=040110000000").await;
    assert_eq!(status, 200);
}

/// The reproduction: with the file limit at 256, 300 event streams from one client
/// made `/healthz` time out (`accept error: Too many open files`). The real binary, started
/// under that limit, must keep answering other clients.
#[tokio::test]
async fn the_binary_under_a_low_file_limit_keeps_answering_other_clients() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("server.log");
    let mut prlimit = std::process::Command::new("prlimit");
    prlimit
        .arg("--nofile=256:256")
        .arg(env!("CARGO_BIN_EXE_anlaufstelle"))
        .env("ANLAUFSTELLE_LOG", "debug,sqlx=warn,hyper=info");
    let server = Binary::serve(
        prlimit,
        &[
            "--sample-data".as_ref(),
            "--data-dir".as_ref(),
            dir.path().as_os_str(),
        ],
        Some(&log),
    );
    let addr = server.addr;

    let mut held = Vec::new();
    for _ in 0..300 {
        let mut c = connect_from(addr, "127.0.0.1").await;
        let _ = c
            .write_all(b"GET /api/v1/notices/stream HTTP/1.1\r\nHost: test\r\n\r\n")
            .await;
        held.push(c);
    }
    let checks = async {
        let mut other = connect_from(addr, "127.0.0.2").await;
        let (status, _, _) = get(&mut other, "/healthz").await;
        assert_eq!(status, 200);
        let (status, _, body) = get(&mut other, "/api/v1/help?ars=040110000000").await;
        assert_eq!(status, 200, "{body}");
        let _stream = open_stream(addr, "127.0.0.2").await;
    };
    if tokio::time::timeout(BOUND, checks).await.is_err() {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        panic!(
            "another client was not served; server log (newest first):\n{}",
            tail.join("\n")
        );
    }
    drop(held);
}

/// On SIGTERM the server stops accepting and ends within its drain time, also with an open
/// event stream (which never ends by itself) and an idle keep-alive connection.
#[tokio::test]
async fn on_sigterm_the_server_ends_within_its_drain_time_despite_open_streams() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Binary::serve(
        Binary::command(),
        &[
            "--sample-data".as_ref(),
            "--data-dir".as_ref(),
            dir.path().as_os_str(),
        ],
        None,
    );
    let addr = server.addr;
    let _stream = open_stream(addr, "127.0.0.1").await;
    let mut idle = connect_from(addr, "127.0.0.1").await;
    let (status, _, _) = get(&mut idle, "/healthz").await;
    assert_eq!(status, 200);

    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let waited = tokio::task::spawn_blocking(move || {
        let status = server.child.wait();
        (server, status)
    });
    let (_server, status) = tokio::time::timeout(Duration::from_secs(20), waited)
        .await
        .expect("the server ends within its drain time")
        .expect("join");
    assert!(status.expect("wait").success(), "a clean exit");
    // New connections are no longer accepted.
    assert!(TcpStream::connect(addr).await.is_err());
}

/// Opens a notice stream from `from` carrying `X-Forwarded-For: forwarded`; returns the status.
async fn stream_status(addr: SocketAddr, from: &str, forwarded: &str) -> (u16, TcpStream) {
    let mut conn = connect_from(addr, from).await;
    let request = format!(
        "GET /api/v1/notices/stream HTTP/1.1\r\nHost: test\r\nX-Forwarded-For: {forwarded}\r\n\r\n"
    );
    conn.write_all(request.as_bytes()).await.expect("write");
    let mut head = Vec::new();
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let mut chunk = [0u8; 1024];
        let n = tokio::time::timeout(BOUND, conn.read(&mut chunk))
            .await
            .expect("answer within the bound")
            .expect("read");
        assert!(n > 0, "closed");
        head.extend_from_slice(&chunk[..n]);
    }
    let status = String::from_utf8_lossy(&head[9..12])
        .parse()
        .expect("status");
    (status, conn)
}

#[tokio::test]
async fn only_the_named_proxy_may_speak_for_other_clients() {
    let mut app = TestApp::with_sample_data().await;
    app.state = app
        .state
        .with_messages(anlaufstelle::cli::MessageArgs {
            trust_forwarded_for: true,
            trusted_proxies: vec!["127.0.0.2/32".parse().expect("net")],
            ..anlaufstelle::cli::MessageArgs::default()
        })
        .with_limits(small_limits());
    let addr = app.serve().await;
    // The proxy's streams count per client it reports: three clients, three streams …
    let mut held = Vec::new();
    for client in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] {
        let (status, conn) = stream_status(addr, "127.0.0.2", client).await;
        assert_eq!(status, 200, "{client} behind the proxy");
        held.push(conn);
    }
    // … while another peer that writes the header itself is counted as itself: its share of
    // three streams ends at the fourth, whatever addresses it makes up.
    for (n, made_up) in [
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
        "198.51.100.4",
    ]
    .into_iter()
    .enumerate()
    {
        let (status, conn) = stream_status(addr, "127.0.0.1", made_up).await;
        assert_eq!(
            status,
            if n < 3 { 200 } else { 503 },
            "stream {n} from a forger"
        );
        held.push(conn);
    }
}
