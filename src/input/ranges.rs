//! Plain files read by the workers themselves: the reader thread only cuts
//! a file into ranges of whole lines (reading a few kilobytes around each
//! cut), and each worker reads its own ranges with positional reads, so
//! reading scales with the workers and no byte is copied twice.
//!
//! A cut is where the first line after a nominal offset starts; with an
//! envelope whose records may be split over lines it moves back to the
//! first open piece ([`safe_cut`]), as the streaming chunker's cuts do, and
//! a run of pieces too long to place a cut in just makes the range longer.
//! Cuts only ever move forward, so ranges never overlap nor leave a gap. A
//! line longer than the maximum (which a worker could not hold) hands the
//! rest of the file to the streaming chunker, which skips such lines in
//! bounded memory.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use crate::schema::envelope::Envelope;
use crate::schema::lines::{might_be_split, safe_cut};

/// A range of whole lines of a plain file, for a worker to read.
#[derive(Debug)]
pub struct FileRange {
    pub file: std::sync::Arc<File>,
    pub start: u64,
    pub len: usize,
}

/// Bytes read around a nominal cut to find the line start after it.
const PROBE: usize = 4096;
/// Bytes looked back from a cut for the open pieces of a split record.
const LOOK_BACK: usize = 64 * 1024;

/// Where the next range ends.
#[derive(Debug, PartialEq, Eq)]
pub enum Cut {
    /// A line starts here (or the file ends here).
    At(u64),
    /// No cut can be placed near the nominal offset (split pieces all
    /// around it): try one range further on.
    None,
    /// A line longer than `max_line` runs past the nominal offset: the rest
    /// of the file from the last cut is streamed.
    LongLine,
}

/// Reads `buf.len()` bytes at `at`; fewer only at the end of the file,
/// which may come early when the file shrank while it was read (the
/// caller reports that: see [`shrank`]). Returns the bytes read.
pub fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match file.read_at(&mut buf[done..], at + done as u64) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// The error of a file that ended before the size it had when the run
/// began: what was read is counted, and the run reports the input as not
/// read to its end (exit 2), as it does a truncated gzip member; never a
/// verdict over part of a file that looks like the whole of it.
pub fn shrank() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the file shrank while it was read (truncated or rotated in place?): \
         the lines past its new end were not read",
    )
}

/// The cut after `nominal` (`last` < `nominal` < `size`; `last` is the
/// previous cut, a line start).
pub fn cut_after(
    file: &File,
    last: u64,
    nominal: u64,
    size: u64,
    max_line: usize,
    envelope: Envelope,
) -> io::Result<Cut> {
    let mut block = vec![0u8; PROBE];
    // the line start at or after `nominal`: just after the first `\n` at or after nominal - 1
    let mut from = nominal - 1;
    let end = loop {
        let n = read_at(file, &mut block, from)?;
        if let Some(p) = memchr::memchr(b'\n', &block[..n]) {
            break from + p as u64 + 1;
        }
        // fewer bytes than asked: the end of the file (which may have shrunk since it was opened)
        if n < block.len() {
            return Ok(Cut::At(size));
        }
        from += n as u64;
        if from - nominal > max_line as u64 {
            return Ok(Cut::LongLine);
        }
        if from >= size {
            return Ok(Cut::At(size));
        }
    };
    if end - nominal > max_line as u64 {
        return Ok(Cut::LongLine);
    }
    if end >= size {
        return Ok(Cut::At(size));
    }
    if !envelope.may_split() {
        return Ok(Cut::At(end));
    }
    // a last line that cannot be a piece (bare JSON, the common case) ends
    // no split record: a few kilobytes before the cut settle that
    let back = (end - last).min(PROBE as u64) as usize;
    let mut window = vec![0u8; back];
    if read_at(file, &mut window, end - back as u64)? < back {
        // the file shrank under the cut: its end is near
        return Ok(Cut::At(end));
    }
    let line_start = memchr::memrchr(b'\n', &window[..back - 1]).map(|p| p + 1);
    if let Some(start) = line_start.or((end - back as u64 == last).then_some(0))
        && !might_be_split(&window[start..back - 1])
    {
        return Ok(Cut::At(end));
    }
    // the lines before the cut, from a line start, for the open pieces of split records
    let back = (end - last).min(LOOK_BACK as u64) as usize;
    let mut window = vec![0u8; back];
    if read_at(file, &mut window, end - back as u64)? < back {
        return Ok(Cut::At(end));
    }
    let aligned = if end - back as u64 == last {
        0
    } else {
        match memchr::memchr(b'\n', &window[..back - 1]) {
            Some(p) => p + 1,
            // one line fills the window: it is the last line, and whole or not, the cut stays
            None => return Ok(Cut::At(end)),
        }
    };
    let cut = safe_cut(&window[aligned..], envelope);
    if cut == 0 {
        return Ok(Cut::None);
    }
    Ok(Cut::At(end - back as u64 + (aligned + cut) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cuts of a file for a target range size, as the engine makes them.
    fn cuts(file: &File, size: u64, target: u64, max_line: usize, envelope: Envelope) -> Vec<u64> {
        let (mut last, mut nominal, mut out) = (0, target, vec![0]);
        while last < size {
            if nominal >= size {
                out.push(size);
                break;
            }
            match cut_after(file, last, nominal, size, max_line, envelope).unwrap() {
                Cut::At(end) => {
                    assert!(end > last, "cuts move forward");
                    out.push(end);
                    last = end;
                    nominal = end + target;
                }
                Cut::None => nominal += target,
                Cut::LongLine => panic!("no line is that long"),
            }
        }
        out
    }

    #[test]
    fn cuts_fall_on_line_starts_and_never_inside_a_split_record() {
        let p = "2026-11-22T10:00:00Z stdout P {\"a\":\n";
        let f = "2026-11-22T10:00:00Z stdout F 1}\n";
        let text = format!("{{}}\n{p}{p}{f}{{\"b\":2}}\n{p}{f}{{}}\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cri.log");
        std::fs::write(&path, &text).unwrap();
        let file = File::open(&path).unwrap();
        let size = text.len() as u64;
        for target in 1..size + 2 {
            for envelope in [Envelope::Auto, Envelope::None] {
                let cuts = cuts(&file, size, target, 1000, envelope);
                for &c in &cuts[1..cuts.len() - 1] {
                    assert_eq!(text.as_bytes()[c as usize - 1], b'\n', "target {target}: a cut at a line start");
                    if envelope == Envelope::Auto {
                        let before = text[..c as usize].lines().last().unwrap();
                        assert!(!before.contains(" P "), "target {target}: a cut after a piece: {cuts:?}");
                    }
                }
                assert_eq!(*cuts.last().unwrap(), size);
            }
        }
    }

    #[test]
    fn a_line_longer_than_the_limit_is_a_long_line() {
        let text = format!("{{}}\n{}\n{{}}\n", "x".repeat(10_000));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.log");
        std::fs::write(&path, &text).unwrap();
        let file = File::open(&path).unwrap();
        let size = text.len() as u64;
        assert_eq!(cut_after(&file, 0, 100, size, 1000, Envelope::None).unwrap(), Cut::LongLine);
        assert_eq!(cut_after(&file, 0, 100, size, 20_000, Envelope::None).unwrap(), Cut::At(10_004));
    }
}
