//! The one event shape every schema is read into, and the outcome classes of
//! DESIGN §1 (every event gets exactly one, first matching rule wins).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::time::Micros;

/// The principal reported for events whose principal is missing or empty.
pub const UNKNOWN_PRINCIPAL: &str = "(unknown)";

/// The principal of records that carry no identity at all (Feast's SOX
/// offline retrievals run in the caller's own process, with nobody to ask).
pub const NO_PRINCIPAL: &str = "(none)";

/// True for the placeholders written where a log names no one
/// (`(unknown)`, `(none)`, Feast MCP's `(authenticated)`): detectors and
/// risk scores leave them out.
pub fn is_placeholder(principal: &str) -> bool {
    principal.starts_with('(') && principal.ends_with(')')
}

/// Which reader recognised a line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Schema {
    Feast,
    FeastSox,
    Flat,
    Soc2,
    Cloudtrail,
    GcpAudit,
    Databricks,
    Tecton,
    #[default]
    Custom,
}

impl Schema {
    pub const BUILT_IN: [Schema; 8] = [
        Schema::Feast,
        Schema::FeastSox,
        Schema::Flat,
        Schema::Soc2,
        Schema::Cloudtrail,
        Schema::GcpAudit,
        Schema::Databricks,
        Schema::Tecton,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Schema::Feast => "feast",
            Schema::FeastSox => "feast-sox",
            Schema::Flat => "flat",
            Schema::Soc2 => "soc2",
            Schema::Cloudtrail => "cloudtrail",
            Schema::GcpAudit => "gcp-audit",
            Schema::Databricks => "databricks",
            Schema::Tecton => "tecton",
            Schema::Custom => "custom",
        }
    }
}

/// The outcome class of an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeClass {
    Success,
    Denied,
    Unauthenticated,
    #[default]
    Error,
}

impl OutcomeClass {
    pub const ALL: [OutcomeClass; 4] =
        [OutcomeClass::Success, OutcomeClass::Denied, OutcomeClass::Unauthenticated, OutcomeClass::Error];

    pub fn name(self) -> &'static str {
        match self {
            OutcomeClass::Success => "success",
            OutcomeClass::Denied => "denied",
            OutcomeClass::Unauthenticated => "unauthenticated",
            OutcomeClass::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<OutcomeClass> {
        OutcomeClass::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(s))
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for OutcomeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a schema reader found about an event's outcome; [`classify`] turns it
/// into a class.
#[derive(Debug, Default, Clone, Copy)]
pub struct OutcomeFacts<'s> {
    pub event_type: &'s str,
    /// The raw outcome word (`outcome`, `status`, or a mapped field).
    pub outcome: Option<&'s str>,
    /// The HTTP status, wherever the schema keeps it.
    pub http_status: Option<u16>,
    /// `result.success` of the soc2 shape.
    pub success_flag: Option<bool>,
}

impl<'s> OutcomeFacts<'s> {
    pub fn new(event_type: &'s str, outcome: Option<&'s str>, http_status: Option<u16>) -> Self {
        OutcomeFacts { event_type, outcome, http_status, success_flag: None }
    }
}

/// DESIGN §1's table, first match wins.
pub fn classify(f: &OutcomeFacts<'_>) -> OutcomeClass {
    // Feast's usual words, already clean: success unless an earlier row of
    // the table (an event type or a status) decides otherwise
    if matches!(f.outcome, Some("success" | "allowed"))
        && !matches!(f.http_status, Some(401 | 403))
        && !matches!(f.event_type, "authn.failure" | "access_denied")
    {
        return OutcomeClass::Success;
    }
    let word = f.outcome.map(normalise_word);
    let word = word.as_deref();
    if f.event_type == "authn.failure" || f.http_status == Some(401) || word == Some("unauthenticated") {
        return OutcomeClass::Unauthenticated;
    }
    if f.http_status == Some(403)
        || matches!(word, Some("denied" | "deny" | "forbidden" | "accessdenied" | "permissiondenied"))
        || word.is_some_and(|w| w.starts_with("accessdenied"))
        || f.event_type == "access_denied"
    {
        return OutcomeClass::Denied;
    }
    if matches!(word, Some("success" | "allowed" | "ok"))
        || f.success_flag == Some(true)
        || f.http_status.is_some_and(|s| (100..400).contains(&s))
    {
        return OutcomeClass::Success;
    }
    OutcomeClass::Error
}

/// Lower-cases and drops `_`, `-`, `.` and spaces, so `access_denied`,
/// `AccessDenied` and `Access-Denied` are one word. Borrows when it can.
fn normalise_word(w: &str) -> Cow<'_, str> {
    let clean = w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if clean {
        Cow::Borrowed(w)
    } else {
        Cow::Owned(w.chars().filter(|c| !matches!(c, '_' | '-' | '.' | ' ')).flat_map(char::to_lowercase).collect())
    }
}

