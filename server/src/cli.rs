//! Command line of the `anlaufstelle` binary. Every flag can also be set through an environment
//! variable `ANLAUFSTELLE_<FLAG_NAME>`; a flag on the command line wins over the variable.

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// Import contact data (JSON, or CSV: regions, postcodes or contacts) — all or nothing.
    Import(ImportArgs),
    /// Export all contact data (JSON by default, or one CSV table).
    Export(ExportArgs),
    /// Manage bearer tokens for operators and monitoring.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `anlaufstelle token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once; only its hash is stored.
    Create(TokenCreateArgs),
}

/// Options of `anlaufstelle token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// Who or what uses the token, e.g. `betrieb-elterngeld` (unique).
    #[arg(long)]
    pub name: String,

    /// Limit the token to this service (LeiKa key); repeat for several.
    #[arg(long = "leika")]
    pub services: Vec<String>,

    /// Limit the token to this region (ARS prefix, e.g. `04`); repeat for several.
    #[arg(long = "ars")]
    pub regions: Vec<String>,

    /// Database location.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Where the data lives; shared by every subcommand.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// Directory for the default SQLite database.
    #[arg(long, env = "ANLAUFSTELLE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL, e.g. `sqlite:/var/lib/anlaufstelle/db.sqlite`
    /// [default: an SQLite file `anlaufstelle.sqlite` in --data-dir].
    #[arg(long, env = "ANLAUFSTELLE_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DbArgs {
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

/// Options of `anlaufstelle serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the chosen address is printed).
    #[arg(long, env = "ANLAUFSTELLE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database location.
    #[command(flatten)]
    pub db: DbArgs,

    /// Import the bundled sample data (all 16 Länder) if the database holds no contacts.
    #[arg(long, env = "ANLAUFSTELLE_SAMPLE_DATA")]
    pub sample_data: bool,

    /// JSON file listing online services to probe; an outage raises an incident by itself.
    #[arg(long, env = "ANLAUFSTELLE_MONITORS", value_name = "FILE")]
    pub monitors: Option<PathBuf>,
}

/// Options of `anlaufstelle import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// File to import: `.json` (the exchange format) or `.csv` (table recognised by its header).
    pub file: PathBuf,

    /// Database location.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `anlaufstelle export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// File to write; standard output when absent or `-`.
    pub file: Option<PathBuf>,

    /// What to write.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,

    /// Database location.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Everything, in the JSON exchange format.
    Json,
    /// Regions as CSV (Gemeindeverzeichnis style).
    RegionsCsv,
    /// PLZ ↔ ARS pairs as CSV.
    PostcodesCsv,
    /// Contacts as CSV.
    ContactsCsv,
}
