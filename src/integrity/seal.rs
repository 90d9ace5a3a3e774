//! Seal manifests: what a log file held when it was sealed, signed.
//!
//! Lines are hashed one by one (SHA-256); every `checkpoint_every` lines a
//! checkpoint records the hash of that range's line hashes in order, an
//! order-free sum of them (to tell a reordering from a change), and a
//! rolling hash over all checkpoints so far. Verification cuts the current
//! file at the same lines and compares; when the line count moved, it cuts
//! again with the later checkpoints shifted, which tells an insertion or a
//! deletion (and its range) from damage everywhere.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::Context;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::BreakKind;
use super::jcs::canonical;

pub const FORMAT: &str = "fsaudit-seal/1";

/// One checkpoint: the range of lines that ends at `line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Last line of the range (1-based, cumulative).
    pub line: u64,
    /// Lines in the range.
    pub lines: u64,
    /// SHA-256 of the range's line hashes, in order.
    pub sha256: String,
    /// Sum of the range's line hashes (first 16 bytes, mod 2^128): order-free.
    pub multiset: String,
    /// SHA-256 of the previous rolling hash and this range's `sha256`.
    pub rolling: String,
}

/// A signed description of a sealed log file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// The file's name when it was sealed.
    pub file: String,
    /// Raw (possibly compressed) bytes.
    pub size: u64,
    /// Lines of the (decompressed) content.
    pub lines: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    pub checkpoint_every: u64,
    pub checkpoints: Vec<Checkpoint>,
    /// Position in the series: the previous manifest's plus one.
    pub sequence: u64,
    /// SHA-256 of the previous file's manifest, as written.
    pub previous_manifest_sha256: Option<String>,
    pub sealed_at: String,
    /// The verifying key, hex.
    pub public_key: String,
    /// Ed25519 over the canonical JSON (RFC 8785) of the manifest without this member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Manifest {
    fn signed_bytes(&self) -> Vec<u8> {
        let mut unsigned = self.clone();
        unsigned.signature = None;
        canonical(&serde_json::to_value(&unsigned).expect("a manifest serialises"))
    }

    pub fn sign(&mut self, key: &SigningKey) {
        self.public_key = hex::encode(key.verifying_key().as_bytes());
        self.signature = None;
        self.signature = Some(hex::encode(key.sign(&self.signed_bytes()).to_bytes()));
    }

    /// True when the signature verifies with `key`.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        let Some(sig) = self.signature.as_deref().and_then(|s| hex::decode(s).ok()) else { return false };
        let Ok(sig) = Signature::from_slice(&sig) else { return false };
        key.verify(&self.signed_bytes(), &sig).is_ok()
    }

    /// The manifest as written: pretty JSON and a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("a manifest serialises");
        v.push(b'\n');
        v
    }
}

/// `FILE.seal.json` beside `FILE`.
pub fn manifest_path(file: &Path) -> std::path::PathBuf {
    let mut p = file.as_os_str().to_owned();
    p.push(".seal.json");
    p.into()
}

/// The manifest that describes `file`: `FILE.seal.json`; else, for a file
/// compressed since it was sealed (`audit.log-20261120.gz`, as logrotate's
/// `delaycompress` does a day later), the manifest of its name before
/// (`audit.log-20261120.seal.json`) when that exists. Otherwise
/// `FILE.seal.json`, which does not exist.
pub fn find_manifest(file: &Path) -> std::path::PathBuf {
    let own = manifest_path(file);
    if own.exists() {
        return own;
    }
    file.file_name()
        .and_then(|n| n.to_str())
        .and_then(crate::input::uncompressed_name)
        .filter(|before| !before.is_empty())
        .map(|before| manifest_path(&file.with_file_name(before)))
        .filter(|m| m.exists())
        .unwrap_or(own)
}

/// Whether a manifest signed for a file named `signed` describes a file
/// named `name`: the same name, or that name compressed since.
pub fn signed_for(signed: &str, name: &str) -> bool {
    signed == name || crate::input::uncompressed_name(name) == Some(signed)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The digest of a range of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub end_line: u64,
    pub lines: u64,
    pub ordered: [u8; 32],
    pub multiset: u128,
}

