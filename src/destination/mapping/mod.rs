//! Mappings: the directives that build an action's payload from a call (in progress).
