//! `users`, `views` and `timeline` against numbers computed independently
//! from the generator's facts: per-principal and per-view counts, events
//! naming several views, events naming nobody, buckets and their gaps.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use fsaudit::event::OutcomeClass;
use fsaudit::testgen::{GenEvent, Shape};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let r = run(args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.json()
}

/// What every per-key row shares: counts, classes, first/last, p99.
#[derive(Default)]
struct Truth {
    classes: [u64; 4],
    times: Vec<i64>,
    latencies: Vec<f64>,
    resources: BTreeSet<String>,
    ips: BTreeSet<String>,
    principals: BTreeSet<String>,
    denied_on: BTreeMap<String, u64>,
}

impl Truth {
    fn add(&mut self, e: &GenEvent) {
        self.classes[e.class as usize] += 1;
        self.times.push(e.time);
        self.latencies.extend(e.latency_ms);
        self.resources.extend(e.resources.iter().cloned());
        self.ips.extend(e.source_ip.iter().cloned());
        self.principals.insert(principal_of(e).to_owned());
        if e.class == OutcomeClass::Denied {
            for r in &e.resources {
                *self.denied_on.entry(r.clone()).or_default() += 1;
            }
        }
    }

    fn events(&self) -> u64 {
        self.classes.iter().sum()
    }

    fn check(&self, row: &Value, what: &str) {
        assert_eq!(row["events"], self.events(), "{what} events");
        for c in OutcomeClass::ALL {
            assert_eq!(row[c.name()], self.classes[c as usize], "{what} {c}");
        }
        assert_eq!(row["first"].as_str().unwrap(), millis_text(*self.times.iter().min().unwrap()), "{what} first");
        assert_eq!(row["last"].as_str().unwrap(), millis_text(*self.times.iter().max().unwrap()), "{what} last");
        let mut lat = self.latencies.clone();
        lat.sort_by(f64::total_cmp);
        if lat.is_empty() {
            assert!(row["latency_p99_ms"].is_null(), "{what} p99");
        } else {
            assert_close(&row["latency_p99_ms"], nearest_rank(&lat, 99.0), 0.005, &format!("{what} p99"));
        }
    }
}

/// The README's risk formula, written out again: (score, number of reasons).
/// Placeholders such as `(unknown)` name no one and are not scored.
fn expected_risk(name: &str, t: &Truth, sensitive: impl Fn(&str) -> bool) -> (u64, usize) {
    if name.starts_with('(') && name.ends_with(')') {
        return (0, 0);
    }
    let mut score = 0;
    let mut reasons = 0;
    let events = t.events();
    if events >= 10 && 1.0 - t.classes[0] as f64 / events as f64 > 0.10 {
        score += 30;
        reasons += 1;
    }
    if t.denied_on.keys().any(|r| sensitive(r)) {
        score += 15;
        reasons += 1;
    }
    (score.min(100), reasons)
}

fn sensitive(r: &str) -> bool {
    r.starts_with("credit_") || r.starts_with("loan_")
}

#[test]
fn users_match_the_generated_truth() {
    for (shape, seed) in [(Shape::Feast, 4), (Shape::FeastSox, 5), (Shape::Soc2, 6)] {
        let g = generate(shape, 6000, seed, 5);
        let (_d, path) = temp_file("u.jsonl", &g.to_bytes());
        // the anomaly detectors' share of the score is tested with them (tests/anomalies.rs)
        let mut args = vec!["users", "--format", "json", "--sensitive", "credit_*", "--sensitive", "loan_*"];
        args.extend(NO_DETECTORS);
        args.push(path.to_str().unwrap());
        let doc = json(&args);
        let mut truth: BTreeMap<String, Truth> = BTreeMap::new();
        for e in &g.events {
            truth.entry(principal_of(e).to_owned()).or_default().add(e);
        }
        let rows = doc["principals"].as_array().unwrap();
        assert_eq!(rows.len(), truth.len(), "{shape:?}: one row per principal");
        assert_eq!(doc["principals_total"], truth.len() as u64);
        assert!(truth.contains_key("(unknown)"), "the data has events naming nobody");
        let mut previous: Option<(u64, u64)> = None;
        for row in rows {
            let name = row["name"].as_str().unwrap();
            let t = &truth[name];
            t.check(row, name);
            assert_eq!(row["resources"], t.resources.len() as u64, "{name} resources");
            assert_eq!(row["source_ips"], t.ips.len() as u64, "{name} ips");
            let failure = 1.0 - t.classes[0] as f64 / t.events() as f64;
            assert_close(&row["failure_rate"], failure, 1e-12, "failure_rate");
            let (risk, reasons) = expected_risk(name, t, sensitive);
            assert_eq!(row["risk_score"], risk, "{name} risk");
            assert_eq!(row["risk_reasons"].as_array().unwrap().len(), reasons, "{name} reasons");
            // sorted by risk, then events, descending
            let key = (row["risk_score"].as_u64().unwrap(), row["events"].as_u64().unwrap());
            if let Some(p) = previous {
                assert!(p >= key, "{name} out of order: {p:?} then {key:?}");
            }
            previous = Some(key);
            assert!(row.get("accessed").is_none());
        }
    }
}

