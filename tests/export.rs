//! `fsaudit export`: a real engine is the oracle. The shipped fixtures are
//! exported to Parquet and DuckDB (Python's `duckdb`, which `.ci/run`
//! installs) computes the counts per outcome class, per principal and per
//! day, the distinct counts and the exact percentiles (`quantile_disc`) over
//! the files; they must equal `summary`, `users` and `timeline` on the same
//! inputs. OCSF records are validated against the published OCSF schema
//! (`scripts/validate-ocsf`); ECS and the JSON Lines table are checked
//! field by field against the log's own lines.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, testdata};
use serde_json::Value;

/// The fixtures of every shape a real log takes: Feast's server, SOX
/// records behind Python logging prefixes, a container log, a week of
/// incidents (gzip), the other schemas.
const FIXTURES: &[&str] = &[
    "feast-server.jsonl",
    "feast-sox.log",
    "containers/feast-server-cri.log",
    "incidents-week.jsonl.gz",
    "soc2.jsonl",
    "flat.jsonl",
    "cloudtrail.jsonl",
    "gcp-audit.jsonl",
    "databricks.jsonl",
    "tecton.jsonl",
];

/// True when the Python modules a test needs can be imported; in CI they
/// must be (`.ci/run` installs them), elsewhere the test says it skipped.
fn python_has(modules: &[&str]) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {}", modules.join(", "))])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "CI must have the Python modules {modules:?}");
        eprintln!("skipped: python3 cannot import {modules:?}");
    }
    ok
}

