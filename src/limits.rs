//! The resource limits of a run, in one place: pchart runs in pre-commit
//! hooks and CI on files anyone can change, so every input is bounded.
//! Defaults are far above what real charts need.
//!
//! The limits are a process setting, installed once at startup by the
//! command line from its `--max-*` flags and read where they apply: the
//! size bound in `input`, the alias bound in the YAML decoder, the step
//! and output budgets in the template executor (each `Env` takes a copy
//! when it is made). A value passed down was the alternative; it is not
//! used because the reader limits apply to every YAML document and user
//! file pchart reads (chart loading, values, `fromYaml` in templates,
//! lint, validation: dozens of call paths), none of which varies within a
//! run, and two ways of passing limits was what made them hard to follow.

use std::sync::atomic::{AtomicU64, Ordering};

/// Every limit, as the `--max-*` flags set them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest values file (`-f`), `--set-file` file or standard input, in
    /// bytes (`--max-input-size`).
    pub max_input_size: u64,
    /// Most nodes one YAML document may produce by expanding aliases
    /// (`--max-alias-nodes`), on top of go-yaml's alias-ratio guard.
    pub max_alias_nodes: u64,
    /// Most template execution steps of a render: actions, commands, loop
    /// iterations (`--max-steps`).
    pub max_steps: u64,
    /// Largest total template output of a render, in bytes (`--max-output`).
    pub max_output: u64,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        // A 50 MB values file takes about 3 GB of memory to read (YAML
        // nodes, then values).
        max_input_size: 16 << 20,
        max_alias_nodes: 1_000_000,
        // A few seconds of execution.
        max_steps: 20_000_000,
        max_output: 256 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

static MAX_INPUT_SIZE: AtomicU64 = AtomicU64::new(Limits::DEFAULT.max_input_size);
static MAX_ALIAS_NODES: AtomicU64 = AtomicU64::new(Limits::DEFAULT.max_alias_nodes);
static MAX_STEPS: AtomicU64 = AtomicU64::new(Limits::DEFAULT.max_steps);
static MAX_OUTPUT: AtomicU64 = AtomicU64::new(Limits::DEFAULT.max_output);

/// Set the limits of this run. Called once, at startup, before any input
/// is read; a process that never calls it runs with `Limits::DEFAULT`.
pub fn install(l: Limits) {
    MAX_INPUT_SIZE.store(l.max_input_size, Ordering::Relaxed);
    MAX_ALIAS_NODES.store(l.max_alias_nodes, Ordering::Relaxed);
    MAX_STEPS.store(l.max_steps, Ordering::Relaxed);
    MAX_OUTPUT.store(l.max_output, Ordering::Relaxed);
}

/// The limits of this run.
pub fn current() -> Limits {
    Limits {
        max_input_size: MAX_INPUT_SIZE.load(Ordering::Relaxed),
        max_alias_nodes: MAX_ALIAS_NODES.load(Ordering::Relaxed),
        max_steps: MAX_STEPS.load(Ordering::Relaxed),
        max_output: MAX_OUTPUT.load(Ordering::Relaxed),
    }
}
