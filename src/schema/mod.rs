//! Raw line → [`Event`]: schema detection per line, `--schema` to force one,
//! and `--map` for any other JSONL audit log.

mod cloud;
mod custom;
pub mod envelope;
mod feast;
mod feast_sox;
mod flat;
pub mod learnt;
pub mod lines;
pub mod raw;
pub mod scan;
mod shape;
mod soc2;

use std::borrow::Cow;
use std::fmt;

pub use custom::{FieldMap, MapTarget};
pub use envelope::Envelope;
pub use lines::{LineReader, Logical};

use crate::event::{Event, Schema, UNKNOWN_PRINCIPAL};
use crate::time::{Micros, from_epoch_number, parse_rfc3339};
use raw::{Checked, Field, RawLine, Str};

pub use raw::KeySet;
pub use shape::{DUPLICATE_KEY, MAX_DEPTH, check as check_shape, check_depth};

/// Why a line is not an event. Built only on the cold path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How lines are read into events.
#[derive(Debug, Clone)]
pub enum SchemaMode {
    /// Detect the schema of each line (a file may mix them).
    Auto,
    /// Every line must be of this built-in schema.
    Forced(Schema),
    /// `--map FIELD=dotted.path` without `--schema`: a line a built-in
    /// schema recognises is read by it and the mapped fields override its
    /// own; any other line is read by the mapped fields alone.
    Custom(FieldMap),
    /// `--schema NAME --map …`: every line must be of that schema, and the
    /// mapped fields override its own.
    Extended(Schema, FieldMap),
}

/// The time an envelope gave a line, for an event that has none.
pub(crate) type Fallback = Option<Micros>;

/// Parses lines according to the chosen [`SchemaMode`] and [`Envelope`].
#[derive(Debug, Clone)]
pub struct LineParser {
    mode: SchemaMode,
    envelope: Envelope,
    /// The zone of envelope times written without an offset (Python's asctime).
    tz: chrono_tz::Tz,
}

impl LineParser {
    pub fn new(mode: SchemaMode) -> Self {
        LineParser { mode, envelope: Envelope::Auto, tz: chrono_tz::Tz::UTC }
    }

    /// The same parser expecting `envelope`, reading local times in `tz`.
    pub fn with_envelope(mut self, envelope: Envelope, tz: chrono_tz::Tz) -> Self {
        self.envelope = envelope;
        self.tz = tz;
        self
    }

    pub fn envelope(&self) -> Envelope {
        self.envelope
    }

    /// The `--map` settings, if any.
    pub fn field_map(&self) -> Option<&FieldMap> {
        match &self.mode {
            SchemaMode::Custom(map) | SchemaMode::Extended(_, map) => Some(map),
            _ => None,
        }
    }

    /// The `--map` path of `target`.
    pub fn mapped_path(&self, target: MapTarget) -> Option<&str> {
        self.field_map().and_then(|m| m.path(target))
    }

    /// Parses one physical line (without its line ending; never blank),
    /// taking its envelope off first. `scratch` holds what an envelope had
    /// to decode. A piece of a split container record is refused: read
    /// lines through [`LineParser::each_line`] to have them joined.
    pub fn parse<'a>(&self, line: &'a [u8], scratch: &'a mut Vec<u8>) -> Result<Event<'a>, Malformed> {
        let u = envelope::unwrap(self.envelope, line, scratch, self.tz)?;
        if let envelope::Part::Partial(_) = u.part {
            return Err(Malformed::new("a piece of a container log record split over several lines"));
        }
        self.parse_payload(u.payload, u.time)
    }

