//! The contact form: a question reaches the responsible Funktionspostfach without the citizen
//! leaving the online service.
//!
//! Accessible by construction: every field has a label, hints and errors are tied to it with
//! `aria-describedby`, an error summary with links to the fields takes focus, nothing is said
//! by colour alone, and after sending the reference is shown in a focused status message.
//! The form token is fetched only when the citizen opens the form. One idempotency key per
//! message makes double clicks and retries after a network error harmless.

use crate::Env;
use crate::fetch_json;
use crate::json::{Decode, Out};
use leptos::either::{Either, EitherOf3};
use leptos::html::{Div, H3, Textarea};
use leptos::prelude::*;
use texts::{Lang, Texts, fill};
use wasm_bindgen::prelude::*;
use wire::{ErrorBody, FieldError, FormToken, MessageAccepted, MessageContext, MessageRequest};

/// Where the form stands.
#[derive(Debug, Clone)]
enum Phase {
    Closed,
    Open,
    Sending,
    Sent(MessageAccepted),
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID, catch)]
    fn random_uuid() -> Result<String, JsValue>;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    fn math_random() -> f64;
}

fn new_key() -> String {
    random_uuid().unwrap_or_else(|_| {
        format!(
            "k{:x}-{:x}",
            date_now() as u64,
            (math_random() * 1e15) as u64
        )
    })
}

