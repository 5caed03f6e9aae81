//! Fuzzes the NDJSON/JSON reader, the validator and the split: any bytes, read as every layout,
//! must be validated without a panic, every record must be accounted for, and every call must
//! land in exactly one side of the split, valid ones as JSON on one line.
#![no_main]

use std::io::Write;
use std::sync::{Arc, Mutex};

use cdpspec::check::Options;
use cdpspec::input::Layout;
use cdpspec::output::Emitter;
use cdpspec::split::{Output, Split};
use cdpspec::validate::Validation;
use cdpspec::{Diagnostic, Rule, Summary};
use libfuzzer_sys::fuzz_target;

/// Diagnostics, and records without bytes (an empty file, a record too large to hold), which
/// the split has nothing to write for.
#[derive(Default)]
struct Count {
    diagnostics: usize,
    unwritten: usize,
}

impl Emitter for Count {
    fn diagnostic(&mut self, d: &Diagnostic) -> std::io::Result<()> {
        assert!(d.line >= 1 && d.column >= 1);
        self.diagnostics += 1;
        self.unwritten += usize::from(d.rule == Rule::RecordTooLarge || d.message.starts_with("file is empty"));
        Ok(())
    }
    fn finish(&mut self, _: &Summary) -> std::io::Result<()> {
        Ok(())
    }
}

/// A writer whose bytes stay readable after the split is done with it.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    for layout in [Layout::Lines, Layout::Sniff, Layout::Document] {
        let mut sink = Count::default();
        let (valid, invalid) = (Shared::default(), Shared::default());
        let split = Split::new(Some(Output::Writer(Box::new(valid.clone()))), Some(Output::Writer(Box::new(invalid.clone()))));
        let mut run = Validation::new(Options::default(), &mut sink).with_split(split);
        run.reader("fuzz", data, layout).unwrap();
        run.finish_split().unwrap();
        let s = run.summary.clone();
        run.finish().expect("in memory");
        assert_eq!(s.records, s.parsed + s.unparsed + s.blank);
        assert_eq!(s.calls, s.valid + s.with_errors);
        assert_eq!(s.errors + s.warnings, sink.diagnostics);
        let split = s.split.unwrap();
        let valid = valid.0.lock().unwrap();
        let invalid = invalid.0.lock().unwrap();
        assert_eq!(split.valid, s.valid);
        let written = s.unparsed - sink.unwritten;
        assert!(split.invalid >= s.with_errors + written && split.invalid <= s.with_errors + written + s.parsed);
        assert_eq!(valid.iter().filter(|&&b| b == b'\n').count(), split.valid);
        assert_eq!(invalid.iter().filter(|&&b| b == b'\n').count(), split.invalid);
        for line in valid.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            // JSON, escaped lone surrogates (a warning) read as destinations read them.
            cdpspec::check::surrogates::parse(line).expect("a valid call is JSON");
        }
    }
});