/// Up to a few resource names without a heap allocation for the common case
/// of one (Feast writes one resource per event; SOX records list several).
#[derive(Debug, Clone, Default)]
pub enum Resources<'a> {
    #[default]
    None,
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

impl<'a> Resources<'a> {
    pub fn push(&mut self, name: Cow<'a, str>) {
        if name.is_empty() {
            return;
        }
        *self = match std::mem::take(self) {
            Resources::None => Resources::One(name),
            Resources::One(first) => {
                if first == name {
                    Resources::One(first)
                } else {
                    Resources::Many(vec![first, name])
                }
            }
            Resources::Many(mut v) => {
                if !v.contains(&name) {
                    v.push(name);
                }
                Resources::Many(v)
            }
        };
    }

    pub fn as_slice(&self) -> &[Cow<'a, str>] {
        match self {
            Resources::None => &[],
            Resources::One(r) => std::slice::from_ref(r),
            Resources::Many(v) => v,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }
}

/// One audit event, borrowing from the line it was read from.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    pub schema: Schema,
    pub time: Option<Micros>,
    /// Event type (`http.request`, `online_feature_request`, …); empty if none.
    pub event_type: Cow<'a, str>,
    /// Never empty: [`UNKNOWN_PRINCIPAL`] when the log names nobody.
    pub principal: Cow<'a, str>,
    pub source_ip: Option<Cow<'a, str>>,
    pub resources: Resources<'a>,
    pub outcome: OutcomeClass,
    pub raw_outcome: Option<Cow<'a, str>>,
    pub status: Option<u16>,
    pub latency_ms: Option<f64>,
    pub request_id: Option<Cow<'a, str>>,
    /// The roles array as JSON text, decoded on demand by [`Event::roles`].
    pub roles_json: Option<Cow<'a, str>>,
    /// The actions array as JSON text, decoded on demand by [`Event::actions`].
    pub actions_json: Option<Cow<'a, str>>,
    /// What was called: the HTTP path, `mcp:<tool>` for an MCP tool, the
    /// SOX offline `method`, or the API operation of a cloud audit log.
    pub endpoint: Option<Cow<'a, str>>,
    /// The HTTP method (`POST`), where the log says.
    pub method: Option<Cow<'a, str>>,
    /// The kind of resource (`feature_service`, `feature_view`, …).
    pub resource_type: Option<Cow<'a, str>>,
    /// How the principal authenticated (`oidc`, `kubernetes`, …).
    pub auth_type: Option<Cow<'a, str>>,
    /// How the request came (`http`, `mcp-http`, `grpc`, …).
    pub transport: Option<Cow<'a, str>>,
    /// Rows an offline retrieval returned.
    pub row_count: Option<u64>,
    /// The distributed trace the request belongs to (`trace_id`).
    pub trace_id: Option<Cow<'a, str>>,
}

impl Event<'_> {
    /// The names `--view` and `--sensitive` globs are matched against: the
    /// resources, then the endpoint and the resource type, so that Feast's
    /// own events (which leave `resource.name` empty) can be selected.
    pub fn subjects(&self) -> impl Iterator<Item = &str> {
        self.resources
            .as_slice()
            .iter()
            .map(|r| r.as_ref())
            .chain(self.endpoint.as_deref())
            .chain(self.resource_type.as_deref())
    }

    pub fn roles(&self) -> Vec<String> {
        decode_string_list(self.roles_json.as_deref())
    }

    pub fn actions(&self) -> Vec<String> {
        decode_string_list(self.actions_json.as_deref())
    }
}

/// Calls `f` with each item of a JSON list of strings, as
/// [`decode_string_list`] decodes it, without allocating in the common case
/// (a list of plain strings without escapes).
pub fn each_listed(json: Option<&str>, mut f: impl FnMut(&str)) {
    let Some(json) = json else { return };
    if let Some(items) = plain_string_list(json) {
        items.into_iter().for_each(&mut f);
        return;
    }
    decode_string_list(Some(json)).iter().for_each(|s| f(s));
}

