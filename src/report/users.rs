//! `fsaudit users`: one row per principal — activity, outcome classes,
//! resources and addresses used, latency, and a risk score with reasons.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::risk::{Risk, RiskPolicy, assess};
use super::{AccessRow, FirstLast, SCHEMA_VERSION, access_rows};
use crate::detect::{DetectAcc, DetectorConfig, Finding, PrincipalTrack, Tracked};
use crate::engine::{Accumulator, Scan};
use crate::event::{Event, OutcomeClass};
use crate::stats::latency::SmallSketch;
use crate::stats::{KeyTable, OutcomeCounts, SmallMap, Tally};

/// Everything kept about one principal: the detectors' track and the
/// report's columns, under one copy of its name. Resources and addresses
/// are numbers in the accumulator's name tables, not names.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct UserEntry {
    track: PrincipalTrack,
    tally: Tally,
    latency: SmallSketch,
    /// Each resource used, with the denials on it (which the risk score
    /// counts on sensitive resources).
    resources: SmallMap<u32, u64>,
    /// Addresses of events without a time (those of timed events are the
    /// detectors' [`PrincipalTrack::addresses`]; a state saved before this
    /// held them all here, which [`UserEntry::source_ips`] counts alike).
    source_ips: SmallMap<u32, ()>,
    /// With `--user`: the outcomes and times on each resource.
    detail: Option<Box<SmallMap<u32, Tally>>>,
}

impl UserEntry {
    /// The distinct addresses the principal came from: the detectors' and
    /// those only events without a time gave (numbered in `addresses`).
    fn source_ips(&self, addresses: &KeyTable<()>) -> u64 {
        let timed = self.track.addresses.as_deref();
        let untimed_only =
            self.source_ips.iter().filter(|(a, _)| !timed.is_some_and(|t| t.contains(addresses.name_at(*a)))).count();
        timed.map_or(0, KeyTable::len) as u64 + untimed_only as u64
    }

    /// The same entry with resources and addresses renumbered.
    fn renumber(&mut self, mut resource: impl FnMut(u32) -> u32, address: impl FnMut(u32) -> u32) {
        self.resources = std::mem::take(&mut self.resources).map_keys(&mut resource);
        self.source_ips = std::mem::take(&mut self.source_ips).map_keys(address);
        if let Some(d) = &mut self.detail {
            **d = std::mem::take(&mut **d).map_keys(resource);
        }
    }
}

/// Boxed, as the detectors' own entries are (see there).
impl Tracked for Box<UserEntry> {
    fn track(&self) -> &PrincipalTrack {
        &self.track
    }

    fn track_mut(&mut self) -> &mut PrincipalTrack {
        &mut self.track
    }

    /// The report's columns an event touches as well as the track.
    #[inline(always)]
    fn prefetch(&self) {
        self.track.prefetch();
        self.latency.prefetch();
        self.resources.prefetch_last();
        self.source_ips.prefetch_last();
    }

    /// Both entries number resources and addresses alike (see [`UsersAcc::merge`]).
    fn merge(&mut self, o: Self) {
        let o = *o;
        self.track.merge(o.track);
        self.tally.merge(o.tally);
        self.latency.merge(o.latency);
        self.resources.merge_with(o.resources, |a, b| *a += b);
        self.source_ips.merge_with(o.source_ips, |_, _| ());
        match (&mut self.detail, o.detail) {
            (Some(mine), Some(theirs)) => mine.merge_with(*theirs, Tally::merge),
            (mine, theirs) => {
                if mine.is_none() {
                    *mine = theirs;
                }
            }
        }
    }
}

/// What `users` folds events into: the detectors' accumulator, whose
/// principal entries hold the report's columns too, and the names of the
/// resources and addresses those entries number.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct UsersAcc {
    detect: DetectAcc<Box<UserEntry>>,
    resources: KeyTable<()>,
    addresses: KeyTable<()>,
    /// Keep each principal's outcomes per resource (`--user`).
    detail: bool,
}

