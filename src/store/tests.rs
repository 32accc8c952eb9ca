use super::*;
use crate::breed::GenerationId;
use rusqlite::params;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Evolves `n` generations choosing two parents each time, saving after each.
fn breed(store: &mut Store, id: SessionId, s: &mut Session, n: usize) {
    for k in 0..n {
        s.toggle_parent(k % 5);
        s.toggle_parent(5 + k % 7);
        s.evolve().unwrap();
        store.save(id, s).unwrap();
    }
}

#[test]
fn a_session_grown_generation_by_generation_reads_back_equal() {
    let dir = temp("grow");
    let mut store = Store::open(&dir.join(LIBRARY_FILE)).unwrap();
    let mut s = Session::new(7);
    let id = store.create_session("first", &s).unwrap();
    breed(&mut store, id, &mut s, 12);
    // Back twice, choose differently: a branch, then a jump.
    s.back();
    s.back();
    store.save_position(id, &s).unwrap();
    s.toggle_parent(1);
    s.evolve().unwrap();
    store.save(id, &s).unwrap();
    s.branch_to(GenerationId(4)).unwrap();
    store.save_position(id, &s).unwrap();
    let back = Store::open(&dir.join(LIBRARY_FILE))
        .unwrap()
        .load_session(id)
        .unwrap();
    assert_eq!(back, s);
    let info = store.session_info(id).unwrap();
    assert_eq!(info.generations, s.generations().len());
    assert_eq!(info.generation_number, s.generation_number());
    assert_eq!(info.name, "first");
}

/// With checkpoints deferred, saves stay in the journal (the database file does not
/// change) until `checkpoint` copies them in; nothing is lost either way.
#[test]
fn deferred_checkpoints_wait_for_the_owner() {
    let dir = temp("checkpoint");
    let file = dir.join(LIBRARY_FILE);
    let bytes = || std::fs::read(&file).unwrap();
    let mut store = Store::open(&file).unwrap();
    let mut s = Session::new(2);
    let id = store.create_session("first", &s).unwrap();
    store.checkpoint().unwrap();
    store.defer_checkpoints().unwrap();
    let before = bytes();
    breed(&mut store, id, &mut s, 6);
    assert_eq!(store.unchecked(), 6);
    assert!(bytes() == before, "the saves are in the journal only");
    assert_eq!(Store::open(&file).unwrap().load_session(id).unwrap(), s);
    store.checkpoint().unwrap();
    assert_eq!(store.unchecked(), 0);
    assert!(bytes() != before, "the checkpoint wrote the saves in");
    assert_eq!(Store::open(&file).unwrap().load_session(id).unwrap(), s);
}

#[test]
fn a_generation_is_stored_as_its_changes() {
    let dir = temp("once");
    let mut store = Store::open(&dir.join(LIBRARY_FILE)).unwrap();
    let mut s = Session::new(3);
    let id = store.create_session("s", &s).unwrap();
    breed(&mut store, id, &mut s, 30);
    let json: usize = s
        .generations()
        .iter()
        .flat_map(|g| g.genomes.all().to_vec())
        .map(|g| serde_json::to_string(&g).unwrap().len())
        .sum();
    let stored: i64 = store
        .conn
        .query_row("SELECT sum(length(blob)) FROM packs", [], |r| r.get(0))
        .unwrap();
    // Each child is its change from a kept parent; the parents cost a few bytes.
    assert!(
        stored as usize * 6 < json,
        "{stored} B stored for {json} B of JSON"
    );
}

