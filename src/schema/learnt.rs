//! Lines of a shape already seen, read without walking their keys.
//!
//! A logger writes the same keys in the same order on every line; only the
//! values change. After a line has been read in full ([`super::scan`]) and
//! found valid, its *shape* is learnt: the text between its values (keys,
//! colons, commas, braces, whitespace, opening quotes) and, for each value,
//! the field it fills. A later line of that shape is read by comparing each
//! stretch of text between values with the learnt one and reading each
//! value with the same code the full reader uses ([`super::scan::Scan`]).
//!
//! Why such a line is exactly as valid as the full reader says: its text is
//! the learnt line's, which was valid, with every value replaced by one
//! complete, checked JSON value. Keys, nesting and separators are the
//! learnt line's byte for byte, so no key is written twice and the grammar
//! holds; each value is read and checked by the full reader's own code (a
//! string must end at its closing quote with no control character, a
//! number must follow the grammar and fit an `f64`, an array or an object
//! in a value is walked with its repeated keys refused, at the depth it
//! sits at). Anything else — a different key, other whitespace, a value
//! that fails — and the line is read in full, which gives the verdict and
//! the reason. The fields are those the full reader fills, because they are
//! filled by the same `Scan` implementations.
//!
//! A shape that names only the fields a Feast event is made of, with its
//! `principal` an object, is Feast's whatever its values hold (as long as
//! `event_type` is a string, which its step checks): its lines are read
//! straight into the [`Parts`] of a Feast event, each value by the reader
//! its `RawLine` field uses, and never become a `RawLine` (an 800-byte
//! struct made, moved and taken apart for every line).
//!
//! Shapes that share their first steps continue from where one stopped
//! matching (a log of two kinds of event, which differ in their last keys,
//! costs one walk a line, not two). A log whose lines keep changing shape
//! stops being learnt for a while: every miss costs a second walk.

use super::feast::{self, Parts, Slot};
use super::raw::RawLine;
use super::scan::{Blocks, Parser, Scan, ScanError, ScanObject};

type Result<T> = std::result::Result<T, ScanError>;

/// The deepest object a shape follows member by member; one nested deeper
/// is read as one value.
const MAX_PATH: usize = 6;

/// The shapes kept at once.
const SHAPES: usize = 8;

/// The longest line whose shape is learnt: a shape costs about ten bytes a
/// byte of its line, and audit events are a few hundred bytes.
const MAX_LEARNT_LINE: usize = 16 << 10;

/// Lines counted before the rate of matches is judged.
const WINDOW: u32 = 256;

/// Lines read in full, without trying or learning shapes, after a window in
/// which fewer than half of the lines matched one.
const PAUSE: u64 = 16_384;

/// A field, as the index of each member on the way to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Path {
    idx: [u8; MAX_PATH],
    len: u8,
}

impl Path {
    pub fn with(self, i: u8) -> Option<Path> {
        let mut p = self;
        *p.idx.get_mut(p.len as usize)? = i;
        p.len += 1;
        Some(p)
    }

