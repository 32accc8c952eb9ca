//! The archive server as a person meets it: the built `picbreeder serve` on 127.0.0.1
//! (a free port), driven over HTTP. Every request loop is bounded in count and time.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running `picbreeder serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, url }
}

fn add_user(db: &Path, name: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(["serve", "add-user", name, "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", out);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string()
}

fn folder(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("picbreeder-archive-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn genome(w: f64) -> serde_json::Value {
    serde_json::json!({
        "format": "picbreeder-genome", "version": 2,
        "nodes": [
            {"id": "0:0", "kind": {"input": "x"}, "activation": "identity"},
            {"id": "0:1", "kind": {"input": "y"}, "activation": "identity"},
            {"id": "0:2", "kind": {"input": "d"}, "activation": "identity"},
            {"id": "0:3", "kind": {"input": "bias"}, "activation": "identity"},
            {"id": "0:4", "kind": {"output": "ink"}, "activation": "sigmoid"}
        ],
        "links": [{"id": "0:10", "source": "0:0", "target": "0:4", "weight": w}]
    })
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into()
}

/// (status, JSON body) of a request.
fn call(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<&serde_json::Value>,
) -> (u16, serde_json::Value) {
    let a = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut r = match (method, body) {
        ("GET", _) => {
            let mut req = a.get(url);
            if let Some(h) = &auth {
                req = req.header("Authorization", h);
            }
            req.call()
        }
        ("DELETE", _) => {
            let mut req = a.delete(url);
            if let Some(h) = &auth {
                req = req.header("Authorization", h);
            }
            req.call()
        }
        (_, b) => {
            let mut req = a.post(url);
            if let Some(h) = &auth {
                req = req.header("Authorization", h);
            }
            req.send(serde_json::to_vec(b.unwrap()).unwrap())
        }
    }
    .expect("the server answers");
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    let json =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, json)
}

fn publish(
    s: &Server,
    token: &str,
    w: f64,
    from: Option<i64>,
    title: &str,
) -> (u16, serde_json::Value) {
    let body = serde_json::json!({
        "genome": genome(w), "branched_from": from,
        "chain": [genome(w / 2.0)], "title": title, "tags": ["test"]
    });
    call(
        "POST",
        &format!("{}/api/items", s.url),
        Some(token),
        Some(&body),
    )
}

#[test]
fn publish_browse_lineage_and_withdraw() {
    let dir = folder("roundtrip");
    let db = dir.join("a.sqlite");
    let (ada, bob) = (add_user(&db, "ada"), add_user(&db, "bob"));
    let s = serve(&db, &[]);
    let (st, root) = publish(&s, &ada, 1.0, None, "Root");
    assert_eq!(st, 201, "{root}");
    let root = root["id"].as_i64().unwrap();
    let mid = publish(&s, &bob, 2.0, Some(root), "Middle").1["id"]
        .as_i64()
        .unwrap();
    let leaf = publish(&s, &ada, 3.0, Some(mid), "Leaf").1["id"]
        .as_i64()
        .unwrap();

    let (_, list) = call(
        "GET",
        &format!("{}/api/items?per_page=2", s.url),
        None,
        None,
    );
    assert_eq!(list["items"][0]["id"], leaf);
    assert_eq!(list["more"], true);
    let (_, item) = call("GET", &format!("{}/api/items/{mid}", s.url), None, None);
    assert_eq!(item["author"], "bob");
    assert_eq!(item["genome"]["links"][0]["weight"], 2.0);
    let lineage = |id: i64| -> Vec<i64> {
        let (_, l) = call(
            "GET",
            &format!("{}/api/items/{id}/lineage", s.url),
            None,
            None,
        );
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(lineage(leaf), [root, mid, leaf]);

    // Missing, wrong and another person's token are refused; nothing changes.
    let url = format!("{}/api/items/{mid}", s.url);
    assert_eq!(call("DELETE", &url, None, None).0, 401);
    assert_eq!(call("DELETE", &url, Some("not-a-token"), None).0, 401);
    let (st, e) = call("DELETE", &url, Some(&ada), None);
    assert_eq!(st, 403);
    assert!(e["error"].as_str().unwrap().contains("not yours"), "{e}");
    assert_eq!(publish(&s, "wrong", 1.0, None, "x").0, 401);

    // Withdrawn: out of the listing, still in the leaf's lineage.
    assert_eq!(call("DELETE", &url, Some(&bob), None).0, 200);
    let (_, list) = call("GET", &format!("{}/api/items", s.url), None, None);
    let ids: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [leaf, root]);
    assert_eq!(lineage(leaf), [root, mid, leaf]);
    let (_, b) = call(
        "GET",
        &format!("{}/api/items/{mid}/branches", s.url),
        None,
        None,
    );
    assert_eq!(b["items"][0]["id"], leaf);

    // The picture is a PNG that carries the genome.
    let mut r = agent()
        .get(&format!("{}/api/items/{leaf}/picture.png", s.url))
        .call()
        .unwrap();
    let png = r.body_mut().read_to_vec().unwrap();
    let carried = picbreeder::io::png::carried_genome(&png).unwrap().unwrap();
    assert_eq!(carried.links[0].weight, 3.0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_genomes_are_refused_and_the_server_keeps_serving() {
    let dir = folder("hostile");
    let db = dir.join("a.sqlite");
    let ada = add_user(&db, "ada");
    let s = serve(&db, &[]);
    let post = |body: &serde_json::Value| {
        call(
            "POST",
            &format!("{}/api/items", s.url),
            Some(&ada),
            Some(body),
        )
    };
    // Malformed: not a genome, a link to a node that is not there, unknown fields.
    let cases = [
        serde_json::json!({"genome": {"format": "picbreeder-net"}, "title": "x"}),
        serde_json::json!({"genome": {"format": "picbreeder-genome", "version": 2, "nodes": [],
            "links": [{"id": "0:1", "source": "0:7", "target": "0:8", "weight": 1.0}]}, "title": "x"}),
        serde_json::json!({"genome": genome(1.0), "title": "x", "evil": true}),
        serde_json::json!({"genome": genome(1.0), "title": ""}),
        serde_json::json!({"genome": genome(1.0), "title": "x", "branched_from": 12345}),
    ];
    for (i, body) in cases.iter().enumerate() {
        let (st, e) = post(body);
        assert!((400..500).contains(&st), "case {i}: {st} {e}");
        assert!(
            e["error"].as_str().is_some_and(|m| !m.is_empty()),
            "case {i}: {e}"
        );
    }
    // Deeply nested JSON.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut r = agent()
        .post(&format!("{}/api/items", s.url))
        .header("Authorization", &format!("Bearer {ada}"))
        .send(deep)
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.body_mut().read_to_string().unwrap().contains("\"error\""));
    // Hostile: too many nodes (refused before rendering).
    let mut big = genome(1.0);
    let nodes = big["nodes"].as_array_mut().unwrap();
    for i in 0..6000 {
        nodes.push(
            serde_json::json!({"id": format!("1:{i}"), "kind": "hidden", "activation": "sin"}),
        );
    }
    let (st, e) = post(&serde_json::json!({"genome": big, "title": "big"}));
    assert_eq!(st, 413, "{e}");
    // Oversized request: over the body limit. The server answers 413 as soon as the
    // length is known and may close the connection while the client still sends, so a
    // send error is also a refusal; either way it keeps serving.
    let huge = serde_json::json!({"genome": genome(1.0), "title": "x".repeat(17 << 20)});
    match agent()
        .post(&format!("{}/api/items", s.url))
        .header("Authorization", &format!("Bearer {ada}"))
        .send(serde_json::to_vec(&huge).unwrap())
    {
        Ok(mut r) => {
            assert_eq!(r.status().as_u16(), 413);
            let text = r.body_mut().read_to_string().unwrap();
            assert!(text.contains("16 MiB"), "{text}");
        }
        Err(e) => eprintln!("oversized request cut off by the server: {e}"),
    }
    // Still serving.
    let (st, _) = publish(&s, &ada, 1.0, None, "After all that");
    assert_eq!(st, 201);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eight_clients_publishing_at_once_lose_nothing() {
    let dir = folder("eight");
    let db = dir.join("a.sqlite");
    let tokens: Vec<String> = (0..8).map(|i| add_user(&db, &format!("p{i}"))).collect();
    let s = serve(&db, &["--burst", "1000"]);
    let ids: Vec<i64> = std::thread::scope(|scope| {
        let handles: Vec<_> = tokens
            .iter()
            .enumerate()
            .map(|(c, t)| {
                let s = &s;
                scope.spawn(move || {
                    (0..100)
                        .map(|i| {
                            let (st, r) = publish(
                                s,
                                t,
                                (c * 100 + i) as f64 / 100.0,
                                None,
                                &format!("c{c} i{i}"),
                            );
                            assert_eq!(st, 201, "{r}");
                            r["id"].as_i64().unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut seen = std::collections::BTreeSet::new();
    for page in 1..=9 {
        let (_, l) = call(
            "GET",
            &format!("{}/api/items?per_page=100&page={page}", s.url),
            None,
            None,
        );
        for i in l["items"].as_array().unwrap() {
            seen.insert(i["id"].as_i64().unwrap());
        }
    }
    assert_eq!(seen.len(), 800);
    assert!(ids.iter().all(|id| seen.contains(id)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn killed_mid_publish_keeps_every_acknowledged_item() {
    let dir = folder("sigkill");
    let db = dir.join("a.sqlite");
    let ada = add_user(&db, "ada");
    let mut s = serve(&db, &["--burst", "1000"]);
    let acked = std::sync::Mutex::new(Vec::new());
    let url = s.url.clone();
    std::thread::scope(|scope| {
        for c in 0..4 {
            let (url, ada, acked) = (&url, &ada, &acked);
            scope.spawn(move || {
                for i in 0..200 {
                    let body = serde_json::json!({"genome": genome((c * 1000 + i) as f64 / 1000.0), "title": "k"});
                    let r = agent().post(&format!("{url}/api/items")).header("Authorization", &format!("Bearer {ada}")).send(serde_json::to_vec(&body).unwrap());
                    match r {
                        Ok(mut r) if r.status().as_u16() == 201 => {
                            let v: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
                            acked.lock().unwrap().push(v["id"].as_i64().unwrap());
                        }
                        _ => break, // the server is gone
                    }
                }
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(700));
        s.child.kill().unwrap(); // SIGKILL
    });
    let _ = s.child.wait();
    let acked = acked.into_inner().unwrap();
    assert!(!acked.is_empty(), "nothing was published before the kill");
    let s = serve(&db, &[]);
    for id in &acked {
        let (st, _) = call("GET", &format!("{}/api/items/{id}", s.url), None, None);
        assert_eq!(st, 200, "acknowledged item {id} is lost");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Headless Chromium (Debian's `chromium`, installed by the README's set-up command):
/// `--dump-dom` of `url`, or a screenshot into `shot`. Bounded to a minute.
fn chromium(args: &[&str]) -> String {
    let out = Command::new("timeout")
        .args([
            "60",
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
        ])
        .args(args)
        .stderr(Stdio::null())
        .output()
        .expect(
            "chromium runs: install it with the README's set-up command (apt-get install chromium)",
        );
    assert!(out.status.success(), "chromium failed on {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The values of `attr="..."` in `html`.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let key = format!("{attr}=\"");
    html.split(&key)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|v| v.replace("&amp;", "&"))
        .collect()
}

#[test]
fn pages_load_show_their_pictures_and_link_up_in_a_real_browser() {
    let dir = folder("browser");
    let db = dir.join("a.sqlite");
    let (ada, bob) = (add_user(&db, "ada"), add_user(&db, "bob"));
    let s = serve(&db, &[]);
    let root = publish(&s, &ada, 1.0, None, "Root <b>stone</b>").1["id"]
        .as_i64()
        .unwrap();
    let branch = publish(&s, &bob, 2.5, Some(root), "Branch").1["id"]
        .as_i64()
        .unwrap();
    let leaf = publish(&s, &ada, 4.0, Some(branch), "Leaf").1["id"]
        .as_i64()
        .unwrap();

    let home = chromium(&["--dump-dom", &s.url]);
    // Titles are escaped, never markup.
    assert!(home.contains("Root &lt;b&gt;stone&lt;/b&gt;"), "{home}");
    let links = attrs(&home, "href");
    for id in [root, branch, leaf] {
        assert!(
            links.contains(&format!("/items/{id}")),
            "no link to {id}: {links:?}"
        );
    }
    assert!(links.contains(&"/branched".to_string()) && links.contains(&"/tags".to_string()));

    let page = chromium(&["--dump-dom", &format!("{}/items/{branch}", s.url)]);
    let srcs = attrs(&page, "src");
    assert!(
        srcs.contains(&format!("/api/items/{branch}/picture.png")),
        "{srcs:?}"
    );
    // The family tree: its ancestor above, its branch below, as links.
    let links = attrs(&page, "href");
    for want in [
        format!("/items/{root}"),
        format!("/items/{leaf}"),
        format!("/api/items/{branch}/genome.json"),
        "/tags/test".to_string(),
    ] {
        assert!(links.contains(&want), "{want} missing: {links:?}");
    }
    assert!(
        page.contains("by <strong class=\"author\">bob</strong>"),
        "{page}"
    );
    // Every picture the page shows is a PNG the server serves.
    for src in &srcs {
        let mut r = agent().get(&format!("{}{src}", s.url)).call().unwrap();
        assert_eq!(r.status().as_u16(), 200, "{src}");
        let bytes = r.body_mut().read_to_vec().unwrap();
        assert!(
            picbreeder::io::png::decode(&bytes).is_ok(),
            "{src} is no PNG"
        );
    }
    // Every link of the page leads somewhere.
    for href in links.iter().filter(|h| h.starts_with('/')) {
        let r = agent().get(&format!("{}{href}", s.url)).call().unwrap();
        assert_eq!(r.status().as_u16(), 200, "{href}");
    }
    let tag = chromium(&["--dump-dom", &format!("{}/tags/test", s.url)]);
    assert_eq!(attrs(&tag, "src").len(), 3, "{tag}");

    // A screenshot to look at (target/archive-item.png).
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("archive-item.png");
    let _ = std::fs::remove_file(&shot);
    chromium(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1200,900",
        &format!("{}/items/{branch}", s.url),
    ]);
    let img = picbreeder::io::png::decode(&std::fs::read(&shot).unwrap()).unwrap();
    assert_eq!((img.width, img.height), (1200, 900));
    let first = &img.rgba[..4];
    assert!(img.rgba.chunks(4).any(|p| p != first), "a blank screenshot");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `picbreeder archive ...` (the CLI client): (exit ok, stdout, stderr).
fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .arg("archive")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The number in "published #N: ...".
fn published_id(stdout: &str) -> String {
    stdout
        .split_once('#')
        .and_then(|(_, rest)| rest.split(':').next())
        .unwrap_or_else(|| panic!("no item number in {stdout:?}"))
        .to_string()
}

#[test]
fn the_cli_publishes_searches_gets_and_traces_lineage() {
    let dir = folder("cli");
    let db = dir.join("a.sqlite");
    let (ada, bob) = (add_user(&db, "ada"), add_user(&db, "bob"));
    let s = serve(&db, &[]);
    let root_file = dir.join("root.json");
    std::fs::write(&root_file, genome(1.0).to_string()).unwrap();
    let step = dir.join("step.json");
    std::fs::write(&step, genome(1.5).to_string()).unwrap();
    let leaf_file = dir.join("leaf.json");
    std::fs::write(&leaf_file, genome(2.0).to_string()).unwrap();
    // A PNG carrying a genome is published as its genome.
    let leaf_png = dir.join("leaf.png");
    let out = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .args(["render"])
        .arg(&leaf_file)
        .args(["-s", "32", "-o"])
        .arg(&leaf_png)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    let (ok, out, err) = cli(&[
        "publish",
        root_file.to_str().unwrap(),
        "--server",
        &s.url,
        "--token",
        &ada,
        "--title",
        "Blue root",
        "--tags",
        "sky,root",
    ]);
    assert!(ok, "{err}");
    let root = published_id(&out);
    let (ok, out, err) = cli(&[
        "publish",
        leaf_png.to_str().unwrap(),
        "--server",
        &s.url,
        "--token",
        &bob,
        "--title",
        "Leaf of bob",
        "--from",
        &root,
        "--chain",
        step.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let leaf = published_id(&out);
    assert_ne!(root, leaf);

    // Search by text, by tag, sorted by branches.
    let (ok, out, err) = cli(&["search", "leaf", "--server", &s.url]);
    assert!(ok, "{err}");
    assert!(out.starts_with("ITEM"), "{out}");
    assert!(
        out.contains(&format!("#{leaf}")) && out.contains("bob"),
        "{out}"
    );
    assert!(!out.contains("Blue root"), "{out}");
    let (_, out, _) = cli(&["search", "--tag", "sky", "--server", &s.url]);
    assert!(
        out.contains("Blue root") && !out.contains("Leaf of bob"),
        "{out}"
    );
    let (_, out, _) = cli(&[
        "search",
        "--sort",
        "branched",
        "--per-page",
        "1",
        "--server",
        &s.url,
    ]);
    assert!(
        out.contains("Blue root") && out.contains("more: --page 2"),
        "{out}"
    );

    // Get writes the genome and the picture; both read back as the published genome.
    let got = dir.join("got.json");
    let pic = dir.join("got.png");
    let (ok, out, err) = cli(&[
        "get",
        &leaf,
        "-o",
        got.to_str().unwrap(),
        "--png",
        pic.to_str().unwrap(),
        "--server",
        &s.url,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Leaf of bob"), "{out}");
    let weight = |v: serde_json::Value| v["links"][0]["weight"].as_f64();
    let got_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&got).unwrap()).unwrap();
    assert_eq!(weight(got_json), Some(2.0));
    let info = Command::new(env!("CARGO_BIN_EXE_picbreeder"))
        .arg("info")
        .arg(&pic)
        .output()
        .unwrap();
    assert!(
        info.status.success() && String::from_utf8_lossy(&info.stdout).contains("PNG carrying")
    );
    // The output guard: a genome is not overwritten by a picture without --force.
    let (ok, _, err) = cli(&[
        "get",
        &leaf,
        "--png",
        got.to_str().unwrap(),
        "--server",
        &s.url,
    ]);
    assert!(!ok && err.contains("--force"), "{err}");

    // Lineage: root first, the leaf below with its recorded generation.
    let (ok, out, err) = cli(&["lineage", &leaf, "--server", &s.url]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].contains(&format!("#{root}")) && lines[0].contains("(root)"),
        "{out}"
    );
    assert!(
        lines[1].contains(&format!("#{leaf}")) && lines[1].contains("1 generations"),
        "{out}"
    );

    // A missing item is the server's 404 in one line.
    let (ok, _, err) = cli(&["lineage", "999", "--server", &s.url]);
    assert!(
        !ok && err.lines().count() == 1 && err.contains("404"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_says_in_one_line_when_refused_or_the_server_is_down() {
    let dir = folder("cli-errors");
    let db = dir.join("a.sqlite");
    add_user(&db, "ada");
    let file = dir.join("g.json");
    std::fs::write(&file, genome(1.0).to_string()).unwrap();
    let s = serve(&db, &[]);
    let publish = |url: &str, token: &str| {
        cli(&[
            "publish",
            file.to_str().unwrap(),
            "--server",
            url,
            "--token",
            token,
            "--timeout",
            "2",
        ])
    };
    let (ok, _, err) = publish(&s.url, "wrong-token");
    assert!(!ok, "a wrong token was taken");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("401") && err.contains(&s.url), "{err}");
    let (_, list) = call("GET", &format!("{}/api/items", s.url), None, None);
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Down: the port no longer listens.
    let url = s.url.clone();
    drop(s);
    let started = std::time::Instant::now();
    let (ok, _, err) = cli(&["search", "--server", &url, "--timeout", "2"]);
    assert!(!ok);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot reach") && err.contains(&url), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));

    // Stalled: a port that takes the connection and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let stalled = format!("http://{}", listener.local_addr().unwrap());
    let started = std::time::Instant::now();
    let (ok, _, err) = cli(&["lineage", "1", "--server", &stalled, "--timeout", "1"]);
    assert!(!ok);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("timeout") && err.contains(&stalled), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    drop(listener);
    let _ = std::fs::remove_dir_all(&dir);
}
