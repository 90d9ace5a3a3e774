//! Latency percentiles in bounded memory, identical for any merge order.
//!
//! Up to [`EXACT_LIMIT`] values are kept as they are and answered exactly.
//! Past that, values fall into logarithmic bins whose width bounds the error
//! of any percentile to [`RELATIVE_ERROR`] (as in DDSketch), and the answer is
//! clamped to the exact minimum and maximum. Both states are a function of
//! the multiset of values alone, so any split of the input into chunks and
//! any order of merging gives the same bits. The mean uses an integer sum of
//! nanoseconds for the same reason.

/// Values kept exactly before switching to bins.
pub const EXACT_LIMIT: usize = 1024;
/// Largest relative error of a binned percentile (0.4%, inside DESIGN's 0.5%).
pub const RELATIVE_ERROR: f64 = 0.004;

const GAMMA: f64 = (1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR);

/// A mergeable latency distribution in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct LatencySketch {
    count: u64,
    sum_ns: u128,
    min: f64,
    max: f64,
    exact: Vec<f64>,
    bins: Option<Bins>,
}

#[derive(Debug, Clone, Default)]
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
        if v <= 0.0 {
            self.zeros += n;
            return;
        }
        self.add_index(Self::index(v), n);
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

impl LatencySketch {
    pub fn add(&mut self, v: f64) {
        if self.count == 0 {
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        self.count += 1;
        self.sum_ns += (v * 1e6).round() as u128;
        match &mut self.bins {
            Some(b) => b.add(v, 1),
            None => {
                self.exact.push(v);
                if self.exact.len() > EXACT_LIMIT {
                    self.spill();
                }
            }
        }
    }

    fn spill(&mut self) {
        let mut bins = self.bins.take().unwrap_or_default();
        for v in self.exact.drain(..) {
            bins.add(v, 1);
        }
        self.exact = Vec::new();
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
        if self.bins.is_none() && other.bins.is_none() && self.exact.len() + other.exact.len() <= EXACT_LIMIT {
            self.exact.append(&mut other.exact);
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

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_ns as f64 / 1e6 / self.count as f64)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// Nearest-rank percentile: the ⌈p·n⌉-th smallest value, `p` in percent
    /// (`99.0` for p99). `None` for an empty sketch.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        // p in hundredths of a percent keeps the rank in integers: no 0.99·100 = 98.999… surprises.
        let basis_points = (p * 100.0).round() as u128;
        let rank = ((u128::from(self.count) * basis_points).div_ceil(10_000) as u64).clamp(1, self.count);
        if rank == self.count {
            return Some(self.max);
        }
        let v = match &self.bins {
            Some(b) => b.value_at(rank),
            None => {
                let mut sorted = self.exact.clone();
                let (_, nth, _) = sorted.select_nth_unstable_by(rank as usize - 1, f64::total_cmp);
                *nth
            }
        };
        Some(v.clamp(self.min, self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_nearest_rank(values: &[f64], p: f64) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
        v[rank - 1]
    }

    fn pseudo_random_latencies(n: usize, seed: u64) -> Vec<f64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x % 1_000_000) as f64 / 1_000_000.0;
                ((u * 8.0).exp() / 10.0 * 1000.0).round() / 1000.0
            })
            .collect()
    }

    #[test]
    fn small_sets_are_exact() {
        let values = [5.0, 1.0, 3.0, 2.0, 4.0];
        let mut s = LatencySketch::default();
        values.iter().for_each(|v| s.add(*v));
        assert_eq!(s.percentile(50.0), Some(3.0));
        assert_eq!(s.percentile(95.0), Some(5.0));
        assert_eq!(s.percentile(20.0), Some(1.0));
        assert_eq!(s.percentile(21.0), Some(2.0));
        assert_eq!(s.mean(), Some(3.0));
        assert_eq!(LatencySketch::default().percentile(50.0), None);
    }

    #[test]
    fn large_sets_are_within_half_a_percent() {
        let values = pseudo_random_latencies(50_000, 7);
        let mut s = LatencySketch::default();
        values.iter().for_each(|v| s.add(*v));
        for p in [1.0, 50.0, 90.0, 95.0, 99.0, 99.9] {
            let exact = exact_nearest_rank(&values, p);
            let got = s.percentile(p).unwrap();
            assert!((got - exact).abs() <= exact * 0.005, "p{p}: {got} vs {exact}");
        }
        assert_eq!(s.percentile(100.0), Some(exact_nearest_rank(&values, 100.0)));
    }

    #[test]
    fn any_split_and_merge_order_gives_identical_bits() {
        let values = pseudo_random_latencies(5_000, 11);
        let mut whole = LatencySketch::default();
        values.iter().for_each(|v| whole.add(*v));
        for parts in [2usize, 3, 7, 64] {
            let mut sketches: Vec<LatencySketch> = values
                .chunks(values.len().div_ceil(parts))
                .map(|c| {
                    let mut s = LatencySketch::default();
                    c.iter().for_each(|v| s.add(*v));
                    s
                })
                .collect();
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
    fn zeros_are_kept() {
        let mut s = LatencySketch::default();
        for i in 0..3000 {
            s.add(if i % 2 == 0 { 0.0 } else { 10.0 });
        }
        assert_eq!(s.percentile(50.0), Some(0.0));
        let p51 = s.percentile(51.0).unwrap();
        assert!((p51 - 10.0).abs() <= 10.0 * RELATIVE_ERROR, "{p51}");
        assert_eq!(s.percentile(100.0), Some(10.0));
    }
}
