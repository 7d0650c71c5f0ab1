//! Command line of the `anlaufstelle` binary. Every flag can also be set through an environment
//! variable `ANLAUFSTELLE_<FLAG_NAME>`; a flag on the command line wins over the variable.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Anlaufstelle — "Wer kann mir helfen?" for German online services.
#[derive(Debug, Parser)]
#[command(name = "anlaufstelle", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the widget and the demo page.
    Serve(ServeArgs),
}

/// Options of `anlaufstelle serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the chosen address is printed).
    #[arg(long, env = "ANLAUFSTELLE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Directory for the default SQLite database.
    #[arg(long, env = "ANLAUFSTELLE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL, e.g. `sqlite:/var/lib/anlaufstelle/db.sqlite`
    /// [default: an SQLite file `anlaufstelle.sqlite` in --data-dir].
    #[arg(long, env = "ANLAUFSTELLE_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Import the bundled sample data (all 16 Länder) if the database is empty.
    #[arg(long, env = "ANLAUFSTELLE_SAMPLE_DATA")]
    pub sample_data: bool,
}

impl ServeArgs {
    /// The database URL to use: the given one, or the default file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite:{}",
                self.data_dir.join("anlaufstelle.sqlite").display()
            ),
        }
    }
}
