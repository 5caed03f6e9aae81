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
///
/// ```
/// use cdpspec::engine::{Engine, Origin};
/// use cdpspec::split::{Split, SplitCounts};
///
/// let engine = Engine::new(&Default::default()).unwrap();
/// let mut split = Split::new(None, None); // counted, not written
/// for line in [&br#"{"type":"page","userId":"97980cfea0067","name":"Pricing"}"#[..], b"{\"type\":"] {
///     split.record(&engine.check_record(line, Origin::whole("events.ndjson")), line);
/// }
/// assert_eq!(split.finish().unwrap(), SplitCounts { valid: 1, invalid: 1 });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SplitCounts {
    /// Calls without errors.
    pub valid: usize,
    /// Calls with errors, unparsed records, and call-less documents with errors.
    pub invalid: usize,
}

/// Where one side of the split is written.
///
/// ```
/// use cdpspec::engine::{Engine, Origin};
/// use cdpspec::split::{Output, Split};
///
/// let engine = Engine::new(&Default::default()).unwrap();
/// let mut split = Split::new(Some(Output::Writer(Box::new(std::io::sink()))), None);
/// let line = br#"{"type":"screen","userId":"97980cfea0067","name":"Course Player"}"#;
/// split.record(&engine.check_record(line, Origin::whole("events.ndjson")), line);
/// assert_eq!(split.finish().unwrap().valid, 1);
/// ```
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
    ///
    /// ```
    /// use std::io::Read;
    /// use cdpspec::engine::{Engine, Origin};
    /// use cdpspec::input::Source;
    /// use cdpspec::split::{Output, Split};
    ///
    /// let scratch = tempfile::tempdir().unwrap();
    /// let path = scratch.path().join("invalid.ndjson.gz");
    /// let mut split = Split::new(None, Some(Output::create(&path).unwrap()));
    /// let line = br#"{"type":"track","userId":"97980cfea0067","event":""}"#;
    /// split.record(&Engine::new(&Default::default()).unwrap().check_record(line, Origin::whole("events.ndjson")), line);
    /// split.finish().unwrap();
    /// let mut invalid = String::new();
    /// Source::File(path).open().unwrap().read_to_string(&mut invalid).unwrap(); // gunzipped
    /// assert!(invalid.contains(r#""violationErrors""#) && invalid.contains("empty-event"));
    /// ```
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
///
/// ```
/// use cdpspec::engine::{Engine, Origin};
/// use cdpspec::split::{Output, Split};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let dir = scratch.path();
/// let (valid, invalid) = (Output::create(&dir.join("valid.ndjson")).unwrap(), Output::create(&dir.join("invalid.ndjson")).unwrap());
/// let mut split = Split::new(Some(valid), Some(invalid));
/// let engine = Engine::new(&Default::default()).unwrap();
/// for line in [r#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#, r#"{"type":"track","userId":"97980cfea0067"}"#] {
///     split.record(&engine.check_record(line.as_bytes(), Origin::whole("events.ndjson")), line.as_bytes());
/// }
/// split.finish().unwrap();
/// assert!(std::fs::read_to_string(dir.join("valid.ndjson")).unwrap().contains("Course Enrolled"));
/// assert!(std::fs::read_to_string(dir.join("invalid.ndjson")).unwrap().contains("missing-required"));
/// ```
pub struct Split {
    valid: Option<Output>,
    invalid: Option<Output>,
    counts: SplitCounts,
    /// The first write error, naming the output; nothing more is written after it.
    error: Option<io::Error>,
}

impl Split {
    /// A split into `valid` and `invalid` (either may be absent: its records are dropped).
    ///
    /// ```
    /// use cdpspec::split::{Output, Split, SplitCounts};
    ///
    /// let split = Split::new(None, Some(Output::Writer(Box::new(std::io::sink()))));
    /// assert_eq!(split.counts(), SplitCounts::default());
    /// ```
    pub fn new(valid: Option<Output>, invalid: Option<Output>) -> Split {
        Split { valid, invalid, counts: SplitCounts::default(), error: None }
    }

    /// The counts so far.
    ///
    /// ```
    /// use cdpspec::engine::{Engine, Origin};
    /// use cdpspec::split::Split;
    ///
    /// let mut split = Split::new(None, None);
    /// let batch = br#"{"batch":[{"type":"identify","userId":"97980cfea0067"},{"type":"group","userId":"97980cfea0067"}]}"#;
    /// split.record(&Engine::new(&Default::default()).unwrap().check_record(batch, Origin::whole("POST /v1/batch")), batch);
    /// assert_eq!((split.counts().valid, split.counts().invalid), (1, 1), "the group call has no groupId");
    /// ```
    pub fn counts(&self) -> SplitCounts {
        self.counts
    }

    /// Routes one record, given its outcome and its bytes as read, and writes its lines.
    ///
    /// ```
    /// use cdpspec::engine::{Engine, Origin};
    /// use cdpspec::split::Split;
    ///
    /// let engine = Engine::new(&Default::default()).unwrap();
    /// let mut split = Split::new(None, None);
    /// let broken = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled",}"#;
    /// split.record(&engine.check_record(broken, Origin::whole("events.ndjson")), broken);
    /// assert_eq!(split.counts().invalid, 1, "a record that does not parse goes to the invalid side");
    /// ```
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
    ///
    /// ```
    /// use std::io::{self, Write};
    /// use cdpspec::engine::{Engine, Origin};
    /// use cdpspec::split::{Output, Split};
    ///
    /// struct Full;
    /// impl Write for Full {
    ///     fn write(&mut self, _: &[u8]) -> io::Result<usize> { Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device")) }
    ///     fn flush(&mut self) -> io::Result<()> { Ok(()) }
    /// }
    /// let mut split = Split::new(Some(Output::Writer(Box::new(Full))), None);
    /// let line = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#;
    /// split.record(&Engine::new(&Default::default()).unwrap().check_record(line, Origin::whole("events.ndjson")), line);
    /// assert_eq!(split.finish().unwrap_err().to_string(), "--valid-out: No space left on device");
    /// ```
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
