use super::*;
use crate::activation::Activation;
use crate::cppn::genome::{Link, Marking};

/// A small valid genome; `w` varies its one link's weight (and so its picture).
pub(crate) fn genome_value(w: f64) -> serde_json::Value {
    let mut g = Genome::grey_skeleton(Activation::Sigmoid);
    g.links.push(Link {
        id: Marking::new(0, 10),
        source: Marking::new(0, 0),
        target: Marking::new(0, 4),
        weight: w,
    });
    serde_json::from_str(&crate::io::json::genome_to_json(&g)).unwrap()
}

fn draft(title: &str, from: Option<ItemId>) -> Draft {
    Draft {
        genome: genome_value(1.5),
        branched_from: from,
        chain: vec![genome_value(0.5), genome_value(1.0)],
        title: title.into(),
        tags: vec!["Skull".into(), "eyes".into(), "skull".into()],
    }
}

fn archive() -> (tempdir::Dir, Archive) {
    let dir = tempdir::Dir::new();
    let a = Archive::open(&dir.0.join("a.sqlite")).unwrap();
    (dir, a)
}

/// A folder removed when dropped (no crate needed for one folder).
mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static N: AtomicUsize = AtomicUsize::new(0);
            let p = std::env::temp_dir().join(format!(
                "picbreeder-archive-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn user(a: &Archive, name: &str) -> User {
    let token = a.add_user(name).unwrap();
    a.authenticate(&token).unwrap()
}

#[test]
fn tokens_are_kept_only_as_hashes() {
    let (dir, a) = archive();
    let token = a.add_user("ada").unwrap();
    assert_eq!(token.len(), 64);
    assert_eq!(a.authenticate(&token).unwrap().name, "ada");
    assert!(matches!(
        a.authenticate("nope"),
        Err(ArchiveError::Unauthorized(_))
    ));
    assert!(matches!(a.add_user("ada"), Err(ArchiveError::Conflict(_))));
    assert!(matches!(a.add_user("a b"), Err(ArchiveError::Invalid(_))));
    drop(a);
    let bytes = std::fs::read(dir.0.join("a.sqlite")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(&token), "the token itself is stored");
    assert!(text.contains(&hash_token(&token)) || bytes.len() < 8192);
}

#[test]
fn publish_list_lineage_and_withdraw() {
    let (_dir, a) = archive();
    let (ada, bob) = (user(&a, "ada"), user(&a, "bob"));
    let root = a
        .publish(&ada, &draft("Root", None).prepare().unwrap())
        .unwrap();
    let mid = a
        .publish(&bob, &draft("Middle", Some(root)).prepare().unwrap())
        .unwrap();
    let leaf = a
        .publish(&ada, &draft("Leaf skull", Some(mid)).prepare().unwrap())
        .unwrap();
    let lineage: Vec<ItemId> = a.lineage(leaf).unwrap().iter().map(|s| s.id).collect();
    assert_eq!(lineage, [root, mid, leaf]);
    let item = a.item(mid).unwrap();
    assert_eq!(item.summary.author, "bob");
    assert_eq!(item.summary.tags, ["skull", "eyes"]);
    assert_eq!(item.summary.chain_length, 2);
    assert_eq!(a.chain(mid).unwrap().len(), 2);
    assert_eq!(a.summary(root).unwrap().branches, 1);
    // The pictures carry the genome.
    let png = a.png(leaf, false).unwrap();
    let carried = crate::io::png::carried_genome(&png).unwrap().unwrap();
    assert_eq!(carried.links[0].weight, 1.5);
    assert_eq!(crate::io::png::decode(&png).unwrap().width, PICTURE_SIDE);

    // Only the author withdraws; the withdrawn item stays in its branch's lineage.
    assert!(matches!(
        a.withdraw(&ada, mid),
        Err(ArchiveError::Forbidden(_))
    ));
    a.withdraw(&bob, mid).unwrap();
    let listed: Vec<ItemId> = a
        .list(&ListQuery::default())
        .unwrap()
        .items
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [leaf, root]);
    let lineage = a.lineage(leaf).unwrap();
    assert_eq!(lineage.len(), 3);
    assert!(lineage[1].withdrawn);
    assert_eq!(a.summary(root).unwrap().branches, 0);
    assert!(a.branches(root).unwrap().is_empty());
    assert_eq!(a.branches(mid).unwrap()[0].id, leaf);
}

