//! The entry checksum without building a `serde_json::Value`: a borrowed
//! tree (strings point into the line) written out in RFC 8785 form straight
//! into the hash. `jcs::canonical` (serde_jcs) is the reference it is
//! tested against.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use sha2::{Digest, Sha256};

/// A JSON value borrowing its strings from the input where it can.
#[derive(Debug)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(Cow<'a, str>),
    Arr(Vec<Node<'a>>),
    Obj(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// How the error of an entry with a number JCS cannot pin down begins.
pub const UNSAFE_NUMBER: &str = "unsafe number";

/// The first number whose magnitude reaches 2^53: past it, doubles skip
/// integers, so `12345678901234567891` and `…567000` hash alike (RFC 8785
/// numbers are doubles; I-JSON, RFC 7493, keeps integers below 2^53).
fn unsafe_number(node: &Node<'_>) -> Option<f64> {
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    match node {
        Node::Num(n) if n.abs() >= LIMIT => Some(*n),
        Node::Arr(items) => items.iter().find_map(unsafe_number),
        Node::Obj(members) => members.iter().find_map(|(_, v)| unsafe_number(v)),
        _ => None,
    }
}

pub use crate::schema::DUPLICATE_KEY;

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(v))
    }
    // JCS writes every number as the IEEE-754 double it denotes
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node<'de>, E> {
        Ok(Node::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node<'de>, E> {
        Ok(Node::Num(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node<'de>, E> {
        Ok(Node::Num(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut members: Vec<(Cow<'de, str>, Node<'de>)> = Vec::new();
        let mut seen = crate::schema::KeySet::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            // JCS would keep the last of two equal keys while other readers keep the first:
            // an entry that says two things is no entry to verify
            seen.insert(key.0.clone())?;
            members.push((key.0, map.next_value()?));
        }
        Ok(Node::Obj(members))
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_str(NodeVisitor)? {
            Node::Str(s) => Ok(Key(s)),
            _ => Err(de::Error::custom("object keys are strings")),
        }
    }
}

/// Writes the canonical form of `node` (members sorted by UTF-16 code
/// units; of duplicate keys the last wins, as in `serde_json::Value`).
pub fn write_canonical(node: &mut Node<'_>, out: &mut Vec<u8>) {
    match node {
        Node::Null => out.extend_from_slice(b"null"),
        Node::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Node::Num(n) => {
            if *n == 0.0 {
                out.push(b'0');
            } else {
                out.extend_from_slice(ryu_js::Buffer::new().format(*n).as_bytes());
            }
        }
        Node::Str(s) => write_str(s, out),
        Node::Arr(items) => {
            out.push(b'[');
            for (i, item) in items.iter_mut().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Node::Obj(members) => {
            // stable sort keeps duplicates in input order; then keep the last of each
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            let mut first = true;
            for i in 0..members.len() {
                if members.get(i + 1).is_some_and(|next| next.0 == members[i].0) {
                    continue;
                }
                if !first {
                    out.push(b',');
                }
                first = false;
                let (k, v) = &mut members[i];
                write_str(k, out);
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
    }
}

/// Writes `s` as RFC 8785 writes a string: quoted, with quotes,
/// backslashes and control characters escaped and nothing else.
pub(super) fn write_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// What an entry records about itself, and what it hashes to.
#[derive(Debug, PartialEq, Eq)]
pub struct EntryHash {
    /// `integrity.checksum`, lowercase; `None` when missing or not a string.
    pub recorded: Option<String>,
    /// `integrity.previousLogHash`: `Ok(None)` for null, `Err` when not a string or null.
    pub previous: Result<Option<String>, ()>,
    pub computed: String,
}

/// Parses an entry that has an `integrity` member and hashes the rest.
/// `Ok(None)` when the line is an object without `integrity`.
pub fn hash_entry(line: &[u8], buf: &mut Vec<u8>) -> Result<Option<EntryHash>, String> {
    let mut node: Node<'_> = serde_json::from_slice(line).map_err(|e| {
        let text = e.to_string();
        match text.find(DUPLICATE_KEY) {
            Some(i) => text[i..].split(" at line ").next().unwrap_or(DUPLICATE_KEY).to_owned(),
            None => format!("invalid JSON at column {}", e.column()),
        }
    })?;
    if let Some(n) = unsafe_number(&node) {
        return Err(format!(
            "{UNSAFE_NUMBER} {n} (beyond ±2^53: other digits denote the same double, so the checksum cannot vouch for them)"
        ));
    }
    let Node::Obj(members) = &mut node else { return Err("not a JSON object".into()) };
    let Some(pos) = members.iter().rposition(|(k, _)| k == "integrity") else { return Ok(None) };
    let (_, integrity) = members.remove(pos);
    members.retain(|(k, _)| k != "integrity");
    let field = |name: &str| match &integrity {
        Node::Obj(m) => m.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v),
        _ => None,
    };
    let recorded = match field("checksum") {
        Some(Node::Str(s)) => Some(s.to_ascii_lowercase()),
        _ => None,
    };
    let previous = match field("previousLogHash") {
        None | Some(Node::Null) => Ok(None),
        Some(Node::Str(s)) => Ok(Some(s.to_ascii_lowercase())),
        Some(_) => Err(()),
    };
    buf.clear();
    write_canonical(&mut node, buf);
    Ok(Some(EntryHash { recorded, previous, computed: hex::encode(Sha256::digest(&buf[..])) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::jcs::canonical;
    use proptest::prelude::*;

    /// Arbitrary JSON: numbers of every size, strings with control and
    /// non-BMP characters, nested arrays and objects.
    fn json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
            "\\PC{0,12}|[\\x00-\\x1f\"\\\\é€😀]{0,6}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::vec(("\\PC{0,6}", inner), 0..6)
                    .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// `v` written with its object members in reverse order and with spaces.
    fn reordered(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::Object(m) => {
                let parts: Vec<String> = m
                    .iter()
                    .rev()
                    .map(|(k, v)| format!("{} :\t{}", serde_json::to_string(k).unwrap(), reordered(v)))
                    .collect();
                format!("{{ {} }}", parts.join(" ,\n "))
            }
            serde_json::Value::Array(a) => {
                format!("[ {} ]", a.iter().map(reordered).collect::<Vec<_>>().join(" , "))
            }
            other => other.to_string(),
        }
    }

    proptest! {
        #[test]
        fn jcs_is_stable_under_key_order_and_whitespace_and_matches_the_reference(v in json()) {
            let text = v.to_string();
            let (fast, reference) = both(&text);
            prop_assert_eq!(&fast, &reference);
            let (again, _) = both(&reordered(&v));
            prop_assert_eq!(fast, again);
        }
    }

    fn both(text: &str) -> (String, String) {
        let mut node: Node<'_> = serde_json::from_str(text).unwrap();
        let mut fast = Vec::new();
        write_canonical(&mut node, &mut fast);
        let reference = canonical(&serde_json::from_str(text).unwrap());
        (String::from_utf8(fast).unwrap(), String::from_utf8(reference).unwrap())
    }

    #[test]
    fn integers_beyond_2_53_are_refused() {
        let mut buf = Vec::new();
        let text = r#"{"n":12345678901234567891,"integrity":{"checksum":"x","previousLogHash":null}}"#;
        let err = hash_entry(text.as_bytes(), &mut buf).expect_err(text);
        assert!(err.starts_with(UNSAFE_NUMBER), "{err}");
        let fine = r#"{"n":9007199254740991,"integrity":{"checksum":"x","previousLogHash":null}}"#;
        assert!(hash_entry(fine.as_bytes(), &mut buf).is_ok());
    }

    #[test]
    fn a_key_written_twice_is_refused_at_any_depth() {
        let mut buf = Vec::new();
        for text in [
            r#"{"dup":1,"dup":2,"integrity":{"checksum":"x","previousLogHash":null}}"#,
            r#"{"a":{"b":[{"c":1,"c":1}]},"integrity":{"checksum":"x","previousLogHash":null}}"#,
        ] {
            let err = hash_entry(text.as_bytes(), &mut buf).expect_err(text);
            assert!(err.starts_with(DUPLICATE_KEY), "{err}");
        }
        // an entry of many keys is checked in linear time, not quadratic
        let keys: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\":0")).collect();
        let text = format!(r#"{{{},"k5":1,"integrity":{{"checksum":"x","previousLogHash":null}}}}"#, keys.join(","));
        let t = std::time::Instant::now();
        let err = hash_entry(text.as_bytes(), &mut buf).err().unwrap();
        assert_eq!(err, r#"duplicate key "k5""#);
        assert!(t.elapsed() < std::time::Duration::from_secs(10), "{:?}", t.elapsed());
    }

    #[test]
    fn agrees_with_serde_jcs() {
        for text in [
            r#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001,-0,-0.0,1e21,1e20,123456789012345678901,9007199254740993,5e-324,0.1]}"#,
            r#"{"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/\u0001\u001f\b\f\t\r","literals":[null,true,false]}"#,
            r#"{"\u20ac":1,"\r":2,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u0080":6,"\u00f6":7,"a":{"z":[],"y":{}}}"#,
            "[]",
            r#""just a string""#,
        ] {
            let (fast, reference) = both(text);
            assert_eq!(fast, reference, "{text}");
        }
        // every generated SOC 2 entry
        let g = crate::testgen::Generator::new(crate::testgen::GenOptions {
            events: 300,
            shape: crate::testgen::Shape::Soc2,
            ..Default::default()
        })
        .all();
        for line in &g.lines {
            let text = std::str::from_utf8(line).unwrap();
            let (fast, reference) = both(text);
            assert_eq!(fast, reference, "{text}");
        }
    }
}