/// "Nachricht schreiben" and, once opened, the form.
#[component]
pub fn ContactForm(
    /// Server base URL ending in `/`.
    api_base: String,
    /// The citizen's region (ARS), may be empty.
    ars: String,
    /// LeiKa key of the page, may be empty.
    leika: String,
) -> impl IntoView {
    let env = Env::get();
    let t = env.t;
    let phase = RwSignal::new(Phase::Closed);
    let token = RwSignal::new(None::<FormToken>);
    let category = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let receipt = RwSignal::new(false);
    let consent = RwSignal::new(false);
    let honeypot = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    // One key per message, kept across retries so the server stores it once.
    let key = StoredValue::new(new_key());
    let summary = NodeRef::<Div>::new();
    let done = NodeRef::<Div>::new();
    let textarea = NodeRef::<Textarea>::new();
    let heading = NodeRef::<H3>::new();

    let token_url = format!("{api_base}api/v1/messages/token");
    let fetch_token = move || {
        let url = token_url.clone();
        leptos::task::spawn_local(async move {
            token.set(fetch_json::<FormToken>(&url).await);
        });
    };
    let open = {
        let fetch_token = fetch_token.clone();
        move |_| {
            phase.set(Phase::Open);
            fetch_token();
            // The button that opened the form is gone; continue at the form's heading.
            request_animation_frame(move || {
                if let Some(h) = heading.get_untracked() {
                    let _ = h.focus();
                }
            });
        }
    };

    let post_url = format!("{api_base}api/v1/messages");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(phase.get_untracked(), Phase::Sending) {
            return;
        }
        let request = MessageRequest {
            token: token.get_untracked().map(|t| t.token).unwrap_or_default(),
            idempotency_key: key.get_value(),
            category: category.get_untracked(),
            message: text.get_untracked(),
            reply_email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
            name: Some(name.get_untracked()).filter(|n| !n.trim().is_empty()),
            consent: consent.get_untracked(),
            website: honeypot.get_untracked(),
            wants_confirmation: receipt.get_untracked(),
            context: MessageContext {
                leika: Some(leika.clone()).filter(|l| !l.is_empty()),
                ars: Some(ars.clone()).filter(|a| !a.is_empty()),
                // The host page may change these on the element at any time (or through the
                // JS API's setContext); they are read when the message is sent.
                form_step: env.host_data("formStep"),
                error_code: env.host_data("errorCode"),
                page_path: web_sys::window().and_then(|w| w.location().pathname().ok()),
            },
            lang: env.lang.api_tag().into(),
        };
        let max_length = token.get_untracked().map_or(4000, |token| token.max_length);
        phase.set(Phase::Sending);
        general.set(None);
        let url = post_url.clone();
        let fetch_token = fetch_token.clone();
        leptos::task::spawn_local(async move {
            match send(&url, &request, t).await {
                Ok(accepted) => {
                    env.emit(
                        "message-sent",
                        Out::new()
                            .set("reference", accepted.reference.as_str())
                            .set("recipient", accepted.recipient.as_str())
                            .into_value(),
                    );
                    errors.set(Vec::new());
                    phase.set(Phase::Sent(accepted));
                    // Screen readers continue at the confirmation.
                    request_animation_frame(move || {
                        if let Some(el) = done.get_untracked() {
                            let _ = el.focus();
                        }
                    });
                }
                Err(problem) => {
                    phase.set(Phase::Open);
                    match problem {
                        Problem::Fields(mut fields) => {
                            if env.lang != Lang::De {
                                for e in &mut fields {
                                    if let Some(text) = t.field_error(&e.field, &e.error) {
                                        e.message = fill(text, &[&max_length.to_string()]);
                                    }
                                }
                            }
                            errors.set(fields);
                            general.set(None);
                        }
                        Problem::Other(error, mut message) => {
                            if env.lang != Lang::De
                                && let Some(text) = t.general_error(&error)
                            {
                                message = text.to_string();
                            }
                            errors.set(Vec::new());
                            if error.starts_with("token_") {
                                fetch_token();
                            }
                            general.set(Some(message));
                        }
                    }
                    request_animation_frame(move || {
                        if let Some(el) = summary.get_untracked() {
                            let _ = el.focus();
                        }
                    });
                }
            }
        });
    };

    let max = move || token.get().map(|t| t.max_length).unwrap_or(4000);
    let privacy = move || token.get().map(|t| t.privacy_url).unwrap_or_default();
    // The hint (may be empty) plus, while there is one, the field's error.
    let described = move |hint: &'static str, field: &'static str| {
        move || {
            let mut ids = hint.to_string();
            if errors.get().iter().any(|e| e.field == field) {
                if !ids.is_empty() {
                    ids.push(' ');
                }
                ids.push_str("as-err-");
                ids.push_str(field);
            }
            ids
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            errors
                .get()
                .iter()
                .any(|e| e.field == field)
                .then_some("true")
        }
    };

    view! {
        <div class="as-form-block">
            {move || match phase.get() {
                Phase::Closed => EitherOf3::A(view! {
                    <button type="button" class="as-button as-secondary" on:click=open.clone()>
                        {t.form_open}
                    </button>
                }),
                Phase::Sent(accepted) => EitherOf3::B(view! {
                    <div class="as-sent" role="status" tabindex="-1" node_ref=done>
                        <p class="as-sent-title"><span aria-hidden="true">"✓ "</span>{t.form_sent_title}</p>
                        <p>{t.form_reference}<strong class="as-reference">{accepted.reference}</strong></p>
                        <p>{t.form_recipient}{accepted.recipient}</p>
                        <p class="as-hint">{t.form_reference_hint}</p>
                    </div>
                }),
                Phase::Open | Phase::Sending => EitherOf3::C(view! {
                    <form class="as-form" novalidate on:submit=submit.clone() aria-labelledby="as-form-title">
                        <h3 id="as-form-title" class="as-name" tabindex="-1" node_ref=heading>{t.form_title}</h3>
                        <div class="as-summary-slot" tabindex="-1" node_ref=summary>
                            {move || {
                                let list = errors.get();
                                if !list.is_empty() {
                                    Some(Either::Left(view! {
                                        <div class="as-summary" role="alert">
                                            <p class="as-summary-title">{t.form_summary_title}</p>
                                            <ul>
                                                {list.into_iter().map(|e| {
                                                    let id = format!("as-f-{}", e.field);
                                                    let href = format!("#{id}");
                                                    // Fragment links do not reach into a shadow root: move focus ourselves.
                                                    let jump = move |ev: leptos::ev::MouseEvent| {
                                                        ev.prevent_default();
                                                        focus_in_shadow(&ev, &id);
                                                    };
                                                    view! { <li><a class="as-link" href=href on:click=jump>{e.message}</a></li> }
                                                }).collect_view()}
                                            </ul>
                                        </div>
                                    }))
                                } else {
                                    general.get().map(|m| Either::Right(view! {
                                        <div class="as-summary" role="alert"><p>{m}</p></div>
                                    }))
                                }
                            }}
                        </div>

                        <fieldset class="as-fieldset"
                            aria-describedby=described("", "category")>
                            <legend class="as-label">{t.form_category_legend}</legend>
                            <ErrorText errors field="category" />
                            {[("question", t.form_category_question), ("technical", t.form_category_technical), ("accessibility", t.form_category_accessibility)]
                                .into_iter()
                                .map(|(value, label)| view! {
                                    <label class="as-choice">
                                        <input type="radio" name="as-category" value=value
                                            id=(value == "question").then_some("as-f-category")
                                            prop:checked=move || category.get() == value
                                            on:change=move |_| category.set(value.to_string()) />
                                        {label}
                                    </label>
                                })
                                .collect_view()}
                        </fieldset>

                        <label class="as-label" for="as-f-message">{t.form_message_label}</label>
                        <p class="as-hint" id="as-hint-message">
                            {t.form_message_hint}
                        </p>
                        <ErrorText errors field="message" />
                        <textarea id="as-f-message" class="as-input as-textarea" rows="5" node_ref=textarea
                            aria-describedby=described("as-hint-message as-count", "message")
                            aria-invalid=invalid("message")
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <p class="as-count" id="as-count">
                            {move || fill(t.form_counter, &[&text.get().chars().count().to_string(), &max().to_string()])}
                        </p>

                        <label class="as-label" for="as-f-reply_email">{t.form_email_label}</label>
                        <p class="as-hint" id="as-hint-email">{t.form_email_hint}</p>
                        <ErrorText errors field="reply_email" />
                        <input id="as-f-reply_email" class="as-input" type="email" autocomplete="email"
                            aria-describedby=described("as-hint-email", "reply_email")
                            aria-invalid=invalid("reply_email")
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev)) />
                        <label class="as-choice">
                            <input type="checkbox" prop:checked=move || receipt.get()
                                on:change=move |ev| receipt.set(event_target_checked(&ev)) />
                            {t.form_receipt}
                        </label>

                        <label class="as-label" for="as-f-name">{t.form_name_label}</label>
                        <ErrorText errors field="name" />
                        <input id="as-f-name" class="as-input" type="text" autocomplete="name"
                            aria-describedby=described("", "name")
                            aria-invalid=invalid("name")
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) />

                        // People never see this field; bots fill it in.
                        <div class="as-hp" aria-hidden="true">
                            <label for="as-f-website">"Website"</label>
                            <input id="as-f-website" type="text" tabindex="-1" autocomplete="off"
                                prop:value=move || honeypot.get()
                                on:input=move |ev| honeypot.set(event_target_value(&ev)) />
                        </div>

                        <ErrorText errors field="consent" />
                        <label class="as-choice as-consent">
                            <input id="as-f-consent" type="checkbox"
                                aria-describedby=described("", "consent")
                                aria-invalid=invalid("consent")
                                prop:checked=move || consent.get()
                                on:change=move |ev| consent.set(event_target_checked(&ev)) />
                            <span>
                                {t.form_consent}
                                <a class="as-link" href=privacy target="_blank" rel="noopener">{t.form_privacy}</a>
                            </span>
                        </label>

                        <button type="submit" class="as-button"
                            aria-disabled=move || matches!(phase.get(), Phase::Sending).then_some("true")>
                            {move || if matches!(phase.get(), Phase::Sending) { t.form_sending } else { t.form_send }}
                        </button>
                    </form>
                }),
            }}
        </div>
    }
}

