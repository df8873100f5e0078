//! The `rawan` command line: wires ingest → model → spatial → targeting → publish, shows
//! progress, stages outputs and moves them into place only when the whole run succeeded.
//! All analytics live in the library crates; this crate only orchestrates and reports.

pub mod args;
pub mod assemble;
pub mod compare;
pub mod pipeline;
pub mod progress;
pub mod staging;

use clap::Parser;

/// Exit codes scripts can rely on.
pub mod exit {
    pub const OK: i32 = 0;
    /// Unexpected internal failure (a bug: please report it).
    pub const INTERNAL: i32 = 1;
    /// The command line is wrong (clap's own code).
    pub const USAGE: i32 = 2;
    /// The job file or an input cannot be used; nothing was written.
    pub const INPUT: i32 = 3;
    /// Outputs could not be written; previous outputs are untouched.
    pub const OUTPUT: i32 = 4;
}

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn input(m: impl std::fmt::Display) -> Failure {
        Failure {
            code: exit::INPUT,
            message: m.to_string(),
        }
    }
    pub fn output(m: impl std::fmt::Display) -> Failure {
        Failure {
            code: exit::OUTPUT,
            message: m.to_string(),
        }
    }
}

/// Runs the CLI with the given arguments and returns the process exit code.
pub fn main_with_args<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        args::Command::Run(r) => pipeline::run(&r),
        args::Command::Synth(s) => pipeline::synth(&s),
        args::Command::Compare(c) => compare::compare(&c),
    };
    match result {
        Ok(()) => exit::OK,
        Err(f) => {
            eprintln!("rawan: error: {}", f.message);
            f.code
        }
    }
}
