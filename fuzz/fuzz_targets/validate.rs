//! Fuzzes the NDJSON/JSON reader and the validator: any bytes, read as every layout, must be
//! validated without a panic, and every record must be accounted for.
#![no_main]

use cdpspec::check::Options;
use cdpspec::input::Layout;
use cdpspec::output::Emitter;
use cdpspec::validate::Validation;
use cdpspec::{Diagnostic, Summary};
use libfuzzer_sys::fuzz_target;

struct Count(usize);

impl Emitter for Count {
    fn diagnostic(&mut self, d: &Diagnostic) {
        assert!(d.line >= 1 && d.column >= 1);
        self.0 += 1;
    }
    fn finish(&mut self, _: &Summary) {}
}

fuzz_target!(|data: &[u8]| {
    for layout in [Layout::Lines, Layout::Sniff, Layout::Document] {
        let mut sink = Count(0);
        let mut run = Validation::new(Options::default(), &mut sink);
        run.reader("fuzz", data, layout).unwrap();
        let s = run.summary.clone();
        run.finish();
        assert_eq!(s.records, s.parsed + s.unparsed + s.blank);
        assert_eq!(s.calls, s.valid + s.with_errors);
        assert_eq!(s.errors + s.warnings, sink.0);
    }
});
