//! One borrowed view over the top-level fields of all built-in schemas.
//!
//! A line is read once into [`RawLine`] by the hot-path reader
//! ([`super::scan`]); the schema readers then pick the fields they own.
//! (A line of a learnt Feast shape skips it: its values go straight into
//! the parts of its event, [`super::learnt`].)
//! Strings borrow from the line unless they contain escapes, fields nobody
//! reads are checked and passed over without allocation, and fields whose
//! type differs between schemas (`resource` is an object in Feast and a
//! string in the flat shape) are read as [`Field`] so neither shape is an
//! error.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de;

/// A borrowed-when-possible string.
pub type Str<'a> = Cow<'a, str>;

/// A value that may be a string, a number, a boolean or an object `T`.
#[derive(Debug)]
pub enum Field<'a, T> {
    Str(Str<'a>),
    Num(f64),
    Bool(bool),
    Obj(T),
    /// An array or anything else nobody reads.
    Other,
}

impl<'a, T> Field<'a, T> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn into_str(self) -> Option<Str<'a>> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn obj(&self) -> Option<&T> {
        match self {
            Field::Obj(o) => Some(o),
            _ => None,
        }
    }

    pub fn into_obj(self) -> Option<T> {
        match self {
            Field::Obj(o) => Some(o),
            _ => None,
        }
    }

    /// A number, or a string holding one (`"12.5"`), as some loggers write.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Field::Num(n) => Some(*n),
            Field::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// A field one schema reads as a list (Feast SOX's `feature_views`): its
/// items, or `NotAList` for any other value. Read as a list only, it made
/// a line of any schema that held such a field with a number or a string
/// malformed as "invalid JSON"; now the schema that reads the list refuses
/// the line with its own reason, and the others pass over the field.
#[derive(Debug)]
pub enum Listed<T> {
    Items(Vec<T>),
    NotAList,
}

impl<'a, T> Field<'a, Box<T>> {
    /// The object, out of its box (objects of rarely seen shapes are boxed
    /// to keep [`RawLine`] small: it is made for every line).
    pub fn unboxed(self) -> Option<T> {
        self.into_obj().map(|b| *b)
    }
}

/// The keys of one object, to find one written twice.
/// A handful of borrowed keys are compared in place, without allocating;
/// more (or any with escapes) move to a hash set, so an object of a million
/// keys costs a million lookups, not their square.
#[derive(Default)]
pub struct KeySet<'de> {
    few: [&'de str; 8],
    len: usize,
    many: Option<std::collections::HashSet<Cow<'de, str>>>,
}

impl<'de> KeySet<'de> {
    /// Adds one key of the object; a key already there is an error.
    pub fn insert<E: de::Error>(&mut self, key: Cow<'de, str>) -> Result<(), E> {
        if let (None, Cow::Borrowed(k)) = (&self.many, &key)
            && self.len < self.few.len()
        {
            if self.few[..self.len].contains(k) {
                return Err(duplicate(k));
            }
            self.few[self.len] = k;
            self.len += 1;
            return Ok(());
        }
        let few = &self.few[..self.len];
        let set = self.many.get_or_insert_with(|| few.iter().map(|k| Cow::Borrowed(*k)).collect());
        if set.contains(&key) {
            return Err(duplicate(&key));
        }
        set.insert(key);
        Ok(())
    }
}

/// The error of a key written twice in one object.
fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("{} {}", super::DUPLICATE_KEY, super::shape::shown(key)))
}

/// A value nobody reads, checked as it is passed over: its JSON, and no key
/// written twice in any object inside it.
#[derive(Debug, Default)]
pub struct Checked;

/// A JSON value kept as written (roles, actions) for a reader to decode
/// later; any object inside it was checked for repeated keys when read.
#[derive(Debug)]
pub struct RawJson<'a>(&'a str);

impl<'a> RawJson<'a> {
    pub fn new(raw: &'a str) -> Self {
        RawJson(raw)
    }

