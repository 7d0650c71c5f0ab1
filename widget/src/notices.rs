//! Live notices at the top of the widget: disruptions, maintenance and information for this
//! service and region, pushed by the server over Server-Sent Events.
//!
//! The browser's `EventSource` reconnects by itself (the server asks for 3 s) and sends
//! `Last-Event-ID`, so nothing is missed. Where streams are blocked (a proxy or the server
//! answers with an error such as `503`, the connection is closed for good) or stalled (a proxy
//! accepts the stream but forwards nothing: no snapshot within [`SNAPSHOT_WAIT`]), the widget
//! closes it, polls `GET /api/v1/notices` every 30 s and tries the stream again with a growing
//! back-off.
//!
//! Two live regions are always present, so screen readers announce what appears: an assertive
//! one for major and critical incidents, a polite one for everything else.

use crate::fetch_json;
use crate::json::{self, Decode, Removed};
use crate::time::{day_phrase, split};
use leptos::prelude::*;
use std::time::Duration;
use texts::{capitalise, fill};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wire::{AnswersKept, Impact, Named, Notice, NoticeKind, NoticeList, NoticeState};

/// Polling interval when streams are blocked.
const POLL: Duration = Duration::from_secs(30);
/// Longest wait before trying the stream again.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// How long a new stream may take to deliver its snapshot (the server sends it at once) before
/// the widget takes it for stalled, e.g. by a buffering proxy, and polls instead.
const SNAPSHOT_WAIT: Duration = Duration::from_secs(5);

/// Subscribes to the notices for `leika` and the region in `ars` (re-subscribing when it
/// changes) and renders them.
///
/// `known` turns true once the notices' first full list is in (from the stream's snapshot or
/// a poll), and false again when the region changes: the widget holds back what goes below
/// the notices until then (for a moment at most), so a notice arriving just after the
/// contacts cannot push them down while the citizen reads (no layout shift on the host page).
#[component]
pub fn NoticeBanner(
    /// Server base URL ending in `/`.
    api_base: String,
    /// LeiKa key of the page's service, may be empty.
    leika: String,
    /// The citizen's region, may be empty; changes when the citizen picks a place.
    ars: RwSignal<String>,
    /// Whether the notices are known (see above); set here, read by the widget.
    known: RwSignal<bool>,
) -> impl IntoView {
    let notices = RwSignal::new(Vec::<Notice>::new());
    let link = Link {
        source: StoredValue::new_local(None),
        polling: StoredValue::new_local(None),
    };

    let env = crate::Env::get();
    Effect::new(move |_| {
        let mut query = format!("lang={}&", env.lang.api_tag());
        if !leika.is_empty() {
            query.push_str(&format!("leika={}&", crate::encode(&leika)));
        }
        let region = ars.get();
        if !region.is_empty() {
            query.push_str(&format!("ars={}&", crate::encode(&region)));
        }
        let stream_url = format!("{api_base}api/v1/notices/stream?{query}");
        let list_url = format!("{api_base}api/v1/notices?{query}");
        link.stop();
        notices.set(Vec::new());
        known.set(false);
        let shown = Shown { notices, known };
        connect(stream_url, list_url, shown, link, Duration::from_secs(5));
    });
    // The stream must close when the host page removes the widget (single-page apps).
    on_cleanup(move || link.stop());
    // Tell the host page what is going on, e.g. to point at the notice from its own form.
    Effect::new(move |_| {
        let list = js_sys::Array::new();
        notices.with(|all| {
            for n in all {
                let item = crate::json::Out::new()
                    .set("id", n.id.as_str())
                    .set("kind", n.kind.name())
                    .set("impact", n.impact.name())
                    .set("title", n.content.title.as_str());
                list.push(&item.into_value());
            }
        });
        env.emit(
            "notice-changed",
            crate::json::Out::new().set("notices", list).into_value(),
        );
    });

    view! {
        <LiveList notices urgent=true />
        <LiveList notices urgent=false />
    }
}

