//! Merging a study's result files into one table: per condition the runs that learned
//! (mean, standard deviation, each seed) and, counted apart, those that collapsed.

use super::ExperimentError;
use super::jobs::{Condition, JobResult, read_result};
use crate::measure::defs::{self, MeasureDef};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Mean and sample standard deviation (n - 1; 0 for one value; NaN for none).
pub fn mean_std(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() == 1 {
        return (mean, 0.0);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// One condition's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    pub condition: Condition,
    /// What the row is called: the condition, or a methods study's method.
    pub label: String,
    /// (seed, final PSNR) of the runs that learned.
    pub psnr: Vec<(u64, f64)>,
    /// Seeds whose runs collapsed (left out of every mean).
    pub collapsed: Vec<u64>,
    /// Over every (learned run, child): PSNR after fine-tuning, steps to the target
    /// where reached, fine-tunes that reached it, all fine-tunes, share of weights
    /// changed.
    pub adapt_psnr: Vec<f64>,
    pub adapt_steps: Vec<f64>,
    pub adapt_reached: usize,
    pub adapt_runs: usize,
    pub adapt_changed: Vec<f64>,
    /// The evolved genome: the child pictures' PSNR against the parent's.
    pub child_distance: Vec<f64>,
    /// Each study measure ([`defs::study`], in order) over the learned runs (or the
    /// genome), before adapting and after each move to a child.
    pub representation: Vec<Vec<f64>>,
    pub representation_after: Vec<Vec<f64>>,
}

impl ReportRow {
    /// A row with no runs yet.
    fn empty(condition: Condition, label: String) -> ReportRow {
        ReportRow {
            condition,
            label,
            psnr: vec![],
            collapsed: vec![],
            adapt_psnr: vec![],
            adapt_steps: vec![],
            adapt_reached: 0,
            adapt_runs: 0,
            adapt_changed: vec![],
            child_distance: vec![],
            representation: vec![vec![]; defs::study().count()],
            representation_after: vec![vec![]; defs::study().count()],
        }
    }
}

/// Adds named measures to per-measure lists, in [`defs::study`] order (unknown names
/// are skipped: files of other versions may carry more; older files carry fewer).
fn gather(into: &mut [Vec<f64>], measures: &[(String, f64)]) {
    for (name, v) in measures {
        if let Some(k) = defs::study().position(|m| m.key == name) {
            into[k].push(*v);
        }
    }
}

/// Reads every `*.json` of `dir` (sorted by name); all must be results of one setup.
pub fn read_dir(dir: &Path) -> Result<Vec<JobResult>, ExperimentError> {
    let file = |why: String| ExperimentError::File {
        path: dir.display().to_string(),
        why,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| file(e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let results = paths
        .iter()
        .map(|p| read_result(p))
        .collect::<Result<Vec<_>, _>>()?;
    if results.is_empty() {
        return Err(file("holds no result files (*.json)".into()));
    }
    if let Some(other) = results.iter().position(|r| r.setup != results[0].setup) {
        return Err(ExperimentError::File {
            path: paths[other].display().to_string(),
            why: format!(
                "is of another setup than {} ({}): one study per folder",
                paths[0].display(),
                setup_difference(&results[other].setup, &results[0].setup)
            ),
        });
    }
    // A copied result file would count one run twice in every mean.
    let mut seen: BTreeMap<(Condition, Option<String>, u64), usize> = BTreeMap::new();
    for (k, r) in results.iter().enumerate() {
        let key = (r.job.condition, r.job.method.clone(), r.job.seed);
        if let Some(first) = seen.insert(key, k) {
            return Err(ExperimentError::File {
                path: paths[k].display().to_string(),
                why: format!(
                    "is the {} run of seed {} again (as {}): keep one of them",
                    r.job.label(),
                    r.job.seed,
                    paths[first].display()
                ),
            });
        }
    }
    Ok(results)
}

/// Where two setups differ, e.g. `steps 2000 vs 500`: the first field that does (as
/// the files write them).
fn setup_difference(a: &super::jobs::Setup, b: &super::jobs::Setup) -> String {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return "setups differ".into();
    };
    let none = serde_json::Value::Null;
    a.keys()
        .chain(b.keys())
        .find_map(|k| {
            let (x, y) = (a.get(k).unwrap_or(&none), b.get(k).unwrap_or(&none));
            (x != y).then(|| format!("{k} {x} vs {y}"))
        })
        .unwrap_or_else(|| "setups differ".into())
}

/// Where a methods study's method sorts: its place in [`METHODS`], then its name (so
/// rows follow the menus' order, not the alphabet).
///
/// [`METHODS`]: crate::sgd::method::METHODS
fn method_rank(label: &str) -> usize {
    let name = label.split(':').next().unwrap_or(label);
    crate::sgd::method::METHODS
        .iter()
        .position(|e| e.name == name)
        .unwrap_or(usize::MAX)
}

/// The row of a methods study's evolved genome as the paper's layerized net.
pub const LAYERIZED: &str = "evolved (layerized)";

/// Whether these are a methods study's results (a job trained by its own method).
pub fn is_methods_study(results: &[JobResult]) -> bool {
    results.iter().any(|r| r.job.condition == Condition::Method)
}

/// The rows, one per condition (a methods study: per method) present, in condition
/// order, methods in the order of the method list.
pub fn rows(results: &[JobResult]) -> Vec<ReportRow> {
    let mut by: BTreeMap<(Condition, usize, String), ReportRow> = BTreeMap::new();
    for r in results {
        let label = r.job.label().to_string();
        let key = (r.job.condition, method_rank(&label), label.clone());
        let row = by
            .entry(key)
            .or_insert_with(|| ReportRow::empty(r.job.condition, label));
        match &r.trained {
            Some(t) if t.collapse.is_some() => {
                row.collapsed.push(r.job.seed);
                continue;
            }
            Some(t) => row.psnr.push((r.job.seed, t.final_psnr)),
            None => {}
        }
        gather(&mut row.representation, &r.measures);
        if !r.measures_layerized.is_empty() {
            let label = LAYERIZED.to_string();
            let key = (r.job.condition, method_rank(&label), label.clone());
            let row = by
                .entry(key)
                .or_insert_with(|| ReportRow::empty(r.job.condition, label));
            gather(&mut row.representation, &r.measures_layerized);
            continue;
        }
        for a in &r.adapt {
            gather(&mut row.representation_after, &a.measures_after);
            if r.job.condition == Condition::Evolved {
                row.child_distance.push(a.psnr_start);
            } else {
                row.adapt_runs += 1;
                row.adapt_psnr.push(a.psnr_after);
                if let Some(s) = a.steps_to_target {
                    row.adapt_reached += 1;
                    row.adapt_steps.push(s as f64);
                }
            }
            row.adapt_changed
                .push(a.changed as f64 / a.total.max(1) as f64);
        }
    }
    by.into_values().collect()
}

/// Mean ± sd of the finite values; values that are not finite (a PSNR of identical
/// pictures is infinite) are counted after it, never averaged into a figure.
pub fn pm(xs: &[f64], digits: usize) -> String {
    let finite: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let (m, s) = mean_std(&finite);
    let mut text = if m.is_finite() && s.is_finite() {
        format!("{m:.digits$} ± {s:.digits$}")
    } else {
        "-".into()
    };
    let left_out = xs.len() - finite.len();
    if left_out > 0 {
        text += &format!(" ({left_out} not finite, left out)");
    }
    text
}

/// One value: "identical" for an infinite PSNR, "-" for no number.
fn figure(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else if x == f64::INFINITY {
        "identical".into()
    } else {
        "-".into()
    }
}

/// The table as Markdown.
pub fn table(results: &[JobResult]) -> String {
    let rows = rows(results);
    let mut out = String::new();
    let methods = is_methods_study(results);
    if let (true, Some(r)) = (methods, results.first()) {
        let s = &r.setup;
        let _ = writeln!(
            out,
            "methods study of genome {} (generation #{} child {}), {} at {}x{}, {} steps, lr {}{}\n",
            s.genome.as_deref().unwrap_or("-"),
            s.generation,
            s.child + 1,
            s.arch,
            s.size,
            s.size,
            s.steps,
            s.lr,
            if s.straight_through {
                ", straight-through colour rule (not the paper's)"
            } else {
                ""
            }
        );
    } else if let Some(r) = results.first() {
        let s = &r.setup;
        let _ = writeln!(
            out,
            "generation #{} child {}, {} by {} at {}x{}, {} steps, lr {}, stones at generations {:?} ({:?} shares{}: {:?} steps){}\n",
            s.generation,
            s.child + 1,
            s.arch,
            s.method,
            s.size,
            s.size,
            s.steps,
            s.lr,
            r.stones,
            s.shares,
            s.final_share.map_or(String::new(), |f| format!(
                ", the last {f} on the final image"
            )),
            r.stone_steps,
            if s.straight_through {
                ", straight-through colour rule (not the paper's)"
            } else {
                ""
            }
        );
    }
    out.push_str(if methods {
        "| method | runs | collapsed (seeds) | final PSNR dB, mean ± sd | per seed |\n|---|---|---|---|---|\n"
    } else {
        "| condition | runs | collapsed (seeds) | final PSNR dB, mean ± sd | per seed |\n|---|---|---|---|---|\n"
    });
    for row in rows.iter().filter(|r| r.condition != Condition::Evolved) {
        let xs: Vec<f64> = row.psnr.iter().map(|p| p.1).collect();
        let per: Vec<String> = row
            .psnr
            .iter()
            .map(|(s, p)| format!("{s}: {}", figure(*p, 2)))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} {:?} | {} | {} |",
            row.label,
            row.psnr.len() + row.collapsed.len(),
            row.collapsed.len(),
            row.collapsed,
            pm(&xs, 2),
            per.join(", ")
        );
    }
    let adapt: Vec<&ReportRow> = rows
        .iter()
        .filter(|r| !r.adapt_changed.is_empty())
        .collect();
    if !adapt.is_empty() {
        let s = &results[0].setup;
        let _ = write!(
            out,
            "\nAdaptability to {} one-mutation children ({} fine-tuning steps each, target {} dB):\n\n\
             | condition | fine-tunes | reached target | steps to target | PSNR after, dB | share of weights changed > 1e-3 |\n|---|---|---|---|---|---|\n",
            s.children, s.budget, s.target_db
        );
        for row in adapt {
            if row.condition == Condition::Evolved {
                let finite: Vec<f64> = row
                    .child_distance
                    .iter()
                    .copied()
                    .filter(|x| x.is_finite())
                    .collect();
                let _ = writeln!(
                    out,
                    "| evolved (one mutation) | {} | - | - | child vs parent: {} ({} identical at 8 bits, left out) | {} |",
                    row.child_distance.len(),
                    pm(&finite, 2),
                    row.child_distance.len() - finite.len(),
                    pm(&row.adapt_changed, 4)
                );
            } else {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    row.condition.name(),
                    row.adapt_runs,
                    row.adapt_reached,
                    pm(&row.adapt_steps, 0),
                    pm(&row.adapt_psnr, 2),
                    pm(&row.adapt_changed, 4)
                );
            }
        }
    }
    representation_table(&rows, &mut out);
    out
}

