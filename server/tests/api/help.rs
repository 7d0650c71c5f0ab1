//! `GET /api/v1/help`.

use crate::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};

const ELTERNGELD: &str = "99041006017000";

/// Monday 23 November 2026, 10:00 in Bremen.
const MONDAY_MORNING: &str = "2026-11-23T09:00:00Z";

#[tokio::test]
async fn bremen_gets_the_115_first_with_its_own_service_centre_as_alternative() {
    let app = TestApp::with_sample_data().await.at(MONDAY_MORNING);
    let res = app.get_help("040110000000", Some(ELTERNGELD)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/json");
    let json = res.json();
    assert_eq!(json["ars"], "040110000000");
    assert_eq!(json["leika"], ELTERNGELD);
    assert_eq!(json["service_name"], "Elterngeld Bewilligung");
    assert_eq!(json["in_115"], true);
    let first = &json["first_level"];
    assert_eq!(first[0]["contact"]["id"], "hb-115");
    assert_eq!(first[0]["role"], "primary");
    assert_eq!(first[0]["contact"]["channels"][0]["value"], "115");
    assert_eq!(first[0]["resolved_from"]["ars"], "040110000000");
    assert_eq!(first[0]["resolved_from"]["level"], "kreis");
    assert_eq!(first[0]["availability"]["open_now"], true);
    assert_eq!(
        first[0]["availability"]["next_change"],
        "2026-11-23T18:00:00+01:00"
    );
    assert_eq!(first[1]["contact"]["id"], "hb-bsc");
    assert_eq!(first[1]["role"], "alternative");
    assert_eq!(json["second_fachlich"][0]["contact"]["id"], "hb-elterngeld");
    assert_eq!(
        json["second_technisch"][0]["contact"]["id"],
        "dataport-elterngeld"
    );
    // The Funktionspostfach is for routing messages, never for the public answer.
    assert!(!String::from_utf8_lossy(&res.body).contains("mailbox"));
}

#[tokio::test]
async fn a_gemeinde_without_own_contact_inherits_from_its_land() {
    let app = TestApp::with_sample_data().await;
    // A Gemeinde in Landkreis Bautzen, Sachsen, that is not in the sample data itself.
    let json = app.get_help("146250020020", None).await.json();
    assert_eq!(
        json["region"]["ars"], "146250000000",
        "nearest known region"
    );
    assert_eq!(json["first_level"][0]["contact"]["id"], "sn-amt24");
    assert_eq!(
        json["first_level"][0]["resolved_from"]["ars"],
        "140000000000"
    );
    assert_eq!(
        json["first_level"][0]["resolved_from"]["name"],
        "Freistaat Sachsen"
    );
}

#[tokio::test]
async fn a_service_specific_contact_wins_and_an_unknown_service_is_flagged() {
    let app = TestApp::with_sample_data().await;
    let with_service = app.get_help("147130000000", Some(ELTERNGELD)).await.json();
    assert_eq!(
        with_service["first_level"][0]["contact"]["id"],
        "sn-elterngeld"
    );
    assert_eq!(with_service["first_level"][0]["service_specific"], true);
    assert_eq!(with_service["leika_unknown"], false);
    let unknown = app
        .get_help("147130000000", Some("99000000000000"))
        .await
        .json();
    assert_eq!(unknown["first_level"][0]["contact"]["id"], "sn-amt24");
    assert_eq!(unknown["leika_unknown"], true);
}

#[tokio::test]
async fn a_gemeinde_opting_out_of_the_115_gets_its_own_service() {
    let app = TestApp::with_sample_data().await;
    let json = app.get_help("033550022022", None).await.json();
    assert_eq!(json["in_115"], false);
    assert_eq!(json["first_level"][0]["contact"]["id"], "lg-buergerservice");
    let neighbour = app.get_help("033555401001", None).await.json();
    assert_eq!(neighbour["in_115"], true);
    assert_eq!(neighbour["first_level"][0]["contact"]["id"], "bund-115");
    assert_eq!(
        neighbour["first_level"][1]["contact"]["id"],
        "ilmenau-verwaltung"
    );
}

#[tokio::test]
async fn the_115_is_closed_on_a_public_holiday_and_says_why() {
    // Reformationstag, Saturday 31 October 2026 is no test; Tag der Deutschen Einheit 2025 is
    // a Friday.
    let app = TestApp::with_sample_data().await.at("2025-10-03T08:00:00Z");
    let json = app.get_help("020000000000", None).await.json();
    let availability = &json["first_level"][0]["availability"];
    assert_eq!(availability["open_now"], false);
    assert_eq!(availability["closed_reason"], "Tag der Deutschen Einheit");
    assert_eq!(availability["next_change"], "2025-10-06T08:00:00+02:00");
}

#[tokio::test]
async fn answers_carry_an_etag_and_a_matching_if_none_match_gets_304() {
    let app = TestApp::with_sample_data().await.at(MONDAY_MORNING);
    let res = app.get_help("040110000000", None).await;
    let etag = res.header("etag").to_string();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    // Fresh for at most five minutes, and never past the next opening change.
    assert_eq!(res.header("cache-control"), "public, max-age=300");

    let again = app
        .request(
            Request::get("/api/v1/help?ars=040110000000")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    let other = app.get_help("090000000000", None).await;
    assert_ne!(other.header("etag"), etag);
}

#[tokio::test]
async fn freshness_is_cut_short_before_a_contact_opens_or_closes() {
    // 17:58 in Berlin: the 115 closes in two minutes.
    let app = TestApp::with_sample_data().await.at("2026-11-23T16:58:00Z");
    let res = app.get_help("020000000000", None).await;
    assert_eq!(res.header("cache-control"), "public, max-age=120");
}

#[tokio::test]
async fn missing_ars_is_a_clear_error() {
    let app = TestApp::with_sample_data().await;
    app.get("/api/v1/help")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "missing_parameter");
    app.get("/api/v1/help?ars=")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "missing_parameter");
}

