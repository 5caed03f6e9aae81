//! Compiles the code generated from `../schema` and from
//! `tests/schemas/kitchen.schema.json` (the copies in `tests/generated/`,
//! kept current by `tests/golden.rs`) the way the library (`lib/`) does, with
//! `include!` at module level, and checks that payloads round-trip through
//! it.

mod calls {
    include!("generated/calls.rs");
}

// Not every generated item is used here.
#[allow(dead_code)]
mod kitchen {
    include!("generated/kitchen.rs");
}

use calls::*;
use serde_json::{Value, json};

fn roundtrip<T>(value: Value) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let typed: T = serde_json::from_value(value.clone()).expect("deserializes");
    assert_eq!(serde_json::to_value(&typed).expect("serializes"), value, "{typed:#?}");
    typed
}

#[test]
fn identify_keeps_absent_null_and_unknown_keys_apart() {
    let identify: Identify = roundtrip(json!({
        "userId": 42,
        "anonymousId": null,
        "traits": {"email": "a@example.com", "age": 1, "createdAt": 1700000000, "custom": [1, 2]},
        "created_at": "1700000000",
        "version": 1.5
    }));
    assert_eq!(identify.user_id, Some(Some(Id::Number(42.into()))));
    assert_eq!(identify.anonymous_id, Some(None));
    assert_eq!(identify.message_id, None);
    let traits = identify.traits.as_ref().unwrap();
    assert_eq!(traits.age, Some(Some(1.into())));
    assert_eq!(traits.name, None);
    assert_eq!(traits.created_at, Some(Some(DateValue::Number(1700000000.into()))));
    assert_eq!(traits.extra["custom"], json!([1, 2]));
    assert_eq!(identify.extra["created_at"], json!("1700000000"));
}

#[test]
fn message_is_tagged_by_type() {
    let message: Message = roundtrip(json!({
        "type": "track",
        "event": "Course Enrolled",
        "anonymousId": "a1",
        "properties": {"revenue": 12.99, "currency": null, "course": "rust"},
        "integrations": {"All": false, "Amplitude": {"session_id": 1679410730}, "Mixpanel": true, "Braze": null}
    }));
    let Message::Track(track) = &message else { panic!("{message:?}") };
    assert_eq!(track.event, "Course Enrolled");
    assert!(!track.extra.contains_key("type"));
    let integrations = track.integrations.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(integrations.all, Some(false));
    assert_eq!(integrations.extra["Mixpanel"], Some(IntegrationSetting::Bool(true)));
    assert_eq!(integrations.extra["Braze"], None);
    assert!(serde_json::from_value::<Message>(json!({"type": "nope"})).is_err());
}

#[test]
fn alias_requires_previous_id_and_writes_null_user_id() {
    let alias = Alias { previous_id: "old".into(), user_id: None, ..serde_json::from_value(json!({"previousId": 1, "userId": 2})).unwrap() };
    let value = serde_json::to_value(Message::from(alias)).unwrap();
    assert_eq!(value, json!({"type": "alias", "previousId": "old", "userId": null}));
    assert!(serde_json::from_value::<Alias>(json!({"userId": "u"})).is_err());
}

#[test]
fn from_strips_the_tag_kept_by_a_standalone_struct() {
    let group: Group = serde_json::from_value(json!({"type": "group", "groupId": "g", "userId": "u"})).unwrap();
    assert_eq!(group.extra["type"], "group");
    let value = serde_json::to_value(Message::from(group)).unwrap();
    assert_eq!(value, json!({"type": "group", "groupId": "g", "userId": "u"}));
}

#[test]
fn batch_and_defaults() {
    let batch: Batch = roundtrip(json!({
        "batch": [
            {"type": "identify", "userId": "u", "traits": {"address": {"city": "Berlin"}}},
            {"type": "page", "userId": "u", "name": null, "properties": {"keywords": ["a"]}},
            {"type": "screen", "anonymousId": "a", "version": "1.1"}
        ],
        "sentAt": "2026-11-28T18:02:43.022Z"
    }));
    assert_eq!(batch.batch.len(), 3);
    assert_eq!(serde_json::to_value(Batch::default()).unwrap(), json!({"batch": []}));
    assert_eq!(serde_json::to_value(Context::default()).unwrap(), json!({}));
}

#[test]
fn untagged_unions_convert_from_their_variants() {
    assert_eq!(Id::from("x"), Id::String("x".to_owned()));
    assert_eq!(serde_json::to_value(Version::from(serde_json::Number::from(1))).unwrap(), json!(1));
    assert_eq!(serde_json::to_value(AppBuild::from("42")).unwrap(), json!("42"));
}

#[test]
fn kitchen_sink_roundtrips() {
    use kitchen::*;
    let kitchen: Kitchen = roundtrip(json!({
        "count": 3,
        "color": "dark blue",
        "maybeColor": null,
        "fixed": "only",
        "anything": null,
        "nothing": null,
        "every": 1.5,
        "either": {"next": {"next": null}, "children": [{}]},
        "pair": {"right": {"left": {"right": {}}}},
        "shape": {"kind": "circle", "radius": 2},
        "counts": {"a": 1},
        "strict": {"type": "t", "self": true, "3d": false},
        "tuple": ["a", 1],
        "json": ["a", ["b"]],
        "note": null,
        "other": "kept"
    }));
    assert_eq!(kitchen.anything, Some(Value::Null));
    assert_eq!(kitchen.nothing, Some(()));
    assert_eq!(kitchen.every, Some(Some(KitchenEvery::Number(serde_json::Number::from_f64(1.5).unwrap()))));
    assert_eq!(kitchen.extra["note"], None);
    assert_eq!(kitchen.extra["other"].as_deref(), Some("kept"));
    assert_eq!(kitchen.shape, Shape::Circle(Circle { radius: 2.into() }));
    let Some(Some(KitchenEither::Node(node))) = &kitchen.either else { panic!("{:?}", kitchen.either) };
    assert_eq!(node.next, Some(Some(Box::new(Node { next: Some(None), ..Node::default() }))));
    assert_eq!(KitchenEvery::from(true), KitchenEvery::Bool(true));
    assert_eq!(serde_json::to_value(Shape::from(Square::default())).unwrap(), json!({"kind": "square"}));
    assert_eq!(Json::from("x"), Json::String("x".to_owned()));
}

#[test]
fn string_enums_parse_and_print() {
    use kitchen::Color;
    assert_eq!("dark blue".parse::<Color>(), Ok(Color::DarkBlue));
    assert_eq!(Color::DarkBlue.to_string(), "dark blue");
    assert_eq!(Color::ALL, &[Color::Red, Color::Green, Color::DarkBlue]);
    assert_eq!("blue".parse::<Color>(), Err(r#"unknown Color value "blue", expected one of: "red", "green", "dark blue""#.to_owned()));
    assert_eq!(serde_json::to_value(Color::Green).unwrap(), json!("green"));
}

#[test]
fn call_type_enum_parses_and_prints_the_schema_values() {
    let names: Vec<&str> = CallType::ALL.iter().map(CallType::as_str).collect();
    assert_eq!(names, ["identify", "group", "track", "page", "screen", "alias"]);
    for t in CallType::ALL {
        assert_eq!(t.to_string().parse::<CallType>(), Ok(*t));
        assert_eq!(serde_json::to_value(t).unwrap(), json!(t.as_str()));
    }
    assert!("identity".parse::<CallType>().is_err());
}
