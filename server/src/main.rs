//! The `anlaufstelle` binary: parses the command line, opens the database and serves.

use anlaufstelle::cli::{Cli, Command, ServeArgs};
use anlaufstelle::dataset::{Dataset, SAMPLE_JSON};
use anlaufstelle::db::Db;
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
            Command::Serve(args) => serve(args).await,
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

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if args.database_url.is_none() {
        std::fs::create_dir_all(&args.data_dir)
            .with_context(|| format!("cannot create data directory {}", args.data_dir.display()))?;
    }
    let url = args.database_url();
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("cannot open database {url}"))?;

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

    let state = AppState::load(db).await.context("loading contact data")?;
    tracing::info!(
        regions = state.index().region_count(),
        "resolve index built"
    );
    if !anlaufstelle::assets::widget_built() {
        tracing::warn!("this binary was built without the widget; run `cargo xtask build`");
    }

    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    // Tests and scripts read this line to find a port chosen with `--listen …:0`.
    println!("listening on http://{addr}");
    tracing::info!(%addr, "serving");

    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")
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
