//! The helpers the command-line test modules share: the crate's root, the
//! pchart binary run there (or in a folder of the test's), its output as
//! text, and files written for a test.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// pchart in `dir`, outside CI (the CI variable would disable `test
/// --update`) and with NO_COLOR unset (tests that want it set it).
pub fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pchart"));
    c.args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("NO_COLOR");
    c
}

pub fn pchart_in(dir: &Path, args: &[&str]) -> Output {
    cmd(dir, args).output().expect("run pchart")
}

/// pchart in the crate's root.
pub fn pchart(args: &[&str]) -> Output {
    pchart_in(&root(), args)
}

/// Run with `input` on standard input.
pub fn pchart_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = cmd(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pchart");
    if let Some(mut i) = child.stdin.take() {
        // The command may not read it all; a closed pipe here is fine.
        let _ = i.write_all(input.as_bytes());
    }
    child.wait_with_output().expect("wait")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `dir/name` (folders made as needed) and returns its path.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, text).expect("write");
    p.to_string_lossy().into_owned()
}
