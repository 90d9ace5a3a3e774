//! The check of a line without integrity fields: one JSON object, as
//! serde_json reads it, in UTF-8.
//!
//! serde_json's verdict (`IgnoredAny`, which passes over every value) is
//! the reference, but most lines need not go through it: a logger writes
//! the same keys in the same order on every line. The first line of a
//! layout that serde_json takes is walked once more to learn its
//! *skeleton*: its text outside the values that are strings, numbers or
//! literals, or arrays of plain strings (the *leaves*). A later line whose
//! text outside its leaves is that text byte for byte (compared sixteen
//! bytes at a time), each leaf one complete valid value, is valid: it is a
//! valid line with each leaf replaced by another valid value that nests no
//! deeper. Anything else — another key, other spacing, an object where a
//! leaf was, a leaf that does not end or is not valid, a number serde_json
//! takes but an `f64` cannot hold, a lone surrogate escape — goes to
//! serde_json and the checks below, whose verdict stands. So the fast path
//! only ever says "valid" of lines they take, and every verdict of
//! "invalid" is theirs, with its column or key.
//!
//! The rules every command applies to a line hold here too (README,
//! Input): it is UTF-8 (RFC 8259 §8.1; serde_json passes over the bytes of
//! a string it ignores without checking them), it nests no deeper than
//! [`MAX_DEPTH`], and no object has a key twice ([`DUPLICATE_KEY`]: readers
//! disagree on which copy counts, so the entry says two things). serde_json
//! passing over values checks neither of the last two; a line whose
//! skeleton is learnt has the learnt line's keys and depth, which were
//! checked.

use crate::schema::scan::{Blocks, Pace, Parser, keep_first, plain_run, plain_strings_end};
#[cfg(doc)]
use crate::schema::{DUPLICATE_KEY, MAX_DEPTH};

/// The skeletons (and [`super::chained`]'s templates) kept at once.
pub(super) const SKELETONS: usize = 8;

/// The longest line whose skeleton is learnt.
const MAX_LEARNT_LINE: usize = 16 << 10;

/// What a leaf may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    /// A string, number or literal.
    Scalar,
    /// An array of plain strings (or `[]`), or a string, number or
    /// literal: the array's depth is the learnt line's.
    Strings,
}

/// One learnt skeleton.
pub(super) struct Skeleton {
    /// The line's text outside its leaves, then sixteen bytes of padding.
    text: Box<[u8]>,
    /// Per leaf: where the text before it ends in `text`, that text's
    /// blocks, and what the leaf may be.
    leaves: Box<[(usize, Blocks, Leaf)]>,
    /// The text after the last leaf: its length and blocks.
    tail: (usize, Blocks),
}

/// A leaf of a line that matched a skeleton: where it starts and ends, and
/// whether it is a string with an escape in it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// The values of a learnt line as a tree whose leaves are the skeleton's
/// (numbered in the line's order).
#[derive(Debug)]
pub(super) enum Tree {
    Leaf(usize),
    Object(Vec<(String, Tree)>),
    Array(Vec<Tree>),
}

/// The checker of one worker's lines: its skeletons, most recently
/// matched first.
#[derive(Default)]
pub struct JsonCheck {
    skeletons: Vec<Skeleton>,
    pace: Pace,
    /// Lines found valid by a skeleton, for the tests.
    #[cfg(test)]
    by_skeleton: u64,
}

impl JsonCheck {
    /// `Ok` when `line` is one JSON object in UTF-8, as serde_json reads
    /// it, no deeper than [`MAX_DEPTH`] and without a repeated key;
    /// otherwise why not (a repeated key's reason starts with
    /// [`DUPLICATE_KEY`]).
    pub fn check(&mut self, line: &[u8]) -> Result<(), String> {
        let text = simdutf8::basic::from_utf8(line).map_err(|_| {
            let e = simdutf8::compat::from_utf8(line).expect_err("invalid UTF-8");
            format!("invalid UTF-8 at column {}", e.valid_up_to() + 1)
        })?;
        let trying = self.pace.next_line();
        if trying {
            let mut p = Parser::new(text);
            if let Some(k) = self.skeletons.iter().position(|s| s.matches::<false>(line, &mut p, &mut Vec::new())) {
                self.skeletons[..=k].rotate_right(1);
                self.pace.hit();
                #[cfg(test)]
                {
                    self.by_skeleton += 1;
                }
                return Ok(());
            }
        }
        match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) if line.trim_ascii_start().starts_with(b"{") => {
                crate::schema::check_shape(line).map_err(|e| e.0)?;
                if trying
                    && !self.pace.paused()
                    && let Some((skeleton, _)) = Skeleton::learn(text)
                {
                    keep_first(&mut self.skeletons, skeleton, SKELETONS);
                }
                Ok(())
            }
            Ok(_) => Err("not a JSON object".into()),
            Err(e) => Err(format!("invalid JSON at column {}", e.column())),
        }
    }
}