    /// The event text of a line: the line without its envelope (the line
    /// itself when it has none or the envelope cannot be read).
    pub fn payload<'a>(&self, line: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
        self.strip_envelope(line, scratch).unwrap_or(line)
    }

    /// The line without its envelope (the line itself when it has none
    /// under `--envelope auto`); why not when a forced envelope is missing.
    pub fn strip_envelope<'a>(&self, line: &'a [u8], scratch: &'a mut Vec<u8>) -> Result<&'a [u8], Malformed> {
        envelope::unwrap(self.envelope, line, scratch, self.tz).map(|u| u.payload)
    }

    /// Parses an event's text (envelope already taken off); `fallback` is
    /// the envelope's time, for an event that has none.
    pub fn parse_payload<'a>(&self, line: &'a [u8], fallback: Fallback) -> Result<Event<'a>, Malformed> {
        self.parse_learnt(ThreadShapes, line, fallback)
    }

    /// [`LineParser::parse_payload`] with the shapes learnt so far in
    /// `shapes` (the thread's own there).
    pub fn parse_payload_with<'a>(
        &self,
        shapes: &mut learnt::Shapes,
        line: &'a [u8],
        fallback: Fallback,
    ) -> Result<Event<'a>, Malformed> {
        self.parse_learnt(shapes, line, fallback)
    }

    /// Parses an event's text with the shapes `shapes` holds, borrowed only
    /// while a shape is read (the event is made, and returned, outside).
    #[inline(always)]
    fn parse_learnt<'a>(
        &self,
        mut shapes: impl WithShapes,
        line: &'a [u8],
        fallback: Fallback,
    ) -> Result<Event<'a>, Malformed> {
        match line.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => {}
            Some(_) => return Err(Malformed::new("not a JSON object")),
            None => return Err(Malformed::new("blank line")),
        }
        // One validation pass over the whole line is much cheaper than
        // serde_json's check of every string it reads from a byte slice
        // (simdutf8: 32 bytes a step where the standard library takes 8).
        // (the fast check first: where it fails, the slower one says where)
        let text = simdutf8::basic::from_utf8(line).map_err(|_| {
            let e = simdutf8::compat::from_utf8(line).expect_err("invalid UTF-8");
            Malformed(format!("invalid UTF-8 at column {}", e.valid_up_to() + 1))
        })?;
        // a line of a learnt Feast shape becomes its event without a RawLine
        if matches!(self.mode, SchemaMode::Auto | SchemaMode::Forced(Schema::Feast)) {
            let mut parts = feast::Parts::default();
            if shapes.with(|s| s.read_feast(text, &mut parts)) {
                return parts.event(fallback);
            }
        }
        let map = match &self.mode {
            SchemaMode::Custom(map) | SchemaMode::Extended(_, map) => {
                // serde_json keeps the last of a repeated key: refuse them first
                check_shape(line)?;
                Some(map)
            }
            // the built-in readers refuse repeated keys and deep nesting as they read
            _ => None,
        };
        // filled in place: the struct is large, and made for every line
        // not read straight into a Feast event above
        let mut raw = RawLine::default();
        match (&self.mode, shapes.with(|s| s.parse_into(text, &mut raw))) {
            (_, Ok(())) => {}
            // a log read by its map alone may use the built-in names for other shapes
            (SchemaMode::Custom(map), Err(_)) => return custom::parse(text, map, fallback),
            (_, Err(e)) => return Err(Malformed(e.0)),
        }
        let schema = match &self.mode {
            SchemaMode::Forced(s) | SchemaMode::Extended(s, _) => {
                if !recognises(*s, &raw) {
                    return Err(Malformed(format!("not a {} event: {}", s.name(), expectation(*s))));
                }
                *s
            }
            SchemaMode::Custom(map) => match detect(&raw) {
                Some(s) => s,
                None => return custom::parse(text, map, fallback),
            },
            SchemaMode::Auto => detect(&raw).ok_or_else(|| {
                Malformed::new(
                    "no known schema (expected the fields of feast, feast-sox, flat, soc2, cloudtrail, \
                     gcp-audit, databricks or tecton; use --map for other logs)",
                )
            })?,
        };
        match map {
            Some(map) => custom::extend(extract(schema, raw, fallback)?, text, map),
            // the event is returned where it is made: no copy of it on the hot path
            None => extract(schema, raw, fallback),
        }
    }
}

/// Where the learnt shapes a line is read with are kept.
trait WithShapes {
    fn with<R>(&mut self, f: impl FnOnce(&mut learnt::Shapes) -> R) -> R;
}

/// The thread's own shapes ([`LEARNT`]).
struct ThreadShapes;

impl WithShapes for ThreadShapes {
    #[inline(always)]
    fn with<R>(&mut self, f: impl FnOnce(&mut learnt::Shapes) -> R) -> R {
        LEARNT.with_borrow_mut(f)
    }
}

impl WithShapes for &mut learnt::Shapes {
    #[inline(always)]
    fn with<R>(&mut self, f: impl FnOnce(&mut learnt::Shapes) -> R) -> R {
        f(self)
    }
}

thread_local! {
    /// The shapes of lines this thread has read ([`learnt`]): a line of a
    /// known shape is read without walking its keys.
    static LEARNT: std::cell::RefCell<learnt::Shapes> = std::cell::RefCell::new(learnt::Shapes::default());
}

