//! `filter --format table|csv`: one row per event, in the normalized shape,
//! streamed in input order. A table's columns have fixed widths (text longer
//! than its column ends in `…`) so rows print as they come, and the whole
//! row fits the terminal.

use super::filter::Normalized;
use crate::render::{Csv, safe};

/// A column of an event row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Time,
    Principal,
    SourceIp,
    EventType,
    Endpoint,
    Resource,
    Outcome,
    Status,
    LatencyMs,
    Roles,
    Actions,
    Method,
    RequestId,
    ResourceType,
    AuthType,
    Transport,
    RawOutcome,
    Schema,
}

const NAMES: [(&str, Field, usize); 18] = [
    ("time", Field::Time, 24),
    ("principal", Field::Principal, 24),
    ("source_ip", Field::SourceIp, 15),
    ("event_type", Field::EventType, 16),
    ("endpoint", Field::Endpoint, 28),
    ("resource", Field::Resource, 24),
    ("outcome", Field::Outcome, 15),
    ("status", Field::Status, 6),
    ("latency_ms", Field::LatencyMs, 10),
    ("roles", Field::Roles, 20),
    ("actions", Field::Actions, 20),
    ("method", Field::Method, 6),
    ("request_id", Field::RequestId, 32),
    ("resource_type", Field::ResourceType, 16),
    ("auth_type", Field::AuthType, 10),
    ("transport", Field::Transport, 9),
    ("raw_outcome", Field::RawOutcome, 12),
    ("schema", Field::Schema, 10),
];

/// The columns shown when `--fields` is not given.
pub const DEFAULT: [Field; 9] = [
    Field::Time,
    Field::Principal,
    Field::SourceIp,
    Field::EventType,
    Field::Endpoint,
    Field::Resource,
    Field::Outcome,
    Field::Status,
    Field::LatencyMs,
];

impl Field {
    pub fn parse(name: &str) -> Result<Field, String> {
        NAMES.iter().find(|(n, _, _)| *n == name.trim()).map(|(_, f, _)| *f).ok_or_else(|| {
            let all: Vec<&str> = NAMES.iter().map(|(n, _, _)| *n).collect();
            format!("--fields: unknown field {name:?} (expected: {})", all.join(", "))
        })
    }

    fn name(self) -> &'static str {
        NAMES.iter().find(|(_, f, _)| *f == self).map(|(n, _, _)| *n).expect("every field is named")
    }

    fn width(self) -> usize {
        NAMES.iter().find(|(_, f, _)| *f == self).map(|(_, _, w)| *w).expect("every field has a width")
    }

    /// How narrow the column may get when a row is too wide (free text
    /// shrinks; times, addresses and numbers do not).
    fn min_width(self) -> usize {
        match self {
            Field::Principal | Field::Endpoint | Field::Resource | Field::Roles | Field::Actions => 10,
            Field::RequestId | Field::EventType | Field::ResourceType | Field::RawOutcome => 8,
            // `unauthenticated` reads as `unauth…`
            Field::Outcome => 7,
            _ => self.width().max(self.name().len()),
        }
    }

    fn right(self) -> bool {
        matches!(self, Field::Status | Field::LatencyMs)
    }

    fn value(self, n: &Normalized<'_>) -> String {
        let opt = |v: Option<&str>| v.unwrap_or("").to_owned();
        match self {
            Field::Time => n.time.clone().unwrap_or_default(),
            Field::Principal => n.principal.to_owned(),
            Field::SourceIp => opt(n.source_ip),
            Field::EventType => n.event_type.to_owned(),
            Field::Endpoint => opt(n.endpoint),
            Field::Resource => n.resources.join(","),
            Field::Outcome => n.outcome.name().to_owned(),
            Field::Status => n.status.map(|s| s.to_string()).unwrap_or_default(),
            Field::LatencyMs => n.latency_ms.map(|l| format!("{l:.3}")).unwrap_or_default(),
            Field::Roles => n.roles.join(","),
            Field::Actions => n.actions.join(","),
            Field::Method => opt(n.method),
            Field::RequestId => opt(n.request_id),
            Field::ResourceType => opt(n.resource_type),
            Field::AuthType => opt(n.auth_type),
            Field::Transport => opt(n.transport),
            Field::RawOutcome => opt(n.raw_outcome),
            Field::Schema => {
                serde_json::to_value(n.schema).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
            }
        }
    }
}

