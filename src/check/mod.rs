//! `fsaudit check`: rules over the whole input, per time bucket and per
//! subject, folded in the same single pass as every other report.

pub mod metric;
pub mod rules;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::engine::Accumulator;
use crate::event::Event;
use crate::report::timeline::MAX_BUCKETS;
use crate::stats::{KeyTable, TimeRange};
use metric::MetricState;
use rules::{Each, Rule};

/// Bucket key of rules without `per`.
pub const WHOLE: i64 = i64::MIN;

/// The state of one rule: the whole input, and its buckets and subjects.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RuleState {
    pub whole: MetricState,
    /// bucket start (or [`WHOLE`]) → subject (or `""`) → state.
    pub keyed: FxHashMap<i64, KeyTable<MetricState>>,
}

/// What `check` folds events into.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct CheckAcc {
    /// Not spilled: a partition read back is merged into an accumulator that has them.
    #[serde(skip)]
    rules: Arc<Vec<Rule>>,
    /// What each rule asks of an event, from `rules` (not spilled either).
    #[serde(skip)]
    steps: Vec<Step>,
    pub states: Vec<RuleState>,
    /// Time range of every event that passed the shared filters.
    pub range: TimeRange,
}

/// The few facts of a rule every event needs, side by side in a short
/// list rather than read out of each rule (its filter, its name, its
/// thresholds) for every event.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// The metric is counted from events (not findings or malformed lines).
    events: bool,
    /// The rule has a `where` that can turn an event away.
    filtered: bool,
    per: Option<i64>,
    each: Option<Each>,
}

impl CheckAcc {
    pub fn new(rules: Arc<Vec<Rule>>) -> Self {
        let states = rules.iter().map(|r| RuleState { whole: r.metric.state(), keyed: FxHashMap::default() }).collect();
        let steps = rules
            .iter()
            .map(|r| Step { events: r.metric.from_events(), filtered: r.filter.is_active(), per: r.per, each: r.each })
            .collect();
        CheckAcc { rules, steps, states, range: TimeRange::default() }
    }
}

impl Accumulator for CheckAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        if let Some(t) = ev.time {
            self.range.observe(t);
        }
        for (r, (step, state)) in self.steps.iter().zip(&mut self.states).enumerate() {
            // most rules have no `where`: no call to match them
            if !step.events || (step.filtered && !self.rules[r].filter.matches(ev)) {
                continue;
            }
            state.whole.observe(ev);
            if step.per.is_none() && step.each.is_none() {
                continue;
            }
            let rule = &self.rules[r];
            let bucket = match (step.per, ev.time) {
                (None, _) => WHOLE,
                (Some(p), Some(t)) => t.div_euclid(p) * p,
                (Some(_), None) => continue,
            };
            // past MAX_BUCKETS buckets with events the rule's `per` is too
            // fine for the span and the run is refused when the scan ends
            // (counted from the time range): hold no more of them until then
            if state.keyed.len() >= MAX_BUCKETS as usize && !state.keyed.contains_key(&bucket) {
                continue;
            }
            let table = state.keyed.entry(bucket).or_default();
            let fresh = || rule.metric.state();
            match step.each {
                None => table.entry_with("", fresh).observe(ev),
                Some(Each::Principal) => table.entry_with(&ev.principal, fresh).observe(ev),
                Some(Each::Resource) => {
                    for r in ev.resources.as_slice() {
                        table.entry_with(r, fresh).observe(ev);
                    }
                }
                Some(Each::SourceIp) => {
                    if let Some(ip) = &ev.source_ip {
                        table.entry_with(ip, fresh).observe(ev);
                    }
                }
            }
        }
    }

    fn merge(&mut self, o: Self) {
        self.range.merge(&o.range);
        for (mine, theirs) in self.states.iter_mut().zip(o.states) {
            mine.whole.merge(theirs.whole);
            for (bucket, table) in theirs.keyed {
                mine.keyed.entry(bucket).or_default().merge_with(table, MetricState::merge);
            }
        }
    }

    crate::spill::by_serde!();
}

impl crate::spill::Split for CheckAcc {
    /// The subjects of `each` rules (and the `""` of the others) by their
    /// names, and so the names a `principals` rule counts over the whole
    /// input; the rest of every rule's whole-input state goes with the
    /// first part, the time range with every part.
    fn split(self, parts: usize) -> Vec<Self> {
        let mut out: Vec<CheckAcc> = (0..parts).map(|_| self.empty()).collect();
        for part in &mut out {
            part.range = self.range;
            part.states.iter_mut().for_each(|s| s.whole = MetricState::default());
        }
        for (r, state) in self.states.into_iter().enumerate() {
            let mut whole = state.whole;
            // a `principals` rule's names (as many as an attacker writes)
            // go by name like the subjects; each part counts its own
            if let Some(names) = whole.principals.take() {
                for (p, names) in names.split(parts).into_iter().enumerate() {
                    out[p].states[r].whole.principals = Some(Box::new(names));
                }
            }
            let principals = out[0].states[r].whole.principals.take();
            out[0].states[r].whole = whole;
            out[0].states[r].whole.principals = principals;
            for (bucket, table) in state.keyed {
                for (p, t) in table.split(parts).into_iter().enumerate() {
                    if !t.is_empty() {
                        out[p].states[r].keyed.insert(bucket, t);
                    }
                }
            }
        }
        out
    }

    fn empty(&self) -> Self {
        CheckAcc::new(self.rules.clone())
    }
}
