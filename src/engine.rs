//! The scan: inputs → chunks (reader thread, which also decompresses) →
//! events (rayon workers, each folding its own accumulator) → one merged
//! accumulator plus per-input counts and the first malformed lines.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use indicatif::ProgressBar;
use serde::Serialize;

use crate::event::Event;
use crate::filter::Filter;
use crate::input::ranges::FileRange;
use crate::input::{self, Chunk, ChunkKind, Chunker, Input};
use crate::schema::LineParser;
use crate::stats::TimeRange;
use crate::stats::latency::acceptable;

mod hashes;
use hashes::HashPages;

/// State a report folds events into. `merge` must be exact and commutative:
/// results may not depend on how the input was split between workers.
pub trait Accumulator: Send + Sized {
    fn observe(&mut self, ev: &Event<'_>);

    /// [`Self::observe`], for the state that also needs the line the event
    /// was read from (the detectors tell repeated identical lines apart).
    fn observe_line(&mut self, ev: &Event<'_>, _line: &[u8]) {
        self.observe(ev);
    }
    fn merge(&mut self, other: Self);

    /// True when the state can be spilled ([`crate::spill`]).
    fn can_spill(&self) -> bool {
        false
    }

    /// The state split into `parts` partitions by key and serialised, one
    /// blob per partition, leaving `self` empty (only when [`Self::can_spill`]).
    fn spill_parts(&mut self, _parts: usize) -> Vec<Vec<u8>> {
        unreachable!("spill_parts of an accumulator that cannot spill")
    }

    /// True when [`Self::spill_parts`] splits by key, so that partition
    /// `p` of every spill run holds the same keys (a timeline splits by time).
    fn parts_by_key(&self) -> bool {
        true
    }

    /// Merges one partition written by [`Self::spill_parts`].
    fn load_part(&mut self, _bytes: &[u8]) -> anyhow::Result<()> {
        unreachable!("load_part of an accumulator that cannot spill")
    }

    /// The state split into `parts` partitions by key (a power of two), as
    /// [`Self::spill_parts`] splits it but kept in memory, so that the
    /// workers' states can be merged partition by partition on several
    /// threads; the state itself back when it cannot be split.
    fn split_by_key(self, _parts: usize) -> Result<Vec<Self>, Self> {
        Err(self)
    }

    /// A copy of the state in `empty`, for a report while the scan goes on
    /// (`--follow`): by default through its serialised form
    /// ([`Self::spill_parts`], then [`Self::load_part`] into both); `None`
    /// when it cannot be copied.
    fn copy_into(&mut self, mut empty: Self) -> Option<Self> {
        if !self.can_spill() {
            return None;
        }
        for part in self.spill_parts(1) {
            self.load_part(&part).ok()?;
            empty.load_part(&part).ok()?;
        }
        Some(empty)
    }
}

/// Set by the Ctrl-C handler: readers stop, and the run ends with exit 130.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks every running scan to stop reading (SIGINT).
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// True once [`interrupt`] was called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// No state: for scans that only count (and find the time range).
impl Accumulator for () {
    fn observe(&mut self, _: &Event<'_>) {}
    fn merge(&mut self, _: Self) {}
}

/// An accumulator a run may or may not need.
impl<A: Accumulator> Accumulator for Option<A> {
    fn observe(&mut self, ev: &Event<'_>) {
        if let Some(a) = self {
            a.observe(ev);
        }
    }

    fn observe_line(&mut self, ev: &Event<'_>, line: &[u8]) {
        if let Some(a) = self {
            a.observe_line(ev, line);
        }
    }

    fn merge(&mut self, o: Self) {
        match (self.as_mut(), o) {
            (Some(a), Some(b)) => a.merge(b),
            (None, b) => *self = b,
            _ => {}
        }
    }

    fn can_spill(&self) -> bool {
        self.as_ref().is_none_or(A::can_spill)
    }

    /// A tag byte (0 for none, 1 for some), then the state's part.
    fn spill_parts(&mut self, parts: usize) -> Vec<Vec<u8>> {
        match self {
            None => vec![vec![0]; parts],
            Some(a) => a
                .spill_parts(parts)
                .into_iter()
                .map(|p| {
                    let mut tagged = Vec::with_capacity(p.len() + 1);
                    tagged.push(1);
                    tagged.extend_from_slice(&p);
                    tagged
                })
                .collect(),
        }
    }

    fn load_part(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        match (bytes.split_first(), self) {
            (Some((0, _)), _) => Ok(()),
            (Some((1, part)), Some(a)) => a.load_part(part),
            _ => Err(anyhow::anyhow!("a spill file is corrupt")),
        }
    }

    fn split_by_key(self, parts: usize) -> Result<Vec<Self>, Self> {
        match self {
            None => Ok((0..parts).map(|_| None).collect()),
            Some(a) => a.split_by_key(parts).map(|v| v.into_iter().map(Some).collect()).map_err(Some),
        }
    }
}

/// Two accumulators fed the same events, for reports that need both.
impl<A: Accumulator, B: Accumulator> Accumulator for (A, B) {
    fn observe(&mut self, ev: &Event<'_>) {
        self.0.observe(ev);
        self.1.observe(ev);
    }

    fn observe_line(&mut self, ev: &Event<'_>, line: &[u8]) {
        self.0.observe_line(ev, line);
        self.1.observe_line(ev, line);
    }

    fn merge(&mut self, o: Self) {
        self.0.merge(o.0);
        self.1.merge(o.1);
    }

    fn can_spill(&self) -> bool {
        self.0.can_spill() && self.1.can_spill()
    }

    fn spill_parts(&mut self, parts: usize) -> Vec<Vec<u8>> {
        let a = self.0.spill_parts(parts);
        let b = self.1.spill_parts(parts);
        a.into_iter().zip(b).map(|(a, b)| crate::spill::pair(a, b)).collect()
    }

    fn load_part(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let (a, b) = crate::spill::unpair(bytes)?;
        self.0.load_part(a)?;
        self.1.load_part(b)
    }

