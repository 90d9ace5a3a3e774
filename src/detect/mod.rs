//! Threat detection: the detectors of `fsaudit anomalies`, also used by
//! `users` to raise risk scores.
//!
//! One pass folds events into per-key, per-minute buckets (counts, first and
//! last time, and capped sets of names); the detectors then slide their
//! windows over those buckets. Buckets are a function of the events alone,
//! not of their order or of how workers split them, so findings are the same
//! for any `--threads` and any order of lines. State grows with keys × active
//! minutes, never with events.

mod config;
mod evaluate;
mod population;
mod stats;
mod track;
mod window;

use std::sync::Arc;

use serde::Serialize;

pub use config::{Detector, DetectorConfig, Severity};
pub use evaluate::{
    AddressIncidents, address_findings, findings, findings_in, principal_findings, sort as sort_findings,
};
pub use population::Population;

use crate::engine::Accumulator;
use crate::event::{Event, OutcomeClass};
use crate::stats::{KeyTable, TimeRange};
use track::{IpTrack, ResourceUse};
pub use track::{PrincipalTrack, Tracked};

/// What the detectors fold events into. `P` is a principal's entry: its
/// [`PrincipalTrack`] alone, or (for `users`) that and the report's columns.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(bound(serialize = "P: serde::Serialize", deserialize = "P: serde::Deserialize<'de>"))]
pub struct DetectAcc<P = Box<PrincipalTrack>> {
    /// Not spilled: the partition read back is merged into an accumulator that has it.
    #[serde(skip)]
    cfg: Arc<DetectorConfig>,
    principals: KeyTable<P>,
    ips: KeyTable<IpTrack>,
    /// Requests and denials per resource by named principals (the population's rates).
    resources: KeyTable<ResourceUse>,
    range: TimeRange,
}

impl<P> DetectAcc<P> {
    pub fn new(cfg: Arc<DetectorConfig>) -> Self {
        DetectAcc {
            cfg,
            principals: KeyTable::default(),
            ips: KeyTable::default(),
            resources: KeyTable::default(),
            range: TimeRange::default(),
        }
    }

    /// The detectors' settings.
    pub fn config(&self) -> Arc<DetectorConfig> {
        self.cfg.clone()
    }

    pub fn config_ref(&self) -> &DetectorConfig {
        &self.cfg
    }

    /// The principals' entries.
    pub fn principals(&self) -> &KeyTable<P> {
        &self.principals
    }

    /// The principals' entries, to change what a report keeps beside the tracks.
    pub fn principals_mut(&mut self) -> &mut KeyTable<P> {
        &mut self.principals
    }
}

impl<P: Tracked> DetectAcc<P> {
    /// Folds `ev`, read from `line` when it is known, in and returns its
    /// principal's entry (made even for an event without a time, which the
    /// detectors themselves pass over). Without the line, no repeated line
    /// can be told apart, and none is claimed.
    pub fn observe_entry(&mut self, ev: &Event<'_>, line: Option<&[u8]>) -> &mut P {
        let entry = self.principals.entry(&ev.principal);
        entry.prefetch();
        if let Some(t) = ev.time {
            self.range.observe(t);
            let minute = minute_of(t);
            let p = entry.track_mut();
            *p.totals.entry(narrow(minute)) += 1;
            if ev.outcome == OutcomeClass::Denied {
                let b = p.denials.entry(minute);
                b.add_line(t, line.map(crate::engine::line_hash));
                for r in ev.resources.as_slice() {
                    b.names.insert(r);
                }
            } else {
                failure(&mut self.ips, p, ev, t, line);
            }
            if let Some(ip) = ev.source_ip.as_deref() {
                p.addresses().entry(ip).add(t);
            }
            if !crate::event::is_placeholder(&ev.principal) {
                for r in ev.resources.as_slice() {
                    let u = self.resources.entry(r);
                    u.requests += 1;
                    u.denied += u64::from(ev.outcome == OutcomeClass::Denied);
                }
            }
            self.cfg.observe_sensitive(p, ev, t);
        }
        entry
    }

    /// Folds another accumulator's state in.
    pub fn merge_state(&mut self, o: Self) {
        self.principals.par_merge_with(o.principals, P::merge);
        self.ips.merge_with(o.ips, IpTrack::merge);
        self.resources.merge_with(o.resources, ResourceUse::merge);
        self.range.merge(&o.range);
    }
}

