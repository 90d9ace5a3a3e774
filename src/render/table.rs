//! Table helpers: one look for every command, colour only when asked.

use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table, presets};

use crate::event::OutcomeClass;

/// Whether to colour, decided once from `--color`, `NO_COLOR` and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Stdout is a terminal: fit tables to its width.
    pub terminal: bool,
}

impl Style {
    /// A table whose columns keep their content's width; [`Style::show`]
    /// fits it to the width it is given.
    pub fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED).apply_modifier(comfy_table::modifiers::UTF8_ROUND_CORNERS);
        t.set_content_arrangement(ContentArrangement::Disabled);
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t.set_header(header.iter().map(|h| self.bold(h)));
        t
    }

    /// The width tables must fit: the terminal's, else `COLUMNS`, else none.
    pub fn width_limit(&self) -> Option<usize> {
        if self.terminal {
            return Some(width());
        }
        std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&c: &usize| c > 0)
    }

    /// The table as text that fits [`Style::width_limit`]: as it is when it
    /// fits; else with its columns shortened (text cut with `…`, one line a
    /// row, no column narrower than its header); else as records, one
    /// `column: value` line each (as `psql \x` prints).
    pub fn show(&self, t: Table) -> String {
        self.fit(t, None, self.width_limit())
    }

    /// [`Style::show`] for a table whose first column holds file paths
    /// (in bold with `bold`): shortened, a path keeps its end
    /// (`…pods/feast-1/0.log`), where paths of one directory differ.
    pub fn show_paths(&self, t: Table, bold: bool) -> String {
        self.fit(t, Some((0, bold)), self.width_limit())
    }

    fn fit(&self, mut t: Table, keep_end: Option<(usize, bool)>, limit: Option<usize>) -> String {
        let Some(limit) = limit else { return t.to_string() };
        let fits = |text: &str| text.lines().all(|l| console::measure_text_width(l) <= limit);
        let plain = t.to_string();
        if fits(&plain) {
            return plain;
        }
        let headers: Vec<String> = t.header().map(|h| h.cell_iter().map(Cell::content).collect()).unwrap_or_default();
        let content = t.column_max_content_widths();
        // names (the first column), the last column (reasons, evidence) and
        // long text shrink, the widest first, down to their header or 10
        // characters; numbers, times and short words keep their width
        let n = content.len();
        let header_w = |i: usize| headers.get(i).map_or(1, |h| console::measure_text_width(h));
        let mut widths: Vec<usize> = (0..n).map(|i| usize::from(content[i]).max(header_w(i))).collect();
        let shrinks: Vec<bool> = (0..n).map(|i| i == 0 || i + 1 == n || widths[i] > 16).collect();
        let least: Vec<usize> =
            (0..n).map(|i| if shrinks[i] { header_w(i).max(10).min(widths[i]) } else { widths[i] }).collect();
        // a condensed table draws 3 characters a column and 1 more
        while widths.iter().sum::<usize>() + 3 * n + 1 > limit {
            match (0..n).filter(|&i| widths[i] > least[i]).max_by_key(|&i| widths[i]) {
                Some(i) => widths[i] -= 1,
                None => return records(&t, &headers, limit),
            }
        }
        if let Some((c, bold)) = keep_end.filter(|&(c, _)| c < n && widths[c] < usize::from(content[c])) {
            // comfy-table cuts a cell's end: the column's cells are cut at
            // their start instead (made anew: a cell's text cannot be changed)
            let names: Vec<&str> = headers.iter().map(String::as_str).collect();
            let mut cut = self.table(&names);
            let path = |text: &str| match bold && self.color {
                true => Cell::new(keep_end_of(text, widths[c])).add_attribute(Attribute::Bold),
                false => Cell::new(keep_end_of(text, widths[c])),
            };
            for row in t.row_iter() {
                let cells = row.cell_iter().enumerate().map(|(i, cell)| match i == c {
                    true => path(&cell.content()),
                    false => cell.clone(),
                });
                cut.add_row(cells.collect::<Vec<Cell>>());
            }
            t = cut;
        }
        t.set_content_arrangement(ContentArrangement::Dynamic).set_width(u16::try_from(limit).unwrap_or(u16::MAX));
        t.set_truncation_indicator("…");
        for row in t.row_iter_mut() {
            row.max_height(1);
        }
        for (i, col) in t.column_iter_mut().enumerate() {
            // a constraint's width counts the column's padding (one space each side)
            let w = u16::try_from(widths[i] + 2).unwrap_or(u16::MAX);
            col.set_constraint(comfy_table::ColumnConstraint::Absolute(comfy_table::Width::Fixed(w)));
        }
        let shrunk = t.to_string();
        if fits(&shrunk) {
            return shrunk;
        }
        records(&t, &headers, limit)
    }

    /// A table of plain cells (`(text, right-aligned)`, lines apart by
    /// `\n`) as [`Style::show`] shows the same cells in [`Style::table`]:
    /// drawn directly when it needs no colour and fits as it is (thousands
    /// of rows, as `users` prints, cost a tenth of its run through
    /// comfy-table's per-cell work), else through [`Style::show`].
    pub fn show_plain(&self, header: &[&str], rows: Vec<Vec<(String, bool)>>) -> String {
        let limit = self.width_limit();
        if !self.color {
            let drawn = draw_plain(header, &rows);
            if limit.is_none_or(|limit| drawn.lines().all(|l| console::measure_text_width(l) <= limit)) {
                return drawn;
            }
        }
        let mut t = self.table(header);
        for row in rows {
            t.add_row(row.into_iter().map(|(text, right)| match right {
                true => Cell::new(text).set_alignment(CellAlignment::Right),
                false => Cell::new(text),
            }));
        }
        self.fit(t, None, limit)
    }

    /// A bold cell; text from the log is made safe to print ([`super::safe`]).
    pub fn bold(&self, text: &str) -> Cell {
        let c = Cell::new(super::safe(text));
        if self.color { c.add_attribute(Attribute::Bold) } else { c }
    }

    /// A right-aligned count, coloured by class when it is not zero.
    pub fn count(&self, n: u64, class: Option<OutcomeClass>) -> Cell {
        let c = Cell::new(thousands(n)).set_alignment(CellAlignment::Right);
        match (self.color && n > 0, class) {
            (true, Some(OutcomeClass::Denied)) => c.fg(Color::Red),
            (true, Some(OutcomeClass::Unauthenticated)) => c.fg(Color::Magenta),
            (true, Some(OutcomeClass::Error)) => c.fg(Color::Yellow),
            (true, Some(OutcomeClass::Success)) => c.fg(Color::Green),
            _ => c,
        }
    }

    /// A risk score, red from 50 and yellow from 25.
    pub fn risk(&self, score: u32) -> Cell {
        let c = Cell::new(score).set_alignment(CellAlignment::Right);
        match (self.color, score) {
            (true, 50..) => c.fg(Color::Red).add_attribute(Attribute::Bold),
            (true, 25..) => c.fg(Color::Yellow),
            _ => c,
        }
    }

    /// Wraps `text` in the colour of an outcome class (nothing without colour).
    pub fn paint(&self, text: &str, class: OutcomeClass) -> String {
        if !self.color || text.is_empty() {
            return text.to_owned();
        }
        let code = match class {
            OutcomeClass::Success => "32",
            OutcomeClass::Denied => "31",
            OutcomeClass::Unauthenticated => "35",
            OutcomeClass::Error => "33",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    pub fn right(&self, text: String) -> Cell {
        Cell::new(super::safe(&text)).set_alignment(CellAlignment::Right)
    }

    pub fn heading(&self, text: &str) -> String {
        if self.color { format!("\x1b[1m{text}\x1b[0m") } else { text.to_owned() }
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A latency for people, with every digit it was written with and at
/// least three decimals: `12.346 ms`, `0.500 ms`, `20.6565 ms`; from a
/// second on in seconds (`1.2345 s`, the decimal point moved, not
/// rounded); `-` when there is none.
pub fn ms(v: Option<f64>) -> String {
    let Some(v) = v else { return "-".to_owned() };
    // the shortest text that reads back as v: the digits of the input
    let text = format!("{v}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    if v >= 1000.0 && !text.contains('e') {
        let (s, rest) = int.split_at(int.len() - 3);
        let frac = format!("{rest}{frac}");
        let frac = frac.trim_end_matches('0');
        return format!("{s}.{frac:0<2} s");
    }
    if text.contains('e') || frac.len() > 6 {
        return format!("{v:.6} ms");
    }
    format!("{int}.{frac:0<3} ms")
}

/// A ratio as a percentage, `-` when undefined.
pub fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.2}%", v * 100.0)).unwrap_or_else(|| "-".to_owned())
}

/// Bytes for people: `1.2 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[unit]) }
}

