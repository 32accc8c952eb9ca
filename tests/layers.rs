//! The house rule: the core's modules import one way, bottom up, and never egui.
//!
//! [`layers`] lists every top-level module of the library in order, each with the
//! modules it may use; a module may only name modules listed before it, so the table
//! itself has no cycle. Every source file is read and each `crate::X` (or `super::X` in a
//! file at the top of `src/`) must be allowed for the file's module. The three faces
//! (`src/app/`, `src/cli/`, `src/server/`) sit on top and use the library through
//! `picbreeder::`; the window may not use the CLI, and no face uses the server (main.rs
//! dispatches `picbreeder serve`) nor the server another face. The core never names
//! egui or the HTTP stack.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const BASE: &[&str] = &[
    "fastmath",
    "grid",
    "colour",
    "activation",
    "image",
    "steps",
    "limits",
    "budget",
];

/// (module, what it may use besides itself), bottom up.
fn layers() -> Vec<(&'static str, Vec<&'static str>)> {
    let base_and = |more: &[&'static str]| [BASE, more].concat();
    vec![
        // base: vector maths, pixel grids, colour, activations, pictures, the step evaluator
        ("fastmath", vec![]),
        ("limits", vec![]),
        ("budget", vec![]),
        ("grid", vec![]),
        ("colour", vec![]),
        ("activation", vec!["fastmath"]),
        ("image", vec!["grid", "colour"]),
        ("steps", vec!["grid", "activation"]),
        // two models, no arrow between them
        ("cppn", base_and(&[])),
        ("dense", base_and(&[])),
        // the bridge: a genome as a dense net
        ("layerize", base_and(&["cppn", "dense"])),
        // either model behind one face; the genome <-> twin correspondence
        ("network", base_and(&["cppn", "dense", "layerize"])),
        (
            "compare",
            base_and(&["cppn", "dense", "layerize", "network"]),
        ),
        // training, pictures, files
        ("sgd", base_and(&["cppn", "dense", "layerize"])),
        (
            "render",
            base_and(&["cppn", "dense", "layerize", "network"]),
        ),
        ("io", base_and(&["cppn", "dense", "network"])),
        // figures as the paper draws them, written as PNG or SVG
        (
            "figure",
            base_and(&["cppn", "dense", "network", "layerize", "render", "io"]),
        ),
        // the FER scorecard: neuron and sweep measures of either network
        (
            "measure",
            base_and(&[
                "cppn", "dense", "layerize", "network", "sgd", "render", "figure",
            ]),
        ),
        // animations: sweeps, zooms, lineage morphs, training runs as GIF/APNG
        (
            "animate",
            base_and(&[
                "cppn", "dense", "layerize", "network", "compare", "render", "io", "sgd",
            ]),
        ),
        // breeding sessions
        (
            "breed",
            base_and(&["cppn", "dense", "layerize", "network", "render", "io"]),
        ),
        // the library: every session, kept genome and trained net in one database
        (
            "store",
            base_and(&[
                "cppn", "dense", "layerize", "network", "render", "io", "breed",
            ]),
        ),
        // the paper's open questions as experiments: training, breeding and files
        (
            "experiment",
            base_and(&[
                "cppn", "dense", "layerize", "network", "compare", "sgd", "render", "io", "breed",
                "measure", "figure",
            ]),
        ),
        // the shared archive: published items, lineages across people, accounts
        ("archive", base_and(&["cppn", "io"])),
        // search without a person: target-driven NEAT, novelty search, MAP-Elites
        (
            "search",
            base_and(&[
                "cppn", "dense", "layerize", "network", "render", "io", "breed", "figure",
                "measure",
            ]),
        ),
    ]
}

/// The top-level module a library file belongs to (`src/cppn/mutate.rs` -> `cppn`).
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// Every module a source text names through `crate::` (and `super::` when the file is
/// at the top of `src/`), comments left out.
fn uses(source: &str, top_level_file: bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut prefixes = vec!["crate::"];
        if top_level_file {
            prefixes.push("super::");
        }
        for prefix in prefixes {
            let mut rest = code;
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    // `crate::{a::X, b}`: the first name of each item.
                    let inner = group.split('}').next().unwrap_or("");
                    for item in inner.split(',') {
                        let name: String = item
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() {
                            out.insert(name);
                        }
                    }
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                }
            }
        }
    }
    out
}

