//! `picbreeder library`: the sessions the window keeps (list, show one, export one as a
//! session file, import a session file as a new session, delete), and `grow`, which
//! breeds into the library headless (scripts, and the crash tests).

use picbreeder::breed::Session;
use picbreeder::store::{LIBRARY_FILE, SessionId, Store, StoreError, date};
use std::path::PathBuf;

/// The library of sessions the window keeps (in the saves folder, `$PICBREEDER_SAVES`
/// or `saves/`).
#[derive(clap::Args)]
pub struct Args {
    /// The library file (default: library.sqlite in the saves folder).
    #[arg(long, global = true)]
    library: Option<PathBuf>,
    #[command(subcommand)]
    command: LibraryCommand,
}

#[derive(clap::Subcommand)]
enum LibraryCommand {
    /// Every session: number, name, generations, last change.
    List,
    /// One session's tree of generations.
    Show { id: SessionId },
    /// One session as a session file (the share format).
    Export {
        id: SessionId,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// A session file as a new session.
    Import {
        file: PathBuf,
        #[arg(long)]
        name: Option<String>,
    },
    /// Delete a session (the window can still undo it until `--purge`).
    Delete {
        id: Option<SessionId>,
        /// Remove deleted sessions for good.
        #[arg(long)]
        purge: bool,
    },
    /// Breed N generations into a session (a new one from --new SEED, else --session),
    /// each saved as it is made.
    #[command(hide = true)]
    Grow {
        #[arg(long)]
        session: Option<SessionId>,
        /// Grow a copy of --session as a new session (it may be open elsewhere).
        #[arg(long, requires = "session")]
        copy: bool,
        #[arg(long)]
        new: Option<u64>,
        #[arg(long, default_value_t = 10)]
        generations: usize,
    },
}

fn library_path(arg: Option<PathBuf>) -> Result<PathBuf, String> {
    match arg {
        Some(p) => Ok(p),
        None => Ok(picbreeder::store::saves_folder()?.join(LIBRARY_FILE)),
    }
}

pub fn run(args: Args) -> Result<(), String> {
    let path = library_path(args.library)?;
    let reads_only = matches!(
        args.command,
        LibraryCommand::List | LibraryCommand::Show { .. } | LibraryCommand::Export { .. }
    );
    let mut store = if reads_only && path.exists() {
        // Reading writes nothing: a read-only library can be listed and exported.
        Store::open_read_only(&path).map_err(|e| e.to_string())?
    } else {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        Store::open(&path).map_err(|e| e.to_string())?
    };
    let err = |e: picbreeder::store::StoreError| e.to_string();
    match args.command {
        LibraryCommand::List => {
            for s in store.sessions().map_err(err)? {
                outln!(
                    "{:>5}  {:<30}  {:>5} generations, at generation {:<5}  changed {}",
                    s.id,
                    s.name,
                    s.generations,
                    s.generation_number,
                    date(s.updated)
                );
            }
        }
        LibraryCommand::Show { id } => {
            let info = store.session_info(id).map_err(err)?;
            let s = store.load_session(id).map_err(err)?;
            outln!(
                "session {id}: {}{}, made {}, changed {}",
                info.name,
                if info.deleted { " (deleted)" } else { "" },
                date(info.created),
                date(info.updated)
            );
            out!("{}", super::session::describe(&s));
        }
        LibraryCommand::Export { id, output } => {
            super::guard::output(&output, &[], super::guard::OutputKind::Session)?;
            let s = store.load_session(id).map_err(err)?;
            s.save(&output).map_err(|e| e.to_string())?;
            super::guard::wrote(&output);
            outln!(
                "wrote {} ({} generations)",
                output.display(),
                s.generations().len()
            );
        }
        LibraryCommand::Import { file, name } => {
            let s = Session::load(&file).map_err(|e| e.to_string())?;
            let name = name.unwrap_or_else(|| {
                file.file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            let id = store.create_session(&name, &s).map_err(err)?;
            outln!(
                "imported {} as session {id} ({} generations)",
                file.display(),
                s.generations().len()
            );
        }
        LibraryCommand::Delete { id, purge } => {
            if let Some(id) = id {
                store.delete_session(id).map_err(err)?;
                outln!("deleted session {id}");
            }
            if purge {
                let n = store.purge_deleted().map_err(err)?;
                outln!("removed {n} deleted session(s) for good");
            }
            if id.is_none() && !purge {
                return Err("give a session number, or --purge".into());
            }
        }
        LibraryCommand::Grow {
            session,
            copy,
            new,
            generations,
        } => grow(&mut store, session, copy, new, generations)?,
    }
    Ok(())
}

/// Evolves `n` generations, two parents chosen by the generation's number, saving each
/// one as it is made and saying so (a test kills this at random moments and then
/// counts what it said).
fn grow(
    store: &mut Store,
    session: Option<SessionId>,
    copy: bool,
    new: Option<u64>,
    n: usize,
) -> Result<(), String> {
    let err = |e: StoreError| e.to_string();
    let (id, mut s) = match (session, new) {
        (Some(from), _) if copy => {
            let s = store.load_session(from).map_err(err)?;
            let name = format!("copy of session {from}");
            (store.create_session(&name, &s).map_err(err)?, s)
        }
        (Some(id), _) => {
            // Leased before it is read: what is read is what this process grows.
            store.lease(id).map_err(|e| match e {
                StoreError::Leased { .. } => {
                    format!("{e}; add --copy to grow a copy of it as a new session")
                }
                e => e.to_string(),
            })?;
            (id, store.load_session(id).map_err(err)?)
        }
        (None, Some(seed)) => {
            let s = Session::new(seed);
            (
                store
                    .create_session(&format!("grown {seed}"), &s)
                    .map_err(err)?,
                s,
            )
        }
        (None, None) => return Err("give --session ID or --new SEED".into()),
    };
    outln!("session {id}");
    for _ in 0..n {
        let k = s.generations().len();
        let count = s.genomes().len();
        s.clear_selection();
        s.set_parent(k % count, true);
        s.set_parent((k * 7 + 3) % count, true);
        s.evolve().map_err(|e| e.to_string())?;
        store.save(id, &s).map_err(err)?;
        outln!("saved {}", s.generations().len());
    }
    Ok(())
}