/// Walks the value at `p`, noting its leaves (start, end, what they may
/// be) in order; its tree.
fn walk(p: &mut Parser<'_>, out: &mut Vec<(usize, usize, Leaf)>) -> Result<Tree, crate::schema::scan::ScanError> {
    let start = p.value_start();
    match p.bytes().get(start) {
        Some(b'{') => {
            let mut members = Vec::new();
            p.object(|p, key| {
                let value = walk(p, out)?;
                members.push((key.into_owned(), value));
                Ok(())
            })?;
            Ok(Tree::Object(members))
        }
        Some(b'[') => match plain_strings_end(p.bytes(), start) {
            Some(end) => {
                p.set_position(end);
                out.push((start, end, Leaf::Strings));
                Ok(Tree::Leaf(out.len() - 1))
            }
            None => {
                let mut items = Vec::new();
                p.array(|p| {
                    items.push(walk(p, out)?);
                    Ok(())
                })?;
                Ok(Tree::Array(items))
            }
        },
        _ => {
            p.skip_value()?;
            out.push((start, p.position(), Leaf::Scalar));
            Ok(Tree::Leaf(out.len() - 1))
        }
    }
}

/// The end of the number at `b[i]` by the JSON grammar, as serde_json
/// passes over one: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, at
/// any magnitude; `None` when it breaks the grammar.
#[inline]
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        let from = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > from).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => digits(i)?,
        _ => return None,
    };
    if b.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i)?;
    }
    Some(i)
}

impl Skeleton {
    /// The skeleton of `text`, a JSON object that passed the check, and its
    /// tree, when fsaudit's reader takes it too (it refuses lone surrogates
    /// and numbers out of an `f64`'s range, which serde_json passes over:
    /// such a line is not learnt) and it is not too long.
    pub(super) fn learn(text: &str) -> Option<(Skeleton, Tree)> {
        let b = text.as_bytes();
        if b.len() > MAX_LEARNT_LINE {
            return None;
        }
        let mut found = Vec::new();
        let mut p = Parser::new(text);
        let tree = walk(&mut p, &mut found).ok()?;
        if p.value_start() != b.len() || found.is_empty() {
            return None;
        }
        let mut skeleton = Vec::with_capacity(b.len() + 16);
        let mut leaves = Vec::with_capacity(found.len());
        let mut at = 0;
        for &(start, end, leaf) in &found {
            skeleton.extend_from_slice(&b[at..start]);
            leaves.push((skeleton.len(), Blocks::of(start - at), leaf));
            at = end;
        }
        skeleton.extend_from_slice(&b[at..]);
        skeleton.extend_from_slice(&[0; 16]);
        let tail = (b.len() - at, Blocks::of(b.len() - at));
        Some((Skeleton { text: skeleton.into(), leaves: leaves.into(), tail }, tree))
    }

    /// True when `b` (the text `p` reads) is of this skeleton, each leaf
    /// valid; with `SPANS`, `spans` then holds its leaves.
    #[inline]
    pub(super) fn matches<const SPANS: bool>(&self, b: &[u8], p: &mut Parser<'_>, spans: &mut Vec<Span>) -> bool {
        if SPANS {
            spans.clear();
        }
        let (mut pos, mut t) = (0, 0);
        for &(stretch_end, blocks, leaf) in self.leaves.iter() {
            if !blocks.equal(b, pos, &self.text[t..], stretch_end - t) {
                return false;
            }
            pos += stretch_end - t;
            t = stretch_end;
            let start = pos;
            let mut escaped = false;
            match (b.get(pos), leaf) {
                (Some(b'"'), _) => {
                    let end = plain_run(b, pos + 1);
                    if b.get(end) == Some(&b'"') {
                        pos = end + 1;
                    } else {
                        // an escape (or an error): the reader's check
                        p.set_position(pos);
                        if p.skip_value().is_err() {
                            return false;
                        }
                        pos = p.position();
                        escaped = true;
                    }
                }
                (Some(b'-' | b'0'..=b'9'), _) => match number_end(b, pos) {
                    Some(end) => pos = end,
                    None => return false,
                },
                (Some(b't'), _) if b[pos..].starts_with(b"true") => pos += 4,
                (Some(b'f'), _) if b[pos..].starts_with(b"false") => pos += 5,
                (Some(b'n'), _) if b[pos..].starts_with(b"null") => pos += 4,
                (Some(b'['), Leaf::Strings) => match plain_strings_end(b, pos) {
                    Some(end) => pos = end,
                    None => return false,
                },
                _ => return false,
            }
            if SPANS {
                spans.push(Span { start, end: pos, escaped });
            }
        }
        let (len, blocks) = self.tail;
        pos + len == b.len() && blocks.equal(b, pos, &self.text[t..], len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// The verdict without skeletons: UTF-8 (the standard library's
    /// check), serde_json's, an object, then depth and repeated keys.
    fn reference(line: &[u8]) -> Result<(), String> {
        if let Err(e) = std::str::from_utf8(line) {
            return Err(format!("invalid UTF-8 at column {}", e.valid_up_to() + 1));
        }
        match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) if line.trim_ascii_start().starts_with(b"{") => crate::schema::check_shape(line).map_err(|e| e.0),
            Ok(_) => Err("not a JSON object".into()),
            Err(e) => Err(format!("invalid JSON at column {}", e.column())),
        }
    }

