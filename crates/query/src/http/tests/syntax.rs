//! The researchers' query language over the router: proximity on one page, prefixes, groups
//! inside a field, and a 400 that says what to write for what is not supported.

use axum::http::StatusCode;
use serde_json::Value;

use super::{get, library_of, page, publication};

fn library() -> (tempfile::TempDir, crate::http::AppState) {
    let pubs = vec![
        (
            publication(
                "close",
                "Mental health",
                "Services for refugees.",
                &["health"],
            ),
            vec![
                page(1, "Cover."),
                page(2, "Refugee doctors and nurses need mental health services."),
            ],
        ),
        (
            // The two words are on two pages, one ending and the next starting with them.
            publication("split", "Annual report", "The year.", &["employment"]),
            vec![
                page(1, "Our work with many doctors"),
                page(2, "refugee families came to us."),
            ],
        ),
        (
            publication("far", "Healthy eating", "Food.", &["food"]),
            vec![page(
                1,
                "Doctors said one two three four five six seven eight nine ten eleven refugee.",
            )],
        ),
        (
            publication("gp", "Registering with a GP", "Advice.", &["health"]),
            vec![page(1, "How to register with a GP surgery.")],
        ),
    ];
    library_of(&pubs, |_| {})
}

async fn ids(app: &crate::http::AppState, q: &str) -> Vec<String> {
    let uri = format!(
        "/api/search?mode=strict&q={}",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    );
    let (status, _, body) = get(app, &uri, &[]).await;
    assert_eq!(status, StatusCode::OK, "{q}: {body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn proximity_counts_words_on_one_page_in_either_order() {
    let (_dir, app) = library();
    // Next to each other on a page, as a phrase.
    assert_eq!(ids(&app, "\"refugee doctors\"").await, ["close"]);
    // "doctors" ... "refugee": the pair swapped, 0 words between, is two moves.
    assert_eq!(ids(&app, "\"refugee doctors\"~1").await, ["close"]);
    assert_eq!(ids(&app, "doctors NEAR/0 refugee").await, ["close"]);
    // Twelve words between in "far": within 12, not within 11; never across the page break
    // of "split", where the words would be next to each other in the joined text.
    assert_eq!(ids(&app, "doctors NEAR/12 refugee").await, ["close", "far"]);
    assert_eq!(ids(&app, "doctors NEAR/11 refugee").await, ["close"]);
    assert_eq!(ids(&app, "doctors NEAR refugee").await, ["close"]);
    assert_eq!(
        ids(&app, "refugee NEAR/100 doctors").await,
        ["close", "far"]
    );
    assert_eq!(ids(&app, "\"doctors refugee\"~12").await, ["close", "far"]);
    // Both words anywhere: all three.
    assert_eq!(
        ids(&app, "doctors refugee").await,
        ["close", "far", "split"]
    );
    // The page shown is the page where the words stand together.
    let (_, _, body) = get(
        &app,
        "/api/search?mode=strict&q=doctors+NEAR%2F5+services",
        &[],
    )
    .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["hits"][0]["id"], "close");
    assert_eq!(v["hits"][0]["pages"][0]["page"], 2, "{body}");
}

#[tokio::test]
async fn prefixes_and_groups_inside_a_field() {
    let (_dir, app) = library();
    // "gp" has the topic "health".
    assert_eq!(ids(&app, "heal*").await, ["close", "far", "gp"]);
    assert_eq!(ids(&app, "title:heal*").await, ["close", "far"]);
    assert_eq!(ids(&app, "regist*").await, ["gp"]);
    assert_eq!(ids(&app, "title:(mental OR gp)").await, ["close", "gp"]);
    // "gp" is in the text of "gp" only as a word of its title; in the text field there is
    // no "annual", so the group in a field is not the group anywhere.
    assert_eq!(
        ids(&app, "title:(annual OR eating)").await,
        ["far", "split"]
    );
    assert_eq!(
        ids(&app, "-title:(mental OR gp) doctors").await,
        ["far", "split"]
    );
}

#[tokio::test]
async fn unsupported_syntax_is_a_400_that_says_what_to_write() {
    let (_dir, app) = library();
    for (q, says) in [
        ("heal*th", "only at the end of a word"),
        ("nurse~2", "proximity is written"),
        ("\"mental services\"~x", "needs a number of words"),
        ("a NEAR b NEAR c", "follows another NEAR"),
        ("wom?n", "use `*` at the end"),
        ("[2005 TO 2010]", "date_from and date_to"),
    ] {
        let uri = format!(
            "/api/search?mode=strict&q={}",
            percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
        );
        let (status, _, body) = get(&app, &uri, &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert!(body.contains(says), "{q}: {body}");
        // Website mode never refuses a query.
        let (status, _, body) = get(&app, &uri.replace("strict", "website"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
    }
}
