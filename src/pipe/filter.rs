//! `fsaudit filter`: the input lines that pass the shared filters, byte for
//! byte and in input order; or those that do not (`--invert`, malformed and
//! blank lines included, so a split loses nothing); or one canonical JSON
//! event per line (`--normalize`); or just how many (`--count`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::push_line;
use crate::engine::Emitted;
use crate::event::{Event, OutcomeClass, Schema};
use crate::filter::Filter;
use crate::input::{Chunk, ChunkKind};
use crate::schema::LineParser;
use crate::stats::TimeRange;
use crate::time::format_millis;

/// What to print for each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Matching lines as they were.
    Lines,
    /// Lines that do not match, as they were.
    Invert,
    /// Matching events in one shape.
    Normalize,
    /// Nothing: count the lines that would be printed.
    Count { invert: bool },
    /// Matching events as table or CSV rows ([`FilterJob::rows`]).
    Rows,
}

/// The shape `--normalize` prints, the same for every schema.
#[derive(Debug, Serialize)]
pub struct Normalized<'e> {
    pub time: Option<String>,
    pub event_type: &'e str,
    pub principal: &'e str,
    pub roles: Vec<String>,
    pub source_ip: Option<&'e str>,
    pub resources: Vec<&'e str>,
    pub actions: Vec<String>,
    pub outcome: OutcomeClass,
    pub raw_outcome: Option<&'e str>,
    pub status: Option<u16>,
    pub latency_ms: Option<f64>,
    pub request_id: Option<&'e str>,
    pub endpoint: Option<&'e str>,
    pub method: Option<&'e str>,
    pub resource_type: Option<&'e str>,
    pub auth_type: Option<&'e str>,
    pub transport: Option<&'e str>,
    pub row_count: Option<u64>,
    pub schema: Schema,
}

impl<'e> Normalized<'e> {
    pub fn of(ev: &'e Event<'e>) -> Self {
        Normalized {
            time: ev.time.map(format_millis),
            event_type: &ev.event_type,
            principal: &ev.principal,
            roles: ev.roles(),
            source_ip: ev.source_ip.as_deref(),
            resources: ev.resources.as_slice().iter().map(|r| r.as_ref()).collect(),
            actions: ev.actions(),
            outcome: ev.outcome,
            raw_outcome: ev.raw_outcome.as_deref(),
            status: ev.status,
            // the reports' rule: a latency no report may use is none
            latency_ms: ev.latency_ms.filter(|l| crate::stats::latency::acceptable(*l)),
            request_id: ev.request_id.as_deref(),
            endpoint: ev.endpoint.as_deref(),
            method: ev.method.as_deref(),
            resource_type: ev.resource_type.as_deref(),
            auth_type: ev.auth_type.as_deref(),
            transport: ev.transport.as_deref(),
            row_count: ev.row_count,
            schema: ev.schema,
        }
    }
}

/// What the workers of a streaming command saw: well-formed events and
/// their time range, for the line that says why nothing matched.
#[derive(Debug, Default)]
pub struct Seen {
    events: AtomicU64,
    range: Mutex<TimeRange>,
}

impl Seen {
    /// Adds one chunk's events and time range.
    pub fn add(&self, events: u64, range: &TimeRange) {
        self.events.fetch_add(events, Ordering::Relaxed);
        self.range.lock().expect("range lock").merge(range);
    }

    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    pub fn range(&self) -> TimeRange {
        *self.range.lock().expect("range lock")
    }
}

/// Counts of one chunk: lines printed (or counted), and lines too long to print.
pub struct FilterJob<'a> {
    pub parser: &'a LineParser,
    pub filter: &'a Filter,
    pub mode: Mode,
    pub max_line: usize,
    pub seen: &'a Seen,
    /// The row layout of [`Mode::Rows`].
    pub rows: Option<&'a super::rows::Rows>,
    /// Each chunk's malformed lines, reported by file and line at the end.
    pub notes: &'a Mutex<Vec<super::ChunkNote>>,
    /// How many malformed lines are reported.
    pub samples: usize,
}

impl FilterJob<'_> {
    /// Writes the chunk's output into `out`; returns how many lines it selected.
    pub fn process(&self, chunk: &Chunk, emitted: &mut Emitted) -> u64 {
        let mut note = super::ChunkNote::of(chunk);
        let selected = self.lines(chunk, emitted, &mut note);
        self.notes.lock().expect("notes lock").push(note);
        selected
    }

    fn lines(&self, chunk: &Chunk, emitted: &mut Emitted, note: &mut super::ChunkNote) -> u64 {
        if let ChunkKind::Oversized { .. } = chunk.kind {
            // not kept in memory, so not printable: counted for --invert
            let counted = matches!(self.mode, Mode::Invert | Mode::Count { invert: true });
            if counted {
                emitted.selected_unseen();
            }
            return u64::from(counted);
        }
        let mut selected = 0;
        if let (Mode::Rows, Some(rows), 0) = (self.mode, self.rows, chunk.seq) {
            rows.header(&mut emitted.bytes);
        }
        let (mut events, mut range) = (0, TimeRange::default());
        let mut reader = crate::schema::LineReader::with_max_line(self.max_line);
        let mut scratch = Vec::new();
        note.lines = self.parser.each_line(&mut reader, chunk.bytes(), |line| {
            let event = if line.is_blank() {
                None
            } else if line.content.len() > self.max_line {
                let why = format!("a line of {} bytes, longer than --max-line-bytes", line.content.len());
                note.malformed(line.number, why, self.samples);
                None
            } else {
                match line.parse(self.parser, &mut scratch) {
                    Ok(ev) => {
                        events += 1;
                        if let Some(t) = ev.time {
                            range.observe(t);
                        }
                        Some(ev).filter(|ev| self.filter.matches(ev))
                    }
                    Err(m) => {
                        note.malformed(line.number, m.0, self.samples);
                        None
                    }
                }
            };
            let out = &mut emitted.bytes;
            match (self.mode, event) {
                (Mode::Lines, Some(_)) | (Mode::Invert, None) => line.raw().for_each(|raw| push_line(out, raw)),
                (Mode::Normalize, Some(ev)) => {
                    serde_json::to_writer(&mut *out, &Normalized::of(&ev)).expect("writing to memory");
                    out.push(b'\n');
                }
                (Mode::Rows, Some(ev)) => {
                    if let Some(rows) = self.rows {
                        rows.row(out, &Normalized::of(&ev));
                    }
                }
                (Mode::Count { invert }, ev) if ev.is_some() != invert => {}
                _ => return,
            }
            selected += 1;
            emitted.selected(line.content);
        });
        self.seen.add(events, &range);
        selected
    }
}
