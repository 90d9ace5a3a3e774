//! The reader of the hot path: one forward pass over a line that fills the
//! few fields the schema readers use and checks everything else as strictly
//! as `serde_json` reading the line into a value would, with no tree, no
//! serde visitor and no copy of a string that has no escapes.
//!
//! - strings are searched eight bytes at a time for their closing quote, a
//!   backslash or a control character; only strings with escapes are
//!   decoded (every escape checked, surrogates paired);
//! - numbers follow the JSON grammar and must fit an `f64`, as serde_json
//!   requires; integers of up to 19 digits are read without a float parse;
//! - every object, read or skipped, at any depth, refuses a key written
//!   twice ([`KeySet`]); nesting deeper than [`MAX_DEPTH`] is refused;
//! - after the value only whitespace may follow.
//!
//! Types say what a field is read as ([`Scan`]); objects of the schemas
//! implement [`ScanObject`] through the `object!` macro of `raw`.

use std::borrow::Cow;

use super::raw::{Checked, Field, KeySet, Listed, RawJson};
use super::shape::MAX_DEPTH;

/// Why a line is not the JSON a reader can trust, as the reason reported
/// for a malformed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError(pub String);

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScanError {}

impl serde::de::Error for ScanError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ScanError(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, ScanError>;

/// A position in one line of JSON text.
pub struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
}

/// 10⁰ to 10¹⁵, each exact in an f64.
const POWERS_OF_TEN: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is zero; the lowest one set is
/// exactly the first zero byte (a borrow only marks bytes above a zero one).
#[inline(always)]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGHS
}

/// The same for bytes below 0x20.
#[inline(always)]
fn control_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES * 0x20) & !w & HIGHS
}

/// The bytes of `w` that end or interrupt a plain string run: a quote, a
/// backslash or a control character. The lowest bit set marks the first.
#[inline(always)]
fn string_stops(w: u64) -> u64 {
    zero_bytes(w ^ (ONES * b'"' as u64)) | zero_bytes(w ^ (ONES * b'\\' as u64)) | control_bytes(w)
}

/// [`string_stops`] of sixteen bytes at once: bit k set when byte k is a
/// quote, a backslash or a control character.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_string_stops(bytes: &[u8; 16]) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: an unaligned load of the sixteen bytes of the array
    let v = unsafe { _mm_loadu_si128(bytes.as_ptr() as *const __m128i) };
    let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
    let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
    // unsigned v <= 0x1F exactly when max(v, 0x1F) is 0x1F
    let control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
    _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)) as u32
}

/// The index of the first byte of `b` at or after `i` that ends or
/// interrupts a plain run of string bytes (a quote, a backslash or a
/// control character), or `b.len()`: sixteen bytes at a time.
#[inline(always)]
pub fn plain_run(b: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while let Some(sixteen) = b.get(i..i + 16) {
        // SAFETY: SSE2 is part of every x86_64 target's baseline.
        let stops = unsafe { sse2_string_stops(sixteen.try_into().expect("sixteen bytes")) };
        if stops != 0 {
            return i + stops.trailing_zeros() as usize;
        }
        i += 16;
    }
    #[cfg(target_arch = "x86_64")]
    if i < b.len() && b.len() >= 16 {
        // under sixteen bytes left: the line's last sixteen, the bytes
        // before `i` shifted out (no copy of the tail to pad it)
        let from = b.len() - 16;
        // SAFETY: as above
        let stops = unsafe { sse2_string_stops(b[from..].try_into().expect("sixteen bytes")) } >> (i - from);
        return if stops != 0 { i + stops.trailing_zeros() as usize } else { b.len() };
    }
    loop {
        let w = match b.get(i..i + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
            None if i < b.len() => {
                // the line's last bytes, padded with a byte that stops nothing
                let mut last = [b'a'; 8];
                last[..b.len() - i].copy_from_slice(&b[i..]);
                u64::from_le_bytes(last)
            }
            None => return b.len(),
        };
        let stops = string_stops(w);
        if stops != 0 {
            return (i + (stops.trailing_zeros() / 8) as usize).min(b.len());
        }
        i += 8;
    }
}

/// The end of the array at `b[i]` (its `[`) when it is written as plain
/// strings and nothing else, `["reader","writer"]` (no whitespace, no
/// escape, no control character), or `[]`; `None` otherwise. Such an array
/// is valid JSON at any depth its `[` may open.
#[inline]
pub fn plain_strings_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if b.get(j) == Some(&b']') {
        return Some(j + 1);
    }
    loop {
        if b.get(j) != Some(&b'"') {
            return None;
        }
        let end = plain_run(b, j + 1);
        if b.get(end) != Some(&b'"') {
            return None;
        }
        match b.get(end + 1) {
            Some(b',') => j = end + 2,
            Some(b']') => return Some(end + 2),
            _ => return None,
        }
    }
}

