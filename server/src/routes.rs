//! Every route of the server, in one place.

use crate::{AppState, api, assets};
use axum::Router;
use axum::http::HeaderValue;
use axum::http::{Method, header};
use axum::response::Redirect;
use axum::routing::{get, patch, post};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::trace::{DefaultOnFailure, TraceLayer};

/// Builds the router with its middleware.
pub fn router(state: AppState) -> Router {
    // The widget runs on third-party portal pages, so its API and assets must be readable
    // cross-origin. No credentials are ever involved: the widget sends no cookies.
    let origins: AllowOrigin = if state.allowed_origins.is_empty() {
        Any.into()
    } else {
        AllowOrigin::list(
            state
                .allowed_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim().trim_end_matches('/')).ok()),
        )
    };
    let cors = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::HEAD, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("last-event-id"),
        ]);

    Router::new()
        .route("/healthz", get(api::health::get_healthz))
        .route("/readyz", get(api::health::get_readyz))
        .route("/api/v1/help", get(api::help::get_help))
        .route("/api/v1/regions", get(api::regions::get_regions))
        .route(
            "/api/v1/notices",
            get(api::notices::list_notices).post(api::notices::create_notice),
        )
        .route("/api/v1/notices/stream", get(api::notices::stream_notices))
        .route("/api/v1/messages/token", get(api::messages::get_form_token))
        .route("/api/v1/messages", post(api::messages::create_message))
        .route("/api/v1/notices/{id}", patch(api::notices::update_notice))
        .route("/api/v1/hooks/alertmanager", post(api::hooks::alertmanager))
        .route("/api/v1/admin/messages", get(api::admin::list_messages))
        .route(
            "/api/v1/admin/messages/{reference}/retry",
            post(api::admin::retry_message),
        )
        .route("/status", get(api::status::get_status_page))
        .route("/status/style.css", get(api::status::get_status_style))
        .route("/feeds/notices.atom", get(api::status::get_notices_atom))
        .route(
            "/feeds/maintenance.ics",
            get(api::status::get_maintenance_ics),
        )
        .route("/api/v2/summary.json", get(api::status::get_summary))
        .route("/widget/manifest.json", get(assets::manifest::get_manifest))
        // `{version}` is the `v1` alias or this build's version (`assets::WIDGET_VERSION`).
        // The frame page is framed by portals on purpose: no layer here may add
        // `X-Frame-Options` or `frame-ancestors`; it sends its own policy.
        .route(
            "/widget/{version}/frame.html",
            get(assets::frame::get_frame),
        )
        .route("/widget/{version}/{file}", get(assets::get_widget_asset))
        .route("/demo", get(|| async { Redirect::permanent("/demo/") }))
        .route("/demo/", get(assets::get_demo_index))
        .route("/demo/{file}", get(assets::get_demo_asset))
        .route("/", get(|| async { Redirect::temporary("/demo/") }))
        .fallback(api::not_found)
        // JSON, HTML and feeds go out compressed (a help answer: 6 KB → about 1 KB). Brotli
        // level 4 is cheap per request. The predicate leaves out small bodies and
        // Server-Sent Events (compression would hold events back); the widget's files come
        // precompressed with their own Content-Encoding and are passed through untouched.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(4)),
        )
        // Inside CORS, so that a 408 reaches the widget with its code, not as a network error.
        .layer(axum::middleware::from_fn_with_state(
            state.limits.request_timeout,
            request_timeout,
        ))
        .layer(cors)
        // Failures are logged where they arise (a database error in `Error::into_response`);
        // a refused stream or a 408 is expected under load and must not flood the log.
        .layer(
            TraceLayer::new_for_http()
                .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        .with_state(state)
}

/// Answers `408 request_timeout` when a request, its body included, has not been answered
/// within the limit: a body sent slower than that is not waited for. An event stream is
/// answered at once, so only its start is timed; its events flow on.
async fn request_timeout(
    axum::extract::State(limit): axum::extract::State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => crate::Error::RequestTimeout.into_response(),
    }
}
