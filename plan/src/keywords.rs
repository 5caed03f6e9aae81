//! The keywords of JSON Schema: by vocabulary (draft 2020-12), the older ones plans still use,
//! and by where their values hold subschemas. Written once, here: plan lint (which keys are
//! keywords), plan diff (which keywords constrain a value), plan errors (what a pointer into a
//! schema leads to) and schema export (where subschemas live) read them.

/// The core vocabulary of draft 2020-12: identifiers, references, definitions, comments.
pub const CORE: &[&str] = &["$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment", "$defs"];

/// The applicator vocabulary of draft 2020-12: keywords that apply subschemas to a value or to
/// its parts.
pub const APPLICATOR: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "prefixItems",
    "items",
    "contains",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
];

/// The unevaluated vocabulary of draft 2020-12: subschemas for the items and properties no other
/// keyword evaluated.
pub const UNEVALUATED: &[&str] = &["unevaluatedItems", "unevaluatedProperties"];

/// The validation vocabulary of draft 2020-12: assertions on a value itself.
pub const VALIDATION: &[&str] = &[
    "type",
    "const",
    "enum",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
];

/// The meta-data vocabulary of draft 2020-12: annotations that assert nothing.
pub const META_DATA: &[&str] = &["title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples"];

/// The format vocabularies of draft 2020-12 (format-annotation and format-assertion): `format`.
pub const FORMAT: &[&str] = &["format"];

/// The content vocabulary of draft 2020-12: annotations on strings that hold other data.
pub const CONTENT: &[&str] = &["contentEncoding", "contentMediaType", "contentSchema"];

/// Keywords of older drafts that plans still use, although 2020-12 replaced them (and its
/// validators ignore them): draft 7's `definitions` (now `$defs`), `dependencies` (now
/// `dependentRequired` and `dependentSchemas`) and `additionalItems` (now `items` after
/// `prefixItems`), and draft 4's `id` (now `$id`). Schemas written for draft 7, such as Segment
/// Protocols plans, are full of them: they are not typos.
pub const LEGACY: &[&str] = &["definitions", "dependencies", "additionalItems", "id"];

/// Every keyword cdpspec knows: the vocabularies of draft 2020-12 ([`CORE`], [`APPLICATOR`],
/// [`UNEVALUATED`], [`VALIDATION`], [`META_DATA`], [`FORMAT`], [`CONTENT`]) and the [`LEGACY`]
/// ones. Any other key in a schema object is ignored by validators.
///
/// In this order, with `definitions` beside `$defs`: suggestions for a misspelled keyword take
/// the first of equally close ones, so the order decides some of them.
pub const ALL: &[&str] = &ALL_IN_ORDER;

const ALL_PARTS: &[&[&str]] = &[
    CORE,
    LEGACY.split_at(1).0, // `definitions`
    APPLICATOR,
    UNEVALUATED,
    VALIDATION,
    META_DATA,
    FORMAT,
    CONTENT,
    LEGACY.split_at(1).1, // `dependencies`, `additionalItems`, `id`
];

const ALL_IN_ORDER: [&str; total_len(ALL_PARTS)] = concat(ALL_PARTS);

/// Keywords whose value is one subschema, in draft 2020-12 and draft 7 (`additionalItems`).
/// `items` is one subschema in 2020-12; in draft 7 it may also be a list of them.
pub const SUBSCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keywords whose value is an object of subschemas by name, in draft 2020-12 and draft 7
/// (`definitions`). Draft 7's `dependencies` is not here: its values are subschemas or lists of
/// property names.
pub const SUBSCHEMA_MAP: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// Keywords whose value is a list of subschemas in draft 2020-12 (draft 7 also writes `items`
/// so, see [`SUBSCHEMA`]).
pub const SUBSCHEMA_LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// How many keywords `parts` hold together.
const fn total_len(parts: &[&[&str]]) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < parts.len() {
        total += parts[i].len();
        i += 1;
    }
    total
}

/// The keywords of `parts`, one part after another; `N` is their [`total_len`].
const fn concat<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut at = 0;
    let mut i = 0;
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[at] = parts[i][j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(at == N, "N is not the number of keywords");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn set(table: &[&'static str]) -> BTreeSet<&'static str> {
        let set: BTreeSet<_> = table.iter().copied().collect();
        assert_eq!(set.len(), table.len(), "a keyword is listed twice in {table:?}");
        set
    }

    fn assert_disjoint(tables: &[(&str, &[&'static str])]) {
        for (i, (a, first)) in tables.iter().enumerate() {
            for (b, second) in &tables[i + 1..] {
                let both: Vec<_> = set(first).intersection(&set(second)).copied().collect();
                assert!(both.is_empty(), "{both:?} are in both {a} and {b}");
            }
        }
    }

    #[test]
    fn the_vocabularies_are_disjoint_and_make_up_all() {
        let vocabularies: [(&str, &[&str]); 8] = [
            ("CORE", CORE),
            ("APPLICATOR", APPLICATOR),
            ("UNEVALUATED", UNEVALUATED),
            ("VALIDATION", VALIDATION),
            ("META_DATA", META_DATA),
            ("FORMAT", FORMAT),
            ("CONTENT", CONTENT),
            ("LEGACY", LEGACY),
        ];
        assert_disjoint(&vocabularies);
        let union: BTreeSet<_> = vocabularies.iter().flat_map(|(_, table)| table.iter().copied()).collect();
        assert_eq!(set(ALL), union);
        assert_eq!((ALL.first(), ALL.last()), (Some(&"$schema"), Some(&"id")));
        assert_eq!(ALL.iter().position(|k| *k == "definitions"), ALL.iter().position(|k| *k == "$defs").map(|i| i + 1));
    }

    #[test]
    fn the_subschema_tables_are_disjoint_known_and_complete() {
        let shapes: [(&str, &[&str]); 3] = [("SUBSCHEMA", SUBSCHEMA), ("SUBSCHEMA_MAP", SUBSCHEMA_MAP), ("SUBSCHEMA_LIST", SUBSCHEMA_LIST)];
        assert_disjoint(&shapes);
        for (name, table) in shapes {
            let unknown: Vec<_> = set(table).difference(&set(ALL)).copied().collect();
            assert!(unknown.is_empty(), "{unknown:?} of {name} are not in ALL");
        }
        // Every keyword whose value holds subschemas has a shape, except draft 7's `dependencies`
        // (subschemas or lists of names).
        let with_subschemas: BTreeSet<_> = APPLICATOR.iter().chain(UNEVALUATED).chain(&["$defs", "contentSchema", "definitions", "additionalItems"]).collect();
        let shaped: BTreeSet<_> = shapes.iter().flat_map(|(_, table)| table.iter()).collect();
        assert_eq!(shaped, with_subschemas);
    }
}
