//! The logical lines of a chunk: its physical lines, except that the pieces
//! of a container record split over several lines (CRI `P` records, Docker
//! records without their `\n`) are joined, in order, per stream, and that a
//! CloudTrail file (one JSON document with a `Records` array) is read as one
//! logical line per record. The chunker never cuts a chunk inside a split
//! record, so the pieces of one always reach the same worker.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::envelope::{self, Part};
use super::{LineParser, Malformed};
use crate::event::Event;
use crate::time::Micros;

/// One logical line of a chunk.
#[derive(Debug)]
pub struct Logical<'a> {
    /// The number (from 1, within the chunk) of its first physical line.
    pub number: u64,
    /// The chunk the spans point into.
    pub data: &'a [u8],
    /// Its physical lines (with their endings) in `data`, or for a record
    /// of a CloudTrail document, the record's own bytes.
    pub spans: &'a [(usize, usize)],
    /// What is parsed: the line without its ending, or (when `unwrapped`)
    /// the event text with its envelope already taken off.
    pub content: &'a [u8],
    /// The envelope's time, when `content` is already unwrapped.
    pub unwrapped: Option<Option<Micros>>,
    /// The pieces of a split record whose last piece never came.
    pub unfinished: bool,
}

impl Logical<'_> {
    /// The physical lines as read (for `filter`, which prints lines unchanged).
    pub fn raw(&self) -> impl Iterator<Item = &[u8]> {
        self.spans.iter().map(|&(a, b)| &self.data[a..b])
    }

    pub fn is_blank(&self) -> bool {
        self.content.iter().all(u8::is_ascii_whitespace)
    }

    /// The event text, without its envelope (as it stands when the line
    /// is refused: see [`Logical::text`]).
    pub fn payload<'s>(&'s self, parser: &LineParser, scratch: &'s mut Vec<u8>) -> &'s [u8] {
        self.text(parser, scratch).unwrap_or(self.content)
    }

    /// The event text, without its envelope; why there is none: a split
    /// record whose last piece never came, a line without the envelope
    /// `--envelope` forces.
    pub fn text<'s>(&'s self, parser: &LineParser, scratch: &'s mut Vec<u8>) -> Result<&'s [u8], Malformed> {
        if self.unfinished {
            return Err(Malformed::new(UNFINISHED));
        }
        match self.unwrapped {
            Some(_) => Ok(self.content),
            None => parser.strip_envelope(self.content, scratch),
        }
    }

    /// Parses it (`scratch` holds text an envelope had to decode).
    pub fn parse<'s>(&'s self, parser: &LineParser, scratch: &'s mut Vec<u8>) -> Result<Event<'s>, Malformed> {
        if self.unfinished {
            return Err(Malformed::new(UNFINISHED));
        }
        match self.unwrapped {
            Some(time) => parser.parse_payload(self.content, time),
            None => parser.parse(self.content, scratch),
        }
    }
}

/// Why a split container record whose last piece never came is malformed.
const UNFINISHED: &str = "a container log record split into pieces whose last piece is missing";

/// A split record being put together.
#[derive(Debug, Default)]
struct Pending {
    active: bool,
    first: u64,
    time: Option<Micros>,
    payload: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Pending {
    /// The record its pieces make, as one logical line.
    fn logical<'a>(&'a self, data: &'a [u8], unfinished: bool) -> Logical<'a> {
        Logical {
            number: self.first,
            data,
            spans: &self.spans,
            content: &self.payload,
            unwrapped: Some(self.time),
            unfinished,
        }
    }
}

/// What a worker keeps between chunks to walk logical lines without
/// allocating: buffers for joined pieces and decoded envelopes.
#[derive(Debug)]
pub struct LineReader {
    pending: [Pending; 2],
    scratch: Vec<u8>,
    records: Vec<(usize, usize)>,
    /// The longest physical line read as one: a longer one is handed on
    /// alone (for the caller to report as too long), never joined.
    max_line: usize,
    /// Hand on each record of a CloudTrail document as a logical line
    /// (false: the document is one line, as written).
    documents: bool,
}

impl Default for LineReader {
    fn default() -> Self {
        LineReader {
            pending: Default::default(),
            scratch: Vec::new(),
            records: Vec::new(),
            max_line: usize::MAX,
            documents: true,
        }
    }
}

impl LineReader {
    /// A reader that hands on physical lines longer than `max_line` alone,
    /// ending any split record before them, as the chunker does when it
    /// skips such a line: a record's fate never depends on the chunk size.
    pub fn with_max_line(max_line: usize) -> Self {
        LineReader { max_line, ..LineReader::default() }
    }

