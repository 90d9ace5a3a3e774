//! The audit records of other feature stores, read as built-in schemas:
//! AWS CloudTrail (SageMaker Feature Store), Google Cloud Audit Logs (Vertex
//! AI Feature Store), Databricks audit log delivery, and Tecton's system
//! audit log. Each one's outcome rules are in the README's schema table.

use std::borrow::Cow;

use super::raw::{Field, RawLine, Str, http_status, non_empty};
use super::{Fallback, Malformed, principal_or_unknown, required_time};
use crate::event::{Event, OutcomeClass, OutcomeFacts, Resources, Schema, classify};

/// CloudTrail: `errorCode` absent is a success, `AccessDenied*` a denial,
/// any other code an error.
pub(super) fn cloudtrail<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let c = raw.cold.map(|c| *c).unwrap_or_default();
    let time = required_time(c.event_time, "eventTime", fallback)?;
    let principal = c
        .user_identity
        .and_then(Field::unboxed)
        .and_then(|u| non_empty(u.arn).or_else(|| non_empty(u.user_name)).or_else(|| non_empty(u.principal_id)));
    let event_type = non_empty(c.event_name).unwrap_or_default();
    let mut resources = Resources::None;
    if let Some(name) = c.request_parameters.and_then(Field::unboxed).and_then(|p| non_empty(p.feature_group_name)) {
        resources.push(name);
    }
    let error = non_empty(c.error_code);
    let outcome = match error.as_deref() {
        None => OutcomeClass::Success,
        Some(code) if code.starts_with("AccessDenied") => OutcomeClass::Denied,
        Some(_) => OutcomeClass::Error,
    };
    Ok(Event {
        schema: Schema::Cloudtrail,
        time: Some(time),
        endpoint: (!event_type.is_empty()).then(|| event_type.clone()),
        event_type,
        principal: principal_or_unknown(principal),
        source_ip: non_empty(c.source_ip_address),
        resources,
        outcome,
        raw_outcome: error,
        request_id: non_empty(c.request_id_upper),
        ..Event::default()
    })
}

/// The canonical names of the status codes of Google APIs (`google.rpc.Code`).
const GRPC_CODES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

/// Cloud Audit Logs: `protoPayload.status.code` 0 or absent is a success,
/// 7 (`PERMISSION_DENIED`) a denial, 16 (`UNAUTHENTICATED`) a failed login,
/// any other code an error.
pub(super) fn gcp_audit<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let c = raw.cold.map(|c| *c).unwrap_or_default();
    let time = required_time(raw.timestamp, "timestamp", fallback)?;
    let payload = c.proto_payload.and_then(Field::unboxed).unwrap_or_default();
    let principal = payload.authentication_info.and_then(Field::into_obj).and_then(|a| non_empty(a.principal_email));
    let event_type = non_empty(payload.method_name).unwrap_or_default();
    let mut resources = Resources::None;
    if let Some(name) = non_empty(payload.resource_name) {
        resources.push(name);
    }
    let code = payload
        .status
        .and_then(Field::into_obj)
        .and_then(|s| s.code.and_then(|c| c.as_f64()))
        .filter(|c| c.fract() == 0.0)
        .map(|c| c as i64)
        .unwrap_or(0);
    let outcome = match code {
        0 => OutcomeClass::Success,
        7 => OutcomeClass::Denied,
        16 => OutcomeClass::Unauthenticated,
        _ => OutcomeClass::Error,
    };
    let raw_outcome = usize::try_from(code).ok().and_then(|c| GRPC_CODES.get(c)).map(|n| Cow::Borrowed(*n));
    Ok(Event {
        schema: Schema::GcpAudit,
        time: Some(time),
        endpoint: (!event_type.is_empty()).then(|| event_type.clone()),
        event_type,
        principal: principal_or_unknown(principal),
        source_ip: payload.request_metadata.and_then(Field::into_obj).and_then(|m| non_empty(m.caller_ip)),
        resources,
        outcome,
        raw_outcome: raw_outcome.or_else(|| Some(Cow::Owned(code.to_string()))),
        request_id: non_empty(c.insert_id),
        ..Event::default()
    })
}

/// Databricks audit log delivery: `response.statusCode` read as an HTTP
/// status; the endpoint is `serviceName.actionName`.
pub(super) fn databricks<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let c = raw.cold.map(|c| *c).unwrap_or_default();
    let time = required_time(raw.timestamp, "timestamp", fallback)?;
    let principal = c.user_identity.and_then(Field::unboxed).and_then(|u| non_empty(u.email));
    let event_type = non_empty(c.action_name).unwrap_or_default();
    let service = non_empty(c.service_name).unwrap_or_default();
    let mut resources = Resources::None;
    if let Some(p) = c.request_params.and_then(Field::unboxed) {
        if let Some(name) = non_empty(p.name).or_else(|| non_empty(p.full_name_arg)) {
            resources.push(name);
        }
    }
    let status = c.response.and_then(Field::unboxed).and_then(|r| http_status(r.status_code.as_ref()));
    let outcome = classify(&OutcomeFacts::new(&event_type, None, status));
    Ok(Event {
        schema: Schema::Databricks,
        time: Some(time),
        endpoint: Some(Cow::Owned(format!("{service}.{event_type}"))),
        event_type,
        principal: principal_or_unknown(principal),
        source_ip: non_empty(c.source_ip_address),
        resources,
        outcome,
        status,
        raw_outcome: status.map(|s| Cow::Owned(s.to_string())),
        request_id: non_empty(c.request_id_camel),
        ..Event::default()
    })
}

/// Tecton's system audit log: the `status` word decides (`SUCCESS`,
/// `PERMISSION_DENIED`, `UNAUTHENTICATED`, `ERROR`, …); without one, an
/// `error_message` is an error and its absence a success.
pub(super) fn tecton<'a>(raw: RawLine<'a>, fallback: Fallback) -> Result<Event<'a>, Malformed> {
    let c = raw.cold.map(|c| *c).unwrap_or_default();
    let time = required_time(raw.timestamp, "timestamp", fallback)?;
    let principal = c.actor.and_then(Field::unboxed).and_then(|a| non_empty(a.email).or_else(|| non_empty(a.id)));
    let event_type = non_empty(raw.event_type).unwrap_or_default();
    let mut resources = Resources::None;
    let (mut endpoint, mut method) = (None, None);
    if let Some(r) = c.request.and_then(Field::unboxed) {
        let name: Option<Str<'a>> = non_empty(r.resource_name)
            .or_else(|| non_empty(r.feature_service))
            .or_else(|| non_empty(r.feature_view))
            .or_else(|| non_empty(r.name));
        if let Some(name) = name {
            resources.push(name);
        }
        endpoint = non_empty(r.path);
        method = non_empty(r.method);
    }
    let status = non_empty(raw.status);
    let error = non_empty(c.error_message);
    let outcome = match (&status, &error) {
        (Some(s), _) => classify(&OutcomeFacts::new(&event_type, Some(s), None)),
        (None, Some(_)) => OutcomeClass::Error,
        (None, None) => OutcomeClass::Success,
    };
    Ok(Event {
        schema: Schema::Tecton,
        time: Some(time),
        event_type,
        principal: principal_or_unknown(principal),
        resources,
        outcome,
        raw_outcome: status,
        request_id: non_empty(raw.request_id),
        endpoint,
        method,
        ..Event::default()
    })
}