/// When to try learnt shapes: lines are counted in windows of
/// [`Pace::WINDOW`]; after a window in which fewer than half matched a
/// shape, the next [`Pace::PAUSE`] lines are read without trying or
/// learning shapes (a log of ever new layouts costs no more than a walk).
#[derive(Debug, Default)]
pub struct Pace {
    window: u32,
    hits: u32,
    paused: u32,
}

impl Pace {
    /// Lines counted before the rate of matches is judged.
    pub const WINDOW: u32 = 256;
    /// Lines read without trying or learning shapes after a poor window.
    pub const PAUSE: u32 = 16_384;

    /// Counts a line; false when shapes are not to be tried on it.
    #[inline(always)]
    pub fn next_line(&mut self) -> bool {
        if self.paused > 0 {
            self.paused -= 1;
            return false;
        }
        self.window += 1;
        if self.window == Self::WINDOW {
            if self.hits * 2 < Self::WINDOW {
                self.paused = Self::PAUSE;
            }
            self.window = 0;
            self.hits = 0;
        }
        true
    }

    /// The line counted last matched a shape.
    #[inline(always)]
    pub fn hit(&mut self) {
        self.hits += 1;
    }

    /// True while shapes are neither tried nor learnt.
    #[inline(always)]
    pub fn paused(&self) -> bool {
        self.paused > 0
    }
}

/// Puts `item` first among the `kept` (most recently used first), the
/// last dropped when there would be more than `max`.
pub fn keep_first<T>(kept: &mut Vec<T>, item: T, max: usize) {
    if kept.len() == max {
        kept.pop();
    }
    kept.insert(0, item);
}

/// A stretch of text compared sixteen bytes at a time: how many blocks,
/// and the bytes of the last that are the stretch's.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocks {
    blocks: u32,
    last_mask: u32,
}

impl Blocks {
    /// The blocks of a stretch of `len` bytes.
    pub fn of(len: usize) -> Blocks {
        let last_mask = match len % 16 {
            0 => 0xFFFF,
            r => (1 << r) - 1,
        };
        Blocks { blocks: len.div_ceil(16) as u32, last_mask }
    }

