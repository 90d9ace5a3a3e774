//! The shared filters (`--since`, `--until`, `--user`, `--view`,
//! `--event-type`, `--outcome`, `--ip`), compiled once into predicates.

use std::net::IpAddr;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ipnet::IpNet;

use crate::event::{Event, OutcomeClass};
use crate::time::{Micros, parse_time_arg};

/// The raw filter values as given on the command line (or in a rules file).
#[derive(Debug, Clone, Default)]
pub struct FilterSpec {
    pub since: Option<String>,
    pub until: Option<String>,
    pub users: Vec<String>,
    pub views: Vec<String>,
    pub event_types: Vec<String>,
    pub outcomes: Vec<String>,
    pub ips: Vec<String>,
    /// The zone of times written without an offset (UTC when `None`).
    pub tz: Option<chrono_tz::Tz>,
}

/// Compiled filters: an event passes when it passes every one that is set.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    since: Option<Micros>,
    until: Option<Micros>,
    users: Option<Names>,
    views: Option<Names>,
    event_types: Option<Names>,
    outcomes: Option<[bool; 4]>,
    networks: Vec<IpNet>,
}

impl Filter {
    /// Checks and compiles the filters; the error says what is accepted.
    pub fn new(spec: &FilterSpec, now: Micros) -> Result<Filter, String> {
        let tz = spec.tz.unwrap_or(chrono_tz::Tz::UTC);
        let time = |flag: &str, v: &Option<String>| {
            v.as_deref().map(|s| parse_time_arg(s, now, tz).map_err(|e| format!("--{flag}: {e}"))).transpose()
        };
        let since = time("since", &spec.since)?;
        let until = time("until", &spec.until)?;
        if let (Some(s), Some(u)) = (since, until) {
            if s >= u {
                return Err(format!(
                    "--since {} is not before --until {}: no event could match",
                    crate::time::format_millis(s),
                    crate::time::format_millis(u)
                ));
            }
        }
        let mut outcomes = None;
        for item in spec.outcomes.iter().flat_map(|o| o.split(',')) {
            let class = OutcomeClass::parse(item.trim()).ok_or_else(|| {
                format!("--outcome: unknown class '{item}' (expected success, denied, unauthenticated or error)")
            })?;
            outcomes.get_or_insert([false; 4])[class.index()] = true;
        }
        let networks = spec.ips.iter().map(|s| parse_network(s.trim())).collect::<Result<Vec<_>, _>>()?;
        Ok(Filter {
            since,
            until,
            users: globs("user", &spec.users)?,
            views: globs("view", &spec.views)?,
            event_types: globs("event-type", &spec.event_types)?,
            outcomes,
            networks,
        })
    }

    /// The filters that apply to something other than an event (a finding):
    /// time, principal, resources and address; event type and outcome are ignored.
    pub fn matches_subject<R: AsRef<str>>(
        &self,
        time: Option<Micros>,
        principal: Option<&str>,
        resources: &[R],
        ip: Option<&str>,
    ) -> bool {
        if let Some(v) = &self.views {
            if !resources.iter().any(|r| v.is_match(r.as_ref())) {
                return false;
            }
        }
        self.matches_who_when(time, principal, ip)
    }

    /// The time, principal and address filters.
    fn matches_who_when(&self, time: Option<Micros>, principal: Option<&str>, ip: Option<&str>) -> bool {
        if self.since.is_some() || self.until.is_some() {
            let Some(t) = time else { return false };
            if self.since.is_some_and(|s| t < s) || self.until.is_some_and(|u| t >= u) {
                return false;
            }
        }
        if let Some(u) = &self.users {
            if !principal.is_some_and(|p| u.is_match(p)) {
                return false;
            }
        }
        if !self.networks.is_empty() {
            let Some(ip) = ip.and_then(|s| s.parse::<IpAddr>().ok()) else { return false };
            if !self.networks.iter().any(|n| n.contains(&ip)) {
                return false;
            }
        }
        true
    }

    /// True when some filter is set (an event may fail to match).
    #[inline]
    pub fn is_active(&self) -> bool {
        self.since.is_some()
            || self.until.is_some()
            || self.users.is_some()
            || self.views.is_some()
            || self.event_types.is_some()
            || self.outcomes.is_some()
            || !self.networks.is_empty()
    }

    /// The time window: `(since, until)`.
    pub fn window(&self) -> (Option<Micros>, Option<Micros>) {
        (self.since, self.until)
    }

    /// This filter with its time window resolved as a saved run resolved it
    /// (`merge`: a relative `--since` means the time the state was saved).
    pub fn with_window(&self, since: Option<Micros>, until: Option<Micros>) -> Filter {
        Filter { since, until, ..self.clone() }
    }

    /// This filter, narrowed to events at or after `t` as well.
    pub fn since_at_least(&self, t: Micros) -> Filter {
        Filter { since: Some(self.since.map_or(t, |s| s.max(t))), ..self.clone() }
    }

