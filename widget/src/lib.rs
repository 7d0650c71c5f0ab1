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
mod json;
mod notices;
mod picker;
mod time;

use contact::{Fallback, Levels};
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;
use notices::NoticeBanner;
use picker::RegionPicker;
use texts::{Lang, Texts};
use wasm_bindgen::prelude::*;
use wire::HelpResponse;

/// Renders the widget into `target` and returns the handle the loader's JS API drives.
///
/// `api_base` is the server's base URL ending in `/` (derived by the loader from its own
/// `src`); `ars` and `leika` come from the host (`data-ars` / `data-leika` or the custom
/// element's attributes) and may be empty. Without an ARS the widget asks the citizen for
/// their place first. `mode` is `banner` for notices only (portal entry pages), anything else
/// for the full widget. `lang` is a language tag (`de`, `en`, `de-x-ls` for Leichte Sprache);
/// for a language other than German, `texts` is that language's table as the loader fetched it
/// (see [`texts_for`]). Events go to the shadow root's host element (see [`Env::emit`]).
/// `budget` is what is left, in milliseconds, of the 3 s within which the instance promised the
/// contacts or the built-in fallback: the loader counts them from when the instance started,
/// so the time the wasm took to arrive is not granted twice.
#[wasm_bindgen]
#[expect(
    clippy::too_many_arguments,
    reason = "the loader's one call; positional arguments cost the least glue"
)]
pub fn mount(
    target: web_sys::HtmlElement,
    api_base: String,
    ars: String,
    leika: String,
    mode: String,
    lang: String,
    texts: JsValue,
    budget: f64,
) -> Handle {
    // The host element: the host page may set `data-form-step` / `data-error-code` on it.
    let host = target
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|root| root.host().dyn_into::<web_sys::HtmlElement>().ok());
    let (lang, t) = texts_for(Lang::from_tag(&lang), &texts);
    let region = RwSignal::new(ars);
    let env = Env {
        t,
        lang,
        host: StoredValue::new_local(host),
    };
    let config = Config {
        api_base,
        leika,
        budget,
    };
    let mounted = leptos::mount::mount_to(target, move || {
        provide_context(env);
        if mode == "banner" {
            Either::Left(view! {
                <div class="as-banner" lang=lang.html_lang()>
                    <NoticeBanner
                        api_base=config.api_base
                        leika=config.leika
                        ars=region
                        known=RwSignal::new(false)
                    />
                </div>
            })
        } else {
            Either::Right(view! { <Widget config=config region=region /> })
        }
    });
    Handle {
        region,
        mounted: Some(Box::new(mounted)),
    }
}

/// The language to speak and its texts.
///
/// Only the German table is compiled in: the English and Leichte Sprache tables travel as JSON
/// lists (`Texts::to_list`, written by the build next to the wasm), which the loader fetches
/// only for pages in those languages. Each list is read once per page and kept for the page's
/// lifetime. Without a usable list (the fetch failed, or a table of another build) the widget
/// speaks German throughout — its texts, `lang` attributes and API requests alike.
fn texts_for(lang: Lang, list: &JsValue) -> (Lang, &'static Texts) {
    thread_local! {
        static LOADED: std::cell::RefCell<Vec<(Lang, &'static Texts)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    if lang == Lang::De {
        return (Lang::De, &texts::DE);
    }
    if let Some(texts) = LOADED.with_borrow(|loaded| {
        loaded
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, texts)| *texts)
    }) {
        return (lang, texts);
    }
    // The length first: nothing is kept from a list that cannot be a table.
    let strings: Option<Vec<&'static str>> = list
        .dyn_ref::<js_sys::Array>()
        .filter(|array| array.length() as usize == Texts::LIST_LEN)
        .and_then(|array| {
            array
                .iter()
                .map(|item| item.as_string().map(|s| &*s.leak()))
                .collect()
        });
    match strings.as_deref().and_then(Texts::from_list) {
        Some(texts) => {
            let texts: &'static Texts = Box::leak(Box::new(texts));
            LOADED.with_borrow_mut(|loaded| loaded.push((lang, texts)));
            (lang, texts)
        }
        None => (Lang::De, &texts::DE),
    }
}