/// `users` over `path`, whose mapped lines name their principal `who` and
/// address `from`, at one and two threads: each principal's distinct
/// addresses are those of `truth`.
fn users_have_these_addresses(path: &std::path::Path, truth: &BTreeMap<String, BTreeSet<String>>) {
    for threads in ["1", "2"] {
        let args = ["users", "--format", "json", "--threads", threads, "--buffer-size", "4096"];
        let map = ["--map", "principal=who", "--map", "source_ip=from", "--map", "event_type=what"];
        let doc = json(&[&args[..], &map[..], &[path.to_str().unwrap()]].concat());
        let rows = doc["principals"].as_array().unwrap();
        assert_eq!(rows.len(), truth.len());
        for row in rows {
            let name = row["name"].as_str().unwrap();
            assert_eq!(row["source_ips"], truth[name].len() as u64, "{name} at {threads} threads");
        }
    }
}

#[test]
fn users_count_the_addresses_of_events_without_a_time() {
    // a log mapped by hand without a time: no detector sees these events,
    // and each principal's addresses are counted all the same
    let mut text = String::new();
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut x = 7u64;
    for i in 0..3000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let user = format!("u{}", (x >> 33) % 17);
        let ip = format!("10.0.{}.{}", (x >> 40) % 3, (x >> 50) % (1 + i % 40));
        text.push_str(&format!("{{\"who\":\"{user}\",\"from\":\"{ip}\",\"what\":\"GET\"}}\n"));
        truth.entry(user).or_default().insert(ip);
    }
    let (_d, path) = temp_file("untimed.jsonl", text.as_bytes());
    users_have_these_addresses(&path, &truth);
}

#[test]
fn users_count_an_address_once_whether_its_events_have_a_time_or_not() {
    // Feast events (timed: the detectors hold their addresses) beside
    // mapped events of the same principals without a time, from the same
    // addresses and from new ones: each address counts once per principal
    let feast = std::fs::read_to_string("testdata/feast.jsonl").unwrap();
    let mut text = String::new();
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (i, line) in feast.lines().enumerate() {
        let ev: Value = serde_json::from_str(line).unwrap();
        let (Some(user), Some(ip)) = (ev["principal"]["username"].as_str(), ev["source"]["ip"].as_str()) else {
            continue;
        };
        text.push_str(line);
        text.push('\n');
        let other = format!("192.0.2.{}", i % 5);
        for from in [ip, other.as_str()] {
            text.push_str(&format!("{{\"who\":\"{user}\",\"from\":\"{from}\",\"what\":\"GET\"}}\n"));
        }
        truth.entry(user.to_string()).or_default().extend([ip.to_string(), other]);
    }
    let (_d, path) = temp_file("mixed.jsonl", text.as_bytes());
    users_have_these_addresses(&path, &truth);
}

