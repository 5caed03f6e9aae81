//! Where payloads come from: files, directories (recursively), stdin; and how their bytes are
//! split into documents: one JSON document (a call, a batch, an array of calls) or NDJSON (one
//! document per line).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

internal!(records);

use crate::CallType;
use crate::check::limits::Limits;
pub use crate::records::Record;

/// One input named on the command line, after directories were expanded.
///
/// ```
/// use cdpspec::input::{Layout, Source};
///
/// let source = Source::File("captures/track/0001.ndjson.gz".into());
/// assert_eq!(source.display_name(), "captures/track/0001.ndjson.gz");
/// assert_eq!(source.implied_type(), Some(cdpspec::CallType::Track));
/// assert_eq!(source.layout(), Layout::Lines);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Source {
    /// The name diagnostics give this source.
    ///
    /// ```
    /// use cdpspec::input::Source;
    ///
    /// assert_eq!(Source::File("events/2024-06-01.ndjson".into()).display_name(), "events/2024-06-01.ndjson");
    /// assert_eq!(Source::Stdin.display_name(), "<stdin>");
    /// ```
    pub fn display_name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Stdin => "<stdin>".to_string(),
        }
    }

    /// The call type its name implies for payloads without `type`, as an endpoint does: a file
    /// named after a call (`alias.json`, `alias.ndjson`) or a file in a directory named after
    /// one (`captures/alias/0001.json`). `--type` takes precedence.
    ///
    /// ```
    /// use cdpspec::CallType;
    /// use cdpspec::input::Source;
    ///
    /// assert_eq!(Source::File("captures/alias/0001.json".into()).implied_type(), Some(CallType::Alias));
    /// assert_eq!(Source::File("identify.ndjson.gz".into()).implied_type(), Some(CallType::Identify));
    /// assert_eq!(Source::File("events/2024-06-01.ndjson".into()).implied_type(), None);
    /// ```
    pub fn implied_type(&self) -> Option<CallType> {
        let Source::File(path) = self else { return None };
        let inner = if has_extension(path, &["gz"]) { Path::new(path.file_stem().unwrap_or_default()) } else { path.as_path() };
        let stem = inner.file_stem().and_then(|s| s.to_str());
        let parent = path.parent().and_then(Path::file_name).and_then(|s| s.to_str());
        [stem, parent].into_iter().flatten().find_map(|name| name.to_ascii_lowercase().parse().ok())
    }

    /// Its size in bytes, when it is a file.
    ///
    /// ```
    /// use cdpspec::input::Source;
    ///
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/seed/track.json");
    /// assert_eq!(Source::File(path.into()).size(), Some(std::fs::metadata(path).unwrap().len()));
    /// assert_eq!(Source::Stdin.size(), None);
    /// ```
    pub fn size(&self) -> Option<u64> {
        match self {
            Source::File(path) => fs::metadata(path).ok().map(|m| m.len()),
            Source::Stdin => None,
        }
    }

    /// How the bytes of this source are laid out, by its extension (`.gz` looked through).
    ///
    /// ```
    /// use cdpspec::input::{Layout, Source};
    ///
    /// assert_eq!(Source::File("events.jsonl.gz".into()).layout(), Layout::Lines);
    /// assert_eq!(Source::File("batch.json".into()).layout(), Layout::Document);
    /// assert_eq!(Source::Stdin.layout(), Layout::Sniff);
    /// ```
    pub fn layout(&self) -> Layout {
        let Source::File(path) = self else { return Layout::Sniff };
        let inner = if has_extension(path, &["gz"]) { Path::new(path.file_stem().unwrap_or_default()) } else { path.as_path() };
        if has_extension(inner, &["ndjson", "jsonl"]) {
            Layout::Lines
        } else if has_extension(inner, &["json"]) {
            Layout::Document
        } else {
            Layout::Sniff
        }
    }

    /// Opens the source for reading, decompressing gzip (recognised by its magic bytes, so
    /// `.ndjson.gz` files and gzip on stdin both work).
    ///
    /// # Errors
    ///
    /// The file cannot be opened, or its first bytes cannot be read.
    ///
    /// ```
    /// use std::io::Read;
    /// use cdpspec::input::Source;
    ///
    /// let source = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/seed/track.json").into());
    /// let mut text = String::new();
    /// source.open().unwrap().read_to_string(&mut text).unwrap();
    /// assert!(text.contains(r#""event": "Course Enrolled""#));
    /// assert!(Source::File("no-such-file.ndjson".into()).open().is_err());
    /// ```
    pub fn open(&self) -> io::Result<Box<dyn io::BufRead + Send>> {
        self.open_counted(None)
    }

    /// Opens the source as [`Source::open`] does, adding the bytes read from it (before
    /// decompression) to `count`, for a progress bar.
    ///
    /// # Errors
    ///
    /// The file cannot be opened, or its first bytes cannot be read.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use cdpspec::input::Source;
    ///
    /// let source = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/sdk/rudderstack.ndjson").into());
    /// let read = Arc::new(AtomicU64::new(0));
    /// std::io::copy(&mut source.open_counted(Some(Arc::clone(&read))).unwrap(), &mut std::io::sink()).unwrap();
    /// assert_eq!(Some(read.load(Ordering::Relaxed)), source.size());
    /// ```
    pub fn open_counted(&self, count: Option<Arc<AtomicU64>>) -> io::Result<Box<dyn io::BufRead + Send>> {
        let mut raw: Box<dyn io::Read + Send> = match self {
            Source::Stdin => Box::new(io::stdin()),
            Source::File(path) => Box::new(fs::File::open(path)?),
        };
        if let Some(count) = count {
            raw = Box::new(Counting::new(raw, count));
        }
        let mut reader = io::BufReader::with_capacity(1 << 16, raw);
        let head = io::BufRead::fill_buf(&mut reader)?;
        if head.starts_with(&[0x1f, 0x8b]) {
            Ok(Box::new(io::BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(reader))))
        } else {
            Ok(Box::new(reader))
        }
    }
}

