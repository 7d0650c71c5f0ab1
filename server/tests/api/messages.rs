//! `POST /api/v1/messages` and the form token: validation, spam defence, idempotency, limits.

use crate::TestApp;
use anlaufstelle::cli::MessageArgs;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;

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
    let other = post(
        &app,
        &message(&self::token(&app).await, "key-cccccccccccccccc"),
    )
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
    let first = token(&app).await;
    for (token, key) in [
        (first.clone(), "key-hhhhhhhhhhhhhhh1"),
        (token(&app).await, "key-hhhhhhhhhhhhhhh2"),
    ] {
        assert_eq!(
            post(&app, &message(&token, key)).await.status,
            StatusCode::ACCEPTED
        );
    }
    let res = post(&app, &message(&token(&app).await, "key-hhhhhhhhhhhhhhh3")).await;
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
        post(&app, &message(&first, "key-hhhhhhhhhhhhhhh1"))
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

/// Posts `body` as if it came over a socket from `peer`, with `X-Forwarded-For` values.
async fn post_from(
    app: &TestApp,
    peer: &str,
    forwarded_for: &[&str],
    body: &Value,
) -> crate::TestResponse {
    let mut request = Request::post("/api/v1/messages").header("content-type", "application/json");
    for value in forwarded_for {
        request = request.header("x-forwarded-for", *value);
    }
    let mut request = request.body(Body::from(body.to_string())).expect("request");
    let peer: SocketAddr = peer.parse().expect("socket address");
    request.extensions_mut().insert(ConnectInfo(peer));
    app.request(request).await
}

/// How many of `count` messages pass, each with its own token and key, sent through
/// `forwarded_for(i)` from the proxy at 10.0.0.2.
async fn accepted_of(
    app: &TestApp,
    count: usize,
    forwarded_for: impl Fn(usize) -> String,
) -> usize {
    let mut accepted = 0;
    for i in 0..count {
        let body = message(&token(app).await, &format!("key-proxy-test-{i:04}"));
        let res = post_from(app, "10.0.0.2:40000", &[&forwarded_for(i)], &body).await;
        match res.status {
            StatusCode::ACCEPTED => accepted += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}: {}", String::from_utf8_lossy(&res.body)),
        }
    }
    accepted
}

fn behind_proxy(limit: u32) -> MessageArgs {
    MessageArgs {
        min_fill_seconds: 0,
        rate_limit_client: limit,
        trust_forwarded_for: true,
        ..MessageArgs::default()
    }
}

#[tokio::test]
async fn behind_a_proxy_the_client_limit_counts_the_address_the_proxy_saw_not_what_the_client_wrote()
 {
    let app = app_with(behind_proxy(5)).await;
    // The client writes a fresh address each time; the proxy appends the one it saw.
    let passed = accepted_of(&app, 12, |i| format!("198.51.100.{i}, 203.0.113.9")).await;
    assert_eq!(passed, 5);
    // Another client behind the same proxy has its own budget.
    assert_eq!(accepted_of(&app, 1, |_| "203.0.113.10".into()).await, 1);
}

#[tokio::test]
async fn with_two_trusted_proxies_the_second_entry_from_the_right_is_the_client() {
    let app = app_with(MessageArgs {
        trusted_proxy_hops: 2,
        ..behind_proxy(5)
    })
    .await;
    let passed = accepted_of(&app, 8, |i| {
        format!("198.51.100.{i}, 203.0.113.9, 10.0.0.1")
    })
    .await;
    assert_eq!(passed, 5);
}

#[tokio::test]
async fn an_unparseable_forwarded_address_counts_as_the_peer_not_as_a_new_client() {
    let app = app_with(behind_proxy(5)).await;
    let passed = accepted_of(&app, 8, |i| format!("client-{i}")).await;
    assert_eq!(passed, 5);
}

#[tokio::test]
async fn ipv6_clients_share_one_budget_per_64_bit_network() {
    let app = app_with(behind_proxy(5)).await;
    let passed = accepted_of(&app, 8, |i| format!("2001:db8:a:b::{i:x}")).await;
    assert_eq!(passed, 5);
    assert_eq!(accepted_of(&app, 1, |_| "2001:db8:a:c::1".into()).await, 1);
}

