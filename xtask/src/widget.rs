//! The widget build: Rust → wasm (size profile, LTO) → wasm-bindgen → wasm-opt → esbuild →
//! precompressed files in `target/widget-dist/`, which the server embeds.

use crate::{cmd, root, run, target_dir, tools};
use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where the finished widget goes; `server/build.rs` reads the same path.
pub fn dist_dir() -> PathBuf {
    root().join("target").join("widget-dist")
}

/// Builds the widget into [`dist_dir`] and returns the paths of the JS loader and the wasm.
pub fn build(wasm_bindgen: &Path) -> Result<(PathBuf, PathBuf)> {
    compile()?;
    let raw = target_dir().join("wasm32-unknown-unknown/widget/widget.wasm");

    let work = target_dir().join("widget-build");
    let pkg = work.join("pkg");
    run(cmd(wasm_bindgen)
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&pkg)
        .arg(&raw))?;

    // Short import and export names, in the wasm and in the glue alike.
    let glue_text = prune_glue(&std::fs::read_to_string(pkg.join("widget.js"))?);
    let shortened = work.join("widget.short.wasm");
    let glue_text = match shorten_names(&pkg.join("widget_bg.wasm"), &glue_text) {
        Ok((wasm, glue)) => {
            std::fs::write(&shortened, wasm)?;
            glue
        }
        Err(e) => {
            eprintln!("warning: keeping wasm-bindgen's long names ({e:#})");
            std::fs::copy(pkg.join("widget_bg.wasm"), &shortened)?;
            glue_text
        }
    };
    let glue = pkg.join("widget.lean.js");
    std::fs::write(&glue, glue_text)?;

    let optimised = work.join("widget.opt.wasm");
    run(cmd(tools::npm_bin("wasm-opt"))
        // Leptos always links server_fn's browser client, whose wasm-streams dependency exports
        // three JS classes the widget never uses; dropping the exports lets -Oz drop their code
        // (about 3 KB brotli). See `prune_glue` for the JS side.
        .args([
            "--remove-exports",
            &format!("--pass-arg=remove-exports@{UNUSED_EXPORTS}"),
        ])
        .args(["-Oz", "--converge", "--strip-producers", "--strip-debug"])
        // The features rustc enables by default for wasm32-unknown-unknown.
        .args([
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(&shortened)
        .arg("-o")
        .arg(&optimised))?;

    let wasm_bytes = std::fs::read(&optimised).context("reading optimised wasm")?;
    let dist = dist_dir();
    if dist.exists() {
        std::fs::remove_dir_all(&dist).context("clearing old widget build")?;
    }
    std::fs::create_dir_all(&dist)?;
    // The loader fetches the wasm with its Subresource Integrity hash, so an integrity
    // attribute on the script tag vouches for the wasm as well.
    let (wasm_name, integrity) = fingerprinted(&dist, "anlaufstelle", "wasm", &wasm_bytes)?;
    let wasm = dist.join(&wasm_name);

    // The English and Leichte Sprache tables: only pages in those languages fetch them (the
    // German one is compiled into the wasm). Keys as `pickLang` in loader/texts.js names them.
    let mut text_files = serde_json::Map::new();
    for (key, lang) in [("en", texts::Lang::En), ("easy", texts::Lang::Easy)] {
        let json = serde_json::to_vec(&lang.texts().to_list())?;
        let (name, integrity) =
            fingerprinted(&dist, &format!("anlaufstelle-texts-{key}"), "json", &json)?;
        text_files.insert(key.into(), serde_json::json!([name, integrity]));
    }

    // The stylesheet travels inside the loader as text; minified first.
    let css = work.join("widget.min.css");
    run(cmd(tools::npm_bin("esbuild"))
        .arg("widget/src/widget.css")
        .args(["--minify", "--target=chrome100,firefox100,safari15"])
        .arg(format!("--outfile={}", css.display())))?;

    let js = dist.join("anlaufstelle.js");
    run(cmd(tools::npm_bin("esbuild"))
        .arg("widget/loader/loader.js")
        .args([
            "--bundle",
            "--format=iife",
            "--minify",
            "--target=es2022",
            "--legal-comments=none",
        ])
        .arg(format!("--alias:widget-pkg={}", glue.display()))
        .arg(format!("--alias:widget-css={}", css.display()))
        .arg("--loader:.css=text")
        .arg(format!("--define:__WASM_FILE__=\"{wasm_name}\""))
        .arg(format!("--define:__WASM_INTEGRITY__=\"{integrity}\""))
        .arg(format!(
            "--define:__TEXT_FILES__={}",
            serde_json::Value::Object(text_files)
        ))
        // The glue's default wasm URL uses import.meta.url; the loader always passes the URL.
        .arg("--log-override:empty-import-meta=silent")
        .arg(format!("--outfile={}", js.display())))?;

    let files: Vec<PathBuf> = std::fs::read_dir(&dist)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    for file in files {
        let bytes = std::fs::read(&file)?;
        write_twin(&file, "br", &brotli(&bytes))?;
        write_twin(&file, "gz", &gzip(&bytes))?;
    }
    eprintln!("widget built into {}", dist.display());
    Ok((js, wasm))
}

/// The wasm exports nobody calls (a wasm-opt wildcard): wasm-streams' `IntoUnderlyingSink`,
/// `…Source` and `…ByteSource`.
const UNUSED_EXPORTS: &str = "*intounderlying*";

/// Lets esbuild drop the JS classes of exports the widget does not use.
///
/// wasm-bindgen's glue gives every exported class a `FinalizationRegistry` and a
/// `Symbol.dispose` alias, both side effects in esbuild's eyes, so unused classes stayed in the
/// bundle. Marking the registries pure and skipping the aliases (the loader never uses
/// `using`) makes them unused code. If a future glue looks different, nothing is replaced and
/// the bundle is merely larger.
fn prune_glue(glue: &str) -> String {
    glue.replace(
        "new FinalizationRegistry(",
        "/* @__PURE__ */ new FinalizationRegistry(",
    )
    .replace("\nif (Symbol.dispose) ", "\nif (false) ")
}

/// Renames the wasm's imports from the glue and the glue's closure entry points to short names
/// (`_a`, `_b`, …), and the imports' module to `a`, in the wasm and in the glue.
///
/// wasm-bindgen names every import `__wbg_{method}_{16 hex digits}` and every closure entry
/// point after its full Rust type. Both files carry each name once, and the hex digits do not
/// compress: about 2.7 KB brotli of the widget were names. Fails (and the caller keeps the long
/// names) if a name is missing from the glue, so a changed glue cannot produce a broken pair.
fn shorten_names(wasm: &Path, glue: &str) -> Result<(Vec<u8>, String)> {
    use std::collections::HashMap;
    let mut module = walrus::Module::from_file(wasm)?;
    let glue_tokens: std::collections::HashSet<&str> = identifiers(glue).collect();
    let mut renames: HashMap<String, String> = HashMap::new();
    let mut next = 0usize;
    let mut short_name = || loop {
        let mut name = String::from("_");
        let mut n = next;
        next += 1;
        loop {
            name.push(char::from(
                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 52],
            ));
            n /= 52;
            if n == 0 {
                break;
            }
        }
        if !glue_tokens.contains(name.as_str()) {
            return name;
        }
    };
    // The module every import comes from, named once per import in the wasm: `a`.
    const MODULE: &str = "./widget_bg.js";
    let module_key = format!("\"{MODULE}\":");
    if glue.matches(&module_key).count() != 1 {
        anyhow::bail!("the glue does not name the import module `{MODULE}` exactly once");
    }
    for import in module.imports.iter_mut() {
        if import.module == MODULE {
            import.module = "a".into();
            let short = short_name();
            renames.insert(std::mem::replace(&mut import.name, short.clone()), short);
        }
    }
    for export in module.exports.iter_mut() {
        if export.name.contains("convert__closures") {
            let short = short_name();
            renames.insert(std::mem::replace(&mut export.name, short.clone()), short);
        }
    }
    if let Some(missing) = renames
        .keys()
        .find(|name| !glue_tokens.contains(name.as_str()))
    {
        anyhow::bail!("`{missing}` does not occur in the glue");
    }
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    while let Some(start) = rest.find(is_ident) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c| !is_ident(c)).unwrap_or(rest.len());
        let token = &rest[..end];
        out.push_str(renames.get(token).map_or(token, String::as_str));
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok((module.emit_wasm(), out.replace(&module_key, "a:")))
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The identifier-like tokens of a JS text.
fn identifiers(js: &str) -> impl Iterator<Item = &str> {
    js.split(|c| !is_ident(c)).filter(|t| !t.is_empty())
}

