//! Which fields of an event hold what: the field table of every built-in
//! schema (identities, fields the reports read, free text), plus rules by
//! key name for the fields no schema names (`password`, `display_name`, …).

use crate::schema::scan::KeyWord;

/// What redaction does to the strings at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Read by the reports (event types, roles, outcome, status, transport,
    /// resource names, times, ids): never changed.
    Protected,
    /// Names a person or account: replaced whole by its keyed pseudonym.
    Identity,
    /// Free text: left alone but for what the detectors find in it.
    Free,
    /// Named like a credential (`password`, `api_key`, …): masked whole.
    Secret,
    /// Asked for with `--redact-field`: replaced whole by a keyed pseudonym.
    Redact,
}

impl Class {
    /// Numbers and literals at places of these classes are replaced too.
    pub fn replaces_whole(self) -> bool {
        matches!(self, Class::Identity | Class::Secret | Class::Redact)
    }
}

/// A place in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(u32);

impl NodeId {
    pub const ROOT: NodeId = NodeId(0);
    /// Below a key no schema names.
    pub const FREE: NodeId = NodeId(1);
    const SECRET: NodeId = NodeId(2);
    const IDENTITY: NodeId = NodeId(3);
    const FIRST_KNOWN: u32 = 4;
}

struct Node {
    class: Class,
    /// An object about a person (`user`, `who`, `actor`): its `name`, `id`
    /// and `login` are identities too.
    person: bool,
    children: Children,
}

/// The members of a place, by key length (few share one), so a lookup
/// compares a handful of keys of the right length, by their first eight
/// bytes first, and never hashes.
#[derive(Default)]
struct Children(Vec<Vec<(KeyWord, Box<str>, NodeId)>>);

impl Children {
    #[inline]
    fn get(&self, key: &str) -> Option<NodeId> {
        let b = key.as_bytes();
        let bucket = self.0.get(b.len())?;
        let word = KeyWord::of_key(b);
        bucket.iter().find(|(w, k, _)| word.is(b, *w, k.as_bytes())).map(|(.., id)| *id)
    }

    fn insert(&mut self, key: &str, id: NodeId) {
        if self.0.len() <= key.len() {
            self.0.resize_with(key.len() + 1, Vec::new);
        }
        self.0[key.len()].push((KeyWord::of(key.as_bytes()), key.into(), id));
    }
}

/// Where the built-in schemas keep what (dotted paths from the event's root).
const SCHEMA_FIELDS: &[(&str, Class)] = {
    use Class::{Free as F, Identity as I, Protected as P};
    &[
        // shared
        ("timestamp", P),
        ("event_type", P),
        ("request_id", P),
        ("duration_ms", P),
        ("status", P),
        ("outcome", P),
        ("level", P),
        ("severity", P),
        ("id", P),
        // feast
        ("principal", I),
        ("principal.username", I),
        ("principal.roles", P),
        ("principal.auth_type", P),
        ("source.ip", F),
        ("source.transport", P),
        ("resource", P),
        ("resource.name", P),
        ("resource.type", P),
        ("resource.actions", P),
        ("action", P),
        ("action.path", F),
        ("action.mcp_tool", P),
        ("detail", F),
        // feast-sox
        ("event", P),
        ("requestor_id", I),
        ("feature_views", P),
        ("latency_ms", P),
        ("method", P),
        ("row_count", P),
        ("source_ip", F),
        ("ip", F),
        // flat
        ("user", I),
        ("roles", P),
        ("role", P),
        ("actions", P),
        ("details.feature_view", P),
        // soc2
        ("who", I),
        ("who.userId", I),
        ("who.serviceAccount", I),
        ("who.roles", P),
        ("what.action", P),
        ("what.resource", P),
        ("what.endpoint", F),
        ("what.method", P),
        ("result.statusCode", P),
        ("result.success", P),
        ("context.ipAddress", F),
        ("performance.latencyMs", P),
        // cloudtrail
        ("eventVersion", P),
        ("eventSource", P),
        ("eventName", P),
        ("eventTime", P),
        ("eventID", P),
        ("eventType", P),
        ("awsRegion", P),
        ("requestID", P),
        ("errorCode", P),
        ("userIdentity", I),
        ("userIdentity.type", P),
        ("userIdentity.arn", I),
        ("userIdentity.userName", I),
        ("userIdentity.principalId", I),
        ("userIdentity.accessKeyId", I),
        ("userIdentity.accountId", I),
        ("userIdentity.email", I),
        ("requestParameters.featureGroupName", P),
        ("sourceIPAddress", F),
        // gcp audit
        ("insertId", P),
        ("logName", P),
        ("protoPayload.@type", P),
        ("protoPayload.methodName", P),
        ("protoPayload.resourceName", P),
        ("protoPayload.serviceName", P),
        ("protoPayload.status.code", P),
        ("protoPayload.authenticationInfo.principalEmail", I),
        ("protoPayload.requestMetadata.callerIp", F),
        // databricks
        ("serviceName", P),
        ("actionName", P),
        ("requestId", P),
        ("requestParams.name", P),
        ("requestParams.full_name_arg", P),
        ("response.statusCode", P),
        // tecton
        ("actor", I),
        ("actor.email", I),
        ("actor.id", I),
        ("actor.type", P),
        ("request.resource_name", P),
        ("request.feature_service", P),
        ("request.feature_view", P),
        ("request.name", P),
        ("request.method", P),
        ("workspace", P),
        // what redaction itself adds
        (super::MARKER_KEY, P),
    ]
};

