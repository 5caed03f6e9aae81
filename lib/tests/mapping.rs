//! The mapping engine against the reference's own test cases, the bundled presets against the
//! seed's six calls, and robustness.
//!
//! Reference cases are ported from segmentio/action-destinations, packages/core/src/:
//! mapping-kit/__tests__/index.test.ts and mapping-kit/schema-fixtures/directives/*.json (the
//! expected outputs are the reference's; error cases check the reference's message).

use cdpspec::destination::mapping::{Field, Mapping, Nothing, Outcome, check_fields, fields_from_json, remove_empty_values};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The reference's `transform(mapping, data)`: validate, resolve, remove `undefined`.
fn transform(mapping: Value, data: Value) -> Result<Value, String> {
    let mapping = Mapping::parse(&mapping).map_err(|e| e.to_string())?;
    mapping.try_resolve(&data).map_err(|e| e.to_string())
}

fn ok(mapping: Value, data: Value) -> Value {
    transform(mapping.clone(), data).unwrap_or_else(|e| panic!("{mapping}: {e}"))
}

fn err(mapping: Value, data: Value) -> String {
    match transform(mapping.clone(), data) {
        Ok(v) => panic!("{mapping} should fail, gave {v}"),
        Err(e) => e,
    }
}

#[test]
fn no_op_and_raw_values() {
    assert_eq!(ok(json!({}), json!({"cool": false})), json!({}));
    assert_eq!(ok(json!({"cool": true}), json!({})), json!({"cool": true}));
    assert_eq!(ok(json!({"x": null}), json!({})), json!({"x": null}));
    assert_eq!(ok(json!({"x": {}}), json!({})), json!({"x": {}}));
    assert_eq!(ok(json!({"x": {"y": {"z": {"@path": "$.nope"}}}, "foo": 1}), json!({})), json!({"x": {"y": {}}, "foo": 1}));
    assert_eq!(ok(json!(["cool"]), json!({})), json!(["cool"]));
    assert_eq!(ok(json!("neat"), json!({})), json!("neat"));
    assert!(err(json!({"a": 1}), json!(123)).contains("data must be an object, got number"));
    assert!(err(json!({"a": 1}), json!([])).contains("data must be an object, got array"));
}

#[test]
fn literal() {
    assert_eq!(ok(json!({"simple": {"@literal": false}}), json!({})), json!({"simple": false}));
    assert_eq!(
        ok(json!({"nested": {"@literal": {"a": {"@path": "$.a"}, "b": {"@path": "$.b"}}}}), json!({"a": "some value"})),
        json!({"nested": {"a": "some value"}})
    );
    assert_eq!(
        ok(json!({"nested": {"@literal": {"level1": {"level2": {"level3": {"@path": "$.deep.value"}}}}}}), json!({"deep": {"value": "v"}})),
        json!({"nested": {"level1": {"level2": {"level3": "v"}}}})
    );
    assert_eq!(ok(json!({"empty": {"@literal": {}}}), json!({})), json!({"empty": {}}));
    assert_eq!(ok(json!({"blank": {"@literal": ""}}), json!({})), json!({"blank": ""}));
}

#[test]
fn if_exists_and_blank() {
    let data = json!({"a": 1, "b": true, "c": false, "d": null, "e": ""});
    let run = |cond: &str, path: &str| ok(json!({"@if": {cond: {"@path": path}, "then": 1, "else": 2}}), data.clone());
    assert_eq!(run("exists", "$.a"), json!(1));
    assert_eq!(run("exists", "$.d"), json!(2));
    assert_eq!(run("exists", "$.x"), json!(2));
    assert_eq!(run("exists", "$.e"), json!(1));
    assert_eq!(run("exists", "$.c"), json!(1), "false exists");
    assert_eq!(run("blank", "$.a"), json!(1));
    assert_eq!(run("blank", "$.d"), json!(2));
    assert_eq!(run("blank", "$.x"), json!(2));
    assert_eq!(run("blank", "$.e"), json!(2));
    assert_eq!(run("blank", "$.c"), json!(2), "false == '' in JavaScript");
    // `else` applies only when it is truthy; `then` whenever it is present.
    assert_eq!(ok(json!({"v": {"@if": {"exists": {"@path": "$.x"}, "then": 1, "else": 0}}}), data.clone()), json!({}));
    assert_eq!(ok(json!({"v": {"@if": {"exists": {"@path": "$.x"}, "then": 1, "else": ""}}}), data.clone()), json!({}));
    assert_eq!(ok(json!({"v": {"@if": {"exists": {"@path": "$.a"}, "then": null, "else": 2}}}), data.clone()), json!({"v": null}));
    assert_eq!(ok(json!({"v": {"@if": {"exists": {"@path": "$.a"}, "else": 2}}}), data.clone()), json!({}));
    // schema-fixtures/valid/@if-partial.json: a literal, truthy `exists` and no `then`.
    assert_eq!(ok(json!({"v": {"@if": {"exists": 1, "else": 3}}}), data.clone()), json!({}));
    // `exists` wins over `blank` whenever present, even when falsy (blank made the check pass).
    assert_eq!(ok(json!({"v": {"@if": {"exists": false, "blank": {"@path": "$.x"}, "then": 1, "else": 2}}}), data), json!({"v": 1}));
    assert!(err(json!({"@if": {"then": 1}}), json!({})).contains("@if requires an \"exists\" key or a \"blank\" key"));
}

