//! `fsaudit timeline`: events per time bucket with outcome classes and p99,
//! empty buckets included, bucket starts aligned to UTC.
//!
//! Without `--bucket`, the size follows the time span (at most ~200
//! buckets). Each worker keeps the size its own span calls for and coarsens
//! as the span grows; since a worker's span never exceeds the whole span,
//! merging up to the final size gives the same buckets for any split.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::engine::{Accumulator, Scan};
use crate::event::Event;
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
#[derive(Debug)]
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
                buckets.push(BucketRow {
                    start: format_millis(start),
                    events: a.tally.events(),
                    outcomes: a.tally.outcomes,
                    latency_p99_ms: a.latency.percentile(99.0),
                });
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
