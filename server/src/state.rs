//! Shared application state handed to every handler.

use crate::db::{Db, DbError};
use crate::resolve::Index;
use arc_swap::ArcSwap;
use std::sync::Arc;

/// Cheap to clone: a database handle and the current resolve index.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    index: Arc<ArcSwap<Index>>,
}

impl AppState {
    /// Loads the resolve index from the database.
    pub async fn load(db: Db) -> Result<Self, DbError> {
        let index = Index::build(db.snapshot().await?);
        Ok(Self {
            db,
            index: Arc::new(ArcSwap::from_pointee(index)),
        })
    }

    /// The index as of now. Requests hold on to it for their whole duration, so a concurrent
    /// rebuild never changes data under a running request.
    pub fn index(&self) -> Arc<Index> {
        self.index.load_full()
    }

    /// Rebuilds the index from the database and swaps it in atomically.
    pub async fn reload(&self) -> Result<(), DbError> {
        let index = Index::build(self.db.snapshot().await?);
        self.index.store(Arc::new(index));
        Ok(())
    }
}
