//! `POST /api/v1/messages` and the form token: validation, spam defence, idempotency, limits.

use crate::TestApp;
use anlaufstelle::cli::MessageArgs;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

const ELTERNGELD: &str = "99041006017000";

/// Sample data; forms may be sent at once; generous limits unless a test sets its own.
async fn app() -> TestApp {
    app_with(MessageArgs {
        min_fill_seconds: 0,
        rate_limit_client: 1000,
        ..MessageArgs::default()
    })
    .await
}

async fn app_with(args: MessageArgs) -> TestApp {
    let mut app = TestApp::with_sample_data().await;
    app.state = app.state.clone().with_messages(args);
    app
}

async fn token(app: &TestApp) -> String {
    app.get("/api/v1/messages/token").await.json()["token"]
        .as_str()
        .expect("token")
        .to_string()
}

fn message(token: &str, key: &str) -> Value {
    json!({
        "token": token,
        "idempotency_key": key,
        "category": "question",
        "message": "Welche Nachweise brauche ich für das Elterngeld?",
        "reply_email": "anna@example.de",
        "name": "Anna Muster",
        "consent": true,
        "website": "",
        "context": {"leika": ELTERNGELD, "ars": "040110000000", "form_step": "Schritt 2", "page_path": "/antrag?vorname=Anna"}
    })
}

async fn post(app: &TestApp, body: &Value) -> crate::TestResponse {
    app.send_json("POST", "/api/v1/messages", None, body).await
}

#[tokio::test]
async fn the_form_token_is_not_cached_and_names_the_privacy_notice() {
    let app = app().await;
    let res = app.get("/api/v1/messages/token").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("cache-control"), "no-store");
    let json = res.json();
    assert_eq!(json["max_length"], 4000);
    assert!(
        json["privacy_url"]
            .as_str()
            .unwrap_or_default()
            .ends_with("/demo/datenschutz.html")
    );
    assert_ne!(token(&app).await, token(&app).await);
}

#[tokio::test]
async fn a_message_is_acknowledged_with_a_reference_once_it_is_stored() {
    let app = app().await;
    let token = token(&app).await;
    let res = post(&app, &message(&token, "key-aaaaaaaaaaaaaaaa")).await;
    assert_eq!(
        res.status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    let json = res.json();
    let reference = json["reference"].as_str().expect("reference");
    assert!(
        reference.starts_with("AS-20") && reference.len() == "AS-2026-000001".len(),
        "{reference}"
    );
    assert_eq!(
        json["recipient"],
        "Elterngeldstelle Bremen – Amt für Soziale Dienste"
    );
    let stored = app
        .state
        .db
        .message_by_key("key-aaaaaaaaaaaaaaaa")
        .await
        .expect("db");
    assert_eq!(stored.map(|e| e.reference).as_deref(), Some(reference));
}

#[tokio::test]
async fn a_retry_with_the_same_key_gets_the_same_reference_and_no_second_message() {
    let app = app().await;
    let token = token(&app).await;
    let body = message(&token, "key-bbbbbbbbbbbbbbbb");
    let first = post(&app, &body).await.json();
    let second = post(&app, &body).await;
    assert_eq!(second.status, StatusCode::ACCEPTED);
    assert_eq!(second.json()["reference"], first["reference"]);
    let other = post(&app, &message(&token, "key-cccccccccccccccc"))
        .await
        .json();
    assert_ne!(other["reference"], first["reference"]);

    let mut changed = body.clone();
    changed["message"] = json!("Etwas ganz anderes");
    post(&app, &changed)
        .await
        .assert_error(StatusCode::CONFLICT, "idempotency_conflict");
}

#[tokio::test]
async fn every_invalid_field_is_listed_with_a_stable_code() {
    let app = app().await;
    let token = token(&app).await;
    let res = post(
        &app,
        &json!({
            "token": token, "idempotency_key": "key-dddddddddddddddd", "category": "",
            "message": "x".repeat(4001), "reply_email": "anna@example.de\r\nBcc: x@example.org",
            "name": "Eve\nBcc: y@example.org", "consent": false
        }),
    )
    .await;
    res.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_message");
    let fields: Vec<(String, String)> = res.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_string(),
                f["error"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("category".to_string(), "required".to_string()),
            ("message".into(), "too_long".into()),
            ("reply_email".into(), "invalid".into()),
            ("name".into(), "invalid".into()),
            ("consent".into(), "required".into()),
        ]
    );
    assert!(
        res.json()["fields"][1]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("4000")
    );
}

