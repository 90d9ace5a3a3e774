//! `fsaudit anomalies` and the risk scores that use it: injected incidents
//! are found and ranked first, ordinary traffic stays quiet, thresholds and
//! switches work, and findings do not depend on threads or line order.

mod common;

use std::collections::BTreeSet;

use common::*;
use fsaudit::event::OutcomeClass;
use fsaudit::testgen::{BRUTE_FORCE_IP, GenOptions, Generated, Generator, Score, Shape};
use serde_json::Value;

fn with_incidents(shape: Shape, seed: u64) -> Generated {
    Generator::new(GenOptions { events: 30_000, shape, seed, incidents: true, ..Default::default() }).all()
}

fn findings(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["anomalies", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.json()["findings"].as_array().unwrap().clone()
}

fn severity_rank(f: &Value) -> u8 {
    match f["severity"].as_str().unwrap() {
        "critical" => 3,
        "high" => 2,
        "medium" => 1,
        _ => 0,
    }
}

#[test]
fn injected_incidents_are_found_and_ranked_first() {
    for (shape, seed) in [(Shape::Feast, 9), (Shape::Soc2, 10), (Shape::Feast, 11)] {
        let g = with_incidents(shape, seed);
        let (_d, path) = temp_file("week.jsonl", &g.to_bytes());
        let found = findings(&[path.to_str().unwrap()]);
        let involved: BTreeSet<String> = g
            .injected
            .iter()
            .flat_map(|i| i.principal.iter().chain(i.source_ip.iter()).cloned())
            .chain(std::iter::once("(unknown)".to_owned()))
            .collect();
        // the victim of the brute force is involved too
        let victim =
            g.events.iter().find(|e| e.source_ip.as_deref() == Some(BRUTE_FORCE_IP) && !e.principal.is_empty());
        let mut involved = involved;
        involved.extend(victim.map(|e| e.principal.clone()));
        for inc in &g.injected {
            let hit = found.iter().position(|f| {
                f["detector"] == inc.detector
                    && (inc.principal.is_none() || f["principal"].as_str() == inc.principal.as_deref())
                    && (inc.source_ip.is_none() || f["source_ip"].as_str() == inc.source_ip.as_deref())
            });
            let hit = hit.unwrap_or_else(|| panic!("{shape:?}: {} not found in {found:#?}", inc.detector));
            assert!(found[hit]["count"].as_u64().unwrap() >= inc.events, "{}: count", inc.detector);
        }
        // everything the incidents caused comes before anything else
        let first_other = found.iter().position(|f| {
            let p = f["principal"].as_str().unwrap_or("");
            let ip = f["source_ip"].as_str().unwrap_or("");
            !involved.contains(p) && !involved.contains(ip)
        });
        if let Some(i) = first_other {
            assert!(
                found[i..].iter().all(|f| {
                    let p = f["principal"].as_str().unwrap_or("");
                    !involved.contains(p) || severity_rank(f) <= severity_rank(&found[i])
                }),
                "{shape:?}: an ordinary finding outranks an incident: {found:#?}"
            );
            assert!(severity_rank(&found[i]) <= 1, "{shape:?}: ordinary traffic raised {:#}", found[i]);
        }
        // most severe first, then by count
        for pair in found.windows(2) {
            let key = |f: &Value| (severity_rank(f), f["count"].as_u64().unwrap());
            assert!(key(&pair[0]) >= key(&pair[1]), "order: {pair:#?}");
        }
        let brute = found.iter().find(|f| f["detector"] == "authn-failures").unwrap();
        assert_eq!(brute["severity"], "critical");
        assert_eq!(brute["count"], 97);
        assert!(brute["evidence"].as_str().unwrap().starts_with("97 failed logins from 203.0.113.9 in 9m58s"));
    }
}

#[test]
fn ordinary_weeks_raise_nothing_above_low() {
    for (shape, seed) in
        [(Shape::Feast, 1), (Shape::FeastSox, 2), (Shape::Flat, 3), (Shape::Soc2, 4), (Shape::Feast, 5)]
    {
        let g = generate(shape, 30_000, seed, 3);
        let (_d, path) = temp_file("quiet.jsonl", &g.to_bytes());
        let found = findings(&[path.to_str().unwrap(), "--sensitive", "credit_*"]);
        for f in &found {
            assert_eq!(f["severity"], "low", "{shape:?} seed {seed}: {f:#}");
        }
    }
}

#[test]
fn thresholds_and_switches() {
    let g = with_incidents(Shape::Feast, 9);
    let (_d, path) = temp_file("week.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let has = |found: &[Value], d: &str| found.iter().any(|f| f["detector"] == d);
    assert!(has(&findings(&[p]), "authn-failures"));
    assert!(!has(&findings(&[p, "--authn-failures", "98"]), "authn-failures"), "97 is below 98");
    assert!(has(&findings(&[p, "--authn-failures", "97"]), "authn-failures"));
    assert!(!has(&findings(&[p, "--disable", "authn-failures"]), "authn-failures"));
    // a window shorter than the 9m58s burst splits it below the threshold
    assert!(!has(&findings(&[p, "--window", "2m", "--authn-failures", "40"]), "authn-failures"));
    assert!(!has(&findings(&[p, "--denied-burst", "15"]), "denied-burst"), "14 denials");
    assert!(!has(&findings(&[p, "--enumeration", "5"]), "resource-enumeration"), "4 views");
    // every window with 10 denials holds a success too: at best 11 of 12 (92%) are denied
    assert!(has(&findings(&[p, "--denied-share", "0.9"]), "denied-burst"));
    assert!(!has(&findings(&[p, "--denied-share", "0.95"]), "denied-burst"));
    assert!(!has(&findings(&[p, "--spike-min", "400"]), "volume-spike"));
    let mut all_off = vec![p];
    all_off.extend(NO_DETECTORS);
    let none = findings(&all_off);
    assert!(none.is_empty(), "{none:#?}");
}

#[test]
fn findings_do_not_depend_on_threads_chunks_or_line_order() {
    let g = with_incidents(Shape::Feast, 12);
    let (_d, path) = temp_file("week.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let base = run([
        "anomalies",
        "--format",
        "json",
        "--threads",
        "1",
        "--sensitive",
        "credit_*",
        "--business-hours",
        "08-19",
        p,
    ]);
    for (threads, buffer) in [("4", "1000"), ("2", "65536"), ("3", "2097152")] {
        let r = run([
            "anomalies",
            "--format",
            "json",
            "--threads",
            threads,
            "--buffer-size",
            buffer,
            "--sensitive",
            "credit_*",
            "--business-hours",
            "08-19",
            p,
        ]);
        assert_eq!(r.stdout, base.stdout, "{threads} threads, buffer {buffer}");
    }
    // the same lines in another order
    let mut lines = g.lines.clone();
    let n = lines.len();
    for i in 0..n {
        lines.swap(i, (i * 7919 + 13) % n);
    }
    let shuffled: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().chain(std::iter::once(b'\n'))).collect();
    let (_d2, path2) = temp_file("shuffled.jsonl", &shuffled);
    let r = run([
        "anomalies",
        "--format",
        "json",
        "--sensitive",
        "credit_*",
        "--business-hours",
        "08-19",
        path2.to_str().unwrap(),
    ]);
    assert_eq!(r.json()["findings"], base.json()["findings"]);
}

