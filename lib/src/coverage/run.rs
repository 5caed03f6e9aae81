//! Coverage over sources: the records read by the engine's batched reader (as `validate` reads
//! them), each checked by the engine and its calls evaluated against the destination on
//! `--jobs` threads, handed on in input order.

use std::io::{self, BufRead};
use std::sync::Arc;

use super::evaluate::{Evaluate, Evaluated};
use super::tape::TapeEvaluator;
use crate::engine::Engine;
use crate::fast::{self, Threads};
use crate::input::{Layout, Source};

/// Evaluates every call of any number of sources against the engine's destination.
///
/// ```
/// use cdpspec::config::Settings;
/// use cdpspec::coverage::{Coverage, Evaluated, Evaluation};
/// use cdpspec::engine::Engine;
/// use cdpspec::input::Layout;
///
/// let settings = Settings { destination: Some("customerio".into()), ..Settings::default() };
/// let evaluation = Evaluation::new(Engine::new(&settings).unwrap()).unwrap().with_jobs(2);
/// let mut coverage = Coverage::new(evaluation.destination());
/// let calls = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}
/// {"type":"page","userId":"97980cfea0067","name":"home"}"#;
/// evaluation
///     .reader("events.ndjson", &calls[..], Layout::Lines, &mut |record| {
///         if let Evaluated::Calls(calls) = record {
///             calls.iter().for_each(|call| coverage.add(call));
///         }
///     })
///     .unwrap();
/// assert_eq!((coverage.calls, coverage.covered, coverage.failed), (2, 1, 1), "a page call without a url fails");
/// ```
pub struct Evaluation {
    engine: Engine,
    evaluator: TapeEvaluator,
    threads: Threads,
}

impl Evaluation {
    /// Evaluates calls checked by `engine` against its destination; `None` when it has none.
    pub fn new(engine: Engine) -> Option<Evaluation> {
        let evaluator = TapeEvaluator::new(Arc::clone(engine.destination()?));
        Some(Evaluation { engine, evaluator, threads: Threads::Global })
    }

    /// Evaluates on `jobs` threads: 0 means as many as cores (the default), 1 the calling
    /// thread alone. What is handed on, and in which order, is the same for any number.
    pub fn with_jobs(mut self, jobs: usize) -> Evaluation {
        self.threads = Threads::new(jobs);
        self
    }

    /// The destination calls are evaluated against.
    pub fn destination(&self) -> &super::CompiledDestination {
        self.evaluator.destination()
    }

    /// Evaluates every record of `source` (its name implying the type of calls without one, as
    /// for `validate`) and hands each to `visit`, in input order.
    ///
    /// # Errors
    ///
    /// The source cannot be opened or read; the records before the error were handed on.
    pub fn source(&self, source: &Source, visit: &mut dyn FnMut(Evaluated)) -> io::Result<()> {
        let engine = self.engine.with_implied_type(source.implied_type());
        self.read(&source.display_name(), source.open()?, source.layout(), &engine, visit)
    }

    /// Evaluates every record `reader` yields, laid out as `layout` says, and hands each to
    /// `visit`, in input order.
    ///
    /// # Errors
    ///
    /// The reader fails; the records before the error were handed on.
    pub fn reader(&self, name: &str, reader: impl BufRead, layout: Layout, visit: &mut dyn FnMut(Evaluated)) -> io::Result<()> {
        self.read(name, reader, layout, &self.engine, visit)
    }

    fn read(&self, name: &str, reader: impl BufRead, layout: Layout, engine: &Engine, visit: &mut dyn FnMut(Evaluated)) -> io::Result<()> {
        let work = Evaluate { engine, evaluator: &self.evaluator };
        fast::read_with(reader, layout, &work, &self.threads, &mut |pending, record| visit(pending.finish(name, record)))
    }
}
