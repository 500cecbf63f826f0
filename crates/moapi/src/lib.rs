//! The `moapi` binary's library: the HTTP server that mounts both APIs, the operator layer
//! shared by the CLI and `/admin/v1`, fixtures and the benchmark.

pub mod admin;
pub mod bench;
pub mod docs;
pub mod fixtures;
pub mod operator;
pub mod server;
