//! Envelopes: what loggers and container runtimes wrap around an event line.
//!
//! Detected per line (`--envelope auto`) or forced: Python logging's
//! `asctime name LEVEL: ` prefix (how Feast's `feast.audit` logger writes
//! under its CLI), Kubernetes CRI records (`<RFC 3339> stdout F <line>`, long
//! lines split into `P` partials), Docker's json-file records
//! (`{"log":"<line>\n","stream":…,"time":…}`, long lines split into records
//! without the `\n`), and syslog (RFC 5424, RFC 3164 and rsyslog's file
//! format). The envelope's time is kept as a fallback for events without one.
//! An envelope only removes a prefix: what is left must still be a JSON
//! object of a known schema, so garbage never becomes an event.

use std::borrow::Cow;

use chrono::TimeZone;
use serde::Deserialize;

use super::Malformed;
use crate::time::{Micros, parse_rfc3339};

/// Which envelope to expect (`--envelope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Envelope {
    /// Detect each line's envelope, if any.
    #[default]
    Auto,
    /// Lines are bare JSON.
    None,
    /// Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`.
    PythonLogging,
    /// Kubernetes CRI container logs: `<time> stdout F {…}`.
    Cri,
    /// Docker's json-file driver: `{"log":"{…}\n","stream":"stdout","time":…}`.
    Docker,
    /// Syslog, RFC 5424 or RFC 3164.
    Syslog,
}

impl Envelope {
    pub fn name(self) -> &'static str {
        match self {
            Envelope::Auto => "auto",
            Envelope::None => "none",
            Envelope::PythonLogging => "python-logging",
            Envelope::Cri => "cri",
            Envelope::Docker => "docker",
            Envelope::Syslog => "syslog",
        }
    }

    /// True when records of this mode may be split into partial lines.
    pub fn may_split(self) -> bool {
        matches!(self, Envelope::Auto | Envelope::Cri | Envelope::Docker)
    }
}

/// Whether a container log record is a whole line or a piece of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// A piece that the next record of the same stream continues.
    Partial(Stream),
    /// The last piece of a line split over several records (or a whole line).
    Last(Stream),
}

/// The stream a container record came from; pieces join within one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn parse(s: &[u8]) -> Option<Stream> {
        match s {
            b"stdout" => Some(Stream::Stdout),
            b"stderr" => Some(Stream::Stderr),
            _ => None,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A line with its envelope taken off.
#[derive(Debug)]
pub struct Unwrapped<'a> {
    pub payload: &'a [u8],
    /// The envelope's own time, if it has one.
    pub time: Option<Micros>,
    pub part: Part,
}

impl<'a> Unwrapped<'a> {
    fn whole(payload: &'a [u8], time: Option<Micros>) -> Self {
        Unwrapped { payload, time, part: Part::Whole }
    }
}

/// Takes the envelope off one line. `scratch` holds the payload when it
/// must be decoded (Docker's `log` is a JSON string). A line that matches
/// no envelope is returned whole under `auto`, and refused under a forced one.
pub fn unwrap<'a>(
    mode: Envelope,
    line: &'a [u8],
    scratch: &'a mut Vec<u8>,
    tz: chrono_tz::Tz,
) -> Result<Unwrapped<'a>, Malformed> {
    let start = line.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(line.len());
    let first = line.get(start).copied();
    match mode {
        Envelope::None => Ok(Unwrapped::whole(line, None)),
        Envelope::Auto => {
            // the common case first: a bare JSON line
            if first == Some(b'{') {
                if line[start..].starts_with(br#"{"log":"#) {
                    if let Some(u) = docker(line, scratch) {
                        return Ok(u);
                    }
                }
                return Ok(Unwrapped::whole(line, None));
            }
            let found = match first {
                Some(b'0'..=b'9') => cri(line).or_else(|| syslog(line)).or_else(|| python_logging(line, tz)),
                Some(b'<') | Some(b'A'..=b'Z') => syslog(line),
                _ => None,
            };
            Ok(found.unwrap_or_else(|| Unwrapped::whole(line, None)))
        }
        Envelope::PythonLogging => python_logging(line, tz).ok_or_else(|| not_a("Python logging line", EXAMPLE_PY)),
        Envelope::Cri => cri(line).ok_or_else(|| not_a("CRI log record", EXAMPLE_CRI)),
        Envelope::Docker => docker(line, scratch).ok_or_else(|| not_a("Docker json-file record", EXAMPLE_DOCKER)),
        Envelope::Syslog => syslog(line).ok_or_else(|| not_a("syslog line", EXAMPLE_SYSLOG)),
    }
}

