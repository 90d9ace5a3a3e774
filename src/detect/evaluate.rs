//! Turns the folded buckets into findings, one per incident, with evidence
//! a person can paste into a ticket.

use rustc_hash::FxHashMap;

use super::population::{Clock, Population, confined};
use super::stats::{self, binomial_tail, chance, corrected, percent, poisson_tail};
use super::track::{Burst, NameSet, PrincipalTrack, Tracked, sorted};
use super::window::incidents;
use super::{DetectAcc, Detector, DetectorConfig, Finding, Severity};
use crate::time::{MICROS_PER_SEC, Micros, format_millis};

/// Where and when each address had a failed-login incident: a principal's
/// failures from one such address at the same time are that finding's.
pub type AddressIncidents = FxHashMap<String, Vec<(Micros, Micros)>>;

/// Every finding of the enabled detectors, most severe first, then by count.
pub fn findings<P: Tracked>(acc: &DetectAcc<P>) -> Vec<Finding> {
    findings_in(acc, &Population::of(acc))
}

/// [`findings`] against a population already counted.
pub fn findings_in<P: Tracked>(acc: &DetectAcc<P>, pop: &Population) -> Vec<Finding> {
    let (mut out, incidents) = address_findings(acc, pop);
    out.extend(principal_findings(acc, pop, &incidents));
    sort(&mut out);
    out
}

/// The findings about source addresses (failed logins per address), and
/// their incidents, which [`principal_findings`] needs from every address.
pub fn address_findings<P>(acc: &DetectAcc<P>, pop: &Population) -> (Vec<Finding>, AddressIncidents) {
    let mut out = Vec::new();
    let mut incidents = AddressIncidents::default();
    if acc.cfg.enabled(Detector::AuthnFailures) {
        address_failures(acc, pop, &mut out, &mut incidents);
    }
    (out, incidents)
}

/// The findings about principals, given the population and every address's
/// incidents. Each principal is judged on its own, on every thread the run
/// may use; the findings come back in the table's order.
pub fn principal_findings<P: Tracked>(
    acc: &DetectAcc<P>,
    pop: &Population,
    incidents: &AddressIncidents,
) -> Vec<Finding> {
    use rayon::prelude::*;
    let cfg = &*acc.cfg;
    let mut out = Vec::new();
    if cfg.enabled(Detector::AuthnFailures) {
        principal_failures(acc, pop, &mut out, incidents);
    }
    let principals: Vec<(&str, &P)> = acc.principals.iter().collect();
    // a clock per thread: it keeps the offsets it looked up
    let found = principals.par_iter().map_init(
        || Clock::new(cfg),
        |clock, (name, p)| {
            let mut found = Vec::new();
            judge(name, p.track(), acc, pop, clock, &mut found);
            found
        },
    );
    out.par_extend(found.flatten_iter());
    out
}

/// The per-principal detectors on one principal.
fn judge<P>(
    name: &str,
    p: &PrincipalTrack,
    acc: &DetectAcc<P>,
    pop: &Population,
    clock: &Clock,
    out: &mut Vec<Finding>,
) {
    let cfg = &*acc.cfg;
    let placeholder = crate::event::is_placeholder(name);
    if !placeholder {
        let s = Subject { name, p, cfg, pop };
        if cfg.enabled(Detector::DeniedBurst) || cfg.enabled(Detector::ResourceEnumeration) {
            denials(&s, out);
        }
        if cfg.enabled(Detector::VolumeSpike) {
            volume_spike(&s, out);
        }
        if cfg.enabled(Detector::NewSourceIp) {
            new_source_ip(name, p, acc, cfg, out);
        }
        if cfg.enabled(Detector::OffHours) {
            off_hours(&s, clock, out);
        }
        if cfg.enabled(Detector::CredentialSharing) {
            credential_sharing(&s, out);
        }
        if cfg.enabled(Detector::DailyDenials) {
            daily_denials(&s, clock, out);
        }
    }
    if cfg.enabled(Detector::WriteFailures) {
        write_failures(name, p, cfg, out);
    }
    if cfg.enabled(Detector::SensitiveAccess) {
        sensitive_access(name, p, cfg, out);
    }
}

/// One named principal under judgement.
struct Subject<'a> {
    name: &'a str,
    p: &'a PrincipalTrack,
    cfg: &'a DetectorConfig,
    pop: &'a Population,
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

fn merged(buckets: &[(i64, &Burst)]) -> Burst {
    let mut all = Burst::default();
    buckets.iter().for_each(|(_, b)| all.merge(b));
    all
}

