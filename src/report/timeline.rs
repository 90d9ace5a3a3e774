//! `fsaudit timeline`: events per time bucket with outcome classes and p99,
//! empty buckets included, bucket starts aligned to UTC.
//!
//! Without `--bucket`, the size follows the time span (at most ~200
//! buckets). Each worker keeps the size its own span calls for and coarsens
//! as the span grows; since a worker's span never exceeds the whole span,
//! merging up to the final size gives the same buckets for any split.

use anyhow::Context;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::engine::{Accumulator, Scan};
use crate::event::Event;
use crate::spill::{PARTS, Spill};
use crate::stats::{Activity, OutcomeCounts, TimeRange};
use crate::time::{MICROS_PER_SEC, Micros, format_millis};

/// Bucket sizes chosen automatically, in seconds.
/// Each a multiple of the one before, so that buckets coarsen exactly:
/// 1m, 5m, 15m, 1h, 1d, 1w, 4w, 52w, 104w.
const AUTO_SIZES: [i64; 9] = [60, 300, 900, 3600, 86_400, 604_800, 2_419_200, 31_449_600, 62_899_200];
/// The most buckets a `--bucket` (or a rule's `per`) may make.
pub const MAX_BUCKETS: i64 = 100_000;

/// How many buckets of `size` the range from `first` to `last` makes.
pub fn bucket_count(size: Micros, first: Micros, last: Micros) -> i64 {
    last.div_euclid(size) - first.div_euclid(size) + 1
}
/// The automatic size is the smallest giving at most this many buckets.
const AUTO_MAX_BUCKETS: i64 = 200;

/// The bucket size a time span calls for.
pub fn auto_bucket(span: Micros) -> Micros {
    for s in AUTO_SIZES {
        if span / (s * MICROS_PER_SEC) < AUTO_MAX_BUCKETS {
            return s * MICROS_PER_SEC;
        }
    }
    AUTO_SIZES[AUTO_SIZES.len() - 1] * MICROS_PER_SEC
}

/// `3600 s` → `1h`.
pub fn bucket_name(size: Micros) -> String {
    let secs = size / MICROS_PER_SEC;
    match secs {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// What `timeline` folds events into.
#[derive(Debug, Clone)]
pub struct TimelineAcc {
    fixed: Option<Micros>,
    size: Micros,
    range: TimeRange,
    buckets: FxHashMap<Micros, Activity>,
    without_time: u64,
}

impl TimelineAcc {
    /// `fixed` is `--bucket` in microseconds, `None` to follow the span.
    pub fn new(fixed: Option<Micros>) -> Self {
        TimelineAcc {
            fixed,
            size: fixed.unwrap_or(AUTO_SIZES[0] * MICROS_PER_SEC),
            range: TimeRange::default(),
            buckets: FxHashMap::default(),
            without_time: 0,
        }
    }

    /// The buckets the report will have: for a check of `--bucket` against
    /// [`MAX_BUCKETS`] before they are made.
    pub fn bucket_count(&self) -> i64 {
        match (self.range.first, self.range.last) {
            (Some(f), Some(l)) => bucket_count(self.wanted_size(), f, l),
            _ => 0,
        }
    }

    fn wanted_size(&self) -> Micros {
        match (self.fixed, self.range.first, self.range.last) {
            (Some(f), _, _) => f,
            (None, Some(first), Some(last)) => auto_bucket(last - first).max(self.size),
            _ => self.size,
        }
    }

    /// Re-buckets into `size` (a multiple of the current size).
    fn coarsen(&mut self, size: Micros) {
        if size == self.size {
            return;
        }
        let old = std::mem::take(&mut self.buckets);
        for (start, a) in old {
            self.buckets.entry(start.div_euclid(size) * size).or_default().merge(a);
        }
        self.size = size;
    }
}

impl Accumulator for TimelineAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        let Some(t) = ev.time else {
            self.without_time += 1;
            return;
        };
        self.range.observe(t);
        let wanted = self.wanted_size();
        if wanted != self.size {
            self.coarsen(wanted);
        }
        let start = t.div_euclid(self.size) * self.size;
        // more buckets with events than a report may have: the span is
        // too long for `--bucket`, and the run is refused once the scan
        // ends ([`TimelineAcc::bucket_count`] counts from the time range,
        // which is still kept); no need to hold them all until then
        if self.fixed.is_some() && self.buckets.len() >= MAX_BUCKETS as usize && !self.buckets.contains_key(&start) {
            return;
        }
        self.buckets.entry(start).or_default().observe(ev);
    }

    fn merge(&mut self, mut o: Self) {
        self.range.merge(&o.range);
        let size = self.wanted_size().max(o.size);
        self.coarsen(size);
        o.coarsen(size);
        for (start, a) in o.buckets {
            self.buckets.entry(start).or_default().merge(a);
        }
        self.without_time += o.without_time;
    }

    fn can_spill(&self) -> bool {
        true
    }

    /// By time, not by key hash: a short log is one bucket or a few, and
    /// an automatic bucket's final size is known only at the end. The
    /// buckets in order of start, cut into `parts` chunks of about equal
    /// count, which [`SpilledTimeline`] reads back by a merge in time order.
    fn spill_parts(&mut self, parts: usize) -> Vec<Vec<u8>> {
        let fixed = self.fixed;
        let full = std::mem::replace(self, TimelineAcc::new(fixed));
        let mut buckets: Vec<(Micros, Activity)> = full.buckets.into_iter().collect();
        buckets.sort_unstable_by_key(|(start, _)| *start);
        let n = buckets.len();
        let mut rest = buckets.into_iter();
        (0..parts)
            .map(|c| {
                let chunk = Chunk {
                    range: full.range,
                    size: full.size,
                    without_time: if c == 0 { full.without_time } else { 0 },
                    buckets: rest.by_ref().take((c + 1) * n / parts - c * n / parts).collect(),
                };
                postcard::to_stdvec(&chunk).expect("state serialises")
            })
            .collect()
    }

    /// Merges one chunk (a saved state read back by `merge`; a spill is
    /// read in time order by [`SpilledTimeline`] instead).
    fn load_part(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let chunk: Chunk = postcard::from_bytes(bytes).context("a timeline state is corrupt")?;
        let other = TimelineAcc {
            fixed: self.fixed,
            size: chunk.size,
            range: chunk.range,
            buckets: chunk.buckets.into_iter().collect(),
            without_time: chunk.without_time,
        };
        self.merge(other);
        Ok(())
    }

    fn parts_by_key(&self) -> bool {
        false
    }

    fn copy_into(&mut self, _: Self) -> Option<Self> {
        Some(self.clone())
    }
}

