//! Feast's SOX-style records: `event` (`online_feature_request`, …),
//! `requestor_id`, and the list of `feature_views` a request read.
//! Offline retrievals run in the caller's own process and name nobody: their
//! principal is `(none)`, and their `method` (`to_arrow`, …) is the endpoint.

use std::borrow::Cow;

use super::raw::{Field, Listed, RawLine, non_empty};
use super::{Fallback, Malformed, latency_of, principal_or_unknown, required_time, status_field};
use crate::event::{Event, NO_PRINCIPAL, OutcomeFacts, Resources, Schema, classify};

pub(super) fn extract<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let time = required_time(raw.timestamp, "timestamp", fallback)?;
    let event_type = non_empty(raw.event).unwrap_or_default();
    let mut resources = Resources::None;
    match raw.feature_views {
        Some(Listed::Items(views)) => {
            for name in views.into_iter().filter_map(Field::into_str) {
                resources.push(name);
            }
        }
        Some(Listed::NotAList) => {
            return Err(Malformed::new("`feature_views` is not a list (expected a list of feature view names)"));
        }
        None => {}
    }
    let (outcome, status) = status_field(raw.status);
    let class = classify(&OutcomeFacts::new(&event_type, outcome.as_deref(), status));
    let latency = latency_of(raw.latency_ms.as_ref()).or_else(|| latency_of(raw.duration_ms.as_ref()));
    let named = raw.requestor_id.is_some();
    let principal = match non_empty(raw.requestor_id) {
        None if !named && event_type == "offline_feature_retrieval" => Cow::Borrowed(NO_PRINCIPAL),
        p => principal_or_unknown(p),
    };
    let row_count = raw.row_count.as_ref().and_then(|r| r.as_f64()).filter(|n| *n >= 0.0 && n.fract() == 0.0);
    Ok(Event {
        schema: Schema::FeastSox,
        time: Some(time),
        endpoint: non_empty(raw.method),
        row_count: row_count.map(|n| n as u64),
        event_type,
        principal,
        source_ip: non_empty(raw.source_ip).or_else(|| non_empty(raw.ip)),
        resources,
        outcome: class,
        raw_outcome: outcome,
        status,
        latency_ms: latency,
        request_id: non_empty(raw.request_id),
        trace_id: raw.cold.and_then(|c| non_empty(c.trace_id)),
        ..Event::default()
    })
}