/// One mounted widget, as the loader holds it.
#[wasm_bindgen]
pub struct Handle {
    region: RwSignal<String>,
    mounted: Option<Box<dyn std::any::Any>>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("mounted", &self.mounted.is_some())
            .finish_non_exhaustive()
    }
}

#[wasm_bindgen]
impl Handle {
    /// Shows the contacts (and notices) for another region; an empty ARS asks the citizen.
    #[wasm_bindgen(js_name = setRegion)]
    pub fn set_region(&self, ars: String) {
        if self.region.get_untracked() != ars {
            self.region.set(ars);
        }
    }

    /// Removes the widget and everything it started (streams, timers) from the page.
    pub fn unmount(&mut self) {
        // Dropping Leptos' mount handle unmounts the view and disposes its reactive owner.
        self.mounted.take();
    }
}

/// What every component may need: texts, language and the host element. Provided as context;
/// `Copy`, so closures can capture it freely.
#[derive(Clone, Copy)]
struct Env {
    t: &'static Texts,
    lang: Lang,
    host: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

impl Env {
    fn get() -> Env {
        expect_context()
    }

    /// Dispatches `anlaufstelle:{name}` at the host element. It bubbles and crosses the shadow
    /// boundary, so the host page can listen on the element or on `document`.
    fn emit(&self, name: &str, detail: JsValue) {
        self.host.with_value(|host| {
            if let Some(host) = host {
                let init = web_sys::CustomEventInit::new();
                init.set_bubbles(true);
                init.set_composed(true);
                init.set_detail(&detail);
                if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(
                    &format!("anlaufstelle:{name}"),
                    &init,
                ) {
                    let _ = host.dispatch_event(&event);
                }
            }
        });
    }