    fn split_by_key(self, parts: usize) -> Result<Vec<Self>, Self> {
        match (self.0.split_by_key(parts), self.1.split_by_key(parts)) {
            (Ok(a), Ok(b)) => Ok(a.into_iter().zip(b).collect()),
            (a, b) => Err((whole(a), whole(b))),
        }
    }
}

/// `a` with `b` merged into it.
fn merged<A: Accumulator>(mut a: A, b: A) -> A {
    a.merge(b);
    a
}

/// A state back from [`Accumulator::split_by_key`], its parts merged again.
fn whole<A: Accumulator>(split: Result<Vec<A>, A>) -> A {
    match split {
        Err(a) => a,
        Ok(parts) => parts.into_iter().reduce(merged).expect("at least one part"),
    }
}

/// The workers' states merged into one. With three workers or more, states
/// that split by key are merged partition by partition on rayon's threads
/// (the merge of per-principal state is most of the time after the scan on
/// many cores), each partition's states pairwise as a tree; the rest one
/// after another.
fn merge_states<A: Accumulator>(states: Vec<A>, threads: usize) -> Option<A> {
    use rayon::prelude::*;
    // two states: one merge of the smaller into the larger, which also
    // needs no second copy of either while it runs (splitting does)
    if states.len() <= 2 || threads <= 1 {
        return states.into_iter().reduce(merged);
    }
    let parts = (threads * 2).next_power_of_two().min(256);
    let split: Vec<Result<Vec<A>, A>> = states.into_par_iter().map(|a| a.split_by_key(parts)).collect();
    if split.iter().any(Result::is_err) {
        return split.into_iter().map(whole).reduce(merged);
    }
    let mut by_part: Vec<Vec<A>> = (0..parts).map(|_| Vec::new()).collect();
    for state in split.into_iter().flatten() {
        for (i, part) in state.into_iter().enumerate() {
            by_part[i].push(part);
        }
    }
    // as a tree, the partition that also holds the state no key owns (a
    // latency list, say) merges in log2(workers) steps, not one after another
    let done: Vec<A> =
        by_part.into_par_iter().filter_map(|states| states.into_par_iter().reduce_with(merged)).collect();
    // the partitions hold different keys: this last merge only moves them
    done.into_iter().reduce(merged)
}

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub threads: usize,
    /// Target chunk size in bytes.
    pub buffer_size: usize,
    /// Longest line kept; longer lines are malformed.
    pub max_line: usize,
    /// Stop at the first malformed line.
    pub strict: bool,
    /// How many malformed lines to keep for reporting.
    pub samples: usize,
    /// Analyse each distinct line once (`--dedup`).
    pub dedup: bool,
    /// Count lines that occur more than once (`summary` always does).
    pub count_duplicates: bool,
    /// With `count_duplicates`, keep the distinct lines' hashes in the
    /// scan (for `--save-state`: duplicates across saved states are counted
    /// when they are merged).
    pub keep_line_hashes: bool,
    /// Heap bytes past which per-key state is spilled (`--memory-limit`).
    pub memory_limit: Option<u64>,
    /// The envelope expected around lines: chunks never cut a container
    /// record split into pieces.
    pub envelope: crate::schema::Envelope,
    /// Follow the input files as they grow, like `tail -F` (`--follow`).
    pub follow: bool,
    /// Map the ranges of plain files instead of reading them (`--mmap`).
    pub mmap: bool,
}

/// The 64-bit hashes of the lines seen so far, sharded so that workers
/// rarely wait for each other. Two different lines collide with odds of
/// about n²/2⁶⁵ for n distinct lines (≈ 10⁻⁷ for 2 million lines).
pub struct LineSet {
    shards: Vec<Mutex<rustc_hash::FxHashSet<u64>>>,
}

const LINE_SET_SHARDS: usize = 64;

/// The 64-bit hash by which lines are compared: XXH3-64 (seed 0), the
/// implementation that picks AVX2 at run time where the processor has it.
pub(crate) fn line_hash(line: &[u8]) -> u64 {
    twox_hash::XxHash3_64::oneshot(line)
}

impl LineSet {
    fn new() -> Self {
        LineSet { shards: (0..LINE_SET_SHARDS).map(|_| Mutex::default()).collect() }
    }

    /// True when the line was not seen before.
    fn insert(&self, line: &[u8]) -> bool {
        let h = line_hash(line);
        // the low bits pick the shard; the set hashes the whole value again
        self.shards[(h as usize) % LINE_SET_SHARDS].lock().expect("line set lock").insert(h)
    }
}

/// Counts of one input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputReport {
    pub path: String,
    /// Raw bytes read (compressed size for compressed inputs).
    pub bytes: u64,
    /// Lines read, blank lines included.
    pub lines: u64,
    /// Well-formed events.
    pub scanned: u64,
    /// Events that passed the filters.
    pub events: u64,
    pub malformed: u64,
    #[serde(skip)]
    pub blank: u64,
    /// Latencies rejected (negative, non-finite, over a day) of events that passed the filters.
    #[serde(skip)]
    pub rejected_latencies: u64,
}

/// A malformed line, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedLine {
    pub path: String,
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for MalformedLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", crate::render::safe(&self.path), self.line, crate::render::safe(&self.reason))
    }
}

/// The result of a scan.
#[derive(Debug)]
pub struct Scan<A> {
    pub acc: A,
    pub inputs: Vec<InputReport>,
    /// The first malformed lines in input order (at most `samples`).
    pub malformed_lines: Vec<MalformedLine>,
    /// Inputs that could not be opened or read to the end, as `path: reason`.
    pub errors: Vec<String>,
    /// Where the first rejected latency is, and its value.
    pub first_rejected_latency: Option<MalformedLine>,
    /// Lines that repeat an earlier line byte for byte (counted with
    /// `count_duplicates` or `dedup`; skipped with `dedup`).
    pub duplicate_lines: u64,
    /// Time range of every well-formed event, before the filters.
    pub scanned_range: TimeRange,
    /// Where the state went when it outgrew `--memory-limit`: then `acc`
    /// is empty and the report reads the state back partition by partition.
    pub spill: Option<std::sync::Arc<crate::spill::Spill>>,
    /// The distinct lines' hashes, sorted (with [`ScanOptions::keep_line_hashes`]).
    pub line_hashes: Option<Vec<u64>>,
}

impl<A> Scan<A> {
    /// The same scan around another accumulator.
    pub fn with_acc<B>(self, acc: B) -> (Scan<B>, A) {
        let Scan {
            acc: old,
            inputs,
            malformed_lines,
            errors,
            first_rejected_latency,
            duplicate_lines,
            scanned_range,
            spill,
            line_hashes,
        } = self;
        (
            Scan {
                acc,
                inputs,
                malformed_lines,
                errors,
                first_rejected_latency,
                duplicate_lines,
                scanned_range,
                spill,
                line_hashes,
            },
            old,
        )
    }

    pub fn rejected_latencies(&self) -> u64 {
        self.inputs.iter().map(|i| i.rejected_latencies).sum()
    }

    pub fn scanned(&self) -> u64 {
        self.inputs.iter().map(|i| i.scanned).sum()
    }
    pub fn events(&self) -> u64 {
        self.inputs.iter().map(|i| i.events).sum()
    }
    pub fn malformed(&self) -> u64 {
        self.inputs.iter().map(|i| i.malformed).sum()
    }
}

#[derive(Debug, Clone)]
struct Sample {
    input: usize,
    chunk: u64,
    line_in_chunk: u64,
    reason: String,
}

/// One worker's state.
struct Worker<A> {
    acc: A,
    counts: Vec<InputReport>,
    /// (input, chunk index, lines in chunk), to number lines afterwards.
    chunk_lines: Vec<(usize, u64, u64)>,
    samples: Vec<Sample>,
    /// The earliest rejected latency this worker saw, by place.
    rejected: Option<Sample>,
    duplicates: u64,
    hashes: HashPages,
    range: TimeRange,
    /// Chunks since this worker last spilled its state.
    since_spill: u32,
    /// Chunks to read before spilling again: doubled when a spill frees
    /// little, because then the heap is full of something else.
    spill_every: u32,
    /// Buffers for joining split container records and decoding envelopes.
    reader: crate::schema::LineReader,
    scratch: Vec<u8>,
}

struct Shared<'a> {
    parser: &'a LineParser,
    filter: &'a Filter,
    opts: &'a ScanOptions,
    stop: &'a AtomicBool,
    lines: Option<LineSet>,
    spill: Option<&'a crate::spill::Spill>,
    /// The first error writing a spill file; the scan stops.
    spill_error: Mutex<Option<anyhow::Error>>,
}

/// Chunks a worker reads between two spills at least: when the heap stays
/// over the budget for other reasons (the line hashes of `--dedup`, say),
/// spilling a near-empty state after every chunk would only make files.
const CHUNKS_BETWEEN_SPILLS: u32 = 4;
/// The longest wait between spills, in chunks (2 GiB of input).
const MOST_CHUNKS_BETWEEN_SPILLS: u32 = 1024;

impl Sample {
    /// Where the line is: input, chunk, line in the chunk.
    fn place(&self) -> (usize, u64, u64) {
        (self.input, self.chunk, self.line_in_chunk)
    }
}

/// The earlier of two positions.
fn first_of(a: Option<Sample>, b: Option<Sample>) -> Option<Sample> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.place() < a.place() { b } else { a }),
        (a, b) => a.or(b),
    }
}

impl<A: Accumulator> Worker<A> {
    fn new(acc: A, inputs: usize, max_line: usize) -> Self {
        Worker {
            acc,
            counts: vec![InputReport::default(); inputs],
            chunk_lines: Vec::new(),
            samples: Vec::new(),
            rejected: None,
            duplicates: 0,
            hashes: HashPages::default(),
            range: TimeRange::default(),
            since_spill: CHUNKS_BETWEEN_SPILLS,
            spill_every: CHUNKS_BETWEEN_SPILLS,
            reader: crate::schema::LineReader::with_max_line(max_line),
            scratch: Vec::new(),
        }
    }

