//! `fsaudit summary`: totals, outcome classes, success rate, latency,
//! distinct counts, per-event-type breakdown and top lists.

use serde::Serialize;

use super::{NameCount, SCHEMA_VERSION, keep_top, round_ms, top_n};
use crate::engine::{Accumulator, InputReport, Scan};
use crate::event::Event;
use crate::stats::{KeyTable, LatencySketch, OutcomeCounts, Tally, TimeRange};

/// What `summary` folds events into.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SummaryAcc {
    outcomes: OutcomeCounts,
    time: TimeRange,
    latency: LatencySketch,
    event_types: KeyTable<OutcomeCounts>,
    principals: KeyTable<Tally>,
    resources: KeyTable<Tally>,
    endpoints: KeyTable<Tally>,
    source_ips: KeyTable<()>,
    without_resource: u64,
}

impl Accumulator for SummaryAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        self.outcomes.add(ev.outcome);
        if let Some(t) = ev.time {
            self.time.observe(t);
        }
        if let Some(l) = ev.latency_ms {
            self.latency.add(l);
        }
        self.event_types.entry(&ev.event_type).add(ev.outcome);
        self.principals.entry(&ev.principal).observe(ev);
        let resources = ev.resources.as_slice();
        if resources.is_empty() {
            self.without_resource += 1;
        }
        for r in resources {
            self.resources.entry(r).observe(ev);
        }
        if let Some(e) = &ev.endpoint {
            self.endpoints.entry(e).observe(ev);
        }
        if let Some(ip) = &ev.source_ip {
            self.source_ips.entry(ip);
        }
    }

    fn merge(&mut self, o: Self) {
        self.outcomes.merge(&o.outcomes);
        self.time.merge(&o.time);
        self.latency.merge(o.latency);
        self.event_types.merge_with(o.event_types, |a, b| a.merge(&b));
        self.principals.merge_with(o.principals, Tally::merge);
        self.resources.merge_with(o.resources, Tally::merge);
        self.endpoints.merge_with(o.endpoints, Tally::merge);
        self.source_ips.merge_with(o.source_ips, |_, _| ());
        self.without_resource += o.without_resource;
    }

    crate::spill::by_serde!();
}

