//! `fsaudit redact`: events with personal data removed, in their own
//! schema, so fsaudit (and anyone else) analyses them as the originals.
//!
//! Principals become stable keyed pseudonyms (HMAC-SHA256), source addresses
//! are cut to their network (IPv4 /24, IPv6 /48), and e-mail addresses,
//! bearer tokens, JWTs and IPv4 addresses inside any other string are masked;
//! a principal's name is replaced by its pseudonym wherever else it appears.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use regex::Regex;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::event::Schema;
use crate::schema::{LineParser, MapTarget};

/// How a line's personal fields are found: the schema of the line, or the
/// `--map` paths of a custom log.
pub struct Redactor {
    key: Vec<u8>,
    email: Regex,
    bearer: Regex,
    jwt: Regex,
    ipv4: Regex,
}

/// Object paths of the principal and source address of each built-in schema.
fn paths(schema: Schema) -> (&'static [&'static [&'static str]], &'static [&'static [&'static str]]) {
    match schema {
        Schema::Feast => (&[&["principal", "username"]], &[&["source", "ip"]]),
        Schema::FeastSox => (&[&["requestor_id"]], &[&["source_ip"], &["ip"]]),
        Schema::Flat => (&[&["user"]], &[&["source_ip"], &["ip"]]),
        Schema::Soc2 => (&[&["who", "userId"], &["who", "serviceAccount"]], &[&["context", "ipAddress"]]),
        Schema::Cloudtrail => (
            &[&["userIdentity", "arn"], &["userIdentity", "userName"], &["userIdentity", "principalId"]],
            &[&["sourceIPAddress"]],
        ),
        Schema::GcpAudit => (
            &[&["protoPayload", "authenticationInfo", "principalEmail"]],
            &[&["protoPayload", "requestMetadata", "callerIp"]],
        ),
        Schema::Databricks => (&[&["userIdentity", "email"]], &[&["sourceIPAddress"]]),
        Schema::Tecton => (&[&["actor", "email"], &["actor", "id"]], &[]),
        Schema::Custom => (&[], &[]),
    }
}

fn get_mut<'v>(root: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    let mut v = root;
    for key in path {
        v = match v {
            Value::Object(m) => m.get_mut(*key)?,
            Value::Array(a) => a.get_mut(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

impl Redactor {
    pub fn new(key: Vec<u8>) -> Self {
        Redactor {
            key,
            email: Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
                .expect("valid regex"),
            bearer: Regex::new(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+").expect("valid regex"),
            jwt: Regex::new(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*").expect("valid regex"),
            ipv4: Regex::new(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b").expect("valid regex"),
        }
    }

    /// A stable pseudonym: the same principal and key give the same one.
    pub fn pseudonym(&self, principal: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(principal.as_bytes());
        format!("p-{}", &hex::encode(mac.finalize().into_bytes())[..16])
    }

    /// An address cut to its network: IPv4 /24, IPv6 /48.
    pub fn network(addr: &str) -> Option<String> {
        match addr.trim().parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) => {
                let [a, b, c, _] = v4.octets();
                Some(format!("{a}.{b}.{c}.0"))
            }
            IpAddr::V6(v6) => {
                let s = v6.segments();
                Some(std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0).to_string())
            }
        }
    }

    /// Masks e-mail addresses, bearer tokens, JWTs and IPv4 addresses in free text.
    pub fn scrub(&self, text: &str) -> String {
        let t = self.jwt.replace_all(text, "[jwt]");
        let t = self.bearer.replace_all(&t, "Bearer [token]");
        let t = self.email.replace_all(&t, "[email]");
        let t = self.ipv4.replace_all(&t, |c: &regex::Captures<'_>| format!("{}.{}.{}.0", &c[1], &c[2], &c[3]));
        t.into_owned()
    }

    /// Rewrites one event line; `schema` says where its personal fields are
    /// (`custom` uses the `--map` paths of `parser`).
    pub fn line(&self, text: &[u8], schema: Schema, parser: &LineParser) -> Option<Vec<u8>> {
        let mut root: Value = serde_json::from_slice(text).ok()?;
        // the schema's own places, and the `--map` paths (which may extend a schema)
        let (p, i) = paths(schema);
        let mut principal_paths: Vec<Vec<&str>> = p.iter().map(|x| x.to_vec()).collect();
        let mut ip_paths: Vec<Vec<&str>> = i.iter().map(|x| x.to_vec()).collect();
        let path = |t| parser.mapped_path(t).map(|p| p.split('.').collect::<Vec<_>>());
        principal_paths.extend(path(MapTarget::Principal));
        ip_paths.extend(path(MapTarget::SourceIp));
        let mut names: Vec<(String, String)> = Vec::new();
        for path in &principal_paths {
            if let Some(Value::String(name)) = get_mut(&mut root, path) {
                let placeholder = name.is_empty() || crate::event::is_placeholder(name);
                if !placeholder {
                    let alias = self.pseudonym(name);
                    names.push((std::mem::replace(name, alias.clone()), alias));
                }
            }
        }
        for path in &ip_paths {
            if let Some(Value::String(ip)) = get_mut(&mut root, path) {
                if let Some(net) = Redactor::network(ip) {
                    *ip = net;
                }
            }
        }
        self.walk(&mut root, &names);
        serde_json::to_vec(&root).ok()
    }

    /// Every other string: names replaced by their pseudonyms, then scrubbed.
    fn walk(&self, v: &mut Value, names: &[(String, String)]) {
        match v {
            Value::String(s) => {
                let mut t = std::mem::take(s);
                for (name, alias) in names {
                    if name != alias && t.contains(name.as_str()) {
                        t = t.replace(name.as_str(), alias);
                    }
                }
                *s = self.scrub(&t);
            }
            Value::Array(items) => items.iter_mut().for_each(|x| self.walk(x, names)),
            Value::Object(map) => walk_map(self, map, names),
            _ => {}
        }
    }
}

fn walk_map(r: &Redactor, map: &mut Map<String, Value>, names: &[(String, String)]) {
    for v in map.values_mut() {
        r.walk(v, names);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_and_scrubbing() {
        assert_eq!(Redactor::network("10.1.2.3").as_deref(), Some("10.1.2.0"));
        assert_eq!(Redactor::network("2001:db8:abcd:12::1").as_deref(), Some("2001:db8:abcd::"));
        assert_eq!(Redactor::network("not an ip"), None);
        let r = Redactor::new(b"k".to_vec());
        let text = "alice@corp.example sent Authorization: Bearer abc.DEF-123 from 198.51.100.7 with eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig";
        let s = r.scrub(text);
        assert_eq!(s, "[email] sent Authorization: Bearer [token] from 198.51.100.0 with [jwt]");
        assert_eq!(r.pseudonym("alice"), r.pseudonym("alice"));
        assert_ne!(r.pseudonym("alice"), r.pseudonym("bob"));
        assert_ne!(r.pseudonym("alice"), Redactor::new(b"other".to_vec()).pseudonym("alice"));
    }
}
