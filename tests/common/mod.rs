//! Shared test helpers: run the real binary, read its JSON, and compute
//! expected reports straight from the generator's facts (never from
//! fsaudit's own output).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use fsaudit::event::OutcomeClass;
use fsaudit::testgen::{GenEvent, GenOptions, Generated, Generator, Shape};
use serde_json::Value;

/// Flags that turn off every detector that runs without configuration.
pub const NO_DETECTORS: [&str; 18] = [
    "--disable",
    "authn-failures",
    "--disable",
    "denied-burst",
    "--disable",
    "resource-enumeration",
    "--disable",
    "volume-spike",
    "--disable",
    "new-source-ip",
    "--disable",
    "off-hours",
    "--disable",
    "credential-sharing",
    "--disable",
    "write-failures",
    "--disable",
    "daily-denials",
];

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fsaudit"))
}

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(name)
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}); stderr: {}\n{}", self.stderr, String::from_utf8_lossy(&self.stdout))
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

pub fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `fsaudit ARGS…` with no stdin and no colour, to run (with more
/// settings, if need be) and [`finish`].
pub fn command<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut c = Command::new(bin());
    c.args(args).stdin(Stdio::null()).env("NO_COLOR", "1");
    c
}

/// Runs `fsaudit ARGS…` with no stdin.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    finish(command(args).output().unwrap())
}

/// The binary started with `args`, its stdin, stdout and stderr piped.
pub fn spawn_piped<I, S>(args: I) -> std::process::Child
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(bin()).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}

/// Sends SIGINT (Ctrl-C) to `child`.
pub fn interrupt(child: &std::process::Child) {
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
}

/// Runs `fsaudit ARGS…` with `input` on stdin.
pub fn run_stdin<I, S>(args: I, input: &[u8]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    use std::io::Write;
    let mut child = spawn_piped(args);
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    finish(out)
}

/// Runs `fsaudit summary --format json ARGS…` and expects exit 0.
pub fn summary<I, S>(args: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut all: Vec<std::ffi::OsString> = vec!["summary".into(), "--format".into(), "json".into()];
    all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
    let r = run(all);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r.json()
}

pub fn generate(shape: Shape, events: usize, seed: u64, malformed: usize) -> Generated {
    Generator::new(GenOptions { events, shape, seed, malformed, ..GenOptions::default() }).all()
}

/// A temporary directory holding `name` with `bytes`.
pub fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

pub fn principal_of(e: &GenEvent) -> &str {
    if e.principal.is_empty() { "(unknown)" } else { &e.principal }
}

pub fn millis_text(t: i64) -> String {
    chrono::DateTime::from_timestamp_micros(t.div_euclid(1000) * 1000)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The ⌈p·n⌉-th smallest value.
pub fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64 - 1e-9).ceil().max(1.0) as usize;
    sorted[rank - 1]
}

pub fn assert_close(got: &Value, want: f64, rel: f64, what: &str) {
    let g = got.as_f64().unwrap_or_else(|| panic!("{what} is not a number: {got}"));
    assert!((g - want).abs() <= want.abs() * rel + 0.0011, "{what}: got {g}, want {want} (±{rel})");
}

/// Compares a summary document with the facts of the events it covers.
pub fn assert_summary_matches(doc: &Value, events: &[&GenEvent]) {
    let n = events.len() as u64;
    assert_eq!(doc["events"], n, "events");
    let mut classes = [0u64; 4];
    for e in events {
        classes[e.class as usize] += 1;
    }
    for c in OutcomeClass::ALL {
        assert_eq!(doc["outcomes"][c.name()], classes[c as usize], "outcome {c}");
    }
    if n > 0 {
        let rate = classes[0] as f64 / n as f64;
        assert_close(&doc["success_rate"], rate, 1e-12, "success_rate");
    } else {
        assert!(doc["success_rate"].is_null());
    }

    let mut lat: Vec<f64> = events.iter().filter_map(|e| e.latency_ms).collect();
    lat.sort_by(f64::total_cmp);
    let l = &doc["latency_ms"];
    assert_eq!(l["count"], lat.len() as u64, "latency count");
    if lat.is_empty() {
        for k in ["mean", "p50", "p95", "p99", "max"] {
            assert!(l[k].is_null(), "{k} of no latencies");
        }
    } else {
        let mean = lat.iter().sum::<f64>() / lat.len() as f64;
        assert_close(&l["mean"], mean, 1e-9, "mean");
        for (k, p) in [("p50", 50.0), ("p95", 95.0), ("p99", 99.0)] {
            assert_close(&l[k], nearest_rank(&lat, p), 0.005, k);
        }
        assert_close(&l["max"], *lat.last().unwrap(), 0.0, "max");
    }

    let principals: BTreeSet<&str> = events.iter().map(|e| principal_of(e)).collect();
    let ips: BTreeSet<&str> = events.iter().filter_map(|e| e.source_ip.as_deref()).collect();
    let resources: BTreeSet<&str> = events.iter().flat_map(|e| e.resources.iter().map(String::as_str)).collect();
    assert_eq!(doc["distinct"]["principals"], principals.len() as u64, "distinct principals");
    assert_eq!(doc["distinct"]["source_ips"], ips.len() as u64, "distinct ips");
    assert_eq!(doc["distinct"]["resources"], resources.len() as u64, "distinct resources");
    let without = events.iter().filter(|e| e.resources.is_empty()).count() as u64;
    assert_eq!(doc["events_without_resource"], without, "events without resource");

    let first = events.iter().map(|e| e.time).min();
    let last = events.iter().map(|e| e.time).max();
    assert_eq!(doc["time_range"]["first"].as_str(), first.map(millis_text).as_deref(), "first");
    assert_eq!(doc["time_range"]["last"].as_str(), last.map(millis_text).as_deref(), "last");

    let mut types: BTreeMap<&str, [u64; 4]> = BTreeMap::new();
    for e in events {
        types.entry(e.event_type.as_str()).or_default()[e.class as usize] += 1;
    }
    let rows = doc["event_types"].as_array().unwrap();
    assert_eq!(rows.len(), types.len(), "event types");
    for row in rows {
        let counts = types[row["name"].as_str().unwrap()];
        assert_eq!(row["events"], counts.iter().sum::<u64>());
        for c in OutcomeClass::ALL {
            assert_eq!(row[c.name()], counts[c as usize], "{} {c}", row["name"]);
        }
    }

    let mut per_principal: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for e in events {
        let t = per_principal.entry(principal_of(e)).or_default();
        t.0 += 1;
        t.1 += u64::from(e.class == OutcomeClass::Denied);
    }
    let mut expected: Vec<(&str, (u64, u64))> = per_principal.into_iter().collect();
    expected.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let top = doc["top_principals"].as_array().unwrap();
    for (row, (name, (ev, denied))) in top.iter().zip(&expected) {
        assert_eq!(row["name"], *name);
        assert_eq!(row["events"], *ev);
        assert_eq!(row["denied"], *denied);
    }
    assert_eq!(top.len(), expected.len().min(top.len()));
}

/// The document without what legitimately differs between runs over the
/// same events read from different files (paths and raw byte counts).
pub fn without_input_paths(mut doc: Value) -> Value {
    if let Some(inputs) = doc["inputs"].as_array_mut() {
        for i in inputs {
            i["path"] = Value::Null;
            i["bytes"] = Value::Null;
        }
    }
    doc
}

/// `n` with a comma every three digits, as the tables print counts.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
