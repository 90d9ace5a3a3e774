//! `--map FIELD=dotted.path`: read any JSONL audit log by naming where each
//! event field lives (e.g. CloudTrail's `userIdentity.arn`, `eventTime`).

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use super::{Malformed, json_error};
use crate::event::{Event, OutcomeClass, OutcomeFacts, Resources, Schema, UNKNOWN_PRINCIPAL, classify};
use crate::time::{Micros, from_epoch_number, parse_rfc3339};

/// An event field that `--map` can locate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapTarget {
    Principal,
    Time,
    EventType,
    Resource,
    LatencyMs,
    Outcome,
    Status,
    SourceIp,
    Roles,
    Actions,
    RequestId,
    Endpoint,
    TraceId,
}

impl MapTarget {
    const NAMES: [(&'static str, MapTarget); 19] = [
        ("principal", MapTarget::Principal),
        ("user", MapTarget::Principal),
        ("time", MapTarget::Time),
        ("timestamp", MapTarget::Time),
        ("event_type", MapTarget::EventType),
        ("resource", MapTarget::Resource),
        ("resources", MapTarget::Resource),
        ("latency_ms", MapTarget::LatencyMs),
        ("latency", MapTarget::LatencyMs),
        ("outcome", MapTarget::Outcome),
        ("status", MapTarget::Status),
        ("source_ip", MapTarget::SourceIp),
        ("ip", MapTarget::SourceIp),
        ("roles", MapTarget::Roles),
        ("actions", MapTarget::Actions),
        ("request_id", MapTarget::RequestId),
        ("view", MapTarget::Resource),
        ("endpoint", MapTarget::Endpoint),
        ("trace_id", MapTarget::TraceId),
    ];

    fn parse(s: &str) -> Option<MapTarget> {
        Self::NAMES.iter().find(|(n, _)| *n == s).map(|(_, t)| *t)
    }
}

/// The `--map` settings: for each target, the path of object keys (or array
/// indices) that leads to it.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    paths: Vec<(MapTarget, String, Vec<String>)>,
}