/// Where to cut the content into ranges.
#[derive(Clone, Copy)]
pub enum Cuts<'a> {
    /// Every N lines (sealing).
    Every(u64),
    /// At these cumulative lines; lines after the last cut are the tail (verifying).
    At(&'a [u64]),
}

/// The ranges of a content, and how many lines it has in all.
#[derive(Debug)]
pub struct Digested {
    pub segments: Vec<Segment>,
    pub lines: u64,
    /// Lines after the last cut of [`Cuts::At`].
    pub tail: u64,
}

struct Range {
    hasher: Sha256,
    lines: u64,
    multiset: u128,
}

impl Range {
    fn new() -> Self {
        Range { hasher: Sha256::new(), lines: 0, multiset: 0 }
    }

    fn finish(self, end_line: u64) -> Segment {
        Segment { end_line, lines: self.lines, ordered: self.hasher.finalize().into(), multiset: self.multiset }
    }
}

/// Lines longer than this are hashed as they stream but not handed to
/// `on_line` (the default `--max-line-bytes`): a line of gigabytes costs
/// no more memory than that.
pub const KEEP_LINE: usize = 16 << 20;

/// The ranges `cuts` makes of line hashes fed in order.
struct Segments<'a> {
    cuts: Cuts<'a>,
    out: Digested,
    range: Range,
    cut: Option<u64>,
}

impl<'a> Segments<'a> {
    fn new(cuts: Cuts<'a>) -> Self {
        let mut s = Segments {
            cuts,
            out: Digested { segments: Vec::new(), lines: 0, tail: 0 },
            range: Range::new(),
            cut: None,
        };
        s.cut = s.next_cut();
        s
    }

    fn next_cut(&self) -> Option<u64> {
        match self.cuts {
            Cuts::Every(n) => Some(self.out.lines - self.out.lines % n.max(1) + n.max(1)),
            Cuts::At(at) => at.get(self.out.segments.len()).copied(),
        }
    }

    /// The hash of the next line.
    fn line(&mut self, h: [u8; 32]) {
        self.out.lines += 1;
        let Some(end) = self.cut else {
            self.out.tail += 1;
            return;
        };
        self.range.hasher.update(h);
        self.range.multiset =
            self.range.multiset.wrapping_add(u128::from_be_bytes(h[..16].try_into().expect("16 bytes")));
        self.range.lines += 1;
        if self.out.lines == end {
            let done = std::mem::replace(&mut self.range, Range::new()).finish(end);
            self.out.segments.push(done);
            self.cut = self.next_cut();
        }
    }

    fn finish(mut self) -> Digested {
        if self.range.lines > 0 || (matches!(self.cuts, Cuts::At(_)) && self.cut.is_some()) {
            let lines = self.out.lines;
            self.out.segments.push(self.range.finish(lines));
        }
        self.out
    }
}

/// Reads a content line by line (each without its `\n`, a final line
/// without one included), hashing ranges as `cuts` says, in bounded memory:
/// each line is hashed as it streams. `on_line` sees every line of at most
/// [`KEEP_LINE`] bytes.
pub fn digest(reader: &mut dyn Read, cuts: Cuts<'_>, mut on_line: impl FnMut(&[u8])) -> io::Result<Digested> {
    let mut r = BufReader::with_capacity(1 << 20, reader);
    let mut kept = Vec::with_capacity(4096);
    let mut segments = Segments::new(cuts);
    // the line being read: its hash so far, whether any byte of it was read, whether it outgrew `kept`
    let (mut hasher, mut open, mut too_long) = (Sha256::new(), false, false);
    let mut blocks = 0u64;
    loop {
        blocks += 1;
        if blocks % 64 == 0 && crate::engine::interrupted() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (piece, ends, used) = match memchr::memchr(b'\n', buf) {
            Some(p) => (&buf[..p], true, p + 1),
            None if buf.is_empty() => (&buf[..0], open, 0),
            None => (buf, false, buf.len()),
        };
        hasher.update(piece);
        if !too_long {
            if kept.len() + piece.len() <= KEEP_LINE {
                kept.extend_from_slice(piece);
            } else {
                too_long = true;
                kept = Vec::new();
            }
        }
        let at_end = buf.is_empty();
        r.consume(used);
        open = true;
        if !ends {
            if at_end {
                break;
            }
            continue;
        }
        // a whole line
        if !too_long {
            on_line(&kept);
        }
        segments.line(std::mem::replace(&mut hasher, Sha256::new()).finalize().into());
        kept.clear();
        (open, too_long) = (false, false);
        if at_end {
            break;
        }
    }
    Ok(segments.finish())
}