const EXAMPLE_PY: &str = "`2026-08-21 10:00:00,123 feast.audit INFO: {…}`";
const EXAMPLE_CRI: &str = "`2026-11-22T10:00:00.123456789Z stdout F {…}`";
const EXAMPLE_DOCKER: &str = r#"`{"log":"{…}\n","stream":"stdout","time":"…"}`"#;
const EXAMPLE_SYSLOG: &str = "`<134>1 2026-11-22T10:00:00Z host app - - - {…}`";

fn not_a(what: &str, example: &str) -> Malformed {
    Malformed(format!("not a {what} (--envelope expects lines like {example})"))
}

/// The next space-separated token of `line` from `at`, and where the one after starts.
fn token(line: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = line.get(at..)?;
    let end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    (end > 0).then(|| (&rest[..end], (at + end + 1).min(line.len())))
}

/// An RFC 3339 time of the form container runtimes write (with `T`).
fn rfc3339_token(t: &[u8]) -> Option<Micros> {
    if t.len() < 20 || t.get(10) != Some(&b'T') {
        return None;
    }
    parse_rfc3339(std::str::from_utf8(t).ok()?)
}

/// `<RFC 3339 nano> <stdout|stderr> <P|F>[:tags] <content>`.
fn cri(line: &[u8]) -> Option<Unwrapped<'_>> {
    let (time, at) = token(line, 0)?;
    let time = rfc3339_token(time)?;
    let (stream, at) = token(line, at)?;
    let stream = Stream::parse(stream)?;
    let (tags, at) = token(line, at)?;
    let part = match tags.split(|&b| b == b':').next()? {
        b"P" => Part::Partial(stream),
        b"F" => Part::Last(stream),
        _ => return None,
    };
    // the content follows one space; a record of an empty line has none
    let payload = if line[at - 1] == b' ' { &line[at..] } else { &[] };
    Some(Unwrapped { payload, time: Some(time), part })
}

#[derive(Deserialize)]
struct DockerRecord<'a> {
    #[serde(borrow)]
    log: Cow<'a, str>,
    #[serde(borrow, default)]
    stream: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    time: Option<Cow<'a, str>>,
}

/// `{"log":"<line>\n","stream":"stdout","time":"…"}`; a `log` without its
/// `\n` is a piece of a longer line that the next record continues.
fn docker<'a>(line: &[u8], scratch: &'a mut Vec<u8>) -> Option<Unwrapped<'a>> {
    let rec: DockerRecord<'_> = serde_json::from_slice(line).ok()?;
    let stream = rec.stream.as_deref().map(str::as_bytes).and_then(Stream::parse).unwrap_or(Stream::Stdout);
    let time = rec.time.as_deref().and_then(parse_rfc3339);
    let log = rec.log.as_bytes();
    let (content, part) = match log.strip_suffix(b"\n") {
        Some(c) => (c.strip_suffix(b"\r").unwrap_or(c), Part::Last(stream)),
        None => (log, Part::Partial(stream)),
    };
    scratch.clear();
    scratch.extend_from_slice(content);
    Some(Unwrapped { payload: scratch, time, part })
}

/// Python logging's `asctime` (`2026-08-21 10:00:00,123`, in `--tz`), then
/// the logger's name and level before the message: the payload is the
/// message from its first `{`, and the words before it must include a level.
fn python_logging(line: &[u8], tz: chrono_tz::Tz) -> Option<Unwrapped<'_>> {
    if line.len() < 20 || line[10] != b' ' {
        return None;
    }
    let mut end = 19;
    if matches!(line.get(19), Some(b',' | b'.')) {
        end = 20 + line[20..].iter().take_while(|b| b.is_ascii_digit()).count();
    }
    let stamp = std::str::from_utf8(&line[..end]).ok()?.replacen(',', ".", 1);
    // parse_rfc3339 reads a time without offset as UTC; asctime is local time
    let naive = parse_rfc3339(&stamp)?;
    let time = local_to_utc(naive, tz);
    let brace = memchr::memchr(b'{', &line[end..])? + end;
    let head = std::str::from_utf8(&line[end..brace]).ok()?;
    const LEVELS: [&str; 8] = ["DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "NOTSET"];
    let has_level = head
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '[' | ']' | '|'))
        .any(|w| LEVELS.contains(&w));
    has_level.then(|| Unwrapped::whole(&line[brace..], Some(time)))
}