/// Compiles the widget to wasm, preferring the lean build and falling back to the stable one.
///
/// The lean build rebuilds the standard library with `panic=immediate-abort`, without panic
/// locations and without `Debug` formatting (`-Zbuild-std`, `-Zfmt-debug=none`,
/// `-Zlocation-detail=none`): about 11 KB less brotli for the citizen. These are unstable
/// options, enabled with `RUSTC_BOOTSTRAP`, and such options have broken between compiler
/// releases before, so if the toolchain refuses (or `rust-src` cannot be installed), the
/// ordinary stable build is used and the widget stays correct, just larger. Panics lose their
/// messages in the lean build; the widget has none on purpose (see the `try_` accessors).
pub fn compile() -> Result<&'static str> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // `cargo rustc --crate-type cdylib` rather than a cdylib+rlib crate type, which would
    // silently turn LTO off.
    let args = [
        "rustc",
        "-p",
        "widget",
        "--lib",
        "--crate-type",
        "cdylib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "widget",
    ];
    if std::env::var_os("ANLAUFSTELLE_STABLE_WIDGET").is_none() && tools::ensure_rust_src() {
        let lean = run(cmd(&cargo)
            .args(args)
            .arg("-Zbuild-std=std,panic_abort")
            .env("RUSTC_BOOTSTRAP", "1")
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none",
            ));
        match lean {
            Ok(()) => return Ok("lean"),
            Err(e) => eprintln!("warning: lean widget build failed ({e}); building the stable way"),
        }
    }
    run(cmd(&cargo).args(args))?;
    Ok("stable")
}

/// Writes `bytes` to `{dir}/{stem}-{16 hex of SHA-256}.{ext}`; the name and the Subresource
/// Integrity hash (`sha384-…`).
fn fingerprinted(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<(String, String)> {
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{stem}-{hash}.{ext}");
    std::fs::write(dir.join(&name), bytes)?;
    let integrity = format!(
        "sha384-{}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            sha2::Sha384::digest(bytes)
        )
    );
    Ok((name, integrity))
}

fn write_twin(file: &Path, ext: &str, bytes: &[u8]) -> Result<()> {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    std::fs::write(PathBuf::from(name), bytes).context("writing compressed twin")
}

/// Brotli at the highest quality, as served.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer
            .write_all(bytes)
            .expect("writing to a Vec cannot fail");
    }
    out
}

/// Gzip at the highest level, as served.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}
