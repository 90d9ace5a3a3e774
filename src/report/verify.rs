//! `fsaudit verify` and `fsaudit seal`: per-entry chains checked in
//! parallel and stitched in order, and seal manifests checked for their
//! signature, their place in the series, and the content they describe.

use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use indicatif::ProgressBar;
use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::engine::{ChunkResults, ScanOptions, map_chunks};
use crate::input::{self, Input};
use crate::integrity::chain::{BreakKind, ChainChunk, check_chunk, link_detail, short};
use crate::integrity::rotation::{self, Pairing};
use crate::integrity::seal::{
    Cuts, Digested, FORMAT, Manifest, check_content, checkpoints, digest_input, find_manifest, manifest_path,
    read_manifest, sha256_hex, signed_for, write_atomically,
};
use crate::schema::{LineParser, SchemaMode};
use crate::stats::TimeRange;

/// One break: where, what kind, and why in words.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Break {
    pub path: String,
    /// The line concerned; `null` for a break of the file or its manifest.
    pub line: Option<u64>,
    pub kind: BreakKind,
    pub detail: String,
}

/// Lines appended after sealing: not damage, but nothing vouches for them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnsealedTail {
    pub path: String,
    pub first_line: u64,
    pub lines: u64,
}

/// How a file was verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Intact,
    Broken,
    /// Nothing vouched for it: no integrity fields and no manifest.
    Unverified,
}

/// Per-file results.
#[derive(Debug, Clone, Serialize)]
pub struct FileVerdict {
    pub path: String,
    pub entries: u64,
    pub verified: u64,
    pub unsealed: u64,
    /// Lines the manifest describes (`null` without `--pubkey`).
    pub sealed_lines: Option<u64>,
    pub intact: bool,
    pub status: Status,
    /// What vouched for the file: `chain`, `seal`, both, or nothing (`null`).
    pub verified_by: Option<&'static str>,
    /// The seal manifest read for it (`null`: none, or no `--pubkey`).
    pub manifest: Option<String>,
    /// The name that manifest was signed for, when not the file's own (a
    /// file renamed by rotation since it was sealed).
    pub sealed_as: Option<String>,
}

/// The newest manifest `verify` accepted, to compare with one kept elsewhere.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LatestManifest {
    pub path: String,
    pub sha256: String,
    pub sequence: u64,
}

/// The `verify` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub schema_version: u32,
    pub command: &'static str,
    /// No breaks, and every file verified (or `--allow-unverified`), and
    /// every input read to its end.
    pub intact: bool,
    pub status: Status,
    pub entries: u64,
    pub verified: u64,
    pub unsealed: u64,
    pub breaks: Vec<Break>,
    pub unsealed_tails: Vec<UnsealedTail>,
    pub latest_manifest: Option<LatestManifest>,
    pub files: Vec<FileVerdict>,
    /// An input could not be opened or read to its end ([`VerifyReport::incomplete`]).
    pub incomplete: bool,
}

impl VerifyReport {
    /// Marks the report as one over inputs not all read (exit 2): it is
    /// not intact, whatever was found in what was read (`--allow-unverified`
    /// allows files nothing vouches for, not files that could not be read).
    pub fn incomplete(&mut self) {
        self.incomplete = true;
        self.intact = false;
        // what was not read is not verified: the status never says intact
        // beside `"intact": false`
        if self.status == Status::Intact {
            self.status = Status::Unverified;
        }
    }
}

/// What `verify` demands beyond intact content.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// `--require`: entries without integrity fields are breaks in any file.
    pub require: bool,
    /// `--require-sealed`: lines appended after the newest seal are breaks.
    pub require_sealed: bool,
    /// `--allow-unverified`: a file nothing vouches for does not fail.
    pub allow_unverified: bool,
    pub seals: SealOptions,
}

/// How a series of manifests is checked.
#[derive(Debug, Clone, Default)]
pub struct SealOptions {
    /// `--after`: the digest the first manifest must link to (a series
    /// continued from one verified before); without it the first
    /// manifest must start a series.
    pub after: Option<String>,
    /// `--expect-latest`: the digest the newest manifest must have.
    pub expect_latest: Option<String>,
    /// `--manifest LOG=MANIFEST`: manifests of renamed or recompressed files.
    pub manifests: Vec<(PathBuf, PathBuf)>,
}

/// Checks the per-entry chain across `inputs` (one chain, in the order given).
fn verify_chains(
    inputs: &[Input],
    opts: &ScanOptions,
    parser: &LineParser,
    progress: &ProgressBar,
) -> anyhow::Result<(Vec<ChainTotals>, Vec<Break>, Vec<String>)> {
    let mapped = map_chunks(inputs, opts, progress, |chunk| check_chunk(chunk, parser, opts.max_line))?;
    let (totals, breaks) = stitch_chains(inputs, mapped.chunks);
    Ok((totals, breaks, mapped.errors))
}