/// What each condition ends with inside: the scorecard's headline numbers, mean ± sd
/// over the learned runs, and after adapting to the children where there are any.
fn representation_table(rows: &[ReportRow], out: &mut String) {
    if rows
        .iter()
        .all(|r| r.representation.iter().all(Vec::is_empty))
    {
        return;
    }
    let m = &super::MEASURE;
    let _ = write!(
        out,
        "\nRepresentation (FER scorecard at {}x{}, {} weights sampled; medians of the sweeps; \
         symmetric and distinct as fractions of hidden neurons):\n\n| condition | when |",
        m.grid, m.grid, m.sample
    );
    let study: Vec<&MeasureDef> = defs::study().collect();
    for def in &study {
        let _ = write!(out, " {} |", def.key);
    }
    out.push_str(&format!("\n|---|---|{}\n", "---|".repeat(study.len())));
    for row in rows {
        for (when, lists) in [
            ("final", &row.representation),
            ("after adapting", &row.representation_after),
        ] {
            if lists.iter().all(Vec::is_empty) {
                continue;
            }
            let _ = write!(out, "| {} | {when} |", row.label);
            for (def, xs) in study.iter().zip(lists) {
                let _ = write!(out, " {} |", pm(xs, def.short));
            }
            out.push('\n');
        }
    }
}

