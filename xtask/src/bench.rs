//! `cargo xtask bench`: prints the figures the project tracks.
//!
//! - the widget's transfer size — raw, gzip and brotli, for the wasm and the JS loader
//!   separately and in total, measured on a fresh release build;
//! - resolution throughput: in-process resolutions per second on a generated nationwide data
//!   set, and HTTP requests per second for `/api/v1/help` next to `/healthz`
//!   (`server/benches/resolve.rs`);
//! - notice latency from an operator's POST to receipt by every one of N = 1,000 and 10,000
//!   concurrent SSE streams, p50 / p99 / max, and server memory per open stream
//!   (`server/benches/notices.rs`);
//! - hostile load: a second client's `/api/v1/help` p50 / p99 and the server's memory, without
//!   and while one address holds 2,000 idle or half-sent connections and 500 notice streams
//!   replaying from `Last-Event-ID: 0` (`server/benches/hostile.rs`);
//! - contact-form messages acknowledged per second under 32 concurrent clients with p50 / p99
//!   latency of `POST /api/v1/messages`, and delivery throughput of the queued backlog to a
//!   local SMTP sink (`server/benches/messages.rs`).
//! - in headless Chromium on loopback (`bench/browser.mjs`, against the release server): what
//!   the widget transfers until its contact and a live notice are rendered, per request and in
//!   total; time from the loader's arrival to contact and notice rendered, cold and warm cache;
//!   the host demo page's Lighthouse performance with and without the widget.
//!
//! `cargo xtask bench size` prints only the widget's transfer size (the quick loop when
//! working on it); `cargo xtask bench browser` runs only the browser figures (`BENCH_RUNS`, default 7, and
//! `BENCH_LIGHTHOUSE_RUNS`, default 3, 0 = no Lighthouse, set the repetitions).

use crate::{cmd, run as run_command, tools, widget};
use anyhow::{Result, bail};

pub fn run(args: &[String]) -> Result<()> {
    let only = match args {
        [] => None,
        [only] if only == "browser" || only == "size" => Some(only.as_str()),
        _ => bail!("usage: cargo xtask bench [browser|size]"),
    };
    tools::ensure_wasm_target()?;
    let bindgen = tools::ensure_wasm_bindgen()?;
    tools::ensure_npm_packages()?;
    let (js, wasm) = widget::build(&bindgen)?;
    if only == Some("browser") {
        return browser();
    }

    let mut rows = Vec::new();
    for (label, path) in [("wasm", &wasm), ("js", &js)] {
        let bytes = std::fs::read(path)?;
        rows.push((
            label,
            bytes.len(),
            widget::gzip(&bytes).len(),
            widget::brotli(&bytes).len(),
        ));
    }
    let total = rows
        .iter()
        .fold((0, 0, 0), |t, r| (t.0 + r.1, t.1 + r.2, t.2 + r.3));

    println!();
    println!("widget transfer size (bytes; KB = 1000 bytes)");
    println!(
        "{:<8}{:>20}{:>20}{:>20}",
        "file", "raw", "gzip -9", "brotli 11"
    );
    for (label, raw, gz, br) in &rows {
        println!(
            "{label:<8}{:>20}{:>20}{:>20}",
            fmt(*raw),
            fmt(*gz),
            fmt(*br)
        );
    }
    println!(
        "{:<8}{:>20}{:>20}{:>20}",
        "total",
        fmt(total.0),
        fmt(total.1),
        fmt(total.2)
    );
    println!();
    if only == Some("size") {
        return Ok(());
    }

    browser()?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run_command(cmd(&cargo).args(["bench", "-p", "server", "--bench", "resolve"]))?;
    println!();
    run_command(cmd(&cargo).args(["bench", "-p", "server", "--bench", "notices"]))?;
    println!();
    run_command(cmd(&cargo).args(["bench", "-p", "server", "--bench", "hostile"]))?;
    println!();
    let smtp_python = tools::ensure_smtp_venv()?;
    run_command(
        cmd(&cargo)
            .args(["bench", "-p", "server", "--bench", "messages"])
            .env("ANLAUFSTELLE_SMTP_PYTHON", &smtp_python),
    )
}

/// `bench/browser.mjs` against the release server, built after the widget so that it embeds
/// the widget just measured.
fn browser() -> Result<()> {
    tools::ensure_bench_packages()?;
    let chromium = tools::ensure_chromium()?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run_command(cmd(&cargo).args(["build", "--release", "-p", "server"]))?;
    run_command(
        cmd("node")
            .arg(crate::root().join("bench").join("browser.mjs"))
            .env(
                "ANLAUFSTELLE_BIN",
                crate::target_dir().join("release").join("anlaufstelle"),
            )
            .env("CHROMIUM", &chromium),
    )
}

fn fmt(bytes: usize) -> String {
    format!("{bytes} ({:.1} KB)", bytes as f64 / 1000.0)
}
