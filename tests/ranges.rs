//! Plain files are cut into ranges that the workers read themselves; every
//! other input streams through one reader. Both must see the same lines:
//! the reports of a file equal those of the same bytes on stdin, for any
//! buffer size, thread count and line-length limit, read or mapped
//! (`--mmap`), with split container records, a byte order mark, CRLF
//! endings, long lines and malformed lines.

mod common;

use common::*;
use fsaudit::testgen::{GenOptions, Generator, Shape};
use proptest::prelude::*;
use serde_json::Value;

/// How the generated lines are written.
#[derive(Debug, Clone, Copy)]
enum Wrap {
    Bare,
    /// CRI container lines, every third record split into two pieces.
    Cri,
}

fn bytes_of(
    seed: u64,
    events: usize,
    malformed: usize,
    wrap: Wrap,
    bom: bool,
    crlf: bool,
    last_newline: bool,
) -> Vec<u8> {
    let log = Generator::new(GenOptions {
        events,
        shape: Shape::Feast,
        seed,
        malformed,
        principals: 9,
        ..Default::default()
    })
    .all()
    .to_bytes();
    let mut out: Vec<u8> = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let stamp: &[u8] = b"2026-11-22T10:00:00.123456789Z stdout";
    for (i, line) in log.split(|&b| b == b'\n').filter(|l| !l.is_empty()).enumerate() {
        match wrap {
            Wrap::Bare => out.extend_from_slice(line),
            Wrap::Cri if i % 3 == 0 && line.len() > 1 => {
                let cut = line.len() / 2;
                out.extend_from_slice(stamp);
                out.extend_from_slice(b" P ");
                out.extend_from_slice(&line[..cut]);
                out.extend_from_slice(end);
                out.extend_from_slice(stamp);
                out.extend_from_slice(b" F ");
                out.extend_from_slice(&line[cut..]);
            }
            Wrap::Cri => {
                out.extend_from_slice(stamp);
                out.extend_from_slice(b" F ");
                out.extend_from_slice(line);
            }
        }
        out.extend_from_slice(end);
    }
    if !last_newline {
        while out.ends_with(b"\n") || out.ends_with(b"\r") {
            out.pop();
        }
    }
    out
}

