//! Abuse defence without third parties: a signed, short-lived form token fetched when the form
//! opens (so a message cannot be sent faster than a person types, nor long after) and used for
//! one message only, a honeypot field, and rate limits per client address and per recipient
//! mailbox.
//!
//! A token is single-use through its nonce: the intake records the nonce in the database in
//! the same transaction that stores the message (`Db::insert_message`), so a replayed token is
//! refused across restarts and instances, while a retry of the same message (same idempotency
//! key) is still answered with its reference.

use super::client::ClientKey;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::num::NonZeroU32;
use std::time::Duration;

/// Tokens older than this are refused.
pub const TOKEN_LIFETIME_SECS: i64 = 2 * 60 * 60;

type HmacSha256 = Hmac<Sha256>;

/// Why a form token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Missing, malformed or forged.
    #[error("Das Formular konnte nicht geprüft werden. Bitte senden Sie es noch einmal.")]
    Invalid,
    /// Sent sooner than a person fills in the form.
    #[error(
        "Das Formular wurde sehr schnell abgeschickt. Bitte prüfen Sie Ihre Nachricht und senden Sie sie noch einmal."
    )]
    TooFast,
    /// Older than the lifetime.
    #[error("Das Formular ist abgelaufen. Bitte senden Sie Ihre Nachricht noch einmal.")]
    Expired,
    /// Already used for another message.
    #[error(
        "Mit diesem Formular wurde bereits eine Nachricht gesendet. Bitte öffnen Sie das Formular neu (oder laden Sie die Seite neu), um eine weitere Nachricht zu senden."
    )]
    Used,
}

/// A token that passed its checks: its nonce, to be recorded as used, and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The token's random part.
    pub nonce: String,
    /// When the token expires (unix seconds); the nonce need not be kept longer.
    pub expires_at: i64,
}

/// Issues and checks form tokens: `<issued unix seconds>.<nonce>.<HMAC-SHA256>`.
pub struct TokenSigner {
    secret: Vec<u8>,
    min_fill_secs: i64,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("min_fill_secs", &self.min_fill_secs)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// With the configured secret, or a random one.
    pub fn new(secret: Option<&str>, min_fill_secs: u64) -> Self {
        let secret = match secret {
            Some(s) => s.as_bytes().to_vec(),
            None => {
                let mut bytes = vec![0u8; 32];
                getrandom::fill(&mut bytes).expect("the operating system provides randomness");
                bytes
            }
        };
        Self {
            secret,
            min_fill_secs: i64::try_from(min_fill_secs).unwrap_or(i64::MAX),
        }
    }

    /// Seconds a form must be open before sending.
    pub fn min_fill_secs(&self) -> i64 {
        self.min_fill_secs
    }

    /// A token issued at `now` (unix seconds).
    pub fn issue(&self, now: i64) -> String {
        let nonce = crate::hex::random(12);
        let payload = format!("{now}.{nonce}");
        format!("{payload}.{}", self.sign(&payload))
    }

    /// Checks a token's signature and age at `now` (unix seconds). Whether it was used before
    /// is the database's to say, when the message is stored.
    pub fn verify(&self, token: &str, now: i64) -> Result<VerifiedToken, TokenError> {
        let (payload, mac) = token.rsplit_once('.').ok_or(TokenError::Invalid)?;
        let mac = crate::hex::decode(mac).ok_or(TokenError::Invalid)?;
        let mut check =
            HmacSha256::new_from_slice(&self.secret).expect("HMAC takes any key length");
        check.update(payload.as_bytes());
        check.verify_slice(&mac).map_err(|_| TokenError::Invalid)?;
        let (issued, nonce) = payload.split_once('.').ok_or(TokenError::Invalid)?;
        let issued: i64 = issued.parse().map_err(|_| TokenError::Invalid)?;
        if nonce.is_empty() {
            return Err(TokenError::Invalid);
        }
        let age = now.saturating_sub(issued);
        if age < self.min_fill_secs {
            Err(TokenError::TooFast)
        } else if age > TOKEN_LIFETIME_SECS {
            Err(TokenError::Expired)
        } else {
            Ok(VerifiedToken {
                nonce: nonce.to_string(),
                expires_at: issued.saturating_add(TOKEN_LIFETIME_SECS),
            })
        }
    }

