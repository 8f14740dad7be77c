//! `mailauth`: why receivers reject a sender's mail, and what to publish or
//! change. See `mailauth --help`.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mailauth_doctor::cli::run(std::env::args_os().skip(1)))
}
