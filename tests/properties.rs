//! Properties over arbitrary generated logs: reports do not depend on buffer
//! sizes or threads, malformed lines change only the malformed counts, and
//! redaction keeps summaries.

mod common;

use common::*;
use fsaudit::testgen::{GenOptions, Generator, Shape};
use proptest::prelude::*;
use serde_json::Value;

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![Just(Shape::Feast), Just(Shape::FeastSox), Just(Shape::Flat), Just(Shape::Soc2)]
}

fn log(shape: Shape, seed: u64, events: usize, malformed: usize) -> Vec<u8> {
    Generator::new(GenOptions { events, shape, seed, malformed, principals: 12, ..Default::default() }).all().to_bytes()
}

fn report(cmd: &str, extra: &[&str], bytes: &[u8]) -> Value {
    let mut args = vec![cmd, "--format", "json"];
    args.extend_from_slice(extra);
    args.push("-");
    let r = run_stdin(&args, bytes);
    assert!(r.code == 0, "{cmd} {extra:?}: {}", r.stderr);
    let mut doc = r.json();
    doc["inputs"] = Value::Null;
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn reports_ignore_buffer_sizes_and_threads(
        shape in shape(), seed in 0u64..1000, events in 1usize..600, malformed in 0usize..8,
        buffer in 1usize..6000, threads in 1usize..5,
    ) {
        let bytes = log(shape, seed, events, malformed);
        let (b, t) = (buffer.to_string(), threads.to_string());
        for cmd in ["summary", "users", "views", "timeline", "anomalies"] {
            let base = report(cmd, &["--threads", "1"], &bytes);
            let other = report(cmd, &["--threads", &t, "--buffer-size", &b], &bytes);
            prop_assert_eq!(base, other, "{} with {} threads, buffer {}", cmd, threads, buffer);
        }
    }

    #[test]
    fn malformed_lines_change_only_the_malformed_counts(
        shape in shape(), seed in 0u64..1000, events in 1usize..400,
        garbage in proptest::collection::vec((any::<prop::sample::Index>(), "[^\n]{0,80}"), 1..10),
    ) {
        let bytes = log(shape, seed, events, 0);
        let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect();
        let mut inserted = 0u64;
        for (i, (at, text)) in garbage.iter().enumerate() {
            // each garbage line differs from the others (or it would also count as a
            // repeated line: a trailing `\r` is a line ending, so "{oops " and
            // "{oops \r" are one line)
            let line = format!("{{oops {i} {text}");
            lines.insert(at.index(lines.len() + 1), line.into_bytes());
            inserted += 1;
        }
        let noisy: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().chain(std::iter::once(b'\n'))).collect();
        let mut clean = report("summary", &[], &bytes);
        let mut dirty = report("summary", &[], &noisy);
        prop_assert_eq!(dirty["malformed"].as_u64().unwrap(), inserted);
        for doc in [&mut clean, &mut dirty] {
            doc["malformed"] = Value::Null;
        }
        prop_assert_eq!(clean, dirty);
    }

    #[test]
    fn redaction_keeps_summaries(shape in shape(), seed in 0u64..1000, events in 1usize..500) {
        let bytes = log(shape, seed, events, 0);
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        std::fs::write(&key, "a key of sixteen bytes or more").unwrap();
        let r = run_stdin(["redact", "-q", "--key-file", key.to_str().unwrap()], &bytes);
        prop_assert_eq!(r.code, 0);
        // redacting the redacted log changes nothing more
        let again = run_stdin(["redact", "-q", "--key-file", key.to_str().unwrap()], &r.stdout);
        prop_assert!(again.stdout == r.stdout, "redaction is not idempotent");
        let (before, after) = (report("summary", &["--top", "0"], &bytes), report("summary", &["--top", "0"], &r.stdout));
        for k in ["events", "outcomes", "latency_ms", "time_range", "event_types", "events_without_resource"] {
            prop_assert_eq!(&before[k], &after[k], "{}", k);
        }
        prop_assert_eq!(&before["distinct"]["principals"], &after["distinct"]["principals"]);
        prop_assert_eq!(&before["distinct"]["resources"], &after["distinct"]["resources"]);
        prop_assert_eq!(&before["distinct"]["source_ips"], &after["distinct"]["source_ips"]);
    }
}
