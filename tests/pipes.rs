//! `filter` and `redact`: output against an independent line-by-line
//! selection, order and bytes kept for any threads, a closed pipe, and the
//! redaction invariants (nothing personal survives; summaries stay equal).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use fsaudit::event::OutcomeClass;
use fsaudit::testgen::{GenEvent, GenOptions, Generated, Generator, Shape};
use serde_json::Value;

/// The lines of `g` whose event satisfies `keep` (malformed lines never do).
fn select(g: &Generated, keep: impl Fn(&GenEvent) -> bool, invert: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut events = g.events.iter();
    for (i, line) in g.lines.iter().enumerate() {
        let malformed = g.malformed_lines.contains(&(i as u64 + 1));
        let hit = !malformed && keep(events.next().unwrap());
        if hit != invert {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    out
}

#[test]
fn filter_prints_exactly_the_matching_lines_in_order() {
    let g = generate(Shape::Feast, 6000, 71, 25);
    let (_d, path) = temp_file("f.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let pivot = millis_text(g.events[3000].time);
    let pivot_t = g.events[3000].time;
    type Keep = Box<dyn Fn(&GenEvent) -> bool>;
    let cases: Vec<(Vec<&str>, Keep)> = vec![
        (vec!["--user", "svc-*"], Box::new(|e| e.principal.starts_with("svc-"))),
        (vec!["--outcome", "denied"], Box::new(|e| e.class == OutcomeClass::Denied)),
        (
            vec!["--view", "credit_*", "--since", &pivot],
            Box::new(move |e| e.resources.iter().any(|r| r.starts_with("credit_")) && e.time >= pivot_t),
        ),
        (vec!["--event-type", "authn.failure"], Box::new(|e| e.event_type == "authn.failure")),
        (vec![], Box::new(|_| true)),
    ];
    for (args, keep) in &cases {
        let want = select(&g, keep, false);
        let inverse = select(&g, keep, true);
        for (threads, buffer) in [("1", "2097152"), ("4", "500"), ("2", "8192")] {
            let mut all = vec!["filter", "--threads", threads, "--buffer-size", buffer];
            all.extend(args.iter());
            all.push(p);
            let r = run(&all);
            assert_eq!(r.code, 0, "{args:?}");
            assert!(r.stdout == want, "{args:?} with {threads} threads, buffer {buffer}");
            let mut inv = vec!["filter", "--invert", "--threads", threads, "--buffer-size", buffer];
            inv.extend(args.iter());
            inv.push(p);
            assert!(run(&inv).stdout == inverse, "--invert {args:?}");
        }
        let mut count = vec!["filter", "--count"];
        count.extend(args.iter());
        count.push(p);
        let n = want.iter().filter(|b| **b == b'\n').count();
        assert_eq!(run(&count).text().trim(), n.to_string(), "--count {args:?}");
    }
}

#[test]
fn filter_keeps_bytes_across_compression_and_stdin_and_says_when_nothing_matched() {
    let g = generate(Shape::Flat, 2000, 72, 5);
    let plain = g.to_bytes();
    let want = select(&g, |e| e.class != OutcomeClass::Success, false);
    let zst = zstd::encode_all(&plain[..], 3).unwrap();
    let (_d, path) = temp_file("f.jsonl.zst", &zst);
    let r = run(["filter", "--outcome", "denied,unauthenticated,error", path.to_str().unwrap()]);
    assert!(r.stdout == want);
    let r = run_stdin(["filter", "--outcome", "denied,unauthenticated,error"], &plain);
    assert!(r.stdout == want);
    let r = run(["filter", "--user", "nobody-at-all", path.to_str().unwrap()]);
    assert_eq!(r.code, 1, "like grep: nothing matched");
    assert!(r.stdout.is_empty());
    // CRLF and a last line without a newline stay as they were
    let text = b"{\"event_type\":\"x\",\"user\":\"a\",\"timestamp\":\"2026-10-01T00:00:00Z\",\"status\":\"ok\"}\r\nnot json\r\n{\"event_type\":\"x\",\"user\":\"b\",\"timestamp\":\"2026-10-01T00:00:01Z\",\"status\":\"ok\"}";
    let (_d2, crlf) = temp_file("crlf.jsonl", text);
    let r = run(["filter", "--user", "a", crlf.to_str().unwrap()]);
    assert_eq!(r.stdout, &text[..text.iter().position(|b| *b == b'\n').unwrap() + 1]);
    let r = run(["filter", "--invert", "--user", "a", crlf.to_str().unwrap()]);
    assert_eq!(
        r.text(),
        "not json\r\n{\"event_type\":\"x\",\"user\":\"b\",\"timestamp\":\"2026-10-01T00:00:01Z\",\"status\":\"ok\"}\n"
    );
}

#[test]
fn normalize_gives_one_shape_for_every_schema() {
    for shape in [Shape::Feast, Shape::FeastSox, Shape::Flat, Shape::Soc2] {
        let g = generate(shape, 300, 73, 2);
        let (_d, path) = temp_file("n.jsonl", &g.to_bytes());
        let r = run(["filter", "--normalize", path.to_str().unwrap()]);
        let rows: Vec<Value> = r.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), g.events.len());
        for (row, e) in rows.iter().zip(&g.events) {
            assert_eq!(row["principal"], principal_of(e));
            assert_eq!(row["outcome"], e.class.name());
            assert_eq!(row["time"], millis_text(e.time));
            let resources: Vec<&str> =
                row["resources"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
            assert_eq!(resources, e.resources.iter().map(String::as_str).collect::<Vec<_>>());
            assert_eq!(row["latency_ms"].as_f64(), e.latency_ms);
        }
    }
}

#[test]
fn a_closed_pipe_stops_filter_quietly() {
    let g = Generator::new(GenOptions { events: 100_000, ..Default::default() }).all();
    let (_d, path) = temp_file("big.jsonl", &g.to_bytes());
    let started = std::time::Instant::now();
    let mut child = Command::new(bin())
        .args(["filter", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for _ in 0..5 {
        lines.next().unwrap().unwrap();
    }
    drop(lines);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // a guard against hanging, not a speed test
    assert!(started.elapsed().as_secs() < 60);
}

fn summary_of(bytes: &[u8]) -> Value {
    let r = run_stdin(["summary", "--format", "json", "--top", "0"], bytes);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut doc = r.json();
    doc["inputs"] = Value::Null;
    doc
}

#[test]
fn redaction_leaves_nothing_personal_and_the_same_summary() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, "a secret of the data owner\n").unwrap();
    for shape in [Shape::Feast, Shape::FeastSox, Shape::Flat, Shape::Soc2] {
        let g = generate(shape, 3000, 74, 6);
        let original = g.to_bytes();
        let (_d, path) = temp_file("r.jsonl", &original);
        let r = run(["redact", "--key-file", key.to_str().unwrap(), path.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("6 malformed lines dropped"), "{}", r.stderr);
        let text = r.text();
        let principals: std::collections::BTreeSet<&str> =
            g.events.iter().map(|e| e.principal.as_str()).filter(|p| !p.is_empty() && !p.starts_with('(')).collect();
        for p in principals {
            assert!(!text.contains(p), "{shape:?}: principal {p} survived");
        }
        let addresses: std::collections::BTreeSet<&str> =
            g.events.iter().filter_map(|e| e.source_ip.as_deref()).collect();
        for ip in addresses {
            assert!(!text.contains(&format!("\"{ip}\"")), "{shape:?}: address {ip} survived");
        }
        assert!(!text.contains("@corp.example"), "{shape:?}: an e-mail survived");
        let (before, after) = (summary_of(&original), summary_of(&r.stdout));
        for key in
            ["events", "outcomes", "success_rate", "latency_ms", "time_range", "event_types", "events_without_resource"]
        {
            assert_eq!(before[key], after[key], "{shape:?}: {key}");
        }
        assert_eq!(before["distinct"]["principals"], after["distinct"]["principals"], "{shape:?}");
        assert_eq!(before["distinct"]["resources"], after["distinct"]["resources"], "{shape:?}");
        // prefix-preserving pseudonyms keep distinct addresses distinct
        assert_eq!(before["distinct"]["source_ips"], after["distinct"]["source_ips"], "{shape:?}");
        assert_eq!(after["malformed"], 0);
        // the same key gives the same pseudonyms in another run
        let again = run(["redact", "-q", "--key-file", key.to_str().unwrap(), path.to_str().unwrap()]);
        assert!(again.stdout == r.stdout, "{shape:?}: stable pseudonyms");
    }
}

#[test]
fn free_text_is_scrubbed_and_malformed_lines_kept_on_request() {
    let line = r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:00Z","principal":{"username":"svc-payments"},"source":{"ip":"2001:db8:abcd:12::7"},"resource":{"name":"fv"},"outcome":"failure","detail":"POST /x -> 401: token Bearer abc.def-123 of ann@bank.example from 198.51.100.23 (svc-payments)","user_agent":"curl eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"}"#;
    let text = format!("{line}\nmalformed line with bob@bank.example and svc-payments\n");
    let (_d, path) = temp_file("pii.jsonl", text.as_bytes());
    let r = run(["redact", "-q", "--keep-malformed", "--ip-mode", "network", path.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    let out = r.text();
    for secret in [
        "svc-payments",
        "abc.def-123",
        "ann@bank.example",
        "198.51.100.23",
        "eyJhbGci",
        "bob@bank.example",
        "2001:db8:abcd:12::7",
    ] {
        assert!(!out.contains(secret), "{secret} survived in {out}");
    }
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["source"]["ip"], "2001:db8:abcd::");
    let detail = first["detail"].as_str().unwrap();
    assert!(detail.starts_with("POST /x -> 401: token Bearer [redacted] of email-"), "{detail}");
    assert!(detail.contains(" from 198.51.100.0 (user-"), "{detail}");
    let kept = out.lines().nth(1).unwrap();
    assert!(kept.starts_with("malformed line with email-") && kept.contains(" and user-"), "{kept}");
    // without a key: a warning, and pseudonyms that change from run to run
    let a = run(["redact", path.to_str().unwrap()]);
    assert!(a.stderr.contains("random key"), "{}", a.stderr);
    let b = run(["redact", "-q", path.to_str().unwrap()]);
    assert_ne!(a.stdout, b.stdout);
}

/// A slow pipe (`tail -f audit.log | fsaudit filter …`): a matching line is
/// printed as soon as the input pauses, not when a chunk is full or the
/// input ends; the lines that follow later are printed too, in order.
#[test]
fn filter_prints_a_line_from_a_slow_pipe_within_a_second() {
    use std::io::Write;
    let g = generate(Shape::Feast, 40, 17, 0);
    let who = g.events[0].principal.clone();
    let mut child = spawn_piped(["filter", "--user", &who]);
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    // the first line alone, then a pause: it must come out while the pipe stays open
    stdin.write_all(&g.lines[0]).unwrap();
    stdin.write_all(b"\n").unwrap();
    stdin.flush().unwrap();
    let first = rx.recv_timeout(std::time::Duration::from_secs(1)).expect("the matching line within 1 s");
    assert_eq!(first.as_bytes(), &g.lines[0][..]);
    // a line arriving in two pieces is printed whole, once its end arrives
    let second = g.events.iter().zip(&g.lines).skip(1).find(|(e, _)| e.principal == who).map(|(_, l)| l.clone());
    if let Some(line) = &second {
        let (a, b) = line.split_at(line.len() / 2);
        stdin.write_all(a).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(rx.try_recv().is_err(), "half a line printed");
        stdin.write_all(b).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
        let got = rx.recv_timeout(std::time::Duration::from_secs(1)).expect("the second line within 1 s");
        assert_eq!(got.as_bytes(), &line[..]);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