#[derive(Debug, Serialize)]
pub struct TimeRangeReport {
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LatencyReport {
    pub count: u64,
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
    /// True when the percentiles are exact (false past a million distinct
    /// values, when they are within 0.1%).
    pub exact: bool,
    /// Latencies rejected: negative, non-finite or over a day.
    pub rejected: u64,
}

impl LatencyReport {
    pub fn of(s: &LatencySketch, rejected: u64) -> Self {
        let [p50, p95, p99] = <[Option<f64>; 3]>::try_from(s.percentiles(&[50.0, 95.0, 99.0])).expect("three");
        LatencyReport {
            count: s.count(),
            mean: s.mean().map(round_ms),
            // percentiles and the maximum are values of the input, printed as written
            p50,
            p95,
            p99,
            max: s.max(),
            exact: s.is_exact(),
            rejected,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Distinct {
    pub principals: u64,
    pub source_ips: u64,
    pub resources: u64,
    /// What was called: HTTP paths, `mcp:<tool>`, SOX offline methods, API operations.
    pub endpoints: u64,
}

#[derive(Debug, Serialize)]
pub struct EventTypeRow {
    pub name: String,
    pub events: u64,
    #[serde(flatten)]
    pub outcomes: OutcomeCounts,
}

/// The `summary` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct SummaryReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub inputs: Vec<InputReport>,
    pub scanned: u64,
    pub malformed: u64,
    pub events: u64,
    /// Lines that repeat an earlier line byte for byte (skipped with `--dedup`).
    pub duplicate_lines: u64,
    pub time_range: TimeRangeReport,
    pub outcomes: OutcomeCounts,
    pub success_rate: Option<f64>,
    pub latency_ms: LatencyReport,
    pub distinct: Distinct,
    /// Events that named no resource (Feast's server often leaves it empty).
    pub events_without_resource: u64,
    pub event_types: Vec<EventTypeRow>,
    pub top_principals: Vec<NameCount>,
    pub top_resources: Vec<NameCount>,
    pub top_endpoints: Vec<NameCount>,
}

impl SummaryReport {
    pub fn build(scan: Scan<SummaryAcc>, top: usize) -> Self {
        let (scan, acc) = scan.with_acc(());
        let mut parts = SummaryParts::new(top);
        parts.add(acc);
        parts.finish(scan)
    }
}

/// A summary built from its accumulator's key partitions, one at a time
/// (all of it at once when nothing was spilled): distinct counts add up,
/// and the top lists of the parts hold the top list of the whole.
pub struct SummaryParts {
    top: usize,
    acc: SummaryAcc,
    principals: u64,
    resources: u64,
    endpoints: u64,
    source_ips: u64,
    top_principals: Vec<NameCount>,
    top_resources: Vec<NameCount>,
    top_endpoints: Vec<NameCount>,
    event_types: Vec<EventTypeRow>,
}

impl SummaryParts {
    pub fn new(top: usize) -> Self {
        SummaryParts {
            top,
            acc: SummaryAcc::default(),
            principals: 0,
            resources: 0,
            endpoints: 0,
            source_ips: 0,
            top_principals: Vec::new(),
            top_resources: Vec::new(),
            top_endpoints: Vec::new(),
            event_types: Vec::new(),
        }
    }

    /// Adds one partition (no key is in two of them).
    pub fn add(&mut self, part: SummaryAcc) {
        self.principals += part.principals.len() as u64;
        self.resources += part.resources.len() as u64;
        self.source_ips += part.source_ips.len() as u64;
        self.top_principals.extend(top_n(&part.principals, self.top));
        keep_top(&mut self.top_principals, self.top);
        self.top_resources.extend(top_n(&part.resources, self.top));
        keep_top(&mut self.top_resources, self.top);
        self.endpoints += part.endpoints.len() as u64;
        self.top_endpoints.extend(top_n(&part.endpoints, self.top));
        keep_top(&mut self.top_endpoints, self.top);
        self.event_types.extend(part.event_types.iter().map(|(k, v)| EventTypeRow {
            name: if k.is_empty() { "(none)".to_owned() } else { k.to_owned() },
            events: v.total(),
            outcomes: *v,
        }));
        // what belongs to no key (totals, time, latency) is in one part only
        let SummaryAcc { outcomes, time, latency, without_resource, .. } = part;
        self.acc.outcomes.merge(&outcomes);
        self.acc.time.merge(&time);
        self.acc.latency.merge(latency);
        self.acc.without_resource += without_resource;
    }

    pub fn finish<A>(mut self, scan: Scan<A>) -> SummaryReport {
        let (scanned, malformed, events) = (scan.scanned(), scan.malformed(), scan.events());
        let (rejected, duplicate_lines) = (scan.rejected_latencies(), scan.duplicate_lines);
        let acc = self.acc;
        self.event_types.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
        SummaryReport {
            schema_version: SCHEMA_VERSION,
            command: "summary",
            inputs: scan.inputs,
            scanned,
            malformed,
            events,
            duplicate_lines,
            time_range: TimeRangeReport { first: acc.time.first_text(), last: acc.time.last_text() },
            outcomes: acc.outcomes,
            success_rate: acc.outcomes.success_rate(),
            latency_ms: LatencyReport::of(&acc.latency, rejected),
            distinct: Distinct {
                principals: self.principals,
                source_ips: self.source_ips,
                resources: self.resources,
                endpoints: self.endpoints,
            },
            events_without_resource: acc.without_resource,
            event_types: self.event_types,
            top_principals: self.top_principals,
            top_resources: self.top_resources,
            top_endpoints: self.top_endpoints,
        }
    }
}

impl crate::spill::Split for SummaryAcc {
    fn split(self, parts: usize) -> Vec<Self> {
        let SummaryAcc {
            outcomes,
            time,
            latency,
            event_types,
            principals,
            resources,
            endpoints,
            source_ips,
            without_resource,
        } = self;
        let mut out: Vec<SummaryAcc> = (0..parts).map(|_| SummaryAcc::default()).collect();
        for (acc, t) in out.iter_mut().zip(event_types.split(parts)) {
            acc.event_types = t;
        }
        for (acc, t) in out.iter_mut().zip(principals.split(parts)) {
            acc.principals = t;
        }
        for (acc, t) in out.iter_mut().zip(resources.split(parts)) {
            acc.resources = t;
        }
        for (acc, t) in out.iter_mut().zip(endpoints.split(parts)) {
            acc.endpoints = t;
        }
        for (acc, t) in out.iter_mut().zip(source_ips.split(parts)) {
            acc.source_ips = t;
        }
        let first = &mut out[0];
        (first.outcomes, first.time, first.latency, first.without_resource) =
            (outcomes, time, latency, without_resource);
        out
    }

    fn empty(&self) -> Self {
        SummaryAcc::default()
    }
}
