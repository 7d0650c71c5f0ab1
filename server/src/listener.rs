//! Serving HTTP so that one client cannot take the service down.
//!
//! `axum::serve` accepts every connection and keeps it as long as the client likes; with a
//! file limit of a few hundred, one address holding event streams or half-sent requests left
//! `/healthz` unanswered. This accept loop bounds what a client can hold:
//! - a total connection cap, and a cap per client address (IPv6 clients by their /64), checked
//!   when a connection is accepted; a refused connection gets a short `503` with
//!   `Retry-After` and is closed, without waiting for the client;
//! - hyper's header-read timeout (a half-sent request is cut), an idle timeout (no byte in
//!   either direction: an idle keep-alive connection is closed; an event stream stays busy with
//!   its heartbeats) and, as a layer in [`crate::routes`], a timeout for producing the answer,
//!   which covers a request body that never finishes;
//! - the notice stream's own caps ([`Gate`] in `AppState::streams`), answered with `503` and
//!   `Retry-After` while every other route keeps working.
//!
//! An accept error (file limit reached) is logged at most once a second and never stalls the
//! loop for long; [`raise_file_limit`] lifts the soft limit to the hard one at start.

use crate::messages::ClientKey;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt as _;

/// What one client may hold, and how long the server waits for it.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections in total.
    pub max_connections: usize,
    /// Open connections per client address (IPv6: per /64); 0 = no per-client cap (behind a
    /// proxy, where every connection comes from the proxy).
    pub max_connections_per_client: usize,
    /// Open notice streams in total.
    pub max_streams: usize,
    /// Open notice streams per client address (IPv6: per /64).
    pub max_streams_per_client: usize,
    /// Time a client has to send a request's complete header block.
    pub header_read_timeout: Duration,
    /// Time for a request, its body included, until the answer starts.
    pub request_timeout: Duration,
    /// A connection with no byte in either direction for this long is closed.
    pub idle_timeout: Duration,
}

impl Limits {
    /// Defaults for a server with `file_limit` open files: a reserve of 256 for the database,
    /// SMTP, monitors and logs; at most three quarters of the rest may be event streams, so a
    /// flood of streams still leaves room for help answers. Per client, enough for a few
    /// hundred citizens behind one NAT (each open form holds one stream and a connection or
    /// two).
    pub fn for_file_limit(file_limit: u64) -> Self {
        let usable = usize::try_from(file_limit.saturating_sub(256))
            .unwrap_or(usize::MAX)
            .max(64);
        Self::for_connections(usable)
    }

    /// Defaults for `connections` open connections in total (the shares as above).
    pub fn for_connections(connections: usize) -> Self {
        let usable = connections.max(1);
        let max_streams = (usable / 4 * 3).max(1);
        Self {
            max_connections: usable,
            max_connections_per_client: 512.min(usable / 4).max(1),
            max_streams,
            max_streams_per_client: 256.min(max_streams / 4).max(1),
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
        }
    }

    /// Interval of the event stream's heartbeats: often enough that an open stream is never
    /// idle, and no more often than every 15 seconds.
    pub fn heartbeat(&self) -> Duration {
        (self.idle_timeout / 3).clamp(Duration::from_millis(100), Duration::from_secs(15))
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::for_file_limit(20_000)
    }
}

