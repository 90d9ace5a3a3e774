//! Counts per outcome class and the first/last time seen.

use serde::Serialize;

use crate::event::OutcomeClass;
use crate::time::{Micros, format_millis};

/// Events per outcome class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts([u64; 4]);

impl OutcomeCounts {
    pub fn add(&mut self, class: OutcomeClass) {
        self.0[class.index()] += 1;
    }

    pub fn merge(&mut self, other: &OutcomeCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    pub fn get(&self, class: OutcomeClass) -> u64 {
        self.0[class.index()]
    }

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// (events − success) / events, `None` when there are no events.
    pub fn failure_rate(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| (total - self.get(OutcomeClass::Success)) as f64 / total as f64)
    }

    /// success / events, `None` when there are no events.
    pub fn success_rate(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| self.get(OutcomeClass::Success) as f64 / total as f64)
    }
}

/// Read back as written: a map from class names to counts (spill files).
impl<'de> serde::Deserialize<'de> for OutcomeCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OutcomeCounts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("counts by outcome class")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<OutcomeCounts, A::Error> {
                let mut c = OutcomeCounts::default();
                while let Some((name, n)) = m.next_entry::<String, u64>()? {
                    let class = OutcomeClass::parse(&name)
                        .ok_or_else(|| serde::de::Error::custom(format_args!("unknown class {name}")))?;
                    c.0[class.index()] = n;
                }
                Ok(c)
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for OutcomeCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(4))?;
        for c in OutcomeClass::ALL {
            m.serialize_entry(c.name(), &self.get(c))?;
        }
        m.end()
    }
}

/// The earliest and latest event time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeRange {
    pub first: Option<Micros>,
    pub last: Option<Micros>,
}

impl TimeRange {
    pub fn observe(&mut self, t: Micros) {
        self.first = Some(self.first.map_or(t, |f| f.min(t)));
        self.last = Some(self.last.map_or(t, |l| l.max(t)));
    }

    pub fn merge(&mut self, other: &TimeRange) {
        if let Some(f) = other.first {
            self.observe(f);
        }
        if let Some(l) = other.last {
            self.observe(l);
        }
    }

    pub fn first_text(&self) -> Option<String> {
        self.first.map(format_millis)
    }

    pub fn last_text(&self) -> Option<String> {
        self.last.map(format_millis)
    }
}

/// A [`TimeRange`] in 16 bytes instead of 32, for the per-key tallies a
/// table keeps millions of: an empty span is `first > last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    first: Micros,
    last: Micros,
}

impl Default for Span {
    fn default() -> Self {
        Span { first: Micros::MAX, last: Micros::MIN }
    }
}

impl Span {
    pub fn observe(&mut self, t: Micros) {
        self.first = self.first.min(t);
        self.last = self.last.max(t);
    }

    pub fn merge(&mut self, other: &Span) {
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
    }

    pub fn first(&self) -> Option<Micros> {
        (self.first <= self.last).then_some(self.first)
    }

    pub fn last(&self) -> Option<Micros> {
        (self.first <= self.last).then_some(self.last)
    }

    pub fn first_text(&self) -> Option<String> {
        self.first().map(format_millis)
    }

    pub fn last_text(&self) -> Option<String> {
        self.last().map(format_millis)
    }
}
