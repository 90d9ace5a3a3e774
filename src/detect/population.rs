//! What everyone does: the population's rates, which a subject with little
//! history of its own is judged by, and how many windows each detector
//! tries, which its chances are corrected for.
//!
//! Counts only, so the population of a spilled run is the sum of its
//! partitions' (every key lives in one partition), and the verdicts are the
//! same for any `--threads`, any line order and any `--memory-limit`.

use chrono::Offset;
use chrono::TimeZone;
use rustc_hash::FxHashMap;

use super::track::{NameSet, PrincipalTrack, ResourceUse, Tracked};
use super::{DetectAcc, DetectorConfig};
use crate::event::is_placeholder;
use crate::stats::TimeRange;
use crate::time::MICROS_PER_SEC;

/// The population's counts and the number of windows each detector tries.
#[derive(Debug, Default, Clone)]
pub struct Population {
    /// Requests and denials of principals the log names.
    pub requests: u64,
    pub denials: u64,
    /// Named principals, and the (principal, local day) pairs with an event.
    pub principals: u64,
    pub active_days: u64,
    /// Failed logins counted per address, and the addresses with any.
    pub address_failures: u64,
    pub failing_addresses: u64,
    /// Failed logins of named principals.
    pub principal_failures: u64,
    /// Requests and denials per resource.
    pub resources: FxHashMap<Box<str>, ResourceUse>,
    /// Events of named principals per local hour of the day.
    pub by_hour: [u64; 24],
    /// Addresses a named principal used only within a few hours
    /// ([`confined`]), and the active hours of the principals that name an address.
    pub confined_addresses: u64,
    pub addressed_hours: u64,
    /// Denied, failed-login and failed-write lines that repeat an earlier
    /// line byte for byte (a log shipped twice).
    pub repeats: u64,
    /// The input's time range.
    pub range: TimeRange,
    pub tests: Tests,
}

/// How many windows each detector tries over the run: the number its
/// chances are multiplied by.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tests {
    /// Minutes with a denial, per named principal (denied-burst, resource-enumeration).
    pub denial_windows: u64,
    /// Minutes with a failed login, per address and per named principal.
    pub failure_windows: u64,
    /// Active hours of named principals (volume-spike, off-hours).
    pub active_hours: u64,
    /// (principal, local day) pairs with a denial (daily-denials).
    pub denial_days: u64,
}

impl Population {
    /// The population of one accumulator (or one partition of a spilled run).
    pub fn of<P: Tracked>(acc: &DetectAcc<P>) -> Population {
        let mut pop = Population::default();
        pop.add(acc);
        pop
    }

    /// Adds one partition's counts; the principals are counted on every
    /// thread the run may use, each on its own, and their sums added.
    pub fn add<P: Tracked>(&mut self, acc: &DetectAcc<P>) {
        use rayon::prelude::*;
        let cfg = acc.config_ref();
        self.range.merge(&acc.range);
        for (_, ip) in acc.ips.iter() {
            self.failing_addresses += u64::from(!ip.failures.is_empty());
            self.address_failures += ip.failures.iter().map(|(_, b)| b.count).sum::<u64>();
            self.tests.failure_windows += ip.failures.len() as u64;
        }
        for (name, r) in acc.resources.iter() {
            self.resources.entry(name.into()).or_default().merge(*r);
        }
        let principals: Vec<(&str, &P)> = acc.principals.iter().collect();
        let counted = principals
            .par_iter()
            .fold(
                || (Population::default(), Clock::new(cfg)),
                |(mut pop, clock), (name, p)| {
                    pop.add_principal(name, p.track(), &clock, cfg.failures_only);
                    (pop, clock)
                },
            )
            .map(|(pop, _)| pop)
            .reduce(Population::default, |mut a, b| {
                a.merge(b);
                a
            });
        self.merge(counted);
    }