/// One live region with the notices of one urgency: major and critical incidents are
/// announced assertively, everything else politely.
///
/// A plain list rather than a keyed `<For>` (smaller wasm): updating it in place rewrites only
/// the text that changed, so screen readers announce the change and not the whole list again.
#[component]
fn LiveList(
    /// All notices shown.
    notices: RwSignal<Vec<Notice>>,
    /// Which of them this region holds.
    urgent: bool,
) -> impl IntoView {
    let live = if urgent { "assertive" } else { "polite" };
    view! {
        <div class="as-notices" aria-live=live aria-atomic="false">
            {move || {
                notices
                    .get()
                    .into_iter()
                    .filter(|n| (n.kind == NoticeKind::Incident && n.impact >= Impact::Major) == urgent)
                    .map(|notice| view! { <NoticeCard notice /> })
                    .collect_view()
            }}
        </div>
    }
}

/// The notices shown, and whether their first full list is in.
#[derive(Clone, Copy)]
struct Shown {
    notices: RwSignal<Vec<Notice>>,
    known: RwSignal<bool>,
}

impl Shown {
    /// A full list (snapshot or poll) replaces what is shown; the notices are known from
    /// then on (only a change notifies).
    fn replace(&self, list: Vec<Notice>) {
        self.notices.set(list);
        // `try_`: a poll may answer after the widget was removed.
        if self.known.try_get_untracked() == Some(false) {
            self.known.set(true);
        }
    }
}

/// The open stream and, while streams fail, the polling timer.
#[derive(Clone, Copy)]
struct Link {
    source: StoredValue<Option<web_sys::EventSource>, LocalStorage>,
    polling: StoredValue<Option<IntervalHandle>, LocalStorage>,
}

impl Link {
    fn stop(&self) {
        if let Some(es) = self.source.get_value() {
            es.close();
        }
        self.stop_polling();
    }

    fn stop_polling(&self) {
        if let Some(timer) = self.polling.get_value() {
            timer.clear();
            self.polling.set_value(None);
        }
    }

    /// Polls the list until a stream is open again; never runs two pollers.
    fn poll(&self, list_url: String, shown: Shown) {
        if self.polling.with_value(Option::is_some) {
            return;
        }
        let fetch = move || {
            let url = list_url.clone();
            leptos::task::spawn_local(async move {
                if let Some(list) = fetch_json::<NoticeList>(&url).await {
                    shown.replace(list.notices);
                }
            });
        };
        fetch();
        self.polling
            .set_value(set_interval_with_handle(fetch, POLL).ok());
    }
}

/// Opens the stream; on a permanent failure polls and retries after `backoff`.
fn connect(stream_url: String, list_url: String, shown: Shown, link: Link, backoff: Duration) {
    // A retry scheduled before the widget was removed finds its state gone: stay closed.
    if link.source.try_with_value(|_| ()).is_none() {
        return;
    }
    let Ok(es) = web_sys::EventSource::new(&stream_url) else {
        link.poll(list_url, shown);
        return;
    };
    let on = |name: &str, handler: Box<dyn Fn(String)>| {
        let closure =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(data) = ev.data().as_string() {
                    handler(data);
                }
            });
        let _ = es.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        // The listener lives as long as the EventSource, which is closed, not dropped.
        closure.forget();
    };
    let snapshot_seen = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = snapshot_seen.clone();
    on(
        "snapshot",
        Box::new(move |data| {
            if let Some(list) = json::Obj::parse(&data).and_then(|o| NoticeList::decode(&o)) {
                seen.set(true);
                // The stream works (again): polling is no longer needed.
                link.stop_polling();
                shown.replace(list.notices);
            }
        }),
    );
    on(
        "notice",
        Box::new(move |data| {
            if let Some(notice) = json::Obj::parse(&data).and_then(|o| Notice::decode(&o)) {
                shown.notices.update(|list| upsert(list, notice));
            }
        }),
    );
    on(
        "remove",
        Box::new(move |data| {
            if let Some(gone) = json::Obj::parse(&data).and_then(|o| Removed::decode(&o)) {
                shown
                    .notices
                    .update(|list| list.retain(|n| n.id != gone.id));
            }
        }),
    );

    // Given up on this stream (closed for good, or stalled): poll until a later attempt, after
    // `backoff`, brings a stream that works. One handler for the stream's errors and, with no
    // event, for the stall check `SNAPSHOT_WAIT` after opening (one closure: less wasm).
    let es_for_error = es.clone();
    let on_error = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let closed = es_for_error.ready_state() == web_sys::EventSource::CLOSED;
        // An error while CONNECTING means the browser retries by itself; CLOSED means it gave
        // up. A stream that is open but silent never errors: without its snapshot by the
        // check, it is closed here. Closed by then means it failed (handled above), was
        // replaced, or the widget was removed.
        let stalled = event.is_undefined() && !closed && !snapshot_seen.get();
        if stalled {
            es_for_error.close();
        }
        if stalled || (closed && !event.is_undefined()) {
            link.poll(list_url.clone(), shown);
            let (stream_url, list_url) = (stream_url.clone(), list_url.clone());
            let next = (backoff * 2).min(MAX_BACKOFF);
            set_timeout(
                move || connect(stream_url, list_url, shown, link, next),
                backoff,
            );
        }
    });
    let handler = on_error.as_ref().unchecked_ref();
    es.set_onerror(Some(handler));
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            handler,
            SNAPSHOT_WAIT.as_millis() as i32,
        );
    }
    on_error.forget();
    link.source.set_value(Some(es));
}

