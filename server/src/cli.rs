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
    Serve(Box<ServeArgs>),
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
    /// List the tokens: name, role, scope, created, expires, last used (never the token or its
    /// hash).
    List(TokenListArgs),
    /// Revoke a token: it is refused from the next request on.
    Revoke(TokenRevokeArgs),
}

/// Options of `anlaufstelle token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// Who or what uses the token, e.g. `betrieb-elterngeld` (unique; letters, digits, `-`,
    /// `_`, `.`).
    #[arg(long)]
    pub name: String,

    /// Limit the token to this service (LeiKa key); repeat for several.
    #[arg(long = "leika")]
    pub services: Vec<String>,

    /// Limit the token to this region (ARS prefix, e.g. `04`); repeat for several.
    #[arg(long = "ars")]
    pub regions: Vec<String>,

    /// `operator` (default): raises and changes notices in its scope. `admin`: also
    /// administers contact-form messages; never scoped.
    #[arg(long, value_enum, default_value_t = crate::notices::tokens::Role::Operator)]
    pub role: crate::notices::tokens::Role,

    /// Short for `--role admin`.
    #[arg(long, conflicts_with = "role")]
    pub admin: bool,

    /// The token stops working after this many days.
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "expires",
        value_parser = clap::value_parser!(u32).range(1..=36_500)
    )]
    pub expires_in_days: Option<u32>,

    /// The token works until the end of this day (Europe/Berlin), e.g. `2027-03-31`.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub expires: Option<jiff::civil::Date>,

    /// Database location.
    #[command(flatten)]
    pub db: DbArgs,
}

impl TokenCreateArgs {
    /// The role asked for, by `--role` or `--admin`.
    pub fn role(&self) -> crate::notices::tokens::Role {
        if self.admin {
            crate::notices::tokens::Role::Admin
        } else {
            self.role
        }
    }
}

/// Options of `anlaufstelle token list`.
#[derive(Debug, Args)]
pub struct TokenListArgs {
    /// Database location.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Options of `anlaufstelle token revoke`.
#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    /// The token's name, as `anlaufstelle token list` shows it.
    pub name: String,

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

    /// Portal origins allowed to use the API from their pages (CORS), comma-separated, e.g.
    /// `https://www.service.bremen.de,https://serviceportal.example`. Default: any origin.
    #[arg(long, env = "ANLAUFSTELLE_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Address portals reach this server at, e.g. `https://hilfe.example.de` (a path prefix is
    /// kept). The widget manifest builds its URLs and host CSP from it. Default: the request's
    /// Host header, `https` only if a trusted proxy says so (--trust-forwarded-for).
    #[arg(
        long,
        env = "ANLAUFSTELLE_PUBLIC_URL",
        value_name = "URL",
        value_parser = crate::assets::PublicUrl::parse
    )]
    pub public_url: Option<crate::assets::PublicUrl>,

    /// Connection caps and timeouts.
    #[command(flatten)]
    pub limits: LimitArgs,

    /// Contact form and message delivery.
    #[command(flatten)]
    pub messages: MessageArgs,
}

/// What one client may hold, and how long the server waits for it. The caps default to
/// shares of the open-file limit (raised to its hard limit at start); the effective values are
/// logged at start.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Open connections in total [default: the open-file limit minus 256].
    #[arg(long, env = "ANLAUFSTELLE_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,

    /// Open connections per client address (IPv6: per /64); 0 = no cap. Not applied with
    /// --trust-forwarded-for, where every connection comes from the proxy [default: 512].
    #[arg(long, env = "ANLAUFSTELLE_MAX_CONNECTIONS_PER_CLIENT")]
    pub max_connections_per_client: Option<usize>,

    /// Open notice streams in total; past it new streams get 503 and the widget polls
    /// [default: three quarters of --max-connections].
    #[arg(long, env = "ANLAUFSTELLE_MAX_STREAMS")]
    pub max_streams: Option<usize>,

    /// Open notice streams per client address (IPv6: per /64; behind a trusted proxy the
    /// forwarded address) [default: 256].
    #[arg(long, env = "ANLAUFSTELLE_MAX_STREAMS_PER_CLIENT")]
    pub max_streams_per_client: Option<usize>,

    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "ANLAUFSTELLE_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,

    /// Seconds a request, its body included, may take until it is answered.
    #[arg(long, env = "ANLAUFSTELLE_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,

    /// Seconds without a byte in either direction after which a connection is closed (event
    /// streams send a heartbeat every third of this, at most every 15 s).
    #[arg(long, env = "ANLAUFSTELLE_IDLE_TIMEOUT", default_value_t = 60)]
    pub idle_timeout: u64,
}

