//! Feast's SOX-style records: `event` (`online_feature_request`, …),
//! `requestor_id`, and the list of `feature_views` a request read.

use super::raw::{RawLine, non_empty};
use super::{Malformed, latency_of, principal_or_unknown, required_time, status_field};
use crate::event::{Event, OutcomeFacts, Resources, Schema, classify};

pub(super) fn extract(raw: RawLine<'_>) -> Result<Event<'_>, Malformed> {
    let time = required_time(raw.timestamp, "timestamp")?;
    let event_type = non_empty(raw.event).unwrap_or_default();
    let mut resources = Resources::None;
    for view in raw.feature_views.into_iter().flatten() {
        if let Some(name) = view.into_str() {
            resources.push(name);
        }
    }
    let (outcome, status) = status_field(raw.status);
    let class = classify(&OutcomeFacts::new(&event_type, outcome.as_deref(), status));
    let latency = latency_of(raw.latency_ms.as_ref()).or_else(|| latency_of(raw.duration_ms.as_ref()));
    Ok(Event {
        schema: Schema::FeastSox,
        time: Some(time),
        event_type,
        principal: principal_or_unknown(non_empty(raw.requestor_id)),
        source_ip: non_empty(raw.source_ip).or_else(|| non_empty(raw.ip)),
        resources,
        outcome: class,
        raw_outcome: outcome,
        status,
        latency_ms: latency,
        request_id: non_empty(raw.request_id),
        roles_json: None,
        actions_json: None,
    })
}
