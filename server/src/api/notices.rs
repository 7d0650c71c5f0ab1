//! Notices: the public list and live stream, and the operator endpoints to raise and change
//! notices (bearer token, scoped).

use crate::api::auth::operator;
use crate::api::help::json_with_etag;
use crate::notices::hub::{NoticeEvent, NoticeHub, Start};
use crate::notices::model::{LANGUAGES, NoticeInput, NoticePatch, StoredNotice};
use crate::state::Clock;
use crate::{AppState, Error};
use axum::Extension;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};

/// Who is asking: the citizen's service, region and language.
#[derive(Debug, Deserialize)]
pub struct NoticeQuery {
    leika: Option<String>,
    ars: Option<String>,
    lang: Option<String>,
}

/// A validated [`NoticeQuery`].
#[derive(Debug, Clone)]
pub struct Audience {
    /// LeiKa key, if the page is about one service.
    pub leika: Option<String>,
    /// ARS, if the region is known.
    pub ars: Option<String>,
    /// Language for the texts.
    pub lang: String,
}

impl Audience {
    /// Parses and checks the query.
    pub fn parse(query: Result<Query<NoticeQuery>, QueryRejection>) -> Result<Self, Error> {
        let Query(q) = query.map_err(|e| Error::BadQuery(e.body_text()))?;
        let (leika, ars) = crate::api::scope_keys(q.leika, q.ars)?;
        let lang = q.lang.unwrap_or_else(|| "de".into());
        if !LANGUAGES.contains(&lang.as_str()) {
            return Err(Error::InvalidLang(lang.chars().take(20).collect()));
        }
        Ok(Self { leika, ars, lang })
    }

    /// Whether this audience sees `notice` at `now`.
    pub fn sees(&self, notice: &StoredNotice, now: jiff::Timestamp) -> bool {
        notice.visible(now) && notice.matches(self.leika.as_deref(), self.ars.as_deref())
    }
}

/// Visible notices for `audience`, most urgent first: incidents by impact, then maintenance by
/// start, then information.
pub fn visible_notices(
    hub: &NoticeHub,
    audience: &Audience,
    now: jiff::Timestamp,
) -> Vec<wire::Notice> {
    let mut notices: Vec<Arc<StoredNotice>> = hub
        .all()
        .into_iter()
        .filter(|n| audience.sees(n, now))
        .collect();
    notices.sort_by_key(|n| {
        let kind = match n.kind {
            wire::NoticeKind::Incident => 0,
            wire::NoticeKind::Maintenance => 1,
            wire::NoticeKind::Info => 2,
        };
        (kind, std::cmp::Reverse(n.impact), n.starts_at, n.created_at)
    });
    notices.iter().map(|n| n.public(&audience.lang)).collect()
}

/// `GET /api/v1/notices`: what a form should show now; served from memory, with ETag.
pub async fn list_notices(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<NoticeQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let audience = Audience::parse(query)?;
    let list = wire::NoticeList {
        notices: visible_notices(&state.notices, &audience, state.clock.now()),
    };
    let body = serde_json::to_vec(&list).expect("wire types always serialise");
    // Pollers (where streams are blocked) revalidate cheaply with If-None-Match.
    Ok(json_with_etag(&headers, body, 0))
}

/// Bytes a replay may carry to one client; past it, a fresh snapshot (bounded by what the
/// client's audience sees) is cheaper and just as correct.
pub const REPLAY_MAX_BYTES: usize = 256 * 1024;

/// `GET /api/v1/notices/stream`: Server-Sent Events. A `snapshot` on connect (or, when
/// `Last-Event-ID` is still in the replay window, the latest state of each notice changed
/// since), then `notice` for every change this audience sees and `remove` when a notice it saw
/// ends or leaves its scope. Capped in total and per client: past a cap, `503` with
/// `Retry-After`, and the widget polls `GET /api/v1/notices` instead.
pub async fn stream_notices(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    query: Result<Query<NoticeQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let audience = Audience::parse(query)?;
    let peer = connect.map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |c| {
        c.0.0.ip()
    });
    let client = state.messages.client(&headers, peer);
    let slot = state.streams.try_enter(client).map_err(|refused| {
        tracing::debug!(?refused, "notice stream refused: cap reached");
        Error::TooManyStreams
    })?;
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let now = state.clock.now();
    let (start, rx) = state.notices.subscribe_within(last, |events| {
        replay_bytes(events, &audience, now) <= REPLAY_MAX_BYTES
    });
    let mut conn = Connection {
        hub: state.notices.clone(),
        clock: state.clock,
        audience,
        rx,
        pending: VecDeque::new(),
        shown: HashSet::new(),
        shown_known: true,
        _slot: slot,
    };
    conn.start(start);

    let stream = events(conn);
    let sse = Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(state.limits.heartbeat())
            .text("ping"),
    );
    let mut response = sse.into_response();
    // Reverse proxies (nginx) must pass events through at once.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// What a replay of `events` would send to `audience`, in bytes (about; a `remove` is short).
fn replay_bytes(events: &[Arc<NoticeEvent>], audience: &Audience, now: jiff::Timestamp) -> usize {
    events
        .iter()
        .map(|e| {
            if audience.sees(&e.notice, now) {
                e.public_json(&audience.lang).len() + 40
            } else {
                80
            }
        })
        .sum()
}

/// An event waiting to be sent. It holds shared data only; the text is made when the client
/// is ready for it, so a client that does not read holds no copies.
enum Pending {
    /// The notices this audience sees, and the id of the newest event they include.
    Snapshot(u64, Vec<Arc<StoredNotice>>),
    /// A notice this audience sees, as changed.
    Notice(Arc<NoticeEvent>),
    /// A notice this audience no longer sees (or, after a resume, may have seen).
    Remove(Arc<NoticeEvent>),
}