/// `2026-10-01T00:03:41.692Z` → `2026-10-01 00:03` for tables; `-` for none.
pub fn short_time(t: Option<&str>) -> String {
    match t {
        Some(t) if t.len() >= 16 => t[..16].replacen('T', " ", 1),
        Some(t) => t.to_owned(),
        None => "-".to_owned(),
    }
}

/// The text [`Style::table`] draws for these cells without colour, at
/// their own width: rounded corners, `┆` between columns, a space each
/// side of a cell, the header ruled off with `═`, no rule between rows, a
/// cell of several lines making its row as tall.
fn draw_plain(header: &[&str], rows: &[Vec<(String, bool)>]) -> String {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| console::measure_text_width(h)).collect();
    for row in rows {
        for (i, (text, _)) in row.iter().enumerate().take(n) {
            for line in text.split('\n') {
                widths[i] = widths[i].max(console::measure_text_width(line));
            }
        }
    }
    let rule = |left: &str, fill: &str, cross: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(cross))
    };
    let mut out = rule("╭", "─", "┬", "╮");
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = (&str, bool)>| {
        out.push('│');
        for (i, (text, right)) in cells.enumerate() {
            if i > 0 {
                out.push('┆');
            }
            let pad = " ".repeat(widths[i] - console::measure_text_width(text));
            out.push(' ');
            if right {
                out.push_str(&pad);
                out.push_str(text);
            } else {
                out.push_str(text);
                out.push_str(&pad);
            }
            out.push(' ');
        }
        out.push_str("│\n");
    };
    line(&mut out, &mut header.iter().map(|h| (*h, false)));
    out.push_str(&rule("╞", "═", "╪", "╡"));
    for row in rows {
        let lines: Vec<Vec<&str>> =
            (0..n).map(|i| row.get(i).map_or(vec![""], |(t, _)| t.split('\n').collect())).collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let mut cells = (0..n).map(|i| (lines[i].get(k).copied().unwrap_or(""), row.get(i).is_some_and(|c| c.1)));
            line(&mut out, &mut cells);
        }
    }
    out.push_str(&rule("╰", "─", "┴", "╯"));
    out.pop();
    out
}