    fn as_slice(&self) -> &[u8] {
        &self.idx[..self.len as usize]
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// An object followed member by member begins here.
    Enter,
    /// A value read into its field, by the reader of its top-level field
    /// (given the rest of the path).
    Fill(Filler),
    /// A value no field names, checked and passed over.
    Skip,
}

/// Reads a value into the field its path leads to (the rest of the path
/// after the top-level field's number).
type Filler = for<'b> fn(&mut RawLine<'b>, &[u8], &mut Parser<'b>) -> Result<()>;

#[derive(Debug, Clone, Copy)]
struct Step {
    /// The text before the value, in [`Shape::text`].
    gap: (u32, u32),
    kind: Kind,
    path: Path,
    /// The nesting depth the value sits at.
    depth: u8,
    /// Where a Feast event keeps the value, in a shape read straight into
    /// one ([`Shape::feast`]).
    slot: Option<Slot>,
    /// The gap as sixteen-byte blocks compared at once.
    blocks: Blocks,
}

impl Step {
    /// Sets [`Step::blocks`] for the gap's length.
    fn blocks_of(&mut self) {
        self.blocks = Blocks::of(self.gap.1 as usize);
    }
}

/// The skeleton of one line.
#[derive(Debug, Default)]
struct Shape {
    steps: Vec<Step>,
    /// Every gap's text, then the tail, then sixteen bytes of padding (a
    /// gap is compared sixteen bytes at a time).
    text: Vec<u8>,
    /// The text after the last value, to the end of the line.
    tail: (u32, u32),
    /// Whether a line of this shape is Feast's whatever its values (its
    /// `principal` is an object and it names no other schema's field) as
    /// long as its `event_type` is a string, so that it can be read
    /// straight into the [`Parts`] of a Feast event: every value it fills
    /// has a [`Step::slot`].
    feast: bool,
}

impl Shape {
    fn gap(&self, (at, len): (u32, u32)) -> &[u8] {
        &self.text[at as usize..(at + len) as usize]
    }
}

/// The shape of a line being learnt.
pub struct Recorder {
    shape: Shape,
    /// Where the text not yet in a gap starts.
    last: usize,
}

impl Recorder {
    /// Ends a gap at `at`, before a step.
    fn cut(&mut self, p: &Parser<'_>, at: usize, kind: Kind, path: Path) -> Option<()> {
        let gap = &p.bytes()[self.last..at];
        let start = self.shape.text.len() as u32;
        self.shape.text.extend_from_slice(gap);
        let depth = u8::try_from(p.depth()).ok()?;
        let step = Step { gap: (start, gap.len() as u32), kind, path, depth, slot: None, blocks: Blocks::default() };
        self.last = at;
        // an object's first field makes the object present when filled:
        // the step that entered it is folded into the field's (their gaps
        // are next to each other in the text)
        if let Some(enter) = self.shape.steps.last_mut()
            && matches!(enter.kind, Kind::Enter)
            && matches!(kind, Kind::Fill(_))
            && path.as_slice().starts_with(enter.path.as_slice())
        {
            *enter = Step { gap: (enter.gap.0, enter.gap.1 + step.gap.1), ..step };
            return Some(());
        }
        self.shape.steps.push(step);
        Some(())
    }

    /// The value of a field (at the parser), followed member by member
    /// when it is an object its type reads that way.
    pub fn member<'a, M: Member<'a>>(&mut self, p: &mut Parser<'a>, path: Option<Path>) -> Result<()> {
        let at = p.value_start();
        match path {
            Some(path) if M::NESTS && p.bytes().get(at) == Some(&b'{') => {
                self.cut(p, at, Kind::Enter, path).ok_or_else(too_deep)?;
                M::record_in(p, self, path)
            }
            Some(path) => self.value(p, at, Kind::Fill(RawLine::filler(path.as_slice()[0])), path),
            // deeper than a path holds: passed over, though a field
            None => self.value(p, at, Kind::Skip, Path::default()),
        }
    }

    /// A value no field names.
    pub fn skip(&mut self, p: &mut Parser<'_>) -> Result<()> {
        let at = p.value_start();
        self.value(p, at, Kind::Skip, Path::default())
    }

    fn value(&mut self, p: &mut Parser<'_>, at: usize, kind: Kind, path: Path) -> Result<()> {
        self.cut(p, at, kind, path).ok_or_else(too_deep)?;
        p.skip_value()?;
        self.last = p.position();
        Ok(())
    }
}

fn too_deep() -> ScanError {
    ScanError("too deep to learn".into())
}

/// An object of a schema whose lines can be learnt (the `object!` structs).
pub trait Template<'a>: ScanObject<'a> + Default {
    /// Whether its members are followed one by one ([`super::raw::Checked`]
    /// is read as one value).
    const NESTS: bool = true;

