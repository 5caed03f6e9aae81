//! Generates the public payload types (`Identify`, `Track`, ..., `Message`, `Batch`, `Context`)
//! from the canonical schemas in `schema/`, so the types cannot drift from the contract.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=schema");
    let code = cdpspec_codegen::Generator::new()
        .add_dir("schema")
        .map(|g| g.add_root("common.schema.json#/$defs/callType"))
        .and_then(|g| g.generate())
        .unwrap_or_else(|e| panic!("cannot generate types from schema/: {e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("calls.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
