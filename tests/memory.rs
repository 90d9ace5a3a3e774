//! `--memory-limit`: per-key state past the budget goes to temporary files
//! and is read back partition by partition, with the results of the run in
//! memory.

mod common;

use std::collections::HashSet;
use std::io::Write;

use common::*;

/// Two million principals, as an attacker spraying user names writes them,
/// plus a few the detectors and the risk score have something to say about.
fn spray(dir: &std::path::Path) -> (std::path::PathBuf, usize, HashSet<String>) {
    let path = dir.join("spray.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut lines = 0;
    let mut names = HashSet::new();
    let mut line = |out: &mut std::io::BufWriter<std::fs::File>, user: &str, t: usize, status: &str, ip: &str| {
        writeln!(
            out,
            r#"{{"event_type":"feature_retrieval","user":"{user}","timestamp":"2026-10-01T{:02}:{:02}:{:02}Z","resource":"fv{}","status":"{status}","duration_ms":{}.5,"source_ip":"{ip}"}}"#,
            (t / 3600) % 24,
            (t / 60) % 60,
            t % 60,
            t % 50,
            t % 97
        )
        .unwrap();
        lines += 1;
    };
    for i in 0..2_000_000usize {
        let user = format!("u{i:07}@corp.example");
        let status = if i % 13 == 0 { "denied" } else { "success" };
        line(&mut out, &user, i, status, &format!("10.{}.{}.{}", i % 7, i % 11, i % 13));
        names.insert(user);
    }
    // token brute force from one address, and a principal refused over and over
    for k in 0..40 {
        line(&mut out, "mallory@corp.example", 7200 + k, "unauthenticated", "203.0.113.9");
        line(&mut out, "eve@corp.example", 9000 + k, "denied", "198.51.100.7");
    }
    names.insert("mallory@corp.example".into());
    names.insert("eve@corp.example".into());
    out.flush().unwrap();
    drop(out);
    (path, lines, names)
}

#[test]
fn users_on_two_million_principals_spills_and_gives_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let (path, lines, names) = spray(dir.path());
    let p = path.to_str().unwrap();
    // the budget is far below what two million principals take in memory
    let limited = run(["users", "--format", "csv", "--memory-limit", "64M", p]);
    assert_eq!(limited.code, 0, "{}", limited.stderr);
    assert!(limited.stderr.contains("spilled"), "{}", limited.stderr);
    let unlimited = run(["users", "--format", "csv", "--memory-limit", "64G", p]);
    assert_eq!(unlimited.code, 0, "{}", unlimited.stderr);
    assert!(!unlimited.stderr.contains("spilled"));
    assert!(limited.text() == unlimited.text(), "the spilled run differs from the run in memory");

    // and both are right: one row per principal, every event counted once
    let text = limited.text();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (name, events, score) = (col("name"), col("events"), col("risk_score"));
    let (mut seen, mut total, mut first) = (HashSet::new(), 0usize, None);
    for r in rows.records() {
        let r = r.unwrap();
        assert!(seen.insert(r[name].to_owned()), "{} twice", &r[name]);
        total += r[events].parse::<usize>().unwrap();
        first.get_or_insert_with(|| (r[name].to_owned(), r[score].parse::<u32>().unwrap()));
    }
    assert_eq!(seen, names);
    assert_eq!(total, lines);
    // the riskiest rows are the two the detectors found, in both runs
    let (top, score) = first.unwrap();
    assert!(top == "mallory@corp.example" || top == "eve@corp.example", "{top}");
    assert!(score >= 50, "{score}");

    // --top keeps only the best rows while reading the partitions back
    let top = run(["users", "--format", "json", "--top", "25", "--memory-limit", "64M", p]);
    let doc = top.json();
    assert_eq!(doc["principals_total"].as_u64(), Some(names.len() as u64));
    let kept: Vec<&str> = doc["principals"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    let best: Vec<String> = text.lines().skip(1).take(25).map(|l| l.split(',').next().unwrap().to_owned()).collect();
    assert_eq!(kept, best);
}

/// The other reports that keep state per key give, spilled, what they give
/// in memory: summary (per principal, resource, address, event type),
/// views (per resource, and per principal within it) and anomalies (the
/// detectors' state per principal and per address).
/// Runs `args` under `--memory-limit limit` and with room to spare: the
/// first must spill and the second not, and both must end alike and print
/// the same JSON, which is returned with the exit code.
fn same_when_spilled(args: &[&str], limit: &str) -> (serde_json::Value, i32) {
    // the spill goes to a folder of its own, which must be left empty
    let tmp = tempfile::tempdir().unwrap();
    let with = |l: &str| {
        let mut c = command(args.iter().copied().chain(["--memory-limit", l]));
        finish(c.env("TMPDIR", tmp.path()).output().unwrap())
    };
    let (limited, unlimited) = (with(limit), with("64G"));
    assert!(limited.stderr.contains("spilled"), "{args:?}: {}", limited.stderr);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(left.is_empty(), "{args:?}: the spill left {left:?}");
    assert!(!unlimited.stderr.contains("spilled"), "{args:?}: {}", unlimited.stderr);
    assert_eq!(limited.code, unlimited.code, "{args:?}: {}", limited.stderr);
    let doc = limited.json();
    assert_eq!(doc, unlimited.json(), "{args:?}");
    (doc, limited.code)
}

/// Keys of every kind: 90,000 principals, 120,000 resources, 62,500
/// addresses over 150,000 events of one day, and two bursts the detectors
/// find the next day. Principal `u{i % 90_000}` makes event `i`, whose
/// status is the `i % 5`-th of success, denied, unauthenticated, success, error.
fn keys_file(dir: &std::path::Path) -> (std::path::PathBuf, usize) {
    let path = dir.join("keys.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let n = 150_000usize;
    for i in 0..n {
        // as many resources as principals, so views has keys to spill too
        let status = ["success", "denied", "unauthenticated", "success", "error"][i % 5];
        writeln!(
            out,
            r#"{{"event_type":"e{}","user":"u{}","timestamp":"2026-10-01T{:02}:{:02}:{:02}Z","resource":"fv{}","status":"{status}","duration_ms":{}.25,"source_ip":"10.0.{}.{}"}}"#,
            i % 17,
            i % 90_000,
            (i / 3600) % 24,
            (i / 60) % 60,
            i % 60,
            (i * 7) % 120_000,
            i % 89,
            (i / 250) % 250,
            i % 250
        )
        .unwrap();
    }
    // bursts the detectors find: denials and failed logins in a minute
    for k in 0..40 {
        writeln!(out, r#"{{"event_type":"e0","user":"eve","timestamp":"2026-10-02T00:00:{k:02}Z","resource":"fv{k}","status":"denied","source_ip":"192.0.2.1"}}"#).unwrap();
        writeln!(out, r#"{{"event_type":"e0","user":"u{k}","timestamp":"2026-10-02T01:00:{k:02}Z","status":"unauthenticated","source_ip":"192.0.2.9"}}"#).unwrap();
    }
    out.flush().unwrap();
    drop(out);
    (path, n)
}

#[test]
fn summary_views_anomalies_and_group_spill_to_the_same_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (path, n) = keys_file(dir.path());
    let p = path.to_str().unwrap();
    for cmd in [
        vec!["summary"],
        vec!["views"],
        vec!["anomalies"],
        vec!["views", "--top", "7"],
        vec!["anomalies", "--top", "3"],
        vec!["group", "--by", "principal"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--format", "json", p]);
        assert_eq!(same_when_spilled(&args, "8M").1, 0, "{cmd:?}");
    }
    // and the numbers are the input's
    let doc = run(["summary", "--format", "json", "--memory-limit", "8M", p]).json();
    assert_eq!(doc["events"].as_u64(), Some(n as u64 + 80));
    assert_eq!(doc["distinct"]["principals"].as_u64(), Some(90_001));
    assert_eq!(doc["distinct"]["resources"].as_u64(), Some(120_000));
    let found = run(["anomalies", "--format", "json", "--memory-limit", "8M", p]).json();
    let detectors: HashSet<&str> =
        found["findings"].as_array().unwrap().iter().map(|f| f["detector"].as_str().unwrap()).collect();
    assert!(detectors.contains("denied-burst") && detectors.contains("authn-failures"), "{detectors:?}");
}

#[test]
fn check_spills_its_subjects_and_judges_as_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (path, n) = keys_file(dir.path());
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        r#"
[[rule]]
name = "no denials, each principal each hour"
metric = "denied"
max = 0
per = "1h"
each = "principal"

[[rule]]
name = "hourly p99"
metric = "p99_ms"
max = 80
per = "1h"

[[rule]]
name = "principals"
metric = "principals"
max = 1000

[[rule]]
name = "failure rate each resource"
metric = "failure_rate"
max = 0.5
each = "resource"

[[rule]]
name = "two events from each address"
metric = "events"
min = 2
each = "source_ip"

[[rule]]
name = "no findings"
metric = "findings"
max = 0

[[rule]]
name = "principals per hour"
metric = "principals"
max = 3000
per = "1h"
"#,
    )
    .unwrap();
    let (p, r) = (path.to_str().unwrap(), rules.to_str().unwrap());
    // a rule of critical findings alone keeps failures only (and spills them)
    let critical = dir.path().join("critical.toml");
    std::fs::write(&critical, "[[rule]]\nname = \"c\"\nmetric = \"findings\"\nseverity = \"critical\"\nmax = 0\n")
        .unwrap();
    let (doc, code) = same_when_spilled(&["check", "--format", "json", "--rules", critical.to_str().unwrap(), p], "8M");
    assert_eq!(code, 1);
    let found = run(["anomalies", "--format", "json", p]).json();
    let critical = found["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "critical").count();
    assert!(critical > 0);
    assert_eq!(doc["rules"][0]["observed"].as_f64(), Some(critical as f64));
    let (doc, code) = same_when_spilled(&["check", "--format", "json", "--rules", r, p], "8M");
    assert_eq!(code, 1);
    // the failures of the first rule are the (hour, principal) pairs with a denial
    let mut pairs: HashSet<(usize, usize)> =
        (0..n).filter(|i| i % 5 == 1).map(|i| ((i / 3600) % 24, i % 90_000)).collect();
    pairs.insert((24, usize::MAX)); // eve's burst, the next day
    let first = &doc["rules"][0];
    assert_eq!(first["failures"].as_array().unwrap().len(), pairs.len());
    assert_eq!(doc["rules"][2]["observed"].as_f64(), Some(90_001.0));
    assert_eq!(doc["rules"][5]["status"], "failed");
    // principals per hour: event i is in hour (i / 3600) % 24 of the first day
    let mut hourly: std::collections::BTreeMap<usize, HashSet<usize>> = Default::default();
    for i in 0..n {
        hourly.entry((i / 3600) % 24).or_default().insert(i % 90_000);
    }
    let busiest = hourly.values().map(HashSet::len).max().unwrap();
    assert_eq!(doc["rules"][6]["observed"].as_f64(), Some(busiest as f64));
}

#[test]
fn timeline_spills_by_time_and_gives_the_same_buckets() {
    // 200,000 events over three days, written out of time order, each with
    // a latency of its own: the buckets' exact distributions are the state
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latencies.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let n = 200_000u64;
    let start = 1_790_000_000u64; // 2026-09-21T14:13:20Z
    let span = 3 * 86_400;
    let mut by_hour: std::collections::BTreeMap<u64, Vec<u64>> = Default::default();
    for i in 0..n {
        let t = start + (i * 7919) % span;
        let micros = 1000 + i * 13; // latency in microseconds, all distinct
        writeln!(
            out,
            r#"{{"event_type":"e","user":"u{}","timestamp":{t},"status":"success","duration_ms":{}.{:03}}}"#,
            i % 100,
            micros / 1000,
            micros % 1000
        )
        .unwrap();
        by_hour.entry(t / 3600 * 3600).or_default().push(micros);
    }
    out.flush().unwrap();
    drop(out);
    let p = path.to_str().unwrap();
    for bucket in [None, Some("1h"), Some("1m")] {
        let mut args = vec!["timeline", "--format", "json", p];
        args.extend(bucket.iter().flat_map(|b| ["--bucket", b]));
        assert_eq!(same_when_spilled(&args, "4M").1, 0, "{bucket:?}");
    }
    // and the hourly buckets are the input's: events and nearest-rank p99
    let doc = run(["timeline", "--format", "json", "--memory-limit", "4M", "--bucket", "1h", p]).json();
    let rows = doc["buckets"].as_array().unwrap();
    assert_eq!(rows.len(), by_hour.len());
    for (row, (_, lat)) in rows.iter().zip(by_hour.iter_mut()) {
        lat.sort_unstable();
        let rank = (lat.len() * 99).div_ceil(100);
        assert_eq!(row["events"].as_u64(), Some(lat.len() as u64));
        assert_eq!(row["latency_p99_ms"].as_f64(), Some(lat[rank - 1] as f64 / 1000.0));
    }
}

#[test]
fn a_size_that_is_not_one_is_a_usage_error() {
    let r = run(["users", "--memory-limit", "lots", &testdata("feast.jsonl").display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--memory-limit"), "{}", r.stderr);
}

/// A spill that cannot be written stops the run with exit 2: never a report
/// of part of the state.
#[test]
fn a_spill_directory_that_cannot_be_made_is_an_error() {
    let out = std::process::Command::new(bin())
        .args(["users", "--memory-limit", "1M", &testdata("feast-week.jsonl.gz").display().to_string()])
        .env("TMPDIR", "/nonexistent/fsaudit-test")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot create a spill directory"), "{stderr}");
    assert!(out.stdout.is_empty(), "no partial report");
}
