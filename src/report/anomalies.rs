//! `fsaudit anomalies`: the findings of the detectors, most severe first.

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::detect::Finding;

/// The `anomalies` JSON document (DESIGN §3).
#[derive(Debug, Serialize)]
pub struct AnomaliesReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub events: u64,
    pub malformed: u64,
    pub findings: Vec<Finding>,
}

impl AnomaliesReport {
    /// The report of `findings` (sorted here), the first `top` or all.
    pub fn assemble(events: u64, malformed: u64, mut findings: Vec<Finding>, top: Option<usize>) -> Self {
        crate::detect::sort_findings(&mut findings);
        if let Some(n) = top {
            findings.truncate(n);
        }
        AnomaliesReport { schema_version: SCHEMA_VERSION, command: "anomalies", events, malformed, findings }
    }
}
