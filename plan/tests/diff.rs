//! `plan diff` on the bundled example plan: each kind of breaking change, the same changes made
//! safe by a version bump, and non-breaking changes.

use cdpspec_plan::diff::{Change, diff};
use cdpspec_plan::{EventVersion, Plan, load};
use serde_json::json;

fn courses() -> Plan {
    load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"))).unwrap()
}

fn breaking(changes: &[Change]) -> Vec<(&str, &str)> {
    changes.iter().filter(|c| c.breaking).map(|c| (c.location.as_str(), c.message.as_str())).collect()
}

/// The newest version of `event`'s properties schema, for editing.
fn latest<'a>(plan: &'a mut Plan, event: &str) -> &'a mut serde_json::Value {
    let e = plan.events.iter_mut().find(|e| e.name == event).unwrap();
    let v = e.versions.iter_mut().max_by_key(|v| v.version).unwrap();
    v.rule.properties.as_mut().unwrap()
}

#[test]
fn identical_plans_have_no_changes() {
    assert_eq!(diff(&courses(), &courses()), vec![]);
}

/// A change made to a plan.
type Edit = Box<dyn Fn(&mut Plan)>;

#[test]
fn each_breaking_change_is_marked() {
    let old = courses();
    let cases: Vec<(&str, Edit, (&str, &str))> = vec![
        (
            "event removed",
            Box::new(|p: &mut Plan| p.events.retain(|e| e.name != "Subscription Renewed")),
            ("events/Subscription Renewed", "event `Subscription Renewed` removed"),
        ),
        (
            "property removed",
            Box::new(|p: &mut Plan| {
                latest(p, "Order Completed")["properties"].as_object_mut().unwrap().remove("products");
            }),
            ("events/Order Completed/properties.products", "property `products` removed"),
        ),
        (
            "property retyped",
            Box::new(|p: &mut Plan| latest(p, "Order Completed")["properties"]["order_id"]["type"] = json!("integer")),
            ("events/Order Completed/properties.order_id", "retyped from string to integer"),
        ),
        (
            "new required property",
            Box::new(|p: &mut Plan| {
                let props = latest(p, "Order Completed");
                props["properties"]["coupon"] = json!({"type": "string"});
                props["required"].as_array_mut().unwrap().push(json!("coupon"));
            }),
            ("events/Order Completed/properties.coupon", "new required property `coupon`"),
        ),
        (
            "narrowed enum",
            Box::new(|p: &mut Plan| latest(p, "Course Enrolled")["properties"]["level"]["enum"] = json!(["beginner", "advanced"])),
            ("events/Course Enrolled/properties.level", "enum narrowed: \"intermediate\" removed"),
        ),
        (
            "identify trait narrowed",
            Box::new(|p: &mut Plan| p.identify.as_mut().unwrap().traits.as_mut().unwrap()["properties"]["plan"]["enum"] = json!(["free"])),
            ("identify/traits.plan", "enum narrowed: \"premium\", \"enterprise\" removed"),
        ),
        (
            "tightened range",
            Box::new(|p: &mut Plan| latest(p, "Order Completed")["properties"]["revenue"]["minimum"] = json!(1)),
            ("events/Order Completed/properties.revenue", "minimum tightened to 1"),
        ),
    ];
    for (name, edit, expected) in cases {
        let mut new = old.clone();
        edit(&mut new);
        let changes = diff(&old, &new);
        assert_eq!(breaking(&changes), vec![expected], "{name}: {changes:#?}");
    }
}

