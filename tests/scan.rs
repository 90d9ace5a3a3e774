//! The hot-path reader against serde_json, line by line: for every line,
//! valid or broken (truncated, bad escapes, bad numbers, trailing garbage,
//! repeated keys, deep nesting), fsaudit's verdict equals serde_json's
//! (with repeated keys refused, which serde_json lets through), and the
//! fields it extracts equal serde_json's values.

use fsaudit::event::Schema;
use fsaudit::schema::learnt::Shapes;
use fsaudit::schema::raw::{Field, Listed, RawLine};
use fsaudit::schema::{LineParser, SchemaMode, scan};
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
    check_read(text, scan::parse::<RawLine>(text));
}

/// `text` read by the shape learnt from `seed` (when `seed` is valid),
/// checked against serde_json as a line read in full is, and equal to the
/// full reader's result field for field (or its reason for refusing).
fn check_learnt(seed: &str, text: &str) -> bool {
    let mut shapes = Shapes::default();
    let mut raw = RawLine::default();
    let _ = shapes.parse_into(seed, &mut raw);
    let mut raw = RawLine::default();
    let ours = shapes.parse_into(text, &mut raw).map(|_| raw);
    let full = scan::parse::<RawLine>(text);
    assert_eq!(
        ours.as_ref().map(|r| format!("{r:?}")).map_err(|e| e.0.clone()),
        full.as_ref().map(|r| format!("{r:?}")).map_err(|e| e.0.clone()),
        "learnt from {seed}\nread {text}"
    );
    check_read(text, ours);
    check_event(seed, text);
    shapes.matched() == 1
}

/// `text` made into an event (or refused) by a parser that learnt `seed`'s
/// shape, as a parser that learnt nothing makes it: field for field, or
/// with the same reason, with and without an envelope's time, detecting
/// the schema and with `--schema feast`. True when the line was read
/// straight into a Feast event's parts ([`Shapes::direct`]).
fn check_event(seed: &str, text: &str) -> bool {
    let mut direct = true;
    for (mode, fallback) in [
        (SchemaMode::Auto, None),
        (SchemaMode::Auto, Some(1_700_000_000_000_000)),
        (SchemaMode::Forced(Schema::Feast), None),
    ] {
        let parser = LineParser::new(mode);
        let mut shapes = Shapes::default();
        let _ = parser.parse_payload_with(&mut shapes, seed.as_bytes(), fallback);
        let before = shapes.direct();
        let ours = parser.parse_payload_with(&mut shapes, text.as_bytes(), fallback);
        let full = parser.parse_payload_with(&mut Shapes::default(), text.as_bytes(), fallback);
        assert_eq!(
            ours.map(|e| format!("{e:?}")).map_err(|e| e.0),
            full.map(|e| format!("{e:?}")).map_err(|e| e.0),
            "event of {text}\nafter {seed}"
        );
        direct &= shapes.direct() > before;
    }
    direct
}

