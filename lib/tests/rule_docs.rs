//! `docs/rules.md` is generated from the code and every example in it runs: each failing
//! example triggers its rule, each passing example produces no diagnostic at all.

use std::sync::Arc;

use cdpspec::check::Options;
use cdpspec::input::Layout;
use cdpspec::output::Collect;
use cdpspec::plan::PlanValidator;
use cdpspec::testing::rule_docs::{DOCS, markdown};
use cdpspec::validate::Validation;
use cdpspec::{Diagnostic, Rule};

fn diagnostics(input: &[u8], with_plan: bool) -> Vec<Diagnostic> {
    let mut options = Options::default();
    if with_plan {
        let plan = cdpspec::plan::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"))).unwrap();
        options.plan = Some(Arc::new(PlanValidator::new(plan, "courses.yaml").unwrap()));
    }
    let mut sink = Collect::default();
    Validation::new(options, &mut sink).reader("example", input, Layout::Lines).unwrap();
    sink.diagnostics
}

/// The example as bytes: `\xe9` in the invalid-utf8 example stands for that byte.
fn bytes(example: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = example;
    while let Some(i) = rest.find("\\xe9") {
        out.extend_from_slice(&rest.as_bytes()[..i]);
        out.push(0xe9);
        rest = &rest[i + 4..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

#[test]
fn every_rule_is_documented_once() {
    let documented: Vec<Rule> = DOCS.iter().map(|d| d.rule).collect();
    assert_eq!(documented, Rule::ALL, "DOCS lists every rule, in rule order");
    for d in DOCS {
        assert!(d.why.len() > 40, "{:?}: say why it matters", d.rule);
    }
}

#[test]
fn every_example_does_what_the_docs_say() {
    for d in DOCS.iter().filter(|d| !d.failing.is_empty()) {
        let failing = diagnostics(&bytes(d.failing), d.needs_plan);
        assert!(failing.iter().any(|x| x.rule == d.rule), "{:?}: the failing example does not trigger it: {failing:#?}", d.rule);
        let passing = diagnostics(&bytes(d.passing), d.needs_plan);
        assert_eq!(passing, vec![], "{:?}: the passing example is not clean", d.rule);
    }
}

#[test]
fn docs_rules_md_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
    if std::env::var_os("CDPSPEC_BLESS").is_some() {
        std::fs::write(path, markdown()).unwrap();
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == markdown(),
        "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md` (or CDPSPEC_BLESS=1 cargo test -p cdpspec --test rule_docs)"
    );
}
