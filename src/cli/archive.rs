//! `picbreeder archive`: publish to, search, fetch from and trace lineages in a shared
//! archive (`picbreeder serve`, docs/archive.md) over its JSON API.
//!
//! A blocking client (ureq) speaking plain HTTP only: TLS is the reverse proxy's job,
//! and leaving it out keeps a TLS stack out of the program. Every call has connect and
//! read timeouts, so a server that is down or stalled is one line, never a hang.

use super::guard::{self, OutputKind};
use picbreeder::io::json::{genome_from_json, genome_to_json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Talk to a shared archive (`picbreeder serve`) over plain HTTP. The client speaks no
/// TLS: reach an archive behind a TLS reverse proxy through its plain-HTTP address
/// (on the machine itself, or an SSH tunnel).
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    /// The archive's address, e.g. http://127.0.0.1:8080 (plain HTTP only: no TLS).
    #[arg(long, global = true, value_name = "URL")]
    server: Option<String>,
    /// Publishing token (from `picbreeder serve add-user NAME`); reading needs none.
    #[arg(long, global = true, value_name = "T")]
    token: Option<String>,
    /// Seconds to wait for the connection and for each answer.
    #[arg(long, global = true, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Publish a genome (any genome file the program reads, a PNG carrying one too).
    Publish {
        /// The genome file.
        file: PathBuf,
        /// Title (1-120 characters); the file's name without extension if not given.
        #[arg(long)]
        title: Option<String>,
        /// Tags, comma-separated (at most 12; letters, digits, - or _).
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// The archive item this genome was branched from.
        #[arg(long, value_name = "ITEM")]
        from: Option<String>,
        /// Genome files of the generations between --from and this one, oldest first.
        #[arg(long, value_delimiter = ',', value_name = "FILE", requires = "from")]
        chain: Vec<PathBuf>,
    },
    /// Search the published items and print a table.
    Search {
        /// Words every match has in its title, tags or author's name.
        text: Vec<String>,
        /// Only items with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// newest, or branched (most branched from first).
        #[arg(long, default_value = "newest", value_parser = ["newest", "branched"])]
        sort: String,
        /// Page number (from 1).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Items a page (at most 100).
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=100))]
        per_page: u32,
    },
    /// Download an item: its genome (native JSON) and/or its 512-pixel PNG (which
    /// carries the genome).
    Get {
        /// The item: its number, or its address (…/items/N).
        item: String,
        /// Write the genome JSON here.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write the picture (PNG) here.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
    /// Print an item's lineage: the chain of items it was branched from, back to a root.
    Lineage {
        /// The item: its number, or its address (…/items/N).
        item: String,
    },
}

pub fn run(args: Args) -> Result<(), String> {
    let server = server_url(args.server.as_deref())?;
    let client = Client {
        agent: agent(Duration::from_secs(args.timeout)),
        server,
        token: args.token,
    };
    match args.command {
        Sub::Publish {
            file,
            title,
            tags,
            from,
            chain,
        } => publish(&client, &file, title, tags, from.as_deref(), &chain),
        Sub::Search {
            text,
            tag,
            sort,
            page,
            per_page,
        } => search(&client, &text, tag.as_deref(), &sort, page, per_page),
        Sub::Get { item, output, png } => get(&client, &item, output.as_deref(), png.as_deref()),
        Sub::Lineage { item } => lineage(&client, &item),
    }
}

