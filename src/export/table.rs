//! The normalized event table of `export --to parquet`: one Arrow record
//! batch per chunk, built by the worker that read it.

use std::sync::Arc;

use arrow_array::builder::{
    Float64Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

use crate::event::Event;

/// The column of input line numbers (filled in by the writer, which knows
/// where each chunk starts).
pub const LINE: usize = 20;
/// The column of times.
pub const TIME: usize = 0;

/// The table's columns, in order (DESIGN §4, plus roles, auth type and transport).
pub fn schema() -> SchemaRef {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let list = |name: &str| Field::new_list(name, Field::new_list_field(DataType::Utf8, true), false);
    Arc::new(Schema::new(vec![
        Field::new("time", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
        text("principal", false),
        list("roles"),
        text("source_ip", true),
        text("event_type", true),
        text("endpoint", true),
        text("method", true),
        Field::new("status", DataType::Int32, true),
        list("resources"),
        text("resource_type", true),
        list("actions"),
        text("outcome", false),
        text("raw_outcome", true),
        Field::new("latency_ms", DataType::Float64, true),
        text("request_id", true),
        text("trace_id", true),
        text("auth_type", true),
        text("transport", true),
        text("schema", false),
        text("input", false),
        Field::new("line", DataType::Int64, false),
    ]))
}

/// Column builders for one chunk's events.
pub struct Columns {
    schema: SchemaRef,
    time: TimestampMicrosecondBuilder,
    principal: StringBuilder,
    roles: ListBuilder<StringBuilder>,
    source_ip: StringBuilder,
    event_type: StringBuilder,
    endpoint: StringBuilder,
    method: StringBuilder,
    status: Int32Builder,
    resources: ListBuilder<StringBuilder>,
    resource_type: StringBuilder,
    actions: ListBuilder<StringBuilder>,
    outcome: StringBuilder,
    raw_outcome: StringBuilder,
    latency_ms: Float64Builder,
    request_id: StringBuilder,
    trace_id: StringBuilder,
    auth_type: StringBuilder,
    transport: StringBuilder,
    schema_name: StringBuilder,
    input: StringBuilder,
    line: Int64Builder,
}

impl Columns {
    /// Builders for about `rows` rows (a chunk holds a few thousand).
    pub fn new(schema: SchemaRef, rows: usize) -> Self {
        // sized for the chunk (bytes a row: the usual Feast values), so that
        // the builders do not grow by copying
        let list = |bytes: usize| {
            ListBuilder::with_capacity(StringBuilder::with_capacity(rows, rows * bytes), rows)
                .with_field(Field::new_list_field(DataType::Utf8, true))
        };
        let text = |bytes: usize| StringBuilder::with_capacity(rows, rows * bytes);
        Columns {
            schema,
            time: TimestampMicrosecondBuilder::with_capacity(rows).with_timezone("UTC"),
            principal: text(24),
            roles: list(16),
            source_ip: text(14),
            event_type: text(14),
            endpoint: text(24),
            method: text(4),
            status: Int32Builder::with_capacity(rows),
            resources: list(20),
            resource_type: text(12),
            actions: list(12),
            outcome: text(8),
            raw_outcome: text(8),
            latency_ms: Float64Builder::with_capacity(rows),
            request_id: text(32),
            trace_id: text(0),
            auth_type: text(4),
            transport: text(4),
            schema_name: text(6),
            input: text(32),
            line: Int64Builder::with_capacity(rows),
        }
    }

    /// Appends one event, read from line `line` of the chunk.
    pub fn push(&mut self, ev: &Event<'_>, input: &str, line: u64) {
        self.time.append_option(ev.time);
        self.principal.append_value(&ev.principal);
        list_of(&mut self.roles, ev.roles_json.as_deref());
        self.source_ip.append_option(ev.source_ip.as_deref());
        self.event_type.append_option(Some(ev.event_type.as_ref()).filter(|t| !t.is_empty()));
        self.endpoint.append_option(ev.endpoint.as_deref());
        self.method.append_option(ev.method.as_deref());
        self.status.append_option(ev.status.map(i32::from));
        for r in ev.resources.as_slice() {
            self.resources.values().append_value(r);
        }
        self.resources.append(true);
        self.resource_type.append_option(ev.resource_type.as_deref());
        list_of(&mut self.actions, ev.actions_json.as_deref());
        self.outcome.append_value(ev.outcome.name());
        self.raw_outcome.append_option(ev.raw_outcome.as_deref());
        self.latency_ms.append_option(ev.latency_ms.filter(|l| crate::stats::latency::acceptable(*l)));
        self.request_id.append_option(ev.request_id.as_deref());
        self.trace_id.append_option(ev.trace_id.as_deref());
        self.auth_type.append_option(ev.auth_type.as_deref());
        self.transport.append_option(ev.transport.as_deref());
        self.schema_name.append_value(ev.schema.name());
        self.input.append_value(input);
        self.line.append_value(line as i64);
    }

    pub fn finish(mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.time.finish()),
            Arc::new(self.principal.finish()),
            Arc::new(self.roles.finish()),
            Arc::new(self.source_ip.finish()),
            Arc::new(self.event_type.finish()),
            Arc::new(self.endpoint.finish()),
            Arc::new(self.method.finish()),
            Arc::new(self.status.finish()),
            Arc::new(self.resources.finish()),
            Arc::new(self.resource_type.finish()),
            Arc::new(self.actions.finish()),
            Arc::new(self.outcome.finish()),
            Arc::new(self.raw_outcome.finish()),
            Arc::new(self.latency_ms.finish()),
            Arc::new(self.request_id.finish()),
            Arc::new(self.trace_id.finish()),
            Arc::new(self.auth_type.finish()),
            Arc::new(self.transport.finish()),
            Arc::new(self.schema_name.finish()),
            Arc::new(self.input.finish()),
            Arc::new(self.line.finish()),
        ];
        RecordBatch::try_new(self.schema, columns).expect("the columns follow the schema")
    }
}

fn list_of(b: &mut ListBuilder<StringBuilder>, json: Option<&str>) {
    crate::event::each_listed(json, |item| b.values().append_value(item));
    b.append(true);
}

/// The batch with `base` added to every line number (the lines of the
/// input before the chunk).
pub fn with_line_base(batch: RecordBatch, base: u64) -> RecordBatch {
    if base == 0 {
        return batch;
    }
    let lines = batch.column(LINE).as_any().downcast_ref::<Int64Array>().expect("line column");
    let moved: Int64Array = lines.values().iter().map(|l| Some(l + base as i64)).collect();
    let mut columns = batch.columns().to_vec();
    columns[LINE] = Arc::new(moved);
    RecordBatch::try_new(batch.schema(), columns).expect("same schema")
}
