//! The command line as a user meets it: flags that mean nothing to a
//! command are refused, `users --sort` orders as asked, Ctrl-C stops a run
//! that waits on its input, and messages on stderr are safe to print.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use common::*;
use fsaudit::event::OutcomeClass;
use fsaudit::testgen::Shape;

#[test]
fn a_flag_that_means_nothing_to_a_command_is_refused() {
    let log = testdata("feast.jsonl");
    let log = log.to_str().unwrap();
    let refused: &[&[&str]] = &[
        &["verify", "--top", "3", log],
        &["verify", "--user", "alice", log],
        &["verify", "--sensitive", "credit_*", log],
        &["seal", "--key", "k.key", "--since", "24h", log],
        &["seal", "--key", "k.key", "--threads", "2", log],
        &["keygen", "--out", "k", "--user", "alice"],
        &["keygen", "--out", "k", "--format", "csv"],
        &["filter", "--sensitive", "credit_*", log],
        &["filter", "--memory-limit", "1G", log],
        &["filter", "--top", "3", log],
        &["redact", "--format", "json", log],
        &["redact", "--top", "3", log],
        &["timeline", "--top", "3", log],
        &["summary", "--sensitive", "credit_*", log],
        &["summary", "--sort", "events", log],
        &["summary", "--format", "junit", log],
        &["group", "--by", "endpoint", "--sensitive", "x", log],
        &["anomalies", "--sort", "risk", log],
        &["completions", "bash", "--format", "json"],
        &["completions", "bash", "--threads", "2"],
    ];
    for args in refused {
        let r = run(*args);
        assert_eq!(r.code, 2, "{args:?} must be refused: {}", r.stderr);
        assert!(
            ["unexpected argument", "invalid value", "required arguments"].iter().any(|m| r.stderr.contains(m)),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?} printed something");
    }
    // the options every command takes, before or after its name
    for args in
        [&["-q", "summary", log][..], &["summary", "-q", "--color", "never", log], &["--color", "never", "views", log]]
    {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    // a command's own --format values are listed in its help
    let help = String::from_utf8(run(["check", "--help"]).stdout).unwrap();
    assert!(help.contains("junit") && help.contains("github"), "{help}");
    let help = String::from_utf8(run(["verify", "--help"]).stdout).unwrap();
    assert!(!help.contains("--user") && !help.contains("--top"), "{help}");
}

/// Per principal: (events, denied, error), counted from the generator's facts.
fn facts(events: &[fsaudit::testgen::GenEvent]) -> BTreeMap<String, (u64, u64, u64)> {
    let mut by: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    for e in events {
        let c = by.entry(principal_of(e).to_owned()).or_default();
        c.0 += 1;
        c.1 += u64::from(e.class == OutcomeClass::Denied);
        c.2 += u64::from(e.class == OutcomeClass::Error);
    }
    by
}

#[test]
fn users_sort_orders_by_the_column_asked_for() {
    let g = generate(Shape::Feast, 6000, 31, 0);
    let (_d, path) = temp_file("u.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let by = facts(&g.events);
    let rows = |args: &[&str], limit: &str| -> Vec<serde_json::Value> {
        let mut all = vec!["users", "--format", "json", "--memory-limit", limit];
        all.extend_from_slice(args);
        all.push(p);
        let r = run(all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()["principals"].as_array().unwrap().clone()
    };
    for limit in ["64G", "1K"] {
        // denied, most first: the counts of the facts, sorted
        let got = rows(&["--sort", "denied", "--top", "5"], limit);
        let mut want: Vec<u64> = by.values().map(|c| c.1).collect();
        want.sort_unstable_by(|a, b| b.cmp(a));
        let denied: Vec<u64> = got.iter().map(|r| r["denied"].as_u64().unwrap()).collect();
        assert_eq!(denied, want[..5], "--memory-limit {limit}");
        for r in &got {
            let name = r["name"].as_str().unwrap();
            assert_eq!(r["denied"].as_u64(), Some(by[name].1), "{name}");
        }
        // error, fewest first
        let got = rows(&["--sort", "error:asc", "--top", "3"], limit);
        let mut want: Vec<u64> = by.values().map(|c| c.2).collect();
        want.sort_unstable();
        let errors: Vec<u64> = got.iter().map(|r| r["error"].as_u64().unwrap()).collect();
        assert_eq!(errors, want[..3], "--memory-limit {limit}");
        // name: in order, every principal once
        let got = rows(&["--sort", "name"], limit);
        let names: Vec<&str> = got.iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, by.keys().map(String::as_str).collect::<Vec<_>>(), "--memory-limit {limit}");
        let got = rows(&["--sort", "name:desc", "--top", "2"], limit);
        let names: Vec<&str> = got.iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, by.keys().rev().take(2).map(String::as_str).collect::<Vec<_>>());
        // events: the busiest first
        let got = rows(&["--sort", "events", "--top", "1"], limit);
        assert_eq!(got[0]["events"].as_u64(), by.values().map(|c| c.0).max());
    }
    let r = run(["users", "--sort", "bogus", p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--sort: unknown column 'bogus'"), "{}", r.stderr);
    let r = run(["users", "--sort", "denied", p]);
    assert!(String::from_utf8(r.stdout).unwrap().starts_with("Users:"), "a table heading");
}

#[test]
fn ctrl_c_stops_a_run_whose_input_has_gone_quiet() {
    // stdin is a pipe that stays open and sends nothing more: the reader
    // waits in read(2), as it does on a terminal nobody types into
    let line = std::fs::read(testdata("feast.jsonl")).unwrap();
    for cmd in [&["summary"][..], &["filter", "--user", "nobody"], &["check", "--max", "denied=0"]] {
        let mut child = spawn_piped(cmd);
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&line[..line.len() / 2]).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let sent = Instant::now();
        interrupt(&child);
        let deadline = sent + Duration::from_secs(5);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "{cmd:?}: still running 5 s after Ctrl-C");
            std::thread::sleep(Duration::from_millis(10));
        };
        let waited = sent.elapsed();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        assert_eq!(status.code(), Some(130), "{cmd:?}");
        assert!(waited < Duration::from_secs(1), "{cmd:?}: {waited:?} after Ctrl-C");
        assert!(out.stdout.is_empty(), "{cmd:?}: nothing half-printed");
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), "fsaudit: interrupted");
    }
}

