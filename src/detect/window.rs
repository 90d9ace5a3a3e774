//! Sliding windows over per-minute buckets, and the merging of the windows
//! that fire into incidents (one finding per incident, not per event).

use std::ops::Range;

/// For buckets sorted by minute, tries a window of `w` minutes starting at
/// each bucket and keeps those for which `fires(start_minute, buckets)`
/// holds; kept windows that overlap merge. Returns, for each incident, the
/// range of bucket indices it covers.
pub fn incidents<B>(
    buckets: &[(i64, B)],
    w: i64,
    mut fires: impl FnMut(i64, &[(i64, B)]) -> bool,
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut end = 0;
    for i in 0..buckets.len() {
        let start = buckets[i].0;
        while end < buckets.len() && buckets[end].0 < start + w {
            end += 1;
        }
        if fires(start, &buckets[i..end]) {
            match out.last_mut() {
                Some(r) if i < r.end => r.end = r.end.max(end),
                _ => out.push(i..end),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::incidents;

    fn buckets(minutes: &[i64]) -> Vec<(i64, u64)> {
        minutes.iter().map(|m| (*m, 1)).collect()
    }

    #[test]
    fn overlapping_windows_merge_and_distant_ones_do_not() {
        let b = buckets(&[0, 1, 2, 3, 20, 21, 22, 50]);
        let sum3 = |_: i64, w: &[(i64, u64)]| w.iter().map(|x| x.1).sum::<u64>() >= 3;
        assert_eq!(incidents(&b, 10, sum3), vec![0..4, 4..7]);
        assert!(incidents(&b, 2, sum3).is_empty());
        assert_eq!(incidents(&b, 100, |_, w| w.len() == 8), vec![0..8]);
    }
}
