//! Latency percentiles, exact, in bounded memory, identical for any merge order.
//!
//! Real audit logs write latencies with two or three decimals, so a log of
//! millions of events holds only thousands of distinct values. The sketch
//! keeps an exact count per distinct value and answers every percentile
//! exactly (nearest rank). Only when the distinct values of one sketch pass
//! [`EXACT_DISTINCT_LIMIT`] does it fall back to logarithmic bins whose width
//! bounds the error of any percentile to [`RELATIVE_ERROR`] (as in DDSketch),
//! clamped to the exact minimum and maximum, and it then says so
//! ([`LatencySketch::is_exact`]). Both states are a function of the multiset
//! of values alone (a part never holds more distinct values than the whole),
//! so any split of the input and any order of merging gives the same bits.
//! The mean uses an integer sum of nanoseconds for the same reason.

/// Distinct values counted exactly before switching to bins (about 32 MiB
/// of state at most per sketch).
pub const EXACT_DISTINCT_LIMIT: usize = 1 << 20;
/// Largest relative error of a binned percentile (0.1%).
pub const RELATIVE_ERROR: f64 = 0.001;
/// The largest latency accepted, in milliseconds (one day); larger,
/// negative and non-finite values are rejected by the scan.
pub const MAX_LATENCY_MS: f64 = 86_400_000.0;
/// Positive values below this (a nanosecond) fall into the zero bin.
const SMALLEST_BINNED: f64 = 1e-6;

const GAMMA: f64 = (1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR);

/// True when `v` is a latency the reports may use.
pub fn acceptable(v: f64) -> bool {
    (0.0..=MAX_LATENCY_MS).contains(&v)
}

/// A mergeable latency distribution in milliseconds.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LatencySketch {
    count: u64,
    sum_ns: u128,
    min: f64,
    max: f64,
    /// Exact counts by the bits of the value (`-0.0` is stored as `0.0`).
    exact: ExactCounts,
    bins: Option<Box<Bins>>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Bins {
    zeros: u64,
    /// Index of `counts[0]`.
    offset: i32,
    counts: Vec<u64>,
}

impl Bins {
    fn index(v: f64) -> i32 {
        (v.ln() / GAMMA.ln()).ceil() as i32
    }

    fn add(&mut self, v: f64, n: u64) {
        if v < SMALLEST_BINNED {
            self.zeros += n;
            return;
        }
        self.add_index(Self::index(v), n);
    }

    /// Adds exact `(bits, count)` pairs.
    fn add_counts(&mut self, counts: &[(u64, u64)]) {
        for &(bits, n) in counts {
            self.add(f64::from_bits(bits), n);
        }
    }

    fn add_index(&mut self, i: i32, n: u64) {
        if self.counts.is_empty() {
            self.offset = i;
            self.counts.push(0);
        } else if i < self.offset {
            let grow = (self.offset - i) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = i;
        } else if (i - self.offset) as usize >= self.counts.len() {
            self.counts.resize((i - self.offset) as usize + 1, 0);
        }
        self.counts[(i - self.offset) as usize] += n;
    }

    fn merge(&mut self, other: &Bins) {
        self.zeros += other.zeros;
        for (k, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                self.add_index(other.offset + k as i32, n);
            }
        }
    }

    /// The value that is within RELATIVE_ERROR of every value in bin `i`.
    fn representative(i: i32) -> f64 {
        2.0 * GAMMA.powi(i) / (GAMMA + 1.0)
    }

    /// The value of the `rank`-th smallest (1-based).
    fn value_at(&self, rank: u64) -> f64 {
        if rank <= self.zeros {
            return 0.0;
        }
        let mut seen = self.zeros;
        for (k, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return Self::representative(self.offset + k as i32);
            }
        }
        f64::INFINITY
    }
}

/// Exact counts of distinct values: a list sorted by value, and the values
/// added since it was last brought up to date. Adding is a push; the pending
/// values are sorted and merged in once they are as many as the list is long,
/// so each value costs a sort and a sequential merge, never a random probe
/// of a large table (the distinct latencies of a big log outgrow the cache).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct ExactCounts {
    /// `(bits, count)` ascending; for values ≥ 0 the order of the bits is
    /// the order of the values.
    sorted: Vec<(u64, u64)>,
    /// Values added once each, not yet in `sorted`.
    pending: Vec<u64>,
    /// The last merge's values were all in the list already.
    #[serde(skip)]
    known: bool,
}