/// Numbers the chunks' breaks and checks the links where chunks (and
/// inputs) meet; chunks come in input order.
pub fn stitch_chains(inputs: &[Input], chunks: ChunkResults<ChainChunk>) -> (Vec<ChainTotals>, Vec<Break>) {
    let mut totals = vec![ChainTotals::default(); inputs.len()];
    let mut breaks = Vec::new();
    let mut tail: Option<(String, String)> = None; // (checksum, path) of the last entry seen
    let mut before = vec![0u64; inputs.len()];
    for (input, _, c) in chunks {
        let path = inputs[input].display();
        let offset = before[input];
        let ChainChunk {
            lines,
            entries,
            verified,
            without,
            with,
            bare,
            breaks: chunk_breaks,
            head,
            tail: chunk_tail,
            ..
        } = c;
        let t = &mut totals[input];
        t.entries += entries;
        t.verified += verified;
        t.without += without;
        t.with += with;
        for (a, b) in bare {
            let (a, b) = (a + offset, b + offset);
            match t.bare.last_mut() {
                Some((_, last)) if *last + 1 == a => *last = b,
                _ => t.bare.push((a, b)),
            }
        }
        let mut here: Vec<Break> = chunk_breaks
            .into_iter()
            .map(|b| Break { path: path.clone(), line: Some(offset + b.line), kind: b.kind, detail: b.detail })
            .collect();
        if let Some((line, previous)) = head {
            let broken = match (&tail, &previous) {
                (Some((expected, _)), p) if p.as_deref() != Some(expected.as_str()) => {
                    Some(link_detail(p.as_deref(), expected))
                }
                (None, Some(p)) => Some(format!(
                    "the first entry links to {}…, an entry that is not among the inputs (verify earlier files with it, oldest first)",
                    short(p)
                )),
                _ => None,
            };
            if let Some(detail) = broken {
                here.push(Break { path: path.clone(), line: Some(offset + line), kind: BreakKind::ChainBreak, detail });
            }
        }
        // chunks arrive in order; within one, the link to the chunk before may follow earlier breaks
        here.sort_by_key(|b| b.line);
        breaks.extend(here);
        if let Some(t) = chunk_tail {
            tail = Some((t, path));
        }
        before[input] += lines;
    }
    (totals, breaks)
}

/// Per-input totals of the chain check.
#[derive(Debug, Clone, Default)]
pub struct ChainTotals {
    pub entries: u64,
    pub verified: u64,
    pub without: u64,
    /// Entries with an `integrity` member.
    pub with: u64,
    /// Runs of lines without integrity fields, `(first, last)`.
    pub bare: Vec<(u64, u64)>,
}

/// The breaks of entries without integrity fields: in a file whose other
/// entries carry them (an entry inserted, or stripped of its checksum), or
/// in any file with `require`. Lines up to `sealed` are vouched for by an
/// intact seal and are no breaks.
pub fn bare_breaks(path: &str, t: &ChainTotals, require: bool, sealed: Option<u64>) -> Vec<Break> {
    if t.with == 0 && !require {
        return Vec::new();
    }
    let from = sealed.map_or(1, |s| s + 1);
    t.bare
        .iter()
        .filter(|(_, b)| *b >= from)
        .map(|&(a, b)| {
            let a = a.max(from);
            let lines = if a == b { format!("line {a}") } else { format!("lines {a}–{b}") };
            let detail = if t.with > 0 {
                format!(
                    "{lines}: no integrity fields in a file whose other entries carry them (inserted, or stripped of their checksum)"
                )
            } else {
                format!("{lines}: no `integrity` member (--require)")
            };
            Break { path: path.to_owned(), line: Some(a), kind: BreakKind::MissingIntegrity, detail }
        })
        .collect()
}

/// Settles a file's chain-side breaks once its seal is known: a line an
/// intact seal vouches for is verified whatever it holds (a line too long to
/// parse, not JSON, not UTF-8, nested too deep or with a key written twice,
/// in a log without chains: the seal proves it is the line that was
/// sealed), and entries without integrity fields become breaks where
/// [`bare_breaks`] says so.
pub fn settle_with_seal(path: &str, t: &ChainTotals, require: bool, sealed: Option<u64>, breaks: &mut Vec<Break>) {
    if let (Some(upto), 0) = (sealed, t.with) {
        let as_written = |k| matches!(k, BreakKind::Malformed | BreakKind::DuplicateKey);
        breaks.retain(|b| !(b.path == path && as_written(b.kind) && b.line.is_some_and(|l| l <= upto)));
    }
    breaks.extend(bare_breaks(path, t, require, sealed));
}

