//! Counting lines that repeat an earlier line, in bounded memory.
//!
//! Every line's 64-bit hash is kept (8 bytes a line) in pages of
//! [`HASH_PAGE`] hashes; a worker sorts each page as it fills, while it is
//! still in cache. Past a budget ([`HASH_BUDGET`] over all workers) a worker
//! merges the pages it holds into one sorted run in an anonymous temporary
//! file and frees them, so memory stays flat however long the input. At the
//! end, the hash space is cut into ranges by the top bits of a hash; the
//! ranges are counted in parallel, each gathering its share of every page
//! and run (sorted pieces, merged by a run-adaptive sort) and counting the
//! distinct values. Two different lines collide with odds of about
//! n²/2⁶⁵ for n distinct lines (≈ 10⁻⁷ for 2 million lines).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

/// Hashes in one page (512 KiB).
pub(super) const HASH_PAGE: usize = 1 << 16;
/// Bytes of sorted pages all workers hold together before they write
/// them out (each worker holds its share).
pub(super) const HASH_BUDGET: usize = 16 << 20;
/// A run on disk records where each of these ranges of the hash space
/// starts (by the top bits of a hash), so a range is read without a search.
const RANGE_BITS: u32 = 10;
const RANGES: usize = 1 << RANGE_BITS;

/// The range of the hash space a hash falls in.
fn range_of(h: u64) -> usize {
    (h >> (64 - RANGE_BITS)) as usize
}

/// The hashes of a sorted page that fall in ranges `from..to`.
fn in_ranges(page: &[u64], from: usize, to: usize) -> &[u64] {
    let start = page.partition_point(|&h| range_of(h) < from);
    let len = page[start..].partition_point(|&h| range_of(h) < to);
    &page[start..start + len]
}

/// One sorted run written out: `count` hashes, little-endian, in order.
#[derive(Debug)]
struct Run {
    file: File,
    /// Where each range starts, in hashes; `RANGES + 1` entries.
    starts: Vec<u64>,
}

impl Run {
    /// Hashes of ranges `from..to`, appended to `out`.
    fn read_ranges(&self, from: usize, to: usize, out: &mut Vec<u64>) -> io::Result<()> {
        let (a, b) = (self.starts[from] as usize, self.starts[to] as usize);
        let mut bytes = vec![0u8; (b - a) * 8];
        let got = crate::input::ranges::read_at(&self.file, &mut bytes, a as u64 * 8)?;
        if got != bytes.len() {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "a temporary file of line hashes is short"));
        }
        out.extend(bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))));
        Ok(())
    }
}

/// The hashes of the lines one worker saw (and, after the workers are
/// merged, of all lines).
#[derive(Debug, Clone, Default)]
pub(super) struct HashPages {
    /// The page being filled, unsorted.
    current: Vec<u64>,
    /// Full pages, each sorted.
    sorted: Vec<Vec<u64>>,
    /// Sorted runs written out (shared by the copies `--follow` makes).
    runs: Vec<Arc<Run>>,
    /// Writing a run failed once: the pages stay in memory (the count
    /// stays exact; only memory is no longer bounded).
    no_disk: bool,
}

impl HashPages {
    /// Adds a line's hash; `workers` share the budget of sorted pages held.
    pub(super) fn push(&mut self, line: &[u8], workers: usize) {
        if self.current.capacity() == 0 {
            self.current.reserve_exact(HASH_PAGE);
        }
        self.current.push(super::line_hash(line));
        if self.current.len() == HASH_PAGE {
            let mut page = std::mem::replace(&mut self.current, Vec::with_capacity(HASH_PAGE));
            page.sort_unstable();
            self.sorted.push(page);
            // the sorted pages this worker may hold before writing them out
            let hold = (HASH_BUDGET / (HASH_PAGE * 8) / workers.max(1)).max(2);
            if self.sorted.len() > hold && !self.no_disk {
                self.write_run();
            }
        }
    }

    /// The sorted pages merged into one run in a temporary file, and freed.
    fn write_run(&mut self) {
        match self.run_of_pages() {
            Ok(run) => {
                self.sorted.clear();
                self.runs.push(Arc::new(run));
            }
            Err(_) => self.no_disk = true,
        }
    }

