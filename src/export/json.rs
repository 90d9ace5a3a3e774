//! The JSON Lines forms of `export`: the normalized table (`jsonl`), the
//! Elastic Common Schema (`ecs`) and OCSF (`ocsf`). Each record is written
//! by a worker up to the number of its input line, which only the writer
//! knows (it sees the chunks in order): the worker notes where the record
//! stops, and the writer adds the number and the record's closing braces.

use serde::Serialize;

use crate::event::{Event, OutcomeClass, Schema, UNKNOWN_PRINCIPAL};
use crate::time::{Micros, format_micros};

/// The OCSF version the `ocsf` form follows.
pub const OCSF_VERSION: &str = "1.6.0";
/// The ECS version the `ecs` form follows.
pub const ECS_VERSION: &str = "8.17.0";

/// Which JSON form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Jsonl,
    Ecs,
    Ocsf,
}

impl Form {
    /// What closes a record after its line number.
    pub fn closing(self) -> &'static [u8] {
        match self {
            Form::Jsonl => b"}\n",
            Form::Ecs | Form::Ocsf => b"}}\n",
        }
    }

    /// Writes `ev` up to (not including) its line number.
    pub fn open_record(self, ev: &Event<'_>, input: &str, out: &mut Vec<u8>) {
        match self {
            Form::Jsonl => {
                write_open(out, &Row::of(ev, input));
                out.extend_from_slice(b",\"line\":");
            }
            Form::Ecs => ecs(ev, input, out),
            Form::Ocsf => ocsf(ev, input, out),
        }
    }
}

/// Serialises `value` (an object) without its closing brace.
fn write_open<T: Serialize>(out: &mut Vec<u8>, value: &T) {
    serde_json::to_writer(&mut *out, value).expect("writing to memory");
    debug_assert_eq!(out.last(), Some(&b'}'));
    out.pop();
}

/// The latency every report uses: none when it is not a usable one.
fn latency(ev: &Event<'_>) -> Option<f64> {
    ev.latency_ms.filter(|l| crate::stats::latency::acceptable(*l))
}

/// The normalized row: the columns of the Parquet table, in its order.
#[derive(Serialize)]
pub struct Row<'e> {
    pub time: Option<String>,
    pub principal: &'e str,
    pub roles: Vec<String>,
    pub source_ip: Option<&'e str>,
    pub event_type: Option<&'e str>,
    pub endpoint: Option<&'e str>,
    pub method: Option<&'e str>,
    pub status: Option<u16>,
    pub resources: Vec<&'e str>,
    pub resource_type: Option<&'e str>,
    pub actions: Vec<String>,
    pub outcome: OutcomeClass,
    pub raw_outcome: Option<&'e str>,
    pub latency_ms: Option<f64>,
    pub request_id: Option<&'e str>,
    pub trace_id: Option<&'e str>,
    pub auth_type: Option<&'e str>,
    pub transport: Option<&'e str>,
    pub schema: Schema,
    pub input: &'e str,
}

impl<'e> Row<'e> {
    pub fn of(ev: &'e Event<'e>, input: &'e str) -> Self {
        Row {
            time: ev.time.map(format_micros),
            principal: &ev.principal,
            roles: ev.roles(),
            source_ip: ev.source_ip.as_deref(),
            event_type: Some(ev.event_type.as_ref()).filter(|t| !t.is_empty()),
            endpoint: ev.endpoint.as_deref(),
            method: ev.method.as_deref(),
            status: ev.status,
            resources: ev.resources.as_slice().iter().map(|r| r.as_ref()).collect(),
            resource_type: ev.resource_type.as_deref(),
            actions: ev.actions(),
            outcome: ev.outcome,
            raw_outcome: ev.raw_outcome.as_deref(),
            latency_ms: latency(ev),
            request_id: ev.request_id.as_deref(),
            trace_id: ev.trace_id.as_deref(),
            auth_type: ev.auth_type.as_deref(),
            transport: ev.transport.as_deref(),
            schema: ev.schema,
            input,
        }
    }
}