#[test]
fn case() {
    let data = json!({
        "a": 1, "b": "MAKE ME LOWER CASE", "c": "make me upper case", "d": null, "e": "", "f": false,
        "g": "mIXeD StRinG CasING W/ NuMBErs 190wdB", "h": {"key1": "with values", "key2": ["hi", true, null]}
    });
    let run = |op: &str, path: &str| ok(json!({"@case": {"operator": op, "value": {"@path": path}}}), data.clone());
    assert_eq!(run("lower", "$.b"), json!("make me lower case"));
    assert_eq!(run("upper", "$.c"), json!("MAKE ME UPPER CASE"));
    assert_eq!(run("lower", "$.e"), json!(""));
    assert_eq!(run("lower", "$.g"), json!("mixed string casing w/ numbers 190wdb"));
    assert_eq!(run("upper", "$.g"), json!("MIXED STRING CASING W/ NUMBERS 190WDB"));
    assert_eq!(run("lower", "$.a"), json!(1));
    assert_eq!(run("lower", "$.d"), json!(null));
    assert_eq!(run("lower", "$.f"), json!(false));
    assert_eq!(run("lower", "$.h"), data["h"]);
    assert!(err(json!({"@case": {"wrongKey": "lower", "value": {"@path": "$.b"}}}), data.clone()).contains("@case requires a \"operator\" key"));
    assert!(
        err(json!({"@case": {"operator": "unsupported snake", "value": {"@path": "$.b"}}}), data.clone())
            .contains("operator key should have a value of \"lower\" or \"upper\"")
    );
    assert_eq!(err(json!({"@case": "not an object"}), data), "/@case should be an object but it is a string.");
}

#[test]
fn array_path() {
    let data = json!({"products": [{"productId": "123", "price": 0.5}, {"productId": "456", "price": 0.99}]});
    let shape = json!({"product_id": {"@path": "$.productId"}, "monies": {"@path": "$.price"}});
    let mapped = json!([{"product_id": "123", "monies": 0.5}, {"product_id": "456", "monies": 0.99}]);
    assert_eq!(ok(json!({"neat": {"@arrayPath": ["$.products"]}}), data.clone()), json!({"neat": data["products"]}));
    assert_eq!(ok(json!({"neat": {"@arrayPath": ["$.products", shape]}}), data.clone()), json!({"neat": mapped}));
    let via_if = json!({"@if": {"exists": {"@path": "$.products"}, "then": {"@path": "$.products"}, "else": []}});
    assert_eq!(ok(json!({"neat": {"@arrayPath": [via_if, shape]}}), data.clone()), json!({"neat": mapped}));
    assert_eq!(ok(json!({"neat": {"@arrayPath": ["$.products", shape]}}), json!({"products": {"notAnArray": true}})), json!({"neat": [{}]}));
    assert_eq!(
        ok(json!({"neat": {"@arrayPath": ["$.properties", shape]}}), json!({"properties": {"productId": "123", "price": 0.5}})),
        json!({"neat": [{"product_id": "123", "monies": 0.5}]})
    );
    assert_eq!(
        ok(json!({"products": {"@arrayPath": [{"@path": "$.properties.products"}, null]}}), json!({"properties": data.clone()})),
        json!({"products": data["products"]})
    );
    assert_eq!(ok(json!({"neat": {"@arrayPath": ["$.properties", {"id": "static"}]}}), json!({"properties": {"a": 1}})), json!({"neat": [{"id": "static"}]}));
    assert_eq!(ok(json!({"neat": {"@arrayPath": ["$.properties", {}]}}), json!({"properties": {"a": 1}})), json!({"neat": {"a": 1}}));
    assert_eq!(ok(json!({"neat": {"@arrayPath": ["$.nope", shape]}}), data.clone()), json!({}));
    assert_eq!(ok(json!({"neat": {"@arrayPath": ["$.products", shape, {"foo": "bar"}]}}), data.clone()), json!({"neat": mapped}));
    assert!(err(json!({"neat": {"@arrayPath": [true]}}), data.clone()).contains("should be a string or a mapping directive"));
    assert!(err(json!({"neat": {"@arrayPath": "bad syntax"}}), data).contains("@arrayPath should be an array"));
    // Item paths are relative to the item, even with a leading `$.`; a missing one is left out.
    assert_eq!(
        ok(json!({"ids": {"@arrayPath": ["$.items", {"id": {"@path": "id"}, "n": {"@path": "$.n"}}]}}), json!({"items": [{"id": 1}, {"id": 2, "n": 3}]})),
        json!({"ids": [{"id": 1}, {"id": 2, "n": 3}]})
    );
}

#[test]
fn path() {
    assert_eq!(ok(json!({"neat": {"@path": "$.foo"}}), json!({"foo": "bar"})), json!({"neat": "bar"}));
    for root in ["", "$.", "$.."] {
        assert_eq!(ok(json!({"@path": root}), json!({"foo": "bar"})), json!({"foo": "bar"}), "{root:?}");
    }
    assert_eq!(ok(json!({"neat": {"@path": "$.foo.bar[0].baz"}}), json!({"foo": {"bar": [{"baz": "qux"}]}})), json!({"neat": "qux"}));
    assert_eq!(ok(json!({"@path": {"@path": "$.foo"}}), json!({"foo": "bar", "bar": "baz"})), json!("baz"));
    assert_eq!(ok(json!({"neat": {"@path": "$.oops"}}), json!({"foo": "bar"})), json!({}));
    assert!(err(json!({"neat": {"@path": {}}}), json!({"foo": "bar"})).contains("should be a string or a mapping directive"));
    let spaced = json!({"integrations": {"Actions Amplitude": {"session_id": "bar"}}});
    assert_eq!(ok(json!({"neat": {"@path": "$.integrations.Actions Amplitude.session_id"}}), spaced), json!({"neat": "bar"}));
    assert_eq!(ok(json!({"neat": {"@path": "$.foo.bar.baz"}}), json!({"foo": "bar"})), json!({}));
    assert_eq!(ok(json!({"neat": {"@path": "$.foo"}}), json!({"foo": null})), json!({"neat": null}));
    assert_eq!(ok(json!({"neat": {"@path": "$.foo"}, "sweet": {"@path": "$.bar"}}), json!({"foo": null, "bar": "baz"})), json!({"neat": null, "sweet": "baz"}));
    assert_eq!(ok(json!({"@path": "$.event"}), json!({"event": {"foo": "bar"}})), json!({"foo": "bar"}));
    assert_eq!(ok(json!({"@path": "$..", "_metadata": {"type": "variable"}}), json!({"foo": "bar"})), json!({"foo": "bar"}));
    assert_eq!(ok(json!({"neat": {"@path": "$.{{foo}}"}}), json!({"foo": "bar"})), json!({}));
    assert_eq!(ok(json!({"neat": {"@path": "$.foo.bar."}}), json!({"foo": "bar"})), json!({}));
    assert!(err(json!({"@path": {"@path": "$.n"}}), json!({"n": 5})).contains("@path: expected string, got number"));
}

