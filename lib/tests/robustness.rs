//! No input makes validation panic, and every line is accounted for: arbitrary bytes, and real
//! payloads mutated byte by byte, through the same reader the command line uses.

use cdpspec::check::Options;
use cdpspec::input::Layout;
use cdpspec::output::Collect;
use cdpspec::validate::Validation;
use cdpspec::{Diagnostic, Summary};
use proptest::prelude::*;

fn run(bytes: &[u8], layout: Layout) -> (Summary, Vec<Diagnostic>) {
    let mut sink = Collect::default();
    let mut run = Validation::new(Options::default(), &mut sink);
    run.reader("input", bytes, layout).unwrap();
    let summary = run.summary.clone();
    run.finish().expect("in memory");
    (summary, sink.diagnostics)
}

fn assert_accounted(bytes: &[u8], layout: Layout) {
    let (s, diagnostics) = run(bytes, layout);
    assert_eq!(s.records, s.parsed + s.unparsed + s.blank, "{s:?}");
    assert_eq!(s.calls, s.valid + s.with_errors, "{s:?}");
    assert_eq!(s.errors + s.warnings, diagnostics.len());
    if layout == Layout::Lines {
        assert_eq!(s.records, bytes.split(|&b| b == b'\n').count() - usize::from(bytes.ends_with(b"\n") || bytes.is_empty()), "every line is a record");
    }
    for d in &diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.pointer.is_empty() || d.pointer.starts_with('/'), "{d:?}");
    }
}

const REAL: &[&str] = &[
    include_str!("../../examples/sdk/node-batches.ndjson"),
    include_str!("../../examples/sdk/rudderstack.ndjson"),
    include_str!("../../examples/sdk/python-batch.json"),
    include_str!("../../tests/fixtures/broken.ndjson"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        assert_accounted(&bytes, Layout::Lines);
        assert_accounted(&bytes, Layout::Sniff);
        assert_accounted(&bytes, Layout::Document);
    }

    #[test]
    fn mutated_real_payloads(which in 0..REAL.len(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6)) {
        let mut bytes = REAL[which].as_bytes().to_vec();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len().max(1));
            match op {
                0 if !bytes.is_empty() => { bytes.remove(i.min(bytes.len() - 1)); }
                1 => bytes.insert(i.min(bytes.len()), byte),
                _ if !bytes.is_empty() => { let j = i.min(bytes.len() - 1); bytes[j] = byte; }
                _ => {}
            }
        }
        assert_accounted(&bytes, Layout::Lines);
        assert_accounted(&bytes, Layout::Sniff);
    }
}

#[test]
fn structural_extremes() {
    let deep_array = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_batch =
        format!("{{\"batch\":[{{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u\",\"properties\":{}1{}}}]}}", "{\"a\":".repeat(120), "}".repeat(120));
    let wide =
        format!("{{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{{{}}}}}", (0..5000).map(|i| format!("\"k{i}\":{i}")).collect::<Vec<_>>().join(","));
    for input in [deep_array, deep_batch, wide, "\u{feff}{}".into(), "{\"\\ud800\":1}".into(), "[[],[[]],{}]".into()] {
        assert_accounted(input.as_bytes(), Layout::Lines);
        assert_accounted(input.as_bytes(), Layout::Document);
    }
}
