//! Writing a split stream (`--valid-out`, `--invalid-out`): each line [`crate::route`] hands
//! on goes to the output of its side, and every line is counted. Outputs only write: which side
//! a call belongs on, and its annotation, are decided by `route`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::fast::Outcome;
use crate::route::{Side, route};

/// How many records went to each output: `valid` is the summary's valid calls, `invalid` its
/// calls with errors plus the records that did not parse (and documents that hold no call but
/// have errors), so the two add up to the input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SplitCounts {
    /// Calls without errors.
    pub valid: usize,
    /// Calls with errors, unparsed records, and call-less documents with errors.
    pub invalid: usize,
}

/// Where one side of the split is written.
pub enum Output {
    /// A plain NDJSON file.
    File(BufWriter<File>),
    /// A gzip-compressed NDJSON file (its name ends in `.gz`).
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    /// Any writer (tests, pipes).
    Writer(Box<dyn Write>),
}

impl Output {
    /// Creates (or truncates) the file at `path`, compressed when its name ends in `.gz`.
    ///
    /// # Errors
    ///
    /// The file cannot be created.
    pub fn create(path: &Path) -> io::Result<Output> {
        let file = BufWriter::with_capacity(1 << 16, File::create(path)?);
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
            Ok(Output::Gzip(flate2::write::GzEncoder::new(file, flate2::Compression::fast())))
        } else {
            Ok(Output::File(file))
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::File(w) => w,
            Output::Gzip(w) => w,
            Output::Writer(w) => w,
        }
    }

    /// Writes what is buffered (and the gzip trailer).
    fn finish(self) -> io::Result<()> {
        match self {
            Output::File(mut w) => w.flush(),
            Output::Gzip(w) => w.finish()?.flush(),
            Output::Writer(mut w) => w.flush(),
        }
    }
}

/// The two outputs of a run and what went to each. A side without an output is still counted.
pub struct Split {
    valid: Option<Output>,
    invalid: Option<Output>,
    counts: SplitCounts,
    /// The first write error, naming the output; nothing more is written after it.
    error: Option<io::Error>,
}

impl Split {
    /// A split into `valid` and `invalid` (either may be absent: its records are dropped).
    pub fn new(valid: Option<Output>, invalid: Option<Output>) -> Split {
        Split { valid, invalid, counts: SplitCounts::default(), error: None }
    }

    /// The counts so far.
    pub fn counts(&self) -> SplitCounts {
        self.counts
    }

    /// Routes one record, given its outcome and its bytes as read, and writes its lines.
    pub fn record(&mut self, outcome: &Outcome, text: &[u8]) {
        route(outcome, text, &mut |side, line| self.write(side == Side::Valid, line));
    }

    /// Writes one record as a line of the valid or the invalid output.
    fn write(&mut self, valid: bool, line: &[u8]) {
        let (output, count) = if valid { (&mut self.valid, &mut self.counts.valid) } else { (&mut self.invalid, &mut self.counts.invalid) };
        *count += 1;
        if self.error.is_some() {
            return;
        }
        if let Some(output) = output {
            let w = output.writer();
            if let Err(e) = w.write_all(line).and_then(|()| w.write_all(b"\n")) {
                self.error = Some(named(valid, e));
            }
        }
    }

    /// Flushes both outputs; the first error of the run, if any.
    ///
    /// # Errors
    ///
    /// The first write error of the run, or of the final flush, naming the output (`--valid-out: No space left on device`).
    pub fn finish(self) -> io::Result<SplitCounts> {
        let Split { valid, invalid, counts, error } = self;
        if let Some(e) = error {
            return Err(e);
        }
        for (is_valid, output) in [(true, valid), (false, invalid)] {
            if let Some(output) = output {
                output.finish().map_err(|e| named(is_valid, e))?;
            }
        }
        Ok(counts)
    }
}

/// `e`, saying which output it happened on.
fn named(valid: bool, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", if valid { "--valid-out" } else { "--invalid-out" }))
}
