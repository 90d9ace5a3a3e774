//! Injected incidents with known answers: a token brute force from one
//! address, a principal probing sensitive views it may not read, a
//! one-hour spike of one principal, one person's token used from a dozen
//! addresses within the hour, a contractor working at 02:00 on a Sunday,
//! and a push job failing (Feast and SOC 2 shapes, which can say "write").
//! Each is labelled with the detectors that must find it and at which
//! severity; tests check that each is found so, and that nothing else rises
//! above `low`.

use rand::rngs::StdRng;
use rand_distr::LogNormal;

use super::{Actor, GenEvent, SENSITIVE_VIEWS, Shape, VIEWS};
use crate::event::OutcomeClass;
use crate::time::{MICROS_PER_SEC, Micros};

/// The address of the injected brute force (TEST-NET-3).
pub const BRUTE_FORCE_IP: &str = "203.0.113.9";

/// The addresses of the shared credential (TEST-NET-2), this prefix and a number.
pub const SHARED_IP_PREFIX: &str = "198.51.100.";

/// The contractor who works on weekdays only, then at night on a Sunday.
pub const CONTRACTOR: &str = "contractor07@partner.example";

/// What was injected, for tests to look for: one detector's finding each.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Injected {
    /// The incident, in words (several findings may share it).
    pub label: &'static str,
    pub detector: &'static str,
    /// The severity the finding must have.
    pub severity: &'static str,
    pub principal: Option<String>,
    pub source_ip: Option<String>,
    /// The least count the finding must have.
    pub events: u64,
    /// When the incident's events begin and end (microseconds since the epoch).
    pub start: Micros,
    pub end: Micros,
}

impl Injected {
    #[allow(clippy::too_many_arguments)]
    fn new(
        label: &'static str,
        detector: &'static str,
        severity: &'static str,
        principal: Option<&str>,
        source_ip: Option<&str>,
        events: u64,
        start: Micros,
        end: Micros,
    ) -> Injected {
        Injected {
            label,
            detector,
            severity,
            principal: principal.map(str::to_owned),
            source_ip: source_ip.map(str::to_owned),
            events,
            start,
            end,
        }
    }
}

const SEC: Micros = MICROS_PER_SEC;
const DAY: Micros = 86_400 * SEC;

