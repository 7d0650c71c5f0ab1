//! The notice hub: every notice in memory, persisted before it is announced, and a broadcast
//! channel carrying each change to the open streams.
//!
//! Ordering: writers are serialised; each change is committed to the database first (its
//! change-log row id becomes the event id), then applied in memory and broadcast while the
//! state lock is held. A subscriber takes its snapshot and its receiver under the same lock,
//! so it sees every later event exactly once.

use super::model::{LANGUAGES, NoticeError, NoticeInput, NoticePatch, StoredNotice};
use crate::db::{Db, DbError};
use jiff::Timestamp;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Arc, OnceLock, RwLock};
use tokio::sync::{Mutex, broadcast};
use wire::NoticeState;

/// Events kept in memory for clients that resume with `Last-Event-ID`.
pub const REPLAY_WINDOW: usize = 4096;

/// Bytes of the notices kept in the replay window: a window of large notices holds fewer.
pub const REPLAY_WINDOW_BYTES: usize = 16 * 1024 * 1024;

/// Distinct notices a resuming client may be sent; one that missed changes to more gets a
/// fresh snapshot instead (bounded by what its audience sees).
pub const REPLAY_MAX_NOTICES: usize = 100;

/// One change: the notice as it is after the change.
#[derive(Debug)]
pub struct NoticeEvent {
    /// Monotonic event id (the change-log row id).
    pub id: u64,
    /// The notice after the change.
    pub notice: Arc<StoredNotice>,
    /// The public JSON per language (`LANGUAGES` order), made once and shared by every stream.
    public: [OnceLock<Arc<str>>; 3],
    /// Bytes of the stored notice, for the replay window's bound.
    size: usize,
}

impl NoticeEvent {
    /// The event for `notice` after the change with id `id`.
    pub fn new(id: u64, notice: Arc<StoredNotice>) -> Self {
        Self {
            id,
            size: notice.stored_len(),
            notice,
            public: Default::default(),
        }
    }

    /// The notice as the public sees it in `lang`, as JSON: serialised on first use, then
    /// shared by every stream that sends it.
    pub fn public_json(&self, lang: &str) -> Arc<str> {
        let slot = LANGUAGES.iter().position(|l| *l == lang).unwrap_or(0);
        self.public[slot]
            .get_or_init(|| {
                serde_json::to_string(&self.notice.public(LANGUAGES[slot]))
                    .expect("wire types always serialise")
                    .into()
            })
            .clone()
    }
}

/// What a new stream starts with.
#[derive(Debug)]
pub enum Start {
    /// The full current state (fresh connection, or resume point too old).
    Snapshot {
        /// Id of the newest event included.
        last_id: u64,
        /// All notices.
        notices: Vec<Arc<StoredNotice>>,
    },
    /// The latest event of each notice changed after the client's `Last-Event-ID`, in event
    /// order (at most [`REPLAY_MAX_NOTICES`]).
    Replay(Vec<Arc<NoticeEvent>>),
}

/// Failures of hub operations.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// No notice has this id.
    #[error("no notice with id `{0}`")]
    NotFound(String),
    /// The notice breaks a rule.
    #[error(transparent)]
    Invalid(#[from] NoticeError),
    /// The database failed; nothing changed.
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(Debug, Default)]
struct State {
    notices: BTreeMap<String, Arc<StoredNotice>>,
    recent: VecDeque<Arc<NoticeEvent>>,
    /// Stored bytes of the notices in `recent`.
    recent_bytes: usize,
    last_id: u64,
}

impl State {
    /// Drops the oldest events until the replay window holds at most `window` of them and
    /// [`REPLAY_WINDOW_BYTES`] (always keeping the newest).
    fn evict(&mut self, window: usize) {
        while self.recent.len() > window
            || (self.recent_bytes > REPLAY_WINDOW_BYTES && self.recent.len() > 1)
        {
            if let Some(old) = self.recent.pop_front() {
                self.recent_bytes -= old.size;
            }
        }
    }
}

/// Shared by all handlers through `AppState`.
#[derive(Debug)]
pub struct NoticeHub {
    db: Db,
    state: RwLock<State>,
    writer: Mutex<()>,
    tx: broadcast::Sender<Arc<NoticeEvent>>,
    /// Events kept for resuming clients ([`REPLAY_WINDOW`]; smaller in tests).
    window: usize,
}

