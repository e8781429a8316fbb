//! Dates and years on a library of three dated publications and one undated: the undated one
//! comes last in both date orders, has no year bucket, says "undated" and is listed in the
//! statistics; the year inputs take the library's years, never the results'.

use serde_json::Value;

use super::{get, library_of, page, publication};
use crate::http::state::AppState;
use pubsearch_core::model::{PageText, Publication};
use time::macros::date;

fn dated(id: &str, date: Option<time::Date>, text: &str) -> (Publication, Vec<PageText>) {
    let mut p = publication(id, &format!("Title of {id}"), "", &["health"]);
    p.date = date;
    (p, vec![page(1, text)])
}

fn years_library() -> (tempfile::TempDir, AppState) {
    library_of(
        &[
            dated("undated", None, "Shelter notes."),
            dated("old", Some(date!(2004 - 01 - 07)), "Shelter advice."),
            dated("mid", Some(date!(2009 - 07 - 07)), "Shelter and food."),
            dated("new", Some(date!(2021 - 09 - 15)), "Shelter and housing."),
        ],
        |_| {},
    )
}

async fn json(app: &AppState, uri: &str) -> Value {
    let (status, _, body) = get(app, uri, &[]).await;
    assert_eq!(status, 200, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn ids(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn undated_publications_come_after_dated_ones_in_both_date_orders() {
    let (_dir, app) = years_library();
    for q in ["", "shelter"] {
        let newest = json(&app, &format!("/api/search?q={q}&sort=date_desc")).await;
        assert_eq!(ids(&newest), ["new", "mid", "old", "undated"], "q={q}");
        let oldest = json(&app, &format!("/api/search?q={q}&sort=date_asc")).await;
        assert_eq!(ids(&oldest), ["old", "mid", "new", "undated"], "q={q}");
    }
    // Also when paging: the last page of one is the undated one.
    let last = json(&app, "/api/search?q=&sort=date_asc&per_page=1&page=4").await;
    assert_eq!(ids(&last), ["undated"]);
    // The page for people lists newest first with no query.
    let (_, _, html) = get(&app, "/", &[]).await;
    let at = |id: &str| html.find(&format!("data-id=\"{id}\"")).unwrap();
    assert!(at("new") < at("mid") && at("old") < at("undated"), "{html}");
}

#[tokio::test]
async fn undated_publications_have_no_year_and_are_listed_in_the_statistics() {
    let (_dir, app) = years_library();
    let all = json(&app, "/api/search?q=").await;
    let years: Vec<(&str, u64)> = all["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["value"].as_str().unwrap(), y["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(years, [("2021", 1), ("2009", 1), ("2004", 1)]);
    let stats = json(&app, "/api/stats").await;
    assert_eq!(
        stats["undated"],
        serde_json::json!([{"id": "undated", "path": "undated.pdf", "title": "Title of undated"}])
    );
}

#[tokio::test]
async fn undated_publications_say_so_on_the_pages_and_in_citations() {
    let (_dir, app) = years_library();
    let (_, _, html) = get(&app, "/?q=notes", &[]).await;
    assert!(
        html.contains("<span class=\"undated\">undated</span>"),
        "{html}"
    );
    assert!(
        html.contains("Migrant and Refugee Communities Forum. (n.d.). Title of undated [Report]."),
        "{html}"
    );
    let (_, _, html) = get(&app, "/publications/undated", &[]).await;
    assert!(html.contains("undated · "), "{html}");
    assert!(
        html.contains("(n.d.). Title of undated [Report]."),
        "{html}"
    );
    let (_, _, html) = get(&app, "/?q=food", &[]).await;
    assert!(
        html.contains("<time datetime=\"2009-07-07\">7 July 2009</time>"),
        "{html}"
    );
}

/// The `min`, `max` and `value` of the year input `id`.
fn year_input(html: &str, id: &str) -> (String, String, String) {
    let start = html.find(&format!("<input id=\"{id}\"")).unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let attr = |name: &str| {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_string())
            .unwrap_or_default()
    };
    (attr("min"), attr("max"), attr("value"))
}

#[tokio::test]
async fn year_inputs_take_the_library_years_not_the_results() {
    let (_dir, app) = years_library();
    // Only the 2009 publication has "food"; a filter from 2010 finds nothing.
    for uri in ["/?q=food", "/?q=food&year_from=2010"] {
        let (_, _, html) = get(&app, uri, &[]).await;
        let (min, max, _) = year_input(&html, "year_from");
        assert_eq!((min.as_str(), max.as_str()), ("2004", "2021"), "{uri}");
        let (min, max, _) = year_input(&html, "year_to");
        assert_eq!((min.as_str(), max.as_str()), ("2004", "2021"), "{uri}");
        // No filter input can make the form invalid and block the search box.
        assert!(html.contains("role=\"search\" novalidate>"), "{html}");
    }
    let (_, _, html) = get(&app, "/?q=food&year_from=2010", &[]).await;
    assert_eq!(year_input(&html, "year_from").2, "2010");
}

#[tokio::test]
async fn years_outside_the_library_are_clamped_and_said_so() {
    let (_dir, app) = years_library();
    let (status, _, html) = get(&app, "/?q=shelter&year_from=1800&year_to=2090", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(year_input(&html, "year_from").2, "2004");
    assert_eq!(year_input(&html, "year_to").2, "2021");
    assert!(html.contains("the year 1800 was read as 2004"), "{html}");
    assert!(html.contains("the year 2090 was read as 2021"), "{html}");
    assert!(html.contains("3 publications match"), "{html}");
}

#[tokio::test]
async fn a_library_without_dates_has_no_year_bounds() {
    let (_dir, app) = library_of(&[dated("undated", None, "Shelter notes.")], |_| {});
    let (_, _, html) = get(&app, "/?q=shelter&year_from=2010", &[]).await;
    let (min, max, value) = year_input(&html, "year_from");
    assert_eq!(
        (min.as_str(), max.as_str(), value.as_str()),
        ("", "", "2010")
    );
    assert!(!html.contains("min=\"\""), "{html}");
}

#[tokio::test]
async fn exact_dates_keep_whole_years_months_and_days_inclusive() {
    let (_dir, app) = years_library();
    let cases = [
        ("date_from=2004-01-07&date_to=2004-01-07", vec!["old"]),
        ("date_from=2004-01-08", vec!["mid", "new"]),
        ("date_to=2009-07", vec!["mid", "old"]),
        ("date_to=2009-06", vec!["old"]),
        ("date_from=2009&date_to=2021-09-14", vec!["mid"]),
        ("date_from=2021-09-15&date_to=2021", vec!["new"]),
        // With a year filter: both apply.
        ("date_from=2004&year_from=2005", vec!["mid", "new"]),
    ];
    for (params, want) in cases {
        let body = json(
            &app,
            &format!("/api/search?q=shelter&sort=date_desc&{params}"),
        )
        .await;
        let mut got = ids(&body);
        got.sort();
        let mut want = want.clone();
        want.sort();
        assert_eq!(got, want, "{params}");
        // The year facet counts without its own dimension's filters.
        assert_eq!(
            body["facets"]["year"].as_array().unwrap().len(),
            3,
            "{params}"
        );
    }
    // The API refuses a date it cannot read, naming the parameter and the forms.
    for bad in [
        "date_from=2006-13",
        "date_to=07/01/2006",
        "date_from=2010&date_to=2009",
    ] {
        let (status, _, body) = get(&app, &format!("/api/search?q=shelter&{bad}"), &[]).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body.contains("date_"), "{bad}: {body}");
    }
    // The page never blocks on one: it says so, ignores it and keeps the other.
    let (status, _, html) = get(&app, "/?q=shelter&date_from=2006-13&date_to=2009-07", &[]).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("is not a date (write 2006, 2006-01 or 2006-01-31)"),
        "{html}"
    );
    assert!(html.contains("Dates: until 2009-07"), "{html}");
    assert!(
        html.contains("name=\"date_to\" form=\"search\" type=\"text\""),
        "{html}"
    );
    assert!(html.contains("value=\"2009-07\""), "{html}");
    assert!(
        html.contains("data-id=\"old\"") && !html.contains("data-id=\"new\""),
        "{html}"
    );
    // Swapped dates are swapped back, with a notice.
    let (_, _, html) = get(&app, "/?q=shelter&date_from=2021&date_to=2009", &[]).await;
    assert!(
        html.contains("The dates were swapped: 2009 to 2021."),
        "{html}"
    );
    assert!(
        html.contains("data-id=\"mid\"") && html.contains("data-id=\"new\""),
        "{html}"
    );
}
