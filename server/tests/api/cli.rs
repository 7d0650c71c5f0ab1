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

/// Creates a token; returns the secret printed on stdout.
fn create_token(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["token", "create"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = with_data(dir, &all);
    assert_eq!(code, 0, "{stderr}");
    let secret = stdout.trim().to_string();
    assert!(secret.starts_with("ast_"), "{stdout}");
    secret
}

#[test]
fn tokens_are_listed_with_role_scope_and_expiry_and_never_with_their_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let admin = create_token(dir.path(), &["--name", "admin", "--admin"]);
    let ops = create_token(
        dir.path(),
        &[
            "--name",
            "betrieb-elterngeld",
            "--leika",
            "99041006017000",
            "--ars",
            "04",
            "--expires",
            "2099-12-31",
        ],
    );
    let monitor = create_token(
        dir.path(),
        &[
            "--name",
            "monitoring",
            "--role",
            "operator",
            "--expires-in-days",
            "30",
        ],
    );
    let (code, stdout, stderr) = with_data(dir.path(), &["token", "list"]);
    assert_eq!(code, 0, "{stderr}");
    // Columns are padded and separated by at least two spaces.
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 4, "{stdout}");
    assert_eq!(
        rows[0],
        ["NAME", "ROLE", "SCOPE", "CREATED", "EXPIRES", "LAST USED"]
    );
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("{name} missing:\n{stdout}"))
            .clone()
    };
    let admin_row = row("admin");
    assert_eq!(
        [admin_row[1], admin_row[2], admin_row[4], admin_row[5]],
        ["admin", "all", "never", "never"],
        "{stdout}"
    );
    let ops_row = row("betrieb-elterngeld");
    assert_eq!(ops_row[1], "operator");
    assert_eq!(ops_row[2], "leika 99041006017000; ars 04");
    // The end of 31 December 2099 in Germany (CET).
    assert_eq!(ops_row[4], "2099-12-31T23:00:00Z");
    let monitor_row = row("monitoring");
    assert_eq!(monitor_row[1], "operator");
    assert!(
        monitor_row[4].parse::<jiff::Timestamp>().is_ok(),
        "{stdout}"
    );
    assert_eq!(monitor_row[5], "never");
    assert!(admin_row[3].parse::<jiff::Timestamp>().is_ok(), "{stdout}");

    use anlaufstelle::notices::tokens::hash;
    for secret in [&admin, &ops, &monitor] {
        for shown in [&stdout, &stderr] {
            assert!(!shown.contains(&secret[4..]), "secret shown:\n{shown}");
            assert!(!shown.contains(&hash(secret)), "hash shown:\n{shown}");
        }
    }
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_an_unknown_name_is_one_clear_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = create_token(dir.path(), &["--name", "betrieb"]);
    create_token(dir.path(), &["--name", "bleibt"]);
    let (code, _, stderr) = with_data(dir.path(), &["token", "revoke", "betrieb"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, listed, _) = with_data(dir.path(), &["token", "list"]);
    assert!(!listed.contains("betrieb"), "{listed}");
    assert!(listed.contains("bleibt"), "{listed}");

    let (code, _, stderr) = with_data(dir.path(), &["token", "revoke", "betrieb"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no token named `betrieb`"), "{stderr}");

    let url = format!(
        "sqlite:{}",
        dir.path().join("anlaufstelle.sqlite").display()
    );
    let db = anlaufstelle::db::Db::connect(&url).await.expect("database");
    let app = crate::TestApp::from_db(db, dir).await;
    app.send_json(
        "POST",
        "/api/v1/notices",
        Some(&secret),
        &serde_json::json!({}),
    )
    .await
    .assert_error(axum::http::StatusCode::UNAUTHORIZED, "unauthorized");
}

#[test]
fn bad_token_options_are_one_clear_line_and_create_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, code, says) in [
        (
            vec!["--name", "a", "--admin", "--ars", "04"],
            1,
            "admin token cannot be limited",
        ),
        (
            vec!["--name", "a", "--admin", "--role", "operator"],
            2,
            "--role",
        ),
        (vec!["--name", "a", "--role", "root"], 2, "root"),
        (
            vec!["--name", "a", "--expires", "2000-01-01"],
            1,
            "in the past",
        ),
        (
            vec!["--name", "a", "--expires", "31.12.2099"],
            2,
            "--expires",
        ),
        (
            vec!["--name", "a", "--expires-in-days", "0"],
            2,
            "--expires-in-days",
        ),
        (
            vec![
                "--name",
                "a",
                "--expires-in-days",
                "5",
                "--expires",
                "2099-01-01",
            ],
            2,
            "--expires",
        ),
        (vec!["--name", "a b"], 1, "not a token name"),
    ] {
        let mut all = vec!["token", "create"];
        all.extend_from_slice(&args);
        let (exit, stdout, stderr) = with_data(dir.path(), &all);
        assert_eq!(exit, code, "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: no token printed");
    }
    let (code, listed, stderr) = with_data(dir.path(), &["token", "list"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(listed, "", "nothing was created");
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

#[test]
fn an_import_refuses_text_a_spreadsheet_would_run_as_a_formula_and_names_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    with_data(dir.path(), &["import", &sample_file()]);
    let (_, before, _) = with_data(dir.path(), &["export"]);

    // A CSV as a spreadsheet writes it: the formula quoted, because it holds `;` and `"`.
    // Line 3 is valid: phone numbers keep their `+`, text may hold `=`, `-` and `@` inside.
    let header = "id;name;level;region;services;is_115;phone;mobile;fax;email;web;contact_form;hours;exceptions;closes_on_holidays;languages;mailbox;street;postcode;city";
    let csv = dir.path().join("kontakte.csv");
    std::fs::write(
        &csv,
        format!(
            "{header}\n\
             hb-formel;\"=HYPERLINK(\"\"https://example.invalid/?\"\"&A3;\"\"Hilfe\"\")\";first;040000000000;;nein;0421 1;;;;;;;;ja;;;;;\n\
             hb-gut;Bürgeramt Bremen-Mitte (E-Mail @ Amt);first;040000000000;;nein;+49 421 361-0 [Zentrale];;;;;;;;ja;;;;;\n\
             hb-adresse;Bürgeramt;first;040000000000;;nein;0421 2;;;;;;;;ja;;;\t=1+1;28195;Bremen\n"
        ),
    )
    .expect("write csv");
    let (code, _, stderr) = with_data(dir.path(), &["import", csv.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    let file = csv.display();
    assert!(
        stderr.contains(&format!("{file} line 2, column name")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{file} line 4, column street")),
        "{stderr}"
    );
    assert!(!stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("formula"), "{stderr}");
    assert!(stderr.contains("2 problem(s)"), "{stderr}");

    let json = dir.path().join("kontakte.json");
    std::fs::write(
        &json,
        r#"{"contacts": [{"id": "hb-label", "name": "Bürgeramt", "level": "first",
            "region": "040000000000",
            "channels": [{"kind": "phone", "value": "+49 421 361-0", "label": "@Zentrale"}],
            "exceptions": [{"date": "2026-12-24", "note": "-geschlossen"}]}]}"#,
    )
    .expect("write json");
    let (code, _, stderr) = with_data(dir.path(), &["import", json.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    for place in [
        "contacts[0].channels[0].label",
        "contacts[0].exceptions[0].note",
    ] {
        assert!(stderr.contains(place), "{place} missing in:\n{stderr}");
    }
    assert!(
        !stderr.contains(".value"),
        "the phone number is fine:\n{stderr}"
    );

    let (_, after, _) = with_data(dir.path(), &["export"]);
    assert_eq!(after, before, "nothing was imported");
}

#[tokio::test]
async fn a_csv_export_writes_formulas_stored_by_an_older_version_as_plain_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    with_data(dir.path(), &["import", &sample_file()]);
    // What an older version let in: a region and a contact named with formulas.
    let url = format!(
        "sqlite:{}",
        dir.path().join("anlaufstelle.sqlite").display()
    );
    let pool = sqlx::SqlitePool::connect(&url).await.expect("database");
    sqlx::query("UPDATE regions SET name = '=HYPERLINK(\"https://example.invalid\";\"Bremen\")' WHERE ars = '040000000000'")
        .execute(&pool)
        .await
        .expect("old region name");
    let updated =
        sqlx::query("UPDATE contacts SET name = '@SUMME(1;2)' WHERE id = 'hb-elterngeld'")
            .execute(&pool)
            .await
            .expect("old contact name");
    assert_eq!(updated.rows_affected(), 1, "the sample has this contact");
    pool.close().await;

    let (code, regions, stderr) = with_data(dir.path(), &["export", "--format", "regions-csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        regions.contains(
            "10;040000000000;\"'=HYPERLINK(\"\"https://example.invalid\"\";\"\"Bremen\"\")\";ja\n"
        ),
        "{regions}"
    );
    let (_, contacts, _) = with_data(dir.path(), &["export", "--format", "contacts-csv"]);
    assert!(
        contacts.contains("hb-elterngeld;\"'@SUMME(1;2)\";"),
        "{contacts}"
    );
    assert!(
        contacts.contains(";+49 421 9999 0100"),
        "phones keep their +:\n{contacts}"
    );

    // Imported again, the quoted names are harmless text, and the export stays the same.
    for (format, text) in [("regions-csv", &regions), ("contacts-csv", &contacts)] {
        let file = dir.path().join(format!("{format}.csv"));
        std::fs::write(&file, text).expect("write csv");
        let (code, _, stderr) = with_data(dir.path(), &["import", file.to_str().expect("utf-8")]);
        assert_eq!(code, 0, "{format}: {stderr}");
        assert_eq!(
            &with_data(dir.path(), &["export", "--format", format]).1,
            text
        );
    }
}