/// Key names (lower case, without `_`, `-` and spaces) of credentials.
const SECRET_NAMES: &[&str] = &[
    "token",
    "accesstoken",
    "idtoken",
    "refreshtoken",
    "sessiontoken",
    "authtoken",
    "apikey",
    "key",
    "secret",
    "clientsecret",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "session",
    "sessionid",
    "auth",
    "authorization",
    "signature",
    "sig",
    "cookie",
    "setcookie",
    "privatekey",
    "secretkey",
    "secretaccesskey",
    "credentials",
];

/// Endings of credential key names (`github_token`, `db_password`).
const SECRET_ENDINGS: &[&str] = &["token", "secret", "password", "passwd", "apikey", "privatekey", "secretkey"];

/// Key names of identities anywhere.
const IDENTITY_NAMES: &[&str] = &[
    "username",
    "userid",
    "displayname",
    "principalemail",
    "principalid",
    "principalname",
    "principalsubject",
    "accesskeyid",
    "email",
    "emailaddress",
    "mail",
    "login",
    "requestorid",
    "requesterid",
    "serviceaccount",
    "fullname",
    "firstname",
    "lastname",
    "givenname",
    "familyname",
    "phone",
    "phonenumber",
    "mobile",
    "upn",
    "userprincipalname",
    "samaccountname",
];

/// Key names of objects (or strings) about a person.
const PERSON_NAMES: &[&str] = &[
    "user",
    "who",
    "actor",
    "principal",
    "identity",
    "useridentity",
    "owner",
    "requester",
    "requestor",
    "caller",
    "sessionissuer",
    "createdby",
    "updatedby",
    "author",
    "member",
];

/// Keys of a person object that identify it.
const PERSON_KEYS: &[&str] = &["name", "id", "uid", "sub", "arn"];

fn normalized(key: &str) -> String {
    key.chars().filter(|c| !matches!(c, '_' | '-' | ' ' | '.')).flat_map(char::to_lowercase).collect()
}

/// The field table: a tree of known paths, and rules for the rest.
pub struct Table {
    nodes: Vec<Node>,
}

impl Table {
    /// The built-in schemas' fields, then `extra` (dotted paths: a custom
    /// schema's `--map`, `--redact-field`), which take precedence.
    pub fn new(extra: &[(String, Class)]) -> Table {
        let sink = |class| Node { class, person: class == Class::Identity, children: Default::default() };
        let mut t =
            Table { nodes: vec![sink(Class::Free), sink(Class::Free), sink(Class::Secret), sink(Class::Identity)] };
        for (path, class) in SCHEMA_FIELDS {
            t.insert(path, *class);
        }
        for (path, class) in extra {
            t.insert(path, *class);
        }
        t
    }