impl UsersAcc {
    pub fn new(detectors: Arc<DetectorConfig>, detail: bool) -> Self {
        UsersAcc {
            detect: DetectAcc::new(detectors),
            resources: KeyTable::default(),
            addresses: KeyTable::default(),
            detail,
        }
    }

    /// The detectors' state, for their findings.
    pub fn detect(&self) -> &DetectAcc<Box<UserEntry>> {
        &self.detect
    }
}

/// The numbers `to` gives the names of `from`, by `from`'s numbers.
fn absorb(to: &mut KeyTable<()>, from: &KeyTable<()>) -> Vec<u32> {
    from.iter().map(|(name, ())| to.id(name)).collect()
}

impl UsersAcc {
    fn observe_at(&mut self, ev: &Event<'_>, line: Option<&[u8]>) {
        // a denial on a sensitive endpoint or resource type counts like one on a resource
        let mut elsewhere = [None, None];
        if ev.outcome == OutcomeClass::Denied {
            if let Some(globs) = &self.detect.config_ref().sensitive {
                elsewhere =
                    [ev.endpoint.as_deref(), ev.resource_type.as_deref()].map(|n| n.filter(|n| globs.is_match(n)));
            }
        }
        let e = self.detect.observe_entry(ev, line);
        e.tally.observe(ev);
        if let Some(l) = ev.latency_ms {
            e.latency.add(l);
        }
        let denied = u64::from(ev.outcome == OutcomeClass::Denied);
        for r in ev.resources.as_slice() {
            let id = self.resources.id(r);
            *e.resources.entry(id) += denied;
            if self.detail {
                e.detail.get_or_insert_default().entry(id).observe(ev);
            }
        }
        // a timed event's address is in the detectors' table already
        // (one lookup a line fewer, ~3% of `users`)
        if let Some(ip) = &ev.source_ip
            && ev.time.is_none()
        {
            e.source_ips.entry(self.addresses.id(ip));
        }
        for name in elsewhere.into_iter().flatten() {
            e.track.sensitive().deny_elsewhere(name, 1);
        }
    }
}

impl Accumulator for UsersAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        self.observe_at(ev, None);
    }

    fn observe_line(&mut self, ev: &Event<'_>, line: &[u8]) {
        self.observe_at(ev, Some(line));
    }

    fn merge(&mut self, mut o: Self) {
        // renumber the smaller side's entries into the other's name tables
        if o.detect.principals().len() > self.detect.principals().len() {
            std::mem::swap(self, &mut o);
        }
        let resources = absorb(&mut self.resources, &o.resources);
        let addresses = absorb(&mut self.addresses, &o.addresses);
        for e in o.detect.principals_mut().values_mut() {
            e.renumber(|r| resources[r as usize], |a| addresses[a as usize]);
        }
        self.detail |= o.detail;
        self.detect.merge_state(o.detect);
    }

    crate::spill::by_serde!();
}

impl crate::spill::Split for UsersAcc {
    /// By principal; each part names only the resources and addresses its
    /// principals used.
    fn split(self, parts: usize) -> Vec<Self> {
        let UsersAcc { detect, resources, addresses, detail } = self;
        detect
            .split(parts)
            .into_iter()
            .map(|mut detect| {
                let (mut res, mut addr) = (KeyTable::default(), KeyTable::default());
                for e in detect.principals_mut().values_mut() {
                    e.renumber(|r| res.id(resources.name_at(r)), |a| addr.id(addresses.name_at(a)));
                }
                UsersAcc { detect, resources: res, addresses: addr, detail }
            })
            .collect()
    }

    fn empty(&self) -> Self {
        UsersAcc::new(self.detect.config(), self.detail)
    }
}

