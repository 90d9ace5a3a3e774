//! `redact`: nothing personal through, nothing else changed. The planted
//! corpus must not leak in any form; every shipped fixture's reports must
//! equal the originals' modulo a pseudonym mapping the test computes itself
//! (HMAC-SHA-256 for principals) or checks (addresses: one-to-one and
//! prefix-preserving); redaction must be idempotent.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use common::{run, run_stdin, temp_file, testdata};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

const KEY: &str = "the data owner's pseudonym key, 32+ bytes";

fn key_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("owner.key");
    std::fs::write(&path, format!("{KEY}\n")).unwrap();
    let p = path.to_str().unwrap().to_owned();
    (dir, p)
}

/// The pseudonym of a principal, computed here from the documented recipe.
fn user_pseudonym(name: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
    m.update(b"user\0");
    m.update(name.as_bytes());
    format!("user-{}", hex::encode(&m.finalize().into_bytes()[..8]))
}

fn placeholder(p: &str) -> bool {
    p.is_empty() || (p.starts_with('(') && p.ends_with(')'))
}

/// Every value planted in `testdata/pii-corpus.jsonl`.
const PLANTED: &[&str] = &[
    "jdoe",
    "svc-fraud",
    "analyst10",
    "bob",
    "jane@bank.example",
    "jane%40bank.example",
    "2001:db8:85a3::8a2e:370:7334",
    "fe80::1",
    "10.20.0.77",
    "10.20.0.5",
    "2001:db8::1",
    "abc123tok",
    "sk-live-4f9a8b7c6d",
    "hunter2",
    "s3ss10nval",
    "acc3ssTok",
    "YWRtaW46aHVudGVyMg==",
    "xk-998877",
    "eyJhbGciOiJIUzI1NiJ9",
    "hdrkey-5566",
    "cookieval77",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
    "xoxb-123456789012-abcdefghijkl",
    "sk_live_51HabcdefghijklmnopQR",
    "AIzaSyD-abcdefghijklmnopqrstuvwxyz01234",
    "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "378282246310005",
    "123-45-6789",
    "+1 415 555 2671",
    "(415) 555-2671",
    "+44 20 7946 0958",
    "020 7946 0958",
    "jane.roe@bank.example",
    "10.99.88.77",
    "ann@corp.example",
    "Jane Q. Doe",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "s3cretpw",
    "10.20.30.40",
    "abcsig123",
    "ctuser",
    "AKIAZZZZZZZZZZZZZZZZ",
    "123456789012",
    "203.0.113.9",
    "zed-malformed",
    "192.0.2.44",
    "zed@x.example",
];

