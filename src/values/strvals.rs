//! Helm's `--set`, `--set-string`, `--set-json`, `--set-file` and
//! `--set-literal` expressions (Helm's pkg/strvals).