#[derive(Debug, Serialize)]
pub struct UserRow {
    pub name: Box<str>,
    pub events: u64,
    #[serde(flatten)]
    pub outcomes: OutcomeCounts,
    pub failure_rate: Option<f64>,
    /// Distinct resources.
    pub resources: u64,
    /// Distinct source addresses.
    pub source_ips: u64,
    /// `first` and `last`.
    #[serde(flatten)]
    pub time: FirstLast,
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
    pub principals: UserRows,
    /// The order of the rows (said in the table's heading).
    #[serde(skip)]
    pub order: UserOrder,
}

/// The rows of the report, in order: made one at a time from the state
/// while they are written (a report over millions of principals then costs
/// 4 bytes per principal beyond the state, not a second copy of it), or
/// built already (the best of each spilled partition).
#[derive(Debug)]
pub enum UserRows {
    Built(Vec<UserRow>),
    Lazy(Box<LazyRows>),
}

#[derive(Debug)]
pub struct LazyRows {
    acc: UsersAcc,
    policy: RiskPolicy,
    findings: Vec<Finding>,
    /// Entry numbers of the principals, in report order.
    order: Vec<u32>,
}

impl UserRows {
    pub fn len(&self) -> usize {
        match self {
            UserRows::Built(rows) => rows.len(),
            UserRows::Lazy(l) => l.order.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows list each principal's resources (`--user`).
    pub fn detail(&self) -> bool {
        match self {
            UserRows::Built(rows) => rows.iter().any(|u| u.accessed.is_some()),
            // as for built rows: only when some row has a list
            UserRows::Lazy(l) => l.acc.detail && !l.order.is_empty(),
        }
    }

    /// Hands each row to `f`, in report order.
    pub fn each<E>(&self, mut f: impl FnMut(&UserRow) -> Result<(), E>) -> Result<(), E> {
        match self {
            UserRows::Built(rows) => rows.iter().try_for_each(f),
            UserRows::Lazy(l) => {
                let by = by_principal(&l.findings);
                let table = l.acc.detect.principals();
                for &i in &l.order {
                    let (name, e) = table.get_at(i);
                    f(&row(name, e, &l.acc, &l.policy, theirs(&by, name)))?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for UserRows {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        self.each(|r| seq.serialize_element(r))?;
        seq.end()
    }
}

/// The order of the report's rows, given (risk score, events, name): by
/// risk, then events, then name.
fn report_order(a: (u32, u64, &str), b: (u32, u64, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(b.2))
}

/// A column `users --sort` can order by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UserColumn {
    Risk,
    Events,
    Class(OutcomeClass),
    FailureRate,
    Resources,
    SourceIps,
    P99,
    First,
    Last,
    Name,
}

/// The order of `users`' rows: `--sort COLUMN[:asc|:desc]`, ties broken by
/// the report's own order (risk, events, name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserOrder {
    by: UserColumn,
    descending: bool,
}

impl Default for UserOrder {
    fn default() -> Self {
        UserOrder { by: UserColumn::Risk, descending: true }
    }
}

/// What a row is sorted by: the column's figure (none for `name`) and the
/// report order's own keys.
struct SortKey<'a> {
    value: Option<f64>,
    score: u32,
    events: u64,
    name: &'a str,
}

impl UserOrder {
    /// `risk` (the default), `events`, a class, `failure_rate`, `resources`,
    /// `source_ips`, `p99`, `first`, `last` or `name`; numbers sort high
    /// first, `name` and `first` low first, unless `:asc` or `:desc` says
    /// otherwise.
    pub fn parse(s: Option<&str>) -> Result<UserOrder, String> {
        let Some(s) = s else { return Ok(UserOrder::default()) };
        let (name, dir) = super::sort_direction(s);
        let by = match name {
            "risk" | "risk_score" => UserColumn::Risk,
            "events" => UserColumn::Events,
            "failure_rate" => UserColumn::FailureRate,
            "resources" => UserColumn::Resources,
            "source_ips" | "ips" => UserColumn::SourceIps,
            "p99" | "latency_p99_ms" => UserColumn::P99,
            "first" => UserColumn::First,
            "last" => UserColumn::Last,
            "name" | "principal" => UserColumn::Name,
            other => match OutcomeClass::parse(other) {
                Some(c) => UserColumn::Class(c),
                None => {
                    return Err(format!(
                        "--sort: unknown column '{other}' (expected risk, events, success, denied, \
                         unauthenticated, error, failure_rate, resources, source_ips, p99, first, last or name, \
                         optionally with :asc or :desc)"
                    ));
                }
            },
        };
        let natural = !matches!(by, UserColumn::Name | UserColumn::First);
        Ok(UserOrder { by, descending: dir.unwrap_or(natural) })
    }

    /// The order in words, for the table's heading.
    pub fn describe(&self) -> String {
        let column = match self.by {
            UserColumn::Risk => "risk",
            UserColumn::Events => "events",
            UserColumn::Class(c) => c.name(),
            UserColumn::FailureRate => "failure rate",
            UserColumn::Resources => "resources",
            UserColumn::SourceIps => "source addresses",
            UserColumn::P99 => "p99",
            UserColumn::First => "first event",
            UserColumn::Last => "last event",
            UserColumn::Name => "name",
        };
        match (self.by, self.descending) {
            (UserColumn::Risk, true) => "risk, then events".to_owned(),
            (_, true) => format!("{column}, descending"),
            (_, false) => format!("{column}, ascending"),
        }
    }

    fn key<'a>(&self, r: &'a UserRow) -> SortKey<'a> {
        let t = r.time.0;
        let value = match self.by {
            UserColumn::Risk => Some(f64::from(r.risk_score)),
            UserColumn::Events => Some(r.events as f64),
            UserColumn::Class(c) => Some(r.outcomes.get(c) as f64),
            UserColumn::FailureRate => r.failure_rate,
            UserColumn::Resources => Some(r.resources as f64),
            UserColumn::SourceIps => Some(r.source_ips as f64),
            UserColumn::P99 => r.latency_p99_ms,
            UserColumn::First => t.first().map(|m| m as f64),
            UserColumn::Last => t.last().map(|m| m as f64),
            UserColumn::Name => None,
        };
        SortKey { value, score: r.risk_score, events: r.events, name: &r.name }
    }

    fn compare(&self, a: &SortKey, b: &SortKey) -> std::cmp::Ordering {
        let primary = match self.by {
            UserColumn::Name if self.descending => b.name.cmp(a.name),
            UserColumn::Name => a.name.cmp(b.name),
            _ => super::cmp_missing_last(&a.value, &b.value, self.descending),
        };
        primary.then_with(|| report_order((a.score, a.events, a.name), (b.score, b.events, b.name)))
    }
}

/// Each principal's findings, looked up once (not a scan of all findings per principal).
fn by_principal(findings: &[Finding]) -> FxHashMap<&str, Vec<&Finding>> {
    let mut by: FxHashMap<&str, Vec<&Finding>> = FxHashMap::default();
    for f in findings {
        if let Some(p) = f.principal.as_deref() {
            by.entry(p).or_default().push(f);
        }
    }
    by
}

fn theirs<'a>(by: &'a FxHashMap<&str, Vec<&'a Finding>>, name: &str) -> &'a [&'a Finding] {
    by.get(name).map_or(&[][..], Vec::as_slice)
}

/// The risk score of a principal; placeholders (`(unknown)`, `(none)`,
/// `(authenticated)`) name no one and are not scored.
fn risk(name: &str, e: &UserEntry, resources: &KeyTable<()>, policy: &RiskPolicy, findings: &[&Finding]) -> Risk {
    if crate::event::is_placeholder(name) {
        return Risk::default();
    }
    let denied = e.resources.iter().map(|(r, n)| (resources.name_at(r), *n));
    let elsewhere = e.track.sensitive.iter().flat_map(|s| s.denied_elsewhere.iter().map(|(k, n)| (&**k, *n)));
    assess(&e.tally, denied.chain(elsewhere), policy, findings)
}

fn row(name: &str, e: &UserEntry, acc: &UsersAcc, policy: &RiskPolicy, findings: &[&Finding]) -> UserRow {
    let (resources, detail) = (&acc.resources, acc.detail);
    let t = &e.tally;
    let risk = risk(name, e, resources, policy, findings);
    UserRow {
        name: name.into(),
        events: t.events(),
        outcomes: t.outcomes,
        failure_rate: t.outcomes.failure_rate(),
        resources: e.resources.len() as u64,
        source_ips: e.source_ips(&acc.addresses),
        time: FirstLast(t.time),
        latency_p99_ms: e.latency.percentile(99.0),
        risk_score: risk.score,
        risk_reasons: risk.reasons,
        accessed: detail.then(|| {
            let tallies = e.detail.iter().flat_map(|d| d.iter());
            access_rows(tallies.map(|(r, t)| (resources.name_at(r), t)))
        }),
    }
}

impl UsersReport {
    /// `findings` of the detectors raise the scores of the principals they name.
    /// Rows in `order`; only the keys are kept for every principal, each
    /// row is made when it is written.
    pub fn build(
        scan: Scan<UsersAcc>,
        policy: RiskPolicy,
        findings: Vec<Finding>,
        order: UserOrder,
        top: Option<usize>,
    ) -> Self {
        let (scan, acc) = scan.with_acc(());
        let table = acc.detect.principals();
        // (the column's figure, risk score, events, entry number)
        let mut keys: Vec<(Option<f64>, u32, u64, u32)> = {
            let by = by_principal(&findings);
            table
                .iter()
                .enumerate()
                .map(|(i, (name, e))| {
                    let found = theirs(&by, name);
                    if order == UserOrder::default() {
                        let score = risk(name, e, &acc.resources, &policy, found).score;
                        (None, score, e.tally.events(), i as u32)
                    } else {
                        // another column: its figure from the row, which is not kept
                        let r = row(name, e, &acc, &policy, found);
                        let k = order.key(&r);
                        (k.value, k.score, k.events, i as u32)
                    }
                })
                .collect()
        };
        let key = |k: &(Option<f64>, u32, u64, u32)| SortKey {
            value: k.0,
            score: k.1,
            events: k.2,
            name: table.name_at(k.3),
        };
        keys.sort_unstable_by(|a, b| order.compare(&key(a), &key(b)));
        let total = keys.len() as u64;
        keys.truncate(top.unwrap_or(usize::MAX));
        let entries = keys.into_iter().map(|k| k.3).collect();
        let rows = UserRows::Lazy(Box::new(LazyRows { acc, policy, findings, order: entries }));
        Self::report(scan.events(), scan.malformed(), rows, total, order)
    }

    /// The rows of the principals in `acc` (one spilled partition's).
    pub fn rows(acc: &UsersAcc, policy: &RiskPolicy, findings: &[Finding]) -> Vec<UserRow> {
        let by = by_principal(findings);
        acc.detect.principals().iter().map(|(name, e)| row(name, e, acc, policy, theirs(&by, name))).collect()
    }

    /// Sorts rows in `order` and keeps the first `top`.
    pub fn keep_top(rows: &mut Vec<UserRow>, order: UserOrder, top: Option<usize>) {
        rows.sort_by(|a, b| order.compare(&order.key(a), &order.key(b)));
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
        order: UserOrder,
        top: Option<usize>,
    ) -> Self {
        Self::keep_top(&mut principals, order, top);
        Self::report(events, malformed, UserRows::Built(principals), principals_total, order)
    }

    fn report(events: u64, malformed: u64, principals: UserRows, principals_total: u64, order: UserOrder) -> Self {
        UsersReport {
            schema_version: SCHEMA_VERSION,
            command: "users",
            events,
            malformed,
            principals_total,
            principals,
            order,
        }
    }
}
