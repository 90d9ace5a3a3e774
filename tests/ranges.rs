//! Plain files are cut into ranges that the workers read themselves; every
//! other input streams through one reader. Both must see the same lines:
//! the reports of a file equal those of the same bytes on stdin, for any
//! buffer size, thread count and line-length limit, with split container
//! records, a byte order mark, CRLF endings, long lines and malformed lines.

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
            let want = report(&streamed, Some(&bytes), path);
            let got = report(&ranged, None, path);
            prop_assert_eq!(got, want, "{} {:?}: threads {}, buffer {}, max line {}", cmd, wrap, threads, buffer, max_line);
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
    for buffer in ["1000", "4096", "65536"] {
        let args = ["summary", "--format", "json", "--max-line-bytes", "20000"];
        let mut ranged = args.to_vec();
        ranged.extend(["--threads", "3", "--buffer-size", buffer, path]);
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