/// True for an event of logging in (authn.*), which OCSF and ECS file as
/// authentication rather than as an API call.
fn is_authentication(ev: &Event<'_>) -> bool {
    ev.event_type.starts_with("authn.") || ev.event_type.starts_with("authn_")
}

/// A source address as ECS and OCSF type it (an IP), or none.
fn ip_of<'e>(ev: &'e Event<'_>) -> Option<&'e str> {
    ev.source_ip.as_deref().filter(|s| s.parse::<std::net::IpAddr>().is_ok())
}

/// The HTTP path, when the endpoint is one (MCP tools are `mcp:<tool>`).
fn path_of<'e>(ev: &'e Event<'_>) -> Option<&'e str> {
    ev.endpoint.as_deref().filter(|e| e.starts_with('/'))
}

// ---------------------------------------------------------------- ECS

#[derive(Serialize)]
struct EcsRecord<'e> {
    #[serde(rename = "@timestamp", skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    ecs: EcsVersion,
    user: EcsUser<'e>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<EcsSource<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<EcsUrl<'e>>,
    #[serde(skip_serializing_if = "EcsHttp::is_empty")]
    http: EcsHttp<'e>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<EcsId<'e>>,
    log: EcsLog<'e>,
    /// What ECS has no field for, under the tool's own name.
    fsaudit: EcsExtra<'e>,
}

#[derive(Serialize)]
struct EcsVersion {
    version: &'static str,
}

#[derive(Serialize)]
struct EcsUser<'e> {
    name: &'e str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<String>,
}

#[derive(Serialize)]
struct EcsSource<'e> {
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<&'e str>,
    /// Not an IP address: kept as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'e str>,
}

#[derive(Serialize)]
struct EcsUrl<'e> {
    path: &'e str,
}

#[derive(Serialize, Default)]
struct EcsHttp<'e> {
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<EcsRequest<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<EcsResponse>,
}

impl EcsHttp<'_> {
    fn is_empty(&self) -> bool {
        self.request.is_none() && self.response.is_none()
    }
}

#[derive(Serialize)]
struct EcsRequest<'e> {
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'e str>,
}

#[derive(Serialize)]
struct EcsResponse {
    status_code: u16,
}

#[derive(Serialize)]
struct EcsId<'e> {
    id: &'e str,
}

#[derive(Serialize)]
struct EcsLog<'e> {
    file: EcsFile<'e>,
}

#[derive(Serialize)]
struct EcsFile<'e> {
    path: &'e str,
}

#[derive(Serialize)]
struct EcsExtra<'e> {
    outcome_class: OutcomeClass,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_outcome: Option<&'e str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    resources: Vec<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_type: Option<&'e str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<f64>,
    schema: Schema,
}

/// `event`, the last object of an ECS record (its `sequence`, the input
/// line, is added by the writer).
#[derive(Serialize)]
struct EcsEvent<'e> {
    kind: &'static str,
    category: [&'static str; 1],
    #[serde(rename = "type")]
    kind_of: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'e str>,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u64>,
    module: &'static str,
    dataset: String,
}