    /// Records the members of the object at the parser (at its `{`).
    fn record(p: &mut Parser<'a>, rec: &mut Recorder, path: Path) -> Result<()>;

    /// Reads the value at the parser into the field at `path`.
    fn fill(&mut self, path: &[u8], p: &mut Parser<'a>) -> Result<()>;

    /// Makes the object at `path` present (it may have no field read).
    fn enter(&mut self, path: &[u8]);
}

/// A field's type, as a learnt shape treats it.
pub trait Member<'a>: Scan<'a> {
    /// Whether an object in this field is followed member by member.
    const NESTS: bool = false;

    fn record_in(_p: &mut Parser<'a>, _rec: &mut Recorder, _path: Path) -> Result<()> {
        unreachable!("only nesting members are recorded member by member")
    }

    fn fill_in(_slot: &mut Option<Self>, _path: &[u8], _p: &mut Parser<'a>) -> Result<()> {
        unreachable!("only nesting members have fields")
    }

    fn enter_in(_slot: &mut Option<Self>, _path: &[u8]) {
        unreachable!("only nesting members are entered")
    }
}

impl<'a> Member<'a> for super::raw::RawJson<'a> {}

impl<'a, T: Scan<'a>> Member<'a> for super::raw::Listed<T> {}

impl<'a, T: Template<'a>> Member<'a> for super::raw::Field<'a, T> {
    const NESTS: bool = T::NESTS;

    fn record_in(p: &mut Parser<'a>, rec: &mut Recorder, path: Path) -> Result<()> {
        T::record(p, rec, path)
    }

    fn fill_in(slot: &mut Option<Self>, path: &[u8], p: &mut Parser<'a>) -> Result<()> {
        object_in(slot).fill(path, p)
    }

    fn enter_in(slot: &mut Option<Self>, path: &[u8]) {
        let o = object_in(slot);
        if !path.is_empty() {
            o.enter(path);
        }
    }
}

/// The object in a field, made (empty) if the field holds none yet.
fn object_in<'s, 'a, T: Default>(slot: &'s mut Option<super::raw::Field<'a, T>>) -> &'s mut T {
    use super::raw::Field;
    if !matches!(slot, Some(Field::Obj(_))) {
        *slot = Some(Field::Obj(T::default()));
    }
    match slot {
        Some(Field::Obj(o)) => o,
        _ => unreachable!("made above"),
    }
}

impl<'a> Template<'a> for super::raw::Checked {
    const NESTS: bool = false;

    fn record(_p: &mut Parser<'a>, _rec: &mut Recorder, _path: Path) -> Result<()> {
        unreachable!("a checked value is read whole")
    }

    fn fill(&mut self, _path: &[u8], _p: &mut Parser<'a>) -> Result<()> {
        unreachable!("a checked value has no fields")
    }

    fn enter(&mut self, _path: &[u8]) {
        unreachable!("a checked value is read whole")
    }
}

impl<'a, T: Template<'a>> Template<'a> for Box<T> {
    const NESTS: bool = T::NESTS;

    fn record(p: &mut Parser<'a>, rec: &mut Recorder, path: Path) -> Result<()> {
        T::record(p, rec, path)
    }

    fn fill(&mut self, path: &[u8], p: &mut Parser<'a>) -> Result<()> {
        (**self).fill(path, p)
    }