    fn malformed(&mut self, sh: &Shared<'_>, chunk: &Chunk, line_in_chunk: u64, reason: impl FnOnce() -> String) {
        self.counts[chunk.input].malformed += 1;
        // the earliest lines by place, in whatever order this worker reads
        // its chunks (a range taken from another's queue, a streamed chunk
        // before a queued range): the first ones it met were kept before
        let at = (chunk.input, chunk.index, line_in_chunk);
        let sample = || Sample { input: chunk.input, chunk: chunk.index, line_in_chunk, reason: reason() };
        if self.samples.len() < sh.opts.samples {
            self.samples.push(sample());
        } else if let Some(latest) = self.samples.iter_mut().max_by_key(|s| s.place())
            && at < latest.place()
        {
            *latest = sample();
        }
        if sh.opts.strict {
            sh.stop.store(true, Ordering::Relaxed);
        }
    }

    fn process(&mut self, sh: &Shared<'_>, chunk: &Chunk) {
        let lines = match chunk.kind {
            ChunkKind::Oversized { bytes } => {
                self.malformed(sh, chunk, 1, || too_long(bytes, sh.opts.max_line));
                1
            }
            ChunkKind::Lines => self.process_lines(sh, chunk),
        };
        self.counts[chunk.input].lines += lines;
        self.chunk_lines.push((chunk.input, chunk.index, lines));
        self.since_spill = self.since_spill.saturating_add(1);
        if let Some(spill) = sh.spill
            && self.since_spill >= self.spill_every
            && self.acc.can_spill()
            && spill.over()
        {
            self.since_spill = 0;
            let before = crate::memory::live();
            if let Err(e) = spill.write(self.acc.spill_parts(crate::spill::PARTS)) {
                sh.spill_error.lock().expect("not poisoned").get_or_insert(e);
                sh.stop.store(true, Ordering::Relaxed);
            }
            // a spill that freed less than an eighth of the budget waits twice as long next time
            let freed = before.saturating_sub(crate::memory::live());
            self.spill_every = if freed < spill.limit() / 8 {
                (self.spill_every * 2).min(MOST_CHUNKS_BETWEEN_SPILLS)
            } else {
                CHUNKS_BETWEEN_SPILLS
            };
        }
    }

    fn process_lines(&mut self, sh: &Shared<'_>, chunk: &Chunk) -> u64 {
        let mut reader = std::mem::take(&mut self.reader);
        let mut scratch = std::mem::take(&mut self.scratch);
        // without a filter every event is kept: asked once, not per line
        let filtering = sh.filter.is_active();
        let lines = sh.parser.each_line(&mut reader, chunk.bytes(), |line| {
            let n = line.number;
            if line.is_blank() {
                self.counts[chunk.input].blank += 1;
                return;
            }
            if line.content.len() > sh.opts.max_line {
                let bytes = line.content.len();
                self.malformed(sh, chunk, n, || too_long(bytes as u64, sh.opts.max_line));
                return;
            }
            if let Some(set) = &sh.lines {
                if !set.insert(line.content) {
                    self.duplicates += 1;
                    return;
                }
            } else if sh.opts.count_duplicates {
                self.hashes.push(line.content, sh.opts.threads);
            }
            // the event is looked at where it was returned, not moved
            match &mut line.parse(sh.parser, &mut scratch) {
                Ok(ev) => {
                    let c = &mut self.counts[chunk.input];
                    c.scanned += 1;
                    if let Some(t) = ev.time {
                        self.range.observe(t);
                    }
                    if !filtering || sh.filter.matches(ev) {
                        c.events += 1;
                        if let Some(l) = ev.latency_ms.filter(|l| !acceptable(*l)) {
                            ev.latency_ms = None;
                            c.rejected_latencies += 1;
                            let at = (chunk.input, chunk.index, n);
                            if self.rejected.as_ref().is_none_or(|r| at < r.place()) {
                                let shown = if l.abs() >= 1e15 { format!("{l:e}") } else { format!("{l}") };
                                let reason =
                                    format!("latency {shown} ms rejected (negative, non-finite or over a day)");
                                self.rejected =
                                    Some(Sample { input: chunk.input, chunk: chunk.index, line_in_chunk: n, reason });
                            }
                        }
                        self.acc.observe_line(ev, line.content);
                    }
                }
                Err(m) => self.malformed(sh, chunk, n, || std::mem::take(&mut m.0)),
            }
        });
        self.reader = reader;
        self.scratch = scratch;
        lines
    }

    fn merge(&mut self, other: Worker<A>) {
        self.acc.merge(other.acc);
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            a.lines += b.lines;
            a.scanned += b.scanned;
            a.events += b.events;
            a.malformed += b.malformed;
            a.blank += b.blank;
            a.rejected_latencies += b.rejected_latencies;
        }
        self.chunk_lines.extend(other.chunk_lines);
        self.samples.extend(other.samples);
        self.rejected = first_of(self.rejected.take(), other.rejected);
        self.duplicates += other.duplicates;
        self.hashes.merge(other.hashes);
        self.range.merge(&other.range);
    }
}

impl<A: Accumulator> Worker<A> {
    /// A copy of this worker's counts with a copy of its state (made by
    /// `make` and filled from the state's serialised form), for a report
    /// while the scan goes on (`--follow`).
    fn snapshot(&mut self, make: &impl Fn() -> A, max_line: usize) -> Worker<A> {
        let mut copy = Worker::new(make(), self.counts.len(), max_line);
        copy.acc = self.acc.copy_into(make()).expect("a followed state can be copied");
        copy.counts = self.counts.clone();
        copy.chunk_lines = self.chunk_lines.clone();
        copy.samples = self.samples.clone();
        copy.rejected = self.rejected.clone();
        copy.duplicates = self.duplicates;
        copy.hashes = self.hashes.clone();
        copy.range = self.range;
        copy
    }
}

/// When [`follow`] hands its caller a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Another interval passed; the input goes on.
    Interval,
    /// The input ended, or Ctrl-C stopped the run: the last report.
    End,
}

/// Set when a followed scan should end (its caller has its answer).
static STOP_FOLLOWING: AtomicBool = AtomicBool::new(false);

/// True once a followed scan was asked to end; followed inputs then end.
pub fn follow_stopped() -> bool {
    STOP_FOLLOWING.load(Ordering::Relaxed)
}

