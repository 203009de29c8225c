//! Conformance data of message recall v1 and their checks, for this implementation and any
//! other:
//!
//! - [`vector`]: server-side vectors (spec §10), one decision each, under `tests/vectors/`;
//!   checked by the `recall-vectors` binary.
//! - [`scenario`]: client-side scenarios (spec §6, §7), a sequence of recalls, legacy commands,
//!   arriving messages and restarts each, under `tests/scenarios/`; checked by the
//!   `recall-scenarios` binary.

#![forbid(unsafe_code)]

pub mod scenario;
pub mod vector;

pub use scenario::ScenarioFile;
pub use vector::VectorFile;

/// The project README's Rust examples, compiled and run as doc tests (here rather than in
/// recall-core, whose published package holds only its own README).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The server guide's Rust examples, compiled and run as doc tests.
#[doc = include_str!("../../docs/servers.md")]
#[cfg(doctest)]
pub struct ServersGuideDoctests;
