//! Why a request is refused (HTTP 400): what the tracking APIs refuse, each with a message
//! naming the place and the reason.

use std::fmt;

/// A request the collector does not accept. Its calls are not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The body, or a call in it, is larger than a limit.
    TooLarge {
        /// Its size, in bytes (at least `limit + 1` when reading stopped there).
        bytes: usize,
        /// The limit.
        limit: usize,
        /// What was too large: `request body`, `call 3 of the batch`...
        what: &'static str,
    },
    /// A batch holds more calls than the limit.
    TooManyCalls {
        /// How many it holds.
        calls: usize,
        /// The limit.
        limit: usize,
    },
    /// One call of a batch is larger than a call's limit.
    CallTooLarge {
        /// Its index in the batch.
        index: usize,
        /// Its size, in bytes.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The body is not JSON.
    InvalidJson {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's reason.
        reason: String,
    },
    /// The body is JSON, but not an object.
    NotAnObject,
    /// A batch without a `batch` array.
    NoBatch,
    /// A gzip body that does not decompress.
    BadGzip(String),
    /// A `Content-Encoding` other than gzip.
    UnsupportedEncoding(String),
}

impl Refusal {
    /// A short, stable name for the reason, for machines: `too-large`, `invalid-json`...
    ///
    /// ```
    /// use cdpspec::intake::Refusal;
    ///
    /// assert_eq!(Refusal::NotAnObject.code(), "not-an-object");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooLarge { .. } | Refusal::CallTooLarge { .. } => "too-large",
            Refusal::TooManyCalls { .. } => "too-many-calls",
            Refusal::InvalidJson { .. } => "invalid-json",
            Refusal::NotAnObject => "not-an-object",
            Refusal::NoBatch => "no-batch",
            Refusal::BadGzip(_) => "bad-gzip",
            Refusal::UnsupportedEncoding(_) => "unsupported-encoding",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooLarge { bytes, limit, what } => write!(f, "the {what} is larger than the limit of {limit} bytes ({bytes} bytes read)"),
            Refusal::TooManyCalls { calls, limit } => write!(f, "the batch holds {calls} calls; the limit is {limit}"),
            Refusal::CallTooLarge { index, bytes, limit } => {
                write!(f, "call {index} of the batch (/batch/{index}) is {bytes} bytes; the limit for one call is {limit}")
            }
            Refusal::InvalidJson { line, column, reason } => write!(f, "the body is not valid JSON: {reason} at line {line}, column {column}"),
            Refusal::NotAnObject => f.write_str("the body is not a JSON object: send one call, or a batch `{\"batch\": [...]}`"),
            Refusal::NoBatch => f.write_str("a batch needs a `batch` array of calls: `{\"batch\": [...]}`"),
            Refusal::BadGzip(reason) => write!(f, "the body says `Content-Encoding: gzip` but does not decompress: {reason}"),
            Refusal::UnsupportedEncoding(name) => write!(f, "`Content-Encoding: {name}` is not supported; send the body plain or gzip"),
        }
    }
}

impl std::error::Error for Refusal {}