impl Source {
    /// Reads every record of the source (its NDJSON lines, or its one document), laid out as
    /// its name says, and hands each to `visit`, parsed or with why it did not parse.
    ///
    /// # Errors
    ///
    /// The source cannot be opened or read; the records before the error were handed on.
    ///
    /// ```
    /// use cdpspec::input::{Record, Source};
    ///
    /// let source = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/sdk/rudderstack.ndjson").into());
    /// let mut types = Vec::new();
    /// source.records(&mut |record| if let Record::Parsed { value, .. } = record { types.push(value["type"].to_string()) }).unwrap();
    /// assert_eq!(types, [r#""identify""#, r#""track""#, r#""group""#]);
    /// ```
    pub fn records(&self, visit: &mut dyn FnMut(Record<'_>)) -> io::Result<()> {
        self.records_within(&Limits::default(), visit)
    }

    /// Reads every record of the source as [`Source::records`] does, with `limits.record_bytes`
    /// as the largest record held: a longer one is handed on as `record-too-large`, without its
    /// bytes, and read through (memory stays bounded whatever a line holds).
    ///
    /// # Errors
    ///
    /// The source cannot be opened or read; the records before the error were handed on.
    ///
    /// ```
    /// use cdpspec::Rule;
    /// use cdpspec::check::limits::Limits;
    /// use cdpspec::input::{Record, Source};
    ///
    /// let source = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/sdk/rudderstack.ndjson").into());
    /// let limits = Limits { record_bytes: 520, ..Limits::default() };
    /// let mut seen = Vec::new();
    /// source.records_within(&limits, &mut |record| seen.push(match record {
    ///     Record::Parsed { .. } => "parsed".to_string(),
    ///     Record::Unparsed { rule, line, .. } => format!("{rule} on line {line}"),
    ///     Record::Blank => "blank".to_string(),
    /// })).unwrap();
    /// assert_eq!(seen, ["parsed", "record-too-large on line 2", "blank", "parsed"], "line 2 is 528 bytes");
    /// ```
    pub fn records_within(&self, limits: &Limits, visit: &mut dyn FnMut(Record<'_>)) -> io::Result<()> {
        crate::records::read(self.open()?, self.layout(), limits, visit)
    }
}

/// How a source's bytes are split into documents.
///
/// ```
/// use cdpspec::input::Layout;
/// use cdpspec::output::Collect;
/// use cdpspec::validate::Validation;
///
/// // Sniffed: a first line that is a whole object makes the input NDJSON, one call per line.
/// let ndjson = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}
/// {"type":"page","userId":"97980cfea0067","name":"Pricing"}"#;
/// let mut collect = Collect::default();
/// let mut run = Validation::new(Default::default(), &mut collect);
/// run.reader("<stdin>", &ndjson[..], Layout::Sniff).unwrap();
/// assert_eq!(run.finish().unwrap().records, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One document per line (`.ndjson`, `.jsonl`).
    Lines,
    /// Decided by the first non-blank line: a line that is a whole object or array means NDJSON
    /// (so a broken first line cannot swallow the rest); anything else is one JSON document.
    /// Empty input is zero records.
    Sniff,
    /// A `.json` file: sniffed like [`Layout::Sniff`] (exports often put NDJSON in `.json`
    /// files), but an empty or blank file is an error, since it cannot be a payload.
    Document,
}

/// File extensions a directory is searched for (`.gz` files whose inner extension is one of
/// these are searched too).
///
/// ```
/// assert!(cdpspec::input::EXTENSIONS.contains(&"ndjson"));
/// ```
pub const EXTENSIONS: &[&str] = &["json", "ndjson", "jsonl"];

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Expands command-line paths into sources: `-` is stdin, a directory is every file below it
/// with one of [`EXTENSIONS`] (sorted, hidden entries skipped), a file is itself. Paths that
/// cannot be read come back as errors, in order, beside the sources that can, and so does a
/// directory that holds no input file: a run that checks nothing because a path is wrong must
/// not pass.
///
/// ```
/// use cdpspec::input::{Source, expand};
///
/// let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/seed");
/// let (sources, errors) = expand(&[seed.to_string(), "-".to_string(), "no-such-dir/".to_string()]);
/// assert_eq!(sources.len(), 7, "six calls and stdin");
/// assert!(sources[0].display_name().ends_with("alias.json"));
/// assert_eq!(sources[6], Source::Stdin);
/// assert_eq!(errors[0].0, "no-such-dir/");
/// ```
pub fn expand(paths: &[String]) -> (Vec<Source>, Vec<(String, io::Error)>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for arg in paths {
        if arg == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                let (before, errors_before) = (sources.len(), errors.len());
                walk(&path, &mut sources, &mut errors);
                if sources.len() == before && errors.len() == errors_before {
                    errors.push((arg.clone(), no_input_files()));
                }
            }
            Ok(_) => sources.push(Source::File(path)),
            Err(e) => errors.push((arg.clone(), e)),
        }
    }
    (sources, errors)
}

