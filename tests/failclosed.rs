//! Verdicts that fail closed and numbers that are exact: each case a user
//! met, reproduced, with the expected numbers computed here from the lines
//! the test writes (never from fsaudit's own output).

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

fn compliance() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/compliance.toml")
}

/// A Feast HTTP event at `t` (epoch milliseconds) with a latency written as `latency`.
fn feast_line(t_ms: i64, user: &str, latency: &str, status: u16) -> String {
    let outcome = if status < 400 { "success" } else { "failure" };
    format!(
        r#"{{"event_type":"http.request","timestamp":"{}","principal":{{"username":"{user}"}},"resource":{{"type":"FeatureView","name":"fv"}},"outcome":"{outcome}","duration_ms":{latency},"detail":"POST /get-online-features -> {status}"}}"#,
        millis_text(t_ms * 1000)
    )
}

/// A temporary JSONL file of `lines`.
fn jsonl<S: AsRef<str>>(name: &str, lines: &[S]) -> (tempfile::TempDir, std::path::PathBuf) {
    let text: String = lines.iter().map(|l| format!("{}\n", l.as_ref())).collect();
    temp_file(name, text.as_bytes())
}

const T0: i64 = 1_790_812_800_000; // 2026-10-01T00:00:00Z in ms

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

#[test]
fn a_rules_file_over_an_empty_log_fails_with_no_data() {
    let (_d, empty) = temp_file("empty.jsonl", b"");
    let rules = compliance();
    let r = run(["check", "--format", "json", "--rules", rules.to_str().unwrap(), empty.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["passed"], false);
    let n = doc["rules"].as_array().unwrap().len();
    assert!(n >= 5);
    for rule in doc["rules"].as_array().unwrap() {
        assert_eq!(rule["status"], "no_data", "{rule}");
        assert_eq!(rule["passed"], false, "{rule}");
    }
    assert!(r.stderr.contains("without data fail"), "{}", r.stderr);
    // the table says so too
    let r = run(["check", "--rules", rules.to_str().unwrap(), empty.to_str().unwrap()]);
    assert!(
        r.text().starts_with(&format!("FAILED: 0 of {n} rules hold over 0 events ({n} without data)")),
        "{}",
        r.text()
    );
    assert!(r.text().contains("NO DATA"));
    // --allow-empty opts out, and says the rules had no data
    let r = run([
        "check",
        "--format",
        "json",
        "--allow-empty",
        "--rules",
        rules.to_str().unwrap(),
        empty.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0);
    assert!(r.json()["rules"].as_array().unwrap().iter().all(|x| x["status"] == "no_data" && x["passed"] == true));
    // so does on_empty = "pass", one rule at a time
    let text = "[[rule]]\nname = \"optional\"\nmetric = \"events\"\nmin = 1\non_empty = \"pass\"\n\n\
                [[rule]]\nname = \"required\"\nmetric = \"events\"\nmin = 1\n";
    let (_r, rules) = temp_file("rules.toml", text.as_bytes());
    let r = run(["check", "--format", "json", "--rules", rules.to_str().unwrap(), empty.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let doc = r.json();
    assert_eq!((doc["rules"][0]["status"].clone(), doc["rules"][0]["passed"].clone()), ("no_data".into(), true.into()));
    assert_eq!(
        (doc["rules"][1]["status"].clone(), doc["rules"][1]["passed"].clone()),
        ("no_data".into(), false.into())
    );
    let bad = "[[rule]]\nname = \"x\"\nmetric = \"events\"\nmin = 1\non_empty = \"maybe\"\n";
    let (_b, bad) = temp_file("bad.toml", bad.as_bytes());
    let r = run(["check", "--rules", bad.to_str().unwrap(), empty.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml:5:12: invalid on_empty 'maybe'"), "{}", r.stderr);
}

#[test]
fn a_check_over_an_input_it_could_not_read_does_not_pass() {
    // every rule holds over the lines read, but one input is missing: the
    // exit code is 2 and no format says PASSED
    let lines: Vec<String> = (0..20).map(|i| feast_line(T0 + i * 1000, "alice", "5", 200)).collect();
    let denied = lines.iter().filter(|l| l.contains("-> 4")).count();
    let (d, path) = jsonl("read.jsonl", &lines);
    let missing = d.path().join("rotated-away.jsonl");
    let args = |format: &str| {
        let (p, m) = (path.to_str().unwrap().to_owned(), missing.to_str().unwrap().to_owned());
        ["check", "--max", "denied=5", "--format", format, &p, &m].map(str::to_owned)
    };
    let r = run(args("json"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rotated-away.jsonl"), "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["passed"], false);
    assert_eq!(doc["incomplete"], true, "the JSON says why it did not pass");
    assert_eq!(doc["events"], lines.len() as u64);
    assert_eq!(doc["rules"][0]["observed"], denied as f64);
    assert_eq!(doc["rules"][0]["passed"], true, "the rule itself held over what was read");
    let r = run(args("table"));
    assert!(
        r.text()
            .starts_with(&format!("NOT PASSED: input incomplete; 1 of 1 rule holds over {} events read", lines.len())),
        "{}",
        r.text()
    );
    let r = run(args("junit"));
    assert!(r.text().contains(r#"tests="2" failures="0" errors="1""#), "{}", r.text());
    assert!(r.text().contains(r#"<error message="an input could not be opened or read"#), "{}", r.text());
    let r = run(args("github"));
    assert!(r.text().starts_with("::error title=fsaudit check%3A input::"), "{}", r.text());
    // the same input, whole: the gate passes
    let r = run(["check", "--max", "denied=5", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.text().starts_with("PASSED"), "{}", r.text());
    let r = run(["check", "--max", "denied=5", "--format", "json", path.to_str().unwrap()]);
    assert_eq!((r.json()["passed"].clone(), r.json()["incomplete"].clone()), (true.into(), false.into()));
}

#[test]
fn a_verify_over_an_input_it_could_not_read_is_not_intact() {
    // a sealed file verifies; beside a file that cannot be read, the run is
    // not intact (exit 2), and --allow-unverified does not make it so
    let lines: Vec<String> = (0..30).map(|i| feast_line(T0 + i * 1000, "bob", "7", 200)).collect();
    let (d, path) = jsonl("sealed.jsonl", &lines);
    let key = d.path().join("k");
    assert_eq!(run(["keygen", "--out", key.to_str().unwrap()]).code, 0);
    let (private, public) = (format!("{}.key", key.display()), format!("{}.pub", key.display()));
    assert_eq!(run(["seal", "--key", &private, path.to_str().unwrap()]).code, 0);
    let p = path.to_str().unwrap();
    let whole = run(["verify", "--format", "json", "--pubkey", &public, p]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert_eq!(whole.json()["verified"], lines.len() as u64);
    let missing = d.path().join("gone.jsonl");
    let m = missing.to_str().unwrap();
    for extra in [vec!["--pubkey", public.as_str()], vec!["--allow-unverified"]] {
        let mut args = vec!["verify", "--format", "json"];
        args.extend(&extra);
        args.extend([p, m]);
        let r = run(&args);
        assert_eq!(r.code, 2, "{extra:?}: {}", r.stderr);
        assert!(r.stderr.contains("gone.jsonl"), "{}", r.stderr);
        assert_eq!(r.json()["intact"], false, "{extra:?}");
        assert_eq!(r.json()["incomplete"], true, "{extra:?}");
        assert_ne!(r.json()["status"], "intact", "{extra:?}");
        args.retain(|a| *a != "--format" && *a != "json");
        let r = run(&args);
        assert!(r.text().starts_with("NOT VERIFIED (input incomplete): "), "{extra:?}: {}", r.text());
    }
    assert_eq!(whole.json()["incomplete"], false);
    // an empty directory, alone or beside the sealed file: nothing read
    // there is nothing verified, and no status or page says intact
    let empty = d.path().join("rotated");
    std::fs::create_dir(&empty).unwrap();
    let e = empty.to_str().unwrap();
    for inputs in [vec![e], vec![p, e]] {
        let mut args = vec!["verify", "--format", "json", "--pubkey", &public];
        args.extend(&inputs);
        let r = run(&args);
        assert_eq!(r.code, 2, "{inputs:?}: {}", r.stderr);
        assert!(r.stderr.contains("rotated: no input files"), "{}", r.stderr);
        let doc = r.json();
        assert_eq!((doc["intact"].clone(), doc["incomplete"].clone()), (false.into(), true.into()), "{inputs:?}");
        assert_eq!(doc["status"], "unverified", "{inputs:?}");
        assert_eq!(doc["files"].as_array().unwrap().len(), inputs.len() - 1);
        args.retain(|a| *a != "--format" && *a != "json");
        let r = run(&args);
        let text = r.text();
        assert!(text.starts_with("NOT VERIFIED (input incomplete): "), "{inputs:?}: {text}");
        if inputs.len() == 1 {
            assert!(text.contains("no file read"), "{text}");
            assert_eq!(text.lines().count(), 1, "no empty table under the headline: {text}");
        }
        let page = d.path().join("page.html");
        let mut args = vec!["report", "--pubkey", &public, "--verify", "--output", page.to_str().unwrap()];
        args.extend(&inputs);
        let r = run(&args);
        assert_eq!(r.code, 2, "{inputs:?}: {}", r.stderr);
        assert!(r.stderr.contains("the log is NOT VERIFIED (input incomplete)"), "{inputs:?}: {}", r.stderr);
    }
}

#[test]
fn a_window_that_matches_nothing_fails_and_says_what_the_input_covers() {
    let lines: Vec<String> = (0..50).map(|i| feast_line(T0 + i * 60_000, "alice", "5.5", 200)).collect();
    let (_d, p) = jsonl("old.jsonl", &lines);
    let p = p.to_str().unwrap();
    let r = run(["check", "--since", "24h", "--min", "events=1", "--max", "span_days=1000", p]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "--since 24h matched 0 of 50 events; the input spans 2026-10-01T00:00:00.000Z … 2026-10-01T00:49:00.000Z"
        ),
        "{}",
        r.stderr
    );
    // every command says it
    for cmd in ["summary", "users", "views", "timeline", "anomalies", "filter", "redact"] {
        let r = run([cmd, "--user", "bob", p]);
        assert!(r.code == 0 || (cmd == "filter" && r.code == 1), "{cmd}: {}", r.stderr);
        assert!(r.stderr.contains("--user bob matched 0 of 50 events"), "{cmd}: {}", r.stderr);
    }
    // a retention rule holds on the real log and has no data on an empty one
    let r = run(["check", "--format", "json", "--min", "span_days=0.02", p]);
    assert_eq!(r.code, 0);
    let r = run(["check", "--format", "json", "--min", "span_days=0.02", "--user", "nobody", p]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["rules"][0]["status"], "no_data");
}

#[test]
fn time_windows_users_ask_for() {
    // one event a minute for 10 hours
    let lines: Vec<String> = (0..600).map(|i| feast_line(T0 + i * 60_000, "alice", "1", 200)).collect();
    let (_d, p) = jsonl("w.jsonl", &lines);
    let p = p.to_str().unwrap();
    let events = |args: &[&str]| {
        let mut all = vec!["summary", "--format", "json", p];
        all.extend_from_slice(args);
        let r = run(&all);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        r.json()["events"].as_u64().unwrap()
    };
    // --last: the last hour of the input's own range (09:59 back to 08:59, inclusive)
    assert_eq!(events(&["--last", "1h"]), 61);
    assert_eq!(events(&["--last", "1h", "--user", "nobody"]), 0);
    // epoch seconds
    let two_hours = (T0 / 1000 + 7200).to_string();
    assert_eq!(events(&["--since", &two_hours]), 600 - 120);
    assert_eq!(events(&["--until", &two_hours]), 120);
    // a time without an offset is read in --tz
    assert_eq!(events(&["--since", "2026-10-01T04:00:00", "--tz", "Europe/Berlin"]), 600 - 120);
    assert_eq!(events(&["--since", "2026-10-01T04:00:00+02:00"]), 600 - 120);
    assert_eq!(events(&["--since", "2026-10-01T04:00:00"]), 600 - 240);
    // since ≥ until is a mistake
    let r = run(["summary", "--since", "2026-10-02", "--until", "2026-10-01", p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not before --until"), "{}", r.stderr);
    // and the table states the window it applied
    let r = run(["summary", "--since", &two_hours, p]);
    assert!(r.text().starts_with("Window: 2026-10-01T02:00:00.000Z … the end"), "{}", r.text());
    // --last reads the input twice: stdin is refused with a reason
    let r = run_stdin(["summary", "--last", "1h"], lines.join("\n").as_bytes());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--last"), "{}", r.stderr);
}

#[test]
fn percentiles_are_exact_for_any_number_of_events() {
    // 120,000 latencies written with two decimals, as Feast writes them
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut values = Vec::new();
    let mut text = String::new();
    for i in 0..120_000i64 {
        let cents = (xorshift(&mut x) % 2_500) as i64 + if i % 97 == 0 { 5_000 } else { 0 };
        let written = format!("{}.{:02}", cents / 100, cents % 100);
        values.push(written.parse::<f64>().unwrap());
        text += &feast_line(T0 + i * 10, "svc", &written, 200);
        text.push('\n');
    }
    let (_d, p) = temp_file("lat.jsonl", text.as_bytes());
    let p = p.to_str().unwrap();
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let doc = summary([p, "--threads", "2"]);
    let l = &doc["latency_ms"];
    assert_eq!(l["exact"], true);
    for (key, pct) in [("p50", 50.0), ("p95", 95.0), ("p99", 99.0)] {
        assert_eq!(l[key].as_f64().unwrap(), nearest_rank(&sorted, pct), "{key}");
    }
    assert_eq!(l["max"].as_f64().unwrap(), *sorted.last().unwrap());
    let sum_cents: i64 = values.iter().map(|v| (v * 100.0).round() as i64).sum();
    assert_eq!(l["mean"].as_f64().unwrap(), ((sum_cents as f64 / 100.0 / 120_000.0) * 1000.0).round() / 1000.0);
    // the gate holds exactly at the value and fails one hundredth below
    let p99 = nearest_rank(&sorted, 99.0);
    let at = format!("p99_ms={p99}");
    let below = format!("p99_ms={:.2}", p99 - 0.01);
    assert_eq!(run(["check", "-q", "--max", &at, p]).code, 0);
    assert_eq!(run(["check", "-q", "--max", &below, p]).code, 1);
    let p95 = nearest_rank(&sorted, 95.0);
    assert_eq!(run(["check", "-q", "--max", &format!("p95_ms={p95}"), p]).code, 0);
    // identical for any number of threads and buffer size
    let other = summary([p, "--threads", "1", "--buffer-size", "65536"]);
    assert_eq!(other["latency_ms"], doc["latency_ms"]);
}

#[test]
fn impossible_latencies_are_rejected_and_counted() {
    let lines = [
        feast_line(T0, "a", "2", 200),
        feast_line(T0 + 1000, "a", "4", 200),
        feast_line(T0 + 2000, "a", "1e308", 200),
        feast_line(T0 + 3000, "a", "-3", 200),
        feast_line(T0 + 4000, "a", "90000000", 200),
        feast_line(T0 + 5000, "a", "6", 200),
    ];
    let (_d, p) = jsonl("odd.jsonl", &lines);
    let r = run(["summary", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    let doc = r.json();
    assert_eq!(doc["events"], 6, "the events still count");
    let l = &doc["latency_ms"];
    assert_eq!(l["count"], 3);
    assert_eq!(l["rejected"], 3);
    assert_eq!(l["mean"], 4.0);
    assert_eq!(l["max"], 6.0);
    assert_eq!(l["p99"], 6.0);
    assert!(r.stderr.contains("odd.jsonl:3: latency 1e308 ms rejected"), "{}", r.stderr);
    assert!(r.stderr.contains("3 rejected in all"), "{}", r.stderr);
    let t = run(["summary", p.to_str().unwrap()]).text();
    assert!(t.contains("3 latencies rejected"), "{t}");
    assert!(!t.contains("inf"), "{t}");
}

#[test]
fn max_gap_is_exact_to_the_millisecond() {
    let lines = [
        feast_line(T0, "a", "1", 200),
        feast_line(T0 + 270_464, "a", "1", 200),
        feast_line(T0 + 271_000, "a", "1", 200),
    ];
    let (_d, p) = jsonl("gap.jsonl", &lines);
    let p = p.to_str().unwrap();
    let r = run(["check", "--format", "json", "--max", "max_gap=270.5", p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["rules"][0]["observed"], 270.464);
    assert_eq!(run(["check", "-q", "--max", "max_gap=270.463", p]).code, 1);
}

#[test]
fn per_and_each_rules_report_the_worst_subject_and_the_total() {
    // denials per principal per day: counted here
    let mut x = 7u64;
    let mut lines = Vec::new();
    let mut per: BTreeMap<(i64, String), u64> = BTreeMap::new();
    for i in 0..3000i64 {
        let user = format!("u{}", xorshift(&mut x) % 7);
        let t = T0 + i * 90_000;
        let status = if xorshift(&mut x) % 5 == 0 { 403 } else { 200 };
        if status == 403 {
            *per.entry((t.div_euclid(86_400_000), user.clone())).or_default() += 1;
        }
        lines.push(feast_line(t, &user, "1", status));
    }
    let (_d, p) = jsonl("den.jsonl", &lines);
    let text = "[[rule]]\nname = \"denials\"\nmetric = \"denied\"\nmax = 9\nper = \"1d\"\neach = \"principal\"\n";
    let (_r, rules) = temp_file("r.toml", text.as_bytes());
    let r = run(["check", "--format", "json", "--rules", rules.to_str().unwrap(), p.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let rule = &r.json()["rules"][0];
    let worst = *per.values().max().unwrap();
    let total: u64 = per.values().sum();
    assert_eq!(rule["observed"].as_f64().unwrap(), worst as f64);
    assert_eq!(rule["total"].as_f64().unwrap(), total as f64);
    assert_eq!(rule["status"], "failed");
    let failing = per.values().filter(|&&n| n > 9).count();
    assert_eq!(rule["failures"].as_array().unwrap().len(), failing);
    // CSV prints counts as integers
    let r = run(["check", "--format", "csv", "--rules", rules.to_str().unwrap(), p.to_str().unwrap()]);
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    let header = rd.headers().unwrap().clone();
    let row = rd.records().next().unwrap().unwrap();
    let get = |k: &str| row.get(header.iter().position(|h| h == k).unwrap()).unwrap().to_owned();
    assert_eq!(get("observed"), worst.to_string());
    assert_eq!(get("total"), total.to_string());
    assert_eq!(get("max"), "9");
}

#[test]
fn a_log_shipped_twice_is_told_and_dedup_counts_it_once() {
    let g = generate(fsaudit::testgen::Shape::Feast, 3000, 5, 0);
    let once = g.to_bytes();
    let mut twice = once.clone();
    twice.extend_from_slice(&once);
    let (_d, p) = temp_file("twice.jsonl", &twice);
    let (_e, q) = temp_file("once.jsonl", &once);
    let distinct: std::collections::HashSet<&[u8]> = once.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let lines = once.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    let doc = summary([p.to_str().unwrap()]);
    assert_eq!(doc["duplicate_lines"].as_u64().unwrap() as usize, 2 * lines - distinct.len());
    assert_eq!(doc["events"].as_u64().unwrap() as usize, 2 * lines);
    let deduped = summary([p.to_str().unwrap(), "--dedup"]);
    let single = summary([q.to_str().unwrap()]);
    for key in ["events", "outcomes", "latency_ms", "distinct", "top_principals"] {
        assert_eq!(deduped[key], single[key], "{key}");
    }
    // any command: users, and filter in input order
    let u = |path: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["users", "--format", "json", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        run(&args).json()["principals"].clone()
    };
    assert_eq!(u(&p, &["--dedup"]), u(&q, &[]));
    let r = run(["filter", "--dedup", p.to_str().unwrap()]);
    let mut want: Vec<u8> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for l in once.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        if seen.insert(l) {
            want.extend_from_slice(l);
            want.push(b'\n');
        }
    }
    assert_eq!(r.stdout, want);
    // Feast's MCP event and the HTTP event inside it share a request_id: not duplicates
    let mcp = r#"{"event_type":"mcp.tools.call","timestamp":"2026-10-01T00:00:01Z","request_id":"r1","principal":{"username":"(authenticated)"},"action":{"mcp_tool":"get_online_features"},"outcome":"success"}"#;
    let http = r#"{"event_type":"http.request","timestamp":"2026-10-01T00:00:01Z","request_id":"r1","principal":{"username":"(authenticated)"},"action":{"path":"/get-online-features"},"outcome":"success","detail":"POST /get-online-features -> 200"}"#;
    let (_m, m) = temp_file("mcp.jsonl", format!("{mcp}\n{http}\n").as_bytes());
    let doc: Value = summary([m.to_str().unwrap()]);
    assert_eq!(doc["duplicate_lines"], 0);
    assert_eq!(doc["events"], 2);
}
