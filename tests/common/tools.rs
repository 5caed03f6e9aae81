//! Outside tools some tests drive (Python's `jsonschema`, ajv, quicktype), installed from PyPI
//! and npm on first use. Where they cannot be had, the test says so loudly and skips; in CI
//! (`CI` set) it fails instead, so CI never passes without them. `CDPSPEC_OFFLINE=1` skips
//! them without trying to install anything.

/// Whether tests must not reach the package registries.
pub fn offline() -> bool {
    std::env::var_os("CDPSPEC_OFFLINE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A test that cannot get its tool: fails in CI, and elsewhere prints why on stderr (shown by
/// `cargo test -- --nocapture`, and in the test's output when it runs alone) and lets the
/// caller return early. Returns `false`, for `if !tool() { return skip(...) }`.
pub fn skip(test: &str, why: &str) -> bool {
    assert!(std::env::var_os("CI").is_none(), "{test}: {why}; CI must have it (.ci/run installs it)");
    eprintln!("\n*** SKIPPED {test}: {why} ***\n");
    false
}
