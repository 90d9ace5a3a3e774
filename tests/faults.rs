//! Faults, each with a clear expected behaviour: full disks, FIFOs, empty
//! and tiny files by the thousand, a huge line, SIGINT mid-run.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fsaudit::testgen::Shape;

#[test]
fn output_into_a_full_disk_is_an_error_not_a_panic() {
    for cmd in [vec!["summary", "--format", "json"], vec!["filter"], vec!["users"]] {
        let mut args = cmd.clone();
        args.push(testdata("feast-week.jsonl.gz").to_str().unwrap().to_owned().leak());
        let out = Command::new(bin())
            .args(&args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
        assert!(stderr.contains("No space left on device"), "{cmd:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{cmd:?}: {stderr}");
    }
}

/// Peak memory (KiB) of `fsaudit ARGS…` and its exit code; `None` without GNU time.
fn peak_of(args: &[&str]) -> Option<(u64, i32, String)> {
    let out = Command::new("/usr/bin/time").args(["-f", "%M"]).arg(bin()).args(args).output().ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let peak = stderr.lines().last()?.trim().parse().ok()?;
    Some((peak, out.status.code().unwrap_or(-1), stderr))
}

#[test]
fn seal_and_verify_hash_a_huge_line_as_it_streams() {
    let g = generate(Shape::Feast, 20, 84, 0);
    let mut text = Vec::new();
    for l in &g.lines {
        text.extend_from_slice(l);
        text.push(b'\n');
    }
    // 200 MiB of one line, gzipped to a few hundred KiB (the bounds below are
    // half of it: the reader's buffers and the allocator's pages, not the line)
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &text).unwrap();
    let block = vec![b'0'; 1 << 20];
    for _ in 0..200 {
        std::io::Write::write_all(&mut gz, &block).unwrap();
    }
    std::io::Write::write_all(&mut gz, b"\n").unwrap();
    let (dir, path) = temp_file("zeros.log.gz", &gz.finish().unwrap());
    let key = dir.path().join("k");
    assert_eq!(run(["keygen", "--out", key.to_str().unwrap()]).code, 0);
    let (k, p) = (format!("{}.key", key.display()), path.to_str().unwrap().to_owned());
    let Some((peak, code, stderr)) = peak_of(&["seal", "--key", &k, &p]) else {
        eprintln!("skipped: /usr/bin/time is not installed");
        return;
    };
    assert_eq!(code, 0, "{stderr}");
    assert!(peak < 100 * 1024, "seal held the line: peak {peak} KiB");
    let pubkey = format!("{}.pub", key.display());
    let (peak, code, stderr) = peak_of(&["verify", "--format", "json", "--pubkey", &pubkey, &p]).unwrap();
    assert!(peak < 100 * 1024, "verify held the line: peak {peak} KiB");
    // the huge line is sealed and verified like any other
    assert_eq!(code, 0, "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_read_like_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("audit.pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let g = generate(Shape::Feast, 2000, 81, 0);
    let bytes = g.to_bytes();
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        for piece in bytes.chunks(7777) {
            f.write_all(piece).unwrap();
        }
    });
    let doc = summary([&fifo]);
    writer.join().unwrap();
    assert_summary_matches(&doc, &g.events.iter().collect::<Vec<_>>());
}

#[test]
fn empty_files_and_thousands_of_small_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("0000-empty.jsonl"), b"").unwrap();
    let g = generate(Shape::Flat, 3000, 82, 0);
    let mut events = Vec::new();
    for (i, (line, ev)) in g.lines.iter().zip(&g.events).enumerate() {
        // one event per file, some without a final newline
        let mut bytes = line.clone();
        if i % 3 != 0 {
            bytes.push(b'\n');
        }
        std::fs::write(dir.path().join(format!("{:04}.jsonl", i + 1)), bytes).unwrap();
        events.push(ev);
    }
    let doc = summary([dir.path()]);
    assert_eq!(doc["inputs"].as_array().unwrap().len(), 3001);
    assert_eq!(doc["inputs"][0]["lines"], 0);
    assert_summary_matches(&doc, &events);
}