/// What the seal check of one file found.
pub struct SealVerdict {
    pub breaks: Vec<Break>,
    signed: bool,
    /// The content matched the manifest everywhere it was sealed.
    content_intact: bool,
    /// Lines the manifest describes (`None` without a readable manifest).
    sealed_lines: Option<u64>,
    pub verified: u64,
    tail: Option<UnsealedTail>,
    /// No manifest, and none for any file after it: lines not sealed yet.
    unsealed_file: bool,
    /// The manifest read.
    manifest: Option<String>,
    /// The name the manifest was signed for, when not the file's own.
    sealed_as: Option<String>,
}

impl SealVerdict {
    /// The lines an intact, signed manifest vouches for (1 to this).
    pub fn intact_upto(&self) -> Option<u64> {
        self.sealed_lines.filter(|_| self.signed && self.content_intact)
    }
}

/// The digest of a file's content ([`digest_input`]).
fn digest_file(path: &Path, cuts: Cuts<'_>, scan: &ScanOptions) -> std::io::Result<Digested> {
    digest_input(&Input::File(path.to_owned()), cuts, scan, |_, _| {}).map(|(d, _)| d)
}

/// The digest of a manifest: given as 64 hex digits, or the manifest file itself.
pub fn manifest_digest(arg: &str) -> Result<String, String> {
    let t = arg.trim();
    if t.len() == 64 && t.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Ok(t.to_ascii_lowercase());
    }
    let path = Path::new(t);
    if path.is_file() {
        return read_manifest(path).map(|(_, bytes)| sha256_hex(&bytes)).map_err(|e| format!("{t}: {e}"));
    }
    Err(format!("'{t}' is neither a SHA-256 digest (64 hex digits) nor a manifest file"))
}

