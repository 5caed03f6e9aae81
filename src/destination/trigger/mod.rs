//! Triggers: the subscription language that decides which calls reach an action (in progress).