#[test]
fn one_huge_line_costs_bounded_memory_and_nothing_else() {
    let g = generate(Shape::Feast, 100, 83, 0);
    let mut text = Vec::new();
    for l in &g.lines[..50] {
        text.extend_from_slice(l);
        text.push(b'\n');
    }
    text.extend(std::iter::repeat_n(b'x', 200 << 20));
    text.push(b'\n');
    for l in &g.lines[50..] {
        text.extend_from_slice(l);
        text.push(b'\n');
    }
    let (_d, path) = temp_file("huge.jsonl", &text);
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", bin().to_str().unwrap(), "summary", "--format", "json", "--max-line-bytes", "1048576"])
        .arg(&path)
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: /usr/bin/time is not installed");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["events"], 100);
    assert_eq!(doc["malformed"], 1);
    assert!(stderr.contains(":51: line of 209715200 bytes"), "{stderr}");
    let peak_kib: u64 = stderr.lines().last().unwrap().trim().parse().unwrap();
    assert!(peak_kib < 64 * 1024, "a 200 MiB line was held in memory: peak {peak_kib} KiB");
}

#[cfg(unix)]
#[test]
fn sigint_stops_a_long_run_promptly_with_130() {
    let g = generate(Shape::Feast, 20_000, 84, 0);
    let bytes = g.to_bytes();
    let mut child = spawn_piped(["summary", "--format", "json", "-"]);
    // an input that never ends: the same week, over and over
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || while stdin.write_all(&bytes).is_ok() {});
    std::thread::sleep(Duration::from_millis(700));
    let sent = Instant::now();
    interrupt(&child);
    let out = child.wait_with_output().unwrap();
    let waited = sent.elapsed();
    feeder.join().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert!(out.stdout.is_empty(), "no report of half the input");
    assert!(waited < Duration::from_secs(10), "took {waited:?} to stop");
}