    /// True when the `len` bytes of `line` at `at` are the first `len` of
    /// `text` (the blocks of `len`; `text` padded to whole blocks, or
    /// compared as slices): sixteen bytes at a time when the line holds
    /// the blocks, the differences gathered and looked at once.
    #[inline(always)]
    pub fn equal(self, line: &[u8], at: usize, text: &[u8], len: usize) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            let blocks = self.blocks as usize;
            if at + blocks * 16 <= line.len() && blocks * 16 <= text.len() {
                use std::arch::x86_64::*;
                // SAFETY: every read is of sixteen bytes inside its slice
                // (the blocks are checked against both above); SSE2 is part
                // of every x86_64 target's baseline.
                let equal = |k: usize| unsafe {
                    let a = _mm_loadu_si128(line.as_ptr().add(at + 16 * k) as *const __m128i);
                    let b = _mm_loadu_si128(text.as_ptr().add(16 * k) as *const __m128i);
                    _mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) as u32
                };
                let Some(last) = blocks.checked_sub(1) else { return true };
                let mut differ = !equal(last) & self.last_mask;
                for k in 0..last {
                    differ |= !equal(k) & 0xFFFF;
                }
                return differ == 0;
            }
        }
        line.get(at..at + len) == Some(&text[..len])
    }
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str) -> Self {
        Parser { text, b: text.as_bytes(), i: 0, depth: 0 }
    }

    /// The line's bytes.
    #[inline(always)]
    pub fn bytes(&self) -> &'a [u8] {
        self.b
    }

    /// Where the parser stands.
    #[inline(always)]
    pub fn position(&self) -> usize {
        self.i
    }

    /// Moves the parser to `i` (a learnt shape passes over the text it knows).
    #[inline(always)]
    pub fn set_position(&mut self, i: usize) {
        self.i = i;
    }

    /// The nesting depth the parser stands at.
    #[inline(always)]
    pub fn depth(&self) -> usize {
        self.depth
    }

    #[inline(always)]
    pub fn set_depth(&mut self, depth: usize) {
        self.depth = depth;
    }

    /// Passes over whitespace; where the next value starts.
    #[inline(always)]
    pub fn value_start(&mut self) -> usize {
        self.skip_ws();
        self.i
    }

    /// The reason for a syntax error here.
    #[cold]
    fn error(&self, what: &str) -> ScanError {
        ScanError(format!("invalid JSON: {what} at column {}", self.i.min(self.b.len()).max(1)))
    }

    #[cold]
    fn eof(&self) -> ScanError {
        self.error("EOF while parsing")
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        // values mostly follow their separator directly: one comparison then
        if self.b.get(self.i).is_some_and(|&c| c > b' ') {
            return;
        }
        while let Some(&c) = self.b.get(self.i) {
            if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline(always)]
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.b.get(self.i).copied()
    }

    /// The whole line: one object and nothing after it but whitespace.
    pub fn document<T: ScanObject<'a> + Default>(&mut self) -> Result<T> {
        let mut v = T::default();
        self.document_into(&mut v)?;
        Ok(v)
    }

    /// [`Parser::document`] into `out` (which starts empty), for an object
    /// too large to move around for every line.
    pub fn document_into<T: ScanObject<'a>>(&mut self, out: &mut T) -> Result<()> {
        match self.peek() {
            Some(b'{') => {}
            Some(_) => return Err(self.error("expected an object")),
            None => return Err(self.eof()),
        }
        T::scan_object_into(self, out)?;
        if self.peek().is_some() {
            return Err(self.error("trailing characters"));
        }
        Ok(())
    }

    /// Enters an array or object (at its opening bracket).
    #[inline(always)]
    fn open(&mut self) -> Result<()> {
        if self.depth == MAX_DEPTH {
            return Err(ScanError(format!("nesting deeper than {MAX_DEPTH}")));
        }
        self.depth += 1;
        self.i += 1;
        Ok(())
    }

    /// Leaves an array or object (at its closing bracket).
    #[inline(always)]
    fn close(&mut self) -> Result<()> {
        self.i += 1;
        self.depth -= 1;
        Ok(())
    }

    /// Reads an object's members (at its `{`): `member` gets each key and
    /// must read the value.
    #[inline]
    pub fn object(&mut self, mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Result<()>) -> Result<()> {
        self.open()?;
        match self.peek() {
            Some(b'}') => return self.close(),
            Some(b'"') => {}
            Some(_) => return Err(self.error("key must be a string")),
            None => return Err(self.eof()),
        }
        loop {
            let key = self.string()?;
            match self.peek() {
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.error("expected `:`")),
                None => return Err(self.eof()),
            }
            if self.peek().is_none() {
                return Err(self.eof());
            }
            member(self, key)?;
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"') => {}
                        Some(b'}') => return Err(self.error("trailing comma")),
                        Some(_) => return Err(self.error("key must be a string")),
                        None => return Err(self.eof()),
                    }
                }
                Some(b'}') => return self.close(),
                Some(_) => return Err(self.error("expected `,` or `}`")),
                None => return Err(self.eof()),
            }
        }
    }

    /// Reads an array's elements (at its `[`): `element` must read each.
    #[inline]
    pub fn array(&mut self, mut element: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.open()?;
        match self.peek() {
            Some(b']') => return self.close(),
            None => return Err(self.eof()),
            Some(_) => {}
        }
        loop {
            element(self)?;
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b']') => return Err(self.error("trailing comma")),
                        None => return Err(self.eof()),
                        Some(_) => {}
                    }
                }
                Some(b']') => return self.close(),
                Some(_) => return Err(self.error("expected `,` or `]`")),
                None => return Err(self.eof()),
            }
        }
    }

    /// [`plain_run`] in the line.
    #[inline(always)]
    fn plain_run(&self, i: usize) -> usize {
        plain_run(self.b, i)
    }

    /// A string (at its opening quote, which every caller has seen: the
    /// borrow below relies on it), borrowed from the line unless it has
    /// escapes.
    #[inline(always)]
    fn string(&mut self) -> Result<Cow<'a, str>> {
        match self.plain_string() {
            Some(s) => Ok(Cow::Borrowed(s)),
            None => self.string_slow(),
        }
    }

    /// The string at the parser (at its opening quote, which every caller
    /// has seen) when it is plain, no escape and no control character:
    /// borrowed from the line, the parser past it; `None`, the parser
    /// unmoved, otherwise.
    #[inline(always)]
    fn plain_string(&mut self) -> Option<&'a str> {
        let start = self.i + 1;
        let end = self.plain_run(start);
        if self.b.get(end) != Some(&b'"') {
            return None;
        }
        self.i = end + 1;
        debug_assert_eq!(self.b[start - 1], b'"');
        // SAFETY: `start` follows a quote and `end` is one: both are ASCII,
        // so both are character boundaries of the text
        Some(unsafe { self.text.get_unchecked(start..end) })
    }

    /// The rest of [`Parser::string`] when the plain run ends in anything
    /// but its closing quote (found again here, which costs only strings
    /// with escapes), kept out of line so the plain case stays small.
    #[cold]
    #[inline(never)]
    fn string_slow(&mut self) -> Result<Cow<'a, str>> {
        let start = self.i + 1;
        let end = self.plain_run(start);
        self.i = end;
        match self.b.get(end) {
            Some(b'\\') => {
                let mut out = String::with_capacity(end - start + 16);
                out.push_str(&self.text[start..end]);
                self.escaped(Some(&mut out))?;
                Ok(Cow::Owned(out))
            }
            Some(_) => Err(self.error("control character (\\u0000-\\u001F) found while parsing a string")),
            None => Err(self.eof()),
        }
    }

    /// A value read as a `Field` of no object and kept when it is a
    /// non-empty string ([`super::raw::non_empty`]); a string, the common
    /// case, is read without the general reader's dispatch.
    #[inline(always)]
    pub fn non_empty_string(&mut self) -> Result<Option<Cow<'a, str>>> {
        if self.b.get(self.i) == Some(&b'"') {
            return self.string().map(|s| (!s.is_empty()).then_some(s));
        }
        let f: Option<Field<'a, Checked>> = Scan::scan(self)?;
        Ok(super::raw::non_empty(f))
    }

    /// [`Parser::non_empty_string`] written into `slot`: a plain string is
    /// stored where it goes, not returned (a returned value was put
    /// together on the stack and copied, and the copy waited for it).
    #[inline(always)]
    pub fn non_empty_string_into(&mut self, slot: &mut Option<Cow<'a, str>>) -> Result<()> {
        if self.b.get(self.i) == Some(&b'"')
            && let Some(s) = self.plain_string()
        {
            *slot = if s.is_empty() { None } else { Some(Cow::Borrowed(s)) };
            return Ok(());
        }
        *slot = self.non_empty_string()?;
        Ok(())
    }

    /// A string (at its opening quote), checked and passed over.
    #[inline]
    fn skip_string(&mut self) -> Result<()> {
        let end = self.plain_run(self.i + 1);
        match self.b.get(end) {
            Some(b'"') => {
                self.i = end + 1;
                Ok(())
            }
            Some(b'\\') => {
                self.i = end;
                self.escaped(None)
            }
            Some(_) => {
                self.i = end;
                Err(self.error("control character (\\u0000-\\u001F) found while parsing a string"))
            }
            None => {
                self.i = end;
                Err(self.eof())
            }
        }
    }

    /// The rest of a string from a backslash at `self.i`, decoded into
    /// `out` when given; ends after the closing quote.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, mut out: Option<&mut String>) -> Result<()> {
        loop {
            match self.b.get(self.i) {
                None => return Err(self.eof()),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    let c = match self.b.get(self.i + 1) {
                        None => {
                            self.i += 1;
                            return Err(self.eof());
                        }
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 2;
                            let c = self.unicode_escape()?;
                            if let Some(o) = out.as_deref_mut() {
                                o.push(c);
                            }
                            continue;
                        }
                        Some(_) => {
                            self.i += 1;
                            return Err(self.error("invalid escape"));
                        }
                    };
                    if let Some(o) = out.as_deref_mut() {
                        o.push(c);
                    }
                    self.i += 2;
                }
                Some(c) if *c < 0x20 => {
                    return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string"));
                }
                Some(_) => {
                    let end = self.plain_run(self.i);
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(&self.text[self.i..end]);
                    }
                    self.i = end;
                }
            }
        }
    }

    /// Four hex digits at `self.i`.
    fn hex4(&mut self) -> Result<u16> {
        let Some(digits) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.eof());
        };
        let mut n = 0u16;
        for (k, d) in digits.iter().enumerate() {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => {
                    self.i += k;
                    return Err(self.error("invalid escape"));
                }
            };
            n = n << 4 | u16::from(v);
        }
        self.i += 4;
        Ok(n)
    }

    /// The character of a `\u` escape whose digits start at `self.i`; a
    /// surrogate must be the first of a pair.
    fn unicode_escape(&mut self) -> Result<char> {
        let n = self.hex4()?;
        match n {
            0xD800..=0xDBFF => {
                if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.i += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                let c = 0x10000 + ((u32::from(n) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                Ok(char::from_u32(c).expect("a paired surrogate is a character"))
            }
            0xDC00..=0xDFFF => Err(self.error("lone trailing surrogate in hex escape")),
            n => Ok(char::from_u32(u32::from(n)).expect("not a surrogate")),
        }
    }

    /// A number (at its first byte), as serde_json reads it: the JSON
    /// grammar, and a value an `f64` holds. One pass gathers the digits of
    /// the integer and the fraction into one integer, which is the value
    /// itself for the short numbers audit logs write (latencies, counts).
    #[inline]
    pub fn number(&mut self) -> Result<f64> {
        let start = self.i;
        let b = self.b;
        let mut i = start + usize::from(b.get(start) == Some(&b'-'));
        let digit = |i: usize| b.get(i).copied().filter(u8::is_ascii_digit);
        let mut m: u64 = 0;
        let digits_start = i;
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while let Some(d) = digit(i) {
                    m = m.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                    i += 1;
                }
            }
            _ => {
                self.i = i;
                return Err(if i >= b.len() { self.eof() } else { self.error("invalid number") });
            }
        }
        let int_digits = i - digits_start;
        let mut fraction = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let from = i;
            while let Some(d) = digit(i) {
                m = m.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                i += 1;
            }
            fraction = i - from;
            if fraction == 0 {
                self.i = i;
                return Err(if i >= b.len() { self.eof() } else { self.error("invalid number") });
            }
        }
        let mut exponent = false;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            exponent = true;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i = self.digits(i)?;
        }
        self.i = i;
        let sign = |v: f64| if b[start] == b'-' { -v } else { v };
        if !exponent && fraction == 0 && int_digits <= 19 {
            // a u64 converts to the nearest f64, as the decimal would
            return Ok(sign(m as f64));
        }
        if !exponent && int_digits + fraction <= 15 {
            // at most 15 digits: the digits as an integer and the power of
            // ten are both exact in an f64, so their quotient is the
            // correctly rounded value (the fast path of every float parser)
            return Ok(sign(m as f64 / POWERS_OF_TEN[fraction]));
        }
        let v: f64 = self.text[start..i].parse().map_err(|_| self.error("invalid number"))?;
        if v.is_infinite() {
            self.i = start;
            return Err(self.error("number out of range"));
        }
        Ok(v)
    }

    /// The end of a run of at least one digit from `i` (a fraction's or an
    /// exponent's).
    #[inline]
    fn digits(&mut self, mut i: usize) -> Result<usize> {
        let b = self.b;
        if !matches!(b.get(i), Some(b'0'..=b'9')) {
            self.i = i;
            return Err(if i >= b.len() { self.eof() } else { self.error("invalid number") });
        }
        while matches!(b.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        Ok(i)
    }

    /// `word` (`true`, `false`, `null`) at `self.i`.
    #[inline]
    fn literal(&mut self, word: &[u8]) -> Result<()> {
        match self.b.get(self.i..self.i + word.len()) {
            Some(w) if w == word => {
                self.i += word.len();
                Ok(())
            }
            _ => {
                let have = self.b[self.i..].iter().zip(word).take_while(|(a, b)| a == b).count();
                self.i += have;
                Err(if self.i >= self.b.len() { self.eof() } else { self.error("expected value") })
            }
        }
    }

    /// Any value, checked (repeated keys refused at any depth) and passed over.
    pub fn skip_value(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{') => {
                let mut keys = KeySet::default();
                self.object(|p, key| {
                    keys.insert::<ScanError>(key)?;
                    p.skip_value()
                })
            }
            Some(b'[') => self.skip_array(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| ()),
            Some(_) => Err(self.error("expected value")),
            None => Err(self.eof()),
        }
    }

    /// An array (at its `[`), checked and passed over: by one search a
    /// string when it holds plain strings only, element by element
    /// otherwise.
    #[inline(always)]
    fn skip_array(&mut self) -> Result<()> {
        match self.plain_strings_end() {
            Some(end) => {
                self.i = end;
                Ok(())
            }
            None => self.array(Parser::skip_value),
        }
    }

    /// The end of the array at the parser (at its `[`) when it is written
    /// as plain strings and nothing else, `["reader","writer"]` (the roles
    /// and actions of every Feast event): checked by one search a string.
    /// Anything else (whitespace, an escape, another kind of value, an
    /// error) is `None`, and the array is read element by element, which
    /// gives the verdict and its reason.
    #[inline]
    fn plain_strings_end(&self) -> Option<usize> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        plain_strings_end(self.b, self.i)
    }

    /// The text of the value that starts here, checked.
    #[inline(always)]
    fn raw_value(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let start = self.i;
        // an array (roles, actions) without the general reader's dispatch
        match self.b.get(start) {
            Some(b'[') => self.skip_array()?,
            _ => self.skip_value()?,
        }
        debug_assert!(self.text.is_char_boundary(start) && self.text.is_char_boundary(self.i));
        // SAFETY: a value starts at an ASCII byte (`"`, `[`, `{`, `-`, a
        // digit or a literal's letter) and ends after one (its closing
        // quote, bracket or brace, a digit or a letter), so both ends are
        // character boundaries of the text
        Ok(unsafe { self.text.get_unchecked(start..self.i) })
    }
}

