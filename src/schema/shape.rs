//! The structural rules every line must meet before any reader trusts it:
//! no nesting deeper than [`MAX_DEPTH`], and no object with the same key
//! twice, at any depth. Parsers disagree on a repeated key (the first wins
//! in some, the last in others, JCS keeps the last), so a line that has one
//! could say one thing to a report and another to the integrity chain; it is
//! malformed for every command.
//!
//! One forward walk over the bytes: strings are skipped with a vectorised
//! search for their closing quote, keys are fingerprinted as they end, and
//! each object's keys are compared when it closes (pairwise for the usual
//! handful, by sorting past that, so an object of a million keys costs
//! `n log n`, not `n²`).

use super::Malformed;

/// The deepest nesting of arrays and objects a line may have (serde_json's
/// own limit): deeper lines are malformed, not a stack overflow.
pub const MAX_DEPTH: usize = 127;

/// The reason every command gives for a repeated key.
pub const DUPLICATE_KEY: &str = "duplicate key";

/// One key of an open object: a fingerprint of its decoded text and where it
/// is in the line (the quotes excluded).
#[derive(Clone, Copy)]
struct Key {
    hash: u64,
    start: u32,
    end: u32,
    escaped: bool,
}

/// Objects with more keys than this are checked by sorting.
const PAIRWISE: usize = 16;

/// What one line's walk keeps: the keys of the objects still open, and for
/// each open bracket where its keys start (`u32::MAX` for an array).
#[derive(Default)]
struct Scratch {
    keys: Vec<Key>,
    open: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Checks only the depth of `line`, for readers whose parser refuses
/// repeated keys itself: a line with no more opening brackets than
/// [`MAX_DEPTH`] cannot nest deeper, which a vectorised count tells at once;
/// only the others are walked.
pub fn check_depth(line: &[u8]) -> Result<(), Malformed> {
    if memchr::memchr2_iter(b'{', b'[', line).count() <= MAX_DEPTH {
        return Ok(());
    }
    check(line)
}

/// Checks the depth and key uniqueness of `line` (one JSON text, ideally).
/// Invalid JSON is left to the parser; this walk only needs to not be fooled
/// by brackets and colons inside strings.
pub fn check(line: &[u8]) -> Result<(), Malformed> {
    if line.len() >= u32::MAX as usize {
        return Err(Malformed::new("line longer than 4 GiB"));
    }
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        s.keys.clear();
        s.open.clear();
        let r = walk(line, &mut s);
        if s.keys.capacity() > 4096 {
            s.keys = Vec::new();
        }
        r
    })
}

/// A block's bytes of interest, one bit per byte: quotes, backslashes, and
/// the structural `{ } [ ] :` (inside strings or not; that is decided later).
struct Masks {
    quote: u64,
    backslash: u64,
    structural: u64,
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn masks(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8};
    let (mut quote, mut backslash, mut structural) = (0u64, 0u64, 0u64);
    for (k, part) in block.chunks_exact(16).enumerate() {
        let lo = u64::from_le_bytes(part[..8].try_into().expect("8 bytes"));
        let hi = u64::from_le_bytes(part[8..].try_into().expect("8 bytes"));
        let v = _mm_set_epi64x(hi as i64, lo as i64);
        // `{` and `[`, `}` and `]` differ only in the 0x20 bit
        let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let open = _mm_cmpeq_epi8(folded, _mm_set1_epi8(b'{' as i8));
        let close = _mm_cmpeq_epi8(folded, _mm_set1_epi8(b'}' as i8));
        let colon = _mm_cmpeq_epi8(v, _mm_set1_epi8(b':' as i8));
        let q = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let bs = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        let st = _mm_or_si128(_mm_or_si128(open, close), colon);
        quote |= u64::from(_mm_movemask_epi8(q) as u16) << (16 * k);
        backslash |= u64::from(_mm_movemask_epi8(bs) as u16) << (16 * k);
        structural |= u64::from(_mm_movemask_epi8(st) as u16) << (16 * k);
    }
    Masks { quote, backslash, structural }
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64]) -> Masks {
    let (mut quote, mut backslash, mut structural) = (0u64, 0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        match b {
            b'"' => quote |= bit,
            b'\\' => backslash |= bit,
            b'{' | b'}' | b'[' | b']' | b':' => structural |= bit,
            _ => {}
        }
    }
    Masks { quote, backslash, structural }
}

