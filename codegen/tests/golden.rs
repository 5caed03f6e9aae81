//! Golden tests over the project's schemas (`../schema`): the generated
//! source must parse as a Rust file and match the golden file
//! `tests/generated/calls.rs`, which `tests/roundtrip.rs` compiles and
//! exercises, so every change to the generator or the schemas shows up in
//! review as a diff of Rust (refresh it with `CDPSPEC_BLESS=1`). The same for
//! `tests/schemas/kitchen.schema.json`, which uses every mapping rule once.
//! The library (`lib/`) compiles this golden file as it is, and its `lib/tests/schemas.rs`
//! regenerates with the same settings and checks that they are equal.

use std::path::Path;

const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
const KITCHEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/kitchen.schema.json");
const GENERATED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/generated");

fn generate() -> String {
    // The same settings as the library's lib/tests/schemas.rs.
    cdpspec_codegen::Generator::new()
        .add_dir(SCHEMA_DIR)
        .map(|g| g.add_root("common.schema.json#/$defs/callType"))
        .and_then(|g| g.generate())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn generate_kitchen() -> String {
    cdpspec_codegen::Generator::new().add_file(KITCHEN).and_then(|g| g.generate()).unwrap_or_else(|e| panic!("{e}"))
}

/// Compares `code` with `tests/generated/<name>`, rewriting it first when
/// `CDPSPEC_BLESS` is set.
fn check_compiled_copy(name: &str, code: &str) {
    let path = Path::new(GENERATED).join(name);
    if std::env::var_os("CDPSPEC_BLESS").is_some() {
        std::fs::create_dir_all(GENERATED).unwrap();
        std::fs::write(&path, code).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == code, "tests/generated/{name} is stale; rerun with CDPSPEC_BLESS=1");
}

#[test]
fn parses_as_rust() {
    let file = syn::parse_file(&generate()).expect("generated code parses");
    assert!(!file.items.is_empty());
}

#[test]
fn is_deterministic() {
    assert_eq!(generate(), generate());
}

#[test]
fn compiled_copies_are_current() {
    check_compiled_copy("calls.rs", &generate());
    check_compiled_copy("kitchen.rs", &generate_kitchen());
}
