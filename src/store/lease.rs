//! One writer per session: a session is leased to one open library (a window's writer,
//! a `library grow`) at a time, so two of them never breed into one session and lose a
//! lineage. A lease is a row naming its holder (process, machine, the connection's
//! random token) and when it last said it is alive; taken in a write transaction, so of
//! two takers one wins. The holder renews it while it works and gives it back when
//! done; a lease not renewed for [`LEASE_TIMEOUT`] (its holder killed or hung), or
//! whose holder process is gone from this machine, may be taken by another.

use super::{SessionId, Store, StoreError, db_at};
use rusqlite::{Connection, OptionalExtension, params};
use std::time::Duration;

/// A lease not renewed for this long has expired. The window renews every
/// [`LEASE_RENEW`], `library grow` at each generation.
pub const LEASE_TIMEOUT: Duration = Duration::from_secs(30);

/// How often a holder that is not saving renews its leases.
pub const LEASE_RENEW: Duration = Duration::from_secs(5);

/// Who writes through an open library: this process on this machine, and a token of
/// its own (two windows of one process are two holders).
#[derive(Clone, Debug, PartialEq)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    pub token: String,
}

impl Holder {
    /// A new holder in this process.
    pub fn new() -> Holder {
        Holder {
            pid: std::process::id(),
            host: host_name(),
            token: format!("{:016x}", rand::random::<u64>()),
        }
    }
}

impl Default for Holder {
    fn default() -> Holder {
        Holder::new()
    }
}

/// This machine's name, for telling the user where a session is open.
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|f| std::fs::read_to_string(f).ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into())
}

/// Milliseconds since 1970.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Whether process `pid` of this machine still runs (Linux: its /proc entry; elsewhere
/// assumed, so only the timeout frees its lease).
fn process_runs(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// A lease row as read.
struct Row {
    pid: u32,
    host: String,
    token: String,
    heartbeat: i64,
}

impl Row {
    /// Held by a live holder other than `me`: how to name it to the user.
    fn held_by_other(&self, me: &Holder, timeout: Duration) -> Option<String> {
        if self.token == me.token {
            return None;
        }
        let age = now_ms().saturating_sub(self.heartbeat).max(0) as u128;
        if age > timeout.as_millis() {
            return None;
        }
        if self.host == me.host && self.pid != me.pid && !process_runs(self.pid) {
            return None;
        }
        Some(format!(
            "process {} on {}, alive {} s ago",
            self.pid,
            self.host,
            age / 1000
        ))
    }
}

fn read_row(conn: &Connection, id: SessionId) -> rusqlite::Result<Option<Row>> {
    conn.prepare_cached("SELECT pid, host, token, heartbeat FROM leases WHERE session=?1")?
        .query_row([id], |r| {
            Ok(Row {
                pid: r.get::<_, i64>(0)? as u32,
                host: r.get(1)?,
                token: r.get(2)?,
                heartbeat: r.get(3)?,
            })
        })
        .optional()
}

/// Takes (or renews) session `id`'s lease for `me` inside a write transaction; the
/// holder's name if another holds it.
pub(super) fn take(
    tx: &Connection,
    id: SessionId,
    me: &Holder,
    timeout: Duration,
) -> rusqlite::Result<Result<(), String>> {
    if let Some(other) = read_row(tx, id)?.and_then(|r| r.held_by_other(me, timeout)) {
        return Ok(Err(other));
    }
    tx.prepare_cached(
        "INSERT OR REPLACE INTO leases(session, pid, host, token, heartbeat)
         VALUES(?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, me.pid as i64, me.host, me.token, now_ms()])?;
    Ok(Ok(()))
}

/// Inside a write to session `id`: whether `me` still holds its lease (renewed if so).
pub(super) fn check(tx: &Connection, id: SessionId, me: &Holder) -> rusqlite::Result<bool> {
    let n = tx
        .prepare_cached("UPDATE leases SET heartbeat=?3 WHERE session=?1 AND token=?2")?
        .execute(params![id, me.token, now_ms()])?;
    Ok(n == 1)
}

impl Store {
    /// This library's holder (who its leases name).
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// Sets how long a lease lives without being renewed ([`LEASE_TIMEOUT`]; tests
    /// make it short instead of waiting).
    pub fn set_lease_timeout(&mut self, timeout: Duration) {
        self.lease_timeout = timeout;
    }

    /// Takes session `id` for writing: refused with [`StoreError::Leased`] while another
    /// window or process holds it. Saves to a session need its lease; making a session
    /// takes it.
    pub fn lease(&mut self, id: SessionId) -> Result<(), StoreError> {
        let path = self.path.clone();
        let (me, timeout) = (self.holder.clone(), self.lease_timeout);
        let tx = self.write()?;
        let r = (|| {
            let exists: Option<i64> = tx
                .query_row("SELECT id FROM sessions WHERE id=?1", [id], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                return Ok(Err(None));
            }
            Ok(take(&tx, id, &me, timeout)?.map_err(Some))
        })()
        .map_err(db_at(&path))?;
        match r {
            Ok(()) => tx.commit().map_err(db_at(&path))?,
            Err(None) => {
                return Err(StoreError::Bad {
                    path,
                    what: format!("there is no session {id}"),
                });
            }
            Err(Some(holder)) => return Err(StoreError::Leased { path, id, holder }),
        }
        self.held.insert(id);
        Ok(())
    }

    /// Who else holds session `id` now (a live lease not this library's), to ask the
    /// user before opening it; `None` if it is free.
    pub fn lease_holder(&self, id: SessionId) -> Result<Option<String>, StoreError> {
        let row = read_row(&self.conn, id).map_err(|e| self.db(e))?;
        Ok(row.and_then(|r| r.held_by_other(&self.holder, self.lease_timeout)))
    }

    /// Says this library's leases are alive. A lease lost meanwhile (it expired and
    /// another took the session) is dropped and reported.
    pub fn renew_leases(&mut self) -> Result<(), StoreError> {
        if self.held.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let me = self.holder.clone();
        let held: Vec<SessionId> = self.held.iter().copied().collect();
        let tx = self.write()?;
        let mut lost = None;
        for &id in &held {
            if !check(&tx, id, &me).map_err(db_at(&path))? {
                lost = Some(id);
            }
        }
        tx.commit().map_err(db_at(&path))?;
        match lost {
            Some(id) => {
                self.held.remove(&id);
                Err(StoreError::LeaseLost { path, id })
            }
            None => Ok(()),
        }
    }

    /// Gives session `id` back (if this library holds it).
    pub fn release(&mut self, id: SessionId) -> Result<(), StoreError> {
        if !self.held.remove(&id) {
            return Ok(());
        }
        self.conn
            .execute(
                "DELETE FROM leases WHERE session=?1 AND token=?2",
                params![id, self.holder.token],
            )
            .map_err(|e| self.db(e))?;
        Ok(())
    }

    /// The sessions this library holds.
    pub fn leased(&self) -> impl Iterator<Item = SessionId> + '_ {
        self.held.iter().copied()
    }
}

impl Drop for Store {
    /// Gives back every lease (a killed process's expire instead).
    fn drop(&mut self) {
        let held: Vec<SessionId> = self.held.iter().copied().collect();
        for id in held {
            let _ = self.release(id);
        }
    }
}