/// The incident events, sorted by time, and what they are.
pub(super) fn inject(
    actors: &[Actor],
    start: Micros,
    shape: Shape,
    latency: &LogNormal<f64>,
    rng: &mut StdRng,
) -> (Vec<GenEvent>, Vec<Injected>) {
    let n = actors.len();
    let mut events = Vec::new();
    let make = |actor: &Actor, time: Micros, class: OutcomeClass, view: Option<&str>, rng: &mut StdRng| {
        super::request(actor, actor.ips[0].clone(), time, class, view, shape, latency, rng)
    };

    // 97 failed logins from one address in 9m58s, for a real principal and for nobody
    let victim = &actors[12 % n];
    let brute_start = start + DAY + 10 * 3600 * SEC;
    for i in 0..97i64 {
        let t = brute_start + i * 598 * SEC / 96;
        let mut who = victim.clone();
        if i % 2 == 1 {
            who.name.clear();
            who.roles.clear();
        }
        who.ips = vec![BRUTE_FORCE_IP.to_owned()];
        events.push(make(&who, t, OutcomeClass::Unauthenticated, None, rng));
    }

    // a principal denied on every sensitive view, 14 times in 8 minutes, with 2 reads allowed
    let prober = &actors[n - 1];
    let probe_start = start + 2 * DAY + 14 * 3600 * SEC;
    for i in 0..16i64 {
        let t = probe_start + i * 480 * SEC / 15;
        if i % 8 == 3 {
            let allowed = VIEWS[prober.allowed[0]];
            events.push(make(prober, t, OutcomeClass::Success, Some(allowed), rng));
        } else {
            let view = VIEWS[(i as usize) % SENSITIVE_VIEWS];
            events.push(make(prober, t, OutcomeClass::Denied, Some(view), rng));
        }
    }

    // 300 reads by one principal in one hour
    let busy = &actors[(n / 2).max(13) % n];
    let spike_start = start + 3 * DAY + 16 * 3600 * SEC;
    for i in 0..300i64 {
        let t = spike_start + 5 * SEC + i * 3580 * SEC / 300;
        let view = VIEWS[busy.allowed[i as usize % busy.allowed.len()]];
        events.push(make(busy, t, OutcomeClass::Success, Some(view), rng));
    }

    let brute_end = brute_start + 96 * 598 * SEC / 96;
    let probe_end = probe_start + 15 * 480 * SEC / 15;
    let spike_end = spike_start + 5 * SEC + 299 * 3580 * SEC / 300;
    let brute = "token brute force";
    let probe = "probe of sensitive views";
    let mut injected = vec![
        Injected::new(brute, "authn-failures", "critical", None, Some(BRUTE_FORCE_IP), 97, brute_start, brute_end),
        Injected::new(probe, "denied-burst", "high", Some(&prober.name), None, 14, probe_start, probe_end),
        Injected::new(probe, "resource-enumeration", "high", Some(&prober.name), None, 14, probe_start, probe_end),
        Injected::new(probe, "daily-denials", "medium", Some(&prober.name), None, 14, probe_start, probe_end),
        Injected::new("one-hour spike", "volume-spike", "medium", Some(&busy.name), None, 300, spike_start, spike_end),
    ];

    // one person's token used from 12 addresses within 50 minutes (where the log names addresses)
    if matches!(shape, Shape::Feast | Shape::Soc2) {
        let sharer = actors.iter().skip(20 % n).find(|a| !a.name.starts_with("svc-")).unwrap_or(&actors[0]);
        let share_start = start + 4 * DAY + 11 * 3600 * SEC;
        for i in 0..24i64 {
            let t = share_start + i * 50 * 60 * SEC / 24;
            let view = VIEWS[sharer.allowed[i as usize % sharer.allowed.len()]];
            let mut ev = make(sharer, t, OutcomeClass::Success, Some(view), rng);
            ev.source_ip = Some(format!("{SHARED_IP_PREFIX}{}", 10 + i % 12));
            events.push(ev);
        }
        let share_end = share_start + 23 * 50 * 60 * SEC / 24;
        let shared = "credential shared across addresses";
        injected.push(Injected::new(
            shared,
            "credential-sharing",
            "high",
            Some(&sharer.name),
            None,
            24,
            share_start,
            share_end,
        ));
    }

    // a contractor who reads a few views on weekdays between 09:00 and 17:00,
    // then 45 times between 02:00 and 03:00 on a Sunday (the week starts on a Thursday)
    let contractor = Actor {
        name: CONTRACTOR.to_owned(),
        roles: vec!["data-scientist".to_owned()],
        ips: vec!["10.77.0.7".to_owned()],
        allowed: vec![SENSITIVE_VIEWS, SENSITIVE_VIEWS + 1, SENSITIVE_VIEWS + 2],
    };
    for day in [0, 1, 4, 5, 6] {
        for i in 0..12i64 {
            let t = start + day * DAY + 9 * 3600 * SEC + i * 8 * 3600 * SEC / 12 + 7 * SEC;
            let view = VIEWS[contractor.allowed[i as usize % contractor.allowed.len()]];
            events.push(make(&contractor, t, OutcomeClass::Success, Some(view), rng));
        }
    }
    let night = start + 3 * DAY + 2 * 3600 * SEC;
    for i in 0..45i64 {
        let t = night + 30 * SEC + i * 3500 * SEC / 45;
        let view = VIEWS[contractor.allowed[i as usize % contractor.allowed.len()]];
        events.push(make(&contractor, t, OutcomeClass::Success, Some(view), rng));
    }
    let night_end = night + 30 * SEC + 44 * 3500 * SEC / 45;
    injected.push(Injected::new(
        "contractor active at night",
        "off-hours",
        "medium",
        Some(CONTRACTOR),
        None,
        45,
        night,
        night_end,
    ));

    // a push job whose writes fail six times in five minutes
    if matches!(shape, Shape::Feast | Shape::Soc2) {
        let pusher = &actors[3 % n];
        let push_start = start + 5 * DAY + 3 * 3600 * SEC;
        for i in 0..6i64 {
            let t = push_start + i * 50 * SEC;
            let mut ev = make(pusher, t, OutcomeClass::Error, Some(VIEWS[SENSITIVE_VIEWS + 1]), rng);
            ev.write = true;
            events.push(ev);
        }
        let push_end = push_start + 250 * SEC;
        injected.push(Injected::new(
            "failing push job",
            "write-failures",
            "critical",
            Some(&pusher.name),
            None,
            6,
            push_start,
            push_end,
        ));
    }

    events.sort_by_key(|e| e.time);
    (events, injected)
}

