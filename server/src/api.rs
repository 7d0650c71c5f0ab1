//! JSON API handlers, one module per resource.

pub mod admin;
pub mod auth;
pub mod health;
pub mod help;
pub mod hooks;
pub mod messages;
pub mod notices;
pub mod regions;
pub mod status;

use crate::Error;
use crate::domain::{Ars, LeikaKey};

/// Optional `leika` and `ars` query values, checked and normalised; empty means absent.
pub(crate) fn scope_keys(
    leika: Option<String>,
    ars: Option<String>,
) -> Result<(Option<String>, Option<String>), Error> {
    let leika = match leika.filter(|s| !s.is_empty()) {
        Some(k) => Some(k.parse::<LeikaKey>()?.to_string()),
        None => None,
    };
    let ars = match ars.filter(|s| !s.is_empty()) {
        Some(a) => Some(a.parse::<Ars>()?.to_string()),
        None => None,
    };
    Ok((leika, ars))
}

/// Fallback for every path that has no route.
pub async fn not_found() -> Error {
    Error::NotFound
}
