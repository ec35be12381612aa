//! Shared pieces of the test suites: the loopback [`sandbox`] (`oauth-sandbox`,
//! with the bundled providers pointed at it), [`wire`] helpers to read requests
//! and parse canned responses, a [`raw_server`] that shows requests byte for
//! byte, a [`thread_server`] for tests that run no async runtime, for fleet
//! tests a real [`redis_server`] and a [`fleet`] token server, the test-only
//! [`keys`], [`captured_logs`] for log assertions, an [`assertion_server`] that verifies what they sign, and a
//! [`dpop_server`] pair that verifies DPoP proofs.

pub mod assertion_server;
pub mod captured_logs;
pub mod dpop_server;
pub mod fleet;
pub mod keys;
pub mod placeholder;
pub mod raw_server;
pub mod redis_server;
pub mod sandbox;
pub mod thread_server;
pub mod wire;

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