#[test]
fn template() {
    assert_eq!(ok(json!({"@template": "Hello, {{who}}!"}), json!({"who": "World"})), json!("Hello, World!"));
    assert_eq!(ok(json!({"@template": "Hello, {{who.name}}!"}), json!({"who": {"name": "World"}})), json!("Hello, World!"));
    assert_eq!(ok(json!({"@template": "<blink>{{a}} {{{a}}}</blink>"}), json!({"a": "<b>Hi</b>"})), json!("<blink><b>Hi</b> <b>Hi</b></blink>"));
    assert_eq!(ok(json!({"@template": "{{oops.yo}}"}), json!({})), json!(""));
    assert_eq!(ok(json!({"foo": {"@template": "{{foo}}"}}), json!({"foo": true})), json!({"foo": "true"}));
    assert_eq!(ok(json!({"foo": {"@template": "{{foo}}"}}), json!({"foo": 1})), json!({"foo": "1"}));
    assert_eq!(ok(json!({"foo": {"@template": "{{foo}}"}}), json!({"foo": {"bar": "baz"}})), json!({"foo": "[object Object]"}));
    assert_eq!(ok(json!({"foo": {"@template": "{{foo}}"}}), json!({"foo": null})), json!({"foo": ""}));
    assert_eq!(ok(json!({"value": {"@template": "{{foo}}}"}}), json!({"foo": "hello"})), json!({"value": "hello}"}));
    assert_eq!(ok(json!({"first_name": {"@template": "{{[unknown]}}"}}), json!({"traits": {}})), json!({"first_name": ""}));
    assert!(err(json!({"greeting": {"@template": {"foo": "bar"}}}), json!({})).contains("should be a string or a mapping directive but it is an object"));
    assert!(err(json!({"@template": false}), json!({})).contains("should be a string or a mapping directive but it is a boolean"));
}

#[test]
fn json_encode_decode() {
    let run = |mode: &str, foo: Value| ok(json!({"neat": {"@json": {"mode": mode, "value": {"@path": "$.foo"}}}}), json!({"foo": foo}));
    assert_eq!(run("encode", json!("bar")), json!({"neat": "\"bar\""}));
    assert_eq!(run("encode", json!({"bar": "baz"})), json!({"neat": "{\"bar\":\"baz\"}"}));
    assert_eq!(run("encode", json!(["bar", "baz"])), json!({"neat": "[\"bar\",\"baz\"]"}));
    assert_eq!(run("encode", json!(null)), json!({"neat": "null"}));
    assert_eq!(run("encode", json!(1.0)), json!({"neat": "1"}));
    assert_eq!(run("decode", json!("\"bar\"")), json!({"neat": "bar"}));
    assert_eq!(run("decode", json!("{\"bar\":\"baz\"}")), json!({"neat": {"bar": "baz"}}));
    assert_eq!(run("decode", json!("[\"bar\",\"baz\"]")), json!({"neat": ["bar", "baz"]}));
    assert_eq!(run("decode", json!(123)), json!({"neat": 123}));
    assert_eq!(ok(json!({"neat": {"@json": {"mode": "encode", "value": {"@path": "$.bad"}}}}), json!({})), json!({}));
    assert!(err(json!({"neat": {"@json": {"mode": "oops", "value": {"@path": "$.foo"}}}}), json!({})).contains("@json/mode should be one of encode, decode"));
    assert!(err(json!({"neat": {"@json": {"mode": "encode"}}}), json!({})).contains("@json should have field \"value\""));
    assert!(err(json!({"neat": {"@json": {"value": {"@path": "$.foo"}}}}), json!({})).contains("@json should have field \"mode\""));
    assert!(err(json!({"neat": {"@json": "not an object"}}), json!({})).contains("@json should be an object but it is a string"));
    let broken = err(json!({"neat": {"@json": {"mode": "decode", "value": {"@path": "$.foo"}}}}), json!({"foo": "{oops"}));
    assert!(broken.starts_with("/neat @json could not decode"), "{broken}");
}

