//! The progress bar of long validation runs: bytes read (of the total when the inputs are
//! files), calls per second and errors so far, drawn on standard error once a run has taken a
//! second. None when standard error is not a terminal or the run is in CI.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cdpspec::Summary;
use cdpspec::words::plural;

/// Runs shorter than this never show a bar.
const DELAY: Duration = Duration::from_secs(1);
/// The bar is brought up to date at most this often.
const INTERVAL: Duration = Duration::from_millis(100);
/// Records between two looks at the clock.
const RECORDS_PER_CHECK: u32 = 1024;

/// The bar of one run.
pub struct Bar {
    bar: ProgressBar,
    /// Where the bar is drawn, until it is shown.
    target: Option<ProgressDrawTarget>,
    bytes: Arc<AtomicU64>,
    started: Instant,
    delay: Duration,
    last: Instant,
    records: u32,
}

/// Whether a run with these surroundings should show a bar: standard error is a terminal and no
/// CI system is named in the environment (`CI`, as GitHub Actions, GitLab, CircleCI, Travis and
/// Buildkite set it, or Jenkins', Azure Pipelines' and TeamCity's own variables).
pub fn wanted(stderr_is_terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    let ci = env("CI").is_some_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
        || ["JENKINS_URL", "TF_BUILD", "TEAMCITY_VERSION"].iter().any(|k| env(k).is_some());
    stderr_is_terminal && !ci
}

impl Bar {
    /// The bar for this process, when [`wanted`]: `total` is the size of the inputs in bytes,
    /// when known (files; not stdin).
    pub fn for_stderr(total: Option<u64>) -> Option<Bar> {
        wanted(io::stderr().is_terminal(), |k| std::env::var(k).ok()).then(|| Bar::new(total, ProgressDrawTarget::stderr(), DELAY))
    }

    /// A bar drawn on `target` once `delay` has passed.
    pub fn new(total: Option<u64>, target: ProgressDrawTarget, delay: Duration) -> Bar {
        let template = match total {
            Some(_) => "{spinner} {elapsed:>3} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}), {msg}",
            None => "{spinner} {elapsed:>3} {bytes} read ({bytes_per_sec}), {msg}",
        };
        let style = ProgressStyle::with_template(template).expect("the template is valid").progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden()).with_style(style);
        let now = Instant::now();
        Bar { bar, target: Some(target), bytes: Arc::new(AtomicU64::new(0)), started: now, delay, last: now, records: 0 }
    }

    /// The count of bytes read, for the readers of the inputs to add to.
    pub fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }

    /// Called after each record: now and then, shows the bar and brings it up to date.
    pub fn record(&mut self, summary: &Summary) {
        self.records += 1;
        if self.records < RECORDS_PER_CHECK {
            return;
        }
        self.records = 0;
        let now = Instant::now();
        if now.duration_since(self.last) < INTERVAL {
            return;
        }
        self.last = now;
        if let Some(target) = self.target.take_if(|_| now.duration_since(self.started) >= self.delay) {
            self.bar.set_draw_target(target);
            self.bar.enable_steady_tick(INTERVAL);
        }
        self.update(summary, now);
    }

    fn update(&self, summary: &Summary, now: Instant) {
        let seconds = now.duration_since(self.started).as_secs_f64().max(1e-3);
        self.bar.set_position(self.bytes.load(Ordering::Relaxed));
        let errors = plural(summary.errors, "error");
        self.bar.set_message(format!("{} ({:.0} calls/s), {errors}", plural(summary.calls, "call"), summary.calls as f64 / seconds));
    }

    /// Removes the bar, before the summary is written.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// A writer that hands `inner` whole lines only, with the bar out of the way, so that
    /// diagnostics on the same terminal are not torn by it.
    pub fn writer<W: Write>(&self, inner: W) -> LineGate<W> {
        LineGate { bar: self.bar.clone(), inner, pending: Vec::new() }
    }
}

impl cdpspec::validate::Progress for Bar {
    fn counter(&self) -> Arc<AtomicU64> {
        Bar::counter(self)
    }

