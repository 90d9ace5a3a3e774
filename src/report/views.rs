//! `fsaudit views`: one row per resource (feature view, feature service) —
//! who reads it, with what outcome, latency, and when.

use serde::Serialize;

use super::risk::RiskPolicy;
use super::{AccessRow, SCHEMA_VERSION, access_rows};
use crate::engine::{Accumulator, Scan};
use crate::event::Event;
use crate::stats::{Activity, KeyTable, OutcomeCounts, Tally};

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ResourceState {
    activity: Activity,
    principals: KeyTable<Tally>,
}

impl ResourceState {
    fn merge(&mut self, o: ResourceState) {
        self.activity.merge(o.activity);
        self.principals.merge_with(o.principals, Tally::merge);
    }
}

/// What `views` folds events into. An event naming several resources
/// counts once for each.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ViewsAcc {
    resources: KeyTable<ResourceState>,
    without_resource: u64,
}

impl Accumulator for ViewsAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        let resources = ev.resources.as_slice();
        if resources.is_empty() {
            self.without_resource += 1;
        }
        for r in resources {
            let state = self.resources.entry(r);
            state.activity.observe(ev);
            state.principals.entry(&ev.principal).observe(ev);
        }
    }

    fn merge(&mut self, o: Self) {
        self.resources.merge_with(o.resources, ResourceState::merge);
        self.without_resource += o.without_resource;
    }

    crate::spill::by_serde!();
}

impl ViewsAcc {
    /// Events that named no resource.
    pub fn without_resource(&self) -> u64 {
        self.without_resource
    }
}

impl crate::spill::Split for ViewsAcc {
    fn split(self, parts: usize) -> Vec<Self> {
        let mut out: Vec<ViewsAcc> = self
            .resources
            .split(parts)
            .into_iter()
            .map(|resources| ViewsAcc { resources, without_resource: 0 })
            .collect();
        out[0].without_resource = self.without_resource;
        out
    }

    fn empty(&self) -> Self {
        ViewsAcc::default()
    }
}

#[derive(Debug, Serialize)]
pub struct ViewRow {
    pub name: String,
    pub events: u64,
    /// Distinct principals.
    pub principals: u64,
    #[serde(flatten)]
    pub outcomes: OutcomeCounts,
    pub latency_p99_ms: Option<f64>,
    pub first: Option<String>,
    pub last: Option<String>,
    /// Matches `--sensitive`.
    pub sensitive: bool,
    /// With `--view`: every principal that touched the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed_by: Option<Vec<AccessRow>>,
}

/// The `views` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct ViewsReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub events: u64,
    pub malformed: u64,
    pub events_without_resource: u64,
    /// Distinct resources shown, before `--top` shortens the list.
    pub resources_total: u64,
    pub resources: Vec<ViewRow>,
}

impl ViewsReport {
    /// `keep` selects the rows (with `--view`, only the matching resources:
    /// an event naming two views passes the filter through one of them), and
    /// `detail` lists each resource's principals.
    pub fn build(
        scan: Scan<ViewsAcc>,
        policy: &RiskPolicy,
        keep: impl Fn(&str) -> bool,
        detail: bool,
        top: Option<usize>,
    ) -> Self {
        let rows = Self::rows(&scan.acc, policy, keep, detail);
        let total = rows.len() as u64;
        Self::assemble(scan.events(), scan.malformed(), scan.acc.without_resource, rows, total, top)
    }

    /// The rows of the resources in `acc` that `keep` selects.
    pub fn rows(acc: &ViewsAcc, policy: &RiskPolicy, keep: impl Fn(&str) -> bool, detail: bool) -> Vec<ViewRow> {
        acc.resources
            .iter()
            .filter(|(name, _)| keep(name))
            .map(|(name, r)| {
                let t = &r.activity.tally;
                ViewRow {
                    name: name.to_owned(),
                    events: t.events(),
                    principals: r.principals.len() as u64,
                    outcomes: t.outcomes,
                    latency_p99_ms: r.activity.latency.percentile(99.0),
                    first: t.time.first_text(),
                    last: t.time.last_text(),
                    sensitive: policy.is_sensitive(name),
                    accessed_by: detail.then(|| access_rows(r.principals.iter())),
                }
            })
            .collect()
    }

    /// Sorts rows by events, then name, and keeps the first `top`.
    pub fn keep_top(rows: &mut Vec<ViewRow>, top: Option<usize>) {
        rows.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(&b.name)));
        if let Some(n) = top {
            rows.truncate(n);
        }
    }

    /// The report of `rows` (the first `top` of `resources_total`, or all).
    pub fn assemble(
        events: u64,
        malformed: u64,
        events_without_resource: u64,
        mut resources: Vec<ViewRow>,
        resources_total: u64,
        top: Option<usize>,
    ) -> Self {
        Self::keep_top(&mut resources, top);
        ViewsReport {
            schema_version: SCHEMA_VERSION,
            command: "views",
            events,
            malformed,
            events_without_resource,
            resources_total,
            resources,
        }
    }
}
