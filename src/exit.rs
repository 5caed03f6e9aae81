//! How a command ended, as its exit code tells CI: success, a failure it found (errors in the
//! payloads, a coverage gate, a breaking plan change), or an error in using it (a bad flag, an
//! unreadable input, an output that cannot be written).

use std::process::ExitCode;

/// The outcome of one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing to report (exit code 0).
    Success,
    /// The command found what it checks for: errors, a failed gate, a breaking change (1).
    Failure,
    /// The command could not do its job: usage, unreadable input, unwritable output (2).
    Error,
}

impl ExitStatus {
    /// [`ExitStatus::Failure`] when `failed`, else [`ExitStatus::Success`].
    pub fn failure_if(failed: bool) -> ExitStatus {
        if failed { ExitStatus::Failure } else { ExitStatus::Success }
    }

    /// The worse of two statuses (an error over a failure over success), for commands that
    /// handle several files.
    pub fn worst(self, other: ExitStatus) -> ExitStatus {
        let rank = |s: ExitStatus| match s {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        };
        if rank(other) > rank(self) { other } else { self }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}