/// One chunk of a spilled timeline: some of one run's buckets, in order.
#[derive(serde::Serialize, serde::Deserialize)]
struct Chunk {
    range: TimeRange,
    size: Micros,
    without_time: u64,
    buckets: Vec<(Micros, Activity)>,
}

/// Where the merge stands in one run: its next bucket, and the rest of the
/// chunk it came from.
struct Cursor {
    run: usize,
    chunk: usize,
    rest: std::vec::IntoIter<(Micros, Activity)>,
    head: Option<(Micros, Activity)>,
}

/// A spilled timeline, read back as a merge of its runs in time order:
/// one chunk per run and one bucket of the report in memory at a time.
pub struct SpilledTimeline<'a> {
    spill: &'a Spill,
    fixed: Option<Micros>,
    cursors: Vec<Cursor>,
    range: TimeRange,
    /// The coarsest size any run had.
    size: Micros,
    without_time: u64,
}

impl<'a> SpilledTimeline<'a> {
    /// Reads the first chunk of every run (each carries its run's time range).
    pub fn open(spill: &'a Spill, fixed: Option<Micros>) -> anyhow::Result<Self> {
        let mut t = SpilledTimeline {
            spill,
            fixed,
            cursors: Vec::new(),
            range: TimeRange::default(),
            size: fixed.unwrap_or(AUTO_SIZES[0] * MICROS_PER_SEC),
            without_time: 0,
        };
        for run in 0..spill.runs() {
            let first = t.chunk(run, 0)?;
            t.range.merge(&first.range);
            t.size = t.size.max(first.size);
            t.without_time += first.without_time;
            let mut c = Cursor { run, chunk: 0, rest: first.buckets.into_iter(), head: None };
            t.advance(&mut c)?;
            t.cursors.push(c);
        }
        Ok(t)
    }

    fn chunk(&self, run: usize, chunk: usize) -> anyhow::Result<Chunk> {
        postcard::from_bytes(&self.spill.read(run, chunk)?).context("a spill file is corrupt")
    }

    /// Moves `c` to its run's next bucket, reading the next chunks as needed.
    fn advance(&self, c: &mut Cursor) -> anyhow::Result<()> {
        loop {
            c.head = c.rest.next();
            if c.head.is_some() || c.chunk + 1 >= PARTS {
                return Ok(());
            }
            c.chunk += 1;
            c.rest = self.chunk(c.run, c.chunk)?.buckets.into_iter();
        }
    }

