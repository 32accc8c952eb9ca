//! `picbreeder session` (read a saved session: its tree, one child, a contact sheet) and
//! `picbreeder breed` (the next generation headless: pick children, evolve, save).
//! Children are numbered from 1, as the window's "child N"; generations by the id the
//! tree shows (`#N`).

use super::write_png;
use picbreeder::breed::{Generation, GenerationId, Origin, Session, Settings};
use picbreeder::cppn::{ColourMode, Genome};
use picbreeder::image::Image;
use picbreeder::io::detect::load_genome;
use picbreeder::io::json::genome_to_json;
use picbreeder::io::write_atomic;
use picbreeder::io::xml::genome_to_xml;
use picbreeder::render::sweep::sheet;
use std::path::{Path, PathBuf};

/// Children per row of a contact sheet, as the window's default grid.
const SHEET_COLUMNS: usize = 5;

/// Show a saved session (the window's File > Save session, or its autosave) as a tree
/// of generations, or write one of its genomes, or a contact sheet of a generation.
#[derive(clap::Args)]
pub struct SessionArgs {
    /// Session file.
    session: PathBuf,
    /// Which generation (`#N` or `N`, as the tree shows); default: the current one.
    #[arg(short, long, value_parser = generation_id)]
    generation: Option<GenerationId>,
    /// Write this child (1-based) of the generation to -o.
    #[arg(short, long, requires = "output")]
    child: Option<usize>,
    /// Output for --child: .json (native genome), .xml (Picbreeder XML) or .png.
    #[arg(short, long, requires = "child")]
    output: Option<PathBuf>,
    /// Write the generation's children as one PNG, 5 to a row.
    #[arg(long)]
    sheet: Option<PathBuf>,
    /// Image side for .png outputs (default 512 for a child, 128 per sheet cell).
    #[arg(short, long)]
    size: Option<usize>,
}

pub fn run_session(args: SessionArgs) -> Result<(), String> {
    let session = Session::load(&args.session).map_err(|e| e.to_string())?;
    let id = args.generation.unwrap_or(session.current_id());
    let generation = session.generation(id).ok_or_else(|| {
        format!(
            "{}: there is no generation {id} (ids #0 to #{})",
            args.session.display(),
            session.generations().len() - 1
        )
    })?;
    let mut outputs = vec![];
    if let (Some(_), Some(out)) = (args.child, &args.output) {
        outputs.push((
            out.as_path(),
            super::guard::OutputKind::picture_or_genome(out),
        ));
    }
    if let Some(out) = &args.sheet {
        outputs.push((out.as_path(), super::guard::OutputKind::Png));
    }
    super::guard::outputs(&outputs, &[&args.session])?;
    if let (Some(n), Some(out)) = (args.child, &args.output) {
        let genome = n
            .checked_sub(1)
            .and_then(|i| generation.genomes.at(i))
            .ok_or_else(|| {
                format!(
                    "generation {id} has children 1 to {}, not {n}",
                    generation.genomes.len()
                )
            })?;
        write_genome(&genome, out, args.size.unwrap_or(512))?;
    }
    if let Some(out) = &args.sheet {
        write_sheet(&generation.genomes.all(), out, args.size.unwrap_or(128))?;
    }
    if args.child.is_none() && args.sheet.is_none() {
        out!("{}", describe(&session));
    }
    Ok(())
}

