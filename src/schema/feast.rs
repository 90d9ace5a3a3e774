//! Feast's feature-server audit logger: `event_type` plus a `principal` object.
//! An HTTP status appears only at the end of `detail` (`"POST /x -> 403"`).

use std::borrow::Cow;

use super::raw::{Checked, Field, RawJson, RawLine, Str, non_empty};
use super::scan::{Parser, Scan, ScanError};
use super::{Fallback, Malformed, latency_of, principal_or_unknown, required_time};
use crate::event::{Event, OutcomeFacts, Resources, Schema, classify};

pub(super) fn extract<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    Parts::of_raw(raw).event(fallback)
}

/// Where a value of a Feast line goes in [`Parts`]: the field a learnt
/// shape's step reads it into ([`super::learnt`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A string kept when it is one and not empty, `texts[i]`.
    Text(u8),
    /// An array kept as written (roles, actions), `texts[i]`.
    Json(u8),
    /// `event_type`, which must be a string for the line to be Feast's.
    EventType,
    Timestamp,
    Duration,
}

const REQUEST_ID: usize = 0;
const USERNAME: usize = 1;
const AUTH_TYPE: usize = 2;
const ROLES: usize = 3;
const IP: usize = 4;
const TRANSPORT: usize = 5;
const PATH: usize = 6;
const MCP_TOOL: usize = 7;
const NAME: usize = 8;
const KIND: usize = 9;
const ACTIONS: usize = 10;
const OUTCOME: usize = 11;
const DETAIL: usize = 12;
const TRACE_ID: usize = 13;
const TEXTS: usize = 14;

/// The fields a Feast event is made of, as its line holds them: filled from
/// a [`RawLine`] the line was read into, or value by value by a learnt
/// shape that names only these fields (the line then never becomes a
/// `RawLine`). Either way [`Parts::event`] makes the event.
#[derive(Debug, Default)]
pub struct Parts<'a> {
    timestamp: Option<Field<'a, Checked>>,
    duration_ms: Option<Field<'a, Checked>>,
    event_type: Str<'a>,
    /// The string fields, each non-empty when present, and the two arrays.
    texts: [Option<Str<'a>>; TEXTS],
}

impl<'a> Parts<'a> {
    /// The fields of a line read in full and recognised as Feast's.
    fn of_raw(raw: RawLine<'a>) -> Self {
        let mut texts: [Option<Str<'a>>; TEXTS] = Default::default();
        if let Some(p) = raw.principal.and_then(|p| p.into_obj()) {
            texts[USERNAME] = non_empty(p.username);
            texts[ROLES] = p.roles.map(|r| r.as_raw_cow());
            texts[AUTH_TYPE] = non_empty(p.auth_type);
        }
        if let Some(r) = raw.resource.and_then(|r| r.into_obj()) {
            texts[NAME] = non_empty(r.name);
            texts[ACTIONS] = r.actions.map(|a| a.as_raw_cow());
            texts[KIND] = non_empty(r.kind);
        }
        if let Some(s) = raw.source.and_then(|s| s.into_obj()) {
            texts[IP] = non_empty(s.ip);
            texts[TRANSPORT] = non_empty(s.transport);
        }
        if let Some(a) = raw.action.and_then(|a| a.into_obj()) {
            texts[PATH] = non_empty(a.path);
            texts[MCP_TOOL] = non_empty(a.mcp_tool);
        }
        texts[REQUEST_ID] = non_empty(raw.request_id);
        texts[OUTCOME] = non_empty(raw.outcome);
        texts[DETAIL] = non_empty(raw.detail);
        texts[TRACE_ID] = raw.cold.and_then(|c| non_empty(c.trace_id));
        Parts {
            timestamp: raw.timestamp,
            duration_ms: raw.duration_ms,
            event_type: non_empty(raw.event_type).unwrap_or_default(),
            texts,
        }
    }

    /// Reads the value at the parser into `slot`, with the readers a
    /// [`RawLine`] uses for the same field. An `event_type` that is not a
    /// string is an error: the line is then read in full, which finds its
    /// schema.
    #[inline(always)]
    pub fn fill(&mut self, slot: Slot, p: &mut Parser<'a>) -> Result<(), ScanError> {
        match slot {
            Slot::Text(i) => p.non_empty_string_into(self.text(i)?)?,
            Slot::Json(i) => {
                let raw: Option<RawJson<'a>> = Scan::scan(p)?;
                *self.text(i)? = raw.map(|r| r.as_raw_cow());
            }
            Slot::EventType => match Scan::scan(p)? {
                Some(f @ Field::Str(_)) => self.event_type = non_empty::<Checked>(Some(f)).unwrap_or_default(),
                _ => return Err(ScanError("not a Feast event".into())),
            },
            Slot::Timestamp => self.timestamp = Scan::scan(p)?,
            Slot::Duration => self.duration_ms = Scan::scan(p)?,
        }
        Ok(())
    }

    #[inline(always)]
    fn text(&mut self, i: u8) -> Result<&mut Option<Str<'a>>, ScanError> {
        self.texts.get_mut(i as usize).ok_or_else(|| ScanError("no such field".into()))
    }

