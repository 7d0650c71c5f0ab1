//! `GET /widget/{version}/frame.html`: the page of the iframe mode.
//!
//! Some portals run under a Content-Security-Policy that must not allow `'wasm-unsafe-eval'`
//! (or any third-party `connect-src`). For them the widget runs in a frame served from this
//! server's origin: the host page then only needs `frame-src <origin>` (and `script-src
//! <origin>` if the loader creates the frame). The frame page is a bare document that runs the
//! loader with `data-frame`; the loader reads its configuration (`ars`, `leika`, …) from the
//! page's query string.
//!
//! The page has no inline script or style, so its own policy can be strict; it permits only
//! this origin, wasm instantiation, and framing by the configured portal origins.

use super::{Channel, LOADER, WIDGET_VERSION};
use crate::{AppState, Error};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /widget/{version}/frame.html`.
pub async fn get_frame(
    State(state): State<AppState>,
    Path(version): Path<String>,
) -> Result<Response, Error> {
    let channel = Channel::parse(&version)?;
    let loader = super::widget_file(LOADER).ok_or(Error::WidgetNotBuilt)?;

    // Always the versioned loader: this page is `no-cache` and names the current hash, but a
    // `v1` loader may sit in the browser cache for five more minutes after a release and would
    // then fail the integrity check.
    let src = match channel {
        Channel::Pinned => LOADER.to_string(),
        Channel::Alias => format!("../{WIDGET_VERSION}/{LOADER}"),
    };
    let html = format!(
        r#"<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anlaufstelle – Wer kann mir helfen?</title>
</head>
<body>
<script src="{src}" integrity="{integrity}" crossorigin="anonymous" data-frame async></script>
</body>
</html>
"#,
        integrity = loader.integrity,
    );

    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&policy(&state.allowed_origins))
            .expect("origins are filtered to header-safe characters"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    // Rendered per request and tiny; `no-cache` lets a release reach open portals at once.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok((StatusCode::OK, headers, html).into_response())
}

/// The frame page's own Content-Security-Policy.
///
/// `'wasm-unsafe-eval'` is needed here (and only here, on our origin) to instantiate the
/// widget; `connect-src 'self'` covers the wasm download, the API and the notice stream.
/// `frame-ancestors` lists the origins allowed by `--allowed-origins` — the same portals CORS
/// lets in — or `*` when any origin may embed the widget. (`X-Frame-Options` is deliberately
/// absent: it cannot express a list, and `frame-ancestors` supersedes it.) An origin that
/// cannot stand in a source list is left out, and if that leaves none the page may not be
/// framed at all: a typo must not open the frame to every site.
pub fn policy(allowed_origins: &[String]) -> String {
    let ancestors = if allowed_origins.is_empty() {
        "*".to_string()
    } else {
        let listed: Vec<&str> = allowed_origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/'))
            .filter(|o| is_source_expression(o))
            .collect();
        if listed.is_empty() {
            "'none'".to_string()
        } else {
            listed.join(" ")
        }
    };
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
         img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )
}

/// Whether an origin can stand in a CSP source list as it is: no spaces, `;` or `,` that would
/// end the list or the directive, nothing outside visible ASCII.
fn is_source_expression(origin: &str) -> bool {
    !origin.is_empty()
        && origin
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:/*[]".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_ancestors_are_the_allowed_origins_or_any() {
        assert!(policy(&[]).ends_with("frame-ancestors *"));
        let listed = policy(&[
            "https://www.service.bremen.de/".into(),
            " https://portal.example".into(),
        ]);
        assert!(
            listed
                .ends_with("frame-ancestors https://www.service.bremen.de https://portal.example")
        );
    }

    #[test]
    fn an_origin_that_would_add_a_directive_is_dropped() {
        let p = policy(&[
            "https://ok.example".into(),
            "https://x.example; script-src *".into(),
        ]);
        assert!(p.ends_with("frame-ancestors https://ok.example"), "{p}");
        let none = policy(&["https://x.example; script-src *".into()]);
        assert!(none.ends_with("frame-ancestors 'none'"), "{none}");
    }
}