#[test]
fn a_version_bump_makes_event_changes_safe() {
    let old = courses();
    let mut new = old.clone();
    let event = new.events.iter_mut().find(|e| e.name == "Order Completed").unwrap();
    let mut v2: EventVersion = event.versions[0].clone();
    v2.version = 2;
    let props = v2.rule.properties.as_mut().unwrap();
    props["properties"]["order_id"]["type"] = json!("integer");
    props["properties"]["coupon"] = json!({"type": "string"});
    props["required"].as_array_mut().unwrap().push(json!("coupon"));
    event.versions.push(v2);
    let changes = diff(&old, &new);
    assert_eq!(breaking(&changes), Vec::<(&str, &str)>::new(), "{changes:#?}");
    let messages: Vec<&str> = changes.iter().map(|c| c.message.as_str()).collect();
    assert!(messages.contains(&"new version v2 (was v1)"), "{messages:?}");
    assert!(messages.contains(&"retyped from string to integer (versioned)"), "{messages:?}");
    assert!(messages.contains(&"new required property `coupon` (versioned)"), "{messages:?}");
}

#[test]
fn widening_changes_are_not_breaking() {
    let old = courses();
    let mut new = old.clone();
    latest(&mut new, "Course Enrolled")["properties"]["level"]["enum"] = json!(["beginner", "intermediate", "advanced", "expert"]);
    latest(&mut new, "Order Completed")["properties"]["note"] = json!({"type": "string"});
    latest(&mut new, "Order Completed")["properties"]["order_id"]["type"] = json!(["string", "integer"]);
    new.events.push(cdpspec_plan::Event { name: "Course Completed".into(), ..Default::default() });
    let changes = diff(&old, &new);
    assert_eq!(breaking(&changes), Vec::<(&str, &str)>::new(), "{changes:#?}");
    assert_eq!(changes.len(), 4, "{changes:#?}");
}

// ---- `$ref`, `$defs` and combinators: schemas are compared as they resolve ----

/// A plan with one event, `Order Completed` v1, whose properties schema is `properties`.
fn order(properties: serde_json::Value) -> Plan {
    let plan = json!({"name": "Shop", "events": [{"name": "Order Completed", "versions": [{"version": 1, "properties": properties}]}]});
    serde_json::from_value(plan).unwrap()
}

/// Every change as (location, message, breaking).
fn all(changes: &[Change]) -> Vec<(&str, &str, bool)> {
    changes.iter().map(|c| (c.location.as_str(), c.message.as_str(), c.breaking)).collect()
}

/// The diff of two properties schemas of `Order Completed`.
fn diff_properties(old: serde_json::Value, new: serde_json::Value) -> Vec<Change> {
    diff(&order(old), &order(new))
}

/// A product of an order.
fn product() -> serde_json::Value {
    json!({"type": "object", "properties": {"product_id": {"type": "string"}, "price": {"type": "number", "minimum": 0}}, "required": ["product_id", "price"]})
}

/// An order whose products are `product`, written inline.
fn inline_products(product: serde_json::Value) -> serde_json::Value {
    json!({"type": "object", "properties": {"order_id": {"type": "string"}, "products": {"type": "array", "items": product}}, "required": ["order_id"]})
}

/// An order whose products are `product`, kept in `$defs`.
fn products_in_defs(product: serde_json::Value) -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {"order_id": {"type": "string"}, "products": {"type": "array", "items": {"$ref": "#/$defs/product"}}},
        "required": ["order_id"],
        "$defs": {"product": product}
    })
}

const PRICE: &str = "events/Order Completed/properties.products[].price";

#[test]
fn a_retyped_property_inside_defs_breaks_where_payloads_see_it() {
    let mut retyped = product();
    retyped["properties"]["price"]["type"] = json!("string");
    let changes = diff_properties(products_in_defs(product()), products_in_defs(retyped));
    assert_eq!(breaking(&changes), vec![(PRICE, "retyped from number to string")], "{changes:#?}");
}

