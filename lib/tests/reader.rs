//! The batched reader (`fast::read`, behind `Validation` and `coverage::Evaluation`) hands on
//! the same records whatever pieces its source gives the bytes in: the whole input at once, a
//! few bytes at a time, through a buffered reader larger or smaller than a batch; and on a read
//! error, exactly the lines read completely before it, on one thread or two.

use std::io::{self, BufReader, Read};

use cdpspec::input::Layout;
use cdpspec::output::Collect;
use cdpspec::validate::Validation;
use cdpspec::{Diagnostic, Summary};

/// A source that gives at most `piece` bytes per read, then fails after `fail_at` bytes.
struct Pieces<'a> {
    text: &'a [u8],
    at: usize,
    piece: usize,
    fail_at: Option<usize>,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let end = self.fail_at.unwrap_or(self.text.len()).min(self.text.len());
        if self.at >= end && self.fail_at.is_some() {
            return Err(io::Error::other("the disk went away"));
        }
        // Vary the piece sizes, so that lines and batches are cut everywhere.
        let n = buf.len().min(end - self.at).min(1 + (self.at * 7 + 3) % self.piece);
        buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// What a run hands on: every diagnostic, the counts, and whether reading failed.
fn run(reader: impl io::BufRead, jobs: usize) -> (Vec<Diagnostic>, Summary, bool) {
    let mut collect = Collect::default();
    let mut run = Validation::new(Default::default(), &mut collect).with_jobs(jobs);
    let failed = run.reader("events.ndjson", reader, Layout::Lines).is_err();
    let summary = run.finish().expect("in memory");
    (collect.diagnostics, summary, failed)
}

/// More than two batches of lines: valid and invalid calls, blank lines, `\r\n`, a byte order
/// mark, a line longer than a batch, and no newline at the end.
fn corpus() -> Vec<u8> {
    let mut text = b"\xEF\xBB\xBF".to_vec();
    let long = format!("{{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Long\",\"properties\":{{\"x\":\"{}\"}}}}", "y".repeat(1_200_000));
    for i in 0..24_000 {
        let line = match i % 9 {
            0 => r#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#.to_string(),
            1 => r#"{"type":"track","event":"Course Enrolled"}"#.to_string(),
            2 => String::new(),
            3 => r#"{"type":"identify","userId":"97980cfea0067"}"#.to_string() + "\r",
            4 => r#"{"type":"page","userId":42,"name":"home"}"#.to_string(),
            5 => "{\"type\":".to_string(),
            6 if i == 6_000 => long.clone(),
            _ => format!(r#"{{"type":"screen","anonymousId":"a{i}","name":"Course List"}}"#),
        };
        text.extend_from_slice(line.as_bytes());
        text.push(b'\n');
    }
    text.extend_from_slice(br#"{"type":"alias","userId":"97980cfea0067","previousId":"a1f5e8b2"}"#);
    text
}

#[test]
fn the_same_records_whatever_pieces_the_source_gives() {
    let text = corpus();
    let whole = run(&text[..], 1);
    assert!(!whole.2 && whole.1.records > 24_000, "{:?}", whole.1);
    for jobs in [1, 2] {
        assert_eq!(run(&text[..], jobs), whole, "all at once, {jobs} threads");
        for (piece, buffer) in [(5, 3), (70_000, 1 << 16), (300_000, 1 << 21)] {
            let pieces = Pieces { text: &text, at: 0, piece, fail_at: None };
            assert_eq!(run(BufReader::with_capacity(buffer, pieces), jobs), whole, "pieces of {piece}, buffer of {buffer}, {jobs} threads");
        }
    }
}

#[test]
fn a_read_error_keeps_the_lines_read_completely_before_it() {
    let text = corpus();
    for fail_at in [0, 1, 100_000, 1_300_000, 2_000_001, text.len() - 10] {
        let complete = text[..fail_at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let (diagnostics, summary, _) = run(&text[..complete], 1);
        for jobs in [1, 2] {
            let pieces = Pieces { text: &text, at: 0, piece: 90_000, fail_at: Some(fail_at) };
            let got = run(BufReader::new(pieces), jobs);
            assert!(got.2, "the error is returned (at {fail_at}, {jobs} threads)");
            assert_eq!((got.0, got.1), (diagnostics.clone(), summary.clone()), "at {fail_at}, {jobs} threads");
        }
    }
}
