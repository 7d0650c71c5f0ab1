//! In-process API tests: the router runs without a socket, each test on a fresh SQLite file.
//! Modules mirror the routes; `cli` runs the real binary for its command-line contract.

mod assets;
mod cli;
mod connections;
mod crash;
mod health;
mod help;
mod hooks;
mod messages;
mod monitor;
mod notices;
mod outbox;
mod regions;
mod replay;
mod status;
mod tokens;

use anlaufstelle::dataset::{Dataset, SAMPLE_JSON};
use anlaufstelle::db::Db;
use anlaufstelle::{AppState, app};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use tempfile::TempDir;
use tower::ServiceExt as _;

/// The application under test plus the directory holding its database.
#[derive(Debug)]
pub struct TestApp {
    pub state: AppState,
    _dir: TempDir,
}

/// A buffered response.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("missing header {name}"))
    }

    /// Asserts the error shape `{"error": code, "message": …}` and the status.
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        let json = self.json();
        assert_eq!(json["error"], code);
        let message = json["message"].as_str().expect("message is a string");
        assert!(!message.is_empty());
    }
}

impl TestApp {
    /// A fresh database with the bundled sample data.
    pub async fn with_sample_data() -> Self {
        let app = Self::empty().await;
        let data = Dataset::from_json(SAMPLE_JSON).expect("sample data parses");
        app.state
            .db
            .import(&data)
            .await
            .expect("sample data imports");
        app.state.reload().await.expect("index rebuilds");
        app
    }

    /// The same application with a fixed clock.
    pub fn at(mut self, instant: &str) -> Self {
        let now = instant.parse().expect("valid RFC 3339 timestamp");
        self.state = self
            .state
            .with_clock(anlaufstelle::state::Clock::Fixed(now));
        self
    }

    /// A fresh database without contacts (the Bund and the 16 Länder are always there).
    pub async fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("test.sqlite").display());
        let db = Db::connect(&url).await.expect("database opens");
        let state = AppState::load(db).await.expect("state loads");
        Self { state, _dir: dir }
    }

    /// The application on `db`, which lives in `dir`.
    pub async fn from_db(db: Db, dir: TempDir) -> Self {
        let state = AppState::load(db).await.expect("state loads");
        Self { state, _dir: dir }
    }

    /// Creates an operator token limited to `services` and `regions` (empty = unlimited).
    pub async fn token(&self, name: &str, services: &[&str], regions: &[&str]) -> String {
        use anlaufstelle::notices::tokens::{Role, TokenRecord};
        self.token_with(TokenRecord {
            services: services.iter().map(|s| s.to_string()).collect(),
            regions: regions.iter().map(|s| s.to_string()).collect(),
            ..TokenRecord::new(name.into(), String::new(), Role::Operator, String::new())
        })
        .await
    }

    /// Creates an admin token.
    pub async fn admin_token(&self, name: &str) -> String {
        use anlaufstelle::notices::tokens::{Role, TokenRecord};
        self.token_with(TokenRecord::new(
            name.into(),
            String::new(),
            Role::Admin,
            String::new(),
        ))
        .await
    }

    /// Stores `record` under a fresh secret (its `hash` and `created_at` are filled in) and
    /// returns the secret.
    pub async fn token_with(&self, record: anlaufstelle::notices::tokens::TokenRecord) -> String {
        use anlaufstelle::notices::tokens::{TokenRecord, generate, hash};
        let token = generate();
        self.state
            .db
            .insert_token(&TokenRecord {
                hash: hash(&token),
                created_at: "2026-11-23T09:00:00Z".into(),
                ..record
            })
            .await
            .expect("token stored");
        token
    }

    /// Serves the application on a real socket (127.0.0.1, free port) for clients outside the
    /// test process; the server lives as long as the test's runtime.
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let router = app(self.state.clone());
        let limits = (*self.state.limits).clone();
        let intake = self.state.messages.clone();
        tokio::spawn(anlaufstelle::listener::serve(
            listener,
            router,
            limits,
            move |peer| intake.is_trusted_proxy(peer),
            std::future::pending(),
            std::time::Duration::ZERO,
        ));
        addr
    }

    /// Sends JSON with a bearer token.
    pub async fn send_json(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        self.request(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn request(&self, mut request: Request<Body>) -> TestResponse {
        // Every HTTP/1.1 request carries a Host header; browsers always send one.
        if !request.headers().contains_key("host") {
            request
                .headers_mut()
                .insert("host", axum::http::HeaderValue::from_static("localhost"));
        }
        let response = app(self.state.clone())
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get_help(&self, ars: &str, leika: Option<&str>) -> TestResponse {
        let uri = match leika {
            Some(leika) => format!("/api/v1/help?ars={ars}&leika={leika}"),
            None => format!("/api/v1/help?ars={ars}"),
        };
        self.get(&uri).await
    }
}

/// The real `anlaufstelle serve` in a process of its own, on a free loopback port; killed when
/// dropped, also when a test fails.
#[derive(Debug)]
pub struct Binary {
    pub child: std::process::Child,
    pub addr: std::net::SocketAddr,
}

impl Binary {
    /// Runs `serve --listen 127.0.0.1:0` with `args` through `command` (the binary itself, or a
    /// wrapper such as `prlimit` that runs it) and waits for its `listening on` line. Its log
    /// goes to `log` (or nowhere).
    pub fn serve(
        mut command: std::process::Command,
        args: &[&std::ffi::OsStr],
        log: Option<&std::path::Path>,
    ) -> Self {
        use std::io::BufRead as _;
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("ANLAUFSTELLE_DATABASE_URL")
            .stdout(std::process::Stdio::piped());
        match log {
            Some(path) => command.stderr(std::fs::File::create(path).expect("log file")),
            None => command.stderr(std::process::Stdio::null()),
        };
        let mut child = command.spawn().expect("the server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut server = Self {
            child,
            addr: ([127, 0, 0, 1], 0).into(),
        };
        let line = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find(|l| l.starts_with("listening on http://"))
            .expect("the server prints its address");
        server.addr = line
            .trim_start_matches("listening on http://")
            .parse()
            .expect("address");
        server
    }

    /// The binary under test, for [`Binary::serve`].
    pub fn command() -> std::process::Command {
        std::process::Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