    fn enter(&mut self, path: &[u8]) {
        (**self).enter(path)
    }
}

/// The index of `key` in `keys` (a field's number in its struct's paths).
pub const fn index_of(keys: &[&str], key: &str) -> u8 {
    let mut i = 0;
    while i < keys.len() {
        let k = keys[i].as_bytes();
        let want = key.as_bytes();
        if k.len() == want.len() {
            let mut j = 0;
            while j < k.len() && k[j] == want[j] {
                j += 1;
            }
            if j == k.len() {
                return i as u8;
            }
        }
        i += 1;
    }
    panic!("a key of the struct")
}

/// The shape of a valid line, or `None` when it cannot be learnt.
fn learn(text: &str) -> Option<Shape> {
    if text.len() > MAX_LEARNT_LINE {
        return None;
    }
    let mut p = Parser::new(text);
    let at = p.value_start();
    if p.bytes().get(at) != Some(&b'{') {
        return None;
    }
    let mut rec = Recorder { shape: Shape::default(), last: 0 };
    RawLine::record(&mut p, &mut rec, Path::default()).ok()?;
    let b = p.bytes();
    let start = rec.shape.text.len() as u32;
    rec.shape.text.extend_from_slice(&b[rec.last..]);
    rec.shape.tail = (start, (b.len() - rec.last) as u32);
    rec.shape.text.extend_from_slice(&[0; 16]);
    u32::try_from(rec.shape.text.len()).ok()?;
    let mut shape = rec.shape;
    shape.steps.iter_mut().for_each(Step::blocks_of);
    shape.feast = feast_slots(&mut shape.steps);
    Some(shape)
}

/// Gives each step of a Feast shape its slot; whether the shape is one:
/// it fills `event_type` and something in a `principal` object (or enters
/// that object), and every value it fills or object it enters is one a
/// Feast event is made of. Any other field (another schema's, or `principal`
/// written as a string) leaves the shape to be read into a [`RawLine`],
/// whose schema is found line by line.
fn feast_slots(steps: &mut [Step]) -> bool {
    let (mut event_type, mut principal) = (false, false);
    for step in steps.iter_mut() {
        let path = step.path.as_slice();
        match step.kind {
            Kind::Skip => {}
            Kind::Enter => match feast::object_of(path) {
                Some(is_principal) => principal |= is_principal,
                None => return false,
            },
            Kind::Fill(_) => {
                let Some(slot) = feast::slot_of(path) else { return false };
                event_type |= slot == Slot::EventType;
                // an object's first field carries the step that entered it
                principal |= path.len() == 2 && feast::object_of(&path[..1]) == Some(true);
                step.slot = Some(slot);
            }
        }
    }
    event_type && principal
}

/// The gap of `step` (the start of `text`, followed in the shape's padded
/// text by at least sixteen more bytes) is the text of `line` at `at`.
#[inline(always)]
fn gap_at(line: &[u8], at: usize, text: &[u8], step: &Step) -> bool {
    step.blocks.equal(line, at, text, step.gap.1 as usize)
}

/// Where reading a line by a shape stopped.
enum Stop {
    /// The text before step `n` (or the tail, at `steps.len()`) differs.
    Gap(usize),
    /// A value could not be read: the line is read in full.
    Value,
}

/// What a line read by a shape is read into.
trait Sink<'a> {
    /// Whether a shape's lines can be read into this.
    fn reads(shape: &Shape) -> bool;

    /// The value at the parser, for `step` (a [`Kind::Fill`]).
    fn fill(&mut self, step: &Step, p: &mut Parser<'a>) -> Result<()>;

    /// The object `step` (a [`Kind::Enter`]) begins.
    fn enter(&mut self, step: &Step);
}

impl<'a> Sink<'a> for RawLine<'a> {
    fn reads(_: &Shape) -> bool {
        true
    }

    #[inline(always)]
    fn fill(&mut self, step: &Step, p: &mut Parser<'a>) -> Result<()> {
        match step.kind {
            Kind::Fill(fill) => fill(self, &step.path.as_slice()[1..], p),
            _ => unreachable!("a step that fills"),
        }
    }

    #[inline(always)]
    fn enter(&mut self, step: &Step) {
        Template::enter(self, step.path.as_slice())
    }
}

impl<'a> Sink<'a> for Parts<'a> {
    fn reads(shape: &Shape) -> bool {
        shape.feast
    }

    #[inline(always)]
    fn fill(&mut self, step: &Step, p: &mut Parser<'a>) -> Result<()> {
        match step.slot {
            Some(slot) => Parts::fill(self, slot, p),
            None => Err(ScanError("a step without a slot".into())),
        }
    }

    /// The objects of a Feast shape are there by its text; the event needs
    /// nothing of them but their fields.
    #[inline(always)]
    fn enter(&mut self, _: &Step) {}
}

/// Reads `text` by `shape` from step `from` (the steps before it matched).
fn read_by<'a, S: Sink<'a>>(
    shape: &Shape,
    from: usize,
    p: &mut Parser<'a>,
    out: &mut S,
) -> std::result::Result<(), Stop> {
    for (n, step) in shape.steps.iter().enumerate().skip(from) {
        let (at, len) = step.gap;
        if !gap_at(p.bytes(), p.position(), &shape.text[at as usize..], step) {
            return Err(Stop::Gap(n));
        }
        p.set_position(p.position() + len as usize);
        p.set_depth(step.depth as usize);
        match step.kind {
            Kind::Enter => out.enter(step),
            Kind::Fill(_) => out.fill(step, p).map_err(|_| Stop::Value)?,
            Kind::Skip => p.skip_value().map_err(|_| Stop::Value)?,
        }
    }
    let tail = shape.gap(shape.tail);
    if p.bytes().get(p.position()..) != Some(tail) {
        return Err(Stop::Gap(shape.steps.len()));
    }
    Ok(())
}