    fn record(&mut self, summary: &Summary) {
        Bar::record(self, summary);
    }

    fn finish(&self) {
        Bar::finish(self);
    }
}

/// See [`Bar::writer`].
pub struct LineGate<W: Write> {
    bar: ProgressBar,
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> LineGate<W> {
    fn write_through(&mut self, end: usize) -> io::Result<()> {
        let (bar, inner, pending) = (&self.bar, &mut self.inner, &mut self.pending);
        bar.suspend(|| inner.write_all(&pending[..end]).and_then(|()| inner.flush()))?;
        pending.drain(..end);
        Ok(())
    }
}

impl<W: Write> Write for LineGate<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last) = memchr::memrchr(b'\n', &self.pending) {
            self.write_through(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_through(self.pending.len())
    }
}

impl<W: Write> Drop for LineGate<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A terminal that records what is written to it.
    #[derive(Debug, Default, Clone)]
    struct Screen(Arc<Mutex<String>>);

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            160
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.write_str("<clear>")
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn run(total: Option<u64>, delay: Duration) -> String {
        let screen = Screen::default();
        let mut progress = Bar::new(total, ProgressDrawTarget::term_like(Box::new(screen.clone())), delay);
        let mut summary = Summary::default();
        // At least 300 ms; a bar due at once is waited for on a busy machine (10 s at most).
        let (start, drawn) = (Instant::now(), || screen.0.lock().unwrap().contains("calls/s"));
        let waiting = |start: Instant| delay.is_zero() && !drawn() && start.elapsed() < Duration::from_secs(10);
        while start.elapsed() < Duration::from_millis(300) || waiting(start) {
            summary.records += 1;
            summary.calls += 1;
            summary.errors = summary.calls / 10;
            progress.counter().fetch_add(700, Ordering::Relaxed);
            progress.record(&summary);
        }
        progress.finish();
        screen.0.lock().unwrap().clone()
    }

    #[test]
    fn the_bar_shows_bytes_calls_per_second_and_errors() {
        let text = run(Some(10 << 30), Duration::ZERO);
        let last = text.rsplit("<clear>").find(|s| s.contains("calls/s")).unwrap_or_else(|| panic!("drawn: {text:?}"));
        assert!(last.contains("/10.00 GiB"), "{last}");
        assert!(last.contains("MiB/s") || last.contains("GiB/s"), "{last}");
        assert!(last.contains(" errors"), "{last}");
        assert!(text.ends_with("<clear>"), "the bar is gone at the end: {text:?}");
        let unknown = run(None, Duration::ZERO);
        assert!(unknown.contains(" read (") && unknown.contains("calls/s"), "{unknown:?}");
    }

    #[test]
    fn short_runs_show_nothing() {
        assert!(!run(Some(1000), Duration::from_secs(5)).contains("calls"));
    }

    #[test]
    fn no_bar_without_a_terminal_or_in_ci() {
        let env = |vars: &'static [(&'static str, &'static str)]| move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string());
        assert!(wanted(true, env(&[])));
        assert!(!wanted(false, env(&[])));
        assert!(!wanted(true, env(&[("CI", "true")])));
        assert!(!wanted(true, env(&[("CI", "1")])));
        assert!(wanted(true, env(&[("CI", "false")])));
        assert!(!wanted(true, env(&[("JENKINS_URL", "http://ci")])));
        assert!(!wanted(true, env(&[("TF_BUILD", "True")])));
    }

    #[test]
    fn the_gate_hands_on_whole_lines() {
        let progress = Bar::new(None, ProgressDrawTarget::hidden(), Duration::ZERO);
        let mut out = Vec::new();
        {
            let mut gate = progress.writer(&mut out);
            gate.write_all(b"a:1: one\nb:2: tw").unwrap();
            assert_eq!(gate.pending, b"b:2: tw");
            gate.write_all(b"o\n").unwrap();
            gate.write_all(b"tail").unwrap();
        }
        assert_eq!(out, b"a:1: one\nb:2: two\ntail");
    }
}
