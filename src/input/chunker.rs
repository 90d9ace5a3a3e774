//! Cuts a byte stream into newline-aligned chunks in recycled buffers.
//!
//! A chunk holds whole lines only (the tail of a read is carried into the
//! next buffer), so workers never see half a line. A line longer than the
//! buffer grows the buffer up to the maximum line length; a line longer than
//! that is skipped while streaming and handed on as one oversized line, so
//! memory stays bounded whatever the input.

use std::io::{self, Read};

use crossbeam_channel::Receiver;

use crate::schema::envelope::Envelope;
use crate::schema::lines::safe_cut;

/// What a chunk carries.
#[derive(Debug, PartialEq, Eq)]
pub enum ChunkKind {
    /// Whole lines (the last one may lack its `\n` at end of input).
    Lines,
    /// One line longer than the maximum, not kept; `data` is empty.
    Oversized { bytes: u64 },
}

/// A newline-aligned piece of one input.
#[derive(Debug)]
pub struct Chunk {
    pub input: usize,
    /// Position of the chunk within its input, from 0.
    pub index: u64,
    /// Position of the chunk among all chunks of the run (set by the engine).
    pub seq: u64,
    pub kind: ChunkKind,
    pub data: Vec<u8>,
    /// With `--mmap`: the range of a plain file, mapped (then `data` is empty).
    pub mapped: Option<memmap2::Mmap>,
}

impl Chunk {
    /// The chunk's bytes: its buffer, or the mapped range.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        match &self.mapped {
            Some(m) => m,
            None => &self.data,
        }
    }
}

/// Reads inputs into chunks, reusing buffers that workers hand back.
pub struct Chunker {
    target: usize,
    max_line: usize,
    recycled: Receiver<Vec<u8>>,
    /// Container records split into pieces are never cut between chunks.
    envelope: Envelope,
}

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const SKIP_BLOCK: usize = 64 * 1024;

impl Chunker {
    /// `target` is the chunk size to aim for; `max_line` the longest line kept.
    pub fn new(target: usize, max_line: usize, recycled: Receiver<Vec<u8>>) -> Self {
        Chunker { target: target.max(1), max_line: max_line.max(1), recycled, envelope: Envelope::None }
    }

    /// Keeps the pieces of split container records of `envelope` together.
    pub fn with_envelope(mut self, envelope: Envelope) -> Self {
        self.envelope = envelope;
        self
    }

    fn buffer(&self) -> Vec<u8> {
        match self.recycled.try_recv() {
            Ok(mut b) => {
                b.clear();
                b
            }
            Err(_) => Vec::with_capacity(self.target + 4096),
        }
    }

    /// Reads one input to its end, passing each chunk to `send`, which
    /// returns false to stop early. Returns an error of the underlying reader
    /// (after sending every whole line read before it).
    pub fn read_input(&self, input: usize, r: &mut dyn Read, send: &mut dyn FnMut(Chunk) -> bool) -> io::Result<()> {
        self.read_input_from(input, r, 0, send)
    }