/// Runs a Python program with arguments; its stdout as JSON.
fn python(program: &str, args: &[&str]) -> Value {
    let out = Command::new("python3").arg("-c").arg(program).args(args).output().unwrap();
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What DuckDB computes over the Parquet files under `glob`.
const DUCKDB: &str = r#"
import duckdb, json, sys
src = f"read_parquet('{sys.argv[1]}', hive_partitioning = {sys.argv[2]})"
c = duckdb.connect()
def one(q): return c.execute(q).fetchone()
def iso(t): return None if t is None else t.strftime('%Y-%m-%dT%H:%M:%S.') + f"{t.microsecond // 1000:03d}Z"
c.execute("SET TimeZone = 'UTC'")
events, first, last = one(f"select count(*), min(time), max(time) from {src}")
outcomes = dict(c.execute(f"select outcome, count(*) from {src} group by 1").fetchall())
lat = one(f"select count(latency_ms), quantile_disc(latency_ms, [0.5, 0.95, 0.99]), max(latency_ms) from {src}")
distinct = one(f"""select count(distinct principal), count(distinct source_ip),
    (select count(distinct r) from (select unnest(resources) as r from {src})),
    count(distinct endpoint) from {src}""")
users = {}
for row in c.execute(f"""
    with ev as (select principal, outcome, latency_ms, source_ip, resources from {src})
    select principal, count(*),
      count(*) filter (where outcome = 'success'), count(*) filter (where outcome = 'denied'),
      count(*) filter (where outcome = 'unauthenticated'), count(*) filter (where outcome = 'error'),
      count(distinct source_ip), quantile_disc(latency_ms, 0.99),
      (select count(distinct r) from (select unnest(e2.resources) as r from ev e2 where e2.principal = ev.principal))
    from ev group by principal""").fetchall():
    users[row[0]] = dict(events=row[1], success=row[2], denied=row[3], unauthenticated=row[4], error=row[5],
                         source_ips=row[6], latency_p99_ms=row[7], resources=row[8])
days = {}
for row in c.execute(f"""select date_trunc('day', time), count(*),
      count(*) filter (where outcome = 'success'), count(*) filter (where outcome = 'denied'),
      count(*) filter (where outcome = 'unauthenticated'), count(*) filter (where outcome = 'error'),
      quantile_disc(latency_ms, 0.99)
    from {src} where time is not null group by 1""").fetchall():
    days[iso(row[0])] = dict(events=row[1], success=row[2], denied=row[3], unauthenticated=row[4], error=row[5],
                             latency_p99_ms=row[6])
print(json.dumps(dict(events=events, first=iso(first), last=iso(last), outcomes=outcomes,
    latency=dict(count=lat[0], p50=lat[1][0] if lat[1] else None, p95=lat[1][1] if lat[1] else None,
                 p99=lat[1][2] if lat[1] else None, max=lat[2]),
    distinct=dict(principals=distinct[0], source_ips=distinct[1], resources=distinct[2], endpoints=distinct[3]),
    users=users, days=days)))
"#;

fn export(to: &str, out: &Path, extra: &[&str], inputs: &[PathBuf]) -> common::Run {
    let mut args: Vec<String> = vec!["export".into(), "--to".into(), to.into(), "-o".into(), out.display().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let r = run(&args);
    assert_eq!(r.code, 0, "export failed: {}", r.stderr);
    r
}

/// `fsaudit CMD --format json ARGS… INPUTS…`.
fn report(cmd: &[&str], inputs: &[PathBuf]) -> Value {
    let mut args: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
    args.extend(["--format".into(), "json".into(), "-q".into()]);
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let r = run(&args);
    assert!(r.code == 0, "{cmd:?}: {}", r.stderr);
    r.json()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// DuckDB's figures over the exported files equal fsaudit's reports.
fn assert_engine_agrees(duck: &Value, inputs: &[PathBuf], what: &str) {
    let summary = report(&["summary"], inputs);
    assert_eq!(duck["events"], summary["events"], "{what}: events");
    for class in ["success", "denied", "unauthenticated", "error"] {
        let d = duck["outcomes"].get(class).and_then(Value::as_u64).unwrap_or(0);
        assert_eq!(d, summary["outcomes"][class].as_u64().unwrap(), "{what}: {class}");
    }
    assert_eq!(duck["first"], summary["time_range"]["first"], "{what}: first");
    assert_eq!(duck["last"], summary["time_range"]["last"], "{what}: last");
    let (dl, sl) = (&duck["latency"], &summary["latency_ms"]);
    assert_eq!(dl["count"], sl["count"], "{what}: latencies");
    for p in ["p50", "p95", "p99", "max"] {
        assert_eq!(dl[p].as_f64(), sl[p].as_f64(), "{what}: latency {p}");
    }
    for k in ["principals", "source_ips", "resources", "endpoints"] {
        assert_eq!(duck["distinct"][k], summary["distinct"][k], "{what}: distinct {k}");
    }

    let users = report(&["users"], inputs);
    let rows = users["principals"].as_array().unwrap();
    assert_eq!(rows.len(), duck["users"].as_object().unwrap().len(), "{what}: principals");
    for row in rows {
        let name = row["name"].as_str().unwrap();
        let d = &duck["users"][name];
        for k in ["events", "success", "denied", "unauthenticated", "error", "source_ips", "resources"] {
            assert_eq!(d[k], row[k], "{what}: {name} {k}");
        }
        assert_eq!(d["latency_p99_ms"].as_f64(), row["latency_p99_ms"].as_f64(), "{what}: {name} p99");
    }

    let timeline = report(&["timeline", "--bucket", "1d"], inputs);
    let buckets: Vec<&Value> =
        timeline["buckets"].as_array().unwrap().iter().filter(|b| num(&b["events"]) > 0.0).collect();
    assert_eq!(buckets.len(), duck["days"].as_object().unwrap().len(), "{what}: days");
    for b in buckets {
        let d = &duck["days"][b["start"].as_str().unwrap()];
        for k in ["events", "success", "denied", "unauthenticated", "error"] {
            assert_eq!(d[k], b[k], "{what}: day {} {k}", b["start"]);
        }
        assert_eq!(d["latency_p99_ms"].as_f64(), b["latency_p99_ms"].as_f64(), "{what}: day p99");
    }
}

#[test]
fn duckdb_over_the_parquet_export_equals_summary_users_and_timeline() {
    if !python_has(&["duckdb"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in FIXTURES {
        let input = vec![testdata(name)];
        let file = dir.path().join(format!("{}.parquet", name.replace('/', "_")));
        export("parquet", &file, &[], &input);
        let duck = python(DUCKDB, &[file.to_str().unwrap(), "false"]);
        assert!(num(&duck["events"]) > 0.0, "{name}: no events");
        assert_engine_agrees(&duck, &input, name);
    }
    // all fixtures at once, one file per day, read back through Hive's partitions
    let inputs: Vec<PathBuf> = FIXTURES.iter().map(|n| testdata(n)).collect();
    let days = dir.path().join("lake");
    export("parquet", &days, &["--partition-by", "day", "--row-group-rows", "1000"], &inputs);
    let glob = format!("{}/*/*.parquet", days.display());
    let duck = python(DUCKDB, &[&glob, "true"]);
    assert_engine_agrees(&duck, &inputs, "all fixtures, partitioned");
}

/// The exported rows, as the JSON Lines table.
fn table_rows(inputs: &[PathBuf], extra: &[&str]) -> Vec<Value> {
    let mut args: Vec<String> = vec!["export".into(), "--to".into(), "jsonl".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The lines of a (plain) file, numbered from 1.
fn file_lines(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    bytes.split(|b| *b == b'\n').map(|l| String::from_utf8_lossy(l).trim_end_matches('\r').to_owned()).collect()
}

#[test]
fn each_row_names_the_input_line_it_was_read_from() {
    // malformed and blank lines between events must not shift the numbers
    for name in ["malformed.jsonl", "feast-server.jsonl", "bom-crlf.jsonl", "flat.jsonl"] {
        let path = testdata(name);
        let lines = file_lines(&path);
        for threads in ["1", "3"] {
            let rows = table_rows(std::slice::from_ref(&path), &["--threads", threads, "--buffer-size", "700", "-q"]);
            assert!(!rows.is_empty(), "{name}");
            let mut previous = 0;
            for row in &rows {
                let n = row["line"].as_u64().unwrap();
                assert!(n > previous, "{name}: lines in order");
                previous = n;
                assert_eq!(row["input"], path.display().to_string());
                let raw = lines[n as usize - 1].trim_start_matches('\u{feff}');
                let original: Value = serde_json::from_str(raw).unwrap_or_else(|e| panic!("{name}:{n}: {e}"));
                // the request id or the time the line itself carries
                if let Some(id) = original.get("request_id").and_then(Value::as_str) {
                    assert_eq!(row["request_id"], id, "{name}:{n}");
                } else if let Some(t) = original.get("timestamp").and_then(Value::as_str) {
                    assert_eq!(&row["time"].as_str().unwrap()[..19], &t[..19], "{name}:{n}");
                }
            }
        }
    }
}

#[test]
fn the_table_is_the_same_for_any_threads_and_buffer() {
    let input = vec![testdata("incidents-week.jsonl.gz"), testdata("containers/feast-server-cri.log")];
    let one = run(["export", "--to", "jsonl", "--threads", "1", "-q"]
        .iter()
        .copied()
        .chain(input.iter().map(|p| p.to_str().unwrap())));
    for (threads, buffer) in [("2", "4096"), ("4", "100000"), ("3", "2097152")] {
        let args = ["export", "--to", "jsonl", "--threads", threads, "--buffer-size", buffer, "-q"];
        let other = run(args.iter().copied().chain(input.iter().map(|p| p.to_str().unwrap())));
        assert!(one.stdout == other.stdout, "--threads {threads} --buffer-size {buffer} differs");
    }
    // and the filters apply before the export, as for every command
    let denied = table_rows(&input, &["--outcome", "denied", "-q"]);
    let all = table_rows(&input, &["-q"]);
    let want = all.iter().filter(|r| r["outcome"] == "denied").count();
    assert_eq!(denied.len(), want);
    assert!(want > 0);
}

#[test]
fn dedup_exports_each_line_once() {
    let once = std::fs::read(testdata("feast-server.jsonl")).unwrap();
    let twice = [once.clone(), once.clone()].concat();
    let (_d, path) = common::temp_file("twice.jsonl", &twice);
    let rows = table_rows(std::slice::from_ref(&path), &["--dedup", "-q"]);
    let lines = once.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count();
    assert_eq!(rows.len(), lines);
    // the first copy is the one kept: its line numbers are the first half's
    assert!(rows.iter().all(|r| r["line"].as_u64().unwrap() <= lines as u64));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.parquet");
    export("parquet", &file, &["--dedup", "-q"], std::slice::from_ref(&path));
    if python_has(&["duckdb"]) {
        let duck = python(DUCKDB, &[file.to_str().unwrap(), "false"]);
        assert_eq!(num(&duck["events"]) as usize, lines);
    }
}

#[test]
fn ocsf_records_are_valid_against_the_published_schema() {
    if !python_has(&["ocsf_json_schema", "jsonschema"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // a line with a trace id (the trace profile) and a login without an address
    let extra = dir.path().join("extra.jsonl");
    std::fs::write(
        &extra,
        concat!(
            r#"{"event_type":"http.request","timestamp":"2026-10-01T00:00:00Z","request_id":"r1","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","principal":{"username":"a","roles":["reader"]},"source":{"ip":"10.0.0.1"},"action":{"path":"/push"},"resource":{"type":"FeatureView","name":"fv","actions":["WRITE_ONLINE"]},"outcome":"failure","duration_ms":3,"detail":"POST /push -> 403"}"#,
            "\n",
            r#"{"event_type":"authn.failure","timestamp":"2026-10-01T00:00:01Z","principal":{"username":""},"outcome":"failure"}"#,
            "\n"
        ),
    )
    .unwrap();
    let mut inputs: Vec<PathBuf> = FIXTURES.iter().map(|n| testdata(n)).collect();
    inputs.push(extra);
    let file = dir.path().join("ocsf.jsonl");
    export("ocsf", &file, &["-q"], &inputs);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/validate-ocsf");
    let out = Command::new("python3").arg(&script).arg(&file).output().unwrap();
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(out.status.success(), "invalid OCSF: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(verdict["invalid"], 0);

    // the classes and activities, counted from the table of the same events
    let rows = table_rows(&inputs, &["-q"]);
    assert_eq!(verdict["records"].as_u64().unwrap(), rows.len() as u64);
    let logins = rows.iter().filter(|r| r["event_type"].as_str().is_some_and(|t| t.starts_with("authn."))).count();
    assert!(logins > 0);
    assert_eq!(verdict["classes"]["3002"].as_u64().unwrap_or(0), logins as u64);
    let records: Vec<Value> =
        std::fs::read_to_string(&file).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for (rec, row) in records.iter().zip(&rows) {
        assert_eq!(rec["metadata"]["sequence"], row["line"]);
        assert_eq!(rec["status_id"], if row["outcome"] == "success" { 1 } else { 2 });
        let user = if rec["class_uid"] == 3002 { &rec["user"] } else { &rec["actor"]["user"] };
        assert_eq!(user["name"], row["principal"]);
        if rec["class_uid"] == 6003 {
            let actions: Vec<&str> = row["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
            let want = if actions.iter().any(|a| a.starts_with("WRITE")) {
                3
            } else if actions.iter().any(|a| a.starts_with("READ")) {
                2
            } else {
                rec["activity_id"].as_u64().unwrap()
            };
            assert_eq!(rec["activity_id"], want, "{rec}");
            assert_eq!(rec["type_uid"], 600300 + want);
        }
        if let Some(t) = row["time"].as_str() {
            let ms = chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp_millis();
            assert_eq!(rec["time"], ms);
        }
        if let Some(trace) = row["trace_id"].as_str() {
            assert_eq!(rec["trace"]["uid"], trace);
            assert_eq!(rec["metadata"]["profiles"][0], "trace");
        }
    }
    assert!(rows.iter().any(|r| r["trace_id"].is_string()), "the trace id is read");
}

#[test]
fn ecs_documents_carry_the_events_fields() {
    let inputs: Vec<PathBuf> = FIXTURES.iter().map(|n| testdata(n)).collect();
    let mut args = vec!["export".to_owned(), "--to".into(), "ecs".into(), "-q".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let docs: Vec<Value> = r.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let rows = table_rows(&inputs, &["-q"]);
    assert_eq!(docs.len(), rows.len());
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for (doc, row) in docs.iter().zip(&rows) {
        assert_eq!(doc["@timestamp"], row["time"]);
        assert_eq!(doc["user"]["name"], row["principal"]);
        assert_eq!(doc["event"]["sequence"], row["line"]);
        assert_eq!(doc["log"]["file"]["path"], row["input"]);
        assert_eq!(doc["event"]["kind"], "event");
        let want = if row["outcome"] == "success" { "success" } else { "failure" };
        assert_eq!(doc["event"]["outcome"], want);
        *outcomes.entry(want.to_owned()).or_default() += 1;
        match row["latency_ms"].as_f64() {
            Some(ms) => assert_eq!(doc["event"]["duration"].as_u64().unwrap(), (ms * 1e6).round() as u64),
            None => assert!(doc["event"].get("duration").is_none()),
        }
        assert_eq!(doc["http"]["response"]["status_code"], row["status"]);
        if let Some(ip) = row["source_ip"].as_str() {
            let typed = ip.parse::<std::net::IpAddr>().is_ok();
            assert_eq!(doc["source"][if typed { "ip" } else { "address" }], ip);
        }
        if row["outcome"] == "denied" {
            assert!(doc["event"]["type"].as_array().unwrap().iter().any(|t| t == "denied"));
        }
        let category = doc["event"]["category"][0].as_str().unwrap();
        assert!(["api", "authentication"].contains(&category));
    }
    assert!(outcomes.len() == 2, "both outcomes occur: {outcomes:?}");
}

#[test]
fn output_files_fail_closed() {
    let dir = tempfile::tempdir().unwrap();
    let input = testdata("feast-server.jsonl");
    let i = input.to_str().unwrap();
    let file = dir.path().join("x.parquet");
    let f = file.to_str().unwrap();
    // parquet needs a file; a file that exists is kept unless --force
    let r = run(["export", "--to", "parquet", i]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o FILE"), "{}", r.stderr);
    assert_eq!(run(["export", "--to", "parquet", "-o", f, "-q", i]).code, 0);
    let r = run(["export", "--to", "parquet", "-o", f, i]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exists (--force replaces it)"), "{}", r.stderr);
    assert_eq!(run(["export", "--to", "parquet", "-o", f, "--force", "-q", i]).code, 0);
    // nothing matched: exit 1, said why, and the file is a table with no rows
    let empty = dir.path().join("none.parquet");
    let r = run(["export", "--to", "parquet", "-o", empty.to_str().unwrap(), "--user", "nobody", i]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("matched 0 of 320 events"), "{}", r.stderr);
    assert!(std::fs::metadata(&empty).unwrap().len() > 0);
    // no temporary file is left beside the outputs
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".fsaudit"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // partitions need a directory
    let r = run(["export", "--to", "jsonl", "--partition-by", "day", i]);
    assert_eq!(r.code, 2);
    let r = run(["export", "--to", "jsonl", "--partition-by", "day", "-o", f, i]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is a file"), "{}", r.stderr);
}

#[test]
fn partitions_hold_each_utc_day_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = vec![testdata("incidents-week.jsonl.gz")];
    let root = dir.path().join("ocsf-lake");
    export("ecs", &root, &["--partition-by", "day", "-q"], &input);
    let rows = table_rows(&input, &["-q"]);
    let mut want: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        *want.entry(format!("day={}", &r["time"].as_str().unwrap()[..10])).or_default() += 1;
    }
    let mut got: BTreeMap<String, usize> = BTreeMap::new();
    for day in std::fs::read_dir(&root).unwrap() {
        let day = day.unwrap();
        let text = std::fs::read_to_string(day.path().join("part-0.jsonl")).unwrap();
        for line in text.lines() {
            let doc: Value = serde_json::from_str(line).unwrap();
            let name = day.file_name().to_string_lossy().into_owned();
            assert_eq!(&doc["@timestamp"].as_str().unwrap()[..10], &name[4..], "a row in another day's file");
        }
        got.insert(day.file_name().to_string_lossy().into_owned(), text.lines().count());
    }
    assert_eq!(got, want);
}

#[test]
fn a_year_of_days_keeps_few_files_open_and_loses_no_row() {
    // 40 days, each seen in three separate rounds: more days than are kept open at once
    let mut text = String::new();
    for round in 0..3 {
        for day in 0..40 {
            let t = chrono::DateTime::from_timestamp(1_790_000_000 + day * 86_400 + round * 60, 0).unwrap();
            text.push_str(&format!(
                r#"{{"event_type":"http.request","timestamp":"{}","principal":{{"username":"u{round}"}},"outcome":"success"}}"#,
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ));
            text.push('\n');
        }
    }
    let (_d, path) = common::temp_file("days.jsonl", text.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    for to in ["jsonl", "parquet"] {
        let root = dir.path().join(to);
        // small chunks: the rounds come in separate batches
        export(to, &root, &["--partition-by", "day", "--buffer-size", "2000", "-q"], std::slice::from_ref(&path));
        let days: Vec<_> = std::fs::read_dir(&root).unwrap().map(|d| d.unwrap().path()).collect();
        assert_eq!(days.len(), 40, "{to}");
        let mut parts = 0;
        for day in &days {
            let files: Vec<_> = std::fs::read_dir(day).unwrap().map(|f| f.unwrap().path()).collect();
            parts += files.len();
            if to == "jsonl" {
                let rows: usize = files.iter().map(|f| std::fs::read_to_string(f).unwrap().lines().count()).sum();
                assert_eq!(rows, 3, "{}", day.display());
            }
        }
        assert!(parts > 40, "{to}: a day seen again after its file was finished gets a new part");
        if to == "parquet" && python_has(&["duckdb"]) {
            let glob = format!("{}/*/*.parquet", root.display());
            let duck = python(DUCKDB, &[&glob, "true"]);
            assert_eq!(duck["events"], 120);
            assert!(duck["days"].as_object().unwrap().values().all(|d| d["events"] == 3));
        }
    }
}