fn upsert(list: &mut Vec<Notice>, notice: Notice) {
    list.retain(|n| n.id != notice.id);
    if !notice.is_over() {
        list.push(notice);
    }
}

/// One notice: what happened, what still works, whether answers are kept, what to do instead.
#[component]
fn NoticeCard(
    /// The notice.
    notice: Notice,
) -> impl IntoView {
    let t = crate::Env::get().t;
    let kind = match notice.kind {
        NoticeKind::Incident => t.notice_incident,
        NoticeKind::Maintenance => t.notice_maintenance,
        NoticeKind::Info => t.notice_info,
    };
    let state = match notice.state {
        NoticeState::Investigating => t.state_investigating,
        NoticeState::Identified => t.state_identified,
        NoticeState::Monitoring => t.state_monitoring,
        NoticeState::Scheduled => t.state_scheduled,
        NoticeState::InProgress => t.state_in_progress,
        NoticeState::Resolved | NoticeState::Completed => t.state_done,
        NoticeState::Active => "",
    };
    let impact = match notice.impact {
        Impact::Critical => t.impact_critical,
        Impact::Major => t.impact_major,
        Impact::Minor => t.impact_minor,
        Impact::None => "",
    };
    let window = match (
        notice.starts_at.as_deref().and_then(split),
        notice.ends_at.as_deref().and_then(split),
    ) {
        (Some((d1, t1)), Some((d2, t2))) => {
            let today = notice.updated_at.get(..10).unwrap_or_default();
            let (from, _) = day_phrase(d1, today, t);
            Some(capitalise(&if d1 == d2 {
                fill(t.notice_window_same_day, &[&from, t1, t2])
            } else {
                fill(
                    t.notice_window,
                    &[&from, t1, &day_phrase(d2, today, t).0, t2],
                )
            }))
        }
        _ => None,
    };
    let label = if state.is_empty() {
        kind.to_string()
    } else {
        fill(t.notice_label, &[kind, state, impact])
    };
    let class = match notice.impact {
        Impact::Critical | Impact::Major => "as-notice as-severe",
        _ => "as-notice",
    };
    let content = notice.content;
    let answers = match content.answers_kept {
        AnswersKept::Yes => t.answers_kept_yes,
        AnswersKept::No => t.answers_kept_no,
        AnswersKept::Unknown => t.answers_kept_unknown,
    };
    view! {
        <div class=class lang=notice.lang>
            <p class="as-notice-label"><span aria-hidden="true">"⚠ "</span>{label}</p>
            <h3 class="as-notice-title">{content.title}</h3>
            {window.map(|w| view! { <p class="as-notice-window">{w}</p> })}
            {(!content.body.is_empty()).then(|| view! { <p>{content.body}</p> })}
            {content.still_works.map(|s| view! { <p><strong>{t.still_works}</strong>{s}</p> })}
            <p>{answers}</p>
            {content.alternative.map(|alt| view! {
                <p>
                    <strong>{t.instead}</strong>{alt}
                    {content.alternative_url.map(|url| view! { " " <a class="as-link" href=url>{t.more}</a> })}
                </p>
            })}
        </div>
    }
}