impl NoticeHub {
    /// Loads every notice and the recent change log from the database.
    pub async fn load(db: Db) -> Result<Self, DbError> {
        Self::load_with_window(db, REPLAY_WINDOW).await
    }

    /// [`NoticeHub::load`] keeping `window` events for resuming clients.
    pub async fn load_with_window(db: Db, window: usize) -> Result<Self, DbError> {
        let window = window.max(1);
        let notices = db.notices().await?;
        let events = db
            .recent_notice_events(u32::try_from(window).unwrap_or(u32::MAX))
            .await?;
        let mut state = State {
            notices: notices
                .into_iter()
                .map(|n| (n.id.clone(), Arc::new(n)))
                .collect(),
            ..State::default()
        };
        for (id, notice) in events {
            state.last_id = id;
            let event = Arc::new(NoticeEvent::new(id, Arc::new(notice)));
            state.recent_bytes += event.size;
            state.recent.push_back(event);
        }
        state.evict(window);
        let (tx, _) = broadcast::channel(window);
        Ok(Self {
            db,
            state: RwLock::new(state),
            writer: Mutex::new(()),
            tx,
            window,
        })
    }

    /// Runs a change in a task of its own and waits for it: a caller that is cancelled (the
    /// client went away, the request timed out) cannot stop a change between its commit and
    /// its announcement, which would leave memory and streams behind the database.
    pub async fn detached<T, Fut>(self: &Arc<Self>, change: impl FnOnce(Arc<Self>) -> Fut) -> T
    where
        Fut: std::future::Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        match tokio::spawn(change(self.clone())).await {
            Ok(result) => result,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }

    /// Every notice, as of now.
    pub fn all(&self) -> Vec<Arc<StoredNotice>> {
        self.read().notices.values().cloned().collect()
    }

    /// One notice.
    pub fn get(&self, id: &str) -> Option<Arc<StoredNotice>> {
        self.read().notices.get(id).cloned()
    }

    /// Id of the newest event.
    pub fn last_event_id(&self) -> u64 {
        self.read().last_id
    }

    /// A receiver for every event after the returned start.
    pub fn subscribe(
        &self,
        last_event_id: Option<u64>,
    ) -> (Start, broadcast::Receiver<Arc<NoticeEvent>>) {
        self.subscribe_within(last_event_id, |_| true)
    }

    /// Like [`NoticeHub::subscribe`], but a replay that `fits` refuses (too many bytes for
    /// this client) becomes a snapshot. Decided under the state lock, so the receiver still
    /// starts exactly after what the start contains.
    pub fn subscribe_within(
        &self,
        last_event_id: Option<u64>,
        fits: impl FnOnce(&[Arc<NoticeEvent>]) -> bool,
    ) -> (Start, broadcast::Receiver<Arc<NoticeEvent>>) {
        let state = self.read();
        let rx = self.tx.subscribe();
        let replay = match last_event_id {
            Some(seen) if seen == state.last_id => Some(Vec::new()),
            Some(seen)
                if seen < state.last_id
                    && state.recent.front().is_some_and(|e| e.id <= seen + 1) =>
            {
                latest_per_notice(&state.recent, seen, REPLAY_MAX_NOTICES)
            }
            _ => None,
        };
        let start = match replay {
            Some(events) if fits(&events) => Start::Replay(events),
            _ => Start::Snapshot {
                last_id: state.last_id,
                notices: state.notices.values().cloned().collect(),
            },
        };
        (start, rx)
    }

    /// Raises a new notice.
    pub async fn create(
        &self,
        input: NoticeInput,
        source: String,
        now: Timestamp,
    ) -> Result<Arc<StoredNotice>, HubError> {
        let notice = StoredNotice::create(new_id(), input, source, now)?;
        self.commit(notice).await
    }

    /// Changes a notice; `allowed` may veto the result (token scopes).
    pub async fn update(
        &self,
        id: &str,
        patch: NoticePatch,
        now: Timestamp,
        allowed: impl FnOnce(&StoredNotice, &StoredNotice) -> Result<(), HubError>,
    ) -> Result<Arc<StoredNotice>, HubError> {
        self.update_visible(id, patch, now, |_| true, allowed).await
    }

