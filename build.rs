//! Generates the public payload types (`Identify`, `Track`, ..., `Message`, `Batch`, `Context`)
//! from the canonical schemas in `schema/`, so the types cannot drift from the contract, and
//! the boolean validators of the fast path (`src/engine/fast/`) from the same schemas.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=schema");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let code = cdpspec_codegen::Generator::new()
        .add_dir("schema")
        .map(|g| g.add_root("common.schema.json#/$defs/callType"))
        .and_then(|g| g.generate())
        .unwrap_or_else(|e| panic!("cannot generate types from schema/: {e}"));
    write(&out_dir.join("calls.rs"), &code);
    write(&out_dir.join("validator.rs"), &validator());
}

/// One validator per call, `message`, `batch`, and the batch envelope (the batch schema without
/// its items, which are checked one by one). The same settings as the golden test in
/// `codegen/src/validator/tests.rs`.
fn validator() -> String {
    let mut generator = cdpspec_codegen::validator::Generator::new()
        .add_dir("schema")
        .and_then(|g| g.add_relaxed_copy("batch.schema.json", "https://cdpspec.dev/schema/v1/batch-envelope.schema.json", "/properties/batch/items"))
        .unwrap_or_else(|e| panic!("cannot generate validators from schema/: {e}"));
    for call in ["identify", "group", "track", "page", "screen", "alias", "message", "batch"] {
        generator = generator.add_root(call, &format!("{call}.schema.json"));
    }
    generator.add_root("batch_envelope", "batch-envelope.schema.json").generate().unwrap_or_else(|e| panic!("cannot generate validators from schema/: {e}"))
}

fn write(path: &std::path::Path, code: &str) {
    std::fs::write(path, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