/// The rule's breaches among `files` (path relative to `src/`, text): a library file
/// naming a module its layer may not use, or egui; a window file naming the CLI.
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (rel, text) in files {
        let Some(module) = module_of(rel) else {
            continue;
        };
        let face = module == "app" || module == "cli" || module == "server";
        let mentions_egui = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .any(|l| l.contains("egui") || l.contains("eframe"));
        if module == "app" && text.contains("crate::cli") {
            bad.push(format!("{}: the window uses the CLI", rel.display()));
        }
        // The faces never use each other: `picbreeder serve` is dispatched by main.rs.
        for (face, other) in [
            ("app", "server"),
            ("cli", "server"),
            ("server", "app"),
            ("server", "cli"),
        ] {
            if module == face && text.contains(&format!("crate::{other}")) {
                bad.push(format!(
                    "{}: the {face} face uses the {other}",
                    rel.display()
                ));
            }
        }
        if module == "server" && mentions_egui {
            bad.push(format!("{}: the server names egui", rel.display()));
        }
        if face || module == "main" || module == "lib" {
            continue;
        }
        if mentions_egui {
            bad.push(format!("{}: the core names egui", rel.display()));
        }
        let http = [
            "axum::",
            "tokio::",
            "tower_http::",
            "hyper::",
            "maud::",
            "ureq::",
        ];
        if text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .any(|l| http.iter().any(|h| l.contains(h)))
        {
            bad.push(format!("{}: the core names the HTTP stack", rel.display()));
        }
        let table = layers();
        let Some((_, allowed)) = table.iter().find(|(m, _)| *m == module) else {
            bad.push(format!(
                "{}: module '{module}' is not in the layer table",
                rel.display()
            ));
            continue;
        };
        let top_level_file = rel.components().count() == 1;
        for used in uses(text, top_level_file) {
            if used != module && !allowed.contains(&used.as_str()) {
                bad.push(format!(
                    "{}: '{module}' may not use '{used}'",
                    rel.display()
                ));
            }
        }
    }
    bad
}

fn source_files(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            source_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            out.push((path.strip_prefix(root).unwrap().to_path_buf(), text));
        }
    }
}

#[test]
fn the_table_is_ordered_so_it_has_no_cycle() {
    let table = layers();
    for (i, (module, allowed)) in table.iter().enumerate() {
        for a in allowed {
            let before = table[..i].iter().any(|(m, _)| m == a);
            assert!(before, "'{module}' may use '{a}', which is not below it");
        }
    }
}

#[test]
fn every_module_of_the_library_is_in_the_table() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(
                layers().iter().any(|(m, _)| *m == name),
                "module '{name}' is not in the layer table"
            );
        }
    }
}

#[test]
fn imports_run_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&root, &root, &mut files);
    assert!(files.len() > 40, "found only {} source files", files.len());
    let bad = violations(&files);
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

/// The check itself fails on a back-arrow, a hidden one in a group, egui in the core,
/// and the window calling the CLI; it passes the same files without them.
#[test]
fn a_back_arrow_is_caught() {
    let file = |p: &str, t: &str| (PathBuf::from(p), t.to_string());
    let clean = vec![
        file(
            "cppn/mutate.rs",
            "use crate::grid::Grid;\nuse super::genome::Genome;",
        ),
        file(
            "network.rs",
            "use crate::cppn::Program; // crate::breed in a comment",
        ),
        file(
            "app/mod.rs",
            "use picbreeder::breed::Session; use eframe::egui;",
        ),
    ];
    assert_eq!(violations(&clean), Vec::<String>::new());
    let cases = [
        file("cppn/random.rs", "use crate::render::image::Image;"),
        file(
            "dense/paper.rs",
            "use crate::{grid::Input, cppn::genome::Input};",
        ),
        file("io/png.rs", "fn f() { crate::breed::Session::new(1); }"),
        file("grid.rs", "use super::steps::Step;"),
        file("render/gallery.rs", "use eframe::egui;"),
        file("app/state.rs", "crate::cli::run()"),
        file("server/api.rs", "crate::app::run(None)"),
        file("archive/mod.rs", "use axum::Router;"),
        file("newthing/mod.rs", "use crate::grid::Grid;"),
    ];
    for case in cases {
        let found = violations(std::slice::from_ref(&case));
        assert_eq!(found.len(), 1, "{}: {found:?}", case.0.display());
    }
}

