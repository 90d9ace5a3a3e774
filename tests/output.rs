//! Output for people is safe to print: text from the log cannot reach the
//! terminal as control characters, and CSV cells cannot run as formulas.

mod common;

use common::{run, temp_file};

const EVIL: &str = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J\nname\u{202e}";

fn hostile_log() -> String {
    let mut lines = Vec::new();
    for (i, view) in ["=HYPERLINK(\"http://x\")", "+1+1", "@SUM(1)", "-2+3", "plain_fv"].iter().enumerate() {
        let line = serde_json::json!({
            "event_type": "http.request",
            "timestamp": format!("2026-10-01T10:0{i}:00Z"),
            "principal": {"username": EVIL, "roles": ["reader"]},
            "source": {"ip": "10.0.0.1"},
            "resource": {"name": view},
            "outcome": "success",
            "duration_ms": 2.5
        });
        lines.push(line.to_string());
    }
    // a malformed line that carries the escapes too
    lines.push(format!("{{\"timestamp\": \"{}\"", "\u{1b}]0;pwned\u{7}"));
    lines.join("\n") + "\n"
}

#[test]
fn tables_and_warnings_escape_control_characters() {
    let (_d, p) = temp_file("evil.jsonl", hostile_log().as_bytes());
    let p = p.to_str().unwrap();
    for cmd in [&["users"][..], &["views"], &["summary"], &["group", "--by", "principal,resource"], &["anomalies"]] {
        let mut args = cmd.to_vec();
        args.push(p);
        let r = run(&args);
        let all = format!("{}{}", r.text(), r.stderr);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!all.contains(bad), "{cmd:?}: {bad:?} printed raw:\n{all}");
        }
        if cmd[0] != "anomalies" && cmd[0] != "views" {
            assert!(r.text().contains("evil\\x1b]0;pwned\\x07\\x1b[2J\\nname\\u{202e}"), "{cmd:?}:\n{}", r.text());
        }
    }
    // JSON stays exact
    let r = run(["users", "--format", "json", p]);
    assert_eq!(r.json()["principals"][0]["name"], EVIL);
    // check names the principal a rule fails for: in its table, in GitHub's
    // annotations and in JUnit's messages, escaped
    let (_r, rules) =
        temp_file("rules.toml", b"[[rule]]\nname = \"quiet\"\nmetric = \"events\"\nmax = 0\neach = \"principal\"\n");
    for format in ["table", "github", "junit"] {
        let r = run(["check", "-q", "--format", format, "--rules", rules.to_str().unwrap(), p]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!r.text().contains(bad), "check --format {format}: {bad:?} printed raw:\n{}", r.text());
        }
        assert!(r.text().contains("evil\\x1b]0;pwned\\x07\\x1b[2J\\nname\\u{202e}"), "{format}:\n{}", r.text());
    }
    let r = run(["check", "-q", "--format", "json", "--rules", rules.to_str().unwrap(), p]);
    assert_eq!(r.json()["rules"][0]["failures"][0]["subject"], EVIL);
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let (_d, p) = temp_file("evil.jsonl", hostile_log().as_bytes());
    let p = p.to_str().unwrap();
    let r = run(["views", "-q", "--format", "csv", p]);
    let mut rd = csv::Reader::from_reader(r.stdout.as_slice());
    let names: Vec<String> = rd.records().map(|rec| rec.unwrap()[0].to_owned()).collect();
    for want in ["'=HYPERLINK(\"http://x\")", "'+1+1", "'@SUM(1)", "'-2+3", "plain_fv"] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    let raw = run(["views", "-q", "--format", "csv", "--csv-raw", p]);
    let mut rd = csv::Reader::from_reader(raw.stdout.as_slice());
    let names: Vec<String> = rd.records().map(|rec| rec.unwrap()[0].to_owned()).collect();
    assert!(names.iter().any(|n| n == "=HYPERLINK(\"http://x\")"), "{names:?}");
}

