//! Fuzzes the tracking plan on the fast path: the first byte picks a plan (and the severity of
//! its rules) from a fixed set that uses every keyword the fast path compiles, recursive `$ref`s,
//! and a section it leaves to the precise path; the rest is one record. The fast path may vouch
//! for the record only when the precise path reports nothing about it, and whenever it does not
//! vouch, the engine must give exactly the precise path's outcome.
#![no_main]

use std::sync::{Arc, LazyLock};

use cdpspec::check::Options;
use cdpspec::engine::{Engine, Origin, Outcome};
use cdpspec::plan::{Format, PlanValidator, parse};
use cdpspec::rule::{Level, Rule};
use libfuzzer_sys::fuzz_target;

/// Plans of every shape, as YAML.
const PLANS: &[(&str, &str)] = &[
    ("courses.yaml", include_str!("../../examples/plan/courses.yaml")),
    ("bench.yaml", include_str!("../../lib/benches/plan.yaml")),
    (
        "keywords.yaml",
        r##"
name: Keywords
common:
  context:
    type: object
    properties:
      library: {type: object, required: [name], properties: {name: {type: string, minLength: 1, maxLength: 40}}}
      locale: {enum: [en-US, de-DE, 1, 1.5, null]}
identify:
  traits:
    type: object
    properties:
      email: {type: string, format: email}
      age: {type: integer, minimum: 0, exclusiveMaximum: 150, multipleOf: 1}
      score: {type: number, multipleOf: 0.5}
      tags: {type: array, items: {type: string, pattern: "^[a-z]+$"}, uniqueItems: true, maxItems: 4}
      pair: {type: array, prefixItems: [{type: string}, {type: [integer, "null"]}], items: false}
      created: {type: string, format: date-time}
      site: {type: string, format: uri}
      id: {type: string, format: uuid}
    patternProperties:
      "^x_": {type: [string, boolean]}
    additionalProperties: {not: {type: object}}
    maxProperties: 12
pages:
  - name: "*"
    properties:
      type: object
      properties:
        kind: {const: 1}
        choice: {oneOf: [{type: integer}, {type: number, minimum: 2}]}
        any: {anyOf: [{type: string, maxLength: 2}, {type: boolean}]}
        all: {allOf: [{type: string}, {minLength: 2}]}
events:
  - name: Tree
    versions:
      - version: 1
        properties:
          $defs:
            node:
              type: object
              properties:
                value: {type: integer}
                children: {type: array, items: {$ref: "#/$defs/node"}}
              required: [value]
          $ref: "#/$defs/node"
      - version: 2
        properties:
          type: object
          if: {required: [a]}
          then: {required: [b]}
  - name: Order Completed
    versions:
      - version: 1
        properties:
          type: object
          properties:
            revenue: {type: number, minimum: 0}
            currency: {type: string, pattern: "^[A-Z]{3}$"}
            products:
              type: array
              minItems: 1
              items:
                type: object
                properties:
                  price: {type: number, exclusiveMinimum: 0}
                  quantity: {type: integer, minimum: 1}
                required: [price]
          required: [revenue, currency]
          additionalProperties: false
        requires: [properties]
"##,
    ),
];

/// For each plan and severity, the engine with the fast path and the precise path alone.
static ENGINES: LazyLock<Vec<(Engine, Engine)>> = LazyLock::new(|| {
    let mut engines = Vec::new();
    for (name, text) in PLANS {
        let plan = parse(text, Format::Yaml, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let plan = Arc::new(PlanValidator::new(plan, *name).unwrap_or_else(|e| panic!("{e}")));
        for severity in 0..3 {
            let mut options = Options { plan: Some(plan.clone()), ..Options::default() };
            match severity {
                1 => options.severities.set(Rule::AdvancedRule, Level::Off),
                2 => options.severities.set(Rule::UnplannedEvent, Level::Warning),
                _ => {}
            }
            engines.push((Engine::from_options(options.clone()), Engine::from_options(options).without_fast_path()));
        }
    }
    engines
});

fn diagnostics(outcome: &Outcome) -> usize {
    match outcome {
        Outcome::Blank | Outcome::Clean { .. } => 0,
        Outcome::Unparsed(d) => usize::from(d.is_some()),
        Outcome::Checked { document, calls } => document.len() + calls.iter().map(Vec::len).sum::<usize>(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, record)) = data.split_first() else { return };
    let (fast, precise) = &ENGINES[usize::from(pick) % ENGINES.len()];
    let origin = Origin::whole("fuzz");
    let reference = precise.check_record(record, origin);
    match fast.check_record(record, origin) {
        Outcome::Clean { .. } => assert_eq!(diagnostics(&reference), 0, "vouched for a record with diagnostics: {reference:?}"),
        outcome => assert!(outcome == reference, "the fast path changed the outcome:\n{outcome:?}\n{reference:?}"),
    }
});