/// The width to lay text out in: the terminal's, else `COLUMNS`, else 100.
pub fn width() -> usize {
    console::Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols))
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .unwrap_or(100)
}

/// `text` in `width` columns: as it is when it fits, else its end after a `…`.
fn keep_end_of(text: &str, width: usize) -> String {
    if console::measure_text_width(text) <= width {
        return text.to_owned();
    }
    let mut room = width.saturating_sub(1);
    let mut start = text.len();
    for (at, c) in text.char_indices().rev() {
        let w = console::measure_text_width(c.encode_utf8(&mut [0; 4]));
        if w > room {
            break;
        }
        room -= w;
        start = at;
    }
    format!("…{}", &text[start..])
}

/// A table as records: one `column: value` line per cell (long values cut
/// to the width), a blank line between rows.
fn records(t: &Table, headers: &[String], limit: usize) -> String {
    let pad = headers.iter().map(|h| console::measure_text_width(h)).max().unwrap_or(0) + 1;
    let room = limit.saturating_sub(pad + 1).max(8);
    let mut out = String::new();
    for (n, row) in t.row_iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        for (i, cell) in row.cell_iter().enumerate() {
            let label = format!("{}:", headers.get(i).map_or("", String::as_str));
            for (k, line) in cell.content().lines().enumerate() {
                let line = console::truncate_str(line, room, "…");
                if k == 0 {
                    out.push_str(&format!("{label:<pad$} {line}\n"));
                } else {
                    out.push_str(&format!("{:<pad$} {line}\n", ""));
                }
            }
        }
    }
    out.trim_end_matches('\n').to_owned()
}