/// The error of a directory with nothing to read in it.
fn no_input_files() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "no input files in this directory (searched recursively for .json, .ndjson, .jsonl, and those gzipped)")
}

fn walk(dir: &Path, sources: &mut Vec<Source>, errors: &mut Vec<(String, io::Error)>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return errors.push((dir.display().to_string(), e)),
    };
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| Some((e.path(), e.file_type().ok()?.is_dir())))
        .collect();
    paths.sort();
    for (path, is_dir) in paths {
        if is_dir {
            walk(&path, sources, errors);
        } else if has_extension(&path, EXTENSIONS)
            || (has_extension(&path, &["gz"]) && has_extension(Path::new(path.file_stem().unwrap_or_default()), EXTENSIONS))
        {
            sources.push(Source::File(path));
        }
    }
}

/// Whether a line looks like a whole JSON document (an object or array opened and closed on
/// it), which makes a sniffed source NDJSON.
///
/// ```
/// use cdpspec::input::looks_like_document_line;
///
/// assert!(looks_like_document_line(br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#));
/// assert!(!looks_like_document_line(b"{")); // the first line of a pretty-printed document
/// ```
pub fn looks_like_document_line(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    matches!((t.first(), t.last()), (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')))
}

/// A reader that adds the bytes it reads to a shared count.
///
/// ```
/// use std::io::Read;
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use cdpspec::input::Counting;
///
/// let count = Arc::new(AtomicU64::new(0));
/// let mut text = String::new();
/// Counting::new(&b"{\"type\":\"screen\"}\n"[..], Arc::clone(&count)).read_to_string(&mut text).unwrap();
/// assert_eq!(count.load(Ordering::Relaxed), 18);
/// ```
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    /// `inner`, counted into `count`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use cdpspec::input::Counting;
    ///
    /// let count = Arc::new(AtomicU64::new(0));
    /// std::io::copy(&mut Counting::new(&b"{}\n{}\n"[..], Arc::clone(&count)), &mut std::io::sink()).unwrap();
    /// assert_eq!(count.load(Ordering::Relaxed), 6);
    /// ```
    pub fn new(inner: R, count: Arc<AtomicU64>) -> Self {
        Counting { inner, count }
    }
}

impl<R: io::Read> io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