/// The server's address without a trailing slash; plain `http://` only.
fn server_url(server: Option<&str>) -> Result<String, String> {
    let Some(s) = server.map(str::trim).filter(|s| !s.is_empty()) else {
        return Err(
            "give the archive's address with --server URL (e.g. http://127.0.0.1:8080)".into(),
        );
    };
    let s = s.trim_end_matches('/');
    if s.starts_with("https://") {
        return Err(format!(
            "{s}: this client speaks plain HTTP only (TLS is the reverse proxy's job): use the archive's http:// address"
        ));
    }
    let s = if s.contains("://") {
        s.to_string()
    } else {
        format!("http://{s}")
    };
    if !s.starts_with("http://") || s.len() <= "http://".len() {
        return Err(format!(
            "{s}: not an archive address (give http://HOST:PORT)"
        ));
    }
    Ok(s)
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(timeout))
        .timeout_resolve(Some(timeout))
        .timeout_per_read(Some(timeout))
        .timeout_per_write(Some(timeout))
        .timeout_global(Some(timeout * 4))
        .max_redirects(0)
        .user_agent(concat!("picbreeder/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// An item's number from `12`, `#12` or an address ending in `/items/12`.
fn item_id(item: &str) -> Result<i64, String> {
    let t = item.trim().trim_end_matches('/');
    let t = t.rsplit_once("/items/").map_or(t, |(_, id)| id);
    let t = t.strip_prefix('#').unwrap_or(t);
    t.parse::<i64>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("'{item}' is not an archive item (give its number or its address)"))
}

struct Client {
    agent: ureq::Agent,
    server: String,
    token: Option<String>,
}

/// Room for the largest genome the server takes, as JSON with its summary.
const MAX_ANSWER_BYTES: u64 = 2 * picbreeder::limits::MAX_ARCHIVE_REQUEST_BYTES as u64;

impl Client {
    /// Sends a request, returns the body of a 2xx answer; anything else is one line
    /// naming the server and what went wrong (the archive's JSON error when it has one).
    fn call(&self, method: &str, path: &str, body: Option<Vec<u8>>) -> Result<Vec<u8>, String> {
        let url = format!("{}{path}", self.server);
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let sent = match body {
            Some(bytes) => {
                let mut req = self
                    .agent
                    .post(&url)
                    .header("Content-Type", "application/json");
                if let Some(h) = &auth {
                    req = req.header("Authorization", h);
                }
                req.send(&bytes[..])
            }
            None => {
                debug_assert_eq!(method, "GET");
                self.agent.get(&url).call()
            }
        };
        let mut answer = sent.map_err(|e| self.unreachable(&e))?;
        let status = answer.status().as_u16();
        let bytes = answer
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| self.unreachable(&e))?;
        if (200..300).contains(&status) {
            return Ok(bytes);
        }
        let said = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or_else(|| {
                let text = String::from_utf8_lossy(&bytes);
                text.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(200)
                    .collect()
            });
        Err(format!(
            "the archive at {} refused {method} {path}: HTTP {status}{}{said}",
            self.server,
            if said.is_empty() { "" } else { ": " }
        ))
    }

    fn unreachable(&self, e: &ureq::Error) -> String {
        let why = match e {
            ureq::Error::Timeout(_) => "no answer within the timeout (--timeout)".to_string(),
            ureq::Error::ConnectionFailed => "connection refused or failed".to_string(),
            ureq::Error::HostNotFound => "no such host".to_string(),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused (is `picbreeder serve` running there?)".to_string()
            }
            ureq::Error::BodyExceedsLimit(n) => format!("an answer over {n} bytes"),
            other => other.to_string(),
        };
        format!("cannot reach the archive at {}: {why}", self.server)
    }

    fn json(&self, path: &str) -> Result<serde_json::Value, String> {
        let bytes = self.call("GET", path, None)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "the archive at {} answered {path} with something not JSON: {e}",
                self.server
            )
        })
    }
}