/// A count and its noun, singular for one: `1 event`, `2,048 events`.
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{} {noun}s", thousands(n)) }
}

/// A span of microseconds for people: `6d 23h 59m`, `42s`.
pub fn span(micros: i64) -> String {
    let secs = micros / 1_000_000;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h {m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What comfy-table draws for the same cells in [`Style::table`].
    fn comfy(header: &[&str], rows: &[Vec<(String, bool)>]) -> String {
        let mut t = Style { color: false, terminal: false }.table(header);
        for row in rows {
            t.add_row(row.iter().map(|(text, right)| match right {
                true => Cell::new(text).set_alignment(CellAlignment::Right),
                false => Cell::new(text),
            }));
        }
        t.to_string()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Every table drawn directly is the one comfy-table draws: wide
        /// and zero-width characters, empty cells, cells of several lines.
        #[test]
        fn plain_tables_are_drawn_as_comfy_table_draws_them(
            columns in 1usize..5,
            cells in prop::collection::vec(("[a-z0-9 ]{0,6}|[é漢字🦀\u{301}]{0,3}|x\ny|\n", any::<bool>()), 0..40),
        ) {
            let header: Vec<String> = (0..columns).map(|i| format!("h{i}")).collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let rows: Vec<Vec<(String, bool)>> = cells.chunks(columns).filter(|c| c.len() == columns).map(<[_]>::to_vec).collect();
            prop_assert_eq!(draw_plain(&header, &rows), comfy(&header, &rows));
        }
    }

    #[test]
    fn a_path_cut_to_fit_keeps_its_end() {
        assert_eq!(keep_end_of("logs/a.log", 10), "logs/a.log");
        assert_eq!(keep_end_of("var/log/pods/feast/0.log", 10), "…ast/0.log");
        assert_eq!(keep_end_of("ünïcödé/0.log", 8), "…é/0.log");
        // two paths of one directory, cut to fit 40 columns: each keeps its name
        let style = Style { color: false, terminal: false };
        let mut t = style.table(&["file", "line", "kind", "detail"]);
        for name in ["feast-server-cri.log", "feast-server-docker.log"] {
            let path = format!("/var/log/pods/feature-store_feast-7d9f/{name}");
            t.add_row(vec![Cell::new(path), Cell::new("1"), Cell::new("malformed"), Cell::new("not JSON")]);
        }
        let shown = style.fit(t.clone(), Some((0, false)), Some(44));
        assert!(shown.lines().all(|l| console::measure_text_width(l) <= 44), "{shown}");
        assert!(shown.contains("…r-cri.log ┆") && shown.contains("…ocker.log ┆"), "{shown}");
        // as `show` cuts it, both end alike
        let cut = style.fit(t, None, Some(44));
        assert!(!cut.contains("cri.log") && !cut.contains("ocker.log"), "{cut}");
    }

    #[test]
    fn people_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(span(((6 * 24 + 23) * 3600 + 59 * 60) * 1_000_000), "6d 23h 59m");
        assert_eq!(ms(Some(1.5)), "1.500 ms");
        assert_eq!(ms(Some(0.5)), "0.500 ms");
        assert_eq!(ms(Some(20.6565)), "20.6565 ms");
        assert_eq!(ms(Some(1234.5)), "1.2345 s");
        assert_eq!(ms(Some(2000.0)), "2.00 s");
        assert_eq!(ms(Some(1.0 / 3.0)), "0.333333 ms");
        assert_eq!(percent(None), "-");
    }
}
