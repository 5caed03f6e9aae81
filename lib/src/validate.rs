//! `cdpspec validate`: reads sources, splits them into documents, checks each, places findings
//! in the source text and hands diagnostics to an emitter as they are found. One bad line never
//! stops the others; every line is counted in the summary. Documents are checked by the fast
//! path first (`crate::fast`), in parallel; only those with something to report take the
//! precise path that writes diagnostics.

use std::cell::Cell;
use std::io::{self, BufRead};
use std::rc::Rc;

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use crate::fast::{self, Outcome, Threads};
use crate::input::{Layout, Source};
use crate::output::Emitter;
use crate::split::Split;
use crate::summary::{About, Summary};

/// One validation run over any number of sources.
///
/// ```
/// use cdpspec::input::expand;
/// use cdpspec::output::Collect;
/// use cdpspec::validate::Validation;
///
/// let (sources, errors) = expand(&[concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/broken").to_string()]);
/// assert!(errors.is_empty());
/// let mut collect = Collect::default();
/// let mut run = Validation::new(Default::default(), &mut collect);
/// for source in &sources {
///     run.source(source).unwrap();
/// }
/// let summary = run.finish().unwrap();
/// assert_eq!((summary.files, summary.unparsed, summary.with_errors), (2, 1, 1));
/// ```
pub struct Validation<'e> {
    engine: Engine,
    /// The engine for the source being read, when its name implies a call type.
    source_engine: Option<Engine>,
    emitter: &'e mut dyn Emitter,
    /// The counts so far.
    pub summary: Summary,
    threads: Threads,
    split: Option<Split>,
    progress: Option<Box<dyn Progress + 'e>>,
    /// The emitter's first write error; nothing more is emitted or read after it.
    output_error: Option<io::Error>,
}

impl<'e> Validation<'e> {
    /// A run that checks with `options` and reports to `emitter`.
    ///
    /// ```
    /// use cdpspec::check::Options;
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let mut collect = Collect::default();
    /// let options = Options { default_type: Some(cdpspec::CallType::Track), ..Options::default() }; // `--type track`
    /// let mut run = Validation::new(options, &mut collect);
    /// run.reader("track.ndjson", &br#"{"userId":"97980cfea0067","event":"Course Enrolled"}"#[..], cdpspec::input::Layout::Lines).unwrap();
    /// assert_eq!(run.finish().unwrap().valid, 1);
    /// ```
    pub fn new(options: check::Options, emitter: &'e mut dyn Emitter) -> Self {
        Validation::with_engine(Engine::from_options(options), emitter)
    }

