//! The `anlaufstelle` binary: parses the command line, opens the database and serves.

use anlaufstelle::cli::{
    Cli, Command, DbArgs, ExportArgs, ExportFormat, ImportArgs, ServeArgs, TokenCommand,
    TokenCreateArgs, TokenListArgs, TokenRevokeArgs,
};
use anlaufstelle::dataset::{Dataset, SAMPLE_JSON, csv};
use anlaufstelle::db::{Db, DbError};
use anlaufstelle::{AppState, app};
use anyhow::Context as _;
use clap::Parser as _;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version: print as clap formats them.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            // One clear line instead of clap's multi-line usage dump.
            let rendered = err.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            eprintln!("{first} (see `anlaufstelle --help`)");
            return ExitCode::from(2);
        }
    };

    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ANLAUFSTELLE_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve(*args).await,
            Command::Import(args) => import(args).await,
            Command::Export(args) => export(args).await,
            Command::Token(TokenCommand::Create(args)) => create_token(args).await,
            Command::Token(TokenCommand::List(args)) => list_tokens(args).await,
            Command::Token(TokenCommand::Revoke(args)) => revoke_token(args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database, creating the default data directory when it is used.
async fn open(args: &DbArgs) -> anyhow::Result<Db> {
    if args.database_url.is_none() {
        std::fs::create_dir_all(&args.data_dir)
            .with_context(|| format!("cannot create data directory {}", args.data_dir.display()))?;
    }
    let url = args.database_url();
    Db::connect(&url)
        .await
        .with_context(|| format!("cannot open database {url}"))
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {name}"))?;
    let is_csv = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let parsed = if is_csv {
        csv::read(&text, &name)
    } else {
        Dataset::from_json(&text).map_err(|e| vec![e])
    };
    let problems = match parsed {
        Ok(data) => {
            let db = open(&args.db).await?;
            match db.import(&data).await {
                Ok(()) => {
                    println!(
                        "imported {name}: {} regions, {} services, {} contacts, {} postcodes",
                        data.regions.len(),
                        data.services.len(),
                        data.contacts.len(),
                        data.postcodes.len()
                    );
                    return Ok(());
                }
                Err(DbError::InvalidDataset(problems)) if is_csv => csv::relocate(problems, &name),
                Err(DbError::InvalidDataset(problems)) => problems,
                Err(other) => return Err(other).context("import failed; nothing was written"),
            }
        }
        Err(problems) => problems,
    };
    // Every problem on its own line, with its place, so the Redaktion can fix them all at once.
    for problem in &problems {
        eprintln!("{name}: {problem}");
    }
    anyhow::bail!(
        "{} problem(s) in {name}; nothing was imported",
        problems.len()
    )
}

async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let db = open(&args.db).await?;
    let data = db.snapshot().await.context("reading the database")?;
    let text = match args.format {
        ExportFormat::Json => data.to_json(),
        ExportFormat::RegionsCsv => csv::write(&data, csv::Table::Regions),
        ExportFormat::PostcodesCsv => csv::write(&data, csv::Table::Postcodes),
        ExportFormat::ContactsCsv => csv::write(&data, csv::Table::Contacts),
    };
    match &args.file {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        _ => {
            use std::io::Write as _;
            std::io::stdout()
                .write_all(text.as_bytes())
                .context("cannot write to standard output")
        }
    }
}

