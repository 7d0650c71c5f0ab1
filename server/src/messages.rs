//! The contact form: a citizen's question reaches the responsible Funktionspostfach — never
//! lost, never leaked, and without any third-party captcha.
//!
//! - [`form`] — what the widget sends, validated field by field with stable error codes;
//! - [`spam`] — signed, short-lived, single-use form tokens (minimum fill time), honeypot,
//!   rate limits per client and per recipient mailbox;
//! - [`client`] — which client a request comes from ([`client_ip`], [`ClientKey`]), also
//!   behind trusted proxies;
//! - [`routing`] — which mailbox gets a message, and why;
//! - [`Intake`] — the settings and limiters shared by all requests.
//!
//! A message is acknowledged (`202` with a reference) only after it is committed; delivery by
//! SMTP happens afterwards in the outbox worker (`crate::outbox`).

pub mod client;
pub mod form;
pub mod routing;
pub mod spam;

pub use client::{ClientKey, ProxyTrust, client_ip};
use std::net::IpAddr;

use crate::cli::MessageArgs;
use serde::Serialize;

/// Confirmations one citizen address may receive per 24 hours. More would let the form send
/// mail from the authority's sender to any address, as often as someone likes.
pub const CONFIRMATIONS_PER_DAY: u32 = 3;

/// What the `202` answer says about the confirmation mail the citizen asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationPlan {
    /// No confirmation was asked for.
    NotRequested,
    /// One will be sent once the message is delivered.
    WillBeSent,
    /// Asked for, but this address had [`CONFIRMATIONS_PER_DAY`] in the last 24 hours; the
    /// message itself is accepted and delivered.
    SkippedRateLimited,
}

/// Contact-form settings and state shared by all requests.
#[derive(Debug)]
pub struct Intake {
    /// The configuration as given on the command line.
    pub config: MessageArgs,
    /// Signs and checks form tokens.
    pub tokens: spam::TokenSigner,
    /// Rate limits.
    pub limits: spam::Limits,
    /// How far `X-Forwarded-For` is believed.
    pub proxy: ProxyTrust,
}

impl Intake {
    /// Whether `peer` is a proxy whose `X-Forwarded-For` is believed: `--trust-forwarded-for`
    /// is on, and `peer` lies in `--trusted-proxies` (any peer if that list is empty).
    pub fn is_trusted_proxy(&self, peer: IpAddr) -> bool {
        let peer = peer.to_canonical();
        self.proxy.hops > 0
            && (self.config.trusted_proxies.is_empty()
                || self
                    .config
                    .trusted_proxies
                    .iter()
                    .any(|net| net.contains(&peer)))
    }

    /// The client behind a request from `peer` (see [`client_ip`]): the forwarded address
    /// only when `peer` is a trusted proxy, else `peer` itself.
    pub fn client(&self, headers: &axum::http::HeaderMap, peer: IpAddr) -> IpAddr {
        let trust = if self.is_trusted_proxy(peer) {
            self.proxy
        } else {
            ProxyTrust::default()
        };
        client_ip(headers, peer, trust)
    }

    /// Builds the intake from its configuration; without a configured secret a random one is
    /// drawn (tokens then do not survive a restart or cross instances).
    pub fn new(config: MessageArgs) -> Self {
        let tokens =
            spam::TokenSigner::new(config.message_secret.as_deref(), config.min_fill_seconds);
        let limits = spam::Limits::new(config.rate_limit_client, config.rate_limit_service);
        let proxy = ProxyTrust::from_args(&config);
        Self {
            config,
            tokens,
            limits,
            proxy,
        }
    }
}

/// Drops idle rate-limiter keys every minute (see [`spam::Limits::evict_idle`]).
pub async fn evict_idle_limits(state: crate::AppState) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(60));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        state.messages.limits.evict_idle();
    }
}
