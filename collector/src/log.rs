//! One line per call (and per refused request) on stderr, for the person watching the
//! collector: status, type, event or name, and the first problem. `--quiet` turns it off.

use std::io::Write;

use cdpspec::intake::{CheckedCall, Status};

/// Where the lines go.
pub struct Log {
    quiet: bool,
}

impl Log {
    /// Lines on stderr, or none when `quiet`.
    pub fn new(quiet: bool) -> Log {
        Log { quiet }
    }

    /// A line per call of one request.
    pub fn calls(&self, tag: &str, calls: &[CheckedCall]) {
        if self.quiet {
            return;
        }
        let mut text = String::new();
        for call in calls {
            text.push_str(&line(tag, call));
            text.push('\n');
        }
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// A line for a refused request.
    pub fn refused(&self, tag: &str, endpoint: &str, status: u16, message: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{}refused  {endpoint} -> {status}: {message}", prefix(tag));
        }
    }
}

/// `[tag] ` or nothing.
fn prefix(tag: &str) -> String {
    if tag.is_empty() { String::new() } else { format!("[{tag}] ") }
}

/// The line of one call, e.g. `errors   track "Course Enrolled"  CDP103 missing-identity: ...`.
pub fn line(tag: &str, call: &CheckedCall) -> String {
    let field = |k: &str| call.call.get(k).and_then(|v| v.as_str());
    let kind = field("type").unwrap_or("?");
    let mut text = format!("{}{:<8} {kind}", prefix(tag), call.status.as_str());
    if let Some(label) = field("event").or_else(|| field("name")) {
        text.push_str(&format!(" {label:?}"));
    }
    if call.status != Status::Valid
        && let Some(d) = call.first_problem()
    {
        let at = if d.pointer.is_empty() { String::new() } else { format!(" at {}", d.pointer) };
        text.push_str(&format!("  {} {}{at}: {}", d.rule.code(), d.rule.name(), d.message));
        let more = call.diagnostics.len() - 1;
        if more > 0 {
            text.push_str(&format!(" (+{more} more)"));
        }
    }
    text
}