impl Malformed {
    pub fn new(reason: &str) -> Self {
        Malformed(reason.to_owned())
    }
}

/// The event of a line `schema` recognised.
#[inline(always)]
fn extract<'a>(schema: Schema, raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    match schema {
        Schema::Feast => feast::extract(raw, fallback),
        Schema::FeastSox => feast_sox::extract(raw, fallback),
        Schema::Flat => flat::extract(raw, fallback),
        Schema::Soc2 => soc2::extract(raw, fallback),
        Schema::Cloudtrail => cloud::cloudtrail(raw, fallback),
        Schema::GcpAudit => cloud::gcp_audit(raw, fallback),
        Schema::Databricks => cloud::databricks(raw, fallback),
        Schema::Tecton => cloud::tecton(raw, fallback),
        Schema::Custom => unreachable!("custom lines are read by custom::parse"),
    }
}

/// Which built-in schema a parsed line belongs to, most specific first.
fn detect(raw: &RawLine<'_>) -> Option<Schema> {
    [
        Schema::Soc2,
        Schema::Feast,
        Schema::Flat,
        Schema::Tecton,
        Schema::GcpAudit,
        Schema::Cloudtrail,
        Schema::Databricks,
        Schema::FeastSox,
    ]
    .into_iter()
    .find(|s| recognises(*s, raw))
}

fn recognises(schema: Schema, raw: &RawLine<'_>) -> bool {
    fn is_str(f: &Option<Field<'_, Checked>>) -> bool {
        f.as_ref().is_some_and(|f| f.as_str().is_some())
    }
    fn is_obj<T>(f: &Option<Field<'_, T>>) -> bool {
        f.as_ref().is_some_and(|f| f.obj().is_some())
    }
    let cold = raw.cold.as_deref();
    match schema {
        Schema::Soc2 => is_obj(&raw.who) && is_obj(&raw.what),
        Schema::Feast => is_str(&raw.event_type) && is_obj(&raw.principal),
        Schema::Flat => is_str(&raw.event_type) && is_str(&raw.user),
        Schema::FeastSox => is_str(&raw.event),
        Schema::Tecton => is_str(&raw.event_type) && cold.is_some_and(|c| is_obj(&c.actor)),
        Schema::GcpAudit => cold
            .and_then(|c| c.proto_payload.as_ref())
            .and_then(|p| p.obj())
            .and_then(|p| p.kind.as_ref())
            .and_then(|k| k.as_str())
            .is_some_and(|k| k.ends_with("AuditLog")),
        Schema::Cloudtrail => cold.is_some_and(|c| is_str(&c.event_source) && is_obj(&c.user_identity)),
        Schema::Databricks => cold.is_some_and(|c| is_str(&c.service_name) && is_str(&c.action_name)),
        Schema::Custom => false,
    }
}

fn expectation(schema: Schema) -> &'static str {
    match schema {
        Schema::Soc2 => "expected `who` and `what` objects",
        Schema::Feast => "expected `event_type` and a `principal` object",
        Schema::Flat => "expected `event_type` and a string `user`",
        Schema::FeastSox => "expected a string `event`",
        Schema::Tecton => "expected `event_type` and an `actor` object",
        Schema::GcpAudit => "expected a `protoPayload` whose `@type` is an AuditLog",
        Schema::Cloudtrail => "expected `eventSource` and a `userIdentity` object",
        Schema::Databricks => "expected `serviceName` and `actionName`",
        Schema::Custom => "expected the mapped fields",
    }
}

/// Turns serde_json's message into a reason without its "line 1" noise.
fn json_error(e: &serde_json::Error) -> Malformed {
    let mut msg = e.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    Malformed(format!("invalid JSON: {msg} at column {}", e.column()))
}

/// The required timestamp of a built-in schema (or, when it has none, the
/// time of the envelope around it).
fn required_time(f: Option<Field<'_, Checked>>, key: &str, fallback: Fallback) -> Result<Micros, Malformed> {
    match f {
        None => fallback.ok_or_else(|| Malformed(format!("missing `{key}`"))),
        Some(f) => match time_of(&f) {
            Some(t) => in_range(t).ok_or_else(|| Malformed(format!("`{key}` {} out of range", describe(&f)) + RANGE)),
            None => Err(Malformed(format!("invalid `{key}` {}", describe(&f)))),
        },
    }
}

/// What the message of a time out of range adds.
pub const RANGE: &str = " (times from 1970 to 2199 are accepted)";