async fn create_token(args: TokenCreateArgs) -> anyhow::Result<()> {
    use anlaufstelle::domain::LeikaKey;
    use anlaufstelle::notices::tokens::{Role, TokenRecord, generate, hash};
    let role = args.role();
    let name_ok = !args.name.is_empty()
        && args.name.len() <= 64
        && args
            .name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    anyhow::ensure!(
        name_ok,
        "`{}` is not a token name (1 to 64 letters, digits, `-`, `_` or `.`)",
        args.name
    );
    for key in &args.services {
        key.parse::<LeikaKey>()?;
    }
    for prefix in &args.regions {
        let valid = (2..=12).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_digit());
        anyhow::ensure!(
            valid,
            "`{prefix}` is not an ARS prefix (2 to 12 digits, e.g. 04)"
        );
    }
    anyhow::ensure!(
        role == Role::Operator || (args.services.is_empty() && args.regions.is_empty()),
        "an admin token cannot be limited with --leika or --ars: messages cross every service and region"
    );
    let now = jiff::Timestamp::now().round(jiff::Unit::Second)?;
    let expires_at = match (args.expires_in_days, args.expires) {
        (Some(days), _) => {
            Some(now.checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))?)
        }
        (None, Some(date)) => {
            // Through the end of that day where the operators work.
            let end = date
                .tomorrow()?
                .to_zoned(jiff::tz::TimeZone::get("Europe/Berlin")?)?
                .timestamp();
            anyhow::ensure!(end > now, "--expires {date} lies in the past");
            Some(end)
        }
        (None, None) => None,
    };
    let db = open(&args.db).await?;
    let token = generate();
    db.insert_token(&TokenRecord {
        services: args.services,
        regions: args.regions,
        expires_at,
        ..TokenRecord::new(args.name.clone(), hash(&token), role, now.to_string())
    })
    .await
    .with_context(|| format!("cannot create token `{}` (is the name taken?)", args.name))?;
    eprintln!(
        "{} token `{}` created. It is shown only now; store it safely:",
        if role == Role::Admin {
            "Admin"
        } else {
            "Operator"
        },
        args.name
    );
    println!("{token}");
    Ok(())
}