fn ecs(ev: &Event<'_>, input: &str, out: &mut Vec<u8>) {
    let ip = ip_of(ev);
    let source = ev.source_ip.as_deref().map(|s| EcsSource { ip, address: if ip.is_some() { None } else { Some(s) } });
    let request = (ev.method.is_some() || ev.request_id.is_some())
        .then_some(EcsRequest { method: ev.method.as_deref(), id: ev.request_id.as_deref() });
    let record = EcsRecord {
        timestamp: ev.time.map(format_micros),
        ecs: EcsVersion { version: ECS_VERSION },
        user: EcsUser { name: &ev.principal, roles: ev.roles() },
        source,
        url: path_of(ev).map(|path| EcsUrl { path }),
        http: EcsHttp { request, response: ev.status.map(|status_code| EcsResponse { status_code }) },
        trace: ev.trace_id.as_deref().map(|id| EcsId { id }),
        log: EcsLog { file: EcsFile { path: input } },
        fsaudit: EcsExtra {
            outcome_class: ev.outcome,
            raw_outcome: ev.raw_outcome.as_deref(),
            resources: ev.resources.as_slice().iter().map(|r| r.as_ref()).collect(),
            resource_type: ev.resource_type.as_deref(),
            actions: ev.actions(),
            endpoint: ev.endpoint.as_deref(),
            latency_ms: latency(ev),
            schema: ev.schema,
        },
    };
    let auth = is_authentication(ev) || ev.outcome == OutcomeClass::Unauthenticated;
    let mut kind_of = vec![if auth { "start" } else { "access" }];
    match ev.outcome {
        OutcomeClass::Success if !auth => kind_of.push("allowed"),
        OutcomeClass::Denied => kind_of.push("denied"),
        _ => {}
    }
    let event = EcsEvent {
        kind: "event",
        category: [if auth { "authentication" } else { "api" }],
        kind_of,
        action: Some(ev.event_type.as_ref()).filter(|t| !t.is_empty()),
        outcome: match ev.outcome {
            OutcomeClass::Success => "success",
            _ => "failure",
        },
        // nanoseconds, as ECS counts durations
        duration: latency(ev).map(crate::stats::latency::nanoseconds),
        module: "fsaudit",
        dataset: format!("fsaudit.{}", ev.schema.name()),
    };
    write_open(out, &record);
    out.extend_from_slice(b",\"event\":");
    write_open(out, &event);
    out.extend_from_slice(b",\"sequence\":");
}

// ---------------------------------------------------------------- OCSF

#[derive(Serialize)]
struct OcsfRecord<'e> {
    class_uid: u32,
    class_name: &'static str,
    category_uid: u32,
    category_name: &'static str,
    activity_id: u32,
    activity_name: &'static str,
    type_uid: u32,
    type_name: String,
    /// Epoch milliseconds.
    time: i64,
    severity_id: u32,
    severity: &'static str,
    status_id: u32,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_detail: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<OcsfActor<'e>>,
    /// Authentication's user (API Activity names it under `actor`).
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<OcsfUser<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api: Option<OcsfApi<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<OcsfName<'e>>,
    #[serde(skip_serializing_if = "OcsfEndpoint::is_empty")]
    src_endpoint: OcsfEndpoint<'e>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_request: Option<OcsfHttpRequest<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_response: Option<OcsfHttpResponse>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    resources: Vec<OcsfResource<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<OcsfTrace<'e>>,
    unmapped: OcsfUnmapped<'e>,
}

#[derive(Serialize)]
struct OcsfActor<'e> {
    user: OcsfUser<'e>,
}

#[derive(Serialize)]
struct OcsfUser<'e> {
    name: &'e str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    groups: Vec<OcsfGroup>,
}

#[derive(Serialize)]
struct OcsfGroup {
    name: String,
}

#[derive(Serialize)]
struct OcsfApi<'e> {
    operation: &'e str,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<OcsfUid<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<OcsfName<'e>>,
}

#[derive(Serialize)]
struct OcsfUid<'e> {
    uid: &'e str,
}

#[derive(Serialize)]
struct OcsfName<'e> {
    name: &'e str,
}

#[derive(Serialize)]
struct OcsfEndpoint<'e> {
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<&'e str>,
    /// An address that is not an IP, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'e str>,
    /// How the request came (`http`, `mcp-http`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    svc_name: Option<&'e str>,
}

impl OcsfEndpoint<'_> {
    fn is_empty(&self) -> bool {
        self.ip.is_none() && self.name.is_none() && self.svc_name.is_none()
    }
}

