//! The library's typed errors: each public function's failures are variants a caller can match,
//! whose text is the message the command line prints, with the underlying error as `source()`.

use std::error::Error;
use std::path::PathBuf;

use cdpspec::check::limits::{LimitError, Limits};
use cdpspec::config::{self, ConfigFileError};
use cdpspec::coverage::{CompiledDestination, Problem};
use cdpspec::destination::{self, DestinationFile, LoadError};
use cdpspec::rule::{Level, Rule, Severities, SeverityError};
use serde_json::json;

/// A fresh folder for this test's files, inside one made new for this run.
fn folder(name: &str) -> PathBuf {
    static RUN: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let run = RUN.get_or_init(|| tempfile::Builder::new().prefix("cdpspec-errors-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap());
    let dir = run.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `cdpspec.toml` with `text`, loaded.
fn config_error(name: &str, text: &str) -> ConfigFileError {
    let path = folder(name).join("cdpspec.toml");
    std::fs::write(&path, text).unwrap();
    config::load(&path).expect_err(text)
}

/// Whether `E` can be a clap `value_parser`'s error and cross threads.
fn is_shareable<E: Error + Send + Sync + 'static>() {}

#[test]
fn errors_can_be_boxed_and_sent() {
    is_shareable::<LimitError>();
    is_shareable::<SeverityError>();
    is_shareable::<ConfigFileError>();
    is_shareable::<LoadError>();
    is_shareable::<cdpspec::coverage::CompileError>();
    is_shareable::<Problem>();
    is_shareable::<cdpspec::plan::SchemaError>();
}

#[test]
fn limits() {
    let mut limits = Limits::default();
    assert_eq!(limits.set("batch-call", 3), Err(LimitError::UnknownLimit { name: "batch-call".into(), closest: Some("batch-calls") }));
    assert_eq!(limits.set("batch-call", 3).unwrap_err().to_string(), "`batch-call` is not a limit; did you mean `batch-calls`?");
    assert_eq!(
        limits.set("colour", 3).unwrap_err().to_string(),
        "`colour` is not a limit; limits: call-bytes, batch-bytes, batch-calls, message-id-chars, record-bytes"
    );
    assert_eq!(limits.set("call-bytes", 0), Err(LimitError::Zero { name: "call-bytes".into() }));
    assert_eq!(limits.set("call-bytes", 0).unwrap_err().to_string(), "limit `call-bytes` must be at least 1");
    assert_eq!(limits, Limits::default(), "a failed set changes nothing");

    assert_eq!(Limits::parse_assignment(" call-bytes = 60 "), Ok(("call-bytes".into(), 60)));
    assert_eq!(Limits::parse_assignment("call-bytes"), Err(LimitError::NotAnAssignment { text: "call-bytes".into() }));
    assert_eq!(
        Limits::parse_assignment("call-bytes").unwrap_err().to_string(),
        "`call-bytes` is not NAME=VALUE (limits: call-bytes, batch-bytes, batch-calls, message-id-chars, record-bytes)"
    );
    let error = Limits::parse_assignment("call-bytes=lots").unwrap_err();
    assert_eq!(error, LimitError::NotANumber { name: "call-bytes".into(), value: "lots".into() });
    assert_eq!(error.to_string(), "limit `call-bytes`: `lots` is not a whole number");
    assert!(matches!(Limits::parse_assignment("call-byte=60"), Err(LimitError::UnknownLimit { closest: Some("call-bytes"), .. })));
}

#[test]
fn severities() {
    assert_eq!(Severities::parse_assignment("CDP301=off"), Ok((Rule::find("CDP301").unwrap(), Level::Off)));
    let error = Severities::parse_assignment("unplanned-event").unwrap_err();
    assert_eq!(error, SeverityError::NotAnAssignment { text: "unplanned-event".into() });
    assert_eq!(error.to_string(), "`unplanned-event`: expected RULE=LEVEL, such as unplanned-event=warning");
    let error = Severities::parse_assignment("unplaned-event=off").unwrap_err();
    assert_eq!(error, SeverityError::UnknownRule { name: "unplaned-event".into(), closest: Some("unplanned-event") });
    assert_eq!(error.to_string(), "`unplaned-event` is not a rule; did you mean `unplanned-event`?");
    assert_eq!(Severities::parse_assignment("zzz=off").unwrap_err().to_string(), "`zzz` is not a rule (see `cdpspec rules`)");
    let error = Severities::parse_assignment("unplanned-event=fatal").unwrap_err();
    assert_eq!(error, SeverityError::UnknownLevel { level: "fatal".into() });
    assert_eq!(error.to_string(), "`fatal` is not a severity; expected error, warning or off");
    assert_eq!("warn".parse::<Level>(), Ok(Level::Warning));
}

#[test]
fn config_files() {
    let missing = folder("missing").join("cdpspec.toml");
    let error = config::load(&missing).unwrap_err();
    assert!(matches!(&error, ConfigFileError::Read { path, .. } if *path == missing));
    assert!(error.to_string().starts_with(&format!("cannot read {}: ", missing.display())), "{error}");
    assert!(error.source().is_some_and(|s| s.is::<std::io::Error>()));

    let error = config_error("syntax", "plan = \n");
    assert!(matches!(error, ConfigFileError::Toml { .. }));
    assert!(error.source().is_some_and(|s| s.is::<toml::de::Error>()));
    assert!(error.to_string().starts_with(&format!("{}: ", error.path().display())), "{error}");
    assert!(!error.to_string().ends_with('\n'));
    assert!(matches!(config_error("wrong-type", "paths = \"events/\"\n"), ConfigFileError::Toml { .. }));

    let error = config_error("typo", "deny-warning = true\n");
    assert!(matches!(&error, ConfigFileError::UnknownKey { key, closest: Some("deny-warnings"), .. } if key == "deny-warning"));
    assert_eq!(error.to_string(), format!("{}: unknown key `deny-warning`; did you mean `deny-warnings`?", error.path().display()));
    assert!(error.source().is_none());

    let error = config_error("type", "type = \"event\"\n");
    assert!(matches!(&error, ConfigFileError::CallType { value, .. } if value == "event"));
    assert!(error.to_string().ends_with(": `type = \"event\"` is not a call type (identify, group, track, page, screen, alias)"), "{error}");

    let error = config_error("rules", "[rules]\nmissing-identity = \"fatal\"\n");
    assert!(matches!(&error, ConfigFileError::Rules { source: SeverityError::UnknownLevel { level }, .. } if level == "fatal"));
    assert!(error.to_string().ends_with(": [rules] `fatal` is not a severity; expected error, warning or off"), "{error}");
    assert!(error.source().is_some_and(|s| s.is::<SeverityError>()));

    let error = config_error("limits", "[limits]\nbatch-call = 3\n");
    assert!(matches!(&error, ConfigFileError::Limits { source: LimitError::UnknownLimit { .. }, .. }));
    assert!(error.to_string().ends_with(": [limits] `batch-call` is not a limit; did you mean `batch-calls`?"), "{error}");
    assert!(error.source().is_some_and(|s| s.is::<LimitError>()));
}

#[test]
fn destination_files() {
    let error = destination::load("segment").unwrap_err();
    assert!(matches!(&error, LoadError::UnknownBundled { name } if name == "segment"));
    assert_eq!(error.to_string(), "no bundled destination named `segment` (bundled: customerio, mixpanel, amplitude, webhook)");

    let dir = folder("destinations");
    let path = |name: &str| dir.join(name).display().to_string();
    let error = destination::load(&path("nope.json")).unwrap_err();
    assert!(matches!(error, LoadError::Read { .. }));
    assert!(error.to_string().starts_with(&format!("cannot read {}: ", path("nope.json"))), "{error}");
    assert!(error.source().is_some_and(|s| s.is::<std::io::Error>()));

    std::fs::write(dir.join("broken.json"), "{\"actions\": 3}").unwrap();
    let error = destination::load(&path("broken.json")).unwrap_err();
    assert!(matches!(error, LoadError::Parse { .. }));
    assert!(error.source().is_some_and(|s| s.is::<serde_json::Error>()));

    std::fs::write(dir.join("empty.json"), "{\"destination\": \"Nothing\"}").unwrap();
    let error = destination::load(&path("empty.json")).unwrap_err();
    assert!(matches!(error, LoadError::NoActions { .. }));
    assert_eq!(error.to_string(), format!("{}: a destination needs `actions` (or `extends` naming a bundled destination)", path("empty.json")));

    std::fs::write(dir.join("extends.json"), "{\"extends\": \"segment\"}").unwrap();
    let error = destination::load(&path("extends.json")).unwrap_err();
    assert!(matches!(&error, LoadError::UnknownBase { base, .. } if base == "segment"));
    assert_eq!(
        error.to_string(),
        format!("{}: `extends` names `segment`, which is not bundled (customerio, mixpanel, amplitude, webhook)", path("extends.json"))
    );
    assert!(error.source().is_none());
}

/// A destination with one problem of each kind, the mapping's an option word that only the
/// evaluation would have noticed.
fn broken_destination() -> serde_json::Value {
    serde_json::from_str(include_str!("../../tests/fixtures/destinations/broken.json")).unwrap()
}

#[test]
fn destinations_that_do_not_compile_list_every_problem() {
    let file: DestinationFile = serde_json::from_value(broken_destination()).unwrap();
    let Err(error) = CompiledDestination::new(&file) else { panic!("should not compile") };
    let problems = &error.problems;
    assert_eq!(problems.len(), 4, "{error}");
    assert!(matches!(&problems[0], Problem::Field { action, field, .. } if action == "send" && field == "body"));
    assert!(problems[0].source().is_some_and(|s| s.is::<serde_json::Error>()));
    assert!(matches!(&problems[1], Problem::UnknownAction { preset, action } if preset == "Orphan" && action == "nowhere"));
    assert_eq!(problems[1].to_string(), "preset `Orphan`: action `nowhere` is not defined in the destination");
    assert!(matches!(&problems[2], Problem::Trigger { preset, trigger, .. } if preset == "Bad Trigger" && trigger == "(type = \"track\""));
    assert!(problems[2].to_string().starts_with("preset `Bad Trigger`: trigger `(type = \"track\"`: at character "), "{}", problems[2]);
    let Problem::Mapping { preset, source } = &problems[3] else { panic!("{}", problems[3]) };
    assert_eq!(preset, "Loud");
    assert_eq!(source.pointer, "/body/@json/mode");
    assert!(problems[3].to_string().starts_with("preset `Loud`: mapping: /body/@json/mode should be one of encode, decode but it is \"ENCODE\""));
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(error.to_string(), lines.join("\n"));
}

#[test]
fn an_engine_names_the_destination_that_does_not_compile() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/destinations/broken.json");
    let settings = cdpspec::config::Settings { destination: Some(path.into()), ..Default::default() };
    let Err(error) = cdpspec::engine::Engine::new(&settings) else { panic!("should not compile") };
    assert!(matches!(&error, cdpspec::config::ConfigError::Destination { name, source } if name == path && source.problems.len() == 4), "{error}");
    assert!(error.to_string().starts_with(&format!("destination `{path}` does not load:\n  action `send`, field `body`: ")), "{error}");
    assert!(error.source().is_some());
}

#[test]
fn plan_sections_that_do_not_compile() {
    let Err(error) = cdpspec::plan::compile_section(&json!({"type": "strng"})) else { panic!("should not compile") };
    assert!(error.to_string().starts_with("invalid JSON Schema: "), "{error}");
    assert!(error.source().is_some());
    assert!(cdpspec::plan::compile_section(&json!({"type": "object"})).is_ok());
}
