//! The SOC 2 evidence shape: `who`/`what`/`result`/`context`/`performance`
//! objects, usually with a per-entry `integrity` chain.

use super::raw::{Field, RawLine, http_status, non_empty};
use super::{Fallback, Malformed, latency_of, principal_or_unknown, required_time};
use crate::event::{Event, OutcomeFacts, Resources, Schema, classify};

pub(super) fn extract<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let time = required_time(raw.timestamp, "timestamp", fallback)?;
    let (principal, roles_json) = match raw.who.and_then(Field::unboxed) {
        Some(w) => (non_empty(w.user_id).or_else(|| non_empty(w.service_account)), w.roles.map(|r| r.as_raw_cow())),
        None => (None, None),
    };
    let mut resources = Resources::None;
    let mut event_type = Default::default();
    let (mut endpoint, mut method) = (None, None);
    if let Some(what) = raw.what.and_then(Field::unboxed) {
        if let Some(name) = non_empty(what.resource) {
            resources.push(name);
        }
        event_type = non_empty(what.action).unwrap_or_default();
        endpoint = non_empty(what.endpoint);
        method = non_empty(what.method);
    }
    let (status, success_flag) = match raw.result.and_then(Field::unboxed) {
        Some(r) => (
            http_status(r.status_code.as_ref()),
            match r.success {
                Some(Field::Bool(b)) => Some(b),
                _ => None,
            },
        ),
        None => (None, None),
    };
    let outcome = non_empty(raw.outcome);
    let class = classify(&OutcomeFacts { success_flag, ..OutcomeFacts::new(&event_type, outcome.as_deref(), status) });
    let latency = raw.performance.and_then(Field::unboxed).and_then(|p| latency_of(p.latency_ms.as_ref()));
    let source_ip = raw.context.and_then(Field::unboxed).and_then(|c| non_empty(c.ip_address));
    Ok(Event {
        schema: Schema::Soc2,
        time: Some(time),
        event_type,
        principal: principal_or_unknown(principal),
        source_ip,
        resources,
        outcome: class,
        raw_outcome: outcome,
        status,
        latency_ms: latency,
        request_id: non_empty(raw.id).or_else(|| non_empty(raw.request_id)),
        roles_json,
        endpoint,
        method,
        trace_id: raw.cold.and_then(|c| non_empty(c.trace_id)),
        ..Event::default()
    })
}