impl LimitArgs {
    /// The limits for a process allowed `file_limit` open files.
    pub fn limits(&self, file_limit: u64) -> crate::listener::Limits {
        use std::time::Duration;
        let mut limits = crate::listener::Limits::for_file_limit(file_limit);
        if let Some(n) = self.max_connections {
            // The shares follow the total, as they do for the file limit.
            let scaled = crate::listener::Limits::for_connections(n);
            limits.max_connections = scaled.max_connections;
            limits.max_connections_per_client = scaled.max_connections_per_client;
            limits.max_streams = scaled.max_streams;
            limits.max_streams_per_client = scaled.max_streams_per_client;
        }
        if let Some(n) = self.max_connections_per_client {
            limits.max_connections_per_client = n;
        }
        if let Some(n) = self.max_streams {
            limits.max_streams = n;
        }
        if let Some(n) = self.max_streams_per_client {
            limits.max_streams_per_client = n;
        }
        // A per-client share above the total would be no share at all.
        limits.max_streams = limits.max_streams.clamp(1, limits.max_connections);
        limits.max_connections_per_client = limits
            .max_connections_per_client
            .min(limits.max_connections);
        limits.max_streams_per_client = limits.max_streams_per_client.clamp(1, limits.max_streams);
        limits.header_read_timeout = Duration::from_secs(self.header_timeout.max(1));
        limits.request_timeout = Duration::from_secs(self.request_timeout.max(1));
        limits.idle_timeout = Duration::from_secs(self.idle_timeout.max(1));
        limits
    }
}

/// Contact-form intake and delivery of messages to the Funktionspostfächer.
#[derive(Clone, Args)]
pub struct MessageArgs {
    /// SMTP server for delivery: `smtp://host:25` (plain), `smtp://host:587?tls=required`
    /// (STARTTLS), `smtps://user:password@host:465` (TLS). Without it messages are accepted
    /// and kept queued until a server is configured.
    // The URL may hold the password: `--help` must not print the variable's value.
    #[arg(
        long,
        env = "ANLAUFSTELLE_SMTP_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,

    /// File whose content (trimmed) is the SMTP password; it replaces a password in
    /// --smtp-url, which then names only the user (`smtps://user@host:465`).
    #[arg(long, env = "ANLAUFSTELLE_SMTP_PASSWORD_FILE", value_name = "FILE")]
    pub smtp_password_file: Option<PathBuf>,

