//! The contact form: a question reaches the responsible Funktionspostfach without the citizen
//! leaving the online service.
//!
//! Accessible by construction: every field has a label, hints and errors are tied to it with
//! `aria-describedby`, an error summary with links to the fields takes focus, nothing is said
//! by colour alone, and after sending the reference is shown in a focused status message.
//! The form token is fetched only when the citizen opens the form. One idempotency key per
//! message makes double clicks and retries after a network error harmless.
//!
//! Written for size, like the rest of the widget: the fields are uncontrolled (the browser
//! keeps what the citizen typed; it is read once, with `FormData`, when the message is sent),
//! and the three text fields share one component, so the wasm carries one copy of their
//! rendering code.

use crate::Env;
use crate::fetch_json;
use crate::json::{Decode, Out};
use leptos::either::{Either, EitherOf3};
use leptos::html::{Div, H3};
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
    // Characters in the message field, for the counter.
    let count = RwSignal::new(0usize);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    // One key per message, kept across retries so the server stores it once.
    let key = StoredValue::new(new_key());
    let summary = NodeRef::<Div>::new();
    let done = NodeRef::<Div>::new();
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
            focus_next_frame(heading);
        }
    };

    let post_url = format!("{api_base}api/v1/messages");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(phase.get_untracked(), Phase::Sending) {
            return;
        }
        let Some(data) = crate::form_data(&ev) else {
            return;
        };
        let value = |name: &str| data.get(name).as_string().unwrap_or_default();
        let given = |name: &str| Some(value(name)).filter(|v| !v.trim().is_empty());
        let request = MessageRequest {
            token: token.get_untracked().map(|t| t.token).unwrap_or_default(),
            idempotency_key: key.get_value(),
            category: value("category"),
            message: value("message"),
            reply_email: given("reply_email"),
            name: given("name"),
            consent: data.has("consent"),
            website: value("website"),
            wants_confirmation: data.has("wants_confirmation"),
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
                    focus_next_frame(done);
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
                    focus_next_frame(summary);
                }
            }
        });
    };

    let max = move || token.get().map(|t| t.max_length).unwrap_or(4000);
    let privacy = move || token.get().map(|t| t.privacy_url).unwrap_or_default();
    let sending = move || matches!(phase.get(), Phase::Sending);

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

                        <fieldset class="as-fieldset" aria-describedby=described(errors, String::new(), "category")>
                            <legend class="as-label">{t.form_category_legend}</legend>
                            <ErrorText errors field="category" />
                            {t.categories()
                                .into_iter()
                                .map(|(value, label)| view! {
                                    <label class="as-choice">
                                        <input type="radio" name="category" value=value
                                            id=(value == "question").then_some("as-f-category") />
                                        {label}
                                    </label>
                                })
                                .collect_view()}
                        </fieldset>

                        <TextField field="message" label=t.form_message_label hint=t.form_message_hint
                            kind="textarea" autocomplete="off" errors count />
                        <p class="as-count" id="as-count">
                            {move || fill(t.form_counter, &[&count.get().to_string(), &max().to_string()])}
                        </p>

                        <TextField field="reply_email" label=t.form_email_label hint=t.form_email_hint
                            kind="email" autocomplete="email" errors count />
                        <label class="as-choice">
                            <input type="checkbox" name="wants_confirmation" />
                            {t.form_receipt}
                        </label>

                        <TextField field="name" label=t.form_name_label hint=""
                            kind="text" autocomplete="name" errors count />

                        // People never see this field; bots fill it in.
                        <div class="as-hp" aria-hidden="true">
                            <label for="as-f-website">"Website"</label>
                            <input id="as-f-website" name="website" type="text" tabindex="-1" autocomplete="off" />
                        </div>

                        <ErrorText errors field="consent" />
                        <label class="as-choice as-consent">
                            <input id="as-f-consent" name="consent" type="checkbox"
                                aria-describedby=described(errors, String::new(), "consent")
                                aria-invalid=invalid(errors, "consent") />
                            <span>
                                {t.form_consent}
                                <a class="as-link" href=privacy target="_blank" rel="noopener">{t.form_privacy}</a>
                            </span>
                        </label>

                        <button type="submit" class="as-button" aria-disabled=move || sending().then_some("true")>
                            {move || if sending() { t.form_sending } else { t.form_send }}
                        </button>
                    </form>
                }),
            }}
        </div>
    }
}

/// A labelled text field with its hint and error, as `textarea` (`kind = "textarea"`) or
/// `input` of that type. The control's `name` is the server's field name, its `id`
/// `as-f-{field}`, which the error summary links to.
#[component]
fn TextField(
    /// The server's field name.
    field: &'static str,
    /// The visible label.
    label: &'static str,
    /// Shown below the label and tied to the control; may be empty.
    hint: &'static str,
    /// `textarea`, or the input's type.
    kind: &'static str,
    /// The control's `autocomplete`.
    autocomplete: &'static str,
    /// The server's field errors.
    errors: RwSignal<Vec<FieldError>>,
    /// Set to the number of characters typed into a `textarea`.
    count: RwSignal<usize>,
) -> impl IntoView {
    let id = format!("as-f-{field}");
    let hint_id = format!("as-hint-{field}");
    let multiline = kind == "textarea";
    let mut hints = if hint.is_empty() {
        String::new()
    } else {
        hint_id.clone()
    };
    // A textarea has the character counter below it, which screen readers hear as well.
    if multiline {
        if !hints.is_empty() {
            hints.push(' ');
        }
        hints.push_str("as-count");
    }
    let described = described(errors, hints, field);
    view! {
        <label class="as-label" for=id.clone()>{label}</label>
        {(!hint.is_empty()).then(|| view! { <p class="as-hint" id=hint_id>{hint}</p> })}
        <ErrorText errors field />
        {if multiline {
            Either::Left(view! {
                <textarea id=id name=field class="as-input as-textarea" rows="5"
                    aria-describedby=described
                    aria-invalid=invalid(errors, field)
                    on:input=move |ev| count.set(event_target_value(&ev).chars().count())></textarea>
            })
        } else {
            Either::Right(view! {
                <input id=id name=field class="as-input" type=kind autocomplete=autocomplete
                    aria-describedby=described
                    aria-invalid=invalid(errors, field) />
            })
        }}
    }
}

/// A control's `aria-describedby`: its hints (may be empty) plus, while there is one, its
/// error.
fn described(
    errors: RwSignal<Vec<FieldError>>,
    hints: String,
    field: &'static str,
) -> impl Fn() -> String {
    move || {
        let mut ids = hints.clone();
        if errors.with(|list| list.iter().any(|e| e.field == field)) {
            if !ids.is_empty() {
                ids.push(' ');
            }
            ids.push_str("as-err-");
            ids.push_str(field);
        }
        ids
    }
}

/// A control's `aria-invalid`: set while the field has an error.
fn invalid(
    errors: RwSignal<Vec<FieldError>>,
    field: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || {
        errors
            .with(|list| list.iter().any(|e| e.field == field))
            .then_some("true")
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

/// Focuses the element behind `node` once the browser has rendered the next frame.
fn focus_next_frame<E>(node: NodeRef<E>)
where
    E: leptos::html::ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    request_animation_frame(move || {
        if let Some(el) = node
            .get_untracked()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
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