    /// The event these fields make (made where it is returned: the parts
    /// are not copied on the way).
    #[inline(always)]
    pub fn event(self, fallback: Fallback) -> Result<Event<'a>, Malformed> {
        let Parts { timestamp, duration_ms, event_type, texts } = self;
        let time = required_time(timestamp, "timestamp", fallback)?;
        let [
            request_id,
            username,
            auth_type,
            roles_json,
            source_ip,
            transport,
            path,
            tool,
            name,
            resource_type,
            actions_json,
            outcome,
            detail,
            trace_id,
        ] = texts;
        let mut resources = Resources::None;
        if let Some(name) = name {
            resources.push(name);
        }
        let status = detail.as_deref().and_then(status_in_detail);
        let (method, detail_path) = match &detail {
            Some(d) => {
                let (m, p) = request_in_detail(d);
                (m.map(|m| part_of(d, m)), p.map(|p| part_of(d, p)))
            }
            None => (None, None),
        };
        let class = classify(&OutcomeFacts::new(&event_type, outcome.as_deref(), status));
        // (a match: `Option::or` was left a call, its result passed through memory)
        let endpoint = match endpoint_of(path, tool) {
            Some(e) => Some(e),
            None => detail_path,
        };
        Ok(Event {
            schema: Schema::Feast,
            time: Some(time),
            latency_ms: latency_of(duration_ms.as_ref()),
            event_type,
            principal: principal_or_unknown(username),
            source_ip,
            resources,
            outcome: class,
            raw_outcome: outcome,
            status,
            request_id,
            roles_json,
            actions_json,
            endpoint,
            method,
            resource_type,
            auth_type,
            transport,
            row_count: None,
            trace_id,
        })
    }
}

/// The slot of the field at `path` (numbered as [`RawLine`]'s learnt
/// paths), when it is one a Feast event is made of.
pub fn slot_of(path: &[u8]) -> Option<Slot> {
    use super::learnt::index_of;
    use super::raw::{FeastAction, FeastPrincipal, FeastResource, FeastSource};
    const TOP: &[&str] = RawLine::KEYS;
    let top = |k: &str| index_of(TOP, k);
    Some(match *path {
        [t] if t == top("timestamp") => Slot::Timestamp,
        [t] if t == top("duration_ms") => Slot::Duration,
        [t] if t == top("event_type") => Slot::EventType,
        [t] if t == top("request_id") => Slot::Text(REQUEST_ID as u8),
        [t] if t == top("outcome") => Slot::Text(OUTCOME as u8),
        [t] if t == top("detail") => Slot::Text(DETAIL as u8),
        [t] if t == top("trace_id") => Slot::Text(TRACE_ID as u8),
        [t, f] if t == top("principal") => match FeastPrincipal::KEYS[f as usize] {
            "username" => Slot::Text(USERNAME as u8),
            "auth_type" => Slot::Text(AUTH_TYPE as u8),
            "roles" => Slot::Json(ROLES as u8),
            _ => return None,
        },
        [t, f] if t == top("source") => match FeastSource::KEYS[f as usize] {
            "ip" => Slot::Text(IP as u8),
            "transport" => Slot::Text(TRANSPORT as u8),
            _ => return None,
        },
        [t, f] if t == top("action") => match FeastAction::KEYS[f as usize] {
            "path" => Slot::Text(PATH as u8),
            "mcp_tool" => Slot::Text(MCP_TOOL as u8),
            _ => return None,
        },
        [t, f] if t == top("resource") => match FeastResource::KEYS[f as usize] {
            "name" => Slot::Text(NAME as u8),
            "type" => Slot::Text(KIND as u8),
            "actions" => Slot::Json(ACTIONS as u8),
            _ => return None,
        },
        _ => return None,
    })
}

