//! Live disruption, maintenance and information notices (Servicestandard 5.11.3: tell users
//! without delay, in the service and at its entry points).
//!
//! - [`model`] — the stored notice with all its languages, operator input, validation, scope
//!   matching and the clock-driven maintenance states;
//! - [`hub`] — the in-memory set of notices, persisted through `db`, with an ordered change
//!   log whose ids are the SSE event ids, and a broadcast channel for live streams;
//! - [`tokens`] — scoped bearer tokens for operators and monitoring.

pub mod hub;
pub mod model;
pub mod tokens;

pub use hub::{NoticeEvent, NoticeHub};