impl FieldMap {
    /// Adds one `FIELD=dotted.path`; a later mapping of the same field wins.
    pub fn add(&mut self, spec: &str) -> Result<(), String> {
        let fields = "principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, \
                      actions, request_id, trace_id";
        let (field, path) = spec
            .split_once('=')
            .ok_or_else(|| format!("invalid --map '{spec}': expected FIELD=dotted.path (FIELD is one of {fields})"))?;
        let target = MapTarget::parse(field.trim())
            .ok_or_else(|| format!("invalid --map '{spec}': unknown field '{field}' (expected one of {fields})"))?;
        let path = path.trim();
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err(format!(
                "invalid --map '{spec}': the path must be keys separated by dots, like userIdentity.arn"
            ));
        }
        self.paths.retain(|(t, _, _)| *t != target);
        self.paths.push((target, path.to_owned(), path.split('.').map(str::to_owned).collect()));
        Ok(())
    }

    /// The dotted path `target` is mapped to.
    pub fn path(&self, target: MapTarget) -> Option<&str> {
        self.entry(target).map(|(_, p, _)| p.as_str())
    }

    /// Every mapping: the field and the keys of its path.
    pub fn all(&self) -> impl Iterator<Item = (MapTarget, &[String])> {
        self.paths.iter().map(|(t, _, keys)| (*t, keys.as_slice()))
    }

    fn entry(&self, target: MapTarget) -> Option<&(MapTarget, String, Vec<String>)> {
        self.paths.iter().find(|(t, _, _)| *t == target)
    }

    fn lookup<'v>(&self, root: &'v Value, target: MapTarget) -> Option<&'v Value> {
        let (_, _, keys) = self.entry(target)?;
        let mut v = root;
        for k in keys {
            v = match v {
                Value::Object(m) => m.get(k)?,
                Value::Array(a) => a.get(k.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        (!v.is_null()).then_some(v)
    }
}

impl fmt::Display for FieldMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.paths.iter().map(|(_, p, _)| p.as_str()).collect();
        f.write_str(&names.join(", "))
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The mapped time of a line: none when time is not mapped; an error when
/// it is mapped but missing (unless the envelope gave one) or invalid.
fn mapped_time(root: &Value, map: &FieldMap, fallback: Option<Micros>) -> Result<Option<Micros>, Malformed> {
    let Some((_, path, _)) = map.entry(MapTarget::Time) else { return Ok(None) };
    let Some(v) = map.lookup(root, MapTarget::Time) else {
        return match fallback {
            Some(t) => Ok(Some(t)),
            None => Err(Malformed(format!("missing `{path}` (mapped to time)"))),
        };
    };
    let t = match v {
        Value::String(s) => parse_rfc3339(s),
        Value::Number(n) => n.as_f64().and_then(from_epoch_number),
        _ => None,
    };
    let t = t.ok_or_else(|| Malformed(format!("invalid `{path}` {v} (mapped to time)")))?;
    Ok(Some(super::in_range(t).ok_or_else(|| Malformed(format!("`{path}` {v} out of range") + super::RANGE))?))
}

fn mapped_resources<'a>(root: &Value, map: &FieldMap) -> Option<Resources<'a>> {
    let mut resources = Resources::None;
    match map.lookup(root, MapTarget::Resource)? {
        Value::Array(items) => items.iter().filter_map(text).for_each(|r| resources.push(Cow::Owned(r))),
        v => {
            if let Some(r) = text(v) {
                resources.push(Cow::Owned(r));
            }
        }
    }
    Some(resources)
}

fn mapped_status(root: &Value, map: &FieldMap) -> Option<u16> {
    map.lookup(root, MapTarget::Status)
        .and_then(number)
        .filter(|n| n.fract() == 0.0 && (100.0..1000.0).contains(n))
        .map(|n| n as u16)
}

/// A line read by its `--map` fields alone (no built-in schema knows it).
pub(super) fn parse<'a>(line: &str, map: &FieldMap, fallback: Option<Micros>) -> Result<Event<'a>, Malformed> {
    let root: Value = serde_json::from_str(line).map_err(|e| json_error(&e))?;
    if !map.paths.iter().any(|(t, _, _)| map.lookup(&root, *t).is_some()) {
        return Err(Malformed(format!("none of the mapped fields ({map}) is present")));
    }
    let get = |t| map.lookup(&root, t);
    let owned = |t| get(t).and_then(text).filter(|s| !s.is_empty()).map(Cow::Owned);

    let time = mapped_time(&root, map, fallback)?.or(fallback);
    let resources = mapped_resources(&root, map).unwrap_or_default();
    let event_type: Cow<'a, str> = owned(MapTarget::EventType).unwrap_or_default();
    let raw_outcome = owned(MapTarget::Outcome);
    let status = mapped_status(&root, map);
    // Logs such as CloudTrail write an error field only when there is an
    // error: a mapped outcome that is absent, with no status, is a success.
    let outcome_absent = map.entry(MapTarget::Outcome).is_some() && raw_outcome.is_none() && status.is_none();
    let class = if outcome_absent {
        OutcomeClass::Success
    } else {
        classify(&OutcomeFacts::new(&event_type, raw_outcome.as_deref(), status))
    };
    let json_text = |t| get(t).map(|v| Cow::Owned(v.to_string()));
    Ok(Event {
        schema: Schema::Custom,
        time,
        principal: owned(MapTarget::Principal).unwrap_or(Cow::Borrowed(UNKNOWN_PRINCIPAL)),
        source_ip: owned(MapTarget::SourceIp),
        resources,
        outcome: class,
        raw_outcome,
        status,
        latency_ms: get(MapTarget::LatencyMs).and_then(number),
        request_id: owned(MapTarget::RequestId),
        roles_json: json_text(MapTarget::Roles),
        actions_json: json_text(MapTarget::Actions),
        endpoint: owned(MapTarget::Endpoint),
        trace_id: owned(MapTarget::TraceId),
        event_type,
        ..Event::default()
    })
}

/// A line a built-in schema read, with the fields `--map` names taken from
/// their mapped paths instead, where the line has them; the rest (outcome
/// from `detail`, time, principal, …) stays as the schema read it.
pub(super) fn extend<'a>(mut ev: Event<'a>, line: &str, map: &FieldMap) -> Result<Event<'a>, Malformed> {
    let root: Value = serde_json::from_str(line).map_err(|e| json_error(&e))?;
    let get = |t| map.lookup(&root, t);
    let owned = |t| get(t).and_then(text).filter(|s| !s.is_empty()).map(Cow::<'a, str>::Owned);
    if let Some(t) = mapped_time(&root, map, ev.time)? {
        ev.time = Some(t);
    }
    if let Some(r) = mapped_resources(&root, map) {
        ev.resources = r;
    }
    if let Some(p) = owned(MapTarget::Principal) {
        ev.principal = p;
    }
    if let Some(v) = owned(MapTarget::EventType) {
        ev.event_type = v;
    }
    if let Some(v) = owned(MapTarget::SourceIp) {
        ev.source_ip = Some(v);
    }
    if let Some(v) = owned(MapTarget::RequestId) {
        ev.request_id = Some(v);
    }
    if let Some(v) = owned(MapTarget::Endpoint) {
        ev.endpoint = Some(v);
    }
    if let Some(v) = owned(MapTarget::TraceId) {
        ev.trace_id = Some(v);
    }
    if let Some(v) = get(MapTarget::LatencyMs).and_then(number) {
        ev.latency_ms = Some(v);
    }
    if let Some(v) = get(MapTarget::Roles) {
        ev.roles_json = Some(Cow::Owned(v.to_string()));
    }
    if let Some(v) = get(MapTarget::Actions) {
        ev.actions_json = Some(Cow::Owned(v.to_string()));
    }
    let outcome = owned(MapTarget::Outcome);
    let status = mapped_status(&root, map);
    if outcome.is_some() || status.is_some() {
        if outcome.is_some() {
            ev.raw_outcome = outcome;
        }
        if status.is_some() {
            ev.status = status;
        }
        ev.outcome = classify(&OutcomeFacts::new(&ev.event_type, ev.raw_outcome.as_deref(), ev.status));
    }
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{LineParser, SchemaMode};

    fn cloudtrail() -> LineParser {
        let mut m = FieldMap::default();
        for spec in [
            "principal=userIdentity.arn",
            "time=eventTime",
            "event_type=eventName",
            "source_ip=sourceIPAddress",
            "outcome=errorCode",
            "resource=resources.0.ARN",
        ] {
            m.add(spec).unwrap();
        }
        LineParser::new(SchemaMode::Custom(m))
    }

    #[test]
    fn cloudtrail_lines() {
        let p = cloudtrail();
        let ok = r#"{"eventTime":"2026-10-01T10:00:00Z","eventName":"GetObject","userIdentity":{"arn":"arn:aws:iam::1:user/alice"},"sourceIPAddress":"198.51.100.7","resources":[{"ARN":"arn:aws:s3:::features"}]}"#;
        let ev = p.parse_payload(ok.as_bytes(), None).unwrap();
        assert_eq!(ev.principal, "arn:aws:iam::1:user/alice");
        assert_eq!(ev.outcome, OutcomeClass::Success);
        assert_eq!(ev.resources.as_slice(), ["arn:aws:s3:::features"]);
        assert_eq!(ev.event_type, "GetObject");
        let denied = ok.replace("\"eventName\"", "\"errorCode\":\"AccessDenied\",\"eventName\"");
        assert_eq!(p.parse_payload(denied.as_bytes(), None).unwrap().outcome, OutcomeClass::Denied);
        let other = ok.replace("\"eventName\"", "\"errorCode\":\"ThrottlingException\",\"eventName\"");
        assert_eq!(p.parse_payload(other.as_bytes(), None).unwrap().outcome, OutcomeClass::Error);
        assert!(p.parse_payload(br#"{"x":1}"#, None).unwrap_err().0.starts_with("none of the mapped fields"));
        let no_time = r#"{"eventName":"GetObject"}"#;
        assert_eq!(p.parse_payload(no_time.as_bytes(), None).unwrap_err().0, "missing `eventTime` (mapped to time)");
    }

    #[test]
    fn bad_specs() {
        let mut m = FieldMap::default();
        assert!(m.add("principal").unwrap_err().contains("FIELD=dotted.path"));
        assert!(m.add("who=a.b").unwrap_err().contains("unknown field 'who'"));
        assert!(m.add("time=a..b").unwrap_err().contains("keys separated by dots"));
    }
}
