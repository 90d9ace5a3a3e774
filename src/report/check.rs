//! `fsaudit check`: every rule evaluated against what one pass folded —
//! the whole input, each `per` bucket (empty ones included), each subject.

use serde::Serialize;

use super::SCHEMA_VERSION;
use super::verify::Break;
use crate::check::metric::{Metric, MetricState};
use crate::check::rules::{Each, Rule};
use crate::check::{CheckAcc, RuleState, WHOLE};
use crate::detect::Finding;
use crate::time::{Micros, format_millis, parse_rfc3339};

/// A bucket or subject where the rule does not hold.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Failure {
    pub bucket: Option<String>,
    pub subject: Option<String>,
    pub observed: Option<f64>,
}

/// How a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Failed,
    /// Evaluated over zero events (or nothing verified): fails unless allowed.
    NoData,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub name: String,
    pub metric: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub status: Status,
    /// The whole-input value, or for a `per`/`each` rule the worst bucket
    /// or subject (`null` where undefined: a rate of no events).
    pub observed: Option<f64>,
    /// The whole-input value.
    pub total: Option<f64>,
    pub passed: bool,
    /// Why the rule has no data, in words (with `status: "no_data"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub failures: Vec<Failure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub each: Option<&'static str>,
}

/// The `check` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub schema_version: u32,
    pub command: &'static str,
    /// Every rule holds over the whole input: false when an input could
    /// not be read to its end (exit 2), whatever the rules say of the rest.
    pub passed: bool,
    pub events: u64,
    pub malformed: u64,
    pub rules: Vec<RuleResult>,
    /// An input could not be read to its end: the rules were judged over
    /// part of the input ([`CheckReport::incomplete`]).
    pub incomplete: bool,
}

/// What a run found beyond the events: malformed lines, findings, breaks.
pub struct Extras<'a> {
    pub malformed: u64,
    pub findings: &'a [Finding],
    pub breaks: &'a [Break],
    /// Entries verified by a chain or a seal (for `chain_breaks`).
    pub verified: u64,
    /// `--allow-empty`: rules without data pass.
    pub allow_empty: bool,
}

/// The worst of the values a `per`/`each` rule was judged on: the largest
/// for a `max` rule, the smallest for a `min` rule, and for a rule with
/// both, the one farthest outside (or nearest the edge of) its range.
fn worst(rule: &Rule, values: impl Iterator<Item = f64>) -> Option<f64> {
    let excess = |v: f64| {
        let over = rule.max.map_or(f64::NEG_INFINITY, |m| v - m);
        let under = rule.min.map_or(f64::NEG_INFINITY, |m| m - v);
        over.max(under)
    };
    // equal excess: the larger value, so any order of the values gives one answer
    values.fold(None, |w: Option<f64>, v| match w {
        Some(w) if excess(w) > excess(v) || (excess(w) == excess(v) && w >= v) => Some(w),
        _ => Some(v),
    })
}

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn each_name(e: Each) -> &'static str {
    match e {
        Each::Principal => "principal",
        Each::Resource => "resource",
        Each::SourceIp => "source_ip",
    }
}

/// The buckets a `per` rule must hold in: every one from the first event to
/// the last, empty ones included.
fn buckets(per: Micros, first: Option<Micros>, last: Option<Micros>) -> Vec<Micros> {
    let (Some(f), Some(l)) = (first, last) else { return Vec::new() };
    let mut b = f.div_euclid(per) * per;
    let mut out = Vec::new();
    while b <= l {
        out.push(b);
        b += per;
    }
    out
}

/// What a rule's data came to: the whole-input value, the worst value a
/// `per`/`each` rule was judged on, and where it failed.
#[derive(Debug, Default)]
pub struct Judged {
    whole: Option<f64>,
    worst: Option<f64>,
    failures: Vec<Failure>,
}

impl Judged {
    /// Folds in what another partition of the subjects came to.
    fn add(&mut self, rule: &Rule, o: Judged) {
        self.whole = match (rule.metric, self.whole, o.whole) {
            // each partition counted the distinct principals of its own names
            (Metric::Principals, Some(a), Some(b)) => Some(a + b),
            (_, a, b) => a.or(b),
        };
        self.worst = worst(rule, self.worst.into_iter().chain(o.worst));
        self.failures.extend(o.failures);
    }
}

/// Which of a rule's states to judge: all of them, or those one spilled
/// partition holds (see [`crate::check::CheckAcc`]'s split).
#[derive(Debug, Clone, Copy)]
pub enum Part {
    All,
    /// The subjects of partition `p`; the whole-input state is with
    /// partition 0 (but for a `principals` rule's names, which every
    /// partition counts its share of), the `""` subject of rules without
    /// `each` with `blank`'s.
    Of {
        p: usize,
        blank: usize,
    },
}

