//! The JSON Schema of `cdpspec.toml`, for editors (taplo, Even Better TOML) and CI linters:
//! generated from the config file's type (`File`, with schemars), its closed sets taken from
//! the code that reads them (call types, bundled destinations, rules, levels, limits with their
//! defaults). `schema/config/cdpspec.schema.json` is this, written out; a test fails when the
//! two differ.

use schemars::{Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use crate::check::limits::Limits;
use crate::{CallType, Rule};

/// The `$id` of the config schema.
pub const ID: &str = "https://cdpspec.dev/schema/v1/config/cdpspec.schema.json";

/// The JSON Schema (draft 2020-12) of `cdpspec.toml`.
///
/// ```
/// let schema = cdpspec::config::json_schema();
/// assert_eq!(schema["$id"], "https://cdpspec.dev/schema/v1/config/cdpspec.schema.json");
/// assert_eq!(schema["additionalProperties"], false, "unknown keys are errors, as `config::load` says");
/// assert_eq!(schema["properties"]["limits"]["properties"]["batch-calls"]["default"], 2500);
/// ```
pub fn json_schema() -> Value {
    let mut schema = schemars::schema_for!(super::File).to_value();
    if let Value::Object(map) = &mut schema {
        let mut ordered = Map::new();
        ordered.insert("$schema".into(), map.remove("$schema").unwrap_or_else(|| json!("https://json-schema.org/draft/2020-12/schema")));
        ordered.insert("$id".into(), json!(ID));
        ordered.append(map);
        schema = Value::Object(ordered);
    }
    schema
}

/// `type`: one of the six call types.
pub(super) fn call_type(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = CallType::ALL.iter().map(|t| t.as_str()).collect();
    json_schema!({"type": "string", "enum": names})
}

/// `destination`: a bundled destination's name, or a `.json` destination file.
pub(super) fn destination(_: &mut SchemaGenerator) -> Schema {
    let names = crate::destination::names();
    json_schema!({"anyOf": [{"enum": names}, {"type": "string", "pattern": "\\.json$"}]})
}

/// `[rules]`: every rule by name and by code, each `error`, `warning` or `off`.
pub(super) fn rules(_: &mut SchemaGenerator) -> Schema {
    let mut properties = Map::new();
    for rule in Rule::ALL {
        let level = json!({"enum": ["error", "warning", "off"], "description": format!("{} ({}, {} by default): {}", rule.name(), rule.code(), rule.default_severity().as_str(), rule.summary())});
        properties.insert(rule.name().to_owned(), level.clone());
        properties.insert(rule.code().to_owned(), level);
    }
    json_schema!({"type": "object", "properties": properties, "additionalProperties": false})
}

/// `[limits]`: every limit, a positive integer, with its default.
pub(super) fn limits(_: &mut SchemaGenerator) -> Schema {
    let defaults = Limits::default();
    let mut properties = Map::new();
    for name in Limits::NAMES {
        let (default, description) = match *name {
            "call-bytes" => (defaults.call_bytes, "Largest call, in bytes."),
            "batch-bytes" => (defaults.batch_bytes, "Largest batch request, in bytes."),
            "batch-calls" => (defaults.batch_calls, "Most calls in one batch."),
            "message-id-chars" => (defaults.message_id_chars, "`messageId` must be shorter than this many characters."),
            _ => (defaults.record_bytes, "Largest record cdpspec holds and checks, in bytes; longer ones are reported as `record-too-large`."),
        };
        properties.insert((*name).to_owned(), json!({"type": "integer", "minimum": 1, "default": default, "description": description}));
    }
    json_schema!({"type": "object", "properties": properties, "additionalProperties": false})
}

/// `[kafka]`: librdkafka properties. Their names have dots, so an unquoted key is a table in
/// TOML (`bootstrap.servers = ".."` is `bootstrap = { servers = ".." }`): values are strings,
/// numbers, booleans, or tables of them.
pub(super) fn kafka(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "description": "librdkafka settings for `cdpspec stream` and `serve --sink kafka` (bootstrap.servers, security.protocol, compression.type, ...); --kafka-config KEY=VALUE wins over them.",
        "additionalProperties": {"type": ["string", "number", "boolean", "object"]}
    })
}
