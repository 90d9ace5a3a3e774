//! The checksum of a chained entry of a layout already seen, without
//! building its tree.
//!
//! An entry's checksum is the SHA-256 of its RFC 8785 form without its
//! `integrity` member ([`super::fast::hash_entry`]): members sorted by key,
//! no whitespace, strings and numbers written canonically. For lines of
//! one layout (the same keys in the same order, [`super::bare`]'s
//! skeleton) that form is fixed text with the values in a fixed order: the
//! order sorting the learnt line's keys gives. So the first entry of a
//! layout that the tree path hashes is learnt as a *template* (the
//! canonical text between values, and which value goes in each hole), and
//! a later line of its skeleton is hashed by copying its values into the
//! holes, each as it stands in the line when that is already its canonical
//! form: a string without an escape (JCS escapes only quotes, backslashes
//! and control characters, which such a string does not hold), an array of
//! such strings written without spaces, a literal, or a number whose digits
//! are the shortest that name its double (see [`canonical_number`]). Any
//! other value — a string with an escape, `1.50`, `1e3`, `-0` — and the
//! line goes through the tree path, as does every line of no template.
//! The tree path stays the reference: the tests compare both on every line.

use sha2::{Digest, Sha256};

use super::bare::{SKELETONS, Skeleton, Span, Tree};
use super::fast::{EntryHash, hash_entry, write_str};
use crate::schema::scan::{Pace, Parser, keep_first};

/// A piece of a template: canonical text (a range of the template's text),
/// or the value of a leaf.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Text(u32, u32),
    Leaf(u32),
}

/// A learnt layout of chained entries.
struct Template {
    skeleton: Skeleton,
    text: Vec<u8>,
    pieces: Vec<Piece>,
    /// The leaves of `integrity.checksum` and `integrity.previousLogHash`,
    /// when the learnt entry has them.
    checksum: Option<usize>,
    previous: Option<usize>,
}

/// The hasher of one worker's chained entries: its templates, most
/// recently matched first.
#[derive(Default)]
pub struct ChainHash {
    templates: Vec<Template>,
    pace: Pace,
    spans: Vec<Span>,
    /// Entries hashed by a template, for the tests.
    #[cfg(test)]
    by_template: u64,
}

impl ChainHash {
    /// [`hash_entry`]'s answer for `line`, through a template when the
    /// line is of one and each value it hashes is written canonically.
    pub fn hash_entry(&mut self, line: &[u8], buf: &mut Vec<u8>) -> Result<Option<EntryHash>, String> {
        let trying = self.pace.next_line();
        let mut matched = false;
        if trying && let Ok(text) = simdutf8::basic::from_utf8(line) {
            let mut p = Parser::new(text);
            for k in 0..self.templates.len() {
                let t = &self.templates[k];
                if !t.skeleton.matches::<true>(line, &mut p, &mut self.spans) {
                    continue;
                }
                matched = true;
                if let Some(h) = t.hash(line, &self.spans, buf) {
                    self.templates[..=k].rotate_right(1);
                    self.pace.hit();
                    #[cfg(test)]
                    {
                        self.by_template += 1;
                    }
                    return Ok(Some(h));
                }
                break;
            }
        }
        let hashed = hash_entry(line, buf);
        if trying
            && !matched
            && !self.pace.paused()
            && matches!(hashed, Ok(Some(_)))
            && let Some(t) = std::str::from_utf8(line).ok().and_then(Template::learn)
        {
            keep_first(&mut self.templates, t, SKELETONS);
        }
        hashed
    }
}

impl Template {
    /// The template of `text`, an entry the tree path hashed; `None` when
    /// its `integrity` member is not an object of leaves.
    fn learn(text: &str) -> Option<Template> {
        let (skeleton, tree) = Skeleton::learn(text)?;
        let Tree::Object(members) = &tree else { return None };
        let (mut checksum, mut previous) = (None, None);
        // the last `integrity` is the one hashed away (keys are unique in a learnt line)
        let integrity = members.iter().rposition(|(k, _)| k == "integrity")?;
        let Tree::Object(fields) = &members[integrity].1 else { return None };
        for (k, v) in fields {
            let slot = match k.as_str() {
                "checksum" => &mut checksum,
                "previousLogHash" => &mut previous,
                _ => continue,
            };
            match v {
                Tree::Leaf(i) => *slot = Some(*i),
                _ => return None,
            }
        }
        let mut t = Template { skeleton, text: Vec::new(), pieces: Vec::new(), checksum, previous };
        let mut open = 0;
        t.write(&tree, Some(integrity), &mut open);
        t.close_text(&mut open);
        Some(t)
    }