fn event_rule(rule: &Rule, state: &RuleState, acc: &CheckAcc, part: Part) -> Judged {
    let (whole, keyed) = match part {
        Part::All => (true, true),
        Part::Of { p, blank } => (p == 0, rule.each.is_some() || p == blank),
    };
    let observed = if whole || rule.metric == Metric::Principals { state.whole.value(rule.metric) } else { None };
    let mut failures = Vec::new();
    let mut worst_seen = None;
    let mut judge = |bucket: Option<Micros>, subject: Option<&str>, s: &MetricState| {
        if let Some(v) = s.value(rule.metric) {
            worst_seen = worst(rule, worst_seen.into_iter().chain([v]));
            if !rule.holds(v) {
                failures.push(Failure {
                    bucket: bucket.map(format_millis),
                    subject: subject.map(str::to_owned),
                    observed: Some(round(v)),
                });
            }
        }
    };
    match (rule.per, rule.each) {
        _ if !keyed => {}
        (None, None) => {}
        (None, Some(_)) => {
            if let Some(table) = state.keyed.get(&WHOLE) {
                let mut rows: Vec<(&str, &MetricState)> = table.iter().collect();
                rows.sort_by_key(|(k, _)| *k);
                rows.into_iter().for_each(|(k, s)| judge(None, Some(k), s));
            }
        }
        (Some(per), each) => {
            let empty = rule.metric.state();
            for b in buckets(per, acc.range.first, acc.range.last) {
                match (state.keyed.get(&b), each) {
                    (None, None) => judge(Some(b), None, &empty),
                    (Some(t), None) => judge(Some(b), None, t.iter().next().map_or(&empty, |(_, s)| s)),
                    (None, Some(_)) => {}
                    (Some(t), Some(_)) => {
                        let mut rows: Vec<(&str, &MetricState)> = t.iter().collect();
                        rows.sort_by_key(|(k, _)| *k);
                        rows.into_iter().for_each(|(k, s)| judge(Some(b), Some(k), s));
                    }
                }
            }
        }
    }
    Judged { whole: observed, worst: worst_seen, failures }
}

fn findings_rule(rule: &Rule, findings: &[Finding], acc: &CheckAcc) -> Judged {
    let kept: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity >= rule.severity)
        .filter(|f| {
            let start = parse_rfc3339(&f.start);
            rule.filter.matches_subject(start, f.principal.as_deref(), &f.resources, f.source_ip.as_deref())
        })
        .collect();
    let subjects = |f: &Finding| -> Vec<String> {
        match rule.each {
            None => vec![String::new()],
            Some(Each::Principal) => f.principal.iter().cloned().collect(),
            Some(Each::SourceIp) => f.source_ip.iter().cloned().collect(),
            Some(Each::Resource) => f.resources.clone(),
        }
    };
    let mut counts: std::collections::BTreeMap<(Option<Micros>, String), u64> = Default::default();
    if let Some(per) = rule.per {
        for b in buckets(per, acc.range.first, acc.range.last) {
            if rule.each.is_none() {
                counts.insert((Some(b), String::new()), 0);
            }
        }
    }
    for f in &kept {
        let bucket = rule.per.and_then(|p| parse_rfc3339(&f.start).map(|t| t.div_euclid(p) * p));
        for s in subjects(f) {
            *counts.entry((bucket, s)).or_default() += 1;
        }
    }
    let mut failures = Vec::new();
    let mut worst_seen = None;
    if rule.per.is_some() || rule.each.is_some() {
        for ((bucket, subject), n) in counts {
            worst_seen = worst(rule, worst_seen.into_iter().chain([n as f64]));
            if !rule.holds(n as f64) {
                failures.push(Failure {
                    bucket: bucket.map(format_millis),
                    subject: rule.each.map(|_| subject),
                    observed: Some(n as f64),
                });
            }
        }
    }
    Judged { whole: Some(kept.len() as f64), worst: worst_seen, failures }
}