#[derive(Serialize)]
struct OcsfHttpRequest<'e> {
    #[serde(skip_serializing_if = "Option::is_none")]
    http_method: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<OcsfUrl<'e>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uid: Option<&'e str>,
}

#[derive(Serialize)]
struct OcsfUrl<'e> {
    path: &'e str,
}

#[derive(Serialize)]
struct OcsfHttpResponse {
    code: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency: Option<i64>,
}

#[derive(Serialize)]
struct OcsfResource<'e> {
    name: &'e str,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'e str>,
}

#[derive(Serialize)]
struct OcsfTrace<'e> {
    uid: &'e str,
}

#[derive(Serialize)]
struct OcsfUnmapped<'e> {
    outcome_class: OutcomeClass,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_type: Option<&'e str>,
    schema: Schema,
}

/// `metadata`, the last object of an OCSF record (its `sequence`, the
/// input line, is added by the writer).
#[derive(Serialize)]
struct OcsfMetadata<'e> {
    version: &'static str,
    product: OcsfProduct,
    log_name: &'e str,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlation_uid: Option<&'e str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    profiles: Vec<&'static str>,
}

#[derive(Serialize)]
struct OcsfProduct {
    name: &'static str,
    vendor_name: &'static str,
}

/// The product that wrote a schema's lines.
fn product(schema: Schema) -> OcsfProduct {
    let (name, vendor_name) = match schema {
        Schema::Feast | Schema::FeastSox => ("Feast", "Feast"),
        Schema::Tecton => ("Tecton", "Tecton"),
        Schema::Databricks => ("Databricks Feature Store", "Databricks"),
        Schema::Cloudtrail => ("AWS CloudTrail", "AWS"),
        Schema::GcpAudit => ("Cloud Audit Logs", "Google Cloud"),
        Schema::Flat | Schema::Soc2 | Schema::Custom => ("Feature store", "Unknown"),
    };
    OcsfProduct { name, vendor_name }
}

/// An API Activity's activity from the event's actions: the one that
/// changes most wins (delete, update, create, read).
fn api_activity(actions: &[String]) -> (u32, &'static str) {
    let mut best = (0, "Unknown");
    let rank = |id: u32| match id {
        4 => 4,
        3 => 3,
        1 => 2,
        2 => 1,
        _ => 0,
    };
    for a in actions {
        let a = a.to_ascii_uppercase();
        let found = if a.starts_with("DELETE") || a.starts_with("REMOVE") {
            (4, "Delete")
        } else if a.starts_with("WRITE") || a.starts_with("UPDATE") || a.starts_with("PUSH") || a == "MATERIALIZE" {
            (3, "Update")
        } else if a.starts_with("CREATE") || a.starts_with("APPLY") {
            (1, "Create")
        } else if a.starts_with("READ") || a.starts_with("DESCRIBE") || a.starts_with("QUERY") || a == "GET" {
            (2, "Read")
        } else {
            continue;
        };
        if rank(found.0) > rank(best.0) {
            best = found;
        }
    }
    best
}

