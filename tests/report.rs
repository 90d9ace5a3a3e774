//! `fsaudit report`: its numbers against the generator's facts, the page's
//! safety (escaped text, nothing fetched), and the page as a real browser
//! renders it (Chromium headless, which `.ci/run` installs).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{assert_summary_matches, principal_of, run, run_stdin};
use fsaudit::event::OutcomeClass;
use fsaudit::testgen::Shape;
use serde_json::Value;

/// Every `data-metric="…" data-value="…"` pair of a page.
fn metrics(html: &str) -> BTreeMap<String, String> {
    let re = regex::Regex::new(r#"data-metric="([^"]+)" data-value="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| (c[1].to_owned(), c[2].to_owned())).collect()
}

/// The figures of the executive summary, counted from the facts.
fn expected(g: &fsaudit::testgen::Generated) -> BTreeMap<&'static str, String> {
    let n = g.events.len() as u64;
    let success = g.events.iter().filter(|e| e.class == OutcomeClass::Success).count() as u64;
    let denied = g.events.iter().filter(|e| e.class == OutcomeClass::Denied).count() as u64;
    let principals: BTreeSet<&str> = g.events.iter().map(principal_of).collect();
    let lat: Vec<f64> = g.events.iter().filter_map(|e| e.latency_ms).collect();
    let mean = lat.iter().sum::<f64>() / lat.len() as f64;
    BTreeMap::from([
        ("events", n.to_string()),
        ("failed_requests", (n - success).to_string()),
        ("denied", denied.to_string()),
        ("principals", principals.len().to_string()),
        ("outcomes.success", success.to_string()),
        ("success_rate", format!("{}", success as f64 / n as f64)),
        ("mean_latency_ms", format!("{mean:.3}")),
    ])
}

fn assert_page_says(page: &BTreeMap<String, String>, want: &BTreeMap<&'static str, String>) {
    for (k, v) in want {
        let got = page.get(*k).unwrap_or_else(|| panic!("the page has no {k}"));
        match (got.parse::<f64>(), v.parse::<f64>()) {
            (Ok(a), Ok(b)) if *k == "mean_latency_ms" => assert!((a - b).abs() < 0.0011, "{k}: page {a}, facts {b}"),
            (Ok(a), Ok(b)) => assert!((a - b).abs() <= b.abs() * 1e-12, "{k}: page {a}, facts {b}"),
            _ => assert_eq!(got, v, "{k}"),
        }
    }
}

fn week(seed: u64) -> (tempfile::TempDir, PathBuf, fsaudit::testgen::Generated) {
    let g = common::generate(Shape::Feast, 4000, seed, 0);
    let (dir, path) = common::temp_file("week.jsonl", &g.to_bytes());
    (dir, path, g)
}

