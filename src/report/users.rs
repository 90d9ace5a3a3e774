//! `fsaudit users`: one row per principal — activity, outcome classes,
//! resources and addresses used, latency, and a risk score with reasons.

use serde::Serialize;

use super::risk::{RiskPolicy, assess};
use super::{AccessRow, SCHEMA_VERSION, access_rows};
use crate::detect::Finding;
use crate::engine::{Accumulator, Scan};
use crate::event::Event;
use crate::stats::{Activity, KeyTable, OutcomeCounts, Tally};

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct PrincipalState {
    activity: Activity,
    resources: KeyTable<Tally>,
    source_ips: KeyTable<()>,
}

impl PrincipalState {
    fn merge(&mut self, o: PrincipalState) {
        self.activity.merge(o.activity);
        self.resources.merge_with(o.resources, Tally::merge);
        self.source_ips.merge_with(o.source_ips, |_, _| ());
    }
}

/// What `users` folds events into.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct UsersAcc {
    principals: KeyTable<Box<PrincipalState>>,
}

impl Accumulator for UsersAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        let p = self.principals.entry(&ev.principal);
        p.activity.observe(ev);
        for r in ev.resources.as_slice() {
            p.resources.entry(r).observe(ev);
        }
        if let Some(ip) = &ev.source_ip {
            p.source_ips.entry(ip);
        }
    }

    fn merge(&mut self, o: Self) {
        self.principals.merge_with(o.principals, |a, b| a.merge(*b));
    }

    crate::spill::by_serde!();
}

impl crate::spill::Split for UsersAcc {
    fn split(self, parts: usize) -> Vec<Self> {
        self.principals.split(parts).into_iter().map(|principals| UsersAcc { principals }).collect()
    }

    fn empty(&self) -> Self {
        UsersAcc::default()
    }
}

#[derive(Debug, Serialize)]
pub struct UserRow {
    pub name: String,
    pub events: u64,
    #[serde(flatten)]
    pub outcomes: OutcomeCounts,
    pub failure_rate: Option<f64>,
    /// Distinct resources.
    pub resources: u64,
    /// Distinct source addresses.
    pub source_ips: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub latency_p99_ms: Option<f64>,
    pub risk_score: u32,
    pub risk_reasons: Vec<String>,
    /// With `--user`: every resource the principal touched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed: Option<Vec<AccessRow>>,
}

/// The `users` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct UsersReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub events: u64,
    pub malformed: u64,
    /// Distinct principals, before `--top` shortens the list.
    pub principals_total: u64,
    pub principals: Vec<UserRow>,
}

impl UsersReport {
    /// `detail` lists each principal's resources (set by `--user`).
    /// `findings` of the detectors raise the scores of the principals they name.
    pub fn build(
        scan: Scan<UsersAcc>,
        policy: &RiskPolicy,
        findings: &[Finding],
        detail: bool,
        top: Option<usize>,
    ) -> Self {
        let rows = Self::rows(&scan.acc, policy, findings, detail);
        let total = rows.len() as u64;
        Self::assemble(scan.events(), scan.malformed(), rows, total, top)
    }

    /// The rows of the principals in `acc` (all of them, or one partition's).
    pub fn rows(acc: &UsersAcc, policy: &RiskPolicy, findings: &[Finding], detail: bool) -> Vec<UserRow> {
        // each principal's findings, looked up once (not a scan of all findings per principal)
        let mut by_principal: rustc_hash::FxHashMap<&str, Vec<&Finding>> = rustc_hash::FxHashMap::default();
        for f in findings {
            if let Some(p) = f.principal.as_deref() {
                by_principal.entry(p).or_default().push(f);
            }
        }
        acc.principals
            .iter()
            .map(|(name, p)| {
                let t = &p.activity.tally;
                let theirs = by_principal.get(name).map_or(&[][..], Vec::as_slice);
                let risk = assess(t, &p.resources, policy, theirs);
                UserRow {
                    name: name.to_owned(),
                    events: t.events(),
                    outcomes: t.outcomes,
                    failure_rate: t.outcomes.failure_rate(),
                    resources: p.resources.len() as u64,
                    source_ips: p.source_ips.len() as u64,
                    first: t.time.first_text(),
                    last: t.time.last_text(),
                    latency_p99_ms: p.activity.latency.percentile(99.0),
                    risk_score: risk.score,
                    risk_reasons: risk.reasons,
                    accessed: detail.then(|| access_rows(&p.resources)),
                }
            })
            .collect()
    }

    /// Sorts rows by risk, then events, then name, and keeps the first `top`.
    pub fn keep_top(rows: &mut Vec<UserRow>, top: Option<usize>) {
        rows.sort_by(|a, b| {
            b.risk_score.cmp(&a.risk_score).then(b.events.cmp(&a.events)).then_with(|| a.name.cmp(&b.name))
        });
        if let Some(n) = top {
            rows.truncate(n);
        }
    }

    /// The report of `rows` (the first `top` of `principals_total`, or all).
    pub fn assemble(
        events: u64,
        malformed: u64,
        mut principals: Vec<UserRow>,
        principals_total: u64,
        top: Option<usize>,
    ) -> Self {
        Self::keep_top(&mut principals, top);
        UsersReport {
            schema_version: SCHEMA_VERSION,
            command: "users",
            events,
            malformed,
            principals_total,
            principals,
        }
    }
}
