//! Per-key activity: outcome counts and first/last time ([`Tally`]), plus a
//! latency distribution ([`Activity`]) where a report shows percentiles.

use crate::event::Event;

use super::{LatencySketch, OutcomeCounts, Span};

/// Outcome classes and time range of the events of one key.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub outcomes: OutcomeCounts,
    pub time: Span,
}

impl Tally {
    pub fn observe(&mut self, ev: &Event<'_>) {
        self.outcomes.add(ev.outcome);
        if let Some(t) = ev.time {
            self.time.observe(t);
        }
    }

    pub fn merge(&mut self, o: Tally) {
        self.outcomes.merge(&o.outcomes);
        self.time.merge(&o.time);
    }

    pub fn events(&self) -> u64 {
        self.outcomes.total()
    }
}

/// A [`Tally`] with the latency distribution of the same events.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Activity {
    pub tally: Tally,
    pub latency: LatencySketch,
}

impl Activity {
    pub fn observe(&mut self, ev: &Event<'_>) {
        self.tally.observe(ev);
        if let Some(l) = ev.latency_ms {
            self.latency.add(l);
        }
    }

    pub fn merge(&mut self, o: Activity) {
        self.tally.merge(o.tally);
        self.latency.merge(o.latency);
    }
}