    pub fn as_raw_cow(&self) -> Cow<'a, str> {
        Cow::Borrowed(self.0)
    }
}

/// Declares a struct of optional fields read from one JSON object, with a
/// reader ([`super::scan::ScanObject`]) that refuses every key written
/// twice (named or not, `null` or not) and checks the values it does not read.
macro_rules! object {
    ($(#[$meta:meta])* pub struct $name:ident<'a> { $($field:ident: $ty:ty = $key:literal,)* }) => {
        object! { @impl $(#[$meta])* $name { $($field: $ty = $key,)* } cold (()) {} }
    };
    (
        $(#[$meta:meta])* pub struct $name:ident<'a> { $($field:ident: $ty:ty = $key:literal,)* }
        cold ($cold:ident) { $($cfield:ident: $cty:ty = $ckey:literal,)* }
    ) => {
        /// The fields of rarely seen shapes, boxed: the struct that holds
        /// them is made (and moved) for every line, and stays small.
        #[derive(Debug, Default)]
        pub struct $cold<'a> {
            $(pub $cfield: Option<$cty>,)*
            _line: PhantomData<&'a str>,
        }
        object! { @impl $(#[$meta])* $name { $($field: $ty = $key,)* } cold ($cold<'a>) { $($cfield: $cty = $ckey,)* } }
    };
    (
        @impl $(#[$meta:meta])* $name:ident { $($field:ident: $ty:ty = $key:literal,)* }
        cold ($cold:ty) { $($cfield:ident: $cty:ty = $ckey:literal,)* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub struct $name<'a> {
            $(pub $field: Option<$ty>,)*
            pub cold: Option<Box<$cold>>,
            _line: PhantomData<&'a str>,
        }

        impl<'a> super::scan::ScanObject<'a> for $name<'a> {
            fn scan_object(p: &mut super::scan::Parser<'a>) -> Result<Self, super::scan::ScanError> {
                let mut out = $name::default();
                Self::scan_object_into(p, &mut out)?;
                Ok(out)
            }

            fn scan_object_into(p: &mut super::scan::Parser<'a>, out: &mut Self) -> Result<(), super::scan::ScanError> {
                use super::scan::Scan;
                #[derive(Default)]
                struct Seen {
                    $($field: bool,)*
                    $($cfield: bool,)*
                }
                let mut seen = Seen::default();
                // the keys no field names, made on the first (most lines have none)
                let mut others: Option<KeySet> = None;
                p.object(|p, key| {
                    // each name is compared by its length and first eight
                    // bytes as one number, then by the rest
                    let (word, k) = (super::scan::KeyWord::of_key(key.as_bytes()), key.as_bytes());
                    'found: {
                        $(if word.is(k, const { super::scan::KeyWord::of($key.as_bytes()) }, $key.as_bytes()) {
                            if std::mem::replace(&mut seen.$field, true) {
                                return Err(duplicate($key));
                            }
                            out.$field = Scan::scan(p)?;
                            break 'found;
                        })*
                        $(if word.is(k, const { super::scan::KeyWord::of($ckey.as_bytes()) }, $ckey.as_bytes()) {
                            if std::mem::replace(&mut seen.$cfield, true) {
                                return Err(duplicate($ckey));
                            }
                            out.cold.get_or_insert_default().$cfield = Scan::scan(p)?;
                            break 'found;
                        })*
                        others.get_or_insert_default().insert::<super::scan::ScanError>(key)?;
                        p.skip_value()?;
                    }
                    Ok(())
                })?;
                Ok(())
            }
        }

        impl $name<'_> {
            /// The keys of the struct's fields, in the order that numbers
            /// them in learnt paths.
            pub const KEYS: &'static [&'static str] = &[$($key,)* $($ckey,)*];

            /// The reader of the field numbered `i` in learnt paths (the
            /// rest of the path leads inside it): one small function a
            /// field, which a learnt step keeps.
            #[allow(clippy::type_complexity)]
            pub fn filler(
                i: u8,
            ) -> for<'b> fn(&mut $name<'b>, &[u8], &mut super::scan::Parser<'b>) -> Result<(), super::scan::ScanError> {
                const KEYS: &[&str] = $name::KEYS;
                $(if i == const { super::learnt::index_of(KEYS, $key) } {
                    fn fill<'a>(
                        s: &mut $name<'a>,
                        rest: &[u8],
                        p: &mut super::scan::Parser<'a>,
                    ) -> Result<(), super::scan::ScanError> {
                        if rest.is_empty() {
                            s.$field = super::scan::Scan::scan(p)?;
                            return Ok(());
                        }
                        <$ty as super::learnt::Member<'a>>::fill_in(&mut s.$field, rest, p)
                    }
                    return fill;
                })*
                $(if i == const { super::learnt::index_of(KEYS, $ckey) } {
                    fn fill<'a>(
                        s: &mut $name<'a>,
                        rest: &[u8],
                        p: &mut super::scan::Parser<'a>,
                    ) -> Result<(), super::scan::ScanError> {
                        let cold = s.cold.get_or_insert_default();
                        if rest.is_empty() {
                            cold.$cfield = super::scan::Scan::scan(p)?;
                            return Ok(());
                        }
                        <$cty as super::learnt::Member<'a>>::fill_in(&mut cold.$cfield, rest, p)
                    }
                    return fill;
                })*
                unreachable!("a field of this struct")
            }
        }

        impl<'a> super::learnt::Template<'a> for $name<'a> {
            fn record(
                p: &mut super::scan::Parser<'a>,
                rec: &mut super::learnt::Recorder,
                path: super::learnt::Path,
            ) -> Result<(), super::scan::ScanError> {
                const KEYS: &[&str] = $name::KEYS;
                p.object(|p, key| {
                    let (word, k) = (super::scan::KeyWord::of_key(key.as_bytes()), key.as_bytes());
                    $(if word.is(k, const { super::scan::KeyWord::of($key.as_bytes()) }, $key.as_bytes()) {
                        return rec.member::<$ty>(p, path.with(const { super::learnt::index_of(KEYS, $key) }));
                    })*
                    $(if word.is(k, const { super::scan::KeyWord::of($ckey.as_bytes()) }, $ckey.as_bytes()) {
                        return rec.member::<$cty>(p, path.with(const { super::learnt::index_of(KEYS, $ckey) }));
                    })*
                    rec.skip(p)
                })
            }

            fn fill(&mut self, path: &[u8], p: &mut super::scan::Parser<'a>) -> Result<(), super::scan::ScanError> {
                Self::filler(path[0])(self, &path[1..], p)
            }

            fn enter(&mut self, path: &[u8]) {
                const KEYS: &[&str] = $name::KEYS;
                let (first, rest) = (path[0], &path[1..]);
                $(if first == const { super::learnt::index_of(KEYS, $key) } {
                    return <$ty as super::learnt::Member<'a>>::enter_in(&mut self.$field, rest);
                })*
                $(if first == const { super::learnt::index_of(KEYS, $ckey) } {
                    let cold = self.cold.get_or_insert_default();
                    return <$cty as super::learnt::Member<'a>>::enter_in(&mut cold.$cfield, rest);
                })*
                unreachable!("a path of this struct")
            }
        }
    };
}

