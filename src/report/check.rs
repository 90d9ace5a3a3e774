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

#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub name: String,
    pub metric: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The whole-input value (`null` where undefined: a rate of no events).
    pub observed: Option<f64>,
    pub passed: bool,
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
    pub passed: bool,
    pub events: u64,
    pub malformed: u64,
    pub rules: Vec<RuleResult>,
}

/// What a run found beyond the events: malformed lines, findings, breaks.
pub struct Extras<'a> {
    pub malformed: u64,
    pub findings: &'a [Finding],
    pub breaks: &'a [Break],
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

fn event_rule(rule: &Rule, state: &RuleState, acc: &CheckAcc) -> (Option<f64>, Vec<Failure>) {
    let observed = state.whole.value(rule.metric);
    let mut failures = Vec::new();
    let mut judge = |bucket: Option<Micros>, subject: Option<&str>, s: &MetricState| {
        if let Some(v) = s.value(rule.metric) {
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
    (observed.map(round), failures)
}

fn findings_rule(rule: &Rule, findings: &[Finding], acc: &CheckAcc) -> (Option<f64>, Vec<Failure>) {
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
    if rule.per.is_some() || rule.each.is_some() {
        for ((bucket, subject), n) in counts {
            if !rule.holds(n as f64) {
                failures.push(Failure {
                    bucket: bucket.map(format_millis),
                    subject: rule.each.map(|_| subject),
                    observed: Some(n as f64),
                });
            }
        }
    }
    (Some(kept.len() as f64), failures)
}

impl CheckReport {
    pub fn build(rules: &[Rule], acc: &CheckAcc, events: u64, extras: &Extras<'_>) -> Self {
        let results: Vec<RuleResult> = rules
            .iter()
            .zip(&acc.states)
            .map(|(rule, state)| {
                let (observed, failures) = match rule.metric {
                    Metric::Malformed => (Some(extras.malformed as f64), Vec::new()),
                    Metric::ChainBreaks => (Some(extras.breaks.len() as f64), Vec::new()),
                    Metric::Findings => findings_rule(rule, extras.findings, acc),
                    _ => event_rule(rule, state, acc),
                };
                let passed = if rule.per.is_some() || rule.each.is_some() {
                    failures.is_empty()
                } else {
                    observed.is_none_or(|v| rule.holds(v))
                };
                RuleResult {
                    name: rule.name.clone(),
                    metric: rule.metric.name(),
                    min: rule.min,
                    max: rule.max,
                    observed,
                    passed,
                    failures,
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
        }
    }
}
