//! A breeding session driven as a user would: choose, evolve, go back, branch, save.

use picbreeder::breed::{BreedError, GenerationId, Origin, Session, Settings};
use picbreeder::cppn::ColourMode;
use std::path::PathBuf;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pb-session-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn fresh_session_is_one_generation_of_valid_genomes() {
    let s = Session::new(1);
    assert_eq!(s.generations().len(), 1);
    assert_eq!(s.genomes().len(), 15);
    assert_eq!(s.generation_number(), 1);
    assert!(!s.can_back() && !s.can_forward());
    for g in s.genomes() {
        assert_eq!(g.validate(), Ok(vec![]));
        assert_eq!(g.colour_mode(), ColourMode::Grey);
    }
}

#[test]
fn evolve_keeps_parents_first_and_children_differ() {
    let mut s = Session::new(2);
    assert_eq!(s.evolve(), Err(BreedError::NoParents));
    assert!(s.toggle_parent(4));
    assert!(s.toggle_parent(9));
    assert!(!s.toggle_parent(9));
    assert!(s.toggle_parent(7));
    assert!(!s.toggle_parent(99));
    assert_eq!(s.selected(), &[4, 7]);
    let before = s.genomes().to_vec();
    let id = s.evolve().unwrap();
    assert_eq!(s.current_id(), id);
    assert_eq!(s.generation_number(), 2);
    let g = s.current();
    assert_eq!(g.origin, Origin::Evolved { chosen: vec![4, 7] });
    assert_eq!(g.kept, 2);
    assert_eq!(g.genomes.all()[0], before[4]);
    assert_eq!(g.genomes.all()[1], before[7]);
    assert_eq!(g.genomes.len(), 15);
    for child in &g.genomes.all()[2..] {
        assert_eq!(child.validate(), Ok(vec![]));
        assert!(child.cycle_links().is_empty());
        assert!(child != &before[4] && child != &before[7]);
    }
    // One parent: mutated copies.
    s.toggle_parent(0);
    s.evolve().unwrap();
    assert_eq!(s.current().kept, 1);
    assert_eq!(s.generation_number(), 3);
}

#[test]
fn choosing_everything_still_makes_a_child() {
    let mut s = Session::new(3);
    for i in 0..15 {
        s.toggle_parent(i);
    }
    s.evolve().unwrap();
    assert_eq!(s.genomes().len(), 16);
    assert_eq!(s.current().kept, 15);
}

#[test]
fn undo_redo_and_branching_lose_nothing() {
    let mut s = Session::new(4);
    let g0 = s.current_id();
    s.toggle_parent(1);
    let g1 = s.evolve().unwrap();
    s.toggle_parent(3);
    let g2 = s.evolve().unwrap();
    let snapshot = s.current().clone();

    assert!(s.back());
    assert_eq!(s.current_id(), g1);
    assert!(s.back());
    assert_eq!(s.current_id(), g0);
    assert!(!s.back());
    assert!(s.forward());
    assert!(s.forward());
    assert_eq!(s.current_id(), g2);
    assert_eq!(
        s.current(),
        &snapshot,
        "redo restores exactly the generation"
    );
    assert!(!s.forward());

    // Back to the start and choose differently: a new branch.
    s.back();
    s.back();
    assert_eq!(s.selected(), &[1], "the earlier choice is remembered");
    s.toggle_parent(1);
    s.toggle_parent(5);
    let b1 = s.evolve().unwrap();
    assert_eq!(s.generation(g0).unwrap().children, vec![g1, b1]);
    // Forward from the root now goes down the newest branch...
    s.back();
    s.forward();
    assert_eq!(s.current_id(), b1);
    // ...and branching to the old leaf makes forward lead there again.
    s.branch_to(g2).unwrap();
    assert_eq!(s.path(), vec![g0, g1, g2]);
    s.back();
    s.back();
    s.forward();
    assert_eq!(s.current_id(), g1);
    assert_eq!(s.generations().len(), 4);
    assert_eq!(
        s.branch_to(GenerationId(99)),
        Err(BreedError::NoSuchGeneration(GenerationId(99)))
    );

    let lineage = s.lineage();
    assert_eq!(lineage.roots, vec![g0]);
    assert_eq!(lineage.nodes.len(), 4);
    assert_eq!(lineage.columns, 2);
    assert_eq!(lineage.rows(), 3);
    assert!(lineage.node(g1).unwrap().current);
    assert!(lineage.node(g0).unwrap().on_path);
    assert!(!lineage.node(b1).unwrap().on_path);
    assert_eq!(lineage.node(b1).unwrap().chosen, vec![5]);
    assert!(s.representative(b1).is_some());
}