    /// The same reader handing on a CloudTrail document as the one line it
    /// is (for `verify`, which vouches for lines as written).
    pub fn documents_whole(self) -> Self {
        LineReader { documents: false, ..self }
    }

    /// Hands on the split records whose last piece has not come, as
    /// unfinished, and forgets them.
    fn unfinished<'a>(&'a mut self, data: &'a [u8], f: &mut impl FnMut(Logical<'_>)) {
        for p in &mut self.pending {
            if std::mem::take(&mut p.active) {
                f(p.logical(data, true));
            }
        }
    }
}

#[derive(Deserialize)]
struct RecordsDocument<'a> {
    #[serde(rename = "Records", borrow)]
    records: Vec<&'a RawValue>,
}

/// True when a line may be a CloudTrail document (`{"Records":[…]}`).
fn is_records_document(content: &[u8]) -> bool {
    let start = content.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(content.len());
    content[start..].starts_with(br#"{"Records":"#) || content[start..].starts_with(br#"{"Records" :"#)
}

impl LineParser {
    /// Calls `f` with every logical line of `data`, in order; returns the
    /// number of physical lines.
    pub fn each_line<F>(&self, reader: &mut LineReader, data: &[u8], mut f: F) -> u64
    where
        F: FnMut(Logical<'_>),
    {
        let mut start = 0usize;
        let mut number = 0u64;
        let enveloped = self.envelope != envelope::Envelope::None;
        while start < data.len() {
            let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p + 1);
            number += 1;
            let span = (start, end);
            let raw = &data[start..end];
            start = end;
            let content = raw.strip_suffix(b"\n").unwrap_or(raw);
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            let single = |content, unwrapped| Logical {
                number,
                data,
                spans: std::slice::from_ref(&span),
                content,
                unwrapped,
                unfinished: false,
            };
            if content.len() > reader.max_line {
                reader.unfinished(data, &mut f);
                f(single(content, None));
                continue;
            }
            if enveloped && has_envelope(content) {
                let scratch = &mut reader.scratch;
                if let Ok(u) = envelope::unwrap(self.envelope, content, scratch, self.tz) {
                    match u.part {
                        Part::Partial(s) => {
                            let p = &mut reader.pending[s.index()];
                            if !p.active {
                                *p = Pending { active: true, first: number, time: u.time, ..std::mem::take(p) };
                                p.payload.clear();
                                p.spans.clear();
                            }
                            p.payload.extend_from_slice(u.payload);
                            p.spans.push(span);
                            continue;
                        }
                        Part::Last(s) if reader.pending[s.index()].active => {
                            let p = &mut reader.pending[s.index()];
                            p.payload.extend_from_slice(u.payload);
                            p.spans.push(span);
                            p.active = false;
                            f(p.logical(data, false));
                            continue;
                        }
                        _ => {
                            f(single(u.payload, Some(u.time)));
                            continue;
                        }
                    }
                }
            }
            if reader.documents && is_records_document(content) {
                if let Ok(doc) = serde_json::from_slice::<RecordsDocument<'_>>(content) {
                    let base = content.as_ptr() as usize - data.as_ptr() as usize;
                    reader.records.clear();
                    for r in &doc.records {
                        let text = r.get().as_bytes();
                        let at = text.as_ptr() as usize - content.as_ptr() as usize + base;
                        reader.records.push((at, at + text.len()));
                    }
                    for span in &reader.records {
                        f(Logical {
                            number,
                            data,
                            spans: std::slice::from_ref(span),
                            content: &data[span.0..span.1],
                            unwrapped: Some(None),
                            unfinished: false,
                        });
                    }
                    continue;
                }
            }
            f(single(content, None));
        }
        reader.unfinished(data, &mut f);
        number
    }
}