#[test]
fn a_new_required_property_inside_defs_breaks() {
    let mut with_sku = product();
    with_sku["properties"]["sku"] = json!({"type": "string"});
    with_sku["required"].as_array_mut().unwrap().push(json!("sku"));
    let changes = diff_properties(products_in_defs(product()), products_in_defs(with_sku.clone()));
    assert_eq!(breaking(&changes), vec![("events/Order Completed/properties.products[].sku", "new required property `sku`")], "{changes:#?}");
    // The same change made while moving the schema into `$defs`.
    let changes = diff_properties(inline_products(product()), products_in_defs(with_sku));
    assert_eq!(breaking(&changes), vec![("events/Order Completed/properties.products[].sku", "new required property `sku`")], "{changes:#?}");
}

#[test]
fn moving_a_schema_into_defs_and_back_is_no_change() {
    assert_eq!(diff_properties(inline_products(product()), products_in_defs(product())), vec![]);
    assert_eq!(diff_properties(products_in_defs(product()), inline_products(product())), vec![]);

    // The bundled plan, its products moved into `$defs` (the report's "property price removed").
    let old = courses();
    let mut new = old.clone();
    let props = latest(&mut new, "Order Completed");
    let items = props["properties"]["products"]["items"].take();
    props["properties"]["products"]["items"] = json!({"$ref": "#/$defs/product"});
    props["$defs"] = json!({"product": items});
    assert_eq!(diff(&old, &new), vec![]);
    assert_eq!(diff(&new, &old), vec![]);
}

#[test]
fn every_spelling_of_a_reference_resolves() {
    let inline = inline_products(product());
    let (properties, required) = (product()["properties"].clone(), product()["required"].clone());
    // (where the definitions live, their entries, the products' `items`)
    let spellings = [
        // draft-07 `definitions`
        ("definitions", json!({"product": product()}), json!({"$ref": "#/definitions/product"})),
        // a name with `/`, `~` and a space: JSON-pointer and percent escapes
        ("$defs", json!({"a/b~c d": product()}), json!({"$ref": "#/$defs/a~1b~0c%20d"})),
        // a `$ref` beside annotations, and wrapped in `allOf` as draft-07 exports write it
        ("$defs", json!({"p": product()}), json!({"$ref": "#/$defs/p", "description": "A product."})),
        ("$defs", json!({"p": product()}), json!({"allOf": [{"$ref": "#/$defs/p"}], "title": "Product"})),
        // a chain of references
        ("$defs", json!({"alias": {"$ref": "#/$defs/p"}, "p": product()}), json!({"$ref": "#/$defs/alias"})),
        // an anchor
        ("$defs", json!({"p": {"$anchor": "product", "type": "object", "properties": properties, "required": required}}), json!({"$ref": "#product"})),
        // a `$ref` with sibling assertions: allOf(target, siblings)
        ("$defs", json!({"p": {"type": "object", "properties": properties, "required": ["product_id"]}}), json!({"$ref": "#/$defs/p", "required": ["price"]})),
    ];
    for (container, defs, items) in spellings {
        let mut spelled = inline.clone();
        spelled["properties"]["products"]["items"] = items;
        spelled[container] = defs;
        assert_eq!(diff_properties(inline.clone(), spelled.clone()), vec![], "{spelled:#}");
        assert_eq!(diff_properties(spelled.clone(), inline.clone()), vec![], "{spelled:#}");
    }
    // A pointer to another place of the section schema.
    let shared = json!({"type": "object", "properties": {"a": {"type": "string", "maxLength": 3}, "b": {"$ref": "#/properties/a"}}});
    let copied = json!({"type": "object", "properties": {"a": {"type": "string", "maxLength": 3}, "b": {"type": "string", "maxLength": 3}}});
    assert_eq!(diff_properties(shared, copied), vec![]);
}

