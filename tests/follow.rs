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
    let mut child = spawn_piped(["filter", "--follow", "--user", "alice", path.to_str().unwrap()]);
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