/// The error message of one field, if it has one, referenced by the field's
/// `aria-describedby` as `as-err-{field}`.
#[component]
fn ErrorText(
    /// The server's field errors.
    errors: RwSignal<Vec<FieldError>>,
    /// The field.
    field: &'static str,
) -> impl IntoView {
    move || {
        errors
            .get()
            .into_iter()
            .find(|e| e.field == field)
            .map(|e| {
                view! {
                    <p class="as-error" id=format!("as-err-{field}")>
                        <span aria-hidden="true">"⚠ "</span>{e.message}
                    </p>
                }
            })
    }
}

/// Focuses the element with `id` in the shadow root the event happened in.
fn focus_in_shadow(ev: &leptos::ev::MouseEvent, id: &str) {
    let Some(node) = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()) else {
        return;
    };
    let Ok(root) = node.get_root_node().dyn_into::<web_sys::DocumentFragment>() else {
        return;
    };
    if let Some(el) = root
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Why sending did not work.
enum Problem {
    Fields(Vec<FieldError>),
    Other(String, String),
}

async fn send(url: &str, request: &MessageRequest, t: &Texts) -> Result<MessageAccepted, Problem> {
    let offline = || Problem::Other("network".into(), t.form_network_error.into());
    match crate::request(url, Some(crate::json::message_body(request))).await {
        Some((202, body)) => MessageAccepted::decode(&body).ok_or_else(offline),
        Some((_, body)) => match ErrorBody::decode(&body) {
            Some(body) if !body.fields.is_empty() => Err(Problem::Fields(body.fields)),
            Some(body) => Err(Problem::Other(body.error, body.message)),
            None => Err(offline()),
        },
        None => Err(offline()),
    }
}
