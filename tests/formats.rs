//! Logs as they are really written: envelopes (Python logging, Kubernetes
//! CRI with split records, Docker json-file, syslog), the other feature
//! stores' schemas, `group --by`, and what `views` says of a Feast server log.
//! Every expected number is computed here from the fixture's own fields.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{nearest_rank, run, testdata};
use serde_json::Value;

/// DESIGN §1's outcome classes of a Feast server event, computed here.
fn feast_class(ev: &Value) -> &'static str {
    let detail = ev["detail"].as_str().unwrap_or("");
    let status: Option<u16> = detail.rsplit_once("-> ").and_then(|(_, s)| s.trim().parse().ok());
    let outcome = ev["outcome"].as_str().unwrap_or("");
    if ev["event_type"] == "authn.failure" || status == Some(401) {
        "unauthenticated"
    } else if status == Some(403) || outcome == "denied" {
        "denied"
    } else if matches!(outcome, "success" | "allowed" | "ok") {
        "success"
    } else {
        "error"
    }
}

/// The endpoint of a Feast server event: `mcp:<tool>` or the path.
fn feast_endpoint(ev: &Value) -> String {
    match ev["action"]["mcp_tool"].as_str().unwrap_or("") {
        "" => ev["action"]["path"].as_str().unwrap_or("(none)").to_owned(),
        tool => format!("mcp:{tool}"),
    }
}

fn read_jsonl(name: &str) -> Vec<Value> {
    std::fs::read_to_string(testdata(name))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Outcome counts of events, in DESIGN order.
fn classes<'a>(events: impl Iterator<Item = &'a Value>, class: impl Fn(&Value) -> &'static str) -> Value {
    let mut c: BTreeMap<&str, u64> =
        ["success", "denied", "unauthenticated", "error"].into_iter().map(|k| (k, 0)).collect();
    for ev in events {
        *c.get_mut(class(ev)).unwrap() += 1;
    }
    serde_json::to_value(c).unwrap()
}

fn summary_json(args: &[&str]) -> Value {
    let mut all = vec!["summary", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{all:?}: {}", r.stderr);
    r.json()
}

fn sorted_outcomes(doc: &Value) -> Value {
    let o = &doc["outcomes"];
    let m: BTreeMap<&str, &Value> =
        ["success", "denied", "unauthenticated", "error"].into_iter().map(|k| (k, &o[k])).collect();
    serde_json::to_value(m).unwrap()
}

/// The CRI fixture read by the test: pieces (`P`) joined to the next `F`
/// of the same stream; lines whose joined text is not a JSON object are
/// malformed.
fn read_cri(name: &str) -> (Vec<Value>, u64) {
    let text = std::fs::read_to_string(testdata(name)).unwrap();
    let mut pending: BTreeMap<String, String> = BTreeMap::new();
    let (mut events, mut malformed) = (Vec::new(), 0);
    for line in text.lines() {
        let mut f = line.splitn(4, ' ');
        let (_time, stream, tag, content) =
            (f.next().unwrap(), f.next().unwrap(), f.next().unwrap(), f.next().unwrap_or(""));
        let joined = pending.entry(stream.to_owned()).or_default();
        joined.push_str(content);
        if tag == "P" {
            continue;
        }
        match serde_json::from_str::<Value>(&std::mem::take(joined)) {
            Ok(v) if v.is_object() => events.push(v),
            _ => malformed += 1,
        }
    }
    (events, malformed)
}

#[test]
fn cri_records_are_joined_whatever_the_chunks_and_threads() {
    let (events, malformed) = read_cri("containers/feast-server-cri.log");
    assert!(events.len() > 100 && malformed > 0, "the fixture has events and container chatter");
    let path = testdata("containers/feast-server-cri.log");
    let path = path.to_str().unwrap();
    let base = summary_json(&[path]);
    assert_eq!(base["events"], events.len() as u64);
    assert_eq!(base["malformed"], malformed);
    assert_eq!(sorted_outcomes(&base), classes(events.iter(), feast_class));
    // chunks of a few hundred bytes cut the split record at every place; workers differ
    for (buffer, threads) in [("97", "1"), ("97", "4"), ("333", "4"), ("1024", "1"), ("4096", "4")] {
        let doc = summary_json(&["--buffer-size", buffer, "--threads", threads, path]);
        assert_eq!(doc, base, "--buffer-size {buffer} --threads {threads}");
    }
    // the split event is read whole: its request id is there
    let long = events.iter().find(|e| e["request_id"] == events[40]["request_id"]).unwrap();
    let r = run(["filter", "--format", "json", "--normalize", "--buffer-size", "97", "--threads", "4", path]);
    let ids: Vec<Value> =
        r.text().lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["request_id"].clone()).collect();
    assert!(ids.contains(&long["request_id"]));
    assert_eq!(ids.len(), events.len());
    // `filter` prints the record's physical lines, pieces included, unchanged
    let r = run(["filter", "--buffer-size", "97", path]);
    let want: usize = std::fs::read_to_string(path).unwrap().lines().filter(|l| l.contains(" stdout ")).count();
    assert_eq!(r.text().lines().count(), want);
}

