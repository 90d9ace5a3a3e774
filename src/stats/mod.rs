//! Mergeable accumulators: every piece of state a worker folds events into
//! merges exactly, so results do not depend on `--threads` or chunking.

mod activity;
mod counts;
pub mod keyed;
pub mod latency;
mod small;

pub use activity::{Activity, Tally};
pub use counts::{OutcomeCounts, Span, TimeRange};
pub use keyed::KeyTable;
pub use latency::LatencySketch;
pub use small::SmallMap;

/// Asks for the cache line at `p` ahead of its use (nothing on targets
/// without the instruction). A principal's state is spread over several
/// allocations, each a cache miss when the events of thousands of
/// principals interleave; asked for together, the misses overlap instead
/// of following one another.
#[inline(always)]
pub fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it never faults, whatever the address,
    // and changes no memory
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