/// A library written by version 1 (genomes by hash, no `packed` column) is upgraded
/// when opened: its sessions read back as they were and grow in the new form.
#[test]
fn a_version_1_library_reads_back_and_grows() {
    let dir = temp("v1");
    let path = dir.join(LIBRARY_FILE);
    let mut s = Session::new(4);
    {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_session("old", &s).unwrap();
        breed(&mut store, id, &mut s, 5);
        // Rewrite it as version 1 wrote it.
        let tx = store.write().unwrap();
        for g in s.generations() {
            let hashes: Vec<String> = g
                .genomes
                .all()
                .iter()
                .map(|x| put_genome(&tx, x).unwrap())
                .collect();
            tx.execute(
                "UPDATE generations SET genomes=?2 WHERE idx=?1",
                params![g.id.0 as i64, serde_json::to_string(&hashes).unwrap()],
            )
            .unwrap();
        }
        tx.execute_batch(
            "ALTER TABLE generations DROP COLUMN packed; DROP TABLE packs; UPDATE meta SET value='1' WHERE key='schema';",
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let id = store.sessions().unwrap()[0].id;
    assert_eq!(store.load_session(id).unwrap(), s);
    assert_eq!(store.current_genomes(id).unwrap().1, s.genomes());
    store.lease(id).unwrap();
    breed(&mut store, id, &mut s, 3);
    assert_eq!(Store::open(&path).unwrap().load_session(id).unwrap(), s);
    let v: String = store
        .conn
        .query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(v, schema::SCHEMA_VERSION.to_string());
}

#[test]
fn two_writers_on_one_library_lose_nothing() {
    let dir = temp("two");
    let path = dir.join(LIBRARY_FILE);
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let (mut sa, mut sb) = (Session::new(1), Session::new(2));
    let ia = a.create_session("a", &sa).unwrap();
    let ib = b.create_session("b", &sb).unwrap();
    for _ in 0..5 {
        breed(&mut a, ia, &mut sa, 1);
        breed(&mut b, ib, &mut sb, 1);
    }
    let c = Store::open(&path).unwrap();
    assert_eq!(c.load_session(ia).unwrap(), sa);
    assert_eq!(c.load_session(ib).unwrap(), sb);
    assert_eq!(c.sessions().unwrap().len(), 2);
}

#[test]
fn old_autosave_is_imported_once_and_kept() {
    let dir = temp("import");
    let mut s = Session::new(9);
    s.toggle_parent(0);
    s.evolve().unwrap();
    s.save(&dir.join(OLD_AUTOSAVE)).unwrap();
    let (store, imported) = Store::open_folder(&dir).unwrap();
    let id = imported.expect("imported");
    assert_eq!(store.load_session(id).unwrap(), s);
    drop(store);
    let (store, again) = Store::open_folder(&dir).unwrap();
    assert_eq!(again, None);
    assert_eq!(store.sessions().unwrap().len(), 1);
    assert!(dir.join(OLD_AUTOSAVE).exists());
}

#[test]
fn delete_restore_and_purge() {
    let dir = temp("delete");
    let mut store = Store::open(&dir.join(LIBRARY_FILE)).unwrap();
    let a = store.create_session("a", &Session::new(1)).unwrap();
    let b = store.create_session("b", &Session::new(2)).unwrap();
    store.delete_session(a).unwrap();
    assert_eq!(store.sessions().unwrap().len(), 1);
    store.restore_session(a).unwrap();
    assert_eq!(store.sessions().unwrap().len(), 2);
    store.rename_session(b, "renamed").unwrap();
    let at = (crate::breed::GenerationId(0), 0);
    store.save_study(b, 1, at, "[]").unwrap();
    store.save_study(a, 1, at, "[]").unwrap();
    store.delete_session(b).unwrap();
    assert_eq!(store.purge_deleted().unwrap(), 1);
    assert!(
        store.latest_study(b).unwrap().is_none(),
        "its study goes with it"
    );
    assert!(store.latest_study(a).unwrap().is_some());
    assert!(store.load_session(b).is_err());
    assert!(store.load_session(a).is_ok());
    let count = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM packs"),
        count("SELECT count(*) FROM generations"),
        "its packed genomes go with it"
    );
    assert!(store.delete_session(99).is_err());
}

#[test]
fn kept_genomes_found_by_name_and_tag() {
    let dir = temp("kept");
    let mut store = Store::open(&dir.join(LIBRARY_FILE)).unwrap();
    let s = Session::new(4);
    let id = store.create_session("s", &s).unwrap();
    let tags = parse_tags("eye, round");
    let k = store
        .keep(
            &s.genomes()[2],
            "Big eye",
            &tags,
            Some((id, s.current_id())),
        )
        .unwrap();
    store.keep(&s.genomes()[3], "Stripes", &[], None).unwrap();
    let found = store.kept("round").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, k);
    assert_eq!(found[0].genome, s.genomes()[2]);
    assert_eq!(store.kept("stri").unwrap().len(), 1);
    assert_eq!(store.kept("").unwrap().len(), 2);
    assert!(store.kept("square").unwrap().is_empty());
    assert_eq!(store.session_thumbnail(id).unwrap(), s.genomes()[0]);
}