    /// Changes a notice for a caller who sees only the notices `visible` admits (a token's
    /// scope): any other is `NotFound`, exactly like a missing id, and is decided before the
    /// patch is checked, so not even a broken patch tells the two apart. `allowed` may veto the
    /// result.
    pub async fn update_visible(
        &self,
        id: &str,
        patch: NoticePatch,
        now: Timestamp,
        visible: impl FnOnce(&StoredNotice) -> bool,
        allowed: impl FnOnce(&StoredNotice, &StoredNotice) -> Result<(), HubError>,
    ) -> Result<Arc<StoredNotice>, HubError> {
        let _writer = self.writer.lock().await;
        let current = self
            .get(id)
            .filter(|n| visible(n))
            .ok_or_else(|| HubError::NotFound(id.to_string()))?;
        let next = current.patched(patch, now)?;
        allowed(&current, &next)?;
        self.commit_locked(next).await
    }

    /// Raises a notice for `source` or, if one is still open, updates it — used by monitoring,
    /// which must not raise the same disruption twice. The caller's open notices are those
    /// from `source` or from one of the `older` source keys it used before, and that `allowed`
    /// admits (a token's scope); any other notice is treated as if it did not exist. Checking
    /// and creating happen under the writer lock, so concurrent calls raise one notice. A
    /// repeat that would change nothing is not committed, so open streams are not told again.
    pub async fn raise_from(
        &self,
        source: &str,
        older: &[&str],
        input: NoticeInput,
        now: Timestamp,
        allowed: impl Fn(&StoredNotice) -> bool,
    ) -> Result<Arc<StoredNotice>, HubError> {
        let _writer = self.writer.lock().await;
        let mine = |n: &StoredNotice| {
            (n.source == source || older.contains(&n.source.as_str())) && allowed(n)
        };
        let Some(existing) = self.open_where(mine).into_iter().next_back() else {
            let notice = StoredNotice::create(new_id(), input, source.to_string(), now)?;
            return self.commit_locked(notice).await;
        };
        let unchanged = existing.impact == input.impact
            && input.message.is_empty()
            && input
                .content
                .iter()
                .all(|(lang, content)| existing.content.get(lang) == Some(content));
        if unchanged {
            return Ok(existing);
        }
        let patch = NoticePatch {
            impact: Some(input.impact),
            content: input.content,
            message: input.message,
            ..NoticePatch::default()
        };
        let next = existing.patched(patch, now)?;
        // The change must stay the caller's, as PATCH demands of a token's scope.
        if !mine(&next) {
            return Err(HubError::NotFound(String::new()));
        }
        self.commit_locked(next).await
    }

    /// Resolves (maintenance: completes) every open notice from `source` or the `older` keys
    /// that `allowed` admits, under the writer lock; returns them in the order raised. Closing
    /// all of them, not just the newest, matters: a duplicate left open would keep its banner
    /// up for good.
    pub async fn resolve_from(
        &self,
        source: &str,
        older: &[&str],
        message: BTreeMap<String, String>,
        now: Timestamp,
        allowed: impl Fn(&StoredNotice) -> bool,
    ) -> Result<Vec<Arc<StoredNotice>>, HubError> {
        let _writer = self.writer.lock().await;
        let mine = |n: &StoredNotice| {
            (n.source == source || older.contains(&n.source.as_str())) && allowed(n)
        };
        let mut resolved = Vec::new();
        for open in self.open_where(mine) {
            let state = match open.kind {
                wire::NoticeKind::Maintenance => NoticeState::Completed,
                _ => NoticeState::Resolved,
            };
            let patch = NoticePatch {
                state: Some(state),
                message: message.clone(),
                ..NoticePatch::default()
            };
            let next = open.patched(patch, now)?;
            if mine(&next) {
                resolved.push(self.commit_locked(next).await?);
            }
        }
        Ok(resolved)
    }

    /// The newest notice from `source` that is not over.
    pub fn open_from(&self, source: &str) -> Option<Arc<StoredNotice>> {
        self.open_where(|n| n.source == source)
            .into_iter()
            .next_back()
    }

