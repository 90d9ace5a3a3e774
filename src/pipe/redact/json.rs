//! A streaming rewrite of one JSON text: every byte is copied as it was
//! except the strings (keys and values) the caller replaces. No tree is
//! built, so numbers, escapes, spacing and key order stay exactly as
//! written and nesting depth costs a few bytes of stack per level, never
//! recursion. A line of a shape already seen is rewritten without walking
//! its keys ([`super::shape`]).

use super::fields::{Class, NodeId, Table};
use super::shape::Shapes;
use crate::schema::scan::plain_run;

/// What the caller decides about each string it is shown.
pub trait Rewrite {
    /// False for a caller that only reads (nothing is written to `out`:
    /// it never replaces a string and adds nothing at the end).
    const WRITES: bool = true;

    /// A value at a place of class `class` that [`Rewrite::wants`]:
    /// `Some` replaces it.
    fn value(&mut self, class: Class, text: &str) -> Option<String>;
    /// A number or literal at a place of class `class` (only for the
    /// classes whose values are replaced whole).
    fn scalar(&mut self, class: Class, raw: &str) -> Option<String>;
    /// False for the classes whose strings the caller ignores (they are
    /// then not decoded): all but [`Class::Protected`] unless it says.
    fn wants(&self, class: Class) -> bool {
        class != Class::Protected
    }
    /// An object key the field table does not know.
    fn key(&mut self, text: &str) -> Option<String>;
    /// Called before the closing brace of the outermost object, to append
    /// members (`empty`: the object has none so far).
    fn end_root(&mut self, out: &mut Vec<u8>, empty: bool);
}

#[derive(Clone, Copy)]
struct Frame {
    object: bool,
    node: NodeId,
    members: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    Value(NodeId),
    /// after `[`: a value or `]`
    FirstItem,
    /// after `{`: a key or `}`
    FirstKey,
    Key,
    Colon(NodeId),
    CommaOrEnd,
}

/// Where a JSON text stops being one.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

/// Scratch space for [`rewrite`], kept between lines: the open objects and
/// arrays of the line walked, and the shapes of the lines before.
#[derive(Default)]
pub struct Stack {
    frames: Vec<Frame>,
    shapes: Shapes,
}

#[cfg(test)]
impl Stack {
    /// Lines rewritten by a learnt shape.
    pub fn replayed(&self) -> u64 {
        self.shapes.replayed
    }
}

/// What a walk saw of a line, for learning its shape: its values that are
/// strings, numbers or literals, and its keys the field table does not know.
#[derive(Default)]
pub(super) struct Marks {
    /// Each such value's start, end (exclusive) and class.
    pub leaves: Vec<(usize, usize, Class)>,
    pub keys: Vec<UnknownKey>,
}

/// A key the field table does not know, in a line or a shape.
#[derive(Clone)]
pub(super) struct UnknownKey {
    /// The values (strings, numbers, literals) before it.
    pub before: usize,
    /// Its opening and closing quotes.
    pub open: usize,
    pub close: usize,
    pub key: Box<str>,
}

impl Marks {
    pub fn clear(&mut self) {
        self.leaves.clear();
        self.keys.clear();
    }
}

/// Writes `src` to `out` with the replacements `rw` asks for; on an error
/// `out` is left as it was.
pub fn rewrite<R: Rewrite>(
    src: &str,
    table: &Table,
    rw: &mut R,
    out: &mut Vec<u8>,
    stack: &mut Stack,
) -> Result<(), Invalid> {
    let start_len = out.len();
    if stack.shapes.replay(src, rw, out) {
        return Ok(());
    }
    stack.frames.clear();
    let marks = stack.shapes.learning();
    let result = walk(src, src.as_bytes(), table, rw, out, &mut stack.frames, marks);
    match result {
        Ok(()) => stack.shapes.learn(src.as_bytes()),
        Err(_) => out.truncate(start_len),
    }
    result
}

