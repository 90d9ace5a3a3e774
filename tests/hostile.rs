//! One line written by whoever fsaudit must not trust: it may not crash a
//! run, hang it, or turn a failing verdict into a passing one.

mod common;

use common::*;
use serde_json::Value;

fn lines_file(name: &str, lines: &[String]) -> (tempfile::TempDir, std::path::PathBuf) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    temp_file(name, text.as_bytes())
}

/// A generated SOC 2 log with integrity chains, one string a line.
fn chained_lines(events: usize, seed: u64) -> Vec<String> {
    let opts = fsaudit::testgen::GenOptions {
        events,
        shape: fsaudit::testgen::Shape::Soc2,
        seed,
        chain: true,
        ..Default::default()
    };
    let lines = fsaudit::testgen::Generator::new(opts).all().lines;
    lines.into_iter().map(|l| String::from_utf8(l).unwrap()).collect()
}

fn feast(ts: &str, user: &str, status: u16) -> String {
    let outcome = if status < 400 { "success" } else { "failure" };
    format!(
        r#"{{"event_type":"http.request","timestamp":{ts},"principal":{{"username":"{user}"}},"outcome":"{outcome}","duration_ms":3.5,"detail":"POST /get-online-features -> {status}"}}"#
    )
}

#[test]
fn deep_nesting_is_one_malformed_line_in_every_command() {
    let mut lines: Vec<String> = (0..20).map(|i| feast(&format!("\"2026-10-01T00:00:{i:02}Z\""), "a", 200)).collect();
    for open in ["[", "{\"a\":"] {
        let close = if open == "[" { "]" } else { "}" };
        lines.push(format!("{{\"a\":{}1{}}}", open.repeat(20_000), close.repeat(20_000)));
    }
    let (_d, p) = lines_file("deep.jsonl", &lines);
    let p = p.to_str().unwrap();
    for cmd in ["summary", "users", "views", "timeline", "anomalies"] {
        let r = run([cmd, "--format", "json", p]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        assert_eq!(r.json()["malformed"], 2, "{cmd}");
        assert!(r.stderr.contains("nesting deeper than 127"), "{cmd}: {}", r.stderr);
    }
    let r = run(["check", "--format", "json", "--max", "malformed=0", p]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["rules"][0]["observed"], 2.0);
    let r = run(["filter", "--count", p]);
    assert_eq!((r.code, r.text().trim()), (0, "20"));
    let r = run(["redact", p]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("2 malformed lines dropped"), "{}", r.stderr);
    let r = run(["verify", "--format", "json", p]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn non_ascii_integrity_fields_do_not_panic() {
    let line = r#"{"who":{"userId":"u"},"what":{"action":"read"},"timestamp":"2026-10-01T00:00:00Z","integrity":{"checksum":"a€€€€€€€€€€€€€","previousLogHash":"b€€€€€€€€€€€€€"}}"#;
    let (_d, p) = temp_file("euro.jsonl", format!("{line}\n{line}\n").as_bytes());
    let r = run(["verify", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.json()["breaks"].as_array().unwrap().is_empty());
    let r = run(["check", "-q", "--max", "chain_breaks=0", p.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn times_outside_1970_to_2199_are_malformed_and_cannot_flip_a_gate() {
    // 50 denials of one principal in one day fail a per-day rule…
    let mut lines: Vec<String> =
        (0..50).map(|i| feast(&format!("\"2026-10-01T01:{i:02}:00Z\""), "mallory", 403)).collect();
    let (_d, p) = lines_file("denials.jsonl", &lines);
    let rule = "[[rule]]\nname = \"denials\"\nmetric = \"denied\"\nmax = 9\nper = \"1d\"\neach = \"principal\"\n";
    let (_r, rules) = temp_file("r.toml", rule.as_bytes());
    let rules = rules.to_str().unwrap();
    assert_eq!(run(["check", "-q", "--rules", rules, p.to_str().unwrap()]).code, 1);
    // …and still fail with a line from far in the past, the far future, or 1e300 added
    for ts in ["-1e22", "1e300", "\"9999-12-31T00:00:00Z\"", "\"1969-12-31T23:59:59Z\""] {
        lines.push(feast(ts, "mallory", 403));
        let (_e, q) = lines_file("more.jsonl", &lines);
        let q = q.to_str().unwrap();
        let r = run(["check", "--format", "json", "--rules", rules, q]);
        assert_eq!(r.code, 1, "{ts}: {}", r.stderr);
        assert_eq!(r.json()["rules"][0]["observed"], 50.0, "{ts}");
        assert!(r.stderr.contains("out of range (times from 1970 to 2199 are accepted)"), "{ts}: {}", r.stderr);
        let r = run(["timeline", "--format", "json", q]);
        assert_eq!(r.code, 0);
        assert_eq!(
            r.json()["buckets"].as_array().unwrap().iter().map(|b| b["events"].as_u64().unwrap()).sum::<u64>(),
            50
        );
        lines.pop();
    }
}

#[test]
fn bucket_counts_are_bounded() {
    let lines = [feast("\"1975-01-01T00:00:00Z\"", "a", 200), feast("\"2190-01-01T00:00:00Z\"", "a", 200)];
    let (_d, p) = lines_file("span.jsonl", &lines);
    let p = p.to_str().unwrap();
    // automatic buckets grow coarse enough
    let r = run(["timeline", "--format", "json", p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert!(doc["buckets"].as_array().unwrap().len() <= 200, "{}", doc["bucket"]);
    // an explicit size that would make millions of buckets is an error
    let r = run(["timeline", "--bucket", "1m", p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than 100,000"), "{}", r.stderr);
    let rule = "[[rule]]\nname = \"busy\"\nmetric = \"events\"\nmin = 1\nper = \"1h\"\n";
    let (_r, rules) = temp_file("r.toml", rule.as_bytes());
    let r = run(["check", "--rules", rules.to_str().unwrap(), p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than 100,000"), "{}", r.stderr);
}

#[test]
fn absurd_threads_are_capped_and_an_empty_directory_is_an_error() {
    let p = testdata("feast.jsonl");
    let start = std::time::Instant::now();
    let r = run(["summary", "--threads", "100000", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("more than 4 per core"), "{}", r.stderr);
    assert!(start.elapsed().as_secs() < 10);
    let dir = tempfile::tempdir().unwrap();
    let r = run(["summary", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no input files"), "{}", r.stderr);
}

#[test]
fn a_duplicate_key_in_a_chained_entry_is_a_break() {
    let mut lines = chained_lines(20, 4);
    // a second `result` written before the real one: the checksum (JCS keeps the last) still matches
    let v: Value = serde_json::from_str(&lines[5]).unwrap();
    assert!(v.get("result").is_some());
    lines[5] = lines[5].replacen('{', r#"{"result":{"statusCode":200,"success":true},"#, 1);
    let (_d, p) = lines_file("dup.jsonl", &lines);
    let r = run(["verify", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let b = &r.json()["breaks"][0];
    assert_eq!((b["line"].as_u64(), b["kind"].as_str()), (Some(6), Some("duplicate_key")));
    assert!(b["detail"].as_str().unwrap().contains(r#""result""#));
    let r = run(["check", "-q", "--max", "chain_breaks=0", "--max", "denied=1000", p.to_str().unwrap()]);
    assert_eq!(r.code, 1);
}

#[cfg(unix)]
#[test]
fn keys_are_written_safely_and_manifests_are_public() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // a dangling link where the private key would go is refused, not followed
    std::os::unix::fs::symlink(d.join("elsewhere.pem"), d.join("s.key")).unwrap();
    let r = run(["keygen", "--out", d.join("s").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(!d.join("elsewhere.pem").exists());
    // and so is a link to a victim, even with --force
    std::fs::write(d.join("victim.conf"), "keep me").unwrap();
    std::os::unix::fs::symlink(d.join("victim.conf"), d.join("v.key")).unwrap();
    let r = run(["keygen", "--force", "--out", d.join("v").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(d.join("victim.conf")).unwrap(), "keep me");
    // --force over a world-readable file leaves a private key of mode 0600
    std::fs::write(d.join("k.key"), "old").unwrap();
    std::fs::set_permissions(d.join("k.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = run(["keygen", "--force", "--out", d.join("k").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::metadata(d.join("k.key")).unwrap().permissions().mode() & 0o777, 0o600);
    // a directory is no name for a pair
    let r = run(["keygen", "--out", &format!("{}/", d.display())]);
    assert_eq!(r.code, 2);
    assert!(!d.join(".key").exists());
    // manifests are public
    let log = d.join("a.log");
    std::fs::copy(testdata("feast.jsonl"), &log).unwrap();
    let r = run(["seal", "--key", d.join("k.key").to_str().unwrap(), log.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::metadata(d.join("a.log.seal.json")).unwrap().permissions().mode() & 0o777, 0o644);
    // a FIFO where a manifest should be is refused, not waited on
    let fifo = d.join("b.log.seal.json");
    std::fs::copy(testdata("feast.jsonl"), d.join("b.log")).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let start = std::time::Instant::now();
    let r = run([
        "verify",
        "--format",
        "json",
        "--pubkey",
        d.join("k.pub").to_str().unwrap(),
        d.join("b.log").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.json()["breaks"][0]["kind"], "manifest_invalid");
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn integers_beyond_2_53_in_a_chained_entry_are_not_verified() {
    let mut lines = chained_lines(10, 8);
    // a chain whose entry 4 carries a large integer, hashed as JCS does (the reference serde_jcs)
    let mut v: Value = serde_json::from_str(&lines[3]).unwrap();
    let integrity = v.as_object_mut().unwrap().remove("integrity").unwrap();
    v["amount"] = serde_json::from_str("12345678901234567891").unwrap();
    let checksum = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(serde_jcs::to_vec(&v).unwrap()))
    };
    let mut integrity = integrity;
    integrity["checksum"] = checksum.clone().into();
    v["integrity"] = integrity;
    lines[3] = serde_json::to_string(&v).unwrap();
    let mut next: Value = serde_json::from_str(&lines[4]).unwrap();
    next["integrity"]["previousLogHash"] = checksum.into();
    lines[4] = serde_json::to_string(&next).unwrap();
    let (_d, p) = lines_file("big.jsonl", &lines);
    let r = run(["verify", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = r.json();
    let kinds: Vec<&str> = doc["breaks"].as_array().unwrap().iter().map(|b| b["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"unsafe_number"), "{kinds:?}");
}

#[cfg(unix)]
#[test]
fn an_interrupted_seal_writes_no_manifest() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(run(["keygen", "--out", d.join("k").to_str().unwrap()]).code, 0);
    std::fs::copy(testdata("feast.jsonl"), d.join("a.log")).unwrap();
    let fifo = d.join("b.log");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let child = std::process::Command::new(bin())
        .args(["seal", "--key", d.join("k.key").to_str().unwrap(), d.join("a.log").to_str().unwrap()])
        .arg(&fifo)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // the seal of a.log is made, then b.log is read as it is written
    let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let line = std::fs::read_to_string(testdata("feast.jsonl")).unwrap();
    let first = line.lines().next().unwrap();
    for _ in 0..100 {
        writeln!(w, "{first}").unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    std::thread::sleep(std::time::Duration::from_millis(200));
    for _ in 0..10_000 {
        if writeln!(w, "{first}").is_err() {
            break;
        }
    }
    drop(w);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "no report: {}", String::from_utf8_lossy(&out.stdout));
    assert!(!d.join("a.log.seal.json").exists(), "not even the manifest of the file finished before");
    assert!(!d.join("b.log.seal.json").exists());
}

/// A key written twice anywhere in a line (named by a reader or not, nested,
/// escaped, inside an array) makes the line malformed for every command, and
/// costs its neighbours nothing.
#[test]
fn a_repeated_key_anywhere_is_malformed_for_every_command() {
    let good = |i: usize| feast(&format!("\"2026-10-01T00:00:{i:02}Z\""), "a", 200);
    let denied = feast("\"2026-10-01T00:01:00Z\"", "mallory", 403);
    let repeats = [
        // the success written first hides the denial from a first-wins reader
        denied.replacen("\"outcome\":\"failure\"", "\"outcome\":\"success\",\"outcome\":\"failure\"", 1),
        denied.replacen("\"outcome\"", "\"outc\\u006fme\":\"success\",\"outcome\"", 1),
        denied.replacen("\"principal\":{", "\"principal\":{\"auth_type\":\"x\",\"auth_type\":\"y\",", 1),
        denied.replacen('{', "{\"action\":{\"path\":\"/a\",\"path\":\"/b\"},", 1),
        denied.replacen('{', "{\"x\":[{\"k\":1,\"k\":2}],", 1),
        denied.replacen("\"principal\":{", "\"principal\":{\"roles\":[{\"r\":1,\"r\":2}],", 1),
        denied.replacen("\"outcome\"", "\"outcome\":null,\"outcome\"", 1),
    ];
    let mut lines: Vec<String> = (0..10).map(good).collect();
    lines.extend(repeats.iter().cloned());
    lines.extend((10..20).map(good));
    let (_d, p) = lines_file("repeats.jsonl", &lines);
    let p = p.to_str().unwrap();
    let n = repeats.len() as u64;
    for cmd in ["summary", "users", "views", "timeline", "anomalies"] {
        let r = run([cmd, "--format", "json", p]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        assert_eq!(r.json()["malformed"].as_u64(), Some(n), "{cmd}");
        assert!(r.stderr.contains("duplicate key"), "{cmd}: {}", r.stderr);
    }
    let r = run(["summary", "--format", "json", p]);
    assert_eq!(r.json()["events"], 20);
    assert_eq!(r.json()["outcomes"]["denied"], 0);
    let r = run(["check", "--format", "json", "--max", "malformed=0", p]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["rules"][0]["observed"].as_f64(), Some(n as f64));
    let r = run(["filter", "--count", p]);
    assert_eq!((r.code, r.text().trim()), (0, "20"));
    let r = run(["redact", p]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains(&format!("{n} malformed lines dropped")), "{}", r.stderr);
    assert_eq!(r.text().lines().count(), 20);
    // the same line written once per key is an event
    let r = run_stdin(["summary", "--format", "json", "-"], format!("{denied}\n").as_bytes());
    assert_eq!(r.json()["outcomes"]["denied"], 1);
}
