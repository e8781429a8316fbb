//! The bound on searches running at once: with every slot taken, searches are 503 `busy`
//! with `Retry-After`, cheap routes still answer, and searching works again once a slot is
//! free. Slots are held by the test itself (or by a search it keeps blocked), never timed.

use std::sync::mpsc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use super::{library_with, send};
use crate::http::blocking;
use crate::http::error::ApiError;

const SEARCHES: [&str; 4] = [
    "/api/search?q=shelter",
    "/?q=shelter",
    "/api/publications/hostile/search?q=shelter",
    "/publications/hostile?q=shelter",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_searches_gets_busy_cheap_routes_answer_and_search_recovers() {
    let (_dir, app) = library_with(|c| {
        c.max_concurrent_searches = 2;
        c.busy_wait = Duration::from_millis(20);
    });
    let held = app
        .search_slots()
        .clone()
        .acquire_many_owned(2)
        .await
        .unwrap();

    let mut flood = tokio::task::JoinSet::new();
    for i in 0..24 {
        let app = app.clone();
        let uri = SEARCHES[i % SEARCHES.len()];
        flood.spawn(async move {
            let (status, headers, body) =
                send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
            (uri, status, headers, body)
        });
    }
    let mut answered = 0;
    while let Some(joined) = flood.join_next().await {
        let (uri, status, headers, body) = joined.unwrap();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}: {body}");
        assert_eq!(headers[header::RETRY_AFTER], "1", "{uri}");
        if uri.starts_with("/api/") {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["code"], "busy", "{uri}: {body}");
        } else {
            assert!(body.contains("busy"), "{uri}: {body}");
            assert!(
                headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
        }
        answered += 1;
    }
    assert_eq!(answered, 24);

    // What is not a search still answers while every slot is taken.
    for uri in [
        "/healthz",
        "/api/suggest?q=shel",
        "/api/publications/hostile",
        "/publications/hostile",
        "/api/stats",
    ] {
        let (status, _, body) = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    }

    drop(held);
    for uri in SEARCHES {
        let (status, _, body) = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    }
    assert_eq!(app.search_slots().available_permits(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_past_its_deadline_keeps_its_slot_until_it_ends() {
    let (_dir, app) = library_with(|c| {
        c.max_concurrent_searches = 1;
        c.busy_wait = Duration::from_millis(20);
        c.search_timeout = Duration::from_millis(20);
    });
    let (release, blocked) = mpsc::channel::<()>();
    // This search cannot end before the test releases it, so its deadline passes.
    let stuck = blocking::search(&app, move |_| {
        blocked.recv().ok();
        Ok(())
    })
    .await;
    assert!(matches!(stuck, Err(ApiError::Timeout(20))), "{stuck:?}");
    // It still holds the only slot.
    let next = blocking::search(&app, |_| Ok(())).await;
    assert!(matches!(next, Err(ApiError::Busy)), "{next:?}");
    assert_eq!(app.search_slots().available_permits(), 0);
    // Once it ends, its slot is free again.
    release.send(()).unwrap();
    drop(app.search_slots().acquire().await.unwrap());
    let after = blocking::search(&app, |st| Ok(st.service().stats()?.publications)).await;
    assert_eq!(after.unwrap(), 2);
}
