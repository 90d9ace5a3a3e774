//! Per-entry hash chains: each entry's `integrity.checksum` is the SHA-256 of
//! its canonical form without `integrity`, and `integrity.previousLogHash`
//! is the previous entry's checksum. Chunks are checked on the workers and
//! stitched in order, so every break is found, not just the first.

use super::bare::JsonCheck;
use super::chained::ChainHash;
use super::fast::EntryHash;
use crate::engine::lines_of;
use crate::input::{Chunk, ChunkKind};
use serde::Serialize;

/// What kind of damage a break is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    ChecksumMismatch,
    ChainBreak,
    MissingIntegrity,
    Malformed,
    // seal manifests
    Changed,
    Inserted,
    Deleted,
    Reordered,
    Truncated,
    ManifestForged,
    ManifestInvalid,
    MissingManifest,
    MissingFile,
    /// The manifest was signed for a file of another name.
    FileMismatch,
    /// The first manifest given does not start the series (or does not
    /// link to `--after`): its oldest files are missing.
    SeriesGapStart,
    /// The newest manifest is not the one `--expect-latest` names.
    Rollback,
    /// Lines after the newest seal, with `--require-sealed`.
    UnsealedTail,
    /// An entry with a key written twice: readers disagree on what it says.
    DuplicateKey,
    /// An entry with a number beyond ±2^53, whose digits the checksum cannot vouch for.
    UnsafeNumber,
}

/// A break at a line of a chunk (numbered within the chunk until stitched).
#[derive(Debug, Clone)]
pub struct ChunkBreak {
    pub line: u64,
    pub kind: BreakKind,
    pub detail: String,
}

/// The chain facts of one chunk.
#[derive(Debug, Default)]
pub struct ChainChunk {
    pub lines: u64,
    /// Non-blank lines.
    pub entries: u64,
    /// Entries whose checksum verified.
    pub verified: u64,
    /// Entries without integrity fields.
    pub without: u64,
    /// Entries with an `integrity` member.
    pub with: u64,
    /// Runs of lines whose entries carry no integrity fields, `(first, last)`
    /// within the chunk (blank lines between them included).
    pub bare: Vec<(u64, u64)>,
    /// The last entry was bare: the next bare one extends its run.
    open_run: bool,
    pub breaks: Vec<ChunkBreak>,
    /// The first entry with integrity: its line and recorded previous hash.
    pub head: Option<(u64, Option<String>)>,
    /// The recorded checksum of the last entry with integrity.
    pub tail: Option<String>,
}

/// The first 12 characters of a hash, for people (never cut inside a character).
pub fn short(h: &str) -> String {
    h.chars().take(12).collect()
}

impl ChainChunk {
    /// Notes a bare entry at line `n`; `extends` when the entry before was bare too.
    fn bare_line(&mut self, n: u64, extends: bool) {
        self.without += 1;
        match self.bare.last_mut() {
            Some((_, last)) if extends => *last = n,
            _ => self.bare.push((n, n)),
        }
        self.open_run = true;
    }
}

/// Checks every entry of a chunk and the links inside it. Entries without
/// integrity fields are only noted (`bare`): whether they are breaks
/// depends on the rest of their file, known once chunks are stitched.
pub fn check_chunk(chunk: &Chunk) -> ChainChunk {
    let mut c = ChainChunk::default();
    if let ChunkKind::Oversized { bytes } = chunk.kind {
        c.lines = 1;
        c.entries = 1;
        c.breaks.push(ChunkBreak {
            line: 1,
            kind: BreakKind::Malformed,
            detail: format!("line of {bytes} bytes is too long to check"),
        });
        return c;
    }
    let mut buf = Vec::with_capacity(1024);
    // built once: `memmem::find` builds its searcher anew for every line
    let integrity = memchr::memmem::Finder::new(b"\"integrity\"");
    let mut json = JsonCheck::default();
    let mut chained = ChainHash::default();
    for (n, line) in lines_of(chunk.bytes()) {
        c.lines = n;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        c.entries += 1;
        // blank lines do not end a run of bare entries; any other entry does
        let extends = std::mem::take(&mut c.open_run);
        let mut broken = |kind, detail: String| c.breaks.push(ChunkBreak { line: n, kind, detail });
        // most logs carry no chain: check such lines are JSON without building them
        if integrity.find(line).is_none() {
            match json.check(line) {
                Ok(()) => c.bare_line(n, extends),
                Err(reason) => broken(kind_of(&reason), reason),
            }
            continue;
        }
        let hashed = match chained.hash_entry(line, &mut buf) {
            Ok(Some(h)) => h,
            Ok(None) => {
                c.bare_line(n, extends);
                continue;
            }
            Err(reason) => {
                broken(kind_of(&reason), reason);
                continue;
            }
        };
        c.with += 1;
        let EntryHash { recorded, previous, computed } = hashed;
        let (Some(recorded), Ok(previous)) = (recorded, previous) else {
            broken(BreakKind::MissingIntegrity, "`integrity` lacks a string `checksum` or a `previousLogHash`".into());
            continue;
        };
        if computed == recorded {
            c.verified += 1;
        } else {
            broken(
                BreakKind::ChecksumMismatch,
                format!("recorded checksum {}… but the entry hashes to {}…", short(&recorded), short(&computed)),
            );
        }
        match &c.tail {
            None => c.head = Some((n, previous)),
            Some(tail) => {
                if previous.as_deref() != Some(tail.as_str()) {
                    let detail = link_detail(previous.as_deref(), tail);
                    c.breaks.push(ChunkBreak { line: n, kind: BreakKind::ChainBreak, detail });
                }
            }
        }
        c.tail = Some(recorded);
    }
    c
}

/// The kind of break a line's refusal is, by how its reason begins.
fn kind_of(reason: &str) -> BreakKind {
    if reason.starts_with(super::fast::DUPLICATE_KEY) {
        BreakKind::DuplicateKey
    } else if reason.starts_with(super::fast::UNSAFE_NUMBER) {
        BreakKind::UnsafeNumber
    } else {
        BreakKind::Malformed
    }
}

/// Why a link is broken, for people.
pub fn link_detail(previous: Option<&str>, expected: &str) -> String {
    match previous {
        None => format!("previousLogHash is null, but the entry before has checksum {}…", short(expected)),
        Some(p) => format!(
            "previousLogHash {}… is not the checksum of the entry before ({}…): an entry was removed, inserted or reordered here",
            short(p),
            short(expected)
        ),
    }
}
