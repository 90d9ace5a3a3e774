//! `fsaudit check`: each metric against values computed from the generator's
//! facts, `where`, `per` and `each`, exit codes, rules files with mistakes
//! reported at their position, JUnit parsed as XML, GitHub annotations.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use fsaudit::event::OutcomeClass;
use fsaudit::testgen::{GenOptions, Generator, Shape};
use serde_json::Value;

fn check(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert!(r.code == 0 || r.code == 1, "{args:?}: exit {} {}", r.code, r.stderr);
    (r.code, r.json(), r.stderr)
}

fn rules_file(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("rules.toml");
    std::fs::write(&p, text).unwrap();
    p
}

fn rule<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["rules"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("no rule {name}"))
}

#[test]
fn every_event_metric_matches_the_generated_truth() {
    let g = generate(Shape::Feast, 5000, 61, 4);
    let (_d, path) = temp_file("m.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let metrics = [
        "events",
        "success",
        "denied",
        "unauthenticated",
        "error",
        "malformed",
        "success_rate",
        "failure_rate",
        "denied_rate",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "max_ms",
        "principals",
        "span_days",
        "max_gap",
    ];
    let mut args: Vec<String> = metrics.iter().map(|m| format!("--max={m}=1e12")).collect();
    args.push(p.to_owned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, doc, _) = check(&args);
    assert_eq!(code, 0);
    let e = &g.events;
    let n = e.len() as f64;
    let class = |c: OutcomeClass| e.iter().filter(|x| x.class == c).count() as f64;
    let mut lat: Vec<f64> = e.iter().filter_map(|x| x.latency_ms).collect();
    lat.sort_by(f64::total_cmp);
    // the longest silence, to the millisecond
    let mut millis: Vec<i64> = e.iter().map(|x| x.time.div_euclid(1_000)).collect();
    millis.sort_unstable();
    let max_gap = millis.windows(2).map(|w| w[1] - w[0]).max().unwrap() as f64 / 1000.0;
    let first = e.iter().map(|x| x.time).min().unwrap();
    let last = e.iter().map(|x| x.time).max().unwrap();
    let principals = e.iter().map(principal_of).collect::<std::collections::BTreeSet<_>>().len() as f64;
    let expected: [(&str, f64, f64); 16] = [
        ("events", n, 0.0),
        ("success", class(OutcomeClass::Success), 0.0),
        ("denied", class(OutcomeClass::Denied), 0.0),
        ("unauthenticated", class(OutcomeClass::Unauthenticated), 0.0),
        ("error", class(OutcomeClass::Error), 0.0),
        ("malformed", 4.0, 0.0),
        ("success_rate", class(OutcomeClass::Success) / n, 1e-6),
        ("failure_rate", 1.0 - class(OutcomeClass::Success) / n, 1e-6),
        ("denied_rate", class(OutcomeClass::Denied) / n, 1e-6),
        ("p50_ms", nearest_rank(&lat, 50.0), 0.005),
        ("p95_ms", nearest_rank(&lat, 95.0), 0.005),
        ("p99_ms", nearest_rank(&lat, 99.0), 0.005),
        ("max_ms", *lat.last().unwrap(), 0.0),
        ("principals", principals, 0.0),
        ("span_days", (last - first) as f64 / 86_400e6, 1e-6),
        ("max_gap", max_gap, 0.0),
    ];
    for (metric, want, rel) in expected {
        assert_close(&rule(&doc, metric)["observed"], want, rel, metric);
    }
    // a threshold just past the observed value fails, just within it passes
    let denied = class(OutcomeClass::Denied);
    let (code, doc, _) = check(&[&format!("--max=denied={}", denied - 1.0), p]);
    assert_eq!(code, 1);
    assert_eq!(rule(&doc, "denied")["passed"], false);
    let (code, _, _) = check(&[&format!("--max=denied={denied}"), &format!("--min=denied={denied}"), p]);
    assert_eq!(code, 0);
}