/// Option words are read when the mapping loads: the reference validates `mode` and `direction`
/// in any case, then resolves `"ENCODE"` to nothing and `"LEFT"` as `"right"`, and throws on an
/// unknown `@case` operator for every string; here each is an error at its place.
#[test]
fn option_words_are_checked_when_the_mapping_loads() {
    let parse_error = |mapping: Value| Mapping::parse(&mapping).expect_err("should not parse");
    let json = |mode: &str| json!({"neat": {"@json": {"mode": mode, "value": {"@path": "$.foo"}}}});
    let error = parse_error(json("ENCODE"));
    assert_eq!(error.pointer, "/neat/@json/mode");
    assert_eq!(
        error.to_string(),
        "/neat/@json/mode should be one of encode, decode but it is \"ENCODE\" \
         (write \"encode\": the reference accepts other cases when loading, then does not recognise them)."
    );
    assert_eq!(parse_error(json("base64")).to_string(), "/neat/@json/mode should be one of encode, decode but it is \"base64\".");
    assert_eq!(Mapping::errors(&json("Decode")).len(), 1);
    let merge = |direction: &str| json!({"all": {"@merge": {"direction": direction, "objects": [{"a": 1}, {"a": 2}]}}});
    let error = parse_error(merge("LEFT"));
    assert_eq!(error.pointer, "/all/@merge/direction");
    assert!(error.message.starts_with("should be one of left, right but it is \"LEFT\" (write \"left\""), "{error}");
    let case = |operator: &str| json!({"name": {"@case": {"operator": operator, "value": {"@path": "$.foo"}}}});
    let error = parse_error(case("Upper"));
    assert_eq!(error.pointer, "/name/@case");
    assert_eq!(error.to_string(), "/name/@case operator key should have a value of \"lower\" or \"upper\" but it is \"Upper\".");
    // Without a string to change, the reference would pass the value through; still an error.
    assert!(transform(case("title"), json!({"foo": 1})).is_err());

    // The spellings the reference resolves load and work.
    assert_eq!(ok(json("encode"), json!({"foo": [1]})), json!({"neat": "[1]"}));
    assert_eq!(ok(json("decode"), json!({"foo": "[1]"})), json!({"neat": [1]}));
    assert_eq!(ok(merge("left"), json!({})), json!({"all": {"a": 1}}));
    assert_eq!(ok(merge("right"), json!({})), json!({"all": {"a": 2}}));
    assert_eq!(ok(case("lower"), json!({"foo": "AB"})), json!({"name": "ab"}));
    assert_eq!(ok(case("upper"), json!({"foo": "ab"})), json!({"name": "AB"}));
}

#[test]
fn flatten() {
    let run = |value: Value, extra: Value| {
        let mut options = json!({"value": {"@path": "$.foo"}, "separator": "."});
        options.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        ok(json!({"neat": {"@flatten": options}}), json!({"foo": value}))
    };
    assert_eq!(run(json!({"bar": "baz", "aces": {"a": 1, "b": 2}}), json!({})), json!({"neat": {"bar": "baz", "aces.a": 1, "aces.b": 2}}));
    assert_eq!(run(json!([{"fazz": "bar", "fizz": "baz"}]), json!({})), json!({"neat": {"0.fazz": "bar", "0.fizz": "baz"}}));
    assert_eq!(run(json!({"bar": "baz", "aces": [1, 2]}), json!({"omitArrays": true})), json!({"neat": {"bar": "baz", "aces": [1, 2]}}));
    assert_eq!(run(json!({"a": {"b": {"c": 1}, "d": 2}}), json!({"separator": "/"})), json!({"neat": {"a/b/c": 1, "a/d": 2}}));
    assert_eq!(run(json!({"a": [{"b": 1}, {"c": 2}]}), json!({})), json!({"neat": {"a.0.b": 1, "a.1.c": 2}}));
    assert_eq!(run(json!([{"a": [{"b": [{"c": 1}]}, {"d": [{"e": 2}]}]}]), json!({})), json!({"neat": {"0.a.0.b.0.c": 1, "0.a.1.d.0.e": 2}}));
    assert_eq!(run(json!({"a": {"b": {"c": [{"d": [{"e": 1}]}]}}}), json!({"omitArrays": true})), json!({"neat": {"a.b.c": [{"d": [{"e": 1}]}]}}));
    assert_eq!(ok(json!({"neat": {"@flatten": {"value": {"@path": "$.foo"}, "separator": ","}}}), json!({"bar": 1})), json!({"neat": {}}));
    assert_eq!(run(json!("text"), json!({})), json!({"neat": {"": "text"}}), "a scalar lands under the empty prefix");
    assert!(err(json!({"neat": {"@flatten": {"value": {"@path": "$.foo"}}}}), json!({})).contains("@flatten should have field \"separator\""));
}

#[test]
fn replace() {
    let run = |options: Value, a: Value| ok(json!({"@replace": options}), json!({"a": a}));
    let with = |pattern: &str, replacement: &str| json!({"pattern": pattern, "replacement": replacement, "value": {"@path": "$.a"}});
    assert_eq!(run(with("_", "rrrrr"), json!("")), json!(""));
    assert_eq!(run(with("_", "rrrrr"), json!(null)), json!(""));
    assert_eq!(
        run(json!({"pattern": "WW", "replacement": "oo", "value": {"@path": "$.a"}, "ignorecase": false}), json!("cWWl-story-ww")),
        json!("cool-story-ww")
    );
    assert_eq!(
        run(json!({"pattern": "AaB", "replacement": "nice", "value": {"@path": "$.a"}, "ignorecase": true}), json!("aab-----AaB---aab")),
        json!("nice-----nice---nice")
    );
    assert_eq!(run(with("_", ""), json!("nomore_underscore")), json!("nomoreunderscore"));
    assert_eq!(run(with("_", "weird"), json!("nomore_underscore")), json!("nomoreweirdunderscore"));
    assert_eq!(run(with("LOL", "YAY"), json!("Well Hello there LOL")), json!("Well Hello there YAY"));
    assert_eq!(
        run(json!({"pattern": "+", "replacement": "_", "value": {"@path": "$.a"}, "global": true}), json!("many+different+things")),
        json!("many_different_things")
    );
    assert_eq!(
        run(json!({"pattern": "+", "replacement": "_", "value": {"@path": "$.a"}, "global": false}), json!("many+different+things")),
        json!("many_different+things")
    );
    assert_eq!(run(with("aaabbbcccd", ""), json!("aaabbbcccd")), json!(""));
    assert_eq!(run(json!({"pattern": "many+", "value": {"@path": "$.a"}}), json!("many+different+things")), json!("different+things"));
    assert_eq!(run(with("true", "granted"), json!(true)), json!("granted"));
    assert_eq!(run(with("1", "granted"), json!(1)), json!("granted"));
    let two = json!({"pattern": "-", "replacement": " ", "pattern2": "great", "replacement2": "awesome", "value": {"@path": "$.a"}});
    assert_eq!(run(two, json!("something-great!")), json!("something awesome!"));
    let second_only = json!({"pattern": "true", "replacement": "granted", "pattern2": "false", "replacement2": "denied", "value": {"@path": "$.a"}});
    assert_eq!(run(second_only, json!(false)), json!("denied"));
    // Literal, not a regular expression; `$&` and `$$` mean what String.replace makes them mean.
    assert_eq!(run(with(".", "!"), json!("a.b.c")), json!("a!b!c"));
    assert_eq!(run(with("b", "[$&]"), json!("abc")), json!("a[b]c"));
    assert_eq!(run(with("b", "$$"), json!("abc")), json!("a$c"));
    assert_eq!(run(with("b", "$1"), json!("abc")), json!("a$1c"));
    let long = json!({"pattern": "a", "pattern2": "waytoolongpattern", "value": {"@path": "$.a"}});
    assert!(err(json!({"@replace": long}), json!({"a": "abc"})).contains("less than 10 characters"));
}