fn count(buckets: &[(i64, &Burst)]) -> u64 {
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

/// A finding of `detector` at its severity ([`Detector::most_severe`]),
/// which [`settle`] lowers when its chance is not small.
fn finding(detector: Detector, b: &Burst, evidence: String) -> Finding {
    Finding {
        detector: detector.name(),
        severity: detector.most_severe(),
        principal: None,
        source_ip: None,
        resources: Vec::new(),
        start: format_millis(b.first),
        end: format_millis(b.last),
        count: b.count,
        evidence,
        p_value: None,
    }
}

/// Pseudo-requests at the population's rate that a principal's own rate is
/// smoothed with: a principal with little history is judged as everyone is.
const PRIOR_REQUESTS: f64 = 20.0;

/// What a window's count is judged by: its chance under the subject's
/// baseline (the smallest over the windows of one incident), and the
/// baseline in words.
#[derive(Debug, Clone, Default)]
struct Judged {
    p: f64,
    baseline: String,
}

/// Judges each window of `buckets` that passes `gate` by `judge` and merges
/// the windows whose corrected chance is below `--alpha` into incidents,
/// each with the strongest evidence among its windows.
fn judged_incidents<B>(
    buckets: &[(i64, B)],
    w: i64,
    tests: u64,
    alpha: f64,
    mut gate: impl FnMut(i64, &[(i64, B)]) -> bool,
    mut judge: impl FnMut(i64, &[(i64, B)]) -> Judged,
) -> Vec<(std::ops::Range<usize>, Judged)> {
    let mut judged: Vec<Option<Judged>> = Vec::with_capacity(buckets.len());
    let ranges = incidents(buckets, w, |start, win| {
        let j = gate(start, win).then(|| judge(start, win)).filter(|j| stats::fires(corrected(j.p, tests), alpha));
        let fires = j.is_some();
        judged.push(j);
        fires
    });
    ranges
        .into_iter()
        .map(|r| {
            let best =
                judged[r.clone()].iter().flatten().min_by(|a, b| a.p.total_cmp(&b.p)).cloned().unwrap_or_default();
            (r, best)
        })
        .collect()
}

/// Sets a finding's corrected chance and severity (its detector's, or one
/// step lower), and ends its evidence with the baseline and the chance, and
/// with the repeated lines it counted.
fn settle(f: &mut Finding, j: &Judged, tests: u64, b: &Burst, threshold: u64) {
    let q = corrected(j.p, tests);
    f.severity = stats::severity(f.severity, q);
    f.p_value = Some(q);
    f.evidence =
        format!("{}; {} ({}, {} tried)", f.evidence, j.baseline, chance(q), plural(tests, "window", "windows"));
    repeated(f, b, threshold);
}

/// Says so when a finding counted lines that repeat an earlier line byte
/// for byte (a log shipped twice), and whether it rests on them.
fn repeated(f: &mut Finding, b: &Burst, threshold: u64) {
    let r = b.repeats();
    if r == 0 {
        return;
    }
    let rests = if b.count - r < threshold { "; the finding rests on them" } else { "" };
    f.evidence = format!(
        "{}; {} of these {} repeat an earlier line byte for byte (--dedup counts each once){rests}",
        f.evidence, r, b.count
    );
}

/// A small rate with the digits it needs.
fn rate_text(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}")
    } else if r >= 0.1 {
        format!("{r:.1}")
    } else {
        format!("{r:.3}")
    }
}

/// The usual rate of failed logins (per minute), for people.
fn usual_failures(per_minute: f64, whom: &str) -> String {
    if per_minute <= 0.0 {
        format!("no failed login is usual {whom}, nor anywhere else in the log")
    } else {
        format!("{} failed logins an hour is usual {whom}", rate_text(per_minute * 60.0))
    }
}

/// The windows of failed logins (per minute in `buckets`) at or above
/// `--authn-failures` whose Poisson chance, at the larger of the subject's
/// own rate elsewhere in the log and everyone else's (`prior`, per minute),
/// is below `--alpha` once corrected, merged into incidents.
fn failure_bursts(
    buckets: &[(i64, &Burst)],
    cfg: &DetectorConfig,
    pop: &Population,
    prior: f64,
    whom: &str,
) -> Vec<(std::ops::Range<usize>, Judged)> {
    let w = cfg.window_minutes();
    let (all, span) = (count(buckets), pop.span_minutes());
    let judge = |_: i64, win: &[(i64, &Burst)]| {
        let k = count(win);
        let own = (all - k) as f64 / span.saturating_sub(w as u64).max(1) as f64;
        let rate = own.max(prior);
        Judged { p: poisson_tail(k, rate * w as f64), baseline: usual_failures(rate, whom) }
    };
    let gate = |_: i64, win: &[(i64, &Burst)]| count(win) >= cfg.authn_failures;
    judged_incidents(buckets, w, pop.tests.failure_windows, cfg.alpha, gate, judge)
}