/// [`digest`] of an input, on every worker when the chunks cut it as the
/// stream does, streamed through [`digest`] when not (a byte order mark at
/// its start, which the chunker leaves out, or a line over [`KEEP_LINE`],
/// which it does not keep): the same ranges either way. `observe` sees
/// every line of at most [`KEEP_LINE`] bytes with a time range, and the
/// time ranges come back merged.
pub fn digest_input(
    input: &crate::input::Input,
    cuts: Cuts<'_>,
    scan: &crate::engine::ScanOptions,
    observe: impl Fn(&[u8], &mut crate::stats::TimeRange) + Sync,
) -> io::Result<(Digested, crate::stats::TimeRange)> {
    if let Some(done) = digest_on_workers(input, cuts, scan, &observe)? {
        return Ok(done);
    }
    let mut reader = crate::input::open(input, &indicatif::ProgressBar::hidden())?.reader;
    let mut times = crate::stats::TimeRange::default();
    let digested = digest(&mut *reader, cuts, |line| observe(line, &mut times))?;
    Ok((digested, times))
}

/// [`digest`] of an input on the workers: each chunk's lines hashed in
/// parallel, the hashes fed to the ranges in input order (a few chunks
/// ahead at most, so memory stays bounded). `None` when the chunks do not
/// cut the content as [`digest`] reads it.
fn digest_on_workers(
    input: &crate::input::Input,
    cuts: Cuts<'_>,
    scan: &crate::engine::ScanOptions,
    observe: &(impl Fn(&[u8], &mut crate::stats::TimeRange) + Sync),
) -> io::Result<Option<(Digested, crate::stats::TimeRange)>> {
    use crate::input::ChunkKind;
    use std::sync::atomic::{AtomicBool, Ordering};
    // the head is read by opening the input once more: a stream would lose it
    if !input.is_regular_file() {
        return Ok(None);
    }
    let hidden = indicatif::ProgressBar::hidden();
    let mut head = Vec::new();
    crate::input::open(input, &hidden)?.reader.take(3).read_to_end(&mut head)?;
    if head == crate::input::UTF8_BOM {
        return Ok(None);
    }
    let opts = crate::engine::ScanOptions {
        max_line: KEEP_LINE,
        envelope: crate::schema::Envelope::None,
        dedup: false,
        strict: false,
        memory_limit: None,
        follow: false,
        ..scan.clone()
    };
    let unkept = AtomicBool::new(false);
    let times = std::sync::Mutex::new(crate::stats::TimeRange::default());
    let mut segments = Segments::new(cuts);
    let streamed = crate::engine::stream_ordered(
        std::slice::from_ref(input),
        &opts,
        &hidden,
        |chunk, emitted| {
            if chunk.kind != ChunkKind::Lines {
                unkept.store(true, Ordering::Relaxed);
                return 0;
            }
            let mut seen = crate::stats::TimeRange::default();
            let data = chunk.bytes();
            let mut start = 0;
            let mut n = 0;
            while start < data.len() {
                let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
                let line = &data[start..end];
                emitted.bytes.extend_from_slice(&Sha256::digest(line));
                observe(line, &mut seen);
                start = end + 1;
                n += 1;
            }
            times.lock().expect("not poisoned").merge(&seen);
            n
        },
        || HashSink { segments: &mut segments, partial: Vec::new() },
    )
    .map_err(io::Error::other)?;
    if crate::engine::interrupted() {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
    }
    if let Some(e) = streamed.errors.into_iter().next() {
        // the caller names the file
        let named = format!("{}: ", input.display());
        return Err(io::Error::other(e.strip_prefix(&named).unwrap_or(&e).to_owned()));
    }
    if unkept.load(Ordering::Relaxed) {
        return Ok(None);
    }
    Ok(Some((segments.finish(), times.into_inner().expect("not poisoned"))))
}