#[test]
fn merge() {
    for direction in ["left", "right"] {
        assert_eq!(ok(json!({"@merge": {"direction": direction, "objects": []}}), json!({})), json!({}));
        assert_eq!(ok(json!({"@merge": {"direction": direction, "objects": [{"cool": true}]}}), json!({})), json!({"cool": true}));
        assert!(err(json!({"@merge": {"direction": direction, "objects": {"oops": true}}}), json!({})).contains("@merge/objects should be an array"));
        assert!(err(json!({"@merge": {"direction": direction, "objects": [{}, 1]}}), json!({})).contains("should be an object"));
    }
    assert!(err(json!({"@merge": {"direction": "up", "objects": [{"oh": "yeah"}, {}]}}), json!({})).contains("should be one of left, right"));
    let foo = json!({"foo": {"bar": "baz", "hey": "you"}});
    let objects = json!([{"cool": true, "hey": "there"}, {"@path": "foo"}]);
    assert_eq!(ok(json!({"@merge": {"direction": "right", "objects": [{"cool": true}, {"cool": "you bet"}]}}), json!({})), json!({"cool": "you bet"}));
    assert_eq!(ok(json!({"@merge": {"direction": "left", "objects": [{"cool": true}, {"cool": "you bet"}]}}), json!({})), json!({"cool": true}));
    assert_eq!(ok(json!({"@merge": {"direction": "right", "objects": objects}}), foo.clone()), json!({"cool": true, "bar": "baz", "hey": "you"}));
    assert_eq!(ok(json!({"@merge": {"direction": "left", "objects": objects}}), foo.clone()), json!({"cool": true, "bar": "baz", "hey": "there"}));
    assert_eq!(ok(json!({"@merge": {"direction": "right", "objects": [{"@path": "$.hello"}, {"@path": "foo"}]}}), foo), json!({"bar": "baz", "hey": "you"}));
    assert!(err(json!({"@merge": {"direction": "left"}}), json!({})).contains("@merge should have field \"objects\""));
}

#[test]
fn transform_directive() {
    assert!(err(json!({"@transform": {"@path": {}}}), json!({"foo": "bar"})).contains("should be an object"));
    assert_eq!(
        ok(json!({"@transform": {"apply": {"foo": {"@path": "$.a"}}, "mapping": {"cool": {"@path": "$.foo"}}}}), json!({"a": 1, "b": 2})),
        json!({"cool": 1})
    );
    let data = json!({"properties": {"test": "value", "another": "thing", "nested": {"a": "special", "b": 2}}, "otherStuff": "foo", "more": "bar"});
    let flattened = json!({"properties": {"test": "value", "another": "thing", "nested_a": "special", "nested_b": 2}, "topLevel": "special"});
    let apply = json!({"properties": {"@flatten": {"value": {"@path": "$.properties"}, "separator": "_"}}});
    let mapping = json!({"properties": {"@path": "$.properties"}, "topLevel": {"@path": "$.properties.nested_a"}});
    assert_eq!(ok(json!({"@transform": {"apply": apply.clone(), "mapping": mapping.clone()}}), data.clone()), flattened);
    // The same through a root directive (index.test.ts, "when a root level directive is used").
    let mut rooted = mapping.clone();
    rooted["__segment_internal_directive"] = json!({"@transform": {"apply": apply}});
    assert_eq!(ok(rooted, data.clone()), flattened);
    assert!(err(json!({"@transform": {"mapping": {"cool": {"@path": "$.foo"}}}}), json!({})).contains("@transform should have field \"apply\""));
    assert!(err(json!({"@transform": {"apply": {"foo": 1}}}), json!({})).contains("@transform should have field \"mapping\""));
    assert!(err(json!({"@transform": "string"}), json!({})).contains("@transform should be an object but it is a string"));
    // Inside @arrayPath the data may not be an object: the reference throws.
    let inside = json!({"x": {"@arrayPath": ["$.list", {"@transform": {"apply": {"a": 1}, "mapping": {"b": {"@path": "a"}}}}]}});
    assert!(err(inside, json!({"list": ["s"]})).contains("data must be an object, got string"));
}