    /// [`Chunker::read_input`] of the rest of an input whose first chunks
    /// (`first_index` of them) were read otherwise: the next chunk is
    /// numbered `first_index`, and a byte order mark is only skipped at
    /// the very start.
    pub fn read_input_from(
        &self,
        input: usize,
        r: &mut dyn Read,
        first_index: u64,
        send: &mut dyn FnMut(Chunk) -> bool,
    ) -> io::Result<()> {
        let mut carry: Vec<u8> = Vec::new();
        if first_index == 0 {
            while carry.len() < UTF8_BOM.len() {
                let want = UTF8_BOM.len() - carry.len();
                if read_up_to(r, &mut carry, want)?.1 == Fill::End {
                    break;
                }
            }
            if carry == UTF8_BOM {
                carry.clear();
            }
        }
        let mut index = first_index;
        let mut emit = |kind: ChunkKind, data: Vec<u8>| {
            let chunk = Chunk { input, index, seq: 0, kind, data, mapped: None };
            index += 1;
            send(chunk)
        };
        // true while the carry holds the pieces of a split record, which may outgrow a chunk
        let mut growing = false;
        loop {
            let mut buf = self.buffer();
            buf.append(&mut carry);
            let least = if growing { buf.len().clamp(4096, self.target.max(4096)) } else { 1 };
            let want = self.target.saturating_sub(buf.len()).max(least);
            let (n, fill) = match read_up_to(r, &mut buf, want) {
                Ok(got) => got,
                Err(e) => {
                    // keep what was read: whole lines go on, the tail too
                    if !buf.is_empty() {
                        emit(ChunkKind::Lines, buf);
                    }
                    return Err(e);
                }
            };
            if n < want && fill == Fill::End {
                if !buf.is_empty() {
                    emit(ChunkKind::Lines, buf);
                }
                return Ok(());
            }
            if fill == Fill::Idle && memchr::memchr(b'\n', &buf).is_none() {
                // the input paused within a line: wait for its end
                carry = buf;
                continue;
            }
            if let Some(pos) = memchr::memrchr(b'\n', &buf) {
                let mut cut = safe_cut(&buf[..pos + 1], self.envelope);
                // pieces longer than a line may be are let go: they are reported unfinished
                if cut == 0 && pos + 1 > self.max_line {
                    cut = pos + 1;
                }
                growing = cut == 0;
                carry.extend_from_slice(&buf[cut..]);
                buf.truncate(cut);
                if growing {
                    continue;
                }
                if !emit(ChunkKind::Lines, buf) {
                    return Ok(());
                }
                continue;
            }
            // No newline in a whole buffer: one line longer than the buffer.
            match self.finish_long_line(r, buf, &mut carry)? {
                LongLine::Kept(mut buf) => {
                    // a long line may be a piece of a split record too: keep it for the next chunk
                    if buf.ends_with(b"\n") && buf.len() <= self.max_line {
                        let cut = safe_cut(&buf, self.envelope);
                        if cut < buf.len() {
                            let mut rest = buf.split_off(cut);
                            rest.append(&mut carry);
                            carry = rest;
                        }
                        growing = cut == 0;
                        if growing {
                            continue;
                        }
                    }
                    if !emit(ChunkKind::Lines, buf) {
                        return Ok(());
                    }
                }
                LongLine::Oversized { bytes, eof } => {
                    if !emit(ChunkKind::Oversized { bytes }, Vec::new()) || eof {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Grows `buf` until the line ends or passes the maximum length.
    fn finish_long_line(&self, r: &mut dyn Read, mut buf: Vec<u8>, carry: &mut Vec<u8>) -> io::Result<LongLine> {
        // a line's length leaves out its ending, `\r\n` as well as `\n`: one
        // byte more than the maximum may be the `\r` of a line that fits
        let room = self.max_line + 1;
        loop {
            if buf.len() > room {
                let mut bytes = buf.len() as u64;
                let cr = buf.last() == Some(&b'\r');
                drop(buf);
                return skip_line(r, carry, &mut bytes, cr).map(|eof| LongLine::Oversized { bytes, eof });
            }
            let start = buf.len();
            let want = start.max(4096).min(room + 1 - start);
            let (n, fill) = read_up_to(r, &mut buf, want)?;
            if let Some(p) = memchr::memchr(b'\n', &buf[start..]) {
                let pos = start + p;
                carry.extend_from_slice(&buf[pos + 1..]);
                let content = without_cr(&buf[..pos]);
                if content > self.max_line {
                    return Ok(LongLine::Oversized { bytes: content as u64, eof: false });
                }
                buf.truncate(pos + 1);
                return Ok(LongLine::Kept(buf));
            }
            if n < want && fill == Fill::End {
                let content = without_cr(&buf);
                if content > self.max_line {
                    return Ok(LongLine::Oversized { bytes: content as u64, eof: true });
                }
                return Ok(LongLine::Kept(buf));
            }
        }
    }
}

/// The length of a line's text without the `\r` of a `\r\n` ending.
fn without_cr(line: &[u8]) -> usize {
    line.len() - usize::from(line.last() == Some(&b'\r'))
}

enum LongLine {
    Kept(Vec<u8>),
    Oversized { bytes: u64, eof: bool },
}

/// Discards the rest of a line; what follows its `\n` goes to `carry`.
/// `bytes` counts the line's text, without its ending (`cr`: the bytes
/// counted so far end in `\r`). Returns true at end of input.
fn skip_line(r: &mut dyn Read, carry: &mut Vec<u8>, bytes: &mut u64, mut cr: bool) -> io::Result<bool> {
    let mut block = vec![0u8; SKIP_BLOCK];
    loop {
        // a line of gigabytes is skipped in blocks: Ctrl-C need not wait for its end
        if crate::engine::interrupted() {
            return Ok(true);
        }
        let n = match r.read(&mut block) {
            Ok(0) => {
                *bytes -= u64::from(cr);
                return Ok(true);
            }
            Ok(n) => n,
            Err(e) if matches!(e.kind(), io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock) => continue,
            Err(e) => return Err(e),
        };
        if let Some(p) = memchr::memchr(b'\n', &block[..n]) {
            let before_cr = if p == 0 { cr } else { block[p - 1] == b'\r' };
            *bytes = *bytes + p as u64 - u64::from(before_cr);
            carry.extend_from_slice(&block[p + 1..n]);
            return Ok(false);
        }
        *bytes += n as u64;
        cr = block[n - 1] == b'\r';
    }
}

/// Why [`read_up_to`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// It read what it was asked for, or the input ended.
    End,
    /// The input paused (a pipe or a followed file with nothing more for now).
    Idle,
}

/// Appends up to `want` bytes: fewer at end of input, or when the input
/// pauses after at least one byte (a reader that says `WouldBlock`).
fn read_up_to(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> io::Result<(usize, Fill)> {
    let start = buf.len();
    loop {
        let left = want - (buf.len() - start);
        // what was read before an error stays in `buf`
        match (&mut *r).take(left as u64).read_to_end(buf) {
            Ok(_) => return Ok((buf.len() - start, Fill::End)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if buf.len() > start {
                    return Ok((buf.len() - start, Fill::Idle));
                }
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(input: &[u8], target: usize, max_line: usize) -> Vec<Chunk> {
        let (_tx, rx) = crossbeam_channel::unbounded();
        let c = Chunker::new(target, max_line, rx);
        let mut out = Vec::new();
        c.read_input(0, &mut &input[..], &mut |ch| {
            out.push(ch);
            true
        })
        .unwrap();
        out
    }

    /// The lines as a worker sees them; lines over `max` (which a worker
    /// reports as too long) are shown as `<length>`.
    fn lines_of(chunks: &[Chunk], max: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for c in chunks {
            match c.kind {
                ChunkKind::Lines => {
                    assert!(c.data.ends_with(b"\n") || std::ptr::eq(c, chunks.last().unwrap()));
                    let text = String::from_utf8(c.data.clone()).unwrap();
                    lines.extend(
                        text.split_terminator('\n')
                            .map(|l| if l.len() > max { format!("<{}>", l.len()) } else { l.to_owned() }),
                    );
                }
                ChunkKind::Oversized { bytes } => lines.push(format!("<{bytes}>")),
            }
        }
        lines
    }

    #[test]
    fn every_line_once_for_any_buffer_size() {
        let text = "a\nbb\n\nccc\ndddd\neeeee\nf";
        for target in 1..30 {
            let got = lines_of(&chunks(text.as_bytes(), target, 1000), 1000);
            assert_eq!(got, ["a", "bb", "", "ccc", "dddd", "eeeee", "f"], "target {target}");
        }
    }

    #[test]
    fn oversized_lines_are_skipped_with_their_length() {
        let text = format!("a\n{}\nb\n{}", "x".repeat(100), "y".repeat(50));
        for target in [1, 4, 16, 64, 200] {
            let got = lines_of(&chunks(text.as_bytes(), target, 20), 20);
            assert_eq!(got, ["a", "<100>", "b", "<50>"], "target {target}");
        }
    }

    #[test]
    fn bom_is_skipped_only_at_the_start() {
        let text = b"\xEF\xBB\xBFa\n\xEF\xBB\xBFb\n";
        let got = chunks(text, 1024, 1024);
        assert_eq!(got[0].data, b"a\n\xEF\xBB\xBFb\n");
    }

    /// A record split into pieces never straddles two chunks, whatever the buffer size.
    #[test]
    fn split_records_stay_in_one_chunk() {
        let p = "2026-11-22T10:00:00Z stdout P {\"a\":\n";
        let f = "2026-11-22T10:00:00Z stdout F 1}\n";
        let text = format!("{{}}\n{p}{p}{f}{{}}\n{p}{f}");
        for target in 1..text.len() + 2 {
            let (_tx, rx) = crossbeam_channel::unbounded();
            let c = Chunker::new(target, 1000, rx).with_envelope(Envelope::Auto);
            let mut out = Vec::new();
            c.read_input(0, &mut text.as_bytes(), &mut |ch| {
                out.push(String::from_utf8(ch.data).unwrap());
                true
            })
            .unwrap();
            assert_eq!(out.concat(), text, "target {target}");
            for chunk in &out {
                let last = chunk.lines().last().unwrap_or_default();
                assert!(!last.contains(" P "), "target {target}: a chunk ends in a piece: {out:?}");
            }
        }
    }

    #[test]
    fn numbers_chunks_in_order() {
        let got = chunks(b"1\n2\n3\n4\n", 2, 100);
        let idx: Vec<u64> = got.iter().map(|c| c.index).collect();
        assert_eq!(idx, (0..got.len() as u64).collect::<Vec<_>>());
    }

    /// A reader that hands out its pieces one read at a time, pausing
    /// (`WouldBlock`) where a piece is `None`.
    struct Paused(std::collections::VecDeque<Option<Vec<u8>>>);

    impl Read for Paused {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.pop_front() {
                None => Ok(0),
                Some(None) => Err(io::ErrorKind::WouldBlock.into()),
                Some(Some(mut piece)) => {
                    let n = piece.len().min(buf.len());
                    buf[..n].copy_from_slice(&piece[..n]);
                    if n < piece.len() {
                        self.0.push_front(Some(piece.split_off(n)));
                    }
                    Ok(n)
                }
            }
        }
    }

    #[test]
    fn a_pause_hands_on_the_whole_lines_read_so_far() {
        let piece = |s: &str| Some(s.as_bytes().to_vec());
        let mut r =
            Paused([piece("one\ntw"), None, None, piece("o\nthr"), None, piece("ee\n"), None, piece("four")].into());
        let (_tx, rx) = crossbeam_channel::unbounded();
        let c = Chunker::new(1 << 20, 100, rx);
        let mut out = Vec::new();
        c.read_input(0, &mut r, &mut |ch| {
            out.push(String::from_utf8(ch.data).unwrap());
            true
        })
        .unwrap();
        // a pause never cuts a line: "tw" waits for "o\n", "thr" for "ee\n"
        assert_eq!(out, ["one\n", "two\n", "three\n", "four"]);
    }
}