/// Takes the line hashes written in input order, 32 bytes each.
struct HashSink<'s, 'a> {
    segments: &'s mut Segments<'a>,
    partial: Vec<u8>,
}

impl io::Write for HashSink<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.partial.extend_from_slice(buf);
        let whole = self.partial.len() / 32 * 32;
        for h in self.partial[..whole].chunks_exact(32) {
            self.segments.line(h.try_into().expect("32 bytes"));
        }
        self.partial.drain(..whole);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The checkpoints of a sealed content.
pub fn checkpoints(segments: &[Segment]) -> Vec<Checkpoint> {
    let mut rolling = [0u8; 32];
    segments
        .iter()
        .map(|s| {
            let mut h = Sha256::new();
            h.update(rolling);
            h.update(s.ordered);
            rolling = h.finalize().into();
            Checkpoint {
                line: s.end_line,
                lines: s.lines,
                sha256: hex::encode(s.ordered),
                multiset: format!("{:032x}", s.multiset),
                rolling: hex::encode(rolling),
            }
        })
        .collect()
}

fn matches(s: Option<&Segment>, c: &Checkpoint) -> bool {
    s.is_some_and(|s| s.lines == c.lines && hex::encode(s.ordered) == c.sha256)
}

fn multiset_of(c: &Checkpoint) -> u128 {
    u128::from_str_radix(&c.multiset, 16).unwrap_or(0)
}

/// A problem found in a sealed file's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentBreak {
    /// First line of the range concerned (sealed numbering).
    pub line: u64,
    pub kind: BreakKind,
    pub detail: String,
}

/// What the content check found.
#[derive(Debug, Default)]
pub struct ContentCheck {
    pub breaks: Vec<ContentBreak>,
    /// Lines now in the file.
    pub lines: u64,
    /// Sealed lines found intact.
    pub verified: u64,
    /// Lines appended after sealing.
    pub tail: u64,
}

fn range_text(first: u64, last: u64) -> String {
    if first == last { format!("line {first}") } else { format!("lines {first}–{last}") }
}

