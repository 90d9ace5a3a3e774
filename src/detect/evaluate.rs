//! Turns the folded buckets into findings, one per incident, with evidence
//! a person can paste into a ticket.

use rustc_hash::FxHashMap;

use super::track::{Burst, NameSet, PrincipalTrack, Tracked, sorted};
use super::window::incidents;
use super::{DetectAcc, Detector, DetectorConfig, Finding, Severity};
use crate::time::{MICROS_PER_SEC, Micros, format_millis};

/// Where and when each address had a failed-login incident: a principal's
/// failures from one such address at the same time are that finding's.
pub type AddressIncidents = FxHashMap<String, Vec<(Micros, Micros)>>;

/// Every finding of the enabled detectors, most severe first, then by count.
pub fn findings<P: Tracked>(acc: &DetectAcc<P>) -> Vec<Finding> {
    let (mut out, incidents) = address_findings(acc);
    out.extend(principal_findings(acc, &incidents));
    sort(&mut out);
    out
}

/// The findings about source addresses (failed logins per address), and
/// their incidents, which [`principal_findings`] needs from every address.
pub fn address_findings<P>(acc: &DetectAcc<P>) -> (Vec<Finding>, AddressIncidents) {
    let mut out = Vec::new();
    let mut incidents = AddressIncidents::default();
    if acc.cfg.enabled(Detector::AuthnFailures) {
        address_failures(acc, &acc.cfg, &mut out, &mut incidents);
    }
    (out, incidents)
}

/// The findings about principals, given every address's incidents.
pub fn principal_findings<P: Tracked>(acc: &DetectAcc<P>, incidents: &AddressIncidents) -> Vec<Finding> {
    let cfg = &*acc.cfg;
    let mut out = Vec::new();
    if cfg.enabled(Detector::AuthnFailures) {
        principal_failures(acc, cfg, &mut out, incidents);
    }
    for (name, p) in acc.principals.iter() {
        let p = p.track();
        let placeholder = crate::event::is_placeholder(name);
        if !placeholder {
            if cfg.enabled(Detector::DeniedBurst) || cfg.enabled(Detector::ResourceEnumeration) {
                denials(name, p, cfg, &mut out);
            }
            if cfg.enabled(Detector::VolumeSpike) {
                volume_spike(name, p, cfg, &mut out);
            }
            if cfg.enabled(Detector::NewSourceIp) {
                new_source_ip(name, p, acc, cfg, &mut out);
            }
        }
        if cfg.enabled(Detector::SensitiveAccess) {
            sensitive_access(name, p, cfg, &mut out);
        }
    }
    out
}

/// Most severe first, then by count, start, detector, principal, address.
pub fn sort(out: &mut [Finding]) {
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.count.cmp(&a.count))
            .then_with(|| a.start.cmp(&b.start))
            .then_with(|| a.detector.cmp(b.detector))
            .then_with(|| a.principal.cmp(&b.principal))
            .then_with(|| a.source_ip.cmp(&b.source_ip))
            .then_with(|| a.end.cmp(&b.end))
            .then_with(|| a.evidence.cmp(&b.evidence))
    });
}

fn merged(buckets: &[(i64, Burst)]) -> Burst {
    let mut all = Burst::default();
    buckets.iter().for_each(|(_, b)| all.merge(b));
    all
}

fn count(buckets: &[(i64, Burst)]) -> u64 {
    buckets.iter().map(|(_, b)| b.count).sum()
}

