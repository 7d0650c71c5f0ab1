//! Delivery state of contact-form messages: the outbox worker's queue, retention and the admin
//! views. The intake writes messages (`db/messages.rs`); this module only moves them on.
//!
//! Times are stored as RFC 3339 text, but not always with the same number of fractional digits,
//! so text order is not time order: every comparison goes through `julianday()`.

use super::messages::NewMessage;
use super::{Db, DbError};
use crate::outbox::{ConfirmationStatus, MessageStatus, MessageSummary, OutgoingMessage, Requeue};
use jiff::Timestamp;
use sqlx::Row as _;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use std::collections::BTreeMap;

impl Db {
    /// Queued messages due at `now` (`next_attempt_at <= now`), oldest first, at most `limit`.
    pub async fn due_messages(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutgoingMessage>, DbError> {
        match self {
            Db::Sqlite(pool) => due_messages(pool, now, limit).await,
        }
    }

    /// When the earliest queued message is due, if any is queued.
    pub async fn next_due_at(&self) -> Result<Option<Timestamp>, DbError> {
        match self {
            Db::Sqlite(pool) => next_due_at(pool).await,
        }
    }

    /// The SMTP server accepted message `id` at `at`. `confirmation` is recorded with it when it
    /// is settled already (not wanted); `None` leaves it to [`Db::set_confirmation_status`].
    pub async fn mark_delivered(
        &self,
        id: i64,
        at: Timestamp,
        confirmation: Option<ConfirmationStatus>,
    ) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => mark_delivered(pool, id, at, confirmation).await,
        }
    }

    /// An attempt at `now` failed: counts it, keeps `error`, and either queues the message for
    /// `next_attempt_at` or, with `max_attempts` reached, sets it aside as dead (since `now`).
    /// Returns the new status.
    pub async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        now: Timestamp,
        next_attempt_at: Timestamp,
        max_attempts: u32,
    ) -> Result<MessageStatus, DbError> {
        match self {
            Db::Sqlite(pool) => {
                mark_failed(pool, id, error, now, next_attempt_at, max_attempts).await
            }
        }
    }

    /// Sets message `id` aside as dead at once, since `now` (it cannot be sent as stored).
    pub async fn mark_dead(&self, id: i64, error: &str, now: Timestamp) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => mark_dead(pool, id, error, now).await,
        }
    }

    /// Records what became of the confirmation to the citizen.
    pub async fn set_confirmation_status(
        &self,
        id: i64,
        status: ConfirmationStatus,
    ) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => set_confirmation_status(pool, id, status).await,
        }
    }

    /// Deletes text, reply address and name, with `purged_at = now`, of messages delivered at
    /// or before `cutoff`, of dead messages that died then, and of queued messages received
    /// then; the last two become `expired` (they can never be delivered with their content).
    /// Returns how many.
    pub async fn purge_messages(&self, cutoff: Timestamp, now: Timestamp) -> Result<u64, DbError> {
        match self {
            Db::Sqlite(pool) => purge_messages(pool, cutoff, now).await,
        }
    }

    /// Messages for admins, newest first, optionally of one status; no text, no sender data.
    pub async fn message_summaries(
        &self,
        status: Option<MessageStatus>,
        limit: u32,
    ) -> Result<Vec<MessageSummary>, DbError> {
        match self {
            Db::Sqlite(pool) => message_summaries(pool, status, limit).await,
        }
    }

    /// An admin's retry: a queued or dead message is queued again, due at `now`, with its
    /// attempts reset (the last error is kept until the next attempt). An expired message
    /// (content deleted) is never queued again.
    pub async fn requeue_message(
        &self,
        reference: &str,
        now: Timestamp,
    ) -> Result<Requeue, DbError> {
        match self {
            Db::Sqlite(pool) => requeue_message(pool, reference, now).await,
        }
    }

    /// Writes a queued message the way the intake does, for tests of delivery alone; returns
    /// its reference (`AS-<year>-<row id, 6 digits>`).
    #[doc(hidden)]
    pub async fn enqueue_for_test(&self, m: &NewMessage) -> Result<String, DbError> {
        // The intake's own insert, so tests of delivery store messages exactly as it does.
        let stored = self.insert_message(m).await?;
        match stored {
            crate::db::messages::Stored::Created { reference, .. } => Ok(reference),
            crate::db::messages::Stored::Existing(existing) => Ok(existing.reference),
            crate::db::messages::Stored::TokenUsed => {
                Err(DbError::Corrupt("the form token was used before".into()))
            }
        }
    }

    /// Every column of the message with `reference`, as text (`None` = NULL), for tests.
    #[doc(hidden)]
    pub async fn message_columns_for_test(
        &self,
        reference: &str,
    ) -> Result<Option<BTreeMap<String, Option<String>>>, DbError> {
        match self {
            Db::Sqlite(pool) => message_columns_for_test(pool, reference).await,
        }
    }
}

