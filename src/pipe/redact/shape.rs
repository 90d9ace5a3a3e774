//! Lines of a shape already seen, rewritten without walking their keys.
//!
//! A logger writes the same keys in the same order on every line; only the
//! values change. After a line has been walked in full ([`super::json`])
//! and rewritten, its *shape* is learnt: its text outside its values that
//! are strings, numbers or literals (the *leaves*), and each leaf's class
//! in the field table. A later line whose text outside its leaves is the
//! learnt text byte for byte, each leaf a complete string, number or
//! literal, is that shape: its keys are the learnt line's, at the same
//! places, so each leaf is at a place of the same class, and the rewrite
//! asks the caller about each leaf (and each key the table does not know)
//! exactly as the walk would, in the same order. Anything else — another
//! key, other spacing, an object or array where a leaf was, a leaf that
//! does not end — and the line is walked in full, which gives the verdict.
//!
//! Why such a line is exactly as valid as the walk says: its text is a
//! valid line's with every leaf replaced by one complete leaf, checked as
//! the walk checks it (a string ends at an unescaped quote and is decoded,
//! which checks its escapes, when the caller reads it; a number or literal
//! follows the walk's grammar). A leaf that fails makes the line a miss,
//! and the walk then reports it.

use super::fields::Class;
use super::json::{Marks, Rewrite, UnknownKey, decode, replace, scalar_end, string_end};
use crate::schema::scan::{Blocks, Pace, keep_first};

/// The shapes kept at once.
const SHAPES: usize = 8;

/// The longest line whose shape is learnt (audit events are a few hundred
/// bytes; a shape costs about a byte of its line).
const MAX_LEARNT_LINE: usize = 16 << 10;

/// One learnt shape.
struct Shape {
    /// The line's text outside its leaves, then sixteen bytes of padding
    /// (compared sixteen bytes at a time).
    text: Box<[u8]>,
    /// Per leaf: where the text before it ends in `text`, that text's
    /// blocks, and the leaf's class.
    leaves: Box<[(usize, Blocks, Class)]>,
    /// The text after the last leaf: its length and blocks.
    tail: (usize, Blocks),
    /// The keys the field table does not know (their quotes' places in
    /// `text`).
    keys: Box<[UnknownKey]>,
    /// Where the outermost object's closing brace is in `text`.
    root_close: usize,
}

/// The shapes of a worker's lines, most recently matched first.
#[derive(Default)]
pub(super) struct Shapes {
    shapes: Vec<Shape>,
    /// The current line's leaves: start, end (exclusive), has escapes.
    spans: Vec<(usize, usize, bool)>,
    /// What the walk of a line that matched no shape saw of it.
    marks: Marks,
    /// When to try and learn shapes.
    pace: Pace,
    /// Lines rewritten by a shape, for the tests.
    #[cfg(test)]
    pub replayed: u64,
}

impl Shapes {
    /// Rewrites `src` to `out` if it is of a shape learnt; false (and
    /// `out` as it was) otherwise.
    pub fn replay<R: Rewrite>(&mut self, src: &str, rw: &mut R, out: &mut Vec<u8>) -> bool {
        if !self.pace.next_line() {
            return false;
        }
        let b = src.as_bytes();
        let Some(k) = self.shapes.iter().position(|shape| shape.matches(b, &mut self.spans)) else {
            return false;
        };
        let start_len = out.len();
        if !self.shapes[k].rewrite(src, &self.spans, rw, out) {
            out.truncate(start_len);
            return false;
        }
        self.shapes[..=k].rotate_right(1);
        self.pace.hit();
        #[cfg(test)]
        {
            self.replayed += 1;
        }
        true
    }

    /// Where the walk of a line that matched no shape marks what it sees
    /// (emptied); `None` while paused.
    pub fn learning(&mut self) -> Option<&mut Marks> {
        if self.pace.paused() {
            return None;
        }
        self.marks.clear();
        Some(&mut self.marks)
    }

