//! `GET /widget/manifest.json`: everything a portal team needs to embed this exact widget
//! build safely — versioned URLs, their Subresource Integrity hashes, a ready snippet and the
//! Content-Security-Policy directives each embedding mode needs on the host page.
//!
//! The answer is computed per request (it names this server's public address) but costs only
//! a few string concatenations and a hash; it is `no-cache` with an ETag, so deploy pipelines
//! and dashboards that poll it see a new release at once and otherwise get `304`.

use super::{ALIAS, LOADER, WIDGET_VERSION};
use crate::{AppState, Error};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The manifest of one widget build, as served at `/widget/manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// This build's version, the directory of its immutable URLs (`0.1.0-1a2b3c4d`).
    pub version: String,
    /// The moving alias (`v1`) that always serves the current build.
    pub alias: String,
    /// The loader script a portal embeds.
    pub loader: LoaderEntry,
    /// The WebAssembly widget the loader fetches from its own directory.
    pub wasm: FileEntry,
    /// The text tables the loader fetches for pages in other languages than German, by
    /// language tag (`en`, `de-x-ls`); German is built into the wasm.
    pub texts: std::collections::BTreeMap<String, FileEntry>,
    /// The page of the iframe mode.
    pub frame: FrameEntry,
    /// A ready `<script>` tag for the versioned loader with its integrity hash; the portal
    /// fills in `data-leika` and `data-ars`.
    pub snippet: String,
    /// The host page's minimal Content-Security-Policy per embedding mode.
    pub csp: HostCsp,
}

/// The loader under both of its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoaderEntry {
    /// Immutable, versioned URL; only this one may carry `integrity`.
    pub url: String,
    /// The `v1` alias. It changes with every release, so an integrity hash on it would break
    /// the portal at the next deploy.
    pub alias_url: String,
    /// `sha384-<base64>` of the loader.
    pub integrity: String,
}

/// A versioned file and its integrity hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    /// Immutable, versioned URL.
    pub url: String,
    /// `sha384-<base64>` of the file.
    pub integrity: String,
}

/// The iframe page. It is rendered by the server (never cached for long), so it has no hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameEntry {
    /// Versioned URL of `frame.html`; the widget's configuration goes into its query string.
    pub url: String,
}

/// Content-Security-Policy directives a host page needs for the widget, per embedding mode.
///
/// These are the sources the widget needs *in addition to* whatever the host page allows for
/// itself: merge them into the host's own policy (append the origin to an existing
/// `script-src`, and so on) rather than sending them as the whole policy. Directives not
/// listed are not needed: the widget's styles live in a constructed stylesheet adopted into
/// its shadow root (no `style-src`), and it loads no images, fonts or other frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostCsp {
    /// `inline`, `launcher` and banner modes: the loader script, instantiating the wasm (which
    /// CSP only permits with `'wasm-unsafe-eval'`), and `fetch`/`EventSource` to the API and
    /// for the wasm file.
    pub script: String,
    /// The iframe mode through the loader script (`data-mode="iframe"`): the host runs only
    /// the loader, which creates an `<iframe>` on this server; the wasm runs inside the frame,
    /// so the host page needs no `'wasm-unsafe-eval'` and no `connect-src`.
    pub iframe: String,
    /// The iframe mode with an `<iframe>` tag written by the host itself: no script at all.
    pub iframe_tag: String,
}

impl Manifest {
    /// The manifest for this build as reached at `public`.
    pub fn new(public: &PublicUrl) -> Result<Self, Error> {
        let (Some(loader), Some(wasm)) = (super::widget_file(LOADER), super::widget_wasm()) else {
            return Err(Error::WidgetNotBuilt);
        };
        let dir = format!("{}/widget/{WIDGET_VERSION}", public.base);
        let loader_url = format!("{dir}/{LOADER}");
        let origin = &public.origin;
        Ok(Self {
            version: WIDGET_VERSION.to_string(),
            alias: ALIAS.to_string(),
            snippet: format!(
                r#"<script src="{loader_url}" integrity="{}" crossorigin="anonymous" async data-leika="" data-ars=""></script>"#,
                loader.integrity
            ),
            loader: LoaderEntry {
                url: loader_url,
                alias_url: format!("{}/widget/{ALIAS}/{LOADER}", public.base),
                integrity: loader.integrity.to_string(),
            },
            wasm: FileEntry {
                url: format!("{dir}/{}", wasm.name),
                integrity: wasm.integrity.to_string(),
            },
            texts: super::widget_text_tables()
                .map(|(lang, table)| {
                    let entry = FileEntry {
                        url: format!("{dir}/{}", table.name),
                        integrity: table.integrity.to_string(),
                    };
                    (lang.to_string(), entry)
                })
                .collect(),
            frame: FrameEntry {
                url: format!("{dir}/frame.html"),
            },
            csp: HostCsp {
                script: format!("script-src {origin} 'wasm-unsafe-eval'; connect-src {origin}"),
                iframe: format!("script-src {origin}; frame-src {origin}"),
                iframe_tag: format!("frame-src {origin}"),
            },
        })
    }
}

/// `GET /widget/manifest.json`.
pub async fn get_manifest(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let public = state.public_url(&headers, &uri)?;
    let manifest = Manifest::new(&public)?;
    let body = serde_json::to_vec_pretty(&manifest).expect("the manifest serialises");
    let etag = format!("\"{}\"", crate::hex::encode(&Sha256::digest(&body)[..16]));

    let mut response_headers = HeaderMap::new();
    response_headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex is a valid header value"),
    );
    // `no-cache`: caches keep it but ask every time, so a release shows at once.
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if super::etag_matches(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, response_headers).into_response());
    }
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok((StatusCode::OK, response_headers, body).into_response())
}

/// Where portals reach this server: the base for URLs (`https://host[:port][/prefix]`) and the
/// origin for CSP source expressions (`https://host[:port]`).
///
/// Configured with `--public-url` when the server runs behind a proxy that rewrites `Host` or
/// terminates TLS, or under a path prefix; otherwise taken from the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    base: String,
    origin: String,
}