    /// A run that checks with `engine` and reports to `emitter`.
    ///
    /// ```
    /// use cdpspec::Rule;
    /// use cdpspec::config::Settings;
    /// use cdpspec::engine::Engine;
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let settings = Settings { plan: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml").into()), ..Settings::default() };
    /// let mut collect = Collect::default();
    /// let mut run = Validation::with_engine(Engine::new(&settings).unwrap(), &mut collect);
    /// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067","event":"Course Enroled"}"#[..], cdpspec::input::Layout::Lines).unwrap();
    /// run.finish().unwrap();
    /// assert_eq!(collect.diagnostics[0].rule, Rule::UnplannedEvent);
    /// ```
    pub fn with_engine(engine: Engine, emitter: &'e mut dyn Emitter) -> Self {
        Validation {
            engine,
            source_engine: None,
            emitter,
            summary: Summary::default(),
            threads: Threads::Global,
            split: None,
            progress: None,
            output_error: None,
        }
    }

    /// Checks records on `jobs` threads: 0 means as many as cores (the default), 1 the calling
    /// thread alone. Output and counts are the same for any number.
    ///
    /// ```
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let calls = "{\"type\":\"track\",\"userId\":\"97980cfea0067\",\"event\":\"Course Enrolled\"}\n{\"type\":\"track\"}\n".repeat(500);
    /// let summary_on = |jobs| {
    ///     let mut collect = Collect::default();
    ///     let mut run = Validation::new(Default::default(), &mut collect).with_jobs(jobs);
    ///     run.reader("events.ndjson", calls.as_bytes(), cdpspec::input::Layout::Lines).unwrap();
    ///     run.finish().unwrap()
    /// };
    /// assert_eq!(summary_on(1), summary_on(4));
    /// ```
    pub fn with_jobs(mut self, jobs: usize) -> Self {
        self.threads = Threads::new(jobs);
        self
    }

    /// Checks every record with the precise path alone (serde_json and the `jsonschema` crate),
    /// as before the fast path existed: the reference the fast path is tested against, and the
    /// baseline of the benchmarks.
    ///
    /// ```
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let ndjson = br#"{"type":"identify","userId":97980,"traits":{"email":"cool.person@example.com"}}"#;
    /// let (mut fast, mut precise) = (Collect::default(), Collect::default());
    /// for mut run in [Validation::new(Default::default(), &mut fast), Validation::new(Default::default(), &mut precise).without_fast_path()] {
    ///     run.reader("events.ndjson", &ndjson[..], cdpspec::input::Layout::Lines).unwrap();
    ///     run.finish().unwrap();
    /// }
    /// assert_eq!(fast.diagnostics, precise.diagnostics);
    /// ```
    pub fn without_fast_path(mut self) -> Self {
        self.engine = self.engine.without_fast_path();
        self
    }

    /// Writes every call to one side of `split` as well (`--valid-out`, `--invalid-out`).
    ///
    /// ```
    /// use cdpspec::output::Collect;
    /// use cdpspec::split::{Split, SplitCounts};
    /// use cdpspec::validate::Validation;
    ///
    /// let mut collect = Collect::default();
    /// let mut run = Validation::new(Default::default(), &mut collect).with_split(Split::new(None, None));
    /// let batch = br#"{"batch":[{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"},{"type":"track","userId":"97980cfea0067","event":""}]}"#;
    /// run.reader("batch.json", &batch[..], cdpspec::input::Layout::Document).unwrap();
    /// assert_eq!(run.finish().unwrap().split, Some(SplitCounts { valid: 1, invalid: 1 }));
    /// ```
    pub fn with_split(mut self, split: Split) -> Self {
        self.split = Some(split);
        self
    }

    /// Tells `progress` how the run goes on (the command line draws a bar with it).
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::sync::Arc;
    /// use std::sync::atomic::AtomicU64;
    /// use cdpspec::Summary;
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::{Progress, Validation};
    ///
    /// struct Records<'a>(&'a Cell<usize>);
    /// impl Progress for Records<'_> {
    ///     fn counter(&self) -> Arc<AtomicU64> { Arc::default() }
    ///     fn record(&mut self, summary: &Summary) { self.0.set(summary.records) }
    ///     fn finish(&self) {}
    /// }
    /// let (seen, mut collect) = (Cell::new(0), Collect::default());
    /// let mut run = Validation::new(Default::default(), &mut collect).with_progress(Records(&seen));
    /// run.reader("events.ndjson", &b"{\"type\":\"track\"}\n\n{}\n"[..], cdpspec::input::Layout::Lines).unwrap();
    /// run.finish().unwrap();
    /// assert_eq!(seen.get(), 3);
    /// ```
    pub fn with_progress(mut self, progress: impl Progress + 'e) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Validates one source. Read errors are counted and returned; what was read before the
    /// error stays reported.
    ///
    /// # Errors
    ///
    /// The source cannot be opened or read; what was read before the error stays reported and counted.
    ///
    /// ```
    /// use cdpspec::Rule;
    /// use cdpspec::input::Source;
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let mut collect = Collect::default();
    /// let mut run = Validation::new(Default::default(), &mut collect);
    /// run.source(&Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/broken/track-without-identity.json").into())).unwrap();
    /// assert!(run.source(&Source::File("no-such-file.ndjson".into())).is_err());
    /// assert_eq!((run.summary.files, run.summary.io_errors), (2, 1));
    /// run.finish().unwrap();
    /// let rules: Vec<Rule> = collect.diagnostics.iter().map(|d| d.rule).collect();
    /// assert_eq!(rules, [Rule::MissingIdentity, Rule::MisspelledField]);
    /// ```
    pub fn source(&mut self, source: &Source) -> io::Result<()> {
        self.summary.files += 1;
        let name = source.display_name();
        // A file named after a call implies its type, as an endpoint does.
        if self.engine.options().default_type.is_none() && source.implied_type().is_some() {
            self.source_engine = Some(self.engine.with_implied_type(source.implied_type()));
        }
        let counter = self.progress.as_ref().map(|p| p.counter());
        let result = source.open_counted(counter).and_then(|reader| self.reader(&name, reader, source.layout()));
        self.source_engine = None;
        if result.is_err() {
            self.summary.io_errors += 1;
        }
        result
    }

    /// Counts an input that could not even be opened.
    ///
    /// ```
    /// use cdpspec::input::expand;
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let (sources, errors) = expand(&["no-such-dir/".to_string()]);
    /// let mut collect = Collect::default();
    /// let mut run = Validation::new(Default::default(), &mut collect);
    /// for _ in &errors {
    ///     run.unreadable();
    /// }
    /// assert_eq!((sources.len(), run.finish().unwrap().io_errors), (0, 1));
    /// ```
    pub fn unreadable(&mut self) {
        self.summary.io_errors += 1;
    }

    /// Validates everything `reader` yields, laid out as `layout` says. Once the emitter
    /// fails to write (a closed pipe), the rest is neither read nor emitted: see
    /// [`Validation::output_error`].
    ///
    /// # Errors
    ///
    /// The reader fails; the records before the error were checked and counted.
    ///
    /// ```
    /// use cdpspec::input::Layout;
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let stdin = br#"{"type":"identify","userId":"97980cfea0067","traits":{"email":"cool.person@example.com"}}
    /// {"type":"group","userId":"97980cfea0067","groupId":"customer-io"}"#;
    /// let mut collect = Collect::default();
    /// let mut run = Validation::new(Default::default(), &mut collect);
    /// run.reader("<stdin>", &stdin[..], Layout::Sniff).unwrap();
    /// assert_eq!((run.summary.calls, run.summary.valid), (2, 2));
    /// ```
    pub fn reader(&mut self, name: &str, reader: impl BufRead, layout: Layout) -> io::Result<()> {
        if self.output_error.is_some() {
            return Ok(());
        }
        let Validation { engine, source_engine, emitter, summary, threads, split, progress, output_error } = self;
        let engine = source_engine.as_ref().unwrap_or(engine);
        let stopped = Rc::new(Cell::new(false));
        let reader = UntilStopped { inner: reader, stopped: Rc::clone(&stopped) };
        fast::read(reader, layout, name, engine, threads, &mut |outcome, text| {
            if output_error.is_some() {
                return;
            }
            if let Some(split) = split {
                split.record(&outcome, text);
            }
            if let Err(e) = account(summary, &mut **emitter, outcome, text) {
                *output_error = Some(e);
                stopped.set(true);
            }
            if let Some(progress) = progress {
                progress.record(summary);
            }
        })
    }

    /// The emitter's first write error, if any (a closed pipe, a full disk).
    ///
    /// ```
    /// use std::io::{self, Write};
    /// use cdpspec::output::Github;
    /// use cdpspec::validate::Validation;
    ///
    /// struct ClosedPipe;
    /// impl Write for ClosedPipe {
    ///     fn write(&mut self, _: &[u8]) -> io::Result<usize> { Err(io::ErrorKind::BrokenPipe.into()) }
    ///     fn flush(&mut self) -> io::Result<()> { Ok(()) }
    /// }
    /// let mut github = Github::new(Box::new(ClosedPipe));
    /// let mut run = Validation::new(Default::default(), &mut github);
    /// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
    /// assert_eq!(run.output_error().map(io::Error::kind), Some(io::ErrorKind::BrokenPipe));
    /// ```
    pub fn output_error(&self) -> Option<&io::Error> {
        self.output_error.as_ref()
    }

    /// Flushes the split's outputs and puts their counts in the summary; the first write error,
    /// if any. [`Validation::finish`] does this too, counting an error as an I/O error.
    ///
    /// # Errors
    ///
    /// The first write error of either output, naming it.
    ///
    /// ```
    /// use cdpspec::output::Collect;
    /// use cdpspec::split::{Output, Split};
    /// use cdpspec::validate::Validation;
    ///
    /// let scratch = tempfile::tempdir().unwrap();
    /// let valid = Output::create(&scratch.path().join("valid.ndjson")).unwrap();
    /// let mut collect = Collect::default();
    /// let mut run = Validation::new(Default::default(), &mut collect).with_split(Split::new(Some(valid), None));
    /// run.reader("events.ndjson", &br#"{"type":"alias","userId":"97980cfea0067","previousId":"2c4e6a8b"}"#[..], cdpspec::input::Layout::Lines).unwrap();
    /// run.finish_split().unwrap();
    /// assert_eq!(run.summary.split.map(|s| s.valid), Some(1));
    /// ```
    pub fn finish_split(&mut self) -> io::Result<()> {
        let Some(split) = self.split.take() else { return Ok(()) };
        self.summary.split = Some(split.counts());
        split.finish().map(drop)
    }

    /// Ends the run: the split's outputs are flushed (an error counts as an I/O error) and the
    /// emitter writes its summary. Returns the counts.
    ///
    /// # Errors
    ///
    /// The emitter's first write error, during the run or now.
    ///
    /// ```
    /// use cdpspec::output::Collect;
    /// use cdpspec::validate::Validation;
    ///
    /// let mut collect = Collect::default();
    /// let mut run = Validation::new(Default::default(), &mut collect);
    /// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#[..], cdpspec::input::Layout::Lines).unwrap();
    /// let summary = run.finish().unwrap();
    /// assert_eq!(summary.to_human(), "Checked 1 call in 0 files: 1 valid, 0 with errors. Read 1 record (1 parsed, 0 did not parse, 0 blank). 0 errors, 0 warnings.");
    /// assert_eq!(collect.summary, Some(summary));
    /// ```
    pub fn finish(mut self) -> io::Result<Summary> {
        if let Some(progress) = &self.progress {
            progress.finish();
        }
        if self.finish_split().is_err() {
            self.summary.io_errors += 1;
        }
        if let Some(e) = self.output_error.take() {
            return Err(e);
        }
        self.emitter.finish(&self.summary)?;
        Ok(self.summary)
    }
}

/// What a run tells whoever shows its progress: the bytes read (through a shared counter the
/// sources add to, before decompression), the counts after each record, and the end.
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use cdpspec::Summary;
/// use cdpspec::input::Source;
/// use cdpspec::output::Collect;
/// use cdpspec::validate::{Progress, Validation};
///
/// /// A progress bar that only keeps what it would draw.
/// struct Bar(Arc<AtomicU64>);
/// impl Progress for Bar {
///     fn counter(&self) -> Arc<AtomicU64> { Arc::clone(&self.0) }
///     fn record(&mut self, _: &Summary) {}
///     fn finish(&self) {}
/// }
/// let (bytes, mut collect) = (Arc::new(AtomicU64::new(0)), Collect::default());
/// let mut run = Validation::new(Default::default(), &mut collect).with_progress(Bar(Arc::clone(&bytes)));
/// let source = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/sdk/rudderstack.ndjson").into());
/// run.source(&source).unwrap();
/// run.finish().unwrap();
/// assert_eq!(Some(bytes.load(Ordering::Relaxed)), source.size());
/// ```
pub trait Progress {
    /// The counter the sources add the bytes they read to.
    fn counter(&self) -> std::sync::Arc<std::sync::atomic::AtomicU64>;
    /// The counts after one more record.
    fn record(&mut self, summary: &Summary);
    /// The run ended.
    fn finish(&self);
}

/// A reader that ends (as if at end of input) once `stopped` is set: the run stops reading
/// when nothing it reads could be written anyway.
struct UntilStopped<R> {
    inner: R,
    stopped: Rc<Cell<bool>>,
}

impl<R: io::Read> io::Read for UntilStopped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stopped.get() { Ok(0) } else { self.inner.read(buf) }
    }
}