    /// One principal's counts. A principal counts when it is named and
    /// seen with a time: with a count for some minute, or (where only
    /// failures are kept, [`super::DetectorConfig::failures_only`], and
    /// each principal has an entry only once seen with a time) at all.
    fn add_principal(&mut self, name: &str, p: &PrincipalTrack, clock: &Clock, failures_only: bool) {
        let bursts = p.denials.iter().chain(p.failures.iter()).chain(p.writes.iter());
        self.repeats += bursts.map(|(_, b)| b.repeats()).sum::<u64>();
        if is_placeholder(name) || (p.totals.is_empty() && !failures_only) {
            return;
        }
        self.principals += 1;
        // minutes in order: an hour's (and a day's) minutes follow one another
        let (mut active_hours, mut last_hour) = (0u64, None);
        let mut days: Vec<i64> = Vec::new();
        p.totals.for_each_in_order(|m, &n| {
            let m = i64::from(m);
            self.requests += u64::from(n);
            let hour = m.div_euclid(60);
            if last_hour != Some(hour) {
                active_hours += 1;
                last_hour = Some(hour);
            }
            let local = clock.local_minute(m);
            self.by_hour[local.div_euclid(60).rem_euclid(24) as usize] += u64::from(n);
            let day = local.div_euclid(1440);
            if days.last() != Some(&day) {
                days.push(day);
            }
        });
        self.tests.active_hours += active_hours;
        // (a clock set back may come to a day again)
        self.active_days += distinct(&mut days);
        self.denials += p.denials.iter().map(|(_, b)| b.count).sum::<u64>();
        self.tests.denial_windows += p.denials.len() as u64;
        let mut denial_days: Vec<i64> = p.denials.iter().map(|(m, _)| clock.local_minute(m).div_euclid(1440)).collect();
        self.tests.denial_days += distinct(&mut denial_days);
        self.principal_failures += p.failures.iter().map(|(_, b)| b.count).sum::<u64>();
        self.tests.failure_windows += p.failures.len() as u64;
        if let Some(addresses) = &p.addresses {
            self.confined_addresses += addresses.iter().filter(|(_, a)| confined(a)).count() as u64;
            self.addressed_hours += active_hours;
        }
    }

    /// Adds another partition's population.
    pub fn merge(&mut self, o: Population) {
        self.requests += o.requests;
        self.denials += o.denials;
        self.principals += o.principals;
        self.active_days += o.active_days;
        self.address_failures += o.address_failures;
        self.failing_addresses += o.failing_addresses;
        self.principal_failures += o.principal_failures;
        self.repeats += o.repeats;
        for (name, r) in o.resources {
            self.resources.entry(name).or_default().merge(r);
        }
        for (a, b) in self.by_hour.iter_mut().zip(o.by_hour) {
            *a += b;
        }
        self.confined_addresses += o.confined_addresses;
        self.addressed_hours += o.addressed_hours;
        self.range.merge(&o.range);
        self.tests.denial_windows += o.tests.denial_windows;
        self.tests.failure_windows += o.tests.failure_windows;
        self.tests.active_hours += o.tests.active_hours;
        self.tests.denial_days += o.tests.denial_days;
    }

    /// The share of requests denied, over everyone the log names but the
    /// principal with `denied` of `requests` (a principal is not its own prior).
    pub fn denial_rate_without(&self, denied: u64, requests: u64) -> f64 {
        ratio(self.denials.saturating_sub(denied), self.requests.saturating_sub(requests))
    }

    /// The share of everyone's requests on `names` that were denied, less a
    /// window's own `k` denials; `None` when the window named no resource.
    pub fn resource_denial_rate(&self, names: &NameSet, k: u64) -> Option<f64> {
        if names.is_empty() {
            return None;
        }
        let (mut requests, mut denied) = (0u64, 0u64);
        for n in names.iter() {
            if let Some(r) = self.resources.get(n) {
                requests += r.requests;
                denied += r.denied;
            }
        }
        let (requests, denied) = (requests.saturating_sub(k), denied.saturating_sub(k));
        (requests > 0).then(|| ratio(denied, requests))
    }

