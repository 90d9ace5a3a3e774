//! Tamper evidence: for per-entry chains and for seal manifests, each kind
//! of damage applied to generated logs is found with the right kind and the
//! right line or range, and untouched logs verify intact.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use fsaudit::testgen::{GenOptions, Generator, Shape};
use serde_json::Value;

fn chained_log(events: usize, seed: u64) -> Vec<Vec<u8>> {
    Generator::new(GenOptions { events, shape: Shape::Soc2, seed, chain: true, ..Default::default() }).all().lines
}

fn plain_log(events: usize, seed: u64) -> Vec<Vec<u8>> {
    Generator::new(GenOptions { events, shape: Shape::Feast, seed, ..Default::default() }).all().lines
}

fn write(dir: &Path, name: &str, lines: &[Vec<u8>]) -> PathBuf {
    let p = dir.join(name);
    let mut bytes = Vec::new();
    for l in lines {
        bytes.extend_from_slice(l);
        bytes.push(b'\n');
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn verify(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["verify", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert!(r.code == 0 || r.code == 1, "{args:?}: exit {} {}", r.code, r.stderr);
    (r.code, r.json())
}

/// (line, kind) of every break.
fn breaks(doc: &Value) -> Vec<(Option<u64>, String)> {
    doc["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["line"].as_u64(), b["kind"].as_str().unwrap().to_owned()))
        .collect()
}

/// Changes one value inside a line without breaking its JSON.
fn edit(line: &[u8]) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(line).unwrap();
    let code = v["result"]["statusCode"].as_u64().unwrap_or(200);
    v["result"]["statusCode"] = Value::from(if code == 200 { 500 } else { 200 });
    if v.get("result").is_none() {
        v["outcome"] = Value::from("tampered");
    }
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn intact_chains_verify_for_any_threads_and_chunking() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "chain.jsonl", &chained_log(3000, 1));
    for (threads, buffer) in [("1", "2097152"), ("4", "512"), ("2", "4096")] {
        let (code, doc) = verify(&["--threads", threads, "--buffer-size", buffer, p.to_str().unwrap()]);
        assert_eq!(code, 0);
        assert_eq!(doc["intact"], true);
        assert_eq!(doc["entries"], 3000);
        assert_eq!(doc["verified"], 3000);
        assert_eq!(doc["unsealed"], 0);
    }
}

#[test]
fn chain_tamper_matrix() {
    let lines = chained_log(2000, 2);
    let dir = tempfile::tempdir().unwrap();
    let k = 1234usize; // 0-based index of the line to damage; its line number is k + 1
    type Damage = fn(&mut Vec<Vec<u8>>, usize);
    type Expected = Vec<(Option<u64>, &'static str)>;
    let cases: [(&str, Damage, Expected); 5] = [
        ("edited", |l, k| l[k] = edit(&l[k]), vec![(Some(1235), "checksum_mismatch")]),
        ("deleted", |l, k| drop(l.remove(k)), vec![(Some(1235), "chain_break")]),
        (
            "inserted",
            |l, k| {
                let copy = l[10].clone();
                l.insert(k, copy)
            },
            vec![(Some(1235), "chain_break"), (Some(1236), "chain_break")],
        ),
        (
            "swapped",
            |l, k| l.swap(k, k + 1),
            vec![(Some(1235), "chain_break"), (Some(1236), "chain_break"), (Some(1237), "chain_break")],
        ),
        ("garbled", |l, k| l[k].truncate(40), vec![(Some(1235), "malformed"), (Some(1236), "chain_break")]),
    ];
    for (name, damage, want) in cases {
        let mut l = lines.clone();
        damage(&mut l, k);
        let p = write(dir.path(), &format!("{name}.jsonl"), &l);
        for buffer in ["2097152", "700"] {
            let (code, doc) = verify(&["--buffer-size", buffer, p.to_str().unwrap()]);
            assert_eq!(code, 1, "{name}");
            assert_eq!(doc["intact"], false, "{name}");
            let want: Vec<(Option<u64>, String)> = want.iter().map(|(l, k)| (*l, k.to_string())).collect();
            assert_eq!(breaks(&doc), want, "{name} (buffer {buffer})");
        }
    }
}

#[test]
fn one_edit_does_not_hide_a_second() {
    let mut l = chained_log(1000, 3);
    l[100] = edit(&l[100]);
    l[800] = edit(&l[800]);
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "two.jsonl", &l);
    let (_, doc) = verify(&[p.to_str().unwrap()]);
    assert_eq!(breaks(&doc), [(Some(101), "checksum_mismatch".into()), (Some(801), "checksum_mismatch".into())]);
    assert_eq!(doc["verified"], 998);
}

#[test]
fn a_rotated_series_is_one_chain_in_the_order_given() {
    let l = chained_log(1000, 4);
    let dir = tempfile::tempdir().unwrap();
    let older = write(dir.path(), "audit.log.1", &l[..600]);
    let newer = write(dir.path(), "audit.log", &l[600..]);
    let (code, doc) = verify(&[older.to_str().unwrap(), newer.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(doc["verified"], 1000);
    // alone, the newer file starts in the middle of a chain
    let (code, doc) = verify(&[newer.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(breaks(&doc), [(Some(1), "chain_break".into())]);
    // given newest first, the series is still read in logrotate's order
    let (code, doc) = verify(&[newer.to_str().unwrap(), older.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc}");
    // files that are no series are read in the order given: the links break where they meet
    let a = write(dir.path(), "part-a.jsonl", &l[..600]);
    let b = write(dir.path(), "part-b.jsonl", &l[600..]);
    let (code, doc) = verify(&[b.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(breaks(&doc), [(Some(1), "chain_break".into()), (Some(1), "chain_break".into())]);
}

#[test]
fn an_entry_without_integrity_in_a_chained_file_is_a_break() {
    let mut l = chained_log(50, 5);
    // an entry of any principal, with no integrity member, slipped in mid-chain
    let mut stripped: Value = serde_json::from_slice(&l[20]).unwrap();
    stripped.as_object_mut().unwrap().remove("integrity");
    stripped["who"]["userId"] = "mallory".into();
    l.insert(21, serde_json::to_vec(&stripped).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "mixed.jsonl", &l);
    for extra in [None, Some("--require")] {
        let mut args: Vec<&str> = extra.into_iter().collect();
        args.push(p.to_str().unwrap());
        let (code, doc) = verify(&args);
        assert_eq!(code, 1, "{extra:?}: {doc}");
        assert_eq!(breaks(&doc), [(Some(22), "missing_integrity".into())]);
    }
    // and the gate sees it
    let r = run(["check", "--max", "chain_breaks=0", "-q", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["rules"][0]["observed"], 1.0);
}

#[test]
fn the_shipped_soc2_sample_verifies() {
    let (code, doc) = verify(&[testdata("soc2.jsonl").to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(doc["verified"], 12);
}

struct Sealed {
    dir: tempfile::TempDir,
    files: Vec<PathBuf>,
}

impl Sealed {
    fn new(logs: &[(&str, Vec<Vec<u8>>)], every: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ops");
        let r = run(["keygen", "--out", key.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let files: Vec<PathBuf> = logs.iter().map(|(name, lines)| write(dir.path(), name, lines)).collect();
        let mut args = vec![
            "seal".to_owned(),
            "--key".into(),
            format!("{}.key", key.display()),
            "--checkpoint-every".into(),
            every.into(),
        ];
        args.extend(files.iter().map(|f| f.display().to_string()));
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        Sealed { dir, files }
    }

    fn pubkey(&self) -> String {
        self.dir.path().join("ops.pub").display().to_string()
    }

    fn verify(&self, files: &[&PathBuf]) -> (i32, Value) {
        let key = self.pubkey();
        let mut args = vec!["--pubkey", key.as_str()];
        let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        verify(&args)
    }
}

/// The (line, kind) of the single break, and its detail.
fn single(doc: &Value) -> (Option<u64>, String, String) {
    let b = doc["breaks"].as_array().unwrap();
    assert_eq!(b.len(), 1, "{doc:#}");
    (b[0]["line"].as_u64(), b[0]["kind"].as_str().unwrap().to_owned(), b[0]["detail"].as_str().unwrap().to_owned())
}

#[test]
fn seal_tamper_matrix() {
    let lines = plain_log(3000, 6);
    type Damage = fn(&mut Vec<Vec<u8>>);
    // checkpoints every 500 lines: line 1235 lies in 1001–1500
    let cases: [(&str, Damage, &str, u64, &str); 6] = [
        ("changed", |l| l[1234][20] ^= 1, "changed", 1001, "lines 1001–1500"),
        ("deleted", |l| drop(l.remove(1234)), "deleted", 1001, "1 line deleted within sealed lines 1001–1500"),
        (
            "inserted",
            |l| l.insert(1234, b"{\"forged\":true}".to_vec()),
            "inserted",
            1001,
            "1 line inserted within sealed lines 1001–1500",
        ),
        ("swapped", |l| l.swap(1234, 1240), "reordered", 1001, "lines 1001–1500"),
        ("swapped across a checkpoint", |l| l.swap(1499, 1500), "reordered", 1001, "lines 1001–2000"),
        (
            "truncated",
            |l| l.truncate(2345),
            "truncated",
            2346,
            "the file ends at line 2345; sealed lines 2346–3000 are missing",
        ),
    ];
    for (name, damage, kind, line, detail) in cases {
        let s = Sealed::new(&[("audit.log", lines.clone())], "500");
        let (code, doc) = s.verify(&[&s.files[0]]);
        assert_eq!(code, 0, "untouched");
        assert_eq!(doc["verified"], 3000);
        let mut l = lines.clone();
        damage(&mut l);
        write(s.dir.path(), "audit.log", &l);
        let (code, doc) = s.verify(&[&s.files[0]]);
        assert_eq!(code, 1, "{name}");
        let (got_line, got_kind, got_detail) = single(&doc);
        assert_eq!(got_kind, kind, "{name}");
        assert_eq!(got_line, Some(line), "{name}");
        assert!(got_detail.contains(detail), "{name}: {got_detail}");
    }
}

#[test]
fn appended_lines_are_an_unsealed_tail_not_damage() {
    let lines = plain_log(1200, 7);
    let s = Sealed::new(&[("audit.log", lines.clone())], "500");
    let mut more = lines.clone();
    more.extend(plain_log(7, 8));
    write(s.dir.path(), "audit.log", &more);
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!(code, 0);
    assert_eq!(doc["intact"], true);
    assert_eq!(doc["unsealed"], 7);
    assert_eq!(doc["unsealed_tails"][0]["first_line"], 1201);
    assert_eq!(doc["unsealed_tails"][0]["lines"], 7);
}

#[test]
fn edited_or_foreign_manifests_are_forged() {
    let lines = plain_log(800, 9);
    let s = Sealed::new(&[("audit.log", lines.clone())], "500");
    let manifest = s.dir.path().join("audit.log.seal.json");
    let original = std::fs::read(&manifest).unwrap();
    // an attacker who rewrote the log "fixes" the line count in the manifest
    let mut m: Value = serde_json::from_slice(&original).unwrap();
    m["lines"] = Value::from(799);
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!(code, 1);
    assert_eq!(single(&doc).1, "manifest_forged");
    // or re-seals it with a key of their own
    let other = s.dir.path().join("attacker");
    run(["keygen", "--out", other.to_str().unwrap()]);
    let r = run(["seal", "--key", &format!("{}.key", other.display()), s.files[0].to_str().unwrap()]);
    assert_eq!(r.code, 0);
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!(code, 1);
    assert_eq!(single(&doc).1, "manifest_forged");
    // and a missing manifest is a break too
    std::fs::remove_file(&manifest).unwrap();
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!(code, 1);
    assert_eq!(single(&doc).1, "missing_manifest");
}

#[test]
fn a_rotated_series_links_and_a_missing_file_is_found() {
    let s = Sealed::new(
        &[
            ("audit.log.3", plain_log(300, 10)),
            ("audit.log.2", plain_log(300, 11)),
            ("audit.log.1", plain_log(300, 12)),
        ],
        "100",
    );
    let (a, b, c) = (&s.files[0], &s.files[1], &s.files[2]);
    let (code, doc) = s.verify(&[a, b, c]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["verified"], 900);
    let (code, doc) = s.verify(&[a, c]);
    assert_eq!(code, 1);
    let (line, kind, detail) = single(&doc);
    assert_eq!((line, kind.as_str()), (None, "missing_file"));
    assert!(detail.contains("skips 1 sealed file"), "{detail}");
    assert_eq!(doc["breaks"][0]["path"], c.display().to_string());
    // extending the series later
    let d = write(s.dir.path(), "audit.log", &plain_log(100, 13));
    let key = s.dir.path().join("ops.key");
    let after = s.dir.path().join("audit.log.1.seal.json");
    let r = run(["seal", "--key", key.to_str().unwrap(), "--after", after.to_str().unwrap(), d.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, _) = s.verify(&[a, b, c, &d]);
    assert_eq!(code, 0);
}

#[test]
fn sealing_only_reads_the_log_and_gzip_is_sealed_by_its_lines() {
    let lines = plain_log(500, 14);
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log", &lines);
    let gz = dir.path().join("audit.log.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, &std::fs::read(&p).unwrap()).unwrap();
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    let before = std::fs::read(&gz).unwrap();
    let key = dir.path().join("k");
    run(["keygen", "--out", key.to_str().unwrap()]);
    let r = run(["seal", "--format", "json", "--key", &format!("{}.key", key.display()), gz.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["sealed"][0]["lines"], 500);
    assert_eq!(std::fs::read(&gz).unwrap(), before, "the log is untouched");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("audit.log.gz.seal.json")).unwrap()).unwrap();
    assert_eq!(manifest["lines"], 500);
    assert!(manifest["first_event"].as_str().unwrap().starts_with("2026-10-01"));
    let (code, _) = verify(&["--pubkey", &format!("{}.pub", key.display()), gz.to_str().unwrap()]);
    assert_eq!(code, 0);
}

#[test]
fn keys_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("ops");
    assert_eq!(run(["keygen", "--out", key.to_str().unwrap()]).code, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("ops.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = run(["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(again.code, 2, "no silent overwrite of a key");
    assert!(again.stderr.contains("--force"));
    let log = write(dir.path(), "a.log", &plain_log(10, 15));
    let r = run(["seal", "--key", "/nonexistent.key", log.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/nonexistent.key"), "{}", r.stderr);
    let r = run(["verify", "--pubkey", dir.path().join("ops.key").to_str().unwrap(), log.to_str().unwrap()]);
    assert_eq!(r.code, 2, "a private key is not a public key");
    let r = run(["verify", "/nonexistent.log"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/nonexistent.log"));
}
