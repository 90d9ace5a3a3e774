//! RFC 8785 (JCS) canonical JSON, and the entry checksum of DESIGN §4.

use serde_json::{Number, Value};
use sha2::{Digest, Sha256};

/// Integers beyond ±2^53 are not exact IEEE-754 doubles; JCS writes every
/// number as the double it denotes, so they are converted first.
const MAX_EXACT: u64 = 1 << 53;

fn as_doubles(v: &mut Value) {
    match v {
        Value::Number(n) => {
            let exact =
                n.as_u64().map(|u| u <= MAX_EXACT).or_else(|| n.as_i64().map(|i| i.unsigned_abs() <= MAX_EXACT));
            if exact == Some(false) {
                if let Some(d) = n.as_f64().and_then(Number::from_f64) {
                    *n = d;
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(as_doubles),
        Value::Object(map) => map.values_mut().for_each(as_doubles),
        _ => {}
    }
}

/// The canonical bytes of a JSON value.
pub fn canonical(v: &Value) -> Vec<u8> {
    let mut v = v.clone();
    as_doubles(&mut v);
    serde_jcs::to_vec(&v).expect("a JSON value always serialises")
}

/// Lowercase hex SHA-256 of the canonical form of `entry` without its
/// `integrity` member (which is taken out of `entry`).
pub fn entry_checksum(entry: &mut Value) -> String {
    let integrity = match entry {
        Value::Object(map) => map.remove("integrity"),
        _ => None,
    };
    as_doubles(entry);
    let mut hasher = Sha256::new();
    serde_jcs::to_writer(&mut hasher, &*entry).expect("hashing cannot fail");
    if let (Value::Object(map), Some(i)) = (entry, integrity) {
        map.insert("integrity".to_owned(), i);
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jcs(text: &str) -> String {
        String::from_utf8(canonical(&serde_json::from_str(text).unwrap())).unwrap()
    }

    /// RFC 8785 §3.2.2 and appendix B.
    #[test]
    fn rfc_8785_examples() {
        let input = r#"{
            "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
            "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
            "literals": [null, true, false]
        }"#;
        assert_eq!(
            jcs(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    /// RFC 8785 §3.2.3: keys sort by UTF-16 code units, not by code points.
    #[test]
    fn rfc_8785_key_order() {
        let input = r#"{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
            "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}"#;
        let keys: Vec<String> = jcs(input)
            .trim_matches(|c| c == '{' || c == '}')
            .split(',')
            .map(|kv| kv.split(':').next().unwrap().to_owned())
            .collect();
        assert_eq!(
            keys,
            ["\"\\r\"", "\"1\"", "\"\u{80}\"", "\"\u{f6}\"", "\"\u{20ac}\"", "\"\u{1f600}\"", "\"\u{fb33}\""]
        );
    }

    /// RFC 8785 appendix B: ECMAScript number serialisation.
    #[test]
    fn rfc_8785_numbers() {
        for (given, want) in [
            ("0", "0"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("1.0", "1"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123456789012345678901", "123456789012345680000"),
            ("9007199254740993", "9007199254740992"),
            ("-9007199254740993", "-9007199254740992"),
            ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("4.35", "4.35"),
        ] {
            assert_eq!(jcs(&format!("[{given}]")), format!("[{want}]"), "{given}");
        }
    }

    /// The shipped SOC 2 sample was written by another implementation.
    #[test]
    fn recorded_checksums_of_the_soc2_sample() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/soc2.jsonl");
        let text = std::fs::read_to_string(path).unwrap();
        let mut previous = Value::Null;
        for line in text.lines() {
            let mut v: Value = serde_json::from_str(line).unwrap();
            let computed = entry_checksum(&mut v);
            assert_eq!(v["integrity"]["checksum"], computed, "{line}");
            assert_eq!(v["integrity"]["previousLogHash"], previous);
            previous = v["integrity"]["checksum"].clone();
        }
    }
}
