//! Per-entry hash chains: each entry's `integrity.checksum` is the SHA-256 of
//! its canonical form without `integrity`, and `integrity.previousLogHash`
//! is the previous entry's checksum. Chunks are checked on the workers and
//! stitched in order, so every break is found, not just the first.

use super::bare::JsonCheck;
use super::chained::ChainHash;
use super::fast::EntryHash;
use crate::engine::lines_of;
use crate::input::{Chunk, ChunkKind};
use crate::schema::lines::{LineReader, has_envelope};
use crate::schema::{Envelope, LineParser};
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
    /// Notes a bare entry of `lines` lines, from `first` to `last`;
    /// `extends` when the entry before was bare too.
    fn bare_entry(&mut self, first: u64, last: u64, lines: u64, extends: bool) {
        self.without += lines;
        match self.bare.last_mut() {
            Some((_, end)) if extends => *end = last,
            _ => self.bare.push((first, last)),
        }
        self.open_run = true;
    }

    fn broken(&mut self, line: u64, kind: BreakKind, detail: String) {
        self.breaks.push(ChunkBreak { line, kind, detail });
    }
}

/// What checks a chunk's entries, kept from one entry to the next.
struct Checker {
    buf: Vec<u8>,
    /// Built once: `memmem::find` builds its searcher anew for every line.
    integrity: memchr::memmem::Finder<'static>,
    json: JsonCheck,
    chained: ChainHash,
}

impl Checker {
    fn new() -> Checker {
        Checker {
            buf: Vec::with_capacity(1024),
            integrity: memchr::memmem::Finder::new(b"\"integrity\""),
            json: JsonCheck::default(),
            chained: ChainHash::default(),
        }
    }

    /// Checks the entry `text` (its envelope taken off), written on the
    /// `lines` lines from `first` to `last` (more than one for a container
    /// record split into pieces); counts are of lines, as a seal's are.
    #[inline(always)]
    fn entry(&mut self, c: &mut ChainChunk, (first, last, lines): (u64, u64, u64), text: &[u8]) {
        c.entries += lines;
        // blank lines do not end a run of bare entries; any other entry does
        let extends = std::mem::take(&mut c.open_run);
        // most logs carry no chain: check such lines are JSON without building them
        if self.integrity.find(text).is_none() {
            match self.json.check(text) {
                Ok(()) => c.bare_entry(first, last, lines, extends),
                Err(reason) => c.broken(first, kind_of(&reason), reason),
            }
            return;
        }
        let hashed = match self.chained.hash_entry(text, &mut self.buf) {
            Ok(Some(h)) => h,
            Ok(None) => return c.bare_entry(first, last, lines, extends),
            Err(reason) => return c.broken(first, kind_of(&reason), reason),
        };
        c.with += lines;
        let EntryHash { recorded, previous, computed } = hashed;
        let (Some(recorded), Ok(previous)) = (recorded, previous) else {
            let detail = "`integrity` lacks a string `checksum` or a `previousLogHash`".into();
            return c.broken(first, BreakKind::MissingIntegrity, detail);
        };
        if computed == recorded {
            c.verified += lines;
        } else {
            c.broken(
                first,
                BreakKind::ChecksumMismatch,
                format!("recorded checksum {}… but the entry hashes to {}…", short(&recorded), short(&computed)),
            );
        }
        match &c.tail {
            None => c.head = Some((first, previous)),
            Some(tail) => {
                if previous.as_deref() != Some(tail.as_str()) {
                    let detail = link_detail(previous.as_deref(), tail);
                    c.broken(first, BreakKind::ChainBreak, detail);
                }
            }
        }
        c.tail = Some(recorded);
    }
}

/// Checks every entry of a chunk and the links inside it. Entries without
/// integrity fields are only noted (`bare`): whether they are breaks
/// depends on the rest of their file, known once chunks are stitched.
///
/// Each line's envelope (`parser`'s, detected per line by default) is taken
/// off first, as every command reading events does: the chain is the
/// entries' own, and a container runtime's or a logger's prefix is not part
/// of an entry (a seal vouches for the lines as written, envelopes and
/// all). The pieces of a container record split over several lines are
/// joined (lines longer than `max_line` the chunker hands on alone); a
/// record whose last piece never came, or a line without the envelope
/// forced with `--envelope`, is malformed.
pub fn check_chunk(chunk: &Chunk, parser: &LineParser, max_line: usize) -> ChainChunk {
    let mut c = ChainChunk::default();
    if let ChunkKind::Oversized { bytes } = chunk.kind {
        c.lines = 1;
        c.entries = 1;
        c.broken(1, BreakKind::Malformed, format!("line of {bytes} bytes is too long to check"));
        return c;
    }
    let mut check = Checker::new();
    let data = chunk.bytes();
    let auto = parser.envelope() == Envelope::Auto;
    if parser.envelope() == Envelope::None || auto {
        for (n, line) in lines_of(data) {
            c.lines = n;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // under `auto`, a bare JSON line (most logs hold nothing else)
            // is read as it is, as `each_line` would hand it on
            if !auto || (line[0] == b'{' && !has_envelope(line)) {
                check.entry(&mut c, (n, n, 1), line);
                continue;
            }
            // the first line with an envelope: from it on, lines are read
            // by `each_line` (no split record is open before it)
            let at = line.as_ptr() as usize - data.as_ptr() as usize;
            enveloped(&mut c, &mut check, &data[at..], n - 1, parser, max_line);
            break;
        }
        return c;
    }
    enveloped(&mut c, &mut check, data, 0, parser, max_line);
    c
}

/// Checks the entries of `data`, whose first line is line `before + 1` of
/// the chunk, taking each line's envelope off (the pieces of a split
/// container record joined).
fn enveloped(c: &mut ChainChunk, check: &mut Checker, data: &[u8], before: u64, parser: &LineParser, max_line: usize) {
    let mut reader = LineReader::with_max_line(max_line).documents_whole();
    let mut scratch = Vec::new();
    let lines = parser.each_line(&mut reader, data, |line| {
        if line.is_blank() {
            return;
        }
        let pieces = line.spans.len() as u64;
        let first = before + line.number;
        // a split record's last piece: other records may come between its pieces
        let last = match (line.spans.first(), line.spans.last()) {
            (Some(a), Some(b)) if pieces > 1 => first + memchr::memchr_iter(b'\n', &line.data[a.0..b.0]).count() as u64,
            _ => first,
        };
        match line.text(parser, &mut scratch) {
            Ok(text) => check.entry(c, (first, last, pieces), text),
            Err(why) => {
                c.entries += pieces;
                c.open_run = false;
                c.broken(first, BreakKind::Malformed, why.0);
            }
        }
    });
    c.lines = before + lines;
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
