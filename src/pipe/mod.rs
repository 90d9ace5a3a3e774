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
/// What a streaming command made of one chunk besides its output: its
/// place, its lines, the malformed lines (line within the chunk, why; the
/// first few) and the events that could not be written, so that each can be
/// reported by file and line once the chunks are in order.
#[derive(Debug)]
pub struct ChunkNote {
    pub seq: u64,
    pub input: usize,
    pub lines: u64,
    pub failed: Vec<(u64, &'static str)>,
    pub malformed: u64,
    pub samples: Vec<(u64, String)>,
}

impl ChunkNote {
    /// The note of `chunk` before its lines are read (a line too long to
    /// keep is one malformed line).
    pub fn of(chunk: &crate::input::Chunk) -> ChunkNote {
        let mut note = ChunkNote {
            seq: chunk.seq,
            input: chunk.input,
            lines: 1,
            failed: Vec::new(),
            malformed: 0,
            samples: Vec::new(),
        };
        if let crate::input::ChunkKind::Oversized { bytes } = chunk.kind {
            note.malformed(1, format!("a line of {bytes} bytes, longer than --max-line-bytes"), usize::MAX);
        }
        note
    }

    /// Counts a malformed line, keeping its reason while fewer than `samples` are kept.
    pub fn malformed(&mut self, line: u64, why: String, samples: usize) {
        self.malformed += 1;
        if self.samples.len() < samples {
            self.samples.push((line, why));
        }
    }
}

pub fn push_line(out: &mut Vec<u8>, raw: &[u8]) {
    out.extend_from_slice(raw);
    if !raw.ends_with(b"\n") {
        out.push(b'\n');
    }
}
