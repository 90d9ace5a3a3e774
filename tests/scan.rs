//! The hot-path reader against serde_json, line by line: for every line,
//! valid or broken (truncated, bad escapes, bad numbers, trailing garbage,
//! repeated keys, deep nesting), fsaudit's verdict equals serde_json's
//! (with repeated keys refused, which serde_json lets through), and the
//! fields it extracts equal serde_json's values.

use fsaudit::schema::raw::{Field, RawLine};
use fsaudit::schema::scan;
use proptest::prelude::*;
use serde_json::Value;

/// serde_json's verdict, with fsaudit's two structural rules added: no key
/// twice in one object, no nesting deeper than 127 (serde_json's own limit).
fn oracle(text: &str) -> Option<Value> {
    let v: Value = serde_json::from_str(text).ok()?;
    fsaudit::schema::check_shape(text.as_bytes()).ok()?;
    v.is_object().then_some(v)
}

/// A scalar field as serde_json would give it (objects and arrays as `Obj`/`Other`).
fn scalar<T>(f: &Option<Field<'_, T>>) -> Option<Value> {
    match f.as_ref()? {
        Field::Str(s) => Some(Value::String(s.to_string())),
        Field::Num(n) => Some(serde_json::json!(n)),
        Field::Bool(b) => Some(Value::Bool(*b)),
        Field::Obj(_) => Some(Value::String("<object>".into())),
        Field::Other => Some(Value::String("<other>".into())),
    }
}

/// The same from serde_json's value: `null` is absent.
fn expected(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Null => None,
        Value::Number(n) => Some(serde_json::json!(n.as_f64().expect("a number"))),
        Value::Object(_) => Some(Value::String("<object>".into())),
        Value::Array(_) => Some(Value::String("<other>".into())),
        other => Some(other.clone()),
    }
}

fn same_number(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y || ((x - y) / y).abs() < 1e-15,
        _ => a == b,
    }
}

fn assert_same(what: &str, got: Option<Value>, want: Option<Value>, text: &str) {
    let equal = match (&got, &want) {
        (Some(g), Some(w)) => same_number(g, w),
        (None, None) => true,
        _ => false,
    };
    assert!(equal, "{what}: {got:?} against serde_json's {want:?} in {text}");
}

/// One line: the verdicts agree, and so do the fields read.
fn check(text: &str) {
    let ours = scan::parse::<RawLine>(text);
    let theirs = oracle(text);
    match (&ours, &theirs) {
        (Ok(_), None) => panic!("fsaudit takes a line serde_json refuses: {text}"),
        (Err(e), Some(_)) => panic!("fsaudit refuses a line serde_json takes ({}): {text}", e.0),
        _ => {}
    }
    let (Ok(raw), Some(v)) = (ours, theirs) else { return };
    for (name, got) in [
        ("timestamp", scalar(&raw.timestamp)),
        ("event_type", scalar(&raw.event_type)),
        ("outcome", scalar(&raw.outcome)),
        ("duration_ms", scalar(&raw.duration_ms)),
        ("status", scalar(&raw.status)),
        ("detail", scalar(&raw.detail)),
        ("requestor_id", scalar(&raw.requestor_id)),
        ("user", scalar(&raw.user)),
        ("request_id", scalar(&raw.request_id)),
    ] {
        assert_same(name, got, expected(v.get(name)), text);
    }
    if let Some(Field::Obj(p)) = &raw.principal {
        assert_same("principal.username", scalar(&p.username), expected(v.pointer("/principal/username")), text);
        let roles = p.roles.as_ref().map(|r| serde_json::from_str::<Value>(&r.as_raw_cow()).expect("raw roles"));
        assert_eq!(roles.as_ref(), v.pointer("/principal/roles").filter(|r| !r.is_null()), "{text}");
    }
    if let Some(Field::Obj(r)) = &raw.resource {
        assert_same("resource.name", scalar(&r.name), expected(v.pointer("/resource/name")), text);
    }
    if let Some(Field::Obj(s)) = &raw.source {
        assert_same("source.ip", scalar(&s.ip), expected(v.pointer("/source/ip")), text);
    }
    if let Some(views) = &raw.feature_views {
        let want = v["feature_views"].as_array().expect("an array");
        assert_eq!(views.len(), want.len(), "{text}");
        for (g, w) in views.iter().zip(want) {
            let g = match g {
                Field::Str(s) => Value::String(s.to_string()),
                Field::Num(n) => serde_json::json!(n),
                Field::Bool(b) => Value::Bool(*b),
                _ => Value::Null,
            };
            if !w.is_object() && !w.is_array() {
                assert!(same_number(&g, w), "feature_views: {g} against {w} in {text}");
            }
        }
    }
}