    /// Learns the shape of `b`, just walked without error with
    /// [`Shapes::learning`]'s marks, when it is one to keep: an object
    /// with a leaf, not too long.
    pub fn learn(&mut self, b: &[u8]) {
        if self.pace.paused() || self.marks.leaves.is_empty() || b.len() > MAX_LEARNT_LINE {
            return;
        }
        let first = b.iter().position(|c| !c.is_ascii_whitespace());
        let last = b.iter().rposition(|c| !c.is_ascii_whitespace());
        let (Some(first), Some(last)) = (first, last) else { return };
        if b[first] != b'{' {
            return;
        }
        let mut text = Vec::with_capacity(b.len());
        let mut leaves = Vec::with_capacity(self.marks.leaves.len());
        // the bytes of leaves before each leaf: a place in the line less
        // these is its place in `text`
        let mut removed = Vec::with_capacity(self.marks.leaves.len() + 1);
        let mut at = 0;
        for &(start, end, class) in &self.marks.leaves {
            text.extend_from_slice(&b[at..start]);
            removed.push(start - text.len());
            leaves.push((text.len(), Blocks::of(start - at), class));
            at = end;
        }
        removed.push(at - text.len());
        text.extend_from_slice(&b[at..]);
        text.extend_from_slice(&[0; 16]);
        let keys = self
            .marks
            .keys
            .iter()
            .map(|k| UnknownKey { open: k.open - removed[k.before], close: k.close - removed[k.before], ..k.clone() })
            .collect();
        let shape = Shape {
            text: text.into(),
            leaves: leaves.into(),
            tail: (b.len() - at, Blocks::of(b.len() - at)),
            keys,
            root_close: last - removed[self.marks.leaves.len()],
        };
        keep_first(&mut self.shapes, shape, SHAPES);
    }
}

impl Shape {
    /// True when `b` is of this shape; `spans` then holds its leaves.
    fn matches(&self, b: &[u8], spans: &mut Vec<(usize, usize, bool)>) -> bool {
        spans.clear();
        let (mut pos, mut t) = (0, 0);
        for &(stretch_end, blocks, _) in &self.leaves {
            if !blocks.equal(b, pos, &self.text[t..], stretch_end - t) {
                return false;
            }
            pos += stretch_end - t;
            t = stretch_end;
            match b.get(pos) {
                Some(b'"') => {
                    let Ok((end, escaped)) = string_end(b, pos) else { return false };
                    spans.push((pos, end + 1, escaped));
                    pos = end + 1;
                }
                Some(b'{' | b'[') | None => return false,
                Some(_) => {
                    let Ok(end) = scalar_end(b, pos) else { return false };
                    spans.push((pos, end, false));
                    pos = end;
                }
            }
        }
        let (len, blocks) = self.tail;
        pos + len == b.len() && blocks.equal(b, pos, &self.text[t..], len)
    }

    /// Rewrites `src`, which [`Shape::matches`] (its leaves in `spans`), as
    /// the walk would; false when a string's escapes fail to decode (the
    /// walk then reports it).
    fn rewrite<R: Rewrite>(&self, src: &str, spans: &[(usize, usize, bool)], rw: &mut R, out: &mut Vec<u8>) -> bool {
        let b = src.as_bytes();
        let mut copied = 0;
        let mut keys = self.keys.iter().peekable();
        // a place in `text` plus this is its place in the line
        let mut shift = 0;
        for (n, (&(stretch_end, _, class), &(start, end, escaped))) in self.leaves.iter().zip(spans).enumerate() {
            while let Some(k) = keys.next_if(|k| k.before == n) {
                if let Some(new) = rw.key(&k.key) {
                    replace(out, b, &mut copied, k.open + shift, k.close + shift, &new);
                }
            }
            if b[start] == b'"' {
                if rw.wants(class) {
                    let Ok(text) = decode(src, start, end - 1, escaped) else { return false };
                    if let Some(new) = rw.value(class, &text) {
                        replace(out, b, &mut copied, start, end - 1, &new);
                    }
                }
            } else if class.replaces_whole() {
                if let Some(new) = rw.scalar(class, &src[start..end]) {
                    replace(out, b, &mut copied, start, end - 1, &new);
                }
            }
            shift = end - stretch_end;
        }
        for k in keys {
            if let Some(new) = rw.key(&k.key) {
                replace(out, b, &mut copied, k.open + shift, k.close + shift, &new);
            }
        }
        if R::WRITES {
            let close = self.root_close + shift;
            out.extend_from_slice(&b[copied..close]);
            rw.end_root(out, false);
            out.extend_from_slice(&b[close..]);
        }
        true
    }
}