    /// A `data-*` value of the host element (camelCase name), if set and not empty.
    fn host_data(&self, name: &str) -> Option<String> {
        self.host.with_value(|host| {
            host.as_ref()
                .and_then(|h| h.dataset().get(name))
                .filter(|v| !v.is_empty())
        })
    }
}

/// What the host page told the widget.
#[derive(Debug, Clone)]
struct Config {
    api_base: String,
    leika: String,
    /// How long the first answer may take (ms), see [`mount`].
    budget: f64,
}

impl Config {
    fn help_url(&self, ars: &str, lang: Lang) -> String {
        let mut url = format!(
            "{}api/v1/help?lang={}&ars={}",
            self.api_base,
            lang.api_tag(),
            encode(ars)
        );
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

/// How long a region's contacts may take before the built-in fallback shows instead.
const FALLBACK_AFTER: f64 = 3000.0;

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

/// How long the contacts (or the picker) wait for the notices before they show without them.
const HOLD: std::time::Duration = std::time::Duration::from_secs(1);

/// The whole widget: heading plus whatever the current phase shows.
#[component]
fn Widget(
    /// Configuration from the host page.
    config: Config,
    /// The region: set by the host (attribute or `setRegion`) or picked by the citizen; empty
    /// while unknown.
    region: RwSignal<String>,
) -> impl IntoView {
    let env = Env::get();
    let t = env.t;
    let phase = RwSignal::new(Phase::Picking);
    // Whether the citizen chose the region here (then they may change it again).
    let picked = RwSignal::new(false);
    // The picker or the contacts show once the notices are in, or once they have waited
    // `HOLD` for them: until then the loading status stands in (see `NoticeBanner`). A memo,
    // so that what is shown is rendered once, not again when the other half turns true (the
    // citizen may be writing a message by then).
    let notices_known = RwSignal::new(false);
    let waited = RwSignal::new(false);
    let show = Memo::new(move |_| notices_known.get() || waited.get());
    // Which request is current: a late answer for an earlier region must not win.
    let generation = StoredValue::new(0u32);

    // Starts the wait for the notices, measured from when the contacts (or the picker) are
    // ready, so a slow network does not use it up before they are.
    let hold = move |current: u32| {
        waited.set(false);
        set_timeout(
            move || {
                // `try_`: the widget may have been removed in the meantime.
                if generation.try_get_value() == Some(current) {
                    waited.set(true);
                }
            },
            HOLD,
        );
    };
    let help_config = config.clone();
    // The first answer may take what is left of the instance's 3 s (the loader's wait for the
    // wasm counts); an answer for a region set later gets `FALLBACK_AFTER` of its own.
    let mut first_wait = Some(config.budget);
    Effect::new(move |_| {
        let ars = region.get();
        let current = generation.get_value().wrapping_add(1);
        generation.set_value(current);
        let wait = first_wait.take().unwrap_or(FALLBACK_AFTER);
        if ars.is_empty() {
            hold(current);
            phase.set(Phase::Picking);
            return;
        }
        // A hanging server must not leave the citizen with "loading" forever: in time the
        // built-in fallback shows (at once if the time is up, e.g. the loader's fallback is on
        // screen already); a late answer still replaces it.
        phase.set(if wait > 0.0 {
            Phase::Loading
        } else {
            Phase::Offline
        });
        set_timeout(
            move || {
                // `try_`: the widget may have been removed in the meantime.
                if generation.try_get_value() == Some(current)
                    && matches!(phase.try_get_untracked(), Some(Phase::Loading))
                {
                    phase.set(Phase::Offline);
                }
            },
            std::time::Duration::from_millis(wait as u64),
        );
        let url = help_config.help_url(&ars, env.lang);
        leptos::task::spawn_local(async move {
            let answer = fetch_json::<HelpResponse>(&url).await;
            if generation.try_get_value() == Some(current) {
                phase.set(match answer {
                    Some(help) => {
                        hold(current);
                        Phase::Ready(Box::new(help))
                    }
                    None => Phase::Offline,
                });
            }
        });
    });
    let on_pick = Callback::new(move |ars: String| {
        picked.set(true);
        region.set(ars);
    });
    let api_base = config.api_base.clone();

    view! {
        // The language actually spoken: German if the requested table could not be had.
        <section class="as-widget" aria-labelledby="as-title" lang=env.lang.html_lang()>
            // The heading stays where the loader's placeholder put it; notices go below it and
            // the rest below them, shown together (see `NoticeBanner`): nothing moves once shown.
            <h2 id="as-title" class="as-title">{t.title}</h2>
            <NoticeBanner
                api_base=config.api_base.clone()
                leika=config.leika.clone()
                ars=region
                known=notices_known
            />
            {move || match phase.get() {
                Phase::Offline => EitherOf4::D(view! { <Fallback /> }),
                Phase::Picking if show.get() => EitherOf4::A(view! {
                    <RegionPicker api_base=api_base.clone() on_pick />
                }),
                Phase::Ready(help) if show.get() => EitherOf4::C(view! {
                    <Levels help=(*help).clone() focus=picked.get_untracked() />
                    <form::ContactForm
                        api_base=api_base.clone()
                        ars=help.ars.clone()
                        leika=config.leika.clone()
                    />
                    {picked.get_untracked().then(|| view! {
                        <button type="button" class="as-button as-secondary"
                            on:click=move |_| phase.set(Phase::Picking)>
                            {t.change_place}
                        </button>
                    })}
                }),
                // Loading, or waiting for the notices.
                _ => EitherOf4::B(view! {
                    <p class="as-status" role="status">{t.loading}</p>
                }),
            }}
        </section>
    }
}

/// What a submitted form holds, read from the submit event (the widget's fields are
/// uncontrolled: the browser keeps what the citizen typed).
fn form_data(ev: &leptos::ev::SubmitEvent) -> Option<web_sys::FormData> {
    let form = ev.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()?;
    web_sys::FormData::new_with_form(&form).ok()
}

/// GET `url` and decode its JSON body; `None` on any network or HTTP error.
async fn fetch_json<T: json::Decode>(url: &str) -> Option<T> {
    match request(url, None).await? {
        (200..=299, body) => T::decode(&body),
        _ => None,
    }
}

/// GET `url`, or POST `json` to it; the status and the parsed JSON answer. `None` when the
/// network fails or the answer is not a JSON object.
async fn request(url: &str, json: Option<String>) -> Option<(u16, json::Obj)> {
    use wasm_bindgen_futures::JsFuture;
    let init = web_sys::RequestInit::new();
    if let Some(body) = json {
        init.set_method("POST");
        init.set_body(&JsValue::from_str(&body));
        init.set_headers(&js_sys::Array::of1(&js_sys::Array::of2(
            &"content-type".into(),
            &"application/json".into(),
        )));
    }
    let promise = web_sys::window()?.fetch_with_str_and_init(url, &init);
    let response: web_sys::Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    Some((response.status(), json::Obj::parse(&text.as_string()?)?))
}
