//! The notice stream's replay for resuming clients is bounded: the latest state of each
//! notice, at most `REPLAY_MAX_NOTICES` notices and `REPLAY_MAX_BYTES`; past either, and past
//! the replay window, a fresh snapshot of what the client's audience sees.

use crate::TestApp;
use crate::notices::{incident, open_stream};
use anlaufstelle::api::notices::REPLAY_MAX_BYTES;
use anlaufstelle::notices::NoticeHub;
use anlaufstelle::notices::hub::{REPLAY_MAX_NOTICES, Start};
use std::sync::Arc;

#[tokio::test]
async fn a_replay_from_zero_over_many_foreign_notices_is_a_small_snapshot() {
    // The attack: `Last-Event-ID: 0` made the server send a `remove` for every change ever
    // recorded, 1.9 MB for a form that showed nothing.
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    for _ in 0..=REPLAY_MAX_NOTICES {
        let created = app
            .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["05"]))
            .await;
        assert_eq!(created.status, 201);
    }
    let addr = app.serve().await;
    let (mut stream, _) = open_stream(addr, Some("0")).await;
    let first = stream.next().await;
    assert_eq!(first.event, "snapshot");
    assert_eq!(first.data["notices"], serde_json::json!([]));
    assert_eq!(
        first.id,
        app.state.notices.last_event_id().to_string(),
        "the snapshot resumes from the newest change"
    );
}

#[tokio::test]
async fn a_replay_carries_each_notice_once_and_fewer_than_the_cap_replay() {
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    let seen = app.state.notices.last_event_id();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let created = app
            .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
            .await
            .json();
        ids.push(created["id"].as_str().expect("id").to_string());
    }
    // Ten changes to the first notice: the replay sends it once, as it is now.
    for n in 0..10 {
        let uri = format!("/api/v1/notices/{}", ids[0]);
        let patch = serde_json::json!({"message": {"de": format!("Stand {n}")}});
        assert_eq!(
            app.send_json("PATCH", &uri, Some(&token), &patch)
                .await
                .status,
            200
        );
    }
    let (Start::Replay(events), _) = app.state.notices.subscribe(Some(seen)) else {
        panic!("a short absence is replayed");
    };
    let replayed: Vec<&str> = events.iter().map(|e| e.notice.id.as_str()).collect();
    assert_eq!(
        replayed,
        [ids[1].as_str(), ids[2].as_str(), ids[0].as_str()]
    );
    assert_eq!(events[2].id, app.state.notices.last_event_id());
    let last = events[2]
        .notice
        .updates
        .first()
        .expect("timeline, newest first");
    assert_eq!(
        last.message["de"], "Stand 9",
        "the latest state, not an earlier one"
    );

    let addr = app.serve().await;
    let (mut stream, _) = open_stream(addr, Some(&seen.to_string())).await;
    for id in [&ids[1], &ids[2], &ids[0]] {
        let event = stream.next().await;
        assert_eq!(
            (event.event.as_str(), event.data["id"].as_str()),
            ("notice", Some(id.as_str()))
        );
    }
}

#[tokio::test]
async fn a_replay_over_the_byte_cap_is_a_snapshot() {
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    let seen = app.state.notices.last_event_id();
    let mut notice = incident(&["04"]);
    notice["content"]["de"]["body"] = serde_json::json!("Ä".repeat(4_900));
    let count = REPLAY_MAX_BYTES / 9_000 + 2;
    assert!(
        count < REPLAY_MAX_NOTICES,
        "the byte cap decides, not the count"
    );
    for _ in 0..count {
        let created = app
            .send_json("POST", "/api/v1/notices", Some(&token), &notice)
            .await;
        assert_eq!(
            created.status,
            201,
            "{}",
            String::from_utf8_lossy(&created.body)
        );
    }
    let addr = app.serve().await;
    let (mut stream, _) = open_stream(addr, Some(&seen.to_string())).await;
    let first = stream.next().await;
    assert_eq!(first.event, "snapshot");
    assert_eq!(first.data["notices"].as_array().map(Vec::len), Some(count));
}

#[tokio::test]
async fn a_resume_point_evicted_from_the_replay_window_gets_a_snapshot() {
    let mut app = TestApp::empty().await;
    let hub = NoticeHub::load_with_window(app.state.db.clone(), 4)
        .await
        .expect("hub loads");
    app.state.notices = Arc::new(hub);
    let token = app.token("ops", &[], &[]).await;
    let mut event_ids = Vec::new();
    for _ in 0..6 {
        app.send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
            .await;
        event_ids.push(app.state.notices.last_event_id());
    }
    // The window holds the last four events: a client that saw the second misses only those.
    match app.state.notices.subscribe(Some(event_ids[1])) {
        (Start::Replay(events), _) => assert_eq!(events.len(), 4),
        (other, _) => panic!("expected a replay, got {other:?}"),
    }
    // One that saw only the first missed an event the window no longer has.
    assert!(matches!(
        app.state.notices.subscribe(Some(event_ids[0])).0,
        Start::Snapshot { .. }
    ));
    // An id from the future (another database, a forged header) is no resume point either.
    assert!(matches!(
        app.state.notices.subscribe(Some(event_ids[5] + 1)).0,
        Start::Snapshot { .. }
    ));
}

#[tokio::test]
async fn a_resumed_stream_hears_nothing_of_drafts_or_other_regions() {
    let app = TestApp::empty().await;
    let token = app.token("ops", &[], &[]).await;
    let shown = app
        .send_json("POST", "/api/v1/notices", Some(&token), &incident(&["04"]))
        .await
        .json();
    let seen = app.state.notices.last_event_id().to_string();
    let addr = app.serve().await;
    let (mut stream, _) = open_stream(addr, Some(&seen)).await;
    // A draft in the form's own region and a notice for another Land: a resumed form must
    // not learn of either, not even by a harmless `remove` carrying the id.
    let mut draft = incident(&["04"]);
    draft["published"] = serde_json::json!(false);
    for body in [draft, incident(&["05"])] {
        let res = app
            .send_json("POST", "/api/v1/notices", Some(&token), &body)
            .await;
        assert_eq!(res.status, 201);
    }
    // A change to the notice the form may show still reaches it, and is the first event.
    let uri = format!("/api/v1/notices/{}", shown["id"].as_str().expect("id"));
    app.send_json(
        "PATCH",
        &uri,
        Some(&token),
        &serde_json::json!({"state": "resolved"}),
    )
    .await;
    let first = stream.next().await;
    assert_eq!(
        (first.event.as_str(), first.data["id"].as_str()),
        ("remove", shown["id"].as_str())
    );
}
