//! The metrics a rule can bound, and the mergeable state each one needs.

use rustc_hash::FxHashMap;

use crate::event::{Event, OutcomeClass};
use crate::stats::{KeyTable, LatencySketch, OutcomeCounts, TimeRange};
use crate::time::MICROS_PER_SEC;

/// A metric of `fsaudit check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Events,
    Success,
    Denied,
    Unauthenticated,
    Error,
    Malformed,
    SuccessRate,
    FailureRate,
    DeniedRate,
    P50Ms,
    P95Ms,
    P99Ms,
    MaxMs,
    Principals,
    SpanDays,
    MaxGap,
    Findings,
    ChainBreaks,
}

impl Metric {
    pub const ALL: [Metric; 18] = [
        Metric::Events,
        Metric::Success,
        Metric::Denied,
        Metric::Unauthenticated,
        Metric::Error,
        Metric::Malformed,
        Metric::SuccessRate,
        Metric::FailureRate,
        Metric::DeniedRate,
        Metric::P50Ms,
        Metric::P95Ms,
        Metric::P99Ms,
        Metric::MaxMs,
        Metric::Principals,
        Metric::SpanDays,
        Metric::MaxGap,
        Metric::Findings,
        Metric::ChainBreaks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Events => "events",
            Metric::Success => "success",
            Metric::Denied => "denied",
            Metric::Unauthenticated => "unauthenticated",
            Metric::Error => "error",
            Metric::Malformed => "malformed",
            Metric::SuccessRate => "success_rate",
            Metric::FailureRate => "failure_rate",
            Metric::DeniedRate => "denied_rate",
            Metric::P50Ms => "p50_ms",
            Metric::P95Ms => "p95_ms",
            Metric::P99Ms => "p99_ms",
            Metric::MaxMs => "max_ms",
            Metric::Principals => "principals",
            Metric::SpanDays => "span_days",
            Metric::MaxGap => "max_gap",
            Metric::Findings => "findings",
            Metric::ChainBreaks => "chain_breaks",
        }
    }

    /// What the metric measures, and its unit.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Metric::Events => ("events that passed the filters", "count"),
            Metric::Success => ("events of class success", "count"),
            Metric::Denied => ("events of class denied", "count"),
            Metric::Unauthenticated => ("events of class unauthenticated", "count"),
            Metric::Error => ("events of class error", "count"),
            Metric::Malformed => ("malformed lines", "count"),
            Metric::SuccessRate => ("success / events", "ratio 0-1"),
            Metric::FailureRate => ("(events - success) / events", "ratio 0-1"),
            Metric::DeniedRate => ("denied / events", "ratio 0-1"),
            Metric::P50Ms => ("median latency (nearest rank)", "ms"),
            Metric::P95Ms => ("95th percentile latency (nearest rank)", "ms"),
            Metric::P99Ms => ("99th percentile latency (nearest rank)", "ms"),
            Metric::MaxMs => ("largest latency", "ms"),
            Metric::Principals => ("distinct principals", "count"),
            Metric::SpanDays => ("days between the first and the last event", "days"),
            Metric::MaxGap => ("longest time without events", "seconds"),
            Metric::Findings => ("anomaly findings", "count"),
            Metric::ChainBreaks => ("integrity chain breaks", "count"),
        }
    }

    pub fn parse(s: &str) -> Result<Metric, String> {
        Metric::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
            format!("unknown metric '{s}' (expected one of {})", names.join(", "))
        })
    }

    /// Metrics computed from events (the others come from the scan, the
    /// detectors or the integrity check).
    pub fn from_events(self) -> bool {
        !matches!(self, Metric::Malformed | Metric::Findings | Metric::ChainBreaks)
    }

    /// A fresh state holding what this metric needs.
    pub fn state(self) -> MetricState {
        MetricState {
            latency: matches!(self, Metric::P50Ms | Metric::P95Ms | Metric::P99Ms | Metric::MaxMs).then(Box::default),
            principals: (self == Metric::Principals).then(Box::default),
            seconds: (self == Metric::MaxGap).then(Box::default),
            ..MetricState::default()
        }
    }
}

/// The events of one rule (in one bucket, for one subject). What only
/// some metrics need is boxed: a rule `each` principal keeps one of these
/// for every principal of every bucket (an entry of 96 bytes with its
/// name's end, not 256; boxed or not, serde writes the same bytes).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct MetricState {
    pub counts: OutcomeCounts,
    pub time: TimeRange,
    latency: Option<Box<LatencySketch>>,
    pub principals: Option<Box<KeyTable<()>>>,
    /// Per minute with events, each second's first and last millisecond
    /// with one ([`NO_EVENT`] where none): the exact gap between seconds.
    seconds: Option<Box<FxHashMap<i64, Box<Minute>>>>,
}

