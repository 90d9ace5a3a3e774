//! `fsaudit group --by KEY[,KEY…]`: GROUP BY over the normalized event
//! keys, with each group's outcome classes, exact latency percentiles,
//! distinct principals and time span. An event with several values of a key
//! (resources, actions, roles) counts once in the group of each value.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{Datelike, TimeZone, Timelike};
use serde::Serialize;
use serde::ser::SerializeMap;

use super::SCHEMA_VERSION;
use crate::engine::Accumulator;
use crate::event::{Event, OutcomeClass};
use crate::stats::{Activity, KeyTable, OutcomeCounts};

/// A key `group --by` can group on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKey {
    Principal,
    SourceIp,
    EventType,
    Endpoint,
    Method,
    Status,
    Resource,
    ResourceType,
    Action,
    Outcome,
    AuthType,
    Transport,
    Role,
    Schema,
    Hour,
    Day,
    Weekday,
}

impl GroupKey {
    pub const ALL: [GroupKey; 17] = [
        GroupKey::Principal,
        GroupKey::SourceIp,
        GroupKey::EventType,
        GroupKey::Endpoint,
        GroupKey::Method,
        GroupKey::Status,
        GroupKey::Resource,
        GroupKey::ResourceType,
        GroupKey::Action,
        GroupKey::Outcome,
        GroupKey::AuthType,
        GroupKey::Transport,
        GroupKey::Role,
        GroupKey::Schema,
        GroupKey::Hour,
        GroupKey::Day,
        GroupKey::Weekday,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GroupKey::Principal => "principal",
            GroupKey::SourceIp => "source_ip",
            GroupKey::EventType => "event_type",
            GroupKey::Endpoint => "endpoint",
            GroupKey::Method => "method",
            GroupKey::Status => "status",
            GroupKey::Resource => "resource",
            GroupKey::ResourceType => "resource_type",
            GroupKey::Action => "action",
            GroupKey::Outcome => "outcome",
            GroupKey::AuthType => "auth_type",
            GroupKey::Transport => "transport",
            GroupKey::Role => "role",
            GroupKey::Schema => "schema",
            GroupKey::Hour => "hour",
            GroupKey::Day => "day",
            GroupKey::Weekday => "weekday",
        }
    }

    fn parse(s: &str) -> Option<GroupKey> {
        GroupKey::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// The value of a key an event does not have.
pub const NONE: &str = "(none)";

/// What to group by, checked.
#[derive(Debug, Clone)]
pub struct GroupSpec {
    pub keys: Vec<GroupKey>,
    tz: chrono_tz::Tz,
}

impl Default for GroupSpec {
    fn default() -> Self {
        GroupSpec { keys: Vec::new(), tz: chrono_tz::Tz::UTC }
    }
}

impl GroupSpec {
    /// `--by principal,endpoint`; the error names the keys there are.
    pub fn parse(by: &str, tz: chrono_tz::Tz) -> Result<GroupSpec, String> {
        let mut keys = Vec::new();
        for word in by.split(',').map(str::trim) {
            let key = GroupKey::parse(word).ok_or_else(|| {
                let names: Vec<&str> = GroupKey::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "--by: unknown key '{word}' (expected one or more of {}, separated by commas)",
                    names.join(", ")
                )
            })?;
            if keys.contains(&key) {
                return Err(format!("--by: '{word}' is given twice"));
            }
            keys.push(key);
        }
        Ok(GroupSpec { keys, tz })
    }

    /// The values `ev` has for `key`: one, or several resources, actions
    /// or roles.
    #[inline]
    fn values<'e>(&self, key: GroupKey, ev: &'e Event<'_>) -> Values<'e> {
        let one = |v: Option<&'e str>| Values::One(Cow::Borrowed(v.filter(|s| !s.is_empty()).unwrap_or(NONE)));
        let many = |mut v: Vec<String>| match v.len() {
            0 => Values::One(Cow::Borrowed(NONE)),
            1 => Values::One(Cow::Owned(v.remove(0))),
            _ => Values::Many(v.into_iter().map(Cow::Owned).collect()),
        };
        let local = || ev.time.and_then(|t| self.tz.timestamp_micros(t).single());
        match key {
            GroupKey::Principal => one(Some(&ev.principal)),
            GroupKey::SourceIp => one(ev.source_ip.as_deref()),
            GroupKey::EventType => one(Some(&ev.event_type)),
            GroupKey::Endpoint => one(ev.endpoint.as_deref()),
            GroupKey::Method => one(ev.method.as_deref()),
            GroupKey::Status => match ev.status {
                Some(s) => Values::One(Cow::Owned(s.to_string())),
                None => one(None),
            },
            GroupKey::Resource => match ev.resources.as_slice() {
                [] => one(None),
                [r] => Values::One(Cow::Borrowed(r.as_ref())),
                rs => Values::Many(rs.iter().map(|r| Cow::Borrowed(r.as_ref())).collect()),
            },
            GroupKey::ResourceType => one(ev.resource_type.as_deref()),
            GroupKey::Action => many(ev.actions()),
            GroupKey::Outcome => one(Some(ev.outcome.name())),
            GroupKey::AuthType => one(ev.auth_type.as_deref()),
            GroupKey::Transport => one(ev.transport.as_deref()),
            GroupKey::Role => many(ev.roles()),
            GroupKey::Schema => one(Some(ev.schema.name())),
            GroupKey::Hour => match local() {
                Some(t) => Values::One(Cow::Owned(format!("{:02}", t.hour()))),
                None => one(None),
            },
            GroupKey::Day => match local() {
                Some(t) => Values::One(Cow::Owned(t.format("%Y-%m-%d").to_string())),
                None => one(None),
            },
            GroupKey::Weekday => match local() {
                Some(t) => Values::One(Cow::Borrowed(WEEKDAYS[t.weekday().num_days_from_monday() as usize])),
                None => one(None),
            },
        }
    }
}

