//! Reading a source as `records::read` does (NDJSON lines, or one JSON document after the same
//! sniffing), but in batches of lines checked on a thread pool, each line by the fast path
//! first and by the precise path only when something would be reported. Outcomes are handed on
//! in input order, on the calling thread, each with the record's bytes (for `--valid-out`). A
//! line over the record limit is read through while the batch fills, never held.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Cursor, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, mpsc};

use super::outcome::Outcome;
use super::work::{Check, PerRecord};
use crate::engine::Engine;
use crate::input::Layout;
use crate::records::bounded::{self, BOM, Passed};
use crate::records::{self, Record, Sniffed};

/// A batch is cut after the line that reaches this many bytes.
const BATCH_BYTES: usize = 1 << 20;
/// Sources are read in pieces of at least this many bytes.
const CHUNK_BYTES: usize = 1 << 16;

/// Where records are checked: on the calling thread alone, or also on helper threads. The
/// calling thread reads the source, checks batches itself when the helpers have enough, and
/// hands outcomes on, so `n` jobs are the calling thread and `n - 1` helpers: no thread waits
/// while another has work, and no more threads than jobs compete for the cores.
#[derive(Clone, Default)]
pub enum Threads {
    /// On the calling thread.
    One,
    /// As many jobs as cores (or `RAYON_NUM_THREADS`): the calling thread and a pool, shared
    /// by every run, of one thread fewer.
    #[default]
    Global,
    /// The calling thread and this pool of helpers.
    Pool(Arc<rayon::ThreadPool>),
}

impl Threads {
    /// `n` jobs: 0 means as many as cores, 1 the calling thread alone.
    pub fn new(n: usize) -> Threads {
        match n {
            0 => Threads::Global,
            1 => Threads::One,
            n => helpers(n - 1).map_or(Threads::One, |pool| Threads::Pool(Arc::new(pool))),
        }
    }

    /// The helper pool, if any.
    fn pool(&self) -> Option<&rayon::ThreadPool> {
        static GLOBAL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
        match self {
            Threads::One => None,
            Threads::Global => GLOBAL.get_or_init(|| helpers(cores().saturating_sub(1))).as_ref(),
            Threads::Pool(pool) => Some(pool),
        }
    }
}