/// Breed the next generation without the window: choose parents among the current
/// generation's children and evolve, then save the session (open it in the window, or
/// go on with `breed`). Start from a saved session, a fresh random one (--new), or a
/// genome (--from).
#[derive(clap::Args)]
pub struct BreedArgs {
    /// Session file to go on from.
    #[arg(required_unless_present_any = ["new", "from"], conflicts_with_all = ["new", "from"])]
    session: Option<PathBuf>,
    /// Start a fresh session of random genomes with this seed.
    #[arg(long, conflicts_with = "from")]
    new: Option<u64>,
    /// Start a session from this genome (any supported file) and its mutated copies.
    #[arg(long)]
    from: Option<PathBuf>,
    /// Seed for --from (--new takes its own).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fresh random genomes in grey rather than colour.
    #[arg(long)]
    grey: bool,
    /// Mutation strength (0-3, the window's slider) from this generation on; it is
    /// recorded with each generation.
    #[arg(long)]
    strength: Option<f64>,
    /// Show the first children bred, not the most different of three times as many
    /// (the setting is kept in the session from then on).
    #[arg(long)]
    no_variety: bool,
    /// Children (1-based, comma-separated) to breed from; none just saves the start.
    #[arg(short, long, value_delimiter = ',')]
    pick: Vec<usize>,
    /// Where to write the session (may be the input).
    #[arg(short, long)]
    output: PathBuf,
    /// Also write the resulting generation's children as one PNG, 5 to a row.
    #[arg(long)]
    sheet: Option<PathBuf>,
    /// Sheet cell side in pixels.
    #[arg(short, long, default_value_t = 128)]
    size: usize,
}

pub fn run_breed(args: BreedArgs) -> Result<(), String> {
    // The session read may be written back (it is continued); a genome started from
    // may not be replaced by a session.
    let from: Vec<&std::path::Path> = args.from.iter().map(|p| p.as_path()).collect();
    super::guard::output(&args.output, &from, super::guard::OutputKind::Session)?;
    if let Some(sheet) = &args.sheet {
        // The sheet replaces neither input: not the session continued, nor a genome.
        let mut inputs = from.clone();
        inputs.extend(args.session.as_deref());
        super::guard::output(sheet, &inputs, super::guard::OutputKind::Png)?;
        super::guard::distinct(&[&args.output, sheet])?;
    }
    let settings = Settings {
        start_colour: if args.grey {
            ColourMode::Grey
        } else {
            ColourMode::Colour
        },
        ..Settings::default()
    };
    let mut session = match (&args.session, args.new, &args.from) {
        (Some(path), _, _) => Session::load(path).map_err(|e| e.to_string())?,
        (None, Some(seed), _) => Session::with_settings(seed, settings),
        (None, None, Some(path)) => {
            let genome = load_genome(path).map_err(|e| e.to_string())?;
            Session::starting_from(args.seed, settings, genome)
                .map_err(|e| format!("{}: {e}", path.display()))?
        }
        (None, None, None) => return Err("give a session file, --new SEED or --from GENOME".into()),
    };
    if let Some(x) = args.strength {
        let range = picbreeder::limits::STRENGTH;
        if !range.contains(&x) {
            return Err(format!(
                "--strength {x}: use a number from {} to {}",
                range.start(),
                range.end()
            ));
        }
        session.settings_mut().mutation.strength = x;
    }
    if args.no_variety {
        session.settings_mut().varied = false;
    }
    if !args.pick.is_empty() {
        let count = session.genomes().len();
        session.clear_selection();
        for &n in &args.pick {
            if n == 0 || n > count {
                return Err(format!(
                    "--pick {n}: the generation has children 1 to {count}"
                ));
            }
            session.set_parent(n - 1, true);
        }
        session.evolve().map_err(|e| e.to_string())?;
    }
    if args.sheet.is_some() {
        check_sheet(session.genomes(), args.size)?;
    }
    session.save(&args.output).map_err(|e| e.to_string())?;
    super::guard::wrote(&args.output);
    outln!(
        "generation {} ({}), {} children; wrote {}",
        session.generation_number(),
        session.current_id(),
        session.genomes().len(),
        args.output.display()
    );
    if let Some(out) = &args.sheet {
        write_sheet(session.genomes(), out, args.size)?;
    }
    Ok(())
}