impl<R: BufRead> BufRead for UntilStopped<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.stopped.get() { Ok(&[]) } else { self.inner.fill_buf() }
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
    }
}

/// Counts one record's outcome and emits its diagnostics: the document's, then each call's,
/// with their source lines from `text` (the record's bytes) when the emitter shows them. The
/// record is counted whole even when emitting fails; the first write error is returned.
fn account(summary: &mut Summary, emitter: &mut dyn Emitter, mut outcome: Outcome, text: &[u8]) -> io::Result<()> {
    if emitter.wants_source_lines() {
        let diagnostics: Vec<&mut Diagnostic> = match &mut outcome {
            Outcome::Unparsed(d) => d.iter_mut().map(|d| &mut **d).collect(),
            Outcome::Checked { document, calls } => document.iter_mut().chain(calls.iter_mut().flatten()).collect(),
            Outcome::Blank | Outcome::Clean { .. } => Vec::new(),
        };
        for d in diagnostics {
            d.source_line = crate::records::line_of(text, d.line);
        }
    }
    let mut written = Ok(());
    let mut emit = |summary: &mut Summary, d: &Diagnostic, about: About| {
        summary.count(d, about);
        if written.is_ok() {
            written = emitter.diagnostic(d);
        }
    };
    summary.records += 1;
    match outcome {
        Outcome::Blank => summary.blank += 1,
        Outcome::Unparsed(diagnostic) => {
            summary.unparsed += 1;
            if let Some(d) = &diagnostic {
                emit(summary, d, About::Record);
            }
        }
        Outcome::Clean { calls } => {
            summary.parsed += 1;
            for _ in 0..calls {
                summary.count_call(None);
            }
        }
        Outcome::Checked { document, calls } => {
            summary.parsed += 1;
            for d in &document {
                emit(summary, d, About::Document);
            }
            for diagnostics in calls {
                summary.count_call(diagnostics.iter().map(|d| d.severity).max());
                for d in &diagnostics {
                    emit(summary, d, About::Call);
                }
            }
        }
    }
    written
}
