//! Storing contact-form messages: one transaction per message, committed (with full fsync)
//! before the citizen gets a reference. The same transaction records the form token as used
//! and decides whether the citizen's confirmation is within its daily limit, so neither can
//! drift from what was stored.

use super::{Db, DbError};
use crate::messages::{CONFIRMATIONS_PER_DAY, ConfirmationPlan};
use jiff::{SignedDuration, Timestamp};

/// A validated, routed message ready to be stored.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Idempotency key from the widget.
    pub idempotency_key: String,
    /// Content fingerprint.
    pub request_hash: String,
    /// When it arrived.
    pub received_at: Timestamp,
    /// `question`, `technical`, `accessibility`.
    pub category: String,
    /// LeiKa key.
    pub leika: Option<String>,
    /// ARS.
    pub ars: Option<String>,
    /// Form step.
    pub form_step: Option<String>,
    /// Error code.
    pub error_code: Option<String>,
    /// Page path.
    pub page_path: Option<String>,
    /// Language.
    pub lang: String,
    /// Message text.
    pub body: String,
    /// Reply address.
    pub reply_email: Option<String>,
    /// Name.
    pub sender_name: Option<String>,
    /// Receipt wanted.
    pub wants_confirmation: bool,
    /// Funktionspostfach.
    pub recipient_email: String,
    /// Contact id of the recipient.
    pub recipient_contact: String,
    /// Recipient name.
    pub recipient_name: String,
    /// Why this recipient.
    pub routing_reason: String,
    /// SHA-256 of the lower-cased reply address, when a confirmation is wanted: confirmations
    /// are counted per address by it.
    pub confirmation_key: Option<String>,
    /// The form token the message came with; recorded as used with the message.
    pub token: Option<UsedToken>,
}

/// A form token's nonce, to be recorded as used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedToken {
    /// The token's random part.
    pub nonce: String,
    /// When the token expires; the record is purged after that.
    pub expires_at: Timestamp,
}

/// The key confirmations to `address` are counted by: SHA-256 of the lower-cased address.
pub fn confirmation_key(address: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::hex::encode(&Sha256::digest(address.trim().to_lowercase().as_bytes()))
}

impl NewMessage {
    /// A message as the intake would store it, for tests of delivery alone
    /// ([`Db::enqueue_for_test`]): a question about Elterngeld from Bremen, routed to the
    /// sample data's Elterngeldstelle, received at 2026-11-23 10:15 in Berlin, with a fresh
    /// idempotency key.
    #[doc(hidden)]
    pub fn example() -> Self {
        Self {
            idempotency_key: crate::hex::random(12),
            request_hash: "test".into(),
            received_at: Timestamp::constant(1_795_425_300, 0),
            category: "question".into(),
            leika: Some("99041006017000".into()),
            ars: Some("040110000000".into()),
            form_step: None,
            error_code: None,
            page_path: None,
            lang: "de".into(),
            body: "Wann wird mein Antrag bearbeitet?".into(),
            reply_email: None,
            sender_name: None,
            wants_confirmation: false,
            recipient_email: "elterngeld@example.bremen.de".into(),
            recipient_contact: "hb-elterngeld".into(),
            recipient_name: "Elterngeldstelle Bremen".into(),
            routing_reason: "Elterngeldstelle für Bremen (Leistung Elterngeld)".into(),
            confirmation_key: None,
            token: None,
        }
    }
}

/// What storing a message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A new message with this reference.
    Created {
        /// Reference.
        reference: String,
        /// What becomes of the confirmation.
        confirmation: ConfirmationPlan,
    },
    /// The idempotency key was known: the earlier message.
    Existing(Existing),
    /// The form token was used for another message before; nothing was stored.
    TokenUsed,
}

/// A message stored earlier under the same idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    /// Its reference.
    pub reference: String,
    /// Its content fingerprint.
    pub request_hash: String,
    /// When it arrived (RFC 3339).
    pub received_at: String,
    /// Its recipient.
    pub recipient_name: String,
    /// What was said about its confirmation.
    pub confirmation: ConfirmationPlan,
}