#[test]
fn one_user_lists_everything_they_accessed() {
    let g = generate(Shape::FeastSox, 5000, 12, 0);
    let (_d, path) = temp_file("u.jsonl", &g.to_bytes());
    let who = "svc-fraud_model_v3";
    let doc = json(&["users", "--format", "json", "--user", who, path.to_str().unwrap()]);
    let rows = doc["principals"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let mut per_resource: BTreeMap<String, Truth> = BTreeMap::new();
    for e in g.events.iter().filter(|e| e.principal == who) {
        for r in &e.resources {
            per_resource.entry(r.clone()).or_default().add(e);
        }
    }
    let accessed = rows[0]["accessed"].as_array().unwrap();
    assert_eq!(accessed.len(), per_resource.len());
    for a in accessed {
        let name = a["name"].as_str().unwrap();
        let t = &per_resource[name];
        assert_eq!(a["events"], t.events(), "{name}");
        assert_eq!(a["denied"], t.classes[1], "{name}");
        assert_eq!(a["first"].as_str().unwrap(), millis_text(*t.times.iter().min().unwrap()));
    }
    // CSV of the same: one row per resource
    let r = run(["users", "--format", "csv", "--user", who, path.to_str().unwrap()]);
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    assert_eq!(rd.headers().unwrap().get(1), Some("resource"));
    let total: u64 = rd.records().map(|r| r.unwrap()[2].parse::<u64>().unwrap()).sum();
    assert_eq!(total, per_resource.values().map(Truth::events).sum::<u64>());
    // a --user that matches nobody has no resource rows: the plain users
    // header, spilled or not
    for limit in ["64G", "1K"] {
        let r = run([
            "users",
            "--format",
            "csv",
            "-q",
            "--memory-limit",
            limit,
            "--user",
            "nobody",
            path.to_str().unwrap(),
        ]);
        let mut rd = csv::Reader::from_reader(&r.stdout[..]);
        assert_eq!(rd.headers().unwrap().get(0), Some("name"), "{limit}");
        assert_eq!(rd.records().count(), 0, "{limit}");
    }
}

#[test]
fn views_match_the_generated_truth_with_multi_view_events() {
    let g = generate(Shape::FeastSox, 6000, 21, 3);
    assert!(g.events.iter().any(|e| e.resources.len() > 1), "the data has events naming several views");
    let (_d, path) = temp_file("v.jsonl", &g.to_bytes());
    let doc = json(&["views", "--format", "json", "--sensitive", "credit_*", path.to_str().unwrap()]);
    let mut truth: BTreeMap<String, Truth> = BTreeMap::new();
    for e in &g.events {
        for r in &e.resources {
            truth.entry(r.clone()).or_default().add(e);
        }
    }
    let rows = doc["resources"].as_array().unwrap();
    assert_eq!(rows.len(), truth.len());
    let mut previous = u64::MAX;
    for row in rows {
        let name = row["name"].as_str().unwrap();
        let t = &truth[name];
        t.check(row, name);
        assert_eq!(row["principals"], t.principals.len() as u64, "{name} principals");
        assert_eq!(row["sensitive"], name.starts_with("credit_"));
        let events = row["events"].as_u64().unwrap();
        assert!(events <= previous, "sorted by events");
        previous = events;
    }
    let without = g.events.iter().filter(|e| e.resources.is_empty()).count() as u64;
    assert_eq!(doc["events_without_resource"], without);
    assert!(without > 0, "authn failures name no view");
}

#[test]
fn one_view_lists_everyone_who_accessed_it_and_only_it() {
    let g = generate(Shape::FeastSox, 6000, 22, 0);
    let (_d, path) = temp_file("v.jsonl", &g.to_bytes());
    let view = "credit_bureau_fv";
    let doc = json(&["views", "--format", "json", "--view", view, path.to_str().unwrap()]);
    let rows = doc["resources"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "other views of the same events are not listed");
    let mut per_principal: BTreeMap<String, Truth> = BTreeMap::new();
    for e in g.events.iter().filter(|e| e.resources.iter().any(|r| r == view)) {
        per_principal.entry(principal_of(e).to_owned()).or_default().add(e);
    }
    let by = rows[0]["accessed_by"].as_array().unwrap();
    assert_eq!(by.len(), per_principal.len());
    for a in by {
        let t = &per_principal[a["name"].as_str().unwrap()];
        assert_eq!(a["events"], t.events());
        assert_eq!(a["denied"], t.classes[1]);
    }
    let doc = json(&["views", "--format", "json", "--view", "loan_*", path.to_str().unwrap()]);
    for row in doc["resources"].as_array().unwrap() {
        assert!(row["name"].as_str().unwrap().starts_with("loan_"));
    }
}

#[test]
fn timeline_buckets_with_gaps_match_the_truth() {
    let g = generate(Shape::Flat, 3000, 31, 2);
    let (_d, path) = temp_file("t.jsonl", &g.to_bytes());
    for (bucket, secs) in [("1h", 3600i64), ("15m", 900), ("1d", 86_400)] {
        let doc = json(&["timeline", "--format", "json", "--bucket", bucket, path.to_str().unwrap()]);
        assert_eq!(doc["bucket"], bucket);
        let size = secs * 1_000_000;
        let mut truth: BTreeMap<i64, Truth> = BTreeMap::new();
        for e in &g.events {
            truth.entry(e.time.div_euclid(size) * size).or_default().add(e);
        }
        let first = *truth.keys().next().unwrap();
        let last = *truth.keys().last().unwrap();
        let rows = doc["buckets"].as_array().unwrap();
        assert_eq!(rows.len() as i64, (last - first) / size + 1, "{bucket}: every bucket, empty ones too");
        for (i, row) in rows.iter().enumerate() {
            let start = first + i as i64 * size;
            assert_eq!(row["start"].as_str().unwrap(), millis_text(start));
            match truth.get(&start) {
                None => {
                    assert_eq!(row["events"], 0);
                    assert!(row["latency_p99_ms"].is_null());
                }
                Some(t) => {
                    assert_eq!(row["events"], t.events());
                    for c in OutcomeClass::ALL {
                        assert_eq!(row[c.name()], t.classes[c as usize]);
                    }
                    let mut lat = t.latencies.clone();
                    lat.sort_by(f64::total_cmp);
                    if !lat.is_empty() {
                        assert_close(&row["latency_p99_ms"], nearest_rank(&lat, 99.0), 0.005, "bucket p99");
                    }
                }
            }
        }
    }
}

#[test]
fn timeline_picks_its_bucket_from_the_span() {
    let g = generate(Shape::Feast, 2000, 41, 0);
    let (_d, path) = temp_file("t.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    assert_eq!(json(&["timeline", "--format", "json", p])["bucket"], "1h", "a week");
    let day = json(&["timeline", "--format", "json", "--since", "2026-10-02", "--until", "2026-10-03", p]);
    assert_eq!(day["bucket"], "15m", "a day");
    let hour = json(&[
        "timeline",
        "--format",
        "json",
        "--since",
        "2026-10-02T10:00:00Z",
        "--until",
        "2026-10-02T11:00:00Z",
        p,
    ]);
    assert_eq!(hour["bucket"], "1m", "an hour");
    let r = run(["timeline", "--bucket", "fortnight", p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expected 1m, 5m, 15m, 1h, 1d"), "{}", r.stderr);
}

#[test]
fn reports_are_identical_for_any_threads_and_chunking() {
    let g = generate(Shape::FeastSox, 8000, 51, 6);
    let (_d, path) = temp_file("x.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    for cmd in [
        vec!["users", "--sensitive", "credit_*"],
        vec!["users", "--user", "svc-*"],
        vec!["views"],
        vec!["views", "--view", "credit_*"],
        vec!["timeline"],
        vec!["timeline", "--bucket", "5m"],
    ] {
        let mut base_args = cmd.clone();
        base_args.extend(["--format", "json", "--threads", "1", p]);
        let base = run(&base_args);
        assert_eq!(base.code, 0);
        for (threads, buffer) in [("4", "2097152"), ("3", "700"), ("2", "65536")] {
            let mut args = cmd.clone();
            args.extend(["--format", "json", "--threads", threads, "--buffer-size", buffer, p]);
            assert_eq!(run(&args).stdout, base.stdout, "{cmd:?} with {threads} threads, buffer {buffer}");
        }
    }
}

#[test]
fn csv_rows_agree_with_json() {
    let p = testdata("feast-week.jsonl.gz");
    let p = p.to_str().unwrap();
    for (cmd, list, key) in
        [("users", "principals", "name"), ("views", "resources", "name"), ("timeline", "buckets", "start")]
    {
        let doc = json(&[cmd, "--format", "json", p]);
        let r = run([cmd, "--format", "csv", p]);
        let mut rd = csv::Reader::from_reader(&r.stdout[..]);
        let header = rd.headers().unwrap().clone();
        let col = |k: &str| header.iter().position(|h| h == k).unwrap();
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        let items = doc[list].as_array().unwrap();
        assert_eq!(rows.len(), items.len(), "{cmd}");
        for (row, item) in rows.iter().zip(items) {
            assert_eq!(&row[col(key)], item[key].as_str().unwrap(), "{cmd}");
            assert_eq!(row[col("events")], item["events"].to_string(), "{cmd}");
            assert_eq!(row[col("denied")], item["denied"].to_string(), "{cmd}");
        }
    }
}

#[test]
fn tables_render_for_people() {
    let p = testdata("feast-week.jsonl.gz");
    for cmd in ["users", "views", "timeline"] {
        let r = run([cmd, p.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        assert!(!r.text().contains('\x1b'), "{cmd}: no colour in a pipe");
    }
    // a denial is visible in the timeline even when it is 1 of many
    let doc = json(&["timeline", "--format", "json", p.to_str().unwrap()]);
    let text = run(["timeline", p.to_str().unwrap()]).text();
    let with_denials = doc["buckets"].as_array().unwrap().iter().filter(|b| b["denied"].as_u64().unwrap() > 0).count();
    let bars_with_d = text.lines().filter(|l| l.starts_with("2026-") && l.contains('D')).count();
    assert_eq!(bars_with_d, with_denials);
}