#[test]
fn reroll_adds_a_sibling() {
    let mut s = Session::new(5);
    s.toggle_parent(2);
    let a = s.evolve().unwrap();
    let first = s.current().clone();
    let b = s.reroll();
    assert_ne!(a, b);
    assert_eq!(s.current().parent, first.parent);
    assert_eq!(s.current().origin, first.origin);
    assert_eq!(s.current().genomes.all()[0], first.genomes.all()[0]);
    assert_ne!(s.current().genomes.all()[1..], first.genomes.all()[1..]);
    assert_eq!(s.generation(a).unwrap(), &first);
    // Re-rolling a first generation gives a new root of random genomes.
    s.branch_to(GenerationId(0)).unwrap();
    let r = s.reroll();
    assert_eq!(s.generation(r).unwrap().parent, None);
    assert_eq!(s.lineage().roots.len(), 2);
}

#[test]
fn same_seed_and_choices_replay_the_same_genomes() {
    let run = |seed| {
        let mut s = Session::new(seed);
        s.toggle_parent(0);
        s.evolve().unwrap();
        s.toggle_parent(3);
        s.toggle_parent(8);
        s.evolve().unwrap();
        s.reroll();
        s.back();
        s.toggle_parent(11);
        s.evolve().unwrap();
        s
    };
    let a = run(77);
    assert!(a == run(77), "replay differs");
    assert_ne!(a.generations()[0].genomes, run(78).generations()[0].genomes);
}

/// Settings changed midway are recorded with each generation, and are what a replay
/// needs: rebuilding the path from the seed, the choices and the recorded settings
/// gives the same genomes, where the session's final settings would not.
#[test]
fn recorded_settings_replay_a_run_whose_settings_changed() {
    let mut s = Session::new(5);
    s.toggle_parent(2);
    s.evolve().unwrap();
    s.settings_mut().mutation.strength = 1.7;
    s.settings_mut().population = 9;
    s.toggle_parent(4);
    s.evolve().unwrap();
    let gens = s.generations();
    assert_eq!(gens[1].bred_with.as_ref().unwrap().mutation.strength, 0.5);
    assert_eq!(gens[2].bred_with.as_ref().unwrap().mutation.strength, 1.7);
    assert_eq!(gens[2].genomes.len(), 9);

    let replay = |settings_of: &dyn Fn(usize) -> picbreeder::breed::Settings| {
        let mut r = Session::with_settings(5, settings_of(0));
        for g in &gens[1..] {
            *r.settings_mut() = settings_of(g.id.0);
            let parent = &gens[g.parent.unwrap().0];
            for &i in &parent.selected {
                r.set_parent(i, true);
            }
            r.evolve().unwrap();
        }
        r.genomes().to_vec()
    };
    let recorded = replay(&|i| gens[i].bred_with.clone().unwrap());
    assert_eq!(recorded, s.genomes());
    let last_settings = replay(&|_| s.settings().clone());
    assert_ne!(last_settings, s.genomes());

    // The record survives the session file.
    let back = Session::from_json(s.to_json().as_bytes()).unwrap();
    assert_eq!(back.generations()[2].bred_with, gens[2].bred_with);
}

#[test]
fn from_edit_and_add_colour() {
    let mut s = Session::new(6);
    let g = s.genomes()[3].clone();
    let before = s.current_id();
    let id = s.from_edit(g.clone()).unwrap();
    assert_eq!(s.current().origin, Origin::Opened);
    assert_eq!(s.genomes()[0], g);
    assert_eq!(s.current().kept, 1);
    assert!(s.back());
    assert_eq!(s.current_id(), before);
    s.branch_to(id).unwrap();
    let c = s.add_colour(0).unwrap();
    assert_eq!(s.genomes()[0].colour_mode(), ColourMode::Colour);
    assert_eq!(s.add_colour(0), Err(BreedError::AlreadyColour));
    assert_eq!(s.current_id(), c);
    for g in s.genomes() {
        assert_eq!(g.colour_mode(), ColourMode::Colour);
    }
    let mut bad = g;
    bad.nodes.clear();
    assert!(matches!(
        s.from_edit(bad),
        Err(BreedError::InvalidGenome(_))
    ));
}