    fn insert(&mut self, path: &str, class: Class) {
        let mut at = NodeId::ROOT;
        for part in path.split('.') {
            let found = self.nodes[at.0 as usize].children.get(part);
            at = match found {
                Some(id) => id,
                None => {
                    let id = NodeId(self.nodes.len() as u32);
                    let person = PERSON_NAMES.contains(&normalized(part).as_str());
                    self.nodes.push(Node { class: Class::Free, person, children: Default::default() });
                    self.nodes[at.0 as usize].children.insert(part, id);
                    id
                }
            };
        }
        self.nodes[at.0 as usize].class = class;
    }

    pub fn class(&self, n: NodeId) -> Class {
        self.nodes[n.0 as usize].class
    }

    /// True for places the table names (their keys are not free text).
    pub fn known(&self, n: NodeId) -> bool {
        n.0 >= NodeId::FIRST_KNOWN || n == NodeId::ROOT
    }

    /// The place of member `key` of an object at `n`.
    pub fn child(&self, n: NodeId, key: &str) -> NodeId {
        let node = &self.nodes[n.0 as usize];
        if let Some(id) = node.children.get(key) {
            return id;
        }
        if n == NodeId::SECRET {
            return NodeId::SECRET;
        }
        let norm = normalized(key);
        let secret = SECRET_NAMES.contains(&norm.as_str())
            || norm.strip_prefix('x').is_some_and(|rest| SECRET_NAMES.contains(&rest))
            || SECRET_ENDINGS.iter().any(|e| norm.ends_with(e));
        if secret {
            NodeId::SECRET
        } else if IDENTITY_NAMES.contains(&norm.as_str())
            || PERSON_NAMES.contains(&norm.as_str())
            || (node.person && PERSON_KEYS.contains(&norm.as_str()))
        {
            NodeId::IDENTITY
        } else {
            NodeId::FREE
        }
    }

    /// The class of a key met outside any known place (in a line that is
    /// not JSON, kept with `--keep-malformed`).
    pub fn lone_key(&self, key: &str) -> Class {
        self.class(self.child(NodeId::FREE, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_fields_and_key_rules() {
        let t = Table::new(&[("actor.login".into(), Class::Identity), ("ts".into(), Class::Protected)]);
        let at = |path: &str| path.split('.').fold(NodeId::ROOT, |n, k| t.child(n, k));
        assert_eq!(t.class(at("principal.username")), Class::Identity);
        assert_eq!(t.class(at("principal.roles")), Class::Protected);
        assert_eq!(t.class(at("principal.display_name")), Class::Identity);
        assert_eq!(t.class(at("principal.name")), Class::Identity);
        assert_eq!(t.class(at("who.name")), Class::Identity);
        assert_eq!(t.class(at("resource.name")), Class::Protected);
        assert_eq!(t.class(at("event_type")), Class::Protected);
        assert_eq!(t.class(at("detail")), Class::Free);
        assert_eq!(t.class(at("request.headers.X-Api-Key")), Class::Secret);
        assert_eq!(t.class(at("request.headers.Authorization")), Class::Secret);
        assert_eq!(t.class(at("db_password")), Class::Secret);
        assert_eq!(t.class(at("principal.auth_type")), Class::Protected);
        assert_eq!(t.class(at("extra.userName")), Class::Identity);
        assert_eq!(t.class(at("extra.accessKeyId")), Class::Identity);
        assert_eq!(t.class(at("extra.entity_count")), Class::Free);
        assert_eq!(t.class(at("ts")), Class::Protected);
        assert_eq!(t.class(at("actor.login")), Class::Identity);
        assert!(!t.known(at("extra.anything")));
        assert!(t.known(at("resource.name")));
    }
}
