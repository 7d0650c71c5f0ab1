//! `/status` and the feeds, read back with real parsers.

use crate::TestApp;
use axum::http::StatusCode;
use serde_json::json;

async fn with_notices() -> TestApp {
    let app = TestApp::with_sample_data().await.at("2026-11-23T09:00:00Z");
    let token = app.token("ops", &[], &[]).await;
    for body in [
        json!({
            "kind": "incident", "impact": "major", "services": ["99041006017000"], "regions": ["04"],
            "content": {"de": {"title": "Upload <gestört> & langsam", "answers_kept": "yes",
                               "alternative": "Rufen Sie die 115 an."}}
        }),
        json!({
            "kind": "maintenance", "impact": "minor", "services": ["99041006017000"],
            "starts_at": "2026-12-01T21:00:00Z", "ends_at": "2026-12-02T01:00:00Z",
            "content": {"de": {"title": "Wartung Elterngeld digital", "answers_kept": "no"}}
        }),
        json!({
            "kind": "incident", "impact": "critical", "regions": ["09"],
            "content": {"de": {"title": "BayernPortal nicht erreichbar"}}
        }),
    ] {
        let res = app
            .send_json("POST", "/api/v1/notices", Some(&token), &body)
            .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&res.body)
        );
    }
    app
}

#[tokio::test]
async fn the_status_page_lists_current_notices_escaped_and_filtered() {
    let app = with_notices().await;
    let res = app.get("/status").await;
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    let html = String::from_utf8_lossy(&res.body);
    assert!(html.contains("Upload &lt;gestört&gt; &amp; langsam"));
    assert!(html.contains("BayernPortal nicht erreichbar"));
    assert!(html.contains("Wartung Elterngeld digital"));
    assert!(!html.contains("<script"));

    let bremen = app.get("/status?ars=040110000000").await;
    let html = String::from_utf8_lossy(&bremen.body);
    assert!(html.contains("Upload &lt;gestört&gt;"));
    assert!(!html.contains("BayernPortal"));
    // The page's own hint suggests a Land prefix such as 04: it filters like a full ARS.
    let land = app.get("/status?ars=04").await;
    assert_eq!(land.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&land.body);
    assert!(html.contains("Upload &lt;gestört&gt;"));
    assert!(!html.contains("BayernPortal"));
    // A Kreis prefix inside Bayern keeps the Land-wide Bayern notice.
    let kreis = app.get("/status?ars=09184").await;
    let html = String::from_utf8_lossy(&kreis.body);
    assert!(html.contains("BayernPortal"));
    assert!(!html.contains("Upload &lt;gestört&gt;"));
}

#[tokio::test]
async fn a_bad_status_filter_gets_a_page_people_can_read() {
    let app = with_notices().await;
    for query in ["ars=1x%3Cb%3E", "ars=0", "leika=123", "ars=1234567890123"] {
        let res = app.get(&format!("/status?{query}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
        let html = String::from_utf8_lossy(&res.body);
        assert!(html.starts_with("<!DOCTYPE html>"), "{query}: {html}");
        assert!(html.contains("href=\"/status\""));
        assert!(!html.contains("<b>"), "the input is escaped");
        assert!(
            res.header("content-security-policy")
                .contains("frame-ancestors 'none'")
        );
    }
}

#[tokio::test]
async fn the_status_page_allows_no_script_no_framing_and_no_sniffing() {
    let app = with_notices().await;
    let res = app.get("/status").await;
    let csp = res.header("content-security-policy");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("style-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("script-src"),
        "{csp}"
    );
    assert_eq!(res.header("x-content-type-options"), "nosniff");
    let html = String::from_utf8_lossy(&res.body);
    assert!(
        !html.contains("<style") && !html.contains("style="),
        "no inline styles"
    );
    let css = app.get("/status/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
    assert!(String::from_utf8_lossy(&css.body).contains(".summary"));
}

#[tokio::test]
async fn feeds_and_summary_link_to_the_configured_public_address_only() {
    let mut app = with_notices().await;
    let forged = |uri: &str| {
        axum::http::Request::get(uri)
            .header("host", "evil.example")
            .header("x-forwarded-proto", "https")
            .body(axum::body::Body::empty())
            .expect("request")
    };
    // Without --public-url and without a trusted proxy, the client's X-Forwarded-Proto does
    // not count.
    let atom = app.request(forged("/feeds/notices.atom?ars=04")).await;
    assert_eq!(atom.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&atom.body);
    assert!(text.contains("http://evil.example/status"), "{text}");
    assert!(!text.contains("https://evil.example"), "{text}");

    app.state = app.state.with_public_url(Some(
        anlaufstelle::assets::PublicUrl::parse("https://hilfe.example.de/as").expect("url"),
    ));
    for uri in ["/feeds/notices.atom?ars=04", "/api/v2/summary.json?ars=04"] {
        let res = app.request(forged(uri)).await;
        let text = String::from_utf8_lossy(&res.body);
        assert!(
            text.contains("https://hilfe.example.de/as/status"),
            "{uri}: {text}"
        );
        assert!(!text.contains("evil.example"), "{uri}: {text}");
    }
    let token = app.request(forged("/api/v1/messages/token")).await.json();
    assert_eq!(
        token["privacy_url"],
        "https://hilfe.example.de/as/demo/datenschutz.html"
    );
}

#[tokio::test]
async fn the_atom_feed_parses_and_holds_every_notice() {
    let app = with_notices().await;
    let res = app.get("/feeds/notices.atom").await;
    assert_eq!(
        res.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    let feed: atom_syndication::Feed = String::from_utf8_lossy(&res.body)
        .parse()
        .expect("valid Atom");
    let mut titles: Vec<String> = feed
        .entries()
        .iter()
        .map(|e| e.title().to_string())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "BayernPortal nicht erreichbar",
            "Upload <gestört> & langsam",
            "Wartung Elterngeld digital"
        ]
    );
    let bavaria: atom_syndication::Feed =
        String::from_utf8_lossy(&app.get("/feeds/notices.atom?ars=091620000000").await.body)
            .parse()
            .expect("valid Atom");
    assert_eq!(
        bavaria.entries().len(),
        2,
        "the Bavarian incident and the nationwide maintenance"
    );
}

#[tokio::test]
async fn the_maintenance_calendar_parses_with_the_window() {
    let app = with_notices().await;
    let res = app.get("/feeds/maintenance.ics").await;
    assert_eq!(res.header("content-type"), "text/calendar; charset=utf-8");
    let text = String::from_utf8_lossy(&res.body).to_string();
    let calendar: icalendar::Calendar = text.parse().expect("valid iCalendar");
    assert_eq!(calendar.components.len(), 1, "only the maintenance");
    assert!(text.contains("DTSTART:20261201T210000Z"), "{text}");
    assert!(text.contains("DTEND:20261202T010000Z"), "{text}");
}

#[tokio::test]
async fn the_summary_has_the_statuspage_shape() {
    let app = with_notices().await;
    let json = app.get("/api/v2/summary.json").await.json();
    assert_eq!(json["status"]["indicator"], "critical");
    assert_eq!(json["incidents"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        json["scheduled_maintenances"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(json["scheduled_maintenances"][0]["status"], "scheduled");
    assert_eq!(json["page"]["time_zone"], "Europe/Berlin");
}
