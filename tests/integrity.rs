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
    // or re-seals it with a key of their own: seal keeps a manifest it
    // cannot vouch for, so they remove it first
    let other = s.dir.path().join("attacker");
    run(["keygen", "--out", other.to_str().unwrap()]);
    let reseal = || run(["seal", "--key", &format!("{}.key", other.display()), s.files[0].to_str().unwrap()]);
    let r = reseal();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not signed with this key"), "{}", r.stderr);
    assert_eq!(std::fs::read(&manifest).unwrap(), serde_json::to_vec_pretty(&m).unwrap(), "kept as it was");
    std::fs::remove_file(&manifest).unwrap();
    let r = reseal();
    assert_eq!(r.code, 0, "{}", r.stderr);
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

#[test]
fn a_stripped_chain_or_a_plain_log_verifies_nothing_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    // every integrity member stripped
    let stripped: Vec<Vec<u8>> = chained_log(40, 21)
        .iter()
        .map(|l| {
            let mut v: Value = serde_json::from_slice(l).unwrap();
            v.as_object_mut().unwrap().remove("integrity");
            serde_json::to_vec(&v).unwrap()
        })
        .collect();
    let p = write(dir.path(), "stripped.jsonl", &stripped);
    let plain = testdata("feast.jsonl");
    for path in [p.to_str().unwrap(), plain.to_str().unwrap()] {
        let r = run(["verify", "--format", "json", path]);
        assert_eq!(r.code, 1, "{path}: {}", r.stderr);
        let doc = r.json();
        assert_eq!(doc["status"], "unverified");
        assert_eq!(doc["intact"], false);
        assert_eq!(doc["verified"], 0);
        assert!(r.stderr.contains("nothing to verify: no integrity fields and no manifest"), "{}", r.stderr);
        // -q silences the words, not the verdict
        assert_eq!(run(["verify", "-q", path]).code, 1);
        let r = run(["verify", "--allow-unverified", "--format", "json", path]);
        assert_eq!(r.code, 0);
        assert_eq!(r.json()["intact"], true);
        // nor does the gate count "nothing verified" as "no breaks"
        let r = run(["check", "-q", "--max", "chain_breaks=0", "--format", "json", path]);
        assert_eq!(r.code, 1, "{path}");
        assert_eq!(r.json()["rules"][0]["status"], "no_data");
    }
}

#[test]
fn a_chain_verified_alone_says_what_it_cannot_prove() {
    // deleting entries and re-linking the next one verifies: the link is outside the checksum
    let mut l = chained_log(30, 22);
    let removed: Value = serde_json::from_slice(&l[10]).unwrap();
    let previous = removed["integrity"]["previousLogHash"].clone();
    l.remove(10);
    let mut next: Value = serde_json::from_slice(&l[10]).unwrap();
    next["integrity"]["previousLogHash"] = previous;
    l[10] = serde_json::to_vec(&next).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "relinked.jsonl", &l);
    let r = run(["verify", p.to_str().unwrap()]);
    // the format's limit, stated every time a chain is all there is
    assert!(r.stderr.contains("cannot detect deleted entries"), "{}", r.stderr);
    assert!(r.stderr.contains("fsaudit seal"), "{}", r.stderr);
}

#[test]
fn a_sealed_rotated_series_in_a_directory_is_intact_and_sidecars_are_skipped() {
    let s = Sealed::new(
        &[("audit.log.2", plain_log(300, 30)), ("audit.log.1", plain_log(300, 31)), ("audit.log", plain_log(300, 32))],
        "100",
    );
    let dir = s.dir.path().to_str().unwrap();
    let key = s.pubkey();
    let r = run(["verify", "--format", "json", "--pubkey", &key, dir]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["verified"], 900);
    let files: Vec<&str> = doc["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    let names: Vec<&str> = files.iter().map(|f| f.rsplit('/').next().unwrap()).collect();
    assert_eq!(names, ["audit.log.2", "audit.log.1", "audit.log"], "oldest first, as logrotate names them");
    assert!(r.stderr.contains("skipped 5 sidecar files"), "{}", r.stderr);
    // the reports read the same three logs: no manifest or key is a malformed line
    let r = run(["summary", "--format", "json", dir]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["malformed"], 0);
    assert_eq!(r.json()["scanned"], 900);
    // the newest manifest's digest is printed, to compare with a published one
    let newest = fsaudit_sha256(&s.dir.path().join("audit.log.seal.json"));
    assert_eq!(doc["latest_manifest"]["sha256"], newest);
    assert_eq!(doc["latest_manifest"]["sequence"], 3);
}

#[test]
fn a_rotated_chain_in_a_directory_has_no_false_breaks() {
    let l = chained_log(900, 33);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "audit.log.2", &l[..300]);
    write(dir.path(), "audit.log.1", &l[300..600]);
    write(dir.path(), "audit.log", &l[600..]);
    let (code, doc) = verify(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["verified"], 900);
}

