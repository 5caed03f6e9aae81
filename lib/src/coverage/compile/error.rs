//! Why a destination could not be compiled for evaluation: every problem of its actions' fields
//! and its presets, each naming the action or preset it is in.

use std::fmt;

use crate::destination::mapping::MappingError;
use crate::destination::trigger::TriggerError;

/// A destination that does not compile: all its problems, in file order (actions' fields first,
/// then presets).
///
/// ```
/// use cdpspec::coverage::CompiledDestination;
///
/// let mut file = cdpspec::destination::load("customerio").unwrap();
/// let presets = file.presets.as_mut().unwrap();
/// presets[0].action = "createPerson".into();
/// presets[1].action = "createDevice".into();
/// let error = CompiledDestination::new(&file).err().unwrap();
/// assert_eq!(error.problems.len(), 2);
/// assert_eq!(error.to_string().lines().count(), 2, "one problem a line");
/// ```
#[derive(Debug)]
pub struct CompileError {
    /// The problems; never empty.
    pub problems: Vec<Problem>,
}

/// One problem of a destination file.
///
/// ```
/// use cdpspec::coverage::{CompiledDestination, Problem};
///
/// let mut file = cdpspec::destination::load("customerio").unwrap();
/// file.presets.as_mut().unwrap()[0].trigger = r#"type = "identify"#.into();
/// let error = CompiledDestination::new(&file).err().unwrap();
/// assert!(matches!(&error.problems[0], Problem::Trigger { preset, .. } if preset == "Create or Update Person"));
/// assert!(error.problems[0].to_string().starts_with("preset `Create or Update Person`: trigger `type = \"identify`: "));
/// ```
#[derive(Debug)]
pub enum Problem {
    /// A field of an action is not a valid field definition.
    Field {
        /// The action's key.
        action: String,
        /// The field's name.
        field: String,
        /// What is wrong with the definition.
        source: serde_json::Error,
    },
    /// A preset runs an action the destination does not define.
    UnknownAction {
        /// The preset's name.
        preset: String,
        /// The action it names.
        action: String,
    },
    /// A preset's trigger does not parse, so the destination never runs it.
    Trigger {
        /// The preset's name.
        preset: String,
        /// The trigger as written.
        trigger: String,
        /// Where and why it does not parse.
        source: TriggerError,
    },
    /// A preset's mapping does not parse.
    Mapping {
        /// The preset's name.
        preset: String,
        /// Where in the mapping and why.
        source: MappingError,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Field { action, field, source } => write!(f, "action `{action}`, field `{field}`: {source}"),
            Problem::UnknownAction { preset, action } => write!(f, "preset `{preset}`: action `{action}` is not defined in the destination"),
            Problem::Trigger { preset, trigger, source } => write!(f, "preset `{preset}`: trigger `{trigger}`: {source}"),
            Problem::Mapping { preset, source } => write!(f, "preset `{preset}`: mapping: {source}"),
        }
    }
}

impl std::error::Error for Problem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Problem::Field { source, .. } => Some(source),
            Problem::Trigger { source, .. } => Some(source),
            Problem::Mapping { source, .. } => Some(source),
            Problem::UnknownAction { .. } => None,
        }
    }
}

/// The problems, one per line.
impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// No single cause: each of [`CompileError::problems`] is an error with its own source.
impl std::error::Error for CompileError {}
