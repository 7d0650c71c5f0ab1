//! Liveness and readiness probes for orchestrators and load balancers.

use crate::{AppState, Error};
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// `GET /healthz`: the process is up and serving.
pub async fn get_healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers, so requests can be served.
pub async fn get_readyz(State(state): State<AppState>) -> Result<Json<Value>, Error> {
    state.db.ping().await?;
    Ok(Json(json!({ "status": "ready" })))
}