/// A cheap look at a line: could it have an envelope? (A bare JSON line,
/// the common case, is told apart by its first byte.)
#[inline]
pub(crate) fn has_envelope(content: &[u8]) -> bool {
    match content.first() {
        // seven bytes compared as one array: no call to `memcmp` a line
        Some(b'{') => content.first_chunk::<7>() == Some(br#"{"log":"#),
        Some(_) => true,
        None => false,
    }
}

/// Could it be a container record (CRI or Docker), which may be split?
pub(crate) fn might_be_split(content: &[u8]) -> bool {
    match content.first() {
        Some(b'0'..=b'9') => true,
        Some(b'{') => content.starts_with(br#"{"log":"#),
        _ => false,
    }
}

/// Where the chunker may cut `data` (whole lines ending in `\n`) so that no
/// split container record straddles two chunks: the start of the earliest
/// piece whose record is not finished within `data`, or `data.len()`.
/// Looks back from the end only while lines look like container records.
pub fn safe_cut(data: &[u8], mode: envelope::Envelope) -> usize {
    if !mode.may_split() {
        return data.len();
    }
    let mut end = data.len();
    let mut cut = data.len();
    let mut closed = [false; 2];
    let mut scratch = Vec::new();
    // a stream's pieces follow each other closely: once a record closed,
    // look a little further back for another stream's open pieces, no more
    let mut since_closed = 0;
    while end > 0 && since_closed < 64 {
        let start = memchr::memrchr(b'\n', &data[..end - 1]).map_or(0, |p| p + 1);
        let line = &data[start..end];
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !might_be_split(line) {
            break;
        }
        let Ok(u) = envelope::unwrap(mode, line, &mut scratch, chrono_tz::Tz::UTC) else { break };
        match u.part {
            Part::Whole => break,
            Part::Last(s) => closed[s.index()] = true,
            Part::Partial(s) => {
                if !closed[s.index()] {
                    cut = start;
                }
            }
        }
        // every earlier piece of a stream whose record closed later is finished
        if closed == [true, true] {
            break;
        }
        if closed != [false, false] {
            since_closed += 1;
        }
        end = start;
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SchemaMode;
    use envelope::Envelope;

    fn logical(text: &str) -> Vec<(u64, String, bool)> {
        let parser = LineParser::new(SchemaMode::Auto);
        let mut reader = LineReader::default();
        let mut out = Vec::new();
        parser.each_line(&mut reader, text.as_bytes(), |l| {
            out.push((l.number, String::from_utf8(l.content.to_vec()).unwrap(), l.unfinished))
        });
        out
    }

    #[test]
    fn cri_pieces_join_per_stream() {
        let text = "2026-11-22T10:00:00Z stdout P {\"a\":\n\
                    2026-11-22T10:00:00Z stderr F other\n\
                    2026-11-22T10:00:00Z stdout P 1,\n\
                    2026-11-22T10:00:00Z stdout F \"b\":2}\n\
                    {\"x\":1}\n";
        let got = logical(text);
        assert_eq!(
            got,
            [(2, "other".into(), false), (1, "{\"a\":1,\"b\":2}".into(), false), (5, "{\"x\":1}".into(), false)]
        );
        let got = logical("2026-11-22T10:00:00Z stdout P {\"a\":\n");
        assert_eq!(got, [(1, "{\"a\":".into(), true)]);
    }

    #[test]
    fn records_document_is_one_line_per_record() {
        let got = logical("{\"Records\":[{\"a\":1},{\"b\":[2]}]}\n{\"c\":3}\n");
        assert_eq!(
            got,
            [(1, "{\"a\":1}".into(), false), (1, "{\"b\":[2]}".into(), false), (2, "{\"c\":3}".into(), false)]
        );
    }

    #[test]
    fn cuts_before_unfinished_pieces() {
        let head = "{\"x\":1}\n";
        let p = "2026-11-22T10:00:00Z stdout P {\"a\":\n";
        let f = "2026-11-22T10:00:00Z stdout F 1}\n";
        let e = "2026-11-22T10:00:00Z stderr F {}\n";
        let text = format!("{head}{p}{p}");
        assert_eq!(safe_cut(text.as_bytes(), Envelope::Auto), head.len());
        let text = format!("{head}{p}{f}");
        assert_eq!(safe_cut(text.as_bytes(), Envelope::Auto), text.len());
        let text = format!("{head}{p}{e}");
        assert_eq!(safe_cut(text.as_bytes(), Envelope::Auto), head.len(), "another stream's line between");
        let text = format!("{p}{p}");
        assert_eq!(safe_cut(text.as_bytes(), Envelope::Auto), 0);
        assert_eq!(safe_cut(text.as_bytes(), Envelope::None), text.len());
    }
}
