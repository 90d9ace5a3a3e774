//! Counting lines that repeat an earlier line, in bounded memory.
//!
//! Every line's 64-bit hash is kept (8 bytes a line) in pages of
//! [`HASH_PAGE`] hashes. The hash space is cut into [`RANGES`] ranges by
//! the top bits of a hash; a worker groups each page by range in place as
//! it fills (one counting pass, then each hash moved once, while the page
//! is still in cache), and sorts nothing while it reads. Past a budget
//! ([`HASH_BUDGET`] over all workers) a worker writes the pages it holds,
//! range after range, to one run in an anonymous temporary file and frees
//! them, so memory stays flat however long the input. At the end the
//! ranges are counted in parallel: each gathers its share of every page
//! and run, a few thousand hashes, and counts the distinct ones in a small
//! table in cache (or sorts them, when they are kept or crowd the table).
//! Two different lines collide with odds of about n²/2⁶⁵ for n distinct
//! lines (≈ 10⁻⁷ for 2 million lines).
//!
//! Sorting each page as it filled and merging the sorted pages took about
//! 6% of a one-thread `summary`; grouping in place and counting a range in
//! a table costs a fraction of that.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

/// Hashes in one page (512 KiB).
pub(super) const HASH_PAGE: usize = 1 << 16;
/// Bytes of pages all workers hold together before they write them out
/// (each worker holds its share).
pub(super) const HASH_BUDGET: usize = 16 << 20;
/// The hash space is cut into this many ranges, by the top bits of a hash.
const RANGE_BITS: u32 = 10;
const RANGES: usize = 1 << RANGE_BITS;

/// The range of the hash space a hash falls in.
fn range_of(h: u64) -> usize {
    (h >> (64 - RANGE_BITS)) as usize
}

/// A page's hashes grouped by range, ranges in order (in no order within
/// a range).
#[derive(Debug, Clone)]
struct Page {
    hashes: Vec<u64>,
    /// Where each range starts in `hashes`; `RANGES + 1` entries.
    starts: Box<[u32]>,
}

impl Page {
    /// `hashes` grouped by range, in place (each hash is moved once,
    /// straight to the place its range has next; a second page of memory
    /// for the grouped copy would raise the peak).
    fn of(mut hashes: Vec<u64>) -> Page {
        let mut starts = vec![0u32; RANGES + 1].into_boxed_slice();
        for &h in &hashes {
            starts[range_of(h) + 1] += 1;
        }
        for r in 0..RANGES {
            starts[r + 1] += starts[r];
        }
        // the next place of each range not yet holding one of its hashes
        let mut next = starts[..RANGES].to_vec();
        for r in 0..RANGES {
            let end = starts[r + 1];
            while next[r] < end {
                let mut h = hashes[next[r] as usize];
                let mut to = range_of(h);
                // carry the hash to its range, taking the one there along
                while to != r {
                    std::mem::swap(&mut h, &mut hashes[next[to] as usize]);
                    next[to] += 1;
                    to = range_of(h);
                }
                hashes[next[r] as usize] = h;
                next[r] += 1;
            }
        }
        Page { hashes, starts }
    }

    /// The hashes of range `r`.
    fn range(&self, r: usize) -> &[u64] {
        &self.hashes[self.starts[r] as usize..self.starts[r + 1] as usize]
    }
}

/// One run written out: the hashes of several pages, little-endian,
/// grouped by range.
#[derive(Debug)]
struct Run {
    file: File,
    /// Where each range starts, in hashes; `RANGES + 1` entries.
    starts: Vec<u64>,
}

impl Run {
    /// Hashes of ranges `from..to`, in range order.
    fn read_ranges(&self, from: usize, to: usize) -> io::Result<Vec<u64>> {
        let (a, b) = (self.starts[from] as usize, self.starts[to] as usize);
        let mut bytes = vec![0u8; (b - a) * 8];
        let got = crate::input::ranges::read_at(&self.file, &mut bytes, a as u64 * 8)?;
        if got != bytes.len() {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "a temporary file of line hashes is short"));
        }
        Ok(bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect())
    }

    /// Where range `r` lies in what [`Run::read_ranges`] gave from `from`.
    fn within(&self, from: usize, r: usize) -> std::ops::Range<usize> {
        let base = self.starts[from];
        (self.starts[r] - base) as usize..(self.starts[r + 1] - base) as usize
    }
}

