//! Feast's feature-server audit logger: `event_type` plus a `principal` object.
//! An HTTP status appears only at the end of `detail` (`"POST /x -> 403"`).

use super::raw::{RawLine, non_empty};
use super::{Malformed, latency_of, principal_or_unknown, required_time};
use crate::event::{Event, OutcomeFacts, Resources, Schema, classify};

pub(super) fn extract(raw: RawLine<'_>) -> Result<Event<'_>, Malformed> {
    let time = required_time(raw.timestamp, "timestamp")?;
    let event_type = non_empty(raw.event_type).unwrap_or_default();
    let (username, roles_json) = match raw.principal.and_then(|p| p.into_obj()) {
        Some(p) => (non_empty(p.username), p.roles.map(|r| r.as_raw_cow())),
        None => (None, None),
    };
    let mut resources = Resources::None;
    let mut actions_json = None;
    if let Some(r) = raw.resource.and_then(|r| r.into_obj()) {
        if let Some(name) = non_empty(r.name) {
            resources.push(name);
        }
        actions_json = r.actions.map(|a| a.as_raw_cow());
    }
    let source_ip = raw.source.and_then(|s| s.into_obj()).and_then(|s| non_empty(s.ip));
    let outcome = non_empty(raw.outcome);
    let status = raw.detail.as_ref().and_then(|d| d.as_str()).and_then(status_in_detail);
    let class = classify(&OutcomeFacts::new(&event_type, outcome.as_deref(), status));
    Ok(Event {
        schema: Schema::Feast,
        time: Some(time),
        latency_ms: latency_of(raw.duration_ms.as_ref()),
        event_type,
        principal: principal_or_unknown(username),
        source_ip,
        resources,
        outcome: class,
        raw_outcome: outcome,
        status,
        request_id: non_empty(raw.request_id),
        roles_json,
        actions_json,
    })
}

/// The status code after the last `-> ` in `detail`.
fn status_in_detail(detail: &str) -> Option<u16> {
    let at = memchr::memmem::rfind(detail.as_bytes(), b"-> ")?;
    let digits: &str = detail[at + 3..].split(|c: char| !c.is_ascii_digit()).next()?;
    let code: u16 = digits.parse().ok()?;
    (100..1000).contains(&code).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::status_in_detail;

    #[test]
    fn detail_status() {
        assert_eq!(status_in_detail("POST /get-online-features -> 403"), Some(403));
        assert_eq!(status_in_detail("GET /a -> b -> 200 OK"), Some(200));
        assert_eq!(status_in_detail("POST /x"), None);
        assert_eq!(status_in_detail("POST /x -> "), None);
        assert_eq!(status_in_detail("-> 99"), None);
    }
}
