//! The flat shape of Python `logging`-based audit loggers: `event_type`, a
//! string `user`, the feature view in `details.feature_view` or `resource`.

use super::raw::{Field, RawLine, non_empty};
use super::{Fallback, Malformed, latency_of, principal_or_unknown, required_time, status_field};
use crate::event::{Event, OutcomeFacts, Resources, Schema, classify};

pub(super) fn extract<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let time = required_time(raw.timestamp, "timestamp", fallback)?;
    let event_type = non_empty(raw.event_type).unwrap_or_default();
    let mut resources = Resources::None;
    let view = raw.details.and_then(Field::unboxed).and_then(|d| non_empty(d.feature_view));
    if let Some(name) = view.or_else(|| non_empty(raw.resource)) {
        resources.push(name);
    }
    let (outcome, status) = status_field(raw.status);
    let class = classify(&OutcomeFacts::new(&event_type, outcome.as_deref(), status));
    Ok(Event {
        schema: Schema::Flat,
        time: Some(time),
        latency_ms: latency_of(raw.duration_ms.as_ref()),
        event_type,
        principal: principal_or_unknown(non_empty(raw.user)),
        source_ip: non_empty(raw.source_ip).or_else(|| non_empty(raw.ip)),
        resources,
        outcome: class,
        raw_outcome: outcome,
        status,
        request_id: non_empty(raw.request_id),
        // the flat shape's `action` string (`get_online_features`) is what was called
        endpoint: non_empty(raw.action),
        trace_id: raw.cold.and_then(|c| non_empty(c.trace_id)),
        ..Event::default()
    })
}