/// The type names a file declares at its top level (struct, enum, trait, type alias;
/// associated types and test modules are indented, so left out).
fn declared_types(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    let mut names = Vec::new();
    for line in code.lines() {
        let rest = line
            .strip_prefix("pub(crate) ")
            .or_else(|| line.strip_prefix("pub(super) "))
            .or_else(|| line.strip_prefix("pub "))
            .unwrap_or(line);
        for kw in ["struct ", "enum ", "trait ", "type "] {
            if let Some(r) = rest.strip_prefix(kw) {
                let name: String = r
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name.starts_with(|c: char| c.is_uppercase()) {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// One name for one thing: no two types of the crate share a name, so a name read
/// anywhere means one thing. The CLI's per-command `Args` (clap's convention, each
/// private to its command's file) are the one exception.
#[test]
fn type_names_are_unique_in_the_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&root, &root, &mut files);
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    // Whole files of tests have rigs of their own.
    let tests = |p: &Path| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with("tests.rs"))
    };
    for (path, text) in files.iter().filter(|(p, _)| !tests(p)) {
        for name in declared_types(text) {
            seen.entry(name)
                .or_default()
                .push(path.display().to_string());
        }
    }
    let twice: Vec<String> = seen
        .iter()
        .filter(|(name, files)| files.len() > 1 && *name != "Args")
        .map(|(name, files)| format!("{name}: {}", files.join(", ")))
        .collect();
    assert!(
        twice.is_empty(),
        "declared more than once:\n{}",
        twice.join("\n")
    );
    // The check sees a repeat.
    assert_eq!(
        declared_types("pub struct A;\nenum B {}\nimpl X for A {\n    type Out = ();\n}"),
        ["A", "B"]
    );
}

/// The layer table of `docs/ARCHITECTURE.md` (`| layer | module | what | may use |`):
/// each module with what it may use, "base" standing for the base modules.
fn architecture_table(page: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut rows = Vec::new();
    for line in page.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 4 {
            continue;
        }
        let Some(module) = cells[1].strip_prefix('`').and_then(|m| m.strip_suffix('`')) else {
            continue;
        };
        let mut may_use = BTreeSet::new();
        for used in cells[3].split(',').map(str::trim) {
            match used {
                "-" | "" => {}
                "base" => may_use.extend(BASE.iter().map(|b| b.to_string())),
                other => {
                    may_use.insert(other.to_string());
                }
            }
        }
        rows.push((module.to_string(), may_use));
    }
    rows
}

/// The architecture page shows the rule these tests check, row for row: a module added
/// to [`layers`] without its row there, or a row that allows what the rule forbids,
/// fails here with the row to write.
#[test]
fn the_architecture_page_is_the_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md");
    let page = std::fs::read_to_string(&path).expect("docs/ARCHITECTURE.md");
    let rows = architecture_table(&page);
    let table = layers();
    let mut wrong = Vec::new();
    for (module, allowed) in &table {
        let want: BTreeSet<String> = allowed.iter().map(|a| a.to_string()).collect();
        let row = |set: &BTreeSet<String>| {
            let names: Vec<&str> = set.iter().map(String::as_str).collect();
            format!("| ... | `{module}` | ... | {} |", names.join(", "))
        };
        match rows.iter().find(|(m, _)| m == module) {
            None => wrong.push(format!("no row for '{module}': {}", row(&want))),
            Some((_, got)) if *got != want => {
                wrong.push(format!("'{module}' may use other modules: {}", row(&want)))
            }
            Some(_) => {}
        }
    }
    for (module, _) in &rows {
        if !table.iter().any(|(m, _)| m == module) {
            wrong.push(format!("a row for '{module}', which is not in the rule"));
        }
    }
    assert!(
        wrong.is_empty(),
        "docs/ARCHITECTURE.md:\n{}",
        wrong.join("\n")
    );
    // The parser reads a row, expands "base" and skips other tables.
    let rows = architecture_table(
        "| base | `image` | pictures | grid, colour |\n| x | `io` | files | base, cppn |\n| face | what |",
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].1.len(), 2);
    assert_eq!(rows[1].1.len(), BASE.len() + 1);
}
