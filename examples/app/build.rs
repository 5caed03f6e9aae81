//! Generates the typed events of the app's tracking plan into `$OUT_DIR/plan.rs`.

fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    if let Err(e) = cdpspec_codegen::plan::Builder::new("../plan/courses.yaml").generate_to(out.join("plan.rs")) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
