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

/// Runs `anlaufstelle` with a data directory; returns (exit code, stdout, stderr).
fn with_data(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("ANLAUFSTELLE_DATABASE_URL")
        .output()
        .expect("binary runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn sample_file() -> String {
    format!("{}/sample-data/sample.json", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn export_then_import_round_trips_exactly() {
    let first = tempfile::tempdir().expect("temp dir");
    let (code, stdout, stderr) = with_data(first.path(), &["import", &sample_file()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("18 contacts"), "{stdout}");
    let (_, exported, _) = with_data(first.path(), &["export"]);

    let file = first.path().join("export.json");
    std::fs::write(&file, &exported).expect("write export");
    let second = tempfile::tempdir().expect("temp dir");
    let (code, _, stderr) = with_data(second.path(), &["import", file.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    let (_, again, _) = with_data(second.path(), &["export"]);
    assert_eq!(again, exported);
    assert!(exported.contains("\"mailbox\": \"elterngeld@example.bremen.de\""));
}

#[test]
fn csv_tables_round_trip_through_a_fresh_database() {
    let first = tempfile::tempdir().expect("temp dir");
    with_data(first.path(), &["import", &sample_file()]);
    let tables = ["regions-csv", "postcodes-csv", "contacts-csv"];
    let exported: Vec<String> = tables
        .iter()
        .map(|format| with_data(first.path(), &["export", "--format", format]).1)
        .collect();

    // Services travel in JSON only; load them first, then the three CSV tables in order.
    let second = tempfile::tempdir().expect("temp dir");
    let services = second.path().join("services.json");
    std::fs::write(
        &services,
        r#"{"services": [
            {"leika": "99041006017000", "name": "Elterngeld Bewilligung"},
            {"leika": "99107005000000", "name": "Wohngeld (Mietzuschuss) Bewilligung"},
            {"leika": "99115001000000", "name": "Anmeldung einer Wohnung"}]}"#,
    )
    .expect("write services");
    assert_eq!(
        with_data(
            second.path(),
            &["import", services.to_str().expect("utf-8")]
        )
        .0,
        0
    );
    for (table, csv) in tables.iter().zip(&exported) {
        let file = second.path().join(format!("{table}.csv"));
        std::fs::write(&file, csv).expect("write csv");
        let (code, _, stderr) =
            with_data(second.path(), &["import", file.to_str().expect("utf-8")]);
        assert_eq!(code, 0, "{table}: {stderr}");
    }
    for (format, csv) in tables.iter().zip(&exported) {
        assert_eq!(
            &with_data(second.path(), &["export", "--format", format]).1,
            csv,
            "{format}"
        );
    }
}

#[test]
fn a_broken_import_lists_every_problem_with_its_place_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    with_data(dir.path(), &["import", &sample_file()]);
    let (_, before, _) = with_data(dir.path(), &["export"]);

    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        r#"{
  "regions": [{"ars": "031010000000", "name": "Braunschweig, Stadt", "level": "kreis", "in_115": null}],
  "contacts": [
    {"id": "bs-buergeramt", "name": "Bürgeramt Braunschweig", "level": "first", "region": "031010000000",
     "channels": [{"kind": "phone", "value": "0531 1"}]},
    {"id": "bs-falsch", "name": "Falsch", "level": "first", "region": "031019999999",
     "channels": [{"kind": "email", "value": "kein-at-zeichen"}],
     "hours": [{"day": "mon", "opens": "18:00", "closes": "08:00"}]}
  ]
}"#,
    )
    .expect("write file");
    let (code, _, stderr) = with_data(dir.path(), &["import", broken.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    for place in [
        "contacts[1].region",
        "contacts[1].channels[0].value",
        "contacts[1].hours[0].closes",
    ] {
        assert!(stderr.contains(place), "{place} missing in:\n{stderr}");
    }
    assert!(stderr.contains("3 problem(s)"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    // The valid first contact and the new region were not written either.
    let (_, after, _) = with_data(dir.path(), &["export"]);
    assert_eq!(after, before);
}

#[test]
fn csv_problems_name_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("plz.csv");
    std::fs::write(
        &file,
        "plz;ars\n28195;040110000000\n2819;040110000000\n28199;990000000000\n",
    )
    .expect("write file");
    let (code, _, stderr) = with_data(dir.path(), &["import", file.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    let file = file.display();
    assert!(
        stderr.contains(&format!("{file} line 3, column plz")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{file} line 4, column ars")),
        "{stderr}"
    );
}

#[test]
fn serve_help_hides_the_smtp_url_and_offers_a_password_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args(["serve", "--help"])
        .env(
            "ANLAUFSTELLE_SMTP_URL",
            "smtps://anlauf:geheim-4711@mail.example:465",
        )
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("ANLAUFSTELLE_SMTP_URL"), "{help}");
    assert!(!help.contains("geheim-4711"), "{help}");
    assert!(help.contains("--smtp-password-file"), "{help}");
    assert!(help.contains("ANLAUFSTELLE_SMTP_PASSWORD_FILE"), "{help}");
    assert!(help.contains("--trusted-proxy-hops"), "{help}");
    assert!(help.contains("rate-limit-recipient"), "{help}");
}

#[test]
fn an_unreadable_smtp_password_file_stops_the_start_with_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-file");
    let (code, _, stderr) = with_data(
        dir.path(),
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--smtp-url",
            "smtps://anlauf@mail.example:465",
            "--smtp-password-file",
            missing.to_str().expect("UTF-8 path"),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let errors: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("--smtp-password-file"), "{stderr}");
}

/// Starts `serve` with `smtp_url`, waits until it listens, stops it; returns its log.
fn startup_log(smtp_url: &str) -> String {
    use std::io::{BufRead as _, Read as _};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_anlaufstelle"))
        .args(["serve", "--listen", "127.0.0.1:0", "--smtp-url", smtp_url])
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("ANLAUFSTELLE_DATABASE_URL")
        .env("ANLAUFSTELLE_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("reads stdout");
    assert!(line.starts_with("listening on "), "{line:?}");
    // Start-up is over once it listens; whatever it logged until then is in the pipe.
    let _ = child.kill();
    let _ = child.wait();
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("reads stderr");
    log
}

#[test]
fn mail_sent_unencrypted_to_another_host_is_warned_about_once_at_start() {
    let log = startup_log("smtp://mail.example:25");
    let warnings: Vec<_> = log.lines().filter(|l| l.contains("unencrypted")).collect();
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(
        warnings[0].contains("WARN") && warnings[0].contains("mail.example"),
        "{log}"
    );
    for quiet in [
        "smtp://127.0.0.1:2525",
        "smtp://mail.example:587?tls=required",
    ] {
        let log = startup_log(quiet);
        assert!(!log.contains("unencrypted"), "{quiet}: {log}");
    }
}
