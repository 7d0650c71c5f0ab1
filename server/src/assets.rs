//! Static files built into the binary: the widget (`/widget/{version}/…`) and the demo page
//! (`/demo/…`). See `build.rs` for how they get in.
//!
//! Widget files come precompressed (brotli and gzip, written by `cargo xtask build`) and are
//! served in the best encoding the client accepts. Every widget file is reachable under two
//! directory names:
//!
//! - the build version [`WIDGET_VERSION`] (`0.1.0-1a2b3c4d`): a name that never changes its
//!   content, so everything under it is cached for a year and can be pinned with Subresource
//!   Integrity (the hashes come from [`manifest`]);
//! - the moving alias [`ALIAS`] (`v1`): always the current build. Its loader `anlaufstelle.js`
//!   is cached briefly and revalidated by ETag so that portals embedding the alias pick up a
//!   new release within minutes; fingerprinted files (`name-<hash>.ext`) stay immutable there
//!   too, because their name already changes with their content.
//!
//! Any other version is answered `404 widget_version_unknown` rather than with the current
//! files: a portal that pinned an old version and its SRI hash would otherwise get different
//! bytes, which the browser refuses anyway, so the clear error helps more.
//!
//! [`frame`] serves the page of the iframe mode; [`manifest`] publishes URLs, hashes and the
//! Content-Security-Policy a host page needs.

pub mod frame;
pub mod manifest;

use crate::Error;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub use manifest::PublicUrl;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// File name, e.g. `anlaufstelle.js`.
    pub name: &'static str,
    /// Uncompressed content.
    pub body: &'static [u8],
    /// Brotli-compressed content, if built.
    pub br: Option<&'static [u8]>,
    /// Gzip-compressed content, if built.
    pub gz: Option<&'static [u8]>,
    /// Strong ETag (quoted) derived from the content.
    pub etag: &'static str,
    /// Subresource Integrity hash of the uncompressed content, `sha384-<base64>`: what a
    /// browser checks against `integrity="…"` (it hashes the decoded body, whatever the
    /// transfer encoding).
    pub integrity: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The moving alias: always the widget this server was built with.
pub const ALIAS: &str = "v1";

/// The loader, the one file a portal embeds.
pub const LOADER: &str = "anlaufstelle.js";

/// One year, the longest `max-age` caches honour, plus `immutable` so that browsers do not
/// even revalidate on reload.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Which directory name a widget request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// `v1`: follows releases.
    Alias,
    /// [`WIDGET_VERSION`]: this exact build.
    Pinned,
}

impl Channel {
    /// The channel `version` names; any other version than the alias and this build's is
    /// unknown.
    pub fn parse(version: &str) -> Result<Self, Error> {
        if version == ALIAS {
            Ok(Self::Alias)
        } else if version == WIDGET_VERSION {
            Ok(Self::Pinned)
        } else {
            Err(Error::UnknownWidgetVersion)
        }
    }
}

/// Whether the widget was built into this binary.
pub fn widget_built() -> bool {
    WIDGET.iter().any(|a| a.name == LOADER)
}

/// A widget file by name, if built.
pub fn widget_file(name: &str) -> Option<&'static Asset> {
    WIDGET.iter().find(|a| a.name == name)
}

/// The fingerprinted wasm file (`anlaufstelle-<16 hex>.wasm`) the loader fetches.
pub fn widget_wasm() -> Option<&'static Asset> {
    WIDGET
        .iter()
        .find(|a| a.name.ends_with(".wasm") && is_fingerprinted(a.name))
}

/// The text tables of the widget build, by language tag: `anlaufstelle-texts-en-<hash>.json`
/// is `en`, `anlaufstelle-texts-easy-<hash>.json` (Leichte Sprache) is `de-x-ls`.
pub fn widget_text_tables() -> impl Iterator<Item = (&'static str, &'static Asset)> {
    WIDGET.iter().filter_map(|asset| {
        let key = asset
            .name
            .strip_prefix("anlaufstelle-texts-")?
            .split('-')
            .next()?;
        let lang = match key {
            "en" => "en",
            "easy" => "de-x-ls",
            _ => return None,
        };
        Some((lang, asset))
    })
}

/// `GET /widget/{version}/{file}`: `version` is [`ALIAS`] or [`WIDGET_VERSION`].
pub async fn get_widget_asset(
    Path((version, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let channel = Channel::parse(&version)?;
    if !widget_built() {
        return Err(Error::WidgetNotBuilt);
    }
    let asset = find(WIDGET, &file)?;
    let cache = if channel == Channel::Pinned || is_fingerprinted(asset.name) {
        IMMUTABLE
    } else {
        "public, max-age=300"
    };
    Ok(respond(asset, &headers, cache))
}

/// `GET /demo/`: the sample online-service page.
pub async fn get_demo_index(headers: HeaderMap) -> Result<Response, Error> {
    Ok(respond(find(DEMO, "index.html")?, &headers, "no-cache"))
}

/// `GET /demo/{file}`: the demo page's own stylesheet and images.
pub async fn get_demo_asset(
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    Ok(respond(find(DEMO, &file)?, &headers, "no-cache"))
}

fn find(table: &'static [Asset], name: &str) -> Result<&'static Asset, Error> {
    table.iter().find(|a| a.name == name).ok_or(Error::NotFound)
}

fn respond(asset: &'static Asset, request: &HeaderMap, cache_control: &'static str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(asset.name)),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );

    if etag_matches(request, asset.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }

    let (encoding, body) = match (
        accepted(request, "br"),
        asset.br,
        accepted(request, "gzip"),
        asset.gz,
    ) {
        (true, Some(br), _, _) => (Some("br"), br),
        (_, _, true, Some(gz)) => (Some("gzip"), gz),
        _ => (None, asset.body),
    };
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    (StatusCode::OK, headers, body).into_response()
}

/// Whether the request's `If-None-Match` names `etag` (quoted, weak or strong) or `*`: the
/// client already has this version.
pub(crate) fn etag_matches(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag
        })
}

/// Whether `Accept-Encoding` lists `coding` with a non-zero quality.
fn accepted(request: &HeaderMap, coding: &str) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let zero_quality = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !zero_quality
        })
}

/// `name-<16 hex digits>.ext` marks content-addressed, immutable files.
fn is_fingerprinted(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("ascii"),
        );
        h
    }

    #[test]
    fn accept_encoding_honours_zero_quality() {
        assert!(accepted(&with_accept("gzip, deflate, br"), "br"));
        assert!(!accepted(&with_accept("gzip, br;q=0"), "br"));
        assert!(accepted(&with_accept("gzip;q=0.5"), "gzip"));
        assert!(!accepted(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn only_hashed_names_count_as_fingerprinted() {
        assert!(is_fingerprinted("anlaufstelle-0123456789abcdef.wasm"));
        assert!(!is_fingerprinted("anlaufstelle.js"));
        assert!(!is_fingerprinted("anlaufstelle-v1.js"));
    }

    #[test]
    fn wasm_is_served_as_application_wasm() {
        assert_eq!(content_type("x-0123456789abcdef.wasm"), "application/wasm");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
    }
}
