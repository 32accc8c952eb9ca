//! The docs name only what exists: every `src/`, `docs/`, `tests/`, `benches/` and
//! `examples/` path written in README.md or a Markdown file under docs/, and every
//! relative link there, is a file or folder of the checkout.

use std::path::{Path, PathBuf};

const ROOTS: [&str; 5] = ["src/", "docs/", "tests/", "benches/", "examples/"];

/// The repository paths a text names: each starts with one of [`ROOTS`] after a
/// character that cannot be part of a path, and runs while path characters follow (a
/// glob's `*` ends it; a sentence's full stop is not part of it).
fn named_paths(text: &str) -> Vec<String> {
    let is_path = |c: char| c.is_ascii_alphanumeric() || "_-./".contains(c);
    let mut out = Vec::new();
    for root in ROOTS {
        for (at, _) in text.match_indices(root) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| is_path(c) || c == '$' || c == ':') {
                continue;
            }
            let path: String = text[at..].chars().take_while(|&c| is_path(c)).collect();
            out.push(path.trim_end_matches(['.', ',']).to_string());
        }
    }
    out
}

/// The targets of a text's Markdown links that are neither web addresses nor anchors.
fn relative_links(text: &str) -> Vec<String> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let target = rest.split([')', '#']).next()?;
            let web = target.contains("://") || target.starts_with("mailto:");
            (!target.is_empty() && !web).then(|| target.to_string())
        })
        .collect()
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("docs is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn every_path_the_docs_name_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    markdown_files(&root.join("docs"), &mut files);
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable Markdown file");
        let name = file.strip_prefix(root).unwrap().display().to_string();
        for path in named_paths(&text) {
            checked += 1;
            if !root.join(&path).exists() {
                missing.push(format!("{name}: {path}"));
            }
        }
        let dir = file.parent().unwrap();
        for link in relative_links(&text) {
            checked += 1;
            if !dir.join(&link).exists() {
                missing.push(format!("{name}: link {link}"));
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} paths found: is the parser right?"
    );
    assert!(
        missing.is_empty(),
        "named in the docs but not in the checkout:\n{}",
        missing.join("\n")
    );
}

#[test]
fn paths_and_links_are_found_as_written() {
    let text = "See `src/io/export.rs`, then src/app/ and (docs/measures.md). \
                Not ../shared/tests/x or $src/y; `src/app/twin/*tests.rs` is its folder. \
                [a](docs/a.png) [b](https://x.org/docs/b) [c](#anchor) [d](studies/d.md#part)";
    assert_eq!(
        named_paths(text),
        [
            "src/io/export.rs",
            "src/app/",
            "src/app/twin/",
            "docs/measures.md",
            "docs/a.png"
        ]
    );
    assert_eq!(relative_links(text), ["docs/a.png", "studies/d.md"]);
}

/// The architecture page lists every test file (as `name.rs`), bench and example (by
/// name), so a newcomer finds them all there.
#[test]
fn the_architecture_page_names_every_test_bench_and_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
    let words: std::collections::BTreeSet<&str> = page
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    let mut missing = Vec::new();
    for dir in ["tests", "benches", "examples"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let file = path.file_name().unwrap().to_str().unwrap().to_string();
            let stem = file.trim_end_matches(".rs");
            let named = if dir == "tests" {
                page.contains(&format!("`{file}`"))
            } else {
                words.contains(stem)
            };
            if !named {
                missing.push(format!("{dir}/{file}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/ARCHITECTURE.md (\"Where the tests are\") does not name: {}",
        missing.join(", ")
    );
}