/// Checks the manifests of `files` (oldest first) with `key`: signatures,
/// the file each was signed for, the links and sequence numbers between
/// them, where the series starts, and each file's content. Returns the
/// verdicts, the errors, and the newest manifest accepted.
pub fn verify_seals(
    files: &[PathBuf],
    key: &VerifyingKey,
    opts: &SealOptions,
    scan: &ScanOptions,
) -> (Vec<SealVerdict>, Vec<String>, Option<LatestManifest>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut latest = None;
    // the manifest before (for links), and whether the series was started
    let mut previous: Option<(Manifest, Vec<u8>, String)> = None;
    let mut first = true;
    let mapped_of = |file: &Path| opts.manifests.iter().find(|(log, _)| input::same_file(log, file)).map(|(_, m)| m);
    // each file's manifest: mapped by hand, else the one its first lines
    // match (its own name's, or one a rotation left under a younger name)
    let all = rotation::pair_all(files, key);
    let pairs: Vec<Pairing> = files
        .iter()
        .map(|f| mapped_of(f).map_or_else(|| rotation::pairing(&all, f), |m| Pairing::Own(m.clone())))
        .collect();
    for (file, pairing) in files.iter().zip(&pairs) {
        // a file after the newest one of its series with a manifest holds lines not sealed yet
        let not_yet = rotation::after_newest_sealed(&all, file);
        let path = file.display().to_string();
        let mut v = SealVerdict {
            breaks: Vec::new(),
            signed: false,
            content_intact: false,
            sealed_lines: None,
            verified: 0,
            tail: None,
            unsealed_file: false,
            manifest: None,
            sealed_as: None,
        };
        let mut broken =
            |line: Option<u64>, kind, detail: String| v.breaks.push(Break { path: path.clone(), line, kind, detail });
        let mapped = mapped_of(file);
        let is_first = std::mem::replace(&mut first, false);
        let mpath = match pairing {
            Pairing::Own(p) | Pairing::Renamed(p) => p.clone(),
            Pairing::Taken { own, by } => {
                if not_yet {
                    v.unsealed_file = true;
                } else {
                    broken(
                        None,
                        BreakKind::MissingManifest,
                        format!(
                            "no manifest describes it: {} describes {}, which held this name before a rotation renamed it",
                            own.display(),
                            by.display()
                        ),
                    );
                }
                out.push(v);
                previous = None;
                continue;
            }
        };
        let (manifest, bytes) = match read_manifest(&mpath) {
            Ok(m) => m,
            Err(e) => {
                if !mpath.exists() && not_yet {
                    v.unsealed_file = true;
                } else {
                    let kind = if mpath.exists() { BreakKind::ManifestInvalid } else { BreakKind::MissingManifest };
                    broken(None, kind, format!("{}: {e}", mpath.display()));
                }
                out.push(v);
                previous = None;
                continue;
            }
        };
        v.sealed_lines = Some(manifest.lines);
        v.manifest = Some(mpath.display().to_string());
        if manifest.verify(key) {
            v.signed = true;
        } else {
            broken(
                None,
                BreakKind::ManifestForged,
                format!(
                    "{}: the signature does not verify with this public key: the manifest was edited, or signed with another key",
                    mpath.display()
                ),
            );
        }
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let renamed = input::renamed_by_rotation(&manifest.file, &name);
        if !signed_for(&manifest.file, &name) && !renamed && mapped.is_none() {
            broken(
                None,
                BreakKind::FileMismatch,
                format!(
                    "{} was signed for a file named '{}', not '{name}': another file's manifest, or a renamed file \
                     (--manifest {path}={} maps it explicitly)",
                    mpath.display(),
                    manifest.file.escape_debug(),
                    mpath.display()
                ),
            );
        }
        if !signed_for(&manifest.file, &name) {
            v.sealed_as = Some(manifest.file.clone());
        }
        let digest = sha256_hex(&bytes);
        match &previous {
            Some((prev, prev_bytes, prev_path)) => {
                let linked = manifest.previous_manifest_sha256.as_deref() == Some(sha256_hex(prev_bytes).as_str());
                let next = prev.sequence + 1;
                if !linked && manifest.sequence > next {
                    let skipped = manifest.sequence - next;
                    broken(
                        None,
                        BreakKind::MissingFile,
                        format!(
                            "the series skips {skipped} sealed file{} between {prev_path} (#{}) and this one (#{})",
                            if skipped == 1 { "" } else { "s" },
                            prev.sequence,
                            manifest.sequence
                        ),
                    );
                } else if !linked {
                    broken(
                        None,
                        BreakKind::ChainBreak,
                        format!("the manifest does not link to the manifest of {prev_path}, the file before it"),
                    );
                } else if manifest.sequence != next {
                    broken(
                        None,
                        BreakKind::ChainBreak,
                        format!(
                            "the manifest links to {prev_path} (#{}) but is numbered #{}, not #{next}",
                            prev.sequence, manifest.sequence
                        ),
                    );
                }
            }
            None if is_first => {
                let link = manifest.previous_manifest_sha256.as_deref();
                match (&opts.after, link) {
                    (Some(after), Some(l)) if l == after => {}
                    (Some(after), _) => broken(
                        None,
                        BreakKind::SeriesGapStart,
                        format!(
                            "the first manifest (#{}) does not link to the --after manifest {}…: files between them are missing",
                            manifest.sequence,
                            short(after)
                        ),
                    ),
                    (None, None) if manifest.sequence <= 1 => {}
                    (None, _) => broken(
                        None,
                        BreakKind::SeriesGapStart,
                        format!(
                            "the first manifest given is #{} of its series, not #1: the older files of the series are \
                             missing (pass them too, or --after DIGEST to start from a manifest verified before)",
                            manifest.sequence
                        ),
                    ),
                }
            }
            // the manifest before was missing or unreadable: already a break
            None => {}
        }
        if v.signed {
            let mut cut = |cuts: Cuts<'_>| digest_file(file, cuts, scan);
            match check_content(&manifest, &mut cut) {
                Ok(check) => {
                    v.verified = check.verified;
                    v.content_intact = check.breaks.is_empty();
                    for b in check.breaks {
                        broken(Some(b.line), b.kind, b.detail);
                    }
                    if check.tail > 0 {
                        v.tail = Some(UnsealedTail {
                            path: path.clone(),
                            first_line: manifest.lines + 1,
                            lines: check.tail,
                        });
                    }
                }
                Err(e) => errors.push(format!("{path}: {e}")),
            }
            latest = Some(LatestManifest {
                path: mpath.display().to_string(),
                sha256: digest.clone(),
                sequence: manifest.sequence,
            });
        }
        previous = Some((manifest, bytes, path.clone()));
        out.push(v);
    }
    if let (Some(expected), Some(v)) = (&opts.expect_latest, out.last_mut()) {
        let found = latest.as_ref().map(|l| l.sha256.as_str());
        if found != Some(expected.as_str()) {
            let path = files.last().map(|f| f.display().to_string()).unwrap_or_default();
            v.breaks.push(Break {
                path,
                line: None,
                kind: BreakKind::Rollback,
                detail: format!(
                    "the newest manifest is {}, not the expected {}…: an older manifest was restored, or the newest files are missing",
                    found.map_or("missing".to_owned(), |f| format!("{}…", short(f))),
                    short(expected)
                ),
            });
        }
    }
    (out, errors, latest)
}

