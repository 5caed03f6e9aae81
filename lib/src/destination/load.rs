//! Finding and loading destinations: the bundled ones (by file name, slug or display name),
//! files, and files that extend a bundled one.

mod error;

pub use error::LoadError;

use std::path::Path;

use super::model::DestinationFile;

/// The bundled destinations: (name, file contents).
///
/// ```
/// use cdpspec::destination::{BUNDLED, DestinationFile};
///
/// let (name, text) = BUNDLED[0];
/// assert_eq!(name, "customerio");
/// let file: DestinationFile = serde_json::from_str(text).unwrap();
/// assert_eq!(file.slug, "actions-customerio");
/// ```
pub const BUNDLED: &[(&str, &str)] = &[
    ("customerio", include_str!("../../../destinations/customerio.json")),
    ("mixpanel", include_str!("../../../destinations/mixpanel.json")),
    ("amplitude", include_str!("../../../destinations/amplitude.json")),
    ("webhook", include_str!("../../../destinations/webhook.json")),
];

/// A bundled destination by file name (`customerio`), slug (`actions-customerio`) or display
/// name (`Actions Customerio`), ignoring case.
///
/// ```
/// use cdpspec::destination::bundled;
///
/// let by_slug = bundled("actions-customerio").unwrap();
/// assert_eq!(by_slug.destination, "Actions Customerio");
/// assert_eq!(bundled("Actions Customerio"), Some(by_slug));
/// assert!(bundled("segment").is_none());
/// ```
pub fn bundled(name: &str) -> Option<DestinationFile> {
    let wanted = name.to_ascii_lowercase();
    BUNDLED.iter().find_map(|(key, text)| {
        let file: DestinationFile = serde_json::from_str(text).ok()?;
        let matches = *key == wanted || file.slug.to_ascii_lowercase() == wanted || file.destination.to_ascii_lowercase() == wanted;
        matches.then_some(file)
    })
}

/// A destination by bundled name or by path to a file (which may extend a bundled one). A name
/// ending in `.json` or holding a `/` or `\` is a path.
///
/// # Errors
///
/// [`LoadError::UnknownBundled`] for a name that is not bundled; for a path, a file that cannot be
/// read ([`LoadError::Read`]), is not a destination ([`LoadError::Parse`]), has no `actions` and
/// no `extends` ([`LoadError::NoActions`]), or extends a destination that is not bundled
/// ([`LoadError::UnknownBase`]).
///
/// ```
/// use cdpspec::destination::{LoadError, load};
///
/// let customerio = load("customerio").unwrap();
/// assert_eq!(customerio.actions["createUpdatePerson"].title, "Create or Update Person");
/// assert!(matches!(load("segment"), Err(LoadError::UnknownBundled { .. })));
/// ```
pub fn load(name_or_path: &str) -> Result<DestinationFile, LoadError> {
    let looks_like_path = name_or_path.ends_with(".json") || name_or_path.contains('/') || name_or_path.contains('\\');
    if !looks_like_path {
        return bundled(name_or_path).ok_or_else(|| LoadError::UnknownBundled { name: name_or_path.to_string() });
    }
    let path = Path::new(name_or_path);
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read { path: path.to_path_buf(), source })?;
    let file: DestinationFile = serde_json::from_str(&text).map_err(|source| LoadError::Parse { path: path.to_path_buf(), source })?;
    match &file.extends {
        None => {
            if file.actions.is_empty() {
                return Err(LoadError::NoActions { path: path.to_path_buf() });
            }
            Ok(file)
        }
        Some(base) => {
            let mut merged = bundled(base).ok_or_else(|| LoadError::UnknownBase { path: path.to_path_buf(), base: base.clone() })?;
            if let Some(presets) = file.presets {
                merged.presets = Some(presets);
            }
            merged.actions.extend(file.actions);
            if !file.destination.is_empty() {
                merged.destination = file.destination;
            }
            if !file.slug.is_empty() {
                merged.slug = file.slug;
            }
            Ok(merged)
        }
    }
}

/// Names of the bundled destinations.
///
/// ```
/// assert_eq!(cdpspec::destination::names(), ["customerio", "mixpanel", "amplitude", "webhook"]);
/// ```
pub fn names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(name, _)| *name).collect()
}
