//! One module per command: an accumulator that folds events, and the
//! serialisable report it becomes.

pub mod summary;

use serde::Serialize;

/// The JSON `schema_version` of every report.
pub const SCHEMA_VERSION: u32 = 1;

/// A name with its event and denial counts, for top lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NameCount {
    pub name: String,
    pub events: u64,
    pub denied: u64,
}

/// Sorts by events descending, then name, and keeps the first `n`.
pub fn top_n(mut items: Vec<NameCount>, n: usize) -> Vec<NameCount> {
    items.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    items.truncate(n);
    items
}

/// Rounds a latency to the microsecond, as reports print it.
pub fn round_ms(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}