fn ocsf(ev: &Event<'_>, input: &str, out: &mut Vec<u8>) {
    let actions = ev.actions();
    let auth = is_authentication(ev);
    let (class_uid, class_name, category_uid, category_name, (activity_id, activity_name)) = if auth {
        (3002, "Authentication", 3, "Identity & Access Management", (1, "Logon"))
    } else {
        (6003, "API Activity", 6, "Application Activity", api_activity(&actions))
    };
    let (severity_id, severity) = match ev.outcome {
        OutcomeClass::Success => (1, "Informational"),
        OutcomeClass::Error => (2, "Low"),
        OutcomeClass::Denied | OutcomeClass::Unauthenticated => (3, "Medium"),
    };
    let (status_id, status) = match ev.outcome {
        OutcomeClass::Success => (1, "Success"),
        _ => (2, "Failure"),
    };
    let user =
        || OcsfUser { name: &ev.principal, groups: ev.roles().into_iter().map(|name| OcsfGroup { name }).collect() };
    let ip = ip_of(ev);
    let operation =
        ev.endpoint.as_deref().or(Some(ev.event_type.as_ref()).filter(|t| !t.is_empty())).unwrap_or("unknown");
    let latency_ms = latency(ev).map(|l| l.round() as i64);
    let http_request = (ev.method.is_some() || path_of(ev).is_some()).then(|| OcsfHttpRequest {
        http_method: ev.method.as_deref(),
        url: path_of(ev).map(|path| OcsfUrl { path }),
        uid: ev.request_id.as_deref(),
    });
    let record = OcsfRecord {
        class_uid,
        class_name,
        category_uid,
        category_name,
        activity_id,
        activity_name,
        type_uid: class_uid * 100 + activity_id,
        type_name: format!("{class_name}: {activity_name}"),
        time: ev.time.map_or(0, |t: Micros| t.div_euclid(1000)),
        severity_id,
        severity,
        status_id,
        status,
        status_code: ev.status.map(|s| s.to_string()),
        status_detail: ev.raw_outcome.as_deref(),
        duration: latency_ms,
        actor: (!auth).then(|| OcsfActor { user: user() }),
        user: auth.then(user),
        api: (!auth).then(|| OcsfApi {
            operation,
            request: ev.request_id.as_deref().map(|uid| OcsfUid { uid }),
            service: ev.resource_type.as_deref().map(|name| OcsfName { name }),
        }),
        // a login names the service logged in to (OCSF requires one)
        service: auth.then(|| OcsfName {
            name: ev.endpoint.as_deref().or(ev.resource_type.as_deref()).unwrap_or(product(ev.schema).name),
        }),
        src_endpoint: match (ip, ev.source_ip.as_deref(), ev.transport.as_deref()) {
            // API Activity requires a source: the placeholder of a log that names none
            (None, None, None) if !auth => OcsfEndpoint { ip: None, name: Some(UNKNOWN_PRINCIPAL), svc_name: None },
            (ip, address, transport) => {
                OcsfEndpoint { ip, name: if ip.is_some() { None } else { address }, svc_name: transport }
            }
        },
        http_request,
        http_response: ev.status.map(|code| OcsfHttpResponse { code, latency: latency_ms }),
        resources: ev
            .resources
            .as_slice()
            .iter()
            .map(|r| OcsfResource { name: r, kind: ev.resource_type.as_deref() })
            .collect(),
        trace: ev.trace_id.as_deref().map(|uid| OcsfTrace { uid }),
        unmapped: OcsfUnmapped {
            outcome_class: ev.outcome,
            actions,
            auth_type: ev.auth_type.as_deref(),
            schema: ev.schema,
        },
    };
    let metadata = OcsfMetadata {
        version: OCSF_VERSION,
        product: product(ev.schema),
        log_name: input,
        correlation_uid: ev.request_id.as_deref(),
        profiles: if ev.trace_id.is_some() { vec!["trace"] } else { Vec::new() },
    };
    write_open(out, &record);
    out.extend_from_slice(b",\"metadata\":");
    write_open(out, &metadata);
    out.extend_from_slice(b",\"sequence\":");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strongest_action_names_the_activity() {
        let a = |v: &[&str]| api_activity(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).0;
        assert_eq!(a(&["READ_ONLINE"]), 2);
        assert_eq!(a(&["READ_ONLINE", "WRITE_ONLINE"]), 3);
        assert_eq!(a(&["CREATE", "READ_OFFLINE"]), 1);
        assert_eq!(a(&["delete", "WRITE_OFFLINE"]), 4);
        assert_eq!(a(&[]), 0);
        assert_eq!(a(&["SOMETHING"]), 0);
    }
}
