//! All persistence. Only this module (and its backends) knows SQL.
//!
//! [`Db`] picks its backend from the database URL's scheme. Today that is SQLite; PostgreSQL
//! will be a second variant with the same methods. What is stored is exactly the exchange
//! format ([`Dataset`]): a snapshot of the database is an export.

pub mod messages;
mod outbox;
mod sqlite;

use crate::dataset::{Dataset, DatasetError, KnownKeys};
use crate::notices::model::StoredNotice;
use crate::notices::tokens::TokenRecord;

/// A handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    /// Embedded SQLite (default).
    Sqlite(sqlx::SqlitePool),
}

/// Database failures.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names a database this server cannot use.
    #[error("unsupported database URL `{0}` (expected sqlite:PATH)")]
    UnsupportedUrl(String),
    /// Connecting, querying or migrating failed.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Applying the schema failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored JSON column could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The data set handed to an import is invalid; nothing was written.
    #[error("{} problem(s) in the data; nothing was imported", .0.len())]
    InvalidDataset(Vec<DatasetError>),
}

impl Db {
    /// Opens (and for SQLite, creates) the database named by `url` and applies migrations.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Db::Sqlite(sqlite::connect(url).await?))
        } else {
            Err(DbError::UnsupportedUrl(url.to_string()))
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::ping(pool).await,
        }
    }

    /// Whether the database holds no contacts yet.
    pub async fn is_empty(&self) -> Result<bool, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::is_empty(pool).await,
        }
    }

    /// Validates `data` against itself and what is stored, then writes it in one transaction:
    /// all of it or nothing. Records are upserted by key; a contact is replaced whole.
    pub async fn import(&self, data: &Dataset) -> Result<(), DbError> {
        let stored = self.snapshot().await?;
        let known = KnownKeys {
            regions: stored
                .regions
                .iter()
                .filter_map(|r| r.ars.parse().ok())
                .collect(),
            services: stored
                .services
                .iter()
                .filter_map(|s| s.leika.parse().ok())
                .collect(),
        };
        data.validate(&known).map_err(DbError::InvalidDataset)?;
        match self {
            Db::Sqlite(pool) => sqlite::import(pool, data).await,
        }
    }

    /// Everything stored, sorted by key.
    pub async fn snapshot(&self) -> Result<Dataset, DbError> {
        let mut data = match self {
            Db::Sqlite(pool) => sqlite::snapshot(pool).await?,
        };
        data.normalise();
        Ok(data)
    }
}

impl Db {
    /// Stores `notice` (insert or replace) and appends it to the change log in one
    /// transaction; returns the new event id.
    pub async fn save_notice(&self, notice: &StoredNotice) -> Result<u64, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::save_notice(pool, notice).await,
        }
    }

    /// Every stored notice.
    pub async fn notices(&self) -> Result<Vec<StoredNotice>, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::notices(pool).await,
        }
    }

    /// The newest `limit` change-log entries, oldest first.
    pub async fn recent_notice_events(
        &self,
        limit: u32,
    ) -> Result<Vec<(u64, StoredNotice)>, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::recent_notice_events(pool, limit).await,
        }
    }

    /// Stores a new token; fails if the name is taken.
    pub async fn insert_token(&self, token: &TokenRecord) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::insert_token(pool, token).await,
        }
    }

    /// The token with this SHA-256 hash, if any.
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::token_by_hash(pool, hash).await,
        }
    }

    /// Every token, by name.
    pub async fn tokens(&self) -> Result<Vec<TokenRecord>, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::tokens(pool).await,
        }
    }

    /// Deletes the token called `name`; `false` if there is none.
    pub async fn revoke_token(&self, name: &str) -> Result<bool, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::revoke_token(pool, name).await,
        }
    }

    /// Sets the token's last-used time to `now` (whole seconds), unless it changed since
    /// `token` was read.
    pub async fn record_token_use(
        &self,
        token: &TokenRecord,
        now: jiff::Timestamp,
    ) -> Result<(), DbError> {
        // Whole seconds: the stored text then reads back to the same instant, which the
        // compare-and-set relies on.
        let now = now.round(jiff::Unit::Second).unwrap_or(now);
        match self {
            Db::Sqlite(pool) => sqlite::record_token_use(pool, token, now).await,
        }
    }
}

/// The snake_case name serde gives a unit enum variant (`SupportLevel::First` → `first`).
pub fn enum_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("unit enum variants serialise to strings, got {other:?}"),
    }
}

/// Reads a unit enum variant back from its stored name.
fn parse_enum<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, DbError> {
    serde_json::from_value(serde_json::Value::String(name.to_string()))
        .map_err(|e| DbError::Corrupt(format!("`{name}`: {e}")))
}