/// A key's length and first eight bytes as one number: two keys of equal
/// words are equal when they are at most eight bytes long, and need their
/// rest compared otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyWord(u64, usize);

impl KeyWord {
    #[inline(always)]
    pub const fn of(k: &[u8]) -> KeyWord {
        let mut w = 0u64;
        let mut i = 0;
        while i < k.len() && i < 8 {
            w |= (k[i] as u64) << (8 * i);
            i += 1;
        }
        KeyWord(w, k.len())
    }

    /// [`KeyWord::of`] of a key read from a line, without a byte loop for
    /// keys of four bytes or more (two loads that may overlap).
    #[inline(always)]
    pub fn of_key(k: &[u8]) -> KeyWord {
        let n = k.len();
        let w = if let Some(eight) = k.get(..8) {
            u64::from_le_bytes(eight.try_into().expect("8 bytes"))
        } else if n >= 4 {
            let lo = u32::from_le_bytes(k[..4].try_into().expect("4 bytes")) as u64;
            let hi = u32::from_le_bytes(k[n - 4..].try_into().expect("4 bytes")) as u64;
            lo | hi << (8 * (n - 4))
        } else {
            return KeyWord::of(k);
        };
        KeyWord(w, n)
    }

    /// True when a key of this word is `key`: the word holds all of a key
    /// of up to eight bytes; a longer one has the rest compared.
    #[inline(always)]
    pub fn is(self, key: &[u8], named: KeyWord, name: &[u8]) -> bool {
        if self != named {
            return false;
        }
        let n = name.len();
        match n {
            0..=8 => true,
            // the last eight bytes of each, overlapping the first eight (no
            // call to compare a few bytes)
            9..=16 => {
                let tail = |s: &[u8]| u64::from_le_bytes(s[n - 8..n].try_into().expect("8 bytes"));
                tail(key) == tail(name)
            }
            _ => key[8..] == name[8..],
        }
    }
}