/// How the detectors did on a generated log: per detector, the injected
/// incidents found at their stated severity, found at another severity, and
/// missed, and the findings above `low` about anything else.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Score {
    /// detector → counts
    pub by_detector: std::collections::BTreeMap<String, Counts>,
}

/// One detector's counts in a [`Score`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub found: u64,
    pub other_severity: u64,
    pub missed: u64,
    /// Findings above `low` about principals and addresses no incident involves.
    pub false_positives: u64,
    /// Findings above `low` about an incident's principal or address by
    /// another detector (the brute force's victim looks busy, say).
    pub related: u64,
}

impl Score {
    /// Scores `findings` (the `findings` array of `anomalies --format json`)
    /// against what `g` injected.
    pub fn of(g: &super::Generated, findings: &[serde_json::Value]) -> Score {
        let mut score = Score::default();
        let text = |f: &serde_json::Value, k: &str| f[k].as_str().map(str::to_owned);
        let time =
            |f: &serde_json::Value, k: &str| f[k].as_str().and_then(crate::time::parse_rfc3339).unwrap_or_default();
        // who the incidents involve: their principals and addresses, and the brute force's victims
        let mut involved: std::collections::BTreeSet<String> =
            g.injected.iter().flat_map(|i| i.principal.iter().chain(i.source_ip.iter()).cloned()).collect();
        involved.extend(
            g.events.iter().filter(|e| e.source_ip.as_deref() == Some(BRUTE_FORCE_IP)).map(|e| e.principal.clone()),
        );
        let matches = |i: &Injected, f: &serde_json::Value| {
            f["detector"] == i.detector
                && (i.principal.is_none() || text(f, "principal") == i.principal)
                && (i.source_ip.is_none() || text(f, "source_ip") == i.source_ip)
                && time(f, "start") <= i.end + 60 * SEC
                && i.start - 60 * SEC <= time(f, "end")
        };
        for i in &g.injected {
            let c = score.by_detector.entry(i.detector.to_owned()).or_default();
            match findings.iter().filter(|f| matches(i, f)).map(|f| f["severity"] == i.severity).max() {
                Some(true) => c.found += 1,
                Some(false) => c.other_severity += 1,
                None => c.missed += 1,
            }
        }
        for f in findings.iter().filter(|f| f["severity"] != "low") {
            if g.injected.iter().any(|i| matches(i, f)) {
                continue;
            }
            let named = |k: &str| text(f, k).is_some_and(|n| involved.contains(&n));
            let c = score.by_detector.entry(text(f, "detector").unwrap_or_default()).or_default();
            if named("principal") || named("source_ip") {
                c.related += 1;
            } else {
                c.false_positives += 1;
            }
        }
        score
    }

    /// Adds another log's score.
    pub fn add(&mut self, o: &Score) {
        for (d, c) in &o.by_detector {
            let mine = self.by_detector.entry(d.clone()).or_default();
            mine.found += c.found;
            mine.other_severity += c.other_severity;
            mine.missed += c.missed;
            mine.false_positives += c.false_positives;
            mine.related += c.related;
        }
    }

    /// Every incident found at its severity, and nothing above `low` about anyone else.
    pub fn perfect(&self) -> bool {
        self.by_detector.values().all(|c| c.other_severity == 0 && c.missed == 0 && c.false_positives == 0)
    }
}
