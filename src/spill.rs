//! Out-of-core aggregation: when the heap passes `--memory-limit`, a
//! worker writes its per-key state to a temporary file, split by a hash of
//! each key into [`PARTS`] partitions, and starts afresh. After the scan the
//! state left in memory is written the same way, and the report reads the
//! partitions back one at a time, merging every run's share of it: each
//! key's whole state is then in memory, but only one partition's keys at
//! once (the grace-hash aggregation of databases that run out of memory).
//! Merges are exact, so the results are those of the run in memory.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::engine::Accumulator;

/// Partitions of spilled state: a report in memory holds 1/256 of it.
pub const PARTS: usize = 256;

/// State that can be split by key partition.
pub trait Split: Sized {
    /// The state divided by [`crate::stats::keyed::partition`] of each key,
    /// `parts` pieces; state that belongs to no key goes with the first
    /// piece (counted once) or with every piece (when merging it twice
    /// changes nothing, as a time range).
    fn split(self, parts: usize) -> Vec<Self>;
    /// An empty state with the same settings.
    fn empty(&self) -> Self;
}

/// [`Accumulator::spill_parts`] for serde state.
pub fn spill_parts<T: Split + Serialize>(acc: &mut T, parts: usize) -> Vec<Vec<u8>> {
    let full = std::mem::replace(acc, acc.empty());
    full.split(parts).iter().map(|p| postcard::to_stdvec(p).expect("state serialises")).collect()
}

/// [`Accumulator::load_part`] for serde state.
pub fn load_part<T: Accumulator + DeserializeOwned>(acc: &mut T, bytes: &[u8]) -> anyhow::Result<()> {
    let part: T = postcard::from_bytes(bytes).context("a spill file is corrupt")?;
    acc.merge(part);
    Ok(())
}

/// The spill methods of [`Accumulator`] (and its in-memory split) for state that is
/// [`Split`], `Serialize` and `Deserialize`: used inside its `impl Accumulator`.
macro_rules! by_serde {
    () => {
        fn can_spill(&self) -> bool {
            true
        }

        fn spill_parts(&mut self, parts: usize) -> Vec<Vec<u8>> {
            $crate::spill::spill_parts(self, parts)
        }

        fn load_part(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
            $crate::spill::load_part(self, bytes)
        }

        fn split_by_key(self, parts: usize) -> Result<Vec<Self>, Self> {
            Ok($crate::spill::Split::split(self, parts))
        }
    };
}
pub(crate) use by_serde;

/// One spill: a file of [`PARTS`] blobs and where each starts.
#[derive(Debug)]
struct Run {
    path: PathBuf,
    offsets: Vec<u64>,
}

/// The temporary files of one scan.
#[derive(Debug)]
pub struct Spill {
    limit: u64,
    dir: Mutex<Option<tempfile::TempDir>>,
    runs: Mutex<Vec<Run>>,
    next: AtomicUsize,
    bytes: AtomicUsize,
}

impl Spill {
    pub fn new(limit: u64) -> Self {
        Spill {
            limit,
            dir: Mutex::new(None),
            runs: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
        }
    }

    /// The budget in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// True when the heap holds more than the budget.
    pub fn over(&self) -> bool {
        crate::memory::live() > self.limit
    }

    /// Runs written so far.
    pub fn runs(&self) -> usize {
        self.runs.lock().expect("not poisoned").len()
    }

    /// Bytes written to spill files so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed) as u64
    }

    /// Writes one run of partitions.
    pub fn write(&self, parts: Vec<Vec<u8>>) -> anyhow::Result<()> {
        let path = {
            let mut dir = self.dir.lock().expect("not poisoned");
            if dir.is_none() {
                let d = tempfile::Builder::new().prefix("fsaudit-spill-").tempdir().with_context(|| {
                    format!("cannot create a spill directory in {}", std::env::temp_dir().display())
                })?;
                *dir = Some(d);
            }
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            dir.as_ref().expect("created above").path().join(format!("run-{n}"))
        };
        let file = File::create(&path).with_context(|| format!("{}: cannot write spill file", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let mut offsets = Vec::with_capacity(parts.len() + 1);
        let mut at = 0u64;
        for p in &parts {
            offsets.push(at);
            out.write_all(p).with_context(|| format!("{}: cannot write spill file", path.display()))?;
            at += p.len() as u64;
        }
        offsets.push(at);
        out.flush().with_context(|| format!("{}: cannot write spill file", path.display()))?;
        self.bytes.fetch_add(at as usize, Ordering::Relaxed);
        self.runs.lock().expect("not poisoned").push(Run { path, offsets });
        Ok(())
    }

    /// Merges partition `p` of every run into `acc`.
    pub fn load<A: Accumulator>(&self, p: usize, acc: &mut A) -> anyhow::Result<()> {
        for run in 0..self.runs() {
            let buf = self.read(run, p)?;
            if !buf.is_empty() {
                acc.load_part(&buf)?;
            }
        }
        Ok(())
    }

    /// Partition `p` of run number `run` (runs are numbered as written).
    pub fn read(&self, run: usize, p: usize) -> anyhow::Result<Vec<u8>> {
        let runs = self.runs.lock().expect("not poisoned");
        let run = &runs[run];
        let (from, to) = (run.offsets[p], run.offsets[p + 1]);
        let mut buf = Vec::new();
        if from == to {
            return Ok(buf);
        }
        let mut f = File::open(&run.path).with_context(|| format!("{}: cannot read", run.path.display()))?;
        f.seek(SeekFrom::Start(from))?;
        f.take(to - from).read_to_end(&mut buf)?;
        Ok(buf)
    }
}

/// Two blobs in one: the first's length, then both.
pub fn pair(a: Vec<u8>, b: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + a.len() + b.len());
    out.extend_from_slice(&(a.len() as u64).to_le_bytes());
    out.extend_from_slice(&a);
    out.extend_from_slice(&b);
    out
}

/// The two blobs of [`pair`].
pub fn unpair(bytes: &[u8]) -> anyhow::Result<(&[u8], &[u8])> {
    let corrupt = || anyhow::anyhow!("a spill file is corrupt");
    let len = u64::from_le_bytes(bytes.get(..8).ok_or_else(corrupt)?.try_into().expect("8 bytes")) as usize;
    let rest = &bytes[8..];
    if len > rest.len() {
        return Err(corrupt());
    }
    Ok(rest.split_at(len))
}