#[tokio::test]
async fn without_trust_the_forwarded_header_is_ignored() {
    let app = app_with(MessageArgs {
        trust_forwarded_for: false,
        ..behind_proxy(5)
    })
    .await;
    let passed = accepted_of(&app, 8, |i| format!("198.51.100.{i}")).await;
    assert_eq!(passed, 5);
}

#[tokio::test]
async fn the_recipient_limit_counts_the_mailbox_whatever_leika_key_the_client_sends() {
    let app = app_with(MessageArgs {
        min_fill_seconds: 0,
        rate_limit_client: 1000,
        rate_limit_service: 3,
        ..MessageArgs::default()
    })
    .await;
    let mut recipients = Vec::new();
    let mut accepted = 0;
    for i in 1..=6 {
        let mut body = message(&token(&app).await, &format!("key-recipient-test-{i:02}"));
        // Made-up service keys: in Schleswig-Holstein all reach the Land's Fachstelle.
        body["context"]["leika"] = json!(format!("9900000000000{i}"));
        body["context"]["ars"] = json!("010000000000");
        let res = post(&app, &body).await;
        match res.status {
            StatusCode::ACCEPTED => {
                accepted += 1;
                recipients.push(res.json()["recipient"].clone());
            }
            StatusCode::TOO_MANY_REQUESTS => {
                res.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
            }
            other => panic!("{other}: {}", String::from_utf8_lossy(&res.body)),
        }
    }
    assert_eq!(accepted, 3, "{recipients:?}");
    assert!(
        recipients.windows(2).all(|w| w[0] == w[1]),
        "{recipients:?}"
    );
}

#[tokio::test]
async fn a_form_token_sends_one_message_and_a_retry_of_it_still_gets_its_reference() {
    let args = MessageArgs {
        min_fill_seconds: 0,
        rate_limit_client: 1000,
        message_secret: Some("shared secret".into()),
        ..MessageArgs::default()
    };
    let app = app_with(args.clone()).await;
    let token = token(&app).await;
    let first = post(&app, &message(&token, "key-once-aaaaaaaaaaa")).await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    let reference = first.json()["reference"].clone();

    let replay = post(&app, &message(&token, "key-once-bbbbbbbbbbb")).await;
    replay.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "token_used");
    let text = replay.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(text.contains("Formular neu"), "{text}");
    assert!(
        app.state
            .db
            .message_by_key("key-once-bbbbbbbbbbb")
            .await
            .expect("db")
            .is_none(),
        "nothing stored"
    );
    // The same message again (same key, same token): the same answer.
    let retry = post(&app, &message(&token, "key-once-aaaaaaaaaaa")).await;
    assert_eq!(retry.status, StatusCode::ACCEPTED);
    assert_eq!(retry.json()["reference"], reference);

    // After a restart (new limiters, same secret, same database) the token is still used.
    let restarted = TestApp {
        state: anlaufstelle::AppState::load(app.state.db.clone())
            .await
            .expect("state loads")
            .with_messages(args),
        ..app
    };
    post(&restarted, &message(&token, "key-once-ccccccccccc"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "token_used");
    let retry = post(&restarted, &message(&token, "key-once-aaaaaaaaaaa")).await;
    assert_eq!(retry.json()["reference"], reference);
}

#[tokio::test]
async fn a_refused_submission_does_not_use_up_its_token() {
    let app = app().await;
    let token = token(&app).await;
    let mut incomplete = message(&token, "key-keep-aaaaaaaaaaa");
    incomplete["consent"] = json!(false);
    post(&app, &incomplete)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_message");
    let corrected = post(&app, &message(&token, "key-keep-aaaaaaaaaaa")).await;
    assert_eq!(
        corrected.status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&corrected.body)
    );
}

#[tokio::test]
async fn expired_token_records_are_purged() {
    let app = app().await.at("2026-11-23T09:00:00Z");
    let token = token(&app).await;
    assert_eq!(
        post(&app, &message(&token, "key-purge-aaaaaaaaaa"))
            .await
            .status,
        StatusCode::ACCEPTED
    );
    let db = &app.state.db;
    assert_eq!(db.token_nonce_count_for_test().await.expect("db"), 1);
    let still_valid = "2026-11-23T11:00:00Z".parse().expect("time");
    assert_eq!(db.purge_token_nonces(still_valid).await.expect("purge"), 0);
    let expired = "2026-11-23T11:00:01Z".parse().expect("time");
    assert_eq!(db.purge_token_nonces(expired).await.expect("purge"), 1);
    assert_eq!(db.token_nonce_count_for_test().await.expect("db"), 0);
}