#[test]
fn docker_records_and_their_pieces() {
    let text = std::fs::read_to_string(testdata("containers/feast-server-docker.log")).unwrap();
    let mut joined = String::new();
    let (mut events, mut malformed) = (Vec::new(), 0u64);
    for line in text.lines() {
        let rec: Value = serde_json::from_str(line).unwrap();
        joined.push_str(rec["log"].as_str().unwrap());
        if !joined.ends_with('\n') {
            continue;
        }
        match serde_json::from_str::<Value>(std::mem::take(&mut joined).trim_end()) {
            Ok(v) if v.is_object() => events.push(v),
            _ => malformed += 1,
        }
    }
    let path = testdata("containers/feast-server-docker.log");
    for threads in ["1", "4"] {
        let doc = summary_json(&["--buffer-size", "211", "--threads", threads, path.to_str().unwrap()]);
        assert_eq!(doc["events"], events.len() as u64);
        assert_eq!(doc["malformed"], malformed);
        assert_eq!(sorted_outcomes(&doc), classes(events.iter(), feast_class));
    }
}

#[test]
fn syslog_lines() {
    let text = std::fs::read_to_string(testdata("feast-server-syslog.log")).unwrap();
    let events: Vec<Value> = text.lines().map(|l| serde_json::from_str(&l[l.find('{').unwrap()..]).unwrap()).collect();
    assert!(text.lines().any(|l| l.starts_with("<134>1 ")) && text.lines().any(|l| l.contains("]: {")));
    let doc = summary_json(&[testdata("feast-server-syslog.log").to_str().unwrap()]);
    assert_eq!(doc["events"], events.len() as u64);
    assert_eq!(doc["malformed"], 0);
    assert_eq!(sorted_outcomes(&doc), classes(events.iter(), feast_class));
    // forced, the same; forced as another envelope, nothing is read
    let forced = summary_json(&["--envelope", "syslog", testdata("feast-server-syslog.log").to_str().unwrap()]);
    assert_eq!(forced["outcomes"], doc["outcomes"]);
    let r = run([
        "summary",
        "--format",
        "json",
        "--envelope",
        "cri",
        testdata("feast-server-syslog.log").to_str().unwrap(),
    ]);
    let wrong = r.json();
    assert_eq!(wrong["events"], 0);
    assert_eq!(wrong["malformed"], events.len() as u64);
    assert!(r.stderr.contains("not a CRI log record"), "{}", r.stderr);
}