    /// Writes `tree` canonically, leaving holes for its leaves; at the
    /// top, the member at `skip` (`integrity`) left out.
    fn write(&mut self, tree: &Tree, skip: Option<usize>, open: &mut usize) {
        match tree {
            Tree::Leaf(i) => {
                self.close_text(open);
                self.pieces.push(Piece::Leaf(*i as u32));
            }
            Tree::Array(items) => {
                self.text.push(b'[');
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        self.text.push(b',');
                    }
                    self.write(item, None, open);
                }
                self.text.push(b']');
            }
            Tree::Object(members) => {
                let mut order: Vec<usize> = (0..members.len()).filter(|&i| Some(i) != skip).collect();
                order.sort_by(|&a, &b| members[a].0.encode_utf16().cmp(members[b].0.encode_utf16()));
                self.text.push(b'{');
                for (n, &i) in order.iter().enumerate() {
                    if n > 0 {
                        self.text.push(b',');
                    }
                    write_str(&members[i].0, &mut self.text);
                    self.text.push(b':');
                    self.write(&members[i].1, None, open);
                }
                self.text.push(b'}');
            }
        }
    }

    /// Ends the text piece that started at `open`, if any.
    fn close_text(&mut self, open: &mut usize) {
        if self.text.len() > *open {
            self.pieces.push(Piece::Text(*open as u32, self.text.len() as u32));
        }
        *open = self.text.len();
    }

    /// The entry's hash, when each of its values is written canonically
    /// in `line` (those of `integrity` too: the tree path refuses a number
    /// it cannot hold anywhere in the entry).
    #[inline]
    fn hash(&self, line: &[u8], spans: &[Span], buf: &mut Vec<u8>) -> Option<EntryHash> {
        if !spans.iter().all(|s| canonical(&line[s.start..s.end], s.escaped)) {
            return None;
        }
        buf.clear();
        for piece in &self.pieces {
            match *piece {
                Piece::Text(a, b) => buf.extend_from_slice(&self.text[a as usize..b as usize]),
                Piece::Leaf(i) => {
                    let s = spans[i as usize];
                    buf.extend_from_slice(&line[s.start..s.end]);
                }
            }
        }
        // a field's string, lowercase; `Err` for a string with an escape
        let string = |leaf: Option<usize>| -> Result<Option<String>, ()> {
            let Some(s) = leaf.map(|i| spans[i]) else { return Ok(None) };
            match line[s.start] {
                b'"' if s.escaped => Err(()),
                b'"' => Ok(Some(
                    std::str::from_utf8(&line[s.start + 1..s.end - 1]).expect("UTF-8 checked").to_ascii_lowercase(),
                )),
                _ => Ok(None),
            }
        };
        let recorded = string(self.checksum).ok()?;
        let previous = match self.previous.map(|i| &line[spans[i].start..spans[i].end]) {
            None | Some(b"null") => Ok(None),
            Some([b'"', ..]) => Ok(string(self.previous).ok()?),
            Some(_) => Err(()),
        };
        Some(EntryHash { recorded, previous, computed: hex::encode(Sha256::digest(&buf[..])) })
    }
}

/// True when a leaf's text is its canonical form: a string without an
/// escape, an array of such strings (a skeleton's arrays of strings have
/// no spaces), a literal, or a [`canonical_number`].
#[inline]
fn canonical(value: &[u8], escaped: bool) -> bool {
    match value[0] {
        b'"' => !escaped,
        b'[' | b't' | b'f' | b'n' => true,
        _ => canonical_number(value),
    }
}