/// Pending values kept at least, and at most, before a merge.
const LEAST_PENDING: usize = 64;
const MOST_PENDING: usize = 1 << 16;
/// Pending values are merged once they are as many as the list is long,
/// for a merge that adds values moves the list; while values only come
/// again (the last merge added none: a log read twice), once they are
/// this share of it, for such a merge moves nothing, and a buffer as long
/// as the list held 8 bytes for each distinct value beside the list's 16
/// with nothing to show for it.
const KNOWN_SHARE: usize = 4;
/// Values looked up to judge whether most of a merge's values are new.
const SAMPLES: usize = 8;

impl ExactCounts {
    /// Asks for the place the next value goes (see [`super::prefetch`]).
    #[inline(always)]
    fn prefetch(&self) {
        super::prefetch(self.pending.as_ptr().wrapping_add(self.pending.len()));
    }

    fn add(&mut self, bits: u64, n: u64) {
        if n == 1 {
            self.pending.push(bits);
            if self.pending.len() >= self.most_pending() {
                self.settle();
            }
            return;
        }
        match self.sorted.binary_search_by_key(&bits, |e| e.0) {
            Ok(i) => self.sorted[i].1 += n,
            Err(i) => self.sorted.insert(i, (bits, n)),
        }
    }

    /// Pending values kept before a merge.
    fn most_pending(&self) -> usize {
        let share = if self.known { KNOWN_SHARE } else { 1 };
        (self.sorted.len() / share).clamp(LEAST_PENDING, MOST_PENDING)
    }

    /// Merges the pending values into the sorted list.
    fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable();
        let new = self.mostly_new(|k| pending[k * pending.len() / SAMPLES]);
        let runs = pending.chunk_by(|a, b| a == b).map(|run| (run[0], run.len() as u64));
        self.known = self.merge_runs(runs, pending.len(), new);
        // the buffer is kept for the next values, no longer than they need
        pending.clear();
        pending.shrink_to(self.most_pending());
        self.pending = pending;
    }

    /// Whether most values to merge are new to the list, judged by
    /// [`SAMPLES`] of them spread over their order (`sample(k)`).
    fn mostly_new(&self, sample: impl Fn(usize) -> u64) -> bool {
        let missing = (0..SAMPLES).filter(|&k| self.sorted.binary_search_by_key(&sample(k), |e| e.0).is_err()).count();
        2 * missing >= SAMPLES
    }

    /// Merges ascending `(bits, count)` runs (at most `most`) into the
    /// sorted list in place, from its end; no second list is made (a fresh
    /// one for every merge came from pages the system had to clear each
    /// time). When most runs are `new` values the list makes room for all
    /// of them and merges in one pass. Otherwise a first pass adds the
    /// counts of the values the list has and counts those it lacks, and the
    /// list grows by only those: making room for every run left a list that
    /// saw its values again — the same log read twice, the distinct values
    /// of a long log all seen, a second worker's list merged in — with
    /// twice the room it needed for good (and moved every entry twice).
    /// Returns whether every run was a value the list had (none was added).
    fn merge_runs<I>(&mut self, runs: I, most: usize, new: bool) -> bool
    where
        I: DoubleEndedIterator<Item = (u64, u64)> + Clone,
    {
        let s = &mut self.sorted;
        let counted = !new;
        let room = if counted {
            let (mut at, mut lacking) = (0usize, 0usize);
            for (bits, n) in runs.clone() {
                // runs ascend: each is looked for past the last one's place
                at += gallop(&s[at..], bits);
                match s.get_mut(at) {
                    Some(e) if e.0 == bits => e.1 += n,
                    _ => lacking += 1,
                }
            }
            lacking
        } else {
            most
        };
        if room == 0 {
            return true;
        }
        let old = s.len();
        // an eighth more room at a time, not twice as much: room a long
        // list never fills would stay in memory for every list there is
        if s.capacity() < old + room {
            s.reserve_exact(room + old / 8);
        }
        s.resize(old + room, (0, 0));
        // s[..i] is the part of the list not yet moved, s[k..] the merged
        // part; k - i stays at least the runs still to place
        let (mut i, mut k) = (old, old + room);
        for (bits, mut n) in runs.rev() {
            while i > 0 && s[i - 1].0 > bits {
                k -= 1;
                s[k] = s[i - 1];
                i -= 1;
            }
            if i > 0 && s[i - 1].0 == bits {
                if counted {
                    // added in the first pass; stays where it is for now
                    continue;
                }
                n += s[i - 1].1;
                i -= 1;
            }
            k -= 1;
            s[k] = (bits, n);
            if counted && k == i {
                // every new value placed: the rest is where it was
                break;
            }
        }
        if k > i {
            let end = s.len();
            s.copy_within(k..end, i);
            s.truncate(i + end - k);
        }
        false
    }

    fn merge(&mut self, mut other: ExactCounts) {
        self.settle();
        other.settle();
        let theirs = &other.sorted;
        let new = theirs.is_empty() || self.mostly_new(|k| theirs[k * theirs.len() / SAMPLES].0);
        self.merge_runs(theirs.iter().copied(), theirs.len(), new);
        self.known = false;
    }

    /// Distinct values (after [`ExactCounts::settle`]).
    fn len(&self) -> usize {
        self.sorted.len()
    }

    /// The settled state, without changing `self` (for reports).
    fn settled(&self) -> std::borrow::Cow<'_, ExactCounts> {
        if self.pending.is_empty() {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut s = self.clone();
            s.settle();
            std::borrow::Cow::Owned(s)
        }
    }
}

