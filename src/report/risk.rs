//! The risk score of a principal: transparent, deterministic, 0–100, with
//! every point explained in words (the README documents the formula).

use crate::detect::{Finding, Severity};
use crate::stats::Tally;

/// Points for a failure rate above [`FAILURE_RATE`] over at least [`FAILURE_MIN_EVENTS`] events.
pub const FAILURE_POINTS: u32 = 30;
pub const FAILURE_RATE: f64 = 0.10;
pub const FAILURE_MIN_EVENTS: u64 = 10;
/// Points for being denied on a resource matching `--sensitive`.
pub const SENSITIVE_DENIED_POINTS: u32 = 15;
/// Points per anomaly finding above `low` attributed to the principal.
pub const FINDING_POINTS: u32 = 20;
pub const MAX_SCORE: u32 = 100;

/// What the score looks at.
#[derive(Debug, Clone, Default)]
pub struct RiskPolicy {
    pub sensitive: Option<crate::filter::Names>,
}

impl RiskPolicy {
    pub fn is_sensitive(&self, resource: &str) -> bool {
        self.sensitive.as_ref().is_some_and(|g| g.is_match(resource))
    }
}

/// A score and the reasons that add up to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Risk {
    pub score: u32,
    pub reasons: Vec<String>,
}

impl Risk {
    fn add(&mut self, points: u32, reason: String) {
        self.score = (self.score + points).min(MAX_SCORE);
        self.reasons.push(format!("+{points}: {reason}"));
    }
}

/// Scores a principal from its totals, its per-resource tallies, and the
/// anomaly findings above `low` attributed to it.
pub fn assess<'a>(
    total: &Tally,
    denied_on: impl Iterator<Item = (&'a str, u64)>,
    policy: &RiskPolicy,
    findings: &[&Finding],
) -> Risk {
    let mut risk = Risk::default();
    let events = total.events();
    if let Some(failure) = total.outcomes.failure_rate().filter(|_| events >= FAILURE_MIN_EVENTS) {
        if failure > FAILURE_RATE {
            risk.add(
                FAILURE_POINTS,
                format!(
                    "failure rate {:.1}% over {events} events (more than {:.0}%)",
                    failure * 100.0,
                    FAILURE_RATE * 100.0
                ),
            );
        }
    }
    let mut denied: Vec<(&str, u64)> = denied_on.filter(|(name, n)| *n > 0 && policy.is_sensitive(name)).collect();
    if !denied.is_empty() {
        denied.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let total: u64 = denied.iter().map(|(_, n)| n).sum();
        let names: Vec<String> = denied.iter().map(|(name, n)| format!("{name} ({n})")).collect();
        risk.add(
            SENSITIVE_DENIED_POINTS,
            format!("denied {total} time{} on sensitive {}", if total == 1 { "" } else { "s" }, names.join(", ")),
        );
    }
    // a low finding is a hint for an investigation, not evidence against the principal
    for f in findings.iter().filter(|f| f.severity > Severity::Low) {
        risk.add(FINDING_POINTS, format!("{} ({}): {}", f.detector, f.severity.name(), f.evidence));
    }
    risk
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity) -> Finding {
        Finding {
            detector: "new-source-ip",
            severity,
            principal: Some("alice".into()),
            source_ip: None,
            resources: Vec::new(),
            start: String::new(),
            end: String::new(),
            count: 1,
            evidence: "evidence".into(),
            p_value: None,
        }
    }

    #[test]
    fn only_findings_above_low_add_points() {
        let policy = RiskPolicy::default();
        let total = Tally::default();
        let (low, medium, high) = (finding(Severity::Low), finding(Severity::Medium), finding(Severity::High));
        let none = assess(&total, std::iter::empty(), &policy, &[&low, &low]);
        assert_eq!(none, Risk::default());
        let two = assess(&total, std::iter::empty(), &policy, &[&low, &medium, &high]);
        assert_eq!(two.score, 2 * FINDING_POINTS);
        assert_eq!(two.reasons.len(), 2);
        assert!(two.reasons.iter().all(|r| !r.contains("(low)")), "{:?}", two.reasons);
    }
}