/// True when `n`, a number by the JSON grammar, is written as RFC 8785
/// (ECMAScript's `Number.prototype.toString`) writes its double: no
/// exponent, at most 15 significant digits (every such decimal is the
/// shortest that names its double, so the shortest digits are its own), no
/// trailing zero after the point, not zero with a sign or a fraction, and
/// no more than five zeros between the point and the first digit (from
/// 10⁻⁷ down, ECMAScript writes an exponent).
fn canonical_number(n: &[u8]) -> bool {
    let digits = n.strip_prefix(b"-").unwrap_or(n);
    if digits.iter().any(|&c| c == b'e' || c == b'E') {
        return false;
    }
    let (int, fraction) = match digits.iter().position(|&c| c == b'.') {
        Some(dot) => (&digits[..dot], &digits[dot + 1..]),
        None => (digits, &b""[..]),
    };
    if fraction.last() == Some(&b'0') {
        return false;
    }
    if int == b"0" {
        // zero itself only as `0`; a fraction: at most five zeros after the point
        let zeros = fraction.iter().take_while(|&&c| c == b'0').count();
        if fraction.is_empty() {
            return n == b"0";
        }
        return zeros <= 5 && fraction.len() - zeros <= 15;
    }
    int.len() + fraction.len() <= 15
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    #[test]
    fn numbers_written_canonically_are_what_the_canonical_writer_writes() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut accepted = 0;
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "0.0",
            "1",
            "-1",
            "10",
            "200",
            "10.291",
            "10.290",
            "0.5",
            "-3.25",
            "0.000001",
            "0.0000001",
            "0.00000123",
            "123456789012345",
            "1234567890123456",
            "12345678901234.5",
            "1234567890123.45",
            "0.123456789012345",
            "0.1234567890123456",
            "9007199254740993",
            "1.0",
            "1e5",
            "1E-7",
            "100.5",
            "99999999999999.9",
            "0.30000000000000004",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..20_000 {
            let int = match rng.random_range(0..4) {
                0 => "0".to_string(),
                1 => rng.random_range(1..10u64).to_string(),
                2 => rng.random_range(1..1_000_000u64).to_string(),
                _ => rng.random_range(1..u64::MAX / 2).to_string(),
            };
            let zeros = "0".repeat(rng.random_range(0..8));
            let fraction = match rng.random_range(0..3) {
                0 => String::new(),
                1 => format!(".{zeros}{}", rng.random_range(0..1000u32)),
                _ => format!(".{zeros}{}", rng.random_range(0..u64::MAX)),
            };
            let sign = if rng.random_range(0..4) == 0 { "-" } else { "" };
            texts.push(format!("{sign}{int}{fraction}"));
        }
        for t in &texts {
            let value: f64 = t.parse().unwrap();
            let mut written = Vec::new();
            super::super::fast::write_canonical(&mut super::super::fast::Node::Num(value), &mut written);
            if canonical_number(t.as_bytes()) {
                accepted += 1;
                assert_eq!(String::from_utf8(written).unwrap(), *t, "{t} taken as written");
            }
        }
        assert!(accepted > 5_000, "{accepted} taken as written");
    }

    /// Values a leaf may become.
    const VALUES: &[&str] = &[
        "\"plain\"",
        "\"\"",
        "\"é ü 漢字 😀\"",
        "\"with \\\"escapes\\\" \\n \\u00e9\"",
        "\"\\u001f ctl\"",
        "\"lone \\ud800\"",
        "\"bad \\x\"",
        "0",
        "-0",
        "0.0",
        "10.291",
        "10.290",
        "1e5",
        "-12.25",
        "0.0000001",
        "9007199254740993",
        "1e400",
        "true",
        "false",
        "null",
        "[]",
        "[\"a\",\"b\"]",
        "[\"a\", \"b\"]",
        "{\"z\":1,\"a\":2}",
        "01",
        "tru",
    ];

    /// Chained layouts with `$` where a value goes (keys out of order, so
    /// that the template's order is not the line's).
    const LAYOUTS: &[&str] = &[
        r#"{"timestamp":$,"who":{"userId":$,"mfa":$},"what":{"resource":$,"action":$},"result":{"statusCode":$,"success":$},"performance":{"latencyMs":$},"integrity":{"checksum":$,"previousLogHash":$}}"#,
        // `ｶ` (U+FF76) sorts after `😀` by UTF-16 code units, before it by bytes
        r#"{"integrity":{"previousLogHash":$,"checksum":$},"z":$,"a":[$,{"é":$,"e":$}],"€":$,"😀":$,"ｶ":$}"#,
        r#"{ "b" : $ , "a" : $ , "integrity" : { "checksum" : $ } }"#,
        r#"{"a":$,"integrity":{"checksum":$,"previousLogHash":$,"extra":$},"roles":$}"#,
        r#"{"a":$,"integrity":$}"#,
        r#"{"a":{"integrity":{"checksum":$}},"b":$}"#,
        r#"{"a":$,"a":$,"integrity":{"checksum":$}}"#,
    ];

    fn checksum(rng: &mut StdRng) -> String {
        let hex: String = (0..64).map(|_| char::from(b"0123456789abcdefABCDEF"[rng.random_range(0..22)])).collect();
        format!("\"{hex}\"")
    }

    fn line(layout: &str, rng: &mut StdRng, odd: bool) -> Vec<u8> {
        let mut out = String::new();
        for (k, part) in layout.split('$').enumerate() {
            if k > 0 {
                let v = match rng.random_range(0..4) {
                    _ if odd => VALUES[rng.random_range(0..VALUES.len())].to_string(),
                    0 => checksum(rng),
                    1 => format!("{}.{}", rng.random_range(0..1000), rng.random_range(1..1000)),
                    2 => VALUES[rng.random_range(0..3)].to_string(),
                    _ => format!("\"v{}\"", rng.random_range(0..100)),
                };
                out.push_str(&v);
            }
            out.push_str(part);
        }
        let mut b = out.into_bytes();
        match rng.random_range(0..50) {
            0 => b.truncate(rng.random_range(0..=b.len())),
            1 => b.push(b'x'),
            2 => {
                let at = rng.random_range(0..=b.len());
                b.insert(at, 0xff);
            }
            _ => {}
        }
        b
    }

    #[test]
    fn hashes_by_template_are_the_tree_paths() {
        let mut by_template = 0u64;
        for seed in 0..40u64 {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut kept = ChainHash::default();
            for _ in 0..800 {
                // mostly the layouts a template is learnt for (a window of
                // mostly misses would pause the templates)
                let layout = if rng.random_range(0..8) == 0 {
                    LAYOUTS[rng.random_range(4..LAYOUTS.len())]
                } else {
                    LAYOUTS[rng.random_range(0..4)]
                };
                let odd = rng.random_range(0..6) == 0;
                let b = line(layout, &mut rng, odd);
                let (mut x, mut y) = (Vec::new(), Vec::new());
                let got = kept.hash_entry(&b, &mut x);
                assert_eq!(got, hash_entry(&b, &mut y), "{}", String::from_utf8_lossy(&b));
            }
            by_template += kept.by_template;
        }
        assert!(by_template > 10_000, "{by_template} hashed by a template");
    }

    #[test]
    fn a_template_writes_the_canonical_form() {
        let mut h = ChainHash::default();
        let first =
            r#"{"b":"x","a":[1,"y"],"integrity":{"checksum":"AB","previousLogHash":null},"c":{"é":true,"e":null}}"#
                .as_bytes();
        let (mut x, mut y) = (Vec::new(), Vec::new());
        assert!(h.hash_entry(first, &mut x).unwrap().is_some());
        assert_eq!(h.templates.len(), 1);
        let second =
            r#"{"b":"q","a":[2.5,"z"],"integrity":{"checksum":"CD","previousLogHash":"EF"},"c":{"é":false,"e":7}}"#
                .as_bytes();
        let got = h.hash_entry(second, &mut x).unwrap().unwrap();
        // written by hand from RFC 8785: keys sorted, integrity left out
        assert_eq!(String::from_utf8(x.clone()).unwrap(), r#"{"a":[2.5,"z"],"b":"q","c":{"e":7,"é":false}}"#);
        assert_eq!(got, hash_entry(second, &mut y).unwrap().unwrap());
        assert_eq!(h.templates.len(), 1);
    }
}