#[test]
fn the_report_document_holds_each_part_and_the_executive_figures() {
    let (_d, path, g) = week(31);
    let p = path.to_str().unwrap();
    let r = run(["report", "--format", "json", p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["command"], "report");
    assert_summary_matches(&doc["summary"], &g.events.iter().collect::<Vec<_>>());
    // the parts are the commands' own documents
    for (part, args) in [("summary", vec!["summary"]), ("endpoints", vec!["group", "--by", "endpoint"])] {
        let mut all = args.clone();
        all.extend(["--format", "json", p]);
        assert_eq!(doc[part], run(all).json(), "{part}");
    }
    // the timeline's buckets add up to the events
    let buckets = doc["timeline"]["buckets"].as_array().unwrap();
    assert_eq!(buckets.iter().map(|b| b["events"].as_u64().unwrap()).sum::<u64>(), g.events.len() as u64);
    let ex = &doc["executive"];
    let want = expected(&g);
    assert_eq!(ex["requests"].to_string(), want["events"]);
    assert_eq!(ex["failed_requests"].to_string(), want["failed_requests"]);
    assert_eq!(ex["unique_principals"].to_string(), want["principals"]);
    assert!(ex["compliance"].is_null() && ex["integrity"].is_null() && doc["check"].is_null());
}

#[test]
fn the_page_shows_the_figures_and_fetches_nothing() {
    let (dir, path, g) = week(32);
    let out = dir.path().join("report.html");
    let r = run(["report", path.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_page_says(&metrics(&html), &expected(&g));
    // self-contained: no address, no script, no external resource of any kind
    for banned in ["http:", "https:", "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import"] {
        assert!(!html.to_ascii_lowercase().contains(banned), "the page holds {banned}");
    }
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    assert!(html.contains("@media print") && html.contains("size: A4"));
}

#[test]
fn rules_and_integrity_verdicts_fail_closed_in_the_page_and_the_exit_code() {
    let (dir, path, _) = week(33);
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nname = \"no denials\"\nmetric = \"denied\"\nmax = 0\n\n[[rule]]\nname = \"some events\"\nmetric = \"events\"\nmin = 1\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    // the generated log carries no integrity fields and has no manifest: unverified
    let r = run(["report", "--format", "json", "--rules", rules.to_str().unwrap(), "--verify", p]);
    assert_eq!(r.code, 1, "a failed rule and an unverified log: exit 1; {}", r.stderr);
    let doc = r.json();
    let c = &doc["executive"]["compliance"];
    assert_eq!(
        (c["rules"].as_u64(), c["rules_passed"].as_u64(), c["passed"].as_bool()),
        (Some(2), Some(1), Some(false))
    );
    assert_eq!(c["score"].as_f64(), Some(0.5));
    assert_eq!(doc["executive"]["integrity"]["intact"], false);
    assert_eq!(doc["verify"]["status"], "unverified");
    let html = run(["report", "--rules", rules.to_str().unwrap(), "--verify", p]).text();
    assert!(html.contains("FAILED") && html.contains("UNVERIFIED"), "the page says so");

    // an intact chained log passes
    let chained = common::testdata("soc2.jsonl");
    let r = run(["report", "--format", "json", "--verify", chained.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["executive"]["integrity"]["status"], "intact");
}

#[test]
fn an_input_that_cannot_be_read_gives_a_page_that_does_not_pass() {
    // every rule holds over the file that is there; the other is missing:
    // the page is still made (on stdout), says NOT PASSED, and the run
    // exits 2 naming the missing input once, not once per part
    let (dir, path, g) = week(34);
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[[rule]]\nname = \"some events\"\nmetric = \"events\"\nmin = 1\n").unwrap();
    let missing = dir.path().join("gone.jsonl");
    let (p, m, r) = (path.to_str().unwrap(), missing.to_str().unwrap(), rules.to_str().unwrap());
    let out = run(["report", "--format", "json", "--rules", r, p, m]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.matches("gone.jsonl").count(), 1, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["summary"]["events"], g.events.len() as u64, "what could be read is counted");
    assert_eq!(doc["check"]["passed"], false);
    assert_eq!(doc["check"]["rules"][0]["passed"], true);
    assert_eq!(doc["executive"]["compliance"]["passed"], false);
    let html = run(["report", "--rules", r, p, m]);
    assert_eq!(html.code, 2);
    assert!(html.text().contains(">NOT PASSED (input incomplete)<"), "the page says so");
    // with --output, the page is left as it was (here: not made)
    let page = dir.path().join("page.html");
    let kept = run(["report", "--rules", r, p, m, "--output", page.to_str().unwrap()]);
    assert_eq!(kept.code, 2);
    assert!(!page.exists());
}

#[test]
fn hostile_names_are_text_in_the_page_and_stdin_is_read_once() {
    let lines = [
        r#"{"event_type":"authz.decision","timestamp":"2026-10-01T00:00:00Z","principal":{"username":"<script>alert(1)</script>","roles":[]},"source":{"ip":"10.0.0.1"},"resource":{"type":"FeatureView","name":"\"><img src=x onerror=alert(2)>","actions":["READ_ONLINE"]},"outcome":"denied","detail":""}"#,
        r#"{"event_type":"authz.decision","timestamp":"2026-10-01T00:01:00Z","principal":{"username":"a\u001b[31mred","roles":[]},"source":{"ip":"10.0.0.2"},"resource":{"type":"FeatureView","name":"fv","actions":["READ_ONLINE"]},"outcome":"allowed","detail":""}"#,
    ];
    let input = format!("{}\n{}\nnot json\n", lines[0], lines[1]);
    let r = run_stdin(["report"], input.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    // the copy of standard input is never named: stderr and the page say <stdin>
    assert!(r.stderr.contains("<stdin>:3: not a JSON object") && !r.stderr.contains("fsaudit-report"), "{}", r.stderr);
    assert!(!r.text().contains("fsaudit-report"));
    let html = r.text();
    assert!(!html.contains("<script") && !html.contains("<img"), "markup from the log reached the page");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("a\\x1b[31mred") && !html.contains('\u{1b}'));
    assert!(html.contains("&lt;stdin&gt;"), "standard input is named as such");
    assert_eq!(metrics(&html)["events"], "2");
}

/// Chromium's binary, if one is installed (CI installs Debian's).
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

#[test]
fn a_real_browser_renders_the_page_with_the_same_numbers() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must install Chromium (.ci/run) for the browser test");
        eprintln!("skipped: no Chromium installed");
        return;
    };
    let (dir, path, g) = week(34);
    let page = dir.path().join("report.html");
    let r = run(["report", path.to_str().unwrap(), "--output", page.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let url = format!("file://{}", page.display());
    // every host unresolvable: a request the page made would fail and be logged
    let common_flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let dom = std::process::Command::new(&browser)
        .args(common_flags)
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .args(["--dump-dom", &url])
        .output()
        .expect("chromium runs");
    assert!(dom.status.success(), "chromium failed: {}", String::from_utf8_lossy(&dom.stderr));
    let rendered = String::from_utf8_lossy(&dom.stdout);
    let log = String::from_utf8_lossy(&dom.stderr);
    for bad in ["CONSOLE", "Refused to", "net::ERR", "Uncaught"] {
        assert!(!log.contains(bad), "the browser logged {bad}: {log}");
    }
    // the DOM the browser built holds the figures the facts give
    assert_page_says(&metrics(&rendered), &expected(&g));
    assert!(rendered.contains("<svg"), "the timeline chart is drawn");

    // the screenshot, kept as the test's artifact
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let out = std::process::Command::new(&browser)
        .args(common_flags)
        .arg(format!("--user-data-dir={}", dir.path().join("profile2").display()))
        .args(["--window-size=1200,2400", &format!("--screenshot={}", shot.display()), &url])
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a screenshot of the page");
    eprintln!("screenshot: {}", shot.display());

    // printed (saved as PDF), the page is laid out on A4 sheets
    let pdf = dir.path().join("report.pdf");
    let out = std::process::Command::new(&browser)
        .args(common_flags)
        .arg(format!("--user-data-dir={}", dir.path().join("profile3").display()))
        .args(["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display()), &url])
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&pdf).expect("a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let re = regex::Regex::new(r"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]").unwrap();
    let pages: Vec<(f64, f64)> =
        re.captures_iter(&text).map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap())).collect();
    assert!(!pages.is_empty(), "no page in the PDF");
    for (w, h) in pages {
        // A4 is 595.28 x 841.89 points
        assert!((w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0, "a page of {w} x {h} points");
    }
}

#[test]
fn markdown_for_a_job_summary() {
    let (_d, path, g) = week(35);
    let r = run(["report", "--format", "markdown", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = r.text();
    assert!(md.starts_with("# Feature store audit report\n"), "{md}");
    let n = g.events.len();
    assert!(md.contains(&format!("{} requests", common::thousands(n as u64))), "{md}");
    assert!(
        md.contains("## fsaudit summary") && md.contains("## fsaudit anomalies") && md.contains("## fsaudit users")
    );
    let v: Value = serde_json::from_slice(&run(["report", "--format", "json", path.to_str().unwrap()]).stdout).unwrap();
    assert_eq!(v["executive"]["requests"], n as u64);
}

#[test]
fn top_shortens_the_tables_not_the_counts() {
    let week = common::testdata("incidents-week.jsonl.gz");
    let w = week.to_str().unwrap();
    let all = run(["anomalies", "--format", "json", w]).json()["findings"].as_array().unwrap().len();
    assert!(all > 2, "the fixture has several findings");
    let html = run(["report", "--top", "2", w]).text();
    assert!(html.contains(&format!("the 2 most severe of {all}")), "the findings heading");
    assert!(html.contains(&format!("{all} findings of the detectors")), "the executive summary counts them all");
    let md = run(["report", "--top", "2", "--format", "markdown", w]).text();
    assert!(md.contains(&format!("## fsaudit anomalies: {all} findings")) && md.contains("The 2 most severe:"), "{md}");
}
