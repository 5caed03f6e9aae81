//! Every `--format` of `cdpspec validate`, as CI runs it: the exact output of each over a mixed
//! NDJSON fixture and over the bundled examples (insta snapshots), and the shape each format's
//! consumers rely on (SARIF 2.1.0's schema essentials, JUnit's counts, one workflow command per
//! line).

use std::process::{Command, Output};

use serde_json::{Value, json};

const FORMATS: [&str; 6] = ["human", "json", "github", "junit", "sarif", "markdown"];
const INPUTS: [(&str, &str); 2] = [("mixed", "tests/fixtures/mixed.ndjson"), ("examples", "examples")];

fn validate(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
        .arg("validate")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("cdpspec runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "cdpspec panicked: {stderr}");
    output
}

/// stdout and stderr of `cdpspec validate --format FORMAT PATH`, which must fail (both inputs
/// have errors).
fn run(format: &str, path: &str) -> (String, String) {
    let out = validate(&["--format", format, path]);
    assert_eq!(out.status.code(), Some(1), "{format} {path}");
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The SARIF log with what changes without a change to the format redacted: the crate's
/// version, and the rule catalog (`tool.driver.rules`, and so each result's `ruleIndex`), which
/// grows with every new rule. `sarif_has_the_shape_code_scanning_requires` checks both exactly.
fn redact_sarif(sarif: &str) -> String {
    let sarif = sarif.replace(&format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")), "\"version\": \"[version]\"");
    let start = sarif.find("\"rules\": [").expect("a rules array");
    let close = "\n          ]";
    let end = start + sarif[start..].find(close).expect("the end of the rules array") + close.len();
    let sarif = format!("{}\"rules\": \"[Rule::ALL]\"{}", &sarif[..start], &sarif[end..]);
    sarif
        .split_inclusive('\n')
        .map(|line| match line.find("\"ruleIndex\": ") {
            Some(i) => format!("{}\"ruleIndex\": \"[index]\",\n", &line[..i]),
            None => line.to_string(),
        })
        .collect()
}

#[test]
fn every_format_snapshot() {
    for format in FORMATS {
        for (name, path) in INPUTS {
            let (stdout, stderr) = run(format, path);
            let stdout = if format == "sarif" { redact_sarif(&stdout) } else { stdout };
            assert!(!stdout.contains('\x1b'), "{format}: no colour off a terminal");
            insta::assert_snapshot!(format!("{format}_{name}"), stdout);
            // Machine formats keep stdout for the report; the summary goes to stderr.
            let summary_on_stderr = matches!(format, "json" | "junit" | "sarif");
            assert_eq!(stderr.contains("Checked "), summary_on_stderr, "{format}: {stderr}");
        }
    }
}

#[test]
fn github_writes_one_workflow_command_per_line() {
    let (stdout, _) = run("github", "tests/fixtures/mixed.ndjson");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "7 diagnostics and the summary: {stdout}");
    for line in &lines[..7] {
        let (command, message) = line.split_once("::").and_then(|(_, rest)| rest.split_once("::")).expect(line);
        let (kind, properties) = command.split_once(' ').expect(line);
        assert!(kind == "error" || kind == "warning", "{line}");
        let keys: Vec<&str> = properties.split(',').map(|p| p.split_once('=').expect(p).0).collect();
        assert_eq!(keys, ["file", "line", "col", "title"], "{line}");
        assert!(!message.is_empty() && !message.contains('\r'));
    }
    assert!(lines[7].starts_with("::notice title=cdpspec::Checked 5 calls"), "{}", lines[7]);
}

/// The value of attribute `name` in `element` (the text of one start tag).
fn attribute<'a>(element: &'a str, name: &str) -> &'a str {
    let start = element.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {element}")) + name.len() + 3;
    &element[start..start + element[start..].find('"').unwrap()]
}

#[test]
fn junit_counts_agree_with_the_cases() {
    let (xml, _) = run("junit", "examples");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "), "{xml}");
    let root = xml.lines().nth(1).unwrap();
    let suites: Vec<&str> = xml.split("<testsuite ").skip(1).collect();
    assert_eq!(suites.len(), 3, "one suite per file with diagnostics: {xml}");
    let (mut tests, mut failures) = (0, 0);
    for suite in &suites {
        let head = &suite[..suite.find('>').unwrap()];
        assert_eq!(attribute(&format!(" {head}"), "tests").parse::<usize>().unwrap(), suite.matches("<testcase ").count());
        assert_eq!(attribute(&format!(" {head}"), "failures").parse::<usize>().unwrap(), suite.matches("<failure ").count());
        tests += suite.matches("<testcase ").count();
        failures += suite.matches("<failure ").count();
    }
    assert_eq!((attribute(root, "tests"), attribute(root, "failures"), attribute(root, "errors")), (&*tests.to_string(), &*failures.to_string(), "0"));
    assert_eq!((tests, failures), (4, 2), "a warning is a passing case, an error a failed one");
    assert_eq!(xml.matches("<testsuite ").count(), xml.matches("</testsuite>").count());
    assert_eq!(xml.matches("<testcase ").count(), xml.matches("</testcase>").count());
}

#[test]
fn junit_reports_a_clean_run_and_unreadable_inputs() {
    let out = validate(&["--format", "junit", "examples/seed/track.json"]);
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains("<testsuites name=\"cdpspec\" tests=\"1\" failures=\"0\" errors=\"0\">"), "{xml}");
    assert!(xml.contains("<testcase name=\"inputs\" classname=\"cdpspec\">\n      <system-out>Checked 1 call in 1 file"), "{xml}");
    let out = validate(&["--format", "junit", "does-not-exist.json", "examples/seed/track.json"]);
    assert_eq!(out.status.code(), Some(2));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains("<testsuites name=\"cdpspec\" tests=\"1\" failures=\"0\" errors=\"1\">"), "{xml}");
    assert!(xml.contains("<error message=\"1 input could not be read\" type=\"unreadable-input\">"), "{xml}");
}

