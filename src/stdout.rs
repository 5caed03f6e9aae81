//! Printing to standard output as command-line tools do: when the reader goes away
//! (`cdpspec plan check ... | head -1`), the process ends quietly with success instead of
//! panicking; any other write error ends it with code 2, saying why.

use std::fmt;
use std::io::{self, Write};

/// Writes `text` to standard output, or ends the process when it cannot be written.
pub fn write(text: fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(text).and_then(|()| out.flush()) {
        let code = crate::commands::output_failed(&e);
        std::process::exit(if code == crate::exit::ExitStatus::Success { 0 } else { 2 });
    }
}

/// `print!`, ending the process quietly when standard output is closed.
macro_rules! out {
    ($($arg:tt)*) => { $crate::stdout::write(format_args!($($arg)*)) };
}

/// `println!`, ending the process quietly when standard output is closed.
macro_rules! outln {
    () => { $crate::stdout::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*))) };
}