/// Scans inputs that go on growing (`--follow`, one file like `tail -F` or
/// standard input), folding every event into one state on this thread (a
/// live log arrives far slower than a core reads), and hands `tick` the
/// scan so far every `every`, and once more when the input ends or Ctrl-C
/// stops it. `tick` returns true to stop following. The state must be one
/// that can be copied ([`Accumulator::copy_into`]) for each report.
pub fn follow<A, F, T>(
    inputs: &[Input],
    parser: &LineParser,
    filter: &Filter,
    opts: &ScanOptions,
    make: F,
    every: std::time::Duration,
    mut tick: T,
) -> anyhow::Result<()>
where
    A: Accumulator,
    F: Fn() -> A,
    T: FnMut(Scan<A>, Tick) -> anyhow::Result<bool>,
{
    use crossbeam_channel::RecvTimeoutError;
    let stop = AtomicBool::new(false);
    let shared = Shared {
        parser,
        filter,
        opts,
        stop: &stop,
        lines: opts.dedup.then(LineSet::new),
        spill: None,
        spill_error: Mutex::new(None),
    };
    let mut w = Worker::new(make(), inputs.len(), opts.max_line);
    let read: Vec<std::sync::atomic::AtomicU64> = inputs.iter().map(|_| Default::default()).collect();
    let bytes_now = |read: &[std::sync::atomic::AtomicU64]| read.iter().map(|b| b.load(Ordering::Relaxed)).collect();
    let (tx, rx) = bounded::<Chunk>(4);
    let (_recycle_tx, recycle_rx) = unbounded::<Vec<u8>>();
    let progress = ProgressBar::hidden();
    std::thread::scope(|s| -> anyhow::Result<()> {
        let reader = std::thread::Builder::new()
            .name("fsaudit-reader".into())
            .spawn_scoped(s, || {
                let chunker = Chunker::new(opts.buffer_size, opts.max_line, recycle_rx).with_envelope(opts.envelope);
                let mut errors = Vec::new();
                for (i, input) in inputs.iter().enumerate() {
                    if interrupted() || follow_stopped() {
                        break;
                    }
                    let mut open = match input::open_followed(input, &progress) {
                        Ok(o) => o,
                        Err(e) => {
                            errors.push(format!("{}: {e}", input.display()));
                            continue;
                        }
                    };
                    let mut send = |c: Chunk| {
                        read[i].fetch_add(c.bytes().len() as u64, Ordering::Relaxed);
                        !follow_stopped() && tx.send(c).is_ok()
                    };
                    if let Err(e) = chunker.read_input(i, &mut *open.reader, &mut send) {
                        errors.push(format!("{}: {e}", input.display()));
                    }
                }
                drop(tx);
                errors
            })
            .expect("spawning the reader thread");
        let mut next = std::time::Instant::now() + every;
        let mut stopped = false;
        loop {
            let wait = next.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(wait) {
                Ok(chunk) => w.process(&shared, &chunk),
                Err(RecvTimeoutError::Timeout) => {
                    next += every;
                    let now = std::time::Instant::now();
                    if next < now {
                        next = now + every;
                    }
                    let snap = w.snapshot(&make, opts.max_line);
                    if tick(finish(snap, inputs, bytes_now(&read), Vec::new(), opts.samples, false), Tick::Interval)? {
                        stopped = true;
                        STOP_FOLLOWING.store(true, Ordering::Relaxed);
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // the reader ends at the next look at its input once stopped
        drop(rx);
        let errors = reader.join().expect("reader thread");
        if !stopped {
            tick(finish(w, inputs, bytes_now(&read), errors, opts.samples, false), Tick::End)?;
        }
        Ok(())
    })
}

fn too_long(bytes: u64, max: usize) -> String {
    format!("line of {bytes} bytes is longer than the maximum of {max} (--max-line-bytes)")
}

/// Scans `inputs`, folding each event that passes `filter` into an
/// accumulator made by `make` (one per worker), and merges them.
pub fn scan<A, F>(
    inputs: &[Input],
    parser: &LineParser,
    filter: &Filter,
    opts: &ScanOptions,
    progress: &ProgressBar,
    make: F,
) -> anyhow::Result<Scan<A>>
where
    A: Accumulator,
    F: Fn() -> A + Sync,
{
    scan_and_map(inputs, parser, filter, opts, progress, make, |_| ()).map(|(scan, _)| scan)
}

/// [`scan`], and in the same pass `per_chunk` applied to every chunk, its
/// results returned in input order (for work that must be stitched in order).
pub fn scan_and_map<A, F, R, G>(
    inputs: &[Input],
    parser: &LineParser,
    filter: &Filter,
    opts: &ScanOptions,
    progress: &ProgressBar,
    make: F,
    per_chunk: G,
) -> anyhow::Result<(Scan<A>, ChunkResults<R>)>
where
    A: Accumulator,
    F: Fn() -> A + Sync,
    R: Send,
    G: Fn(&Chunk) -> R + Sync,
{
    let stop = AtomicBool::new(false);
    // --dedup decides about each line as it comes; counting alone can wait for the end
    let lines = opts.dedup.then(LineSet::new);
    let spill = opts.memory_limit.map(crate::spill::Spill::new);
    let shared =
        Shared { parser, filter, opts, stop: &stop, lines, spill: spill.as_ref(), spill_error: Mutex::new(None) };
    let init = || (Worker::new(make(), inputs.len(), opts.max_line), Vec::new());
    let driven = drive(inputs, opts, progress, &stop, None, init, |(w, mapped), chunk| {
        w.process(&shared, chunk);
        mapped.push((chunk.input, chunk.index, per_chunk(chunk)));
    })?;
    let mut all: Option<Worker<A>> = None;
    let mut chunks = Vec::new();
    let mut states = Vec::with_capacity(driven.workers.len());
    for (mut w, mapped) in driven.workers {
        chunks.extend(mapped);
        states.push(std::mem::replace(&mut w.acc, make()));
        match &mut all {
            None => all = Some(w),
            Some(a) => a.merge(w),
        }
    }
    if let (Some(all), Some(acc)) = (&mut all, merge_states(states, opts.threads)) {
        all.acc = acc;
    }
    chunks.sort_unstable_by_key(|(input, index, _)| (*input, *index));
    if let Some(e) = shared.spill_error.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let mut all = all.unwrap_or_else(|| Worker::new(make(), inputs.len(), opts.max_line));
    // once any state went to disk, the rest follows, so that a report
    // reads every key's state back from one place, partition by partition
    let spill = match spill {
        Some(s) if s.runs() > 0 => {
            s.write(all.acc.spill_parts(crate::spill::PARTS))?;
            Some(std::sync::Arc::new(s))
        }
        _ => None,
    };
    let mut scan = finish(all, inputs, driven.bytes, driven.errors, opts.samples, opts.keep_line_hashes);
    scan.spill = spill;
    Ok((scan, chunks))
}

/// `(input, chunk index, result)` of every chunk, sorted by input and index.
pub type ChunkResults<R> = Vec<(usize, u64, R)>;

/// Per-chunk results of [`map_chunks`], in input order.
pub struct Mapped<R> {
    /// `(input, chunk index, result)`, sorted by input and index.
    pub chunks: ChunkResults<R>,
    /// Raw bytes read per input.
    pub bytes: Vec<u64>,
    /// Inputs that could not be opened or read to the end, as `path: reason`.
    pub errors: Vec<String>,
}

/// Applies `f` to every chunk on the workers and returns the results in
/// input order, for work whose chunks must be stitched together in order
/// afterwards (a hash chain links each line to the one before).
pub fn map_chunks<R, F>(inputs: &[Input], opts: &ScanOptions, progress: &ProgressBar, f: F) -> anyhow::Result<Mapped<R>>
where
    R: Send,
    F: Fn(&Chunk) -> R + Sync,
{
    let stop = AtomicBool::new(false);
    let driven =
        drive(inputs, opts, progress, &stop, None, Vec::new, |w, chunk| w.push((chunk.input, chunk.index, f(chunk))))?;
    let mut chunks: Vec<(usize, u64, R)> = driven.workers.into_iter().flatten().collect();
    chunks.sort_unstable_by_key(|(input, index, _)| (*input, *index));
    Ok(Mapped { chunks, bytes: driven.bytes, errors: driven.errors })
}

/// Folds every chunk into one state per worker (made by `init`), for work
/// whose order does not matter; returns the states and the inputs that
/// could not be read.
pub fn fold_chunks<S, I, F>(
    inputs: &[Input],
    opts: &ScanOptions,
    progress: &ProgressBar,
    init: I,
    f: F,
) -> anyhow::Result<(Vec<S>, Vec<String>)>
where
    S: Send,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &Chunk) + Sync,
{
    let stop = AtomicBool::new(false);
    let driven = drive(inputs, opts, progress, &stop, None, init, f)?;
    Ok((driven.workers, driven.errors))
}

/// What a per-chunk function of [`stream_ordered`] wrote: bytes, and with
/// `--dedup` where each selected input line's output ends, so that the
/// writer, which sees chunks in input order, keeps the first copy of a line.
#[derive(Debug, Default)]
pub struct Emitted {
    pub bytes: Vec<u8>,
    dedup: bool,
    /// `(hash of the input line, or none for a line never dropped; end of its output)`.
    lines: Vec<(Option<u64>, usize)>,
}

impl Emitted {
    /// Marks the end of the output of one selected input line.
    pub fn selected(&mut self, input_line: &[u8]) {
        if self.dedup {
            let h = (!input_line.iter().all(u8::is_ascii_whitespace)).then(|| line_hash(input_line));
            self.lines.push((h, self.bytes.len()));
        }
    }

    /// Marks the end of the output of a selected line that is never
    /// dropped as a copy (one too long to keep in memory).
    pub fn selected_unseen(&mut self) {
        if self.dedup {
            self.lines.push((None, self.bytes.len()));
        }
    }
}

/// What [`stream_ordered`] did.
#[derive(Debug, Default)]
pub struct Streamed {
    /// What the per-chunk function counted, summed.
    pub counted: u64,
    /// Inputs that could not be opened or read to the end, as `path: reason`.
    pub errors: Vec<String>,
    /// Writing failed (a closed pipe among others); reading stopped.
    pub write_error: Option<std::io::Error>,
}

/// What takes the per-chunk results of [`ordered`], in input order, on
/// one thread of its own.
pub trait Consumer<T> {
    /// What the consumer hands back at the end.
    type Output: Send;
    /// Takes the next chunk's result; returns how many things it counted.
    fn take(&mut self, item: T) -> std::io::Result<u64>;
    /// Nothing more is ready for now (a slow pipe, a followed file).
    fn idle(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    /// Every chunk was taken.
    fn finish(self) -> std::io::Result<Self::Output>;
}

/// What [`ordered`] did.
#[derive(Debug)]
pub struct Ordered<O> {
    /// What the consumer counted, summed.
    pub counted: u64,
    /// Inputs that could not be opened or read to the end, as `path: reason`.
    pub errors: Vec<String>,
    /// The consumer's output, or the error that stopped it (reading stopped then).
    pub output: std::io::Result<O>,
}

/// Runs `process` on every chunk on the workers and hands the results to
/// the consumer `make` opens, in input order. At most a few chunks per
/// worker are ever read ahead of the consumer, so memory stays bounded;
/// when the consumer fails (the reader of a pipe went away), reading stops
/// at once.
pub fn ordered<T, P, M, C>(
    inputs: &[Input],
    opts: &ScanOptions,
    progress: &ProgressBar,
    process: P,
    make: M,
) -> anyhow::Result<Ordered<C::Output>>
where
    T: Send,
    P: Fn(&Chunk) -> T + Sync,
    M: FnOnce() -> C + Send,
    C: Consumer<T>,
{
    let window = opts.threads.max(1) * 4;
    let (token_tx, token_rx) = bounded::<()>(window);
    for _ in 0..window {
        token_tx.send(()).expect("room for every token");
    }
    let (out_tx, out_rx) = unbounded::<(u64, Option<T>)>();
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let token_tx = token_tx;
            let mut consumer = make();
            let mut pending = std::collections::BTreeMap::new();
            let mut next = 0u64;
            let mut counted = 0u64;
            let mut failed: Option<std::io::Error> = None;
            let fail = |e: std::io::Error, failed: &mut Option<std::io::Error>| {
                *failed = Some(e);
                stop.store(true, Ordering::Relaxed);
            };
            for (seq, item) in out_rx.iter() {
                pending.insert(seq, item);
                while let Some(item) = pending.remove(&next) {
                    next += 1;
                    if let (None, Some(item)) = (&failed, item) {
                        match consumer.take(item) {
                            Ok(n) => counted += n,
                            Err(e) => fail(e, &mut failed),
                        }
                    }
                    let _ = token_tx.try_send(());
                }
                // nothing more is ready: what was written goes out now (a slow
                // pipe or a followed file prints each line as it comes)
                if failed.is_none() && out_rx.is_empty() {
                    if let Err(e) = consumer.idle() {
                        fail(e, &mut failed);
                    }
                }
                if failed.is_some() {
                    // let the reader see the stop flag instead of waiting for a token
                    let _ = token_tx.try_send(());
                }
            }
            let output = match failed {
                Some(e) => Err(e),
                None => consumer.finish(),
            };
            (counted, output)
        });
        let driven = drive(
            inputs,
            opts,
            progress,
            &stop,
            Some(&token_rx),
            || (),
            |_, chunk| {
                let item = (!stop.load(Ordering::Relaxed)).then(|| process(chunk));
                let _ = out_tx.send((chunk.seq, item));
            },
        );
        drop(out_tx);
        let (counted, output) = writer.join().expect("writer thread");
        let driven = driven?;
        Ok(Ordered { counted, errors: driven.errors, output })
    })
}