object! {
    /// The union of the built-in schemas' top-level fields.
    pub struct RawLine<'a> {
        // shared
        timestamp: Field<'a, Checked> = "timestamp",
        event_type: Field<'a, Checked> = "event_type",
        request_id: Field<'a, Checked> = "request_id",
        duration_ms: Field<'a, Checked> = "duration_ms",
        status: Field<'a, Checked> = "status",
        resource: Field<'a, FeastResource<'a>> = "resource",
        // feast
        principal: Field<'a, FeastPrincipal<'a>> = "principal",
        source: Field<'a, FeastSource<'a>> = "source",
        outcome: Field<'a, Checked> = "outcome",
        detail: Field<'a, Checked> = "detail",
        action: Field<'a, FeastAction<'a>> = "action",
        // feast-sox
        event: Field<'a, Checked> = "event",
        requestor_id: Field<'a, Checked> = "requestor_id",
        feature_views: Listed<Field<'a, Checked>> = "feature_views",
        latency_ms: Field<'a, Checked> = "latency_ms",
        method: Field<'a, Checked> = "method",
        row_count: Field<'a, Checked> = "row_count",
        // flat
        user: Field<'a, Checked> = "user",
        details: Field<'a, Box<FlatDetails<'a>>> = "details",
        source_ip: Field<'a, Checked> = "source_ip",
        ip: Field<'a, Checked> = "ip",
        // soc2
        who: Field<'a, Box<Soc2Who<'a>>> = "who",
        what: Field<'a, Box<Soc2What<'a>>> = "what",
        result: Field<'a, Box<Soc2Result<'a>>> = "result",
        context: Field<'a, Box<Soc2Context<'a>>> = "context",
        performance: Field<'a, Box<Soc2Performance<'a>>> = "performance",
        id: Field<'a, Checked> = "id",
    }
    cold (RawCold) {
        // cloudtrail (and databricks: userIdentity, sourceIPAddress)
        event_source: Field<'a, Checked> = "eventSource",
        user_identity: Field<'a, Box<UserIdentity<'a>>> = "userIdentity",
        event_time: Field<'a, Checked> = "eventTime",
        event_name: Field<'a, Checked> = "eventName",
        source_ip_address: Field<'a, Checked> = "sourceIPAddress",
        request_parameters: Field<'a, Box<CloudTrailParameters<'a>>> = "requestParameters",
        error_code: Field<'a, Checked> = "errorCode",
        request_id_upper: Field<'a, Checked> = "requestID",
        // gcp-audit
        proto_payload: Field<'a, Box<GcpPayload<'a>>> = "protoPayload",
        insert_id: Field<'a, Checked> = "insertId",
        // databricks
        service_name: Field<'a, Checked> = "serviceName",
        action_name: Field<'a, Checked> = "actionName",
        request_params: Field<'a, Box<DatabricksParams<'a>>> = "requestParams",
        response: Field<'a, Box<DatabricksResponse<'a>>> = "response",
        request_id_camel: Field<'a, Checked> = "requestId",
        // tecton
        actor: Field<'a, Box<TectonActor<'a>>> = "actor",
        error_message: Field<'a, Checked> = "error_message",
        request: Field<'a, Box<TectonRequest<'a>>> = "request",
        workspace: Field<'a, Checked> = "workspace",
        // a distributed trace (OpenTelemetry) the request belongs to
        trace_id: Field<'a, Checked> = "trace_id",
    }
}

