//! `GET /api/v1/help`.

use crate::TestApp;
use axum::http::StatusCode;

const ELTERNGELD: &str = "99041006017000";

#[tokio::test]
async fn bremen_gets_its_own_115_contact_with_channels_and_hours() {
    let app = TestApp::with_sample_data().await;
    let res = app.get_help("040110000000", Some(ELTERNGELD)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/json");
    let json = res.json();
    assert_eq!(json["ars"], "040110000000");
    assert_eq!(json["leika"], ELTERNGELD);
    let first = &json["first_level"];
    assert_eq!(first["contact"]["id"], "hb-115");
    assert_eq!(first["contact"]["is_115"], true);
    assert_eq!(first["contact"]["channels"][0]["kind"], "phone");
    assert_eq!(first["contact"]["channels"][0]["value"], "115");
    assert_eq!(first["contact"]["hours"][0]["opens"], "07:00");
    assert_eq!(first["resolved_from"]["ars"], "040110000000");
    assert_eq!(first["resolved_from"]["level"], "kreis");
}

#[tokio::test]
async fn a_gemeinde_without_own_contact_inherits_from_its_land() {
    let app = TestApp::with_sample_data().await;
    // A Gemeinde in Landkreis Bautzen, Sachsen: not in the sample data itself.
    let json = app.get_help("146250020020", None).await.json();
    assert_eq!(json["first_level"]["contact"]["id"], "sn-amt24");
    assert_eq!(json["first_level"]["resolved_from"]["ars"], "140000000000");
    assert_eq!(
        json["first_level"]["resolved_from"]["name"],
        "Freistaat Sachsen"
    );
}

#[tokio::test]
async fn a_service_specific_contact_wins_for_its_service_only() {
    let app = TestApp::with_sample_data().await;
    let with_service = app.get_help("147130000000", Some(ELTERNGELD)).await.json();
    assert_eq!(
        with_service["first_level"]["contact"]["id"],
        "sn-elterngeld"
    );
    let other_service = app
        .get_help("147130000000", Some("99000000000000"))
        .await
        .json();
    assert_eq!(other_service["first_level"]["contact"]["id"], "sn-amt24");
}

#[tokio::test]
async fn a_land_in_the_115_verbund_without_own_contact_gets_the_115() {
    let app = TestApp::with_sample_data().await;
    let json = app.get_help("020000000000", None).await.json();
    assert_eq!(json["first_level"]["contact"]["id"], "bund-115");
    assert_eq!(json["first_level"]["resolved_from"]["level"], "bund");
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
async fn malformed_leika_is_rejected_with_invalid_leika() {
    let app = TestApp::with_sample_data().await;
    app.get_help("040110000000", Some("1234"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_leika");
}

#[tokio::test]
async fn an_empty_database_answers_no_contact() {
    let app = TestApp::empty().await;
    app.get_help("040110000000", None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "no_contact");
}

#[tokio::test]
async fn unknown_paths_get_the_same_json_error_shape() {
    let app = TestApp::with_sample_data().await;
    app.get("/api/v1/nothing-here")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
