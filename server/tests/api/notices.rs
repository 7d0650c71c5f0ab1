//! Notices: operator API with scoped tokens, the public list, the clock, and the live stream.

use crate::TestApp;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use std::time::Duration;

const ELTERNGELD: &str = "99041006017000";
const NOW: &str = "2026-11-23T09:00:00Z";

pub(crate) fn incident(regions: &[&str]) -> Value {
    json!({
        "kind": "incident",
        "impact": "major",
        "services": [ELTERNGELD],
        "regions": regions,
        "content": {
            "de": {
                "title": "Elterngeld-Antrag derzeit gestört",
                "body": "Das Hochladen von Nachweisen schlägt fehl.",
                "still_works": "Sie können den Antrag weiter ausfüllen.",
                "answers_kept": "yes",
                "alternative": "Rufen Sie die 115 an."
            },
            "en": { "title": "Parental allowance application disrupted", "answers_kept": "yes" }
        }
    })
}

fn list_uri(leika: &str, ars: &str) -> String {
    format!("/api/v1/notices?leika={leika}&ars={ars}")
}

#[tokio::test]
async fn raising_a_notice_needs_a_valid_token() {
    let app = TestApp::empty().await.at(NOW);
    let res = app
        .send_json("POST", "/api/v1/notices", None, &incident(&["04"]))
        .await;
    res.assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(res.header("www-authenticate"), "Bearer");
    app.send_json(
        "POST",
        "/api/v1/notices",
        Some("ast_wrong"),
        &incident(&["04"]),
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn a_raised_notice_reaches_exactly_the_forms_in_its_scope() {
    let app = TestApp::empty().await.at(NOW);
    let token = app.token("ops", &[], &[]).await;
    let res = app
        .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
        .await;
    assert_eq!(
        res.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    let id = res.json()["id"].as_str().expect("id").to_string();
    assert_eq!(res.header("location"), format!("/api/v1/notices/{id}"));
    assert_eq!(res.json()["source"], "token:ops");

    let bremen = app.get(&list_uri(ELTERNGELD, "040110000000")).await.json();
    assert_eq!(bremen["notices"][0]["id"], id.as_str());
    assert_eq!(bremen["notices"][0]["state"], "investigating");
    assert_eq!(bremen["notices"][0]["content"]["answers_kept"], "yes");
    let english = app
        .get(&format!("{}&lang=en", list_uri(ELTERNGELD, "040120000000")))
        .await
        .json();
    assert_eq!(
        english["notices"][0]["content"]["title"],
        "Parental allowance application disrupted"
    );
    for uri in [
        list_uri(ELTERNGELD, "050000000000"),
        list_uri("99107005000000", "040110000000"),
        format!("/api/v1/notices?leika={ELTERNGELD}"),
    ] {
        assert_eq!(app.get(&uri).await.json()["notices"], json!([]), "{uri}");
    }
}

#[tokio::test]
async fn a_scoped_token_cannot_touch_other_services_or_regions() {
    let app = TestApp::empty().await.at(NOW);
    let bremen = app.token("bremen", &[], &["04"]).await;
    let admin = app.token("admin", &[], &[]).await;
    app.send_json("POST", "/api/v1/notices", Some(&bremen), &incident(&["05"]))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden_scope");
    app.send_json("POST", "/api/v1/notices", Some(&bremen), &incident(&[]))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden_scope");
    let own = app
        .send_json(
            "POST",
            "/api/v1/notices",
            Some(&bremen),
            &incident(&["0401"]),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED);

    let nrw = app
        .send_json("POST", "/api/v1/notices", Some(&admin), &incident(&["05"]))
        .await;
    let nrw_id = nrw.json()["id"].as_str().expect("id").to_string();
    // Outside its scope a notice does not exist for the token.
    app.send_json(
        "PATCH",
        &format!("/api/v1/notices/{nrw_id}"),
        Some(&bremen),
        &json!({"state": "resolved"}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    // Nor may it widen its own notice beyond its scope.
    let own_id = own.json()["id"].as_str().expect("id").to_string();
    app.send_json(
        "PATCH",
        &format!("/api/v1/notices/{own_id}"),
        Some(&bremen),
        &json!({"regions": ["04", "05"]}),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden_scope");
}

#[tokio::test]
async fn bad_notices_are_clear_errors() {
    let app = TestApp::empty().await.at(NOW);
    let token = app.token("ops", &[], &[]).await;
    let mut wrong_state = incident(&["04"]);
    wrong_state["state"] = json!("in_progress");
    let res = app
        .send_json("POST", "/api/v1/notices", Some(&token), &wrong_state)
        .await;
    res.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_notice");
    assert!(
        res.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("state")
    );
    let res = app
        .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["4"]))
        .await;
    res.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_notice");
    assert!(
        res.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("regions[0]")
    );
    let res = app
        .request(
            Request::post("/api/v1/notices")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from("{\"kind\": \"incident\","))
                .expect("request"),
        )
        .await;
    res.assert_error(StatusCode::BAD_REQUEST, "invalid_json");
    app.send_json(
        "PATCH",
        "/api/v1/notices/ntc-none",
        Some(&token),
        &json!({"state": "resolved"}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn resolving_takes_a_notice_off_the_forms_and_keeps_its_timeline() {
    let app = TestApp::empty().await.at(NOW);
    let token = app.token("ops", &[], &[]).await;
    let id = app
        .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
        .await
        .json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let uri = format!("/api/v1/notices/{id}");
    let res = app
        .send_json(
            "PATCH",
            &uri,
            Some(&token),
            &json!({"state": "identified", "message": {"de": "Ursache gefunden."}}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let list = app.get(&list_uri(ELTERNGELD, "040110000000")).await.json();
    assert_eq!(
        list["notices"][0]["updates"][0]["message"],
        "Ursache gefunden."
    );
    assert_eq!(
        list["notices"][0]["updates"].as_array().map(Vec::len),
        Some(2)
    );

    app.send_json("PATCH", &uri, Some(&token), &json!({"state": "resolved"}))
        .await;
    assert_eq!(
        app.get(&list_uri(ELTERNGELD, "040110000000")).await.json()["notices"],
        json!([])
    );
}

#[tokio::test]
async fn the_list_revalidates_with_an_etag() {
    let app = TestApp::empty().await.at(NOW);
    let first = app.get(&list_uri(ELTERNGELD, "040110000000")).await;
    let etag = first.header("etag").to_string();
    let again = app
        .request(
            Request::get(list_uri(ELTERNGELD, "040110000000"))
                .header("if-none-match", &etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let token = app.token("ops", &[], &[]).await;
    app.send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
        .await;
    let changed = app.get(&list_uri(ELTERNGELD, "040110000000")).await;
    assert_ne!(changed.header("etag"), etag);
}

#[tokio::test]
async fn maintenance_starts_and_ends_on_the_clock() {
    let app = TestApp::empty().await.at("2026-11-10T09:00:00Z");
    let token = app.token("ops", &[], &[]).await;
    let body = json!({
        "kind": "maintenance",
        "impact": "major",
        "services": [ELTERNGELD],
        "starts_at": "2026-12-01T21:00:00Z",
        "ends_at": "2026-12-02T01:00:00Z",
        "content": {"de": {"title": "Wartung am Elterngeld-Dienst", "answers_kept": "no"}}
    });
    let res = app
        .send_json("POST", "/api/v1/notices", Some(&token), &body)
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let hub = app.state.notices.clone();
    let at = |s: &str| s.parse::<jiff::Timestamp>().expect("timestamp");
    let visible = |t: &str| {
        let hub = hub.clone();
        let t = at(t);
        move || {
            hub.all()
                .iter()
                .filter(|n| n.visible(t))
                .map(|n| anlaufstelle::db::enum_name(&n.state))
                .collect::<Vec<_>>()
        }
    };
    // More than two weeks ahead: not yet shown.
    assert!(visible("2026-11-10T09:00:00Z")().is_empty());
    assert_eq!(visible("2026-11-20T09:00:00Z")(), ["scheduled"]);

    assert_eq!(
        hub.tick(at("2026-12-01T20:59:59Z"), at("2026-12-01T20:59:58Z"))
            .await
            .expect("tick"),
        0
    );
    assert_eq!(
        hub.tick(at("2026-12-01T21:00:00Z"), at("2026-12-01T20:59:59Z"))
            .await
            .expect("tick"),
        1
    );
    assert_eq!(visible("2026-12-01T21:00:00Z")(), ["in_progress"]);
    assert_eq!(
        hub.tick(at("2026-12-02T01:00:00Z"), at("2026-12-02T00:59:59Z"))
            .await
            .expect("tick"),
        1
    );
    let notice = hub.all()[0].clone();
    assert_eq!(notice.state, wire::NoticeState::Completed);
    assert_eq!(notice.updates.len(), 3, "scheduled, started, completed");
    assert!(visible("2026-12-02T01:00:00Z")().is_empty());
}

/// Events read from a live SSE response.
pub(crate) struct SseReader {
    body: hyper::body::Incoming,
    buffer: Vec<u8>,
}

#[derive(Debug)]
pub(crate) struct SseEvent {
    pub(crate) event: String,
    pub(crate) id: String,
    pub(crate) data: Value,
}

impl SseReader {
    /// The next event (comments and keep-alives skipped), or a failed test after 5 s.
    pub(crate) async fn next(&mut self) -> SseEvent {
        tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                    // Split only between events: a frame may end inside a multi-byte character.
                    let bytes: Vec<u8> = self.buffer.drain(..end + 2).collect();
                    let block = String::from_utf8(bytes).expect("UTF-8");
                    let mut event = SseEvent {
                        event: String::new(),
                        id: String::new(),
                        data: Value::Null,
                    };
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event: ") {
                            event.event = v.into();
                        } else if let Some(v) = line.strip_prefix("id: ") {
                            event.id = v.into();
                        } else if let Some(v) = line.strip_prefix("data: ") {
                            event.data = serde_json::from_str(v).expect("JSON data");
                        }
                    }
                    if !event.event.is_empty() {
                        return event;
                    }
                    continue;
                }
                let frame = self
                    .body
                    .frame()
                    .await
                    .expect("stream open")
                    .expect("frame");
                if let Ok(data) = frame.into_data() {
                    self.buffer.extend_from_slice(&data);
                }
            }
        })
        .await
        .expect("an event within 5 s")
    }
}

/// Opens the stream on a real socket.
pub(crate) async fn open_stream(
    addr: std::net::SocketAddr,
    last_event_id: Option<&str>,
) -> (SseReader, hyper::HeaderMap) {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<
        _,
        http_body_util::Empty<hyper::body::Bytes>,
    >(hyper_util::rt::TokioIo::new(stream))
    .await
    .expect("handshake");
    tokio::spawn(conn);
    let mut request = hyper::Request::get(format!(
        "/api/v1/notices/stream?leika={ELTERNGELD}&ars=040110000000"
    ))
    .header("host", "test");
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = sender
        .send_request(request.body(http_body_util::Empty::new()).expect("request"))
        .await
        .expect("response");
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    // Keep the connection alive for as long as the reader lives.
    std::mem::forget(sender);
    (
        SseReader {
            body: response.into_body(),
            buffer: Vec::new(),
        },
        headers,
    )
}

#[tokio::test]
async fn the_stream_sends_a_snapshot_then_live_changes_and_resumes_without_gaps() {
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    let addr = app.serve().await;

    let (mut stream, headers) = open_stream(addr, None).await;
    assert_eq!(headers["content-type"], "text/event-stream");
    assert_eq!(headers["x-accel-buffering"], "no");
    let snapshot = stream.next().await;
    assert_eq!(snapshot.event, "snapshot");
    assert_eq!(snapshot.data["notices"], json!([]));

    let created = app
        .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
        .await
        .json();
    let id = created["id"].as_str().expect("id");
    let live = stream.next().await;
    assert_eq!(
        (live.event.as_str(), live.data["id"].as_str()),
        ("notice", Some(id))
    );
    // A notice for another Land is not sent to this form at all.
    app.send_json("POST", "/api/v1/notices", Some(&token), &incident(&["05"]))
        .await;
    let seen = live.id.clone();
    drop(stream);

    // While the form is disconnected the notice is identified and then resolved.
    let uri = format!("/api/v1/notices/{id}");
    app.send_json("PATCH", &uri, Some(&token), &json!({"state": "identified"}))
        .await;
    app.send_json("PATCH", &uri, Some(&token), &json!({"state": "resolved"}))
        .await;

    let (mut resumed, _) = open_stream(addr, Some(&seen)).await;
    // The other Land's notice is not for this form and is not mentioned. The replay carries
    // only the latest state of each notice: this one was identified and then resolved, so the
    // form is told once that it is gone.
    let resolved = resumed.next().await;
    assert_eq!(
        (resolved.event.as_str(), resolved.data["id"].as_str()),
        ("remove", Some(id))
    );
    assert!(
        resolved.id.parse::<u64>().expect("numeric id") > seen.parse::<u64>().expect("numeric id")
    );
    // Then the stream is live again: the next notice arrives as it is raised.
    let again = app
        .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
        .await
        .json();
    let next = resumed.next().await;
    assert_eq!(
        (next.event.as_str(), next.data["id"].as_str()),
        ("notice", again["id"].as_str())
    );
}

#[tokio::test]
async fn a_resume_point_outside_the_replay_window_gets_a_fresh_snapshot() {
    let app = TestApp::empty().await;
    let addr = app.serve().await;
    let (mut stream, _) = open_stream(addr, Some("999999")).await;
    assert_eq!(stream.next().await.event, "snapshot");
}

#[tokio::test]
async fn every_notice_text_and_list_has_a_size_limit() {
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    let long = "x".repeat(2_001);
    let mut cases = Vec::new();
    for field in ["still_works", "alternative", "alternative_url"] {
        let mut body = incident(&["04"]);
        body["content"]["de"][field] = json!(format!("https://{long}"));
        cases.push((field.to_string(), body));
    }
    let mut body = incident(&["04"]);
    body["message"] = json!({"de": long});
    cases.push(("message".into(), body));
    let mut body = incident(&[]);
    body["regions"] = json!(
        (0..201)
            .map(|i| format!("{:02}", i % 16 + 1))
            .collect::<Vec<_>>()
    );
    cases.push(("regions".into(), body));
    let mut body = incident(&["04"]);
    body["services"] = json!(vec![ELTERNGELD; 201]);
    cases.push(("services".into(), body));
    for (field, body) in cases {
        let res = app
            .send_json("POST", "/api/v1/notices", Some(&token), &body)
            .await;
        res.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_notice");
        assert!(
            res.json()["message"]
                .as_str()
                .is_some_and(|m| m.contains(&field)),
            "{field}: {}",
            String::from_utf8_lossy(&res.body)
        );
    }
}

#[tokio::test]
async fn a_long_timeline_keeps_its_newest_entries_and_never_blocks_a_change() {
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    let created = app
        .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
        .await
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    let uri = format!("/api/v1/notices/{id}");
    let max = anlaufstelle::notices::model::MAX_UPDATES;
    for n in 1..=max + 5 {
        let res = app
            .send_json(
                "PATCH",
                &uri,
                Some(&token),
                &json!({"message": {"de": format!("Stand {n}")}}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "update {n}");
    }
    let notice = app.state.notices.get(&id).expect("notice");
    assert_eq!(notice.updates.len(), max);
    assert_eq!(
        notice.updates[0].message["de"],
        format!("Stand {}", max + 5)
    );
    // Long messages in three languages: the oldest entries give way so the notice stays
    // within its size; the newest is kept whole.
    let long = "Ä".repeat(anlaufstelle::notices::model::MAX_MESSAGE);
    for _ in 0..30 {
        let res = app
            .send_json(
                "PATCH",
                &uri,
                Some(&token),
                &json!({"message": {"de": long, "en": long, "de-x-ls": long}}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let notice = app.state.notices.get(&id).expect("notice");
    assert!(notice.stored_len() <= anlaufstelle::notices::model::MAX_NOTICE_BYTES);
    assert_eq!(notice.updates[0].message["en"], long);
    let resolved = app
        .send_json("PATCH", &uri, Some(&token), &json!({"state": "resolved"}))
        .await;
    assert_eq!(resolved.status, StatusCode::OK);
}

#[tokio::test]
async fn a_notice_too_large_in_all_its_languages_is_refused() {
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    let mut body = incident(&["04"]);
    // Four-byte characters at every text's limit, in three languages.
    let text = |n: usize| "😀".repeat(n);
    for lang in ["de", "en", "de-x-ls"] {
        body["content"][lang] = json!({
            "title": text(200), "body": text(5000), "still_works": text(1000),
            "alternative": text(1000), "answers_kept": "yes",
            "alternative_url": format!("https://{}", text(990))
        });
    }
    app.send_json("POST", "/api/v1/notices", Some(&token), &body)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_notice");
}

#[tokio::test]
async fn a_maintenance_notice_with_a_long_history_still_moves_on_the_clock_and_holds_up_no_other() {
    let app = TestApp::empty().await.at("2026-11-23T09:00:00Z");
    let bremen = app.token("bremen", &[], &["04"]).await;
    let nrw = app.token("nrw", &[], &["05"]).await;
    let window = |region: &str| {
        json!({
            "kind": "maintenance", "impact": "minor", "regions": [region],
            "starts_at": "2026-11-23T10:00:00Z", "ends_at": "2026-11-23T12:00:00Z",
            "content": {"de": {"title": "Wartung"}}
        })
    };
    let long = app
        .send_json("POST", "/api/v1/notices", Some(&bremen), &window("04"))
        .await
        .json();
    let long_id = long["id"].as_str().expect("id").to_string();
    for n in 0..anlaufstelle::notices::model::MAX_UPDATES {
        let res = app
            .send_json(
                "PATCH",
                &format!("/api/v1/notices/{long_id}"),
                Some(&bremen),
                &json!({"message": {"de": format!("Hinweis {n}")}}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let mut others = Vec::new();
    for _ in 0..6 {
        let other = app
            .send_json("POST", "/api/v1/notices", Some(&nrw), &window("05"))
            .await
            .json();
        others.push(other["id"].as_str().expect("id").to_string());
    }
    let start: jiff::Timestamp = "2026-11-23T10:00:01Z".parse().expect("time");
    let before: jiff::Timestamp = "2026-11-23T09:59:59Z".parse().expect("time");
    let moved = app.state.notices.tick(start, before).await.expect("tick");
    assert_eq!(moved, 7);
    for id in others.iter().chain([&long_id]) {
        let notice = app.state.notices.get(id).expect("notice");
        assert_eq!(notice.state, wire::NoticeState::InProgress, "{id}");
    }
}

#[tokio::test]
async fn a_notice_outside_the_tokens_scope_looks_exactly_like_a_missing_one() {
    let app = TestApp::empty().await.at(NOW);
    let ops = app.token("ops", &[], &[]).await;
    let bremen = app.token("bremen", &[], &["04"]).await;
    let nrw = app
        .send_json("POST", "/api/v1/notices", Some(&ops), &incident(&["05"]))
        .await;
    let nrw_id = nrw.json()["id"].as_str().expect("id").to_string();
    let before = app.state.notices.get(&nrw_id).expect("stored");

    // A valid change, one the notice rules reject, and one that would move it into Bremen:
    // each answered for the foreign notice exactly as for an id that does not exist.
    for patch in [
        json!({"state": "resolved"}),
        json!({"state": "completed"}),
        json!({"regions": ["04"]}),
    ] {
        let foreign = app
            .send_json(
                "PATCH",
                &format!("/api/v1/notices/{nrw_id}"),
                Some(&bremen),
                &patch,
            )
            .await;
        let missing = app
            .send_json(
                "PATCH",
                "/api/v1/notices/ntc-0000000000000000",
                Some(&bremen),
                &patch,
            )
            .await;
        foreign.assert_error(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(
            (foreign.status, foreign.json()),
            (missing.status, missing.json()),
            "{patch}"
        );
    }
    assert_eq!(*app.state.notices.get(&nrw_id).expect("kept"), *before);
}

#[tokio::test]
async fn the_bearer_scheme_is_accepted_in_any_case() {
    let app = TestApp::empty().await.at(NOW);
    let token = app.token("ops", &[], &[]).await;
    for scheme in ["bearer", "BEARER", "BeArEr"] {
        let res = app
            .request(
                Request::post("/api/v1/notices")
                    .header("content-type", "application/json")
                    .header("authorization", format!("{scheme} {token}"))
                    .body(Body::from(incident(&["04"]).to_string()))
                    .expect("request"),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "{scheme}: {}",
            String::from_utf8_lossy(&res.body)
        );
    }
    for wrong in [
        format!("Basic {token}"),
        format!("Bearer{token}"),
        token.clone(),
    ] {
        app.request(
            Request::post("/api/v1/notices")
                .header("content-type", "application/json")
                .header("authorization", wrong.as_str())
                .body(Body::from(incident(&["04"]).to_string()))
                .expect("request"),
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized");
    }
}