impl PublicUrl {
    /// Parses `http(s)://host[:port][/path]`. A trailing `/` is dropped; user info, query and
    /// fragment are refused, and so is anything that could break out of a CSP source
    /// expression or an HTML attribute (spaces, quotes, `;`, `,`).
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("`{url}` is not an absolute http(s) URL"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(format!("`{url}`: only http and https are possible"));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !is_authority(authority) {
            return Err(format!(
                "`{url}`: expected a host name or address with an optional port"
            ));
        }
        let path_ok = path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-._~%".contains(&b));
        if !path_ok {
            return Err(format!(
                "`{url}`: the path may only contain letters, digits and - . _ ~ % /"
            ));
        }
        let origin = format!("{scheme}://{}", authority.to_ascii_lowercase());
        Ok(Self {
            base: format!("{origin}{path}"),
            origin,
        })
    }

    /// The address as seen in the request: `Host` (or the request target's authority), with
    /// `https` only when a trusted proxy says so in `X-Forwarded-Proto` — a client could send
    /// that header itself.
    pub fn from_request(headers: &HeaderMap, uri: &Uri, trust_proxy: bool) -> Result<Self, Error> {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()))
            .filter(|h| is_authority(h))
            .ok_or(Error::UnknownOrigin)?;
        let https = trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|h| h.to_str().ok())
                .and_then(|h| h.split(',').next())
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        let scheme = if https { "https" } else { "http" };
        let origin = format!("{scheme}://{}", host.to_ascii_lowercase());
        Ok(Self {
            base: origin.clone(),
            origin,
        })
    }

    /// `scheme://host[:port]`, for CSP source expressions.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `scheme://host[:port][/prefix]`, without a trailing slash, for URLs.
    pub fn base(&self) -> &str {
        &self.base
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`: what may stand between `//` and the path.
fn is_authority(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 262
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        && !s.starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_keep_a_path_prefix_but_not_in_the_origin() {
        let url = PublicUrl::parse("HTTPS://Hilfe.Example.de:8443/anlaufstelle/").expect("valid");
        assert_eq!(url.base(), "https://hilfe.example.de:8443/anlaufstelle");
        assert_eq!(url.origin(), "https://hilfe.example.de:8443");
        let plain = PublicUrl::parse("http://[::1]:8080").expect("valid");
        assert_eq!(plain.base(), plain.origin());
    }

    #[test]
    fn public_urls_that_could_inject_into_a_policy_are_refused() {
        for bad in [
            "ftp://example.de",
            "example.de",
            "https://",
            "https://user@example.de",
            "https://example.de; script-src *",
            "https://example.de/a b",
            "https://example.de/?q=1",
            "https://example.de/\"x",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_proto_counts_only_from_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("hilfe.example.de"));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https, http"));
        let uri = Uri::from_static("/widget/manifest.json");
        let trusted = PublicUrl::from_request(&headers, &uri, true).expect("host");
        assert_eq!(trusted.origin(), "https://hilfe.example.de");
        let untrusted = PublicUrl::from_request(&headers, &uri, false).expect("host");
        assert_eq!(untrusted.origin(), "http://hilfe.example.de");

        headers.insert(header::HOST, HeaderValue::from_static("evil\"x"));
        assert!(PublicUrl::from_request(&headers, &uri, false).is_err());
    }
}