#[test]
fn a_kept_genome_is_renamed_forgotten_and_put_back_whole() {
    let dir = temp("kept-edit");
    let mut store = Store::open(&dir.join(LIBRARY_FILE)).unwrap();
    let s = Session::new(5);
    let id = store.create_session("s", &s).unwrap();
    let k = store
        .keep(
            &s.genomes()[1],
            "Eye",
            &parse_tags("round"),
            Some((id, s.current_id())),
        )
        .unwrap();
    let other = store.keep(&s.genomes()[2], "Other", &[], None).unwrap();
    store
        .label_kept(k, "Big eye", &parse_tags("round, red"))
        .unwrap();
    let renamed = store
        .kept("")
        .unwrap()
        .into_iter()
        .find(|x| x.id == k)
        .unwrap();
    assert_eq!(renamed.name, "Big eye");
    assert_eq!(renamed.tags, ["round", "red"]);
    store.unkeep(k).unwrap();
    assert_eq!(store.kept("").unwrap().len(), 1);
    assert!(store.unkeep(k).is_err(), "gone: a second delete says so");
    store.restore_kept(&renamed).unwrap();
    let back = store.kept("").unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(
        back.iter().find(|x| x.id == k),
        Some(&renamed),
        "back as it was"
    );
    assert!(store.restore_kept(&renamed).is_err(), "not twice");
    assert!(back.iter().any(|x| x.id == other));
    assert!(store.label_kept(999, "x", &[]).is_err());
}

#[test]
fn a_damaged_file_is_an_error_naming_it() {
    let dir = temp("damaged");
    let path = dir.join(LIBRARY_FILE);
    std::fs::write(&path, vec![7u8; 5000]).unwrap();
    let err = Store::open(&path).err().expect("refused").to_string();
    assert!(err.contains("library.sqlite"), "{err}");
}

#[test]
fn changes_saved_one_by_one_read_back_equal_and_a_gap_is_refused() {
    let dir = temp("changes");
    let mut store = Store::open(&dir.join(LIBRARY_FILE)).unwrap();
    let mut s = Session::new(9);
    let id = store.create_session("c", &s).unwrap();
    let mut sent = s.generations().len();
    let mut save = |store: &mut Store, s: &Session, jumped: bool| {
        store
            .save_changes(id, &Changes::since(s, sent, jumped))
            .unwrap();
        sent = s.generations().len();
    };
    for k in 0..8 {
        s.toggle_parent(k % 5);
        s.toggle_parent(5 + k % 7);
        s.evolve().unwrap();
        save(&mut store, &s, false);
    }
    s.back();
    s.back();
    save(&mut store, &s, false);
    s.toggle_parent(1);
    s.evolve().unwrap();
    save(&mut store, &s, false);
    s.branch_to(GenerationId(4)).unwrap();
    save(&mut store, &s, true);
    assert_eq!(store.load_session(id).unwrap(), s);
    // The current generation alone, as the window shows it while the rest is read.
    let (number, genomes) = store.current_genomes(id).unwrap();
    assert_eq!(
        (number, genomes.as_slice()),
        (s.generation_number(), s.genomes())
    );
    // Changes that start past what the library has are refused, not half applied.
    let stored = s.generations().len();
    s.toggle_parent(2);
    s.evolve().unwrap();
    s.toggle_parent(3);
    s.evolve().unwrap();
    let err = store
        .save_changes(id, &Changes::since(&s, stored + 1, false))
        .unwrap_err();
    assert!(err.to_string().contains("changes start at"), "{err}");
    assert_eq!(store.session_info(id).unwrap().generations, stored);
    // The whole session fills the gap.
    store.save(id, &s).unwrap();
    assert_eq!(store.load_session(id).unwrap(), s);
    let _ = std::fs::remove_dir_all(dir);
}