    /// The notices that are not over and satisfy `wanted`, oldest first.
    fn open_where(&self, wanted: impl Fn(&StoredNotice) -> bool) -> Vec<Arc<StoredNotice>> {
        let mut open: Vec<Arc<StoredNotice>> = self
            .read()
            .notices
            .values()
            .filter(|n| {
                !matches!(n.state, NoticeState::Resolved | NoticeState::Completed) && wanted(n)
            })
            .cloned()
            .collect();
        open.sort_by_key(|n| n.created_at);
        open
    }

    /// Moves maintenance notices whose window started or ended by `now`; announces maintenance
    /// that has just come within two weeks. Called every second by the server, and with
    /// chosen instants by tests.
    pub async fn tick(&self, now: Timestamp, previous: Timestamp) -> Result<usize, HubError> {
        let due: Vec<(String, NoticeState)> = self
            .read()
            .notices
            .values()
            .filter_map(|n| n.due_transition(now).map(|s| (n.id.clone(), s)))
            .collect();
        let mut changed = 0;
        for (id, state) in due {
            let message = match state {
                NoticeState::InProgress => "Die Wartungsarbeiten haben begonnen.",
                _ => "Die Wartungsarbeiten sind abgeschlossen.",
            };
            let patch = NoticePatch {
                state: Some(state),
                message: [("de".to_string(), message.to_string())].into(),
                ..NoticePatch::default()
            };
            match self.update(&id, patch, now, |_, _| Ok(())).await {
                Ok(_) => changed += 1,
                // The database is down: every other notice would fail alike; try next tick.
                Err(HubError::Db(e)) => return Err(HubError::Db(e)),
                // One notice that cannot move must not hold up the others' windows.
                Err(e) => {
                    tracing::error!(notice = id.as_str(), error = %e, "maintenance notice cannot move on")
                }
            }
        }
        // Maintenance that became visible between the previous tick and now is re-announced
        // unchanged, so open streams learn about it.
        let entering: Vec<Arc<StoredNotice>> = self
            .read()
            .notices
            .values()
            .filter(|n| n.visible(now) && !n.visible(previous) && n.state == NoticeState::Scheduled)
            .cloned()
            .collect();
        for notice in entering {
            let _writer = self.writer.lock().await;
            self.commit_locked((*notice).clone()).await?;
            changed += 1;
        }
        Ok(changed)
    }

    async fn commit(&self, notice: StoredNotice) -> Result<Arc<StoredNotice>, HubError> {
        let _writer = self.writer.lock().await;
        self.commit_locked(notice).await
    }

    /// Persists, applies and broadcasts; the caller holds the writer lock.
    async fn commit_locked(&self, notice: StoredNotice) -> Result<Arc<StoredNotice>, HubError> {
        let id = self.db.save_notice(&notice).await?;
        let notice = Arc::new(notice);
        let event = Arc::new(NoticeEvent::new(id, notice.clone()));
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        state.notices.insert(notice.id.clone(), notice.clone());
        state.last_id = id;
        state.recent_bytes += event.size;
        state.recent.push_back(event.clone());
        state.evict(self.window);
        // No receivers is fine: nobody is listening right now.
        let _ = self.tx.send(event);
        Ok(notice)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        // A panic while holding the lock cannot leave `State` half-updated (all updates are
        // single inserts), so a poisoned lock is still safe to read.
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }
}

/// The newest event of each notice changed after `seen`, oldest first; `None` when more than
/// `max` notices changed.
fn latest_per_notice(
    recent: &VecDeque<Arc<NoticeEvent>>,
    seen: u64,
    max: usize,
) -> Option<Vec<Arc<NoticeEvent>>> {
    let mut ids = HashSet::new();
    let mut latest = Vec::new();
    for event in recent.iter().rev().take_while(|e| e.id > seen) {
        if ids.insert(event.notice.id.as_str()) {
            if latest.len() == max {
                return None;
            }
            latest.push(event.clone());
        }
    }
    latest.reverse();
    Some(latest)
}

fn new_id() -> String {
    format!("ntc-{}", crate::hex::random(8))
}