/// `fsaudit summary` on one worker, started and left running.
fn summary_in_background(path: &std::path::Path) -> std::process::Child {
    Command::new(bin())
        .args(["summary", "--format", "json", "--threads", "1"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_file_that_shrinks_while_read_is_reported_and_what_was_read_counts() {
    // truncated at some moment of the run: before it opened the file (a
    // small file, read whole), during the read (what was read counts, the
    // input is reported as not read to its end, exit 2), or after it
    let g = generate(Shape::Feast, 200_000, 85, 0);
    let (_d, path) = temp_file("shrinks.jsonl", &g.to_bytes());
    let child = summary_in_background(&path);
    std::thread::sleep(Duration::from_millis(50));
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(1000).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let read = doc["scanned"].as_u64().unwrap() + doc["malformed"].as_u64().unwrap();
    assert!(doc["malformed"].as_u64().unwrap() <= 1, "at most the line cut in half");
    if out.status.code() == Some(2) {
        assert!(stderr.contains("shrinks.jsonl: the file shrank while it was read"), "{stderr}");
        assert!(read < 200_000);
    } else {
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(read <= 3 || doc["events"] == 200_000, "{read} lines read with no error");
    }
}

#[test]
fn a_file_truncated_between_its_ranges_fails_closed_and_keeps_whole_lines() {
    // `filter` hands each chunk to its writer in order; with nobody reading
    // its output, the reader stops cutting ranges after a few. Truncating
    // the file then leaves the ranges still to come past its end: the run
    // must say so and exit 2, never end as if the file had been that short
    let g = generate(Shape::Feast, 200_000, 88, 0);
    let bytes = g.to_bytes();
    let (_d, path) = temp_file("rotated.jsonl", &bytes);
    let mut child = Command::new(bin())
        .args(["filter", "--threads", "2", "--buffer-size", "65536"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(0).unwrap();
    let mut stdout = Vec::new();
    std::io::Read::read_to_end(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("rotated.jsonl: the file shrank while it was read"), "{stderr}");
    // what came out is the file's first lines, each whole, and not all of them
    assert!(stdout.len() < bytes.len() / 2, "{} of {} bytes out", stdout.len(), bytes.len());
    assert!(stdout.is_empty() || stdout.ends_with(b"\n"));
    assert_eq!(&bytes[..stdout.len()], &stdout[..], "the lines out are the file's first lines");
}

#[test]
fn a_file_deleted_mid_run_is_read_to_its_end() {
    // an open file outlives its name: every line is still counted
    let g = generate(Shape::Feast, 100_000, 86, 0);
    let (_d, path) = temp_file("deleted.jsonl", &g.to_bytes());
    let child = summary_in_background(&path);
    std::thread::sleep(Duration::from_millis(50));
    let _ = std::fs::remove_file(&path);
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(2) {
        // deleted before it was opened: reported as unreadable
        assert!(String::from_utf8_lossy(&out.stderr).contains("deleted.jsonl"));
        return;
    }
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["events"], 100_000);
}

#[cfg(unix)]
#[test]
fn a_file_that_grows_while_read_is_read_as_far_as_it_was_when_reached() {
    // a writer appends while fsaudit reads: whatever it read is counted
    // exactly, nothing is counted twice, and no line is cut in half
    let g = generate(Shape::Feast, 60_000, 87, 0);
    let lines = g.lines.clone();
    let (_d, path) = temp_file("grows.jsonl", &g.to_bytes()[..0]);
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().append(true).open(writer_path).unwrap();
        for l in &lines {
            let mut line = l.clone();
            line.push(b'\n');
            f.write_all(&line).unwrap();
        }
    });
    std::thread::sleep(Duration::from_millis(5));
    let out = Command::new(bin()).args(["summary", "--format", "json", path.to_str().unwrap()]).output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scanned = doc["scanned"].as_u64().unwrap() as usize;
    assert!(scanned <= 60_000);
    assert!(doc["malformed"].as_u64().unwrap() <= 1, "at most the line being written when reading stopped");
    // the events counted are the first ones written, in full
    let first: Vec<&fsaudit::testgen::GenEvent> = g.events[..scanned].iter().collect();
    assert_eq!(
        doc["outcomes"]["denied"],
        first.iter().filter(|e| e.class == fsaudit::event::OutcomeClass::Denied).count() as u64
    );
}

/// Peak memory (KiB) of `fsaudit ARGS` on a file of `keys` events, each from
/// its own principal; `None` without GNU time.
fn peak_kib(keys: usize, args: &[&str]) -> Option<u64> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.jsonl");
    let mut text = String::with_capacity(keys * 150);
    for i in 0..keys {
        text += &format!(
            "{{\"event_type\":\"feature_retrieval\",\"user\":\"user{i:07}@corp.example\",\"timestamp\":\"2026-10-01T{:02}:{:02}:{:02}Z\",\"resource\":\"fv{}\",\"status\":\"success\",\"duration_ms\":{}.5}}\n",
            (i / 3600) % 24,
            (i / 60) % 60,
            i % 60,
            i % 50,
            i % 97
        );
    }
    std::fs::write(&path, text).unwrap();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(bin())
        .args(args)
        .args(["--format", "json", "--threads", "2"])
        .arg(&path)
        .output()
        .ok()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()
}

#[test]
fn memory_grows_linearly_with_distinct_principals() {
    // the benchmark's targets are 150 and 400 bytes; these bounds catch a regression
    for (args, per_key_limit) in [(vec!["summary"], 260u64), (vec!["users"], 500), (vec!["anomalies"], 300)] {
        let (Some(small), Some(large)) = (peak_kib(50_000, &args), peak_kib(150_000, &args)) else {
            eprintln!("skipped: /usr/bin/time is not installed");
            return;
        };
        // the cost of 100,000 more principals, per principal
        let per_key = (large.saturating_sub(small)) * 1024 / 100_000;
        assert!(per_key <= per_key_limit, "{args:?}: {per_key} bytes per principal");
        assert!(large > small, "{args:?}: more principals, more memory");
        eprintln!("{args:?}: {small} KiB at 50k principals, {large} KiB at 150k: {per_key} bytes per principal");
    }
}

/// Peak KiB and exit code of `args` over `n` events, each in its own minute.
fn peak_over_minutes(n: usize, args: &[&str]) -> Option<(u64, i32, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minutes.jsonl");
    let mut text = String::with_capacity(n * 120);
    for i in 0..n {
        text += &format!(
            "{{\"event_type\":\"feature_retrieval\",\"user\":\"u{}\",\"timestamp\":{},\"status\":\"denied\",\"duration_ms\":{}}}\n",
            i % 7,
            1_700_000_000 + 60 * i,
            i % 1000
        );
    }
    std::fs::write(&path, text).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    let p = path.to_str().unwrap().to_owned();
    all.push(&p);
    peak_of(&all)
}

#[test]
fn a_bucket_too_fine_for_the_span_is_refused_without_holding_every_bucket() {
    // 120,000 and 400,000 one-minute buckets with events: both past the
    // 100,000 a report may have, so both runs are refused (exit 2); the
    // buckets kept until then stop at that limit, so the longer log costs
    // no more memory than the shorter (without the limit: ~40 MiB more);
    // one worker, since each worker keeps up to the limit
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[[rule]]\nname = \"denials\"\nmetric = \"denied\"\nmax = 9\nper = \"1m\"\n").unwrap();
    let rules = rules.to_str().unwrap();
    for args in [
        vec!["timeline", "--bucket", "1m", "-q", "--threads", "1"],
        vec!["check", "--rules", rules, "-q", "--threads", "1"],
    ] {
        let Some((small, code_small, err)) = peak_over_minutes(120_000, &args) else {
            eprintln!("skipped: /usr/bin/time is not installed");
            return;
        };
        assert_eq!(code_small, 2, "{args:?}: {err}");
        assert!(err.contains("more than 100,000"), "{args:?}: {err}");
        let (large, code_large, err) = peak_over_minutes(400_000, &args).unwrap();
        assert_eq!(code_large, 2, "{args:?}: {err}");
        assert!(large < small + 15 * 1024, "{args:?}: {small} KiB for 120,000 buckets, {large} KiB for 400,000");
    }
}

