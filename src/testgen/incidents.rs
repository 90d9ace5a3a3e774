//! Injected incidents with known answers: a token brute force from one
//! address, a principal probing sensitive views it may not read, and a
//! one-hour spike of one principal. Tests check that each is found and
//! ranked above everything the ordinary traffic produces.

use rand::rngs::StdRng;
use rand_distr::LogNormal;

use super::{Actor, GenEvent, SENSITIVE_VIEWS, Shape, VIEWS};
use crate::event::OutcomeClass;
use crate::time::{MICROS_PER_SEC, Micros};

/// The address of the injected brute force (TEST-NET-3).
pub const BRUTE_FORCE_IP: &str = "203.0.113.9";

/// What was injected, for tests to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    pub detector: &'static str,
    pub principal: Option<String>,
    pub source_ip: Option<String>,
    pub events: u64,
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

    events.sort_by_key(|e| e.time);
    let injected = vec![
        Injected {
            detector: "authn-failures",
            principal: None,
            source_ip: Some(BRUTE_FORCE_IP.to_owned()),
            events: 97,
        },
        Injected { detector: "denied-burst", principal: Some(prober.name.clone()), source_ip: None, events: 14 },
        Injected {
            detector: "resource-enumeration",
            principal: Some(prober.name.clone()),
            source_ip: None,
            events: 14,
        },
        Injected { detector: "volume-spike", principal: Some(busy.name.clone()), source_ip: None, events: 300 },
    ];
    (events, injected)
}