    /// True when `resource` matches `--view` (or no `--view` was given).
    pub fn matches_view(&self, resource: &str) -> bool {
        self.views.as_ref().is_none_or(|v| v.is_match(resource))
    }

    pub fn matches(&self, ev: &Event<'_>) -> bool {
        // the two filters only events have go first: they are the cheapest
        if self.outcomes.as_ref().is_some_and(|o| !o[ev.outcome.index()]) {
            return false;
        }
        if self.event_types.as_ref().is_some_and(|t| !t.is_match(ev.event_type.as_ref())) {
            return false;
        }
        // `--view` matches a resource, the endpoint or the resource type (Feast's
        // own events name no resource)
        if let Some(v) = &self.views {
            if !ev.subjects().any(|s| v.is_match(s)) {
                return false;
            }
        }
        self.matches_who_when(ev.time, Some(&ev.principal), ev.source_ip.as_deref())
    }
}

fn parse_network(s: &str) -> Result<IpNet, String> {
    if let Ok(net) = s.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    if let Ok(addr) = s.parse::<IpAddr>() {
        return Ok(IpNet::from(addr));
    }
    Err(format!(
        "--ip: invalid address '{s}' (expected an IPv4/IPv6 address like 10.0.0.7 or a CIDR block like 10.0.0.0/8)"
    ))
}

/// Names matched by the patterns of `--user`, `--view`, `--event-type` and
/// `--sensitive`. Each event is matched against them, some for every
/// subject it names, so the two common kinds are compared directly: an exact
/// name (no glob character) by a hash lookup, or while there are only a few
/// by comparing each (lengths first, which mostly differ), and `prefix*` by
/// its prefix. Any other pattern goes to globset, with the same meaning
/// (`*` matches any run of characters, `/` included).
#[derive(Debug, Clone)]
pub struct Names {
    /// The exact names while there are at most [`FEW`] (else empty).
    few: Vec<Box<str>>,
    /// The exact names when there are more.
    exact: rustc_hash::FxHashSet<Box<str>>,
    prefixes: Vec<Box<str>>,
    globs: Option<GlobSet>,
}

/// Exact names compared one by one rather than hashed.
const FEW: usize = 8;

impl Names {
    pub fn is_match(&self, name: &str) -> bool {
        let exact = if self.exact.is_empty() {
            self.few.iter().any(|e| e.len() == name.len() && **e == *name)
        } else {
            self.exact.contains(name)
        };
        exact
            || self.prefixes.iter().any(|p| name.starts_with(&**p))
            || self.globs.as_ref().is_some_and(|g| g.is_match(name))
    }
}

/// The characters that make a pattern a glob (`\` escapes one).
fn is_glob_char(c: char) -> bool {
    matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\')
}

