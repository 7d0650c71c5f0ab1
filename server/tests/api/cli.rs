//! The `anlaufstelle` binary's command-line contract: bad input gives one clear line and a
//! non-zero exit, never a panic.

use std::process::Command;

fn anlaufstelle(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args(args)
        .env_remove("ANLAUFSTELLE_LISTEN")
        .env_remove("ANLAUFSTELLE_DATABASE_URL")
        .output()
        .expect("binary runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_unknown_flag_is_one_line_and_exit_code_2() {
    let (code, stderr) = anlaufstelle(&["serve", "--no-such-flag"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--no-such-flag"), "{stderr}");
}

#[test]
fn a_malformed_listen_address_is_one_line_and_exit_code_2() {
    let (code, stderr) = anlaufstelle(&["serve", "--listen", "localhost"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--listen"), "{stderr}");
}

#[test]
fn an_unusable_database_url_is_one_line_and_exit_code_1() {
    for url in [
        "sqlite:/nonexistent-dir/sub/db.sqlite",
        "mysql://localhost/anlaufstelle",
    ] {
        let (code, stderr) = anlaufstelle(&["serve", "--database-url", url]);
        assert_eq!(code, 1, "{url}: {stderr}");
        let errors: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{stderr}");
        assert!(errors[0].contains("cannot open database"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn flags_can_come_from_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args(["serve"])
        .env("ANLAUFSTELLE_LISTEN", "not-an-address")
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not-an-address"), "{stderr}");
}
