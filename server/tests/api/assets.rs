//! Widget assets and the demo page, as embedded in the binary: versioned and alias URLs, the
//! manifest with its integrity hashes and host CSPs, the iframe page, CORS for SRI. These tests
//! need the widget to be built first, which `cargo xtask test` does.

use crate::{TestApp, TestResponse};
use anlaufstelle::AppState;
use anlaufstelle::assets::{PublicUrl, WIDGET_VERSION};
use anlaufstelle::cli::MessageArgs;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha384};

fn require_widget() {
    assert!(
        anlaufstelle::assets::widget_built(),
        "the widget is not built into this test binary: run the tests with `cargo xtask test`"
    );
}

/// The fingerprinted wasm file the loader refers to: `anlaufstelle-<16 hex>.wasm`.
fn wasm_name(loader: &str) -> String {
    loader
        .match_indices("anlaufstelle-")
        .map(|(at, _)| &loader[at..])
        .find_map(|rest| {
            let hash = rest.get(13..29)?;
            let is_hash = hash.bytes().all(|b| b.is_ascii_hexdigit());
            (is_hash && rest[29..].starts_with(".wasm")).then(|| rest[..34].to_string())
        })
        .expect("the loader names its fingerprinted wasm file")
}

#[tokio::test]
async fn loader_is_javascript_with_short_caching_and_brotli() {
    require_widget();
    let app = TestApp::empty().await;
    let res = app
        .request(
            Request::get("/widget/v1/anlaufstelle.js")
                .header("accept-encoding", "gzip, br")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "text/javascript; charset=utf-8");
    assert_eq!(res.header("content-encoding"), "br");
    assert_eq!(res.header("cache-control"), "public, max-age=300");
    assert_eq!(res.header("vary"), "accept-encoding");

    let etag = res.header("etag").to_string();
    let revalidated = app
        .request(
            Request::get("/widget/v1/anlaufstelle.js")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
}

#[tokio::test]
async fn wasm_is_immutable_application_wasm_in_the_accepted_encoding() {
    require_widget();
    let app = TestApp::empty().await;
    let loader = app.get("/widget/v1/anlaufstelle.js").await;
    assert!(loader.headers.get("content-encoding").is_none());
    let name = wasm_name(&String::from_utf8_lossy(&loader.body));

    let plain = app.get(&format!("/widget/v1/{name}")).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("content-type"), "application/wasm");
    assert_eq!(
        plain.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(&plain.body[..4], b"\0asm");

    let gzipped = app
        .request(
            Request::get(format!("/widget/v1/{name}"))
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(gzipped.header("content-encoding"), "gzip");
    assert!(gzipped.body.len() < plain.body.len());
}

#[tokio::test]
async fn unknown_widget_files_are_404() {
    require_widget();
    let app = TestApp::empty().await;
    app.get("/widget/v1/nothing.js")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn demo_page_embeds_the_widget_with_one_script_tag() {
    let app = TestApp::empty().await;
    let res = app.get("/demo/").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    let html = String::from_utf8_lossy(&res.body);
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains(r#"<script src="/widget/v1/anlaufstelle.js" data-leika="99041006017000" data-ars="040110000000" data-form-step="Schritt 2: Angaben zum Kind" async></script>"#));
    assert_eq!(app.get("/demo/demo.css").await.status, StatusCode::OK);
}

/// `sha384-<base64>` as a browser computes it for `integrity="…"`.
fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", BASE64.encode(Sha384::digest(bytes)))
}

/// A fresh app whose state `configure` changed (CORS list, proxy trust, public URL).
async fn app_with(configure: impl FnOnce(AppState) -> AppState) -> TestApp {
    let app = TestApp::empty().await;
    TestApp {
        state: configure(app.state.clone()),
        ..app
    }
}

async fn get_with(app: &TestApp, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.request(request.body(Body::empty()).expect("request"))
        .await
}

/// The manifest as reached under `Host: anlaufstelle.example`.
async fn manifest(app: &TestApp) -> serde_json::Value {
    let res = get_with(
        app,
        "/widget/manifest.json",
        &[("host", "anlaufstelle.example")],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    res.json()
}

/// The path of one of the manifest's absolute URLs on the test server.
fn path_of(url: &serde_json::Value) -> &str {
    url.as_str()
        .and_then(|u| u.strip_prefix("http://anlaufstelle.example"))
        .unwrap_or_else(|| panic!("{url} is not on http://anlaufstelle.example"))
}

#[tokio::test]
async fn versioned_urls_are_cached_for_a_year_as_immutable() {
    require_widget();
    let app = TestApp::empty().await;
    let loader = app
        .get(&format!("/widget/{WIDGET_VERSION}/anlaufstelle.js"))
        .await;
    assert_eq!(loader.status, StatusCode::OK);
    assert_eq!(
        loader.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        loader.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    let alias = app.get("/widget/v1/anlaufstelle.js").await;
    assert_eq!(loader.body, alias.body, "the alias serves the same build");

    let name = wasm_name(&String::from_utf8_lossy(&loader.body));
    let wasm = app.get(&format!("/widget/{WIDGET_VERSION}/{name}")).await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(
        wasm.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(&wasm.body[..4], b"\0asm");
    assert!(
        WIDGET_VERSION.starts_with(concat!(env!("CARGO_PKG_VERSION"), "-")),
        "{WIDGET_VERSION}"
    );
}

#[tokio::test]
async fn the_alias_loader_revalidates_and_answers_304_for_its_etag() {
    require_widget();
    let app = TestApp::empty().await;
    let res = app.get("/widget/v1/anlaufstelle.js").await;
    assert_eq!(res.header("cache-control"), "public, max-age=300");
    let etag = res.header("etag").to_string();
    let weak = format!("W/{etag}");
    for tag in [etag.as_str(), weak.as_str()] {
        let again = get_with(
            &app,
            "/widget/v1/anlaufstelle.js",
            &[("if-none-match", tag)],
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{tag}");
        assert_eq!(again.header("etag"), etag);
        assert!(again.body.is_empty());
    }
}

#[tokio::test]
async fn unknown_versions_are_404_and_name_the_current_one() {
    require_widget();
    let app = TestApp::empty().await;
    for uri in [
        "/widget/v2/anlaufstelle.js",
        "/widget/0.0.1-deadbeef/anlaufstelle.js",
        "/widget/latest/frame.html",
    ] {
        let res = app.get(uri).await;
        res.assert_error(StatusCode::NOT_FOUND, "widget_version_unknown");
        let message = res.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(WIDGET_VERSION), "{uri}: {message}");
    }
    app.get(&format!("/widget/{WIDGET_VERSION}/nothing.js"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn manifest_integrity_is_the_sha384_of_the_served_bytes() {
    require_widget();
    let app = TestApp::empty().await;
    let m = manifest(&app).await;
    assert_eq!(m["version"], WIDGET_VERSION);
    assert_eq!(m["alias"], "v1");

    // Brotli on the wire: SRI covers the decoded bytes, which are the uncompressed file.
    for entry in ["loader", "wasm"] {
        let res = get_with(&app, path_of(&m[entry]["url"]), &[]).await;
        assert_eq!(res.status, StatusCode::OK, "{entry}");
        assert!(res.headers.get("content-encoding").is_none());
        assert_eq!(m[entry]["integrity"], sri(&res.body), "{entry}");
    }
    let alias = app.get(path_of(&m["loader"]["alias_url"])).await;
    assert_eq!(m["loader"]["integrity"], sri(&alias.body));

    // The text tables the loader fetches for English and Leichte Sprache pages: listed with
    // the hash the loader checks, and served under it.
    let loader = app.get(path_of(&m["loader"]["url"])).await;
    let loader_js = String::from_utf8_lossy(&loader.body);
    for lang in ["en", "de-x-ls"] {
        let table = &m["texts"][lang];
        let res = get_with(&app, path_of(&table["url"]), &[]).await;
        assert_eq!(res.status, StatusCode::OK, "{lang}");
        assert_eq!(table["integrity"], sri(&res.body), "{lang}");
        let list: Vec<String> = serde_json::from_slice(&res.body).expect("a list of texts");
        assert_eq!(list.len(), texts::Texts::LIST_LEN, "{lang}");
        let integrity = table["integrity"].as_str().expect("a string");
        assert!(
            loader_js.contains(integrity),
            "the loader checks {lang} against the same hash"
        );
    }
    assert_eq!(m["texts"].as_object().map(|o| o.len()), Some(2));

    let loader = app.get(path_of(&m["loader"]["url"])).await;
    let wasm = wasm_name(&String::from_utf8_lossy(&loader.body));
    assert_eq!(
        m["wasm"]["url"],
        format!("http://anlaufstelle.example/widget/{WIDGET_VERSION}/{wasm}"),
        "the manifest names the wasm the loader fetches"
    );
}

#[tokio::test]
async fn manifest_urls_and_csp_follow_the_host_header_or_the_public_url() {
    require_widget();
    let app = TestApp::empty().await;
    let m = manifest(&app).await;
    let origin = "http://anlaufstelle.example";
    let loader = format!("{origin}/widget/{WIDGET_VERSION}/anlaufstelle.js");
    assert_eq!(m["loader"]["url"], loader);
    assert_eq!(
        m["loader"]["alias_url"],
        format!("{origin}/widget/v1/anlaufstelle.js")
    );
    assert_eq!(
        m["frame"]["url"],
        format!("{origin}/widget/{WIDGET_VERSION}/frame.html")
    );
    assert_eq!(
        m["snippet"],
        format!(
            r#"<script src="{loader}" integrity="{}" crossorigin="anonymous" async data-leika="" data-ars=""></script>"#,
            m["loader"]["integrity"].as_str().expect("integrity")
        )
    );
    assert_eq!(
        m["csp"],
        serde_json::json!({
            "script": format!("script-src {origin} 'wasm-unsafe-eval'; connect-src {origin}"),
            "iframe": format!("script-src {origin}; frame-src {origin}"),
            "iframe_tag": format!("frame-src {origin}"),
        })
    );

    // X-Forwarded-Proto counts only behind a trusted proxy.
    let proxied = [("host", "hilfe.example.de"), ("x-forwarded-proto", "https")];
    let untrusted = get_with(&app, "/widget/manifest.json", &proxied)
        .await
        .json();
    assert_eq!(
        untrusted["csp"]["iframe_tag"],
        "frame-src http://hilfe.example.de"
    );
    let trusted_app = app_with(|s| {
        s.with_messages(MessageArgs {
            trust_forwarded_for: true,
            ..MessageArgs::default()
        })
    })
    .await;
    let trusted = get_with(&trusted_app, "/widget/manifest.json", &proxied)
        .await
        .json();
    assert_eq!(
        trusted["csp"]["iframe_tag"],
        "frame-src https://hilfe.example.de"
    );

    // A configured public URL wins over Host; its path prefix goes into URLs, not into CSP.
    let public = PublicUrl::parse("https://portal.example.de/anlaufstelle/").expect("valid");
    let configured = app_with(|s| s.with_public_url(Some(public))).await;
    let m = manifest(&configured).await;
    assert_eq!(
        m["loader"]["url"],
        format!("https://portal.example.de/anlaufstelle/widget/{WIDGET_VERSION}/anlaufstelle.js")
    );
    assert_eq!(
        m["csp"]["iframe_tag"],
        "frame-src https://portal.example.de"
    );

    let bad_host = get_with(&app, "/widget/manifest.json", &[("host", "a b")]).await;
    bad_host.assert_error(StatusCode::BAD_REQUEST, "origin_unknown");
}

#[tokio::test]
async fn manifest_is_no_cache_and_revalidates_by_etag() {
    require_widget();
    let app = TestApp::empty().await;
    let host = ("host", "anlaufstelle.example");
    let res = get_with(&app, "/widget/manifest.json", &[host]).await;
    assert_eq!(res.header("cache-control"), "no-cache");
    assert_eq!(res.header("content-type"), "application/json");
    let etag = res.header("etag").to_string();
    let again = get_with(
        &app,
        "/widget/manifest.json",
        &[host, ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Another public address is another manifest.
    let elsewhere = get_with(
        &app,
        "/widget/manifest.json",
        &[("host", "elsewhere.example"), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::OK);
}

#[tokio::test]
async fn frame_page_may_be_framed_by_the_allowed_origins_only_and_pins_the_loader() {
    require_widget();
    let app = app_with(|s| {
        s.with_allowed_origins(vec![
            "https://www.service.bremen.de".into(),
            "https://portal.example/".into(),
        ])
    })
    .await;
    let res = app
        .get(&format!("/widget/{WIDGET_VERSION}/frame.html"))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(
        res.header("content-security-policy"),
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
         img-src 'self' data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors https://www.service.bremen.de https://portal.example"
    );
    assert_eq!(
        res.header("referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    assert_eq!(res.header("cache-control"), "no-cache");
    assert_eq!(res.header("x-content-type-options"), "nosniff");
    assert!(res.headers.get("x-frame-options").is_none());

    let html = String::from_utf8_lossy(&res.body);
    assert!(html.contains(r#"<html lang="de">"#));
    assert!(html.contains(r#"<meta charset="utf-8">"#));
    assert!(html.contains(r#"<meta name="viewport""#));
    assert!(html.contains("<title>Anlaufstelle – Wer kann mir helfen?</title>"));
    assert!(
        !html.contains("<style") && !html.contains("style="),
        "no inline style"
    );
    assert_eq!(html.matches("<script").count(), 1, "no inline script");
    let loader = app.get("/widget/v1/anlaufstelle.js").await;
    let tag = format!(
        r#"<script src="anlaufstelle.js" integrity="{}" crossorigin="anonymous" data-frame async></script>"#,
        sri(&loader.body)
    );
    assert!(html.contains(&tag), "{html}");

    // Under the alias the page still loads the versioned loader: a `v1` loader cached from
    // before a release would fail the new integrity hash.
    let alias = app.get("/widget/v1/frame.html").await;
    let alias_html = String::from_utf8_lossy(&alias.body);
    assert!(alias_html.contains(&format!(
        r#"src="../{WIDGET_VERSION}/anlaufstelle.js" integrity="{}""#,
        sri(&loader.body)
    )));

    // Without a list any site may frame it, as any site may use the API.
    let open = TestApp::empty()
        .await
        .get(&format!("/widget/{WIDGET_VERSION}/frame.html"))
        .await;
    assert!(
        open.header("content-security-policy")
            .ends_with("; frame-ancestors *")
    );
}

#[tokio::test]
async fn widget_files_are_readable_cross_origin_by_allowed_origins_only() {
    require_widget();
    let app =
        app_with(|s| s.with_allowed_origins(vec!["https://www.service.bremen.de".into()])).await;
    let loader = format!("/widget/{WIDGET_VERSION}/anlaufstelle.js");
    let allowed = get_with(
        &app,
        &loader,
        &[
            ("origin", "https://www.service.bremen.de"),
            ("accept-encoding", "br"),
        ],
    )
    .await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        "https://www.service.bremen.de"
    );
    let vary: Vec<&str> = allowed
        .headers
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(vary.contains(&"accept-encoding"), "{vary:?}");
    assert!(vary.iter().any(|v| v.contains("origin")), "{vary:?}");

    let other = get_with(&app, &loader, &[("origin", "https://evil.example")]).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(other.headers.get("access-control-allow-origin").is_none());

    // Default: any origin may load it (the `*` is enough for crossorigin="anonymous").
    let any = get_with(
        &TestApp::empty().await,
        "/widget/v1/anlaufstelle.js",
        &[("origin", "https://portal.example")],
    )
    .await;
    assert_eq!(any.header("access-control-allow-origin"), "*");
}