/// How rows are written.
#[derive(Debug, Clone)]
pub struct Rows {
    pub fields: Vec<Field>,
    /// Column widths of a table; `None` for CSV.
    widths: Option<Vec<usize>>,
    /// The table does not fit even at its narrowest: one `name: value`
    /// line per field, a blank line between events.
    vertical: bool,
}

impl Rows {
    /// CSV rows (cells a spreadsheet would run neutralised, unless `--csv-raw`).
    pub fn csv(fields: Vec<Field>) -> Rows {
        Rows { fields, widths: None, vertical: false }
    }

    /// Table rows fitted to `width` columns (`None`: no limit): the widest
    /// free-text column shrinks first, one character at a time, down to its
    /// narrowest; a table that still does not fit becomes vertical records.
    pub fn table(fields: Vec<Field>, width: Option<usize>) -> Rows {
        let mut widths: Vec<usize> = fields.iter().map(|f| f.width().max(f.name().len())).collect();
        let mut vertical = false;
        if let Some(limit) = width {
            let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
            while total(&widths) > limit {
                let widest =
                    (0..fields.len()).filter(|&i| widths[i] > fields[i].min_width()).max_by_key(|&i| widths[i]);
                match widest {
                    Some(i) => widths[i] -= 1,
                    None => {
                        vertical = true;
                        break;
                    }
                }
            }
        }
        Rows { fields, widths: Some(widths), vertical }
    }

    pub fn header(&self, out: &mut Vec<u8>) {
        if self.vertical {
            return;
        }
        let names: Vec<String> = self.fields.iter().map(|f| f.name().to_owned()).collect();
        self.write(out, &names);
    }

    pub fn row(&self, out: &mut Vec<u8>, n: &Normalized<'_>) {
        let values: Vec<String> = self.fields.iter().map(|f| f.value(n)).collect();
        if self.vertical {
            let pad = self.fields.iter().map(|f| f.name().len()).max().unwrap_or(0) + 1;
            for (f, v) in self.fields.iter().zip(&values) {
                let label = format!("{}:", f.name());
                out.extend_from_slice(format!("{label:<pad$} {}\n", safe(v)).as_bytes());
            }
            out.push(b'\n');
            return;
        }
        self.write(out, &values);
    }

    fn write(&self, out: &mut Vec<u8>, cells: &[String]) {
        match &self.widths {
            None => {
                let mut w = Csv::with_buffer(&mut *out, 1024);
                w.write_record(cells).expect("writing to memory");
                w.flush().expect("writing to memory");
                return;
            }
            Some(widths) => {
                let mut line = String::new();
                for (i, (c, &w)) in cells.iter().zip(widths).enumerate() {
                    if i > 0 {
                        line.push_str("  ");
                    }
                    let safe = safe(c);
                    let text = console::truncate_str(&safe, w, "…");
                    let pad = w.saturating_sub(console::measure_text_width(&text));
                    let last = i + 1 == cells.len();
                    if self.fields[i].right() {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(&text);
                    } else {
                        line.push_str(&text);
                        if !last {
                            line.extend(std::iter::repeat_n(' ', pad));
                        }
                    }
                }
                out.extend_from_slice(line.trim_end().as_bytes());
            }
        }
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fit() {
        for limit in [80, 120, 200] {
            let t = Rows::table(DEFAULT.to_vec(), Some(limit));
            let w = t.widths.as_ref().unwrap();
            assert!(t.vertical || w.iter().sum::<usize>() + 2 * (w.len() - 1) <= limit, "{w:?}");
        }
        assert!(Rows::table(DEFAULT.to_vec(), Some(80)).vertical);
        assert!(!Rows::table(DEFAULT.to_vec(), Some(120)).vertical);
        let narrow = Rows::table(vec![Field::Time, Field::Principal, Field::Outcome, Field::Resource], Some(80));
        assert!(!narrow.vertical);
        assert!(Field::parse("nope").is_err());
    }
}