#[test]
fn sensitive_access_by_role_and_hours() {
    let g = generate(Shape::Feast, 8000, 17, 0);
    let (_d, path) = temp_file("s.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let found = findings(&[p, "--sensitive", "credit_*", "--allow-role", "feature-admin"]);
    // reads of credit views that succeeded, by principals whose roles do not include feature-admin
    let mut expected = std::collections::BTreeMap::<String, u64>::new();
    for e in &g.events {
        let sensitive = e.resources.iter().any(|r| r.starts_with("credit_"));
        if sensitive
            && e.class == OutcomeClass::Success
            // Feast writes the roles of every event; an empty list allows nothing
            && !e.roles.iter().any(|r| r == "feature-admin")
        {
            *expected.entry(e.principal.clone()).or_default() += 1;
        }
    }
    let got: std::collections::BTreeMap<String, u64> = found
        .iter()
        .filter(|f| f["detector"] == "sensitive-access")
        .map(|f| (f["principal"].as_str().unwrap().to_owned(), f["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, expected);
    assert!(found.iter().all(|f| f["severity"] == "medium"));

    let found = findings(&[p, "--sensitive", "credit_*", "--business-hours", "09-17", "--tz", "America/New_York"]);
    let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let mut outside = 0u64;
    for e in &g.events {
        use chrono::{Datelike, TimeZone, Timelike};
        let local = tz.timestamp_micros(e.time).unwrap();
        let business = local.weekday().num_days_from_monday() < 5 && (9..17).contains(&local.hour());
        if e.resources.iter().any(|r| r.starts_with("credit_")) && e.class == OutcomeClass::Success && !business {
            outside += 1;
        }
    }
    let counted: u64 =
        found.iter().filter(|f| f["detector"] == "sensitive-access").map(|f| f["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, outside);
    assert!(found.iter().all(|f| f["severity"] == "low"));
    // off unless configured
    assert!(findings(&[p, "--sensitive", "credit_*"]).iter().all(|f| f["detector"] != "sensitive-access"));
}

fn feast_line(t: &str, user: &str, ip: &str) -> String {
    format!(
        r#"{{"event_type":"http.request","timestamp":"{t}","principal":{{"username":"{user}"}},"source":{{"ip":"{ip}"}},"resource":{{"name":"fv"}},"outcome":"success","detail":"-> 200"}}"#
    )
}

#[test]
fn new_source_ip_needs_history_and_a_long_enough_log() {
    let mut text = String::new();
    for day in 1..=3 {
        text += &feast_line(&format!("2026-10-0{day}T10:00:00Z"), "alice", "10.0.0.1");
        text.push('\n');
    }
    text += &feast_line("2026-10-05T10:00:00Z", "alice", "198.51.100.7");
    text.push('\n');
    text += &feast_line("2026-10-05T11:00:00Z", "alice", "198.51.100.7");
    text.push('\n');
    // bob appears only late: nothing is new for him
    text += &feast_line("2026-10-05T12:00:00Z", "bob", "198.51.100.8");
    text.push('\n');
    let (_d, path) = temp_file("ip.jsonl", text.as_bytes());
    let found = findings(&[path.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["detector"], "new-source-ip");
    assert_eq!(found[0]["severity"], "low");
    assert_eq!(found[0]["principal"], "alice");
    assert_eq!(found[0]["source_ip"], "198.51.100.7");
    assert_eq!(found[0]["count"], 2);
    assert!(findings(&[path.to_str().unwrap(), "--new-ip-min-span", "7d"]).is_empty(), "too short to know");
}

#[test]
fn users_add_twenty_points_per_finding() {
    let g = with_incidents(Shape::Feast, 9);
    let (_d, path) = temp_file("week.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let found = findings(&[p]);
    let r = run(["users", "--format", "json", p]);
    let users = r.json();
    let mut args = vec!["users", "--format", "json", p];
    args.extend(NO_DETECTORS);
    let without = run(&args).json();
    for row in users["principals"].as_array().unwrap() {
        let name = row["name"].as_str().unwrap();
        // a low finding (new-source-ip, say) is listed but adds nothing
        let n = found.iter().filter(|f| f["principal"].as_str() == Some(name) && f["severity"] != "low").count() as u64;
        let base = without["principals"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap()["risk_score"]
            .as_u64()
            .unwrap();
        assert_eq!(row["risk_score"].as_u64().unwrap(), (base + 20 * n).min(100), "{name}");
        let named =
            row["risk_reasons"].as_array().unwrap().iter().filter(|r| r.as_str().unwrap().starts_with("+20: ")).count()
                as u64;
        assert_eq!(named, n, "{name}: one reason per finding");
    }
    // the prober rises to the top
    let prober = g.injected.iter().find(|i| i.detector == "denied-burst").unwrap().principal.clone().unwrap();
    assert_eq!(users["principals"][0]["name"], prober.as_str());
}

#[test]
fn bad_detector_settings_exit_2() {
    let p = testdata("feast.jsonl");
    let p = p.to_str().unwrap();
    for (args, needle) in [
        (vec!["--tz", "Mars/Base"], "IANA"),
        (vec!["--disable", "everything"], "expected one of"),
        (vec!["--business-hours", "19-08"], "08-19"),
        (vec!["--window", "30s"], "at least 1m"),
        (vec!["--denied-share", "1.5"], "ratio"),
    ] {
        let mut all = vec!["anomalies", p];
        all.extend(&args);
        let r = run(&all);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn csv_and_table() {
    let g = with_incidents(Shape::Feast, 9);
    let (_d, path) = temp_file("week.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let found = findings(&[p]);
    let r = run(["anomalies", "--format", "csv", p]);
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), found.len());
    assert_eq!(&rows[0][0], found[0]["detector"].as_str().unwrap());
    assert_eq!(&rows[0][7], found[0]["count"].to_string());
    let table = run(["anomalies", p]).text();
    assert!(table.contains(BRUTE_FORCE_IP));
}

/// `background_denials` writes sessions of sensitive reads, each denied at
/// the given rate, and keeps the number of events and their order.
#[test]
fn background_denials_are_sessions_of_sensitive_reads() {
    let sensitive =
        |e: &fsaudit::testgen::GenEvent| e.resources.iter().any(|r| fsaudit::testgen::VIEWS[..4].contains(&r.as_str()));
    let week = |rate: f64| {
        Generator::new(GenOptions { events: 40_000, seed: 4, background_denials: rate, ..Default::default() }).all()
    };
    let (quiet, busy) = (week(0.0), week(0.5));
    for g in [&quiet, &busy] {
        assert_eq!(g.events.len(), 40_000);
        assert!(g.events.windows(2).all(|w| w[0].time <= w[1].time), "events out of order");
    }
    // people's sensitive reads, and how many of them were denied
    let people = |g: &Generated| -> (usize, usize) {
        let reads: Vec<_> = g.events.iter().filter(|e| e.principal.starts_with("user") && sensitive(e)).collect();
        (reads.len(), reads.iter().filter(|e| e.class == OutcomeClass::Denied).count())
    };
    let ((q_reads, q_denied), (b_reads, b_denied)) = (people(&quiet), people(&busy));
    // a session is 3 to 8 reads; 4% of people's requests start one
    assert!(b_reads > q_reads + 400, "{q_reads} -> {b_reads}");
    let added = (b_reads - q_reads) as f64;
    let share = (b_denied as f64 - q_denied as f64) / added;
    assert!((0.35..0.65).contains(&share), "denied share of the session reads {share:.3}");
    // and they come in bursts: some person reads 3 sensitive views within 10 minutes
    let mut by_person: std::collections::HashMap<&str, Vec<i64>> = Default::default();
    for e in busy.events.iter().filter(|e| e.principal.starts_with("user") && sensitive(e)) {
        by_person.entry(&e.principal).or_default().push(e.time);
    }
    let bursts = by_person.values().filter(|t| t.windows(3).any(|w| w[2] - w[0] <= 600_000_000)).count();
    assert!(bursts > 10, "{bursts} people with a session");
}

/// Precision and recall on generated weeks of 500 and 2,000 principals in
/// which people are refused 5% of their sensitive reads at random: every
/// injected incident is found at its stated severity, and nothing about
/// anyone else rises above `low`, on every seed.
#[test]
fn every_incident_found_and_no_false_positive_above_low() {
    let dir = tempfile::tempdir().unwrap();
    let mut total = Score::default();
    for (principals, seed) in [(500, 1), (500, 2), (500, 3), (500, 4), (500, 5), (2000, 6), (2000, 7)] {
        let opts = GenOptions {
            events: 120_000,
            principals,
            seed,
            incidents: true,
            background_denials: 0.05,
            ..Default::default()
        };
        let g = Generator::new(opts).all();
        let path = dir.path().join(format!("week-{seed}.jsonl"));
        std::fs::write(&path, g.to_bytes()).unwrap();
        let found = findings(&[path.to_str().unwrap()]);
        let score = Score::of(&g, &found);
        // six incidents, seven labelled findings (the probe makes three)
        assert_eq!(score.by_detector.values().map(|c| c.found + c.other_severity + c.missed).sum::<u64>(), 8);
        let ordinary: Vec<&Value> = found
            .iter()
            .filter(|f| f["severity"] != "low")
            .filter(|f| !g.injected.iter().any(|i| f["principal"].as_str() == i.principal.as_deref()))
            .filter(|f| f["source_ip"].as_str() != Some(BRUTE_FORCE_IP))
            .collect();
        assert!(score.perfect(), "{principals} principals, seed {seed}: {score:#?}\nordinary: {ordinary:#?}");
        total.add(&score);
    }
    for d in ["authn-failures", "denied-burst", "resource-enumeration", "volume-spike", "off-hours"] {
        assert_eq!(total.by_detector[d].found, 7, "{d}");
    }
    assert_eq!(total.by_detector["write-failures"].found, 7);
    assert_eq!(total.by_detector["credential-sharing"].found, 7);
}

/// Without the statistics, three denials of six in a session would be a
/// probe: the same week with the absolute thresholds alone (--alpha 1)
/// raises ordinary people above `low`.
#[test]
fn the_baselines_are_what_keeps_ordinary_sessions_quiet() {
    let opts = GenOptions { events: 120_000, principals: 500, seed: 1, background_denials: 0.05, ..Default::default() };
    let g = Generator::new(opts).all();
    let (_d, path) = temp_file("week.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let above_low = |found: &[Value]| found.iter().filter(|f| f["severity"] != "low").count();
    assert_eq!(above_low(&findings(&[p])), 0);
    let loose = findings(&[p, "--alpha", "1"]);
    assert!(above_low(&loose) > 0, "absolute thresholds alone stay quiet too: the test proves nothing");
}

/// A log shipped twice creates no incident with --dedup (the findings are
/// those of the log once), and without it each burst finding says how many
/// of its lines repeat, and stderr says how many lines repeat in all.
#[test]
fn repeated_lines_create_no_incidents_with_dedup_and_are_named_without() {
    let g = with_incidents(Shape::Feast, 9);
    let once = g.to_bytes();
    let mut twice = once.clone();
    twice.extend_from_slice(&once);
    let (_d, p1) = temp_file("once.jsonl", &once);
    let (_d2, p2) = temp_file("twice.jsonl", &twice);
    let (p1, p2) = (p1.to_str().unwrap(), p2.to_str().unwrap());
    assert_eq!(findings(&[p2, "--dedup"]), findings(&[p1]));
    let r = run(["anomalies", "--format", "json", p2]);
    // every denied, failed-login and failed-write line is there twice
    let counted = g
        .events
        .iter()
        .filter(|e| {
            matches!(e.class, OutcomeClass::Denied | OutcomeClass::Unauthenticated)
                || (e.class == OutcomeClass::Error && e.write)
        })
        .count() as u64;
    assert!(
        r.stderr
            .contains(&format!("{} denied or failed lines repeat an earlier line byte for byte", thousands(counted))),
        "{counted}: {}",
        r.stderr
    );
    assert!(!run(["anomalies", "--format", "json", p1]).stderr.contains("repeat"), "no note without repeats");
    let doubled = r.json()["findings"].as_array().unwrap().clone();
    let brute = doubled.iter().find(|f| f["source_ip"] == BRUTE_FORCE_IP).expect("the brute force");
    assert_eq!(brute["count"], 2 * 97);
    assert!(
        brute["evidence"].as_str().unwrap().contains("97 of these 194 repeat an earlier line byte for byte"),
        "{brute:#}"
    );
    // the probe's 14 denials are 28 lines, half of them copies; 14 alone reach the minimum of 10
    let probe = doubled.iter().find(|f| f["detector"] == "denied-burst").expect("the probe");
    let evidence = probe["evidence"].as_str().unwrap();
    assert!(evidence.contains("14 of these 28 repeat") && !evidence.contains("rests on them"), "{evidence}");
    // with a minimum above the lines that are not copies, the finding rests on the copies
    let high = findings(&[p2, "--denied-burst", "20"]);
    let probe = high.iter().find(|f| f["detector"] == "denied-burst").expect("the probe, counted twice");
    assert!(probe["evidence"].as_str().unwrap().ends_with("the finding rests on them"), "{probe:#}");
}

/// A subject is not its own prior: a log that holds nothing but one
/// address's 25 failed logins in 25 seconds is a brute force, though that
/// address is all "everyone" there is.
#[test]
fn a_log_of_one_attacker_is_still_an_attack() {
    let lines: Vec<String> = (0..25)
        .map(|i| {
            format!(
                r#"{{"event_type":"authn.failure","timestamp":"2026-10-01T10:00:{i:02}.000Z","principal":{{"username":"bob"}},"source":{{"ip":"10.0.0.9"}},"outcome":"failure"}}"#
            )
        })
        .collect();
    let (_d, p) = temp_file("one.jsonl", (lines.join("\n") + "\n").as_bytes());
    let found = findings(&[p.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["detector"], "authn-failures");
    assert_eq!(found[0]["severity"], "critical");
    assert_eq!(found[0]["count"], 25);
    assert!(found[0]["evidence"].as_str().unwrap().contains("no failed login is usual from this address"));
}

/// `check` runs only the detectors that can make a finding its rules count
/// (`DetectorConfig::counting_from`), and under `severity = "critical"`
/// keeps nothing but failures. At every severity the findings at or above
/// it are those of a run of every detector, field for field: evidence,
/// chances and baselines included, so the population failures are judged
/// against is the same. Logs with each kind of incident, failed logins in
/// bursts around the threshold (some strong enough for `critical`, some
/// lowered to `high`), failures of an unnamed principal, split over two
/// workers and merged.
#[test]
fn the_detectors_a_severity_needs_find_what_every_detector_finds() {
    use std::sync::Arc;

    use fsaudit::detect::{DetectAcc, Detector, DetectorConfig, Finding, Severity};
    use fsaudit::engine::Accumulator;
    use fsaudit::schema::{LineParser, SchemaMode};

    let failed = |t: String, who: &str, ip: String| {
        format!(
            r#"{{"event_type":"authn.failure","timestamp":"{t}","principal":{{"username":"{who}"}},"source":{{"ip":"{ip}"}},"outcome":"failure"}}"#
        )
        .into_bytes()
    };
    // bursts of 12 to 30 failed logins from one to three addresses, one
    // of them of a principal the log does not name
    let mut near: Vec<Vec<u8>> = Vec::new();
    for k in 12..=30u32 {
        for i in 0..k {
            let (h, s) = (k % 9 + 8, i * 17);
            let t = format!("2026-10-03T{h:02}:{:02}:{:02}.000Z", s / 60, s % 60);
            let who = if k == 20 { String::new() } else { format!("near{k}") };
            near.push(failed(t, &who, format!("10.99.{k}.{}", 1 + i % (k / 10))));
        }
    }
    // a principal failing all week, one login in two minutes from 500
    // addresses, and once 16 more times in 3 minutes from three: its own rate
    // elsewhere makes the burst a weaker finding (`high`)
    for i in 0..5040u32 {
        let (day, minute) = (1 + i / 720, i % 720 * 2);
        let t = format!("2026-10-{day:02}T{:02}:{:02}:00.000Z", minute / 60, minute % 60);
        near.push(failed(t, "steady", format!("10.77.{}.{}", i % 500 / 250, i % 250)));
    }
    for i in 0..16u32 {
        let t = format!("2026-10-04T12:{:02}:{:02}.500Z", i * 10 / 60, i * 10 % 60);
        near.push(failed(t, "steady", format!("10.78.0.{}", 1 + i % 3)));
    }
    let parser = LineParser::new(SchemaMode::Auto);
    let detect = |lines: &[Vec<u8>], cfg: DetectorConfig| -> Vec<Finding> {
        let cfg = Arc::new(cfg);
        let (mut a, mut b): (DetectAcc, DetectAcc) = (DetectAcc::new(cfg.clone()), DetectAcc::new(cfg));
        let mut scratch = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if let Ok(ev) = parser.parse(line, &mut scratch) {
                let acc = if i % 3 == 0 { &mut a } else { &mut b };
                acc.observe_line(&ev, line);
            }
        }
        a.merge(b);
        fsaudit::detect::findings(&a)
    };
    let severities = [Severity::Low, Severity::Medium, Severity::High, Severity::Critical];
    let mut seen: Vec<(&str, Severity)> = Vec::new();
    for (shape, seed) in [(Shape::Feast, 5), (Shape::FeastSox, 6), (Shape::Flat, 7)] {
        let mut lines = with_incidents(shape, seed).lines;
        lines.extend(near.iter().cloned());
        let every = detect(&lines, DetectorConfig::default());
        for f in &every {
            let d = Detector::parse(f.detector).unwrap();
            assert!(f.severity <= d.most_severe(), "{f:?}");
            seen.push((f.detector, f.severity));
        }
        for least in severities {
            let cfg = DetectorConfig::default().counting_from(least);
            assert_eq!(cfg.failures_only, least == Severity::Critical);
            let some = detect(&lines, cfg);
            let at_least =
                |found: &[Finding]| found.iter().filter(|f| f.severity >= least).cloned().collect::<Vec<_>>();
            assert_eq!(at_least(&some), at_least(&every), "{shape:?} at {least:?}");
        }
    }
    // what the comparison rests on: critical failures, and failures lowered to high
    for (detector, severity) in [
        ("authn-failures", Severity::Critical),
        ("authn-failures", Severity::High),
        ("write-failures", Severity::Critical),
        ("denied-burst", Severity::High),
        ("volume-spike", Severity::Medium),
    ] {
        assert!(seen.contains(&(detector, severity)), "no {detector} at {severity:?} in {seen:?}");
    }
}