fn url_decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[test]
fn the_pii_corpus_leaves_nothing_in_any_form() {
    let (_k, key) = key_file();
    let corpus = testdata("pii-corpus.jsonl");
    let input = std::fs::read_to_string(&corpus).unwrap();
    let r = run(["redact", "--keep-malformed", "--key-file", &key, corpus.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = r.text();
    assert!(!r.stderr.contains(KEY), "the key was printed");
    let forms = [out.clone(), out.to_lowercase(), url_decoded(&out), url_decoded(&out).to_lowercase()];
    for planted in PLANTED {
        assert!(input.contains(planted) || input.to_lowercase().contains(planted), "{planted} is not in the corpus");
        for (i, form) in forms.iter().enumerate() {
            assert!(!form.contains(&planted.to_lowercase()), "{planted} survived (form {i}):\n{out}");
        }
    }
    // every line is accounted for: written, or kept (the malformed one)
    assert_eq!(out.lines().count(), input.lines().count());
    // the event lines are JSON with the same keys in the same order, and a marker at the end
    for (a, b) in input.lines().zip(out.lines()) {
        let (Ok(a), Ok(b)) = (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)) else { continue };
        let mut keys_b: Vec<&String> = b.as_object().unwrap().keys().collect();
        assert_eq!(keys_b.pop().map(String::as_str), Some("fsaudit_redacted"));
        assert_eq!(a.as_object().unwrap().keys().collect::<Vec<_>>(), keys_b);
    }
    // the principals in free text take the pseudonym of their own field
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let detail = first["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("/users/{}/x", user_pseudonym("jdoe"))), "{detail}");
    assert!(detail.contains(&format!("user {} and {}", user_pseudonym("analyst10"), user_pseudonym("svc-fraud"))));
    assert_eq!(detail.matches(&user_pseudonym("bob")).count(), 2, "Bob and BOB: {detail}");
    // the two forms of one e-mail address get one pseudonym
    let emails: BTreeSet<&str> =
        detail.split(|c: char| !c.is_ascii_alphanumeric() && c != '-').filter(|w| w.starts_with("email-")).collect();
    assert_eq!(emails.len(), 1, "{detail}");
}

#[test]
fn structure_is_never_touched() {
    // principals named like parts of the structure and of ordinary text
    let lines = [
        r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:00Z","principal":{"username":"http","roles":["reader"]},"source":{"ip":"10.0.0.1","transport":"http"},"action":{"path":"/get-online-features"},"resource":{"name":"online"},"outcome":"success","detail":"POST /get-online-features -> 200"}"#,
        r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:01Z","principal":{"username":"online","roles":["reader"]},"source":{"ip":"10.0.0.2","transport":"http"},"action":{"path":"/get-online-features"},"resource":{"name":"reader"},"outcome":"success","detail":"POST /get-online-features -> 200"}"#,
        r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:02Z","principal":{"username":"reader","roles":["reader"]},"source":{"ip":"10.0.0.3","transport":"http"},"action":{"path":"/get-online-features"},"resource":{"name":"jdoes-notebook"},"outcome":"success","detail":"opened jdoes-notebook -> 200"}"#,
        r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:03Z","principal":{"username":"e","roles":["reader"]},"source":{"ip":"10.0.0.4","transport":"http"},"action":{"path":"/get-online-features"},"resource":{"name":"e"},"outcome":"success","detail":"e e e -> 200"}"#,
        r#"{"event_type":"http.request","timestamp":"2026-10-01T10:00:04Z","principal":{"username":"jdoe","roles":["reader"]},"source":{"ip":"10.0.0.5","transport":"http"},"action":{"path":"/get-online-features"},"resource":{"name":"fv"},"outcome":"success","detail":"POST /get-online-features -> 200", "n": 1.50e1}"#,
    ];
    let text = lines.join("\n") + "\n";
    let (_k, key) = key_file();
    let r = run_stdin(["redact", "--key-file", &key], text.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = r.text();
    for (a, b) in text.lines().zip(out.lines()) {
        let (va, vb): (Value, Value) = (serde_json::from_str(a).unwrap(), serde_json::from_str(b).unwrap());
        for f in ["event_type", "timestamp", "outcome", "detail", "action", "resource"] {
            assert_eq!(va[f], vb[f], "{f}: {b}");
        }
        assert_eq!(va["principal"]["roles"], vb["principal"]["roles"]);
        assert_eq!(va["source"]["transport"], vb["source"]["transport"]);
        let who = va["principal"]["username"].as_str().unwrap();
        assert_eq!(vb["principal"]["username"], user_pseudonym(who));
        // untouched bytes are the same bytes: the line up to its source
        let (cut_a, cut_b) = (a.find("\"source\"").unwrap(), b.find("\"source\"").unwrap());
        let field = |name: &str| format!("\"username\":\"{name}\"");
        assert_eq!(a[..cut_a].replacen(&field(who), "?", 1), b[..cut_b].replacen(&field(&user_pseudonym(who)), "?", 1));
    }
    assert!(out.contains(r#""n": 1.50e1"#), "numbers are copied as written");
}

/// `filter --normalize` of a log, one JSON value per event.
fn normalized(args: &[&str], input: Option<&[u8]>) -> Vec<Value> {
    let mut all = vec!["filter", "--normalize", "-q"];
    all.extend_from_slice(args);
    let r = match input {
        Some(bytes) => run_stdin(all, bytes),
        None => run(all),
    };
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    r.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Replaces every string found in `map` by its image.
fn substitute(v: &mut Value, map: &BTreeMap<String, String>) {
    match v {
        Value::String(s) => {
            if let Some(n) = map.get(s.as_str()) {
                *s = n.clone();
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| substitute(x, map)),
        Value::Object(o) => o.values_mut().for_each(|x| substitute(x, map)),
        _ => {}
    }
}

/// Arrays sorted (rows tied on a count are ordered by name, and names change).
fn canonical(v: &mut Value) {
    match v {
        Value::Array(a) => {
            a.iter_mut().for_each(canonical);
            a.sort_by_key(|x| x.to_string());
        }
        Value::Object(o) => {
            for k in ["inputs", "malformed", "malformed_lines"] {
                o.remove(k);
            }
            o.values_mut().for_each(canonical);
        }
        _ => {}
    }
}

fn same_24(a: &str, b: &str) -> Option<bool> {
    match (a.parse::<IpAddr>().ok()?, b.parse::<IpAddr>().ok()?) {
        (IpAddr::V4(a), IpAddr::V4(b)) => Some(a.octets()[..3] == b.octets()[..3]),
        _ => None,
    }
}

#[test]
fn every_fixture_reports_the_same_modulo_pseudonyms_and_redacts_idempotently() {
    let (_k, key) = key_file();
    let gateway_map = [
        "--map",
        "principal=actor.login",
        "--map",
        "time=ts",
        "--map",
        "event_type=op",
        "--map",
        "status=http.code",
        "--map",
        "endpoint=path",
        "--map",
        "latency_ms=ms",
    ];
    let fixtures: Vec<(&str, Vec<&str>)> = vec![
        ("feast.jsonl", vec![]),
        ("feast-week.jsonl.gz", vec![]),
        ("feast-week.jsonl.zst", vec![]),
        ("incidents-week.jsonl.gz", vec![]),
        ("feast-server.jsonl", vec![]),
        ("feast-server-syslog.log", vec![]),
        ("containers/feast-server-cri.log", vec![]),
        ("containers/feast-server-docker.log", vec![]),
        ("feast-sox.jsonl", vec![]),
        ("feast-sox.log", vec![]),
        ("flat.jsonl", vec![]),
        ("soc2.jsonl", vec![]),
        ("cloudtrail.jsonl", vec![]),
        ("cloudtrail-sagemaker.json.gz", vec![]),
        ("gcp-audit.jsonl", vec![]),
        ("databricks.jsonl", vec![]),
        ("tecton.jsonl", vec![]),
        ("outcomes.jsonl", vec![]),
        ("bom-crlf.jsonl", vec![]),
        ("malformed.jsonl", vec![]),
        ("pii-corpus.jsonl", vec![]),
        ("gateway.jsonl", gateway_map.to_vec()),
    ];
    for (name, extra) in fixtures {
        let path = testdata(name);
        let path = path.to_str().unwrap();
        let mut args: Vec<&str> = vec!["redact", "-q", "--key-file", &key];
        args.extend(&extra);
        args.push(path);
        let r = run(&args);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let redacted = r.stdout;
        // redacting again changes nothing
        let mut again_args: Vec<&str> = vec!["redact", "-q", "--key-file", &key];
        again_args.extend(&extra);
        let again = run_stdin(&again_args, &redacted);
        assert!(again.stdout == redacted, "{name}: redacting twice changed the output");
        if name == "pii-corpus.jsonl" {
            // its endpoints hold secrets, which are masked: the test above covers it
            continue;
        }

        // the events, one for one: everything equal but principal and address
        let mut with_path = extra.clone();
        with_path.push(path);
        let before = normalized(&with_path, None);
        let after = normalized(&extra, Some(&redacted));
        assert_eq!(before.len(), after.len(), "{name}: events");
        assert!(!before.is_empty(), "{name}: no events");
        let mut names = BTreeMap::new();
        let mut ips: BTreeMap<String, String> = BTreeMap::new();
        let mut ips_back: BTreeMap<String, String> = BTreeMap::new();
        for (a, b) in before.iter().zip(&after) {
            for (k, va) in a.as_object().unwrap() {
                match k.as_str() {
                    "principal" => {
                        let p = va.as_str().unwrap();
                        let want = if placeholder(p) { p.to_owned() } else { user_pseudonym(p) };
                        assert_eq!(b[k], want.as_str(), "{name}: principal {p}");
                        names.insert(p.to_owned(), want);
                    }
                    "source_ip" if !va.is_null() => {
                        let (x, y) = (va.as_str().unwrap().to_owned(), b[k].as_str().unwrap().to_owned());
                        assert_ne!(x, y, "{name}: address kept");
                        assert_eq!(ips.entry(x.clone()).or_insert(y.clone()), &y, "{name}: {x} has two pseudonyms");
                        assert_eq!(ips_back.entry(y.clone()).or_insert(x.clone()), &x, "{name}: {y} stands for two");
                    }
                    _ => assert_eq!(va, &b[k], "{name}: {k}"),
                }
            }
        }
        // prefix-preserving: one /24 stays one /24, two stay two
        for (a, pa) in &ips {
            for (b, pb) in &ips {
                if let (Some(x), Some(y)) = (same_24(a, b), same_24(pa, pb)) {
                    assert_eq!(x, y, "{name}: {a} {b} -> {pa} {pb}");
                }
            }
        }
        // the reports, modulo the mapping
        let mut mapping = names.clone();
        mapping.extend(ips.clone());
        let group = ["group", "--by", "principal,source_ip,event_type,outcome,endpoint,resource"];
        for cmd in [&["summary"][..], &["users"], &["views"], &group] {
            let mut a_args: Vec<&str> = cmd.to_vec();
            a_args.extend(["--format", "json", "-q", "--top", "0"]);
            let mut b_args = a_args.clone();
            a_args.extend(&with_path);
            b_args.extend(&extra);
            let mut want = run(&a_args).json();
            let mut got = run_stdin(&b_args, &redacted).json();
            substitute(&mut want, &mapping);
            canonical(&mut want);
            canonical(&mut got);
            assert_eq!(want, got, "{name}: {}", cmd[0]);
        }
    }
}

#[test]
fn addresses_by_network_and_in_every_written_form() {
    let (_k, key) = key_file();
    let line = r#"{"event_type":"e","timestamp":"2026-10-01T10:00:00Z","principal":{"username":"u1"},"source":{"ip":"::ffff:10.20.0.77"},"resource":{"name":"fv"},"outcome":"success","detail":"from 2001:db8:abcd:12::7 and 10.20.0.78"}"#;
    let r = run_stdin(["redact", "-q", "--key-file", &key, "--ip-mode", "network"], format!("{line}\n").as_bytes());
    let v: Value = serde_json::from_str(r.text().trim()).unwrap();
    assert_eq!(v["source"]["ip"], "::ffff:10.20.0.0");
    assert_eq!(v["detail"], "from 2001:db8:abcd:: and 10.20.0.0");
    let r = run_stdin(["redact", "-q", "--key-file", &key], format!("{line}\n").as_bytes());
    let v: Value = serde_json::from_str(r.text().trim()).unwrap();
    let mapped = v["source"]["ip"].as_str().unwrap();
    let detail = v["detail"].as_str().unwrap();
    // an IPv4-mapped address is pseudonymised as its IPv4 address: one /24 with its neighbour
    let v4 = mapped.strip_prefix("::ffff:").unwrap();
    let neighbour = detail.rsplit(' ').next().unwrap();
    assert_eq!(same_24(v4, neighbour), Some(true), "{mapped} {detail}");
    assert_ne!(v4, neighbour);
}

#[test]
fn keys_are_checked_and_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, log) = temp_file("l.jsonl", std::fs::read(testdata("feast.jsonl")).unwrap().as_slice());
    let log = log.to_str().unwrap();
    let short = dir.path().join("short.key");
    std::fs::write(&short, "x").unwrap();
    let r = run(["redact", "--key-file", short.to_str().unwrap(), log]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("at least 16"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    // keygen writes a private random key; the same key gives the same pseudonyms
    let k = dir.path().join("owner.key");
    let r = run(["keygen", "--redact", k.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&k).unwrap();
    assert_eq!(text.trim().len(), 64);
    assert!(text.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&k).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(run(["keygen", "--redact", k.to_str().unwrap()]).code, 2, "an existing key is not replaced");
    let a = run(["redact", "--key-file", k.to_str().unwrap(), log]);
    assert_eq!(a.code, 0);
    assert!(!a.stderr.contains(text.trim()) && !a.text().contains(text.trim()));
    let b = std::process::Command::new(common::bin())
        .args(["redact", log])
        .env("FSAUDIT_REDACT_KEY", text.trim())
        .output()
        .unwrap();
    assert_eq!(b.status.code(), Some(0));
    assert!(b.stdout == a.stdout, "FSAUDIT_REDACT_KEY and the key file give the same pseudonyms");
    let both = std::process::Command::new(common::bin())
        .args(["redact", "--key-file", k.to_str().unwrap(), log])
        .env("FSAUDIT_REDACT_KEY", text.trim())
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn every_line_is_written_or_reported() {
    let (_k, key) = key_file();
    let good = r#"{"event_type":"e","timestamp":"2026-10-01T10:00:00Z","principal":{"username":"alice01"},"resource":{"name":"fv"},"outcome":"success"}"#;
    let deep = format!(
        r#"{{"event_type":"e","timestamp":"2026-10-01T10:00:00Z","principal":{{"username":"u2"}},"outcome":"success","x":{}1{}}}"#,
        "[".repeat(120),
        "]".repeat(120)
    );
    let too_deep = format!(r#"{{"principal":{{"username":"u3"}},"x":{}1{}}}"#, "[".repeat(300), "]".repeat(300));
    let text = format!("{good}\n{deep}\nnot json with alice01\n{too_deep}\n{good}\n");
    let (_d, path) = temp_file("acc.jsonl", text.as_bytes());
    let p = path.to_str().unwrap();
    let events = run(["summary", "--format", "json", p]).json()["events"].as_u64().unwrap();
    let r = run(["redact", "--key-file", &key, p]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.text().lines().count() as u64, events, "every event is written");
    assert!(r.stderr.contains(&format!("{p}:3:")) && r.stderr.contains(&format!("{p}:4:")), "{}", r.stderr);
    assert!(r.stderr.contains("2 malformed lines dropped"), "{}", r.stderr);
    let strict = run(["redact", "--strict", "--key-file", &key, p]);
    assert_eq!(strict.code, 2);
    assert!(strict.stdout.is_empty(), "--strict writes nothing from a log with a malformed line");
    assert!(strict.stderr.contains(&format!("{p}:3:")), "{}", strict.stderr);
    let kept = run(["redact", "-q", "--keep-malformed", "--key-file", &key, p]);
    let out = kept.text();
    assert_eq!(out.lines().count(), 5);
    assert_eq!(out.lines().nth(2).unwrap(), format!("not json with {}", user_pseudonym("alice01")));
    assert!(!out.contains("\"u3\""), "{out}");
}

#[test]
fn detectors_are_listed_and_can_be_turned_off_and_fields_added() {
    let r = run(["redact", "--list-detectors", "--format", "json"]);
    assert_eq!(r.code, 0);
    let names: Vec<String> =
        r.json()["detectors"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap().to_owned()).collect();
    for n in ["email", "ip-address", "jwt", "card-number", "phone", "us-ssn", "principal-names", "secret-param"] {
        assert!(names.iter().any(|x| x == n), "{n}");
    }
    let (_k, key) = key_file();
    let line = r#"{"event_type":"e","timestamp":"2026-10-01T10:00:00Z","principal":{"username":"u1"},"outcome":"success","detail":"mail a@b.example","userAgent":"curl/8.1 on jdoe-laptop"}"#;
    let input = format!("{line}\n");
    let r = run_stdin(["redact", "-q", "--key-file", &key, "--disable-detector", "email"], input.as_bytes());
    assert!(r.text().contains("mail a@b.example"));
    let r = run_stdin(["redact", "-q", "--key-file", &key, "--redact-field", "userAgent"], input.as_bytes());
    let v: Value = serde_json::from_str(r.text().trim()).unwrap();
    assert!(v["userAgent"].as_str().unwrap().starts_with("redacted-"), "{v}");
    assert!(!r.text().contains("a@b.example"));
    let r = run_stdin(["redact", "-q", "--key-file", &key, "--disable-detector", "nope"], input.as_bytes());
    assert_eq!(r.code, 2);
}