/// Runs `verify` over `inputs` (each line's envelope taken off by
/// `parser`); with `key`, also checks their seal manifests.
pub fn verify(
    inputs: &[Input],
    opts: &ScanOptions,
    parser: &LineParser,
    progress: &ProgressBar,
    vopts: &VerifyOptions,
    key: Option<&VerifyingKey>,
) -> anyhow::Result<(VerifyReport, Vec<String>)> {
    let paths: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p.clone()),
            Input::Stdin | Input::Spooled(_) => None,
        })
        .collect();
    // the manifests' content check reads each file on its own thread while
    // the workers check the per-entry chains
    let (chained, sealed) = std::thread::scope(|s| {
        let seals = key.map(|key| s.spawn(|| verify_seals(&paths, key, &vopts.seals, opts)));
        let chained = verify_chains(inputs, opts, parser, progress);
        (chained, seals.map(|h| h.join().expect("seal thread")))
    });
    let (chains, chain_breaks, mut errors) = chained?;
    let mut breaks = chain_breaks;
    let mut tails = Vec::new();
    let mut latest = None;
    let mut seals: Vec<Option<SealVerdict>> = inputs.iter().map(|_| None).collect();
    if let Some((verdicts, seal_errors, newest)) = sealed {
        if paths.len() != inputs.len() {
            errors.push("<stdin>: seal manifests are checked for files only".into());
        }
        errors.extend(seal_errors);
        latest = newest;
        let files = inputs.iter().enumerate().filter(|(_, i)| matches!(i, Input::File(_))).map(|(k, _)| k);
        for (k, v) in files.zip(verdicts) {
            seals[k] = Some(v);
        }
    }
    let mut files = Vec::with_capacity(inputs.len());
    for ((input, c), seal) in inputs.iter().zip(&chains).zip(seals) {
        let path = input.display();
        let mut f = FileVerdict {
            path: path.clone(),
            entries: c.entries,
            verified: c.verified,
            unsealed: c.without,
            sealed_lines: None,
            intact: true,
            status: Status::Intact,
            verified_by: None,
            manifest: None,
            sealed_as: None,
        };
        let mut sealed_upto = None;
        let mut by_seal = false;
        if let Some(mut seal) = seal {
            f.sealed_lines = seal.sealed_lines;
            f.manifest = seal.manifest.take();
            f.sealed_as = seal.sealed_as.take();
            // a file after the newest sealed one: its lines are not sealed
            // yet (the tail of the series), and nothing vouches for them
            if seal.unsealed_file && c.without > 0 {
                seal.tail = Some(UnsealedTail { path: path.clone(), first_line: 1, lines: c.without });
            }
            if seal.signed {
                // what the manifest vouches for replaces what the chain could not
                f.verified = f.verified.max(seal.verified);
                f.unsealed = seal.tail.as_ref().map_or(0, |t| t.lines);
                sealed_upto = seal.intact_upto();
                by_seal = sealed_upto.is_some();
            }
            breaks.extend(seal.breaks);
            if let Some(tail) = seal.tail {
                if vopts.require_sealed {
                    breaks.push(Break {
                        path: path.clone(),
                        line: Some(tail.first_line),
                        kind: BreakKind::UnsealedTail,
                        detail: format!(
                            "{} line{} after the newest seal, from line {} (--require-sealed)",
                            tail.lines,
                            if tail.lines == 1 { "" } else { "s" },
                            tail.first_line
                        ),
                    });
                }
                tails.push(tail);
            }
        }
        settle_with_seal(&path, c, vopts.require, sealed_upto, &mut breaks);
        f.verified_by = match (c.verified > 0, by_seal) {
            (true, true) => Some("chain+seal"),
            (true, false) => Some("chain"),
            (false, true) => Some("seal"),
            (false, false) => None,
        };
        files.push(f);
    }
    // breaks in input order, then by line
    let order = |p: &str| inputs.iter().position(|i| i.display() == p).unwrap_or(usize::MAX);
    breaks.sort_by_key(|b| (order(&b.path), b.line));
    let mut any_unverified = false;
    for f in &mut files {
        let broken = breaks.iter().any(|b| b.path == f.path);
        f.status = if broken {
            Status::Broken
        } else if f.verified_by.is_none() {
            Status::Unverified
        } else {
            Status::Intact
        };
        any_unverified |= f.status == Status::Unverified;
        f.intact = f.status == Status::Intact || (f.status == Status::Unverified && vopts.allow_unverified);
    }
    let status = if !breaks.is_empty() {
        Status::Broken
    } else if any_unverified || files.is_empty() {
        // no file at all (an empty directory) vouches for nothing
        Status::Unverified
    } else {
        Status::Intact
    };
    let report = VerifyReport {
        schema_version: SCHEMA_VERSION,
        command: "verify",
        intact: status == Status::Intact || (status == Status::Unverified && vopts.allow_unverified),
        status,
        entries: files.iter().map(|f| f.entries).sum(),
        verified: files.iter().map(|f| f.verified).sum(),
        unsealed: files.iter().map(|f| f.unsealed).sum(),
        breaks,
        unsealed_tails: tails,
        latest_manifest: latest,
        files,
        incomplete: false,
    };
    Ok((report, errors))
}