/// What a field is read as.
pub trait Scan<'a>: Sized {
    fn scan(p: &mut Parser<'a>) -> Result<Self>;
}

/// An object read member by member (called at its `{`).
pub trait ScanObject<'a>: Sized {
    fn scan_object(p: &mut Parser<'a>) -> Result<Self>;

    /// [`ScanObject::scan_object`] into `out`, which starts empty.
    fn scan_object_into(p: &mut Parser<'a>, out: &mut Self) -> Result<()> {
        *out = Self::scan_object(p)?;
        Ok(())
    }
}

/// A field written as `null` is absent.
impl<'a, T: Scan<'a>> Scan<'a> for Option<T> {
    #[inline(always)]
    fn scan(p: &mut Parser<'a>) -> Result<Self> {
        if p.peek() == Some(b'n') {
            p.literal(b"null")?;
            return Ok(None);
        }
        T::scan(p).map(Some)
    }
}

impl<'a, T: ScanObject<'a>> Scan<'a> for Field<'a, T> {
    #[inline(always)]
    fn scan(p: &mut Parser<'a>) -> Result<Self> {
        match p.peek() {
            Some(b'"') => p.string().map(Field::Str),
            Some(b'{') => T::scan_object(p).map(Field::Obj),
            Some(b'-' | b'0'..=b'9') => p.number().map(Field::Num),
            Some(b't') => p.literal(b"true").map(|_| Field::Bool(true)),
            Some(b'f') => p.literal(b"false").map(|_| Field::Bool(false)),
            Some(b'[' | b'n') => p.skip_value().map(|_| Field::Other),
            Some(_) => Err(p.error("expected value")),
            None => Err(p.eof()),
        }
    }
}

