//! `filter --follow`: lines appended to a followed file are printed as they
//! come; the file is reopened when rotated by rename or truncated, waited
//! for when it is not there yet; Ctrl-C stops it. Every wait is bounded.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::*;

/// A line of the user `who`, the `n`-th: its request id tells the lines apart.
fn line(who: &str, n: u32) -> String {
    format!(
        r#"{{"event_type":"http.request","timestamp":"2026-10-01T10:00:{:02}.000Z","request_id":"r{n}","principal":{{"username":"{who}"}},"resource":{{"name":"fv"}},"outcome":"success","detail":"-> 200"}}"#,
        n % 60
    )
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    writeln!(f, "{text}").unwrap();
}

/// Starts `filter --follow --user alice PATH` and returns it with its lines of output.
fn follow(path: &Path) -> (std::process::Child, Receiver<String>) {
    watch(["filter", "--follow", "--user", "alice", path.to_str().unwrap()])
}

/// The next line of output, within two seconds.
fn next(rx: &Receiver<String>, what: &str) -> String {
    rx.recv_timeout(Duration::from_secs(2)).unwrap_or_else(|_| panic!("no line {what} within 2 s"))
}

fn stop(mut child: std::process::Child) {
    interrupt(&child);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(130), "Ctrl-C ends a follow with 130");
            return;
        }
        assert!(std::time::Instant::now() < deadline, "Ctrl-C did not stop the follow");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn appended_rotated_and_truncated_lines_are_printed_as_they_come() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    // what is there already is read first; bob's lines never match
    append(&path, &line("alice", 1));
    append(&path, &line("bob", 2));
    let (child, rx) = follow(&path);
    assert_eq!(next(&rx, "already there"), line("alice", 1));
    // appended
    append(&path, &line("bob", 3));
    append(&path, &line("alice", 4));
    assert_eq!(next(&rx, "appended"), line("alice", 4));
    // rotated by rename: the old file's last line, then the new file's
    std::thread::sleep(Duration::from_millis(200));
    append(&path, &line("alice", 5));
    std::fs::rename(&path, dir.path().join("audit.log.1")).unwrap();
    append(&path, &line("alice", 6));
    assert_eq!(next(&rx, "before the rotation"), line("alice", 5));
    assert_eq!(next(&rx, "after the rotation"), line("alice", 6));
    // truncated, then written again from the start (with a shorter line, so
    // that the file is shorter than what was read however late it is looked at)
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(&path, "").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let short = r#"{"event_type":"x","timestamp":"2026-10-01T11:00:00Z","principal":{"username":"alice"}}"#;
    assert!(short.len() < line("alice", 6).len());
    append(&path, short);
    assert_eq!(next(&rx, "after the truncation"), short);
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "a line printed twice");
    stop(child);
}

#[test]
fn a_file_that_is_not_there_yet_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.log");
    let (child, rx) = follow(&path);
    std::thread::sleep(Duration::from_millis(300));
    assert!(rx.try_recv().is_err());
    append(&path, &line("alice", 1));
    assert_eq!(next(&rx, "from the late file"), line("alice", 1));
    stop(child);
}

#[test]
fn follow_takes_one_input_and_no_count() {
    let p = testdata("feast.jsonl");
    let p = p.to_str().unwrap();
    let r = run(["filter", "--follow", p, p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--follow: it follows one file"), "{}", r.stderr);
    assert_eq!(run(["filter", "--follow", "--count", p]).code, 2);
}

// ---- the reports that follow: summary, timeline, anomalies, check ----

/// Starts `fsaudit ARGS` and returns it with its lines of output.
fn watch<const N: usize>(args: [&str; N]) -> (std::process::Child, Receiver<String>) {
    let mut child = spawn_piped(args);
    let out = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines() {
            if tx.send(l.unwrap()).is_err() {
                return;
            }
        }
    });
    (child, rx)
}

/// The first JSON document of the output for which `pick` holds, within 3 s
/// (the documents before it are reports of less of the input).
fn doc_where(rx: &Receiver<String>, what: &str, pick: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let l = rx.recv_timeout(left).unwrap_or_else(|_| panic!("no report {what} within 3 s"));
        let v: serde_json::Value =
            serde_json::from_str(&l).unwrap_or_else(|e| panic!("not one JSON document a line ({e}): {l}"));
        if pick(&v) {
            return v;
        }
    }
}