/// Real lines of every built-in schema, from the fixtures.
fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut out = Vec::new();
    for name in [
        "feast.jsonl",
        "feast-server.jsonl",
        "feast-sox.jsonl",
        "soc2.jsonl",
        "flat.jsonl",
        "pii-corpus.jsonl",
        "gateway.jsonl",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
        out.extend(text.lines().filter(|l| l.starts_with('{')).take(40).map(str::to_owned));
    }
    out.extend(
        [
            r#"{"timestamp":"2026-10-01T00:00:00Z","event_type":"e\u0041\n","outcome":"success","duration_ms":1e2}"#,
            r#"{"principal":{"username":"a\"b","roles":["r",{"k":[1,{"x":null}]}]},"feature_views":["a",1,true,null,[]]}"#,
            r#"{"duration_ms":-0.0,"status":"403","detail":"\ud83d\ude00 \/ \b\f\r\t","user":null}"#,
            r#"{"nested":{"a":{"b":{"c":[[[[{"d":1}]]]]}}},"request_id":123456789012345678901234567890}"#,
        ]
        .map(str::to_owned),
    );
    out
}

/// Ways to break or bend a line.
#[derive(Debug, Clone)]
enum Edit {
    Truncate(usize),
    Insert(usize, String),
    Replace(usize, usize, String),
    DuplicateKey(usize),
    Nest(usize, usize),
    Append(String),
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\\".to_owned()),
        Just("\\u".to_owned()),
        Just("\\ud800".to_owned()),
        Just("\\udc00\\ud800".to_owned()),
        Just("\\x".to_owned()),
        Just("\"".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("}".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("[".to_owned()),
        Just("1e999".to_owned()),
        Just("-".to_owned()),
        Just("01".to_owned()),
        Just("1.".to_owned()),
        Just("tru".to_owned()),
        Just("null".to_owned()),
        Just("\u{1}".to_owned()),
        Just("\n".to_owned()),
        Just(" ".to_owned()),
        Just("é".to_owned()),
        "[ -~]{0,6}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..400).prop_map(Edit::Truncate),
        (0usize..400, fragment()).prop_map(|(a, f)| Edit::Insert(a, f)),
        (0usize..400, 1usize..4, fragment()).prop_map(|(a, n, f)| Edit::Replace(a, n, f)),
        (0usize..20).prop_map(Edit::DuplicateKey),
        (0usize..400, 1usize..140).prop_map(|(a, d)| Edit::Nest(a, d)),
        prop_oneof![Just(" ".to_owned()), Just("x".to_owned()), Just("{}".to_owned()), Just("\t\r".to_owned())]
            .prop_map(Edit::Append),
    ]
}

/// The nearest character boundary at or below `at`.
fn boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(line: &str, e: &Edit) -> String {
    let mut s = line.to_owned();
    match e {
        Edit::Truncate(at) => s.truncate(boundary(&s, *at)),
        Edit::Insert(at, f) => s.insert_str(boundary(&s, *at), f),
        Edit::Replace(at, n, f) => {
            let a = boundary(&s, *at);
            let b = boundary(&s, a + n);
            s.replace_range(a..b, f);
        }
        Edit::DuplicateKey(k) => {
            // the k-th member again, at the end of the object it is in (or the top)
            if let Some(Value::Object(m)) = serde_json::from_str::<Value>(&s).ok()
                && let Some((key, value)) = m.iter().nth(*k % m.len().max(1))
            {
                let extra = format!(",{}:{}", serde_json::to_string(key).unwrap(), value);
                s.insert_str(s.len() - 1, &extra);
            }
        }
        Edit::Nest(at, depth) => {
            let wrapped = format!("{}1{}", "[".repeat(*depth), "]".repeat(*depth));
            // a value position: right after a colon
            if let Some(colon) = s[boundary(&s, *at)..].find(':') {
                let p = boundary(&s, *at) + colon + 1;
                s.insert_str(p, &format!("{wrapped},\"_n\":"));
            }
        }
        Edit::Append(t) => s.push_str(t),
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn verdicts_and_fields_equal_serde_jsons(pick in 0usize..10_000, edits in prop::collection::vec(edit(), 0..3)) {
        let seeds = seeds();
        let mut line = seeds[pick % seeds.len()].clone();
        for e in &edits {
            line = apply(&line, e);
        }
        check(&line);
    }
}

#[test]
fn every_fixture_line_reads_as_serde_json_reads_it() {
    for line in seeds() {
        check(&line);
    }
}

#[test]
fn nesting_right_at_the_limit() {
    // 127 levels are read, as serde_json reads them; 128 are refused
    for depth in [126, 127, 128, 129, 130] {
        let inner = format!("{}1{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
        let line = format!("{{\"a\":{inner}}}");
        let ours = scan::parse::<RawLine>(&line).is_ok();
        let structural = fsaudit::schema::check_shape(line.as_bytes()).is_ok();
        assert_eq!(ours, structural, "depth {depth}");
        assert_eq!(ours, depth <= 127, "depth {depth}");
        assert_eq!(ours, serde_json::from_str::<Value>(&line).is_ok(), "depth {depth}");
    }
}