#[test]
fn an_opened_genome_is_the_root_of_a_session_of_its_own() {
    use std::sync::atomic::AtomicBool;
    let mut old = Session::new(6);
    old.toggle_parent(2);
    old.evolve().unwrap();
    let g = old.genomes()[5].clone();
    let brood = Session::root_brood(9, Settings::default(), g.clone()).unwrap();
    let bred = brood.breed(&AtomicBool::new(false), &mut |_| {}).unwrap();
    let s = Session::from_root(bred).unwrap();
    assert_eq!(s.generations().len(), 1);
    assert_eq!(s.current().parent, None);
    assert_eq!(s.current().origin, Origin::Opened);
    assert_eq!(s.genomes()[0], g);
    assert_eq!(s.seed(), 9);
    assert!(s == Session::starting_from(9, Settings::default(), g.clone()).unwrap());
    // The brood of a generation inside a session makes no session.
    let inner = old.brood(picbreeder::breed::Next::Randomize).unwrap();
    let bred = inner.breed(&AtomicBool::new(false), &mut |_| {}).unwrap();
    assert_eq!(Session::from_root(bred).err(), Some(BreedError::Changed));
    let mut bad = g;
    bad.nodes.clear();
    assert!(matches!(
        Session::root_brood(9, Settings::default(), bad),
        Err(BreedError::InvalidGenome(_))
    ));
}

#[test]
fn settings_change_population_and_colour() {
    let settings = Settings {
        population: 6,
        start_colour: ColourMode::Colour,
        ..Settings::default()
    };
    let mut s = Session::with_settings(8, settings);
    assert_eq!(s.genomes().len(), 6);
    assert!(
        s.genomes()
            .iter()
            .all(|g| g.colour_mode() == ColourMode::Colour)
    );
    s.settings_mut().population = 9;
    s.toggle_parent(1);
    s.evolve().unwrap();
    assert_eq!(s.genomes().len(), 9);
}