fn wants_confirmation(token: &str, key: &str, address: &str) -> Value {
    let mut body = message(token, key);
    body["reply_email"] = json!(address);
    body["wants_confirmation"] = json!(true);
    body
}

#[tokio::test]
async fn confirmations_to_one_address_stop_after_three_a_day_while_the_messages_are_accepted() {
    let app = app().await.at("2026-11-23T09:00:00Z");
    let mut answers = Vec::new();
    for (i, address) in [
        "anna@example.de",
        "Anna@Example.de",
        "anna@example.de",
        "ANNA@example.de",
    ]
    .iter()
    .enumerate()
    {
        let body = wants_confirmation(&token(&app).await, &format!("key-confirm-{i:08}"), address);
        let res = post(&app, &body).await;
        assert_eq!(res.status, StatusCode::ACCEPTED);
        answers.push(res.json()["confirmation"].clone());
    }
    assert_eq!(
        answers,
        [
            json!("will_be_sent"),
            json!("will_be_sent"),
            json!("will_be_sent"),
            json!("skipped_rate_limited")
        ]
    );
    // The retry of the fourth gets the same answer.
    let again = post(
        &app,
        &wants_confirmation(
            &token(&app).await,
            "key-confirm-00000003",
            "ANNA@example.de",
        ),
    )
    .await;
    assert_eq!(again.json()["confirmation"], "skipped_rate_limited");
    // Other addresses, and messages without a confirmation, are not affected.
    let other = post(
        &app,
        &wants_confirmation(
            &token(&app).await,
            "key-confirm-other-01",
            "bernd@example.de",
        ),
    )
    .await;
    assert_eq!(other.json()["confirmation"], "will_be_sent");
    let none = post(&app, &message(&token(&app).await, "key-confirm-none-001")).await;
    assert_eq!(none.json()["confirmation"], "not_requested");

    // Counted in the database: a restart changes nothing; a day later it is allowed again.
    let restarted = TestApp {
        state: anlaufstelle::AppState::load(app.state.db.clone())
            .await
            .expect("state loads")
            .with_messages(MessageArgs {
                min_fill_seconds: 0,
                rate_limit_client: 1000,
                ..MessageArgs::default()
            })
            .with_clock(anlaufstelle::state::Clock::Fixed(
                "2026-11-23T12:00:00Z".parse().expect("time"),
            )),
        ..app
    };
    let after_restart = post(
        &restarted,
        &wants_confirmation(
            &token(&restarted).await,
            "key-confirm-restart1",
            "anna@example.de",
        ),
    )
    .await;
    assert_eq!(after_restart.json()["confirmation"], "skipped_rate_limited");
    let next_day = restarted.at("2026-11-24T09:00:01Z");
    let tomorrow = post(
        &next_day,
        &wants_confirmation(
            &token(&next_day).await,
            "key-confirm-tomorrow",
            "anna@example.de",
        ),
    )
    .await;
    assert_eq!(tomorrow.json()["confirmation"], "will_be_sent");
}

#[tokio::test]
async fn a_reply_address_the_mail_library_refuses_is_refused_at_once() {
    let app = app().await;
    let mut body = message(&token(&app).await, "key-address-aaaaaaaa");
    body["reply_email"] = json!("max..muster@example.de");
    let res = post(&app, &body).await;
    res.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_message");
    assert_eq!(res.json()["fields"][0]["field"], "reply_email");
    assert_eq!(res.json()["fields"][0]["error"], "invalid");
}

#[tokio::test]
async fn replays_of_a_used_token_cost_no_one_s_budget() {
    let args = MessageArgs {
        min_fill_seconds: 0,
        rate_limit_client: 2,
        rate_limit_service: 2,
        ..MessageArgs::default()
    };
    let app = app_with(args).await;
    let used = token(&app).await;
    let first = post(&app, &message(&used, "key-budget-aaaaaaaaa")).await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    // Before the fix each replay took a place in the client's and the mailbox's budget.
    for n in 0..5 {
        post(&app, &message(&used, &format!("key-budget-replay-{n}aaaa")))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "token_used");
    }
    let fresh = token(&app).await;
    let second = post(&app, &message(&fresh, "key-budget-bbbbbbbbb")).await;
    assert_eq!(
        second.status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&second.body)
    );
}
