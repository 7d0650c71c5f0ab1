//! JSON API handlers, one module per resource.

pub mod health;
pub mod help;
pub mod regions;

use crate::Error;

/// Fallback for every path that has no route.
pub async fn not_found() -> Error {
    Error::NotFound
}
