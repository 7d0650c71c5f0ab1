//! The Anlaufstelle widget: "Wer kann mir helfen?" inside a host page.
//!
//! The loader script (`widget/loader/loader.js`) creates a shadow root next to its `<script>`
//! tag, adopts the widget's stylesheet there and calls [`mount`] with the element to render
//! into and the `data-*` configuration. Everything the widget renders stays inside that shadow
//! root: it adds no global CSS and touches nothing else on the host page.
//!
//! Written for size (see ARCHITECTURE.md): `spawn_local` fetches into `RwSignal`s instead of
//! async resources, and `Either` views instead of type-erased `AnyView`s.

mod contact;
mod form;
mod notices;
mod picker;
mod time;

use contact::{Fallback, Levels};
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use notices::NoticeBanner;
use picker::RegionPicker;
use wasm_bindgen::prelude::*;
use wire::HelpResponse;

/// Renders the widget into `target`.
///
/// `api_base` is the server's base URL ending in `/` (derived by the loader from its own
/// `src`); `ars` and `leika` come from the script tag's `data-ars` / `data-leika` and may be
/// empty. Without an ARS the widget asks the citizen for their place first. `mode` is
/// `banner` for notices only (portal entry pages), anything else for the full widget.
#[wasm_bindgen]
pub fn mount(
    target: web_sys::HtmlElement,
    api_base: String,
    ars: String,
    leika: String,
    mode: String,
) {
    // The host element: the host page may set `data-form-step` / `data-error-code` on it.
    let host = target
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|root| root.host().dyn_into::<web_sys::HtmlElement>().ok());
    let config = Config {
        api_base,
        leika,
        host,
    };
    leptos::mount::mount_to(target, move || {
        if mode == "banner" {
            let ars = RwSignal::new(ars);
            Either::Left(view! {
                <div class="as-banner">
                    <NoticeBanner api_base=config.api_base leika=config.leika ars />
                </div>
            })
        } else {
            Either::Right(view! { <Widget config=config ars=ars /> })
        }
    })
    .forget();
}

/// What the host page told the widget.
#[derive(Debug, Clone)]
struct Config {
    api_base: String,
    leika: String,
    host: Option<web_sys::HtmlElement>,
}

impl Config {
    fn help_url(&self, ars: &str) -> String {
        let mut url = format!("{}api/v1/help?ars={}", self.api_base, encode(ars));
        if !self.leika.is_empty() {
            url.push_str("&leika=");
            url.push_str(&encode(&self.leika));
        }
        url
    }
}

#[wasm_bindgen]
extern "C" {
    /// Percent-encodes a query value: host attributes and citizen input are untrusted.
    #[wasm_bindgen(js_name = encodeURIComponent)]
    fn encode(value: &str) -> String;
}

/// Where the widget stands.
#[derive(Debug, Clone)]
enum Phase {
    /// No region yet: the citizen picks one.
    Picking,
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
    /// The region given by the host; empty when unknown.
    ars: String,
) -> impl IntoView {
    let phase = RwSignal::new(Phase::Picking);
    // The region the notices are for: the host's, or the one the citizen picks.
    let region = RwSignal::new(ars.clone());
    // Whether the citizen chose the region here (then they may change it again).
    let picked = RwSignal::new(false);

    let load = {
        let config = config.clone();
        move |ars: String| {
            phase.set(Phase::Loading);
            // A hanging server must not leave the citizen with "loading" forever: after 3 s
            // the built-in fallback shows; a late answer still replaces it.
            set_timeout(
                move || {
                    if matches!(phase.get_untracked(), Phase::Loading) {
                        phase.set(Phase::Offline);
                    }
                },
                std::time::Duration::from_secs(3),
            );
            let url = config.help_url(&ars);
            leptos::task::spawn_local(async move {
                phase.set(match fetch_json::<HelpResponse>(&url).await {
                    Some(help) => Phase::Ready(Box::new(help)),
                    None => Phase::Offline,
                });
            });
        }
    };
    if !ars.is_empty() {
        load(ars);
    }
    let on_pick = Callback::new(move |ars: String| {
        picked.set(true);
        region.set(ars.clone());
        load(ars);
    });
    let api_base = config.api_base.clone();

    view! {
        <section class="as-widget" aria-labelledby="as-title">
            <NoticeBanner api_base=config.api_base.clone() leika=config.leika.clone() ars=region />
            <h2 id="as-title" class="as-title">"Wer kann mir helfen?"</h2>
            {move || match phase.get() {
                Phase::Picking => EitherOf4::A(view! {
                    <RegionPicker api_base=api_base.clone() on_pick />
                }),
                Phase::Loading => EitherOf4::B(view! {
                    <p class="as-status" role="status">"Kontaktdaten werden geladen …"</p>
                }),
                Phase::Ready(help) => EitherOf4::C(view! {
                    <Levels help=(*help).clone() focus=picked.get_untracked() />
                    <form::ContactForm
                        api_base=api_base.clone()
                        ars=help.ars.clone()
                        context=form::HostContext { host: config.host.clone(), leika: config.leika.clone() }
                    />
                    {picked.get_untracked().then(|| view! {
                        <button type="button" class="as-button as-secondary"
                            on:click=move |_| phase.set(Phase::Picking)>
                            "Anderen Ort wählen"
                        </button>
                    })}
                }),
                Phase::Offline => EitherOf4::D(view! { <Fallback /> }),
            }}
        </section>
    }
}

/// GET `url` and decode its JSON body; `None` on any network or HTTP error.
async fn fetch_json<T: serde::de::DeserializeOwned>(url: &str) -> Option<T> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.json().await.ok()
}