object! {
    pub struct FeastPrincipal<'a> {
        username: Field<'a, Checked> = "username",
        roles: RawJson<'a> = "roles",
        auth_type: Field<'a, Checked> = "auth_type",
    }
}

object! {
    pub struct FeastSource<'a> {
        ip: Field<'a, Checked> = "ip",
        transport: Field<'a, Checked> = "transport",
    }
}

object! {
    pub struct FeastResource<'a> {
        name: Field<'a, Checked> = "name",
        actions: RawJson<'a> = "actions",
        kind: Field<'a, Checked> = "type",
    }
}

object! {
    pub struct FeastAction<'a> {
        path: Field<'a, Checked> = "path",
        mcp_tool: Field<'a, Checked> = "mcp_tool",
    }
}

object! {
    /// CloudTrail's and Databricks' `userIdentity`.
    pub struct UserIdentity<'a> {
        arn: Field<'a, Checked> = "arn",
        user_name: Field<'a, Checked> = "userName",
        principal_id: Field<'a, Checked> = "principalId",
        email: Field<'a, Checked> = "email",
        kind: Field<'a, Checked> = "type",
    }
}

object! {
    pub struct CloudTrailParameters<'a> {
        feature_group_name: Field<'a, Checked> = "featureGroupName",
    }
}

