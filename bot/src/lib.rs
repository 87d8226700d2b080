//! Vigie's application: configuration, the command line, feed syncing and (in time) the chat
//! platforms, scheduler, delivery and HTTP endpoints. It may depend on every other crate of the
//! workspace; nothing depends on it. The `vigie` binary is a thin `main` over this library, which
//! the integration tests drive directly.

pub mod alert;
pub mod award;
pub mod chart;
pub mod chat;
pub mod cli;
pub mod command;
pub mod config;
pub mod engine;
pub mod http;
pub mod ics;
pub mod metrics;
pub mod platform;
pub mod sync;
pub mod window;
