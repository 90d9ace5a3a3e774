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
use crate::integrity::chain::{BreakKind, ChainChunk, check_chunk, link_detail};
use crate::integrity::seal::{
    Cuts, FORMAT, Manifest, check_content, checkpoints, digest, manifest_path, read_manifest, sha256_hex,
    write_atomically,
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
}

/// The `verify` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub intact: bool,
    pub entries: u64,
    pub verified: u64,
    pub unsealed: u64,
    pub breaks: Vec<Break>,
    pub unsealed_tails: Vec<UnsealedTail>,
    pub files: Vec<FileVerdict>,
}

/// Checks the per-entry chain across `inputs` (one chain, in the order given).
fn verify_chains(
    inputs: &[Input],
    opts: &ScanOptions,
    progress: &ProgressBar,
    require: bool,
) -> anyhow::Result<(Vec<ChainTotals>, Vec<Break>, Vec<String>)> {
    let mapped = map_chunks(inputs, opts, progress, |chunk| check_chunk(chunk, require))?;
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
        let ChainChunk { lines, entries, verified, without, breaks: chunk_breaks, head, tail: chunk_tail } = c;
        let t = &mut totals[input];
        t.entries += entries;
        t.verified += verified;
        t.without += without;
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
                    &p[..p.len().min(12)]
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
}

/// What the seal check of one file found.
pub struct SealVerdict {
    pub breaks: Vec<Break>,
    signed: bool,
    sealed_lines: u64,
    verified: u64,
    tail: Option<UnsealedTail>,
}

fn reopen(path: &Path) -> impl FnMut() -> std::io::Result<Box<dyn std::io::Read + Send>> + '_ {
    move || input::open(&Input::File(path.to_owned()), &ProgressBar::hidden()).map(|o| o.reader)
}

/// Checks the manifests of `files` (oldest first) with `key`: signatures,
/// links between them, and each file's content.
pub fn verify_seals(files: &[PathBuf], key: &VerifyingKey) -> (Vec<SealVerdict>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut previous: Option<(Manifest, Vec<u8>, String)> = None;
    for file in files {
        let path = file.display().to_string();
        let mut v = SealVerdict { breaks: Vec::new(), signed: false, sealed_lines: 0, verified: 0, tail: None };
        let mut broken =
            |line: Option<u64>, kind, detail: String| v.breaks.push(Break { path: path.clone(), line, kind, detail });
        let mpath = manifest_path(file);
        let (manifest, bytes) = match read_manifest(&mpath) {
            Ok(m) => m,
            Err(e) if !mpath.exists() => {
                broken(None, BreakKind::MissingManifest, format!("{}: {e}", mpath.display()));
                out.push(v);
                previous = None;
                continue;
            }
            Err(e) => {
                broken(None, BreakKind::ManifestInvalid, format!("{}: {e}", mpath.display()));
                out.push(v);
                previous = None;
                continue;
            }
        };
        v.sealed_lines = manifest.lines;
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
        if let Some((prev, prev_bytes, prev_path)) = &previous {
            if manifest.previous_manifest_sha256.as_deref() != Some(sha256_hex(prev_bytes).as_str()) {
                let skipped = manifest.sequence.saturating_sub(prev.sequence + 1);
                if manifest.sequence > prev.sequence + 1 {
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
                } else {
                    broken(
                        None,
                        BreakKind::ChainBreak,
                        format!("the manifest does not link to the manifest of {prev_path}, the file before it"),
                    );
                }
            }
        }
        if v.signed {
            let mut open = reopen(file);
            match check_content(&manifest, &mut open) {
                Ok(check) => {
                    v.verified = check.verified;
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
        }
        previous = Some((manifest, bytes, path.clone()));
        out.push(v);
    }
    (out, errors)
}

/// Runs `verify` over `inputs`; with `key`, also checks their seal manifests.
pub fn verify(
    inputs: &[Input],
    opts: &ScanOptions,
    progress: &ProgressBar,
    require: bool,
    key: Option<&VerifyingKey>,
) -> anyhow::Result<(VerifyReport, Vec<String>)> {
    let paths: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p.clone()),
            Input::Stdin => None,
        })
        .collect();
    // the manifests' content check reads each file on its own thread while
    // the workers check the per-entry chains
    let (chained, sealed) = std::thread::scope(|s| {
        let seals = key.map(|key| s.spawn(|| verify_seals(&paths, key)));
        let chained = verify_chains(inputs, opts, progress, require);
        (chained, seals.map(|h| h.join().expect("seal thread")))
    });
    let (chains, mut breaks, mut errors) = chained?;
    let mut tails = Vec::new();
    let mut files: Vec<FileVerdict> = inputs
        .iter()
        .zip(&chains)
        .map(|(i, c)| FileVerdict {
            path: i.display(),
            entries: c.entries,
            verified: c.verified,
            unsealed: c.without,
            sealed_lines: None,
            intact: true,
        })
        .collect();
    if let Some((seals, seal_errors)) = sealed {
        if paths.len() != inputs.len() {
            errors.push("<stdin>: seal manifests are checked for files only".into());
        }
        errors.extend(seal_errors);
        for (file, seal) in files.iter_mut().filter(|f| f.path != "<stdin>").zip(seals) {
            file.sealed_lines = Some(seal.sealed_lines);
            if seal.signed {
                // what the manifest vouches for replaces what the chain could not
                file.verified = file.verified.max(seal.verified);
                file.unsealed = seal.tail.as_ref().map_or(0, |t| t.lines);
            }
            breaks.extend(seal.breaks);
            tails.extend(seal.tail);
        }
    }
    for f in &mut files {
        f.intact = !breaks.iter().any(|b| b.path == f.path);
    }
    let report = VerifyReport {
        schema_version: SCHEMA_VERSION,
        command: "verify",
        intact: breaks.is_empty(),
        entries: files.iter().map(|f| f.entries).sum(),
        verified: files.iter().map(|f| f.verified).sum(),
        unsealed: files.iter().map(|f| f.unsealed).sum(),
        breaks,
        unsealed_tails: tails,
        files,
    };
    Ok((report, errors))
}