/// Peak KiB and the JSON of `summary` over `n` lines, line `i` being the
/// same as line `i % distinct`; `None` without GNU time.
fn summary_peak_over_repeats(dir: &std::path::Path, n: usize, distinct: usize) -> Option<(u64, serde_json::Value)> {
    let path = dir.join(format!("repeats-{n}.jsonl"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..n {
        let k = i % distinct;
        writeln!(
            out,
            "{{\"event_type\":\"feature_retrieval\",\"user\":\"u{}\",\"timestamp\":{},\"status\":\"success\"}}",
            k % 7,
            1_700_000_000 + k
        )
        .unwrap();
    }
    out.into_inner().unwrap().sync_all().unwrap();
    let json = dir.join(format!("repeats-{n}.json"));
    let (path, json_path) = (path.to_str().unwrap(), json.to_str().unwrap());
    let (peak, code, stderr) =
        peak_of(&["summary", "--format", "json", "-q", "--threads", "2", "--output", json_path, path])?;
    assert_eq!(code, 0, "{stderr}");
    Some((peak, serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()))
}

#[test]
fn repeated_lines_are_counted_in_memory_that_stays_flat() {
    // every line's hash is kept to count repeats (8 bytes a line): past a
    // budget they go to temporary files, so 2.5 million more lines (20 MB
    // of hashes) cost no more memory, and the count stays exact
    let dir = tempfile::tempdir().unwrap();
    let distinct = 100_003;
    let Some((small, doc_small)) = summary_peak_over_repeats(dir.path(), 2_500_000, distinct) else {
        eprintln!("skipped: /usr/bin/time is not installed");
        return;
    };
    let (large, doc_large) = summary_peak_over_repeats(dir.path(), 5_000_000, distinct).unwrap();
    for (n, doc) in [(2_500_000u64, doc_small), (5_000_000, doc_large)] {
        assert_eq!(doc["duplicate_lines"], n - distinct as u64, "{n} lines");
        assert_eq!(doc["events"], n, "{n} lines");
    }
    eprintln!("peak {small} KiB over 2.5 million lines, {large} KiB over 5 million");
    // runs of the same file differ by up to ~5 MiB; keeping the hashes in
    // memory would add 19 MiB
    assert!(large < small + 10 * 1024, "{small} KiB over 2.5 million lines, {large} KiB over 5 million");
}