/// An event's values for one key of a group.
enum Values<'e> {
    /// Every key of most events (`(none)` where the event has no value).
    One(Cow<'e, str>),
    /// Several resources, actions or roles: the event counts in each one's group.
    Many(Vec<Cow<'e, str>>),
}

impl<'e> Values<'e> {
    fn into_list(self) -> Vec<Cow<'e, str>> {
        match self {
            Values::One(v) => vec![v],
            Values::Many(v) => v,
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Joins the values of one group's keys into one table key: each value
/// after its length, so that no value (whatever bytes a log puts in a
/// principal's name) can be taken for two.
fn push_value(key: &mut String, value: &str) {
    key.push_str(decimal(value.len() as u64, &mut [0; 20]));
    key.push(':');
    key.push_str(value);
}

/// `n` in decimal, written in `digits` (without the formatting machinery).
fn decimal(mut n: u64, digits: &mut [u8; 20]) -> &str {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&digits[at..]).expect("ASCII digits")
}

/// The values [`push_value`] joined, in order.
fn values_of(mut key: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some((len, rest)) = key.split_once(':') {
        let len: usize = len.parse().expect("a length written by push_value");
        out.push(rest[..len].to_owned());
        key = &rest[len..];
    }
    out
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct GroupState {
    activity: Activity,
    principals: KeyTable<()>,
    /// Rows returned, summed over events that say (Feast's SOX offline records).
    rows: Option<u64>,
}

impl GroupState {
    fn merge(&mut self, o: GroupState) {
        self.activity.merge(o.activity);
        self.principals.merge_with(o.principals, |_, _| ());
        self.rows = match (self.rows, o.rows) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
    }
}

/// What `group` folds events into.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct GroupAcc {
    #[serde(skip)]
    spec: Arc<GroupSpec>,
    groups: KeyTable<GroupState>,
    #[serde(skip)]
    key: String,
}

impl GroupAcc {
    pub fn new(spec: Arc<GroupSpec>) -> Self {
        GroupAcc { spec, groups: KeyTable::default(), key: String::new() }
    }

    fn add(&mut self, key: &str, ev: &Event<'_>) {
        let g = self.groups.entry(key);
        g.activity.observe(ev);
        g.principals.entry(&ev.principal);
        if let Some(n) = ev.row_count {
            g.rows = Some(g.rows.unwrap_or(0).saturating_add(n));
        }
    }
}

impl Accumulator for GroupAcc {
    fn observe(&mut self, ev: &Event<'_>) {
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        // most events have one value for every key: their group's key is
        // written at once, with no lists of values
        let mut several = false;
        for k in &self.spec.keys {
            match self.spec.values(*k, ev) {
                Values::One(v) => push_value(&mut key, &v),
                Values::Many(_) => {
                    several = true;
                    break;
                }
            }
        }
        if !several {
            self.add(&key, ev);
            self.key = key;
            return;
        }
        let values: Vec<Vec<Cow<'_, str>>> =
            self.spec.keys.iter().map(|k| self.spec.values(*k, ev).into_list()).collect();
        // every combination of the keys' values (one, unless an event has several)
        let mut at = vec![0usize; values.len()];
        loop {
            key.clear();
            for (i, v) in values.iter().enumerate() {
                push_value(&mut key, &v[at[i]]);
            }
            self.add(&key, ev);
            let Some(i) = (0..values.len()).rev().find(|&i| at[i] + 1 < values[i].len()) else { break };
            at[i] += 1;
            at[i + 1..].iter_mut().for_each(|a| *a = 0);
        }
        self.key = key;
    }

    fn merge(&mut self, o: Self) {
        self.groups.merge_with(o.groups, GroupState::merge);
    }

    crate::spill::by_serde!();
}

impl crate::spill::Split for GroupAcc {
    fn split(self, parts: usize) -> Vec<Self> {
        let spec = self.spec;
        self.groups
            .split(parts)
            .into_iter()
            .map(|groups| GroupAcc { spec: spec.clone(), groups, key: String::new() })
            .collect()
    }

    fn empty(&self) -> Self {
        GroupAcc::new(self.spec.clone())
    }
}

/// One group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    /// The keys' values, in `--by` order.
    pub keys: Vec<String>,
    pub events: u64,
    pub outcomes: OutcomeCounts,
    pub success_rate: Option<f64>,
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    pub latency_p99_ms: Option<f64>,
    pub principals: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub rows: Option<u64>,
}

/// A group row's JSON: each key of `by` is a member, then the figures.
struct RowJson<'r> {
    by: &'r [&'static str],
    row: &'r GroupRow,
}