#[test]
fn exclude_when_null() {
    let data = json!({"foo": {"bar": null, "aces": {"a": 1, "b": 2}}});
    assert_eq!(ok(json!({"someFieldToExclude": {"@excludeWhenNull": {"@path": "$.foo.bar"}}}), data.clone()), json!({}));
    assert_eq!(
        ok(json!({"someFieldToExclude": {"@excludeWhenNull": {"@path": "$.foo.bar"}}, "anotherField": {"@path": "$.foo.aces.a"}}), data.clone()),
        json!({"anotherField": 1})
    );
    assert_eq!(ok(json!({"neat": {"@excludeWhenNull": {"@path": "$.foo"}}}), data.clone()), json!({"neat": data["foo"]}));
    let transform_null = json!({"empty": {"@transform": {
        "apply": {"properties": {"@excludeWhenNull": {"@path": "$.properties"}}},
        "mapping": {"properties": {"@path": "$.properties"}, "topLevel": {"@path": "$.properties.nested_a"}}
    }}});
    assert_eq!(ok(transform_null, data.clone()), json!({"empty": {}}));
    let massive = json!({"massive": {
        "pathNull": {"@excludeWhenNull": {"@path": "$.foo.bar"}},
        "templateEmpty": {"@excludeWhenNull": {"@template": "{{foo.bar}}"}},
        "literalNull": {"@excludeWhenNull": {"@literal": null}},
        "ifNull": {"@excludeWhenNull": {"@if": {"exists": {"@path": "$.foo.foobar"}, "then": 1, "else": null}}},
        "caseNull": {"@excludeWhenNull": {"@case": {"operator": "upper", "value": {"@path": "$.foo.bar"}}}},
        "replaceNull": {"@excludeWhenNull": {"@replace": {"pattern": "-", "replacement": "nice", "value": {"@path": "$.foo.bar"}}}},
        "jsonNull": {"@excludeWhenNull": {"@json": {"mode": "decode", "value": {"@path": "$.foo.bar"}}}},
        "transformNull": {"@excludeWhenNull": {"@transform": {
            "apply": {"properties": {"@path": "$.foo.bar"}},
            "mapping": {"properties": {"@excludeWhenNull": {"@path": "$.properties"}}}
        }}},
        "transformNull2": {"@excludeWhenNull": {"@transform": {
            "apply": {"properties": {"@excludeWhenNull": {"@path": "$.foo.bar"}}},
            "mapping": {"properties": {"@path": "$.properties"}}
        }}},
        "jsonNullEncode": {"@excludeWhenNull": {"@json": {"mode": "encode", "value": {"@path": "$.foo.bar"}}}},
        "transformValue": {"@excludeWhenNull": {"@transform": {
            "apply": {"properties": {"@path": "$.foo.bar"}},
            "mapping": {"properties": {"@path": "$.properties"}}
        }}}
    }});
    assert_eq!(
        ok(massive, data),
        json!({"massive": {
            "templateEmpty": "", "jsonNullEncode": "null", "replaceNull": "",
            "transformNull": {}, "transformNull2": {}, "transformValue": {"properties": null}
        }})
    );
}

#[test]
fn liquid_is_not_implemented() {
    let e = Mapping::parse(&json!({"ios_advertising_id": {"@liquid": "{% if context.device.advertisingId %}x{% endif %}"}})).unwrap_err();
    assert_eq!(e.pointer, "/ios_advertising_id");
    assert!(e.message.contains("@liquid") && e.message.contains("not implement"), "{e}");
}

#[test]
fn mapping_errors_point_into_the_mapping() {
    let e = Mapping::parse(&json!({"id": {"@if": {"exists": {"@path": "$.userId"}, "then": {"@oops": 1}}}})).unwrap_err();
    assert_eq!((e.pointer.as_str(), e.message.as_str()), ("/id/@if/then", "has an invalid directive: @oops"));
    assert_eq!(e.to_string(), "/id/@if/then has an invalid directive: @oops.");
    let all = Mapping::errors(&json!({"a": {"@path": 1}, "b": {"@path": "$.x", "@template": "y"}, "c": {"@path": "$.x", "c": 1}}));
    let shown: Vec<String> = all.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "/a/@path should be a string or a mapping directive but it is a number.",
            "/b should only have one @-prefixed key but it has 2 keys.",
            "/c should only have one @-prefixed key but it has 2 keys."
        ]
    );
}

#[test]
fn resolve_is_lenient_where_try_resolve_fails() {
    let mapping = Mapping::parse(&json!({"ok": {"@path": "$.a"}, "bad": {"@json": {"mode": "decode", "value": {"@path": "$.b"}}}})).unwrap();
    let call = json!({"a": 1, "b": "{nope"});
    assert!(mapping.try_resolve(&call).is_err());
    assert_eq!(mapping.resolve(&call), json!({"ok": 1}));
    assert_eq!(mapping.resolve(&json!("not an object")), json!({}));
}

// ---------------------------------------------------------------------------------------------
// The reference destinations and the seed's calls.

fn destination_dirs() -> Vec<PathBuf> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let dirs: Vec<PathBuf> = [root.join("../shared/reference/destinations"), root.join("destinations")].into_iter().filter(|d| d.is_dir()).collect();
    assert!(!dirs.is_empty(), "no destination files found");
    dirs
}

fn destination(name: &str) -> Value {
    let path = destination_dirs()[0].join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn preset<'d>(dest: &'d Value, name: &str) -> (&'d Value, BTreeMap<String, Field>) {
    let preset = dest["presets"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no preset {name}"));
    let action = preset["action"].as_str().unwrap();
    (&preset["mapping"], fields_from_json(&dest["actions"][action]["fields"]).unwrap())
}

fn seed(call: &str) -> Value {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("examples/seed").join(format!("{call}.json"));
    let text = std::fs::read_to_string(path).unwrap();
    // The seed's identify keeps a trailing comma on purpose (a negative example); remove it.
    let text = text.replace(",\n}", "\n}");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v.as_object_mut().unwrap().entry("type").or_insert_with(|| json!(call));
    v
}

#[test]
fn every_preset_mapping_and_field_default_parses() {
    let mut presets = 0;
    for dir in destination_dirs() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let dest: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for preset in dest["presets"].as_array().into_iter().flatten() {
                if let Err(e) = Mapping::parse(&preset["mapping"]) {
                    panic!("{}: preset {}: {e}", path.display(), preset["name"]);
                }
                presets += 1;
            }
            for (action, a) in dest["actions"].as_object().unwrap() {
                let fields = fields_from_json(&a["fields"]).unwrap_or_else(|e| panic!("{}: {action}: {e}", path.display()));
                for (name, field) in &fields {
                    if let Some(default) = &field.default {
                        Mapping::parse(default).unwrap_or_else(|e| panic!("{}: {action}.{name} default: {e}", path.display()));
                    }
                }
            }
        }
    }
    assert!(presets >= 26, "{presets}");
}