#[test]
fn a_shared_definition_is_reported_at_each_place_that_uses_it() {
    let order = |street: &str| {
        json!({
            "type": "object",
            "properties": {"billing": {"$ref": "#/$defs/address"}, "shipping": {"$ref": "#/$defs/address"}},
            "$defs": {"address": {"type": "object", "properties": {"street": {"type": street}}}}
        })
    };
    let changes = diff_properties(order("string"), order("integer"));
    assert_eq!(
        breaking(&changes),
        vec![
            ("events/Order Completed/properties.billing.street", "retyped from string to integer"),
            ("events/Order Completed/properties.shipping.street", "retyped from string to integer"),
        ],
        "{changes:#?}"
    );
    // A definition nothing uses is no payload's concern.
    let mut unused = order("string");
    unused["$defs"]["unused"] = json!({"type": "string"});
    let mut changed = unused.clone();
    changed["$defs"]["unused"] = json!({"type": "integer"});
    assert_eq!(diff_properties(unused, changed), vec![]);
}

#[test]
fn recursive_references_terminate() {
    let tree = |value_type: &str, name: &str| {
        let node = json!({
            "type": "object",
            "properties": {"value": {"type": value_type}, "children": {"type": "array", "items": {"$ref": format!("#/$defs/{name}")}}},
            "required": ["value"]
        });
        json!({"type": "object", "properties": {"root": {"$ref": format!("#/$defs/{name}")}}, "$defs": {name: node}})
    };
    assert_eq!(diff_properties(tree("string", "node"), tree("string", "node")), vec![]);
    assert_eq!(diff_properties(tree("string", "node"), tree("string", "tree_node")), vec![], "renaming a definition is no change");
    let changes = diff_properties(tree("string", "node"), tree("integer", "tree_node"));
    assert!(breaking(&changes).contains(&("events/Order Completed/properties.root.value", "retyped from string to integer")), "{changes:#?}");
    assert!(changes.iter().all(|c| !c.location.contains("$defs")), "{changes:#?}");

    // Mutual recursion, a definition that is only itself, and an `allOf` that loops.
    let mutual = json!({"$ref": "#/$defs/a", "$defs": {"a": {"type": "object", "properties": {"b": {"$ref": "#/$defs/b"}}}, "b": {"type": "object", "properties": {"a": {"$ref": "#/$defs/a"}}}}});
    let itself = json!({"type": "object", "properties": {"x": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"$ref": "#/$defs/x"}}});
    let looping =
        json!({"$defs": {"l": {"type": "object", "allOf": [{"$ref": "#/$defs/l"}], "properties": {"n": {"$ref": "#/$defs/l"}}}}, "$ref": "#/$defs/l"});
    for schema in [mutual, itself, looping] {
        assert_eq!(diff_properties(schema.clone(), schema.clone()), vec![], "{schema:#}");
        let _ = diff_properties(schema.clone(), tree("string", "node"));
        let _ = diff_properties(tree("string", "node"), schema);
    }
}

#[test]
fn malformed_references_are_reported_not_panicked_on() {
    let with_ref = |reference: serde_json::Value| json!({"type": "object", "properties": {"p": {"$ref": reference}}, "$defs": {"p": {"type": "string"}}});
    let good = with_ref(json!("#/$defs/p"));
    for reference in [
        json!("#/$defs/missing"),
        json!("#/$defs/%zz"),
        json!("#/$defs/%"),
        json!("#/$defs/%C3"),
        json!("#/properties/p/0/x"),
        json!("#nowhere"),
        json!("other.json#/x"),
        json!(""),
        json!(42),
    ] {
        let broken = with_ref(reference.clone());
        assert_eq!(diff_properties(broken.clone(), broken.clone()), vec![], "{reference}");
        let changes = diff_properties(good.clone(), broken.clone());
        assert!(changes.iter().any(|c| c.breaking && c.message.starts_with("unresolved $ref")), "{reference}: {changes:#?}");
        let changes = diff_properties(broken, good.clone());
        assert!(changes.iter().any(|c| c.breaking && c.message.starts_with("unresolved $ref")), "{reference}: {changes:#?}");
    }
    let changes = diff_properties(good.clone(), with_ref(json!("#/$defs/missing")));
    assert_eq!(all(&changes), vec![("events/Order Completed/properties.p", "unresolved $ref `#/$defs/missing`: cannot compare", true)], "{changes:#?}");
    // Values that are not schemas.
    let odd = json!({"type": "object", "properties": {"p": 3, "q": [1], "r": null}});
    assert_eq!(diff_properties(odd.clone(), odd.clone()), vec![]);
    assert!(!breaking(&diff_properties(good, odd)).is_empty());
}