/// The place of the first entry of `s` (ascending) not below `bits`,
/// looked for near the start first: the runs a list merges are mostly as
/// dense as the list, so the next place is rarely more than a step away.
fn gallop(s: &[(u64, u64)], bits: u64) -> usize {
    let mut hi = 1;
    while hi <= s.len() && s[hi - 1].0 < bits {
        hi *= 2;
    }
    let lo = hi / 2;
    lo + s[lo..hi.min(s.len())].partition_point(|e| e.0 < bits)
}

/// An accepted latency in whole nanoseconds, rounded half away from zero
/// as `f64::round` does. It is at most a day (under 2⁴⁷ ns), so it fits a
/// `u64`, and `x - trunc(x)` is exact: no call to libm's `round` and none
/// to the float-to-`u128` conversion (together 1.4% of a `summary`).
pub fn nanoseconds(v: f64) -> u64 {
    let x = v * 1e6;
    let whole = x as u64;
    whole + u64::from(x - whole as f64 >= 0.5)
}

fn key(v: f64) -> u64 {
    // +0.0 and -0.0 are one value
    (v + 0.0).to_bits()
}

impl LatencySketch {
    /// Adds one latency; the caller has checked it with [`acceptable`].
    pub fn add(&mut self, v: f64) {
        self.add_n(v, 1);
    }

    /// Adds `n` latencies of the value `v`.
    pub fn add_n(&mut self, v: f64, n: u64) {
        debug_assert!(acceptable(v), "{v}");
        if n == 0 {
            return;
        }
        if self.count == 0 {
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        self.count += n;
        self.sum_ns += u128::from(nanoseconds(v)) * u128::from(n);
        match &mut self.bins {
            Some(b) => b.add(v, n),
            None => {
                self.exact.add(key(v), n);
                if self.exact.len() > EXACT_DISTINCT_LIMIT {
                    self.spill();
                }
            }
        }
    }

    fn spill(&mut self) {
        let mut bins = self.bins.take().unwrap_or_default();
        let mut exact = std::mem::take(&mut self.exact);
        exact.settle();
        bins.add_counts(&exact.sorted);
        self.bins = Some(bins);
    }

    pub fn merge(&mut self, mut other: LatencySketch) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = other;
            return;
        }
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.count += other.count;
        self.sum_ns += other.sum_ns;
        if self.bins.is_none() && other.bins.is_none() {
            self.exact.merge(std::mem::take(&mut other.exact));
            if self.exact.len() > EXACT_DISTINCT_LIMIT {
                self.spill();
            }
            return;
        }
        self.spill();
        other.spill();
        if let (Some(mine), Some(theirs)) = (&mut self.bins, &other.bins) {
            mine.merge(theirs);
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// False once the distinct values passed [`EXACT_DISTINCT_LIMIT`] and
    /// percentiles are within [`RELATIVE_ERROR`] instead of exact.
    pub fn is_exact(&self) -> bool {
        // the pending values can only carry the count past the limit when there are that many
        let e = &self.exact;
        self.bins.is_none()
            && (e.sorted.len() + e.pending.len() <= EXACT_DISTINCT_LIMIT || e.settled().len() <= EXACT_DISTINCT_LIMIT)
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_ns as f64 / 1e6 / self.count as f64)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// Nearest-rank percentile: the ⌈p·n⌉-th smallest value, `p` in percent
    /// (`99.0` for p99). `None` for an empty sketch.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        self.percentiles(&[p]).pop().flatten()
    }