fn fsaudit_sha256(path: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

#[test]
fn manifest_tamper_matrix() {
    let logs = || {
        [("audit.log.2", plain_log(200, 40)), ("audit.log.1", plain_log(200, 41)), ("audit.log", plain_log(200, 42))]
    };
    // a file and its manifest replaced by another sealed file and its manifest
    let s = Sealed::new(&logs(), "50");
    let d = s.dir.path();
    std::fs::copy(d.join("audit.log.1"), d.join("audit.log")).unwrap();
    std::fs::copy(d.join("audit.log.1.seal.json"), d.join("audit.log.seal.json")).unwrap();
    let (code, doc) = s.verify(&[&s.files[0], &s.files[1], &s.files[2]]);
    assert_eq!(code, 1);
    let kinds: Vec<(String, String)> = doc["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["path"].as_str().unwrap().rsplit('/').next().unwrap().to_owned(), b["kind"].to_string()))
        .collect();
    assert!(kinds.contains(&("audit.log".into(), "\"file_mismatch\"".into())), "{kinds:?}");
    assert!(kinds.contains(&("audit.log".into(), "\"chain_break\"".into())), "{kinds:?}");

    // a file renamed together with its manifest: the signed name differs
    let s = Sealed::new(&logs(), "50");
    let d = s.dir.path();
    std::fs::rename(d.join("audit.log"), d.join("renamed.log")).unwrap();
    std::fs::rename(d.join("audit.log.seal.json"), d.join("renamed.log.seal.json")).unwrap();
    let renamed = d.join("renamed.log");
    let (code, doc) = s.verify(&[&s.files[0], &s.files[1], &renamed]);
    assert_eq!(code, 1);
    assert_eq!(single(&doc).1, "file_mismatch");
    // --manifest maps it explicitly
    let mapping = format!("{}={}", renamed.display(), d.join("renamed.log.seal.json").display());
    let key = s.pubkey();
    let (a, b) = (s.files[0].to_str().unwrap(), s.files[1].to_str().unwrap());
    let (code, doc) = verify(&["--pubkey", &key, "--manifest", &mapping, a, b, renamed.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");

    // a series given without its oldest file
    let s = Sealed::new(&logs(), "50");
    let (code, doc) = s.verify(&[&s.files[1], &s.files[2]]);
    assert_eq!(code, 1);
    let (line, kind, _) = single(&doc);
    assert_eq!((line, kind.as_str()), (None, "series_gap_start"));
    assert!(doc["breaks"][0]["path"].as_str().unwrap().ends_with("audit.log.1"));
    // …unless it continues a series verified before
    let oldest = fsaudit_sha256(&s.dir.path().join("audit.log.2.seal.json"));
    let key = s.pubkey();
    let (b, c) = (s.files[1].to_str().unwrap(), s.files[2].to_str().unwrap());
    assert_eq!(verify(&["--pubkey", &key, "--after", &oldest, b, c]).0, 0);
    assert_eq!(verify(&["--pubkey", &key, "--after", &"0".repeat(64), b, c]).0, 1);

    // a series given without its newest file: only a digest kept elsewhere tells
    let newest = fsaudit_sha256(&s.dir.path().join("audit.log.seal.json"));
    let a = s.files[0].to_str().unwrap();
    assert_eq!(verify(&["--pubkey", &key, a, b]).0, 0, "nothing in the files says a newer one existed");
    let (code, doc) = verify(&["--pubkey", &key, "--expect-latest", &newest, a, b]);
    assert_eq!(code, 1);
    assert_eq!(single(&doc).1, "rollback");
    assert_eq!(verify(&["--pubkey", &key, "--expect-latest", &newest, a, b, c]).0, 0);
}

#[test]
fn rollback_to_an_older_manifest_and_appended_lines() {
    let lines = plain_log(400, 50);
    let s = Sealed::new(&[("audit.log", lines[..300].to_vec())], "100");
    let d = s.dir.path();
    let first = std::fs::read(d.join("audit.log.seal.json")).unwrap();
    // more lines arrive and the file is sealed again
    write(d, "audit.log", &lines);
    let key = d.join("ops.key");
    assert_eq!(run(["seal", "--key", key.to_str().unwrap(), s.files[0].to_str().unwrap()]).code, 0);
    let latest = fsaudit_sha256(&d.join("audit.log.seal.json"));
    assert_eq!(s.verify(&[&s.files[0]]).0, 0);
    // the attacker restores the first manifest and rewrites the lines after it
    std::fs::write(d.join("audit.log.seal.json"), first).unwrap();
    let mut rewritten = lines.clone();
    rewritten[350] = edit(&rewritten[350]);
    write(d, "audit.log", &rewritten);
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!(code, 0, "without more, an unsealed tail is all there is to see");
    assert_eq!(doc["unsealed_tails"][0]["lines"], 100);
    let pubkey = s.pubkey();
    let f = s.files[0].to_str().unwrap();
    let (code, doc) = verify(&["--pubkey", &pubkey, "--expect-latest", &latest, f]);
    assert_eq!(code, 1);
    assert_eq!(single(&doc).1, "rollback");
    let (code, doc) = verify(&["--pubkey", &pubkey, "--require-sealed", f]);
    assert_eq!(code, 1);
    assert_eq!(
        single(&doc),
        (Some(301), "unsealed_tail".into(), "100 lines after the newest seal, from line 301 (--require-sealed)".into())
    );
}

#[test]
fn lines_an_intact_seal_covers_are_never_missing_integrity() {
    let lines = plain_log(200, 51);
    let s = Sealed::new(&[("audit.log", lines.clone())], "100");
    let mut more = lines.clone();
    more.extend(plain_log(3, 52));
    write(s.dir.path(), "audit.log", &more);
    let (pubkey, f) = (s.pubkey(), s.files[0].to_str().unwrap().to_owned());
    let (code, doc) = verify(&["--pubkey", &pubkey, "--require", &f]);
    assert_eq!(code, 1);
    // only the three lines after the seal lack integrity
    assert_eq!(single(&doc).0, Some(201));
    assert_eq!(single(&doc).1, "missing_integrity");
    assert_eq!(doc["verified"], 200);
}

/// Lines every other command refuses, which serde_json alone takes when it
/// passes over values: a string that is not UTF-8, a key written twice,
/// nesting past the limit. `verify` refuses them too; once sealed, the seal
/// vouches for them as written (as for a line that is not JSON at all),
/// and the same damage after sealing is found.
#[test]
fn bare_lines_the_reports_refuse_are_breaks_sealed_or_not() {
    let mut lines = plain_log(2000, 11);
    let bad_utf8 = |l: &[u8]| {
        // a byte inside the first string value made invalid
        let at = l.windows(3).position(|w| w == b"\":\"").unwrap() + 4;
        let mut l = l.to_vec();
        l[at] = 0xff;
        l
    };
    let repeated = |l: &[u8]| {
        let mut l = l.to_vec();
        l.splice(1..1, b"\"event_type\":\"twice\",".iter().copied());
        l
    };
    let deep = |_: &[u8]| format!(r#"{{"d":{}1{}}}"#, "[".repeat(200), "]".repeat(200)).into_bytes();
    type Plant = fn(&[u8]) -> Vec<u8>;
    let plants: [(usize, Plant, &str); 4] = [
        (17, bad_utf8, "malformed"),
        (901, repeated, "duplicate_key"),
        (902, deep, "malformed"),
        (1999, bad_utf8, "malformed"),
    ];
    for (at, plant, _) in plants {
        lines[at] = plant(&lines[at]);
        // serde_json alone takes each
        assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&lines[at]).is_ok());
    }
    let mut want: Vec<(Option<u64>, String)> =
        plants.iter().map(|(at, _, kind)| (Some(*at as u64 + 1), kind.to_string())).collect();
    want.sort();
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "audit.log", &lines);
    let log_arg = log.to_str().unwrap();
    for extra in [&["--threads", "1"][..], &["--threads", "2", "--buffer-size", "4096"][..]] {
        let mut args = vec!["--allow-unverified", log_arg];
        args.extend_from_slice(extra);
        let (code, doc) = verify(&args);
        assert_eq!(code, 1, "{extra:?}");
        let mut got = breaks(&doc);
        got.sort();
        assert_eq!(got, want, "{extra:?}");
    }
    // the reports count the same lines as malformed
    let doc = summary(["-q", log_arg]);
    assert_eq!(doc["malformed"], plants.len() as u64);
    // sealed with them: intact, every line verified
    let s = Sealed::new(&[("audit.log", lines.clone())], "500");
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!((code, breaks(&doc)), (0, vec![]));
    assert_eq!(doc["verified"], 2000);
    // planted after sealing: the seal finds the changed range (whose lines
    // it no longer vouches for: the planted one is refused as well), and
    // a line appended after the seal's last is refused as it is
    let clean = plain_log(2000, 11);
    let s = Sealed::new(&[("audit.log", clean[..1000].to_vec())], "500");
    let mut after = clean.clone();
    after[1999] = lines[1999].clone();
    after[17] = lines[17].clone();
    write(s.dir.path(), "audit.log", &after);
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!(code, 1);
    let mut got = breaks(&doc);
    got.sort();
    assert_eq!(
        got,
        vec![(Some(1), "changed".into()), (Some(18), "malformed".into()), (Some(2000), "malformed".into())]
    );
}

/// An entry as a container runtime or a logger writes it: the physical
/// lines that carry `line` in the `k`th of six envelopes (CRI whole and
/// split into three pieces, Docker whole and split into two records,
/// Python logging, RFC 5424 syslog), or for `k` 6, bare.
fn enveloped(line: &[u8], k: usize) -> Vec<Vec<u8>> {
    let text = std::str::from_utf8(line).unwrap();
    let cri = |tag: &str, piece: &str| format!("2026-11-20T08:00:00.000000001Z stdout {tag} {piece}").into_bytes();
    let docker = |piece: &str| {
        let log = serde_json::to_string(piece).unwrap();
        format!(r#"{{"log":{log},"stream":"stdout","time":"2026-11-20T08:00:00.000000001Z"}}"#).into_bytes()
    };
    let (a, b) = (text.len() / 3, 2 * text.len() / 3);
    match k {
        6 => vec![line.to_vec()],
        _ if k > 6 => panic!("no envelope {k}"),
        _ => match k % 6 {
            0 => vec![cri("F", text)],
            1 => vec![cri("P", &text[..a]), cri("P", &text[a..b]), cri("F", &text[b..])],
            2 => vec![docker(&format!("{text}\n"))],
            3 => vec![docker(&text[..a]), docker(&format!("{}\n", &text[a..]))],
            4 => vec![format!("2026-11-20 08:00:00,123 feast.audit INFO: {text}").into_bytes()],
            _ => vec![format!("<134>1 2026-11-20T08:00:00Z host feast - - - {text}").into_bytes()],
        },
    }
}

/// A per-entry chain shipped through container logs (or behind a logger's
/// prefix) is checked on the entries inside: intact at any threads and
/// chunking, and an edit, a lost piece of a split record or a reordering
/// found at the entry's first line, as in a bare log. `--envelope none`
/// checks the lines as written (none of them is an entry then).
#[test]
fn a_chain_inside_envelopes_verifies_and_damage_is_found_at_its_line() {
    let entries = chained_log(600, 61);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    // the physical line each entry starts on, and its pieces
    let mut starts = Vec::new();
    for (k, e) in entries.iter().enumerate() {
        starts.push((lines.len() as u64 + 1, k));
        lines.extend(enveloped(e, k % 6));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "audit.log", &lines);
    let p = p.to_str().unwrap();
    for (threads, buffer) in [("1", "2097152"), ("3", "700"), ("2", "4096")] {
        let (code, doc) = verify(&["--threads", threads, "--buffer-size", buffer, p]);
        assert_eq!((code, breaks(&doc)), (0, vec![]), "{threads} {buffer}");
        // counts are of lines, as a seal's are
        assert_eq!(doc["entries"], lines.len() as u64);
        assert_eq!(doc["verified"], lines.len() as u64);
        assert_eq!(doc["files"][0]["verified_by"], "chain");
    }
    let r = run(["check", "--max", "chain_breaks=0", "-q", "--format", "json", p]);
    assert_eq!((r.code, r.json()["rules"][0]["observed"].as_f64()), (0, Some(0.0)), "{}", r.stderr);
    // as written, no line is an entry: Docker's records are JSON without
    // integrity fields, every other line is not JSON
    let (code, doc) = verify(&["--envelope", "none", p]);
    assert_eq!(code, 1);
    let not_json = lines.iter().filter(|l| l[0] != b'{').count();
    let docker = (lines.len() - not_json) as u64;
    assert_eq!(breaks(&doc).len(), not_json);
    assert!(breaks(&doc).iter().all(|(_, kind)| kind == "malformed"));
    assert_eq!((doc["verified"].as_u64(), doc["unsealed"].as_u64()), (Some(0), Some(docker)));

    // one entry of each envelope edited inside it: a checksum mismatch at its first line
    let mut damaged = lines.clone();
    let mut want = Vec::new();
    for &(first, k) in &starts[300..306] {
        let pieces = enveloped(&edit(&entries[k]), k % 6);
        let at = first as usize - 1;
        damaged.splice(at..at + pieces.len(), pieces);
        want.push((Some(first), "checksum_mismatch".to_owned()));
    }
    let d = write(dir.path(), "edited.log", &damaged);
    for buffer in ["2097152", "700"] {
        let (code, doc) = verify(&["--buffer-size", buffer, d.to_str().unwrap()]);
        assert_eq!((code, breaks(&doc)), (1, want.clone()), "buffer {buffer}");
    }

    // bare entries, then the same chain in envelopes: an edit past the
    // first envelope is found at its line, in one chunk or several
    let mut mixed: Vec<Vec<u8>> = entries[..20].to_vec();
    let mut edited_at = 0;
    for (k, e) in entries.iter().enumerate().take(60).skip(20) {
        if k == 50 {
            edited_at = mixed.len() as u64 + 1;
            mixed.extend(enveloped(&edit(e), k % 6));
        } else {
            mixed.extend(enveloped(e, k % 6));
        }
    }
    let d = write(dir.path(), "mixed.log", &mixed);
    for buffer in ["2097152", "900"] {
        let (code, doc) = verify(&["--buffer-size", buffer, d.to_str().unwrap()]);
        assert_eq!((code, breaks(&doc)), (1, vec![(Some(edited_at), "checksum_mismatch".into())]), "buffer {buffer}");
    }

    // the middle piece of a split CRI record lost: that entry is not JSON,
    // and the next one does not link to the entry before it
    let (first, k) = starts[151];
    assert_eq!(k % 6, 1);
    let mut lost = lines.clone();
    lost.remove(first as usize);
    let d = write(dir.path(), "lost.log", &lost);
    let (code, doc) = verify(&[d.to_str().unwrap()]);
    assert_eq!(code, 1);
    let next = starts[152].0 - 1;
    assert_eq!(breaks(&doc), [(Some(first), "malformed".into()), (Some(next), "chain_break".into())]);

    // a split record's last piece never came (the file cut there)
    let d = write(dir.path(), "cut.log", &lines[..first as usize + 1]);
    let r = run(["verify", "--format", "json", d.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    let last = doc["breaks"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["line"].as_u64(), last["kind"].as_str()), (Some(first), Some("malformed")));
    assert!(last["detail"].as_str().unwrap().contains("last piece is missing"), "{last}");
}

/// A container log without integrity fields: only its lines that are not
/// JSON are malformed (the container's own chatter), not every line; with
/// an intact seal, lines appended after it are an unsealed tail, not
/// breaks; an entry without integrity inside a chained container log is
/// found over all the lines of its split record.
#[test]
fn container_logs_are_checked_by_their_entries_sealed_or_not() {
    let plain = plain_log(400, 62);
    let chatter = b"2026-11-20T07:59:58.000000001Z stderr F INFO:     Uvicorn running on http://0.0.0.0:6566".to_vec();
    let mut lines = vec![chatter.clone()];
    for (k, e) in plain.iter().enumerate() {
        lines.extend(enveloped(e, k % 4));
    }
    let s = Sealed::new(&[("audit.log", lines.clone())], "100");
    let f = s.files[0].to_str().unwrap().to_owned();
    // unsealed: nothing vouches, and only the chatter line is malformed
    let (code, doc) = verify(&["--allow-unverified", &f]);
    assert_eq!(code, 1);
    assert_eq!(breaks(&doc), [(Some(1), "malformed".into())]);
    assert_eq!(doc["unsealed"], lines.len() as u64 - 1);
    // the same lines are what the reports count
    let sum = summary(["-q", f.as_str()]);
    assert_eq!((sum["events"].as_u64(), sum["malformed"].as_u64()), (Some(400), Some(1)));
    // sealed: intact; three records appended after the seal are its unsealed tail
    let mut more = lines.clone();
    more.extend(plain_log(3, 63).iter().flat_map(|e| enveloped(e, 1)));
    write(s.dir.path(), "audit.log", &more);
    let (code, doc) = s.verify(&[&s.files[0]]);
    assert_eq!((code, breaks(&doc)), (0, vec![]), "{doc}");
    assert_eq!(doc["verified"], lines.len() as u64);
    assert_eq!(doc["unsealed"], 9);

    // a chained log in CRI records, an entry stripped of its integrity
    // slipped in as a record split over three lines
    let chained = chained_log(40, 64);
    let mut stripped: Value = serde_json::from_slice(&chained[20]).unwrap();
    stripped.as_object_mut().unwrap().remove("integrity");
    let mut lines: Vec<Vec<u8>> = chained[..21].iter().flat_map(|e| enveloped(e, 0)).collect();
    let at = lines.len() as u64 + 1;
    lines.extend(enveloped(&serde_json::to_vec(&stripped).unwrap(), 1));
    lines.extend(chained[21..].iter().flat_map(|e| enveloped(e, 0)));
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "mixed.log", &lines);
    let r = run(["verify", "--format", "json", p.to_str().unwrap()]);
    let doc = r.json();
    assert_eq!(breaks(&doc), [(Some(at), "missing_integrity".into())]);
    let detail = doc["breaks"][0]["detail"].as_str().unwrap();
    assert!(detail.starts_with(&format!("lines {at}–{}:", at + 2)), "{detail}");
}

/// Damage to a chain (entries edited, cut short, stripped of integrity,
/// deleted or swapped) is found alike in the bare log and in the same log
/// with each entry in any envelope, at any threads and chunking: the same
/// kinds, each at the first line of the same entry.
mod enveloped_chains {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Damage {
        Edit(usize),
        Cut(usize),
        Strip(usize),
        Delete(usize),
        Swap(usize),
    }

    fn damage() -> impl Strategy<Value = Damage> {
        prop_oneof![
            (0usize..1000).prop_map(Damage::Edit),
            (0usize..1000).prop_map(Damage::Cut),
            (0usize..1000).prop_map(Damage::Strip),
            (0usize..1000).prop_map(Damage::Delete),
            (0usize..1000).prop_map(Damage::Swap),
        ]
    }

    fn apply(entries: &mut Vec<Vec<u8>>, d: &Damage) {
        let n = entries.len();
        match *d {
            Damage::Edit(k) => entries[k % n] = edit(&entries[k % n]),
            Damage::Cut(k) => entries[k % n].truncate(40),
            Damage::Strip(k) => {
                if let Ok(mut v) = serde_json::from_slice::<Value>(&entries[k % n]) {
                    v.as_object_mut().unwrap().remove("integrity");
                    entries[k % n] = serde_json::to_vec(&v).unwrap();
                }
            }
            Damage::Delete(k) if n > 1 => drop(entries.remove(k % n)),
            Damage::Swap(k) if n > 1 => entries.swap(k % (n - 1), k % (n - 1) + 1),
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn damage_is_found_alike_with_and_without_envelopes(
            seed in 0u64..1000, events in 1usize..300, damages in proptest::collection::vec(damage(), 0..4),
            kinds in proptest::collection::vec(0usize..7, 1..20), run in 1usize..40,
            buffer in 300usize..5000, threads in 1usize..4,
        ) {
            let mut entries = chained_log(events, seed);
            for d in &damages {
                apply(&mut entries, d);
            }
            let mut lines = Vec::new();
            let mut first_line = Vec::new();
            for (k, e) in entries.iter().enumerate() {
                first_line.push(lines.len() as u64 + 1);
                // envelopes in runs: bare lines start chunks before enveloped ones
                lines.extend(enveloped(e, kinds[(k / run) % kinds.len()]));
            }
            let dir = tempfile::tempdir().unwrap();
            let bare = write(dir.path(), "bare.jsonl", &entries);
            let wrapped = write(dir.path(), "wrapped.log", &lines);
            let (b, t) = (buffer.to_string(), threads.to_string());
            let (bare_code, bare_doc) = verify(&["--threads", &t, "--buffer-size", &b, bare.to_str().unwrap()]);
            let (code, doc) = verify(&["--threads", &t, "--buffer-size", &b, wrapped.to_str().unwrap()]);
            let want: Vec<(Option<u64>, String)> = breaks(&bare_doc)
                .into_iter()
                .map(|(line, kind)| (line.map(|l| first_line[l as usize - 1]), kind))
                .collect();
            prop_assert_eq!(code, bare_code);
            prop_assert_eq!(breaks(&doc), want);
            prop_assert_eq!(&doc["entries"], &Value::from(lines.len()));
        }
    }
}

/// At 80 columns, the files of a deep directory (a node's pod logs) are
/// told apart in `verify`'s tables: a path cut to fit keeps its end.
#[test]
fn paths_cut_to_fit_keep_the_names_that_tell_files_apart() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("var/log/pods/feature-store_feast-server-7d9f8c6b5-x2k4q_0a1b2c3d/feast");
    std::fs::create_dir_all(&deep).unwrap();
    let chatter = b"2026-11-20T07:59:58.000000001Z stderr F INFO:     Started server process [1]".to_vec();
    for name in ["0.log", "1.log"] {
        let mut lines = vec![chatter.clone()];
        lines.extend(plain_log(5, 65).iter().flat_map(|e| enveloped(e, 0)));
        write(&deep, name, &lines);
    }
    let out = std::process::Command::new(bin()).args(["verify", deep.to_str().unwrap()]).env("COLUMNS", "80").output();
    let text = String::from_utf8(out.unwrap().stdout).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    for name in ["/0.log", "/1.log"] {
        // a break row and a file row each
        assert_eq!(text.matches(&format!("{name} ┆")).count(), 2, "{name}:\n{text}");
    }
}

/// A pod's log rotated by the kubelet (`0.log.20261120-091500`, older ones
/// gzipped, then `0.log`), a chain inside its CRI records: the directory
/// is one chain in the order of its times, and sealed whole it links in
/// that order too.
#[test]
fn a_pod_log_rotated_by_the_kubelet_is_one_chain_oldest_first() {
    let entries = chained_log(90, 66);
    let dir = tempfile::tempdir().unwrap();
    let pod = dir.path().join("feast");
    std::fs::create_dir(&pod).unwrap();
    let cri = |part: &[Vec<u8>]| -> Vec<Vec<u8>> { part.iter().flat_map(|e| enveloped(e, 0)).collect() };
    write(&pod, "0.log", &cri(&entries[60..]));
    write(&pod, "0.log.20261120-101500", &cri(&entries[30..60]));
    write(&pod, "0.log.20261119-235959", &cri(&entries[..30]));
    let older = pod.join("0.log.20261119-235959");
    let gz = std::process::Command::new("gzip").arg(&older).status().unwrap();
    assert!(gz.success());
    let (code, doc) = verify(&[pod.to_str().unwrap()]);
    assert_eq!((code, breaks(&doc)), (0, vec![]), "{doc}");
    let files: Vec<&str> = doc["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    let names: Vec<&str> = files.iter().map(|p| p.rsplit('/').next().unwrap()).collect();
    assert_eq!(names, ["0.log.20261119-235959.gz", "0.log.20261120-101500", "0.log"]);
    assert_eq!(doc["verified"], 90);
    // sealed as a directory: the manifests link oldest first
    let key = dir.path().join("ops");
    assert_eq!(run(["keygen", "--out", key.to_str().unwrap()]).code, 0);
    let r = run(["seal", "--key", &format!("{}.key", key.display()), pod.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(["verify", "--format", "json", "--pubkey", &format!("{}.pub", key.display()), pod.to_str().unwrap()]);
    assert_eq!((r.code, breaks(&r.json())), (0, vec![]), "{}", r.stderr);
    assert_eq!(r.json()["files"][2]["verified_by"], "chain+seal");
    // at 60 columns, `summary`'s inputs keep the ends that tell them apart
    let out = std::process::Command::new(bin()).args(["summary", pod.to_str().unwrap()]).env("COLUMNS", "60").output();
    let text = String::from_utf8(out.unwrap().stdout).unwrap();
    for end in ["-235959.gz ┆", "-101500 ", "/0.log "] {
        assert_eq!(text.matches(end).count(), 1, "{end}:\n{text}");
    }
}

#[test]
fn sealing_again_keeps_the_series_and_never_replaces_evidence() {
    let (old, live) = (plain_log(300, 31), plain_log(300, 32));
    let s = Sealed::new(&[("audit.log-20261119", old.clone()), ("audit.log", live.clone())], "100");
    let dir = s.dir.path();
    let key = format!("{}", dir.join("ops.key").display());
    let seal = |files: &[&Path], more: &[&str]| {
        let mut args = vec!["seal".to_owned(), "--format".into(), "json".into(), "--key".into(), key.clone()];
        args.extend(more.iter().map(|m| m.to_string()));
        args.extend(files.iter().map(|f| f.display().to_string()));
        run(&args)
    };
    let manifests = || {
        let mut m: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".seal.json"))
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect();
        m.sort();
        m
    };
    let statuses = |doc: &Value| -> Vec<String> {
        doc["sealed"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap().to_owned()).collect()
    };
    // sealing the directory again changes nothing: a published digest of
    // the newest manifest stays true
    let before = manifests();
    let r = seal(&[dir], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(statuses(&r.json()), ["unchanged", "unchanged"]);
    assert_eq!(manifests(), before);

    // the live log grows: an unsealed tail, then sealed again in its place
    let mut grown = live.clone();
    grown.extend(plain_log(7, 33));
    write(dir, "audit.log", &grown);
    let (code, doc) = verify(&["--pubkey", &s.pubkey(), dir.to_str().unwrap()]);
    assert_eq!((code, doc["unsealed"].as_u64()), (0, Some(7)));
    let r = seal(&[&s.files[1]], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sealed = &r.json()["sealed"][0];
    assert_eq!((sealed["status"].as_str(), sealed["lines_before"].as_u64()), (Some("extended"), Some(300)));
    assert_eq!((sealed["lines"].as_u64(), sealed["sequence"].as_u64()), (Some(307), Some(2)));
    let (code, doc) = verify(&["--pubkey", &s.pubkey(), "--require-sealed", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!((doc["verified"].as_u64(), doc["unsealed"].as_u64()), (Some(607), Some(0)));
    assert_eq!(doc["breaks"], Value::Array(vec![]));

    // the rotated file is compressed the next day (logrotate's
    // delaycompress): its manifest, sealed before, still vouches for it
    let gz = dir.join("audit.log-20261119.gz");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut e, &std::fs::read(&s.files[0]).unwrap()).unwrap();
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    std::fs::remove_file(&s.files[0]).unwrap();
    let (code, doc) = verify(&["--pubkey", &s.pubkey(), dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["files"][0]["path"], gz.display().to_string());
    assert_eq!(
        (doc["files"][0]["verified"].as_u64(), doc["files"][0]["verified_by"].as_str()),
        (Some(300), Some("seal"))
    );
    let before = manifests();
    let r = seal(&[dir], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(statuses(&r.json()), ["unchanged", "unchanged"]);
    assert_eq!(manifests(), before);
    // the same content under another checkpoint interval: sealed anew in
    // place, with the files after it (alone, it would unlink the next one)
    let r = seal(&[&gz], &["--checkpoint-every", "50"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("would break the link of") && r.stderr.contains("audit.log.seal.json"), "{}", r.stderr);
    assert_eq!(manifests(), before);
    let r = seal(&[dir], &["--checkpoint-every", "50"]);
    assert_eq!(statuses(&r.json()), ["resealed", "resealed"]);
    assert_eq!(r.json()["sealed"][1]["sequence"], 2);
    let (code, doc) = verify(&["--pubkey", &s.pubkey(), dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["verified"], 607);

    // a line changed after sealing: the manifest is evidence and stays
    let mut changed = grown.clone();
    changed[149] = plain_log(1, 34).remove(0);
    write(dir, "audit.log", &changed);
    let before = manifests();
    let r = seal(&[&s.files[1]], &[]);
    assert_eq!(r.code, 2, "{}", r.text());
    assert!(r.stderr.contains("no longer matches") && r.stderr.contains("line 101"), "{}", r.stderr);
    assert_eq!(manifests(), before);
    let (code, doc) = verify(&["--pubkey", &s.pubkey(), dir.to_str().unwrap()]);
    assert_eq!((code, breaks(&doc)), (1, vec![(Some(101), "changed".to_owned())]));

    // a manifest signed for another file is not replaced either
    let copy = write(dir, "copy.log", &old);
    std::fs::copy(dir.join("audit.log.seal.json"), dir.join("copy.log.seal.json")).unwrap();
    let r = seal(&[&copy], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("signed for a file named 'audit.log', not 'copy.log'"), "{}", r.stderr);

    // numbered rotation renames the files under their manifests: sealing
    // the newly rotated file would have overwritten the manifest of the
    // file now one number up
    let s = Sealed::new(&[("audit.log.1", old.clone()), ("audit.log", live.clone())], "100");
    let dir = s.dir.path();
    std::fs::rename(dir.join("audit.log.1"), dir.join("audit.log.2")).unwrap();
    std::fs::rename(dir.join("audit.log"), dir.join("audit.log.1")).unwrap();
    write(dir, "audit.log", &plain_log(5, 35));
    let before = std::fs::read(dir.join("audit.log.1.seal.json")).unwrap();
    let r = run([
        "seal",
        "--key",
        &format!("{}", dir.join("ops.key").display()),
        dir.join("audit.log.1").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("audit.log.2 too (or the directory)"), "{}", r.stderr);
    assert_eq!(std::fs::read(dir.join("audit.log.1.seal.json")).unwrap(), before);
}

/// logrotate's numbered rotation: `audit.log.1` becomes `audit.log.2`,
/// `audit.log` becomes `audit.log.1` (grown since it was sealed), a new
/// `audit.log` starts, and at `rotate 2` the oldest file is deleted.
#[test]
fn a_numbered_rotation_leaves_no_file_without_its_manifest() {
    let (old, live, later) = (plain_log(300, 61), plain_log(300, 62), plain_log(7, 63));
    let s = Sealed::new(&[("audit.log.1", old.clone()), ("audit.log", live.clone())], "100");
    let dir = s.dir.path();
    let d = dir.to_str().unwrap().to_owned();
    let key = s.pubkey();
    let bytes = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let first_manifest = bytes("audit.log.1.seal.json");
    let rotate = |new: &[Vec<u8>], keep: usize| {
        if keep == 2 {
            std::fs::remove_file(dir.join("audit.log.2")).unwrap();
        }
        std::fs::rename(dir.join("audit.log.1"), dir.join("audit.log.2")).unwrap();
        std::fs::rename(dir.join("audit.log"), dir.join("audit.log.1")).unwrap();
        write(dir, "audit.log", new);
    };
    let mut grown = live.clone();
    grown.extend(later.clone());
    write(dir, "audit.log", &grown);
    rotate(&plain_log(5, 64), 3);

    // before sealing again: each renamed file is checked against the
    // manifest of its name before, the new file is not sealed yet
    let (code, doc) = verify(&["--pubkey", &key, &d]);
    assert_eq!((code, doc["status"].as_str()), (1, Some("unverified")), "{doc:#}");
    assert_eq!(doc["breaks"], Value::Array(vec![]));
    let files = doc["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(names, ["audit.log.2", "audit.log.1", "audit.log"]);
    let row = |f: &Value| {
        (
            f["verified"].as_u64(),
            f["unsealed"].as_u64(),
            f["sealed_as"].as_str().map(str::to_owned),
            f["manifest"].as_str().map(|m| m.rsplit('/').next().unwrap().to_owned()),
            f["status"].as_str().map(str::to_owned),
        )
    };
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        row(&files[0]),
        (Some(300), Some(0), some("audit.log.1"), some("audit.log.1.seal.json"), some("intact"))
    );
    assert_eq!(
        row(&files[1]),
        (Some(300), Some(later.len() as u64), some("audit.log"), some("audit.log.seal.json"), some("intact"))
    );
    assert_eq!(row(&files[2]), (Some(0), Some(5), None, None, some("unverified")));
    let tails: Vec<(u64, u64)> = doc["unsealed_tails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["first_line"].as_u64().unwrap(), t["lines"].as_u64().unwrap()))
        .collect();
    assert_eq!(tails, [(301, later.len() as u64), (1, 5)]);
    assert_eq!(verify(&["--pubkey", &key, "--allow-unverified", &d]).0, 0);
    let text = run(["verify", "--pubkey", &key, &d]).text();
    assert!(text.contains("audit.log.2: sealed as audit.log.1 (renamed by rotation since), checked against"), "{text}");
    let (code, doc) = verify(&["--pubkey", &key, "--require-sealed", &d]);
    assert_eq!((code, breaks(&doc)), (1, vec![(Some(301), "unsealed_tail".into()), (Some(1), "unsealed_tail".into())]));
    // damage in a renamed file is found in its range, as under its own name
    let mut damaged = old.clone();
    damaged[149] = edit(&damaged[149]);
    write(dir, "audit.log.2", &damaged);
    let (code, doc) = verify(&["--pubkey", &key, &d]);
    assert_eq!((code, breaks(&doc)), (1, vec![(Some(101), "changed".into())]));
    // a file whose first lines were changed is paired with no manifest,
    // and its manifest, left under the next file's name, is evidence:
    // sealing the directory is refused and writes nothing
    let mut damaged = old.clone();
    damaged[0] = edit(&damaged[0]);
    write(dir, "audit.log.2", &damaged);
    let manifests = || {
        let mut m: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".seal.json"))
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect();
        m.sort();
        m
    };
    let before = manifests();
    let seal = || run(["seal", "--format", "json", "--key", &format!("{}", dir.join("ops.key").display()), &d]);
    let r = seal();
    assert_eq!(r.code, 2, "{}", r.text());
    assert!(r.stderr.contains("kept as evidence"), "{}", r.stderr);
    assert_eq!(manifests(), before);
    let (code, doc) = verify(&["--pubkey", &key, &d]);
    assert_eq!((code, doc["files"][0]["status"].as_str()), (1, Some("broken")));
    write(dir, "audit.log.2", &old);

    // sealing the directory moves each manifest with its file, extends the
    // grown one in its place of the series, and seals the new file after it
    let r = seal();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    let sealed: Vec<(String, u64, Option<String>)> = doc["sealed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let from = s["moved_from"].as_str().map(|m| m.rsplit('/').next().unwrap().to_owned());
            (s["status"].as_str().unwrap().to_owned(), s["sequence"].as_u64().unwrap(), from)
        })
        .collect();
    assert_eq!(
        sealed,
        [
            ("moved".into(), 1, some("audit.log.1.seal.json")),
            ("extended".into(), 2, some("audit.log.seal.json")),
            ("sealed".into(), 3, None)
        ]
    );
    assert_eq!(bytes("audit.log.2.seal.json"), first_manifest, "moved as it was: its digest stays true");
    let (code, doc) = verify(&["--pubkey", &key, "--require-sealed", &d]);
    assert_eq!(code, 0, "{doc:#}");
    // the old name stays in JSON; the table names only manifests not moved yet
    assert_eq!(doc["files"][0]["sealed_as"], "audit.log.1");
    let text = run(["verify", "--pubkey", &key, &d]).text();
    assert!(text.starts_with("INTACT") && !text.contains("sealed as"), "{text}");
    assert_eq!(doc["verified"].as_u64(), Some(300 + grown.len() as u64 + 5));

    // `rotate 2`: the oldest file is deleted, and its manifest, which the
    // next one links to, is replaced by the manifest moved onto its name
    let gone = fsaudit_sha256(&dir.join("audit.log.2.seal.json"));
    rotate(&plain_log(3, 65), 2);
    let r = seal();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    let statuses: Vec<&str> = doc["sealed"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["moved", "moved", "sealed"]);
    let (code, doc) = verify(&["--pubkey", &key, &d]);
    assert_eq!((code, breaks(&doc)), (1, vec![(None, "series_gap_start".into())]));
    assert_eq!(verify(&["--pubkey", &key, "--after", &gone, &d]).0, 0);
}

/// `seal DIR` from logrotate's `postrotate`: the new live file is sealed
/// while still empty, so its manifest has no first lines to match; after
/// the next rotation it is paired by its link to the manifest before it.
#[test]
fn an_empty_live_file_sealed_after_a_rotation_keeps_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_owned();
    let key = dir.path().join("ops");
    assert_eq!(run(["keygen", "--out", key.to_str().unwrap()]).code, 0);
    let (private, public) = (format!("{}.key", key.display()), format!("{}.pub", key.display()));
    let seal = || {
        let r = run(["seal", "--format", "json", "--key", &private, &d]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()["sealed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["status"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let rotate = || {
        if dir.path().join("audit.log.1").exists() {
            std::fs::rename(dir.path().join("audit.log.1"), dir.path().join("audit.log.2")).unwrap();
        }
        std::fs::rename(dir.path().join("audit.log"), dir.path().join("audit.log.1")).unwrap();
        write(dir.path(), "audit.log", &[]);
    };
    let (first, second) = (plain_log(250, 71), plain_log(40, 72));
    write(dir.path(), "audit.log", &first);
    assert_eq!(seal(), ["sealed"]);
    rotate();
    assert_eq!(seal(), ["moved", "sealed"]);
    // the live file fills, then is rotated in its turn
    write(dir.path(), "audit.log", &second);
    rotate();
    let (code, doc) = verify(&["--pubkey", &public, &d]);
    assert_eq!(doc["breaks"], Value::Array(vec![]), "{doc:#}");
    assert_eq!((code, doc["verified"].as_u64(), doc["unsealed"].as_u64()), (1, Some(250), Some(40)));
    assert_eq!(doc["files"][1]["sealed_as"], "audit.log");
    assert_eq!(seal(), ["moved", "extended", "sealed"]);
    let (code, doc) = verify(&["--pubkey", &public, "--require-sealed", &d]);
    assert_eq!((code, doc["verified"].as_u64()), (0, Some(290)), "{doc:#}");
    assert_eq!(doc["files"][2]["status"], "intact");
}