impl Serialize for RowJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.row;
        let mut m = s.serialize_map(None)?;
        for (k, v) in self.by.iter().zip(&r.keys) {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("events", &r.events)?;
        for c in OutcomeClass::ALL {
            m.serialize_entry(c.name(), &r.outcomes.get(c))?;
        }
        m.serialize_entry("success_rate", &r.success_rate)?;
        m.serialize_entry("latency_p50_ms", &r.latency_p50_ms)?;
        m.serialize_entry("latency_p95_ms", &r.latency_p95_ms)?;
        m.serialize_entry("latency_p99_ms", &r.latency_p99_ms)?;
        m.serialize_entry("principals", &r.principals)?;
        m.serialize_entry("first", &r.first)?;
        m.serialize_entry("last", &r.last)?;
        if r.rows.is_some() {
            m.serialize_entry("rows", &r.rows)?;
        }
        m.end()
    }
}

/// The `group` JSON document (DESIGN §3).
#[derive(Debug)]
pub struct GroupReport {
    pub by: Vec<&'static str>,
    pub events: u64,
    pub malformed: u64,
    /// Groups in all, before `--top`.
    pub groups_total: u64,
    pub groups: Vec<GroupRow>,
}

impl Serialize for GroupReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema_version", &SCHEMA_VERSION)?;
        m.serialize_entry("command", "group")?;
        m.serialize_entry("by", &self.by)?;
        m.serialize_entry("events", &self.events)?;
        m.serialize_entry("malformed", &self.malformed)?;
        m.serialize_entry("groups_total", &self.groups_total)?;
        let rows: Vec<RowJson<'_>> = self.groups.iter().map(|row| RowJson { by: &self.by, row }).collect();
        m.serialize_entry("groups", &rows)?;
        m.end()
    }
}

/// How rows are ordered (`--sort COLUMN[:asc|:desc]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortBy {
    Key(usize),
    Events,
    Class(OutcomeClass),
    SuccessRate,
    P50,
    P95,
    P99,
    Principals,
    First,
    Last,
}

/// A sort column and its direction.
#[derive(Debug, Clone)]
pub struct Order {
    by: SortBy,
    descending: bool,
}

impl Order {
    /// `events` (the default), a class, `success_rate`, `p50`/`p95`/`p99`
    /// (or `latency_p99_ms`), `principals`, `first`, `last` or a key of
    /// `--by`; numbers sort high first, keys and `first` low first, unless
    /// `:asc` or `:desc` says otherwise.
    pub fn parse(s: Option<&str>, spec: &GroupSpec) -> Result<Order, String> {
        let Some(s) = s else { return Ok(Order { by: SortBy::Events, descending: true }) };
        let (name, dir) = super::sort_direction(s);
        let by = match name {
            "events" => SortBy::Events,
            "success_rate" => SortBy::SuccessRate,
            "p50" | "latency_p50_ms" => SortBy::P50,
            "p95" | "latency_p95_ms" => SortBy::P95,
            "p99" | "latency_p99_ms" => SortBy::P99,
            "principals" => SortBy::Principals,
            "first" => SortBy::First,
            "last" => SortBy::Last,
            other => match OutcomeClass::parse(other) {
                Some(c) => SortBy::Class(c),
                None => match spec.keys.iter().position(|k| k.name() == other) {
                    Some(i) => SortBy::Key(i),
                    None => {
                        return Err(format!(
                            "--sort: unknown column '{other}' (expected events, success, denied, unauthenticated, \
                             error, success_rate, p50, p95, p99, principals, first, last or a key of --by, \
                             optionally with :asc or :desc)"
                        ));
                    }
                },
            },
        };
        let natural = !matches!(by, SortBy::Key(_) | SortBy::First);
        Ok(Order { by, descending: dir.unwrap_or(natural) })
    }

