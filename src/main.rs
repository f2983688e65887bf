//! The `pchart` command line.

use std::process::ExitCode;

use clap::Parser;

mod cli;

// glibc malloc grows per-thread arenas with many mprotect calls; mimalloc
// is faster for our many small allocations and cheaper to start.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::run(args)
}