#[test]
fn any_of_branches() {
    let id = |branches: serde_json::Value| json!({"type": "object", "properties": {"id": {"anyOf": branches}}});
    let base = id(json!([{"type": "string"}, {"type": "integer"}]));
    const ID: &str = "events/Order Completed/properties.id";
    let cases = [
        (json!([{"type": "string"}]), vec![(ID, "anyOf branch 1 removed", true)]),
        (json!([{"type": "string"}, {"type": "integer"}, {"type": "null"}]), vec![(ID, "anyOf branch 2 added", false)]),
        (json!([{"type": "string", "maxLength": 5}, {"type": "integer"}]), vec![(ID, "anyOf branch 0: maxLength tightened to 5", true)]),
        (json!([{"type": "integer"}, {"type": "string"}]), vec![]),
    ];
    for (branches, expected) in cases {
        let changes = diff_properties(base.clone(), id(branches));
        assert_eq!(all(&changes), expected, "{changes:#?}");
    }
    // A branch inside `$defs`, narrowed.
    let in_defs = |max: u32| json!({"type": "object", "properties": {"id": {"anyOf": [{"$ref": "#/$defs/code"}, {"type": "integer"}]}}, "$defs": {"code": {"type": "string", "maxLength": max}}});
    let changes = diff_properties(in_defs(10), in_defs(8));
    assert_eq!(all(&changes), vec![(ID, "anyOf branch 0: maxLength tightened to 8", true)], "{changes:#?}");
    // `anyOf` added to an unconstrained place narrows it.
    let changes = diff_properties(json!({"type": "object", "properties": {"id": {}}}), base.clone());
    assert!(!breaking(&changes).is_empty(), "{changes:#?}");
    let changes = diff_properties(base, json!({"type": "object", "properties": {"id": {}}}));
    assert_eq!(all(&changes), vec![(ID, "`anyOf` removed", false)], "{changes:#?}");
}

#[test]
fn one_of_branches() {
    let payment = |branches: serde_json::Value| json!({"type": "object", "properties": {"payment": {"oneOf": branches}}});
    let kind = |k: &str| json!({"type": "object", "properties": {"kind": {"const": k}, "reference": {"type": "string"}}, "required": ["kind"]});
    let base = payment(json!([kind("card"), kind("bank")]));
    const PAYMENT: &str = "events/Order Completed/properties.payment";
    let changes = diff_properties(base.clone(), payment(json!([kind("card"), kind("bank"), kind("cash")])));
    assert_eq!(all(&changes), vec![(PAYMENT, "oneOf branch 2 added", false)], "a branch excluding the others widens: {changes:#?}");
    let changes = diff_properties(base.clone(), payment(json!([kind("card"), kind("bank"), {"type": "object"}])));
    assert_eq!(all(&changes), vec![(PAYMENT, "oneOf branch 2 added: a call may now match more than one branch", true)], "{changes:#?}");
    let changes = diff_properties(base.clone(), payment(json!([kind("card")])));
    assert_eq!(all(&changes), vec![(PAYMENT, "oneOf branch 1 removed", true)], "{changes:#?}");
    // Widening a branch so that it overlaps another.
    let mut wide = kind("bank");
    wide["properties"]["kind"] = json!({"enum": ["bank", "card"]});
    let changes = diff_properties(base.clone(), payment(json!([kind("card"), wide])));
    assert!(all(&changes).contains(&(PAYMENT, "oneOf branch 1 widened: a call may now match more than one branch", true)), "{changes:#?}");
    // Widening it without overlap.
    let mut wide = kind("bank");
    wide["properties"]["kind"] = json!({"enum": ["bank", "transfer"]});
    let changes = diff_properties(base, payment(json!([kind("card"), wide])));
    assert_eq!(breaking(&changes), Vec::<(&str, &str)>::new(), "{changes:#?}");
}

