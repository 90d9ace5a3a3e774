//! `fsaudit summary` end to end: every schema, the outcome rules, malformed
//! lines, compression, stdin, threads and chunking, filters, exit codes.

mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use common::*;
use fsaudit::event::OutcomeClass;
use fsaudit::testgen::{GenEvent, Shape};
use serde_json::Value;

#[test]
fn every_schema_matches_the_generated_truth() {
    for (i, shape) in [Shape::Feast, Shape::FeastSox, Shape::Flat, Shape::Soc2].into_iter().enumerate() {
        let g = generate(shape, 4000, 100 + i as u64, 9);
        let (_dir, path) = temp_file("log.jsonl", &g.to_bytes());
        let doc = summary([&path]);
        let all: Vec<&GenEvent> = g.events.iter().collect();
        assert_summary_matches(&doc, &all);
        assert_eq!(doc["scanned"], 4000);
        assert_eq!(doc["malformed"], 9, "{shape:?}");
        assert_eq!(doc["inputs"][0]["lines"], 4009);
        assert_eq!(doc["inputs"][0]["malformed"], 9);
        assert_eq!(doc["schema_version"], 1);
        assert_eq!(doc["command"], "summary");
    }
}

#[test]
fn mixed_schemas_in_one_file() {
    let mut bytes = Vec::new();
    let mut events = Vec::new();
    for (i, shape) in [Shape::Feast, Shape::FeastSox, Shape::Flat, Shape::Soc2].into_iter().enumerate() {
        let g = generate(shape, 500, 7 + i as u64, 0);
        bytes.extend(g.to_bytes());
        events.extend(g.events);
    }
    let (_dir, path) = temp_file("mixed.jsonl", &bytes);
    let doc = summary([&path]);
    assert_summary_matches(&doc, &events.iter().collect::<Vec<_>>());
}

#[test]
fn shared_samples_of_each_schema_are_read_whole() {
    for name in ["feast.jsonl", "feast-sox.jsonl", "flat.jsonl", "soc2.jsonl"] {
        let text = std::fs::read_to_string(testdata(name)).unwrap();
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count() as u64;
        let doc = summary([testdata(name)]);
        assert_eq!(doc["events"], lines, "{name}");
        assert_eq!(doc["malformed"], 0, "{name}");
    }
}

/// Each line of `outcomes.jsonl` says which class it must get.
#[test]
fn outcome_rules_of_the_design_table() {
    let text = std::fs::read_to_string(testdata("outcomes.jsonl")).unwrap();
    let mut expected = [0u64; 4];
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        expected[OutcomeClass::parse(v["expect"].as_str().unwrap()).unwrap() as usize] += 1;
    }
    let doc = summary([testdata("outcomes.jsonl")]);
    for c in OutcomeClass::ALL {
        assert_eq!(doc["outcomes"][c.name()], expected[c as usize], "{c}");
    }
    // and line by line, through the outcome filter
    for c in OutcomeClass::ALL {
        let doc = summary([testdata("outcomes.jsonl").as_os_str(), "--outcome".as_ref(), c.name().as_ref()]);
        assert_eq!(doc["events"], expected[c as usize], "--outcome {c}");
    }
}

#[test]
fn feast_failure_403_is_denied_and_401_unauthenticated() {
    let line = |code: u32| {
        format!(
            r#"{{"event_type":"http.request","timestamp":"2026-10-01T00:26:06.135Z","principal":{{"username":"svc"}},"resource":{{"name":"fv"}},"outcome":"failure","detail":"POST /get-online-features -> {code}"}}"#
        )
    };
    let text = format!("{}\n{}\n{}\n", line(403), line(401), line(503));
    let (_d, path) = temp_file("f.jsonl", text.as_bytes());
    let doc = summary([&path]);
    assert_eq!(doc["outcomes"]["denied"], 1);
    assert_eq!(doc["outcomes"]["unauthenticated"], 1);
    assert_eq!(doc["outcomes"]["error"], 1);
    assert_eq!(doc["outcomes"]["success"], 0);
}

