//! The GitHub Action: `action.yml` passes every input to its script, and the script
//! (`.github/action/run.sh`), run with the environment GitHub gives a step (GITHUB_STEP_SUMMARY
//! and GITHUB_OUTPUT as temporary files, RUNNER_TEMP, INPUT_* variables) and the binary the
//! tests built on PATH, writes the annotations, the job summary and the outputs, and fails
//! exactly as its gates say. `action.yml` itself is checked against the schema of actions that
//! check-jsonschema ships (SchemaStore's `github-action`), and the README's workflows against
//! its schema of workflows.

#[path = "common/pip.rs"]
mod pip;
#[path = "common/pypi.rs"]
mod pypi;
#[path = "common/tools.rs"]
mod tools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What one run of the action left: exit code, log (stdout), summary, outputs.
struct Run {
    code: Option<i32>,
    log: String,
    summary: String,
    outputs: BTreeMap<String, String>,
}

fn action(inputs: &[(&str, &str)]) -> Run {
    let dir = tempfile::Builder::new().prefix("cdpspec-action-").tempdir().unwrap().keep();
    std::fs::create_dir_all(dir.join("runner-temp")).unwrap();
    let (summary, outputs) = (dir.join("step-summary.md"), dir.join("github-output"));
    std::fs::write(&summary, "").unwrap();
    std::fs::write(&outputs, "").unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_cdpspec")).parent().unwrap().display().to_string();
    let mut command = Command::new("bash");
    command
        .arg(Path::new(ROOT).join(".github/action/run.sh"))
        .current_dir(ROOT)
        .env("PATH", format!("{bin}:{}", std::env::var("PATH").unwrap_or_default()))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("RUNNER_TEMP", dir.join("runner-temp"))
        .env("GITHUB_ACTIONS", "true")
        .env("INPUT_INSTALL", "none");
    for (key, value) in inputs {
        command.env(format!("INPUT_{}", key.to_uppercase().replace('-', "_")), value);
    }
    let out = command.output().unwrap();
    let run = Run {
        code: out.status.code(),
        log: String::from_utf8_lossy(&out.stdout).into_owned(),
        summary: std::fs::read_to_string(&summary).unwrap(),
        outputs: std::fs::read_to_string(&outputs).unwrap().lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
    };
    let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.join("runner-temp")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(leftovers.is_empty(), "the script cleans RUNNER_TEMP up: {leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
    run
}

#[test]
fn action_yml_passes_every_input_to_the_script() {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&std::fs::read_to_string(format!("{ROOT}/action.yml")).unwrap()).unwrap();
    let script = std::fs::read_to_string(format!("{ROOT}/.github/action/run.sh")).unwrap();
    let step = &yaml["runs"]["steps"][0];
    assert_eq!(yaml["runs"]["using"].as_str(), Some("composite"));
    assert!(step["run"].as_str().unwrap().contains("$GITHUB_ACTION_PATH/.github/action/run.sh"));
    let inputs = yaml["inputs"].as_mapping().unwrap();
    for (name, input) in inputs {
        let name = name.as_str().unwrap();
        if name == "working-directory" {
            assert_eq!(step["working-directory"].as_str(), Some("${{ inputs.working-directory }}"));
            continue;
        }
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        assert_eq!(step["env"][var.as_str()].as_str(), Some(format!("${{{{ inputs.{name} }}}}").as_str()), "{var}");
        assert!(script.contains(&var), "run.sh reads {var}");
        assert!(input["description"].as_str().is_some_and(|d| !d.is_empty()), "{name} is described");
    }
    for output in ["errors", "warnings", "coverage"] {
        assert!(yaml["outputs"][output]["value"].as_str().unwrap().contains(&format!("steps.run.outputs.{output}")));
    }
}

