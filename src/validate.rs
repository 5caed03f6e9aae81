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
    pub fn new(options: check::Options, emitter: &'e mut dyn Emitter) -> Self {
        Validation::with_engine(Engine::from_options(options), emitter)
    }

    /// A run that checks with `engine` and reports to `emitter`.
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
    pub fn with_jobs(mut self, jobs: usize) -> Self {
        self.threads = Threads::new(jobs);
        self
    }

    /// Checks every record with the precise path alone (serde_json and the `jsonschema` crate),
    /// as before the fast path existed: the reference the fast path is tested against, and the
    /// baseline of the benchmarks.
    pub fn without_fast_path(mut self) -> Self {
        self.engine = self.engine.without_fast_path();
        self
    }

    /// Writes every call to one side of `split` as well (`--valid-out`, `--invalid-out`).
    pub fn with_split(mut self, split: Split) -> Self {
        self.split = Some(split);
        self
    }

    /// Tells `progress` how the run goes on (the command line draws a bar with it).
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
    pub fn output_error(&self) -> Option<&io::Error> {
        self.output_error.as_ref()
    }

    /// Flushes the split's outputs and puts their counts in the summary; the first write error,
    /// if any. [`Validation::finish`] does this too, counting an error as an I/O error.
    ///
    /// # Errors
    ///
    /// The first write error of either output, naming it.
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
            Outcome::Unparsed(d) => d.iter_mut().collect(),
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
