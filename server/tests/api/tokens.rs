//! Bearer tokens: the admin role, expiry, the last-used time, and tokens from databases made
//! before roles existed.

use crate::TestApp;
use axum::http::StatusCode;
use serde_json::json;

const NOW: &str = "2026-11-23T09:00:00Z";
const ADMIN_LIST: &str = "/api/v1/admin/messages";

#[tokio::test]
async fn an_unscoped_operator_token_is_not_an_admin() {
    let app = TestApp::empty().await.at(NOW);
    let ops = app.token("ops", &[], &[]).await;
    for (method, uri) in [
        ("GET", ADMIN_LIST.to_string()),
        (
            "POST",
            "/api/v1/admin/messages/AS-2026-000001/retry".to_string(),
        ),
    ] {
        let res = app.send_json(method, &uri, Some(&ops), &json!({})).await;
        res.assert_error(StatusCode::FORBIDDEN, "admin_required");
        assert!(
            res.json()["message"]
                .as_str()
                .is_some_and(|m| m.contains("--admin")),
            "the message says how to get an admin token"
        );
    }
}

#[tokio::test]
async fn only_an_admin_token_administers_messages() {
    let app = TestApp::empty().await.at(NOW);
    let admin = app.admin_token("admin").await;
    let res = app
        .send_json("GET", ADMIN_LIST, Some(&admin), &json!(null))
        .await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    assert_eq!(res.json()["messages"], json!([]));
}

/// A request with `token` to a route any valid token may use.
async fn probe_as(app: &TestApp, token: &str) -> StatusCode {
    // PATCH of a missing notice: 404 for a valid token, 401 for an invalid one, no side effect.
    app.send_json(
        "PATCH",
        "/api/v1/notices/ntc-0000000000000000",
        Some(token),
        &json!({"state": "resolved"}),
    )
    .await
    .status
}

#[tokio::test]
async fn an_expired_token_is_refused_exactly_like_an_unknown_one() {
    use anlaufstelle::notices::tokens::{Role, TokenRecord};
    let app = TestApp::empty().await.at(NOW);
    let token = app
        .token_with(TokenRecord {
            expires_at: Some("2026-11-24T09:00:00Z".parse().expect("timestamp")),
            ..TokenRecord::new("ops".into(), String::new(), Role::Operator, String::new())
        })
        .await;
    assert_eq!(probe_as(&app, &token).await, StatusCode::NOT_FOUND);

    let later = app.at("2026-11-24T09:00:00Z");
    let expired = later
        .send_json("GET", ADMIN_LIST, Some(&token), &json!(null))
        .await;
    let unknown = later
        .send_json("GET", ADMIN_LIST, Some("ast_unknown"), &json!(null))
        .await;
    expired.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(
        (expired.status, expired.json()),
        (unknown.status, unknown.json())
    );
    assert_eq!(probe_as(&later, &token).await, StatusCode::UNAUTHORIZED);
}

/// The stored last-used time of the token called `name`.
async fn last_used(app: &TestApp, name: &str) -> Option<String> {
    app.state
        .db
        .tokens()
        .await
        .expect("tokens")
        .into_iter()
        .find(|t| t.name == name)
        .expect("token exists")
        .last_used_at
        .map(|t| t.to_string())
}

#[tokio::test]
async fn the_last_use_is_recorded_at_most_once_a_minute() {
    let app = TestApp::empty().await.at(NOW);
    let token = app.token("ops", &[], &[]).await;
    assert_eq!(last_used(&app, "ops").await, None);
    probe_as(&app, &token).await;
    assert_eq!(last_used(&app, "ops").await.as_deref(), Some(NOW));

    let soon = app.at("2026-11-23T09:00:59.5Z");
    probe_as(&soon, &token).await;
    assert_eq!(
        last_used(&soon, "ops").await.as_deref(),
        Some(NOW),
        "not written again within the minute"
    );
    let later = soon.at("2026-11-23T09:01:00.25Z");
    probe_as(&later, &token).await;
    assert_eq!(
        last_used(&later, "ops").await.as_deref(),
        Some("2026-11-23T09:01:00Z"),
        "whole seconds"
    );
    // A refused request is no use.
    let expired_at = later.at("2026-11-23T09:05:00Z");
    probe_as(&expired_at, "ast_unknown").await;
    assert_eq!(
        last_used(&expired_at, "ops").await.as_deref(),
        Some("2026-11-23T09:01:00Z")
    );
}