/// Times fsaudit accepts: 1970 to the end of 2199, so that a line dated in
/// the year 10,000 or before 1970 cannot make a report allocate a bucket a
/// day for millennia, nor slip out of every time bucket of a rule.
pub fn in_range(t: Micros) -> Option<Micros> {
    (crate::time::EARLIEST..=crate::time::LATEST).contains(&t).then_some(t)
}

/// An RFC 3339 string or an epoch number.
fn time_of<T>(f: &Field<'_, T>) -> Option<Micros> {
    match f {
        Field::Str(s) => parse_rfc3339(s),
        Field::Num(n) => from_epoch_number(*n),
        _ => None,
    }
}

fn describe<T>(f: &Field<'_, T>) -> String {
    match f {
        Field::Str(s) => format!("'{}'", truncate(s, 60)),
        Field::Num(n) => n.to_string(),
        Field::Bool(b) => b.to_string(),
        Field::Obj(_) => "(an object)".into(),
        Field::Other => "(an array or null)".into(),
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The principal, or `(unknown)` when missing or empty.
#[inline(always)]
fn principal_or_unknown(p: Option<Str<'_>>) -> Str<'_> {
    match p {
        Some(s) if !s.is_empty() => s,
        _ => Cow::Borrowed(UNKNOWN_PRINCIPAL),
    }
}

/// A `status` field holds an outcome word (`"denied"`) or an HTTP code (`403`).
fn status_field(f: Option<Field<'_, Checked>>) -> (Option<Str<'_>>, Option<u16>) {
    let code = raw::http_status(f.as_ref());
    (raw::non_empty(f), code)
}

/// A latency in milliseconds; negative or non-finite values are dropped.
/// The latency as written; the scan rejects values no report may use
/// (negative, non-finite, over a day) and counts them.
fn latency_of<T>(f: Option<&Field<'_, T>>) -> Option<f64> {
    f.and_then(Field::as_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::OutcomeClass;

    fn parse(line: &str) -> Result<Event<'_>, Malformed> {
        LineParser::new(SchemaMode::Auto).parse_payload(line.as_bytes(), None)
    }

    /// Every sample line of every schema is recognised as that schema.
    #[test]
    fn shared_samples_are_recognised() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        for (file, schema) in [
            ("feast.jsonl", Schema::Feast),
            ("feast-sox.jsonl", Schema::FeastSox),
            ("flat.jsonl", Schema::Flat),
            ("soc2.jsonl", Schema::Soc2),
        ] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let ev = parse(line).unwrap_or_else(|e| panic!("{file}: {e}: {line}"));
                assert_eq!(ev.schema, schema, "{line}");
                assert!(ev.time.is_some());
            }
        }
    }

    #[test]
    fn feast_failure_with_403_is_denied_and_401_unauthenticated() {
        let base = r#"{"event_type":"http.request","timestamp":"2026-10-01T00:26:06.135Z","principal":{"username":"svc","roles":["ml-service"]},"source":{"ip":"10.0.0.1"},"resource":{"type":"FeatureView","name":"fv","actions":["READ_ONLINE"]},"outcome":"failure","duration_ms":1.61,"detail":"POST /get-online-features -> CODE"}"#;
        let e = parse(&base.replace("CODE", "403")).map(|e| e.outcome);
        assert_eq!(e, Ok(OutcomeClass::Denied));
        let e = parse(&base.replace("CODE", "401")).map(|e| e.outcome);
        assert_eq!(e, Ok(OutcomeClass::Unauthenticated));
        let e = parse(&base.replace("CODE", "500")).map(|e| e.outcome);
        assert_eq!(e, Ok(OutcomeClass::Error));
        let line = base.replace("CODE", "403");
        let ev = parse(&line).unwrap();
        assert_eq!(ev.roles(), ["ml-service"]);
        assert_eq!(ev.actions(), ["READ_ONLINE"]);
        assert_eq!(ev.source_ip.as_deref(), Some("10.0.0.1"));
        assert_eq!(ev.status, Some(403));
    }

    #[test]
    fn feast_empty_names_are_no_resource_and_unknown_principal() {
        let ev = parse(r#"{"event_type":"mcp.tools.call","timestamp":1790812803597,"principal":{"username":""},"source":{"ip":""},"resource":{"type":"feature_service","name":""},"outcome":"mcp_error"}"#).unwrap();
        assert!(ev.resources.is_empty());
        assert_eq!(ev.principal, UNKNOWN_PRINCIPAL);
        assert_eq!(ev.source_ip, None);
        assert_eq!(ev.outcome, OutcomeClass::Error);
        assert_eq!(ev.time, Some(1_790_812_803_597_000));
    }

    #[test]
    fn escaped_strings_are_decoded() {
        let ev = parse(r#"{"event_type":"http.request","timestamp":"2026-10-01T00:00:00Z","principal":{"username":"a\u00e9\"b"},"outcome":"success"}"#).unwrap();
        assert_eq!(ev.principal, "aé\"b");
    }

    #[test]
    fn malformed_reasons() {
        assert_eq!(parse("[1,2]").unwrap_err().0, "not a JSON object");
        assert!(parse(r#"{"a":1"#).unwrap_err().0.starts_with("invalid JSON"));
        assert!(parse(r#"{"a":1}"#).unwrap_err().0.starts_with("no known schema"));
        let bad_time = r#"{"event_type":"x","user":"u","timestamp":"yesterday"}"#;
        assert_eq!(parse(bad_time).unwrap_err().0, "invalid `timestamp` 'yesterday'");
        let no_time = r#"{"event_type":"x","user":"u"}"#;
        assert_eq!(parse(no_time).unwrap_err().0, "missing `timestamp`");
    }

    #[test]
    fn a_repeated_key_is_malformed_in_every_mode() {
        let line = r#"{"event_type":"x","user":"u","timestamp":"2026-10-01T00:00:00Z","extra":{"k":1,"k":2}}"#;
        assert_eq!(parse(line).unwrap_err().0, r#"duplicate key "k""#);
        let mut map = FieldMap::default();
        map.add("principal=user").unwrap();
        map.add("time=timestamp").unwrap();
        let custom = LineParser::new(SchemaMode::Custom(map));
        assert!(custom.parse_payload(line.replace("\"k\":2", "\"j\":2").as_bytes(), None).is_ok());
        assert_eq!(custom.parse_payload(line.as_bytes(), None).unwrap_err().0, r#"duplicate key "k""#);
    }

    /// An object of many keys nobody reads costs a lookup each, not a
    /// comparison with every other.
    #[test]
    fn many_unread_keys_are_checked_in_linear_time() {
        let keys: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\":0")).collect();
        let line = format!(r#"{{"event_type":"x","user":"u","timestamp":"2026-10-01T00:00:00Z",{}}}"#, keys.join(","));
        let t = std::time::Instant::now();
        assert!(parse(&line).is_ok());
        let dup = line.replacen("\"k7\":0", "\"k8\":0", 1);
        assert_eq!(parse(&dup).unwrap_err().0, r#"duplicate key "k8""#);
        assert!(t.elapsed() < std::time::Duration::from_secs(10), "{:?}", t.elapsed());
    }

    /// An event without a time of its own takes its envelope's; one with a
    /// time keeps it.
    #[test]
    fn the_envelope_time_is_a_fallback() {
        let p = LineParser::new(SchemaMode::Auto);
        let mut scratch = Vec::new();
        let line = r#"2026-08-21 10:00:00,123 feast.audit INFO: {"event": "online_feature_request", "requestor_id": "a", "status": "success"}"#;
        let ev = p.parse(line.as_bytes(), &mut scratch).unwrap();
        assert_eq!(ev.time, crate::time::parse_rfc3339("2026-08-21T10:00:00.123Z"));
        let mut scratch = Vec::new();
        let own = line.replace(r#""status""#, r#""timestamp": "2026-10-01T00:00:00Z", "status""#);
        let ev = p.parse(own.as_bytes(), &mut scratch).unwrap();
        assert_eq!(ev.time, crate::time::parse_rfc3339("2026-10-01T00:00:00Z"));
        // without an envelope, a missing time is still malformed
        let mut scratch = Vec::new();
        let bare = &line[line.find('{').unwrap()..];
        assert_eq!(p.parse(bare.as_bytes(), &mut scratch).unwrap_err().0, "missing `timestamp`");
    }

    #[test]
    fn forced_schema_rejects_other_shapes() {
        let p = LineParser::new(SchemaMode::Forced(Schema::Flat));
        let feast = r#"{"event_type":"http.request","timestamp":"2026-10-01T00:00:00Z","principal":{"username":"a"},"outcome":"success"}"#;
        assert!(p.parse_payload(feast.as_bytes(), None).unwrap_err().0.starts_with("not a flat event"));
    }
}
