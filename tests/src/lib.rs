//! Shared pieces of the test suites: the loopback [`sandbox`] that emulates the
//! bundled providers, and [`wire`] helpers to read requests and mint tokens.

pub mod sandbox;
pub mod wire;