/// Each condition's mean loss curve over its learned runs, as CSV
/// (`condition,step,mean_loss,mean_psnr_db`): the curves to overlay.
pub fn mean_curves(results: &[JobResult]) -> String {
    let mut by: BTreeMap<(Condition, u64), Vec<f64>> = BTreeMap::new();
    for r in results {
        if let Some(t) = r.trained.as_ref().filter(|t| t.collapse.is_none()) {
            for p in &t.curve {
                by.entry((r.job.condition, p.step))
                    .or_default()
                    .push(p.loss);
            }
        }
    }
    let mut out = String::from("condition,step,mean_loss,mean_psnr_db\n");
    for ((c, step), losses) in by {
        let m = mean_std(&losses).0;
        if !m.is_finite() {
            continue; // a loss that is no number is no point of a curve
        }
        // A loss of 0 is an infinite PSNR: the field is left empty, not "inf".
        let db = crate::sgd::trainer::psnr_of_mse(m);
        let db = if db.is_finite() {
            format!("{db:.4}")
        } else {
            String::new()
        };
        let _ = writeln!(out, "{},{step},{m:.6e},{db}", c.name());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::jobs::{
        RESULT_FORMAT, RESULT_VERSION, StudyJob, TrainedSummary, tests::setup,
    };
    use super::*;
    use crate::sgd::collapse::{Collapse, CollapseKind};

    fn made_up(condition: Condition, seed: u64, psnr: f64, collapsed: bool) -> JobResult {
        JobResult {
            format: RESULT_FORMAT.into(),
            version: RESULT_VERSION,
            setup: setup(0),
            job: StudyJob::of(condition, seed),
            stones: vec![0, 3],
            stone_steps: vec![20, 20],
            trained: Some(TrainedSummary {
                steps: 40,
                forward_passes: 120,
                final_loss: 0.01,
                final_psnr: psnr,
                parameters: 10,
                collapse: collapsed.then_some(Collapse {
                    step: 30,
                    loss: 0.1,
                    kind: CollapseKind::ZeroGradient,
                }),
                curve: vec![],
            }),
            adapt: vec![],
            measures: vec![],
            measures_layerized: vec![],
            seconds: 1.0,
        }
    }

    #[test]
    fn representation_is_averaged_per_condition_before_and_after() {
        let named = |v: f64| -> Vec<(String, f64)> {
            defs::study().map(|m| (m.key.to_string(), v)).collect()
        };
        let mut a = made_up(Condition::Stones, 0, 20.0, false);
        a.measures = named(0.2);
        let mut b = made_up(Condition::Stones, 1, 21.0, false);
        b.measures = named(0.4);
        // A collapsed run's numbers never enter the means.
        let mut c = made_up(Condition::Stones, 2, 9.0, true);
        c.measures = named(100.0);
        let mut d = made_up(Condition::Direct, 0, 20.0, false);
        d.measures = vec![("symmetric".into(), 0.5), ("unknown".into(), 7.0)];
        let t = table(&[a, b, c, d]);
        assert!(
            t.contains(
                "| stones | final | 0.30 ± 0.14 | 0.30 ± 0.14 | 0.3000 ± 0.1414 | 0.30 ± 0.14 | 0.30 ± 0.14 | 0.3 ± 0.1 |"
            ),
            "{t}"
        );
        assert!(t.contains("| direct | final | 0.50 ± 0.00 | - |"), "{t}");
        assert!(!t.contains("after adapting"), "{t}");
    }

    /// A result file written before roughness and effective rank were measured (its
    /// measures as they were named then) still reads; the new columns show "-".
    #[test]
    fn an_older_result_file_reads_with_its_measures() {
        let dir = folder("older");
        let mut v = serde_json::to_value(made_up(Condition::Direct, 0, 20.0, false)).unwrap();
        v["measures"] = serde_json::from_str(
            r#"[["symmetric", 0.5], ["distinct", 0.75], ["change_symmetry", 0.625],
                ["fragmentation", 3.0], ["reach", 0.25], ["preservation", 21.5]]"#,
        )
        .unwrap();
        std::fs::write(dir.join("direct-seed0.json"), v.to_string()).unwrap();
        let results = read_dir(&dir).unwrap();
        let t = table(&results);
        assert!(
            t.contains("| direct | final | 0.50 ± 0.00 | 0.75 ± 0.00 | - | - | 0.62 ± 0.00 | 3.0 ± 0.0 | 0.25 ± 0.00 | 21.5 ± 0.0 |"),
            "{t}"
        );
    }

    #[test]
    fn mean_and_sd_are_right() {
        let (m, s) = mean_std(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(m, 5.0);
        // Sample sd: sqrt(32 / 7).
        assert!((s - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(mean_std(&[3.0]), (3.0, 0.0));
        assert!(mean_std(&[]).0.is_nan());
    }

    #[test]
    fn collapsed_runs_are_counted_apart_not_averaged() {
        let results = vec![
            made_up(Condition::Stones, 0, 20.0, false),
            made_up(Condition::Stones, 1, 22.0, false),
            made_up(Condition::Stones, 2, 9.8, true),
            made_up(Condition::Direct, 0, 21.0, false),
            made_up(Condition::Direct, 1, 25.0, false),
        ];
        let rows = rows(&results);
        assert_eq!(rows[0].condition, Condition::Stones);
        assert_eq!(rows[0].psnr, [(0, 20.0), (1, 22.0)]);
        assert_eq!(rows[0].collapsed, [2]);
        let t = table(&results);
        assert!(
            t.contains("| stones | 3 | 1 [2] | 21.00 ± 1.41 | 0: 20.00, 1: 22.00 |"),
            "{t}"
        );
        assert!(t.contains("| direct | 2 | 0 [] | 23.00 ± 2.83 |"), "{t}");
    }

    fn folder(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("pb-report-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(dir: &Path, name: &str, r: &JobResult) {
        std::fs::write(dir.join(name), serde_json::to_vec(r).unwrap()).unwrap();
    }

    #[test]
    fn a_copied_result_file_is_refused_not_counted_twice() {
        let dir = folder("copy");
        let r = made_up(Condition::Direct, 0, 20.0, false);
        write(&dir, "direct-seed0.json", &r);
        write(&dir, "direct-seed0 (copy).json", &r);
        let e = read_dir(&dir).unwrap_err().to_string();
        assert!(e.contains("seed 0 again") && e.contains("keep one"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_link_to_a_device_is_refused_at_once() {
        let dir = folder("fifo");
        write(
            &dir,
            "direct-seed0.json",
            &made_up(Condition::Direct, 0, 20.0, false),
        );
        let fifo = dir.join("stones-seed0.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Were the FIFO opened, this would block forever (nothing writes into it).
        let e = read_dir(&dir).unwrap_err().to_string();
        assert!(
            e.contains("stones-seed0.json") && e.contains("not a regular file"),
            "{e}"
        );
        std::fs::remove_file(&fifo).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &fifo).unwrap();
        let e = read_dir(&dir).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn an_infinite_psnr_is_never_printed_as_a_figure() {
        let t = table(&[
            made_up(Condition::Direct, 0, f64::INFINITY, false),
            made_up(Condition::Direct, 1, 20.0, false),
            made_up(Condition::Stones, 0, f64::INFINITY, false),
        ]);
        assert!(!t.contains("inf") && !t.contains("NaN"), "{t}");
        assert!(
            t.contains("| direct | 2 | 0 [] | 20.00 ± 0.00 (1 not finite, left out) | 0: identical, 1: 20.00 |"),
            "{t}"
        );
        assert!(
            t.contains("| stones | 1 | 0 [] | - (1 not finite, left out) |"),
            "{t}"
        );
    }

    /// A methods study's job with made-up numbers: `measures` gives distinct and
    /// change symmetry (the figure's two axes).
    fn method_run(method: &str, seed: u64, psnr: f64, measures: (f64, f64)) -> JobResult {
        let mut r = made_up(Condition::Method, seed, psnr, false);
        r.job.method = Some(method.into());
        r.setup.method = String::new();
        r.setup.genome = Some("00ff".into());
        r.measures = vec![
            ("distinct".into(), measures.0),
            ("change_symmetry".into(), measures.1),
        ];
        r
    }

    fn evolved_run() -> JobResult {
        let mut r = made_up(Condition::Evolved, 0, 0.0, false);
        r.trained = None;
        r.setup.method = String::new();
        r.setup.genome = Some("00ff".into());
        r.measures = vec![("distinct".into(), 0.89), ("change_symmetry".into(), 0.66)];
        r.measures_layerized = vec![("distinct".into(), 0.21), ("change_symmetry".into(), 0.49)];
        r
    }

    /// Three adam runs of PSNR 20, 22, 27 dB: mean 23, sd sqrt((9 + 1 + 16) / 2) =
    /// sqrt(13) = 3.61; distinct 0.5, 0.7, 0.9: 0.70 ± 0.20. One sgd run and one that
    /// collapsed (counted apart, in no mean).
    #[test]
    fn a_methods_report_has_the_hand_computed_means_per_method() {
        let mut collapsed = method_run("sgd:0.9", 1, 5.0, (0.1, 0.1));
        collapsed.trained.as_mut().unwrap().collapse = Some(Collapse {
            step: 3,
            loss: 0.2,
            kind: CollapseKind::ZeroGradient,
        });
        collapsed.measures.clear();
        let results = vec![
            method_run("sgd:0.9", 0, 18.0, (0.25, 0.5)),
            collapsed,
            method_run("adam", 0, 20.0, (0.5, 0.25)),
            method_run("adam", 1, 22.0, (0.7, 0.5)),
            method_run("adam", 2, 27.0, (0.9, 0.75)),
            evolved_run(),
        ];
        assert!(is_methods_study(&results));
        let t = table(&results);
        assert!(t.starts_with("methods study of genome 00ff"), "{t}");
        assert!(t.contains("| method | runs |"), "{t}");
        // adam before sgd: the method list's order.
        let adam = t.find("| adam | 3 | 0 [] | 23.00 ± 3.61 |").expect(&t);
        let sgd = t.find("| sgd:0.9 | 2 | 1 [1] | 18.00 ± 0.00 |").expect(&t);
        assert!(adam < sgd, "{t}");
        let distinct = defs::study().position(|d| d.key == "distinct").unwrap();
        let symmetry = defs::study()
            .position(|d| d.key == "change_symmetry")
            .unwrap();
        let adam_row = t
            .lines()
            .find(|l| l.starts_with("| adam | final |"))
            .expect(&t);
        let cells: Vec<&str> = adam_row.split('|').map(str::trim).collect();
        // Cells: "", label, when, then the study measures in order.
        assert_eq!(cells[3 + distinct], "0.70 ± 0.20", "{adam_row}");
        assert_eq!(cells[3 + symmetry], "0.50 ± 0.25", "{adam_row}");
        assert!(t.contains("| evolved | final |"), "{t}");
        assert!(t.contains("| evolved (layerized) | final |"), "{t}");
    }

    #[test]
    fn a_folder_that_mixes_setups_is_refused_in_one_line() {
        let dir = folder("mixed");
        let a = method_run("adam", 0, 20.0, (0.5, 0.5));
        let mut b = method_run("adam", 1, 21.0, (0.5, 0.5));
        b.setup.steps = 500;
        write(&dir, "adam-seed0.json", &a);
        write(&dir, "adam-seed1.json", &b);
        let e = read_dir(&dir).unwrap_err().to_string();
        assert!(
            e.contains("adam-seed1.json") && e.contains("steps 500 vs 40"),
            "{e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
        // Another genome, or a lineage study's file, is another setup too.
        b.setup = a.setup.clone();
        b.setup.genome = Some("abcd".into());
        write(&dir, "adam-seed1.json", &b);
        let e = read_dir(&dir).unwrap_err().to_string();
        assert!(e.contains("genome \"abcd\" vs \"00ff\""), "{e}");
        write(
            &dir,
            "adam-seed1.json",
            &made_up(Condition::Direct, 0, 20.0, false),
        );
        assert!(read_dir(&dir).is_err());
        // One setup: read, and a second copy of one method's seed is refused.
        write(
            &dir,
            "adam-seed1.json",
            &method_run("adam", 1, 21.0, (0.5, 0.5)),
        );
        assert_eq!(read_dir(&dir).unwrap().len(), 2);
        write(&dir, "copy.json", &a);
        let e = read_dir(&dir).unwrap_err().to_string();
        assert!(e.contains("adam run of seed 0 again"), "{e}");
    }

    #[test]
    fn the_figure_has_one_circle_per_learned_run_and_the_genome_as_a_star() {
        let mut results: Vec<JobResult> = (0..4)
            .map(|s| method_run("adam", s, 20.0 + s as f64, (0.5, 0.4)))
            .chain((0..3).map(|s| method_run("mirror:0.1", s, 18.0, (0.9, 0.8))))
            .chain([evolved_run()])
            .collect();
        let mut collapsed = method_run("graph", 0, 9.0, (0.1, 0.1));
        collapsed.trained.as_mut().unwrap().collapse = Some(Collapse {
            step: 3,
            loss: 0.2,
            kind: CollapseKind::ZeroGradient,
        });
        results.push(collapsed);
        let f = super::super::pareto::pareto(&results);
        let svg = f.to_svg();
        // Two panels, seven learned runs in each; the collapsed run has no point.
        assert_eq!(svg.matches("<circle").count(), 2 * 7, "{svg}");
        // The genome as its graph and as its layerized net: two stars a panel.
        assert_eq!(svg.matches("<polygon").count(), 2 * 2);
        // Coloured per method: adam's four points in the first colour, mirror's three
        // in the second, each named in the legend.
        let first = super::super::pareto::colour(0);
        let hex = format!(
            "fill=\"#{:02x}{:02x}{:02x}\" stroke",
            first[0], first[1], first[2]
        );
        assert_eq!(svg.matches(&hex).count(), 2 * 4);
        for name in ["adam (n=4)", "mirror:0.1 (n=3)", "graph (n=0, 1 collapsed)"] {
            assert!(svg.contains(name), "{name}");
        }
        // The PNG: the star's colour is drawn.
        let img = f.to_image();
        let gold = super::super::pareto::GENOME_COLOUR;
        let star = (0..img.height)
            .flat_map(|y| (0..img.width).map(move |x| (x, y)))
            .filter(|&(x, y)| img.pixel(x, y)[..3] == gold)
            .count();
        assert!(star > 100, "{star} star pixels");
    }
}
