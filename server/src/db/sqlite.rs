//! SQLite backend: a file next to the server, written with full fsync (WAL, synchronous=FULL),
//! because an acknowledged write must survive a crash.

use super::{DbError, parse_enum};
use crate::dataset::{ContactRecord, Dataset, PostcodeRecord, RegionRecord, ServiceRecord};
use crate::db::enum_name;
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

pub(super) async fn connect(url: &str) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}

pub(super) async fn ping(pool: &SqlitePool) -> Result<(), DbError> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}

pub(super) async fn is_empty(pool: &SqlitePool) -> Result<bool, DbError> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts")
        .fetch_one(pool)
        .await?;
    Ok(count == 0)
}

pub(super) async fn import(pool: &SqlitePool, data: &Dataset) -> Result<(), DbError> {
    let mut tx = pool.begin().await?;
    for r in &data.regions {
        sqlx::query(
            "INSERT INTO regions (ars, name, level, in_115) VALUES (?, ?, ?, ?)
             ON CONFLICT (ars) DO UPDATE SET name = excluded.name, level = excluded.level,
                                             in_115 = excluded.in_115",
        )
        .bind(&r.ars)
        .bind(&r.name)
        .bind(enum_name(&r.level))
        .bind(r.in_115)
        .execute(&mut *tx)
        .await?;
    }
    for s in &data.services {
        sqlx::query(
            "INSERT INTO services (leika, name) VALUES (?, ?)
             ON CONFLICT (leika) DO UPDATE SET name = excluded.name",
        )
        .bind(&s.leika)
        .bind(&s.name)
        .execute(&mut *tx)
        .await?;
    }
    for c in &data.contacts {
        sqlx::query("DELETE FROM contacts WHERE id = ?")
            .bind(&c.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO contacts (id, name, level, region_ars, is_115, channels, hours,
                                   exceptions, closes_on_holidays, address, languages, mailbox)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(enum_name(&c.level))
        .bind(&c.region)
        .bind(c.is_115)
        .bind(to_json(&c.channels))
        .bind(to_json(&c.hours))
        .bind(to_json(&c.exceptions))
        .bind(c.closes_on_holidays)
        .bind(c.address.as_ref().map(to_json))
        .bind(to_json(&c.languages))
        .bind(&c.mailbox)
        .execute(&mut *tx)
        .await?;
        for leika in &c.services {
            sqlx::query("INSERT INTO contact_services (contact_id, leika) VALUES (?, ?)")
                .bind(&c.id)
                .bind(leika)
                .execute(&mut *tx)
                .await?;
        }
    }
    for p in &data.postcodes {
        sqlx::query("INSERT OR IGNORE INTO postcodes (plz, ars) VALUES (?, ?)")
            .bind(&p.plz)
            .bind(&p.ars)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn snapshot(pool: &SqlitePool) -> Result<Dataset, DbError> {
    // One read transaction, so the snapshot is consistent even while an import runs.
    let mut tx = pool.begin().await?;
    let regions = sqlx::query("SELECT ars, name, level, in_115 FROM regions")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| {
            Ok(RegionRecord {
                ars: row.try_get("ars")?,
                name: row.try_get("name")?,
                level: parse_enum(row.try_get::<&str, _>("level")?)?,
                in_115: row.try_get("in_115")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;

    let services = sqlx::query("SELECT leika, name FROM services")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| {
            Ok(ServiceRecord {
                leika: row.try_get("leika")?,
                name: row.try_get("name")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;

    let mut served: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query("SELECT contact_id, leika FROM contact_services ORDER BY leika")
        .fetch_all(&mut *tx)
        .await?
    {
        served
            .entry(row.try_get("contact_id")?)
            .or_default()
            .push(row.try_get("leika")?);
    }

    let contacts = sqlx::query(
        "SELECT id, name, level, region_ars, is_115, channels, hours, exceptions,
                closes_on_holidays, address, languages, mailbox
         FROM contacts",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|row| {
        let id: String = row.try_get("id")?;
        let address: Option<&str> = row.try_get("address")?;
        Ok(ContactRecord {
            services: served.remove(&id).unwrap_or_default(),
            name: row.try_get("name")?,
            level: parse_enum(row.try_get::<&str, _>("level")?)?,
            region: row.try_get("region_ars")?,
            is_115: row.try_get("is_115")?,
            channels: from_json(row.try_get("channels")?, &id)?,
            hours: from_json(row.try_get("hours")?, &id)?,
            exceptions: from_json(row.try_get("exceptions")?, &id)?,
            closes_on_holidays: row.try_get("closes_on_holidays")?,
            address: address.map(|a| from_json(a, &id)).transpose()?,
            languages: from_json(row.try_get("languages")?, &id)?,
            mailbox: row.try_get("mailbox")?,
            id,
        })
    })
    .collect::<Result<Vec<_>, DbError>>()?;

    let postcodes = sqlx::query("SELECT plz, ars FROM postcodes")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| {
            Ok(PostcodeRecord {
                plz: row.try_get("plz")?,
                ars: row.try_get("ars")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    tx.commit().await?;

    Ok(Dataset {
        sample: false,
        regions,
        services,
        contacts,
        postcodes,
    })
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, id: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(format!("contact `{id}`: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("wire types always serialise")
}

pub(super) async fn save_notice(
    pool: &SqlitePool,
    notice: &crate::notices::model::StoredNotice,
) -> Result<u64, DbError> {
    let body = to_json(notice);
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO notices (id, body, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(&notice.id)
    .bind(&body)
    .bind(notice.updated_at.to_string())
    .execute(&mut *tx)
    .await?;
    let id = sqlx::query("INSERT INTO notice_events (notice_id, body) VALUES (?, ?)")
        .bind(&notice.id)
        .bind(&body)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
    // The change log only serves resuming streams, which the replay window bounds: older
    // entries are dropped, so it does not grow with every change ever made.
    sqlx::query("DELETE FROM notice_events WHERE id <= ?")
        .bind(id - CHANGE_LOG_KEEP)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    u64::try_from(id).map_err(|_| DbError::Corrupt(format!("negative event id {id}")))
}

/// Change-log entries kept: four times the replay window.
const CHANGE_LOG_KEEP: i64 = 4 * crate::notices::hub::REPLAY_WINDOW as i64;

pub(super) async fn notices(
    pool: &SqlitePool,
) -> Result<Vec<crate::notices::model::StoredNotice>, DbError> {
    sqlx::query("SELECT id, body FROM notices ORDER BY id")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            from_json(row.try_get("body")?, &id)
        })
        .collect()
}

pub(super) async fn recent_notice_events(
    pool: &SqlitePool,
    limit: u32,
) -> Result<Vec<(u64, crate::notices::model::StoredNotice)>, DbError> {
    let mut rows =
        sqlx::query("SELECT id, notice_id, body FROM notice_events ORDER BY id DESC LIMIT ?")
            .bind(limit)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let notice_id: String = row.try_get("notice_id")?;
                Ok((
                    id.max(0) as u64,
                    from_json(row.try_get("body")?, &notice_id)?,
                ))
            })
            .collect::<Result<Vec<_>, DbError>>()?;
    rows.reverse();
    Ok(rows)
}

pub(super) async fn insert_token(
    pool: &SqlitePool,
    token: &crate::notices::tokens::TokenRecord,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO api_tokens (name, hash, role, services, regions, created_at, expires_at,
                                 last_used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&token.name)
    .bind(&token.hash)
    .bind(token.role.as_str())
    .bind(to_json(&token.services))
    .bind(to_json(&token.regions))
    .bind(&token.created_at)
    .bind(token.expires_at.map(|t| t.to_string()))
    .bind(token.last_used_at.map(|t| t.to_string()))
    .execute(pool)
    .await?;
    Ok(())
}

const TOKEN_COLUMNS: &str =
    "name, hash, role, services, regions, created_at, expires_at, last_used_at";

pub(super) async fn token_by_hash(
    pool: &SqlitePool,
    hash: &str,
) -> Result<Option<crate::notices::tokens::TokenRecord>, DbError> {
    sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?"
    ))
    .bind(hash)
    .fetch_optional(pool)
    .await?
    .map(|row| token_from_row(&row))
    .transpose()
}

pub(super) async fn tokens(
    pool: &SqlitePool,
) -> Result<Vec<crate::notices::tokens::TokenRecord>, DbError> {
    sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY name"
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(token_from_row)
    .collect()
}

pub(super) async fn revoke_token(pool: &SqlitePool, name: &str) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE name = ?")
        .bind(name)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Compare-and-set on the last-used time read with the token: of concurrent requests in the
/// same minute only one writes.
pub(super) async fn record_token_use(
    pool: &SqlitePool,
    token: &crate::notices::tokens::TokenRecord,
    now: jiff::Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE hash = ? AND last_used_at IS ?")
        .bind(now.to_string())
        .bind(&token.hash)
        .bind(token.last_used_at.map(|t| t.to_string()))
        .execute(pool)
        .await?;
    Ok(())
}

fn token_from_row(
    row: &sqlx::sqlite::SqliteRow,
) -> Result<crate::notices::tokens::TokenRecord, DbError> {
    use crate::notices::tokens::Role;
    let name: String = row.try_get("name")?;
    let corrupt = |what: &str| DbError::Corrupt(format!("token `{name}`: {what}"));
    let instant = |column: &str| -> Result<Option<jiff::Timestamp>, DbError> {
        row.try_get::<Option<String>, _>(column)?
            .map(|text| text.parse().map_err(|_| corrupt(column)))
            .transpose()
    };
    let role: String = row.try_get("role")?;
    Ok(crate::notices::tokens::TokenRecord {
        role: Role::parse(&role).ok_or_else(|| corrupt("role"))?,
        services: from_json(row.try_get("services")?, &name)?,
        regions: from_json(row.try_get("regions")?, &name)?,
        hash: row.try_get("hash")?,
        created_at: row.try_get("created_at")?,
        expires_at: instant("expires_at")?,
        last_used_at: instant("last_used_at")?,
        name,
    })
}
