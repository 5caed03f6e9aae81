//! Which call an HTTP endpoint takes: `/v1/track` (or the browser SDKs' `/v1/t`) one track
//! call, `/v1/batch` (`/v1/import`, `/v1/b`) a batch, as the tracking APIs of Segment and
//! Customer.io Data Pipelines route them.

use crate::CallType;
use crate::check::limits::Limits;

/// What the body of a request to an endpoint holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// One call; the path implies its type when the body has none.
    Call(CallType),
    /// A batch: `{"batch": [...], "context": ..., "integrations": ...}`.
    Batch,
}

impl Endpoint {
    /// The endpoint a path's last segment names: a call type, its browser short form
    /// (`i`, `t`, `p`, `s`, `g`, `a`), `batch`, `import` or `b`.
    ///
    /// ```
    /// use cdpspec::CallType;
    /// use cdpspec::intake::Endpoint;
    ///
    /// assert_eq!(Endpoint::from_segment("t"), Some(Endpoint::Call(CallType::Track)));
    /// assert_eq!(Endpoint::from_segment("identify"), Some(Endpoint::Call(CallType::Identify)));
    /// assert_eq!(Endpoint::from_segment("import"), Some(Endpoint::Batch));
    /// assert_eq!(Endpoint::from_segment("traits"), None);
    /// ```
    pub fn from_segment(segment: &str) -> Option<Endpoint> {
        let call = match segment {
            "identify" | "i" => CallType::Identify,
            "track" | "t" => CallType::Track,
            "page" | "p" => CallType::Page,
            "screen" | "s" => CallType::Screen,
            "group" | "g" => CallType::Group,
            "alias" | "a" => CallType::Alias,
            "batch" | "import" | "b" => return Some(Endpoint::Batch),
            _ => return None,
        };
        Some(Endpoint::Call(call))
    }

    /// The largest body the endpoint accepts, decompressed: a call's limit for one call, a
    /// batch's for a batch.
    ///
    /// ```
    /// use cdpspec::CallType;
    /// use cdpspec::check::limits::Limits;
    /// use cdpspec::intake::Endpoint;
    ///
    /// assert_eq!(Endpoint::Call(CallType::Track).body_limit(&Limits::default()), 32 * 1024);
    /// assert_eq!(Endpoint::Batch.body_limit(&Limits::default()), 500 * 1024);
    /// ```
    pub fn body_limit(self, limits: &Limits) -> usize {
        match self {
            Endpoint::Call(_) => limits.call_bytes,
            Endpoint::Batch => limits.batch_bytes,
        }
    }
}
