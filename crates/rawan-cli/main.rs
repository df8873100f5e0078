//! The `rawan` binary: parses the command line and hands over to [`rawan_cli`].

fn main() {
    std::process::exit(rawan_cli::main_with_args(std::env::args_os()));
}