/// The bytes escaped by a backslash, given the block's backslashes and
/// whether the previous block ended in an unescaped one (updated).
fn escaped(backslash: u64, carry: &mut bool) -> u64 {
    let mut escaped = u64::from(*carry);
    let mut pending = backslash & !escaped;
    *carry = false;
    while pending != 0 {
        let i = pending.trailing_zeros();
        pending &= pending - 1;
        if i == 63 {
            *carry = true;
        } else {
            escaped |= 1 << (i + 1);
            pending &= !(1 << (i + 1));
        }
    }
    escaped
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

fn walk(line: &[u8], s: &mut Scratch) -> Result<(), Malformed> {
    let (mut esc_carry, mut in_string) = (false, false);
    // the last two unescaped quotes of earlier blocks, latest first
    let mut quotes_before = [usize::MAX; 2];
    // keys are decoded only when the line has a backslash at all
    let escapes = memchr::memchr(b'\\', line).is_some();
    let mut block;
    for (n, chunk) in line.chunks(64).enumerate() {
        let base = n * 64;
        let bytes: &[u8; 64] = match chunk.try_into() {
            Ok(b) => b,
            Err(_) => {
                block = [b' '; 64];
                block[..chunk.len()].copy_from_slice(chunk);
                &block
            }
        };
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of every x86_64 target's baseline.
        let m = unsafe { masks(bytes) };
        #[cfg(not(target_arch = "x86_64"))]
        let m = masks(bytes);
        let quote = m.quote & !escaped(m.backslash, &mut esc_carry);
        let inside = prefix_xor(quote) ^ if in_string { u64::MAX } else { 0 };
        in_string = inside >> 63 == 1;
        let mut events = m.structural & !inside;
        while events != 0 {
            let bit = events.trailing_zeros();
            events &= events - 1;
            let pos = base + bit as usize;
            match line[pos] {
                b':' => {
                    // the key is between the last two quotes before the colon
                    let below = quote & ((1u64 << bit) - 1);
                    let last = |m: u64| base + 63 - m.leading_zeros() as usize;
                    let rest = below & !(1u64 << (63 - below.leading_zeros().min(63)));
                    let (open, close) = if below == 0 {
                        (quotes_before[1], quotes_before[0])
                    } else if rest == 0 {
                        (quotes_before[0], last(below))
                    } else {
                        (last(rest), last(below))
                    };
                    if let Some(&from) = s.open.last()
                        && from != u32::MAX
                        && open != usize::MAX
                        && open < close
                    {
                        add_key(line, &mut s.keys, open + 1, close, escapes);
                    }
                }
                b'{' | b'[' => {
                    if s.open.len() == MAX_DEPTH {
                        return Err(Malformed(format!("nesting deeper than {MAX_DEPTH}")));
                    }
                    let from = if line[pos] == b'{' { s.keys.len() as u32 } else { u32::MAX };
                    s.open.push(from);
                }
                _ => close(line, s)?,
            }
        }
        if quote != 0 {
            let top = 63 - quote.leading_zeros() as usize;
            let rest = quote & !(1u64 << top);
            let second = if rest == 0 { quotes_before[0] } else { base + 63 - rest.leading_zeros() as usize };
            quotes_before = [base + top, second];
        }
    }
    // an unclosed object still gets its keys compared (the parser will call
    // the line invalid JSON anyway, but no repeated key is let through)
    while !s.open.is_empty() {
        close(line, s)?;
    }
    Ok(())
}

fn add_key(line: &[u8], keys: &mut Vec<Key>, start: usize, end: usize, escapes: bool) {
    let text = &line[start..end];
    let escaped = escapes && text.contains(&b'\\');
    let hash = if escaped { fingerprint(decode(text).as_bytes()) } else { fingerprint(text) };
    keys.push(Key { hash, start: start as u32, end: end as u32, escaped });
}

/// Closes the innermost bracket, comparing its keys if it is an object.
fn close(line: &[u8], s: &mut Scratch) -> Result<(), Malformed> {
    if let Some(from) = s.open.pop()
        && from != u32::MAX
    {
        unique(line, &mut s.keys, from as usize)?;
        s.keys.truncate(from as usize);
    }
    Ok(())
}

/// A cheap 64-bit fingerprint of a key; equal keys have equal ones, and the
/// rare different keys that share one are told apart by their bytes.
fn fingerprint(b: &[u8]) -> u64 {
    let n = b.len();
    let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
    let mix = if n >= 8 {
        word(0) ^ word(n - 8).rotate_left(29)
    } else {
        b.iter().fold(0u64, |acc, &c| (acc << 8) | u64::from(c))
    };
    mix ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The text of a key with escapes, decoded as JSON does (a key that is not
/// valid JSON is compared as written).
fn decode(text: &[u8]) -> String {
    let mut quoted = Vec::with_capacity(text.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(text);
    quoted.push(b'"');
    serde_json::from_slice::<String>(&quoted).unwrap_or_else(|_| String::from_utf8_lossy(text).into_owned())
}

fn text_of(line: &[u8], k: &Key) -> std::borrow::Cow<'static, str> {
    let raw = &line[k.start as usize..k.end as usize];
    if k.escaped { decode(raw).into() } else { String::from_utf8_lossy(raw).into_owned().into() }
}

#[inline]
fn same(line: &[u8], a: &Key, b: &Key) -> bool {
    a.hash == b.hash && same_text(line, a, b)
}

#[cold]
fn same_text(line: &[u8], a: &Key, b: &Key) -> bool {
    if !a.escaped && !b.escaped {
        return line[a.start as usize..a.end as usize] == line[b.start as usize..b.end as usize];
    }
    text_of(line, a) == text_of(line, b)
}

/// Fails when two of `keys[from..]` (one object's) are the same key.
fn unique(line: &[u8], keys: &mut [Key], from: usize) -> Result<(), Malformed> {
    let obj = &mut keys[from..];
    let found = if obj.len() <= PAIRWISE {
        (1..obj.len()).find(|&j| obj[..j].iter().any(|a| same(line, a, &obj[j])))
    } else {
        obj.sort_unstable_by_key(|k| (k.hash, k.start));
        (1..obj.len()).find(|&j| {
            // every key of the same hash before j, so a collision between two
            // different keys does not hide a real repeat
            obj[..j].iter().rev().take_while(|k| k.hash == obj[j].hash).any(|k| same(line, k, &obj[j]))
        })
    };
    match found {
        None => Ok(()),
        Some(j) => {
            let key = text_of(line, &obj[j]);
            Err(Malformed(format!("{DUPLICATE_KEY} {}", shown(&key))))
        }
    }
}

/// A key as a JSON string, cut to 60 characters: control characters and
/// quotes stay escaped, whatever the line put there.
pub(super) fn shown(key: &str) -> String {
    let cut: String = key.chars().take(60).collect();
    let more = if cut.len() < key.len() { "…" } else { "" };
    format!("{}{more}", serde_json::to_string(&cut).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dup(line: &str) -> Option<String> {
        check(line.as_bytes()).err().map(|e| e.0)
    }

    #[test]
    fn repeated_keys_at_any_depth_are_found() {
        assert_eq!(dup(r#"{"a":1,"a":2}"#).as_deref(), Some(r#"duplicate key "a""#));
        assert!(dup(r#"{"x":[{"b":1},{"b":1,"c":{"d":0,"d":1}}]}"#).is_some());
        assert!(dup(r#"{"r\u0065sult":1, "result" :2}"#).is_some(), "escapes are decoded");
        assert!(dup(r#"{"a":{"a":1},"b":[{"a":1}],"c":"\"a\":1,\"a\":2"}"#).is_none(), "siblings and strings");
        assert!(dup(r#"{"a\\":1,"a":2}"#).is_none());
        let many: Vec<String> = (0..5000).map(|i| format!("\"k{i}\":{i}")).collect();
        assert!(dup(&format!("{{{}}}", many.join(","))).is_none());
        assert!(dup(&format!("{{{},\"k17\":0}}", many.join(","))).is_some());
    }

    #[test]
    fn nesting_is_limited() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(dup(&ok).is_none());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(dup(&deep).as_deref(), Some("nesting deeper than 127"));
        assert!(dup(&"{\"a\":".repeat(20_000)).unwrap().starts_with("nesting"));
    }

    #[test]
    fn a_hostile_key_is_shown_escaped() {
        let e = dup("{\"\u{1b}]8;;x\u{7}\":1,\"\u{1b}]8;;x\u{7}\":2}").unwrap();
        assert!(!e.contains('\u{1b}') && e.contains("\\u001b"), "{e}");
    }

    /// Independent oracle: a full serde_json parse that keeps each object's
    /// keys in a set.
    fn has_duplicate(v: &str) -> bool {
        serde_json::from_str::<Counted>(v).unwrap().0
    }

    /// Deserialises any JSON value, remembering whether any object repeated a key.
    struct Counted(bool);
    impl<'de> serde::Deserialize<'de> for Counted {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Counted;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("json")
                }
                fn visit_bool<E>(self, _: bool) -> Result<Counted, E> {
                    Ok(Counted(false))
                }
                fn visit_i64<E>(self, _: i64) -> Result<Counted, E> {
                    Ok(Counted(false))
                }
                fn visit_u64<E>(self, _: u64) -> Result<Counted, E> {
                    Ok(Counted(false))
                }
                fn visit_f64<E>(self, _: f64) -> Result<Counted, E> {
                    Ok(Counted(false))
                }
                fn visit_str<E>(self, _: &str) -> Result<Counted, E> {
                    Ok(Counted(false))
                }
                fn visit_unit<E>(self) -> Result<Counted, E> {
                    Ok(Counted(false))
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Counted, A::Error> {
                    let mut any = false;
                    while let Some(Counted(d)) = s.next_element()? {
                        any |= d;
                    }
                    Ok(Counted(any))
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Counted, A::Error> {
                    let mut seen = std::collections::HashSet::new();
                    let mut any = false;
                    while let Some(k) = m.next_key::<String>()? {
                        any |= !seen.insert(k);
                        any |= m.next_value::<Counted>()?.0;
                    }
                    Ok(Counted(any))
                }
            }
            d.deserialize_any(V)
        }
    }

    fn json_value() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("\\u0061".to_owned()),
            Just("a\\\"".to_owned()),
            Just("{[:,]}".to_owned())
        ];
        let leaf = prop_oneof![Just("1".to_owned()), Just("\"s\\\"}{\"".to_owned()), Just("null".to_owned())];
        leaf.prop_recursive(4, 32, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec((key.clone(), inner), 0..4).prop_map(|v| {
                    let kv: Vec<String> = v.into_iter().map(|(k, v)| format!("\"{k}\" : {v}")).collect();
                    format!("{{{}}}", kv.join(","))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn agrees_with_a_full_parse(v in json_value()) {
            prop_assert_eq!(check(v.as_bytes()).is_err(), has_duplicate(&v), "{}", v);
        }
    }
}
