//! Derive macros for cdpspec (in progress).