    fn wanted_size(&self) -> Micros {
        match (self.fixed, self.range.first, self.range.last) {
            (Some(f), _, _) => f,
            (None, Some(first), Some(last)) => auto_bucket(last - first).max(self.size),
            _ => self.size,
        }
    }

    /// As [`TimelineAcc::bucket_count`].
    pub fn bucket_count(&self) -> i64 {
        match (self.range.first, self.range.last) {
            (Some(f), Some(l)) => bucket_count(self.wanted_size(), f, l),
            _ => 0,
        }
    }

    /// The report: the runs' buckets merged in order of start, each
    /// report bucket finished before the next is begun.
    pub fn report(mut self, events: u64, malformed: u64) -> anyhow::Result<TimelineReport> {
        let size = self.wanted_size();
        let mut rows = Vec::new();
        if let (Some(first), Some(last)) = (self.range.first, self.range.last) {
            let mut next = first.div_euclid(size) * size;
            let mut current: Option<(Micros, Activity)> = None;
            let mut cursors = std::mem::take(&mut self.cursors);
            while let Some(i) = (0..cursors.len())
                .filter(|&i| cursors[i].head.is_some())
                .min_by_key(|&i| cursors[i].head.as_ref().map(|(s, _)| *s))
            {
                let (start, a) = cursors[i].head.take().expect("has a head");
                self.advance(&mut cursors[i])?;
                let key = start.div_euclid(size) * size;
                match &mut current {
                    Some((k, acc)) if *k == key => acc.merge(a),
                    _ => {
                        if let Some((k, acc)) = current.take() {
                            next = push_rows(&mut rows, next, k, &acc, size);
                        }
                        current = Some((key, a));
                    }
                }
            }
            if let Some((k, acc)) = current.take() {
                next = push_rows(&mut rows, next, k, &acc, size);
            }
            while next <= last {
                rows.push(row(next, &Activity::default()));
                next += size;
            }
        }
        Ok(TimelineReport {
            schema_version: SCHEMA_VERSION,
            command: "timeline",
            bucket: bucket_name(size),
            events,
            malformed,
            events_without_time: self.without_time,
            buckets: rows,
        })
    }
}

/// The empty buckets from `next` up to `key`, then `key`'s; the start after it.
fn push_rows(rows: &mut Vec<BucketRow>, mut next: Micros, key: Micros, a: &Activity, size: Micros) -> Micros {
    while next < key {
        rows.push(row(next, &Activity::default()));
        next += size;
    }
    rows.push(row(key, a));
    key + size
}

fn row(start: Micros, a: &Activity) -> BucketRow {
    BucketRow {
        start: format_millis(start),
        events: a.tally.events(),
        outcomes: a.tally.outcomes,
        latency_p99_ms: a.latency.percentile(99.0),
    }
}

#[derive(Debug, Serialize)]
pub struct BucketRow {
    pub start: String,
    pub events: u64,
    #[serde(flatten)]
    pub outcomes: OutcomeCounts,
    pub latency_p99_ms: Option<f64>,
}

/// The `timeline` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct TimelineReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub bucket: String,
    pub events: u64,
    pub malformed: u64,
    pub events_without_time: u64,
    pub buckets: Vec<BucketRow>,
}

impl TimelineReport {
    pub fn build(scan: Scan<TimelineAcc>) -> Self {
        let (events, malformed) = (scan.events(), scan.malformed());
        let mut acc = scan.acc;
        let size = acc.wanted_size();
        acc.coarsen(size);
        let mut buckets = Vec::new();
        if let (Some(first), Some(last)) = (acc.range.first, acc.range.last) {
            let mut start = first.div_euclid(size) * size;
            while start <= last {
                let a = acc.buckets.remove(&start).unwrap_or_default();
                buckets.push(row(start, &a));
                start += size;
            }
        }
        TimelineReport {
            schema_version: SCHEMA_VERSION,
            command: "timeline",
            bucket: bucket_name(size),
            events,
            malformed,
            events_without_time: acc.without_time,
            buckets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_sizes_follow_the_span() {
        let h = 3600 * MICROS_PER_SEC;
        assert_eq!(bucket_name(auto_bucket(h)), "1m");
        assert_eq!(bucket_name(auto_bucket(6 * h)), "5m");
        assert_eq!(bucket_name(auto_bucket(24 * h)), "15m");
        assert_eq!(bucket_name(auto_bucket(7 * 24 * h)), "1h");
        assert_eq!(bucket_name(auto_bucket(30 * 24 * h)), "1d");
        assert_eq!(bucket_name(90 * 60 * MICROS_PER_SEC), "90m");
    }
}
