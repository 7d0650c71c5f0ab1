//! Anlaufstelle server library: everything the `anlaufstelle` binary does, as a library so that
//! tests can run the router in-process.
//!
//! [`app`] builds the HTTP application from an [`AppState`]; `main.rs` only parses the command
//! line, opens the database and serves.

pub mod api;
pub mod assets;
pub mod cli;
pub mod dataset;
pub mod db;
pub mod domain;
pub mod error;
pub mod feeds;
pub mod hex;
pub mod holidays;
pub mod hours;
pub mod listener;
pub mod messages;
pub mod monitor;
pub mod notices;
pub mod outbox;
pub mod resolve;
pub mod routes;
pub mod state;
pub mod status_page;

pub use error::Error;
pub use state::AppState;

/// The whole HTTP application: API, widget assets and demo page.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
