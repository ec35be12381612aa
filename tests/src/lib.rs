//! Shared pieces of the test suites: the loopback [`sandbox`] that emulates the
//! bundled providers, and [`wire`] helpers to read requests and mint tokens.

pub mod placeholder;
pub mod sandbox;
pub mod wire;

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