/// The hashes of the lines one worker saw (and, after the workers are
/// merged, of all lines).
#[derive(Debug, Clone, Default)]
pub(super) struct HashPages {
    /// The page being filled.
    current: Vec<u64>,
    /// Full pages, each grouped by range.
    pages: Vec<Page>,
    /// Runs written out (shared by the copies `--follow` makes).
    runs: Vec<Arc<Run>>,
    /// Writing a run failed once: the pages stay in memory (the count
    /// stays exact; only memory is no longer bounded).
    no_disk: bool,
}

impl HashPages {
    /// Adds a line's hash; `workers` share the budget of pages held.
    pub(super) fn push(&mut self, line: &[u8], workers: usize) {
        if self.current.capacity() == 0 {
            self.current.reserve_exact(HASH_PAGE);
        }
        self.current.push(super::line_hash(line));
        if self.current.len() == HASH_PAGE {
            let full = std::mem::replace(&mut self.current, Vec::with_capacity(HASH_PAGE));
            self.pages.push(Page::of(full));
            // the pages this worker may hold, the one being filled among
            // them, before writing them out
            let hold = (HASH_BUDGET / (HASH_PAGE * 8) / workers.max(1)).max(2);
            if self.pages.len() >= hold && !self.no_disk {
                self.write_run();
            }
        }
    }

    /// The pages written to one run in a temporary file, and freed.
    fn write_run(&mut self) {
        match self.run_of_pages() {
            Ok(run) => {
                self.pages.clear();
                self.runs.push(Arc::new(run));
            }
            Err(_) => self.no_disk = true,
        }
    }

    fn run_of_pages(&self) -> io::Result<Run> {
        let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        let mut starts = Vec::with_capacity(RANGES + 1);
        let mut written = 0u64;
        for r in 0..RANGES {
            starts.push(written);
            for page in &self.pages {
                let part = page.range(r);
                for h in part {
                    out.write_all(&h.to_le_bytes())?;
                }
                written += part.len() as u64;
            }
        }
        starts.push(written);
        let file = out.into_inner().map_err(|e| e.into_error())?;
        Ok(Run { file, starts })
    }

    /// The page being filled, grouped and put with the full ones.
    fn close_current(&mut self) {
        let rest = std::mem::take(&mut self.current);
        if !rest.is_empty() {
            self.pages.push(Page::of(rest));
        }
    }

    /// Another worker's hashes, taken over.
    pub(super) fn merge(&mut self, mut other: HashPages) {
        other.close_current();
        self.pages.extend(other.pages);
        self.runs.extend(other.runs);
        self.no_disk |= other.no_disk;
    }

    /// Lines whose hash an earlier line had: all hashes less the distinct
    /// ones, counted range by range on rayon's threads (as many as
    /// `--threads`). With `keep`, also the distinct hashes, sorted.
    pub(super) fn duplicates(mut self, keep: bool) -> io::Result<(u64, Option<Vec<u64>>)> {
        use rayon::prelude::*;
        self.close_current();
        let total = self.pages.iter().map(|p| p.hashes.len() as u64).sum::<u64>()
            + self.runs.iter().map(|r| r.starts[RANGES]).sum::<u64>();
        // about 128 Ki hashes (1 MiB) a group of ranges, and at least 64 groups
        let groups = (total >> 17).clamp(64, RANGES as u64).next_power_of_two() as usize;
        let per = RANGES / groups;
        let counted: Vec<(u64, Option<Vec<u64>>)> = (0..groups)
            .into_par_iter()
            .map(|g| {
                let (from, to) = (g * per, (g + 1) * per);
                let read = self.runs.iter().map(|run| run.read_ranges(from, to)).collect::<io::Result<Vec<_>>>()?;
                let (mut dup, mut kept) = (0, Vec::new());
                let (mut range, mut table) = (Vec::new(), Vec::new());
                for r in from..to {
                    range.clear();
                    for page in &self.pages {
                        range.extend_from_slice(page.range(r));
                    }
                    for (run, hashes) in self.runs.iter().zip(&read) {
                        range.extend_from_slice(&hashes[run.within(from, r)]);
                    }
                    let n = range.len() as u64;
                    let counted = if keep { None } else { distinct(&range, &mut table) };
                    dup += n - match counted {
                        Some(d) => d,
                        None => {
                            range.sort_unstable();
                            range.dedup();
                            if keep {
                                kept.extend_from_slice(&range);
                            }
                            range.len() as u64
                        }
                    };
                }
                Ok((dup, keep.then_some(kept)))
            })
            .collect::<io::Result<_>>()?;
        let duplicates = counted.iter().map(|(d, _)| d).sum();
        let kept = keep.then(|| counted.into_iter().flat_map(|(_, k)| k.unwrap_or_default()).collect());
        Ok((duplicates, kept))
    }
}