#[test]
fn save_and_load_round_trip_the_whole_tree() {
    let dir = temp_dir("round");
    let mut s = Session::new(9);
    s.toggle_parent(2);
    s.evolve().unwrap();
    s.toggle_parent(0);
    s.toggle_parent(5);
    s.evolve().unwrap();
    s.back();
    s.toggle_parent(4);
    s.evolve().unwrap();
    s.back();
    s.toggle_parent(6); // an unsaved choice is part of the state too
    let path = dir.join("session.json");
    s.save(&path).unwrap();
    let mut loaded = Session::load(&path).unwrap();
    assert_eq!(loaded.to_json(), s.to_json());
    assert!(loaded == s, "loaded session differs");
    assert_eq!(loaded.lineage(), s.lineage());
    // And it carries on exactly as the original would.
    s.evolve().unwrap();
    loaded.evolve().unwrap();
    assert!(loaded == s, "loaded session carries on differently");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn corrupt_session_files_name_the_file_and_change_nothing() {
    let dir = temp_dir("corrupt");
    let s = Session::new(10);
    let good = dir.join("good.json");
    s.save(&good).unwrap();
    let text = std::fs::read_to_string(&good).unwrap();

    let cases: Vec<(&str, String)> = vec![
        ("truncated.json", text[..text.len() / 2].to_string()),
        (
            "other.json",
            text.replace("picbreeder-session", "picbreeder-genome"),
        ),
        (
            "future.json",
            text.replace("\"version\":1", "\"version\":99"),
        ),
        (
            "badcurrent.json",
            text.replace("\"current\":0", "\"current\":5"),
        ),
        ("notjson.json", "hello".to_string()),
    ];
    for (name, content) in cases {
        let p = dir.join(name);
        std::fs::write(&p, &content).unwrap();
        let err = Session::load(&p).unwrap_err();
        assert!(err.to_string().contains(name), "{name}: {err}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), content);
    }
    let missing = dir.join("missing.json");
    assert!(
        Session::load(&missing)
            .unwrap_err()
            .to_string()
            .contains("missing.json")
    );
    // A failed save leaves the old file whole.
    let blocked = dir.join("no-such-dir").join("s.json");
    assert!(s.save(&blocked).is_err());
    assert!(Session::load(&good).unwrap() == s);
    std::fs::remove_dir_all(&dir).unwrap();
}

mod random_use {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Action {
        Toggle(usize),
        Evolve,
        Reroll,
        Back,
        Forward,
        Branch(usize),
        StartFrom(usize),
        AddColour(usize),
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            4 => (0usize..8).prop_map(Action::Toggle),
            3 => Just(Action::Evolve),
            1 => Just(Action::Reroll),
            2 => Just(Action::Back),
            2 => Just(Action::Forward),
            1 => (0usize..40).prop_map(Action::Branch),
            1 => (0usize..8).prop_map(Action::StartFrom),
            1 => (0usize..8).prop_map(Action::AddColour),
        ]
    }

    fn play(seed: u64, actions: &[Action]) -> Session {
        let settings = Settings {
            population: 6,
            ..Settings::default()
        };
        let mut s = Session::with_settings(seed, settings);
        for a in actions {
            let before = s.generations().len();
            match *a {
                Action::Toggle(i) => {
                    s.toggle_parent(i);
                }
                Action::Evolve => {
                    let _ = s.evolve();
                }
                Action::Reroll => {
                    s.reroll();
                }
                Action::Back => {
                    s.back();
                }
                Action::Forward => {
                    s.forward();
                }
                Action::Branch(k) => {
                    let _ = s.branch_to(GenerationId(k % before));
                }
                Action::StartFrom(i) => {
                    if let Some(g) = s.genome(i).cloned() {
                        s.from_edit(g).unwrap();
                    }
                }
                Action::AddColour(i) => {
                    let _ = s.add_colour(i);
                }
            }
            // Nothing is ever lost, and every genome stays usable.
            assert!(s.generations().len() >= before);
            let g = s.current();
            assert!(g.selected.iter().all(|&i| i < g.genomes.len()));
            for genome in &g.genomes.all()[g.kept..] {
                assert_eq!(genome.validate(), Ok(vec![]));
            }
            if let Some(p) = g.parent {
                assert!(s.generation(p).unwrap().children.contains(&g.id));
            }
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn any_use_replays_and_round_trips(seed in any::<u64>(), actions in prop::collection::vec(action(), 0..30)) {
            let s = play(seed, &actions);
            prop_assert!(s == play(seed, &actions), "same seed and choices replay");
            let back = Session::from_json(s.to_json().as_bytes()).unwrap();
            prop_assert!(back == s, "save and load give the same session");
            prop_assert_eq!(back.lineage(), s.lineage());
        }
    }
}

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// A generation bred from `picks` of a seed's first.
fn once(seed: u64, picks: &[usize], varied: bool) -> Session {
    let settings = Settings {
        varied,
        ..Settings::default()
    };
    let mut s = Session::with_settings(seed, settings);
    for &p in picks {
        s.toggle_parent(p);
    }
    s.evolve().unwrap();
    s
}

/// Two generations bred from `picks`, then child 7.
fn bred(seed: u64, picks: &[usize], varied: bool) -> Session {
    let mut s = once(seed, picks, varied);
    s.toggle_parent(6);
    s.evolve().unwrap();
    s
}

#[test]
fn without_variety_the_children_are_those_bred_before_it() {
    // Digests of the genomes these made before varied children existed (commit 8bac776).
    let before = [
        (5u64, vec![1usize, 4], 0x62804d63d286e564u64),
        (8, vec![3], 0x717b7bea79752af2),
        (13, vec![0, 2, 7], 0x63436e0f0301ecd3),
    ];
    for (seed, picks, digest) in before {
        let s = bred(seed, &picks, false);
        let mut h = 0xcbf29ce484222325u64;
        for g in s.genomes() {
            h = fnv(picbreeder::io::json::genome_to_json(g).as_bytes(), h);
        }
        assert_eq!(h, digest, "seed {seed}");
        // Varied, the same seed breeds other children from the same parents.
        let (v, s) = (once(seed, &picks, true), once(seed, &picks, false));
        assert_eq!(v.genomes().len(), s.genomes().len());
        let kept = picks.len();
        assert_eq!(v.genomes()[..kept], s.genomes()[..kept], "the kept parents");
        assert_ne!(v.genomes()[kept..], s.genomes()[kept..]);
    }
}

#[test]
fn varied_children_are_spread_no_less_than_the_first_ones_bred() {
    use picbreeder::breed::variety::{look, min_pairwise};
    let spread = |s: &Session| {
        let looks: Vec<_> = s.genomes().iter().map(look).collect();
        min_pairwise(&looks.iter().collect::<Vec<_>>())
    };
    let (mut sum_first, mut sum_varied) = (0.0, 0.0);
    for seed in 0..8 {
        let a = seed as usize % 15;
        let picks = [a, (a + 1 + seed as usize % 13) % 15];
        let picks = if seed % 2 == 0 {
            &picks[..1]
        } else {
            &picks[..]
        };
        // The first generation is the same random one: the same parents, and the
        // first candidates are the children bred without variety.
        let first = once(seed, picks, false);
        let varied = once(seed, picks, true);
        let (a, b) = (spread(&first), spread(&varied));
        assert!(b >= a, "seed {seed}: varied {b} < first {a}");
        sum_first += a;
        sum_varied += b;
        // Deterministic by seed.
        assert!(once(seed, picks, true) == varied);
    }
    assert!(sum_varied > sum_first, "{sum_varied} vs {sum_first}");
}