/// Feast's SOX records as the `feast.audit` logger writes them under the CLI.
#[test]
fn python_logging_sox_records() {
    let text = std::fs::read_to_string(testdata("feast-sox.log")).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| {
            assert!(l.contains(" feast.audit INFO: "));
            serde_json::from_str(&l[l.find('{').unwrap()..]).unwrap()
        })
        .collect();
    let path = testdata("feast-sox.log");
    let path = path.to_str().unwrap();
    let doc = summary_json(&[path]);
    assert_eq!(doc["events"], records.len() as u64);
    assert_eq!(doc["malformed"], 0);
    let ok = records.iter().filter(|r| r["status"] == "success").count() as u64;
    assert_eq!(doc["outcomes"]["success"], ok);
    assert_eq!(doc["outcomes"]["error"], records.len() as u64 - ok);
    // offline retrievals carry no identity: `(none)`; their method is the endpoint
    let r = run(["group", "--format", "json", "--by", "principal,endpoint", path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let groups = r.json()["groups"].as_array().unwrap().clone();
    let mut offline: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for rec in records.iter().filter(|r| r["event"] == "offline_feature_retrieval") {
        let e = offline.entry(rec["method"].as_str().unwrap().to_owned()).or_default();
        e.0 += 1;
        e.1 += rec["row_count"].as_u64().unwrap();
    }
    assert!(!offline.is_empty());
    for (method, (n, rows)) in &offline {
        let g = groups.iter().find(|g| g["principal"] == "(none)" && g["endpoint"] == method.as_str()).unwrap();
        assert_eq!((g["events"].as_u64().unwrap(), g["rows"].as_u64().unwrap()), (*n, *rows), "{method}");
    }
    // `(none)` is no one the detectors or risk scores judge
    let r = run(["users", "--format", "json", "--user", "(none)", path]);
    let users = r.json();
    assert_eq!(users["principals"][0]["risk_score"], 0, "{users}");
    // the same failures score a named principal, not `(none)`
    let mut lines = String::new();
    for i in 0..20 {
        let status = if i % 2 == 0 { "success" } else { "error" };
        lines += &format!(
            "2026-08-21 10:00:{i:02},000 feast.audit INFO: {{\"event\": \"offline_feature_retrieval\", \"timestamp\": \"2026-08-21T10:00:{i:02}Z\", \"method\": \"to_df\", \"feature_views\": [\"fv\"], \"row_count\": 10, \"status\": \"{status}\"}}\n"
        );
        lines += &format!(
            "2026-08-21 10:00:{i:02},000 feast.audit INFO: {{\"event\": \"online_feature_request\", \"timestamp\": \"2026-08-21T10:00:{i:02}Z\", \"requestor_id\": \"carol\", \"feature_views\": [\"fv\"], \"status\": \"{status}\"}}\n"
        );
    }
    let (_d, both) = common::temp_file("both.log", lines.as_bytes());
    let r = run(["users", "--format", "json", both.to_str().unwrap()]);
    let scores: BTreeMap<String, u64> = r.json()["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["name"].as_str().unwrap().to_owned(), u["risk_score"].as_u64().unwrap()))
        .collect();
    assert_eq!(scores["(none)"], 0);
    assert!(scores["carol"] > 0, "{scores:?}");
    // a line with no level word is not a logging prefix: it stays malformed
    let (_d, bad) =
        common::temp_file("x.log", b"2026-08-21 10:00:00,123 hello {\"event\": \"online_feature_request\"}\n");
    let doc = summary_json(&[bad.to_str().unwrap()]);
    assert_eq!((doc["events"].as_u64(), doc["malformed"].as_u64()), (Some(0), Some(1)));
}

/// An envelope never turns garbage into an event.
#[test]
fn envelopes_never_make_events_of_garbage() {
    let lines = "2026-11-22T10:00:00.1Z stdout F not json\n\
                 2026-08-21 10:00:00,123 feast.audit INFO: {not json}\n\
                 <134>1 2026-11-22T10:00:00Z host app - - - [1,2]\n\
                 {\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-22T10:00:00Z\"}\n\
                 2026-11-22T10:00:00.1Z stdout P {\"event\":\"online_feature_request\"\n";
    let (_d, path) = common::temp_file("garbage.log", lines.as_bytes());
    let r = run(["summary", "--format", "json", path.to_str().unwrap()]);
    let doc = r.json();
    assert_eq!(doc["events"], 0);
    assert_eq!(doc["malformed"], 5);
    assert!(r.stderr.contains("whose last piece is missing"), "{}", r.stderr);
}

/// A SOX record whose `feature_views` is not a list is malformed with that
/// reason (not "invalid JSON": the line is JSON), in full and by a learnt
/// shape alike; a line of another schema that holds such a field is read.
#[test]
fn a_list_field_that_is_not_a_list() {
    let sox = |i: usize, views: &str| {
        format!(
            "{{\"event\":\"online_feature_request\",\"timestamp\":\"2026-10-01T00:00:0{i}Z\",\"requestor_id\":\"carol\",\"feature_views\":{views},\"status\":\"success\",\"latency_ms\":1.5}}\n"
        )
    };
    let bad = ["403", "\"fv\"", "{\"a\":1}", "true"];
    let mut text = sox(0, "[\"fv\"]");
    for (i, v) in bad.iter().enumerate() {
        text += &sox(i + 1, v);
    }
    text += &sox(6, "null");
    text += "{\"timestamp\":\"2026-10-01T00:00:07Z\",\"event_type\":\"feature_retrieval\",\"user\":\"dave\",\"action\":\"get_online_features\",\"resource\":\"fv2\",\"status\":\"success\",\"feature_views\":\"fv2\"}\n";
    let (_d, path) = common::temp_file("sox.jsonl", text.as_bytes());
    let r = run(["summary", "--format", "json", path.to_str().unwrap()]);
    let doc = r.json();
    // the list, the null (no views) and the flat line are events; the four others malformed
    assert_eq!(doc["events"], 3, "{}", r.stderr);
    assert_eq!(doc["malformed"], bad.len() as u64, "{}", r.stderr);
    for line in 2..2 + bad.len() {
        let said = format!("{}:{line}: `feature_views` is not a list", path.display());
        assert!(r.stderr.contains(&said), "{said} in {}", r.stderr);
    }
    assert!(!r.stderr.contains("invalid JSON"), "{}", r.stderr);
}

fn group(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["group", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()["groups"].as_array().unwrap().clone()
}

/// `group --by endpoint` on Feast's own server log, against a GROUP BY here.
#[test]
fn group_by_endpoint_matches_an_independent_group_by() {
    let events = read_jsonl("feast-server.jsonl");
    let path = testdata("feast-server.jsonl");
    let path = path.to_str().unwrap();
    let mut by: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for ev in &events {
        by.entry(feast_endpoint(ev)).or_default().push(ev);
    }
    for threads in ["1", "3"] {
        let groups = group(&["--by", "endpoint", "--threads", threads, path]);
        assert_eq!(groups.len(), by.len());
        // most events first
        let counts: Vec<u64> = groups.iter().map(|g| g["events"].as_u64().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
        for g in &groups {
            let name = g["endpoint"].as_str().unwrap();
            let evs = &by[name];
            assert_eq!(g["events"], evs.len() as u64, "{name}");
            let c = classes(evs.iter().copied(), feast_class);
            for k in ["success", "denied", "unauthenticated", "error"] {
                assert_eq!(g[k], c[k], "{name} {k}");
            }
            let mut lat: Vec<f64> = evs.iter().filter_map(|e| e["duration_ms"].as_f64()).collect();
            lat.sort_by(f64::total_cmp);
            for (p, key) in [(50.0, "latency_p50_ms"), (95.0, "latency_p95_ms"), (99.0, "latency_p99_ms")] {
                assert_eq!(g[key].as_f64(), Some(nearest_rank(&lat, p)), "{name} {key}");
            }
            let principals: BTreeSet<&str> = evs.iter().map(|e| e["principal"]["username"].as_str().unwrap()).collect();
            assert_eq!(g["principals"], principals.len() as u64, "{name}");
            let times: BTreeSet<&str> = evs.iter().map(|e| e["timestamp"].as_str().unwrap()).collect();
            assert_eq!(g["first"].as_str(), times.first().copied());
            assert_eq!(g["last"].as_str(), times.last().copied());
            let ok = c["success"].as_f64().unwrap() / evs.len() as f64;
            assert!((g["success_rate"].as_f64().unwrap() - ok).abs() < 1e-12);
        }
    }
}

#[test]
fn group_by_principal_and_endpoint() {
    let events = read_jsonl("feast-server.jsonl");
    let mut by: BTreeMap<(String, String), Vec<&Value>> = BTreeMap::new();
    for ev in &events {
        let p = ev["principal"]["username"].as_str().unwrap().to_owned();
        by.entry((p, feast_endpoint(ev))).or_default().push(ev);
    }
    let path = testdata("feast-server.jsonl");
    let groups = group(&["--by", "principal,endpoint", path.to_str().unwrap()]);
    assert_eq!(groups.len(), by.len());
    for g in &groups {
        let key = (g["principal"].as_str().unwrap().to_owned(), g["endpoint"].as_str().unwrap().to_owned());
        let evs = &by[&key];
        assert_eq!(g["events"], evs.len() as u64, "{key:?}");
        let c = classes(evs.iter().copied(), feast_class);
        for k in ["denied", "unauthenticated"] {
            assert_eq!(g[k], c[k], "{key:?} {k}");
        }
    }
    // --top and --sort: the three groups with the most denials
    let top = group(&["--by", "principal,endpoint", "--sort", "denied", "--top", "3", path.to_str().unwrap()]);
    let mut denials: Vec<u64> =
        by.values().map(|evs| evs.iter().filter(|e| feast_class(e) == "denied").count() as u64).collect();
    denials.sort_unstable_by(|a, b| b.cmp(a));
    let got: Vec<u64> = top.iter().map(|g| g["denied"].as_u64().unwrap()).collect();
    assert_eq!(got, denials[..3]);
    // an event with two actions counts in each action's group
    let actions = group(&["--by", "action", path.to_str().unwrap()]);
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for ev in &events {
        for a in ev["resource"]["actions"].as_array().unwrap() {
            *want.entry(a.as_str().unwrap().to_owned()).or_default() += 1;
        }
    }
    let got: BTreeMap<String, u64> =
        actions.iter().map(|g| (g["action"].as_str().unwrap().to_owned(), g["events"].as_u64().unwrap())).collect();
    assert_eq!(got, want);
}

/// Events with one feature view and events with several fall in the same
/// groups: each view of an event counts once in its (view, principal)
/// group, an event with none in `(none)`'s, at any thread count.
#[test]
fn group_by_resource_mixes_events_of_one_view_and_of_several() {
    let views = ["fv_a", "fv_b", "fv_c"];
    let users = ["carol", "dave", "erin", ""];
    let mut text = String::new();
    let mut want: BTreeMap<(String, String), u64> = BTreeMap::new();
    for i in 0..240usize {
        let user = users[i % users.len()];
        // 0 to 3 views, in an order that changes
        let these: Vec<&str> = (0..(i / 4) % 4).map(|k| views[(i + k) % views.len()]).collect();
        let list: Vec<String> = these.iter().map(|v| format!("\"{v}\"")).collect();
        text += &format!(
            "{{\"event\":\"online_feature_request\",\"timestamp\":\"2026-10-01T00:{:02}:{:02}Z\",\"requestor_id\":\"{user}\",\"feature_views\":[{}],\"status\":\"success\",\"latency_ms\":1.5}}\n",
            i / 60,
            i % 60,
            list.join(",")
        );
        // a record without a principal is `(unknown)`'s (DESIGN §1)
        let principal = if user.is_empty() { "(unknown)" } else { user };
        if these.is_empty() {
            *want.entry(("(none)".into(), principal.into())).or_default() += 1;
        }
        for v in these {
            *want.entry((v.into(), principal.into())).or_default() += 1;
        }
    }
    let (_d, path) = common::temp_file("views.jsonl", text.as_bytes());
    for threads in ["1", "3"] {
        let groups = group(&["--by", "resource,principal", "--threads", threads, path.to_str().unwrap()]);
        let got: BTreeMap<(String, String), u64> = groups
            .iter()
            .map(|g| {
                let key = (g["resource"].as_str().unwrap().to_owned(), g["principal"].as_str().unwrap().to_owned());
                (key, g["events"].as_u64().unwrap())
            })
            .collect();
        assert_eq!(got.len(), groups.len(), "no group twice");
        assert_eq!(got, want, "threads {threads}");
    }
}

#[test]
fn group_csv_and_errors() {
    let path = testdata("feast-server.jsonl");
    let r = run(["group", "--format", "csv", "--by", "transport,status", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.text();
    assert!(text.starts_with("transport,status,events,success,denied,unauthenticated,error,"), "{text}");
    let rows: u64 = text.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap()).sum();
    assert_eq!(rows, read_jsonl("feast-server.jsonl").len() as u64);
    // a principal's name holding separators, quotes and newlines stays one value
    let hostile = "a\u{1f}b,\"c\"\n:1";
    let line = |ep: &str| {
        serde_json::json!({"event_type": "http.request", "timestamp": "2026-11-20T08:00:00Z",
            "principal": {"username": hostile}, "action": {"path": ep}, "outcome": "success"})
        .to_string()
            + "\n"
    };
    let (_d, odd) = common::temp_file("odd.jsonl", (line("/push") + &line("/x")).as_bytes());
    let groups = group(&["--by", "principal,endpoint", odd.to_str().unwrap()]);
    assert_eq!(groups.len(), 2);
    assert!(groups.iter().all(|g| g["principal"] == hostile), "{groups:?}");
    let r = run(["group", "--format", "csv", "--by", "principal,endpoint", odd.to_str().unwrap()]);
    let mut rd = csv::Reader::from_reader(&r.stdout[..]);
    for rec in rd.records() {
        let rec = rec.unwrap();
        assert_eq!((&rec[0], rec.len()), (hostile, 15));
    }
    let r = run(["group", "--by", "principal,colour", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown key 'colour'") && r.stderr.contains("endpoint"), "{}", r.stderr);
    let r = run(["group", "--by", "principal", "--sort", "size", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--sort"), "{}", r.stderr);
}

/// `views` on a log that names no resource says so; `--view` and
/// `--sensitive` match endpoints and resource types.
#[test]
fn feast_server_logs_answer_what_was_done() {
    let events = read_jsonl("feast-server.jsonl");
    let path = testdata("feast-server.jsonl");
    let path = path.to_str().unwrap();
    let r = run(["views", path]);
    assert_eq!(r.code, 0);
    assert!(r.text().contains("no event names a resource") && r.text().contains("group --by endpoint"), "{}", r.text());
    let push: Vec<&Value> = events.iter().filter(|e| feast_endpoint(e) == "/push").collect();
    let doc = summary_json(&["--view", "/push", path]);
    assert_eq!(doc["events"], push.len() as u64);
    let services = events.iter().filter(|e| e["resource"]["type"] == "feature_service").count() as u64;
    assert_eq!(summary_json(&["--view", "feature_service", path])["events"], services);
    // summary lists what was called
    let doc = summary_json(&[path]);
    let top = &doc["top_endpoints"][0];
    let most = events.iter().filter(|e| feast_endpoint(e) == top["name"].as_str().unwrap()).count() as u64;
    assert_eq!(top["events"], most);
    // a principal denied on a sensitive endpoint scores the sensitive-denial points
    let denied_on_push: BTreeSet<&str> = push
        .iter()
        .filter(|e| feast_class(e) == "denied")
        .map(|e| e["principal"]["username"].as_str().unwrap())
        .collect();
    assert!(!denied_on_push.is_empty());
    let r = run(["users", "--format", "json", "--sensitive", "/push", path]);
    for u in r.json()["principals"].as_array().unwrap() {
        let name = u["name"].as_str().unwrap();
        let said =
            u["risk_reasons"].as_array().unwrap().iter().any(|x| x.as_str().unwrap().contains("sensitive /push"));
        assert_eq!(said, denied_on_push.contains(name), "{name}: {u}");
    }
}

/// `--schema feast --map resource=action.path` keeps what Feast parsing
/// gives (outcome from `detail`) and overrides only the resource.
#[test]
fn map_extends_a_schema() {
    let events = read_jsonl("feast-server.jsonl");
    let path = testdata("feast-server.jsonl");
    let path = path.to_str().unwrap();
    let plain = summary_json(&[path]);
    let r = run(["summary", "--format", "json", "--schema", "feast", "--map", "resource=action.path", path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let mapped = r.json();
    assert_eq!(mapped["outcomes"], plain["outcomes"]);
    assert_eq!(mapped["outcomes"]["denied"], classes(events.iter(), feast_class)["denied"]);
    let paths: BTreeSet<&str> = events.iter().filter_map(|e| e["action"]["path"].as_str()).collect();
    assert_eq!(mapped["distinct"]["resources"], paths.len() as u64);
    // without --schema the same: a line Feast's reader knows is read by it
    let auto = summary_json(&["--map", "resource=action.path", path]);
    assert_eq!(auto["outcomes"], plain["outcomes"]);
    // a map alone that leaves the outcome unmapped says what that means
    let r = run(["summary", "--format", "json", "--map", "principal=who", path]);
    assert!(r.stderr.contains("maps neither outcome nor status"), "{}", r.stderr);
}

/// The other feature stores' audit records, with their documented outcome rules.
#[test]
fn cloud_feature_store_schemas() {
    // CloudTrail: one gzipped {"Records": [...]} document
    let text = {
        use std::io::Read;
        let mut s = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(testdata("cloudtrail-sagemaker.json.gz")).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let doc: Value = serde_json::from_str(&text).unwrap();
    let records = doc["Records"].as_array().unwrap();
    let ct = |r: &Value| match r["errorCode"].as_str() {
        None => "success",
        Some(c) if c.starts_with("AccessDenied") => "denied",
        Some(_) => "error",
    };
    let got = summary_json(&[testdata("cloudtrail-sagemaker.json.gz").to_str().unwrap()]);
    assert_eq!(got["events"], records.len() as u64);
    assert_eq!(sorted_outcomes(&got), classes(records.iter(), ct));
    let groups: BTreeSet<&str> =
        records.iter().map(|r| r["requestParameters"]["featureGroupName"].as_str().unwrap()).collect();
    assert_eq!(got["distinct"]["resources"], groups.len() as u64);
    let arns: BTreeSet<&str> = records.iter().map(|r| r["userIdentity"]["arn"].as_str().unwrap()).collect();
    assert_eq!(got["distinct"]["principals"], arns.len() as u64);

    // Cloud Audit Logs: status.code 0 success, 7 denied, 16 unauthenticated
    let gcp = read_jsonl("gcp-audit.jsonl");
    let g = |e: &Value| match e["protoPayload"]["status"]["code"].as_i64().unwrap_or(0) {
        0 => "success",
        7 => "denied",
        16 => "unauthenticated",
        _ => "error",
    };
    let got = summary_json(&[testdata("gcp-audit.jsonl").to_str().unwrap()]);
    assert_eq!(got["events"], gcp.len() as u64);
    assert_eq!(sorted_outcomes(&got), classes(gcp.iter(), g));
    assert!(
        got["outcomes"]["unauthenticated"].as_u64().unwrap() > 0 && got["outcomes"]["denied"].as_u64().unwrap() > 0
    );

    // Databricks: response.statusCode as HTTP
    let db = read_jsonl("databricks.jsonl");
    let d = |e: &Value| match e["response"]["statusCode"].as_u64().unwrap() {
        401 => "unauthenticated",
        403 => "denied",
        100..=399 => "success",
        _ => "error",
    };
    let got = summary_json(&[testdata("databricks.jsonl").to_str().unwrap()]);
    assert_eq!(got["events"], db.len() as u64);
    assert_eq!(sorted_outcomes(&got), classes(db.iter(), d));
    let fs = db.iter().filter(|e| e["serviceName"] == "featureStore").count() as u64;
    let groups = group(&["--by", "endpoint", testdata("databricks.jsonl").to_str().unwrap()]);
    let in_fs: u64 = groups
        .iter()
        .filter(|g| g["endpoint"].as_str().unwrap().starts_with("featureStore."))
        .map(|g| g["events"].as_u64().unwrap())
        .sum();
    assert_eq!(in_fs, fs);

    // Tecton: the status word
    let tecton = read_jsonl("tecton.jsonl");
    let t = |e: &Value| match e["status"].as_str().unwrap() {
        "SUCCESS" => "success",
        "PERMISSION_DENIED" => "denied",
        "UNAUTHENTICATED" => "unauthenticated",
        _ => "error",
    };
    let got = summary_json(&[testdata("tecton.jsonl").to_str().unwrap()]);
    assert_eq!(got["events"], tecton.len() as u64);
    assert_eq!(sorted_outcomes(&got), classes(tecton.iter(), t));
    let actors: BTreeSet<&str> =
        tecton.iter().map(|e| e["actor"]["email"].as_str().or(e["actor"]["id"].as_str()).unwrap()).collect();
    assert_eq!(got["distinct"]["principals"], actors.len() as u64);

    // each is recognised as its own schema
    for (file, schema) in [
        ("gcp-audit.jsonl", "gcp-audit"),
        ("databricks.jsonl", "databricks"),
        ("tecton.jsonl", "tecton"),
        ("cloudtrail-sagemaker.json.gz", "cloudtrail"),
    ] {
        let groups = group(&["--by", "schema", testdata(file).to_str().unwrap()]);
        assert_eq!(groups.len(), 1, "{file}");
        assert_eq!(groups[0]["schema"], schema, "{file}");
    }
}

/// Parses Prometheus text with the reference Python parser
/// (`prometheus_client`, which `.ci/run` installs) and returns each sample
/// as `name{k="v",…}` (labels sorted) → value.
fn parse_prometheus(text: &[u8]) -> BTreeMap<String, f64> {
    let script = r#"
import sys
from prometheus_client.parser import text_string_to_metric_families
for fam in text_string_to_metric_families(sys.stdin.read()):
    for s in fam.samples:
        labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
        print("%s{%s}\t%r" % (s.name, labels, s.value))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 (the Prometheus parser runs in it)");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the Prometheus parser refused the text: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('\t').unwrap();
            (k.to_owned(), v.parse().unwrap())
        })
        .collect()
}

#[test]
fn summary_as_prometheus_parses_and_says_what_json_says() {
    let g = common::generate(fsaudit::testgen::Shape::Feast, 3000, 21, 2);
    let (_d, path) = common::temp_file("week.jsonl", &g.to_bytes());
    let p = path.to_str().unwrap();
    let r = run(["summary", "--format", "prometheus", p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = String::from_utf8(r.stdout.clone()).unwrap();
    assert!(text.lines().filter(|l| !l.starts_with('#')).all(|l| l.split(' ').count() == 2), "a timestamp: {text}");
    let m = parse_prometheus(&r.stdout);
    // events per class, counted from the generated facts
    for (class, name) in [
        (fsaudit::event::OutcomeClass::Success, "success"),
        (fsaudit::event::OutcomeClass::Denied, "denied"),
        (fsaudit::event::OutcomeClass::Unauthenticated, "unauthenticated"),
        (fsaudit::event::OutcomeClass::Error, "error"),
    ] {
        let expected = g.events.iter().filter(|e| e.class == class).count() as f64;
        let got: f64 = m
            .iter()
            .filter(|(k, _)| k.starts_with("fsaudit_events_total{") && k.contains(&format!("outcome=\"{name}\"")))
            .map(|(_, v)| v)
            .sum();
        assert_eq!(got, expected, "{name}");
    }
    let denied = g.events.iter().filter(|e| e.class == fsaudit::event::OutcomeClass::Denied).count() as f64;
    assert_eq!(m["fsaudit_denied_total{}"], denied);
    assert_eq!(m["fsaudit_malformed_lines_total{}"], 2.0);
    // the latency quantiles: nearest rank over the generated latencies
    let mut lat: Vec<f64> = g.events.iter().filter_map(|e| e.latency_ms).collect();
    lat.sort_by(f64::total_cmp);
    assert_eq!(m["fsaudit_latency_ms{quantile=\"0.99\"}"], nearest_rank(&lat, 99.0));
    assert_eq!(m["fsaudit_latency_ms_count{}"], lat.len() as f64);
    let principals: BTreeSet<&str> =
        g.events.iter().map(|e| if e.principal.is_empty() { "(unknown)" } else { e.principal.as_str() }).collect();
    assert_eq!(m["fsaudit_distinct{kind=\"principals\"}"], principals.len() as f64);
}

#[test]
fn check_and_group_as_prometheus() {
    let p = testdata("feast-server.jsonl");
    let p = p.to_str().unwrap();
    let r = run(["check", "--format", "prometheus", "--max", "denied=5", "--min", "events=1", p]);
    assert_eq!(r.code, 1, "a rule fails, as with every format");
    let m = parse_prometheus(&r.stdout);
    let doc = run(["check", "--format", "json", "--max", "denied=5", "--min", "events=1", p]).json();
    assert_eq!(m["fsaudit_check_passed{}"], 0.0);
    for rule in doc["rules"].as_array().unwrap() {
        let key = |name: &str| {
            format!(
                "{name}{{metric=\"{}\",rule=\"{}\"}}",
                rule["metric"].as_str().unwrap(),
                rule["name"].as_str().unwrap()
            )
        };
        assert_eq!(m[&key("fsaudit_rule_passed")], if rule["passed"] == true { 1.0 } else { 0.0 });
        assert_eq!(m[&key("fsaudit_rule_observed")], rule["observed"].as_f64().unwrap());
    }
    // grouped by outcome too: no label twice, and the events add up
    let r = run(["group", "--by", "endpoint,outcome", "--format", "prometheus", p]);
    let m = parse_prometheus(&r.stdout);
    let total: f64 = m.iter().filter(|(k, _)| k.starts_with("fsaudit_group_events_total{")).map(|(_, v)| v).sum();
    // every line of the fixture is one well-formed event
    let lines = std::fs::read_to_string(p).unwrap().lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(total, lines as f64);
    let r = run(["users", "--format", "prometheus", p]);
    assert_eq!(r.code, 2, "users has no Prometheus form");
}

/// `--output FILE` writes the report there and nothing to stdout; the file
/// appears whole (a temporary file renamed into place, readable by a
/// collector), and a run that fails leaves the old file as it was.
#[test]
fn output_writes_the_file_atomically() {
    let p = testdata("feast-server.jsonl");
    let p = p.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fsaudit.prom");
    let o = out.to_str().unwrap();
    let r = run(["summary", "--format", "prometheus", "--output", o, p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(std::fs::read(&out).unwrap(), run(["summary", "--format", "prometheus", p]).stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o644);
    }
    let before = std::fs::read(&out).unwrap();
    let r = run(["summary", "--format", "prometheus", "--output", o, "/nonexistent/audit.jsonl"]);
    assert_ne!(r.code, 0);
    assert_eq!(std::fs::read(&out).unwrap(), before, "a failed run replaced the file");
    // no temporary file is left behind, and JSON goes there as well
    let r = run(["check", "--format", "json", "--min", "events=1", "--output", o, p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["passed"], true);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "a temporary file was left");
}

/// Markdown for a job summary: a real CommonMark parser (with GitHub's
/// tables) sees one table row per rule or finding, and a principal holding
/// HTML, pipes and Markdown shows as written, with no tag in the page.
#[test]
fn markdown_renders_as_tables_and_escapes_the_log() {
    use pulldown_cmark::{Options, Parser, html};
    let to_html = |md: &[u8]| {
        let text = String::from_utf8(md.to_vec()).unwrap();
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(&text, Options::ENABLE_TABLES));
        out
    };
    let hostile = "<img src=x onerror=alert(1)>|*mallory*";
    let lines: Vec<String> = (0..30)
        .map(|i| {
            serde_json::json!({"event_type": "authn.failure", "timestamp": format!("2026-10-01T10:00:{i:02}.000Z"),
                "principal": {"username": hostile}, "source": {"ip": "10.0.0.9"}, "outcome": "failure"})
            .to_string()
        })
        .collect();
    let (_d, path) = common::temp_file("hostile.jsonl", (lines.join("\n") + "\n").as_bytes());
    let p = path.to_str().unwrap();
    let found = run(["anomalies", "--format", "json", p]).json();
    let page = to_html(&run(["anomalies", "--format", "markdown", p]).stdout);
    let rows = page.matches("<tr>").count();
    assert_eq!(rows, found["findings"].as_array().unwrap().len() + 1, "{page}");
    assert!(!page.contains("<img"), "markup from the log reached the page: {page}");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;|*mallory*"), "the name as written: {page}");

    let compliance = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/compliance.toml");
    let week = testdata("incidents-week.jsonl.gz");
    let args =
        |f: &'static str| vec!["check", "--rules", compliance.to_str().unwrap(), "--format", f, week.to_str().unwrap()];
    let doc = run(args("json")).json();
    let r = run(args("markdown"));
    assert_eq!(r.code, 1, "the exit code does not depend on the format");
    let page = to_html(&r.stdout);
    let rules = doc["rules"].as_array().unwrap();
    assert_eq!(page.matches("<tr>").count(), rules.len() + 1);
    let failing = rules.iter().filter(|r| r["passed"] == false).count();
    assert_eq!(page.matches("<strong>FAIL</strong>").count(), failing);
    assert!(page.contains("<h2>fsaudit check: FAILED"), "{page}");
}
