//! Shared application state handed to every handler.

use crate::db::{Db, DbError};
use crate::listener::{Gate, Limits};
use crate::notices::NoticeHub;
use crate::resolve::Index;
use arc_swap::ArcSwap;
use std::sync::Arc;

/// Where "now" comes from. Tests fix it; the server uses the system clock.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The system clock.
    System,
    /// A fixed instant.
    Fixed(jiff::Timestamp),
}

impl Clock {
    /// The current instant.
    pub fn now(&self) -> jiff::Timestamp {
        match self {
            Clock::System => jiff::Timestamp::now(),
            Clock::Fixed(t) => *t,
        }
    }
}

/// Cheap to clone: a database handle, the current resolve index and the clock.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Source of the current time.
    pub clock: Clock,
    /// Live notices.
    pub notices: Arc<NoticeHub>,
    /// Contact-form settings (rate limits, token secret, delivery options).
    pub messages: Arc<crate::messages::Intake>,
    /// Wakes the outbox worker when a message has been committed.
    pub outbox: Arc<tokio::sync::Notify>,
    /// Origins whose pages may call the API (CORS); empty = any.
    pub allowed_origins: Arc<Vec<String>>,
    /// The address portals reach this server at (`--public-url`); `None` = from each request.
    pub public_url: Option<Arc<crate::assets::PublicUrl>>,
    /// Connection and stream caps, timeouts.
    pub limits: Arc<Limits>,
    /// Open notice streams, in total and per client (`limits.max_streams*`).
    pub streams: Arc<Gate>,
    index: Arc<ArcSwap<Index>>,
}

impl AppState {
    /// Loads the resolve index from the database.
    pub async fn load(db: Db) -> Result<Self, DbError> {
        let index = Index::build(db.snapshot().await?);
        let notices = Arc::new(NoticeHub::load(db.clone()).await?);
        Ok(Self {
            db,
            clock: Clock::System,
            notices,
            messages: Arc::new(crate::messages::Intake::new(
                crate::cli::MessageArgs::default(),
            )),
            outbox: Arc::new(tokio::sync::Notify::new()),
            allowed_origins: Arc::new(Vec::new()),
            public_url: None,
            limits: Arc::new(Limits::default()),
            streams: Gate::new(
                Limits::default().max_streams,
                Limits::default().max_streams_per_client,
            ),
            index: Arc::new(ArcSwap::from_pointee(index)),
        })
    }

    /// The same state with other connection and stream caps.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.streams = Gate::new(limits.max_streams, limits.max_streams_per_client);
        self.limits = Arc::new(limits);
        self
    }

    /// The same state with other contact-form settings.
    pub fn with_messages(mut self, args: crate::cli::MessageArgs) -> Self {
        self.messages = Arc::new(crate::messages::Intake::new(args));
        self
    }

    /// The same state with CORS limited to `origins` (empty = any).
    pub fn with_allowed_origins(mut self, origins: Vec<String>) -> Self {
        self.allowed_origins = Arc::new(origins);
        self
    }

    /// The same state with a fixed public address (`None` = from each request).
    pub fn with_public_url(mut self, url: Option<crate::assets::PublicUrl>) -> Self {
        self.public_url = url.map(Arc::new);
        self
    }

    /// The same state with a different clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Where portals and people reach this server: `--public-url`, else the request's `Host`
    /// (with `https` only when a trusted proxy says so). The one rule for every absolute link
    /// the server writes (manifest, feeds, summary, the form's privacy notice).
    pub fn public_url(
        &self,
        headers: &axum::http::HeaderMap,
        uri: &axum::http::Uri,
    ) -> Result<crate::assets::PublicUrl, crate::Error> {
        match &self.public_url {
            Some(configured) => Ok(crate::assets::PublicUrl::clone(configured)),
            None => crate::assets::PublicUrl::from_request(
                headers,
                uri,
                self.messages.config.trust_forwarded_for,
            ),
        }
    }

    /// Service names by LeiKa key, for display (status page).
    pub fn service_names(&self) -> Vec<(String, String)> {
        self.index().service_names()
    }

    /// The index as of now. Requests hold on to it for their whole duration, so a concurrent
    /// rebuild never changes data under a running request.
    pub fn index(&self) -> Arc<Index> {
        self.index.load_full()
    }

    /// Rebuilds the index from the database and swaps it in atomically.
    pub async fn reload(&self) -> Result<(), DbError> {
        let index = Index::build(self.db.snapshot().await?);
        self.index.store(Arc::new(index));
        Ok(())
    }
}