#[test]
fn customerio_presets_on_the_seed_calls() {
    let cio = destination("customerio");
    let run = |preset_name: &str, call: &Value| {
        let (mapping, fields) = preset(&cio, preset_name);
        let mapping = Mapping::parse(mapping).unwrap();
        let payload = mapping.resolve(call);
        assert_eq!(mapping.try_resolve(call).unwrap(), payload);
        let check = check_fields(&payload, &fields);
        (remove_empty_values(&payload, &fields), check)
    };

    let identify = seed("identify");
    let (person, check) = run("Create or Update Person", &identify);
    assert_eq!(person["id"], "97980cfea0067");
    assert_eq!(person["email"], "cool.person@example.com");
    assert_eq!(person["custom_attributes"], identify["traits"]);
    assert_eq!(person["convert_timestamp"], true);
    assert!(person.get("anonymous_id").is_none() && person.get("created_at").is_none());
    assert!(check.is_ok(), "{check:?}");

    // Without userId, the person's id falls back to the email (the @if's else).
    let mut anonymous = identify.clone();
    anonymous.as_object_mut().unwrap().remove("userId");
    assert_eq!(run("Create or Update Person", &anonymous).0["id"], "cool.person@example.com");

    let track = seed("track");
    let (event, check) = run("Track Event", &track);
    assert_eq!(event["name"], "Course Enrolled");
    assert_eq!(event["data"], track["properties"]);
    assert_eq!(event["event_id"], "i6yatl");
    assert_eq!(event["id"], "97980cfea0067");
    assert!(check.is_ok(), "{check:?}");

    let page = seed("page");
    let (view, check) = run("Track Page View", &page);
    assert_eq!(view["url"], "https://www.example.com");
    assert!(check.is_ok(), "{check:?}");

    let screen = seed("screen");
    let (view, check) = run("Track Screen View", &screen);
    assert_eq!(view["name"], "home");
    assert!(check.is_ok(), "{check:?}");
    let mut nameless = screen.clone();
    nameless.as_object_mut().unwrap().remove("name");
    let (_, check) = run("Track Screen View", &nameless);
    assert_eq!(check.missing, ["name"]);

    let group = seed("group");
    let (object, check) = run("Create or Update Object", &group);
    assert_eq!(object["id"], "example-company");
    assert_eq!(object["user_id"], "97980cfea0067");
    assert!(check.is_ok(), "{check:?}");

    let alias = seed("alias");
    assert_eq!(alias["type"], "alias");
    let (merge, check) = run("Merge People", &alias);
    assert_eq!((&merge["primary"], &merge["secondary"]), (&json!("97980cfea0067"), &json!("sqsv42VjV1e2d8ha2SHxM6")));
    assert!(check.is_ok(), "{check:?}");

    let mut installed = track.clone();
    installed["event"] = json!("Application Installed");
    let (device, check) = run("Create or Update Device", &installed);
    assert_eq!(device["person_id"], "97980cfea0067");
    assert!(check.missing.contains(&"device_id".to_owned()), "{check:?}");
    let mut with_token = installed.clone();
    with_token["context"] = json!({"device": {"token": "ff15bc", "type": "ios"}, "app": {"version": "2.1"}});
    let (device, check) = run("Create or Update Device", &with_token);
    assert_eq!((&device["device_id"], &device["platform"], &device["app_version"]), (&json!("ff15bc"), &json!("ios"), &json!("2.1")));
    assert!(check.is_ok(), "{check:?}");

    // Explanations say why a field is missing.
    let (mapping, fields) = preset(&cio, "Create or Update Device");
    let explained = Mapping::parse(mapping).unwrap().explain_for(&installed, &fields);
    let device_id = explained.iter().find(|r| r.key == "device_id").unwrap();
    assert_eq!(device_id.directive, "@path");
    assert_eq!(
        device_id.outcome,
        Outcome::Nothing(Nothing::PathMissing { path: "$.context.device.token".into(), found: String::new(), missing: "context".into() })
    );
    assert_eq!(device_id.outcome.to_string(), "nothing: `$.context.device.token` is not in the call (it has no `context`)");
    let person_id = explained.iter().find(|r| r.key == "person_id").unwrap();
    assert_eq!(person_id.outcome, Outcome::Value(json!("97980cfea0067")));
}

