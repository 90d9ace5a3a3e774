//! Tamper evidence: per-entry hash chains (JCS + SHA-256) and signed seal
//! manifests for logs written without integrity fields.

pub mod bare;
pub mod chain;
pub mod chained;
pub mod fast;
pub mod jcs;
pub mod keys;
pub mod rotation;
pub mod seal;