#[tokio::test]
async fn malformed_json_and_invalid_utf8_are_clear_errors() {
    let app = app().await;
    for body in [
        b"{\"message\": ".to_vec(),
        b"{\"message\": \"\xff\xfe\"}".to_vec(),
    ] {
        let res = app
            .request(
                Request::post("/api/v1/messages")
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        res.assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    }
}

#[tokio::test]
async fn missing_forged_too_fast_and_expired_tokens_are_refused() {
    let app = app_with(MessageArgs {
        min_fill_seconds: 3,
        rate_limit_client: 1000,
        message_secret: Some("test secret".into()),
        ..MessageArgs::default()
    })
    .await
    .at("2026-11-23T09:00:00Z");
    let fresh = token(&app).await;
    post(&app, &message(&fresh, "key-eeeeeeeeeeeeeeee"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "token_too_fast");
    post(&app, &message("", "key-eeeeeeeeeeeeeeee"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "token_invalid");
    // Flip the last hex digit of the signature.
    let last = if fresh.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &fresh[..fresh.len() - 1]);
    let later = TestApp {
        state: app
            .state
            .clone()
            .with_clock(anlaufstelle::state::Clock::Fixed(
                "2026-11-23T09:00:05Z".parse().expect("time"),
            )),
        ..app
    };
    post(&later, &message(&forged, "key-eeeeeeeeeeeeeeee"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "token_invalid");
    assert_eq!(
        post(&later, &message(&fresh, "key-eeeeeeeeeeeeeeee"))
            .await
            .status,
        StatusCode::ACCEPTED
    );
    let much_later = later.at("2026-11-23T11:00:01Z");
    post(&much_later, &message(&fresh, "key-ffffffffffffffff"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "token_expired");
}

#[tokio::test]
async fn a_filled_honeypot_is_refused_and_nothing_is_stored() {
    let app = app().await;
    let token = token(&app).await;
    let mut bot = message(&token, "key-gggggggggggggggg");
    bot["website"] = json!("https://spam.example");
    post(&app, &bot)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "spam_suspected");
    assert!(
        app.state
            .db
            .message_by_key("key-gggggggggggggggg")
            .await
            .expect("db")
            .is_none()
    );
}

#[tokio::test]
async fn too_many_messages_get_429_with_the_time_to_try_again() {
    let app = app_with(MessageArgs {
        min_fill_seconds: 0,
        rate_limit_client: 2,
        ..MessageArgs::default()
    })
    .await;
    let token = token(&app).await;
    for key in ["key-hhhhhhhhhhhhhhh1", "key-hhhhhhhhhhhhhhh2"] {
        assert_eq!(
            post(&app, &message(&token, key)).await.status,
            StatusCode::ACCEPTED
        );
    }
    let res = post(&app, &message(&token, "key-hhhhhhhhhhhhhhh3")).await;
    res.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let wait: u64 = res.header("retry-after").parse().expect("seconds");
    assert!(wait > 0 && wait <= 600, "{wait}");
    assert!(
        res.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains(" Uhr erneut")
    );
    // A retry of an acknowledged message is still answered.
    assert_eq!(
        post(&app, &message(&token, "key-hhhhhhhhhhhhhhh1"))
            .await
            .status,
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn a_region_without_any_mailbox_is_told_so() {
    let app = app().await;
    let token = token(&app).await;
    let mut body = message(&token, "key-iiiiiiiiiiiiiiii");
    body["context"] = json!({"leika": "99107005000000", "ars": "020000000000"});
    post(&app, &body)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "no_recipient");
}