#[test]
fn errors_are_annotated_summarised_and_fail_the_step() {
    let run = action(&[("paths", "examples/broken\nexamples/seed"), ("destination", "customerio")]);
    assert_eq!(run.code, Some(1), "{}", run.log);
    assert!(
        run.log.contains("::error file=examples/broken/track-without-identity.json,line=1,col=1,title=CDP103 missing-identity::track call has neither"),
        "{}",
        run.log
    );
    assert!(run.log.contains("::warning file=examples/broken/track-without-identity.json,line=4,col=14,title=CDP111 misspelled-field::"), "{}", run.log);
    assert!(run.summary.starts_with("### cdpspec\n"), "{}", run.summary);
    assert!(run.summary.contains("| CDP103 | `missing-identity` | error | 1 |"), "{}", run.summary);
    assert!(run.summary.contains("## Coverage by Actions Customerio"), "{}", run.summary);
    assert_eq!(run.outputs.get("errors").map(String::as_str), Some("2"));
    assert_eq!(run.outputs.get("warnings").map(String::as_str), Some("1"));
    assert_eq!(run.outputs.get("coverage").map(String::as_str), Some("100.0"));
}

#[test]
fn the_gates() {
    let clean = action(&[("paths", "examples/seed"), ("plan", "examples/plan/courses.yaml")]);
    assert_eq!(clean.code, Some(0), "{}", clean.log);
    assert_eq!(clean.outputs.get("errors").map(String::as_str), Some("0"));
    assert!(clean.summary.contains("0 errors, 0 warnings"), "{}", clean.summary);

    let warned = action(&[("paths", "examples/sdk"), ("fail-on", "warning")]);
    assert_eq!(warned.code, Some(1), "warnings fail with fail-on: warning\n{}", warned.log);
    let never = action(&[("paths", "examples/broken"), ("fail-on", "never")]);
    assert_eq!(never.code, Some(0), "{}", never.log);
    assert!(never.log.contains("::error file=examples/broken/"), "still annotated: {}", never.log);

    let dropped = action(&[("paths", "examples/seed"), ("destination", "mixpanel"), ("coverage-fail-on", "dropped")]);
    assert_eq!(dropped.code, Some(1), "{}", dropped.log);
    assert!(dropped.log.contains("::error title=cdpspec coverage::"), "{}", dropped.log);
    assert_eq!(dropped.outputs.get("coverage").map(String::as_str), Some("83.3"));
    let under = action(&[("paths", "examples/seed"), ("destination", "amplitude"), ("coverage-fail-under", "50")]);
    assert_eq!(under.code, Some(0), "66.7% is over 50%: {}", under.log);

    let missing = action(&[("paths", "examples/nope")]);
    assert_eq!(missing.code, Some(2), "{}", missing.log);
    assert!(missing.log.contains("::error title=cdpspec action::cdpspec validate could not run (exit 2)"), "{}", missing.log);
    let bad = action(&[("paths", "examples/seed"), ("fail-on", "sometimes")]);
    assert_eq!(bad.code, Some(2), "{}", bad.log);
}

#[test]
fn action_yml_and_the_readme_workflows_follow_githubs_schemas() {
    let Some(tool) = pypi::install("check-jsonschema", "action_yml_and_the_readme_workflows_follow_githubs_schemas") else { return };
    let out = tool.module("check_jsonschema").args(["--builtin-schema", "vendor.github-actions"]).arg(format!("{ROOT}/action.yml")).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));

    // The README's complete workflows are workflows GitHub accepts.
    let readme = std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap();
    let workflows: Vec<&str> =
        readme.split("```yaml\n").skip(1).filter_map(|b| b.split("```").next()).filter(|b| b.starts_with("name: ") && b.contains("\njobs:\n")).collect();
    assert!(workflows.len() >= 2, "the README shows complete workflows");
    let scratch = tempfile::Builder::new().prefix("cdpspec-workflows-").tempdir().unwrap();
    let dir = scratch.path();
    for (i, workflow) in workflows.iter().enumerate() {
        let path = dir.join(format!("workflow-{i}.yml"));
        std::fs::write(&path, workflow).unwrap();
        let out = tool.module("check_jsonschema").args(["--builtin-schema", "vendor.github-workflows"]).arg(&path).output().unwrap();
        assert!(out.status.success(), "{workflow}\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
}