    /// [`LatencySketch::percentile`] of several `ps` at once (one sort).
    pub fn percentiles(&self, ps: &[f64]) -> Vec<Option<f64>> {
        if self.count == 0 {
            return vec![None; ps.len()];
        }
        let ranks: Vec<u64> = ps
            .iter()
            .map(|p| {
                // p in hundredths of a percent keeps the rank in integers: no 0.99·100 = 98.999… surprises.
                let basis_points = (p * 100.0).round() as u128;
                ((u128::from(self.count) * basis_points).div_ceil(10_000) as u64).clamp(1, self.count)
            })
            .collect();
        // the pending values merged in once; they may carry the distinct count past the limit
        let exact = self.exact.settled();
        let mut binned;
        let bins = match &self.bins {
            None if exact.len() > EXACT_DISTINCT_LIMIT => {
                binned = Bins::default();
                binned.add_counts(&exact.sorted);
                Some(&binned)
            }
            b => b.as_deref(),
        };
        match bins {
            Some(b) => ranks
                .iter()
                .map(|&r| Some(if r == self.count { self.max } else { b.value_at(r).clamp(self.min, self.max) }))
                .collect(),
            None => {
                let values: Vec<(f64, u64)> = exact.sorted.iter().map(|&(b, n)| (f64::from_bits(b), n)).collect();
                ranks
                    .iter()
                    .map(|&rank| {
                        let mut seen = 0;
                        values.iter().find(|(_, n)| {
                            seen += n;
                            seen >= rank
                        })
                    })
                    .map(|found| found.map(|(v, _)| *v))
                    .collect()
            }
        }
    }
}

/// A [`LatencySketch`] that costs 24 bytes while every latency it holds
/// is the same value, as for the millions of principals of a spray that
/// each make one request; it becomes a full sketch at the second value.
/// Its percentiles are the full sketch's, bit for bit.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub enum SmallSketch {
    #[default]
    Empty,
    /// `count` latencies, all `value` (`-0.0` stored as `0.0`).
    Same {
        value: f64,
        count: u64,
    },
    Full(Box<LatencySketch>),
}

