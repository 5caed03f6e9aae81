//! Strategies for realistic payloads, shared by the property tests: valid calls of every type
//! with optional fields in any combination, custom traits and properties, SDK-shaped context.
// Each test crate uses a subset of these.
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Any JSON value, as apps put in custom traits and properties.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[a-zA-Z0-9 é€\"\\\\]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object of custom keys (prefixed so they never collide with reserved ones) plus `reserved`.
pub fn open_object(reserved: Vec<(&'static str, BoxedStrategy<Value>)>) -> impl Strategy<Value = Value> {
    let custom = prop::collection::btree_map("x_[a-z]{1,6}", any_json(), 0..4);
    let chosen: Vec<_> = reserved.into_iter().map(|(k, s)| prop::option::of(s).prop_map(move |v| (k, v))).collect();
    (custom, chosen).prop_map(|(custom, chosen)| {
        let mut map: Map<String, Value> = custom.into_iter().collect();
        for (key, value) in chosen.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))) {
            map.insert(key.to_string(), value);
        }
        Value::Object(map)
    })
}

pub fn text() -> BoxedStrategy<Value> {
    "[a-zA-Z][a-zA-Z0-9 ._@-]{0,15}".prop_map(Value::from).boxed()
}

pub fn nullable(s: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![1 => Just(Value::Null), 4 => s].boxed()
}

pub fn number() -> BoxedStrategy<Value> {
    prop_oneof![any::<u32>().prop_map(Value::from), (0.0..1e6f64).prop_map(Value::from)].boxed()
}

pub fn id() -> BoxedStrategy<Value> {
    prop_oneof![4 => "[a-z0-9-]{1,24}".prop_map(Value::from), 1 => any::<u32>().prop_map(Value::from)].boxed()
}

pub fn timestamp() -> BoxedStrategy<Value> {
    (2000u32..2030, 1u32..13, 1u32..29, 0u32..24, 0u32..60, 0u32..60, 0u32..1_000_000, 0usize..3)
        .prop_map(|(y, mo, d, h, mi, s, us, form)| {
            let t = match form {
                0 => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z", us / 1000),
                1 => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{us:06}+00:00"),
                _ => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}-07:00"),
            };
            Value::from(t)
        })
        .boxed()
}

pub fn context(with_protocols: bool) -> BoxedStrategy<Value> {
    let protocols = open_object(vec![("event_version", prop_oneof![any::<u8>().prop_map(Value::from), Just(json!(2.0)), Just(json!(1.5))].boxed())]).boxed();
    let library = open_object(vec![("name", text()), ("version", text())]).boxed();
    let device =
        open_object(vec![("id", text()), ("token", text()), ("adTrackingEnabled", any::<bool>().prop_map(Value::from).boxed()), ("type", text())]).boxed();
    let screen = open_object(vec![("width", number()), ("height", number()), ("density", number())]).boxed();
    let traits = open_object(vec![("email", nullable(text())), ("firstName", nullable(text()))]).boxed();
    let mut sections = vec![
        ("library", library),
        ("device", device),
        ("screen", screen),
        ("traits", traits),
        ("ip", text()),
        ("active", any::<bool>().prop_map(Value::from).boxed()),
    ];
    if with_protocols {
        sections.push(("protocols", protocols));
    }
    open_object(sections).boxed()
}

pub fn integrations() -> BoxedStrategy<Value> {
    let setting = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop::collection::btree_map("[a-z_]{1,6}", any_json(), 0..3).prop_map(|m| Value::Object(m.into_iter().collect())),
    ];
    (prop::option::of(any::<bool>()), prop::collection::btree_map("[A-Z][a-zA-Z]{1,8}", setting, 0..3))
        .prop_map(|(all, dests)| {
            let mut map: Map<String, Value> = dests.into_iter().collect();
            if let Some(all) = all {
                map.insert("All".into(), Value::from(all));
            }
            Value::Object(map)
        })
        .boxed()
}

pub fn user_traits() -> BoxedStrategy<Value> {
    let address = open_object(vec![("city", nullable(text())), ("postalCode", nullable(text()))]).boxed();
    let company = open_object(vec![("name", nullable(text())), ("id", nullable(id())), ("employee_count", nullable(number()))]).boxed();
    open_object(vec![
        ("email", nullable(text())),
        ("age", nullable(number())),
        ("address", nullable(address)),
        ("company", nullable(company)),
        ("createdAt", nullable(prop_oneof![timestamp(), number()].boxed())),
        ("unsubscribed", nullable(any::<bool>().prop_map(Value::from).boxed())),
        ("id", nullable(id())),
    ])
    .boxed()
}

/// A valid call of any type, with the optional common fields in any combination; with
/// `with_protocols`, `context.protocols.event_version` too (including `2.0` and `1.5`, valid JSON
/// Schema integers and numbers that the typed `i64` field cannot hold, so the round trip leaves
/// them out).
pub fn call(with_protocols: bool) -> impl Strategy<Value = Value> {
    let kind = prop_oneof![Just("identify"), Just("group"), Just("track"), Just("page"), Just("screen"), Just("alias")];
    let common = open_object(vec![
        ("messageId", "[a-z0-9-]{1,40}".prop_map(Value::from).boxed()),
        ("timestamp", timestamp()),
        ("sentAt", timestamp()),
        ("originalTimestamp", timestamp()),
        ("context", context(with_protocols)),
        ("integrations", nullable(integrations())),
        ("version", prop_oneof![number(), Just(json!("1.1"))].boxed()),
        ("channel", text()),
        ("_metadata", open_object(vec![("nodeVersion", text())]).boxed()),
    ]);
    let ids = (id(), id(), 0usize..4);
    let page_props =
        open_object(vec![("url", nullable(text())), ("keywords", nullable(prop::collection::vec(text(), 0..3).prop_map(Value::from).boxed()))]).boxed();
    let track_props =
        open_object(vec![("revenue", nullable(number())), ("currency", nullable(Just(json!("USD")).boxed())), ("value", nullable(number()))]).boxed();
    (kind, common, ids, user_traits(), track_props, page_props, nullable(text()), text()).prop_map(
        |(kind, common, (user, anon, which), traits, track_props, page_props, name, event)| {
            let mut call = common;
            call["type"] = json!(kind);
            match which {
                0 => call["userId"] = user.clone(),
                1 => call["anonymousId"] = anon.clone(),
                2 => {
                    call["userId"] = user.clone();
                    call["anonymousId"] = Value::Null;
                }
                _ => {
                    call["userId"] = Value::Null;
                    call["anonymousId"] = anon.clone();
                }
            }
            match kind {
                "identify" => call["traits"] = traits,
                "group" => {
                    call["groupId"] = user;
                    call["traits"] = json!({"name": "Example Co", "employees": "120"});
                }
                "track" => {
                    call["event"] = event;
                    call["properties"] = track_props;
                }
                "page" | "screen" => {
                    call["name"] = name;
                    call["properties"] = page_props;
                }
                _ => {
                    call["previousId"] = anon;
                    call["userId"] = user;
                }
            }
            call
        },
    )
}