/// The number of cores, or `RAYON_NUM_THREADS` as rayon reads it.
fn cores() -> usize {
    let configured = std::env::var("RAYON_NUM_THREADS").ok().and_then(|n| n.parse().ok()).filter(|&n| n > 0);
    configured.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// A pool of `n` helper threads (none for 0).
fn helpers(n: usize) -> Option<rayon::ThreadPool> {
    (n > 0).then(|| rayon::ThreadPoolBuilder::new().num_threads(n).thread_name(|i| format!("cdpspec-check-{i}")).build().ok()).flatten()
}

/// Reads every record of `reader`, laid out as `layout` says, checks it with `engine`, and
/// hands the outcomes to `visit` in input order, each with the record's bytes (a line without
/// its terminator, or the whole document). A record over the engine's `record_bytes` limit is
/// read through without being held and handed on as `record-too-large`, without bytes. Read
/// errors end the source after the records before them were handed on, as `records::read` does.
pub fn read(reader: impl BufRead, layout: Layout, name: &str, engine: &Engine, threads: &Threads, visit: &mut dyn FnMut(Outcome, &[u8])) -> io::Result<()> {
    read_with(reader, layout, &Check { name, engine }, threads, visit)
}

/// Reads every record of `reader` as [`read`] does, but hands `visit` what `run` makes of each
/// record (on any of the threads), in input order. A record over the limit reaches `run` as
/// the `record-too-large` record `records::read` makes of it.
pub(crate) fn read_with<W: PerRecord>(reader: impl BufRead, layout: Layout, run: &W, threads: &Threads, visit: &mut dyn FnMut(W::Out, &[u8])) -> io::Result<()> {
    let limits = run.engine().options().limits;
    let mut reader = reader;
    if layout == Layout::Lines {
        return lines(reader, run, threads, 0, visit);
    }
    // Sniff as `records::read` does: the first non-blank line decides between NDJSON and one
    // document. The lines read to decide are read again by whichever reads the source.
    match records::sniff(&mut reader, &limits)? {
        Sniffed::Lines { prefix } => lines(Cursor::new(prefix).chain(reader), run, threads, 0, visit),
        Sniffed::LinesAfterTooLarge { blank, line } => {
            for _ in 0..blank {
                visit(run.record(Record::Blank), b"");
            }
            visit(run.record(records::too_large(blank + 1, line.line_bytes(), &limits)), b"");
            lines(reader, run, threads, blank + 1, visit)
        }
        sniffed => records::read_sniffed(sniffed, reader, layout, &limits, &mut |record| {
            let text = record.text();
            visit(run.record(record), text);
        }),
    }
}

/// Lines of a source, in one buffer.
#[derive(Default)]
struct Batch {
    /// What was read, and past it stale bytes of earlier batches (see `fill`).
    bytes: Vec<u8>,
    lines: Vec<LineAt>,
    /// Lines over the record limit, read through while filling: where each starts in `bytes`
    /// (an empty line stands for it there), and what it was.
    passed: Vec<(usize, Passed)>,
}

/// Where a line of a batch is.
#[derive(Debug, Clone, Copy)]
struct LineAt {
    /// Its bytes in the batch, terminator excluded (none for a line over the limit).
    start: usize,
    end: usize,
    /// Its line number in the source.
    number: usize,
    /// The size of its record, when over the limit.
    over: Option<u64>,
}

/// How filling a batch ended.
enum Fill {
    More,
    End,
    Failed(io::Error),
}

/// Where the reader is: the number of the last line handed out, and the start of a line that
/// the last batch cut (carried into the next).
#[derive(Default)]
struct Position {
    number: usize,
    carry: Vec<u8>,
}

/// Reads until `batch` holds [`BATCH_BYTES`], the source ends or reading fails, and splits what
/// it read into lines as `records::read` does (`\n`, then one `\r`, then on line 1 a byte order
/// mark); a line cut by the end of the batch is carried into the next. A line whose record grows
/// past `max` bytes is read through without being held. On a read error the lines read
/// completely are kept, as `read_until` would have handed them out.
///
/// It reads into the batch's own buffer, whose length only grows (its bytes past those read are
/// stale): a buffered reader then reads the source straight into it, rather than into its own
/// buffer first, and no byte is copied on the thread that reads.
fn fill(reader: &mut impl BufRead, at: &mut Position, batch: &mut Batch, max: usize) -> Fill {
    batch.lines.clear();
    batch.passed.clear();
    let mut filled = at.carry.len();
    if batch.bytes.len() < filled {
        batch.bytes.resize(filled, 0);
    }
    batch.bytes[..filled].copy_from_slice(&at.carry);
    at.carry.clear();
    // A batch ends at a line end: one that reaches the batch size reads on until one comes.
    let mut newline = false;
    // Where the line being read starts.
    let mut open = 0;
    let status = loop {
        if newline && filled >= BATCH_BYTES {
            break Fill::More;
        }
        // What fills the batch, and at least a chunk, so that a long line makes progress.
        let want = filled + BATCH_BYTES.saturating_sub(filled).max(CHUNK_BYTES);
        if batch.bytes.len() < want {
            batch.bytes.resize(want, 0);
        }
        match reader.read(&mut batch.bytes[filled..want]) {
            Ok(0) => break Fill::End,
            Ok(n) => {
                if let Some(i) = memchr::memrchr(b'\n', &batch.bytes[filled..filled + n]) {
                    newline = true;
                    open = filled + i + 1;
                }
                filled += n;
                match pass_if_over(reader, at.number == 0 && open == 0, batch, (&mut open, &mut filled), max) {
                    Ok(passed) => newline |= passed,
                    Err(e) => break Fill::Failed(e),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Fill::Failed(e),
        }
    };
    let Batch { bytes, lines, passed } = batch;
    let bytes = &bytes[..filled];
    let mut passed = passed.iter().peekable();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes) {
        let line = passed.next_if(|(at, _)| *at == start).map(|(_, line)| line);
        push_line(bytes, lines, &mut at.number, (start, end), line, max);
        start = end + 1;
    }
    match status {
        Fill::End if start < bytes.len() => push_line(bytes, lines, &mut at.number, (start, bytes.len()), None, max),
        Fill::More => at.carry.extend_from_slice(&bytes[start..]),
        _ => {}
    }
    status
}

/// When the line being read (from `*open` to `*filled`; line 1 of the source when `first`) is
/// surely over `max` (past it, a `\r` and on line 1 a byte order mark), reads it through to its
/// end, keeping only what it was, leaves an empty line in its place, and says so.
fn pass_if_over(reader: &mut impl BufRead, first: bool, batch: &mut Batch, (open, filled): (&mut usize, &mut usize), max: usize) -> io::Result<bool> {
    let held = &batch.bytes[*open..*filled];
    if held.len() <= max.saturating_add(1 + usize::from(first) * BOM.len()) {
        return Ok(false);
    }
    let mut passed = Passed::of(if first { held.strip_prefix(BOM).unwrap_or(held) } else { held });
    bounded::pass_line(reader, &mut passed)?;
    batch.passed.push((*open, passed));
    // The line held at least `max` bytes, so there is room for its stand-in.
    batch.bytes[*open] = b'\n';
    *filled = *open + 1;
    *open = *filled;
    Ok(true)
}

/// Adds the line `bytes[start..end]` (its `\n` excluded) to `lines`, or the line read through
/// there (`passed`); either is over the limit `max` unless blank.
fn push_line(bytes: &[u8], lines: &mut Vec<LineAt>, number: &mut usize, (start, end): (usize, usize), passed: Option<&Passed>, max: usize) {
    *number += 1;
    let number = *number;
    if let Some(passed) = passed {
        lines.push(LineAt { start, end: start, number, over: (!passed.is_blank()).then_some(passed.line_bytes()) });
        return;
    }
    let line = records::strip(&bytes[start..end], number == 1);
    let from = start + usize::from(number == 1 && bytes[start..end].starts_with(BOM)) * BOM.len();
    let over = line.len() > max && !line.trim_ascii().is_empty();
    let end = if over { from } else { from + line.len() };
    lines.push(LineAt { start: from, end, number, over: over.then_some(line.len() as u64) });
}

/// What `run` makes of one line of `batch`.
#[inline]
fn check_line<W: PerRecord>(batch: &Batch, line: &LineAt, run: &W) -> W::Out {
    match line.over {
        Some(size) => run.record(records::too_large(line.number, size, &run.engine().options().limits)),
        None => run.line(&batch.bytes[line.start..line.end], line.number),
    }
}

/// Reads the lines of `reader` as NDJSON records, the first being line `after + 1`.
fn lines<R: BufRead, W: PerRecord>(mut reader: R, run: &W, threads: &Threads, after: usize, visit: &mut dyn FnMut(W::Out, &[u8])) -> io::Result<()> {
    let mut at = Position { number: after, carry: Vec::new() };
    let Some(pool) = threads.pool() else {
        let mut batch = Batch::default();
        let max = run.engine().options().limits.record_bytes;
        loop {
            let status = fill(&mut reader, &mut at, &mut batch, max);
            for line in &batch.lines {
                visit(check_line(&batch, line, run), &batch.bytes[line.start..line.end]);
            }
            match status {
                Fill::More => {}
                Fill::End => return Ok(()),
                Fill::Failed(e) => return Err(e),
            }
        }
    };
    pool.in_place_scope(|scope| pipeline(scope, pool.current_num_threads(), &mut reader, at, run, visit))
}

/// The outcomes of a batch's lines, in `outcomes` (emptied first, its memory reused).
fn check_batch<W: PerRecord>(batch: &Batch, run: &W, mut outcomes: Vec<W::Out>) -> Vec<W::Out> {
    outcomes.clear();
    outcomes.extend(batch.lines.iter().map(|line| check_line(batch, line, run)));
    outcomes
}

/// The calling thread reads batches, keeps `helpers` threads supplied with two each, checks the
/// batches beyond those itself, and hands outcomes on in input order. Batch buffers, and the
/// vectors their outcomes come in, are reused once handed on: fresh memory per batch (a
/// megabyte of lines, tens of kilobytes of outcomes allocated on one thread and freed on
/// another) costs page faults each time the allocator gives it back to the system, and TLB
/// shootdowns that stall every thread.
fn pipeline<'s, R: BufRead, W: PerRecord>(
    scope: &rayon::Scope<'s>,
    helpers: usize,
    reader: &mut R,
    mut at: Position,
    run: &'s W,
    visit: &mut dyn FnMut(W::Out, &[u8]),
) -> io::Result<()> {
    type Checked<O> = std::thread::Result<Vec<O>>;
    type Done<O> = (usize, Batch, Checked<O>);
    let (tx, rx) = mpsc::channel::<Done<W::Out>>();
    let mut ready: BTreeMap<usize, (Batch, Checked<W::Out>)> = BTreeMap::new();
    let mut free: Vec<Batch> = Vec::new();
    let mut spare: Vec<Vec<W::Out>> = Vec::new();
    let max = run.engine().options().limits.record_bytes;
    // Batches read, handed on, and with the helpers.
    let (mut read, mut handed, mut helping) = (0, 0, 0);
    let receive = |done: Done<W::Out>, ready: &mut BTreeMap<usize, _>, helping: &mut usize| {
        let (seq, batch, outcomes) = done;
        *helping -= 1;
        ready.insert(seq, (batch, outcomes));
    };
    loop {
        let mut batch = free.pop().unwrap_or_default();
        let status = fill(reader, &mut at, &mut batch, max);
        if batch.lines.is_empty() {
            free.push(batch);
        } else if helping < 2 * helpers {
            let tx = tx.clone();
            let seq = read;
            let outcomes = spare.pop().unwrap_or_default();
            scope.spawn(move |_| {
                let outcomes = panic::catch_unwind(AssertUnwindSafe(|| check_batch(&batch, run, outcomes)));
                // The receiver waits for every batch it sent; it cannot be gone.
                let _ = tx.send((seq, batch, outcomes));
            });
            read += 1;
            helping += 1;
        } else {
            let outcomes = check_batch(&batch, run, spare.pop().unwrap_or_default());
            ready.insert(read, (batch, Ok(outcomes)));
            read += 1;
        }
        let last = !matches!(status, Fill::More);
        loop {
            while let Ok(done) = rx.try_recv() {
                receive(done, &mut ready, &mut helping);
            }
            while let Some((batch, outcomes)) = ready.remove(&handed) {
                let mut outcomes = outcomes.unwrap_or_else(|p| panic::resume_unwind(p));
                for (outcome, line) in outcomes.drain(..).zip(&batch.lines) {
                    visit(outcome, &batch.bytes[line.start..line.end]);
                }
                free.push(batch);
                spare.push(outcomes);
                handed += 1;
            }
            // Wait for the helpers at the end, and when too much waits to be handed on.
            if handed == read || !(last || read - handed > 4 * helpers + 2) {
                break;
            }
            let done = rx.recv().expect("every batch sends its outcomes");
            receive(done, &mut ready, &mut helping);
        }
        match status {
            Fill::More => {}
            Fill::End => return Ok(()),
            Fill::Failed(e) => return Err(e),
        }
    }
}
