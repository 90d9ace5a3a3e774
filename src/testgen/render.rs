//! Writes generated facts in each schema's own conventions.

use rand::Rng;
use rand::rngs::StdRng;

use super::{GenEvent, Shape};
use crate::event::OutcomeClass;
use crate::time::format_millis;

/// Picks the event type of a request event, as each schema names it.
pub(super) fn event_type_for(ev: &GenEvent, shape: Shape, rng: &mut StdRng) -> String {
    match shape {
        Shape::Feast => {
            let roll: f64 = rng.random();
            let t = if roll < 0.06 && matches!(ev.class, OutcomeClass::Success | OutcomeClass::Error) {
                "mcp.tools.call"
            } else if roll < 0.12 && matches!(ev.class, OutcomeClass::Success | OutcomeClass::Denied) {
                "authz.decision"
            } else {
                "http.request"
            };
            t.into()
        }
        Shape::FeastSox => {
            if rng.random_bool(0.2) { "offline_feature_retrieval" } else { "online_feature_request" }.into()
        }
        Shape::Flat => if ev.class == OutcomeClass::Denied { "access_denied" } else { "feature_retrieval" }.into(),
        Shape::Soc2 => "http.request".into(),
    }
}

/// The usual event type of a request in each schema, without variety.
pub(super) fn plain_event_type(ev: &GenEvent, shape: Shape) -> String {
    match (shape, ev.class) {
        (Shape::Feast | Shape::Soc2, _) => "http.request",
        (Shape::FeastSox, _) => "online_feature_request",
        (Shape::Flat, OutcomeClass::Denied) => "access_denied",
        (Shape::Flat, _) => "feature_retrieval",
    }
    .into()
}

/// Adjusts facts to what each schema can say (precision, missing fields);
/// with `noise`, also Feast's habit of leaving some resource names empty.
pub(super) fn shape_specific(ev: &mut GenEvent, shape: Shape, rng: &mut StdRng, noise: bool) {
    match shape {
        Shape::Feast => {
            ev.time = ev.time.div_euclid(1000) * 1000;
            match ev.event_type.as_str() {
                "mcp.tools.call" => {
                    ev.principal = "(authenticated)".into();
                    ev.roles.clear();
                    ev.source_ip = None;
                }
                "authz.decision" | "authn.failure" => ev.latency_ms = None,
                // Feast's server fills only resource.type for feature services
                _ if noise && rng.random_bool(0.1) => ev.resources.clear(),
                _ => {}
            }
        }
        Shape::FeastSox | Shape::Flat => {
            ev.source_ip = None;
            ev.roles.clear();
        }
        Shape::Soc2 => {
            ev.time = ev.time.div_euclid(1000) * 1000;
            ev.roles.clear();
        }
    }
    if ev.event_type == "authn.failure" {
        ev.resources.clear();
        ev.latency_ms = None;
    }
}

fn q(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

fn list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", parts.join(","))
}

fn micros_text(t: i64, suffix: &str) -> String {
    let base = format_millis(t);
    // format_millis ends in ".mmmZ": extend to microseconds
    format!("{}{:03}{suffix}", &base[..base.len() - 1], t.rem_euclid(1000))
}