/// What `seal` did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SealStatus {
    /// No manifest before.
    Sealed,
    /// Lines appended since the last seal now covered, in the same place
    /// of the series.
    Extended,
    /// The same content under a new checkpoint interval or series link.
    Resealed,
    /// The manifest kept as it was.
    Unchanged,
    /// The manifest kept as it was, moved to the file's new name (a
    /// rotation renamed the file since it was sealed).
    Moved,
}

impl SealStatus {
    pub fn name(self) -> &'static str {
        match self {
            SealStatus::Sealed => "sealed",
            SealStatus::Extended => "extended",
            SealStatus::Resealed => "resealed",
            SealStatus::Unchanged => "unchanged",
            SealStatus::Moved => "moved",
        }
    }
}

/// One sealed file, for the `seal` report.
#[derive(Debug, Serialize)]
pub struct Sealed {
    pub path: String,
    pub manifest: String,
    pub status: SealStatus,
    pub lines: u64,
    /// The lines the manifest before covered (`null` without one).
    pub lines_before: Option<u64>,
    pub checkpoints: usize,
    pub sequence: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    /// Where the manifest was before, when it moved with its file (a
    /// rotation renamed the file since it was sealed).
    pub moved_from: Option<String>,
}

impl Sealed {
    /// `file`'s row, its manifest `m` at `target`; `before` is the lines of
    /// the manifest it had (`None`: none).
    fn of(
        file: &Path,
        target: &Path,
        m: &Manifest,
        before: Option<u64>,
        status: SealStatus,
        moved_from: Option<String>,
    ) -> Sealed {
        Sealed {
            path: file.display().to_string(),
            manifest: target.display().to_string(),
            status,
            lines: m.lines,
            lines_before: before,
            checkpoints: m.checkpoints.len(),
            sequence: m.sequence,
            first_event: m.first_event.clone(),
            last_event: m.last_event.clone(),
            moved_from,
        }
    }
}

/// The `seal` JSON document.
#[derive(Debug, Serialize)]
pub struct SealReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub sealed: Vec<Sealed>,
}

/// A manifest `file` has already, checked before `seal` replaces it: it
/// must be one, signed with this key, for this file, and describe the
/// file's first lines as they are now. Anything else is evidence (of
/// damage, or of a file renamed by rotation) and is kept: `Err` says why.
fn prior_seal(
    file: &Path,
    mpath: &Path,
    key: &VerifyingKey,
    scan: &ScanOptions,
) -> anyhow::Result<(Manifest, Vec<u8>, u64)> {
    let (file_text, mpath_text) = (file.display(), mpath.display());
    let keep = "it is kept; move it away to seal the file anew";
    let (manifest, bytes) = read_manifest(mpath).map_err(|e| anyhow::anyhow!("{mpath_text}: {e}: {keep}"))?;
    if !manifest.verify(key) {
        anyhow::bail!("{mpath_text}: not signed with this key (signed with another, or edited since): {keep}");
    }
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if !signed_for(&manifest.file, &name) && !input::renamed_by_rotation(&manifest.file, &name) {
        anyhow::bail!(
            "{mpath_text} was signed for a file named '{}', not '{name}' (another file's manifest, or a file \
             renamed other than by rotation: `verify --manifest` maps it): {keep}",
            manifest.file.escape_debug()
        );
    }
    let check = check_content(&manifest, &mut |cuts| digest_file(file, cuts, scan))
        .map_err(|e| anyhow::anyhow!("{file_text}: {e}"))?;
    if let Some(b) = check.breaks.first() {
        let more = check.breaks.len() - 1;
        anyhow::bail!(
            "{file_text} no longer matches {mpath_text} (line {}: {}{}): the manifest is kept as evidence \
             (`fsaudit verify --pubkey` shows the damage); move it away to seal the file as it is now",
            b.line,
            b.detail,
            if more > 0 { format!(", and {more} more") } else { String::new() }
        );
    }
    Ok((manifest, bytes, check.tail))
}