/// How many distinct hashes `hashes` (all of one range) holds, counted in
/// an open-addressed table of twice as many slots (`table`, reused from
/// range to range; a few thousand hashes a range stay in cache): one probe
/// a hash where sorting them took a dozen comparisons. `None` when the
/// hashes crowd the table (lines made to share their hashes' bits would
/// make it quadratic): the caller sorts them instead.
fn distinct(hashes: &[u64], table: &mut Vec<u64>) -> Option<u64> {
    let bits = (2 * hashes.len()).next_power_of_two().trailing_zeros().max(4);
    let mask = (1usize << bits) - 1;
    table.clear();
    table.resize(1 << bits, 0);
    // at most half full, a probe finds its slot within two or three steps
    // on average: eight a hash is far past what hashes of real lines take
    let mut steps = 8 * hashes.len() + 64;
    // 0 marks an empty slot: the hash 0 is counted on its own
    let mut zero = false;
    let mut n = 0;
    for &h in hashes {
        if h == 0 {
            n += u64::from(!zero);
            zero = true;
            continue;
        }
        // the slot from the bits below the range's (the top bits are alike)
        let mut i = ((h << RANGE_BITS) >> (64 - bits)) as usize;
        loop {
            match table[i] {
                0 => {
                    table[i] = h;
                    n += 1;
                    break;
                }
                s if s == h => break,
                _ => {
                    steps = steps.checked_sub(1)?;
                    i = (i + 1) & mask;
                }
            }
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Saved states hold line hashes: the hash is XXH3-64 with seed 0, as
    /// another implementation computes it, at every length its algorithm
    /// treats differently (up to 16, 128 and 240 bytes, then stripes of 64
    /// and blocks of 1,024).
    #[test]
    fn line_hashes_are_xxh3() {
        assert_eq!(crate::engine::line_hash(b""), 0x2D06_8005_38D3_94C2);
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let bytes: Vec<u8> = (0..5000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        for n in (0..=1100).chain([2047, 2048, 2049, 4999]) {
            let line = &bytes[..n];
            assert_eq!(crate::engine::line_hash(line), xxhash_rust::xxh3::xxh3_64(line), "length {n}");
        }
    }

    /// Lines `i % distinct` for `i < n`, counted by `workers` workers as if
    /// the budget were shared by `sharing` of them.
    fn count(n: usize, distinct: usize, sharing: usize, workers: usize) -> (u64, Vec<u64>, usize) {
        let mut pages: Vec<HashPages> = (0..workers).map(|_| HashPages::default()).collect();
        for i in 0..n {
            pages[i % workers].push(format!("line {}", i % distinct).as_bytes(), sharing);
        }
        let mut all = HashPages::default();
        for p in pages {
            all.merge(p);
        }
        let runs = all.runs.len();
        // counted without keeping the hashes (a table a range), and kept (sorted)
        let (counted, none) = all.clone().duplicates(false).expect("temporary files readable");
        assert!(none.is_none());
        let (d, kept) = all.duplicates(true).expect("temporary files readable");
        assert_eq!(counted, d, "n={n} distinct={distinct}");
        (d, kept.expect("kept"), runs)
    }

    #[test]
    fn counts_repeats_in_memory_and_from_runs() {
        // one worker alone holds 32 pages; sharing with 16 or more, 2
        for (n, distinct, sharing, workers) in [
            (0, 1, 1, 1),
            (10, 3, 2, 2),
            (300_000, 170_000, 1, 2),
            (300_000, 170_000, 64, 1),
            (700_000, 170_000, 32, 3),
            (200_000, 7, 100, 1),
            // at the edge: one full page short of `hold` (2), and `hold`
            (2 * HASH_PAGE - 1, 90_000, 64, 1),
            (2 * HASH_PAGE, 90_000, 64, 1),
        ] {
            let hold = (HASH_BUDGET / (HASH_PAGE * 8) / sharing).max(2);
            let (dup, kept, runs) = count(n, distinct, sharing, workers);
            let mut want: Vec<u64> =
                (0..n.min(distinct)).map(|i| super::super::line_hash(format!("line {i}").as_bytes())).collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(dup, (n - want.len()) as u64, "n={n} distinct={distinct} hold={hold}");
            assert_eq!(kept, want, "n={n} distinct={distinct} hold={hold}");
            // runs are written once `hold` full pages are held
            let pages_per_worker = n / workers / HASH_PAGE;
            assert_eq!(runs > 0, pages_per_worker >= hold, "n={n} hold={hold} runs={runs}");
        }
    }

    #[test]
    fn distinct_hashes_are_counted_or_left_to_a_sort_when_crowded() {
        let mut table = Vec::new();
        assert_eq!(distinct(&[], &mut table), Some(0));
        // zeros and repeats among hashes spread as real ones are
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut hashes = vec![0, 0, 7, 7, u64::MAX, u64::MAX];
        for i in 0..3000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            hashes.push((5 << 54) | (x >> 10));
            if i % 3 == 0 {
                hashes.push((5 << 54) | (x >> 10));
            }
        }
        let mut want = hashes.clone();
        want.sort_unstable();
        want.dedup();
        assert_eq!(distinct(&hashes, &mut table), Some(want.len() as u64));
        // the table is emptied between ranges
        assert_eq!(distinct(&[7, 7, 8], &mut table), Some(2));
        // hashes that all want the same slot: counted while the steps last,
        // then handed to a sort
        let crowded: Vec<u64> = (0..20u64).chain(0..20).map(|i| (5 << 54) | i).collect();
        assert_eq!(distinct(&crowded, &mut table), Some(20));
        let crowded: Vec<u64> = (0..3000u64).map(|i| (5 << 54) | i).collect();
        assert_eq!(distinct(&crowded, &mut table), None);
    }

    #[test]
    fn a_page_groups_its_hashes_by_range_in_order() {
        assert_eq!(range_of(0), 0);
        assert_eq!(range_of(u64::MAX), RANGES - 1);
        // hashes spread over the whole space, at and around range edges
        let mut hashes: Vec<u64> = (0..5_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        hashes.extend([0, 1 << 54, (1 << 54) - 1, u64::MAX, u64::MAX / 3, 1 << 63, 1 << 54]);
        let page_input = hashes.clone();
        let page = Page::of(hashes.clone());
        let hashes_in_order =
            |all: &[u64], r: usize| all.iter().copied().filter(|&h| range_of(h) == r).collect::<Vec<_>>();
        let mut again = Vec::new();
        for r in 0..RANGES {
            let part = page.range(r);
            // each hash's top ten bits name its range
            assert!(part.iter().all(|&h| (h >> 54) as usize == r), "range {r}");
            again.extend_from_slice(part);
        }
        assert_eq!(page.hashes, again);
        again.sort_unstable();
        hashes.sort_unstable();
        assert_eq!(again, hashes);
        // a range holds every hash of it (in some order)
        let mut want = hashes_in_order(&page_input, 1);
        let mut got = page.range(1).to_vec();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(page.range(1).iter().filter(|&&h| h == 1 << 54).count(), 2);
    }
}