/// One sealed file, for the `seal` report.
#[derive(Debug, Serialize)]
pub struct Sealed {
    pub path: String,
    pub manifest: String,
    pub lines: u64,
    pub checkpoints: usize,
    pub sequence: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
}

/// The `seal` JSON document.
#[derive(Debug, Serialize)]
pub struct SealReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub sealed: Vec<Sealed>,
}

/// Seals `files` in the order given (oldest first), each manifest linking to
/// the one before (the first to `after`, when given). The logs are only read.
pub fn seal(files: &[PathBuf], key: &SigningKey, every: u64, after: Option<&Path>) -> anyhow::Result<SealReport> {
    let mut previous: Option<(u64, Vec<u8>)> = match after {
        None => None,
        Some(p) => {
            let (m, bytes) = read_manifest(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Some((m.sequence, bytes))
        }
    };
    let parser = LineParser::new(SchemaMode::Auto);
    let mut sealed = Vec::new();
    for file in files {
        let size = std::fs::metadata(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?.len();
        let mut reader = input::open(&Input::File(file.clone()), &ProgressBar::hidden())
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
            .reader;
        let mut times = TimeRange::default();
        let digested = digest(&mut *reader, Cuts::Every(every), |line| {
            if let Some(t) = parser.parse(line).ok().and_then(|ev| ev.time) {
                times.observe(t);
            }
        })
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
            sequence: previous.as_ref().map_or(0, |(s, _)| s + 1),
            previous_manifest_sha256: previous.as_ref().map(|(_, b)| sha256_hex(b)),
            sealed_at: crate::time::format_millis(crate::time::now()),
            public_key: String::new(),
            signature: None,
        };
        manifest.sign(key);
        let bytes = manifest.to_bytes();
        let target = manifest_path(file);
        write_atomically(&target, &bytes)?;
        sealed.push(Sealed {
            path: file.display().to_string(),
            manifest: target.display().to_string(),
            lines: manifest.lines,
            checkpoints: manifest.checkpoints.len(),
            sequence: manifest.sequence,
            first_event: manifest.first_event.clone(),
            last_event: manifest.last_event.clone(),
        });
        previous = Some((manifest.sequence, bytes));
    }
    Ok(SealReport { schema_version: SCHEMA_VERSION, command: "seal", sealed })
}