#[tokio::test]
async fn tokens_from_a_database_made_before_roles_become_operators() {
    use sqlx::migrate::Migrator;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("old.sqlite").display());
    // The schema as it was before token roles: every migration before 0005.
    let options = url
        .parse::<sqlx::sqlite::SqliteConnectOptions>()
        .expect("url")
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("pool");
    let mut before = Migrator::new(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations/sqlite"
    )))
    .await
    .expect("migrations");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < 5)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&pool).await.expect("old schema");
    let secret = anlaufstelle::notices::tokens::generate();
    sqlx::query(
        "INSERT INTO api_tokens (name, hash, services, regions, created_at)
         VALUES ('old-admin', ?, '[]', '[]', '2026-01-01T00:00:00Z')",
    )
    .bind(anlaufstelle::notices::tokens::hash(&secret))
    .execute(&pool)
    .await
    .expect("old token");
    pool.close().await;

    let db = anlaufstelle::db::Db::connect(&url).await.expect("migrates");
    let tokens = db.tokens().await.expect("tokens");
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        tokens[0].role,
        anlaufstelle::notices::tokens::Role::Operator
    );
    assert_eq!((tokens[0].expires_at, tokens[0].last_used_at), (None, None));
    let app = TestApp::from_db(db, dir).await.at(NOW);
    app.send_json("GET", ADMIN_LIST, Some(&secret), &json!(null))
        .await
        .assert_error(StatusCode::FORBIDDEN, "admin_required");
    assert_eq!(probe_as(&app, &secret).await, StatusCode::NOT_FOUND);
}

/// The scope matrix: every route that takes a token, called by every kind of caller, against a
/// Bremen notice. Reads and writes alike are decided on the server, by the token's role and
/// scope; an invalid token of any kind is the same `401`, a foreign notice looks missing.
#[tokio::test]
async fn every_token_route_answers_each_kind_of_caller_as_its_role_and_scope_allow() {
    use anlaufstelle::notices::tokens::{Role, TokenRecord};
    let app = TestApp::empty().await.at(NOW);
    let ops = app.token("ops", &[], &[]).await;
    let callers = [
        ("none", None),
        ("forged", Some("ast_forged".to_string())),
        (
            "expired",
            Some(
                app.token_with(TokenRecord {
                    expires_at: Some("2026-11-22T09:00:00Z".parse().expect("timestamp")),
                    ..TokenRecord::new("old".into(), String::new(), Role::Operator, String::new())
                })
                .await,
            ),
        ),
        ("bremen", Some(app.token("bremen", &[], &["04"]).await)),
        ("nrw", Some(app.token("nrw", &[], &["05"]).await)),
        ("ops", Some(ops.clone())),
        ("admin", Some(app.admin_token("admin").await)),
    ];
    let notice = |region: &str| {
        json!({"kind": "incident", "impact": "minor", "regions": [region],
               "content": {"de": {"title": "Störung", "answers_kept": "yes"}}})
    };
    let bremen = app
        .send_json("POST", "/api/v1/notices", Some(&ops), &notice("04"))
        .await
        .json();
    let patch_uri = format!("/api/v1/notices/{}", bremen["id"].as_str().expect("id"));
    let alert = |caller: &str| {
        json!({"alerts": [{"status": "firing", "fingerprint": format!("fp-{caller}"),
                           "labels": {"ars": "04", "alertname": "Upload"}}]})
    };
    //                       none forged expired bremen nrw  ops  admin
    let create = [401, 401, 401, 201, 403, 201, 201];
    let patch = [401, 401, 401, 200, 404, 200, 200];
    let hook = [401, 401, 401, 200, 200, 200, 200];
    let hook_raised = [0, 0, 0, 1, 0, 1, 1];
    let admin_list = [401, 401, 401, 403, 403, 403, 200];
    for (i, (name, token)) in callers.iter().enumerate() {
        let token = token.as_deref();
        let status = |res: &crate::TestResponse| res.status.as_u16();
        let res = app
            .send_json("POST", "/api/v1/notices", token, &notice("04"))
            .await;
        assert_eq!(status(&res), create[i], "{name}: create");
        let res = app
            .send_json(
                "PATCH",
                &patch_uri,
                token,
                &json!({"message": {"de": name}}),
            )
            .await;
        assert_eq!(status(&res), patch[i], "{name}: patch");
        let res = app
            .send_json("POST", "/api/v1/hooks/alertmanager", token, &alert(name))
            .await;
        assert_eq!(status(&res), hook[i], "{name}: webhook");
        if res.status == StatusCode::OK {
            let report = res.json();
            let raised = report["raised"].as_array().map_or(0, Vec::len);
            assert_eq!(raised, hook_raised[i], "{name}: webhook raised {report}");
        }
        let res = app.send_json("GET", ADMIN_LIST, token, &json!(null)).await;
        assert_eq!(status(&res), admin_list[i], "{name}: admin list");
    }
    // Only the callers allowed to touch the Bremen notice left a message in its timeline.
    let stored = app
        .state
        .notices
        .get(bremen["id"].as_str().expect("id"))
        .expect("notice");
    let authors: Vec<&str> = stored
        .updates
        .iter()
        .filter_map(|u| u.message.get("de").map(String::as_str))
        .collect();
    assert_eq!(authors, ["admin", "ops", "bremen"]);
}