#[test]
fn where_per_and_each() {
    let g = generate(Shape::FeastSox, 6000, 62, 0);
    let (dir, path) = temp_file("w.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let rules = rules_file(
        dir.path(),
        r#"
[[rule]]
name = "service denials"
metric = "denied"
max = 1000000
where = { user = "svc-*", outcome = "denied" }

[[rule]]
name = "denials per principal"
metric = "denied"
max = 5
each = "principal"

[[rule]]
name = "views per day"
metric = "events"
min = 1
per = "1d"
each = "resource"

[[rule]]
name = "daily denials"
metric = "denied"
max = 20
per = "1d"
"#,
    );
    let (code, doc, _) = check(&["--rules", rules.to_str().unwrap(), p]);
    assert_eq!(code, 1);
    let svc_denied =
        g.events.iter().filter(|e| e.principal.starts_with("svc-") && e.class == OutcomeClass::Denied).count();
    assert_eq!(rule(&doc, "service denials")["observed"], svc_denied as f64);

    let mut per_principal: BTreeMap<&str, u64> = BTreeMap::new();
    for e in g.events.iter().filter(|e| e.class == OutcomeClass::Denied) {
        *per_principal.entry(principal_of(e)).or_default() += 1;
    }
    let failing: Vec<(String, f64)> = rule(&doc, "denials per principal")["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["subject"].as_str().unwrap().to_owned(), f["observed"].as_f64().unwrap()))
        .collect();
    let want: Vec<(String, f64)> =
        per_principal.iter().filter(|(_, n)| **n > 5).map(|(k, n)| (k.to_string(), *n as f64)).collect();
    assert_eq!(failing, want);
    assert!(!want.is_empty());

    let day = 86_400_000_000i64;
    let mut per_day: BTreeMap<i64, u64> = BTreeMap::new();
    for e in &g.events {
        per_day.entry(e.time.div_euclid(day) * day).or_default();
        if e.class == OutcomeClass::Denied {
            *per_day.entry(e.time.div_euclid(day) * day).or_default() += 1;
        }
    }
    let failing: Vec<String> = rule(&doc, "daily denials")["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bucket"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<String> = per_day.iter().filter(|(_, n)| **n > 20).map(|(d, _)| millis_text(*d)).collect();
    assert_eq!(failing, want);
    assert_eq!(rule(&doc, "views per day")["passed"], true, "every view is read every day");
}

fn line_at(t: &str, user: &str) -> String {
    format!(
        r#"{{"event_type":"http.request","timestamp":"{t}","principal":{{"username":"{user}"}},"resource":{{"name":"fv"}},"outcome":"success","detail":"-> 200","duration_ms":5}}"#
    )
}

#[test]
fn empty_buckets_count_and_gaps_are_found() {
    // traffic every 10 minutes, then three silent hours
    let mut text = String::new();
    for m in (0..180).step_by(10) {
        text += &line_at(&format!("2026-10-01T{:02}:{:02}:00Z", m / 60, m % 60), "a");
        text.push('\n');
    }
    text += &line_at("2026-10-01T06:30:00Z", "a");
    text.push('\n');
    let (_d, path) = temp_file("gap.jsonl", text.as_bytes());
    let p = path.to_str().unwrap();
    let (code, doc, _) = check(&["--max=max_gap=2h", p]);
    assert_eq!(code, 1);
    assert_eq!(rule(&doc, "max_gap")["observed"], 3.0 * 3600.0 + 40.0 * 60.0);
    let dir = tempfile::tempdir().unwrap();
    let rules =
        rules_file(dir.path(), "[[rule]]\nname = \"logger alive\"\nmetric = \"events\"\nmin = 1\nper = \"1h\"\n");
    let (code, doc, _) = check(&["--rules", rules.to_str().unwrap(), p]);
    assert_eq!(code, 1);
    let buckets: Vec<&str> = rule(&doc, "logger alive")["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bucket"].as_str().unwrap())
        .collect();
    assert_eq!(buckets, ["2026-10-01T03:00:00.000Z", "2026-10-01T04:00:00.000Z", "2026-10-01T05:00:00.000Z"]);
}

#[test]
fn findings_and_chain_breaks() {
    let g = Generator::new(GenOptions { events: 20_000, seed: 9, incidents: true, ..Default::default() }).all();
    let (dir, path) = temp_file("inc.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let found: Vec<Value> = run(["anomalies", "--format", "json", p]).json()["findings"].as_array().unwrap().clone();
    let at_least = |s: &[&str]| found.iter().filter(|f| s.contains(&f["severity"].as_str().unwrap())).count() as f64;
    let rules = rules_file(
        dir.path(),
        r#"
[[rule]]
name = "critical"
metric = "findings"
severity = "critical"
max = 0

[[rule]]
name = "high or worse"
metric = "findings"
severity = "high"
max = 100

[[rule]]
name = "per principal"
metric = "findings"
max = 1
each = "principal"
"#,
    );
    let (code, doc, _) = check(&["--rules", rules.to_str().unwrap(), p]);
    assert_eq!(code, 1);
    assert_eq!(rule(&doc, "critical")["observed"], at_least(&["critical"]));
    assert_eq!(rule(&doc, "critical")["passed"], false);
    assert_eq!(rule(&doc, "high or worse")["observed"], at_least(&["critical", "high"]));
    let prober = g.injected.iter().find(|i| i.detector == "denied-burst").unwrap().principal.clone().unwrap();
    let subjects: Vec<&str> = rule(&doc, "per principal")["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert!(subjects.contains(&prober.as_str()), "{subjects:?}");

    // a tampered chain: chain_breaks counts what verify reports
    let mut lines =
        Generator::new(GenOptions { events: 500, shape: Shape::Soc2, chain: true, ..Default::default() }).all().lines;
    lines.swap(100, 101);
    lines.remove(300);
    let text: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().chain(std::iter::once(b'\n'))).collect();
    let (_d2, chain) = temp_file("chain.jsonl", &text);
    let verify = run(["verify", "--format", "json", chain.to_str().unwrap()]).json();
    let breaks = verify["breaks"].as_array().unwrap().len() as f64;
    assert!(breaks >= 2.0);
    let (code, doc, _) = check(&["--max=chain_breaks=0", chain.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(rule(&doc, "chain_breaks")["observed"], breaks);
}

#[test]
fn chain_breaks_cover_seal_manifests_with_a_pubkey_setting() {
    let g = generate(Shape::Feast, 400, 63, 0);
    let (dir, path) = temp_file("audit.log", &g.to_bytes());
    let key = dir.path().join("ops");
    run(["keygen", "--out", key.to_str().unwrap()]);
    run(["seal", "--key", &format!("{}.key", key.display()), "--checkpoint-every", "100", path.to_str().unwrap()]);
    let rules = rules_file(
        dir.path(),
        "[settings]\npubkey = \"ops.pub\"\n\n[[rule]]\nname = \"intact\"\nmetric = \"chain_breaks\"\nmax = 0\n",
    );
    let (code, doc, _) = check(&["--rules", rules.to_str().unwrap(), path.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");
    let mut lines = g.lines.clone();
    lines[150][30] ^= 1;
    let text: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().chain(std::iter::once(b'\n'))).collect();
    std::fs::write(&path, text).unwrap();
    let (code, doc, _) = check(&["--rules", rules.to_str().unwrap(), path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(rule(&doc, "intact")["observed"], 1.0);
}

#[test]
fn mistakes_in_rules_files_are_reported_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let f = testdata("feast.jsonl");
    for (text, position, needle) in [
        ("[[rule]]\nname = \"x\"\nmetric = \"p99\"\nmax = 1\n", "3:10", "unknown metric 'p99'"),
        ("[[rule]]\nname = \"x\"\nmetric = \"denied\"\nmaxx = 1\n", "4:1", "maxx"),
        ("[[rule]]\nname = \"x\"\nmetric = \"p99_ms\"\nmax = \"fast\"\n", "4:7", "expected a number"),
        ("[[rule]]\nname = \"x\"\nmetric = \"denied\"\nmax = 1\nper = \"often\"\n", "5:7", "1h"),
        ("[[rule]]\nname = \"x\"\nmetric = \"findings\"\nseverity = \"urgent\"\nmax = 0\n", "4:12", "critical"),
        ("[[rule]]\nname = \"x\"\nmetric = \"denied\"\n", "2:8", "needs `max`, `min` or both"),
        ("[[rule]]\nname = \"x\"\nmetric = \"malformed\"\nmax = 0\neach = \"principal\"\n", "5:8", "whole input"),
        ("[settings]\nauthn_failure = 3\n", "2:1", "authn_failure"),
        ("[[rule]\nname = 1\n", "1:", "TOML"),
    ] {
        let rules = rules_file(dir.path(), text);
        let r = run(["check", "--rules", rules.to_str().unwrap(), f.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{text}");
        let want = format!("{}:{position}", rules.display());
        assert!(r.stderr.contains(&want), "want {want} in {}", r.stderr);
        assert!(r.stderr.contains(needle) || needle == "TOML", "{needle} in {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    let r = run(["check", f.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no rules"));
    let r = run(["check", "--max", "latency=5", f.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown metric 'latency'"));
    let r = run(["check", "--max=events=1000", "/nonexistent.jsonl"]);
    assert_eq!(r.code, 2, "an unreadable input is an error even when rules pass");
}

#[test]
fn junit_is_xml_with_one_testcase_per_rule() {
    let p = testdata("incidents-week.jsonl.gz");
    let compliance = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/compliance.toml");
    let (code, doc, _) = check(&["--rules", compliance.to_str().unwrap(), p.to_str().unwrap()]);
    assert_eq!(code, 1, "a week cannot show 90 days of retention");
    let r = run(["check", "--format", "junit", "--rules", compliance.to_str().unwrap(), p.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let text = r.text();
    let xml = roxmltree::Document::parse(&text).expect("JUnit output parses as XML");
    let cases: Vec<roxmltree::Node> = xml.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    let rules = doc["rules"].as_array().unwrap();
    assert_eq!(cases.len(), rules.len());
    for (case, rule) in cases.iter().zip(rules) {
        assert!(case.attribute("name").unwrap().starts_with(rule["name"].as_str().unwrap()));
        let failed = case.children().any(|c| c.has_tag_name("failure"));
        assert_eq!(failed, rule["passed"] == false, "{}", rule["name"]);
    }
    let suite = xml.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
    let failed = rules.iter().filter(|r| r["passed"] == false).count();
    assert_eq!(suite.attribute("failures"), Some(failed.to_string().as_str()));

    let gh = run(["check", "--format", "github", "--rules", compliance.to_str().unwrap(), p.to_str().unwrap()]);
    let errors: Vec<&str> = gh
        .stdout
        .split(|b| *b == b'\n')
        .filter_map(|l| std::str::from_utf8(l).ok())
        .filter(|l| l.starts_with("::error title="))
        .collect();
    assert_eq!(errors.len(), failed);
}

#[test]
fn rules_file_settings_serve_the_other_commands() {
    let p = testdata("incidents-week.jsonl.gz");
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_file(dir.path(), "[settings]\nauthn_failures = 98\nsensitive = [\"credit_*\"]\n");
    let found = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec!["anomalies", "--format", "json", "--rules", rules.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.push(p.to_str().unwrap());
        run(&args).json()["findings"].as_array().unwrap().clone()
    };
    assert!(found(&[]).iter().all(|f| f["detector"] != "authn-failures"), "97 failures are below the file's 98");
    assert!(found(&["--authn-failures", "20"]).iter().any(|f| f["detector"] == "authn-failures"), "a flag wins");
    let users = run(["users", "--format", "json", "--rules", rules.to_str().unwrap(), p.to_str().unwrap()]).json();
    let sensitive_reason = users["principals"].as_array().unwrap().iter().any(|u| {
        u["risk_reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("on sensitive credit_"))
    });
    assert!(sensitive_reason, "the file's sensitive globs reach users");
}

#[test]
fn one_pass_results_do_not_depend_on_threads() {
    let p = testdata("incidents-week.jsonl.gz");
    let compliance = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/compliance.toml");
    let base = run([
        "check",
        "--format",
        "json",
        "--threads",
        "1",
        "--rules",
        compliance.to_str().unwrap(),
        p.to_str().unwrap(),
    ]);
    let other = run([
        "check",
        "--format",
        "json",
        "--threads",
        "4",
        "--buffer-size",
        "3000",
        "--rules",
        compliance.to_str().unwrap(),
        p.to_str().unwrap(),
    ]);
    assert_eq!(base.stdout, other.stdout);
}

/// A `findings` rule of `critical` severity alone runs only the detectors
/// of failures, keeping nothing else: what it counts, in all and for each
/// principal or hour, is what `anomalies` (every detector) finds at that
/// severity, counted here; and the same at one thread and at three.
#[test]
fn critical_findings_rules_count_what_every_detector_finds() {
    let p = testdata("incidents-week.jsonl.gz");
    let p = p.to_str().unwrap();
    let found: Vec<Value> = run(["anomalies", "--format", "json", p]).json()["findings"].as_array().unwrap().clone();
    let critical: Vec<&Value> = found.iter().filter(|f| f["severity"] == "critical").collect();
    assert!(critical.len() >= 2, "{found:#?}");
    let mut by_principal: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_hour: BTreeMap<String, u64> = BTreeMap::new();
    for f in &critical {
        if let Some(who) = f["principal"].as_str() {
            *by_principal.entry(who.to_owned()).or_default() += 1;
        }
        // the hour a finding starts in, as `per = "1h"` names its bucket
        let start = f["start"].as_str().unwrap();
        *by_hour.entry(format!("{}:00:00.000Z", &start[..13])).or_default() += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_file(
        dir.path(),
        r#"
[[rule]]
name = "no critical findings"
metric = "findings"
severity = "critical"
max = 0

[[rule]]
name = "each principal"
metric = "findings"
severity = "critical"
max = 0
each = "principal"

[[rule]]
name = "each hour"
metric = "findings"
severity = "critical"
max = 0
per = "1h"
"#,
    );
    let mut outputs = Vec::new();
    for threads in ["1", "3"] {
        let (code, doc, _) = check(&["--threads", threads, "--rules", rules.to_str().unwrap(), p]);
        assert_eq!(code, 1);
        assert_eq!(rule(&doc, "no critical findings")["observed"], critical.len() as f64);
        let failures = |name: &str, key: &str| -> BTreeMap<String, u64> {
            rule(&doc, name)["failures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| (f[key].as_str().unwrap().to_owned(), f["observed"].as_f64().unwrap() as u64))
                .collect()
        };
        assert_eq!(failures("each principal", "subject"), by_principal);
        assert_eq!(failures("each hour", "bucket"), by_hour);
        outputs.push(doc);
    }
    assert_eq!(outputs[0], outputs[1]);
}