/// `#N` or `N`.
fn generation_id(s: &str) -> Result<GenerationId, String> {
    s.trim_start_matches('#')
        .parse()
        .map(GenerationId)
        .map_err(|_| format!("'{s}' is not a generation id: use #N or N, as the tree shows"))
}

/// A genome to .json, .xml or .png (rendered `size` x `size`), by OUT's extension.
fn write_genome(genome: &Genome, out: &Path, size: usize) -> Result<(), String> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let text = match ext.as_str() {
        "json" => genome_to_json(genome),
        "xml" => genome_to_xml(genome),
        "png" => {
            // Made and written band by band, as `render` does (made whole, -s 16384
            // took 4.27 GB; banded, tens of MB).
            let size = checked(size)?;
            let program = picbreeder::cppn::Program::compile(genome).map_err(|e| e.to_string())?;
            let steps = picbreeder::network::RenderSteps::of_program(&program);
            let drawing = picbreeder::io::export::Drawing::of(&steps, Some(genome));
            let grid = picbreeder::grid::Grid::square(size);
            super::progress::with_bar("rendering", grid.pixels(), |p| {
                picbreeder::io::export::export_png(&drawing, &grid, out, p)
            })
            .ok_or("rendering was cancelled")?
            .map_err(|e| e.to_string())?;
            outln!("wrote {} ({size}x{size})", out.display());
            return Ok(());
        }
        _ => {
            return Err(format!(
                "{}: write a genome as .json, .xml or .png",
                out.display()
            ));
        }
    };
    write_atomic(out, text.as_bytes()).map_err(|e| e.to_string())?;
    super::guard::wrote(out);
    outln!("wrote {}", out.display());
    Ok(())
}

/// Every genome's picture, [`SHEET_COLUMNS`] to a row; one that cannot render is a red
/// cell.
fn write_sheet(genomes: &[Genome], out: &Path, size: usize) -> Result<(), String> {
    check_sheet(genomes, size)?;
    let cells: Vec<Image> = picbreeder::breed::render_thumbnails(genomes, size)
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|_| {
                let mut red = Image::new(size, size);
                red.fill([160, 30, 30, 255]);
                red
            })
        })
        .collect();
    let rows: Vec<Vec<Image>> = cells.chunks(SHEET_COLUMNS).map(<[Image]>::to_vec).collect();
    write_png(&sheet(&rows), out)
}

/// A contact sheet of `count` genomes at `size` refused before anything is made (or
/// saved) when it would not fit the memory budget.
fn check_sheet(genomes: &[Genome], size: usize) -> Result<(), String> {
    let size = checked(size)?;
    let count = genomes.len();
    let rows = count.div_ceil(SHEET_COLUMNS);
    let neurons = genomes.iter().map(|g| g.nodes.len()).max().unwrap_or(0);
    picbreeder::budget::check(
        &format!("a contact sheet of {count} children at {size}x{size}"),
        picbreeder::render::sweep::sheet_bytes(rows, SHEET_COLUMNS, size, size, neurons),
        picbreeder::budget::MEMORY_BUDGET,
        "use a smaller -s",
    )
    .map_err(|e| e.to_string())
}

fn checked(size: usize) -> Result<usize, String> {
    picbreeder::limits::check_side(size)
}