/// `9m58s`, `2h05m`, `42s`.
fn duration(micros: Micros) -> String {
    let s = micros / MICROS_PER_SEC;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// Up to five names, and how many more.
fn listed(names: &NameSet) -> String {
    let shown: Vec<&str> = names.iter().take(5).collect();
    let hidden = names.len() - shown.len();
    match (hidden, names.more) {
        (0, false) => shown.join(", "),
        (n, false) => format!("{}, and {n} more", shown.join(", ")),
        (_, true) => format!("{}, and more", shown.join(", ")),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn finding(detector: Detector, severity: Severity, b: &Burst, evidence: String) -> Finding {
    Finding {
        detector: detector.name(),
        severity,
        principal: None,
        source_ip: None,
        resources: Vec::new(),
        start: format_millis(b.first),
        end: format_millis(b.last),
        count: b.count,
        evidence,
    }
}

/// Token brute force: failed logins per address, and per principal when
/// they came from several addresses (or from none the log names).
fn address_failures<P>(acc: &DetectAcc<P>, cfg: &DetectorConfig, out: &mut Vec<Finding>, by_ip: &mut AddressIncidents) {
    let w = cfg.window_minutes();
    let threshold = cfg.authn_failures;
    for (ip, track) in acc.ips.iter() {
        let buckets = sorted(&track.failures);
        for r in incidents(&buckets, w, |_, win| count(win) >= threshold) {
            let b = merged(&buckets[r]);
            let who = b.names.len() as u64;
            let evidence = format!(
                "{} from {ip} in {} for {} ({})",
                plural(b.count, "failed login", "failed logins"),
                duration(b.last - b.first),
                plural(who, "principal", "principals"),
                listed(&b.names)
            );
            let mut f = finding(Detector::AuthnFailures, Severity::Critical, &b, evidence);
            f.source_ip = Some(ip.to_owned());
            if who == 1 && !b.names.more {
                f.principal = b.names.iter().next().map(str::to_owned);
            }
            by_ip.entry(ip.to_owned()).or_default().push((b.first, b.last));
            out.push(f);
        }
    }
}

/// Failed logins per principal, unless one address's own finding covers them.
fn principal_failures<P: Tracked>(
    acc: &DetectAcc<P>,
    cfg: &DetectorConfig,
    out: &mut Vec<Finding>,
    by_ip: &AddressIncidents,
) {
    let w = cfg.window_minutes();
    let threshold = cfg.authn_failures;
    for (name, p) in acc.principals.iter() {
        if crate::event::is_placeholder(name) {
            continue;
        }
        let p = p.track();
        let buckets = sorted(&p.failures);
        for r in incidents(&buckets, w, |_, win| count(win) >= threshold) {
            let b = merged(&buckets[r]);
            // one address with its own finding over the same time says it all
            let covered = b.names.len() == 1
                && b.names
                    .iter()
                    .next()
                    .and_then(|ip| by_ip.get(ip))
                    .is_some_and(|spans| spans.iter().any(|(s, e)| *s <= b.last && b.first <= *e));
            if covered {
                continue;
            }
            let from = if b.names.is_empty() {
                "from addresses the log does not name".to_owned()
            } else {
                format!("from {} ({})", plural(b.names.len() as u64, "address", "addresses"), listed(&b.names))
            };
            let evidence = format!(
                "{} for {name} {from} in {}",
                plural(b.count, "failed login", "failed logins"),
                duration(b.last - b.first)
            );
            let mut f = finding(Detector::AuthnFailures, Severity::Critical, &b, evidence);
            f.principal = Some(name.to_owned());
            out.push(f);
        }
    }
}

/// Requests of a principal in the minutes `[from, to]`.
fn requests(p: &PrincipalTrack, from: i64, to: i64) -> u64 {
    (from..=to).map(|m| u64::from(p.totals.get(&super::narrow(m)).copied().unwrap_or(0))).sum()
}

/// `denied-burst` and `resource-enumeration`: a principal refused over and
/// over, or on many resources, making up at least half of what it asked.
fn denials(name: &str, p: &PrincipalTrack, cfg: &DetectorConfig, out: &mut Vec<Finding>) {
    let w = cfg.window_minutes();
    let buckets = sorted(&p.denials);
    let share_ok =
        |start: i64, denied: u64| denied as f64 >= cfg.denied_share * requests(p, start, start + w - 1) as f64;
    let mut emit = |detector: Detector, ranges: Vec<std::ops::Range<usize>>| {
        for r in ranges {
            let (first_min, last_min) = (buckets[r.start].0, buckets[r.end - 1].0);
            let b = merged(&buckets[r]);
            let total = requests(p, first_min, last_min);
            let resources = b.names.len() as u64;
            let evidence = match detector {
                // denials that named no resource say so, not "on 0 resources ()"
                Detector::DeniedBurst if resources == 0 => format!(
                    "{} of {} requests by {name} denied within {}, naming no resource",
                    b.count,
                    total,
                    duration(b.last - b.first)
                ),
                Detector::DeniedBurst => format!(
                    "{} of {} requests by {name} denied within {}, on {} ({})",
                    b.count,
                    total,
                    duration(b.last - b.first),
                    plural(resources, "resource", "resources"),
                    listed(&b.names)
                ),
                _ => format!(
                    "{name} was denied on {} within {} ({}); {} of its {} requests were denied",
                    plural(resources, "resource", "distinct resources"),
                    duration(b.last - b.first),
                    listed(&b.names),
                    b.count,
                    total
                ),
            };
            let mut f = finding(detector, Severity::High, &b, evidence);
            f.principal = Some(name.to_owned());
            f.resources = b.names.iter().map(str::to_owned).collect();
            out.push(f);
        }
    };
    if cfg.enabled(Detector::DeniedBurst) {
        let ranges = incidents(&buckets, w, |start, win| {
            let d = count(win);
            d >= cfg.denied_burst && share_ok(start, d)
        });
        emit(Detector::DeniedBurst, ranges);
    }
    if cfg.enabled(Detector::ResourceEnumeration) {
        // as many denied requests as resources: one request naming three views is not a probe
        let ranges = incidents(&buckets, w, |start, win| {
            let d = count(win);
            d >= cfg.enumeration as u64 && merged(win).names.len() >= cfg.enumeration && share_ok(start, d)
        });
        emit(Detector::ResourceEnumeration, ranges);
    }
}

/// An hour with at least `spike_factor` × the principal's median hourly
/// volume (over the hours it was active) and at least `spike_min` events.
fn volume_spike(name: &str, p: &PrincipalTrack, cfg: &DetectorConfig, out: &mut Vec<Finding>) {
    let mut hours: FxHashMap<i64, u64> = FxHashMap::default();
    for (m, n) in p.totals.iter() {
        *hours.entry(i64::from(m).div_euclid(60)).or_default() += u64::from(*n);
    }
    let mut volumes: Vec<u64> = hours.values().copied().collect();
    volumes.sort_unstable();
    let Some(&median) = volumes.get(volumes.len().div_ceil(2).saturating_sub(1)) else { return };
    let mut spikes: Vec<(i64, u64)> = hours
        .into_iter()
        .filter(|(_, n)| *n >= cfg.spike_min && *n as f64 >= cfg.spike_factor * median as f64)
        .collect();
    spikes.sort_unstable();
    let hour = 3600 * MICROS_PER_SEC;
    let mut i = 0;
    while i < spikes.len() {
        let mut j = i + 1;
        while j < spikes.len() && spikes[j].0 == spikes[j - 1].0 + 1 {
            j += 1;
        }
        let events: u64 = spikes[i..j].iter().map(|(_, n)| n).sum();
        let peak = spikes[i..j].iter().map(|(_, n)| *n).max().unwrap_or(0);
        let (start, end) = (spikes[i].0 * hour, spikes[j - 1].0 * hour + hour - 1000);
        let span = if j - i == 1 { "the hour".to_owned() } else { format!("{} hours", j - i) };
        let evidence = format!(
            "{} by {name} in {span} from {}, {:.0}× its median of {median} per active hour",
            plural(events, "event", "events"),
            format_millis(start),
            peak as f64 / median.max(1) as f64
        );
        let b = Burst { count: events, first: start, last: end, names: NameSet::default() };
        let mut f = finding(Detector::VolumeSpike, Severity::Medium, &b, evidence);
        f.principal = Some(name.to_owned());
        out.push(f);
        i = j;
    }
}

/// Sensitive resources touched by roles not allowed (medium) or outside
/// business hours (low).
fn sensitive_access(name: &str, p: &PrincipalTrack, cfg: &DetectorConfig, out: &mut Vec<Finding>) {
    let mut emit = |b: &Burst, severity: Severity, why: String| {
        if b.count == 0 {
            return;
        }
        let evidence =
            format!("{} to sensitive {} by {name} {why}", plural(b.count, "access", "accesses"), listed(&b.names));
        let mut f = finding(Detector::SensitiveAccess, severity, b, evidence);
        f.principal = Some(name.to_owned());
        f.resources = b.names.iter().map(str::to_owned).collect();
        out.push(f);
    };
    let Some(s) = &p.sensitive else { return };
    emit(
        &s.role_violations,
        Severity::Medium,
        format!("with roles {}, none of them allowed ({})", listed(&s.roles_seen), cfg.allow_roles.join(", ")),
    );
    if let Some((start, end)) = cfg.business_hours {
        emit(
            &s.hours_violations,
            Severity::Low,
            format!("outside business hours ({start:02}-{end:02} {}, Monday to Friday)", cfg.tz),
        );
    }
}

/// An address first used in the second half of the log by a principal
/// already seen (from other addresses) in the first half.
fn new_source_ip<P>(name: &str, p: &PrincipalTrack, acc: &DetectAcc<P>, cfg: &DetectorConfig, out: &mut Vec<Finding>) {
    let (Some(first), Some(last)) = (acc.range.first, acc.range.last) else { return };
    if last - first < cfg.new_ip_min_span {
        return;
    }
    let middle = first + (last - first) / 2;
    let Some(addresses) = &p.addresses else { return };
    let known = addresses.iter().filter(|(_, b)| b.first < middle).count() as u64;
    if known == 0 {
        return;
    }
    for (ip, b) in addresses.iter().filter(|(_, b)| b.first >= middle) {
        let evidence = format!(
            "{name} came from {ip} for the first time at {} ({}), after {} in the first half of the log",
            format_millis(b.first),
            plural(b.count, "event", "events"),
            plural(known, "other address", "other addresses")
        );
        let mut f = finding(Detector::NewSourceIp, Severity::Low, b, evidence);
        f.principal = Some(name.to_owned());
        f.source_ip = Some(ip.to_owned());
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::duration;
    use crate::time::MICROS_PER_SEC;

    #[test]
    fn durations_for_people() {
        assert_eq!(duration(42 * MICROS_PER_SEC), "42s");
        assert_eq!(duration((9 * 60 + 58) * MICROS_PER_SEC), "9m58s");
        assert_eq!(duration((2 * 3600 + 5 * 60) * MICROS_PER_SEC), "2h05m");
    }
}