fn timestamp(row: &SqliteRow, column: &str) -> Result<Timestamp, DbError> {
    let text: String = row.try_get(column)?;
    text.parse()
        .map_err(|e| DbError::Corrupt(format!("messages.{column} `{text}`: {e}")))
}

fn count(row: &SqliteRow, column: &str) -> Result<u32, DbError> {
    let n: i64 = row.try_get(column)?;
    u32::try_from(n).map_err(|_| DbError::Corrupt(format!("messages.{column} is {n}")))
}

async fn due_messages(
    pool: &SqlitePool,
    now: Timestamp,
    limit: u32,
) -> Result<Vec<OutgoingMessage>, DbError> {
    sqlx::query(
        "SELECT id, reference, received_at, category, leika, ars, form_step, error_code,
                page_path, lang, body, reply_email, sender_name, wants_confirmation,
                recipient_email, recipient_name, routing_reason, attempts, confirmation_status
         FROM messages
         WHERE status = 'queued' AND julianday(next_attempt_at) <= julianday(?)
         ORDER BY id
         LIMIT ?",
    )
    .bind(now.to_string())
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(OutgoingMessage {
            id: row.try_get("id")?,
            reference: row.try_get("reference")?,
            received_at: timestamp(row, "received_at")?,
            category: row.try_get("category")?,
            leika: row.try_get("leika")?,
            ars: row.try_get("ars")?,
            form_step: row.try_get("form_step")?,
            error_code: row.try_get("error_code")?,
            page_path: row.try_get("page_path")?,
            lang: row.try_get("lang")?,
            body: row
                .try_get::<Option<String>, _>("body")?
                .unwrap_or_default(),
            reply_email: row.try_get("reply_email")?,
            sender_name: row.try_get("sender_name")?,
            wants_confirmation: row.try_get("wants_confirmation")?,
            recipient_email: row.try_get("recipient_email")?,
            recipient_name: row.try_get("recipient_name")?,
            routing_reason: row.try_get("routing_reason")?,
            attempts: count(row, "attempts")?,
            confirmation_skipped: row
                .try_get::<Option<String>, _>("confirmation_status")?
                .as_deref()
                == Some(ConfirmationStatus::SkippedRateLimited.as_str()),
        })
    })
    .collect()
}

async fn next_due_at(pool: &SqlitePool) -> Result<Option<Timestamp>, DbError> {
    let row = sqlx::query(
        "SELECT next_attempt_at FROM messages WHERE status = 'queued'
         ORDER BY julianday(next_attempt_at) LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| timestamp(&row, "next_attempt_at"))
        .transpose()
}

async fn mark_delivered(
    pool: &SqlitePool,
    id: i64,
    at: Timestamp,
    confirmation: Option<ConfirmationStatus>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE messages SET status = 'delivered', delivered_at = ?, confirmation_status = ?
         WHERE id = ?",
    )
    .bind(at.to_string())
    .bind(confirmation.map(ConfirmationStatus::as_str))
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

async fn mark_failed(
    pool: &SqlitePool,
    id: i64,
    error: &str,
    now: Timestamp,
    next_attempt_at: Timestamp,
    max_attempts: u32,
) -> Result<MessageStatus, DbError> {
    // One statement: the count and the decision cannot drift apart.
    let status: String = sqlx::query_scalar(
        "UPDATE messages
         SET attempts = attempts + 1, last_error = ?1, next_attempt_at = ?2,
             status = CASE WHEN attempts + 1 >= ?3 THEN 'dead' ELSE 'queued' END,
             dead_at = CASE WHEN attempts + 1 >= ?3 THEN ?4 ELSE NULL END
         WHERE id = ?5
         RETURNING status",
    )
    .bind(error)
    .bind(next_attempt_at.to_string())
    .bind(max_attempts)
    .bind(now.to_string())
    .bind(id)
    .fetch_one(pool)
    .await?;
    MessageStatus::parse(&status)
        .ok_or_else(|| DbError::Corrupt(format!("messages.status `{status}`")))
}

async fn mark_dead(pool: &SqlitePool, id: i64, error: &str, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE messages SET status = 'dead', attempts = attempts + 1, last_error = ?,
            dead_at = ?
         WHERE id = ?",
    )
    .bind(error)
    .bind(now.to_string())
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