/// The shapes one reader has learnt (one per worker thread).
#[derive(Default)]
pub struct Shapes {
    shapes: Vec<Shape>,
    /// `shared[a][b]`: how many first steps shapes a and b have in common.
    shared: [[u32; SHAPES]; SHAPES],
    /// The line each shape last matched.
    used: [u64; SHAPES],
    /// The shape the last match ended in.
    last: usize,
    lines: u64,
    window: u32,
    window_hits: u32,
    paused_until: u64,
    matched: u64,
    /// Lines read straight into a Feast event's parts.
    direct: u64,
}

impl Shapes {
    /// Lines read by a learnt shape so far.
    pub fn matched(&self) -> u64 {
        self.matched
    }

    /// Lines read straight into a Feast event's parts so far (counted in
    /// [`Shapes::matched`] too).
    pub fn direct(&self) -> u64 {
        self.direct
    }

    /// Reads a line of a learnt Feast shape into `out` (which starts
    /// empty): true when it was read so, and the event is `out`'s. False
    /// when the shape it would start from is not Feast's, no Feast shape
    /// matches, or a value cannot be read: nothing is counted then, and
    /// the line is read by [`Shapes::parse_into`], which gives the verdict.
    pub fn read_feast<'a>(&mut self, text: &'a str, out: &mut Parts<'a>) -> bool {
        let active = self.lines + 1 >= self.paused_until;
        if !active || !self.shapes.get(self.last).is_some_and(|s| s.feast) {
            return false;
        }
        self.lines += 1;
        if !self.read(text, out) {
            self.lines -= 1;
            return false;
        }
        self.count(true);
        self.direct += 1;
        true
    }

    /// Reads one line into `out` (which starts empty), as
    /// [`super::scan::parse_into`] would.
    pub fn parse_into<'a>(&mut self, text: &'a str, out: &mut RawLine<'a>) -> Result<()> {
        self.lines += 1;
        let active = self.lines >= self.paused_until;
        if active && !self.shapes.is_empty() {
            let hit = self.read(text, out);
            self.count(hit);
            if hit {
                return Ok(());
            }
            *out = RawLine::default();
        }
        super::scan::parse_into(text, out)?;
        if active && let Some(shape) = learn(text) {
            self.keep(shape);
        }
        Ok(())
    }

    fn count(&mut self, hit: bool) {
        self.window += 1;
        self.window_hits += u32::from(hit);
        if hit {
            self.matched += 1;
        }
        if self.window == WINDOW {
            if self.window_hits * 2 < WINDOW {
                self.paused_until = self.lines + PAUSE;
            }
            self.window = 0;
            self.window_hits = 0;
        }
    }

    /// Tries the shapes, from the one that matched last; a shape that
    /// stops at a gap hands over to one that shares the steps before it.
    fn read<'a, S: Sink<'a>>(&mut self, text: &'a str, out: &mut S) -> bool {
        let mut p = Parser::new(text);
        let mut tried = 0u32;
        let mut at = self.last.min(self.shapes.len() - 1);
        let mut from = 0;
        loop {
            tried |= 1 << at;
            match read_by(&self.shapes[at], from, &mut p, out) {
                Ok(()) => {
                    self.last = at;
                    self.used[at] = self.lines;
                    return true;
                }
                Err(Stop::Value) => return false,
                Err(Stop::Gap(n)) => {
                    let next = (0..self.shapes.len()).find(|&b| {
                        tried & (1 << b) == 0 && self.shared[at][b] as usize >= n && S::reads(&self.shapes[b])
                    });
                    match next {
                        Some(b) => {
                            at = b;
                            from = n;
                        }
                        None => return false,
                    }
                }
            }
        }
    }

    /// Keeps a new shape, in place of the one unused longest when full.
    fn keep(&mut self, shape: Shape) {
        let at = if self.shapes.len() < SHAPES {
            self.shapes.push(shape);
            self.shapes.len() - 1
        } else {
            let oldest = (0..SHAPES).min_by_key(|&i| self.used[i]).expect("shapes are kept");
            self.shapes[oldest] = shape;
            oldest
        };
        self.used[at] = self.lines;
        self.last = at;
        for b in 0..self.shapes.len() {
            let n = common_steps(&self.shapes[at], &self.shapes[b]);
            self.shared[at][b] = n;
            self.shared[b][at] = n;
        }
    }
}