fn check_read(text: &str, ours: Result<RawLine<'_>, scan::ScanError>) {
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
    // a list's items; any other value (`"feature_views": 403`) is passed
    // over, for the schema that reads the list to refuse
    match (&raw.feature_views, v.get("feature_views")) {
        (Some(Listed::NotAList), Some(w)) => assert!(!w.is_array() && !w.is_null(), "{w} in {text}"),
        (Some(Listed::Items(_)), w) => assert!(w.is_some_and(Value::is_array), "{w:?} in {text}"),
        (None, w) => assert!(w.is_none_or(Value::is_null), "{w:?} in {text}"),
        (Some(Listed::NotAList), None) => panic!("feature_views read from nothing in {text}"),
    }
    if let Some(Listed::Items(views)) = &raw.feature_views {
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
            // found by the schema fuzz target: valid JSON, a list field that is not one
            r#"{"eventuestor_id":"svc-a","feature_views":403,"latency_ms":3.5,"expect":"denied"}"#,
            r#"{"event":"online_feature_request","timestamp":"2026-10-01T00:00:00Z","requestor_id":"a","feature_views":"fv","status":"success"}"#,
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

    /// The same edits to a line of a shape already learnt (most land in a
    /// value, where the learnt reader reads it; the rest change the shape).
    #[test]
    fn a_learnt_shape_reads_as_the_full_reader(pick in 0usize..10_000, edits in prop::collection::vec(edit(), 0..3)) {
        let seeds = seeds();
        let seed = &seeds[pick % seeds.len()];
        let mut line = seed.clone();
        for e in &edits {
            line = apply(&line, e);
        }
        check_learnt(seed, &line);
    }

    /// Values swapped for values of other kinds and lengths, at every field.
    #[test]
    fn values_of_every_kind_in_a_learnt_shape(pick in 0usize..10_000, at in 0usize..64, value in value()) {
        let seeds = seeds();
        let seed = &seeds[pick % seeds.len()];
        let Ok(mut v) = serde_json::from_str::<Value>(seed) else { return Ok(()) };
        let mut leaves = Vec::new();
        leaves_of(&v, String::new(), &mut leaves);
        if leaves.is_empty() {
            return Ok(());
        }
        let path = &leaves[at % leaves.len()];
        *v.pointer_mut(path).expect("a leaf") = serde_json::from_str(&value).unwrap_or(Value::String(value.clone()));
        // written as serde_json writes it: the learnt line's spacing
        let line = serde_json::to_string(&v).expect("json");
        check_learnt(&serde_json::to_string(&serde_json::from_str::<Value>(seed).unwrap()).unwrap(), &line);
    }
}

/// The JSON pointers of every value that is not an object.
fn leaves_of(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves_of(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        _ if !at.is_empty() => out.push(at),
        _ => {}
    }
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("-0.5e3".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("[]".to_owned()),
        Just(r#"["a",{"b":[1,{"c":null}]}]"#.to_owned()),
        Just(r#"{"username":"x","roles":"r"}"#.to_owned()),
        Just(r#"{"name":{"deep":[{"a":1}]}}"#.to_owned()),
        "[ -~]{0,12}",
        r"\PC{0,6}",
    ]
}

#[test]
fn every_fixture_line_reads_as_serde_json_reads_it() {
    for line in seeds() {
        check(&line);
    }
}

#[test]
fn a_value_changed_for_one_of_its_kind_is_read_by_the_shape() {
    let mut changed = 0;
    for seed in seeds() {
        let Ok(v) = serde_json::from_str::<Value>(&seed) else { continue };
        if scan::parse::<RawLine>(&seed).is_err() {
            continue;
        }
        let seed = serde_json::to_string(&v).unwrap();
        let mut leaves = Vec::new();
        leaves_of(&v, String::new(), &mut leaves);
        for path in leaves {
            let mut w = v.clone();
            let leaf = w.pointer_mut(&path).unwrap();
            *leaf = match leaf {
                Value::String(s) => Value::String(format!("{s}-é")),
                Value::Number(_) => serde_json::json!(-12.75),
                Value::Bool(b) => Value::Bool(!*b),
                _ => continue,
            };
            let line = serde_json::to_string(&w).unwrap();
            assert!(check_learnt(&seed, &line), "{line} not read by the shape of {seed}");
            changed += 1;
        }
    }
    assert!(changed > 500, "{changed}");
}

#[test]
fn every_fixture_shape_is_learnt_and_matched() {
    // each line read again by the shape learnt from it
    let mut valid = 0;
    for line in seeds() {
        let ok = scan::parse::<RawLine>(&line).is_ok();
        valid += usize::from(ok);
        assert_eq!(check_learnt(&line, &line), ok, "{line}");
    }
    assert!(valid > 100, "{valid} valid fixture lines");
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

/// Feast lines of a learnt shape become events straight from their values,
/// whatever the values: each leaf of every Feast fixture line replaced by
/// another string, an escaped one, an empty one, a number, `null` or an
/// array gives the event the full reader gives, read directly unless
/// `event_type` stops being a string (the line is then read in full and
/// its schema found again).
#[test]
fn feast_lines_of_a_learnt_shape_become_events_directly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let (mut direct, mut full) = (0, 0);
    for name in ["feast.jsonl", "feast-server.jsonl"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
        for seed in text.lines().filter(|l| l.starts_with('{')).take(25) {
            let v: Value = serde_json::from_str(seed).expect("a fixture line");
            let seed = serde_json::to_string(&v).unwrap();
            assert!(check_event(&seed, &seed), "{seed}");
            let mut leaves = Vec::new();
            leaves_of(&v, String::new(), &mut leaves);
            for path in leaves {
                for new in [
                    serde_json::json!("other-é"),
                    serde_json::json!("a\"b\\c\n"),
                    serde_json::json!(""),
                    serde_json::json!(1_700_000_000.5),
                    Value::Null,
                    serde_json::json!(["x", 1]),
                ] {
                    let mut w = v.clone();
                    *w.pointer_mut(&path).unwrap() = new.clone();
                    let line = serde_json::to_string(&w).unwrap();
                    let read_directly = check_event(&seed, &line);
                    assert_eq!(read_directly, path != "/event_type" || new.is_string(), "{line} after {seed}");
                    if read_directly {
                        direct += 1;
                    } else {
                        full += 1;
                    }
                }
            }
        }
    }
    assert!(direct > 1000 && full > 0, "{direct} read directly, {full} in full");
}

/// Lines that are not Feast's by their shape alone are read into the
/// full reader's struct, and give its events.
#[test]
fn shapes_that_are_not_feast_alone_are_not_read_directly() {
    let t = r#""timestamp":"2026-10-01T00:00:00Z""#;
    for (line, direct) in [
        (format!(r#"{{"event_type":"x",{t},"principal":{{"username":"u"}},"extra":[1]}}"#), true),
        (format!(r#"{{"event_type":"x",{t},"principal":{{"extra":1,"username":"u"}}}}"#), true),
        (format!(r#"{{"event_type":"x",{t},"principal":{{}}}}"#), true),
        // principal as a string: not Feast's
        (format!(r#"{{"event_type":"x",{t},"principal":"u"}}"#), false),
        // no principal at all
        (format!(r#"{{"event_type":"x",{t},"source":{{"ip":"1.2.3.4"}}}}"#), false),
        // SOC 2's objects come first in detection
        (
            format!(
                r#"{{"event_type":"x",{t},"principal":{{"username":"u"}},"who":{{"userId":"w"}},"what":{{"action":"a"}}}}"#
            ),
            false,
        ),
        // a field of another schema
        (format!(r#"{{"event_type":"x",{t},"principal":{{"username":"u"}},"status":"403"}}"#), false),
        (format!(r#"{{"event_type":"x",{t},"principal":{{"username":"u"}},"user":"v"}}"#), false),
    ] {
        assert_eq!(check_event(&line, &line), direct, "{line}");
        let other = line.replacen(r#""u""#, r#""v\u0041""#, 1);
        assert_eq!(check_event(&line, &other), direct, "{other}");
    }
}