fn publish(
    client: &Client,
    file: &Path,
    title: Option<String>,
    tags: Vec<String>,
    from: Option<&str>,
    chain: &[PathBuf],
) -> Result<(), String> {
    if client.token.is_none() {
        return Err(
            "publishing needs a token: give --token T (from `picbreeder serve add-user NAME`)"
                .into(),
        );
    }
    let native = |path: &Path| -> Result<serde_json::Value, String> {
        let g = picbreeder::io::detect::load_genome(path).map_err(|e| e.to_string())?;
        serde_json::from_str(&genome_to_json(&g)).map_err(|e| format!("{}: {e}", path.display()))
    };
    let genome = native(file)?;
    let chain = chain
        .iter()
        .map(|p| native(p))
        .collect::<Result<Vec<_>, _>>()?;
    let title = match title {
        Some(t) => t,
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let branched_from = from.map(item_id).transpose()?;
    let body = serde_json::json!({
        "genome": genome, "branched_from": branched_from, "chain": chain,
        "title": title, "tags": tags,
    });
    let bytes = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
    let answer: serde_json::Value =
        serde_json::from_slice(&client.call("POST", "/api/items", Some(bytes))?).map_err(|e| {
            format!(
                "the archive at {} answered the publish with something not JSON: {e}",
                client.server
            )
        })?;
    let id = answer["id"].as_i64().ok_or_else(|| {
        format!(
            "the archive at {} did not say the new item's number",
            client.server
        )
    })?;
    outln!("published #{id}: {}/items/{id}", client.server);
    Ok(())
}

fn search(
    client: &Client,
    text: &[String],
    tag: Option<&str>,
    sort: &str,
    page: u32,
    per_page: u32,
) -> Result<(), String> {
    let mut query = format!("/api/items?sort={sort}&page={page}&per_page={per_page}");
    if let Some(tag) = tag {
        query.push_str(&format!("&tag={}", encode(tag)));
    }
    if !text.is_empty() {
        query.push_str(&format!("&q={}", encode(&text.join(" "))));
    }
    let list = client.json(&query)?;
    let items = list["items"].as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        outln!("no items (page {page})");
        return Ok(());
    }
    let rows: Vec<[String; 6]> = items
        .iter()
        .map(|i| {
            let tags: Vec<&str> = i["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(|t| t.as_str()).collect())
                .unwrap_or_default();
            [
                format!("#{}", i["id"]),
                text_of(&i["title"]),
                text_of(&i["author"]),
                i["created"].as_i64().map(date).unwrap_or_default(),
                i["branches"].as_i64().unwrap_or(0).to_string(),
                tags.join(","),
            ]
        })
        .collect();
    let head = ["ITEM", "TITLE", "AUTHOR", "DATE", "BRANCHES", "TAGS"];
    let mut width = head.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (k, (cell, w)) in cells.iter().zip(width).enumerate() {
            if k + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s.trim_end().to_string()
    };
    outln!("{}", line(&head.map(String::from)));
    for row in &rows {
        outln!("{}", line(row));
    }
    if list["more"] == true {
        outln!("more: --page {}", page + 1);
    }
    Ok(())
}

fn get(
    client: &Client,
    item: &str,
    output: Option<&Path>,
    png: Option<&Path>,
) -> Result<(), String> {
    let id = item_id(item)?;
    if output.is_none() && png.is_none() {
        return Err("say what to write: -o FILE.json (the genome) and/or --png FILE.png".into());
    }
    let mut outs = Vec::new();
    if let Some(o) = output {
        outs.push((o, OutputKind::Genome));
    }
    if let Some(p) = png {
        outs.push((p, OutputKind::Png));
    }
    guard::outputs(&outs, &[])?;
    let detail = client.json(&format!("/api/items/{id}"))?;
    // Read back through the program's own loader: what an archive sends is checked as
    // any genome file would be before it is written.
    let genome_bytes = serde_json::to_vec(&detail["genome"]).map_err(|e| e.to_string())?;
    let genome = genome_from_json(&genome_bytes).map_err(|e| {
        format!(
            "the archive at {} sent item #{id} with a bad genome: {e}",
            client.server
        )
    })?;
    outln!(
        "#{id} \"{}\" by {}{}",
        text_of(&detail["title"]),
        text_of(&detail["author"]),
        if detail["withdrawn"] == true {
            " (withdrawn)"
        } else {
            ""
        }
    );
    if let Some(path) = output {
        picbreeder::io::write_atomic(path, genome_to_json(&genome).as_bytes())
            .map_err(|e| e.to_string())?;
        guard::wrote(path);
        outln!("wrote {}", path.display());
    }
    if let Some(path) = png {
        let bytes = client.call("GET", &format!("/api/items/{id}/picture.png"), None)?;
        if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(format!(
                "the archive at {} sent item #{id}'s picture as something not a PNG",
                client.server
            ));
        }
        picbreeder::io::write_atomic(path, &bytes).map_err(|e| e.to_string())?;
        guard::wrote(path);
        outln!("wrote {}", path.display());
    }
    Ok(())
}

fn lineage(client: &Client, item: &str) -> Result<(), String> {
    let id = item_id(item)?;
    let list = client.json(&format!("/api/items/{id}/lineage"))?;
    let items = list["items"].as_array().cloned().unwrap_or_default();
    for (depth, i) in items.iter().enumerate() {
        let chain = i["chain_length"].as_i64().unwrap_or(0);
        outln!(
            "{}#{} \"{}\" by {}{}{}{}",
            if depth == 0 {
                String::new()
            } else {
                format!("{}└ ", "  ".repeat(depth - 1))
            },
            i["id"],
            text_of(&i["title"]),
            text_of(&i["author"]),
            if depth == 0 { " (root)" } else { "" },
            if chain > 0 {
                format!(", {chain} generations recorded since its parent")
            } else {
                String::new()
            },
            if i["withdrawn"] == true {
                " (withdrawn)"
            } else {
                ""
            },
        );
    }
    Ok(())
}

/// A JSON string's text, with control characters (a hostile title's escapes) dropped.
fn text_of(v: &serde_json::Value) -> String {
    v.as_str()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A UTC date (YYYY-MM-DD) from Unix seconds (Howard Hinnant's civil-from-days).
fn date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_dates_and_addresses_are_read() {
        assert_eq!(item_id("12"), Ok(12));
        assert_eq!(item_id("#7"), Ok(7));
        assert_eq!(item_id("http://h:1/items/33/"), Ok(33));
        assert!(item_id("x").is_err() && item_id("0").is_err());
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_709_251_200), "2024-03-01");
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(
            server_url(Some("127.0.0.1:8/")).unwrap(),
            "http://127.0.0.1:8"
        );
        assert!(
            server_url(Some("https://x"))
                .unwrap_err()
                .contains("plain HTTP")
        );
        assert!(server_url(None).is_err());
    }
}
