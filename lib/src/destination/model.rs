//! The destination file format (`schema/destination/destination.schema.json`): actions with
//! their payload fields, and presets (subscriptions) pairing a trigger with a mapping.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A destination as written in its file.
///
/// ```
/// use cdpspec::destination::DestinationFile;
///
/// let file: DestinationFile = serde_json::from_value(serde_json::json!({
///     "destination": "Customer.io EU",
///     "extends": "customerio"
/// })).unwrap();
/// assert_eq!(file.extends.as_deref(), Some("customerio"));
/// assert!(file.presets.is_none() && file.actions.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationFile {
    /// The schema of the file, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Display name (`Actions Customerio`).
    #[serde(default)]
    pub destination: String,
    /// Identifier (`actions-customerio`).
    #[serde(default)]
    pub slug: String,
    /// A bundled destination this file customises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Subscriptions, in order. `None` in an extending file keeps the bundled ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presets: Option<Vec<Preset>>,
    /// Actions by key.
    #[serde(default)]
    pub actions: BTreeMap<String, Action>,
}

/// A subscription: the calls its trigger matches run its action with its mapping.
///
/// ```
/// let customerio = cdpspec::destination::load("customerio").unwrap();
/// let preset = &customerio.presets.unwrap()[0];
/// assert_eq!(preset.name, "Create or Update Person");
/// assert_eq!(preset.action, "createUpdatePerson");
/// assert_eq!(preset.trigger, r#"type = "identify""#);
/// assert_eq!(preset.mapping["email"], serde_json::json!({"@template": "{{traits.email}}"}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// The preset's name (`Track Event`).
    pub name: String,
    /// The key of the action it runs.
    pub action: String,
    /// The trigger expression.
    pub trigger: String,
    /// Field name to value or mapping directive.
    pub mapping: Value,
}

/// An action of a destination.
///
/// ```
/// let customerio = cdpspec::destination::load("customerio").unwrap();
/// let action = &customerio.actions["trackEvent"];
/// assert_eq!(action.title, "Track Event");
/// assert!(action.fields.contains_key("name"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action's name (`Create or Update Person`).
    pub title: String,
    /// What it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The trigger UIs propose for new subscriptions.
    #[serde(default)]
    pub default_trigger: Option<String>,
    /// Payload fields by name, as written (`type`, `required`, `allowNull`, `multiple`,
    /// `choices`, `default`, ...).
    pub fields: BTreeMap<String, Value>,
}