/// A time read as UTC that was written in `tz`.
fn local_to_utc(naive_as_utc: Micros, tz: chrono_tz::Tz) -> Micros {
    if tz == chrono_tz::Tz::UTC {
        return naive_as_utc;
    }
    let Some(naive) = chrono::DateTime::from_timestamp_micros(naive_as_utc).map(|d| d.naive_utc()) else {
        return naive_as_utc;
    };
    match tz.from_local_datetime(&naive).earliest() {
        Some(t) => t.timestamp_micros(),
        None => naive_as_utc,
    }
}

const MONTHS: [&[u8; 3]; 12] =
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// RFC 5424 (`<PRI>1 TIME HOST APP PROCID MSGID SD MSG`), RFC 3164
/// (`[<PRI>]Mmm dd hh:mm:ss HOST TAG: MSG`, no year, so no time kept) and
/// rsyslog's file format (`TIME HOST TAG: MSG` with an RFC 3339 time).
fn syslog(line: &[u8]) -> Option<Unwrapped<'_>> {
    let mut at = 0;
    if line.first() == Some(&b'<') {
        let close = line.iter().take(5).position(|&b| b == b'>')?;
        if close < 2 || !line[1..close].iter().all(u8::is_ascii_digit) {
            return None;
        }
        at = close + 1;
        if line[at..].starts_with(b"1 ") {
            return rfc5424(line, at + 2);
        }
    }
    let rest = &line[at..];
    let (time, after) = if rest.len() >= 16 && MONTHS.iter().any(|m| rest.starts_with(&m[..])) {
        // `Nov 22 10:00:00 ` (the day padded with a space when one digit)
        let ok = rest[3] == b' ' && rest[6] == b' ' && rest[9] == b':' && rest[12] == b':' && rest[15] == b' ';
        if !ok {
            return None;
        }
        (None, at + 16)
    } else {
        let (t, next) = token(line, at)?;
        (Some(rfc3339_token(t)?), next)
    };
    // HOST TAG: MSG — the message starts after the first ": " that follows the tag
    let (_host, tag_at) = token(line, after)?;
    // (a tag has no space: the first space must follow its colon)
    let space = memchr::memchr(b' ', &line[tag_at..])? + tag_at;
    if space == tag_at || line[space - 1] != b':' {
        return None;
    }
    let colon = space - 1;
    let tag = &line[tag_at..colon];
    if tag.is_empty() {
        return None;
    }
    Some(Unwrapped::whole(&line[colon + 2..], time))
}