/// Keeps the first copy of each input line (`--dedup`), in input order:
/// the hashes of the lines taken so far.
#[derive(Default)]
pub struct FirstCopies {
    seen: rustc_hash::FxHashSet<u64>,
}

impl FirstCopies {
    /// True when the line of this hash (none: a line never dropped) is
    /// taken for the first time.
    pub fn first(&mut self, hash: Option<u64>) -> bool {
        hash.is_none_or(|h| self.seen.insert(h))
    }
}

/// The byte writer of [`stream_ordered`].
struct ByteSink<W> {
    out: W,
    copies: FirstCopies,
    /// Written buffers, handed back to the workers for the next chunks.
    spare: Sender<Emitted>,
}

impl<W: std::io::Write> Consumer<(Emitted, u64)> for ByteSink<W> {
    type Output = ();

    fn take(&mut self, (emitted, n): (Emitted, u64)) -> std::io::Result<u64> {
        let counted = if emitted.dedup {
            let mut counted = 0;
            let mut start = 0;
            for &(h, end) in &emitted.lines {
                if self.copies.first(h) {
                    self.out.write_all(&emitted.bytes[start..end])?;
                    counted += 1;
                }
                start = end;
            }
            counted
        } else {
            self.out.write_all(&emitted.bytes)?;
            n
        };
        // the workers have stopped when nobody takes it back
        let _ = self.spare.send(emitted);
        Ok(counted)
    }

