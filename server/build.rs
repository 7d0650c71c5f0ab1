//! Embeds the built widget (`target/widget-dist/`, written by `cargo xtask build`) and the demo
//! page (`demo/`) into the server binary, so that operators deploy a single file.
//!
//! When the widget has not been built yet (a plain `cargo check` on a fresh clone) the server
//! still compiles; it then answers widget requests with `503 widget_not_built`.
//!
//! Besides the file tables it writes `WIDGET_VERSION`, the name of this exact widget build
//! (`<crate version>-<8 hex of the loader's SHA-256>`), and for every file its Subresource
//! Integrity hash (`sha384-<base64>` of the uncompressed bytes). Both are computed here rather
//! than at start-up because they depend only on the embedded bytes: a binary always publishes
//! the hashes of exactly the files it serves, and serving them costs nothing.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256, Sha384};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest
        .parent()
        .expect("server/ sits in the workspace")
        .to_path_buf();
    let widget_dir = root.join("target").join("widget-dist");
    let demo_dir = root.join("demo");
    println!("cargo:rerun-if-changed={}", widget_dir.display());
    println!("cargo:rerun-if-changed={}", demo_dir.display());

    let mut out = String::new();
    write_table(&mut out, "WIDGET", &widget_dir);
    write_table(&mut out, "DEMO", &demo_dir);
    write_version(&mut out, &widget_dir.join("anlaufstelle.js"));
    if !widget_dir.join("anlaufstelle.js").exists() {
        println!(
            "cargo:warning=widget not built ({}): run `cargo xtask build`",
            widget_dir.display()
        );
    }
    let out_file = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("assets.rs");
    fs::write(out_file, out).expect("OUT_DIR is writable");
}

/// Writes `pub static NAME: &[Asset]` listing every file of `dir` (non-recursive) that is not a
/// precompressed twin; `x.br` / `x.gz` are attached to `x`.
fn write_table(out: &mut String, name: &str, dir: &Path) {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    writeln!(out, "pub static {name}: &[Asset] = &[").expect("write to String");
    for path in &files {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if file_name.ends_with(".br") || file_name.ends_with(".gz") || file_name.starts_with('.') {
            continue;
        }
        let bytes = fs::read(path).expect("asset is readable");
        let digest = Sha256::digest(&bytes);
        let etag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        let integrity = format!("sha384-{}", BASE64.encode(Sha384::digest(&bytes)));
        let twin = |ext: &str| {
            let p = path.with_file_name(format!("{file_name}.{ext}"));
            if p.exists() {
                format!("Some(include_bytes!({:?}))", p.display().to_string())
            } else {
                "None".to_string()
            }
        };
        writeln!(
            out,
            "    Asset {{ name: {file_name:?}, body: include_bytes!({:?}), br: {}, gz: {}, etag: \"\\\"{etag}\\\"\", integrity: {integrity:?} }},",
            path.display().to_string(),
            twin("br"),
            twin("gz"),
        )
        .expect("write to String");
    }
    writeln!(out, "];").expect("write to String");
}

/// Writes `pub const WIDGET_VERSION: &str`: the crate version and the first 8 hex digits of the
/// loader's SHA-256. The loader names the fingerprinted wasm, so its hash changes whenever any
/// widget file does; the crate version keeps the name readable for operators. Without a built
/// widget the suffix is `unbuilt`, a name no request can match usefully (the files are absent).
fn write_version(out: &mut String, loader: &Path) {
    let package = env::var("CARGO_PKG_VERSION").expect("set by cargo");
    let suffix = match fs::read(loader) {
        Ok(bytes) => Sha256::digest(&bytes)[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        Err(_) => "unbuilt".to_string(),
    };
    writeln!(
        out,
        "pub const WIDGET_VERSION: &str = \"{package}-{suffix}\";"
    )
    .expect("write to String");
}