/// Token brute force: failed logins per address, and per principal when
/// they came from several addresses (or from none the log names).
fn address_failures<P>(acc: &DetectAcc<P>, pop: &Population, out: &mut Vec<Finding>, by_ip: &mut AddressIncidents) {
    let cfg = &*acc.cfg;
    let (tests, threshold) = (pop.tests.failure_windows, cfg.authn_failures);
    for (ip, track) in acc.ips.iter() {
        let buckets = sorted(&track.failures);
        let prior = pop.address_failure_rate_without(count(&buckets));
        for (r, j) in failure_bursts(&buckets, cfg, pop, prior, "from this address") {
            let b = merged(&buckets[r]);
            let who = b.names.len() as u64;
            let evidence = format!(
                "{} from {ip} in {} for {} ({})",
                plural(b.count, "failed login", "failed logins"),
                duration(b.last - b.first),
                plural(who, "principal", "principals"),
                listed(&b.names)
            );
            let mut f = finding(Detector::AuthnFailures, &b, evidence);
            settle(&mut f, &j, tests, &b, threshold);
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
    pop: &Population,
    out: &mut Vec<Finding>,
    by_ip: &AddressIncidents,
) {
    let cfg = &*acc.cfg;
    let (tests, threshold) = (pop.tests.failure_windows, cfg.authn_failures);
    for (name, p) in acc.principals.iter() {
        if crate::event::is_placeholder(name) {
            continue;
        }
        let p = p.track();
        let buckets = sorted(&p.failures);
        let prior = pop.principal_failure_rate_without(count(&buckets));
        for (r, j) in failure_bursts(&buckets, cfg, pop, prior, "for this principal") {
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
            let mut f = finding(Detector::AuthnFailures, &b, evidence);
            settle(&mut f, &j, tests, &b, threshold);
            f.principal = Some(name.to_owned());
            out.push(f);
        }
    }
}

/// Requests of a principal in the minutes `[from, to]`.
fn requests(p: &PrincipalTrack, from: i64, to: i64) -> u64 {
    if to - from > p.totals.len() as i64 {
        return p.totals.iter().filter(|(m, _)| (from..=to).contains(&i64::from(*m))).map(|(_, n)| u64::from(*n)).sum();
    }
    (from..=to).map(|m| u64::from(p.totals.get(&super::narrow(m)).copied().unwrap_or(0))).sum()
}

/// All the requests of a principal.
fn total_requests(p: &PrincipalTrack) -> u64 {
    p.totals.iter().map(|(_, n)| u64::from(*n)).sum()
}

/// `denied-burst` and `resource-enumeration`: a principal refused over and
/// over, or on many resources, making up at least half of what it asked,
/// far more often than it (and everyone, on those resources) is refused.
fn denials(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Subject { name, p, cfg, pop } = *s;
    let w = cfg.window_minutes();
    let buckets = sorted(&p.denials);
    let (all_requests, all_denied) = (total_requests(p), count(&buckets));
    let tests = pop.tests.denial_windows;
    let share_ok =
        |start: i64, denied: u64| denied as f64 >= cfg.denied_share * requests(p, start, start + w - 1) as f64;
    // binomial: k of the window's n requests denied, at the larger of the
    // principal's own rate outside the window and everyone's on those resources
    let judge = |start: i64, win: &[(i64, &Burst)]| {
        let k = count(win);
        let n = requests(p, start, start + w - 1).max(k);
        let everyone = pop.denial_rate_without(all_denied, all_requests);
        let own = stats::smoothed(all_denied - k, all_requests.saturating_sub(n), everyone, PRIOR_REQUESTS);
        let names = merged(win).names;
        let here = pop.resource_denial_rate(&names, k);
        let rate = own.max(here.unwrap_or(everyone));
        let baseline = match here {
            _ if all_requests <= n => {
                format!("{name} made no other request, and everyone else is denied {} of the time", percent(everyone))
            }
            Some(r) => format!(
                "{name} is normally denied {} of the time, and everyone {} on these resources",
                percent(own),
                percent(r)
            ),
            None => format!("{name} is normally denied {} of the time", percent(own)),
        };
        Judged { p: binomial_tail(k, n, rate), baseline }
    };
    let mut emit = |detector: Detector, found: Vec<(std::ops::Range<usize>, Judged)>, threshold: u64| {
        for (r, j) in found {
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
            let mut f = finding(detector, &b, evidence);
            settle(&mut f, &j, tests, &b, threshold);
            f.principal = Some(name.to_owned());
            f.resources = b.names.iter().map(str::to_owned).collect();
            out.push(f);
        }
    };
    if cfg.enabled(Detector::DeniedBurst) {
        let gate = |start: i64, win: &[(i64, &Burst)]| {
            let d = count(win);
            d >= cfg.denied_burst && share_ok(start, d)
        };
        let found = judged_incidents(&buckets, w, tests, cfg.alpha, gate, judge);
        emit(Detector::DeniedBurst, found, cfg.denied_burst);
    }
    if cfg.enabled(Detector::ResourceEnumeration) {
        // as many denied requests as resources: one request naming three views is not a probe
        let gate = |start: i64, win: &[(i64, &Burst)]| {
            let d = count(win);
            d >= cfg.enumeration as u64 && merged(win).names.len() >= cfg.enumeration && share_ok(start, d)
        };
        let found = judged_incidents(&buckets, w, tests, cfg.alpha, gate, judge);
        emit(Detector::ResourceEnumeration, found, cfg.enumeration as u64);
    }
}

/// A principal's events per hour since the epoch (UTC), sorted.
fn hourly(p: &PrincipalTrack) -> Vec<(i64, u64)> {
    // minutes in order: an hour's minutes follow one another
    let mut hours: Vec<(i64, u64)> = Vec::new();
    p.totals.for_each_in_order(|m, &n| add_to_run(&mut hours, i64::from(m).div_euclid(60), u64::from(n)));
    hours
}

/// Adds `n` to the last run of `runs` when it is `key`'s, else starts
/// `key`'s run: sums by key of keys that come in order.
fn add_to_run(runs: &mut Vec<(i64, u64)>, key: i64, n: u64) {
    match runs.last_mut() {
        Some((k, sum)) if *k == key => *sum += n,
        _ => runs.push((key, n)),
    }
}

/// A principal's events in one hour of local time (hours since the epoch),
/// and its first and last minute (UTC minutes since the epoch) in it.
#[derive(Clone, Copy)]
struct LocalHour {
    slot: i64,
    events: u64,
    first: i64,
    last: i64,
}

/// A principal's events by hour of local time, in order of the hours.
fn local_hours(p: &PrincipalTrack, clock: &Clock) -> Vec<LocalHour> {
    let mut slots: Vec<LocalHour> = Vec::new();
    p.totals.for_each_in_order(|m, &n| {
        let m = i64::from(m);
        let slot = clock.local_minute(m).div_euclid(60);
        match slots.last_mut() {
            Some(s) if s.slot == slot => {
                s.events += u64::from(n);
                s.last = m;
            }
            _ => slots.push(LocalHour { slot, events: u64::from(n), first: m, last: m }),
        }
    });
    // a clock set back (the end of summer time) comes to an hour of local
    // time twice: its two stretches are one slot
    if !slots.is_sorted_by(|a, b| a.slot < b.slot) {
        slots.sort_by_key(|s| s.slot);
        slots.dedup_by(|next, kept| {
            let same = next.slot == kept.slot;
            if same {
                kept.events += next.events;
                kept.first = kept.first.min(next.first);
                kept.last = kept.last.max(next.last);
            }
            same
        });
    }
    slots
}

/// An hour with at least `spike_factor` × the principal's median hourly
/// volume (over the hours it was active), at least `spike_min` events, and
/// a Poisson chance at its usual volume below `--alpha` once corrected.
fn volume_spike(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Subject { name, p, cfg, pop } = *s;
    let hours = hourly(p);
    let mut volumes: Vec<u64> = hours.iter().map(|(_, n)| *n).collect();
    volumes.sort_unstable();
    let Some(&median) = volumes.get(volumes.len().div_ceil(2).saturating_sub(1)) else { return };
    let all: u64 = volumes.iter().sum();
    let span_hours = (pop.span_minutes() / 60).max(2);
    let tests = pop.tests.active_hours;
    // the usual hour: the median active hour, or the mean over the whole input if larger
    let judge = |n: u64| {
        let usual = (median as f64).max((all - n) as f64 / (span_hours - 1) as f64);
        poisson_tail(n, usual)
    };
    let mut spikes: Vec<(i64, u64, f64)> = hours
        .iter()
        .filter(|(_, n)| *n >= cfg.spike_min && *n as f64 >= cfg.spike_factor * median as f64)
        .map(|&(h, n)| (h, n, judge(n)))
        .filter(|(_, _, pv)| stats::fires(corrected(*pv, tests), cfg.alpha))
        .collect();
    spikes.sort_unstable_by_key(|(h, _, _)| *h);
    let hour = 3600 * MICROS_PER_SEC;
    let mut i = 0;
    while i < spikes.len() {
        let mut j = i + 1;
        while j < spikes.len() && spikes[j].0 == spikes[j - 1].0 + 1 {
            j += 1;
        }
        let events: u64 = spikes[i..j].iter().map(|(_, n, _)| n).sum();
        let peak = spikes[i..j].iter().map(|(_, n, _)| *n).max().unwrap_or(0);
        let best = spikes[i..j].iter().map(|(_, _, pv)| *pv).fold(1.0, f64::min);
        let (start, end) = (spikes[i].0 * hour, spikes[j - 1].0 * hour + hour - 1000);
        let span = if j - i == 1 { "the hour".to_owned() } else { format!("{} hours", j - i) };
        let evidence = format!(
            "{} by {name} in {span} from {}, {:.0}× its median of {median} per active hour",
            plural(events, "event", "events"),
            format_millis(start),
            peak as f64 / median.max(1) as f64
        );
        let b = Burst { count: events, first: start, last: end, ..Burst::default() };
        let mut f = finding(Detector::VolumeSpike, &b, evidence);
        let usual = (median as f64).max((all - peak) as f64 / (span_hours - 1) as f64);
        let j_ = Judged { p: best, baseline: format!("{} events an hour is usual for {name}", rate_text(usual)) };
        settle(&mut f, &j_, tests, &b, cfg.spike_min);
        f.principal = Some(name.to_owned());
        out.push(f);
        i = j;
    }
}

/// Days of history an `off-hours` finding needs besides the day it judges.
const OFF_HOURS_DAYS: u64 = 3;

/// `off-hours`: many events in an hour of the (local) day at which the
/// principal was never active on any other day, outside business hours
/// when they are given.
fn off_hours(s: &Subject<'_>, clock: &Clock, out: &mut Vec<Finding>) {
    let Subject { name, p, cfg, pop } = *s;
    // events per local hour slot (hours since the epoch, local time), in order
    let slots = local_hours(p, clock);
    // events per local day (in order too), and on how many days each hour of the day was used
    let mut by_day: Vec<(i64, u64)> = Vec::new();
    let mut days_at_hour = [0u64; 24];
    for s in &slots {
        add_to_run(&mut by_day, s.slot.div_euclid(24), s.events);
        days_at_hour[s.slot.rem_euclid(24) as usize] += 1;
    }
    let all: u64 = by_day.iter().map(|(_, n)| n).sum();
    let tests = pop.tests.active_hours;
    // (the hour, its p-value, the other days and their events)
    let mut hits: Vec<(LocalHour, f64, u64, u64)> = Vec::new();
    for &hour @ LocalHour { slot, events: c, first, .. } in &slots {
        if c < cfg.off_hours_min {
            continue;
        }
        let (day, h) = (slot.div_euclid(24), slot.rem_euclid(24) as usize);
        let other_days = by_day.len() as u64 - 1;
        let on_day = by_day[by_day.partition_point(|(d, _)| *d < day)].1;
        let history = all - on_day;
        if other_days < OFF_HOURS_DAYS {
            continue;
        }
        // never at this hour of the day on any other day
        if days_at_hour[h] > 1 {
            continue;
        }
        if let Some((start, end)) = cfg.business_hours {
            let t = first * 60 * MICROS_PER_SEC;
            if cfg.in_business_hours(t, start, end) {
                continue;
            }
        }
        // Poisson: the day's events at the principal's share of this hour,
        // smoothed with everyone's (24 pseudo-events)
        let share = (24.0 * pop.hour_share(h)) / (history as f64 + 24.0);
        let pv = poisson_tail(c, on_day as f64 * share);
        if stats::fires(corrected(pv, tests), cfg.alpha) {
            hits.push((hour, pv, other_days, history));
        }
    }
    // hits are in order of the hours, as the slots are: runs of consecutive hours
    let mut i = 0;
    while i < hits.len() {
        let mut j = i + 1;
        while j < hits.len() && hits[j].0.slot == hits[j - 1].0.slot + 1 {
            j += 1;
        }
        let events: u64 = hits[i..j].iter().map(|h| h.0.events).sum();
        let best = hits[i..j].iter().map(|h| h.1).fold(1.0, f64::min);
        let minute = 60 * MICROS_PER_SEC;
        let (first, last) = (hits[i].0.first * minute, hits[j - 1].0.last * minute + minute - 1000);
        let (h0, h1) = (hits[i].0.slot.rem_euclid(24), hits[j - 1].0.slot.rem_euclid(24));
        let b = Burst { count: events, first, last, ..Burst::default() };
        let evidence = format!(
            "{} by {name} between {h0:02}:00 and {:02}:00 ({}), hours of the day at which it was never active on its {} other days",
            plural(events, "event", "events"),
            (h1 + 1) % 24,
            cfg.tz,
            hits[i].2
        );
        let mut f = finding(Detector::OffHours, &b, evidence);
        let j_ = Judged {
            p: best,
            baseline: format!("none of its other {} fell in these hours", plural(hits[i].3, "event", "events")),
        };
        settle(&mut f, &j_, tests, &b, cfg.off_hours_min);
        f.principal = Some(name.to_owned());
        out.push(f);
        i = j;
    }
}

/// `credential-sharing`: one principal from many source addresses within
/// an hour, far more than it (and everyone) usually uses in an hour.
fn credential_sharing(s: &Subject<'_>, out: &mut Vec<Finding>) {
    let Subject { name, p, cfg, pop } = *s;
    let Some(addresses) = &p.addresses else { return };
    if (addresses.len() as u64) < cfg.shared_addresses {
        return;
    }
    // per hour: the addresses used only within a few hours around it
    let hour = 3600 * MICROS_PER_SEC;
    let mut per_hour: FxHashMap<i64, u64> = FxHashMap::default();
    let mut all_confined = 0u64;
    for (_, a) in addresses.iter().filter(|(_, a)| confined(a)) {
        all_confined += 1;
        for h in a.first.div_euclid(hour)..=a.last.div_euclid(hour) {
            *per_hour.entry(h).or_default() += 1;
        }
    }
    let hours = hourly(p).len() as u64;
    let tests = pop.tests.active_hours;
    let mut hits: Vec<(i64, u64, f64, f64)> = Vec::new();
    for (&h, &fresh) in &per_hour {
        if fresh < cfg.shared_addresses {
            continue;
        }
        // Poisson: such addresses at the principal's own rate of them per
        // active hour elsewhere, or everyone else's
        let own = if hours > 1 { all_confined.saturating_sub(fresh) as f64 / (hours - 1) as f64 } else { 0.0 };
        let usual = own.max(pop.confined_per_hour_without(all_confined, hours));
        let pv = poisson_tail(fresh, usual);
        if stats::fires(corrected(pv, tests), cfg.alpha) {
            hits.push((h, fresh, pv, usual));
        }
    }
    hits.sort_unstable_by_key(|h| h.0);
    for (h, k, pv, usual) in hits {
        let (start, end) = (h * hour, h * hour + hour - 1000);
        let mut names = NameSet::default();
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        for (ip, a) in addresses.iter().filter(|(_, a)| confined(a) && a.first <= end && start <= a.last) {
            names.insert(ip);
            first = first.min(a.first);
            last = last.max(a.last);
        }
        let events = requests(p, h * 60, h * 60 + 59);
        let b = Burst { count: events, first, last, ..Burst::default() };
        let evidence = format!(
            "{name} came from {} used only within a few hours around the hour from {} ({}), {} in that hour",
            plural(k, "address", "addresses"),
            format_millis(start),
            listed(&names),
            plural(events, "event", "events")
        );
        let mut f = finding(Detector::CredentialSharing, &b, evidence);
        let j = Judged {
            p: pv,
            baseline: if usual > 0.0 {
                format!("an address kept for only a few hours is usual once in {:.0} hours", 1.0 / usual)
            } else {
                "no address is usually kept for only a few hours".to_owned()
            },
        };
        settle(&mut f, &j, tests, &b, 0);
        f.principal = Some(name.to_owned());
        f.resources = Vec::new();
        out.push(f);
    }
}

/// `daily-denials`: more denials in one (local) day than the daily limit
/// (10 by default, the classic trigger of a security review), and far more
/// than the principal (or everyone) is usually denied in a day.
fn daily_denials(s: &Subject<'_>, clock: &Clock, out: &mut Vec<Finding>) {
    let Subject { name, p, cfg, pop } = *s;
    if p.denials.is_empty() {
        return;
    }
    let mut days: FxHashMap<i64, Burst> = FxHashMap::default();
    for (m, b) in p.denials.iter() {
        days.entry(clock.local_minute(m).div_euclid(1440)).or_default().merge(b);
    }
    // the days it was active: minutes in order, each day's one after another
    let mut active: Vec<i64> = Vec::new();
    p.totals.for_each_in_order(|m, _| {
        let day = clock.local_minute(i64::from(m)).div_euclid(1440);
        if active.last() != Some(&day) {
            active.push(day);
        }
    });
    // (but a clock set back may come to a day again)
    active.sort_unstable();
    active.dedup();
    let all: u64 = days.values().map(|b| b.count).sum();
    let tests = pop.tests.denial_days;
    let mut hits: Vec<(i64, Burst, f64, f64)> = days
        .into_iter()
        .filter(|(_, b)| b.count >= cfg.daily_denials)
        .filter_map(|(d, b)| {
            let other = active.len() as u64 - 1;
            let own = if other > 0 { (all - b.count) as f64 / other as f64 } else { 0.0 };
            let usual = own.max(pop.daily_denials_without(all, active.len() as u64));
            let pv = poisson_tail(b.count, usual);
            (stats::fires(corrected(pv, tests), cfg.alpha)).then_some((d, b, pv, usual))
        })
        .collect();
    hits.sort_unstable_by_key(|h| h.0);
    for (day, b, pv, usual) in hits {
        let date = crate::time::format_millis(day * 86_400 * MICROS_PER_SEC);
        let on = match b.names.len() {
            0 => "naming no resource".to_owned(),
            n => format!("on {} ({})", plural(n as u64, "resource", "resources"), listed(&b.names)),
        };
        let evidence = format!(
            "{} by {name} denied on {} ({}), {on}",
            plural(b.count, "request", "requests"),
            &date[..10],
            cfg.tz
        );
        let mut f = finding(Detector::DailyDenials, &b, evidence);
        let j = Judged { p: pv, baseline: format!("{usual:.1} denials on a day it is active are usual for {name}") };
        settle(&mut f, &j, tests, &b, cfg.daily_denials);
        f.principal = Some(name.to_owned());
        f.resources = b.names.iter().map(str::to_owned).collect();
        out.push(f);
    }
}

/// `write-failures`: writes to the store (materialization, push) that
/// failed. For ingestion any failure is critical: there is no baseline.
fn write_failures(name: &str, p: &PrincipalTrack, cfg: &DetectorConfig, out: &mut Vec<Finding>) {
    let w = cfg.window_minutes();
    let buckets = sorted(&p.writes);
    for r in incidents(&buckets, w, |_, win| count(win) >= cfg.write_failures) {
        let b = merged(&buckets[r]);
        let evidence = format!(
            "{} by {name} failed within {} ({})",
            plural(b.count, "write", "writes"),
            duration(b.last - b.first),
            listed(&b.names)
        );
        let mut f = finding(Detector::WriteFailures, &b, evidence);
        repeated(&mut f, &b, cfg.write_failures);
        f.principal = Some(name.to_owned());
        f.resources = b.names.iter().map(str::to_owned).collect();
        out.push(f);
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
        let mut f = finding(Detector::SensitiveAccess, b, evidence);
        f.severity = severity;
        f.principal = Some(name.to_owned());
        f.resources = b.names.iter().map(str::to_owned).collect();
        out.push(f);
    };
    let Some(s) = &p.sensitive else { return };
    let roles = Detector::SensitiveAccess.most_severe();
    emit(
        &s.role_violations,
        roles,
        format!("with roles {}, none of them allowed ({})", listed(&s.roles_seen), cfg.allow_roles.join(", ")),
    );
    if let Some((start, end)) = cfg.business_hours {
        emit(
            &s.hours_violations,
            roles.lower(),
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
    let known = addresses.iter().filter(|(_, a)| a.first < middle).count() as u64;
    if known == 0 {
        return;
    }
    // one finding per principal, however many addresses are new
    let mut new = Burst::default();
    let mut sole = None;
    for (ip, b) in addresses.iter().filter(|(_, b)| b.first >= middle) {
        new.merge(b);
        new.names.insert(ip);
        sole = if new.names.len() == 1 { Some(ip) } else { None };
    }
    if new.count == 0 {
        return;
    }
    let what = match sole {
        Some(ip) => ip.to_owned(),
        None => format!("{} ({})", plural(new.names.len() as u64, "address", "addresses"), listed(&new.names)),
    };
    let evidence = format!(
        "{name} came from {what} for the first time at {} ({}), after {} in the first half of the log",
        format_millis(new.first),
        plural(new.count, "event", "events"),
        plural(known, "other address", "other addresses")
    );
    let mut f = finding(Detector::NewSourceIp, &new, evidence);
    f.principal = Some(name.to_owned());
    f.source_ip = sole.map(str::to_owned);
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::{duration, hourly, local_hours};
    use crate::detect::population::Clock;
    use crate::detect::track::PrincipalTrack;
    use crate::detect::{DetectorConfig, narrow};
    use crate::time::MICROS_PER_SEC;
    use chrono::TimeZone;
    use std::collections::BTreeMap;

    #[test]
    fn hours_of_local_time_fold_the_hour_a_clock_comes_to_twice() {
        // Troll's clock goes back two hours, from 03:00 to 01:00, at 01:00
        // UTC on 2026-10-25: local hours go backwards there, and its 01:00
        // comes twice with an hour between. Five hours of minutes around
        // it, in order (a sorted list) and shuffled (a hash map)
        let tz = chrono_tz::Antarctica::Troll;
        let clock = Clock::new(&DetectorConfig { tz, ..DetectorConfig::default() });
        let start = chrono::DateTime::parse_from_rfc3339("2026-10-24T23:00:00Z").unwrap().timestamp() / 60;
        let minutes: Vec<i64> = (0..300).map(|i| start + i).collect();
        let count = |m: i64| (m % 3 + 1) as u64;
        // independently: each minute's local hour by chrono, in a BTreeMap
        let local_slot =
            |m: i64| (tz.timestamp_opt(m * 60, 0).unwrap().naive_local().and_utc().timestamp() / 60).div_euclid(60);
        let mut want: BTreeMap<i64, (u64, i64, i64)> = BTreeMap::new();
        for &m in &minutes {
            let e = want.entry(local_slot(m)).or_insert((0, m, m));
            *e = (e.0 + count(m), e.1.min(m), e.2.max(m));
        }
        assert!(minutes.windows(2).any(|w| local_slot(w[1]) < local_slot(w[0])), "local hours go backwards");
        let mut shuffled = minutes.clone();
        let mut x = 17u64;
        for i in (1..shuffled.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        for (order, is_list) in [(&minutes, true), (&shuffled, false)] {
            let mut p = PrincipalTrack::default();
            for &m in order {
                *p.totals.entry(narrow(m)) += count(m) as u32;
            }
            assert_eq!(matches!(p.totals, crate::stats::SmallMap::Few(_)), is_list);
            let got: Vec<(i64, (u64, i64, i64))> =
                local_hours(&p, &clock).iter().map(|h| (h.slot, (h.events, h.first, h.last))).collect();
            assert_eq!(got, want.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>());
            // UTC hours: one each, in order
            let mut utc: BTreeMap<i64, u64> = BTreeMap::new();
            minutes.iter().for_each(|&m| *utc.entry(m.div_euclid(60)).or_default() += count(m));
            assert_eq!(hourly(&p), utc.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn local_minutes_follow_transitions_within_an_hour() {
        // Adelaide's clocks change at half past a UTC hour both ways, Lord
        // Howe's (by half an hour) when they go forward, Goose Bay's (until
        // 2011) at a minute past; Chatham's (+12:45) and Troll's (by two
        // hours) on the hour. Every minute of every day of the year on which
        // a zone's offset changes, against chrono
        let mut mid_hour = Vec::new();
        for (tz, year) in [
            (chrono_tz::Australia::Adelaide, 2026),
            (chrono_tz::Australia::Lord_Howe, 2026),
            (chrono_tz::America::Goose_Bay, 2010),
            (chrono_tz::Pacific::Chatham, 2026),
            (chrono_tz::Antarctica::Troll, 2026),
            (chrono_tz::America::New_York, 2026),
            (chrono_tz::Asia::Kathmandu, 2026),
        ] {
            let start = chrono::Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap().timestamp() / 60;
            let clock = Clock::new(&DetectorConfig { tz, ..DetectorConfig::default() });
            let local =
                |m: i64| tz.timestamp_opt(m * 60, 0).unwrap().naive_local().and_utc().timestamp().div_euclid(60);
            for day in 0..365 {
                let d = start + day * 1440;
                if local(d + 1440) - local(d) == 1440 {
                    assert_eq!(clock.local_minute(d + 720), local(d + 720));
                    continue;
                }
                for m in d..d + 1440 {
                    assert_eq!(clock.local_minute(m), local(m), "{tz} at UTC minute {m}");
                    if m % 60 != 0 && local(m) - m != local(m - 1) - (m - 1) {
                        mid_hour.push(tz.name());
                    }
                }
            }
        }
        assert_eq!(
            mid_hour,
            [
                "Australia/Adelaide",
                "Australia/Adelaide",
                "Australia/Lord_Howe",
                "America/Goose_Bay",
                "America/Goose_Bay"
            ]
        );
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(duration(42 * MICROS_PER_SEC), "42s");
        assert_eq!(duration((9 * 60 + 58) * MICROS_PER_SEC), "9m58s");
        assert_eq!(duration((2 * 3600 + 5 * 60) * MICROS_PER_SEC), "2h05m");
    }
}
