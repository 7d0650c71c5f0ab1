//! `GET /api/v1/regions`.

use crate::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn a_plz_shared_by_two_gemeinden_offers_both() {
    let app = TestApp::with_sample_data().await;
    let json = app.get("/api/v1/regions?q=01920").await.json();
    let names: Vec<&str> = json["regions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Crostwitz", "Panschwitz-Kuckau"]);
    assert_eq!(json["regions"][0]["plz"], "01920");
    assert_eq!(
        json["regions"][0]["context"],
        "Verwaltungsverband Am Klosterwasser, Bautzen, Freistaat Sachsen"
    );
}

#[tokio::test]
async fn place_names_are_found_by_prefix_with_or_without_umlauts() {
    let app = TestApp::with_sample_data().await;
    for q in ["Lüneburg", "luneburg", "lueneburg"] {
        let json = app
            .get(&format!("/api/v1/regions?q={}", urlencode(q)))
            .await
            .json();
        assert_eq!(json["regions"][0]["name"], "Lüneburg", "{q}");
        assert_eq!(json["regions"][1]["name"], "Lüneburg, Hansestadt", "{q}");
    }
}

#[tokio::test]
async fn the_limit_caps_the_answer() {
    let app = TestApp::with_sample_data().await;
    let json = app.get("/api/v1/regions?q=01&limit=2").await.json();
    assert_eq!(json["regions"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn too_short_or_missing_queries_are_clear_errors() {
    let app = TestApp::with_sample_data().await;
    app.get("/api/v1/regions")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "missing_parameter");
    app.get("/api/v1/regions?q=a")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "query_too_short");
    app.get("/api/v1/regions?q=ab&limit=many")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