/// One minute: `(first, last)` millisecond of each of its 60 seconds.
type Minute = [(u16, u16)];
const NO_EVENT: (u16, u16) = (u16::MAX, 0);

impl MetricState {
    pub fn observe(&mut self, ev: &Event<'_>) {
        self.counts.add(ev.outcome);
        if let Some(t) = ev.time {
            self.time.observe(t);
            if let Some(s) = &mut self.seconds {
                let ms = t.div_euclid(1000);
                let second = ms.div_euclid(1000);
                let at = ms.rem_euclid(1000) as u16;
                let minute = s.entry(second.div_euclid(60)).or_insert_with(|| vec![NO_EVENT; 60].into_boxed_slice());
                let slot = &mut minute[second.rem_euclid(60) as usize];
                *slot = (slot.0.min(at), slot.1.max(at));
            }
        }
        if let (Some(l), Some(v)) = (&mut self.latency, ev.latency_ms) {
            l.add(v);
        }
        if let Some(p) = &mut self.principals {
            p.entry(&ev.principal);
        }
    }

    pub fn merge(&mut self, o: MetricState) {
        self.counts.merge(&o.counts);
        self.time.merge(&o.time);
        match (&mut self.latency, o.latency) {
            (Some(a), Some(b)) => a.merge(*b),
            (a @ None, b) => *a = b,
            _ => {}
        }
        match (&mut self.principals, o.principals) {
            (Some(a), Some(b)) => a.merge_with(*b, |_, _| ()),
            (a @ None, b) => *a = b,
            _ => {}
        }
        match (&mut self.seconds, o.seconds) {
            (Some(a), Some(b)) => {
                for (m, theirs) in *b {
                    match a.entry(m) {
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(theirs);
                        }
                        std::collections::hash_map::Entry::Occupied(mut o) => {
                            for (mine, their) in o.get_mut().iter_mut().zip(theirs.iter()) {
                                *mine = (mine.0.min(their.0), mine.1.max(their.1));
                            }
                        }
                    }
                }
            }
            (a @ None, b) => *a = b,
            _ => {}
        }
    }

    /// The metric's value; `None` where it is undefined (a rate of no events,
    /// a percentile of no latencies).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        let c = &self.counts;
        let events = c.total();
        let rate = |n: u64| (events > 0).then(|| n as f64 / events as f64);
        let latency = |p: f64| self.latency.as_ref().and_then(|l| l.percentile(p));
        match metric {
            Metric::Events => Some(events as f64),
            Metric::Success => Some(c.get(OutcomeClass::Success) as f64),
            Metric::Denied => Some(c.get(OutcomeClass::Denied) as f64),
            Metric::Unauthenticated => Some(c.get(OutcomeClass::Unauthenticated) as f64),
            Metric::Error => Some(c.get(OutcomeClass::Error) as f64),
            Metric::SuccessRate => c.success_rate(),
            Metric::FailureRate => c.failure_rate(),
            Metric::DeniedRate => rate(c.get(OutcomeClass::Denied)),
            Metric::P50Ms => latency(50.0),
            Metric::P95Ms => latency(95.0),
            Metric::P99Ms => latency(99.0),
            Metric::MaxMs => self.latency.as_ref().and_then(|l| l.max()),
            Metric::Principals => self.principals.as_ref().map(|p| p.len() as f64),
            Metric::SpanDays => {
                let (f, l) = (self.time.first?, self.time.last?);
                Some((l - f) as f64 / (86_400.0 * MICROS_PER_SEC as f64))
            }
            Metric::MaxGap => self.max_gap(),
            Metric::Malformed | Metric::Findings | Metric::ChainBreaks => None,
        }
    }

    /// The longest silence between two events, in seconds to the
    /// millisecond: exact whenever it is a second or longer (a silence
    /// inside one second is not looked for: the answer is then below 1).
    fn max_gap(&self) -> Option<f64> {
        let minutes = self.seconds.as_ref()?;
        let mut keys: Vec<i64> = minutes.keys().copied().collect();
        keys.sort_unstable();
        let mut previous: Option<i64> = None; // last millisecond with an event
        let mut longest = 0i64;
        for m in keys {
            for (s, &(first, last)) in minutes[&m].iter().enumerate() {
                if first > last {
                    continue;
                }
                let base = (m * 60 + s as i64) * 1000;
                if let Some(p) = previous {
                    longest = longest.max(base + i64::from(first) - p);
                }
                previous = Some(base + i64::from(last));
            }
        }
        previous.map(|_| longest as f64 / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule `each` principal keeps a state for every principal of every
    /// bucket: what only some metrics need stays out of line.
    #[test]
    fn a_state_is_its_counts_its_time_and_three_pointers() {
        let inline = std::mem::size_of::<OutcomeCounts>() + std::mem::size_of::<TimeRange>();
        assert_eq!(std::mem::size_of::<MetricState>(), inline + 3 * std::mem::size_of::<usize>());
    }
}
