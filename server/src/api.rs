//! JSON API handlers, one module per resource.

pub mod admin;
pub mod health;
pub mod help;
pub mod hooks;
pub mod messages;
pub mod notices;
pub mod regions;
pub mod status;

use crate::Error;

/// Fallback for every path that has no route.
pub async fn not_found() -> Error {
    Error::NotFound
}
