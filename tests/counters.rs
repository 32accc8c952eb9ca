//! Counters and sizes read from a file are checked before anything counts on from them
//! or allocates by them: refused in one line naming the field. The crafted files are
//! made here, small.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::picbreeder;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-counters-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Exit 1 with one `error:` line holding every one of `words`.
fn refused(o: &Output, words: &[&str]) {
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    for w in words {
        assert!(e.contains(w), "'{w}' not in {e}");
    }
}

#[test]
fn a_session_whose_innovation_counter_is_at_the_top_is_refused_before_breeding() {
    let session = temp("top.json");
    let o = picbreeder(&["breed", "--new", "3", "-o", s(&session)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session).unwrap()).unwrap();
    v["innovations"]["next"] = serde_json::json!(u64::MAX);
    std::fs::write(&session, serde_json::to_vec(&v).unwrap()).unwrap();
    let out = temp("bred.json");
    let o = picbreeder(&["breed", s(&session), "--pick", "1,2", "-o", s(&out)]);
    refused(&o, &["innovations.next", "18446744073709551615"]);
    assert!(!out.exists(), "it bred into a file");
}

#[test]
fn a_genome_marking_near_the_top_is_refused_on_read() {
    let g = temp("marking.json");
    let o = picbreeder(&["breed", "--new", "4", "-o", s(&temp("m-session.json"))]);
    assert!(o.status.success());
    let o = picbreeder(&[
        "session",
        s(&temp("m-session.json")),
        "--child",
        "1",
        "-o",
        s(&g),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&g).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = v["links"][0]["id"].as_str().unwrap().to_string();
    let branch = first.split(':').next().unwrap();
    let forged = text.replace(
        &format!("\"{first}\""),
        &format!("\"{branch}:{}\"", u64::MAX),
    );
    assert_ne!(forged, text);
    std::fs::write(&g, forged).unwrap();
    let o = picbreeder(&["info", s(&g)]);
    refused(&o, &["marking", "18446744073709551615", "largest"]);
}

/// A paper-format net of 4 -> 2 -> 1 (grey), with `groups` and `hidden_layers` as given.
fn paper_net(name: &str, groups: serde_json::Value, hidden_layers: u64) -> PathBuf {
    let net = serde_json::json!({
        "arch": "1;sin:2",
        "hidden_layers": hidden_layers,
        "width": 2,
        "activation_groups_per_layer": groups,
        "inputs": ["x", "y", "d", "bias"],
        "outputs": ["v"],
        "bias_terms": false,
        "layers": [
            {"in": 4, "out": 2, "weights_row_major_in_by_out": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]},
            {"in": 2, "out": 1, "weights_row_major_in_by_out": [0.5, -0.5]}
        ]
    });
    let path = temp(name);
    std::fs::write(&path, serde_json::to_vec(&net).unwrap()).unwrap();
    path
}

#[test]
fn a_paper_net_with_a_huge_group_or_layer_count_is_refused_in_one_line() {
    let fine = paper_net(
        "fine.json",
        serde_json::json!([{"activation": "sin", "count": 2}]),
        1,
    );
    let o = picbreeder(&["info", s(&fine)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let groups = paper_net(
        "groups.json",
        serde_json::json!([{"activation": "sin", "count": 1_000_000_000_000u64}]),
        1,
    );
    refused(
        &picbreeder(&["info", s(&groups)]),
        &["activation_groups_per_layer"],
    );
    // Two groups whose sum wraps round to the width.
    let wraps = paper_net(
        "wraps.json",
        serde_json::json!([
            {"activation": "sin", "count": u64::MAX},
            {"activation": "sin", "count": 3}
        ]),
        1,
    );
    refused(
        &picbreeder(&["info", s(&wraps)]),
        &["activation_groups_per_layer"],
    );
    let layers = paper_net(
        "layers.json",
        serde_json::json!([{"activation": "sin", "count": 2}]),
        1_000_000_000_000,
    );
    refused(&picbreeder(&["info", s(&layers)]), &["hidden_layers"]);
}
