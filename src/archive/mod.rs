//! The shared archive: breeders publish genomes, browse each other's, branch from one
//! and keep the ancestry across people. Storage and rules live here (no HTTP); the
//! server (`src/server/`) is a thin face that turns requests into these calls.
//!
//! One SQLite file (WAL, `synchronous=FULL`, so an acknowledged publish survives a
//! killed process or machine). Writes go through one connection in a transaction each;
//! reads take a connection from a small pool, so readers never wait on a writer. Every
//! call blocks: an async caller runs it on a blocking thread.

mod pool;
mod publish;
mod rate;
mod schema;
mod users;

#[cfg(test)]
mod tests;

pub use publish::{Draft, PICTURE_SIDE, Publishable, THUMBNAIL_SIDE, check_tags, check_title};
pub use rate::RateLimit;
pub use users::{User, check_user_name, hash_token, new_token};

use crate::cppn::genome::Genome;
use pool::Pool;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// An item's number in the archive.
pub type ItemId = i64;

/// Why the archive refused or failed a request; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The request itself is wrong (a bad genome, title, tag, page).
    #[error("{0}")]
    Invalid(String),
    /// Too big: a genome over the archive's limits or the memory budget.
    #[error("{0}")]
    TooLarge(String),
    /// No token, or one the archive does not know.
    #[error("{0}")]
    Unauthorized(String),
    /// A known person asking for what is not theirs.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The same name taken, or a state that forbids it.
    #[error("{0}")]
    Conflict(String),
    /// Too many publishes from one token; retry after this many seconds.
    #[error("too many requests from this token: try again in {0} s")]
    RateLimited(u64),
    /// The database failed (disk full, file gone): the request is not done.
    #[error("archive {}: {source}", path.display())]
    Db {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// An item as listed: everything but the genome and pictures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub id: ItemId,
    pub title: String,
    pub author: String,
    pub tags: Vec<String>,
    /// Seconds since 1970 (UTC).
    pub created: i64,
    /// The item this one was branched from, if any.
    pub branched_from: Option<ItemId>,
    /// Published items branched from this one (withdrawn ones not counted).
    pub branches: i64,
    /// How many recorded generations lie between `branched_from` and this one.
    pub chain_length: i64,
    /// Withdrawn by its author: out of the listings, kept in others' lineage.
    pub withdrawn: bool,
}

/// One item with its genome (native JSON).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemDetail {
    #[serde(flatten)]
    pub summary: ItemSummary,
    pub genome: serde_json::Value,
}

/// The order of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Newest,
    /// Most branched from first (then newest).
    Branched,
}

impl Sort {
    /// The name in URLs and JSON (stable).
    pub fn name(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Branched => "branched",
        }
    }
}

/// What a listing asks for: an order, an optional tag and text, a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub sort: Sort,
    pub tag: Option<String>,
    /// Words that must all appear in the title or a tag (case-insensitive).
    pub text: Option<String>,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            sort: Sort::Newest,
            tag: None,
            text: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// Items on one page unless asked otherwise, and the most one page may hold.
pub const DEFAULT_PER_PAGE: u32 = 24;
pub const MAX_PER_PAGE: u32 = 100;
/// Pages past this are refused: a listing is for browsing, and deep offsets cost a scan.
pub const MAX_PAGE: u32 = 10_000;

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub items: Vec<ItemSummary>,
    pub page: u32,
    pub per_page: u32,
    /// Whether a next page has items.
    pub more: bool,
}

/// The archive: one database file.
pub struct Archive {
    path: PathBuf,
    writer: std::sync::Mutex<Connection>,
    readers: Pool,
}

/// Seconds since 1970.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

const SUMMARY_COLUMNS: &str = "i.id, i.title, u.name, i.created, i.parent, i.branches, i.chain_length, i.withdrawn IS NOT NULL, i.tags";

fn summary_row(r: &rusqlite::Row) -> rusqlite::Result<ItemSummary> {
    let tags: String = r.get(8)?;
    Ok(ItemSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        author: r.get(2)?,
        created: r.get(3)?,
        branched_from: r.get(4)?,
        branches: r.get(5)?,
        chain_length: r.get(6)?,
        withdrawn: r.get(7)?,
        tags: tags
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
    })
}

