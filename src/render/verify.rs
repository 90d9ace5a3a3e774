//! `verify` (verdict first, then breaks) and `seal` for people, and as CSV.

use std::io::Write;

use comfy_table::{Cell, Color};

use super::table::{Style, thousands};
use crate::report::verify::{SealReport, SealStatus, Status, VerifyReport};

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Intact => "intact",
        Status::Broken => "broken",
        Status::Unverified => "unverified",
    }
}

pub fn table<W: Write>(out: &mut W, r: &VerifyReport, style: Style) -> anyhow::Result<()> {
    let files = r.files.len();
    let verdict = match r.status {
        // an input not read whole: whatever was found in the rest
        _ if r.incomplete => "NOT VERIFIED (input incomplete)",
        Status::Intact => "INTACT",
        Status::Broken => "BROKEN",
        Status::Unverified if r.intact => "UNVERIFIED (allowed)",
        Status::Unverified => "UNVERIFIED",
    };
    let verdict = if style.color {
        format!("\x1b[1;{}m{verdict}\x1b[0m", if r.status == Status::Intact && !r.incomplete { 32 } else { 31 })
    } else {
        verdict.to_owned()
    };
    let damaged = r.files.iter().filter(|f| f.status == Status::Broken).count();
    let unverified = r.files.iter().filter(|f| f.status == Status::Unverified).count();
    let what = if files == 0 {
        "no file read".to_owned()
    } else if r.status == Status::Unverified && unverified > 0 {
        format!("nothing vouches for {unverified} of {files} file{}", if files == 1 { "" } else { "s" })
    } else if r.breaks.is_empty() {
        format!("{} file{}", files, if files == 1 { "" } else { "s" })
    } else {
        format!(
            "{} break{} in {damaged} of {files} file{}",
            thousands(r.breaks.len() as u64),
            if r.breaks.len() == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        )
    };
    writeln!(
        out,
        "{verdict}: {what}; {} entries, {} verified, {} unsealed",
        thousands(r.entries),
        thousands(r.verified),
        thousands(r.unsealed)
    )?;
    if !r.breaks.is_empty() {
        let header = ["file", "line", "kind", "detail"];
        let mut t = style.table(&header);
        for b in &r.breaks {
            let kind =
                serde_json::to_value(b.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let kind = if style.color { Cell::new(kind).fg(Color::Red) } else { Cell::new(kind) };
            t.add_row(vec![
                Cell::new(super::safe(&b.path)),
                style.right(b.line.map(thousands).unwrap_or_else(|| "-".into())),
                kind,
                Cell::new(super::safe(&b.detail)),
            ]);
        }
        writeln!(out, "\n{}", style.show_paths(t, false))?;
    }
    if let Some(m) = &r.latest_manifest {
        writeln!(
            out,
            "\nNewest manifest accepted: {} (#{}), sha256 {}\n(compare it with the digest published elsewhere, or pass --expect-latest)",
            super::safe(&m.path),
            m.sequence,
            m.sha256
        )?;
    }
    for tail in &r.unsealed_tails {
        let never = r.files.iter().any(|f| f.path == tail.path && f.sealed_lines.is_none());
        if never {
            writeln!(
                out,
                "\n{}: {} line{}, not sealed yet (a file after the newest sealed one: seal it to cover them, or \
                 --allow-unverified accepts it)",
                super::safe(&tail.path),
                thousands(tail.lines),
                if tail.lines == 1 { "" } else { "s" },
            )?;
        } else {
            writeln!(
                out,
                "\n{}: {} line{} appended after sealing, from line {} (not damage; seal again to cover them)",
                super::safe(&tail.path),
                thousands(tail.lines),
                if tail.lines == 1 { " was" } else { "s were" },
                thousands(tail.first_line)
            )?;
        }
    }
    // a manifest still under the file's old name (before `seal` moves it);
    // one moved along already says its old name in JSON only (`sealed_as`)
    let elsewhere = |f: &&crate::report::verify::FileVerdict| {
        let names = [Some(f.path.as_str()), crate::input::uncompressed_name(&f.path)];
        let own = |m: &str| names.into_iter().flatten().any(|n| m.strip_prefix(n) == Some(".seal.json"));
        f.manifest.as_deref().is_some_and(|m| !own(m))
    };
    for f in r.files.iter().filter(|f| f.sealed_as.is_some()).filter(elsewhere) {
        writeln!(
            out,
            "\n{}: sealed as {} (renamed by rotation since), checked against {}",
            super::safe(&f.path),
            super::safe(f.sealed_as.as_deref().unwrap_or_default()),
            super::safe(f.manifest.as_deref().unwrap_or("-")),
        )?;
    }
    if r.files.is_empty() {
        return Ok(());
    }
    let mut t = style.table(&["file", "entries", "verified", "by", "unsealed", "sealed lines", "status"]);
    for f in &r.files {
        t.add_row(vec![
            Cell::new(super::safe(&f.path)),
            style.count(f.entries, None),
            style.count(f.verified, None),
            Cell::new(f.verified_by.unwrap_or("-")),
            style.count(f.unsealed, None),
            style.right(f.sealed_lines.map(thousands).unwrap_or_else(|| "-".into())),
            Cell::new(status_name(f.status)),
        ]);
    }
    writeln!(out, "\n{}", style.show_paths(t, false))?;
    Ok(())
}

/// One row per break.
pub fn csv<W: Write>(out: &mut W, r: &VerifyReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    w.write_record(["path", "line", "kind", "detail"])?;
    for b in &r.breaks {
        let kind = serde_json::to_value(b.kind)?.as_str().unwrap_or_default().to_owned();
        w.write_record([b.path.clone(), b.line.map(|l| l.to_string()).unwrap_or_default(), kind, b.detail.clone()])?;
    }
    w.flush()?;
    Ok(())
}

pub fn seal_table<W: Write>(out: &mut W, r: &SealReport, _style: Style) -> anyhow::Result<()> {
    use super::table::counted;
    for s in &r.sealed {
        let (lines, checkpoints) = (counted(s.lines, "line"), counted(s.checkpoints as u64, "checkpoint"));
        // a file's name may hold anything a terminal would act on
        let (path, manifest) = (super::safe(&s.path), super::safe(&s.manifest));
        // a manifest left behind by a rotation that renamed the file
        let moved = s.moved_from.as_deref().map(|m| format!(" (renamed by rotation: moved from {})", super::safe(m)));
        let moved = moved.unwrap_or_default();
        match (s.status, s.lines_before) {
            (SealStatus::Moved, _) => writeln!(
                out,
                "{}: sealed already, unchanged ({lines}, #{} in the series) → {}{moved}",
                path, s.sequence, manifest
            )?,
            (SealStatus::Unchanged, _) => writeln!(
                out,
                "{}: sealed already, unchanged ({lines}, #{} in the series) → {} kept",
                path, s.sequence, manifest
            )?,
            (SealStatus::Extended, Some(before)) => writeln!(
                out,
                "sealed {} again ({lines}, {} since the last seal, {checkpoints}, still #{} in the series) → {}{moved}",
                path,
                thousands(s.lines - before),
                s.sequence,
                manifest
            )?,
            (SealStatus::Resealed, _) => writeln!(
                out,
                "sealed {} again ({lines}, the same as before, {checkpoints}, #{} in the series) → {}{moved}",
                path, s.sequence, manifest
            )?,
            _ => {
                writeln!(out, "sealed {} ({lines}, {checkpoints}, #{} in the series) → {}", path, s.sequence, manifest)?
            }
        }
    }
    Ok(())
}

pub fn seal_csv<W: Write>(out: &mut W, r: &SealReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    // the columns added later come last: scripts reading by place keep working
    w.write_record([
        "path",
        "manifest",
        "lines",
        "checkpoints",
        "sequence",
        "first_event",
        "last_event",
        "status",
        "lines_before",
        "moved_from",
    ])?;
    for s in &r.sealed {
        w.write_record([
            s.path.clone(),
            s.manifest.clone(),
            s.lines.to_string(),
            s.checkpoints.to_string(),
            s.sequence.to_string(),
            s.first_event.clone().unwrap_or_default(),
            s.last_event.clone().unwrap_or_default(),
            s.status.name().to_owned(),
            s.lines_before.map(|l| l.to_string()).unwrap_or_default(),
            s.moved_from.clone().unwrap_or_default(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
