//! Request bodies as sent: plain, or gzip (analytics-kotlin always compresses, the Python SDKs
//! can). Decompression stops at a cap, so a small gzip bomb costs no more memory than a body
//! at the limit.

use std::borrow::Cow;
use std::io::Read;

use flate2::read::MultiGzDecoder;

use super::Refusal;

/// How a body is encoded (`Content-Encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// As is.
    Identity,
    /// gzip.
    Gzip,
}

impl Encoding {
    /// The encoding a `Content-Encoding` header names, or `None` for one not supported.
    ///
    /// ```
    /// use cdpspec::intake::Encoding;
    ///
    /// assert_eq!(Encoding::from_header(Some("gzip")), Some(Encoding::Gzip));
    /// assert_eq!(Encoding::from_header(None), Some(Encoding::Identity));
    /// assert_eq!(Encoding::from_header(Some("br")), None);
    /// ```
    pub fn from_header(value: Option<&str>) -> Option<Encoding> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("" | "identity") => Some(Encoding::Identity),
            Some("gzip" | "x-gzip") => Some(Encoding::Gzip),
            Some(_) => None,
        }
    }
}

/// The body decoded; [`Refusal::TooLarge`] as soon as it grows past `cap` bytes, and
/// [`Refusal::BadGzip`] for gzip that does not decompress (truncated, corrupt).
///
/// ```
/// use std::io::Write;
/// use cdpspec::intake::{Encoding, Refusal, decode};
///
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// gz.write_all(&[b' '; 100_000]).unwrap();
/// let bomb = gz.finish().unwrap();
/// assert!(bomb.len() < 1000);
/// assert!(matches!(decode(&bomb, Encoding::Gzip, 32 * 1024), Err(Refusal::TooLarge { .. })));
/// assert_eq!(decode(&bomb, Encoding::Gzip, 100_000).unwrap().len(), 100_000);
/// assert!(matches!(decode(&bomb[..bomb.len() / 2], Encoding::Gzip, 100_000), Err(Refusal::BadGzip(_))));
/// ```
pub fn decode(body: &[u8], encoding: Encoding, cap: usize) -> Result<Cow<'_, [u8]>, Refusal> {
    match encoding {
        Encoding::Identity if body.len() > cap => Err(Refusal::TooLarge { bytes: body.len(), limit: cap, what: "request body" }),
        Encoding::Identity => Ok(Cow::Borrowed(body)),
        Encoding::Gzip => {
            let mut out = Vec::with_capacity(body.len().saturating_mul(4).min(cap));
            let read = MultiGzDecoder::new(body).take(cap as u64 + 1).read_to_end(&mut out);
            match read {
                Err(e) => Err(Refusal::BadGzip(e.to_string())),
                Ok(n) if n > cap => Err(Refusal::TooLarge { bytes: n, limit: cap, what: "decompressed request body" }),
                Ok(_) => Ok(Cow::Owned(out)),
            }
        }
    }
}