/// Folds in a failed login or a failed write (any other event: nothing)
/// at `t`, read from `line` when it is known.
fn failure(
    ips: &mut KeyTable<IpTrack>,
    p: &mut PrincipalTrack,
    ev: &Event<'_>,
    t: crate::time::Micros,
    line: Option<&[u8]>,
) {
    let minute = minute_of(t);
    let hash = || line.map(crate::engine::line_hash);
    match ev.outcome {
        OutcomeClass::Unauthenticated => {
            let b = p.failures.entry(minute);
            let h = hash();
            b.add_line(t, h);
            if let Some(ip) = ev.source_ip.as_deref() {
                b.names.insert(ip);
                let by_ip = ips.entry(ip).failures.entry(minute);
                by_ip.add_line(t, h);
                by_ip.names.insert(&ev.principal);
            }
        }
        OutcomeClass::Error if is_write(ev) => {
            let b = p.writes.entry(minute);
            b.add_line(t, hash());
            for r in ev.resources.as_slice() {
                b.names.insert(r);
            }
            if ev.resources.is_empty() {
                if let Some(e) = ev.endpoint.as_deref() {
                    b.names.insert(e);
                }
            }
        }
        _ => {}
    }
}

/// A write that changes the store: a `WRITE_*` action, or Feast's
/// materialization and push endpoints.
pub fn is_write(ev: &Event<'_>) -> bool {
    let path = ev.endpoint.as_deref().unwrap_or("");
    let endpoint = ["/push", "/materialize", "/write-to-online-store"].iter().any(|w| path.starts_with(w));
    endpoint || ev.actions().iter().any(|a| a.to_ascii_uppercase().starts_with("WRITE"))
}

/// Minute index of a time.
fn minute_of(t: i64) -> i64 {
    t.div_euclid(60 * crate::time::MICROS_PER_SEC)
}

/// A minute index as the `i32` key of the totals map (clamped, far outside any real log).
pub(crate) fn narrow(minute: i64) -> i32 {
    minute.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

impl DetectAcc {
    fn observe_at(&mut self, ev: &Event<'_>, line: Option<&[u8]>) {
        // a principal seen only without times has nothing to detect
        let Some(t) = ev.time else { return };
        if !self.cfg.failures_only {
            self.observe_entry(ev, line);
            return;
        }
        // only failures are judged: the others name their principal (one
        // of the population the failures are judged against), no more
        let entry = self.principals.entry(&ev.principal);
        self.range.observe(t);
        if matches!(ev.outcome, OutcomeClass::Unauthenticated | OutcomeClass::Error) {
            failure(&mut self.ips, entry.track_mut(), ev, t, line);
        }
    }
}

impl Accumulator for DetectAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        self.observe_at(ev, None);
    }

    fn observe_line(&mut self, ev: &Event<'_>, line: &[u8]) {
        self.observe_at(ev, Some(line));
    }

    fn merge(&mut self, o: Self) {
        self.merge_state(o);
    }

    crate::spill::by_serde!();
}

impl<P> crate::spill::Split for DetectAcc<P> {
    /// Principals and addresses by their own keys; the time range (which
    /// `new-source-ip` needs whole) goes with every part.
    fn split(self, parts: usize) -> Vec<Self> {
        let principals = self.principals.split(parts);
        let ips = self.ips.split(parts);
        let resources = self.resources.split(parts);
        principals
            .into_iter()
            .zip(ips)
            .zip(resources)
            .map(|((principals, ips), resources)| DetectAcc {
                cfg: self.cfg.clone(),
                principals,
                ips,
                resources,
                range: self.range,
            })
            .collect()
    }

    fn empty(&self) -> Self {
        DetectAcc::new(self.cfg.clone())
    }
}

/// One finding of a detector: who, what, when, how many, and why in words.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub detector: &'static str,
    pub severity: Severity,
    pub principal: Option<String>,
    pub source_ip: Option<String>,
    pub resources: Vec<String>,
    pub start: String,
    pub end: String,
    pub count: u64,
    pub evidence: String,
    /// The chance of evidence this strong in ordinary traffic, corrected for
    /// every window the detector tried (none for the policy detectors).
    pub p_value: Option<f64>,
}