#[test]
fn filter_prints_events_as_csv_rows_and_table_rows_that_fit() {
    let path = common::testdata("feast.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    // the fixture read here, independently
    let want: Vec<Vec<String>> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let detail = v["detail"].as_str().unwrap_or("");
            let status = detail.rsplit("-> ").next().filter(|_| detail.contains("-> ")).unwrap_or("").to_owned();
            vec![
                v["timestamp"].as_str().unwrap().to_owned(),
                v["principal"]["username"].as_str().unwrap().to_owned(),
                v["source"]["ip"].as_str().unwrap().to_owned(),
                v["resource"]["name"].as_str().unwrap().to_owned(),
                status,
                v["duration_ms"].as_f64().map(|l| format!("{l:.3}")).unwrap_or_default(),
            ]
        })
        .collect();
    let fields = "time,principal,source_ip,resource,status,latency_ms";
    let r = run(["filter", "--format", "csv", "--fields", fields, path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rd = csv::Reader::from_reader(r.stdout.as_slice());
    assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>().join(","), fields);
    let got: Vec<Vec<String>> = rd.records().map(|rec| rec.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(got, want);
    // a table fits the width it is given, as rows or as records
    for cols in ["80", "120", "200"] {
        let out = std::process::Command::new(common::bin())
            .args(["filter", "--format", "table", path.to_str().unwrap()])
            .env("COLUMNS", cols)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let limit: usize = cols.parse().unwrap();
        assert!(text.lines().all(|l| l.chars().count() <= limit), "{cols}:\n{text}");
        assert!(text.contains("user0000@"), "{cols}:\n{text}");
    }
    // the default is still the log's own lines
    let r = run(["filter", path.to_str().unwrap()]);
    assert_eq!(r.stdout, text.as_bytes());
    assert_eq!(run(["filter", "--format", "junit", path.to_str().unwrap()]).code, 2);
}

#[test]
fn every_table_fits_80_and_120_columns() {
    let week = common::testdata("feast-week.jsonl.gz");
    let incidents = common::testdata("incidents-week.jsonl.gz");
    let (week, incidents) = (week.to_str().unwrap(), incidents.to_str().unwrap());
    let commands: Vec<Vec<&str>> = vec![
        vec!["summary", week],
        vec!["users", "--top", "3", incidents],
        vec!["users", "--user", "svc-fraud_model_v3", week],
        vec!["views", week],
        vec!["views", "--view", "credit_*", week],
        vec!["anomalies", incidents],
        vec!["timeline", week],
        vec!["group", "--by", "principal,endpoint", "--top", "20", week],
        vec!["check", "--min", "events=1", "--max", "p99_ms=100", "--max", "denied_rate=0.001", week],
        vec!["verify", "--allow-unverified", week],
    ];
    for cols in [80usize, 120] {
        for args in &commands {
            let out = std::process::Command::new(common::bin())
                .args(args)
                .env("COLUMNS", cols.to_string())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(!text.is_empty(), "{args:?}");
            for line in text.lines() {
                assert!(line.chars().count() <= cols, "{args:?} at {cols}: {} > {cols}: {line}", line.chars().count());
            }
            // no cell squeezed to one character, no header wrapped over two lines
            assert!(!text.lines().any(|l| l.contains("┆ … ┆") || l.contains("│ … ┆")), "{args:?} at {cols}:\n{text}");
            let lines: Vec<&str> = text.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                if l.starts_with('╭') {
                    assert!(
                        lines.get(i + 2).is_some_and(|h| h.starts_with('╞')),
                        "{args:?} at {cols}: header wrapped:\n{}",
                        lines[i..(i + 4).min(lines.len())].join("\n")
                    );
                }
            }
        }
    }
}

#[test]
fn one_item_inputs_read_in_the_singular_and_strict_filters_print_nothing() {
    let line = r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:00Z","principal":{"username":"alice"},"source":{"ip":"10.0.0.1"},"resource":{"name":"fv"},"outcome":"success","duration_ms":2.5}"#;
    let (_d, p) = temp_file("one.jsonl", format!("{line}\n").as_bytes());
    let p = p.to_str().unwrap();
    let text = |args: &[&str]| {
        let mut a = args.to_vec();
        a.push(p);
        run(&a).text()
    };
    assert!(text(&["summary"]).starts_with("Summary of 1 input: 1 event (1 scanned, 0 malformed)"));
    assert!(text(&["summary"]).contains("Distinct: 1 principal, 1 source IP, 1 resource"));
    assert!(text(&["users"]).starts_with("Users: 1 of 1 principal, 1 event"));
    assert!(text(&["views"]).starts_with("Views: 1 of 1 resource, 1 event"));
    assert!(text(&["timeline"]).starts_with("Timeline: 1 event in 1 bucket"));
    let anomalies = text(&["anomalies"]);
    assert!(
        anomalies.starts_with("Anomalies: no findings in 1 event") && !anomalies.contains("most severe"),
        "{anomalies}"
    );
    // --since with a leading minus is a duration back from now
    assert_eq!(run(["summary", "-q", "--format", "json", "--since", "-24h", p]).code, 0);
    // filter --strict prints nothing from a log with a malformed line
    let (_d2, bad) = temp_file("bad.jsonl", format!("{line}\nnot json\n").as_bytes());
    let r = run(["filter", "--strict", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("bad.jsonl:2:"), "{}", r.stderr);
}

#[test]
fn check_lists_its_metrics_with_units() {
    let r = run(["check", "--list-metrics", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    let names: Vec<&str> = doc["metrics"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    for n in ["events", "p99_ms", "success_rate", "max_gap", "chain_breaks"] {
        assert!(names.contains(&n), "{n}");
    }
    assert!(doc["metrics"].as_array().unwrap().iter().all(|m| !m["unit"].as_str().unwrap().is_empty()));
    let help = run(["check", "-h"]).text();
    assert!(help.contains("p99_ms") && help.contains("--list-metrics"), "{help}");
}

#[test]
fn a_burst_of_denials_naming_no_resource_says_so() {
    let lines: Vec<String> = (0..30)
        .map(|i| {
            serde_json::json!({"event_type": "http.request", "timestamp": format!("2026-10-01T10:00:{i:02}.000Z"),
                "principal": {"username": "mallory"}, "source": {"ip": "10.0.0.9"}, "resource": {"name": ""},
                "outcome": "failure", "detail": "POST /get-online-features -> 403"})
            .to_string()
        })
        .collect();
    let (_d, p) = temp_file("burst.jsonl", (lines.join("\n") + "\n").as_bytes());
    let doc = run(["anomalies", "--format", "json", p.to_str().unwrap()]).json();
    let burst = doc["findings"].as_array().unwrap().iter().find(|f| f["detector"] == "denied-burst").expect("a burst");
    let evidence = burst["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("denied within 29s, naming no resource;") && !evidence.contains("0 resources"),
        "{evidence}"
    );
    // the baseline: nobody else in the log, and no other request of mallory's
    assert!(evidence.contains("mallory made no other request"), "{evidence}");
}

#[test]
fn inline_rules_keep_the_order_given() {
    let p = common::testdata("feast.jsonl");
    let r = run([
        "check",
        "--format",
        "json",
        "--min",
        "events=1",
        "--max=p99_ms=100",
        "--max",
        "denied_rate=0.5",
        "--min",
        "p99_ms=1",
        p.to_str().unwrap(),
    ]);
    let names: Vec<String> =
        r.json()["rules"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["events", "p99_ms", "denied_rate"]);
}