    /// Values a leaf may become: valid ones of every kind, and ones
    /// serde_json refuses or that end where they should not.
    const VALUES: &[&str] = &[
        "\"plain\"",
        "\"\"",
        "\"with \\\"escapes\\\" \\n \\u00e9 \\ud83d\\ude00\"",
        "\"lone \\ud800 surrogate\"",
        "\"bad \\x escape\"",
        "\"bad \\u12g4 escape\"",
        "\"control \u{1} char\"",
        "\"tab\tinside\"",
        "\"unclosed",
        "\"é ü 漢字\"",
        "0",
        "-0",
        "01",
        "-",
        "1.",
        ".5",
        "1.5e3",
        "1E+9",
        "1e",
        "-12.25",
        "1e400",
        "123456789012345678901234567890",
        "true",
        "tru",
        "truex",
        "false",
        "fals",
        "falsy",
        "null",
        "nul",
        "nulL",
        "[]",
        "[\"a\",\"b\"]",
        "[\"a\", \"b\"]",
        "[\"a\",]",
        "[\"a\"",
        "[1,2]",
        "[[\"a\"]]",
        "{}",
        "{\"k\":1}",
        "{\"k\":}",
        "",
        " 7",
        "7 ",
    ];

    /// Layouts with `$` where a value goes; the last nests its value as
    /// deep as serde_json allows, so an array there is one level too deep.
    fn layouts() -> Vec<String> {
        let deepest = crate::schema::MAX_DEPTH - 1;
        let mut all: Vec<String> = LAYOUTS.iter().map(|l| l.to_string()).collect();
        all.push(format!(r#"{{"d":{}${}}}"#, "[".repeat(deepest), "]".repeat(deepest)));
        all
    }

    const LAYOUTS: &[&str] = &[
        r#"{"timestamp":$,"principal":{"username":$,"roles":$},"resource":{"name":$,"feature_views":$},"latency_ms":$,"ok":$}"#,
        r#"{ "a" : $ , "b" : [ $ , $ ] , "c" : { "d" : $ } }"#,
        r#"  {"nested":[[$,{"x":$}],$],"z":$}	"#,
        r#"{"a":$,"a":$}"#,
        r#"{"deep":[[[[[[[[[[$]]]]]]]]]]}"#,
        r#"{"u":$}"#,
        r#"["not",$,"an object"]"#,
        r#"{"cr":$}"#,
    ];

    fn line(layout: &str, rng: &mut StdRng, odd: bool) -> Vec<u8> {
        let mut out = String::new();
        for (k, part) in layout.split('$').enumerate() {
            if k > 0 {
                let v = if odd { VALUES[rng.random_range(0..VALUES.len())] } else { VALUES[rng.random_range(0..3)] };
                out.push_str(v);
            }
            out.push_str(part);
        }
        let mut b = out.into_bytes();
        match rng.random_range(0..40) {
            0 => b.truncate(rng.random_range(0..=b.len())),
            1 => b.push(b'x'),
            2 => b.push(b'\r'),
            3 => {
                let at = rng.random_range(0..=b.len());
                b.insert(at, 0xff);
            }
            4 => {
                let at = rng.random_range(0..b.len().max(1));
                if let Some(c) = b.get_mut(at) {
                    *c = b' ';
                }
            }
            _ => {}
        }
        b
    }

    #[test]
    fn verdicts_are_serde_jsons() {
        let mut matched = 0;
        let layouts = layouts();
        for seed in 0..60u64 {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut check = JsonCheck::default();
            for _ in 0..600 {
                let layout = &layouts[rng.random_range(0..layouts.len())];
                let odd = rng.random_range(0..5) == 0;
                let b = line(layout, &mut rng, odd);
                assert_eq!(check.check(&b), reference(&b), "{}", String::from_utf8_lossy(&b));
            }
            matched += check.by_skeleton;
        }
        // most valid lines took the fast path
        assert!(matched > 10_000, "{matched} lines matched a skeleton");
    }

    #[test]
    fn skeleton_matches_only_its_own_layout() {
        let mut check = JsonCheck::default();
        let first = br#"{"a":"x","b":[1,2],"c":["r","w"]}"#;
        assert_eq!(check.check(first), Ok(()));
        assert_eq!(check.skeletons.len(), 1);
        let fits = |check: &JsonCheck, b: &[u8]| {
            let mut p = Parser::new(std::str::from_utf8(b).unwrap());
            check.skeletons[0].matches::<false>(b, &mut p, &mut Vec::new())
        };
        // any leaf value, an array of plain strings where one was
        assert!(fits(&check, br#"{"a":null,"b":[-1.5e3,"s"],"c":[]}"#));
        assert!(fits(&check, br#"{"a":"\u00e9","b":[true,false],"c":["a","b","c"]}"#));
        assert!(fits(&check, br#"{"a":"x","b":[1,2],"c":"scalar"}"#));
        // an array where a scalar was (one level deeper), other spacing, other keys
        assert!(!fits(&check, br#"{"a":["x"],"b":[1,2],"c":["r"]}"#));
        assert!(!fits(&check, br#"{"a": "x","b":[1,2],"c":["r"]}"#));
        assert!(!fits(&check, br#"{"A":"x","b":[1,2],"c":["r"]}"#));
        // invalid leaves and text after the line
        assert!(!fits(&check, br#"{"a":"x","b":[01,2],"c":["r"]}"#));
        assert!(!fits(&check, br#"{"a":"\ud800","b":[1,2],"c":["r"]}"#));
        assert!(!fits(&check, br#"{"a":"x","b":[1,2],"c":["r"]} x"#));
        assert!(!fits(&check, br#"{"a":"x","b":[1,2],"c":["r" ]}"#));
    }

    #[test]
    fn bad_utf8_inside_a_string_is_malformed() {
        let mut check = JsonCheck::default();
        let line = b"{\"principal\":\"a\xffb\"}";
        // serde_json alone takes it: it does not look inside ignored strings
        assert!(serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok());
        assert_eq!(check.check(line), Err("invalid UTF-8 at column 16".into()));
        // and after a skeleton of that layout is learnt
        assert_eq!(check.check(br#"{"principal":"ab"}"#), Ok(()));
        assert_eq!(check.check(line), Err("invalid UTF-8 at column 16".into()));
    }

    #[test]
    fn repeated_keys_and_deep_nesting_are_refused_as_everywhere() {
        let mut check = JsonCheck::default();
        let dup = br#"{"a":{"b":1,"b":2}}"#;
        // serde_json alone takes both
        assert!(serde_json::from_slice::<serde::de::IgnoredAny>(dup).is_ok());
        assert_eq!(check.check(dup), Err(format!("{} \"b\"", crate::schema::DUPLICATE_KEY)));
        let deep = format!(r#"{{"d":{}1{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_slice::<serde::de::IgnoredAny>(deep.as_bytes()).is_ok());
        assert_eq!(check.check(deep.as_bytes()), Err(format!("nesting deeper than {}", crate::schema::MAX_DEPTH)));
        // learnt at the deepest depth allowed, an array in a scalar's place is one too deep
        let deepest = crate::schema::MAX_DEPTH - 1;
        let at = |v: &str| format!(r#"{{"d":{}{v}{}}}"#, "[".repeat(deepest), "]".repeat(deepest));
        assert_eq!(check.check(at("1").as_bytes()), Ok(()));
        assert_eq!(check.skeletons.len(), 1);
        assert_eq!(check.check(at("2").as_bytes()), Ok(()));
        assert_eq!(check.skeletons.len(), 1);
        assert!(check.check(at(r#"["x"]"#).as_bytes()).is_err());
    }

    #[test]
    fn a_poor_window_pauses_learning() {
        let mut check = JsonCheck::default();
        for i in 0..Pace::WINDOW {
            // every line a new layout: none matches
            let line = format!(r#"{{"k{i}":1}}"#);
            assert_eq!(check.check(line.as_bytes()), Ok(()));
        }
        assert!(check.pace.paused());
        let learnt = check.skeletons.len();
        assert_eq!(check.check(br#"{"new":1}"#), Ok(()));
        assert_eq!(check.skeletons.len(), learnt);
    }
}
