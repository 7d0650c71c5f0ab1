//! `cargo xtask …`: the project's commands beyond plain cargo.
//!
//! | command      | what it does |
//! |--------------|--------------|
//! | `build`      | the widget (size profile → wasm-bindgen → wasm-opt → esbuild → precompressed) and the self-contained release server binary |
//! | `run [ARGS]` | `build`, then serve the demo on <http://127.0.0.1:8080/demo/> with sample data; extra arguments go to `anlaufstelle serve` |
//! | `test`       | every check and test: fmt, clippy (native and wasm), unit and API tests, end-to-end tests in headless Chromium |
//! | `bench [browser\|size]` | print the figures the project tracks (widget transfer size, …); `browser`: only the figures measured in Chromium; `size`: only the widget's transfer size |
//! | `screenshot` | write `docs/screenshot-*.png` of the demo page, as a citizen sees it |
//! | `e2e`        | only the browser tests (widget and debug server rebuilt first) — the quick loop |
//!
//! Every command first installs what it needs and is missing (wasm target, wasm-bindgen CLI
//! matching `Cargo.lock`, npm tools, Chromium, Alertmanager, the SMTP sink's Python venv),
//! skipping what is already there.

mod bench;
mod tools;
mod widget;

use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build().map(drop),
        Some("run") => run_server(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench::run(&args[1..]),
        Some("screenshot") => screenshot(),
        Some("e2e") => e2e_only(),
        _ => {
            eprintln!("usage: cargo xtask <build|run|test|bench|screenshot|e2e>");
            return std::process::ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the workspace")
        .to_path_buf()
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// A command that runs in the workspace root.
pub fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

/// Runs a command, echoing it, and fails if it fails.
pub fn run(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(command));
    let status = command
        .status()
        .with_context(|| format!("cannot start `{}`", describe(command)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(command));
    }
    Ok(())
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cargo() -> Command {
    cmd(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds widget and release server; returns the server binary.
fn build() -> Result<PathBuf> {
    tools::ensure_wasm_target()?;
    let bindgen = tools::ensure_wasm_bindgen()?;
    tools::ensure_npm_packages()?;
    widget::build(&bindgen)?;
    run(cargo().args(["build", "--release", "-p", "server"]))?;
    Ok(target_dir().join("release").join("anlaufstelle"))
}

fn run_server(extra: &[String]) -> Result<()> {
    let bin = build()?;
    eprintln!("\nAnlaufstelle: open http://127.0.0.1:8080/demo/ (Ctrl-C stops)\n");
    run(cmd(bin).args(["serve", "--sample-data"]).args(extra))
}

fn test() -> Result<()> {
    tools::ensure_wasm_target()?;
    tools::ensure_rust_components()?;
    let bindgen = tools::ensure_wasm_bindgen()?;
    tools::ensure_npm_packages()?;
    let chromium = tools::ensure_chromium()?;
    let alertmanager = tools::ensure_alertmanager()?;
    let smtp_python = tools::ensure_smtp_venv()?;

    run(cargo().args(["fmt", "--all", "--check"]))?;
    // The widget first: the server embeds it, so building it before clippy and the tests
    // means the server is compiled once, with the real assets.
    widget::build(&bindgen)?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--exclude",
        "widget",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo().args([
        "clippy",
        "-p",
        "widget",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The webhook test runs a real Alertmanager, the delivery tests a real SMTP server
    // (`tests/smtp/sink.py`); they find them through these variables.
    run(cargo()
        .args(["test", "--workspace", "--exclude", "widget"])
        .env("ANLAUFSTELLE_ALERTMANAGER", &alertmanager)
        .env("ANLAUFSTELLE_SMTP_PYTHON", &smtp_python))?;
    // The widget's pure parts (date phrases in `time.rs`) have unit tests that run natively.
    run(cargo().args(["test", "-p", "widget", "--lib"]))?;
    run(cargo().args(["build", "-p", "server"]))?;
    e2e(&chromium)
}

/// Runs the browser tests in `tests/e2e/` against the debug server binary.
///
/// The test files are named one by one: Node 20 reads a directory argument of `--test` as "the
/// test files in it", but from Node 21 on every argument is a glob pattern, and a directory then
/// matches no file, so nothing would run.
fn e2e(chromium: &Path) -> Result<()> {
    let dir = root().join("tests/e2e");
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
    {
        let path = entry?.path();
        if path.to_string_lossy().ends_with(".test.mjs") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("no browser tests (*.test.mjs) in {}", dir.display());
    }
    run(node_env(cmd("node"), chromium)
        .args(["--test", "--test-concurrency=1"])
        .args(files))
}

fn node_env(mut command: Command, chromium: &Path) -> Command {
    command
        .env(
            "ANLAUFSTELLE_BIN",
            target_dir().join("debug").join("anlaufstelle"),
        )
        .env("CHROMIUM", chromium);
    command
}

fn e2e_only() -> Result<()> {
    tools::ensure_wasm_target()?;
    let bindgen = tools::ensure_wasm_bindgen()?;
    tools::ensure_npm_packages()?;
    let chromium = tools::ensure_chromium()?;
    widget::build(&bindgen)?;
    run(cargo().args(["build", "-p", "server"]))?;
    e2e(&chromium)
}

fn screenshot() -> Result<()> {
    tools::ensure_wasm_target()?;
    let bindgen = tools::ensure_wasm_bindgen()?;
    tools::ensure_npm_packages()?;
    let chromium = tools::ensure_chromium()?;
    widget::build(&bindgen)?;
    run(cargo().args(["build", "-p", "server"]))?;
    run(node_env(cmd("node"), &chromium)
        .arg(root().join("tests/e2e/screenshot.mjs"))
        .arg(root().join("docs")))
}