    fn compare(&self, a: &GroupRow, b: &GroupRow) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let d = self.descending;
        let dir = |o: Ordering| if d { o.reverse() } else { o };
        let primary = match &self.by {
            SortBy::Key(i) => dir(a.keys[*i].cmp(&b.keys[*i])),
            SortBy::Events => dir(a.events.cmp(&b.events)),
            SortBy::Class(c) => dir(a.outcomes.get(*c).cmp(&b.outcomes.get(*c))),
            SortBy::SuccessRate => super::cmp_missing_last(&a.success_rate, &b.success_rate, d),
            SortBy::P50 => super::cmp_missing_last(&a.latency_p50_ms, &b.latency_p50_ms, d),
            SortBy::P95 => super::cmp_missing_last(&a.latency_p95_ms, &b.latency_p95_ms, d),
            SortBy::P99 => super::cmp_missing_last(&a.latency_p99_ms, &b.latency_p99_ms, d),
            SortBy::Principals => dir(a.principals.cmp(&b.principals)),
            SortBy::First => super::cmp_missing_last(&a.first, &b.first, d),
            SortBy::Last => super::cmp_missing_last(&a.last, &b.last, d),
        };
        // ties: more events first, then the keys in order
        primary.then_with(|| b.events.cmp(&a.events)).then_with(|| a.keys.cmp(&b.keys))
    }
}

impl GroupReport {
    /// The rows of one accumulator (or one spilled partition of it).
    pub fn rows(acc: &GroupAcc) -> Vec<GroupRow> {
        acc.groups
            .iter()
            .map(|(key, g)| {
                let [p50, p95, p99] =
                    <[Option<f64>; 3]>::try_from(g.activity.latency.percentiles(&[50.0, 95.0, 99.0])).expect("three");
                let outcomes = g.activity.tally.outcomes;
                GroupRow {
                    keys: values_of(key),
                    events: outcomes.total(),
                    outcomes,
                    success_rate: outcomes.success_rate(),
                    latency_p50_ms: p50,
                    latency_p95_ms: p95,
                    latency_p99_ms: p99,
                    principals: g.principals.len() as u64,
                    first: g.activity.tally.time.first_text(),
                    last: g.activity.tally.time.last_text(),
                    rows: g.rows,
                }
            })
            .collect()
    }

    /// Orders the rows and keeps `top` of them.
    pub fn assemble(
        spec: &GroupSpec,
        order: &Order,
        mut rows: Vec<GroupRow>,
        events: u64,
        malformed: u64,
        top: Option<usize>,
    ) -> Self {
        let groups_total = rows.len() as u64;
        rows.sort_by(|a, b| order.compare(a, b));
        if let Some(n) = top {
            rows.truncate(n);
        }
        GroupReport { by: spec.keys.iter().map(|k| k.name()).collect(), events, malformed, groups_total, groups: rows }
    }
}

#[cfg(test)]
mod tests {
    use super::{push_value, values_of};

    #[test]
    fn a_values_length_is_written_in_decimal() {
        for n in (0..1100).chain([9_999, 10_000, 65_535, 1 << 20, 12_345_678]) {
            let value = "x".repeat(n);
            let mut key = String::new();
            push_value(&mut key, &value);
            assert_eq!(key, format!("{n}:{value}"));
        }
        for n in [0, 7, 10, 99, 100, 403, 65_535, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(super::decimal(n, &mut [0; 20]), n.to_string());
        }
    }

    #[test]
    fn keys_round_trip_whatever_their_bytes() {
        for values in [vec!["a", "b"], vec!["", "x:1", "\u{1f}:\n"], vec!["3:abc"], vec!["é"]] {
            let mut key = String::new();
            values.iter().for_each(|v| push_value(&mut key, v));
            assert_eq!(values_of(&key), values);
        }
    }
}