/// The session as text: the tree of generations, the current one marked. A line of
/// generations each bred from the one before stays at one indent (a run of plain ones
/// is one line), and only a branch indents, so a deep session stays readable.
pub(super) fn describe(session: &Session) -> String {
    let gens = session.generations();
    let mut s = format!(
        "session: seed {}, {} generations, current {} (generation {})\n",
        session.seed(),
        gens.len(),
        session.current_id(),
        session.generation_number()
    );
    // Depth-first from each root, so a branch sits under the generation it left.
    let mut stack: Vec<(GenerationId, usize)> = gens
        .iter()
        .filter(|g| g.parent.is_none())
        .map(|g| (g.id, 0))
        .rev()
        .collect();
    // Plain generations waiting to be written as one line: (first, last, count, indent).
    let mut run: Option<(&Generation, &Generation, usize, usize)> = None;
    let flush =
        |s: &mut String, run: &mut Option<(&Generation, &Generation, usize, usize)>| match run
            .take()
        {
            Some((first, _, 1, indent)) => *s += &line(session, first, indent),
            Some((first, last, n, indent)) => {
                *s += &format!(
                    "{}{}..{} generations {}-{}: {n} generations, each bred from the one before\n",
                    "  ".repeat(indent),
                    first.id,
                    last.id,
                    first.depth + 1,
                    last.depth + 1
                );
            }
            None => {}
        };
    while let Some((id, indent)) = stack.pop() {
        let Some(g) = session.generation(id) else {
            continue;
        };
        let plain = g.children.len() == 1
            && g.parent.is_some()
            && id != session.current_id()
            && g.selected.len() <= 1
            && strength_change(session, g).is_empty();
        if plain {
            run = match run {
                Some((first, _, n, ind)) => Some((first, g, n + 1, ind)),
                None => Some((g, g, 1, indent)),
            };
        } else {
            flush(&mut s, &mut run);
            s += &line(session, g, indent);
        }
        // One child continues the line; several are branches, indented under it.
        let next = if g.children.len() == 1 {
            indent
        } else {
            indent + 1
        };
        stack.extend(g.children.iter().rev().map(|&c| (c, next)));
    }
    flush(&mut s, &mut run);
    s
}

/// ", strength X" where a generation was bred at another strength than its parent.
fn strength_change(session: &Session, g: &Generation) -> String {
    let strength = |g: &Generation| g.bred_with.as_ref().map(|s| s.mutation.strength);
    let before = g
        .parent
        .and_then(|p| session.generation(p))
        .and_then(strength);
    match (strength(g), before) {
        (Some(now), Some(was)) if now != was => format!(", strength {now}"),
        _ => String::new(),
    }
}

/// One generation's line.
fn line(session: &Session, g: &Generation, indent: usize) -> String {
    let how = match &g.origin {
        Origin::Random => "random".to_string(),
        Origin::Opened => "opened a genome".to_string(),
        Origin::Evolved { chosen } => format!("bred from {}", children(chosen)),
    };
    let picked = if g.selected.is_empty() {
        String::new()
    } else {
        format!(", chosen {}", children(&g.selected))
    };
    let mark = if g.id == session.current_id() {
        "  <- current"
    } else {
        ""
    };
    format!(
        "{}{} generation {}: {}, {} children{}{}{}\n",
        "  ".repeat(indent),
        g.id,
        g.depth + 1,
        how,
        g.genomes.len(),
        strength_change(session, g),
        picked,
        mark
    )
}

/// 0-based indices as the 1-based child numbers the window shows.
fn children(indices: &[usize]) -> String {
    let v: Vec<String> = indices.iter().map(|i| (i + 1).to_string()).collect();
    v.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session `n` generations deep in a line, with a branch off generation 3.
    fn deep(n: usize) -> Session {
        let mut s = Session::new(5);
        for _ in 0..n {
            s.set_parent(0, true);
            s.evolve().unwrap();
        }
        s.branch_to(GenerationId(3)).unwrap();
        s.set_parent(1, true);
        s.evolve().unwrap();
        s
    }

    #[test]
    fn a_deep_session_prints_narrow_and_short() {
        let text = describe(&deep(300));
        let widest = text.lines().map(str::len).max().unwrap();
        assert!(widest < 120, "{widest} wide:\n{text}");
        assert!(text.lines().count() < 12, "{text}");
        assert!(text.contains("<- current"), "{text}");
        // The branch is indented under where it left; the long line is one line.
        assert!(text.contains("each bred from the one before"), "{text}");
        assert!(text.lines().any(|l| l.starts_with("  ")), "{text}");
    }
}