async fn set_confirmation_status(
    pool: &SqlitePool,
    id: i64,
    status: ConfirmationStatus,
) -> Result<(), DbError> {
    sqlx::query("UPDATE messages SET confirmation_status = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

async fn purge_messages(
    pool: &SqlitePool,
    cutoff: Timestamp,
    now: Timestamp,
) -> Result<u64, DbError> {
    // Delivered: counted from delivery. Dead: from when it was given up (rows set aside before
    // `dead_at` existed count from their last attempt's due time). Queued: from receipt — a
    // message that could not be delivered within the retention period (no SMTP server, or
    // one that never took it) loses its content and can no longer be sent: `expired`.
    let done = sqlx::query(
        "UPDATE messages
         SET body = NULL, reply_email = NULL, sender_name = NULL, confirmation_key = NULL,
             purged_at = ?1,
             status = CASE status WHEN 'delivered' THEN 'delivered' ELSE 'expired' END
         WHERE purged_at IS NULL AND (
               (status = 'delivered' AND julianday(delivered_at) <= julianday(?2))
            OR (status = 'dead'
                AND julianday(COALESCE(dead_at, next_attempt_at)) <= julianday(?2))
            OR (status = 'queued' AND julianday(received_at) <= julianday(?2)))",
    )
    .bind(now.to_string())
    .bind(cutoff.to_string())
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

async fn message_summaries(
    pool: &SqlitePool,
    status: Option<MessageStatus>,
    limit: u32,
) -> Result<Vec<MessageSummary>, DbError> {
    sqlx::query(
        "SELECT reference, received_at, status, attempts, next_attempt_at, last_error,
                delivered_at, category, leika, ars, recipient_email, recipient_name,
                routing_reason, confirmation_status, purged_at
         FROM messages
         WHERE ?1 IS NULL OR status = ?1
         ORDER BY id DESC
         LIMIT ?2",
    )
    .bind(status.map(MessageStatus::as_str))
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        let status: String = row.try_get("status")?;
        Ok(MessageSummary {
            reference: row.try_get("reference")?,
            received_at: row.try_get("received_at")?,
            status: MessageStatus::parse(&status)
                .ok_or_else(|| DbError::Corrupt(format!("messages.status `{status}`")))?,
            attempts: count(row, "attempts")?,
            next_attempt_at: row.try_get("next_attempt_at")?,
            last_error: row.try_get("last_error")?,
            delivered_at: row.try_get("delivered_at")?,
            category: row.try_get("category")?,
            leika: row.try_get("leika")?,
            ars: row.try_get("ars")?,
            recipient_email: row.try_get("recipient_email")?,
            recipient_name: row.try_get("recipient_name")?,
            routing_reason: row.try_get("routing_reason")?,
            confirmation_status: row.try_get("confirmation_status")?,
            purged_at: row.try_get("purged_at")?,
        })
    })
    .collect()
}

async fn requeue_message(
    pool: &SqlitePool,
    reference: &str,
    now: Timestamp,
) -> Result<Requeue, DbError> {
    let requeued = sqlx::query(
        "UPDATE messages SET status = 'queued', attempts = 0, next_attempt_at = ?, dead_at = NULL
         WHERE reference = ? AND status IN ('queued', 'dead') AND purged_at IS NULL",
    )
    .bind(now.to_string())
    .bind(reference)
    .execute(pool)
    .await?
    .rows_affected();
    if requeued > 0 {
        return Ok(Requeue::Queued);
    }
    let exists: Option<String> =
        sqlx::query_scalar("SELECT status FROM messages WHERE reference = ?")
            .bind(reference)
            .fetch_optional(pool)
            .await?;
    Ok(match exists.as_deref() {
        Some("expired") => Requeue::Expired,
        Some(_) => Requeue::AlreadyDelivered,
        None => Requeue::NotFound,
    })
}

async fn message_columns_for_test(
    pool: &SqlitePool,
    reference: &str,
) -> Result<Option<BTreeMap<String, Option<String>>>, DbError> {
    use sqlx::{Column as _, ValueRef as _};
    let Some(row) = sqlx::query("SELECT * FROM messages WHERE reference = ?")
        .bind(reference)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let mut columns = BTreeMap::new();
    for column in row.columns() {
        let name = column.name();
        let value = if row.try_get_raw(name)?.is_null() {
            None
        } else if let Ok(n) = row.try_get::<i64, _>(name) {
            Some(n.to_string())
        } else {
            Some(row.try_get::<String, _>(name)?)
        };
        columns.insert(name.to_string(), value);
    }
    Ok(Some(columns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn due_times_compare_as_times_whatever_their_fractional_digits() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::connect(&format!("sqlite:{}", dir.path().join("t.sqlite").display()))
            .await
            .expect("database opens");
        let at: Timestamp = "2026-11-23T09:00:00.5Z".parse().expect("timestamp");
        let reference = db
            .enqueue_for_test(&NewMessage {
                received_at: at,
                ..NewMessage::example()
            })
            .await
            .expect("stored");
        // As text, "09:00:00Z" sorts after "09:00:00.5Z"; as a time it is earlier.
        let before: Timestamp = "2026-11-23T09:00:00Z".parse().expect("timestamp");
        assert!(db.due_messages(before, 10).await.expect("query").is_empty());
        let later: Timestamp = "2026-11-23T09:00:00.600000001Z".parse().expect("timestamp");
        let due = db.due_messages(later, 10).await.expect("query");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].reference, reference);
        assert_eq!(due[0].received_at, at);
        assert_eq!(db.next_due_at().await.expect("query"), Some(at));
    }
}
