//! The chunker hands on every line exactly once, whole, for any buffer size.
#![no_main]

use fsaudit::input::{ChunkKind, Chunker};
use fsaudit::schema::Envelope;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else { return };
    let (target, max_line) = (usize::from(*a % 64) + 1, usize::from(*b) + 1);
    let (_tx, rx) = crossbeam_channel::unbounded();
    // half the inputs keep split container records together (CRI, Docker)
    let envelope = if *a >= 128 { Envelope::Auto } else { Envelope::None };
    let chunker = Chunker::new(target, max_line, rx).with_envelope(envelope);
    let mut lines = 0usize;
    let mut kept = Vec::new();
    chunker
        .read_input(0, &mut &rest[..], &mut |chunk| {
            match chunk.kind {
                ChunkKind::Lines => {
                    lines += chunk.data.split(|b| *b == b'\n').count() - usize::from(chunk.data.ends_with(b"\n"));
                    kept.extend_from_slice(&chunk.data);
                }
                ChunkKind::Oversized { .. } => lines += 1,
            }
            true
        })
        .unwrap();
    let body = rest.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(rest);
    let expected = body.split(|b| *b == b'\n').count() - usize::from(body.ends_with(b"\n") || body.is_empty());
    assert_eq!(lines, expected, "every line once");
    if lines == body.split(|b| *b == b'\n').filter(|l| l.len() <= max_line).count() - usize::from(body.ends_with(b"\n") || body.is_empty()) {
        assert_eq!(kept, body, "no line over the maximum: the bytes come through unchanged");
    }
});
