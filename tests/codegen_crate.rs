//! Plan-first code generation as a user meets it: `cdpspec codegen --out` into a folder that
//! does not exist yet, in a fresh crate whose dependencies are exactly the ones README.md lists,
//! which must then compile (`cargo check`) without a warning.

use std::path::Path;
use std::process::Command;

/// The `[dependencies]` block README.md gives for generated code.
fn readme_dependencies() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```toml\n[dependencies]\n").expect("README lists the dependencies of generated code") + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

#[test]
fn generated_code_builds_in_a_fresh_crate_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/fresh-crate");
    let _ = std::fs::remove_dir_all(dir.join("app"));
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    // The README's path points beside the app; point it at this checkout instead.
    let dependencies = readme_dependencies().replace("path = \"../cdpspec/lib\"", &format!("path = {:?}", root.join("lib").display().to_string()));
    let manifest = format!("[package]\nname = \"fresh-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n{dependencies}\n[workspace]\n");
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file, so the build uses the versions CI tested and needs no index.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
        .args(["codegen", "--plan", "examples/plan/courses.yaml", "--out"])
        .arg(app.join("src/plan.rs"))
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "codegen creates the folder of --out: {}", String::from_utf8_lossy(&out.stderr));
    let lib = "//! An app's events.\npub mod plan;\n\n/// One typed event, as the app sends it.\npub fn enrolled() -> serde_json::Value {\n    let event = plan::CourseEnrolled { class_code: \"cio101\".into(), class_name: \"Intro\".into(), level: plan::CourseEnrolledV2Level::Beginner, start_date: None };\n    serde_json::to_value(event).unwrap()\n}\n";
    std::fs::write(app.join("src/lib.rs"), lib).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--offline", "--quiet"])
        .current_dir(&app)
        // Its own target folder: the one of this test run is locked while the tests run.
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env_remove("CARGO_MAKEFLAGS")
        .output()
        .unwrap();
    assert!(out.status.success(), "the generated code does not build cleanly:\n{}", String::from_utf8_lossy(&out.stderr));
}