#[test]
fn listings_page_sort_and_search() {
    let (_dir, a) = archive();
    let ada = user(&a, "ada");
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut d = draft(&format!("Picture {i}"), None);
        d.tags = vec![if i % 2 == 0 { "even" } else { "odd" }.into()];
        ids.push(a.publish(&ada, &d.prepare().unwrap()).unwrap());
    }
    // Two branches from the first, one from the second.
    for from in [ids[0], ids[0], ids[1]] {
        a.publish(&ada, &draft("Branch 100%", Some(from)).prepare().unwrap())
            .unwrap();
    }
    let q = |f: &dyn Fn(&mut ListQuery)| {
        let mut q = ListQuery::default();
        f(&mut q);
        a.list(&q).unwrap()
    };
    let page = q(&|q| q.per_page = 3);
    assert_eq!(page.items.len(), 3);
    assert!(page.more);
    let last = q(&|q| {
        q.per_page = 3;
        q.page = 3
    });
    assert_eq!(last.items.len(), 2);
    assert!(!last.more);
    let branched = q(&|q| q.sort = Sort::Branched);
    assert_eq!(branched.items[0].id, ids[0]);
    assert_eq!(branched.items[1].id, ids[1]);
    let even = q(&|q| q.tag = Some("EVEN".into()));
    assert_eq!(even.items.len(), 3);
    let text = q(&|q| q.text = Some("picture 3".into()));
    assert_eq!(text.items.len(), 1);
    // `%` is a character searched for, not a wildcard.
    assert_eq!(q(&|q| q.text = Some("100%".into())).items.len(), 3);
    assert_eq!(q(&|q| q.text = Some("%".into())).items.len(), 3);
    assert!(matches!(
        a.list(&ListQuery {
            per_page: 1000,
            ..ListQuery::default()
        }),
        Err(ArchiveError::Invalid(_))
    ));
    let tags = a.tags(10).unwrap();
    let names: Vec<(&str, i64)> = tags.iter().map(|(t, n)| (t.as_str(), *n)).collect();
    assert_eq!(names, [("even", 3), ("eyes", 3), ("skull", 3), ("odd", 2)]);
}

#[test]
fn bad_publishes_are_refused_with_what_is_wrong() {
    let (_dir, a) = archive();
    let ada = user(&a, "ada");
    let mut d = draft("x", Some(999));
    let prepared = d.prepare().unwrap();
    let e = a.publish(&ada, &prepared).unwrap_err();
    assert!(e.to_string().contains("no item 999"), "{e}");
    d.branched_from = None;
    d.title = " ".into();
    assert!(d.prepare().unwrap_err().to_string().contains("title"));
    d.title = "ok".into();
    d.tags = vec!["no spaces".into()];
    assert!(d.prepare().unwrap_err().to_string().contains("tag"));
    d.tags = vec![];
    d.genome = serde_json::json!({"format": "picbreeder-genome", "version": 2, "nodes": [], "links": [{"id": "0:1", "source": "0:7", "target": "0:8", "weight": 1.0}]});
    let e = d.prepare().unwrap_err().to_string();
    assert!(e.starts_with("genome: invalid genome"), "{e}");
    d.genome = serde_json::json!({"format": "picbreeder-net"});
    assert!(d.prepare().is_err());
    // Too many nodes: refused before anything is rendered.
    let mut big = Genome::grey_skeleton(Activation::Sigmoid);
    for i in 0..crate::limits::MAX_ARCHIVE_NODES {
        big.nodes.push(crate::cppn::genome::Node {
            id: Marking::new(1, i as u64),
            kind: crate::cppn::genome::NodeKind::Hidden,
            activation: Activation::Sigmoid,
        });
    }
    d.genome = serde_json::from_str(&crate::io::json::genome_to_json(&big)).unwrap();
    assert!(matches!(d.prepare(), Err(ArchiveError::TooLarge(_))));
}

#[test]
fn another_database_is_refused() {
    let dir = tempdir::Dir::new();
    let path = dir.0.join("other.sqlite");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE x(y)")
        .unwrap();
    let e = Archive::open(&path).err().unwrap().to_string();
    assert!(e.contains("not a picbreeder archive"), "{e}");
}

#[test]
fn a_backup_is_a_whole_archive() {
    let (dir, a) = archive();
    let ada = user(&a, "ada");
    let id = a
        .publish(&ada, &draft("Kept", None).prepare().unwrap())
        .unwrap();
    let copy = dir.0.join("copy.sqlite");
    a.backup(&copy).unwrap();
    let b = Archive::open(&copy).unwrap();
    assert_eq!(b.item(id).unwrap().summary.title, "Kept");
}