/// One open stream.
struct Connection {
    hub: Arc<NoticeHub>,
    clock: Clock,
    audience: Audience,
    rx: broadcast::Receiver<Arc<NoticeEvent>>,
    pending: VecDeque<Pending>,
    /// Notices this client currently shows.
    shown: HashSet<String>,
    /// False after a resume: we do not know what the client shows, so every change that is not
    /// for it is sent as a `remove` (the client ignores unknown ids).
    shown_known: bool,
    /// This stream's place under the stream caps, given back when the stream ends.
    _slot: crate::listener::Slot,
}

impl Connection {
    fn start(&mut self, start: Start) {
        match start {
            Start::Snapshot { last_id, notices } => {
                let now = self.clock.now();
                let mut visible: Vec<Arc<StoredNotice>> = notices
                    .into_iter()
                    .filter(|n| self.audience.sees(n, now))
                    .collect();
                visible.sort_by_key(|n| n.created_at);
                self.shown = visible.iter().map(|n| n.id.clone()).collect();
                self.shown_known = true;
                self.pending.clear();
                self.pending.push_back(Pending::Snapshot(last_id, visible));
            }
            Start::Replay(events) => {
                self.shown_known = false;
                for event in events {
                    self.on_event(event);
                }
            }
        }
    }

    fn on_event(&mut self, event: Arc<NoticeEvent>) {
        if self.audience.sees(&event.notice, self.clock.now()) {
            self.shown.insert(event.notice.id.clone());
            self.pending.push_back(Pending::Notice(event));
        } else if self.shown.remove(&event.notice.id)
            || (!self.shown_known && self.may_show(&event.notice))
        {
            self.pending.push_back(Pending::Remove(event));
        }
    }

    /// After a resume: whether the client may show `notice` from before. Only a published
    /// notice for this audience's service and region can have been shown; a draft or another
    /// region's notice is never mentioned (not even its id).
    fn may_show(&self, notice: &StoredNotice) -> bool {
        notice.published
            && notice.matches(self.audience.leika.as_deref(), self.audience.ars.as_deref())
    }

    /// The text of a pending event, made now.
    fn render(&self, pending: Pending) -> Event {
        match pending {
            Pending::Snapshot(last_id, notices) => {
                let list = wire::NoticeList {
                    notices: notices
                        .iter()
                        .map(|n| n.public(&self.audience.lang))
                        .collect(),
                };
                Event::default()
                    .event("snapshot")
                    .id(last_id.to_string())
                    .retry(Duration::from_secs(3))
                    .data(serde_json::to_string(&list).expect("wire types always serialise"))
            }
            Pending::Notice(event) => Event::default()
                .event("notice")
                .id(event.id.to_string())
                .data(&*event.public_json(&self.audience.lang)),
            Pending::Remove(event) => Event::default()
                .event("remove")
                .id(event.id.to_string())
                .data(serde_json::json!({ "id": event.notice.id }).to_string()),
        }
    }
}

fn events(conn: Connection) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(conn, |mut conn| async move {
        loop {
            if let Some(pending) = conn.pending.pop_front() {
                let event = conn.render(pending);
                return Some((Ok(event), conn));
            }
            match conn.rx.recv().await {
                Ok(event) => conn.on_event(event),
                // Too slow to keep up: start over from a fresh snapshot.
                Err(RecvError::Lagged(_)) => {
                    let (start, rx) = conn.hub.subscribe(None);
                    conn.rx = rx;
                    conn.start(start);
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

/// `POST /api/v1/notices`: raise a notice. Answers `201` with the stored notice (all
/// languages) once it is committed and announced.
pub async fn create_notice(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<NoticeInput>, JsonRejection>,
) -> Result<Response, Error> {
    let token = operator(&state, &headers).await?;
    let Json(input) = body.map_err(|e| Error::BadJson(e.body_text()))?;
    let now = state.clock.now();
    let draft = StoredNotice::create(String::new(), input.clone(), String::new(), now)?;
    if !token.covers(&draft) {
        return Err(Error::ForbiddenScope);
    }
    let source = format!("token:{}", token.name);
    let notice = state
        .notices
        .detached(move |hub| async move { hub.create(input, source, now).await })
        .await?;
    let location = format!("/api/v1/notices/{}", notice.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(notice.as_ref().clone()),
    )
        .into_response())
}

/// `PATCH /api/v1/notices/{id}`: change state, texts, scope or window. A notice outside the
/// token's scope is answered `404` like a missing one (nothing about it is revealed); moving a
/// notice of its own out of its scope is `403`.
pub async fn update_notice(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<NoticePatch>, JsonRejection>,
) -> Result<Json<StoredNotice>, Error> {
    let token = operator(&state, &headers).await?;
    let Json(patch) = body.map_err(|e| Error::BadJson(e.body_text()))?;
    let now = state.clock.now();
    let (result, denied) = state
        .notices
        .detached(move |hub| async move {
            let mut denied = false;
            let result = hub
                .update_visible(
                    &id,
                    patch,
                    now,
                    |before| token.covers(before),
                    |_, after| {
                        if token.covers(after) {
                            Ok(())
                        } else {
                            denied = true;
                            Err(crate::notices::hub::HubError::NotFound(String::new()))
                        }
                    },
                )
                .await;
            (result, denied)
        })
        .await;
    match result {
        Ok(notice) => Ok(Json(notice.as_ref().clone())),
        Err(_) if denied => Err(Error::ForbiddenScope),
        Err(e) => Err(e.into()),
    }
}