impl Db {
    /// The stored message with this idempotency key, if any.
    pub async fn message_by_key(&self, key: &str) -> Result<Option<Existing>, DbError> {
        match self {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let found = existing(&mut tx, key).await?;
                tx.commit().await?;
                Ok(found)
            }
        }
    }

    /// Stores a message unless its idempotency key is known, in one transaction; the
    /// reference is `AS-<year>-<row id, six digits>`. A known key wins over the token (a
    /// retry of the same message gets its reference again); otherwise a token used before
    /// stores nothing ([`Stored::TokenUsed`]). A wanted confirmation is skipped when its
    /// address had [`CONFIRMATIONS_PER_DAY`] in the 24 hours before `received_at`.
    pub async fn insert_message(&self, m: &NewMessage) -> Result<Stored, DbError> {
        match self {
            Db::Sqlite(pool) => {
                // IMMEDIATE takes the write lock up front: a deferred transaction that reads
                // and then writes fails at once ("database is locked") when another writer
                // got there first, instead of waiting on the busy timeout.
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                if let Some(found) = existing(&mut tx, &m.idempotency_key).await? {
                    return Ok(Stored::Existing(found));
                }
                let received = m.received_at.to_string();
                if let Some(token) = &m.token {
                    let recorded = sqlx::query(
                        "INSERT INTO form_token_nonces (nonce, used_at, expires_at)
                         VALUES (?, ?, ?)",
                    )
                    .bind(&token.nonce)
                    .bind(&received)
                    .bind(token.expires_at.to_string())
                    .execute(&mut *tx)
                    .await;
                    match recorded {
                        Ok(_) => {}
                        // Dropping the transaction rolls it back: nothing is stored.
                        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                            return Ok(Stored::TokenUsed);
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                let confirmation = match (&m.confirmation_key, m.wants_confirmation) {
                    (Some(key), true) => {
                        let since = m
                            .received_at
                            .checked_sub(SignedDuration::from_hours(24))
                            .unwrap_or(Timestamp::MIN);
                        let recent: i64 = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM messages
                             WHERE confirmation_key = ? AND wants_confirmation = 1
                               AND confirmation_status IS NOT 'skipped_rate_limited'
                               AND julianday(received_at) > julianday(?)",
                        )
                        .bind(key)
                        .bind(since.to_string())
                        .fetch_one(&mut *tx)
                        .await?;
                        if recent >= i64::from(CONFIRMATIONS_PER_DAY) {
                            ConfirmationPlan::SkippedRateLimited
                        } else {
                            ConfirmationPlan::WillBeSent
                        }
                    }
                    _ if m.wants_confirmation => ConfirmationPlan::WillBeSent,
                    _ => ConfirmationPlan::NotRequested,
                };
                let skipped = (confirmation == ConfirmationPlan::SkippedRateLimited)
                    .then_some("skipped_rate_limited");
                let inserted = sqlx::query(
                    "INSERT INTO messages (reference, idempotency_key, request_hash, received_at,
                        category, leika, ars, form_step, error_code, page_path, lang, body,
                        reply_email, sender_name, wants_confirmation, recipient_email,
                        recipient_contact, recipient_name, routing_reason, next_attempt_at,
                        confirmation_key, confirmation_status)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(format!("pending:{}", m.idempotency_key))
                .bind(&m.idempotency_key)
                .bind(&m.request_hash)
                .bind(&received)
                .bind(&m.category)
                .bind(&m.leika)
                .bind(&m.ars)
                .bind(&m.form_step)
                .bind(&m.error_code)
                .bind(&m.page_path)
                .bind(&m.lang)
                .bind(&m.body)
                .bind(&m.reply_email)
                .bind(&m.sender_name)
                .bind(m.wants_confirmation)
                .bind(&m.recipient_email)
                .bind(&m.recipient_contact)
                .bind(&m.recipient_name)
                .bind(&m.routing_reason)
                .bind(&received)
                .bind(&m.confirmation_key)
                .bind(skipped)
                .execute(&mut *tx)
                .await;
                let id = match inserted {
                    Ok(done) => done.last_insert_rowid(),
                    // The same key committed by a concurrent request: answer with that one.
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                        drop(tx);
                        let mut tx = pool.begin().await?;
                        return existing(&mut tx, &m.idempotency_key)
                            .await?
                            .map(Stored::Existing)
                            .ok_or_else(|| DbError::Corrupt("idempotency key vanished".into()));
                    }
                    Err(e) => return Err(e.into()),
                };
                let year = m.received_at.to_zoned(crate::hours::berlin()).year();
                let reference = format!("AS-{year}-{id:06}");
                sqlx::query("UPDATE messages SET reference = ? WHERE id = ?")
                    .bind(&reference)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Stored::Created {
                    reference,
                    confirmation,
                })
            }
        }
    }
}

async fn existing(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    key: &str,
) -> Result<Option<Existing>, DbError> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT reference, request_hash, received_at, recipient_name, wants_confirmation,
                confirmation_status
         FROM messages WHERE idempotency_key = ?",
    )
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        let wanted: bool = r.try_get("wants_confirmation")?;
        let status: Option<String> = r.try_get("confirmation_status")?;
        // The answer given when it was stored, whatever became of the confirmation since.
        let confirmation = match (wanted, status.as_deref()) {
            (false, _) => ConfirmationPlan::NotRequested,
            (true, Some("skipped_rate_limited")) => ConfirmationPlan::SkippedRateLimited,
            (true, _) => ConfirmationPlan::WillBeSent,
        };
        Ok(Existing {
            reference: r.try_get("reference")?,
            request_hash: r.try_get("request_hash")?,
            received_at: r.try_get("received_at")?,
            recipient_name: r.try_get("recipient_name")?,
            confirmation,
        })
    })
    .transpose()
}

impl Db {
    /// Deletes the records of form tokens that have expired by `now` (an expired token is
    /// refused for its age anyway); returns how many.
    pub async fn purge_token_nonces(&self, now: Timestamp) -> Result<u64, DbError> {
        match self {
            Db::Sqlite(pool) => {
                let done = sqlx::query(
                    "DELETE FROM form_token_nonces WHERE julianday(expires_at) < julianday(?)",
                )
                .bind(now.to_string())
                .execute(pool)
                .await?;
                Ok(done.rows_affected())
            }
        }
    }

    /// Whether a message was already accepted with the form token whose nonce is `nonce`. A
    /// read ahead of the rate limits, so that replays of a used token cost no one's budget;
    /// the insert's own check in its transaction stays the guarantee.
    pub async fn form_token_used(&self, nonce: &str) -> Result<bool, DbError> {
        match self {
            Db::Sqlite(pool) => Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM form_token_nonces WHERE nonce = ?",
            )
            .bind(nonce)
            .fetch_one(pool)
            .await?
                > 0),
        }
    }

    /// How many form-token records are kept, for tests.
    #[doc(hidden)]
    pub async fn token_nonce_count_for_test(&self) -> Result<i64, DbError> {
        match self {
            Db::Sqlite(pool) => Ok(sqlx::query_scalar("SELECT COUNT(*) FROM form_token_nonces")
                .fetch_one(pool)
                .await?),
        }
    }
}