/// Raises the soft limit of open files to the hard limit; returns the limit now in force.
pub fn raise_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(e) => {
            tracing::warn!(error = %e, "cannot raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

/// Why a [`Gate`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The total cap is reached.
    Total,
    /// This client holds its share already.
    PerClient,
}

/// Counts open things (connections, streams) in total and per client; a [`Slot`] gives its
/// place back when dropped. Clients with nothing open take no memory.
#[derive(Debug)]
pub struct Gate {
    total: usize,
    per_client: usize,
    state: Mutex<GateState>,
}

#[derive(Debug, Default)]
struct GateState {
    open: usize,
    by_client: HashMap<ClientKey, usize>,
}

/// One place taken in a [`Gate`].
#[derive(Debug)]
pub struct Slot {
    gate: Arc<Gate>,
    client: ClientKey,
}

impl Gate {
    /// A gate for `total` places, at most `per_client` per client (0 = no per-client cap).
    pub fn new(total: usize, per_client: usize) -> Arc<Self> {
        Arc::new(Self {
            total,
            per_client,
            state: Mutex::new(GateState::default()),
        })
    }

    /// Takes a place for `client` (an address, counted by its [`ClientKey`]).
    pub fn try_enter(self: &Arc<Self>, client: IpAddr) -> Result<Slot, Refused> {
        self.enter(client, true)
    }

    /// Takes a place for `client` within the total only: for a trusted proxy, whose
    /// connections carry many clients.
    pub fn try_enter_uncapped(self: &Arc<Self>, client: IpAddr) -> Result<Slot, Refused> {
        self.enter(client, false)
    }

    fn enter(self: &Arc<Self>, client: IpAddr, capped: bool) -> Result<Slot, Refused> {
        let client = ClientKey::from(client);
        let mut state = self.lock();
        if state.open >= self.total {
            return Err(Refused::Total);
        }
        let held = state.by_client.get(&client).copied().unwrap_or(0);
        if capped && self.per_client > 0 && held >= self.per_client {
            return Err(Refused::PerClient);
        }
        state.open += 1;
        state.by_client.insert(client, held + 1);
        Ok(Slot {
            gate: self.clone(),
            client,
        })
    }

    /// Places taken now.
    pub fn open(&self) -> usize {
        self.lock().open
    }

    /// Clients holding at least one place now.
    pub fn clients(&self) -> usize {
        self.lock().by_client.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        // Every update is a counter change that cannot be left half-done by a panic.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut state = self.gate.lock();
        state.open = state.open.saturating_sub(1);
        if let Some(held) = state.by_client.get_mut(&self.client) {
            *held -= 1;
            if *held == 0 {
                state.by_client.remove(&self.client);
            }
        }
    }
}

/// What a refused connection is told before it is closed.
const REFUSED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: application/json\r\nContent-Length: 94\r\nConnection: close\r\n\r\n{\"error\":\"too_many_connections\",\"message\":\"Too many open connections. Please try again later.\"}";

/// Serves `app` on `listener` within `limits` until `shutdown` completes; then stops
/// accepting, asks every connection to finish its request and waits at most `drain` for them.
///
/// Connections from a peer for which `is_proxy` holds count only against the total: a proxy's
/// connections carry many clients, and it caps its own.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    is_proxy: impl Fn(IpAddr) -> bool,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) {
    let gate = Gate::new(limits.max_connections, limits.max_connections_per_client);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    let mut last_accept_error: Option<Instant> = None;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        // Reap finished connection tasks so the set does not grow.
        while tasks.try_join_next().is_some() {}
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // EMFILE and friends: the connection waits in the backlog; try again soon
                // (a connection closing frees a file), and say so once a second at most.
                if last_accept_error.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                    tracing::warn!(error = %e, open = gate.open(), "cannot accept a connection");
                    last_accept_error = Some(Instant::now());
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let entered = if is_proxy(peer.ip()) {
            gate.try_enter_uncapped(peer.ip())
        } else {
            gate.try_enter(peer.ip())
        };
        let slot = match entered {
            Ok(slot) => slot,
            Err(refused) => {
                tracing::debug!(?refused, "connection refused: cap reached");
                // Never wait for this client: one non-blocking write, then close.
                let _ = stream.try_write(REFUSED);
                drop(stream);
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tasks.spawn(connection(
            stream,
            peer,
            app.clone(),
            limits.clone(),
            stop_rx.clone(),
            slot,
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(drain, async { while tasks.join_next().await.is_some() {} }).await;
    tasks.abort_all();
}

/// Serves one connection until it ends, idles out, or the server stops.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    mut stop: tokio::sync::watch::Receiver<bool>,
    _slot: Slot,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    // Once asked to finish, a connection has this long (a request in flight completes; a
    // stream or a client that stopped reading is cut).
    let grace = Duration::from_secs(5);
    let mut closing: Option<tokio::time::Instant> = None;
    loop {
        let idle_check = tokio::time::Instant::from_std(activity.last() + limits.idle_timeout);
        let wake = closing.map_or(idle_check, |c| c.min(idle_check));
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            changed = stop.changed(), if closing.is_none() => {
                let _ = changed;
                conn.as_mut().graceful_shutdown();
                closing = Some(tokio::time::Instant::now() + grace);
            }
            () = tokio::time::sleep_until(wake) => {
                if closing.is_some_and(|c| c <= tokio::time::Instant::now()) {
                    return;
                }
                if activity.last().elapsed() >= limits.idle_timeout {
                    if closing.is_some() {
                        return;
                    }
                    // Idle in both directions: an idle keep-alive connection, or a client
                    // that stopped reading (or sending) mid-request.
                    conn.as_mut().graceful_shutdown();
                    closing = Some(tokio::time::Instant::now() + grace);
                }
            }
        }
    }
}

/// When a connection last moved a byte, as milliseconds since `origin`.
#[derive(Debug)]
struct Activity {
    origin: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            origin: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.origin + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// A TCP stream that records every byte moved in either direction.
#[derive(Debug)]
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_counts_ipv6_clients_by_their_64() {
        let gate = Gate::new(10, 1);
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        let _a = gate.try_enter(a).expect("first");
        assert_eq!(gate.try_enter(b).err(), Some(Refused::PerClient));
        let _c = gate.try_enter(c).expect("another /64 is another client");
    }

    #[test]
    fn a_gate_caps_each_client_and_the_total_and_forgets_clients_that_left() {
        let gate = Gate::new(3, 2);
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        let a1 = gate.try_enter(a).expect("first");
        let a2 = gate.try_enter(a).expect("second");
        assert_eq!(gate.try_enter(a).err(), Some(Refused::PerClient));
        let b1 = gate.try_enter(b).expect("another client still gets in");
        assert_eq!(gate.try_enter(b).err(), Some(Refused::Total));
        drop(a1);
        assert_eq!(gate.open(), 2);
        let _b2 = gate.try_enter(b).expect("a freed place is reusable");
        drop((a2, b1));
        assert_eq!(gate.clients(), 1, "a client with nothing open is forgotten");
    }

    #[test]
    fn default_caps_leave_room_for_other_clients_and_for_answers_besides_streams() {
        let limits = Limits::for_file_limit(20_000);
        assert!(limits.max_streams < limits.max_connections);
        assert!(limits.max_connections_per_client * 10 < limits.max_connections);
        assert!(limits.max_streams_per_client < limits.max_connections_per_client);
        assert!(limits.heartbeat() < limits.idle_timeout);
        let tiny = Limits::for_file_limit(256);
        assert!(tiny.max_connections >= 64 && tiny.max_streams >= 1);
    }
}