/// A version-2 library (no `leases`) is upgraded in place: its sessions read back, the
/// schema says the newest, and a session can be leased and grown.
#[test]
fn a_version_2_library_is_upgraded_to_leases() {
    let dir = temp("v2");
    let path = dir.join(LIBRARY_FILE);
    let mut s = Session::new(6);
    {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_session("old", &s).unwrap();
        breed(&mut store, id, &mut s, 3);
        store.release(id).unwrap();
        store
            .conn
            .execute_batch("DROP TABLE leases; UPDATE meta SET value='2' WHERE key='schema';")
            .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let v: String = store
        .conn
        .query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(v, schema::SCHEMA_VERSION.to_string());
    let id = store.sessions().unwrap()[0].id;
    assert_eq!(store.load_session(id).unwrap(), s);
    store.lease(id).unwrap();
    breed(&mut store, id, &mut s, 2);
    assert_eq!(Store::open(&path).unwrap().load_session(id).unwrap(), s);
}

/// A version-3 library (no twin tables) opens read-only as it is (no twin to show) and
/// is upgraded in place when opened to write: its sessions and studies read back, the
/// schema says 4, and a twin can be kept with a session.
#[test]
fn a_version_3_library_reads_back_and_keeps_twins() {
    let dir = temp("v3");
    let path = dir.join(LIBRARY_FILE);
    let mut s = Session::new(9);
    let id = {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_session("old", &s).unwrap();
        breed(&mut store, id, &mut s, 3);
        store.save_study(id, 5, (GenerationId(1), 2), "[]").unwrap();
        store.release(id).unwrap();
        store
            .conn
            .execute_batch(
                "DROP TABLE twins; DROP TABLE twin_curves; DROP TABLE twin_snapshots;
                 UPDATE meta SET value='3' WHERE key='schema';",
            )
            .unwrap();
        id
    };
    {
        let old = Store::open_read_only(&path).unwrap();
        assert_eq!(old.load_session(id).unwrap(), s);
        assert!(old.latest_twin(id).is_err(), "no twin tables yet");
    }
    let mut store = Store::open(&path).unwrap();
    let v: String = store
        .conn
        .query_row("SELECT value FROM meta WHERE key='schema'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(v, "4");
    assert_eq!(store.load_session(id).unwrap(), s);
    assert_eq!(store.latest_study(id).unwrap().unwrap().started, 5);
    assert_eq!(store.latest_twin(id).unwrap(), None);
    store.lease(id).unwrap();
    let net = crate::dense::net::DenseNet {
        hidden: vec![],
        layers: vec![crate::dense::net::Dense {
            n_in: 4,
            n_out: 1,
            weights: vec![0.5, -0.25, 1.0, 0.1],
            bias: None,
        }],
        outputs: crate::dense::net::NetOutputs::Grey,
        labels: vec![],
    };
    let twin = TwinRecord {
        started: 1,
        genome: "g".into(),
        generation: GenerationId(3),
        child: 0,
        setup: "{}".into(),
        step: 2,
        net,
        curve_from: 0,
        curve: vec![[1.0, -1.0], [2.0, -1.5]],
        snapshots: vec![],
    };
    store.save_twin(id, &twin).unwrap();
    assert_eq!(store.latest_twin(id).unwrap(), Some(twin));
    breed(&mut store, id, &mut s, 1);
    assert_eq!(Store::open(&path).unwrap().load_session(id).unwrap(), s);
    let _ = std::fs::remove_dir_all(dir);
}

/// Two libraries open on one file: the session's maker holds it; the other is refused
/// (naming the holder) and cannot write to it, until the holder gives it back.
#[test]
fn a_leased_session_has_one_writer() {
    let dir = temp("lease");
    let path = dir.join(LIBRARY_FILE);
    let mut a = Store::open(&path).unwrap();
    let mut s = Session::new(8);
    let id = a.create_session("a", &s).unwrap();
    breed(&mut a, id, &mut s, 2);
    let mut b = Store::open(&path).unwrap();
    let err = b.lease(id).unwrap_err();
    assert!(matches!(err, StoreError::Leased { .. }), "{err}");
    let said = err.to_string();
    assert!(
        said.contains(&format!("process {}", std::process::id())) && !said.contains('\n'),
        "{said}"
    );
    assert!(b.lease_holder(id).unwrap().is_some());
    assert!(a.lease_holder(id).unwrap().is_none(), "its own lease");
    // Without the lease nothing is written, not even where the user is.
    let mut other = b.load_session(id).unwrap();
    other.toggle_parent(3);
    other.evolve().unwrap();
    assert!(matches!(
        b.save(id, &other),
        Err(StoreError::LeaseLost { .. })
    ));
    assert!(matches!(
        b.save_changes(id, &Changes::since(&other, s.generations().len(), false)),
        Err(StoreError::LeaseLost { .. })
    ));
    assert!(matches!(
        b.save_position(id, &other),
        Err(StoreError::LeaseLost { .. })
    ));
    assert_eq!(b.load_session(id).unwrap(), s, "unchanged");
    // Given back (dropped), it is the other's.
    drop(a);
    assert!(b.lease_holder(id).unwrap().is_none());
    b.lease(id).unwrap();
    let mut s = b.load_session(id).unwrap();
    breed(&mut b, id, &mut s, 1);
    assert_eq!(b.load_session(id).unwrap(), s);
    assert!(
        b.lease(id + 50)
            .unwrap_err()
            .to_string()
            .contains("no session")
    );
}

/// A holder that stops renewing (killed, hung) loses its lease after the timeout
/// (here 50 ms, injected): another takes the session, and the old holder's saves and
/// renewals are refused, never written over the new writer's.
#[test]
fn an_expired_lease_is_taken_and_its_old_holder_writes_nothing() {
    let dir = temp("expire");
    let path = dir.join(LIBRARY_FILE);
    let mut a = Store::open(&path).unwrap();
    let mut s = Session::new(10);
    let id = a.create_session("a", &s).unwrap();
    breed(&mut a, id, &mut s, 2);
    let mut b = Store::open(&path).unwrap();
    b.set_lease_timeout(std::time::Duration::from_millis(50));
    assert!(matches!(b.lease(id), Err(StoreError::Leased { .. })));
    std::thread::sleep(std::time::Duration::from_millis(120));
    b.lease(id).unwrap();
    let mut t = b.load_session(id).unwrap();
    breed(&mut b, id, &mut t, 3);
    // The old holder, back: refused, and told so.
    let mut stale = s.clone();
    stale.toggle_parent(1);
    stale.evolve().unwrap();
    assert!(matches!(
        a.save(id, &stale),
        Err(StoreError::LeaseLost { .. })
    ));
    let err = a.renew_leases().unwrap_err();
    assert!(err.to_string().contains("taken over"), "{err}");
    assert_eq!(a.leased().count(), 0);
    drop(a);
    assert_eq!(Store::open(&path).unwrap().load_session(id).unwrap(), t);
}

/// A writer whose copy of the session is behind the library (another wrote to it in
/// between) is refused; a generation already stored is never replaced.
#[test]
fn a_stale_writer_is_refused_and_generations_are_never_replaced() {
    let dir = temp("stale");
    let path = dir.join(LIBRARY_FILE);
    let mut a = Store::open(&path).unwrap();
    let mut s = Session::new(12);
    let id = a.create_session("a", &s).unwrap();
    breed(&mut a, id, &mut s, 2);
    a.release(id).unwrap();
    let mut b = Store::open(&path).unwrap();
    b.lease(id).unwrap();
    let mut t = b.load_session(id).unwrap();
    breed(&mut b, id, &mut t, 4);
    b.release(id).unwrap();
    // `a` leases again but still has its old copy: refused, nothing changes.
    a.lease(id).unwrap();
    let mut stale = s.clone();
    stale.toggle_parent(2);
    stale.evolve().unwrap();
    let err = a.save(id, &stale).unwrap_err().to_string();
    assert!(err.contains("another window or process"), "{err}");
    let err = a
        .save_changes(id, &Changes::since(&stale, s.generations().len(), false))
        .unwrap_err()
        .to_string();
    assert!(err.contains("another window or process"), "{err}");
    assert_eq!(a.load_session(id).unwrap(), t);
    // Inserting a generation the library has is an error, not an overwrite.
    let tx = a.write().unwrap();
    let again = sessions::tests_insert(&tx, id, &stale.generations()[3]);
    assert!(again.is_err());
    drop(tx);
    assert_eq!(a.load_session(id).unwrap(), t);
}

#[test]
fn dates_are_civil() {
    assert_eq!(super::date(0), "1970-01-01 00:00");
    assert_eq!(super::date(951_782_400), "2000-02-29 00:00");
    assert_eq!(super::date(1_796_300_000), "2026-12-03 12:13");
    assert_eq!(super::date(-60), "1969-12-31 23:59");
}