#[test]
fn all_of_branches() {
    const N: &str = "events/Order Completed/properties.n";
    let object = |n: serde_json::Value| json!({"type": "object", "properties": {"n": n}});
    // Branches that merge are compared as one schema.
    let changes = diff_properties(
        json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "allOf": [{"required": ["a"]}]}),
    );
    assert_eq!(all(&changes), vec![("events/Order Completed/properties.a", "property `a` now required", true)], "{changes:#?}");
    // Branches that cannot merge (two minimums) are compared as branches.
    let (plain, tightened) = (object(json!({"type": "number", "minimum": 0})), object(json!({"type": "number", "minimum": 0, "allOf": [{"minimum": 5}]})));
    let changes = diff_properties(plain.clone(), tightened.clone());
    assert_eq!(all(&changes), vec![(N, "allOf branch added", true)], "{changes:#?}");
    let changes = diff_properties(tightened.clone(), plain);
    assert_eq!(all(&changes), vec![(N, "allOf branch removed", false)], "{changes:#?}");
    let changes = diff_properties(tightened, object(json!({"type": "number", "minimum": 0, "allOf": [{"minimum": 6}]})));
    assert_eq!(all(&changes), vec![(N, "allOf branch: minimum tightened to 6", true)], "{changes:#?}");
    // A `$ref` whose target closes its object with `additionalProperties: false` is not merged
    // with sibling `properties` (that would let `b` through): the target stays a branch of its
    // own, reported conservatively as one added, and its changes are found inside it.
    let closed = json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false});
    let extended = |a: &str| {
        let target = json!({"type": "object", "properties": {"a": {"type": a}}, "additionalProperties": false});
        json!({"type": "object", "properties": {"x": {"$ref": "#/$defs/c", "properties": {"b": {"type": "string"}}}}, "$defs": {"c": target}})
    };
    let changes = diff_properties(json!({"type": "object", "properties": {"x": closed}}), extended("string"));
    assert!(all(&changes).contains(&("events/Order Completed/properties.x", "allOf branch added", true)), "{changes:#?}");
    let changes = diff_properties(extended("string"), extended("integer"));
    assert_eq!(all(&changes), vec![("events/Order Completed/properties.x.a", "allOf branch: retyped from string to integer", true)], "{changes:#?}");
}