#[test]
fn explain_reports_each_field() {
    let mapping = Mapping::parse(&json!({
        "id": {"@if": {"exists": {"@path": "$.userId"}, "then": {"@path": "$.userId"}, "else": {"@path": "$.traits.email"}}},
        "email": {"@template": "{{traits.email}}"},
        "nullable": {"@path": "$.traits.nothing"},
        "gone": {"@excludeWhenNull": {"@path": "$.traits.nothing"}},
        "batch_size": 50,
        "bad": {"@json": {"mode": "decode", "value": {"@path": "$.traits.raw"}}}
    }))
    .unwrap();
    let call = json!({"type": "identify", "traits": {"nothing": null, "raw": "{"}});
    let fields = fields_from_json(&json!({
        "id": {"type": "string"}, "email": {"type": "string"}, "nullable": {"type": "string"}, "gone": {"type": "string"}, "bad": {"type": "object"}
    }))
    .unwrap();
    let by_key: BTreeMap<String, Outcome> = mapping.explain_for(&call, &fields).into_iter().map(|r| (r.key, r.outcome)).collect();
    assert_eq!(by_key["id"], Outcome::Nothing(Nothing::PathMissing { path: "$.traits.email".into(), found: "traits".into(), missing: "email".into() }));
    assert!(matches!(&by_key["email"], Outcome::Dropped { value, .. } if value == ""));
    assert!(matches!(&by_key["nullable"], Outcome::Dropped { value: Value::Null, reason } if reason.contains("does not allow null")));
    assert_eq!(by_key["gone"], Outcome::Nothing(Nothing::ExcludedNull));
    assert!(matches!(&by_key["batch_size"], Outcome::Dropped { reason, .. } if reason.contains("not a field")));
    assert!(matches!(&by_key["bad"], Outcome::Failed(e) if e.pointer == "/bad"));
    // Without fields, null is a value.
    let plain: BTreeMap<String, Outcome> = mapping.explain(&call).into_iter().map(|r| (r.key, r.outcome)).collect();
    assert_eq!(plain["nullable"], Outcome::Value(Value::Null));
    assert_eq!(plain["batch_size"], Outcome::Value(json!(50)));
}

#[test]
fn amplitude_products_and_datetime_fields() {
    let amplitude = destination("amplitude");
    let fields = fields_from_json(&amplitude["actions"]["logPurchase"]["fields"]).unwrap();
    let mapping = Mapping::parse(&fields["products"].default.clone().unwrap()).unwrap();
    let call = json!({"type": "track", "event": "Order Completed", "properties": {"products": [{"price": 5, "productId": "p1"}, {"quantity": 2}]}});
    assert_eq!(mapping.resolve(&call), json!([{"price": 5, "productId": "p1"}, {"quantity": 2}]));
    let payload = json!({"event_type": "Order Completed", "products": [{"price": 5}], "time": "2022-11-24T22:56:14.144Z", "quantity": "2", "user_id": null});
    assert!(check_fields(&payload, &fields).is_ok());
    let bad = check_fields(&json!({"event_type": "x", "time": "yesterday", "quantity": "two"}), &fields);
    let names: Vec<&str> = bad.invalid.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["quantity", "time"]);
}

// ---------------------------------------------------------------------------------------------
// Robustness: no mapping and no call makes parse, resolve, explain or check panic.

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z$.\\[\\]'\"0-9{} ]{0,12}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const DIRECTIVES: [&str; 14] = [
    "@path",
    "@if",
    "@template",
    "@literal",
    "@arrayPath",
    "@case",
    "@replace",
    "@json",
    "@flatten",
    "@merge",
    "@transform",
    "@excludeWhenNull",
    "@liquid",
    "@oops",
];
const OPTION_KEYS: [&str; 17] = [
    "exists",
    "blank",
    "then",
    "else",
    "operator",
    "value",
    "pattern",
    "replacement",
    "pattern2",
    "mode",
    "separator",
    "omitArrays",
    "objects",
    "direction",
    "apply",
    "mapping",
    "global",
];

fn mapping_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        json_leaf(),
        "\\$\\.[a-z]{1,3}(\\.[a-z0-9]{1,3}){0,2}".prop_map(|p| json!({"@path": p})),
        "[a-z{} .]{0,10}".prop_map(|t| json!({"@template": t})),
    ];
    leaf.prop_recursive(4, 64, 5, |inner| {
        prop_oneof![
            (prop::sample::select(DIRECTIVES.to_vec()), inner.clone()).prop_map(|(d, v)| json!({ d: v })),
            (prop::sample::select(DIRECTIVES.to_vec()), prop::collection::btree_map(prop::sample::select(OPTION_KEYS.to_vec()), inner.clone(), 0..5))
                .prop_map(|(d, m)| json!({ d: Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()) })),
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_fields() -> impl Strategy<Value = BTreeMap<String, Field>> {
    let kind = prop::sample::select(vec!["string", "text", "password", "number", "integer", "boolean", "datetime", "object"]);
    let field = (kind, any::<bool>(), any::<bool>(), any::<bool>(), prop::option::of(prop::collection::vec(json_leaf(), 0..3)))
        .prop_map(|(k, required, allow_null, multiple, choices)| json!({"type": k, "required": required, "allowNull": allow_null, "multiple": multiple, "choices": choices}));
    prop::collection::btree_map("[a-z]{1,3}", field, 0..5).prop_map(|m| fields_from_json(&Value::Object(m.into_iter().collect())).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn nothing_panics(mapping in mapping_value(), call in json_value(), fields in any_fields()) {
        let _ = Mapping::errors(&mapping);
        if let Ok(m) = Mapping::parse(&mapping) {
            let payload = m.resolve(&call);
            let strict = m.try_resolve(&call);
            if let Ok(strict) = &strict {
                prop_assert_eq!(strict, &payload);
            }
            let _ = m.explain(&call);
            let _ = m.explain_for(&call, &fields);
            let check = check_fields(&payload, &fields);
            let cleaned = remove_empty_values(&payload, &fields);
            prop_assert_eq!(&remove_empty_values(&cleaned, &fields), &cleaned, "removal is idempotent");
            prop_assert_eq!(check_fields(&cleaned, &fields), check);
        }
    }

    #[test]
    fn strings_never_panic_the_date_and_path_code(s in "\\PC{0,24}", call in json_value()) {
        let fields = fields_from_json(&json!({"d": {"type": "datetime"}, "u": {"type": "string", "format": "uri"}})).unwrap();
        let _ = check_fields(&json!({"d": s, "u": s}), &fields);
        if let Ok(m) = Mapping::parse(&json!({"p": {"@path": s}, "t": {"@template": s}, "r": {"@replace": {"pattern": "a", "value": s}}})) {
            let _ = m.resolve(&call);
        }
    }
}
