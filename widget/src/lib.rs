//! The Anlaufstelle widget: "Wer kann mir helfen?" inside a host page.
//!
//! The loader script (`widget/loader/loader.js`) creates a shadow root next to its `<script>`
//! tag, adopts the widget's stylesheet there and calls [`mount`] with the element to render
//! into and the `data-*` configuration. Everything the widget renders stays inside that shadow
//! root: it adds no global CSS and touches nothing else on the host page.
//!
//! Written for size (see ARCHITECTURE.md): one `spawn_local` fetch into an `RwSignal` instead
//! of async resources, and `Either` views instead of type-erased `AnyView`s.

mod contact;

use contact::{ContactCard, Fallback};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wire::HelpResponse;

/// Renders the widget into `target`.
///
/// `api_base` is the server's base URL ending in `/` (derived by the loader from its own
/// `src`); `ars` and `leika` come from the script tag's `data-ars` / `data-leika` and may be
/// empty.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, api_base: String, ars: String, leika: String) {
    let config = Config {
        api_base,
        ars,
        leika,
    };
    leptos::mount::mount_to(target, move || view! { <Widget config=config /> }).forget();
}

/// What the host page told the widget.
#[derive(Debug, Clone)]
struct Config {
    api_base: String,
    ars: String,
    leika: String,
}

impl Config {
    fn help_url(&self) -> String {
        // Without a region the Bund's contact (the 115) is the honest answer until the
        // citizen picks a region.
        let ars = if self.ars.is_empty() {
            "000000000000"
        } else {
            &self.ars
        };
        let mut url = format!("{}api/v1/help?ars={}", self.api_base, encode(ars));
        if !self.leika.is_empty() {
            url.push_str("&leika=");
            url.push_str(&encode(&self.leika));
        }
        url
    }
}

/// Percent-encodes a query value. Keys are digits in practice, but host attributes are
/// untrusted input.
fn encode(value: &str) -> String {
    js_sys_encode(value)
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = encodeURIComponent)]
    fn js_sys_encode(value: &str) -> String;
}

/// Where the widget stands.
#[derive(Debug, Clone)]
enum Phase {
    Loading,
    Ready(Box<HelpResponse>),
    /// The server could not be reached or answered with an error.
    Offline,
}

/// The whole widget: heading plus whatever the current phase shows.
#[component]
fn Widget(
    /// Configuration from the host page.
    config: Config,
) -> impl IntoView {
    let phase = RwSignal::new(Phase::Loading);
    let url = config.help_url();
    leptos::task::spawn_local(async move {
        phase.set(match fetch_help(&url).await {
            Some(help) => Phase::Ready(Box::new(help)),
            None => Phase::Offline,
        });
    });

    view! {
        <section class="as-widget" aria-labelledby="as-title">
            <h2 id="as-title" class="as-title">"Wer kann mir helfen?"</h2>
            {move || match phase.get() {
                Phase::Loading => EitherOf3::A(view! {
                    <p class="as-status" role="status">"Kontaktdaten werden geladen …"</p>
                }),
                Phase::Ready(help) => EitherOf3::B(view! { <ContactCard resolved=help.first_level /> }),
                Phase::Offline => EitherOf3::C(view! { <Fallback /> }),
            }}
        </section>
    }
}

async fn fetch_help(url: &str) -> Option<HelpResponse> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.json().await.ok()
}
