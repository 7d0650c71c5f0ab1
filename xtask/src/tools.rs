//! Installs the tools the build and tests need, idempotently: each check is cheap and skips
//! what is already there, so a fresh machine and a warm one run the same commands.

use crate::{cmd, root, run, target_dir};
use anyhow::{Context as _, Result, bail};
use std::path::PathBuf;
use std::process::Stdio;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// `rustup target add wasm32-unknown-unknown` unless present.
pub fn ensure_wasm_target() -> Result<()> {
    let installed = output(cmd("rustup").args(["target", "list", "--installed"]))?;
    if !installed.lines().any(|l| l.trim() == WASM_TARGET) {
        run(cmd("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    Ok(())
}

/// The standard library's source, for the lean widget build (`-Zbuild-std`). `false` when it
/// is missing and cannot be installed; the caller then builds the stable way.
pub fn ensure_rust_src() -> bool {
    let installed =
        output(cmd("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim().starts_with("rust-src")) {
        return true;
    }
    run(cmd("rustup").args(["component", "add", "rust-src"])).is_ok()
}

/// rustfmt and clippy, which minimal toolchain profiles leave out.
pub fn ensure_rust_components() -> Result<()> {
    for (probe, component) in [("fmt", "rustfmt"), ("clippy", "clippy")] {
        let ok = cmd("cargo")
            .args([probe, "--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            run(cmd("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

/// The wasm-bindgen CLI in exactly the version `Cargo.lock` pins for the crate, installed
/// under `target/tools/` so it never clashes with another project's.
pub fn ensure_wasm_bindgen() -> Result<PathBuf> {
    let version = locked_version("wasm-bindgen")?;
    let tools = target_dir().join("tools");
    let bin = tools.join("bin").join("wasm-bindgen");
    let current = cmd(&bin).arg("--version").output().ok();
    let matches = current.is_some_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .any(|w| w == version)
    });
    if !matches {
        // No `--locked`: the CLI's own lockfile pins crates the registry mirror lacks.
        // No default features: they only add TLS for downloading, which the build never does.
        run(cmd("cargo")
            .args([
                "install",
                "--no-default-features",
                "wasm-bindgen-cli",
                "--force",
            ])
            .args(["--version", &version])
            .arg("--root")
            .arg(&tools)
            .env("CARGO_TARGET_DIR", target_dir().join("tools-build")))?;
    }
    Ok(bin)
}

/// The version of `package` recorded in `Cargo.lock`.
fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{package}\"\n");
    let at = lock
        .find(&needle)
        .with_context(|| format!("{package} is not in Cargo.lock"))?;
    let rest = &lock[at + needle.len()..];
    let line = rest.lines().next().unwrap_or_default();
    let version = line
        .strip_prefix("version = \"")
        .and_then(|v| v.strip_suffix('"'))
        .with_context(|| format!("no version after {package} in Cargo.lock"))?;
    Ok(version.to_string())
}

/// `npm ci` when `node_modules` is missing or older than `package-lock.json`.
pub fn ensure_npm_packages() -> Result<()> {
    let lock = root().join("package-lock.json");
    let stamp = root().join("node_modules").join(".package-lock.json");
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&stamp), modified(&lock)) {
        (Some(stamp), Some(lock)) => stamp >= lock,
        _ => false,
    };
    if !fresh {
        run(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// `npm ci --prefix bench` when `bench/node_modules` is missing or older than
/// `bench/package-lock.json`: Lighthouse for `cargo xtask bench`, kept out of the root
/// `package.json` so that test runs never download it.
pub fn ensure_bench_packages() -> Result<()> {
    let lock = root().join("bench").join("package-lock.json");
    let stamp = root()
        .join("bench")
        .join("node_modules")
        .join(".package-lock.json");
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&stamp), modified(&lock)) {
        (Some(stamp), Some(lock)) => stamp >= lock,
        _ => false,
    };
    if !fresh {
        run(cmd("npm").args(["ci", "--prefix", "bench", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// Path of a local npm tool.
pub fn npm_bin(name: &str) -> PathBuf {
    root().join("node_modules").join(".bin").join(name)
}

/// Debian's Chromium and ChromeDriver (never a downloaded browser); `CHROMIUM` overrides.
pub fn ensure_chromium() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Ok(path.into());
    }
    let chromium = PathBuf::from("/usr/bin/chromium");
    if chromium.exists() && PathBuf::from("/usr/bin/chromedriver").exists() {
        return Ok(chromium);
    }
    let uid = output(cmd("id").arg("-u"))?;
    if uid.trim() != "0" {
        bail!(
            "Chromium is missing: install it with `sudo apt-get install chromium chromium-driver`"
        );
    }
    run(cmd("apt-get").arg("update").arg("-q"))?;
    run(cmd("apt-get")
        .args([
            "install",
            "-y",
            "-q",
            "chromium",
            "chromium-driver",
            "fonts-dejavu-core",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(chromium)
}

/// Debian's Prometheus Alertmanager, which the webhook test runs for real (never skipped);
/// `ALERTMANAGER` overrides the path.
pub fn ensure_alertmanager() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("ALERTMANAGER") {
        return Ok(path.into());
    }
    let alertmanager = PathBuf::from("/usr/bin/prometheus-alertmanager");
    if alertmanager.exists() {
        return Ok(alertmanager);
    }
    let uid = output(cmd("id").arg("-u"))?;
    if uid.trim() != "0" {
        bail!(
            "Alertmanager is missing: install it with `sudo apt-get install prometheus-alertmanager`"
        );
    }
    run(cmd("apt-get").arg("update").arg("-q"))?;
    run(cmd("apt-get")
        .args(["install", "-y", "-q", "prometheus-alertmanager"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(alertmanager)
}

/// A Python virtual environment under `target/tools/venv` with the SMTP sink's packages
/// (`tests/smtp/requirements.txt`, pinned), which the delivery tests and the messages bench run
/// as a real SMTP server. Skipped when the venv was made from the same requirements and its
/// Python imports aiosmtpd. Returns that Python.
pub fn ensure_smtp_venv() -> Result<PathBuf> {
    let requirements = root().join("tests/smtp/requirements.txt");
    let wanted =
        std::fs::read_to_string(&requirements).context("reading tests/smtp/requirements.txt")?;
    let venv = target_dir().join("tools").join("venv");
    let python = venv.join("bin").join("python");
    // A copy of the requirements it was made from: a changed pin reinstalls.
    let stamp = venv.join("requirements.txt");
    let fresh = std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted)
        && cmd(&python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !fresh {
        run(cmd("python3").args(["-m", "venv"]).arg(&venv)).context(
            "creating the Python venv for the SMTP sink (on Debian: apt-get install python3-venv)",
        )?;
        run(cmd(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements))?;
        std::fs::write(&stamp, wanted).context("writing the venv's requirements stamp")?;
    }
    Ok(python)
}

fn output(command: &mut std::process::Command) -> Result<String> {
    let out = command
        .output()
        .with_context(|| format!("cannot start {:?}", command.get_program()))?;
    if !out.status.success() {
        bail!(
            "{:?} failed: {}",
            command.get_program(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