#[test]
fn malformed_lines_never_disturb_their_neighbours() {
    let g = generate(Shape::Feast, 3000, 5, 40);
    let (_d, path) = temp_file("bad.jsonl", &g.to_bytes());
    for buffer in ["64", "1000", "2097152"] {
        let r = run(["summary", "--format", "json", "--buffer-size", buffer, path.to_str().unwrap()]);
        assert_eq!(r.code, 0);
        let doc = r.json();
        assert_summary_matches(&doc, &g.events.iter().collect::<Vec<_>>());
        assert_eq!(doc["malformed"], 40);
        // the first five are reported as path:line, in order, with the right numbers
        let reported: Vec<u64> = r
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{}:", path.display())))
            .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(reported, g.malformed_lines[..5], "buffer {buffer}");
    }
    let quiet = run(["summary", "-q", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn hand_written_malformed_fixture() {
    let r = run(["summary", "--format", "json", testdata("malformed.jsonl").to_str().unwrap()]);
    let doc = r.json();
    assert_eq!(doc["events"], 3);
    // lines 2, 3, 5, 6, 7 and 10 (invalid UTF-8); line 8 is blank
    assert_eq!(doc["malformed"], 6);
    assert_eq!(doc["inputs"][0]["lines"], 10);
    assert_eq!(doc["top_principals"][0]["name"], "a");
    assert!(r.stderr.contains("malformed.jsonl:2: invalid JSON"), "{}", r.stderr);
    assert!(r.stderr.contains("malformed.jsonl:3: not a JSON object"), "{}", r.stderr);
}

#[test]
fn strict_stops_at_the_first_malformed_line() {
    let g = generate(Shape::Flat, 2000, 9, 3);
    let (_d, path) = temp_file("s.jsonl", &g.to_bytes());
    let r = run(["summary", "--strict", "--buffer-size", "256", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    let want = format!("{}:{}:", path.display(), g.malformed_lines[0]);
    assert!(r.stderr.contains(&want), "want {want} in {}", r.stderr);
    let clean = generate(Shape::Flat, 200, 9, 0);
    let (_d2, ok) = temp_file("ok.jsonl", &clean.to_bytes());
    assert_eq!(run(["summary", "--strict", ok.to_str().unwrap()]).code, 0);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn plain_gzip_multimember_zstd_and_stdin_agree() {
    let g = generate(Shape::Feast, 5000, 21, 4);
    let plain = g.to_bytes();
    let half = plain.len() / 2;
    let cut = half + plain[half..].iter().position(|b| *b == b'\n').unwrap() + 1;
    let mut multi = gzip(&plain[..cut]);
    multi.extend(gzip(&plain[cut..]));
    let zst = zstd::encode_all(&plain[..], 3).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    for (name, bytes) in [("a.jsonl", plain.clone()), ("b.log", gzip(&plain)), ("c", multi), ("d.x", zst)] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        docs.push(without_input_paths(summary([&p])));
    }
    let r = run_stdin(["summary", "--format", "json", "-"], &plain);
    assert_eq!(r.code, 0, "{}", r.stderr);
    docs.push(without_input_paths(r.json()));
    let r = run_stdin(["summary", "--format", "json"], &gzip(&plain));
    docs.push(without_input_paths(r.json()));
    for d in &docs[1..] {
        assert_eq!(d, &docs[0]);
    }
    assert_summary_matches(&docs[0], &g.events.iter().collect::<Vec<_>>());
    assert_eq!(docs[0]["malformed"], 4);
}

#[test]
fn shipped_compressed_fixtures_agree() {
    let gz = without_input_paths(summary([testdata("feast-week.jsonl.gz")]));
    let zst = without_input_paths(summary([testdata("feast-week.jsonl.zst")]));
    assert_eq!(gz, zst);
    assert_eq!(gz["events"], 20000);
}

#[test]
fn threads_and_buffer_sizes_give_identical_bytes() {
    let g = generate(Shape::FeastSox, 6000, 33, 12);
    let (_d, path) = temp_file("t.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let base = run(["summary", "--format", "json", "--threads", "1", p]);
    assert_eq!(base.code, 0);
    for args in [
        ["--threads", "4", "--buffer-size", "2097152"],
        ["--threads", "4", "--buffer-size", "300"],
        ["--threads", "3", "--buffer-size", "4096"],
    ] {
        let r = run(["summary", "--format", "json", args[0], args[1], args[2], args[3], p]);
        assert_eq!(r.stdout, base.stdout, "{args:?}");
        assert_eq!(r.stderr, base.stderr, "{args:?}");
    }
    assert_summary_matches(&base.json(), &g.events.iter().collect::<Vec<_>>());
}

#[test]
fn lines_longer_than_the_buffer_or_the_maximum() {
    let g = generate(Shape::Feast, 50, 3, 0);
    let mut text = g.to_bytes();
    // a valid event padded to 5000 bytes, and an invalid 9000-byte line
    let padded = format!(
        r#"{{"event_type":"http.request","timestamp":"2026-10-02T00:00:00Z","principal":{{"username":"long"}},"outcome":"success","pad":"{}"}}"#,
        "x".repeat(5000)
    );
    text.extend_from_slice(padded.as_bytes());
    text.push(b'\n');
    text.extend_from_slice("y".repeat(9000).as_bytes());
    text.push(b'\n');
    text.extend_from_slice(&g.lines[0]);
    let (_d, path) = temp_file("long.jsonl", &text);
    let p = path.to_str().unwrap();
    let doc = summary(["--buffer-size", "256", p]);
    assert_eq!(doc["events"], 52);
    assert_eq!(doc["malformed"], 1);
    assert_eq!(doc["inputs"][0]["lines"], 53);
    let r = run(["summary", "--format", "json", "--buffer-size", "256", "--max-line-bytes", "4000", p]);
    let doc = r.json();
    assert_eq!(doc["events"], 51);
    assert_eq!(doc["malformed"], 2);
    assert!(r.stderr.contains(":51: line of 5"), "{}", r.stderr);
    assert!(r.stderr.contains(":52: line of 9000 bytes"), "{}", r.stderr);
}

#[test]
fn bom_crlf_and_blank_lines() {
    let doc = summary([testdata("bom-crlf.jsonl")]);
    assert_eq!(doc["events"], 3);
    assert_eq!(doc["malformed"], 0);
    assert_eq!(doc["inputs"][0]["lines"], 6);
    assert_eq!(doc["distinct"]["principals"], 3);
}

#[test]
fn directories_are_read_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = generate(Shape::Flat, 300, 1, 0);
    let b = generate(Shape::Soc2, 200, 2, 1);
    std::fs::write(dir.path().join("b.jsonl"), b.to_bytes()).unwrap();
    std::fs::write(dir.path().join("a.jsonl"), a.to_bytes()).unwrap();
    std::fs::create_dir(dir.path().join("nested")).unwrap();
    let doc = summary([dir.path()]);
    let inputs = doc["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert!(inputs[0]["path"].as_str().unwrap().ends_with("a.jsonl"));
    assert_eq!(inputs[0]["events"], 300);
    assert_eq!(inputs[1]["events"], 200);
    assert_eq!(inputs[1]["malformed"], 1);
    let all: Vec<&GenEvent> = a.events.iter().chain(&b.events).collect();
    assert_summary_matches(&doc, &all);
}

fn filtered(g: &[GenEvent], keep: impl Fn(&GenEvent) -> bool) -> Vec<&GenEvent> {
    g.iter().filter(|e| keep(e)).collect()
}

fn ip_in(ip: &str, net: [u8; 4], bits: u32) -> bool {
    let addr: std::net::Ipv4Addr = ip.parse().unwrap();
    let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
    u32::from(addr) & mask == u32::from(std::net::Ipv4Addr::from(net)) & mask
}

#[test]
fn filters_and_their_edges() {
    let g = generate(Shape::Feast, 6000, 77, 5);
    let (_d, path) = temp_file("f.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let ev = &g.events;
    let pivot = ev[2500].time;
    let pivot_text = millis_text(pivot);

    let check = |args: &[&str], want: Vec<&GenEvent>| {
        let mut all = vec![p];
        all.extend_from_slice(args);
        let doc = summary(&all);
        assert_eq!(doc["scanned"], 6000, "{args:?}");
        assert_summary_matches(&doc, &want);
    };
    check(&["--since", &pivot_text], filtered(ev, |e| e.time >= pivot));
    check(&["--until", &pivot_text], filtered(ev, |e| e.time < pivot));
    // an empty window is a mistake, not an empty answer
    let r = run(["summary", p, "--since", &pivot_text, "--until", &pivot_text]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not before --until"), "{}", r.stderr);
    check(&["--since", "2026-10-03", "--until", "2026-10-04"], {
        let lo = fsaudit::time::parse_rfc3339("2026-10-03T00:00:00Z").unwrap();
        let hi = fsaudit::time::parse_rfc3339("2026-10-04T00:00:00Z").unwrap();
        filtered(ev, |e| e.time >= lo && e.time < hi)
    });
    check(&["--user", "svc-*"], filtered(ev, |e| e.principal.starts_with("svc-")));
    check(
        &["--user", "svc-recsys_ranker", "--user", "user00*"],
        filtered(ev, |e| e.principal == "svc-recsys_ranker" || e.principal.starts_with("user00")),
    );
    check(&["--user", "(unknown)"], filtered(ev, |e| e.principal.is_empty()));
    check(&["--view", "credit_*"], filtered(ev, |e| e.resources.iter().any(|r| r.starts_with("credit_"))));
    check(&["--event-type", "authz.decision"], filtered(ev, |e| e.event_type == "authz.decision"));
    check(&["--outcome", "denied"], filtered(ev, |e| e.class == OutcomeClass::Denied));
    check(
        &["--outcome", "denied,unauthenticated"],
        filtered(ev, |e| matches!(e.class, OutcomeClass::Denied | OutcomeClass::Unauthenticated)),
    );
    check(
        &["--ip", "10.0.0.0/9"],
        filtered(ev, |e| e.source_ip.as_deref().is_some_and(|ip| ip_in(ip, [10, 0, 0, 0], 9))),
    );
    let one_ip = ev[10].source_ip.clone().unwrap();
    check(&["--ip", &one_ip], filtered(ev, |e| e.source_ip.as_deref() == Some(one_ip.as_str())));
    check(
        &["--view", "loan_*", "--outcome", "denied", "--since", &pivot_text],
        filtered(ev, |e| {
            e.resources.iter().any(|r| r.starts_with("loan_")) && e.class == OutcomeClass::Denied && e.time >= pivot
        }),
    );
}

#[test]
fn bad_arguments_exit_2_saying_what_is_accepted() {
    let f = testdata("feast.jsonl");
    let f = f.to_str().unwrap();
    for (args, needle) in [
        (vec!["--since", "yesterday"], "expected an RFC 3339 time"),
        (vec!["--until", "2026-13-01"], "expected an RFC 3339 time"),
        (vec!["--outcome", "denyed"], "expected success, denied, unauthenticated or error"),
        (vec!["--ip", "10.0.0.300"], "CIDR"),
        (vec!["--user", "a[b"], "--user"),
        (vec!["--threads", "0"], "at least 1"),
        (vec!["--map", "who=a.b"], "unknown field"),
        (vec!["--envelope", "xml"], "possible values"),
        (vec!["--schema", "feast", "--map", "resource=a..b"], "keys separated by dots"),
        (vec!["--format", "xml"], "possible values"),
    ] {
        let mut all = vec!["summary", f];
        all.extend(&args);
        let r = run(&all);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn an_unreadable_input_is_reported_and_the_rest_still_counted() {
    let missing = "/nonexistent/audit.jsonl";
    let r = run(["summary", "--format", "json", missing, testdata("feast.jsonl").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(missing), "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["events"], 24);
    assert_eq!(doc["inputs"][0]["events"], 0);
}

#[test]
fn truncated_gzip_counts_what_was_read_and_exits_2() {
    let g = generate(Shape::Feast, 3000, 8, 0);
    let gz = gzip(&g.to_bytes());
    let (_d, path) = temp_file("cut.jsonl.gz", &gz[..gz.len() / 2]);
    let r = run(["summary", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cut.jsonl.gz"), "{}", r.stderr);
    let doc = r.json();
    let read = doc["scanned"].as_u64().unwrap() + doc["malformed"].as_u64().unwrap();
    assert!(read > 500 && read < 3000, "{read}");
    assert!(doc["malformed"].as_u64().unwrap() <= 1);
}

#[test]
fn schema_can_be_forced_and_other_logs_mapped() {
    let doc = summary(["--schema", "flat", testdata("feast.jsonl").to_str().unwrap()]);
    assert_eq!(doc["events"], 0);
    assert_eq!(doc["malformed"], 24);
    let doc = summary(["--schema", "feast", testdata("feast.jsonl").to_str().unwrap()]);
    assert_eq!(doc["events"], 24);

    let doc = summary([
        "--map",
        "principal=userIdentity.arn",
        "--map",
        "time=eventTime",
        "--map",
        "event_type=eventName",
        "--map",
        "source_ip=sourceIPAddress",
        "--map",
        "outcome=errorCode",
        "--map",
        "resource=resources.0.ARN",
        testdata("cloudtrail.jsonl").to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(testdata("cloudtrail.jsonl")).unwrap();
    let records: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let denied = records.iter().filter(|r| r["errorCode"] == "AccessDenied").count() as u64;
    let errors = records.iter().filter(|r| r["errorCode"].is_string()).count() as u64 - denied;
    assert_eq!(doc["events"], records.len() as u64);
    assert_eq!(doc["outcomes"]["denied"], denied);
    assert_eq!(doc["outcomes"]["error"], errors);
    assert_eq!(doc["outcomes"]["success"], records.len() as u64 - denied - errors);
    assert_eq!(doc["top_resources"][0]["name"], "arn:aws:s3:::feature-store/credit_bureau_fv");
    assert_eq!(doc["event_types"][0]["name"], "GetObject");
}

#[test]
fn csv_is_one_row_of_the_json_totals() {
    let p = testdata("outcomes.jsonl");
    let doc = summary([&p]);
    let r = run(["summary", "--format", "csv", p.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    let header = rd.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let get = |k: &str| rows[0].get(header.iter().position(|h| h == k).unwrap()).unwrap().to_owned();
    assert_eq!(get("events"), doc["events"].to_string());
    assert_eq!(get("denied"), doc["outcomes"]["denied"].to_string());
    let p99: f64 = get("p99_ms").parse().unwrap();
    assert_eq!(p99, doc["latency_ms"]["p99"].as_f64().unwrap());
    assert_eq!(get("first"), doc["time_range"]["first"].as_str().unwrap());
}

#[test]
fn table_is_plain_without_a_terminal_and_reports_the_same_counts() {
    let p = testdata("feast-week.jsonl.gz");
    let doc = summary([&p]);
    let r = run(["summary", p.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    let text = r.text();
    assert!(!text.contains('\x1b'), "colour without a terminal");
    let denied_row = text.lines().find(|l| l.contains(" denied ")).unwrap();
    let denied = doc["outcomes"]["denied"].as_u64().unwrap();
    let shown: String = denied_row.split('┆').nth(1).unwrap().chars().filter(char::is_ascii_digit).collect();
    assert_eq!(shown.parse::<u64>().unwrap(), denied);
    let forced = run(["summary", "--color", "always", p.to_str().unwrap()]);
    assert!(forced.text().contains('\x1b'));
}

#[test]
fn top_n_limits_the_lists() {
    let doc = summary(["--top", "3", testdata("feast-week.jsonl.gz").to_str().unwrap()]);
    assert_eq!(doc["top_principals"].as_array().unwrap().len(), 3);
    assert_eq!(doc["top_resources"].as_array().unwrap().len(), 3);
}

#[test]
fn a_closed_pipe_ends_quietly_with_0() {
    // many principals make the JSON far larger than a pipe's buffer
    let g = fsaudit::testgen::Generator::new(fsaudit::testgen::GenOptions {
        events: 40_000,
        principals: 20_000,
        ..Default::default()
    })
    .all();
    let (_d, path) = temp_file("many.jsonl", &g.to_bytes());
    let mut child = Command::new(bin())
        .args(["summary", "--format", "json", "--top", "100000", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 100];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn empty_input_gives_nulls_not_zeros() {
    let doc = summary(["/dev/null"]);
    assert_eq!(doc["events"], 0);
    assert!(doc["success_rate"].is_null());
    assert!(doc["latency_ms"]["p99"].is_null());
    assert!(doc["time_range"]["first"].is_null());
}

#[test]
fn progress_only_when_asked_or_on_a_terminal() {
    let p = testdata("feast-week.jsonl.gz");
    let quiet = run(["summary", "--format", "json", p.to_str().unwrap()]);
    assert_eq!(quiet.stderr, "", "no progress bar when stderr is not a terminal");
    let shown = run(["summary", "--format", "json", "--progress", "always", p.to_str().unwrap()]);
    assert!(shown.stderr.contains("KiB"), "{}", shown.stderr);
    assert_eq!(shown.json(), quiet.json());
}

#[test]
fn quiet_draws_no_progress_bar_even_on_a_terminal() {
    // `script` gives the run a terminal for stdout and stderr
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let lines = std::fs::read(testdata("feast-server.jsonl")).unwrap();
    let mut f = std::fs::File::create(&path).unwrap();
    for _ in 0..400 {
        f.write_all(&lines).unwrap();
    }
    drop(f);
    let on_terminal = |flags: &str| {
        let cmd = format!("{} summary {flags} --format json {} > /dev/null", bin().display(), path.display());
        let out = Command::new("script").args(["-qec", &cmd, "/dev/null"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // the bar is drawn on this terminal when asked for, -q or not
    assert!(on_terminal("-q --progress always").contains("iB"), "no bar drawn at all here");
    let quiet = on_terminal("-q");
    assert!(!quiet.contains("iB"), "a bar under -q: {quiet:?}");
}