/// The parts of the SARIF 2.1.0 schema (OASIS, `sarif-schema-2.1.0.json`) that cdpspec's log
/// uses, as the schema states them: required properties, enums, minimums, and no properties
/// beyond the ones SARIF defines (the real schema closes every object but property bags).
fn sarif_schema_essentials() -> Value {
    let closed =
        |properties: Value, required: &[&str]| json!({"type": "object", "additionalProperties": false, "properties": properties, "required": required});
    let level = json!({"enum": ["none", "note", "warning", "error"]});
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$ref": "#/definitions/sarifLog",
        "definitions": {
            "sarifLog": closed(json!({
                "$schema": {"type": "string", "format": "uri"},
                "version": {"enum": ["2.1.0"]},
                "runs": {"type": "array", "items": {"$ref": "#/definitions/run"}},
                "properties": {"$ref": "#/definitions/propertyBag"}
            }), &["version", "runs"]),
            "run": closed(json!({
                "tool": {"$ref": "#/definitions/tool"},
                "invocations": {"type": "array", "items": {"$ref": "#/definitions/invocation"}},
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "properties": {"$ref": "#/definitions/propertyBag"}
            }), &["tool"]),
            "tool": closed(json!({"driver": {"$ref": "#/definitions/toolComponent"}}), &["driver"]),
            "toolComponent": closed(json!({
                "name": {"type": "string"},
                "version": {"type": "string"},
                "informationUri": {"type": "string", "format": "uri"},
                "rules": {"type": "array", "uniqueItems": true, "items": {"$ref": "#/definitions/reportingDescriptor"}}
            }), &["name"]),
            "reportingDescriptor": closed(json!({
                "id": {"type": "string"},
                "name": {"type": "string"},
                "shortDescription": {"$ref": "#/definitions/multiformatMessageString"},
                "defaultConfiguration": closed(json!({"enabled": {"type": "boolean"}, "level": level}), &[]),
                "helpUri": {"type": "string", "format": "uri"}
            }), &["id"]),
            "multiformatMessageString": closed(json!({"text": {"type": "string"}, "markdown": {"type": "string"}}), &["text"]),
            "invocation": closed(json!({"executionSuccessful": {"type": "boolean"}, "exitCode": {"type": "integer"}}), &["executionSuccessful"]),
            "result": closed(json!({
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": level,
                "message": {"$ref": "#/definitions/message"},
                "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
                "properties": {"$ref": "#/definitions/propertyBag"}
            }), &["message"]),
            "message": closed(json!({"text": {"type": "string"}, "markdown": {"type": "string"}, "id": {"type": "string"}}), &["text"]),
            "location": closed(json!({"physicalLocation": {"$ref": "#/definitions/physicalLocation"}}), &[]),
            "physicalLocation": closed(json!({
                "artifactLocation": closed(json!({"uri": {"type": "string", "format": "uri-reference"}, "uriBaseId": {"type": "string"}}), &[]),
                "region": closed(json!({
                    "startLine": {"type": "integer", "minimum": 1},
                    "startColumn": {"type": "integer", "minimum": 1},
                    "endLine": {"type": "integer", "minimum": 1},
                    "endColumn": {"type": "integer", "minimum": 1}
                }), &[])
            }), &[]),
            "propertyBag": {"type": "object", "additionalProperties": true}
        }
    })
}

#[test]
fn sarif_has_the_shape_code_scanning_requires() {
    let schema = sarif_schema_essentials();
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft7).should_validate_formats(true).build(&schema).expect("the excerpt compiles");
    let rejected: Value = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "rank": 1}]}]});
    assert!(!validator.is_valid(&rejected), "the excerpt rejects properties SARIF does not define");
    for (_, path) in INPUTS {
        let (stdout, _) = run("sarif", path);
        let log: Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
        let run = &log["runs"][0];
        assert_eq!(log["runs"].as_array().unwrap().len(), 1);
        let driver = &run["tool"]["driver"];
        assert_eq!((driver["name"].as_str(), driver["version"].as_str()), (Some("cdpspec"), Some(env!("CARGO_PKG_VERSION"))));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), cdpspec::Rule::ALL.len());
        for (descriptor, rule) in rules.iter().zip(cdpspec::Rule::ALL) {
            assert_eq!(descriptor["id"], rule.code());
            assert_eq!(descriptor["name"], rule.name());
            assert_eq!(descriptor["shortDescription"]["text"], rule.summary());
            assert_eq!(descriptor["defaultConfiguration"]["level"], rule.default_severity().as_str());
        }
        let results = run["results"].as_array().unwrap();
        assert!(!results.is_empty());
        for result in results {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at ruleId");
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            assert!(path.ends_with(".ndjson") && uri == path || uri.starts_with(&format!("{path}/")), "relative to the working directory: {uri}");
            assert!(location["region"]["startLine"].as_u64().unwrap() >= 1 && location["region"]["startColumn"].as_u64().unwrap() >= 1);
            assert!(result["properties"]["pointer"].is_string());
        }
    }
}

#[test]
fn markdown_tables_have_as_many_cells_as_columns() {
    let (text, _) = run("markdown", "tests/fixtures/mixed.ndjson");
    for line in text.lines().filter(|l| l.starts_with('|')) {
        // Escaped pipes are inside cells; the rest delimit them.
        let delimiters = line.replace("\\|", "").matches('|').count();
        assert!(delimiters == 5 || delimiters == 4, "{line}");
    }
}