    fn idle(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Runs `process` on every chunk on the workers and writes what it
/// produces to the writer `make_writer` opens, in input order ([`ordered`]);
/// with `--dedup`, only the first copy of each selected line.
pub fn stream_ordered<P, M, W>(
    inputs: &[Input],
    opts: &ScanOptions,
    progress: &ProgressBar,
    process: P,
    make_writer: M,
) -> anyhow::Result<Streamed>
where
    P: Fn(&Chunk, &mut Emitted) -> u64 + Sync,
    M: FnOnce() -> W + Send,
    W: std::io::Write,
{
    // output buffers go round between the workers and the writer: a buffer
    // of megabytes made for every chunk and freed once written would have
    // its pages returned to the system and faulted in again each time
    let (spare_tx, spare_rx) = unbounded::<Emitted>();
    let done = ordered(
        inputs,
        opts,
        progress,
        |chunk| {
            let mut emitted = spare_rx.try_recv().unwrap_or_default();
            emitted.bytes.clear();
            emitted.lines.clear();
            emitted.dedup = opts.dedup;
            let n = process(chunk, &mut emitted);
            (emitted, n)
        },
        || ByteSink { out: make_writer(), copies: FirstCopies::default(), spare: spare_tx },
    )?;
    Ok(Streamed { counted: done.counted, errors: done.errors, write_error: done.output.err() })
}

/// The lines of a chunk without their endings (`\n`, `\r\n`), numbered from 1.
pub fn lines_of(data: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let last = (data.last() != Some(&b'\n') && !data.is_empty()).then_some(data.len());
    let mut start = 0;
    memchr::memchr_iter(b'\n', data).chain(last).zip(1..).map(move |(end, n)| {
        let mut line = &data[start..end];
        start = end + 1;
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        (n, line)
    })
}

struct Driven<W> {
    workers: Vec<W>,
    bytes: Vec<u64>,
    errors: Vec<String>,
}

/// The reader thread (opening, decompressing, chunking) and `threads`
/// workers, each with its own state from `init`, handed chunks in turn.
fn drive<W, I, P>(
    inputs: &[Input],
    opts: &ScanOptions,
    progress: &ProgressBar,
    stop: &AtomicBool,
    gate: Option<&Receiver<()>>,
    init: I,
    process: P,
) -> anyhow::Result<Driven<W>>
where
    W: Send,
    I: Fn() -> W + Sync,
    P: Fn(&mut W, &Chunk) + Sync,
{
    let threads = opts.threads.max(1);
    if opts.mmap {
        input::mapped::catch_bus_errors();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("fsaudit-worker-{i}"))
        .build()
        .context("cannot start worker threads")?;
    // a chunk, or the empty chunk of a range of a plain file that its worker reads
    let (chunk_tx, chunk_rx) = bounded::<(Chunk, Option<FileRange>)>(threads * 2);
    // Without an order to keep (no gate) and without `--strict` (whose
    // first malformed line must be the file's first), each worker takes a
    // stretch of each plain file of its own (see [`Queues`]).
    let queues = (gate.is_none() && !opts.strict).then(|| Queues::new(threads));
    // the run was stopped (a failed writer or spill, Ctrl-C): read no more
    let halted = || stop.load(Ordering::Relaxed) || interrupted();
    let (recycle_tx, recycle_rx) = unbounded::<Vec<u8>>();
    let workers: Mutex<Vec<W>> = Mutex::new(Vec::with_capacity(threads));
    let ranged_bytes: Vec<std::sync::atomic::AtomicU64> = inputs.iter().map(|_| Default::default()).collect();
    let ranged_errors: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());

    let (bytes, errors) = std::thread::scope(|s| {
        let reader = std::thread::Builder::new()
            .name("fsaudit-reader".into())
            .spawn_scoped(s, || {
                let chunker = Chunker::new(opts.buffer_size, opts.max_line, recycle_rx).with_envelope(opts.envelope);
                let mut bytes = vec![0u64; inputs.len()];
                let mut errors = Vec::new();
                let mut seq = 0;
                let mut send = |mut chunk: Chunk, range: Option<FileRange>, queue: Option<usize>| {
                    // with a gate, each chunk needs a token, which the writer hands back
                    if gate.is_some_and(|g| g.recv().is_err()) || halted() {
                        return false;
                    }
                    chunk.seq = seq;
                    seq += 1;
                    match (&queues, queue, range) {
                        (Some(q), Some(w), Some(r)) => {
                            q.push(w, (chunk, r), halted);
                            true
                        }
                        (_, _, range) => chunk_tx.send((chunk, range)).is_ok(),
                    }
                };
                // where the next file too small to share starts being dealt out
                let mut turn = 0;
                for (i, input) in inputs.iter().enumerate() {
                    if halted() {
                        break;
                    }
                    if let Some(plain) = input::plain(input).filter(|_| !opts.follow) {
                        // one stretch, sent in file order, without queues
                        let workers = queues.as_ref().map_or(1, Queues::len);
                        match share_ranges(&chunker, i, &plain, opts, progress, workers, &mut turn, &mut send) {
                            Ok((streamed, whole)) => {
                                bytes[i] = streamed;
                                if !whole {
                                    errors.push(format!("{}: {}", input.display(), input::ranges::shrank()));
                                }
                            }
                            Err(e) => errors.push(format!("{}: {e}", input.display())),
                        }
                        continue;
                    }
                    let opened =
                        if opts.follow { input::open_followed(input, progress) } else { input::open(input, progress) };
                    let mut open = match opened {
                        Ok(o) => o,
                        Err(e) => {
                            errors.push(format!("{}: {e}", input.display()));
                            continue;
                        }
                    };
                    if let Err(e) = chunker.read_input(i, &mut *open.reader, &mut |c| send(c, None, None)) {
                        errors.push(format!("{}: {e}", input.display()));
                    }
                    bytes[i] = open.bytes();
                }
                // no range is queued after this: the rest comes by the channel
                if let Some(q) = &queues {
                    q.close();
                }
                drop(chunk_tx);
                (bytes, errors)
            })
            .expect("spawning the reader thread");
        pool.scope(|ps| {
            for me in 0..threads {
                let (queues, chunk_rx) = (&queues, &chunk_rx);
                let (init, process, workers) = (&init, &process, &workers);
                let (ranged_bytes, ranged_errors, recycle_tx) = (&ranged_bytes, &ranged_errors, &recycle_tx);
                ps.spawn(move |_| {
                    let mut w = init();
                    // this worker's buffer for the ranges of plain files it reads itself
                    let mut own = Vec::new();
                    let next = || match queues {
                        Some(q) => q.next(me, chunk_rx, halted),
                        None => chunk_rx.recv().ok(),
                    };
                    while let Some((mut chunk, range)) = next() {
                        let ranged = range.is_some();
                        if let Some(r) = range {
                            let read = read_range(&mut chunk, &r, &mut own, opts.mmap);
                            if let Ok(n) = read {
                                ranged_bytes[chunk.input].fetch_add(n, Ordering::Relaxed);
                                progress.inc(n);
                            }
                            // a short range: the file shrank since it was cut
                            let failed = match read {
                                Ok(n) if n < r.len as u64 => Some(input::ranges::shrank()),
                                Ok(_) => None,
                                Err(e) => Some(e),
                            };
                            if let Some(e) = failed {
                                let path = inputs[chunk.input].display();
                                ranged_errors.lock().expect("error lock").push((chunk.input, format!("{path}: {e}")));
                            }
                        }
                        // a bus error while a mapped range is read names its file
                        let _reading =
                            chunk.mapped.is_some().then(|| input::mapped::Reading::new(&inputs[chunk.input].display()));
                        process(&mut w, &chunk);
                        if ranged {
                            own = chunk.data;
                        } else if chunk.kind == ChunkKind::Lines {
                            let _ = recycle_tx.send(chunk.data);
                        }
                    }
                    workers.lock().expect("worker lock").push(w);
                });
            }
        });
        reader.join().expect("reader thread")
    });
    let mut bytes = bytes;
    for (b, r) in bytes.iter_mut().zip(&ranged_bytes) {
        *b += r.load(Ordering::Relaxed);
    }
    // the workers' read errors after the reader's, by input, each once
    let mut ranged_errors = ranged_errors.into_inner().expect("error lock");
    ranged_errors.sort();
    ranged_errors.dedup();
    let mut errors = errors;
    errors.extend(ranged_errors.into_iter().map(|(_, e)| e));
    Ok(Driven { workers: workers.into_inner().expect("worker lock"), bytes, errors })
}

/// Reads a range of a plain file into `own` (a worker's buffer, kept
/// initialised from range to range) and hands the buffer to the range's
/// chunk; the caller takes it back after processing. A file that shrank
/// while read gives fewer bytes than the range (which the caller reports).
/// With `mmap` (`--mmap`) the range is mapped instead, while the file still
/// reaches its end. Returns the bytes read.
fn read_range(chunk: &mut Chunk, r: &FileRange, own: &mut Vec<u8>, mmap: bool) -> std::io::Result<u64> {
    if mmap {
        if let Some(m) = input::mapped::map_range(&r.file, r.start, r.len) {
            chunk.mapped = Some(m);
            return Ok(r.len as u64);
        }
    }
    own.resize(r.len, 0);
    let read = input::ranges::read_at(&r.file, own, r.start);
    own.truncate(*read.as_ref().unwrap_or(&0));
    chunk.data = std::mem::take(own);
    read.map(|n| n as u64)
}

/// Streams `[from, to)` of a plain file through the chunker (a line longer
/// than the maximum, which no range may hold, is skipped there in bounded
/// memory), numbering chunks from `index`. To the file's end, the stream
/// reads what the file holds by then; a stretch ends at its line start.
/// Returns the bytes streamed, and false when the stream ended early (the
/// file shrank).
#[allow(clippy::too_many_arguments)]
fn stream_rest(
    chunker: &Chunker,
    i: usize,
    plain: &input::PlainFile,
    from: u64,
    to: u64,
    index: u64,
    progress: &ProgressBar,
    send: &mut dyn FnMut(Chunk) -> bool,
) -> std::io::Result<(u64, bool)> {
    use std::io::Read;
    let mut open = input::open_from(plain, from, progress)?;
    let mut stopped = false;
    let mut send = |c| {
        let sent = send(c);
        stopped |= !sent;
        sent
    };
    if to < plain.size {
        chunker.read_input_from(i, &mut (&mut *open.reader).take(to - from), index, &mut send)?;
    } else {
        chunker.read_input_from(i, &mut *open.reader, index, &mut send)?;
    }
    let streamed = open.bytes();
    Ok((streamed, stopped || streamed >= to - from))
}

/// What a [`Cutter`] gives next.
enum Step {
    /// A range of whole lines, for a worker to read, with its empty chunk.
    Range(Chunk, FileRange),
    /// No range can hold what follows (a line longer than the maximum):
    /// stream the rest of the stretch, numbering chunks from `index`.
    Stream {
        from: u64,
        index: u64,
    },
    Done,
}

/// Cuts a stretch `[pos, end)` of a plain file (`end` a line start or the
/// file's end) into ranges of about `--buffer-size` bytes, numbered from
/// the index it was made with.
struct Cutter {
    input: usize,
    pos: u64,
    end: u64,
    nominal: u64,
    index: u64,
    target: u64,
}

impl Cutter {
    fn new(input: usize, pos: u64, end: u64, index: u64, opts: &ScanOptions) -> Self {
        let target = opts.buffer_size.max(1) as u64;
        Cutter { input, pos, end, nominal: pos + target, index, target }
    }