/// Writes one event as a line of the given schema (no newline).
pub fn render(ev: &GenEvent, shape: Shape, rng: &mut StdRng) -> String {
    let resource = ev.resources.first().map(String::as_str).unwrap_or("");
    let latency = |key: &str| ev.latency_ms.map(|l| format!(",{}:{l}", q(key))).unwrap_or_default();
    match shape {
        Shape::Feast => {
            let (outcome, detail) = feast_outcome(ev, rng);
            let timestamp =
                if rng.random_bool(0.02) { (ev.time / 1000).to_string() } else { q(&format_millis(ev.time)) };
            let (path, tool, transport) = match ev.event_type.as_str() {
                "mcp.tools.call" => ("/mcp", "retrieve_online_documents", "mcp-http"),
                "http.request" if ev.write => ("/push", "", "http"),
                "http.request" => ("/get-online-features", "", "http"),
                _ => ("", "", "http"),
            };
            let action = if ev.write { "WRITE_ONLINE" } else { "READ_ONLINE" };
            let rtype = if resource.is_empty() { "feature_service" } else { "FeatureView" };
            format!(
                r#"{{"event_type":{},"timestamp":{timestamp},"request_id":{},"principal":{{"username":{},"roles":{},"auth_type":"oidc"}},"source":{{"ip":{},"transport":"{transport}"}},"action":{{"mcp_tool":"{tool}","path":"{path}"}},"resource":{{"type":"{rtype}","name":{},"actions":["{action}"]}},"outcome":"{outcome}"{},"detail":{}}}"#,
                q(&ev.event_type),
                q(&ev.request_id),
                q(&ev.principal),
                list(&ev.roles),
                q(ev.source_ip.as_deref().unwrap_or("")),
                q(resource),
                latency("duration_ms"),
                q(&detail),
            )
        }
        Shape::FeastSox => {
            let status = match (ev.event_type.as_str(), ev.class) {
                ("authn.failure", _) => "failure",
                (_, OutcomeClass::Success) => "success",
                (_, OutcomeClass::Denied) => "denied",
                (_, OutcomeClass::Unauthenticated) => "unauthenticated",
                (_, OutcomeClass::Error) => "error",
            };
            format!(
                r#"{{"event": {}, "timestamp": "{}", "requestor_id": {}, "entity_keys": ["driver_id"], "entity_count": 100, "feature_views": {}, "feature_count": 3, "status": "{status}"{}}}"#,
                q(&ev.event_type),
                micros_text(ev.time, "+00:00"),
                q(&ev.principal),
                list(&ev.resources),
                latency("latency_ms"),
            )
        }
        Shape::Flat => {
            let (status, level) = match (ev.event_type.as_str(), ev.class) {
                ("authn.failure", _) => ("failure", "WARNING"),
                (_, OutcomeClass::Success) => ("success", "INFO"),
                (_, OutcomeClass::Denied) => ("denied", "WARNING"),
                (_, OutcomeClass::Unauthenticated) => ("unauthenticated", "WARNING"),
                (_, OutcomeClass::Error) => ("error", "ERROR"),
            };
            format!(
                r#"{{"timestamp": "{}", "level": "{level}", "event_type": {}, "user": {}, "action": "get_online_features", "resource": {}, "details": {{"feature_view": {}, "features": ["f1", "f2"], "entity_count": 100}}, "status": "{status}"{}}}"#,
                micros_text(ev.time, "Z"),
                q(&ev.event_type),
                q(&ev.principal),
                q(resource),
                q(resource),
                latency("duration_ms"),
            )
        }
        Shape::Soc2 => {
            let (code, success) = match ev.class {
                OutcomeClass::Success => (200, true),
                OutcomeClass::Denied => (403, false),
                OutcomeClass::Unauthenticated => (401, false),
                OutcomeClass::Error => (500, false),
            };
            let who = if ev.principal.is_empty() {
                r#"{"mfaVerified":false}"#.to_owned()
            } else {
                format!(r#"{{"userId":{},"serviceAccount":"feature-server","mfaVerified":false}}"#, q(&ev.principal))
            };
            let perf = ev.latency_ms.map(|l| format!(r#","performance":{{"latencyMs":{l}}}"#)).unwrap_or_default();
            format!(
                r#"{{"id":"{}-{}","timestamp":"{}","who":{who},"what":{{"action":{},"resource":{},"endpoint":"{}","method":"POST"}},"result":{{"statusCode":{code},"success":{success}}},"context":{{"ipAddress":{},"userAgent":"feast-sdk/0.50"}}{perf}}}"#,
                ev.time / 1000,
                &ev.request_id[..16],
                format_millis(ev.time),
                q(&ev.event_type),
                q(resource),
                if ev.write { "/push" } else { "/get-online-features" },
                q(ev.source_ip.as_deref().unwrap_or("")),
            )
        }
    }
}

/// Feast's outcome word and detail for a class: HTTP errors are `failure`
/// with the status in `detail`; exceptions are `error`.
fn feast_outcome(ev: &GenEvent, rng: &mut StdRng) -> (&'static str, String) {
    match (ev.event_type.as_str(), ev.class) {
        ("authn.failure", _) => ("failure", "invalid bearer token".into()),
        ("authz.decision", OutcomeClass::Denied) => ("denied", String::new()),
        ("authz.decision", _) => ("allowed", String::new()),
        ("mcp.tools.call", OutcomeClass::Success) => ("success", String::new()),
        ("mcp.tools.call", _) => ("mcp_error", "tool raised".into()),
        (_, OutcomeClass::Success) => ("success", "POST /get-online-features -> 200".into()),
        (_, OutcomeClass::Denied) => ("failure", "POST /get-online-features -> 403".into()),
        (_, OutcomeClass::Unauthenticated) => ("failure", "POST /get-online-features -> 401".into()),
        (_, OutcomeClass::Error) if ev.write => ("failure", "POST /push -> 500".into()),
        (_, OutcomeClass::Error) => {
            if rng.random_bool(0.5) {
                ("failure", "POST /get-online-features -> 500".into())
            } else {
                ("error", String::new())
            }
        }
    }
}