impl Archive {
    /// Opens (or makes) the archive at `path`.
    pub fn open(path: &Path) -> Result<Archive, ArchiveError> {
        let db = |source| ArchiveError::Db {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(db)?;
        schema::prepare(&conn).map_err(|e| match e {
            schema::SchemaError::Db(source) => db(source),
            schema::SchemaError::Foreign(why) => {
                ArchiveError::Invalid(format!("{}: {why}", path.display()))
            }
        })?;
        Ok(Archive {
            path: path.to_path_buf(),
            writer: std::sync::Mutex::new(conn),
            readers: Pool::new(path),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn db(&self, source: rusqlite::Error) -> ArchiveError {
        ArchiveError::Db {
            path: self.path.clone(),
            source,
        }
    }

    /// Runs `f` in one write transaction (IMMEDIATE, so it never fails half-way on a
    /// lock), committed only if `f` succeeds.
    fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T, ArchiveError>,
    ) -> Result<T, ArchiveError> {
        // A panic while holding the lock leaves no transaction open (it rolled back
        // when dropped), so the connection is still good.
        let mut conn = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.db(e))?;
        let out = f(&tx)?;
        tx.commit().map_err(|e| self.db(e))?;
        Ok(out)
    }

    /// Runs `f` on a reading connection.
    fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ArchiveError>,
    ) -> Result<T, ArchiveError> {
        let conn = self.readers.take().map_err(|e| self.db(e))?;
        let out = f(&conn);
        self.readers.give_back(conn);
        out
    }

    /// Adds a person; returns the token to give them (the archive keeps only its hash).
    pub fn add_user(&self, name: &str) -> Result<String, ArchiveError> {
        check_user_name(name)?;
        let token = new_token();
        let hash = hash_token(&token);
        self.write(|tx| {
            let taken: bool = tx
                .query_row("SELECT 1 FROM users WHERE name=?1", [name], |_| Ok(true))
                .optional()
                .map_err(|e| self.db(e))?
                .unwrap_or(false);
            if taken {
                return Err(ArchiveError::Conflict(format!(
                    "a user named '{name}' already exists"
                )));
            }
            tx.execute(
                "INSERT INTO users(name, token_hash, created) VALUES(?1, ?2, ?3)",
                params![name, hash, now()],
            )
            .map_err(|e| self.db(e))?;
            Ok(())
        })?;
        Ok(token)
    }

    /// The person a token belongs to.
    pub fn authenticate(&self, token: &str) -> Result<User, ArchiveError> {
        let hash = hash_token(token);
        self.read(|c| {
            c.query_row(
                "SELECT id, name FROM users WHERE token_hash=?1",
                [hash],
                |r| {
                    Ok(User {
                        id: r.get(0)?,
                        name: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db(e))?
            .ok_or_else(|| {
                ArchiveError::Unauthorized("this token is not known to the archive".into())
            })
        })
    }

    /// Publishes a prepared item (validated, thumbnails made) as `author`'s.
    pub fn publish(&self, author: &User, item: &Publishable) -> Result<ItemId, ArchiveError> {
        self.write(|tx| {
            if let Some(parent) = item.branched_from {
                let found: Option<i64> = tx
                    .query_row("SELECT id FROM items WHERE id=?1", [parent], |r| r.get(0))
                    .optional()
                    .map_err(|e| self.db(e))?;
                if found.is_none() {
                    return Err(ArchiveError::NotFound(format!(
                        "branched_from: there is no item {parent} to branch from"
                    )));
                }
            }
            tx.execute(
                "INSERT INTO items(author, parent, title, tags, created, chain_length)
                 VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    author.id,
                    item.branched_from,
                    item.title,
                    item.tags.join(" "),
                    now(),
                    item.chain.len() as i64
                ],
            )
            .map_err(|e| self.db(e))?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO item_files(item, genome, thumbnail, picture) VALUES(?1, ?2, ?3, ?4)",
                params![id, item.genome_json, item.thumbnail, item.picture],
            )
            .map_err(|e| self.db(e))?;
            for tag in &item.tags {
                tx.execute(
                    "INSERT OR IGNORE INTO item_tags(tag, item) VALUES(?1, ?2)",
                    params![tag, id],
                )
                .map_err(|e| self.db(e))?;
            }
            for (i, g) in item.chain.iter().enumerate() {
                tx.execute(
                    "INSERT INTO item_chain(item, position, genome) VALUES(?1, ?2, ?3)",
                    params![id, i as i64, g],
                )
                .map_err(|e| self.db(e))?;
            }
            if let Some(parent) = item.branched_from {
                tx.execute(
                    "UPDATE items SET branches = branches + 1 WHERE id=?1",
                    [parent],
                )
                .map_err(|e| self.db(e))?;
            }
            Ok(id)
        })
    }

    /// Withdraws `author`'s item: it leaves the listings and its parent's branch count,
    /// and stays in the lineage of every item branched from it.
    pub fn withdraw(&self, author: &User, id: ItemId) -> Result<(), ArchiveError> {
        self.write(|tx| {
            let row: Option<(i64, Option<i64>, bool)> = tx
                .query_row(
                    "SELECT author, parent, withdrawn IS NOT NULL FROM items WHERE id=?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(|e| self.db(e))?;
            let Some((owner, parent, withdrawn)) = row else {
                return Err(ArchiveError::NotFound(format!("there is no item {id}")));
            };
            if owner != author.id {
                return Err(ArchiveError::Forbidden(format!(
                    "item {id} is not yours to withdraw (only its author may)"
                )));
            }
            if withdrawn {
                return Ok(());
            }
            tx.execute(
                "UPDATE items SET withdrawn=?1 WHERE id=?2",
                params![now(), id],
            )
            .map_err(|e| self.db(e))?;
            if let Some(parent) = parent {
                tx.execute(
                    "UPDATE items SET branches = max(branches - 1, 0) WHERE id=?1",
                    [parent],
                )
                .map_err(|e| self.db(e))?;
            }
            Ok(())
        })
    }

    /// One page of the published (not withdrawn) items.
    pub fn list(&self, q: &ListQuery) -> Result<Listing, ArchiveError> {
        if q.page == 0 || q.page > MAX_PAGE {
            return Err(ArchiveError::Invalid(format!(
                "page {} is out of range 1..={MAX_PAGE}",
                q.page
            )));
        }
        if q.per_page == 0 || q.per_page > MAX_PER_PAGE {
            return Err(ArchiveError::Invalid(format!(
                "per_page {} is out of range 1..={MAX_PER_PAGE}",
                q.per_page
            )));
        }
        let mut sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM items i JOIN users u ON u.id = i.author WHERE i.withdrawn IS NULL"
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(tag) = &q.tag {
            args.push(tag.to_lowercase());
            sql.push_str(&format!(
                " AND i.id IN (SELECT item FROM item_tags WHERE tag=?{})",
                args.len()
            ));
        }
        if let Some(text) = &q.text {
            for word in text.split_whitespace().take(8) {
                let escaped = word
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                args.push(format!("%{escaped}%"));
                let n = args.len();
                sql.push_str(&format!(
                    " AND (lower(i.title) LIKE ?{n} ESCAPE '\\' OR i.tags LIKE ?{n} ESCAPE '\\' OR u.name LIKE ?{n} ESCAPE '\\')"
                ));
            }
        }
        sql.push_str(match q.sort {
            Sort::Newest => " ORDER BY i.id DESC",
            Sort::Branched => " ORDER BY i.branches DESC, i.id DESC",
        });
        let offset = u64::from(q.page - 1) * u64::from(q.per_page);
        sql.push_str(&format!(" LIMIT {} OFFSET {offset}", q.per_page + 1));
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql).map_err(|e| self.db(e))?;
            let mut items: Vec<ItemSummary> = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), summary_row)
                .and_then(|rows| rows.collect())
                .map_err(|e| self.db(e))?;
            let more = items.len() > q.per_page as usize;
            items.truncate(q.per_page as usize);
            Ok(Listing {
                items,
                page: q.page,
                per_page: q.per_page,
                more,
            })
        })
    }

    fn summary_in(&self, c: &Connection, id: ItemId) -> Result<ItemSummary, ArchiveError> {
        c.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM items i JOIN users u ON u.id = i.author WHERE i.id=?1"
        ))
        .and_then(|mut s| s.query_row([id], summary_row).optional())
        .map_err(|e| self.db(e))?
        .ok_or_else(|| ArchiveError::NotFound(format!("there is no item {id}")))
    }

    /// One item, withdrawn or not (a withdrawn one is still part of others' lineage).
    pub fn summary(&self, id: ItemId) -> Result<ItemSummary, ArchiveError> {
        self.read(|c| self.summary_in(c, id))
    }

    /// One item with its genome.
    pub fn item(&self, id: ItemId) -> Result<ItemDetail, ArchiveError> {
        self.read(|c| {
            let summary = self.summary_in(c, id)?;
            let text: String = c
                .query_row("SELECT genome FROM item_files WHERE item=?1", [id], |r| {
                    r.get(0)
                })
                .map_err(|e| self.db(e))?;
            let genome = serde_json::from_str(&text).map_err(|e| {
                ArchiveError::Invalid(format!("item {id}'s stored genome is unreadable: {e}"))
            })?;
            Ok(ItemDetail { summary, genome })
        })
    }

    /// An item's genome as stored (native JSON text).
    pub fn genome_json(&self, id: ItemId) -> Result<String, ArchiveError> {
        self.file(id, "genome")
    }

    /// An item's picture ([`PICTURE_SIDE`]) or thumbnail ([`THUMBNAIL_SIDE`]) PNG, each
    /// carrying the genome.
    pub fn png(&self, id: ItemId, thumbnail: bool) -> Result<Vec<u8>, ArchiveError> {
        self.file(id, if thumbnail { "thumbnail" } else { "picture" })
    }

    fn file<T: rusqlite::types::FromSql>(
        &self,
        id: ItemId,
        column: &'static str,
    ) -> Result<T, ArchiveError> {
        self.read(|c| {
            c.prepare_cached(&format!("SELECT {column} FROM item_files WHERE item=?1"))
                .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
                .map_err(|e| self.db(e))?
                .ok_or_else(|| ArchiveError::NotFound(format!("there is no item {id}")))
        })
    }

    /// The genomes recorded between an item's parent and itself, oldest first.
    pub fn chain(&self, id: ItemId) -> Result<Vec<Genome>, ArchiveError> {
        self.read(|c| {
            self.summary_in(c, id)?;
            let mut s = c
                .prepare_cached("SELECT genome FROM item_chain WHERE item=?1 ORDER BY position")
                .map_err(|e| self.db(e))?;
            let texts: Vec<String> = s
                .query_map([id], |r| r.get(0))
                .and_then(|rows| rows.collect())
                .map_err(|e| self.db(e))?;
            texts
                .iter()
                .map(|t| {
                    crate::io::json::genome_from_json(t.as_bytes()).map_err(|e| {
                        ArchiveError::Invalid(format!("item {id}'s stored chain: {e}"))
                    })
                })
                .collect()
        })
    }

    /// An item's lineage: the root first, the item last, across authors and withdrawn
    /// items alike.
    pub fn lineage(&self, id: ItemId) -> Result<Vec<ItemSummary>, ArchiveError> {
        self.read(|c| {
            let mut out = vec![self.summary_in(c, id)?];
            while let Some(parent) = out.last().and_then(|s| s.branched_from) {
                // Parents are always older items, so the walk ends; the cap is a guard.
                if out.len() > 100_000 {
                    break;
                }
                out.push(self.summary_in(c, parent)?);
            }
            out.reverse();
            Ok(out)
        })
    }

    /// The published items branched directly from `id`, oldest first.
    pub fn branches(&self, id: ItemId) -> Result<Vec<ItemSummary>, ArchiveError> {
        self.read(|c| {
            self.summary_in(c, id)?;
            let mut s = c
                .prepare_cached(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM items i JOIN users u ON u.id = i.author
                     WHERE i.parent=?1 AND i.withdrawn IS NULL ORDER BY i.id LIMIT 1000"
                ))
                .map_err(|e| self.db(e))?;
            s.query_map([id], summary_row)
                .and_then(|rows| rows.collect())
                .map_err(|e| self.db(e))
        })
    }

    /// Every tag in use with how many published items carry it, most used first.
    pub fn tags(&self, limit: u32) -> Result<Vec<(String, i64)>, ArchiveError> {
        self.read(|c| {
            let mut s = c
                .prepare_cached(
                    "SELECT t.tag, count(*) AS n FROM item_tags t JOIN items i ON i.id = t.item
                     WHERE i.withdrawn IS NULL GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?1",
                )
                .map_err(|e| self.db(e))?;
            s.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect())
                .map_err(|e| self.db(e))
        })
    }

    /// A consistent copy of the whole archive at `to`, taken while it serves (SQLite's
    /// online backup).
    pub fn backup(&self, to: &Path) -> Result<(), ArchiveError> {
        let conn = self.readers.take().map_err(|e| self.db(e))?;
        let out = conn
            .backup(
                rusqlite::MAIN_DB,
                to,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(|e| self.db(e));
        self.readers.give_back(conn);
        out
    }
}