/// Whether `path` is one of the objects a Feast event's fields sit in, and
/// whether it is `principal` (whose presence as an object makes the line
/// Feast's).
pub fn object_of(path: &[u8]) -> Option<bool> {
    use super::learnt::index_of;
    const TOP: &[&str] = RawLine::KEYS;
    match *path {
        [t] if t == index_of(TOP, "principal") => Some(true),
        [t] if [index_of(TOP, "source"), index_of(TOP, "action"), index_of(TOP, "resource")].contains(&t) => {
            Some(false)
        }
        _ => None,
    }
}

/// An MCP call's endpoint is `mcp:<tool>` (its path is `/mcp` for every
/// tool); any other call's is its path.
#[inline(always)]
pub(super) fn endpoint_of<'a>(path: Option<Str<'a>>, tool: Option<Str<'a>>) -> Option<Str<'a>> {
    match tool {
        Some(t) => Some(tool_endpoint(&t)),
        None => path,
    }
}

/// (out of line: one line in sixteen is an MCP call in a typical log)
#[inline(never)]
fn tool_endpoint(tool: &str) -> Str<'static> {
    // (not `format!`: its machinery cost more than the copy)
    let mut e = String::with_capacity(4 + tool.len());
    e.push_str("mcp:");
    e.push_str(tool);
    Cow::Owned(e)
}

/// `part` (a slice of `whole`) borrowed from the line when `whole` is.
#[inline(always)]
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
#[inline(always)]
fn request_in_detail(detail: &str) -> (Option<&str>, Option<&str>) {
    let b = detail.as_bytes();
    // the method's capitals, then a space (a search for the space first
    // costs more than these few bytes)
    let space = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if space == 0 || b.get(space) != Some(&b' ') {
        return (None, None);
    }
    let rest = &detail[space + 1..];
    let path = &rest[..memchr::memchr(b' ', rest.as_bytes()).unwrap_or(rest.len())];
    (Some(&detail[..space]), path.starts_with('/').then_some(path))
}

/// The status code after the last `-> ` in `detail`.
fn status_in_detail(detail: &str) -> Option<u16> {
    // the last `>` with `-` before it and a space after, looked for byte
    // by byte from the end (it is a few bytes from it: a searcher built for
    // each line, as `memmem::rfind` does, or a vector search's call costs
    // more than the search)
    let b = detail.as_bytes();
    // the usual end, `-> ` and three digits, read without a search
    if let [.., b'-', b'>', b' ', x, y, z] = *b
        && [x, y, z].iter().all(u8::is_ascii_digit)
    {
        let code = [x, y, z].iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        return (100..1000).contains(&code).then_some(code);
    }
    let mut end = b.len();
    let at = loop {
        let gt = b[..end].iter().rposition(|&c| c == b'>')?;
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
        assert_eq!(status_in_detail("-> 500"), Some(500));
        assert_eq!(status_in_detail("x -> 099"), None);
        assert_eq!(status_in_detail("x -> 2000"), None);
        assert_eq!(status_in_detail("x ->200"), None);
        assert_eq!(status_in_detail("x -> 20x"), None);
        // the same answers as the search from the end, for every ending
        for end in ["-> 404", "--> 404", "- > 404", "-> 40", "->  404", "-> 4040", " 404"] {
            let line = format!("GET /a -> 200 {end}");
            let slow = line.rfind("-> ").and_then(|at| {
                let digits: String = line[at + 3..].chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<u16>().ok().filter(|c| (100..1000).contains(c))
            });
            assert_eq!(status_in_detail(&line), slow, "{line}");
        }
    }
}