    fn run_of_pages(&self) -> io::Result<Run> {
        let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        let mut starts = Vec::with_capacity(RANGES + 1);
        let mut merged = Vec::new();
        let mut written = 0u64;
        // each page is walked once, from where its last range ended: a
        // binary search per page and range missed the cache at every step
        // (half of a worker's time in writing runs, measured)
        let mut at = vec![0usize; self.sorted.len()];
        for r in 0..RANGES {
            starts.push(written);
            merged.clear();
            for (page, at) in self.sorted.iter().zip(&mut at) {
                let n = page[*at..].iter().take_while(|&&h| range_of(h) == r).count();
                merged.extend_from_slice(&page[*at..*at + n]);
                *at += n;
            }
            // sorted pieces: the stable sort merges them
            merged.sort();
            for h in &merged {
                out.write_all(&h.to_le_bytes())?;
            }
            written += merged.len() as u64;
        }
        starts.push(written);
        let file = out.into_inner().map_err(|e| e.into_error())?;
        Ok(Run { file, starts })
    }

    /// The page being filled, sorted and put with the full ones.
    fn close_current(&mut self) {
        let mut rest = std::mem::take(&mut self.current);
        if !rest.is_empty() {
            rest.sort_unstable();
            self.sorted.push(rest);
        }
    }

    /// Another worker's hashes, taken over.
    pub(super) fn merge(&mut self, mut other: HashPages) {
        other.close_current();
        self.sorted.extend(other.sorted);
        self.runs.extend(other.runs);
        self.no_disk |= other.no_disk;
    }

    /// Lines whose hash an earlier line had: all hashes less the distinct
    /// ones, counted range by range on rayon's threads (as many as
    /// `--threads`). With `keep`, also the distinct hashes, sorted.
    pub(super) fn duplicates(mut self, keep: bool) -> io::Result<(u64, Option<Vec<u64>>)> {
        use rayon::prelude::*;
        self.close_current();
        let total = self.sorted.iter().map(|p| p.len() as u64).sum::<u64>()
            + self.runs.iter().map(|r| r.starts[RANGES]).sum::<u64>();
        // about 128 Ki hashes (1 MiB) a group of ranges, and at least 64 groups
        let groups = (total >> 17).clamp(64, RANGES as u64).next_power_of_two() as usize;
        let per = RANGES / groups;
        let counted: Vec<(u64, Option<Vec<u64>>)> = (0..groups)
            .into_par_iter()
            .map(|g| {
                let (from, to) = (g * per, (g + 1) * per);
                let mut all = Vec::new();
                for page in &self.sorted {
                    all.extend_from_slice(in_ranges(page, from, to));
                }
                for run in &self.runs {
                    run.read_ranges(from, to, &mut all)?;
                }
                // sorted pieces: the stable sort merges them
                all.sort();
                let n = all.len() as u64;
                all.dedup();
                let dup = n - all.len() as u64;
                Ok((dup, keep.then_some(all)))
            })
            .collect::<io::Result<_>>()?;
        let duplicates = counted.iter().map(|(d, _)| d).sum();
        let kept = keep.then(|| counted.into_iter().flat_map(|(_, k)| k.unwrap_or_default()).collect());
        Ok((duplicates, kept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let (d, kept) = all.duplicates(true).expect("temporary files readable");
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
        ] {
            let hold = (HASH_BUDGET / (HASH_PAGE * 8) / sharing).max(2);
            let (dup, kept, runs) = count(n, distinct, sharing, workers);
            let mut want: Vec<u64> =
                (0..n.min(distinct)).map(|i| super::super::line_hash(format!("line {i}").as_bytes())).collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(dup, (n - want.len()) as u64, "n={n} distinct={distinct} hold={hold}");
            assert_eq!(kept, want, "n={n} distinct={distinct} hold={hold}");
            // runs are written once more pages than `hold` are held
            let pages_per_worker = n / workers / HASH_PAGE;
            assert_eq!(runs > 0, pages_per_worker > hold, "n={n} hold={hold} runs={runs}");
        }
    }

    #[test]
    fn ranges_split_a_sorted_page_in_order() {
        assert_eq!(range_of(0), 0);
        assert_eq!(range_of(u64::MAX), RANGES - 1);
        // hashes spread over the whole space, at and around range edges
        let mut page: Vec<u64> = (0..5_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        page.extend([0, 1 << 54, (1 << 54) - 1, u64::MAX, u64::MAX / 3, 1 << 63]);
        page.sort_unstable();
        let mut again = Vec::new();
        for r in 0..RANGES {
            let part = in_ranges(&page, r, r + 1);
            // each hash's top ten bits name its range
            assert!(part.iter().all(|&h| (h >> 54) as usize == r), "range {r}");
            again.extend_from_slice(part);
        }
        assert_eq!(again, page);
        assert_eq!(in_ranges(&page, 0, RANGES), &page[..]);
        assert_eq!(in_ranges(&page, 3, 3), &[] as &[u64]);
    }
}