/// The items of `["a", "b"]` when every item is a string without escapes.
fn plain_string_list(json: &str) -> Option<smallvec_like::Items<'_>> {
    // bytes, not `str::strip_prefix`: a pattern of one character went
    // through `memcmp` for every list of every exported row
    let list = json.trim_ascii();
    let inner = match list.as_bytes() {
        [b'[', .., b']'] => &list[1..list.len() - 1],
        _ => return None,
    };
    if memchr::memchr(b'\\', inner.as_bytes()).is_some() {
        return None;
    }
    let mut items = smallvec_like::Items::default();
    let mut rest = inner.trim_ascii_start();
    while let Some(&first) = rest.as_bytes().first() {
        if first != b'"' {
            return None;
        }
        let body = &rest[1..];
        let end = memchr::memchr(b'"', body.as_bytes())?;
        items.push(&body[..end]);
        rest = body[end + 1..].trim_ascii_start();
        match rest.as_bytes().first() {
            // a comma is followed by another item
            Some(b',') if !rest[1..].trim_ascii_start().is_empty() => rest = rest[1..].trim_ascii_start(),
            None => {}
            _ => return None,
        }
    }
    Some(items)
}

mod smallvec_like {
    /// Up to four borrowed items without a heap allocation.
    #[derive(Default)]
    pub struct Items<'a> {
        few: [&'a str; 4],
        n: usize,
        more: Vec<&'a str>,
    }

    impl<'a> Items<'a> {
        pub fn push(&mut self, s: &'a str) {
            if self.n < 4 {
                self.few[self.n] = s;
                self.n += 1;
            } else {
                self.more.push(s);
            }
        }
    }

    impl<'a> IntoIterator for Items<'a> {
        type Item = &'a str;
        type IntoIter =
            std::iter::Chain<std::iter::Take<std::array::IntoIter<&'a str, 4>>, std::vec::IntoIter<&'a str>>;
        fn into_iter(self) -> Self::IntoIter {
            self.few.into_iter().take(self.n).chain(self.more)
        }
    }
}