/// A manifest beside `manifest` that links to the manifest whose SHA-256
/// is `digest` (the next file of its series), unless it is one of
/// `resealed` (the manifests of the files sealed again in the same call,
/// and linked anew).
fn linked_to(manifest: &Path, digest: &str, resealed: &[PathBuf]) -> Option<PathBuf> {
    let dir = manifest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".seal.json") && !input::same_file(p, manifest))
        .filter(|p| read_manifest(p).is_ok_and(|(m, _)| m.previous_manifest_sha256.as_deref() == Some(digest)))
        .find(|p| !resealed.iter().any(|m| input::same_file(m, p)))
}

/// Whether `manifest` is the manifest of a file rotated away (deleted at
/// the end of a numbered series): signed with `key`, its file's first
/// lines in no file of the series, linked to by the manifest of one that
/// is (so its digest lives on in that link), and every file of the series
/// up to the newest sealed one paired with a manifest (a file whose first
/// lines were changed has none, and its manifest is evidence).
fn rotated_away(manifest: &Path, key: &VerifyingKey, series: &[(PathBuf, Pairing)]) -> bool {
    let Ok((m, bytes)) = read_manifest(manifest) else { return false };
    let digest = sha256_hex(&bytes);
    let paired = || series.iter().filter_map(|(_, p)| p.manifest());
    let describes_one = paired().any(|p| input::same_file(p, manifest));
    let linked = paired().any(|p| {
        read_manifest(p).is_ok_and(|(next, _)| next.previous_manifest_sha256.as_deref() == Some(digest.as_str()))
    });
    let newest = series.iter().rposition(|(_, p)| p.manifest().is_some()).unwrap_or(0);
    let all_paired = series[..newest].iter().all(|(_, p)| p.manifest().is_some());
    m.verify(key) && !describes_one && linked && all_paired
}

/// Lines between checkpoints when `seal` is not told and no manifest says.
pub const DEFAULT_EVERY: u64 = 10_000;