    fn sign(&self, payload: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(payload.as_bytes());
        crate::hex::encode(&mac.finalize().into_bytes())
    }
}

/// Rate limits: a client (address, or IPv6 /64) may send `per_client` messages per 10 minutes,
/// a recipient mailbox receive `per_recipient` per hour over all clients. Both allow bursts of
/// their full size. The recipient is the mailbox the message is routed to — not the LeiKa key
/// the client sends, which it could vary at will to reach the same mailbox.
///
/// Keys of clients that have not sent for a while are dropped by [`Limits::evict_idle`]
/// (the server runs it every minute): a key whose budget is full again is indistinguishable
/// from a new one, and keeping it would let unique addresses grow memory without bound.
pub struct Limits<C: Clock = DefaultClock> {
    client:
        RateLimiter<ClientKey, DefaultKeyedStateStore<ClientKey>, C, NoOpMiddleware<C::Instant>>,
    recipient: RateLimiter<String, DefaultKeyedStateStore<String>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
}

impl<C: Clock> std::fmt::Debug for Limits<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits").finish_non_exhaustive()
    }
}

/// A limit was hit; the wait until the next message is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    /// How long to wait.
    pub wait: Duration,
    /// Whether the recipient's limit (not the client's own) was hit.
    pub recipient_wide: bool,
}

