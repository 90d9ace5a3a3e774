//! `timeline` as bars a person reads at a glance, and as CSV.
//!
//! Each bucket is a line with its counts and a bar scaled to the busiest
//! bucket and the terminal width; the bar's segments use a different glyph
//! (and colour, on a terminal) per outcome class, and a class with any
//! events always gets at least one glyph, so a single denial stays visible.

use std::io::Write;

use super::csv_opt;
use super::table::{Style, ms, short_time, thousands, width};
use crate::event::OutcomeClass;
use crate::report::timeline::TimelineReport;

const GLYPHS: [(OutcomeClass, char); 4] = [
    (OutcomeClass::Success, '█'),
    (OutcomeClass::Denied, 'D'),
    (OutcomeClass::Unauthenticated, 'U'),
    (OutcomeClass::Error, 'E'),
];
/// Width of the columns before the bar.
const LEFT: usize = 16 + 9 + 8 + 8 + 7 + 12 + 2;

pub fn table<W: Write>(out: &mut W, r: &TimelineReport, style: Style) -> anyhow::Result<()> {
    let busiest = r.buckets.iter().map(|b| b.events).max().unwrap_or(0);
    writeln!(
        out,
        "{} {} in {} of {}; bars scaled to the busiest ({})",
        style.heading("Timeline:"),
        super::table::counted(r.events, "event"),
        super::table::counted(r.buckets.len() as u64, "bucket"),
        r.bucket,
        super::table::counted(busiest, "event"),
    )?;
    let legend: Vec<String> =
        GLYPHS.iter().map(|(c, g)| format!("{} {}", style.paint(&g.to_string(), *c), c)).collect();
    writeln!(out, "{}\n", legend.join("  "))?;
    writeln!(
        out,
        "{:<16} {:>8} {:>7} {:>7} {:>6} {:>11}",
        "start (UTC)", "events", "denied", "unauth", "error", "p99"
    )?;
    let bar_width = width().saturating_sub(LEFT).max(10);
    for b in &r.buckets {
        let counts = GLYPHS.map(|(c, _)| b.outcomes.get(c));
        write!(
            out,
            "{:<16} {:>8} {:>7} {:>7} {:>6} {:>11}  ",
            short_time(Some(&b.start)),
            thousands(b.events),
            thousands(counts[1]),
            thousands(counts[2]),
            thousands(counts[3]),
            ms(b.latency_p99_ms),
        )?;
        for ((class, glyph), n) in GLYPHS.iter().zip(segments(counts, busiest, bar_width)) {
            write!(out, "{}", style.paint(&glyph.to_string().repeat(n), *class))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Glyphs per class for one bucket: proportional to `busiest` over `width`,
/// at least one for any class with events.
fn segments(counts: [u64; 4], busiest: u64, width: usize) -> [usize; 4] {
    if busiest == 0 {
        return [0; 4];
    }
    let mut seg =
        counts.map(|n| if n == 0 { 0 } else { ((n as f64 / busiest as f64 * width as f64).round() as usize).max(1) });
    // a rare class keeps one glyph: the longest segment makes room for it
    let total: usize = seg.iter().sum();
    if total > width {
        if let Some(longest) = (0..4).max_by_key(|&i| seg[i]) {
            seg[longest] = seg[longest].saturating_sub(total - width).max(1);
        }
    }
    seg
}

pub fn csv<W: Write>(out: &mut W, r: &TimelineReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    w.write_record(["start", "events", "success", "denied", "unauthenticated", "error", "latency_p99_ms"])?;
    for b in &r.buckets {
        let mut rec = vec![b.start.clone(), b.events.to_string()];
        rec.extend(OutcomeClass::ALL.map(|c| b.outcomes.get(c).to_string()));
        rec.push(csv_opt(b.latency_p99_ms));
        w.write_record(rec)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn bars_keep_rare_classes_visible() {
        assert_eq!(segments([1000, 1, 0, 2], 1000, 50), [48, 1, 0, 1]);
        assert_eq!(segments([1000, 1, 1, 1], 1000, 50).iter().sum::<usize>(), 50);
        assert_eq!(segments([0, 0, 0, 0], 0, 50), [0, 0, 0, 0]);
        assert_eq!(segments([500, 0, 0, 0], 1000, 50), [25, 0, 0, 0]);
    }
}
