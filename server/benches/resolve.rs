//! Resolution throughput, printed by `cargo xtask bench` (`cargo bench -p server --bench resolve`).
//!
//! On a generated nationwide data set — 16 Länder, 400 Kreise, about 11,000 Gemeinden, 50
//! services, contacts at every level — it measures:
//! 1. in-process resolutions per second (`Index::help`, availability included);
//! 2. HTTP requests per second for `/api/v1/help` and, in the same run and the same server,
//!    for the trivial `/healthz`, over keep-alive connections on loopback; and their ratio.
//!
//! Each phase runs for a fixed time (`BENCH_SECONDS`, default 3) and stops by itself.

use anlaufstelle::dataset::{ContactRecord, Dataset, RegionRecord, ServiceRecord};
use anlaufstelle::db::Db;
use anlaufstelle::domain::{Ars, LeikaKey};
use anlaufstelle::resolve::Index;
use anlaufstelle::{AppState, app};
use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use wire::{Channel, ChannelKind, RegionLevel, SupportLevel, Weekday, WeeklyHours};

const KREISE_PER_LAND: usize = 25;
const GEMEINDEN_PER_KREIS: usize = 27;
const SERVICES: usize = 50;
const CONNECTIONS: usize = 32;

fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let phase = Duration::from_secs(seconds);
    let (data, gemeinden, services) = generate();
    println!(
        "data set: {} regions ({} Gemeinden), {} services, {} contacts",
        data.regions.len(),
        gemeinden.len(),
        data.services.len(),
        data.contacts.len()
    );

    let started = Instant::now();
    let index = Index::build(data.clone());
    println!(
        "index build: {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );

    // 1. In-process.
    let now = jiff::Timestamp::now();
    let mut done: u64 = 0;
    let mut checksum = 0usize;
    let started = Instant::now();
    while started.elapsed() < phase {
        for i in 0..1000 {
            let ars = gemeinden[(done as usize + i * 7919) % gemeinden.len()];
            let leika = services[(done as usize + i) % services.len()];
            checksum += index.help(ars, Some(leika), now).first_level.len();
        }
        done += 1000;
    }
    let per_second = done as f64 / started.elapsed().as_secs_f64();
    assert!(checksum > 0, "every resolution found a 1st-level contact");
    println!("in-process resolutions: {per_second:.0} /s");

    // 2. Over HTTP.
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async move {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("bench.sqlite").display());
        let db = Db::connect(&url).await.expect("database");
        db.import(&data).await.expect("import generated data");
        let state = AppState::load(db).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app(state)).await });

        let help_paths: Arc<Vec<String>> = Arc::new(
            (0..4096)
                .map(|i| {
                    format!(
                        "/api/v1/help?ars={}&leika={}",
                        gemeinden[(i * 7919) % gemeinden.len()],
                        services[i % services.len()]
                    )
                })
                .collect(),
        );
        let health_paths = Arc::new(vec!["/healthz".to_string()]);
        let help = load(addr, help_paths, phase).await;
        let health = load(addr, health_paths, phase).await;
        println!("HTTP /api/v1/help: {help:.0} req/s ({CONNECTIONS} keep-alive connections)");
        println!("HTTP /healthz:     {health:.0} req/s (same server, same run)");
        println!("ratio help / healthz: {:.2}", help / health);
    });
}

/// Requests per second over `CONNECTIONS` keep-alive HTTP/1.1 connections for `phase`.
async fn load(addr: std::net::SocketAddr, paths: Arc<Vec<String>>, phase: Duration) -> f64 {
    let count = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + phase;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CONNECTIONS {
        let paths = paths.clone();
        let count = count.clone();
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let io = hyper_util::rt::TokioIo::new(stream);
            let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(io)
                .await
                .expect("handshake");
            tokio::spawn(conn);
            let mut i = c;
            while Instant::now() < deadline {
                let request = hyper::Request::get(paths[i % paths.len()].as_str())
                    .header("host", "bench")
                    .body(Empty::new())
                    .expect("request");
                let response = sender.send_request(request).await.expect("response");
                assert!(response.status().is_success(), "{}", response.status());
                response.into_body().collect().await.expect("body");
                count.fetch_add(1, Ordering::Relaxed);
                i += CONNECTIONS;
            }
        }));
    }
    for task in tasks {
        task.await.expect("load task");
    }
    count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// A nationwide data set with contacts at every level. Returns it with the Gemeinde keys and
