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
    app.get("/status?ars=12")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_ars");
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