object! {
    /// A Cloud Audit Logs `AuditLog` payload.
    pub struct GcpPayload<'a> {
        kind: Field<'a, Checked> = "@type",
        authentication_info: Field<'a, GcpAuthentication<'a>> = "authenticationInfo",
        method_name: Field<'a, Checked> = "methodName",
        resource_name: Field<'a, Checked> = "resourceName",
        request_metadata: Field<'a, GcpRequestMetadata<'a>> = "requestMetadata",
        status: Field<'a, GcpStatus<'a>> = "status",
        service_name: Field<'a, Checked> = "serviceName",
    }
}

object! {
    pub struct GcpAuthentication<'a> {
        principal_email: Field<'a, Checked> = "principalEmail",
    }
}

object! {
    pub struct GcpRequestMetadata<'a> {
        caller_ip: Field<'a, Checked> = "callerIp",
    }
}

object! {
    pub struct GcpStatus<'a> {
        code: Field<'a, Checked> = "code",
        message: Field<'a, Checked> = "message",
    }
}

object! {
    pub struct DatabricksParams<'a> {
        name: Field<'a, Checked> = "name",
        full_name_arg: Field<'a, Checked> = "full_name_arg",
    }
}

object! {
    pub struct DatabricksResponse<'a> {
        status_code: Field<'a, Checked> = "statusCode",
    }
}

object! {
    pub struct TectonActor<'a> {
        email: Field<'a, Checked> = "email",
        id: Field<'a, Checked> = "id",
        kind: Field<'a, Checked> = "type",
    }
}

object! {
    pub struct TectonRequest<'a> {
        resource_name: Field<'a, Checked> = "resource_name",
        feature_service: Field<'a, Checked> = "feature_service",
        feature_view: Field<'a, Checked> = "feature_view",
        name: Field<'a, Checked> = "name",
        path: Field<'a, Checked> = "path",
        method: Field<'a, Checked> = "method",
    }
}

object! {
    pub struct FlatDetails<'a> {
        feature_view: Field<'a, Checked> = "feature_view",
    }
}

object! {
    pub struct Soc2Who<'a> {
        user_id: Field<'a, Checked> = "userId",
        service_account: Field<'a, Checked> = "serviceAccount",
        roles: RawJson<'a> = "roles",
    }
}

object! {
    pub struct Soc2What<'a> {
        action: Field<'a, Checked> = "action",
        resource: Field<'a, Checked> = "resource",
        endpoint: Field<'a, Checked> = "endpoint",
        method: Field<'a, Checked> = "method",
    }
}

object! {
    pub struct Soc2Result<'a> {
        status_code: Field<'a, Checked> = "statusCode",
        success: Field<'a, Checked> = "success",
    }
}

object! {
    pub struct Soc2Context<'a> {
        ip_address: Field<'a, Checked> = "ipAddress",
    }
}

object! {
    pub struct Soc2Performance<'a> {
        latency_ms: Field<'a, Checked> = "latencyMs",
    }
}

/// A non-empty string field, borrowed.
pub fn non_empty<'a, T>(f: Option<Field<'a, T>>) -> Option<Str<'a>> {
    f.and_then(Field::into_str).filter(|s| !s.is_empty())
}

/// A field holding an HTTP status code as a number or a numeric string.
pub fn http_status<T>(f: Option<&Field<'_, T>>) -> Option<u16> {
    let n = f?.as_f64()?;
    (n.fract() == 0.0 && (100.0..1000.0).contains(&n)).then_some(n as u16)
}