/// the service keys to query.
fn generate() -> (Dataset, Vec<Ars>, Vec<LeikaKey>) {
    let mut data = Dataset::default();
    let services: Vec<String> = (0..SERVICES)
        .map(|i| format!("99{:03}00{:07}", 100 + i, i))
        .collect();
    for (i, leika) in services.iter().enumerate() {
        data.services.push(ServiceRecord {
            leika: leika.clone(),
            name: format!("Leistung {i}"),
        });
    }
    let mut gemeinden = Vec::new();
    data.regions
        .push(region("000000000000", RegionLevel::Bund, None));
    data.contacts.push(ContactRecord {
        is_115: true,
        ..contact("bund-115", SupportLevel::First, "000000000000", vec![])
    });
    for (i, leika) in services.iter().enumerate() {
        data.contacts.push(contact(
            &format!("technik-{i}"),
            SupportLevel::SecondTechnisch,
            "000000000000",
            vec![leika.clone()],
        ));
    }
    for land in 1..=16 {
        let land_ars = format!("{land:02}0000000000");
        data.regions
            .push(region(&land_ars, RegionLevel::Land, Some(land % 3 != 0)));
        data.contacts.push(contact(
            &format!("l{land}-first"),
            SupportLevel::First,
            &land_ars,
            vec![],
        ));
        data.contacts.push(contact(
            &format!("l{land}-fach"),
            SupportLevel::SecondFachlich,
            &land_ars,
            vec![],
        ));
        for s in 0..5 {
            let leika = services[(land * 3 + s) % SERVICES].clone();
            data.contacts.push(contact(
                &format!("l{land}-s{s}"),
                SupportLevel::First,
                &land_ars,
                vec![leika],
            ));
        }
        for k in 1..=KREISE_PER_LAND {
            let kreis = format!("{land:02}0{k:02}0000000");
            data.regions.push(region(&kreis, RegionLevel::Kreis, None));
            data.contacts.push(contact(
                &format!("k{land}-{k}"),
                SupportLevel::First,
                &kreis,
                vec![],
            ));
            let leika = services[(land + k) % SERVICES].clone();
            data.contacts.push(contact(
                &format!("k{land}-{k}-fach"),
                SupportLevel::SecondFachlich,
                &kreis,
                vec![leika],
            ));
            for g in 1..=GEMEINDEN_PER_KREIS {
                let gemeinde = format!("{land:02}0{k:02}0{g:03}{g:03}");
                data.regions.push(region(
                    &gemeinde,
                    RegionLevel::Gemeinde,
                    (g % 17 == 0).then_some(false),
                ));
                if g % 10 == 0 {
                    data.contacts.push(contact(
                        &format!("g{land}-{k}-{g}"),
                        SupportLevel::First,
                        &gemeinde,
                        vec![],
                    ));
                }
                gemeinden.push(gemeinde.parse().expect("generated ARS"));
            }
        }
    }
    let keys = services
        .iter()
        .map(|s| s.parse().expect("generated LeiKa"))
        .collect();
    (data, gemeinden, keys)
}

fn region(ars: &str, level: RegionLevel, in_115: Option<bool>) -> RegionRecord {
    RegionRecord {
        ars: ars.into(),
        name: format!("Region {ars}"),
        level,
        in_115,
    }
}

fn contact(id: &str, level: SupportLevel, region: &str, services: Vec<String>) -> ContactRecord {
    ContactRecord {
        id: id.into(),
        name: format!("Kontakt {id}"),
        level,
        region: region.into(),
        services,
        is_115: false,
        channels: vec![Channel {
            kind: ChannelKind::Phone,
            value: "0421 9999 0".into(),
            label: None,
        }],
        hours: [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(|day| WeeklyHours {
            day,
            opens: "08:00".into(),
            closes: "18:00".into(),
        })
        .collect(),
        exceptions: vec![],
        closes_on_holidays: true,
        address: None,
        languages: vec![],
        mailbox: None,
    }
}
