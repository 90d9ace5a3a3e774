//! One module per command: an accumulator that folds events, and the
//! serialisable report it becomes.

pub mod anomalies;
pub mod check;
pub mod group;
pub mod risk;
pub mod summary;
pub mod timeline;
pub mod users;
pub mod verify;
pub mod views;

use serde::Serialize;

use crate::event::OutcomeClass;
use crate::stats::{KeyTable, OutcomeCounts, Span, Tally};

/// The JSON `schema_version` of every report.
pub const SCHEMA_VERSION: u32 = 1;

/// A name with its event and denial counts, for top lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NameCount {
    pub name: String,
    pub events: u64,
    pub denied: u64,
}

impl NameCount {
    pub fn of(name: &str, t: &Tally) -> Self {
        NameCount { name: name.to_owned(), events: t.events(), denied: t.outcomes.get(OutcomeClass::Denied) }
    }
}

/// The first `n` of a table by events descending, then name, kept in a
/// heap of `n` as the table streams by: a table of millions of keys costs no
/// copy of itself.
pub fn top_n(table: &KeyTable<Tally>, n: usize) -> Vec<NameCount> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // the heap's top is the worst kept: fewest events, then the greatest name
    let mut heap: BinaryHeap<(Reverse<u64>, &str, u64)> = BinaryHeap::with_capacity(n.min(table.len()) + 1);
    for (name, t) in table.iter() {
        let item = (Reverse(t.events()), name, t.outcomes.get(OutcomeClass::Denied));
        if heap.len() < n {
            heap.push(item);
        } else if heap.peek().is_some_and(|worst| item < *worst) {
            heap.pop();
            heap.push(item);
        }
    }
    heap.into_sorted_vec()
        .into_iter()
        .map(|(Reverse(events), name, denied)| NameCount { name: name.to_owned(), events, denied })
        .collect()
}

/// Sorts a top list by events descending, then name, and keeps `n`.
pub fn keep_top(items: &mut Vec<NameCount>, n: usize) {
    items.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    items.truncate(n);
}

/// Rounds a latency to the microsecond, as reports print it.
/// `COLUMN[:asc|:desc]` of a `--sort` → the column and the direction asked
/// for (`None`: the column's natural one).
pub fn sort_direction(s: &str) -> (&str, Option<bool>) {
    match s.rsplit_once(':') {
        Some((n, "asc")) => (n, Some(false)),
        Some((n, "desc")) => (n, Some(true)),
        _ => (s, None),
    }
}

/// Compares two figures of a sort column; a missing figure sorts last in
/// either direction.
pub fn cmp_missing_last<T: PartialOrd>(a: &Option<T>, b: &Option<T>, descending: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(y).unwrap_or(Ordering::Equal);
            if descending { o.reverse() } else { o }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

pub fn round_ms(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// One key's share of another's events: a resource a principal touched, or
/// a principal that touched a resource.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AccessRow {
    pub name: String,
    pub events: u64,
    #[serde(flatten)]
    pub outcomes: OutcomeCounts,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// A time range as the reports write it: `first` and `last` as text,
/// `null` when empty (flattened into a row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstLast(pub Span);

impl Serialize for FirstLast {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("first", &self.0.first_text())?;
        m.serialize_entry("last", &self.0.last_text())?;
        m.end()
    }
}

/// The rows of a key's per-key tallies, by events descending, then name.
pub fn access_rows<'a>(tallies: impl Iterator<Item = (&'a str, &'a Tally)>) -> Vec<AccessRow> {
    let mut rows: Vec<AccessRow> = tallies
        .map(|(name, t)| AccessRow {
            name: name.to_owned(),
            events: t.events(),
            outcomes: t.outcomes,
            first: t.time.first_text(),
            last: t.time.last_text(),
        })
        .collect();
    rows.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
    rows
}