impl Limits {
    /// Limits with the given sizes (0 is treated as 1), on the system's monotonic clock.
    pub fn new(per_client: u32, per_recipient: u32) -> Self {
        Self::with_clock(per_client, per_recipient, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Limits<C> {
    /// Limits on `clock` (tests pass a fake one they move by hand).
    pub fn with_clock(per_client: u32, per_recipient: u32, clock: C) -> Self {
        let quota = |n: u32, period: Duration| {
            let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
            Quota::with_period(period / n.get())
                .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
                .allow_burst(n)
        };
        Self {
            client: RateLimiter::new(
                quota(per_client, Duration::from_secs(600)),
                DefaultKeyedStateStore::default(),
                clock.clone(),
            ),
            recipient: RateLimiter::new(
                quota(per_recipient, Duration::from_secs(3600)),
                DefaultKeyedStateStore::default(),
                clock.clone(),
            ),
            clock,
        }
    }

    /// Counts one message from `client` to the mailbox `recipient`, or says how long to wait.
    /// A message refused by the client limit does not use up the recipient's budget.
    pub fn check(&self, client: ClientKey, recipient: &str) -> Result<(), Limited> {
        let now = self.clock.now();
        if let Err(not_until) = self.client.check_key(&client) {
            return Err(Limited {
                wait: not_until.wait_time_from(now),
                recipient_wide: false,
            });
        }
        if let Err(not_until) = self.recipient.check_key(&recipient.to_ascii_lowercase()) {
            return Err(Limited {
                wait: not_until.wait_time_from(now),
                recipient_wide: true,
            });
        }
        Ok(())
    }

    /// Forgets every key whose budget is full again, and gives the memory back.
    pub fn evict_idle(&self) {
        self.client.retain_recent();
        self.client.shrink_to_fit();
        self.recipient.retain_recent();
        self.recipient.shrink_to_fit();
    }

    /// How many client and recipient keys are held.
    pub fn key_counts(&self) -> (usize, usize) {
        (self.client.len(), self.recipient.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::net::IpAddr;

    fn client(ip: &str) -> ClientKey {
        ClientKey::from(ip.parse::<IpAddr>().expect("IP"))
    }

    #[test]
    fn a_token_is_accepted_after_the_fill_time_and_before_it_expires() {
        let signer = TokenSigner::new(Some("secret"), 3);
        let token = signer.issue(1_000);
        assert_eq!(signer.verify(&token, 1_002), Err(TokenError::TooFast));
        let verified = signer.verify(&token, 1_003).expect("valid");
        assert_eq!(verified.expires_at, 1_000 + TOKEN_LIFETIME_SECS);
        assert_eq!(token.split('.').nth(1), Some(verified.nonce.as_str()));
        assert!(signer.verify(&token, 1_000 + TOKEN_LIFETIME_SECS).is_ok());
        assert_eq!(
            signer.verify(&token, 1_001 + TOKEN_LIFETIME_SECS),
            Err(TokenError::Expired)
        );
        assert_ne!(
            signer
                .verify(&signer.issue(1_000), 1_003)
                .expect("valid")
                .nonce,
            verified.nonce,
            "every token has its own nonce"
        );
    }

    #[test]
    fn forged_or_foreign_tokens_are_invalid() {
        let signer = TokenSigner::new(Some("secret"), 0);
        let other = TokenSigner::new(Some("other secret"), 0);
        let token = signer.issue(1_000);
        assert_eq!(other.verify(&token, 1_010), Err(TokenError::Invalid));
        let (payload, mac) = token.rsplit_once('.').expect("three parts");
        let backdated = payload.replacen("1000", "0999", 1);
        assert_eq!(
            signer.verify(&format!("{backdated}.{mac}"), 1_010),
            Err(TokenError::Invalid)
        );
        for junk in ["", "abc", "1000.x.zz", "1000..", "1000.a.0"] {
            assert_eq!(
                signer.verify(junk, 1_010),
                Err(TokenError::Invalid),
                "{junk}"
            );
        }
    }

    #[test]
    fn the_client_limit_stops_a_burst_and_says_how_long_to_wait() {
        let limits = Limits::new(2, 100);
        let a = client("192.0.2.1");
        assert!(limits.check(a, "s@example.de").is_ok());
        assert!(limits.check(a, "s@example.de").is_ok());
        let limited = limits.check(a, "s@example.de").expect_err("third message");
        assert!(!limited.recipient_wide);
        assert!(
            limited.wait > Duration::from_secs(200) && limited.wait <= Duration::from_secs(300)
        );
        assert!(
            limits.check(client("192.0.2.2"), "s@example.de").is_ok(),
            "other clients are not affected"
        );
    }

    #[test]
    fn a_whole_ipv6_64_counts_as_one_client() {
        let limits = Limits::new(2, 100);
        assert!(
            limits
                .check(client("2001:db8:0:1::1"), "s@example.de")
                .is_ok()
        );
        assert!(
            limits
                .check(client("2001:db8:0:1::2"), "s@example.de")
                .is_ok()
        );
        assert!(
            limits
                .check(client("2001:db8:0:1:ffff::3"), "s@example.de")
                .is_err()
        );
        assert!(
            limits
                .check(client("2001:db8:0:2::1"), "s@example.de")
                .is_ok()
        );
    }

    #[test]
    fn the_recipient_limit_applies_over_all_clients() {
        let limits = Limits::new(10, 2);
        assert!(limits.check(client("192.0.2.1"), "post@example.de").is_ok());
        assert!(limits.check(client("192.0.2.2"), "Post@Example.de").is_ok());
        assert!(
            limits
                .check(client("192.0.2.3"), "post@example.de")
                .expect_err("third")
                .recipient_wide
        );
        assert!(
            limits
                .check(client("192.0.2.3"), "other@example.de")
                .is_ok()
        );
    }

    #[test]
    fn idle_client_keys_are_evicted_once_their_budget_is_full_again() {
        let clock = FakeRelativeClock::default();
        let limits = Limits::with_clock(5, 300, clock.clone());
        for i in 0..1000u32 {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0xC000_0000_u32 + i));
            let _ = limits.check(ClientKey::from(ip), "post@example.de");
        }
        assert_eq!(limits.key_counts().0, 1000);
        // Nothing is forgotten while a budget is still being used up.
        clock.advance(Duration::from_secs(60));
        limits.evict_idle();
        assert_eq!(limits.key_counts().0, 1000);
        // Ten minutes later every one of them could send five again: they are gone.
        clock.advance(Duration::from_secs(600));
        limits.evict_idle();
        assert_eq!(limits.key_counts().0, 0);
        // A client that keeps sending stays counted.
        let busy = client("198.51.100.1");
        for _ in 0..5 {
            assert!(limits.check(busy, "post@example.de").is_ok());
        }
        limits.evict_idle();
        assert_eq!(limits.key_counts().0, 1);
        assert!(limits.check(busy, "post@example.de").is_err());
    }
}
