//! Commands whose output is the log itself: `filter` passes lines through
//! untouched, `redact` rewrites them without personal data. Both stream in
//! input order on the parallel engine.

pub mod filter;
pub mod redact;
pub mod rows;

/// The raw lines of a chunk, each with its own line ending as read (the
/// last line of an input may have none), and its content without it.
pub fn raw_lines(data: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p + 1);
        let raw = &data[start..end];
        start = end;
        let content = raw.strip_suffix(b"\n").unwrap_or(raw);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        Some((raw, content))
    })
}

/// Appends a line and, if it had none (the end of an input), a newline.
pub fn push_line(out: &mut Vec<u8>, raw: &[u8]) {
    out.extend_from_slice(raw);
    if !raw.ends_with(b"\n") {
        out.push(b'\n');
    }
}