/// Compares the content of a file with its manifest. `cut` digests the
/// content from its start at the cuts given (a second pass is needed when
/// lines moved).
pub fn check_content(m: &Manifest, cut: &mut dyn FnMut(Cuts<'_>) -> io::Result<Digested>) -> io::Result<ContentCheck> {
    let cuts: Vec<u64> = m.checkpoints.iter().map(|c| c.line).collect();
    let now = cut(Cuts::At(&cuts))?;
    let sealed = &m.checkpoints;
    let start_of = |k: usize| if k == 0 { 1 } else { sealed[k - 1].line + 1 };
    let bad: Vec<usize> = (0..sealed.len()).filter(|&k| !matches(now.segments.get(k), &sealed[k])).collect();
    let mut check = ContentCheck { lines: now.lines, tail: now.tail, ..Default::default() };
    check.verified = (0..sealed.len()).filter(|k| !bad.contains(k)).map(|k| sealed[k].lines).sum();
    let Some(&k) = bad.first() else { return Ok(check) };
    check.tail = 0;
    let delta = now.lines as i64 - m.lines as i64;
    let (a, b) = (start_of(k), sealed[k].line);

    if delta == 0 {
        // group adjacent damaged ranges: a swap across a checkpoint touches two
        let mut i = 0;
        while i < bad.len() {
            let mut j = i + 1;
            while j < bad.len() && bad[j] == bad[j - 1] + 1 {
                j += 1;
            }
            let sealed_sum = bad[i..j].iter().fold(0u128, |acc, &k| acc.wrapping_add(multiset_of(&sealed[k])));
            let now_sum =
                bad[i..j].iter().fold(0u128, |acc, &k| acc.wrapping_add(now.segments.get(k).map_or(0, |s| s.multiset)));
            let (first, last) = (start_of(bad[i]), sealed[bad[j - 1]].line);
            let (kind, what) = if sealed_sum == now_sum {
                (BreakKind::Reordered, "hold the sealed lines in another order")
            } else {
                (BreakKind::Changed, "differ from the sealed content (a line was changed)")
            };
            check.breaks.push(ContentBreak {
                line: first,
                kind,
                detail: format!("{} {what}", range_text(first, last)),
            });
            i = j;
        }
        return Ok(check);
    }

    // the file now ends inside the first damaged range: the rest was cut off
    // (a deletion inside the last range reads the same way)
    if delta < 0 && now.lines + 1 >= a && now.lines < b {
        check.breaks.push(ContentBreak {
            line: now.lines + 1,
            kind: BreakKind::Truncated,
            detail: format!(
                "the file ends at line {}; sealed {} are missing",
                now.lines,
                range_text(now.lines + 1, m.lines)
            ),
        });
        return Ok(check);
    }

    // shift the later cuts by the change in length and see if the rest lines up
    let shifted: Vec<u64> =
        cuts.iter().enumerate().map(|(j, &c)| if j >= k { (c as i64 + delta).max(0) as u64 } else { c }).collect();
    let ordered = shifted.windows(2).all(|w| w[0] < w[1]) && shifted[k] >= a.saturating_sub(1);
    if ordered {
        let again = cut(Cuts::At(&shifted))?;
        if (k + 1..sealed.len()).all(|j| matches(again.segments.get(j), &sealed[j])) && again.tail == 0 {
            let n = delta.unsigned_abs();
            let (kind, verb) =
                if delta > 0 { (BreakKind::Inserted, "inserted") } else { (BreakKind::Deleted, "deleted") };
            check.verified += (k + 1..sealed.len()).map(|j| sealed[j].lines).sum::<u64>();
            check.breaks.push(ContentBreak {
                line: a,
                kind,
                detail: format!("{n} line{} {verb} within sealed {}", if n == 1 { "" } else { "s" }, range_text(a, b)),
            });
            return Ok(check);
        }
    }

    // damage that no single change explains: every range that differs
    for &j in &bad {
        let (first, last) = (start_of(j), sealed[j].line);
        check.breaks.push(ContentBreak {
            line: first,
            kind: BreakKind::Changed,
            detail: format!(
                "{} differ from the sealed content (the file has {} lines, sealed with {})",
                range_text(first, last),
                now.lines,
                m.lines
            ),
        });
    }
    Ok(check)
}

/// Reads and parses a manifest; `Err` says why it is not one.
pub fn read_manifest(path: &Path) -> Result<(Manifest, Vec<u8>), String> {
    let bytes = crate::input::read_small_file(path).map_err(|e| e.to_string())?;
    parse_manifest(bytes)
}

/// Parses the bytes of a manifest file.
pub fn parse_manifest(bytes: Vec<u8>) -> Result<(Manifest, Vec<u8>), String> {
    serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).map_err(|e| format!("not JSON ({e})"))?;
    // a member written twice, anywhere, is an error, not "the last one wins"
    crate::schema::check_shape(&bytes).map_err(|e| format!("not a seal manifest ({e})"))?;
    let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| format!("not a seal manifest ({e})"))?;
    if m.format != FORMAT {
        return Err(format!("unknown format '{}' (expected {FORMAT})", m.format));
    }
    Ok((m, bytes))
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a
/// reader never sees half a manifest. Manifests are public: mode 0644.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("{}: cannot write", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str, cuts: Cuts<'_>) -> Digested {
        digest(&mut text.as_bytes(), cuts, |_| {}).unwrap()
    }

    #[test]
    fn ranges_every_n_lines_and_a_final_partial_one() {
        let d = seg("a\nb\nc\nd\ne", Cuts::Every(2));
        assert_eq!(d.lines, 5);
        let ends: Vec<(u64, u64)> = d.segments.iter().map(|s| (s.end_line, s.lines)).collect();
        assert_eq!(ends, [(2, 2), (4, 2), (5, 1)]);
        let again = seg("a\nb\nc\nd\ne\n", Cuts::Every(2));
        assert_eq!(again.segments, d.segments, "a final newline is not a line");
    }

    fn scan_options(buffer_size: usize, threads: usize) -> crate::engine::ScanOptions {
        crate::engine::ScanOptions {
            threads,
            buffer_size,
            max_line: 1000,
            strict: false,
            samples: 0,
            dedup: false,
            count_duplicates: false,
            keep_line_hashes: false,
            memory_limit: None,
            envelope: crate::schema::Envelope::Auto,
            follow: false,
            mmap: false,
        }
    }

    /// Hashed on the workers or streamed, a content gives the same ranges,
    /// whatever the chunk size and the number of workers.
    #[test]
    fn workers_digest_as_the_stream_does() {
        let texts = [
            "a\nb\nc\nd\ne",
            "a\r\nb\r\n\r\nc\r\n",
            "\n\n\nx\n",
            "",
            "\n",
            "{\"event_type\":\"x\",\"timestamp\":\"2026-10-01T00:00:00Z\"}\nlast line without an ending",
        ];
        let dir = tempfile::tempdir().unwrap();
        for (k, text) in texts.iter().enumerate() {
            let path = dir.path().join(format!("{k}.log"));
            std::fs::write(&path, text).unwrap();
            let gz = dir.path().join(format!("{k}.log.gz"));
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut enc, text.as_bytes()).unwrap();
            std::fs::write(&gz, enc.finish().unwrap()).unwrap();
            let lines = text.split_terminator('\n').count() as u64;
            let at: Vec<u64> = (1..=lines + 2).step_by(2).collect();
            for (buffer, threads) in [(1, 1), (3, 2), (7, 4), (64, 3), (1 << 20, 2)] {
                let scan = scan_options(buffer, threads);
                for file in [&path, &gz] {
                    let input = crate::input::Input::File(file.clone());
                    for cuts in [Cuts::Every(1), Cuts::Every(2), Cuts::Every(1000), Cuts::At(&at)] {
                        let got = digest_on_workers(&input, cuts, &scan, &|_, _| {}).unwrap().expect("no BOM").0;
                        let want = seg(text, cuts);
                        assert_eq!(got.segments, want.segments, "{text:?} buffer {buffer} threads {threads}");
                        assert_eq!((got.lines, got.tail), (want.lines, want.tail), "{text:?}");
                        assert_eq!(got.lines, lines, "{text:?}: lines counted independently");
                    }
                }
            }
        }
        // a byte order mark is part of the first line's bytes: left to the stream
        let bom = dir.path().join("bom.log");
        std::fs::write(&bom, "\u{feff}a\nb\n").unwrap();
        let scan = scan_options(4096, 2);
        let input = crate::input::Input::File(bom);
        assert!(digest_on_workers(&input, Cuts::Every(1), &scan, &|_, _| {}).unwrap().is_none());
        let (got, _) = digest_input(&input, Cuts::Every(1), &scan, |_, _| {}).unwrap();
        assert_eq!(got.segments, seg("\u{feff}a\nb\n", Cuts::Every(1)).segments, "streamed instead");
    }

    #[test]
    fn cuts_at_lines_leave_a_tail() {
        let d = seg("a\nb\nc\nd\ne\n", Cuts::At(&[2, 3]));
        assert_eq!(d.segments.len(), 2);
        assert_eq!(d.tail, 2);
        let short = seg("a\n", Cuts::At(&[2, 3]));
        assert_eq!(short.segments.len(), 1, "a partial range, then nothing");
        assert_eq!(short.segments[0].lines, 1);
    }
}