    /// The input's span in whole minutes (at least one).
    pub fn span_minutes(&self) -> u64 {
        match (self.range.first, self.range.last) {
            (Some(a), Some(b)) => ((b - a) / (60 * MICROS_PER_SEC)).max(1) as u64,
            _ => 1,
        }
    }

    /// Failed logins an address has per minute, over the other addresses
    /// with any (`failures`: this address's own).
    pub fn address_failure_rate_without(&self, failures: u64) -> f64 {
        let others = self.failing_addresses.saturating_sub(1);
        ratio(self.address_failures.saturating_sub(failures), others * self.span_minutes())
    }

    /// Failed logins a named principal has per minute, over the others.
    pub fn principal_failure_rate_without(&self, failures: u64) -> f64 {
        let others = self.principals.saturating_sub(1);
        ratio(self.principal_failures.saturating_sub(failures), others * self.span_minutes())
    }

    /// Denials a named principal has on a day it is active, over everyone
    /// but the principal with `denied` denials on `days` active days.
    pub fn daily_denials_without(&self, denied: u64, days: u64) -> f64 {
        ratio(self.denials.saturating_sub(denied), self.active_days.saturating_sub(days))
    }

    /// Addresses used only within a few hours, per hour in which a named
    /// principal names an address, over everyone but the principal with
    /// `confined` such addresses over `hours` hours.
    pub fn confined_per_hour_without(&self, confined: u64, hours: u64) -> f64 {
        ratio(self.confined_addresses.saturating_sub(confined), self.addressed_hours.saturating_sub(hours))
    }

    /// The share of everyone's events at local hour `h`.
    pub fn hour_share(&self, h: usize) -> f64 {
        ratio(self.by_hour[h], self.by_hour.iter().sum())
    }
}

/// Hours within which an address's first and last use fall for it to be
/// "confined": a shared token shows as many addresses that come and go
/// within an hour or two.
pub const CONFINED_HOURS: i64 = 4;

/// An address of a principal used only within [`CONFINED_HOURS`].
pub fn confined(a: &super::track::Burst) -> bool {
    a.count > 0 && a.last - a.first <= CONFINED_HOURS * 3600 * MICROS_PER_SEC
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Sorts and counts the distinct values.
fn distinct<T: Ord>(v: &mut Vec<T>) -> u64 {
    v.sort_unstable();
    v.dedup();
    v.len() as u64
}

/// Local time of minutes since the epoch in the detectors' `--tz`, with the
/// zone's offset looked up once per UTC hour. An hour in which the offset
/// changes (at 16:30 UTC in Adelaide, 15:30 in Lord Howe going forward,
/// 03:01 in Goose Bay until 2011) is looked up minute by minute.
pub struct Clock {
    tz: chrono_tz::Tz,
    cache: std::cell::RefCell<FxHashMap<i64, Option<i64>>>,
}

impl Clock {
    pub fn new(cfg: &DetectorConfig) -> Clock {
        Clock { tz: cfg.tz, cache: Default::default() }
    }

    /// The zone's offset in whole minutes at a UTC minute.
    fn offset(&self, minute: i64) -> i64 {
        self.tz.timestamp_opt(minute * 60, 0).single().map_or(0, |t| i64::from(t.offset().fix().local_minus_utc()) / 60)
    }

    /// Local minutes since the epoch of a UTC minute.
    pub fn local_minute(&self, minute: i64) -> i64 {
        if self.tz == chrono_tz::UTC {
            return minute;
        }
        let hour = minute.div_euclid(60);
        let whole = *self.cache.borrow_mut().entry(hour).or_insert_with(|| {
            let first = self.offset(hour * 60);
            (first == self.offset(hour * 60 + 59)).then_some(first)
        });
        minute + whole.unwrap_or_else(|| self.offset(minute))
    }
}