fn rfc5424(line: &[u8], at: usize) -> Option<Unwrapped<'_>> {
    let (time, mut at) = token(line, at)?;
    let time = if time == b"-" { None } else { Some(rfc3339_token(time)?) };
    for _ in 0..4 {
        // HOSTNAME APP-NAME PROCID MSGID
        at = token(line, at)?.1;
    }
    // STRUCTURED-DATA: `-` or `[id k="v" …]…` (a `]` inside a value is escaped)
    match line.get(at)? {
        b'-' => at += 1,
        b'[' => {
            let mut in_value = false;
            let mut i = at;
            loop {
                let b = *line.get(i)?;
                match b {
                    b'\\' if in_value => i += 1,
                    b'"' => in_value = !in_value,
                    b']' if !in_value && line.get(i + 1) != Some(&b'[') => break,
                    _ => {}
                }
                i += 1;
            }
            at = i + 1;
        }
        _ => return None,
    }
    let msg = match line.get(at) {
        Some(b' ') => &line[at + 1..],
        None => &[][..],
        _ => return None,
    };
    let msg = msg.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(msg);
    Some(Unwrapped::whole(msg, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(line: &str) -> (String, Option<Micros>, Part) {
        let mut scratch = Vec::new();
        let u = unwrap(Envelope::Auto, line.as_bytes(), &mut scratch, chrono_tz::Tz::UTC).unwrap();
        (String::from_utf8(u.payload.to_vec()).unwrap(), u.time, u.part)
    }

    const EV: &str = r#"{"event":"online_feature_request"}"#;

    #[test]
    fn bare_json_is_left_alone() {
        assert_eq!(auto(EV), (EV.to_owned(), None, Part::Whole));
        assert_eq!(auto("garbage").0, "garbage");
    }

    #[test]
    fn python_logging_prefix() {
        let (p, t, part) = auto(&format!("2026-08-21 10:00:00,123 feast.audit INFO: {EV}"));
        assert_eq!((p.as_str(), part), (EV, Part::Whole));
        assert_eq!(t, parse_rfc3339("2026-08-21T10:00:00.123Z"));
        let (p, _, _) = auto(&format!("2026-08-21 10:00:00,123 - feast.audit - WARNING - {EV}"));
        assert_eq!(p, EV);
        // no level word: not a logging prefix, left as it is (and malformed later)
        let line = format!("2026-08-21 10:00:00,123 whatever {EV}");
        assert_eq!(auto(&line).0, line);
        let mut scratch = Vec::new();
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let line = format!("2026-08-21 12:00:00,000 feast.audit INFO: {EV}");
        let u = unwrap(Envelope::PythonLogging, line.as_bytes(), &mut scratch, berlin).unwrap();
        assert_eq!(u.time, parse_rfc3339("2026-08-21T10:00:00Z"), "asctime is local time");
    }

    #[test]
    fn cri_records() {
        let (p, t, part) = auto(&format!("2026-11-22T10:00:00.123456789Z stdout F {EV}"));
        assert_eq!((p.as_str(), part), (EV, Part::Last(Stream::Stdout)));
        assert_eq!(t, parse_rfc3339("2026-11-22T10:00:00.123456Z"));
        let (p, _, part) = auto("2026-11-22T10:00:00.1+01:00 stderr P {\"a\":");
        assert_eq!((p.as_str(), part), ("{\"a\":", Part::Partial(Stream::Stderr)));
        assert_eq!(auto("2026-11-22T10:00:00Z stdout F").0, "");
    }

    #[test]
    fn docker_records() {
        let line =
            r#"{"log":"{\"event\":\"online_feature_request\"}\n","stream":"stdout","time":"2026-11-22T10:00:00.5Z"}"#;
        let (p, t, part) = auto(line);
        assert_eq!((p.as_str(), part), (EV, Part::Last(Stream::Stdout)));
        assert_eq!(t, parse_rfc3339("2026-11-22T10:00:00.5Z"));
        let piece = r#"{"log":"{\"ev","stream":"stderr","time":"2026-11-22T10:00:00.5Z"}"#;
        assert_eq!(auto(piece).2, Part::Partial(Stream::Stderr));
    }

    #[test]
    fn syslog_lines() {
        let (p, t, _) = auto(&format!("<134>1 2026-11-22T10:00:00.000Z host feast 12 - - {EV}"));
        assert_eq!((p.as_str(), t), (EV, parse_rfc3339("2026-11-22T10:00:00Z")));
        let (p, _, _) = auto(&format!(r#"<134>1 2026-11-22T10:00:00Z host feast 12 ID47 [x@1 a="]"] {EV}"#));
        assert_eq!(p, EV);
        let (p, t, _) = auto(&format!("<134>Nov 22 10:00:00 host feast[12]: {EV}"));
        assert_eq!((p.as_str(), t), (EV, None));
        let (p, _, _) = auto(&format!("Nov  2 10:00:00 host feast[12]: {EV}"));
        assert_eq!(p, EV);
        let (p, t, _) = auto(&format!("2026-11-22T10:00:00.123456+00:00 host feast[12]: {EV}"));
        assert_eq!((p.as_str(), t), (EV, parse_rfc3339("2026-11-22T10:00:00.123456Z")));
    }

    /// The message starts after the first `": "` past the host, and only when
    /// the tag before it has no space: the rule syslog's tag follows.
    #[test]
    fn a_syslog_message_starts_after_a_tag_without_spaces() {
        let first_colon_space = |line: &[u8], tag_at: usize| {
            let colon = line[tag_at..].windows(2).position(|w| w == b": ")? + tag_at;
            let tag = &line[tag_at..colon];
            (!tag.is_empty() && !tag.contains(&b' ')).then_some(colon + 2)
        };
        let head = "Nov 22 10:00:00 host ";
        for tag in ["feast[12]:", "feast:", ":", "a:b:", "a b:", "a: b:", "feast[12]", "a::", "a:\t", "", " feast:"] {
            for msg in [EV, " x", "", "a: b", "::"] {
                let line = format!("{head}{tag} {msg}");
                let want = first_colon_space(line.as_bytes(), head.len()).map(|at| &line.as_bytes()[at..]);
                let got = syslog(line.as_bytes()).map(|u| u.payload);
                assert_eq!(got, want, "{line:?}");
            }
        }
    }

    #[test]
    fn forced_envelopes_refuse_other_lines() {
        let mut s = Vec::new();
        let e = unwrap(Envelope::Cri, EV.as_bytes(), &mut s, chrono_tz::Tz::UTC).unwrap_err();
        assert!(e.0.starts_with("not a CRI log record"), "{e}");
        let e = unwrap(Envelope::Docker, EV.as_bytes(), &mut s, chrono_tz::Tz::UTC).unwrap_err();
        assert!(e.0.starts_with("not a Docker"), "{e}");
    }
}