    fn next(&mut self, plain: &input::PlainFile, opts: &ScanOptions) -> std::io::Result<Step> {
        use input::ranges::{Cut, cut_after};
        loop {
            if self.pos >= self.end {
                return Ok(Step::Done);
            }
            let cut = if self.nominal >= self.end {
                self.end
            } else {
                match cut_after(&plain.file, self.pos, self.nominal, plain.size, opts.max_line, opts.envelope)? {
                    // the stretch's end is a line start past `nominal`: no cut passes it
                    Cut::At(end) => end.min(self.end),
                    // a range that cannot be cut within a line's length is read as a stream
                    Cut::None if self.nominal - self.pos <= opts.max_line as u64 => {
                        self.nominal += self.target;
                        continue;
                    }
                    Cut::None | Cut::LongLine => {
                        let from = self.pos;
                        self.pos = self.end;
                        return Ok(Step::Stream { from, index: self.index });
                    }
                }
            };
            let range = FileRange { file: plain.file.clone(), start: self.pos, len: (cut - self.pos) as usize };
            let chunk = Chunk {
                input: self.input,
                index: self.index,
                seq: 0,
                kind: ChunkKind::Lines,
                data: Vec::new(),
                mapped: None,
            };
            self.index += 1;
            self.pos = cut;
            self.nominal = cut + self.target;
            return Ok(Step::Range(chunk, range));
        }
    }
}

/// The ranges of plain files, queued for the workers when the order in
/// which chunks are read does not matter (the reports). Each plain file is
/// cut into as many stretches as there are workers, and each worker reads
/// its own stretch of every file, in order. Handed out in turn instead, the
/// ranges of a log read twice (or of two copies of it) went to the workers
/// at random, and each worker saw three quarters of the minutes, latencies
/// and addresses of every principal instead of half: its state, and the
/// run's peak memory, grew with every copy. In its own stretches a worker's
/// keys also come in order (a principal's minutes), which keeps the per-key
/// lists short sorted lists. A worker whose queue is empty takes from
/// others' (see [`Queues::take`]), so that a slow core holds no one up.
struct Queues {
    queues: Vec<Mutex<std::collections::VecDeque<(Chunk, FileRange)>>>,
    /// A slot for each range queued and not yet taken: the reader waits
    /// for a free one (blocked, not polling: a reader that looked every
    /// 200 µs took its share of the workers' cores).
    slots: (Sender<()>, Receiver<()>),
    /// A wake-up for a worker waiting for work: one is left for each range
    /// queued while there is room (there are as many as there are workers
    /// at most, so a worker that blocks finds one while ranges may wait).
    /// Without it a waiting worker looked at the queues every 200 µs, and
    /// a run reading a slow pipe woke 17,000 times a second doing nothing.
    wake: (Sender<()>, Receiver<()>),
    /// No range is queued any more.
    closed: AtomicBool,
}

/// Ranges queued per worker at most: the reader cuts ahead of the workers
/// by this much and waits (a range queued is a few dozen bytes, but a file
/// of a terabyte has a quarter of a million of them).
const QUEUED_PER_WORKER: usize = 16;

/// How often a reader waiting to queue a range looks whether the run stopped.
const STOP_CHECK: std::time::Duration = std::time::Duration::from_millis(20);

impl Queues {
    fn new(workers: usize) -> Self {
        Queues {
            queues: (0..workers).map(|_| Mutex::default()).collect(),
            slots: bounded(workers * QUEUED_PER_WORKER),
            wake: bounded(workers),
            closed: AtomicBool::new(false),
        }
    }

    fn len(&self) -> usize {
        self.queues.len()
    }

    /// Queues a range for `worker`, once the workers have taken enough of
    /// those queued before (or the run is `stopped`).
    fn push(&self, worker: usize, job: (Chunk, FileRange), stopped: impl Fn() -> bool) {
        // a stopped run's workers take no more ranges: look at the flag now and then
        while let Err(crossbeam_channel::SendTimeoutError::Timeout(())) = self.slots.0.send_timeout((), STOP_CHECK) {
            if stopped() {
                break;
            }
        }
        self.queues[worker].lock().expect("queue lock").push_back(job);
        let _ = self.wake.0.try_send(());
    }

    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    /// A queued range for worker `me`: its own next; else the next of a
    /// later stretch (whose keys follow its own); else, while an earlier
    /// stretch's owner has more than one left, that stretch's last (whose
    /// keys come just before the ones this worker took last: the front of
    /// its lists, where a key costs a push; see [`crate::stats::SmallMap`]).
    fn take(&self, me: usize) -> Option<(Chunk, FileRange)> {
        let job = self.take_from(me)?;
        // a range queued while the run stopped took no slot
        let _ = self.slots.1.try_recv();
        Some(job)
    }

    fn take_from(&self, me: usize) -> Option<(Chunk, FileRange)> {
        let lock = |w: usize| self.queues[w].lock().expect("queue lock");
        if let Some(job) = lock(me).pop_front() {
            return Some(job);
        }
        for w in me + 1..self.queues.len() {
            if let Some(job) = lock(w).pop_front() {
                return Some(job);
            }
        }
        let fullest = (0..me).max_by_key(|&w| lock(w).len())?;
        let mut queue = lock(fullest);
        if queue.len() < 2 {
            return None;
        }
        queue.pop_back()
    }

