//! fsaudit: a fast analyzer for the audit logs of ML feature stores.
//!
//! Data flows one way: bytes → chunks ([`input`]) → events ([`schema`]) →
//! filter ([`filter`]) → per-worker accumulators ([`engine`], [`stats`]) →
//! merge → report ([`report`]) → render ([`render`]).

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod detect;
pub mod engine;
pub mod event;
pub mod export;
pub mod filter;
pub mod input;
pub mod integrity;
pub mod memory;
pub mod pipe;
pub mod render;
pub mod report;
pub mod schema;
pub mod spill;
pub mod stats;
pub mod testgen;
pub mod time;

/// Every binary and test of the crate counts its heap, for `--memory-limit`.
#[global_allocator]
static ALLOCATOR: memory::Counted = memory::Counted;
