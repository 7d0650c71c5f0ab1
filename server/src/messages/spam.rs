//! Abuse defence without third parties: a signed, short-lived form token fetched when the form
//! opens (so a message cannot be sent faster than a person types, nor long after), a honeypot
//! field, and rate limits per client address and per service.

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
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

    /// Checks a token at `now` (unix seconds).
    pub fn verify(&self, token: &str, now: i64) -> Result<(), TokenError> {
        let (payload, mac) = token.rsplit_once('.').ok_or(TokenError::Invalid)?;
        let mac = crate::hex::decode(mac).ok_or(TokenError::Invalid)?;
        let mut check =
            HmacSha256::new_from_slice(&self.secret).expect("HMAC takes any key length");
        check.update(payload.as_bytes());
        check.verify_slice(&mac).map_err(|_| TokenError::Invalid)?;
        let issued: i64 = payload
            .split('.')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or(TokenError::Invalid)?;
        let age = now - issued;
        if age < self.min_fill_secs {
            Err(TokenError::TooFast)
        } else if age > TOKEN_LIFETIME_SECS {
            Err(TokenError::Expired)
        } else {
            Ok(())
        }
    }

    fn sign(&self, payload: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(payload.as_bytes());
        crate::hex::encode(&mac.finalize().into_bytes())
    }
}

/// Rate limits: a client address may send `per_client` messages per 10 minutes, a service
/// `per_service` per hour over all clients. Both allow bursts of their full size.
pub struct Limits {
    client: DefaultKeyedRateLimiter<String>,
    service: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits").finish_non_exhaustive()
    }
}

/// A limit was hit; the wait until the next message is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    /// How long to wait.
    pub wait: Duration,
    /// Whether the service-wide limit (not the client's own) was hit.
    pub service_wide: bool,
}

impl Limits {
    /// Limits with the given sizes (0 is treated as 1).
    pub fn new(per_client: u32, per_service: u32) -> Self {
        let quota = |n: u32, period: Duration| {
            let n = NonZeroU32::new(n.max(1)).expect("at least 1");
            Quota::with_period(period / n.get())
                .expect("a positive period")
                .allow_burst(n)
        };
        Self {
            client: RateLimiter::keyed(quota(per_client, Duration::from_secs(600))),
            service: RateLimiter::keyed(quota(per_service, Duration::from_secs(3600))),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one message from `client` for `service`, or says how long to wait. A message
    /// refused by the client limit does not use up the service's budget.
    pub fn check(&self, client: &str, service: &str) -> Result<(), Limited> {
        let now = self.clock.now();
        if let Err(not_until) = self.client.check_key(&client.to_string()) {
            return Err(Limited {
                wait: not_until.wait_time_from(now),
                service_wide: false,
            });
        }
        if let Err(not_until) = self.service.check_key(&service.to_string()) {
            return Err(Limited {
                wait: not_until.wait_time_from(now),
                service_wide: true,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_accepted_after_the_fill_time_and_before_it_expires() {
        let signer = TokenSigner::new(Some("secret"), 3);
        let token = signer.issue(1_000);
        assert_eq!(signer.verify(&token, 1_002), Err(TokenError::TooFast));
        assert_eq!(signer.verify(&token, 1_003), Ok(()));
        assert_eq!(signer.verify(&token, 1_000 + TOKEN_LIFETIME_SECS), Ok(()));
        assert_eq!(
            signer.verify(&token, 1_001 + TOKEN_LIFETIME_SECS),
            Err(TokenError::Expired)
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
        assert!(limits.check("10.0.0.1", "s").is_ok());
        assert!(limits.check("10.0.0.1", "s").is_ok());
        let limited = limits.check("10.0.0.1", "s").expect_err("third message");
        assert!(!limited.service_wide);
        assert!(
            limited.wait > Duration::from_secs(200) && limited.wait <= Duration::from_secs(300)
        );
        assert!(
            limits.check("10.0.0.2", "s").is_ok(),
            "other clients are not affected"
        );
    }

    #[test]
    fn the_service_limit_applies_over_all_clients() {
        let limits = Limits::new(10, 2);
        assert!(limits.check("a", "elterngeld").is_ok());
        assert!(limits.check("b", "elterngeld").is_ok());
        assert!(
            limits
                .check("c", "elterngeld")
                .expect_err("third")
                .service_wide
        );
        assert!(limits.check("c", "wohngeld").is_ok());
    }
}
