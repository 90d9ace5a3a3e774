//! Output: tables for people, JSON and CSV for machines. Only the main
//! thread renders; workers never print.

mod access;
pub mod anomalies;
pub mod check;
pub mod group;
pub mod html;
pub mod markdown;
pub mod prometheus;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod users;
pub mod verify;
pub mod views;

use std::io::Write;

use serde::Serialize;

/// The `--format` values shared by the report commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// JUnit XML (check only)
    Junit,
    /// GitHub Actions workflow commands (check only)
    Github,
    /// The Prometheus text format (summary, group, check)
    Prometheus,
    /// GitHub-flavoured Markdown (summary, group, users, anomalies, check, report)
    Markdown,
    /// One self-contained HTML page (report only)
    Html,
}

/// One line on stderr after `fsaudit: `, with every character a terminal
/// would act on escaped: the line may quote the log, a path or a flag.
pub fn say(line: std::fmt::Arguments) {
    let line = line.to_string();
    let line = safe(&line);
    if first_time(&line) {
        eprintln!("fsaudit: {line}");
    }
}

/// The lines said while [`say_each_once`] is on.
static SAID: std::sync::Mutex<Option<std::collections::HashSet<String>>> = std::sync::Mutex::new(None);

/// From now on (`on`), a line said before is not said again: `fsaudit
/// report` runs several commands over the same inputs, and an input that
/// cannot be read is one error, not one per command.
pub fn say_each_once(on: bool) {
    *SAID.lock().unwrap_or_else(|e| e.into_inner()) = on.then(Default::default);
}

/// False for a line said before while [`say_each_once`] is on.
pub fn first_time(line: &str) -> bool {
    match SAID.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        Some(said) => said.insert(line.to_owned()),
        None => true,
    }
}

/// Writes one JSON document and a newline.
pub fn write_json<W: Write, T: Serialize>(out: &mut W, doc: &T) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    writeln!(out)?;
    Ok(())
}

static CSV_RAW: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--csv-raw`: write CSV cells exactly, for machine consumers.
pub fn set_csv_raw(raw: bool) {
    CSV_RAW.store(raw, std::sync::atomic::Ordering::Relaxed);
}

/// A CSV writer whose cells cannot run as spreadsheet formulas: a cell
/// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (and is
/// not a plain number) gets a leading `'`, as OWASP advises, unless
/// `--csv-raw`.
pub struct Csv<W: Write> {
    w: csv::Writer<W>,
    raw: bool,
}

impl<W: Write> Csv<W> {
    pub fn new(out: W) -> Self {
        Self::with_buffer(out, 8 * 1024)
    }

    /// A writer with a small buffer, for one row at a time.
    pub fn with_buffer(out: W, bytes: usize) -> Self {
        let w = csv::WriterBuilder::new().buffer_capacity(bytes.max(1)).from_writer(out);
        Csv { w, raw: CSV_RAW.load(std::sync::atomic::Ordering::Relaxed) }
    }

    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        if self.raw {
            return self.w.write_record(record);
        }
        let cells: Vec<std::borrow::Cow<'_, [u8]>> =
            record.into_iter().map(|c| neutralised(c.as_ref()).into_owned().into()).collect();
        self.w.write_record(cells)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// A CSV cell with a leading `'` when a spreadsheet would read it as a formula.
pub fn neutralised(cell: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let risky = matches!(cell.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    let number = std::str::from_utf8(cell).ok().is_some_and(|s| s.parse::<f64>().is_ok_and(f64::is_finite));
    if risky && !number {
        let mut v = Vec::with_capacity(cell.len() + 1);
        v.push(b'\'');
        v.extend_from_slice(cell);
        v.into()
    } else {
        cell.into()
    }
}

/// A character a terminal or a browser would act on rather than show: a
/// control character, or one that reorders or breaks text (bidirectional
/// overrides and isolates, line and paragraph separators, direction marks).
pub fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Text from the log made safe to print for people: control characters
/// (C0, DEL, C1) as `\x1b`, `\n`, `\r`, `\t`, and the invisible bidi
/// controls and line separators as `\u{202e}`, so that a name written into
/// the log cannot move the cursor, retitle the terminal or reorder a line.
pub fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = unsafe_char;
    if !text.chars().any(bad) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if bad(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if bad(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}

/// Report text with its prose lines (not the tables, which
/// [`table::Style::show`] fits) wrapped at words to `limit` columns.
pub fn fit_prose(text: &[u8], limit: Option<usize>) -> Vec<u8> {
    let Some(limit) = limit else { return text.to_vec() };
    let text = String::from_utf8_lossy(text);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let table = body.starts_with(['╭', '│', '╞', '├', '╰', '┆']);
        if table || textwrap::core::display_width(body) <= limit {
            out.push_str(line);
            continue;
        }
        let indent = " ".repeat(body.len() - body.trim_start().len() + 2);
        for part in textwrap::wrap(body, textwrap::Options::new(limit).subsequent_indent(&indent)) {
            out.push_str(&part);
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// Formats a float for CSV as JSON writes it (`5.0`, `0.25`); empty for `None`.
pub fn csv_opt(v: Option<f64>) -> String {
    match v {
        // counts are integers: 596, not 596.0
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        v => v.and_then(|v| serde_json::to_string(&v).ok()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_text_and_cells() {
        assert_eq!(safe("alice"), "alice");
        assert_eq!(safe("a\x1b]0;pwned\x07b\nc\r\t"), "a\\x1b]0;pwned\\x07b\\nc\\r\\t");
        assert_eq!(safe("x\u{202e}y\u{9b}"), "x\\u{202e}y\\x9b");
        for (cell, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1+1", "'+1+1"),
            ("@SUM(1)", "'@SUM(1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("-5", "-5"),
            ("-0.25", "-0.25"),
            ("alice", "alice"),
        ] {
            assert_eq!(neutralised(cell.as_bytes()).as_ref(), want.as_bytes(), "{cell}");
        }
    }
}
