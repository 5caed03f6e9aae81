//! The default format, for people: `path:line:column: severity[code/name] message`, a
//! suggestion line when there is an obvious fix, and a summary paragraph.

use std::io::Write;

use super::{Emitter, write_or_exit};
use crate::diagnostic::Diagnostic;
use crate::summary::Summary;

/// Renders diagnostics for a terminal or a log.
pub struct Human<'a> {
    out: Box<dyn Write + 'a>,
}

impl<'a> Human<'a> {
    /// Writes to `out`.
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        Human { out }
    }
}

impl Emitter for Human<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) {
        let at = if d.pointer.is_empty() { String::new() } else { format!(" (at {})", d.pointer) };
        let mut text = format!("{}:{}:{}: {}[{}/{}] {}{}\n", d.path, d.line, d.column, d.severity, d.rule.code(), d.rule.name(), d.message, at);
        if let Some(s) = &d.suggestion {
            text.push_str(&format!("  suggestion: {s}\n"));
        }
        if let Some(p) = &d.plan_location {
            text.push_str(&format!("  plan: {p}\n"));
        }
        write_or_exit(self.out.write_all(text.as_bytes()));
    }

    fn finish(&mut self, summary: &Summary) {
        write_or_exit(writeln!(self.out, "{}", summary.to_human()).and_then(|()| self.out.flush()));
    }
}