/// A list's items, or any other value checked and passed over.
impl<'a, T: Scan<'a>> Scan<'a> for Listed<T> {
    fn scan(p: &mut Parser<'a>) -> Result<Self> {
        if p.peek() != Some(b'[') {
            return p.skip_value().map(|_| Listed::NotAList);
        }
        let mut out = Vec::new();
        p.array(|p| {
            out.push(T::scan(p)?);
            Ok(())
        })?;
        Ok(Listed::Items(out))
    }
}

impl<'a> Scan<'a> for RawJson<'a> {
    #[inline(always)]
    fn scan(p: &mut Parser<'a>) -> Result<Self> {
        p.raw_value().map(RawJson::new)
    }
}

impl<'a> ScanObject<'a> for Checked {
    fn scan_object(p: &mut Parser<'a>) -> Result<Self> {
        p.skip_value().map(|_| Checked)
    }
}

impl<'a, T: ScanObject<'a>> ScanObject<'a> for Box<T> {
    #[inline]
    fn scan_object(p: &mut Parser<'a>) -> Result<Self> {
        T::scan_object(p).map(Box::new)
    }
}

/// Reads one line as the object `T`.
pub fn parse<'a, T: ScanObject<'a> + Default>(text: &'a str) -> Result<T> {
    Parser::new(text).document()
}