/// Seals `files` in the order given (oldest first), each manifest linking to
/// the one before (the first to `after`, when given). The logs are only read.
///
/// A file sealed before keeps its manifest when nothing was appended since
/// and its place in the series is the same; a file that grew is sealed
/// again in the same place (its sequence number and link kept, unless an
/// earlier file or `after` gives it one), so sealing again covers an
/// unsealed tail without breaking the series. A file a rotation renamed
/// since it was sealed takes its manifest along (paired by its first
/// lines: [`rotation::pair_all`]). A manifest that does not describe its
/// file as it is now is never replaced (`prior_seal`), nor one a file not
/// sealed in this call still needs.
pub fn seal(
    files: &[PathBuf],
    key: &SigningKey,
    every: Option<u64>,
    after: Option<&Path>,
    scan: &ScanOptions,
) -> anyhow::Result<SealReport> {
    let mut previous: Option<(u64, Vec<u8>)> = match after {
        None => None,
        Some(p) => {
            let (m, bytes) = read_manifest(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Some((m.sequence, bytes))
        }
    };
    let parser = LineParser::new(SchemaMode::Auto);
    let vkey = key.verifying_key();
    // each file's manifest, and those a rotation left under younger names
    let all = rotation::pair_all(files, &vkey);
    let pairing = |file: &Path| rotation::pairing(&all, file);
    let in_run = |p: &Path| files.iter().any(|f| input::same_file(f, p));
    let run_manifests: Vec<PathBuf> =
        files.iter().filter_map(|f| pairing(f).manifest().map(Path::to_path_buf)).collect();
    let mut sealed = Vec::new();
    // every manifest is written only once all are made: an interrupted seal
    // writes none; manifests moved with their files are removed after
    let mut pending = Vec::new();
    let mut moved = Vec::new();
    for file in files {
        let size = std::fs::metadata(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?.len();
        let target = manifest_path(file);
        // the manifest found, what it said, and where it moves from when a rotation renamed the file
        let (found, prior, moved_from) = match pairing(file) {
            Pairing::Own(p) => {
                let prior = if p.exists() { Some(prior_seal(file, &p, &vkey, scan)?) } else { None };
                (p, prior, None)
            }
            Pairing::Renamed(p) => {
                let prior = prior_seal(file, &p, &vkey, scan)?;
                // the manifest under the file's name now: moved on in this run, or
                // one of a file rotated away that a later manifest links to
                let own = find_manifest(file);
                let series = rotation::place(&all, file).map(|(s, _)| s.as_slice()).unwrap_or_default();
                if own.exists() && !input::same_file(&own, &p) {
                    match rotation::claimed_by(series, &own) {
                        Some(by) if in_run(by) => {}
                        Some(by) => anyhow::bail!(
                            "{}: its manifest is left at {} and {} describes {}: seal {} too (or the directory), so \
                             that each manifest moves with its file",
                            file.display(),
                            p.display(),
                            own.display(),
                            by.display(),
                            by.display()
                        ),
                        None if rotated_away(&own, &vkey, series) => {}
                        None => anyhow::bail!(
                            "{}: its manifest is left at {}, and {} describes no file of its series that a manifest \
                             after it vouches for: it is kept as evidence; move it away to move the manifest",
                            file.display(),
                            p.display(),
                            own.display()
                        ),
                    }
                }
                moved.push(p.clone());
                let from = p.display().to_string();
                (p, Some(prior), Some(from))
            }
            Pairing::Taken { own, by } => {
                if !in_run(&by) {
                    anyhow::bail!(
                        "{}: {} describes {}, which held this name before a rotation renamed it: seal {} too (or the \
                         directory), so that its manifest moves with it",
                        file.display(),
                        own.display(),
                        by.display(),
                        by.display()
                    );
                }
                (own, None, None)
            }
        };
        // the place in the series: after the file before, else where it was
        let (sequence, link) = match (&previous, &prior) {
            (Some((s, bytes)), _) => (s + 1, Some(sha256_hex(bytes))),
            (None, Some((m, _, _))) => (m.sequence, m.previous_manifest_sha256.clone()),
            (None, None) => (1, None),
        };
        // the interval asked for, else the one the file was sealed with
        let every = every.or(prior.as_ref().map(|(m, _, _)| m.checkpoint_every)).unwrap_or(DEFAULT_EVERY);
        if let Some((m, bytes, 0)) = &prior
            && m.sequence == sequence
            && m.previous_manifest_sha256 == link
            && m.checkpoint_every == every
        {
            // kept as it was: where it is, or moved to the file's name
            let (place, status) = match moved_from {
                Some(_) => {
                    pending.push((target.clone(), bytes.clone()));
                    (&target, SealStatus::Moved)
                }
                None => (&found, SealStatus::Unchanged),
            };
            sealed.push(Sealed::of(file, place, m, Some(m.lines), status, moved_from));
            previous = Some((sequence, bytes.clone()));
            continue;
        }
        if let Some((_, bytes, _)) = &prior
            && let Some(next) = linked_to(&found, &sha256_hex(bytes), &run_manifests)
        {
            anyhow::bail!(
                "{}: sealing it again would break the link of {} (the next file's manifest) to its manifest: \
                 seal it together with the files after it, or leave it as it was sealed",
                file.display(),
                next.display()
            );
        }
        let input = Input::File(file.clone());
        let event_time = |line: &[u8], times: &mut TimeRange| {
            let mut scratch = Vec::new();
            if let Some(t) = parser.parse(line, &mut scratch).ok().and_then(|ev| ev.time) {
                times.observe(t);
            }
        };
        let (digested, times) = digest_input(&input, Cuts::Every(every), scan, event_time)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let mut manifest = Manifest {
            format: FORMAT.to_owned(),
            file: file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            size,
            lines: digested.lines,
            first_event: times.first_text(),
            last_event: times.last_text(),
            checkpoint_every: every,
            checkpoints: checkpoints(&digested.segments),
            sequence,
            previous_manifest_sha256: link,
            sealed_at: crate::time::format_millis(crate::time::now()),
            public_key: String::new(),
            signature: None,
        };
        manifest.sign(key);
        let bytes = manifest.to_bytes();
        pending.push((target.clone(), bytes.clone()));
        let before = prior.as_ref().map(|(m, _, _)| m.lines);
        let status = match before {
            None => SealStatus::Sealed,
            Some(b) if manifest.lines > b => SealStatus::Extended,
            Some(_) => SealStatus::Resealed,
        };
        sealed.push(Sealed::of(file, &target, &manifest, before, status, moved_from));
        previous = Some((manifest.sequence, bytes));
    }
    if crate::engine::interrupted() {
        anyhow::bail!("interrupted");
    }
    for (target, bytes) in &pending {
        write_atomically(target, bytes)?;
    }
    // a manifest moved with its file leaves its old place, unless written there anew
    for from in moved.iter().filter(|m| !pending.iter().any(|(t, _)| input::same_file(t, m))) {
        std::fs::remove_file(from).map_err(|e| anyhow::anyhow!("{}: {e}", from.display()))?;
    }
    Ok(SealReport { schema_version: SCHEMA_VERSION, command: "seal", sealed })
}