    /// The next chunk for worker `me`: a range from the queues, or a
    /// streamed chunk from the channel; `None` once both are done. Once
    /// `stopped`, queued ranges are left and only the channel is drained
    /// (the reader may be waiting to send).
    fn next(
        &self,
        me: usize,
        channel: &Receiver<(Chunk, Option<FileRange>)>,
        stopped: impl Fn() -> bool,
    ) -> Option<(Chunk, Option<FileRange>)> {
        loop {
            if stopped() {
                return channel.recv().ok();
            }
            // read before looking: closed and nothing found means nothing left
            let closed = self.closed.load(Ordering::SeqCst);
            if let Some((chunk, range)) = self.take(me) {
                return Some((chunk, Some(range)));
            }
            if let Ok(job) = channel.try_recv() {
                return Some(job);
            }
            if closed {
                return channel.recv().ok();
            }
            // a streamed chunk, or a range queued since the look above; a
            // channel let go of says the queues are closed (the reader
            // closes them first): the queues again
            crossbeam_channel::select! {
                recv(channel) -> job => if let Ok(job) = job {
                    return Some(job);
                },
                recv(self.wake.1) -> _ => {}
            }
        }
    }
}

/// Cuts a plain file into ranges of whole lines and sends them for the
/// workers to read ([`input::ranges`]); a line longer than the maximum
/// hands the rest of its stretch to the streaming chunker. For [`Queues`]
/// the file is cut at `workers - 1` line starts near its even shares, each
/// stretch into ranges for one worker's queue (the stretches cut in turn,
/// so that every queue fills from the start); a file too small for a range
/// per worker gives one stretch per range, dealt out from `turn`. With one
/// worker (no queues), one stretch: the ranges in file order. Chunks are
/// numbered by stretch (the stretch in the high bits), in file order as
/// the line count needs. Returns the bytes read here (by the chunker: the
/// ranges' bytes are the workers' count), and false when a stream ended
/// before its stretch's end (the file shrank).
#[allow(clippy::too_many_arguments)]
fn share_ranges(
    chunker: &Chunker,
    i: usize,
    plain: &input::PlainFile,
    opts: &ScanOptions,
    progress: &ProgressBar,
    workers: usize,
    turn: &mut usize,
    send: &mut dyn FnMut(Chunk, Option<FileRange>, Option<usize>) -> bool,
) -> std::io::Result<(u64, bool)> {
    use input::ranges::{Cut, cut_after};
    let target = opts.buffer_size.max(1) as u64;
    let span = plain.size.saturating_sub(plain.start);
    let stretches = (span.div_ceil(target) as usize).clamp(1, workers.max(1));
    // the stretches' starts: line starts at or after even shares of the file
    let mut starts = vec![plain.start];
    for k in 1..stretches {
        let last = *starts.last().expect("one start at least");
        let nominal = plain.start + span * k as u64 / stretches as u64;
        if nominal <= last {
            continue;
        }
        match cut_after(&plain.file, last, nominal, plain.size, opts.max_line, opts.envelope)? {
            Cut::At(at) if at < plain.size => starts.push(at),
            Cut::At(_) => break,
            // no cut near here (split records or a long line): the stretch before goes on
            Cut::None | Cut::LongLine => {}
        }
    }
    // a file that fills every worker keeps stretch k on worker k, so that
    // the same stretch of each copy of a log goes to the same worker
    let first = if starts.len() >= workers { 0 } else { std::mem::replace(turn, (*turn + starts.len()) % workers) };
    const STRETCH_BITS: u32 = 40;
    let mut cutters: Vec<(usize, Cutter)> = starts
        .iter()
        .enumerate()
        .map(|(k, &from)| {
            let to = starts.get(k + 1).copied().unwrap_or(plain.size);
            ((first + k) % workers.max(1), Cutter::new(i, from, to, (k as u64) << STRETCH_BITS, opts))
        })
        .collect();
    let (mut streamed, mut whole) = (0u64, true);
    while !cutters.is_empty() {
        let mut k = 0;
        while k < cutters.len() {
            let (worker, cutter) = &mut cutters[k];
            let to = cutter.end;
            match cutter.next(plain, opts)? {
                Step::Range(chunk, range) => {
                    if !send(chunk, Some(range), Some(*worker)) {
                        return Ok((streamed, whole));
                    }
                    k += 1;
                }
                Step::Stream { from, index } => {
                    let (n, all) =
                        stream_rest(chunker, i, plain, from, to, index, progress, &mut |c| send(c, None, None))?;
                    streamed += n;
                    whole &= all;
                    cutters.remove(k);
                }
                Step::Done => {
                    cutters.remove(k);
                }
            }
        }
    }
    Ok((streamed, whole))
}

/// Numbers lines from the per-chunk counts and builds the per-input reports.
fn finish<A>(
    mut all: Worker<A>,
    inputs: &[Input],
    bytes: Vec<u64>,
    errors: Vec<String>,
    limit: usize,
    keep_hashes: bool,
) -> Scan<A> {
    all.chunk_lines.sort_unstable();
    let mut first_line = rustc_hash::FxHashMap::default();
    let mut before = 0u64;
    let mut current = usize::MAX;
    for &(input, index, lines) in &all.chunk_lines {
        if input != current {
            current = input;
            before = 0;
        }
        first_line.insert((input, index), before);
        before += lines;
    }
    all.samples.sort_by_key(Sample::place);
    all.samples.truncate(limit);
    let place = |s: Sample| MalformedLine {
        path: inputs[s.input].display(),
        line: first_line.get(&(s.input, s.chunk)).copied().unwrap_or(0) + s.line_in_chunk,
        reason: s.reason,
    };
    let malformed_lines = all.samples.into_iter().map(place).collect();
    let first_rejected_latency = all.rejected.map(place);
    let inputs = all
        .counts
        .into_iter()
        .zip(inputs)
        .zip(bytes)
        .map(|((c, input), bytes)| InputReport { path: input.display(), bytes, ..c })
        .collect();
    let mut errors = errors;
    // the count is read back from temporary files past a budget: a failure
    // to read them is an error of the run, never a count of zero
    let (duplicates, line_hashes) = all.hashes.duplicates(keep_hashes).unwrap_or_else(|e| {
        errors.push(format!("cannot count repeated lines: a temporary file could not be read: {e}"));
        (0, None)
    });
    Scan {
        acc: all.acc,
        inputs,
        malformed_lines,
        errors,
        first_rejected_latency,
        duplicate_lines: all.duplicates + duplicates,
        scanned_range: all.range,
        spill: None,
        line_hashes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(buffer_size: usize, threads: usize) -> ScanOptions {
        ScanOptions {
            threads,
            buffer_size,
            max_line: 1 << 20,
            strict: false,
            samples: 5,
            dedup: false,
            count_duplicates: false,
            keep_line_hashes: false,
            memory_limit: None,
            envelope: crate::schema::Envelope::None,
            follow: false,
            mmap: false,
        }
    }

    /// `(worker, input, start, len, index)` of each range [`share_ranges`] queues.
    fn shared(
        path: &std::path::Path,
        inputs: usize,
        workers: usize,
        buffer: usize,
    ) -> Vec<(usize, usize, u64, u64, u64)> {
        let (_tx, rx) = unbounded();
        let opts = options(buffer, workers);
        let chunker = Chunker::new(buffer, opts.max_line, rx);
        let plain = input::plain(&Input::File(path.to_owned())).expect("a plain file");
        let mut got = Vec::new();
        let mut turn = 0;
        for i in 0..inputs {
            let mut send = |c: Chunk, r: Option<FileRange>, w: Option<usize>| {
                let r = r.expect("a range");
                got.push((w.expect("a queue"), c.input, r.start, r.len as u64, c.index));
                true
            };
            let hidden = ProgressBar::hidden();
            share_ranges(&chunker, i, &plain, &opts, &hidden, workers, &mut turn, &mut send).unwrap();
        }
        got
    }

    #[test]
    fn each_worker_gets_one_stretch_of_every_copy_of_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let lines: String = (0..5000).map(|i| format!("{{\"n\":{i},\"pad\":\"{}\"}}\n", "x".repeat(i % 37))).collect();
        std::fs::write(&path, &lines).unwrap();
        let size = lines.len() as u64;
        for workers in [1, 2, 3, 7] {
            let got = shared(&path, 2, workers, 1000);
            for input in 0..2 {
                let mut ranges: Vec<_> = got.iter().filter(|r| r.1 == input).copied().collect();
                // in file order by index, whole lines, end to end, no gap
                ranges.sort_by_key(|r| r.4);
                let mut at = 0;
                for &(_, _, start, len, _) in &ranges {
                    assert_eq!(start, at, "{workers} workers");
                    assert!(start == 0 || lines.as_bytes()[start as usize - 1] == b'\n');
                    at = start + len;
                }
                assert_eq!(at, size, "{workers} workers");
                // each worker's ranges one stretch, in order after the stretch before
                let owners: Vec<usize> = ranges.iter().map(|r| r.0).collect();
                let mut stretches = owners.clone();
                stretches.dedup();
                assert_eq!(stretches, (0..workers).collect::<Vec<_>>(), "{workers} workers");
            }
            // the same bytes of both copies go to the same worker
            let of = |input| got.iter().filter(|r| r.1 == input).map(|r| (r.2, r.0)).collect::<Vec<_>>();
            let (mut a, mut b) = (of(0), of(1));
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{workers} workers");
        }
    }

    #[test]
    fn files_too_small_to_share_are_dealt_out_in_turn() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.jsonl");
        std::fs::write(&path, "{\"n\":1}\n{\"n\":2}\n").unwrap();
        let got = shared(&path, 5, 3, 1 << 20);
        let owners: Vec<(usize, usize)> = got.iter().map(|r| (r.1, r.0)).collect();
        assert_eq!(owners, [(0, 0), (1, 1), (2, 2), (3, 0), (4, 1)]);
    }
}
