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