#[test]
fn item_arrays() {
    const PAIR: &str = "events/Order Completed/properties.pair";
    let pair = |items: serde_json::Value| json!({"type": "object", "properties": {"pair": items}});
    let base = pair(json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": false}));
    let changes = diff_properties(base.clone(), pair(json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}], "items": false})));
    assert_eq!(all(&changes), vec![("events/Order Completed/properties.pair[1]", "retyped from number to string", true)], "{changes:#?}");
    let changes = diff_properties(
        base.clone(),
        pair(json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}, {"type": "null"}], "items": false})),
    );
    assert_eq!(all(&changes), vec![("events/Order Completed/properties.pair[2]", "values allowed again", false)], "{changes:#?}");
    let changes = diff_properties(base.clone(), pair(json!({"type": "array", "prefixItems": [{"type": "string"}]})));
    assert_eq!(breaking(&changes), Vec::<(&str, &str)>::new(), "{changes:#?}");
    let changes = diff_properties(pair(json!({"type": "array", "prefixItems": [{"type": "string"}]})), base.clone());
    assert!(breaking(&changes).contains(&("events/Order Completed/properties.pair[]", "no value allowed any more")), "{changes:#?}");
    // Draft-07 tuples are the same thing.
    let draft7 = pair(json!({"type": "array", "items": [{"type": "string"}, {"type": "number"}], "additionalItems": false}));
    assert_eq!(diff_properties(base.clone(), draft7.clone()), vec![]);
    let changes = diff_properties(draft7, pair(json!({"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false})));
    assert_eq!(all(&changes), vec![("events/Order Completed/properties.pair[1]", "retyped from number to integer", true)], "{changes:#?}");
    // `items` where there was none.
    let changes = diff_properties(pair(json!({"type": "array"})), pair(json!({"type": "array", "items": {"type": "string"}})));
    assert_eq!(all(&changes), vec![(&*format!("{PAIR}[]"), "now typed string", true)], "{changes:#?}");
}

#[test]
fn additional_properties_schemas() {
    const EXTRA: &str = "events/Order Completed/properties.attributes.*";
    let attributes = |extra: Option<serde_json::Value>| {
        let mut schema = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        if let Some(extra) = extra {
            schema["additionalProperties"] = extra;
        }
        json!({"type": "object", "properties": {"attributes": schema}, "$defs": {"text": {"type": "string"}, "closed": false}})
    };
    let string = Some(json!({"type": "string"}));
    let changes = diff_properties(attributes(string.clone()), attributes(Some(json!({"type": "integer"}))));
    assert_eq!(all(&changes), vec![(EXTRA, "retyped from string to integer", true)], "{changes:#?}");
    let changes = diff_properties(attributes(None), attributes(string.clone()));
    assert_eq!(all(&changes), vec![(EXTRA, "now typed string", true)], "{changes:#?}");
    let changes = diff_properties(attributes(string.clone()), attributes(None));
    assert_eq!(breaking(&changes), Vec::<(&str, &str)>::new(), "{changes:#?}");
    assert_eq!(diff_properties(attributes(string.clone()), attributes(Some(json!({"$ref": "#/$defs/text"})))), vec![]);
    assert_eq!(diff_properties(attributes(Some(json!(true))), attributes(None)), vec![]);
    let changes = diff_properties(attributes(string), attributes(Some(json!({"$ref": "#/$defs/closed"}))));
    assert_eq!(all(&changes), vec![("events/Order Completed/properties.attributes", "extra properties no longer allowed", true)], "{changes:#?}");
}

#[test]
fn exponential_fan_out_is_bounded() {
    // 40 definitions, each using the next one twice: 2^40 places, in properties or in `allOf`.
    let fan_out = |leaf: &str, keyword: &str| {
        let mut defs = serde_json::Map::new();
        for i in 0..40 {
            let next = json!({"$ref": format!("#/$defs/d{}", i + 1)});
            let def = match keyword {
                "properties" => json!({"type": "object", "properties": {"x": next, "y": next}}),
                _ => json!({"allOf": [next, {"allOf": [next]}], "properties": {format!("p{i}"): {"type": "string"}}}),
            };
            defs.insert(format!("d{i}"), def);
        }
        defs.insert("d40".into(), json!({"type": "object", "properties": {"leaf": {"type": leaf}}}));
        json!({"$ref": "#/$defs/d0", "$defs": defs})
    };
    let started = std::time::Instant::now();
    for keyword in ["properties", "allOf"] {
        assert_eq!(diff_properties(fan_out("string", keyword), fan_out("string", keyword)), vec![], "{keyword}");
    }
    // Each place of the leaf is reported until the comparison stops, and says so.
    let changes = diff_properties(fan_out("string", "properties"), fan_out("integer", "properties"));
    assert!(breaking(&changes).contains(&("events/Order Completed/properties", "too large to compare in full: the comparison stopped early")));
    // `allOf: [a, a]` is `a`: folded once.
    let changes = diff_properties(fan_out("string", "allOf"), fan_out("integer", "allOf"));
    assert_eq!(breaking(&changes), vec![("events/Order Completed/properties.leaf", "retyped from string to integer")]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
}
