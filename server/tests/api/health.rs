//! `/healthz` and `/readyz`.

use crate::TestApp;
use anlaufstelle::db::Db;
use axum::http::StatusCode;

#[tokio::test]
async fn healthz_and_readyz_answer_ok_with_a_working_database() {
    let app = TestApp::empty().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json()["status"], "ready");
}

#[tokio::test]
async fn readyz_reports_an_unreachable_database_while_healthz_stays_up() {
    let app = TestApp::empty().await;
    let Db::Sqlite(pool) = &app.state.db;
    pool.close().await;
    app.get("/readyz")
        .await
        .assert_error(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable");
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}