/// The report with the input's name and size left out (they differ between
/// a file and stdin), and the malformed lines shown on stderr, by place.
fn report(args: &[&str], stdin: Option<&[u8]>, path: &str) -> (Value, String) {
    let r = match stdin {
        Some(bytes) => run_stdin(args, bytes),
        None => run(args),
    };
    assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
    let doc = without_input_paths(serde_json::from_str(&r.text()).expect("JSON report"));
    (doc, r.stderr.replace(path, "<stdin>"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_file_reads_as_its_bytes_on_stdin(
        seed in 0u64..1000, events in 1usize..400, malformed in 0usize..6,
        cri in any::<bool>(), bom in any::<bool>(), crlf in any::<bool>(), last_newline in any::<bool>(),
        buffer in 1usize..5000, threads in 1usize..5, max_line in prop_oneof![Just(16usize << 20), 150usize..900],
        mmap in any::<bool>(),
    ) {
        let wrap = if cri { Wrap::Cri } else { Wrap::Bare };
        let bytes = bytes_of(seed, events, malformed, wrap, bom, crlf, last_newline);
        let (_dir, path) = temp_file("audit.log", &bytes);
        let path = path.to_str().unwrap();
        let (b, t, m) = (buffer.to_string(), threads.to_string(), max_line.to_string());
        for cmd in ["summary", "users"] {
            let common = ["--format", "json", "--max-line-bytes", &m];
            let mut streamed = vec![cmd];
            streamed.extend(common);
            streamed.extend(["--threads", "1", "-"]);
            let mut ranged = vec![cmd];
            ranged.extend(common);
            ranged.extend(["--threads", &t, "--buffer-size", &b, path]);
            if mmap {
                ranged.push("--mmap");
            }
            let want = report(&streamed, Some(&bytes), path);
            let got = report(&ranged, None, path);
            prop_assert_eq!(got, want, "{} {:?}: threads {}, buffer {}, max line {}, mmap {}", cmd, wrap, threads, buffer, max_line, mmap);
        }
    }
}

/// A line longer than the limit in the middle of a file: the ranges before
/// it, the streamed rest after it, and its line number all agree with stdin.
#[test]
fn a_line_over_the_limit_hands_the_rest_to_the_stream() {
    let mut bytes = bytes_of(5, 300, 2, Wrap::Bare, false, false, true);
    let at = bytes.len() / 3;
    let at = at + bytes[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let long = format!("{{\"event_type\":\"x\",\"detail\":\"{}\"}}\n", "y".repeat(50_000));
    bytes.splice(at..at, long.into_bytes());
    let (_dir, path) = temp_file("audit.log", &bytes);
    let path = path.to_str().unwrap();
    for (buffer, mmap) in [("1000", false), ("4096", false), ("65536", false), ("4096", true)] {
        let args = ["summary", "--format", "json", "--max-line-bytes", "20000"];
        let mut ranged = args.to_vec();
        ranged.extend(["--threads", "3", "--buffer-size", buffer, path]);
        ranged.extend(mmap.then_some("--mmap"));
        let mut streamed = args.to_vec();
        streamed.extend(["--threads", "1", "-"]);
        let got = report(&ranged, None, path);
        assert_eq!(got, report(&streamed, Some(&bytes), path), "buffer {buffer}");
        // counted independently: the long line's number in the file
        let number = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let shown = format!("<stdin>:{number}: line of 50");
        assert!(got.1.contains(&shown), "the long line is reported as {shown}: {}", got.1);
    }
}

/// Every command that reads its input writes the same bytes with the file
/// mapped (`--mmap`) as read, over many ranges and threads, and the same
/// exit code.
#[test]
fn mapped_ranges_give_every_command_the_same_output() {
    let bytes = bytes_of(11, 3000, 4, Wrap::Bare, false, false, true);
    let (dir, path) = temp_file("audit.log", &bytes);
    let path = path.to_str().unwrap();
    let key = testdata("redact-demo.key");
    let key = key.to_str().unwrap();
    let sealed = dir.path().join("sealed.jsonl");
    let commands: [&[&str]; 11] = [
        &["summary", "--format", "json"],
        &["users", "--format", "json"],
        &["views", "--format", "json"],
        &["timeline", "--format", "json"],
        &["anomalies", "--format", "json"],
        &["group", "--by", "principal,endpoint", "--format", "json"],
        &["check", "--max", "denied=0", "--format", "json"],
        &["filter", "--outcome", "denied"],
        &["redact", "--key-file", key],
        &["export", "--to", "ecs"],
        &["verify", "--format", "json"],
    ];
    for args in commands {
        let mut read = args.to_vec();
        read.extend(["--threads", "3", "--buffer-size", "7000", path]);
        let mut mapped = read.clone();
        mapped.push("--mmap");
        let (want, got) = (run(&read), run(&mapped));
        assert!(want.code <= 1, "{args:?}: {}", want.stderr);
        assert_eq!(got.code, want.code, "{args:?}: {}", got.stderr);
        assert!(!want.stdout.is_empty(), "{args:?} wrote nothing");
        assert_eq!(got.text(), want.text(), "{args:?}");
        assert_eq!(got.stderr, want.stderr, "{args:?}");
    }
    // a sealed copy verifies mapped as read (its digests read by other ranges)
    let sealed_path = sealed.to_str().unwrap();
    std::fs::write(&sealed, &bytes).unwrap();
    let keys = dir.path().join("ops");
    let r = run(["keygen", "--out", keys.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let private = format!("{}.key", keys.display());
    let r = run(["seal", "--key", &private, sealed_path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = format!("{}.pub", keys.display());
    for mmap in [false, true] {
        let mut args = vec!["verify", "--pubkey", &public, "--threads", "3", "--buffer-size", "7000", sealed_path];
        args.extend(mmap.then_some("--mmap"));
        let r = run(&args);
        assert_eq!(r.code, 0, "mmap {mmap}: {}", r.stderr);
    }
}
