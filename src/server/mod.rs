//! `picbreeder serve`: the shared archive over HTTP, a thin face on
//! [`picbreeder::archive`]. axum on a small tokio runtime; every archive call blocks
//! (SQLite, rendering), so it runs on tokio's blocking threads (`spawn_blocking`), where
//! the archive's own writer lock and reader pool do the rest. Pictures are rendered at
//! most two at a time (a semaphore), so a flood of publishes queues instead of taking
//! every core from the readers.
//!
//! `main.rs` hands `picbreeder serve ...` here; the other faces never call the server.

mod api;
mod pages;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use clap::{Parser, Subcommand};
use picbreeder::archive::{Archive, RateLimit};
use picbreeder::limits::MAX_ARCHIVE_REQUEST_BYTES;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Run the shared archive: publish, browse and branch from each other's images.
#[derive(Parser)]
#[command(name = "picbreeder serve", version)]
struct ServeCli {
    #[command(subcommand)]
    command: Option<ServeCommand>,
    /// Address to listen on (port 0: any free port, printed on start).
    #[arg(long, default_value = "127.0.0.1:8080", global = true)]
    addr: String,
    /// The archive's database (made if missing).
    #[arg(long, default_value = "archive.sqlite", global = true)]
    db: PathBuf,
    /// Publishes and withdrawals one token may make at once...
    #[arg(long, default_value_t = 120, global = true)]
    burst: u32,
    /// ...and per minute after that.
    #[arg(long, default_value_t = 60, global = true)]
    per_minute: u32,
    /// Longest a request may take, in seconds (then 408).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    timeout: u64,
}

#[derive(Subcommand)]
enum ServeCommand {
    /// Add a person who may publish; prints their token once (only its hash is kept).
    AddUser {
        /// 1 to 40 letters, digits, '-', '_' or '.'.
        name: String,
    },
    /// Copy the archive while it serves (SQLite's online backup) to OUT.
    Backup { out: PathBuf },
}

/// How the server treats requests (the flags, or a test's choice).
#[derive(Clone, Copy, Debug)]
pub struct ServeConfig {
    pub burst: u32,
    pub per_minute: u32,
    pub timeout: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            burst: 120,
            per_minute: 60,
            timeout: Duration::from_secs(30),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
struct ServerState {
    archive: Arc<Archive>,
    rate: Arc<RateLimit>,
    renders: Arc<tokio::sync::Semaphore>,
}

/// The whole service: the API, the pages, and the limits in front of them.
fn router(archive: Arc<Archive>, config: ServeConfig) -> Router {
    let state = ServerState {
        archive,
        rate: Arc::new(RateLimit::new(config.burst, config.per_minute)),
        renders: Arc::new(tokio::sync::Semaphore::new(2)),
    };
    api::routes()
        .merge(pages::routes())
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_ARCHIVE_REQUEST_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_ARCHIVE_REQUEST_BYTES,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        .layer(axum::middleware::from_fn(api::errors_as_json))
}

/// A tokio runtime for the server: two workers (the machine's cores); blocking work
/// has tokio's own pool.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Serves on `listener` until `stop` resolves.
async fn serve_on(
    listener: std::net::TcpListener,
    archive: Arc<Archive>,
    config: ServeConfig,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, router(archive, config))
        .with_graceful_shutdown(stop)
        .await
}

fn say(line: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn complain(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "error: {line}");
}

/// `picbreeder serve ...` (`args` from `serve` on).
pub fn run(args: Vec<std::ffi::OsString>) -> ExitCode {
    let cli = match ServeCli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("cannot read the command line");
            complain(format_args!(
                "{}",
                first.strip_prefix("error: ").unwrap_or(first)
            ));
            return ExitCode::from(2);
        }
    };
    let archive = match Archive::open(&cli.db) {
        Ok(a) => Arc::new(a),
        Err(e) => {
            complain(format_args!("{e}"));
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(ServeCommand::AddUser { name }) => match archive.add_user(&name) {
            Ok(token) => {
                say(format_args!(
                    "added {name}; their token (shown once, keep it):"
                ));
                say(format_args!("{token}"));
                ExitCode::SUCCESS
            }
            Err(e) => {
                complain(format_args!("{e}"));
                ExitCode::FAILURE
            }
        },
        Some(ServeCommand::Backup { out }) => {
            if out.exists() {
                complain(format_args!(
                    "{}: already exists; give a new file for the backup",
                    out.display()
                ));
                return ExitCode::FAILURE;
            }
            match archive.backup(&out) {
                Ok(()) => {
                    say(format_args!(
                        "backed up {} to {}",
                        cli.db.display(),
                        out.display()
                    ));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    complain(format_args!("{e}"));
                    ExitCode::FAILURE
                }
            }
        }
        None => {
            let config = ServeConfig {
                burst: cli.burst,
                per_minute: cli.per_minute,
                timeout: Duration::from_secs(cli.timeout),
            };
            let listener = match std::net::TcpListener::bind(&cli.addr) {
                Ok(l) => l,
                Err(e) => {
                    complain(format_args!("cannot listen on {}: {e}", cli.addr));
                    return ExitCode::FAILURE;
                }
            };
            let local = listener
                .local_addr()
                .map_or(cli.addr.clone(), |a| a.to_string());
            say(format_args!(
                "archive {} listening on http://{local}",
                cli.db.display()
            ));
            let served = runtime().and_then(|rt| {
                rt.block_on(serve_on(listener, archive, config, async {
                    let _ = tokio::signal::ctrl_c().await;
                }))
            });
            match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    complain(format_args!("the server stopped: {e}"));
                    ExitCode::FAILURE
                }
            }
        }
    }
}
