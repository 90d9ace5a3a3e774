//! Feast's feature-server audit logger: `event_type` plus a `principal` object.
//! An HTTP status appears only at the end of `detail` (`"POST /x -> 403"`).

use std::borrow::Cow;

use super::raw::{RawLine, Str, non_empty};
use super::{Fallback, Malformed, latency_of, principal_or_unknown, required_time};
use crate::event::{Event, OutcomeFacts, Resources, Schema, classify};

pub(super) fn extract<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let time = required_time(raw.timestamp, "timestamp", fallback)?;
    let event_type = non_empty(raw.event_type).unwrap_or_default();
    let (username, roles_json, auth_type) = match raw.principal.and_then(|p| p.into_obj()) {
        Some(p) => (non_empty(p.username), p.roles.map(|r| r.as_raw_cow()), non_empty(p.auth_type)),
        None => (None, None, None),
    };
    let mut resources = Resources::None;
    let mut actions_json = None;
    let mut resource_type = None;
    if let Some(r) = raw.resource.and_then(|r| r.into_obj()) {
        if let Some(name) = non_empty(r.name) {
            resources.push(name);
        }
        actions_json = r.actions.map(|a| a.as_raw_cow());
        resource_type = non_empty(r.kind);
    }
    let (source_ip, transport) = match raw.source.and_then(|s| s.into_obj()) {
        Some(s) => (non_empty(s.ip), non_empty(s.transport)),
        None => (None, None),
    };
    let outcome = non_empty(raw.outcome);
    let detail = non_empty(raw.detail);
    let status = detail.as_deref().and_then(status_in_detail);
    let (method, detail_path) = match &detail {
        Some(d) => {
            let (m, p) = request_in_detail(d);
            (m.map(|m| part_of(d, m)), p.map(|p| part_of(d, p)))
        }
        None => (None, None),
    };
    let class = classify(&OutcomeFacts::new(&event_type, outcome.as_deref(), status));
    let (path, tool) = match raw.action.and_then(|a| a.into_obj()) {
        Some(a) => (non_empty(a.path), non_empty(a.mcp_tool)),
        None => (None, None),
    };
    let endpoint = endpoint_of(path, tool).or(detail_path);
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
        endpoint,
        method,
        resource_type,
        auth_type,
        transport,
        row_count: None,
        trace_id: raw.cold.and_then(|c| non_empty(c.trace_id)),
    })
}

/// An MCP call's endpoint is `mcp:<tool>` (its path is `/mcp` for every
/// tool); any other call's is its path.
pub(super) fn endpoint_of<'a>(path: Option<Str<'a>>, tool: Option<Str<'a>>) -> Option<Str<'a>> {
    match tool {
        Some(t) => Some(Cow::Owned(format!("mcp:{t}"))),
        None => path,
    }
}

/// `part` (a slice of `whole`) borrowed from the line when `whole` is.
fn part_of<'a>(whole: &Str<'a>, part: &str) -> Str<'a> {
    match whole {
        Cow::Borrowed(w) => {
            let at = part.as_ptr() as usize - w.as_ptr() as usize;
            Cow::Borrowed(&w[at..at + part.len()])
        }
        Cow::Owned(_) => Cow::Owned(part.to_owned()),
    }
}

/// The method and path at the start of `detail` (`"POST /push -> 200"`).
fn request_in_detail(detail: &str) -> (Option<&str>, Option<&str>) {
    let b = detail.as_bytes();
    let Some(space) = memchr::memchr(b' ', b) else { return (None, None) };
    if space == 0 || !b[..space].iter().all(u8::is_ascii_uppercase) {
        return (None, None);
    }
    let rest = &detail[space + 1..];
    let path = &rest[..memchr::memchr(b' ', rest.as_bytes()).unwrap_or(rest.len())];
    (Some(&detail[..space]), path.starts_with('/').then_some(path))
}

/// The status code after the last `-> ` in `detail`.
fn status_in_detail(detail: &str) -> Option<u16> {
    // the last `>` with `-` before it and a space after (a searcher built
    // for each line, as `memmem::rfind` does, costs more than the search)
    let b = detail.as_bytes();
    let mut end = b.len();
    let at = loop {
        let gt = memchr::memrchr(b'>', &b[..end])?;
        if gt > 0 && b[gt - 1] == b'-' && b.get(gt + 1) == Some(&b' ') {
            break gt - 1;
        }
        end = gt;
    };
    let digits: &str = detail[at + 3..].split(|c: char| !c.is_ascii_digit()).next()?;
    let code: u16 = digits.parse().ok()?;
    (100..1000).contains(&code).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::{request_in_detail, status_in_detail};

    #[test]
    fn detail_request() {
        assert_eq!(request_in_detail("POST /push -> 200"), (Some("POST"), Some("/push")));
        assert_eq!(request_in_detail("tool raised"), (None, None));
        assert_eq!(request_in_detail(""), (None, None));
    }

    #[test]
    fn detail_status() {
        assert_eq!(status_in_detail("POST /get-online-features -> 403"), Some(403));
        assert_eq!(status_in_detail("GET /a -> b -> 200 OK"), Some(200));
        assert_eq!(status_in_detail("POST /x"), None);
        assert_eq!(status_in_detail("POST /x -> "), None);
        assert_eq!(status_in_detail("-> 99"), None);
        assert_eq!(status_in_detail("-> 200 ->403 -> 401"), Some(401));
        assert_eq!(status_in_detail("a -> 404 >> ->"), Some(404));
        assert_eq!(status_in_detail("> -> 500"), Some(500));
    }
}