#[tokio::test]
async fn malformed_ars_is_rejected_with_invalid_ars() {
    let app = TestApp::with_sample_data().await;
    for ars in [
        "0401100000",
        "04011000000A",
        "990000000000",
        "%C3%A40401100000",
    ] {
        let res = app.get_help(ars, None).await;
        res.assert_error(StatusCode::BAD_REQUEST, "invalid_ars");
        assert!(
            res.json()["message"]
                .as_str()
                .unwrap_or_default()
                .contains("ARS")
        );
    }
}

#[tokio::test]
async fn malformed_leika_and_unknown_lang_are_rejected() {
    let app = TestApp::with_sample_data().await;
    app.get_help("040110000000", Some("1234"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_leika");
    app.get("/api/v1/help?ars=040110000000&lang=fr")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_lang");
    let ok = app.get("/api/v1/help?ars=040110000000&lang=en").await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn a_database_without_contacts_answers_with_empty_levels() {
    let app = TestApp::empty().await;
    let json = app.get_help("040110000000", None).await.json();
    assert_eq!(json["region"]["name"], "Freie Hansestadt Bremen");
    assert_eq!(json["first_level"], serde_json::json!([]));
}

#[tokio::test]
async fn unknown_paths_get_the_same_json_error_shape() {
    let app = TestApp::with_sample_data().await;
    app.get("/api/v1/nothing-here")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn cors_answers_any_origin_by_default_and_only_configured_portals_when_set() {
    let request = |origin: &str| {
        Request::get("/api/v1/help?ars=040110000000")
            .header("origin", origin)
            .body(Body::empty())
            .expect("request")
    };
    let open = TestApp::with_sample_data().await;
    let res = open.request(request("https://portal.example")).await;
    assert_eq!(res.header("access-control-allow-origin"), "*");

    let mut limited = TestApp::with_sample_data().await;
    limited.state = limited.state.clone().with_allowed_origins(vec![
        "https://portal.example/".into(),
        "https://www.service.bremen.de".into(),
    ]);
    let allowed = limited.request(request("https://portal.example")).await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        "https://portal.example"
    );
    let refused = limited.request(request("https://evil.example")).await;
    assert!(refused.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn answers_are_brotli_compressed_for_browsers_that_accept_it() {
    let app = TestApp::with_sample_data().await.at(MONDAY_MORNING);
    let uri = format!("/api/v1/help?ars=040110000000&leika={ELTERNGELD}");
    let plain = app.get(&uri).await;
    assert!(plain.headers.get("content-encoding").is_none());
    let res = app
        .request(
            Request::get(&uri)
                .header("accept-encoding", "gzip, deflate, br")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-encoding"), "br");
    let mut json = Vec::new();
    brotli::BrotliDecompress(&mut res.body.as_slice(), &mut json).expect("valid brotli");
    assert_eq!(json, plain.body, "the same answer, compressed");
    assert!(
        res.body.len() * 3 < plain.body.len(),
        "{} bytes compressed vs {} plain",
        res.body.len(),
        plain.body.len()
    );
}

#[tokio::test]
async fn the_notice_stream_is_never_compressed() {
    use tower::ServiceExt as _;
    let app = TestApp::with_sample_data().await;
    // Only the head: the stream itself never ends.
    let response = anlaufstelle::app(app.state.clone())
        .oneshot(
            Request::get("/api/v1/notices/stream?ars=040110000000")
                .header("accept-encoding", "br, gzip")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("router is infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"text/event-stream"[..])
    );
    assert!(response.headers().get("content-encoding").is_none());
}
