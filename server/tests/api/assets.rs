//! Widget assets and the demo page, as embedded in the binary. These tests need the widget to
//! be built first, which `cargo xtask test` does.

use crate::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};

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
