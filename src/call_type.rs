//! The six call types and how a payload's `type` names one.

use std::fmt;
use std::str::FromStr;

/// One of the six calls of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallType {
    /// `identify`: who the person is.
    Identify,
    /// `group`: which group the person belongs to.
    Group,
    /// `track`: what the person did.
    Track,
    /// `page`: a web page the person viewed.
    Page,
    /// `screen`: an app screen the person viewed.
    Screen,
    /// `alias`: two ids of one person.
    Alias,
}

impl CallType {
    /// All six, in the order of the spec.
    pub const ALL: [CallType; 6] = [CallType::Identify, CallType::Group, CallType::Track, CallType::Page, CallType::Screen, CallType::Alias];

    /// The value of `type` for this call.
    pub fn as_str(self) -> &'static str {
        match self {
            CallType::Identify => "identify",
            CallType::Group => "group",
            CallType::Track => "track",
            CallType::Page => "page",
            CallType::Screen => "screen",
            CallType::Alias => "alias",
        }
    }
}

impl fmt::Display for CallType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CallType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CallType::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| format!("`{s}` is not a call type (identify, group, track, page, screen, alias)"))
    }
}