impl SmallSketch {
    /// Asks for the place the next latency goes (see [`super::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self) {
        if let SmallSketch::Full(s) = self {
            s.exact.prefetch();
        }
    }

    /// Adds one latency; the caller has checked it with [`acceptable`].
    pub fn add(&mut self, v: f64) {
        self.add_n(v, 1);
    }

    fn add_n(&mut self, v: f64, n: u64) {
        let v = v + 0.0;
        match self {
            SmallSketch::Empty => *self = SmallSketch::Same { value: v, count: n },
            SmallSketch::Same { value, count } if value.to_bits() == v.to_bits() => *count += n,
            SmallSketch::Same { value, count } => {
                let mut full = LatencySketch::default();
                full.add_n(*value, *count);
                full.add_n(v, n);
                *self = SmallSketch::Full(Box::new(full));
            }
            SmallSketch::Full(full) => full.add_n(v, n),
        }
    }

    pub fn merge(&mut self, other: SmallSketch) {
        match other {
            SmallSketch::Empty => {}
            SmallSketch::Same { value, count } => self.add_n(value, count),
            SmallSketch::Full(theirs) => match std::mem::take(self) {
                SmallSketch::Empty => *self = SmallSketch::Full(theirs),
                SmallSketch::Same { value, count } => {
                    let mut full = theirs;
                    full.add_n(value, count);
                    *self = SmallSketch::Full(full);
                }
                SmallSketch::Full(mut mine) => {
                    mine.merge(*theirs);
                    *self = SmallSketch::Full(mine);
                }
            },
        }
    }

    /// As [`LatencySketch::percentile`].
    pub fn percentile(&self, p: f64) -> Option<f64> {
        match self {
            SmallSketch::Empty => None,
            SmallSketch::Same { value, .. } => Some(*value),
            SmallSketch::Full(full) => full.percentile(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanoseconds_round_as_f64_round_does() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut values = vec![0.0, -0.0, 0.5e-6, 1.5e-6, 2.5e-6, 10.291, 0.0005, MAX_LATENCY_MS];
        // halves and their neighbours, and values over the whole range
        for k in 0..2000u64 {
            let half = (k as f64 + 0.5) / 1e6;
            values.extend([half, f64::from_bits(half.to_bits() + 1), f64::from_bits(half.to_bits() - 1)]);
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> 11) as f64 / (1u64 << 53) as f64 * MAX_LATENCY_MS);
        }
        for v in values.into_iter().filter(|v| acceptable(*v)) {
            assert_eq!(u128::from(nanoseconds(v)), (v * 1e6).round() as u128, "{v:e}");
        }
    }

    fn exact_nearest_rank(values: &[f64], p: f64) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        // the rank in integers, as a person computes it: ⌈p·n/100⌉
        let rank = ((p * 100.0).round() as usize * v.len()).div_ceil(10_000).max(1);
        v[rank - 1]
    }

    fn pseudo_random_latencies(n: usize, seed: u64, decimals: i32) -> Vec<f64> {
        let mut x = seed;
        let scale = 10f64.powi(decimals);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                ((u * 8.0).exp() / 10.0 * scale).round() / scale
            })
            .collect()
    }

    fn sketch(values: &[f64]) -> LatencySketch {
        let mut s = LatencySketch::default();
        values.iter().for_each(|v| s.add(*v));
        s
    }

    #[test]
    fn small_sets_are_exact() {
        let s = sketch(&[5.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!(s.percentile(50.0), Some(3.0));
        assert_eq!(s.percentile(95.0), Some(5.0));
        assert_eq!(s.percentile(20.0), Some(1.0));
        assert_eq!(s.percentile(21.0), Some(2.0));
        assert_eq!(s.mean(), Some(3.0));
        assert_eq!(LatencySketch::default().percentile(50.0), None);
    }

    #[test]
    fn large_sets_with_few_decimals_are_exact() {
        let values = pseudo_random_latencies(200_000, 7, 2);
        let s = sketch(&values);
        assert!(s.is_exact());
        for p in [1.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0] {
            assert_eq!(s.percentile(p), Some(exact_nearest_rank(&values, p)), "p{p}");
        }
    }

    #[test]
    fn past_the_distinct_limit_within_a_tenth_of_a_percent() {
        // more distinct values than the limit: nine decimals
        let values = pseudo_random_latencies(EXACT_DISTINCT_LIMIT + 50_000, 3, 9);
        let s = sketch(&values);
        assert!(!s.is_exact());
        for p in [1.0, 50.0, 95.0, 99.0, 99.9] {
            let exact = exact_nearest_rank(&values, p);
            let got = s.percentile(p).unwrap();
            assert!((got - exact).abs() <= exact * RELATIVE_ERROR, "p{p}: {got} vs {exact}");
        }
        assert_eq!(s.percentile(100.0), Some(exact_nearest_rank(&values, 100.0)));
    }

    #[test]
    fn any_split_and_merge_order_gives_identical_bits() {
        let values = pseudo_random_latencies(5_000, 11, 3);
        let whole = sketch(&values);
        for parts in [2usize, 3, 7, 64] {
            let mut sketches: Vec<LatencySketch> = values.chunks(values.len().div_ceil(parts)).map(sketch).collect();
            sketches.reverse();
            let mut merged = LatencySketch::default();
            for s in sketches {
                merged.merge(s);
            }
            for p in [50.0, 95.0, 99.0] {
                assert_eq!(
                    merged.percentile(p).map(f64::to_bits),
                    whole.percentile(p).map(f64::to_bits),
                    "p{p} over {parts} parts"
                );
            }
            assert_eq!(merged.mean().map(f64::to_bits), whole.mean().map(f64::to_bits));
        }
    }

    #[test]
    fn values_seen_again_wait_in_a_short_buffer() {
        let mut counts = ExactCounts::default();
        let values: Vec<u64> = (0..20_000u64).map(|i| (i * 7919) % 20_000).collect();
        values.iter().for_each(|&v| counts.add(v, 1));
        counts.settle();
        assert_eq!(counts.len(), 20_000);
        // the same values again (a log read twice, thrice): once a merge has
        // added nothing, the buffer holds a quarter of the list, not all of it
        values.iter().for_each(|&v| counts.add(v, 1));
        counts.settle();
        assert!(counts.pending.capacity() <= 20_000 / KNOWN_SHARE, "{}", counts.pending.capacity());
        for &v in &values {
            counts.add(v, 1);
            assert!(counts.pending.capacity() <= 20_000 / KNOWN_SHARE, "{}", counts.pending.capacity());
        }
        counts.settle();
        assert_eq!(counts.len(), 20_000);
        assert!(counts.sorted.iter().all(|&(_, n)| n == 3));
    }

    /// Values added one by one, in runs and by merges all count alike, and
    /// a sketch read before its pending values were merged answers the same.
    #[test]
    fn pending_values_runs_and_merges_count_alike() {
        let values = pseudo_random_latencies(3_000, 5, 1);
        let mut reference = std::collections::BTreeMap::<u64, u64>::new();
        let (mut a, mut b) = (LatencySketch::default(), LatencySketch::default());
        for (i, &v) in values.iter().enumerate() {
            let n = if i % 7 == 0 { 3 } else { 1 };
            *reference.entry(v.to_bits()).or_default() += n;
            if i % 2 == 0 {
                a.add_n(v, n)
            } else {
                b.add_n(v, n)
            }
            if i == 100 {
                // a report in the middle of the run sees every value so far
                let seen: u64 = reference.values().sum();
                assert_eq!(a.count() + b.count(), seen);
            }
        }
        a.merge(b);
        let mut sorted = Vec::new();
        for (bits, n) in &reference {
            sorted.extend(std::iter::repeat_n(f64::from_bits(*bits), *n as usize));
        }
        for p in [1.0, 25.0, 50.0, 95.0, 99.0, 100.0] {
            assert_eq!(a.percentile(p), Some(exact_nearest_rank(&sorted, p)), "p{p}");
        }
        a.exact.settle();
        let counted: Vec<(u64, u64)> = reference.into_iter().collect();
        assert_eq!(a.exact.sorted, counted);
    }

    /// Numbers below `m`, seeded.
    fn below(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        move |m| rand::Rng::random_range(&mut rng, 0..m)
    }

    #[test]
    fn merging_in_place_counts_as_a_map_does() {
        // lists and pending values of every small size, overlapping or not
        let mut next = below(7);
        for case in 0..2_000 {
            let range = 1 + next(40);
            let mut reference = std::collections::BTreeMap::<u64, u64>::new();
            let mut counts = ExactCounts::default();
            for _ in 0..next(30) {
                let v = next(range);
                *reference.entry(v).or_default() += 1;
                counts.pending.push(v);
            }
            counts.settle();
            let mut other = ExactCounts::default();
            for _ in 0..next(30) {
                let (v, n) = (next(range), 1 + next(3));
                *reference.entry(v).or_default() += n;
                other.add(v, n);
                other.add(v, 1);
                *reference.entry(v).or_default() += 1;
            }
            counts.merge(other);
            let want: Vec<(u64, u64)> = reference.into_iter().collect();
            assert_eq!(counts.sorted, want, "case {case}");
        }
    }

    #[test]
    fn long_lists_merge_as_a_map_does_whether_their_values_are_new_or_not() {
        // lists of thousands, merged with values new to them in every share
        // (both ways of merging: room for every run, or counted first)
        let mut next = below(11);
        for case in 0..60 {
            let range = 50 + next(20_000);
            let mut reference = std::collections::BTreeMap::<u64, u64>::new();
            let (mut a, mut b) = (ExactCounts::default(), ExactCounts::default());
            for i in 0..next(6_000) {
                let v = next(range);
                *reference.entry(v).or_default() += 1;
                if i % 3 == 0 { b.add(v, 1) } else { a.add(v, 1) }
            }
            let n = 1 + next(4);
            let v = next(range);
            a.add(v, n);
            *reference.entry(v).or_default() += n;
            a.merge(b);
            let want: Vec<(u64, u64)> = reference.into_iter().collect();
            assert_eq!(a.sorted, want, "case {case}");
        }
    }

    #[test]
    fn a_list_seeing_its_values_again_keeps_its_room() {
        // every value seen before: the same log read twice, or a worker's
        // list merged into another's with the same values
        let values: Vec<u64> = (0..5_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20).collect();
        let mut counts = ExactCounts::default();
        for &v in &values {
            counts.add(v, 1);
        }
        counts.settle();
        let room = counts.sorted.capacity();
        let distinct = counts.sorted.len();
        assert!(room < 2 * distinct, "{room} for {distinct}");
        for &v in values.iter().rev() {
            counts.add(v, 1);
        }
        counts.settle();
        assert_eq!(counts.sorted.capacity(), room);
        let mut other = ExactCounts::default();
        for &v in &values {
            other.add(v, 1);
        }
        counts.merge(other);
        assert_eq!(counts.sorted.capacity(), room);
        assert_eq!(counts.sorted.len(), distinct);
        let mut reference = std::collections::BTreeMap::<u64, u64>::new();
        for &v in &values {
            *reference.entry(v).or_default() += 3;
        }
        assert_eq!(counts.sorted, reference.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn gallop_finds_the_first_place_not_below() {
        let s: Vec<(u64, u64)> = [1u64, 3, 3, 7, 9, 20, 21, 22, 40].iter().map(|&v| (v, 1)).collect();
        for bits in 0..45 {
            for from in 0..=s.len() {
                assert_eq!(gallop(&s[from..], bits), s[from..].partition_point(|e| e.0 < bits), "{bits} from {from}");
            }
        }
    }

    #[test]
    fn zeros_are_kept_and_negative_zero_is_zero() {
        let mut s = LatencySketch::default();
        for i in 0..3000 {
            s.add(if i % 2 == 0 { 0.0 } else { 10.0 });
        }
        s.add(-0.0);
        assert_eq!(s.percentile(50.0), Some(0.0));
        assert_eq!(s.percentile(51.0), Some(10.0));
        assert_eq!(s.percentile(100.0), Some(10.0));
    }

    #[test]
    fn what_is_acceptable() {
        for v in [0.0, 0.001, 20.62, MAX_LATENCY_MS] {
            assert!(acceptable(v), "{v}");
        }
        for v in [-0.5, f64::NAN, f64::INFINITY, 1e308, MAX_LATENCY_MS + 1.0] {
            assert!(!acceptable(v), "{v}");
        }
    }

    #[test]
    fn small_sketches_answer_as_full_ones_for_any_split() {
        let cases: Vec<Vec<f64>> = vec![
            vec![],
            vec![4.25],
            vec![-0.0, 0.0, 0.0],
            vec![7.5; 40],
            vec![7.5, 7.5, 9.0],
            pseudo_random_latencies(500, 11, 1),
        ];
        for values in cases {
            let full = sketch(&values);
            for cut in [0, 1, values.len() / 3, values.len()] {
                let cut = cut.min(values.len());
                let (mut a, mut b) = (SmallSketch::default(), SmallSketch::default());
                values[..cut].iter().for_each(|v| a.add(*v));
                values[cut..].iter().for_each(|v| b.add(*v));
                let mut ab = a.clone();
                ab.merge(b.clone());
                b.merge(a);
                for p in [0.0, 50.0, 99.0, 100.0] {
                    let want = full.percentile(p).map(f64::to_bits);
                    assert_eq!(ab.percentile(p).map(f64::to_bits), want, "{values:?} cut {cut} p{p}");
                    assert_eq!(b.percentile(p).map(f64::to_bits), want, "{values:?} cut {cut} p{p} reversed");
                }
            }
        }
    }
}
