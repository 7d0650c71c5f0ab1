//! All persistence. Only this module (and its backends) knows SQL.
//!
//! [`Db`] picks its backend from the database URL's scheme. Today that is SQLite; PostgreSQL
//! will be a second variant with the same methods.

mod sqlite;

use crate::dataset::Dataset;
use wire::{Channel, RegionLevel, SupportLevel, WeeklyHours};

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
    /// The data set handed to an import is invalid.
    #[error("invalid data set: {0}")]
    InvalidDataset(String),
}

/// Everything the resolver needs, read in one go.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// All regions.
    pub regions: Vec<StoredRegion>,
    /// All contacts.
    pub contacts: Vec<StoredContact>,
}

/// A region row.
#[derive(Debug, Clone)]
pub struct StoredRegion {
    /// 12-digit ARS.
    pub ars: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: RegionLevel,
    /// 115 membership, `None` = inherit.
    pub in_115: Option<bool>,
}

/// A contact row with its services.
#[derive(Debug, Clone)]
pub struct StoredContact {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Support level.
    pub level: SupportLevel,
    /// ARS of the assigned region.
    pub region_ars: String,
    /// Whether this is the 115.
    pub is_115: bool,
    /// LeiKa keys served; empty = all.
    pub services: Vec<String>,
    /// Channels.
    pub channels: Vec<Channel>,
    /// Weekly hours.
    pub hours: Vec<WeeklyHours>,
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

    /// Whether the database holds no regions yet.
    pub async fn is_empty(&self) -> Result<bool, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::is_empty(pool).await,
        }
    }

    /// Writes a validated data set in one transaction: all of it or nothing.
    pub async fn import(&self, data: &Dataset) -> Result<(), DbError> {
        if let Err(problems) = data.validate() {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(DbError::InvalidDataset(list.join("; ")));
        }
        match self {
            Db::Sqlite(pool) => sqlite::import(pool, data).await,
        }
    }

    /// Reads everything the resolver needs.
    pub async fn snapshot(&self) -> Result<Snapshot, DbError> {
        match self {
            Db::Sqlite(pool) => sqlite::snapshot(pool).await,
        }
    }
}

/// The snake_case name serde gives a unit enum variant (`SupportLevel::First` → `first`).
fn enum_name<T: serde::Serialize>(value: &T) -> String {
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
