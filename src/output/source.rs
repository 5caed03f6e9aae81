//! Source lines for snippets, read back from the input files on demand. Diagnostics carry a
//! path and a line, not the text, so the human format re-reads the line it shows. One file is
//! open at a time and read forwards, as diagnostics arrive in input order; a line behind the
//! cursor (a document's own finding after its calls') reopens the file. Stdin cannot be read
//! twice, so it has no snippets.

use std::fs::File;
use std::io::{BufRead, BufReader};

/// The name diagnostics of stdin carry.
const STDIN: &str = "<stdin>";

/// Reads lines of the inputs diagnostics point into.
#[derive(Default)]
pub struct SourceLines {
    open: Option<OpenFile>,
    buffer: Vec<u8>,
}

struct OpenFile {
    path: String,
    reader: BufReader<File>,
    /// The number of the next line `reader` yields.
    next: usize,
    /// The line most recently asked for, which several diagnostics often share.
    last: Option<(usize, String)>,
}

impl SourceLines {
    /// Line `line` (1-based) of `path`, without its line terminator (nor, on line 1, a byte
    /// order mark), invalid UTF-8 replaced as the locator counts it; `None` when the path is
    /// stdin or unreadable, or the file has no such line (it changed since it was checked).
    pub fn line(&mut self, path: &str, line: usize) -> Option<&str> {
        if path == STDIN || line == 0 {
            return None;
        }
        let reopen = match &self.open {
            Some(f) => f.path != path || (line < f.next && f.last.as_ref().is_none_or(|(n, _)| *n != line)),
            None => true,
        };
        if reopen {
            self.open = None;
            let file = File::open(path).ok()?;
            self.open = Some(OpenFile { path: path.to_string(), reader: BufReader::new(file), next: 1, last: None });
        }
        let f = self.open.as_mut()?;
        if f.last.as_ref().is_none_or(|(n, _)| *n != line) {
            while f.next <= line {
                self.buffer.clear();
                if f.reader.read_until(b'\n', &mut self.buffer).ok()? == 0 {
                    return None;
                }
                f.next += 1;
            }
            let mut bytes = self.buffer.as_slice();
            if line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            f.last = Some((line, String::from_utf8_lossy(bytes).into_owned()));
        }
        f.last.as_ref().map(|(_, text)| text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_forwards_backwards_and_across_files() {
        let dir = std::env::temp_dir().join(format!("cdpspec-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a.ndjson");
        let b = dir.join("b.json");
        std::fs::write(&a, b"\xEF\xBB\xBFone\r\ntwo\ncaf\xe9\n").unwrap();
        std::fs::write(&b, "{\n}").unwrap();
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        let mut lines = SourceLines::default();
        assert_eq!(lines.line(a, 2), Some("two"));
        assert_eq!(lines.line(a, 2), Some("two"));
        assert_eq!(lines.line(a, 1), Some("one"), "behind the cursor: reopened");
        assert_eq!(lines.line(a, 3), Some("caf\u{FFFD}"));
        assert_eq!(lines.line(a, 4), None);
        assert_eq!(lines.line(b, 2), Some("}"));
        assert_eq!(lines.line(a, 1), Some("one"));
        assert_eq!(lines.line("<stdin>", 1), None);
        assert_eq!(lines.line(dir.join("missing.json").to_str().unwrap(), 1), None);
    }
}