fn walk<R: Rewrite>(
    src: &str,
    b: &[u8],
    table: &Table,
    rw: &mut R,
    out: &mut Vec<u8>,
    frames: &mut Vec<Frame>,
    mut marks: Option<&mut Marks>,
) -> Result<(), Invalid> {
    let mut copied = 0usize;
    let mut i = 0usize;
    let mut expect = Expect::Value(NodeId::ROOT);
    let mut done = false;
    while i < b.len() {
        let c = b[i];
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
            continue;
        }
        if done {
            return Err(Invalid("text after the end of the JSON value"));
        }
        match expect {
            Expect::Colon(node) => {
                if c != b':' {
                    return Err(Invalid("expected `:` after a key"));
                }
                i += 1;
                expect = Expect::Value(node);
            }
            Expect::CommaOrEnd => {
                let top = frames.last_mut().ok_or(Invalid("unbalanced brackets"))?;
                match c {
                    b',' => {
                        i += 1;
                        expect = if top.object { Expect::Key } else { Expect::Value(top.node) };
                    }
                    b'}' if top.object => {
                        close(b, &mut i, frames, rw, out, &mut copied, &mut expect, &mut done);
                    }
                    b']' if !top.object => {
                        close(b, &mut i, frames, rw, out, &mut copied, &mut expect, &mut done);
                    }
                    _ => return Err(Invalid("expected `,` or the end of an object or array")),
                }
            }
            Expect::FirstKey | Expect::Key => {
                if c == b'}' && expect == Expect::FirstKey {
                    close(b, &mut i, frames, rw, out, &mut copied, &mut expect, &mut done);
                    continue;
                }
                if c != b'"' {
                    return Err(Invalid("expected a key"));
                }
                let (end, escaped) = string_end(b, i)?;
                let top = *frames.last().ok_or(Invalid("unbalanced brackets"))?;
                let key = decode(src, i, end, escaped)?;
                let child = table.child(top.node, &key);
                if !table.known(child) {
                    if let Some(m) = marks.as_deref_mut() {
                        m.keys.push(UnknownKey {
                            before: m.leaves.len(),
                            open: i,
                            close: end,
                            key: key.as_ref().into(),
                        });
                    }
                    if let Some(new) = rw.key(&key) {
                        replace(out, b, &mut copied, i, end, &new);
                    }
                }
                if let Some(f) = frames.last_mut() {
                    f.members += 1;
                }
                i = end + 1;
                expect = Expect::Colon(child);
            }
            Expect::FirstItem | Expect::Value(_) => {
                let node = match expect {
                    Expect::Value(n) => n,
                    _ => {
                        if c == b']' {
                            close(b, &mut i, frames, rw, out, &mut copied, &mut expect, &mut done);
                            continue;
                        }
                        frames.last().map_or(NodeId::FREE, |f| f.node)
                    }
                };
                let class = table.class(node);
                match c {
                    b'{' => {
                        frames.push(Frame { object: true, node, members: 0 });
                        i += 1;
                        expect = Expect::FirstKey;
                    }
                    b'[' => {
                        frames.push(Frame { object: false, node, members: 0 });
                        i += 1;
                        expect = Expect::FirstItem;
                    }
                    b'"' => {
                        let (end, escaped) = string_end(b, i)?;
                        if let Some(m) = marks.as_deref_mut() {
                            m.leaves.push((i, end + 1, class));
                        }
                        if rw.wants(class) {
                            let text = decode(src, i, end, escaped)?;
                            if let Some(new) = rw.value(class, &text) {
                                replace(out, b, &mut copied, i, end, &new);
                            }
                        }
                        i = end + 1;
                        after_value(frames, &mut expect, &mut done);
                    }
                    _ => {
                        let end = scalar_end(b, i)?;
                        if let Some(m) = marks.as_deref_mut() {
                            m.leaves.push((i, end, class));
                        }
                        if class.replaces_whole() {
                            if let Some(new) = rw.scalar(class, &src[i..end]) {
                                replace(out, b, &mut copied, i, end - 1, &new);
                            }
                        }
                        i = end;
                        after_value(frames, &mut expect, &mut done);
                    }
                }
            }
        }
    }
    if !done {
        return Err(Invalid("the JSON text ends early"));
    }
    if R::WRITES {
        out.extend_from_slice(&b[copied..]);
    }
    Ok(())
}

fn after_value(frames: &[Frame], expect: &mut Expect, done: &mut bool) {
    if frames.is_empty() {
        *done = true;
    } else {
        *expect = Expect::CommaOrEnd;
    }
}

#[allow(clippy::too_many_arguments)]
fn close<R: Rewrite>(
    b: &[u8],
    i: &mut usize,
    frames: &mut Vec<Frame>,
    rw: &mut R,
    out: &mut Vec<u8>,
    copied: &mut usize,
    expect: &mut Expect,
    done: &mut bool,
) {
    let f = frames.pop().expect("a frame to close");
    if R::WRITES && frames.is_empty() && f.object {
        out.extend_from_slice(&b[*copied..*i]);
        *copied = *i;
        rw.end_root(out, f.members == 0);
    }
    *i += 1;
    after_value(frames, expect, done);
}

/// The index of the closing quote of the string opening at `start`, and
/// whether it holds escapes. A control character inside is passed over as
/// before (the second pass rewrites lines the parser accepted; decoding a
/// string with escapes checks it).
#[inline]
pub(super) fn string_end(b: &[u8], start: usize) -> Result<(usize, bool), Invalid> {
    let mut j = start + 1;
    let mut escaped = false;
    loop {
        let k = plain_run(b, j);
        match b.get(k) {
            None => return Err(Invalid("a string is not closed")),
            Some(b'"') => return Ok((k, escaped)),
            Some(b'\\') => {
                escaped = true;
                j = k + 2;
                if j > b.len() {
                    return Err(Invalid("a string is not closed"));
                }
            }
            Some(_) => j = k + 1,
        }
    }
}

/// The text of the string between `start` and `end` (its quotes). The
/// lines rewritten were parsed first, so a string without escapes is taken
/// as it is; one with escapes is decoded (and checked) by serde_json.
pub(super) fn decode(src: &str, start: usize, end: usize, escaped: bool) -> Result<std::borrow::Cow<'_, str>, Invalid> {
    if !escaped {
        return Ok(src[start + 1..end].into());
    }
    serde_json::from_str::<String>(&src[start..=end]).map(Into::into).map_err(|_| Invalid("a bad escape in a string"))
}

/// The end (exclusive) of a number or literal starting at `start`.
pub(super) fn scalar_end(b: &[u8], start: usize) -> Result<usize, Invalid> {
    let len =
        b[start..].iter().position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'a'..=b'z'));
    let end = start + len.unwrap_or(b.len() - start);
    let token = &b[start..end];
    let number = token.first().is_some_and(|c| *c == b'-' || c.is_ascii_digit())
        && token.iter().all(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'));
    if number || matches!(token, b"true" | b"false" | b"null") {
        Ok(end)
    } else {
        Err(Invalid("an unexpected character"))
    }
}

/// Writes what came before `start`, then `new` as a JSON string in place
/// of the token `start..=end`.
pub(super) fn replace(out: &mut Vec<u8>, b: &[u8], copied: &mut usize, start: usize, end: usize, new: &str) {
    out.extend_from_slice(&b[*copied..start]);
    serde_json::to_writer(&mut *out, new).expect("writing to a Vec cannot fail");
    *copied = end + 1;
}
