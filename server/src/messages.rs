//! The contact form: a citizen's question reaches the responsible Funktionspostfach — never
//! lost, never leaked, and without any third-party captcha.
//!
//! - [`form`] — what the widget sends, validated field by field with stable error codes;
//! - [`spam`] — signed short-lived form tokens (minimum fill time), honeypot, rate limits per
//!   client address and per service;
//! - [`routing`] — which mailbox gets a message, and why;
//! - [`Intake`] — the settings and limiters shared by all requests.
//!
//! A message is acknowledged (`202` with a reference) only after it is committed; delivery by
//! SMTP happens afterwards in the outbox worker (`crate::outbox`).

pub mod form;
pub mod routing;
pub mod spam;

use crate::cli::MessageArgs;

/// Contact-form settings and state shared by all requests.
#[derive(Debug)]
pub struct Intake {
    /// The configuration as given on the command line.
    pub config: MessageArgs,
    /// Signs and checks form tokens.
    pub tokens: spam::TokenSigner,
    /// Rate limits.
    pub limits: spam::Limits,
}

impl Intake {
    /// Builds the intake from its configuration; without a configured secret a random one is
    /// drawn (tokens then do not survive a restart or cross instances).
    pub fn new(config: MessageArgs) -> Self {
        let tokens =
            spam::TokenSigner::new(config.message_secret.as_deref(), config.min_fill_seconds);
        let limits = spam::Limits::new(config.rate_limit_client, config.rate_limit_service);
        Self {
            config,
            tokens,
            limits,
        }
    }
}
