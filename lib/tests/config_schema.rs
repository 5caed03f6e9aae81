//! The JSON Schema of `cdpspec.toml` (`schema/config/cdpspec.schema.json`): it is what the
//! config types generate now, it is a valid draft 2020-12 schema, and it agrees with
//! `config::load` on valid and broken config files, both in the `jsonschema` crate and in a
//! real editor-side validator (`check-jsonschema` from PyPI, which reads TOML itself).

use std::path::Path;

#[path = "../../tests/common/pip.rs"]
mod pip;
#[path = "../../tests/common/pypi.rs"]
mod pypi;
#[path = "../../tests/common/tools.rs"]
mod tools;

use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn committed() -> String {
    std::fs::read_to_string(format!("{ROOT}/schema/config/cdpspec.schema.json")).unwrap()
}

fn generated() -> String {
    serde_json::to_string_pretty(&cdpspec::config::json_schema()).unwrap() + "\n"
}

#[test]
fn the_committed_schema_is_what_the_config_types_generate() {
    if std::env::var_os("CDPSPEC_BLESS").is_some() {
        std::fs::write(format!("{ROOT}/schema/config/cdpspec.schema.json"), generated()).unwrap();
    }
    assert!(
        committed() == generated(),
        "schema/config/cdpspec.schema.json is stale: run `CDPSPEC_BLESS=1 cargo test -p cdpspec --test config_schema` (or `cdpspec schema config`)"
    );
    let schema: Value = serde_json::from_str(&committed()).unwrap();
    assert!(jsonschema::meta::is_valid(&schema), "a valid draft 2020-12 schema");
}

/// Config files and whether they are valid: `config::load` and the schema must both say so.
const CASES: &[(&str, bool)] = &[
    ("", true),
    ("plan = \"plan.yaml\"\ntype = \"track\"\npaths = [\"events/\"]\ndestination = \"customerio\"\ndeny-warnings = true\n", true),
    ("destination = \"destinations/crm.json\"\n[rules]\nunplanned-event = \"warning\"\nCDP202 = \"off\"\n[limits]\nbatch-calls = 100\n", true),
    ("[kafka]\nbootstrap.servers = \"kafka-1:9092\"\n\"compression.type\" = \"zstd\"\nlinger.ms = 5\nenable.idempotence = true\n", true),
    ("deny-warning = true\n", false),
    ("type = \"tracks\"\n", false),
    ("deny-warnings = \"yes\"\n", false),
    ("paths = \"events/\"\n", false),
    ("[rules]\nunplaned-event = \"warning\"\n", false),
    ("[rules]\nunplanned-event = \"fatal\"\n", false),
    ("[limits]\nbatch-call = 10\n", false),
    ("[limits]\nbatch-calls = 0\n", false),
    ("[limits]\nbatch-calls = \"many\"\n", false),
];

fn to_json(text: &str) -> Value {
    serde_json::to_value(toml::from_str::<toml::Table>(text).unwrap()).unwrap()
}

#[test]
fn the_schema_and_config_load_agree() {
    let validator = jsonschema::validator_for(&cdpspec::config::json_schema()).unwrap();
    let scratch = tempfile::Builder::new().prefix("cdpspec-config-schema-").tempdir().unwrap();
    let dir = scratch.path();
    let example = std::fs::read_to_string(format!("{ROOT}/examples/config/cdpspec.toml")).unwrap();
    for (i, (text, valid)) in CASES.iter().chain([(example.as_str(), true)].iter()).enumerate() {
        let path = dir.join(format!("{i}.toml"));
        std::fs::write(&path, text).unwrap();
        assert_eq!(cdpspec::config::load(&path).is_ok(), *valid, "config::load on {text:?}");
        let errors: Vec<String> = validator.iter_errors(&to_json(text)).map(|e| e.to_string()).collect();
        assert_eq!(errors.is_empty(), *valid, "the schema on {text:?}: {errors:?}");
    }
}

#[test]
fn check_jsonschema_reads_toml_configs_with_the_schema() {
    let Some(tool) = pypi::install("check-jsonschema", "check_jsonschema_reads_toml_configs_with_the_schema") else { return };
    let scratch = tempfile::Builder::new().prefix("cdpspec-check-jsonschema-").tempdir().unwrap();
    let dir = scratch.path();
    let schema = format!("{ROOT}/schema/config/cdpspec.schema.json");
    for (i, (text, valid)) in CASES.iter().enumerate() {
        // The file name must end in .toml for check-jsonschema to read TOML.
        let path = dir.join(format!("case-{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = tool.module("check_jsonschema").arg("--schemafile").arg(&schema).arg(&path).output().unwrap();
        assert_eq!(
            out.status.success(),
            *valid,
            "check-jsonschema on {text:?}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let example = Path::new(ROOT).join("examples/config/cdpspec.toml");
    let out = tool.module("check_jsonschema").arg("--schemafile").arg(&schema).arg(&example).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