/// Waits for the exit of `child`, at most 5 s.
fn exit_of(child: &mut std::process::Child) -> i32 {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(std::time::Instant::now() < deadline, "the run did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A line of `who` at second `s` of 10:00 with `outcome`.
fn event(who: &str, s: u32, outcome: &str) -> String {
    let status = if outcome == "denied" { 403 } else { 200 };
    format!(
        r#"{{"event_type":"http.request","timestamp":"2026-10-01T10:{:02}:{:02}.000Z","principal":{{"username":"{who}"}},"resource":{{"name":"fv"}},"outcome":"{outcome}","detail":"POST /get-online-features -> {status}"}}"#,
        s / 60,
        s % 60
    )
}

#[test]
fn summary_follow_reports_every_interval_across_rotation_and_once_more_at_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    for s in 0..3 {
        append(&path, &event("alice", s, "success"));
    }
    let (mut child, rx) = watch(["summary", "-f", "--every", "150ms", "--format", "json", path.to_str().unwrap()]);
    doc_where(&rx, "of the 3 lines there", |d| d["events"] == 3);
    append(&path, &event("bob", 10, "denied"));
    append(&path, &event("bob", 11, "success"));
    let d = doc_where(&rx, "of 2 appended lines", |d| d["events"] == 5);
    assert_eq!((d["outcomes"]["denied"].as_u64(), d["distinct"]["principals"].as_u64()), (Some(1), Some(2)));
    // rotated by rename: the counts go on from where they were
    std::fs::rename(&path, dir.path().join("audit.log.1")).unwrap();
    append(&path, &event("carol", 20, "success"));
    let d = doc_where(&rx, "after the rotation", |d| d["events"] == 6);
    assert_eq!(d["distinct"]["principals"], 3);
    // truncated and written again from its start: read on from there
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(&path, "").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    append(&path, &event("dave", 30, "success"));
    let d = doc_where(&rx, "after the truncation", |d| d["events"] == 7);
    assert_eq!(d["distinct"]["principals"], 4);
    // Ctrl-C: one last report, then the exit code of an interrupted run
    std::thread::sleep(Duration::from_millis(200));
    while rx.try_recv().is_ok() {}
    interrupt(&child);
    assert_eq!(exit_of(&mut child), 130);
    let last = doc_where(&rx, "at Ctrl-C", |_| true);
    assert_eq!(last["events"], 7);
}

#[test]
fn summary_follow_redraws_its_table_on_a_terminal() {
    // `script` gives the run a terminal; without it there is nothing to test
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` (util-linux) to give the run a terminal");
        return;
    }
    let cmd = format!("{} summary -f --every 200ms {}", bin().display(), testdata("feast.jsonl").display());
    let out = std::process::Command::new("timeout")
        .args(["-s", "INT", "1.5", "script", "-qfc", &cmd, "/dev/null"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let redraws = text.matches("\x1b[H\x1b[2J").count();
    assert!(redraws >= 3, "{redraws} redraws in 1.5 s at 200 ms: {text}");
    assert!(text.contains("24 events"), "{text}");
}

#[test]
fn summary_follow_of_stdin_ends_with_the_input() {
    let (mut child, rx) = watch(["summary", "-f", "--every", "150ms", "--format", "json"]);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", event("alice", 1, "success")).unwrap();
    stdin.flush().unwrap();
    doc_where(&rx, "of a line on a pipe that stays open", |d| d["events"] == 1);
    writeln!(stdin, "{}", event("bob", 2, "denied")).unwrap();
    drop(stdin);
    assert_eq!(exit_of(&mut child), 0);
    let last = doc_where(&rx, "at the end of input", |d| d["events"] == 2);
    assert_eq!(last["outcomes"]["denied"], 1);
}

#[test]
fn timeline_follow_prints_a_document_per_interval() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    append(&path, &event("alice", 0, "success"));
    let (mut child, rx) =
        watch(["timeline", "-f", "--every", "150ms", "--bucket", "1m", "--format", "json", path.to_str().unwrap()]);
    doc_where(&rx, "of one line", |d| d["events"] == 1);
    append(&path, &event("alice", 130, "denied"));
    let d = doc_where(&rx, "with the appended line", |d| d["events"] == 2);
    let buckets = d["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 3, "10:00, 10:01 (empty) and 10:02");
    assert_eq!((buckets[0]["events"].as_u64(), buckets[2]["denied"].as_u64()), (Some(1), Some(1)));
    interrupt(&child);
    assert_eq!(exit_of(&mut child), 130);
}

#[test]
fn check_follow_exits_at_the_first_failing_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    append(&path, &event("alice", 0, "denied"));
    // a floor on events cannot be met before the end: it waits, and does not stop the watch
    let (mut child, rx) = watch([
        "check",
        "-f",
        "--every",
        "150ms",
        "--max",
        "denied=2",
        "--min",
        "events=1000",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    std::thread::sleep(Duration::from_millis(600));
    assert!(child.try_wait().unwrap().is_none(), "1 denial of at most 2: the watch goes on");
    append(&path, &event("bob", 1, "denied"));
    append(&path, &event("bob", 2, "denied"));
    assert_eq!(exit_of(&mut child), 1, "3 denials: exit 1");
    let d = doc_where(&rx, "of the failing rule", |_| true);
    assert_eq!(d["passed"], false);
    let denied = d["rules"].as_array().unwrap().iter().find(|r| r["metric"] == "denied").unwrap();
    assert_eq!((denied["status"].as_str(), denied["observed"].as_f64()), (Some("failed"), Some(3.0)));
}

#[test]
fn anomalies_follow_prints_each_finding_once_when_its_window_closes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    // ordinary traffic of a few people, then 30 failed logins from one address within a minute
    let mut lines = Vec::new();
    for s in 0..60 {
        lines.push(event(&format!("user{}", s % 5), s, "success"));
    }
    for s in 0..30u32 {
        lines.push(format!(
            r#"{{"event_type":"authn.failure","timestamp":"2026-10-01T10:01:{s:02}.000Z","principal":{{"username":""}},"source":{{"ip":"203.0.113.9"}},"outcome":"unauthenticated","detail":"-> 401"}}"#
        ));
    }
    for l in &lines {
        append(&path, l);
    }
    let (mut child, rx) = watch(["anomalies", "-f", "--every", "150ms", "--format", "json", path.to_str().unwrap()]);
    // the burst's window is still open: nothing yet
    std::thread::sleep(Duration::from_millis(600));
    assert!(rx.try_recv().is_err(), "a finding before its window closed");
    // traffic 20 minutes later closes it
    for s in 0..5 {
        append(&path, &event("user1", 20 * 60 + s, "success"));
    }
    let f = doc_where(&rx, "of the burst", |f| f["detector"] == "authn-failures");
    assert_eq!(
        (f["source_ip"].as_str(), f["count"].as_u64(), f["update"].as_bool()),
        (Some("203.0.113.9"), Some(30), Some(false))
    );
    // more quiet traffic: the finding is not printed again
    append(&path, &event("user2", 21 * 60, "success"));
    std::thread::sleep(Duration::from_millis(500));
    interrupt(&child);
    assert_eq!(exit_of(&mut child), 130);
    let again: Vec<String> = rx.try_iter().filter(|l| l.contains("authn-failures")).collect();
    assert!(again.is_empty(), "printed twice: {again:?}");
}

#[test]
fn follow_of_a_report_takes_one_input_and_an_interval() {
    let p = testdata("feast.jsonl");
    let p = p.to_str().unwrap();
    let r = run(["summary", "--follow", p, p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--follow: it follows one file"), "{}", r.stderr);
    let r = run(["summary", "-f", "--every", "10ms", p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--every"), "{}", r.stderr);
    assert_eq!(run(["summary", "--every", "1s", p]).code, 2, "--every needs --follow");
    assert_eq!(run(["users", "-f", p]).code, 2, "users does not follow");
}

#[test]
fn a_followed_report_waits_for_a_file_that_is_not_there_yet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.log");
    let (mut child, rx) = watch(["summary", "-f", "--every", "150ms", "--format", "json", path.to_str().unwrap()]);
    let empty = doc_where(&rx, "before the file exists", |_| true);
    assert_eq!(empty["events"], 0);
    append(&path, &event("alice", 1, "success"));
    doc_where(&rx, "of the late file", |d| d["events"] == 1);
    interrupt(&child);
    assert_eq!(exit_of(&mut child), 130);
}