fn decode_string_list(json: Option<&str>) -> Vec<String> {
    let Some(json) = json else { return Vec::new() };
    // the common case, a list of strings, without building a JSON tree
    if let Ok(items) = serde_json::from_str::<Vec<String>>(json) {
        return items;
    }
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
            .collect(),
        Ok(serde_json::Value::String(s)) => vec![s],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(event_type: &str, outcome: Option<&str>, status: Option<u16>, flag: Option<bool>) -> OutcomeClass {
        classify(&OutcomeFacts { event_type, outcome, http_status: status, success_flag: flag })
    }

    #[test]
    fn design_table_first_match_wins() {
        use OutcomeClass::*;
        assert_eq!(class("authn.failure", Some("success"), None, None), Unauthenticated);
        assert_eq!(class("http.request", Some("failure"), Some(401), None), Unauthenticated);
        assert_eq!(class("x", Some("unauthenticated"), None, None), Unauthenticated);
        assert_eq!(class("http.request", Some("failure"), Some(403), None), Denied);
        for w in ["denied", "deny", "forbidden", "access_denied", "AccessDenied", "Forbidden", "PERMISSION_DENIED"] {
            assert_eq!(class("x", Some(w), None, None), Denied, "{w}");
        }
        assert_eq!(class("access_denied", Some("denied"), None, None), Denied);
        assert_eq!(class("access_denied", None, None, None), Denied);
        for w in ["success", "allowed", "ok", "OK", "Success"] {
            assert_eq!(class("x", Some(w), None, None), Success, "{w}");
        }
        assert_eq!(class("x", None, Some(200), Some(true)), Success);
        assert_eq!(class("x", None, Some(302), None), Success);
        assert_eq!(class("x", None, Some(500), Some(false)), Error);
        assert_eq!(class("x", Some("failure"), None, None), Error);
        assert_eq!(class("x", Some("mcp_error"), None, None), Error);
        assert_eq!(class("x", Some("failure"), Some(404), None), Error);
        assert_eq!(class("x", None, None, None), Error);
    }

    /// DESIGN §1's table, row by row, written again without shortcuts.
    fn by_the_table(f: &OutcomeFacts<'_>) -> OutcomeClass {
        let word: Option<String> = f
            .outcome
            .map(|w| w.chars().filter(|c| !matches!(c, '_' | '-' | '.' | ' ')).flat_map(char::to_lowercase).collect());
        let word = word.as_deref();
        if f.event_type == "authn.failure" || f.http_status == Some(401) || word == Some("unauthenticated") {
            OutcomeClass::Unauthenticated
        } else if f.http_status == Some(403)
            || word.is_some_and(|w| {
                ["denied", "deny", "forbidden", "permissiondenied"].contains(&w) || w.starts_with("accessdenied")
            })
            || f.event_type == "access_denied"
        {
            OutcomeClass::Denied
        } else if word.is_some_and(|w| ["success", "allowed", "ok"].contains(&w))
            || f.success_flag == Some(true)
            || f.http_status.is_some_and(|s| (100..400).contains(&s))
        {
            OutcomeClass::Success
        } else {
            OutcomeClass::Error
        }
    }

    #[test]
    fn every_combination_is_classed_as_the_table_says() {
        let types = ["http.request", "authn.failure", "access_denied", "authz.decision", ""];
        let words = [
            None,
            Some("success"),
            Some("allowed"),
            Some("Success"),
            Some("ok"),
            Some("denied"),
            Some("AccessDenied"),
            Some("unauthenticated"),
            Some("failure"),
            Some("success "),
            Some("succes"),
            Some("allowedx"),
        ];
        let statuses = [None, Some(200), Some(302), Some(401), Some(403), Some(404), Some(500)];
        let mut seen = [0u32; 4];
        for event_type in types {
            for outcome in words {
                for http_status in statuses {
                    for success_flag in [None, Some(true), Some(false)] {
                        let f = OutcomeFacts { event_type, outcome, http_status, success_flag };
                        let want = by_the_table(&f);
                        assert_eq!(classify(&f), want, "{f:?}");
                        seen[want.index()] += 1;
                    }
                }
            }
        }
        // every class is reached
        assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
    }

    proptest::proptest! {
        /// Lists and near-lists: plain, escaped and non-string items, with
        /// spaces, commas and brackets present, missing or doubled.
        #[test]
        fn listed_items_are_those_the_decoder_gives_for_any_list(
            items in proptest::collection::vec(
                proptest::prop_oneof![r#""[a-cé ]{0,3}""#, r#""a\\[n"]""#, "null|3|true|\\[\\]|\"", "[a-c]"],
                0..5,
            ),
            seps in proptest::collection::vec("[ ,\t]{0,3}", 6),
            open in "[ \\[]{0,2}",
            close in "[ \\]]{0,2}",
        ) {
            let mut json = open.clone();
            for (i, item) in items.iter().enumerate() {
                json.push_str(item);
                if i + 1 < items.len() {
                    json.push_str(if seps[i].contains(',') { &seps[i] } else { "," });
                }
            }
            json.push_str(&seps[5]);
            json.push_str(&close);
            let mut got = Vec::new();
            each_listed(Some(&json), |s| got.push(s.to_owned()));
            proptest::prop_assert_eq!(got, decode_string_list(Some(&json)), "{}", json);
        }
    }

    #[test]
    fn listed_items_are_those_the_decoder_gives() {
        for json in [
            r#"["a","b"]"#,
            r#" [ "READ_ONLINE" , "WRITE_ONLINE" ] "#,
            r#"[]"#,
            r#"["a","b","c","d","e","f"]"#,
            r#"["a\"b", "c"]"#,
            r#"["a", null, 3]"#,
            r#""solo""#,
            r#"["a",]"#,
            r#"["unterminated]"#,
            r#"{"not":"a list"}"#,
            r#"["é", "\u00e9"]"#,
        ] {
            let mut got = Vec::new();
            each_listed(Some(json), |s| got.push(s.to_owned()));
            let want = decode_string_list(Some(json));
            // a trailing comma is not JSON: the decoder gives nothing, the fast path must too
            assert_eq!(got, want, "{json}");
        }
    }

    #[test]
    fn resources_skip_empty_and_duplicates() {
        let mut r = Resources::None;
        r.push("".into());
        assert!(r.is_empty());
        r.push("a".into());
        r.push("a".into());
        r.push("b".into());
        r.push("a".into());
        let names: Vec<&str> = r.as_slice().iter().map(|c| c.as_ref()).collect();
        assert_eq!(names, ["a", "b"]);
    }
}