/// Why a rule has nothing to be judged on, or `None` when it has data.
fn no_data(rule: &Rule, rule_events: u64, events: u64, extras: &Extras<'_>, judged: &Judged) -> Option<String> {
    match rule.metric {
        Metric::Malformed => {
            (events == 0 && extras.malformed == 0).then(|| "the input holds no lines to judge".to_owned())
        }
        Metric::ChainBreaks => (extras.verified == 0 && extras.breaks.is_empty()).then(|| {
            "nothing was verified: no entry carries integrity fields and no seal manifest covers the input".to_owned()
        }),
        Metric::Findings => (events == 0).then(|| "no event passed the filters".to_owned()),
        _ if events == 0 => Some("no event passed the filters".to_owned()),
        _ if rule_events == 0 => Some(if rule.filter.is_active() {
            format!("none of the {events} events matched the rule's `where`")
        } else {
            "no event passed the filters".to_owned()
        }),
        _ if judged.whole.is_none() => {
            Some(format!("{} is undefined over these {rule_events} events", rule.metric.name()))
        }
        _ => None,
    }
}

impl CheckReport {
    pub fn build(rules: &[Rule], acc: &CheckAcc, events: u64, extras: &Extras<'_>) -> Self {
        let judged = Self::judge_events(rules, acc, Part::All);
        let rule_events = acc.states.iter().map(|s| s.whole.counts.total()).collect();
        Self::assemble(rules, acc, judged, rule_events, events, extras)
    }

    /// What each rule over events came to in `acc` (`part` of it, or all).
    pub fn judge_events(rules: &[Rule], acc: &CheckAcc, part: Part) -> Vec<Judged> {
        rules
            .iter()
            .zip(&acc.states)
            .map(|(rule, state)| match rule.metric {
                Metric::Malformed | Metric::ChainBreaks | Metric::Findings => Judged::default(),
                _ => event_rule(rule, state, acc, part),
            })
            .collect()
    }

    /// Folds the judgements of another partition into `into`.
    pub fn add_judged(rules: &[Rule], into: &mut [Judged], part: Vec<Judged>) {
        for ((rule, mine), theirs) in rules.iter().zip(into.iter_mut()).zip(part) {
            mine.add(rule, theirs);
        }
    }

    /// The report from each rule's judgement over events, and the events
    /// each rule matched. `acc` gives the time range (any partition has it).
    pub fn assemble(
        rules: &[Rule],
        acc: &CheckAcc,
        mut judged: Vec<Judged>,
        rule_events: Vec<u64>,
        events: u64,
        extras: &Extras<'_>,
    ) -> Self {
        let results: Vec<RuleResult> = rules
            .iter()
            .zip(judged.iter_mut())
            .zip(rule_events)
            .map(|((rule, judged), rule_events)| {
                let judged = match rule.metric {
                    Metric::Malformed => {
                        Judged { whole: Some(extras.malformed as f64), worst: None, failures: Vec::new() }
                    }
                    Metric::ChainBreaks => {
                        Judged { whole: Some(extras.breaks.len() as f64), worst: None, failures: Vec::new() }
                    }
                    Metric::Findings => findings_rule(rule, extras.findings, acc),
                    _ => {
                        let mut j = std::mem::take(judged);
                        // buckets in time order, then subjects by name, however the partitions came
                        j.failures.sort_by(|a, b| (&a.bucket, &a.subject).cmp(&(&b.bucket, &b.subject)));
                        j
                    }
                };
                let reason = no_data(rule, rule_events, events, extras, &judged);
                let scoped = rule.per.is_some() || rule.each.is_some();
                let held =
                    if scoped { judged.failures.is_empty() } else { judged.whole.is_some_and(|v| rule.holds(v)) };
                let (status, passed) = match &reason {
                    Some(_) => (Status::NoData, rule.pass_on_empty || extras.allow_empty),
                    None if held => (Status::Ok, true),
                    None => (Status::Failed, false),
                };
                let observed = if scoped { judged.worst } else { judged.whole };
                RuleResult {
                    name: rule.name.clone(),
                    metric: rule.metric.name(),
                    min: rule.min,
                    max: rule.max,
                    status,
                    observed: observed.map(round),
                    total: judged.whole.map(round),
                    passed,
                    reason,
                    failures: judged.failures,
                    severity: (rule.metric == Metric::Findings).then(|| rule.severity.name()),
                    per: rule.per.map(crate::report::timeline::bucket_name),
                    each: rule.each.map(each_name),
                }
            })
            .collect();
        CheckReport {
            schema_version: SCHEMA_VERSION,
            command: "check",
            passed: results.iter().all(|r| r.passed),
            events,
            malformed: extras.malformed,
            rules: results,
            incomplete: false,
        }
    }

    /// Marks the report as judged over part of the input (an input that
    /// could not be opened or read to its end): it does not pass, so that
    /// a script reading `passed` fails closed as the exit code (2) does.
    pub fn incomplete(&mut self) {
        self.incomplete = true;
        self.passed = false;
    }
}