async fn list_tokens(args: TokenListArgs) -> anyhow::Result<()> {
    let db = open(&args.db).await?;
    let tokens = db.tokens().await?;
    if tokens.is_empty() {
        eprintln!("No tokens yet; create one with `anlaufstelle token create --name …`.");
        return Ok(());
    }
    let now = jiff::Timestamp::now();
    let mut rows = vec![[
        "NAME".to_string(),
        "ROLE".into(),
        "SCOPE".into(),
        "CREATED".into(),
        "EXPIRES".into(),
        "LAST USED".into(),
    ]];
    for t in &tokens {
        let mut scope = Vec::new();
        if !t.services.is_empty() {
            scope.push(format!("leika {}", t.services.join(",")));
        }
        if !t.regions.is_empty() {
            scope.push(format!("ars {}", t.regions.join(",")));
        }
        let expires = match t.expires_at {
            None => "never".to_string(),
            Some(at) if t.expired(now) => format!("{at} (expired)"),
            Some(at) => at.to_string(),
        };
        rows.push([
            t.name.clone(),
            t.role.as_str().to_string(),
            if scope.is_empty() {
                "all".into()
            } else {
                scope.join("; ")
            },
            t.created_at.clone(),
            expires,
            t.last_used_at
                .map_or_else(|| "never".into(), |at| at.to_string()),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    use std::io::Write as _;
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("cannot write to standard output")
}

async fn revoke_token(args: TokenRevokeArgs) -> anyhow::Result<()> {
    let db = open(&args.db).await?;
    anyhow::ensure!(
        db.revoke_token(&args.name).await?,
        "there is no token named `{}` (see `anlaufstelle token list`)",
        args.name
    );
    eprintln!(
        "Token `{}` revoked; it is refused from the next request on.",
        args.name
    );
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    // Checked before anything else starts, so a bad file is one clear line at once.
    let mut monitors = match &args.monitors {
        Some(path) => anlaufstelle::monitor::load_config(path)?,
        None => Vec::new(),
    };
    // So is an unusable --smtp-url, --smtp-from or --smtp-password-file.
    anlaufstelle::outbox::Mailer::from_config(&args.messages)?;
    if let Some(host) =
        (args.messages.smtp_url.as_deref()).and_then(anlaufstelle::outbox::plaintext_remote_host)
    {
        tracing::warn!(
            %host,
            "contact-form mail goes to the SMTP server unencrypted (smtp:// without tls=required); use smtps:// or ?tls=required"
        );
    }
    let db = open(&args.db).await?;

    if args.sample_data {
        if db.is_empty().await? {
            let data = Dataset::from_json(SAMPLE_JSON).context("bundled sample data")?;
            db.import(&data).await.context("importing sample data")?;
            tracing::info!(
                regions = data.regions.len(),
                contacts = data.contacts.len(),
                "imported sample data"
            );
        } else {
            tracing::info!("database already holds data; sample data not imported");
        }
    }

    // Every connection is an open file: take what the system allows, and size the caps by it.
    let file_limit = anlaufstelle::listener::raise_file_limit();
    let limits = args.limits.limits(file_limit);
    tracing::info!(
        file_limit,
        max_connections = limits.max_connections,
        max_connections_per_client = limits.max_connections_per_client,
        trusted_proxies = if !args.messages.trust_forwarded_for {
            "none".to_string()
        } else if args.messages.trusted_proxies.is_empty() {
            "any peer".to_string()
        } else {
            args.messages
                .trusted_proxies
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        },
        max_streams = limits.max_streams,
        max_streams_per_client = limits.max_streams_per_client,
        header_timeout_secs = limits.header_read_timeout.as_secs(),
        request_timeout_secs = limits.request_timeout.as_secs(),
        idle_timeout_secs = limits.idle_timeout.as_secs(),
        "connection caps (0 = none)"
    );
    if args.messages.trust_forwarded_for && args.messages.trusted_proxies.is_empty() {
        tracing::warn!(
            "--trust-forwarded-for without --trusted-proxies: X-Forwarded-For is believed from every peer; make sure only the proxy can reach this port, or name it"
        );
    }

    let state = AppState::load(db)
        .await
        .context("loading contact data")?
        .with_messages(args.messages.clone())
        .with_allowed_origins(args.allowed_origins.clone())
        .with_public_url(args.public_url.clone())
        .with_limits(limits.clone());
    tracing::info!(
        regions = state.index().region_count(),
        "resolve index built"
    );
    if !anlaufstelle::assets::widget_built() {
        tracing::warn!("this binary was built without the widget; run `cargo xtask build`");
    }

    // Maintenance windows open and close on the clock.
    let hub = state.notices.clone();
    let clock = state.clock;
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut previous = clock.now();
        loop {
            interval.tick().await;
            let now = clock.now();
            if let Err(e) = hub.tick(now, previous).await {
                tracing::error!(error = %e, "moving maintenance notices on failed");
            }
            previous = now;
        }
    });

    if !monitors.is_empty() {
        use anlaufstelle::monitor::{Monitor, fill_default_titles, spawn_all};
        fill_default_titles(&mut monitors, &state.service_names());
        let count = monitors.len();
        let monitors = monitors
            .into_iter()
            .map(|config| Monitor::new(config, &state.notices))
            .collect::<Result<Vec<_>, _>>()?;
        spawn_all(monitors, state.notices.clone(), state.clock);
        tracing::info!(count, "health monitors started");
    }

    // Contact-form delivery: woken by every committed message; and the hourly (and immediate)
    // deletion of personal data after the retention period.
    tokio::spawn(anlaufstelle::outbox::run(state.clone()));
    tokio::spawn(anlaufstelle::outbox::purge_hourly(state.clone()));
    // Rate-limiter keys of clients gone quiet are dropped every minute.
    tokio::spawn(anlaufstelle::messages::evict_idle_limits(state.clone()));

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    // Tests and scripts read this line to find a port chosen with `--listen …:0`.
    println!("listening on http://{addr}");
    tracing::info!(%addr, "serving");

    let intake = state.messages.clone();
    anlaufstelle::listener::serve(
        listener,
        app(state),
        limits,
        move |peer| intake.is_trusted_proxy(peer),
        shutdown_signal(),
        std::time::Duration::from_secs(10),
    )
    .await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