/// How many first steps two shapes have in common (same text before, same
/// kind, field and depth).
fn common_steps(a: &Shape, b: &Shape) -> u32 {
    a.steps
        .iter()
        .zip(&b.steps)
        .take_while(|(x, y)| {
            // the same path has the same reader
            std::mem::discriminant(&x.kind) == std::mem::discriminant(&y.kind)
                && x.path == y.path
                && x.depth == y.depth
                && a.gap(x.gap) == b.gap(y.gap)
        })
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debug(text: &str, shapes: &mut Shapes) -> std::result::Result<String, String> {
        let mut raw = RawLine::default();
        shapes.parse_into(text, &mut raw).map(|_| format!("{raw:?}")).map_err(|e| e.0)
    }

    fn full(text: &str) -> std::result::Result<String, String> {
        super::super::scan::parse::<RawLine>(text).map(|r| format!("{r:?}")).map_err(|e| e.0)
    }

    const A: &str = r#"{"event_type":"http.request","timestamp":"2026-10-01T00:00:00.302Z","principal":{"username":"a","roles":["r"]},"resource":{"type":"fv","name":"x","actions":["READ"]},"outcome":"success","duration_ms":10.5,"detail":"POST /x -> 200"}"#;
    const B: &str = r#"{"event_type":"authz.decision","timestamp":"2026-10-01T00:00:00.302Z","principal":{"username":"a","roles":["r"]},"resource":{"type":"fv","name":"x","actions":["READ"]},"outcome":"allowed","detail":""}"#;

    #[test]
    fn a_learnt_shape_reads_what_the_full_reader_reads() {
        let mut s = Shapes::default();
        assert_eq!(debug(A, &mut s), full(A));
        assert_eq!(s.matched(), 0);
        let again = A.replace("10.5", "7").replace("\"a\"", "\"bob\"").replace("[\"r\"]", "[\"r\",\"w\"]");
        assert_eq!(debug(&again, &mut s), full(&again));
        assert_eq!(s.matched(), 1);
        // two shapes that part near the end: the second continues the first
        assert_eq!(debug(B, &mut s), full(B));
        assert_eq!(debug(B, &mut s), full(B));
        assert_eq!(debug(A, &mut s), full(A));
        assert_eq!(s.matched(), 3);
    }

    #[test]
    fn a_bad_value_in_a_known_shape_gets_the_full_readers_reason() {
        let mut s = Shapes::default();
        debug(A, &mut s).unwrap();
        for bad in [
            A.replace("10.5", "1e999"),
            A.replace("10.5", "01"),
            A.replace("\"x\"", "\"x\ty\""),
            A.replace("\"a\"", "\"a\u{1}\""),
            A.replace("[\"r\"]", "[\"r\",]"),
            A.replace("[\"r\"]", "[{\"k\":1,\"k\":2}]"),
            A.replace("\"POST /x -> 200\"", "\"POST /x -> 200"),
            format!("{A} x"),
            A.replace("success", "succ\\ess"),
        ] {
            let want = full(&bad);
            assert!(want.is_err(), "{bad}");
            assert_eq!(debug(&bad, &mut s), want, "{bad}");
        }
    }

    #[test]
    fn a_long_line_is_read_in_full_and_not_learnt() {
        let mut s = Shapes::default();
        let long = format!(r#"{{"event_type":"x","detail":"{}"}}"#, "d".repeat(MAX_LEARNT_LINE));
        assert_eq!(debug(&long, &mut s), full(&long));
        assert!(s.shapes.is_empty());
    }

    #[test]
    fn a_log_of_changing_shapes_pauses_learning() {
        let mut s = Shapes::default();
        for i in 0..WINDOW as usize * 2 {
            let line = format!(r#"{{"k{i}":1,"event_type":"x"}}"#);
            assert_eq!(debug(&line, &mut s), full(&line));
        }
        assert!(s.paused_until > s.lines);
        assert_eq!(s.matched(), 0);
    }
}