#[test]
fn notes_and_errors_on_stderr_escape_what_they_quote() {
    let dir = tempfile::tempdir().unwrap();
    // a file name is as hostile as a user name: whoever writes the directory picks it
    let name = "evil\u{1b}]0;pwned\u{7}.jsonl";
    std::fs::write(dir.path().join(name), "{\"not\": \"an event\"}\n").unwrap();
    std::fs::write(dir.path().join("k.pub"), "not a key").unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [&["summary", d][..], &["filter", d], &["redact", d]] {
        let r = run(args);
        assert!(!r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'), "{args:?}: {:?}", r.stderr);
        assert!(r.stderr.contains("evil\\x1b]0;pwned\\x07.jsonl"), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("note: "), "{args:?}: the sidecar note: {}", r.stderr);
    }
    let missing = dir.path().join("gone\u{1b}[2J.jsonl");
    let r = run(["summary", missing.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains('\u{1b}') && r.stderr.contains("gone\\x1b[2J.jsonl"), "{:?}", r.stderr);
}

#[test]
fn seal_and_verify_print_a_hostile_file_name_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}]0;pwned\u{7}.jsonl";
    let log = dir.path().join(name);
    std::fs::write(&log, "{\"event_type\":\"x\",\"user\":\"a\"}\n").unwrap();
    let key = dir.path().join("k");
    assert_eq!(run(["keygen", "--out", key.to_str().unwrap()]).code, 0);
    let (private, public) = (format!("{}.key", key.display()), format!("{}.pub", key.display()));
    let l = log.to_str().unwrap();
    let escaped = "evil\\x1b]0;pwned\\x07.jsonl";
    // sealed, sealed again unchanged, grown: each line of prose that names the file
    for step in ["sealed", "unchanged", "grown"] {
        if step == "grown" {
            std::fs::write(&log, "{\"event_type\":\"x\",\"user\":\"a\"}\n{\"event_type\":\"y\",\"user\":\"b\"}\n")
                .unwrap();
            let r = run(["verify", "--pubkey", &public, l]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert!(!r.text().contains('\u{1b}') && !r.text().contains('\u{7}'), "{:?}", r.text());
            assert!(r.text().contains(&format!("{escaped}: 1 line was appended")), "{}", r.text());
            assert!(r.text().contains(&format!("{escaped}.seal.json (#1), sha256")), "{}", r.text());
        }
        let r = run(["seal", "--key", &private, l]);
        assert_eq!(r.code, 0, "{step}: {}", r.stderr);
        assert!(!r.text().contains('\u{1b}') && !r.text().contains('\u{7}'), "{step}: {:?}", r.text());
        assert_eq!(r.text().matches(escaped).count(), 2, "{step}: the file and its manifest: {}", r.text());
    }
}

#[test]
fn filter_reports_malformed_lines_by_file_and_line_like_every_report() {
    let path = testdata("malformed.jsonl");
    let p = path.to_str().unwrap();
    // the lines no JSON reader takes as an object, found here with serde_json
    let bytes = std::fs::read(&path).unwrap();
    let not_objects: Vec<String> = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.trim_ascii().is_empty())
        .filter(|(_, l)| serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(l).is_err())
        .map(|(i, _)| format!("{p}:{}:", i + 1))
        .collect();
    assert!(!not_objects.is_empty());
    let places = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| l.starts_with(p))
            .map(|l| l.split_inclusive(':').take(2).collect::<String>())
            .collect()
    };
    let summary = run(["summary", p]);
    for args in [&["filter", p][..], &["filter", "--count", p], &["filter", "--format", "csv", p]] {
        let r = run(args);
        assert_eq!(places(&r.stderr), places(&summary.stderr), "{args:?}: {}", r.stderr);
        // the first five are shown: each line before the last one shown is there
        let shown = places(&r.stderr);
        let line_of = |place: &str| place.trim_end_matches(':').rsplit(':').next().unwrap().parse::<u64>().unwrap();
        let last = shown.last().map(|s| line_of(s)).unwrap();
        for place in not_objects.iter().filter(|p| line_of(p) <= last) {
            assert!(r.stderr.contains(place.as_str()), "{args:?}: {place} missing from {}", r.stderr);
        }
        assert!(run([&["-q"][..], args].concat()).stderr.is_empty(), "{args:?} -q");
    }
}
