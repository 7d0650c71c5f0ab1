//! The real `anlaufstelle` binary as a separate process for the benches (so server and
//! clients each stay within their file-descriptor limit), with an operator token, and its
//! resident memory read from `/proc`.
// Each bench compiles this file on its own and uses only part of it.
#![allow(dead_code, reason = "shared by benches that each use a part")]

use std::io::BufRead as _;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// A running server; killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub token: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server on a free loopback port with a fresh database (with the bundled sample
/// data if `sample_data`) and an unscoped operator token.
pub fn start(sample_data: bool) -> Server {
    let bin = env!("CARGO_BIN_EXE_anlaufstelle");
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("UTF-8 path").to_string();
    let out = Command::new(bin)
        .args(["token", "create", "--name", "bench", "--data-dir", &data])
        .output()
        .expect("token create runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_string();
    let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--data-dir", &data];
    if sample_data {
        args.push("--sample-data");
    }
    let mut child = Command::new(bin)
        .args(&args)
        .env("ANLAUFSTELLE_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("server starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .expect("listening line")
        .parse()
        .expect("socket address");
    Server {
        child,
        addr,
        token,
        _dir: dir,
    }
}

/// Resident set size of `pid` in kB.
pub fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A TCP connection to `addr` from the loopback address `from`: every address in 127/8 is a
/// different client to the server's per-client caps, as citizens behind different NATs are.
pub async fn connect_from(
    addr: SocketAddr,
    from: std::net::Ipv4Addr,
) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((from, 0)))?;
    socket.connect(addr).await
}

/// The `i`-th of many distinct client addresses (127.10.0.1, 127.10.0.2, …).
pub fn client_address(i: usize) -> std::net::Ipv4Addr {
    let i = u32::try_from(i).expect("fewer than 2^32 clients");
    std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::new(127, 10, 0, 1)) + i)
}

/// An HTTP/1.1 connection to `addr` from the loopback address `from`, ready for requests.
pub async fn sender<B>(
    addr: SocketAddr,
    from: std::net::Ipv4Addr,
) -> hyper::client::conn::http1::SendRequest<B>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = connect_from(addr, from).await.expect("connect");
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
    sender
}
