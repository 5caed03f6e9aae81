//! Finding a preset or action by the name a person types: a preset's name, an action's key or
//! its title, matched exactly, else ignoring case, spaces, `_` and `-` (`trackevent` is
//! `trackEvent`), else an error with the closest name and every action.

use std::fmt;

use super::CompiledDestination;
use crate::suggest::{closest, fold};

/// A name that is neither a preset nor an action of a destination.
///
/// ```
/// use cdpspec::coverage::CompiledDestination;
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let unknown = customerio.resolve("Track Pageview!").unwrap_err();
/// assert_eq!((unknown.given.as_str(), unknown.destination.as_str()), ("Track Pageview!", "Actions Customerio"));
/// assert_eq!(unknown.closest.as_deref(), Some("Track Page View"));
/// assert!(unknown.actions.contains(&"trackPageView (Track Page View)".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction {
    /// The name as given.
    pub given: String,
    /// The destination's display name.
    pub destination: String,
    /// The closest preset name, action key or title, if any is close.
    pub closest: Option<String>,
    /// Every action, as `key (Title)`.
    pub actions: Vec<String>,
}

impl fmt::Display for UnknownAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is neither a preset nor an action of {}", self.given, self.destination)?;
        if let Some(c) = &self.closest {
            write!(f, "; did you mean `{c}`?")?;
        }
        write!(f, "; actions: {}", self.actions.join(", "))
    }
}

impl std::error::Error for UnknownAction {}

impl CompiledDestination {
    /// The preset name, action key or action title `given` means: itself when it is one, else
    /// the one name it matches ignoring case, spaces, `_` and `-`, when all such names lead to
    /// the same action.
    ///
    /// # Errors
    ///
    /// [`UnknownAction`], with the closest name, when `given` names nothing.
    ///
    /// ```
    /// let customerio = cdpspec::coverage::CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// assert_eq!(customerio.resolve("trackevent").unwrap(), "Track Event");
    /// assert!(customerio.resolve("trakEvent").unwrap_err().to_string().contains("did you mean"));
    /// ```
    pub fn resolve(&self, given: &str) -> Result<String, UnknownAction> {
        // Every name, with the action it leads to.
        let named: Vec<(&str, &str)> = self
            .presets
            .iter()
            .map(|p| (p.name.as_str(), p.action.as_str()))
            .chain(self.actions.iter().flat_map(|(key, title)| [(key.as_str(), key.as_str()), (title.as_str(), key.as_str())]))
            .collect();
        if named.iter().any(|(name, _)| *name == given) {
            return Ok(given.to_string());
        }
        let folded = fold(given);
        let same: Vec<&(&str, &str)> = named.iter().filter(|(name, _)| fold(name) == folded).collect();
        if let Some((first, action)) = same.first()
            && same.iter().all(|(_, a)| a == action)
        {
            return Ok(first.to_string());
        }
        Err(UnknownAction {
            given: given.to_string(),
            destination: self.name.clone(),
            closest: closest(given, named.iter().map(|(name, _)| *name)).map(String::from),
            actions: self.actions.iter().map(|(key, title)| format!("{key} ({title})")).collect(),
        })
    }
}