/// [`parse`] into `out`, which starts empty.
pub fn parse_into<'a, T: ScanObject<'a>>(text: &'a str, out: &mut T) -> Result<()> {
    Parser::new(text).document_into(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every decimal of up to 15 digits reads as the standard library reads it.
    #[test]
    fn short_decimals_read_as_the_standard_library_does() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let int = x % 10u64.pow((x >> 60) as u32 % 8);
            let frac_digits = (x >> 40) as usize % 8;
            let frac = (x >> 8) % 10u64.pow(frac_digits as u32);
            let sign = if x & 1 == 1 { "-" } else { "" };
            let text =
                if frac_digits == 0 { format!("{sign}{int}.0") } else { format!("{sign}{int}.{frac:0frac_digits$}") };
            let got = Parser::new(&text).number().unwrap();
            let want: f64 = text.parse().unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "{text}");
        }
        for text in ["0.1", "0.3", "-0.0", "123456789012.345", "999999999999999.0", "0.000000000000001"] {
            let want: f64 = text.parse().unwrap();
            assert_eq!(Parser::new(text).number().unwrap().to_bits(), want.to_bits(), "{text}");
        }
    }

    #[test]
    fn numbers_end_and_read_as_the_grammar_and_the_standard_library_say() {
        // the longest prefix that is a JSON number, read by `str::parse`
        // (the caller judges what follows it)
        let grammar = regex::Regex::new(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?").unwrap();
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "7",
            "10",
            "10.291",
            "0.5",
            "-0.5",
            "01",
            "00.5",
            "0.",
            "1.",
            "-",
            "-a",
            ".5",
            "1e5",
            "1E-2",
            "2.5e3",
            "1.5x",
            "12,",
            "123456789012345",
            "1234567890123456",
            "12345678901234.5",
            "1234567890123.45",
            "99999999999999999999",
            "0.000000000000001",
            "768.584]",
            "-12.0}",
            "1.0e",
            "5 ",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = 1 + (x >> 58) as usize % 18;
            let mut t = String::new();
            if x & 1 == 1 {
                t.push('-');
            }
            for k in 0..digits {
                t.push(char::from(b'0' + ((x >> (k * 3 % 60)) % 10) as u8));
            }
            if x & 2 == 2 {
                let at = 1 + (x >> 20) as usize % t.len().max(1);
                t.insert(at.min(t.len()), '.');
            }
            texts.push(t);
        }
        for t in &texts {
            let mut p = Parser::new(t);
            let got = p.number().map(|v| (v.to_bits(), p.position()));
            // a fraction or exponent begun and not finished is an error
            let dangling = |m: regex::Match| matches!(t.as_bytes().get(m.end()), Some(b'.' | b'e' | b'E'));
            match grammar.find(t).filter(|m| !dangling(*m)) {
                Some(m) => {
                    let want: f64 = m.as_str().parse().unwrap();
                    assert_eq!(got.ok(), Some((want.to_bits(), m.end())), "{t}");
                }
                None => assert!(got.is_err(), "{t}"),
            }
        }
    }

    #[test]
    fn blocks_compare_as_slices_do() {
        // every length and place, the text padded as shapes pad it, lines
        // that end inside the blocks, and a difference at every byte
        let line: Vec<u8> = (0..80u8).map(|i| b'a' + i % 26).collect();
        for len in 0..=40 {
            for at in 0..=line.len() - len {
                let mut text = line[at..at + len].to_vec();
                text.extend_from_slice(&[0; 16]);
                for end in [at + len, line.len()] {
                    assert!(Blocks::of(len).equal(&line[..end], at, &text, len), "len {len} at {at} end {end}");
                }
                for k in 0..len {
                    let mut other = text.clone();
                    other[k] ^= 1;
                    assert!(!Blocks::of(len).equal(&line, at, &other, len), "len {len} at {at}, byte {k}");
                }
            }
        }
    }

    #[test]
    fn key_words_of_every_length_agree() {
        let text = b"abcdefghijklmnopqrstuvwx";
        for n in 0..=text.len() {
            let k = &text[..n];
            assert_eq!(KeyWord::of_key(k), KeyWord::of(k), "length {n}");
            assert!(KeyWord::of_key(k).is(k, KeyWord::of(k), k), "length {n}");
            // a key differing from it in any one byte is not it
            for at in 0..n {
                let mut other = k.to_vec();
                other[at] = b'Z';
                assert!(!KeyWord::of_key(&other).is(&other, KeyWord::of(k), k), "length {n}, byte {at}");
            }
        }
    }

    fn verdict(text: &str) -> std::result::Result<(), String> {
        let mut p = Parser::new(text);
        match p.peek() {
            Some(b'{') => p.document::<Checked>().map(|_| ()).map_err(|e| e.0),
            _ => {
                p.skip_value().map_err(|e| e.0)?;
                if p.peek().is_some() { Err("trailing".into()) } else { Ok(()) }
            }
        }
    }

    #[test]
    fn values_serde_json_takes_are_taken() {
        for ok in [
            r#"{}"#,
            r#"{"a":1,"b":[1,2,{"c":null}],"d":"x\"y\\u00e9\ud83d\ude00"}"#,
            r#" { "a" : -0.5e-3 , "b" : true , "c" : false } "#,
            r#"{"n":18446744073709551616,"m":-9223372036854775809,"f":1.7976931348623157e308}"#,
            "{\"tab\":\"a\\tb\",\"é\":\"ü\"}",
        ] {
            assert_eq!(verdict(ok), Ok(()), "{ok}");
            assert!(serde_json::from_str::<serde_json::Value>(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn what_serde_json_refuses_is_refused() {
        for bad in [
            r#"{"a":1"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":1e}"#,
            r#"{"a":-}"#,
            r#"{"a":1e400}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":"\udc00"}"#,
            r#"{"a":"\u12g4"}"#,
            "{\"a\":\"line\nbreak\"}",
            r#"{"a":[1,]}"#,
            r#"{"a":tru}"#,
            r#"{"a":nul}"#,
            r#"{"a":1} x"#,
            r#"{"a":1}{}"#,
            r#"{"a":'x'}"#,
            r#"{"a":+1}"#,
            r#"{"a":.5}"#,
            r#"{"a":NaN}"#,
        ] {
            assert!(verdict(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<serde_json::Value>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arrays_of_plain_strings_read_as_element_by_element() {
        // the plain-strings path against the element-by-element reader: the
        // same verdict, reason and end, and serde_json's verdict
        for text in [
            r#"[]"#,
            r#"["a"]"#,
            r#"["reader","writer"]"#,
            r#"["",""]"#,
            r#"[ "a"]"#,
            r#"["a" ,"b"]"#,
            r#"["a", "b"]"#,
            r#"["a",]"#,
            r#"["a""b"]"#,
            r#"["a",1]"#,
            r#"["a\"b"]"#,
            r#"["a\u0041"]"#,
            "[\"a\tb\"]",
            r#"["a"#,
            r#"["a","#,
            r#"["a"]]"#,
            r#"["é","日本"]"#,
            r#"[["a"]]"#,
            r#"[""#,
            r#"["#,
        ] {
            let mut fast = Parser::new(text);
            let got = fast.skip_value().map(|_| fast.position()).map_err(|e| e.0);
            let mut slow = Parser::new(text);
            let want = slow.array(Parser::skip_value).map(|_| slow.position()).map_err(|e| e.0);
            assert_eq!(got, want, "{text}");
            let whole = got.is_ok_and(|end| end == text.len());
            assert_eq!(whole, serde_json::from_str::<serde_json::Value>(text).is_ok(), "{text}");
        }
        // as deep as allowed and one deeper
        for depth in [MAX_DEPTH - 1, MAX_DEPTH] {
            let text = format!("{}[\"a\"]{}", "[".repeat(depth), "]".repeat(depth));
            let mut p = Parser::new(&text);
            let mut q = Parser::new(&text);
            assert_eq!(p.skip_value().map_err(|e| e.0), q.array(Parser::skip_value).map_err(|e| e.0), "{depth}");
        }
    }

    #[test]
    fn repeated_keys_and_deep_nesting_are_refused() {
        assert!(verdict(r#"{"a":1,"a":2}"#).unwrap_err().starts_with("duplicate key"));
        assert!(verdict(r#"{"x":[{"a":1,"\u0061":2}]}"#).unwrap_err().starts_with("duplicate key"));
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(verdict(&format!("{{\"a\":{}}}", deep(MAX_DEPTH - 1))), Ok(()));
        assert_eq!(verdict(&format!("{{\"a\":{}}}", deep(MAX_DEPTH))), Err(format!("nesting deeper than {MAX_DEPTH}")));
    }

    #[test]
    fn strings_borrow_unless_escaped_and_numbers_read_exactly() {
        let mut p = Parser::new(r#""plain é" "a\nb\u00e9\ud83d\ude00""#);
        assert!(matches!(p.string().unwrap(), Cow::Borrowed("plain é")));
        p.skip_ws();
        assert_eq!(p.string().unwrap(), "a\nb\u{e9}\u{1f600}");
        for n in ["0", "-0", "12", "-12.5", "1e3", "1.5E-7", "123456789012345678901234", "9007199254740993"] {
            let mut p = Parser::new(n);
            assert_eq!(p.number().unwrap(), n.parse::<f64>().unwrap(), "{n}");
        }
    }

    #[test]
    fn the_swar_tests_find_every_stop_byte() {
        for stop in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
            for at in 0..8 {
                let mut w = *b"abcdefgh";
                w[at] = stop;
                assert_eq!(string_stops(u64::from_le_bytes(w)).trailing_zeros() / 8, at as u32, "{stop} at {at}");
                // a second stop above the first does not move it
                for later in at + 1..8 {
                    let mut v = w;
                    v[later] = b'"';
                    assert_eq!(string_stops(u64::from_le_bytes(v)).trailing_zeros() / 8, at as u32);
                }
            }
        }
        for w in [*b"abcdefgh", *b"\x20\x7f\x80\xff~!#[", [0xc3, 0xa9, b' ', b'0', b'9', b'{', b'}', b'/']] {
            assert_eq!(string_stops(u64::from_le_bytes(w)), 0, "{w:?}");
        }
        // every byte value, at every place, against the plain rule
        for c in 0..=255u8 {
            for at in 0..8 {
                let mut w = *b"abcdefgh";
                w[at] = c;
                let stop = c == b'"' || c == b'\\' || c < 0x20;
                let found = string_stops(u64::from_le_bytes(w));
                assert_eq!(found != 0, stop, "{c} at {at}");
                if stop {
                    assert_eq!(found.trailing_zeros() / 8, at as u32);
                }
            }
        }
    }

    #[test]
    fn plain_runs_end_where_a_byte_by_byte_search_does() {
        // every line length (the vector, word and tail paths), every start,
        // a stop byte at every place or none
        for len in 0..48 {
            for stop_at in (0..len).map(Some).chain([None]) {
                for stop in [b'"', b'\\', 0x1f] {
                    let mut line = vec![b'x'; len];
                    if let Some(at) = stop_at {
                        line[at] = stop;
                    }
                    let text = std::str::from_utf8(&line).expect("ASCII");
                    let p = Parser::new(text);
                    for start in 0..=len + 1 {
                        let plain = (start..len).find(|&k| matches!(line[k], b'"' | b'\\' | 0..=0x1f)).unwrap_or(len);
                        assert_eq!(p.plain_run(start), plain, "length {len}, stop at {stop_at:?}, start {start}");
                    }
                }
            }
        }
    }
}