pub fn globs(flag: &str, patterns: &[String]) -> Result<Option<Names>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut names = Names { few: Vec::new(), exact: Default::default(), prefixes: Vec::new(), globs: None };
    let mut globs = Vec::new();
    for p in patterns {
        // every pattern is checked by globset, so that errors stay its own
        let glob = Glob::new(p).map_err(|e| {
            format!("--{flag}: invalid pattern '{p}': {} (expected a name or a glob like 'svc-*')", e.kind())
        })?;
        let prefix = p.strip_suffix('*').filter(|prefix| !prefix.contains(is_glob_char));
        if !p.contains(is_glob_char) {
            names.few.push(p.as_str().into());
        } else if let Some(prefix) = prefix {
            names.prefixes.push(prefix.into());
        } else {
            globs.push(glob);
        }
    }
    if names.few.len() > FEW {
        names.exact = std::mem::take(&mut names.few).into_iter().collect();
    }
    if !globs.is_empty() {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            b.add(g);
        }
        names.globs = Some(b.build().map_err(|e| format!("--{flag}: {e}"))?);
    }
    Ok(Some(names))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{LineParser, SchemaMode};

    const LINE: &str = r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:00Z","principal":{"username":"svc-ranker"},"source":{"ip":"10.1.2.3"},"resource":{"name":"credit_fv"},"outcome":"failure","detail":"-> 403"}"#;

    fn check(spec: FilterSpec) -> Result<bool, String> {
        let ev = LineParser::new(SchemaMode::Auto).parse_payload(LINE.as_bytes(), None).unwrap();
        Ok(Filter::new(&spec, 0)?.matches(&ev))
    }

    /// The engine asks `is_active` once and skips `matches` when it is
    /// false: every filter that can turn an event away must make it true.
    #[test]
    fn every_filter_that_can_refuse_an_event_is_active() {
        let s = |v: &str| Some(v.to_string());
        let v = |v: &str| vec![v.to_string()];
        let refusing = [
            FilterSpec { since: s("2026-10-02T00:00:00Z"), ..Default::default() },
            FilterSpec { until: s("2026-10-01T00:00:00Z"), ..Default::default() },
            FilterSpec { users: v("alice"), ..Default::default() },
            FilterSpec { views: v("other_fv"), ..Default::default() },
            FilterSpec { event_types: v("authz.*"), ..Default::default() },
            FilterSpec { outcomes: v("success"), ..Default::default() },
            FilterSpec { ips: v("192.168.0.0/16"), ..Default::default() },
        ];
        for spec in refusing {
            assert_eq!(check(spec.clone()), Ok(false), "{spec:?}");
            assert!(Filter::new(&spec, 0).unwrap().is_active(), "{spec:?}");
        }
        assert!(!Filter::new(&FilterSpec::default(), 0).unwrap().is_active());
        assert_eq!(check(FilterSpec::default()), Ok(true));
    }

    #[test]
    fn time_edges() {
        let at = || Some("2026-10-01T10:00:00Z".to_string());
        assert_eq!(check(FilterSpec { since: at(), ..Default::default() }), Ok(true));
        assert_eq!(check(FilterSpec { until: at(), ..Default::default() }), Ok(false));
        let later = Some("2026-10-01T10:00:00.001Z".to_string());
        assert_eq!(check(FilterSpec { until: later, ..Default::default() }), Ok(true));
    }

    #[test]
    fn names_match_as_globset_does() {
        let patterns =
            ["alice", "svc-*", "credit_*", "*", "", "a/b*", "*_fv", "loan_?", "x[ab]", "{a,b}c", "a\\*b", "fv]", "é*"];
        let names = [
            "alice",
            "alice2",
            "svc-",
            "svc-ranker",
            "svc",
            "credit_fv",
            "credit_",
            "credit",
            "",
            "a/b/c",
            "a/bx",
            "credit_fv/x",
            "my_fv",
            "loan_1",
            "loan_12",
            "xa",
            "xc",
            "ac",
            "bc",
            "a*b",
            "axb",
            "fv]",
            "éa",
            "e",
        ];
        for p in patterns {
            let mine = globs("user", &[p.to_string()]).unwrap().unwrap();
            let theirs = GlobSetBuilder::new().add(Glob::new(p).unwrap()).build().unwrap();
            for n in names {
                assert_eq!(mine.is_match(n), theirs.is_match(n), "pattern {p:?}, name {n:?}");
            }
        }
        // several patterns of each kind together (but `*`, which matches all)
        let all: Vec<String> = patterns.iter().filter(|p| **p != "*").map(|p| p.to_string()).collect();
        let mine = globs("user", &all).unwrap().unwrap();
        let mut b = GlobSetBuilder::new();
        for p in &all {
            b.add(Glob::new(p).unwrap());
        }
        let theirs = b.build().unwrap();
        for n in names {
            assert_eq!(mine.is_match(n), theirs.is_match(n), "name {n:?}");
        }
        // a few exact names are compared one by one, more are hashed: both alike
        for count in [1, FEW, FEW + 1, 40] {
            let exact: Vec<String> = (0..count).map(|i| format!("user-{i}")).collect();
            let mine = globs("user", &exact).unwrap().unwrap();
            assert_eq!(mine.few.is_empty(), count > FEW, "{count} names");
            for i in 0..50 {
                let n = format!("user-{i}");
                assert_eq!(mine.is_match(&n), i < count, "{count} names, {n}");
            }
            assert!(!mine.is_match("user-") && !mine.is_match("") && !mine.is_match("user-00"));
        }
        assert!(globs("user", &["a[".to_string()]).unwrap_err().contains("invalid pattern 'a['"));
    }

    #[test]
    fn globs_cidr_and_classes() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(check(FilterSpec { users: v(&["svc-*"]), ..Default::default() }), Ok(true));
        assert_eq!(check(FilterSpec { users: v(&["svc"]), ..Default::default() }), Ok(false));
        assert_eq!(check(FilterSpec { views: v(&["other", "credit_*"]), ..Default::default() }), Ok(true));
        assert_eq!(check(FilterSpec { ips: v(&["10.1.0.0/16"]), ..Default::default() }), Ok(true));
        assert_eq!(check(FilterSpec { ips: v(&["10.1.2.4"]), ..Default::default() }), Ok(false));
        assert_eq!(check(FilterSpec { outcomes: v(&["success,denied"]), ..Default::default() }), Ok(true));
        assert_eq!(check(FilterSpec { outcomes: v(&["error"]), ..Default::default() }), Ok(false));
        assert!(
            check(FilterSpec { outcomes: v(&["bad"]), ..Default::default() }).unwrap_err().contains("expected success")
        );
        assert!(check(FilterSpec { ips: v(&["10.1/8"]), ..Default::default() }).unwrap_err().contains("CIDR"));
        assert!(check(FilterSpec { users: v(&["a[b"]), ..Default::default() }).unwrap_err().contains("--user"));
    }
}