    /// Sender address of delivered messages and confirmations.
    #[arg(
        long,
        env = "ANLAUFSTELLE_SMTP_FROM",
        default_value = "Anlaufstelle <noreply@anlaufstelle.invalid>"
    )]
    pub smtp_from: String,

    /// Days after delivery (or after giving up, or after receipt for a message never
    /// delivered) when message texts and personal data are deleted.
    #[arg(long, env = "ANLAUFSTELLE_RETENTION_DAYS", default_value_t = 30)]
    pub retention_days: u32,

    /// Delivery attempts before a message is set aside as dead (an admin can retry it).
    #[arg(long, env = "ANLAUFSTELLE_MAX_ATTEMPTS", default_value_t = 10)]
    pub max_attempts: u32,

    /// Secret that signs form tokens; set the same value on every instance. Default: random
    /// per start (tokens then survive no restart).
    #[arg(long, env = "ANLAUFSTELLE_MESSAGE_SECRET", hide_env_values = true)]
    pub message_secret: Option<String>,

    /// Seconds a form must be open before it can be sent (bots are faster).
    #[arg(long, env = "ANLAUFSTELLE_MIN_FILL_SECONDS", default_value_t = 3)]
    pub min_fill_seconds: u64,

    /// Messages one client address may send per 10 minutes.
    #[arg(long, env = "ANLAUFSTELLE_RATE_LIMIT_CLIENT", default_value_t = 5)]
    pub rate_limit_client: u32,

    /// Messages per recipient mailbox (Funktionspostfach) per hour, over all clients and
    /// services (`--rate-limit-recipient` is the same flag).
    #[arg(
        long,
        visible_alias = "rate-limit-recipient",
        env = "ANLAUFSTELLE_RATE_LIMIT_SERVICE",
        default_value_t = 300
    )]
    pub rate_limit_service: u32,

    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy): the
    /// entry the outermost trusted proxy appended (see --trusted-proxy-hops).
    #[arg(long, env = "ANLAUFSTELLE_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Trusted proxies in a row in front of this server (with --trust-forwarded-for): the
    /// client address is the N-th `X-Forwarded-For` entry from the right.
    #[arg(long, env = "ANLAUFSTELLE_TRUSTED_PROXY_HOPS", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub trusted_proxy_hops: u32,

    /// Addresses of the trusted proxies (IPs or CIDR ranges, comma-separated, e.g.
    /// `10.0.0.0/8,192.0.2.10`): with --trust-forwarded-for, `X-Forwarded-For` is believed only
    /// from these, and only they are exempt from the per-client connection cap. Empty: every
    /// peer is taken for the proxy (only when nothing else can reach the port).
    #[arg(long, env = "ANLAUFSTELLE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Privacy notice the consent checkbox links to (absolute, or relative to this server).
    #[arg(
        long,
        env = "ANLAUFSTELLE_PRIVACY_URL",
        default_value = "/demo/datenschutz.html"
    )]
    pub privacy_url: String,
}

impl std::fmt::Debug for MessageArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may hold a password and the secret signs tokens: never in a log.
        let hidden = |set: bool| if set { Some("<hidden>") } else { None };
        f.debug_struct("MessageArgs")
            .field("smtp_url", &hidden(self.smtp_url.is_some()))
            .field("smtp_password_file", &self.smtp_password_file)
            .field("smtp_from", &self.smtp_from)
            .field("retention_days", &self.retention_days)
            .field("max_attempts", &self.max_attempts)
            .field("message_secret", &hidden(self.message_secret.is_some()))
            .field("min_fill_seconds", &self.min_fill_seconds)
            .field("rate_limit_client", &self.rate_limit_client)
            .field("rate_limit_service", &self.rate_limit_service)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("trusted_proxy_hops", &self.trusted_proxy_hops)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("privacy_url", &self.privacy_url)
            .finish()
    }
}

impl Default for MessageArgs {
    fn default() -> Self {
        Self {
            smtp_url: None,
            smtp_password_file: None,
            smtp_from: "Anlaufstelle <noreply@anlaufstelle.invalid>".into(),
            retention_days: 30,
            max_attempts: 10,
            message_secret: None,
            min_fill_seconds: 3,
            rate_limit_client: 5,
            rate_limit_service: 300,
            trust_forwarded_for: false,
            trusted_proxy_hops: 1,
            trusted_proxies: Vec::new(),
            privacy_url: "/demo/datenschutz.html".into(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn limit_args(extra: &[&str]) -> LimitArgs {
        let mut args = vec!["anlaufstelle", "serve"];
        args.extend_from_slice(extra);
        match Cli::try_parse_from(args).expect("parses").command {
            Command::Serve(serve) => serve.limits,
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn a_smaller_total_takes_the_per_client_shares_down_with_it() {
        let limits = limit_args(&["--max-connections", "100"]).limits(20_000);
        assert_eq!(limits.max_connections, 100);
        assert_eq!(limits.max_connections_per_client, 25);
        assert_eq!(limits.max_streams, 75);
        assert!(limits.max_streams_per_client <= 19);
    }

    #[test]
    fn no_per_client_share_exceeds_its_total() {
        let limits = limit_args(&[
            "--max-connections",
            "50",
            "--max-connections-per-client",
            "500",
            "--max-streams",
            "10",
            "--max-streams-per-client",
            "99",
        ])
        .limits(20_000);
        assert_eq!(limits.max_connections_per_client, 50);
        assert_eq!(limits.max_streams, 10);
        assert_eq!(limits.max_streams_per_client, 10);
    }
}
