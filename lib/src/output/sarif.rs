//! `--format sarif`: a SARIF 2.1.0 log, for code scanning (GitHub's `upload-sarif` and other
//! SARIF viewers). One run; `tool.driver.rules` is the whole catalog (`Rule::ALL`, id = code);
//! each diagnostic is a result:
//!
//! ```text
//! {"ruleId": "CDP102", "ruleIndex": 4, "level": "error", "message": {"text": "..."},
//!  "locations": [{"physicalLocation": {"artifactLocation": {"uri": "tests/fixtures/mixed.ndjson"},
//!                 "region": {"startLine": 2, "startColumn": 9}}}],
//!  "properties": {"pointer": "/type", "suggestion": "identify"}}
//! ```
//!
//! Columns count characters, so the run says `"columnKind": "unicodeCodePoints"`. Paths stay
//! relative, as URI references (percent-encoded); absolute ones become `file://` URIs. Results
//! are written as they come, so memory does not grow with them. The summary goes to stderr.

use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, message_at};
use crate::diagnostic::Diagnostic;
use crate::rule::Rule;
use crate::summary::Summary;

/// The SARIF 2.1.0 schema, as SARIF tools and schemastore name it.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders diagnostics as a SARIF log.
///
/// ```
/// use cdpspec::output::Sarif;
/// use cdpspec::validate::Validation;
///
/// let mut out = Vec::new();
/// let mut sarif = Sarif::new(Box::new(&mut out), Box::new(std::io::sink()));
/// let mut run = Validation::new(Default::default(), &mut sarif);
/// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// drop(sarif);
/// let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// let result = &log["runs"][0]["results"][0];
/// assert_eq!(result["ruleId"], "CDP104");
/// assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "events.ndjson");
/// ```
pub struct Sarif<'a> {
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
    /// Whether the log up to `"results": [` is written.
    started: bool,
    results: usize,
}

impl<'a> Sarif<'a> {
    /// The log to `out`, the summary to `err`.
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::output::{Emitter, Sarif};
    ///
    /// let mut out = Vec::new();
    /// Sarif::new(Box::new(&mut out), Box::new(std::io::sink())).finish(&Summary::default()).unwrap();
    /// let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
    /// assert_eq!((log["version"].as_str(), log["runs"][0]["results"].as_array().map(Vec::len)), (Some("2.1.0"), Some(0)));
    /// ```
    pub fn new(out: Box<dyn Write + 'a>, err: Box<dyn Write + 'a>) -> Self {
        Sarif { out, err, started: false, results: 0 }
    }

    /// Writes the log up to `"results": [`, once.
    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let tool = Tool {
            driver: Driver {
                name: "cdpspec",
                version: env!("CARGO_PKG_VERSION"),
                information_uri: env!("CARGO_PKG_REPOSITORY"),
                rules: Rule::ALL
                    .iter()
                    .map(|r| ReportingDescriptor {
                        id: r.code(),
                        name: r.name(),
                        short_description: Text { text: r.summary().to_string() },
                        default_configuration: Configuration { level: r.default_severity().as_str() },
                    })
                    .collect(),
            },
        };
        let head = format!(
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
            pretty(&tool, 6)
        );
        self.out.write_all(head.as_bytes())
    }
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'d> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    properties: Properties<'d>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

/// What SARIF has no field for: the JSON pointer, the call's index in its batch, the fix, the
/// plan rule.
#[derive(Serialize)]
struct Properties<'d> {
    pointer: &'d str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'d str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<&'d str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

impl Emitter for Sarif<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.start()?;
        let result = SarifResult {
            rule_id: d.rule.code(),
            rule_index: Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or_default(),
            level: d.severity.as_str(),
            message: Text { text: message_at(d) },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: uri(&d.path) },
                    region: Region { start_line: d.line, start_column: d.column },
                },
            }],
            properties: Properties { pointer: &d.pointer, index: d.index, suggestion: d.suggestion.as_deref(), plan: d.plan_location.as_deref() },
        };
        let separator = if self.results == 0 { "\n" } else { ",\n" };
        self.results += 1;
        let text = format!("{separator}        {}", pretty(&result, 8));
        self.out.write_all(text.as_bytes())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.start()?;
        let close = if self.results == 0 { "]" } else { "\n      ]" };
        let invocations = pretty(&[Invocation { execution_successful: summary.io_errors == 0 }], 6);
        let tail = format!("{close},\n      \"invocations\": {invocations}\n    }}\n  ]\n}}\n");
        self.out.write_all(tail.as_bytes()).and_then(|()| self.out.flush())?;
        // The summary is for the person watching; failing to write it changes nothing.
        let _ = writeln!(self.err, "{}", summary.to_human());
        Ok(())
    }
}

/// `value` as pretty JSON whose lines after the first are indented by `depth` spaces, to nest
/// it in the hand-written frame. (JSON strings escape line breaks, so lines are safe to indent.)
fn pretty(value: &impl Serialize, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace('\n', &format!("\n{}", " ".repeat(depth)))
}

/// A path as SARIF's `artifactLocation.uri`: a relative path stays a relative URI reference
/// (`./` dropped), an absolute one becomes a `file://` URI; anything a URI path cannot hold is
/// percent-encoded (`:` too, so a relative path never reads as a scheme).
fn uri(path: &str) -> String {
    let path = if cfg!(windows) { path.replace('\\', "/") } else { path.to_string() };
    let path = path.strip_prefix("./").unwrap_or(&path);
    let bytes = path.as_bytes();
    let (mut uri, rest) = if path.starts_with('/') {
        ("file://".to_string(), path)
    } else if cfg!(windows) && bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        (format!("file:///{}", &path[..2]), &path[2..])
    } else {
        (String::new(), path)
    };
    for &b in rest.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("examples/seed/identify.json"), "examples/seed/identify.json");
        assert_eq!(uri("./data/my file#1.json"), "data/my%20file%231.json");
        assert_eq!(uri("a:b/café.ndjson"), "a%3Ab/caf%C3%A9.ndjson");
        assert_eq!(uri("/srv/x%.json"), "file:///srv/x%25.json");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
    }
}
