//! The HTML pages: escaping, CSP, friendly errors; and the JSON routes beside them.

use axum::http::{StatusCode, header};

use super::{assert_html_page, get, library};

#[tokio::test]
async fn search_page_escapes_titles_and_summaries_and_sends_csp() {
    let (_dir, app) = library(&[]);
    let (status, headers, body) = get(&app, "/?q=shelter", &[("host", "lib.example")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_html_page(&headers, &body);
    assert!(
        body.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;"),
        "{body}"
    );
    assert!(!body.contains("<script>alert"));
    assert!(body.contains("&#60;img src=x onerror="));
    // Snippets keep their <mark> and their own escaping.
    assert!(
        body.contains("<mark>Shelter</mark> &lt;b&gt;and&lt;/b&gt;"),
        "{body}"
    );
    assert!(body.contains("href=\"/files/hostile.pdf#page=2\""));
    // The result's citation is the publication's, not its best page's.
    assert!(
        body.contains("[Report]. http://lib.example/files/hostile.pdf<"),
        "{body}"
    );
    assert!(body.contains("Migrant and Refugee Communities Forum. (2009, July 7)."));
    assert!(body.contains("aria-live=\"polite\""));
}

#[tokio::test]
async fn publication_page_escapes_and_lists_matching_pages() {
    let (_dir, app) = library(&[]);
    let (status, headers, body) =
        get(&app, "/publications/hostile?q=shelter&order=page", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_html_page(&headers, &body);
    assert!(
        body.contains("<h1 class=\"pub-title\" lang=\"en\" dir=\"auto\">&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{body}"
    );
    assert!(body.contains("2 pages match"), "{body}");
    let first = body.find("/files/hostile.pdf#page=2").unwrap();
    let second = body.find("/files/hostile.pdf#page=3").unwrap();
    assert!(first < second, "pages in page order");
    assert!(body.contains("<option value=\"page\" selected>"), "{body}");
    // Best match first unless asked.
    let (_, _, body) = get(&app, "/publications/hostile?q=shelter", &[]).await;
    assert!(
        body.contains("<option value=\"relevance\" selected>"),
        "{body}"
    );
}

#[tokio::test]
async fn the_way_to_a_publication_and_back_keeps_the_search() {
    let (_dir, app) = library(&[]);
    let search = "q=shelter&type=report&year_from=2009&sort=date_desc";
    let (_, _, body) = get(&app, &format!("/?{search}"), &[]).await;
    // Attribute values are HTML-escaped: `&` is `&#38;`.
    let escaped = search.replace('&', "&#38;");
    assert!(
        body.contains(&format!("href=\"/publications/hostile?{escaped}\"")),
        "{body}"
    );
    let (_, _, body) = get(&app, &format!("/publications/hostile?{search}"), &[]).await;
    assert!(
        body.contains(&format!("<a href=\"/?{escaped}\">← Back to the search</a>")),
        "{body}"
    );
    // Searching inside the publication keeps the rest of the search for the way back.
    for hidden in [
        "name=\"type\" value=\"report\"",
        "name=\"year_from\" value=\"2009\"",
        "name=\"sort\" value=\"date_desc\"",
    ] {
        assert!(
            body.contains(&format!("<input type=\"hidden\" {hidden}>")),
            "{body}"
        );
    }
}

#[tokio::test]
async fn bad_input_renders_a_friendly_page() {
    let (_dir, app) = library(&[]);
    let (status, headers, body) = get(&app, "/?q=%28shelter&mode=strict", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_html_page(&headers, &body);
    assert!(body.contains("could not be understood"), "{body}");
    assert!(body.contains("role=\"alert\""));
    // The same query in website mode just works.
    let (status, _, _) = get(&app, "/?q=%28shelter", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = get(&app, "/?type=pamphlet&year_from=x", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("pamphlet") && body.contains("not a year"),
        "{body}"
    );
    let (status, headers, body) = get(&app, "/publications/nope", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_html_page(&headers, &body);
}

#[tokio::test]
async fn suggest_answers_json_and_bounds_its_input() {
    let (_dir, app) = library(&[]);
    let (status, _, body) = get(&app, "/api/suggest?q=helth", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["q"], "helth");
    assert!(
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "topic" && s["text"] == "health"),
        "{body}"
    );
    let (status, _, body) = get(&app, "/api/suggest?q=scri", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"id\":\"hostile\""), "{body}");
    for junk in ["%25%25%25", "", "%FF%FE", "a"] {
        let (status, _, body) = get(&app, &format!("/api/suggest?q={junk}"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{junk}");
        assert!(body.contains("\"suggestions\":[]"), "{junk}: {body}");
    }
    let long = "a".repeat(201);
    let (status, _, body) = get(&app, &format!("/api/suggest?q={long}"), &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("invalid_parameter"));
}

#[tokio::test]
async fn assets_and_widget_are_served_with_their_types() {
    let (_dir, app) = library(&[]);
    for (uri, kind) in [
        ("/assets/app.css", "text/css"),
        ("/assets/app.js", "text/javascript"),
        ("/widget.js", "text/javascript"),
        ("/widget.css", "text/css"),
    ] {
        let (status, headers, body) = get(&app, uri, &[]).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
        assert!(!body.is_empty());
    }
    let (status, _, _) = get(&app, "/assets/../Cargo.toml", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, js) = get(&app, "/widget.js", &[]).await;
    assert!(
        !js.contains("innerHTML"),
        "the widget builds nodes, never HTML"
    );
}

#[tokio::test]
async fn cors_answers_only_listed_origins() {
    let (_dir, app) = library(&["http://allowed.example"]);
    let acao = "access-control-allow-origin";
    let (status, headers, _) = get(
        &app,
        "/api/search?q=shelter",
        &[("origin", "http://allowed.example")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[acao], "http://allowed.example");
    for uri in ["/api/search?q=shelter", "/api/suggest?q=shel"] {
        let (status, headers, _) = get(&app, uri, &[("origin", "http://other.example")]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers.get(acao).is_none(), "{uri}: {headers:?}");
    }
}

#[tokio::test]
async fn an_unknown_publication_is_an_html_page_that_leads_to_the_search() {
    let (_dir, app) = library(&[]);
    for uri in [
        "/publications/removed-long-ago",
        "/publications/removed?q=shelter",
    ] {
        let (status, headers, body) = get(&app, uri, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_html_page(&headers, &body);
        assert!(body.contains("Publication not found"), "{body}");
        assert!(body.contains("may have been removed"), "{body}");
        assert!(
            body.contains("<a href=\"/\">"),
            "no link to the search: {body}"
        );
        assert!(body.contains("action=\"/\""), "no search form: {body}");
        assert!(!body.contains("\"code\""), "JSON in an HTML page: {body}");
    }
    // A path that is not UTF-8 is an HTML page too, not a bare rejection.
    let (status, headers, body) = get(&app, "/publications/%FF%FE", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_html_page(&headers, &body);
}

/// The pages render search's snippet ranges into the same escaped HTML as the API.
#[tokio::test]
async fn pages_and_api_render_snippets_alike() {
    let (_dir, app) = library(&[]);
    let uri = "/api/publications/hostile/search?q=shelter&order=page";
    let (_, _, json) = get(&app, uri, &[]).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (_, _, page) = get(&app, "/publications/hostile?q=shelter&order=page", &[]).await;
    let snippets: Vec<&str> = v["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["snippet"].as_str().unwrap())
        .collect();
    assert_eq!(snippets.len(), 2, "{json}");
    assert!(
        snippets[0].starts_with("<mark>Shelter</mark> &lt;b&gt;and&lt;/b&gt; food"),
        "{json}"
    );
    assert!(
        snippets[1].contains("<mark>shelter</mark> here &amp; there"),
        "{json}"
    );
    for s in snippets {
        assert!(page.contains(s), "{s} not in {page}");
    }
}

#[tokio::test]
async fn the_page_says_which_words_were_not_required() {
    let (_dir, app) = library(&[]);
    let (status, _, body) = get(&app, "/?q=the+shelter", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Showing results without: “the”"), "{body}");
    // Two publications cannot make a page of results with both words: some words suffice.
    let (status, _, body) = get(&app, "/?q=shelter+families+housing", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Few publications have all of these words"),
        "{body}"
    );
    assert!(body.contains("Housing Guide"), "{body}");
    // Strict mode requires every word and says nothing of the kind.
    let (_, _, body) = get(&app, "/?q=shelter+families+housing&mode=strict", &[]).await;
    assert!(!body.contains("Few publications"), "{body}");
}

#[tokio::test]
async fn a_strict_page_with_no_hits_points_to_the_website_mode() {
    let (_dir, app) = library(&[]);
    let (status, _, body) = get(&app, "/?q=shelter+food+housing&mode=strict", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No publications match"), "{body}");
    assert!(
        body.contains("Without “Exact search”, 2 publications match."),
        "{body}"
    );
    let (_, _, body) = get(&app, "/?q=sheltr&mode=strict", &[]).await;
    assert!(body.contains("Did you mean “shelter”?"), "{body}");
}

#[tokio::test]
async fn a_topic_filter_ignores_case_and_counts_read_singular() {
    let (_dir, app) = library(&[]);
    let total = |body: &str| -> u64 {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["total"].as_u64().unwrap()
    };
    let (_, _, lower) = get(&app, "/api/search?q=&topic=health", &[]).await;
    let (_, _, upper) = get(&app, "/api/search?q=&topic=Health", &[]).await;
    let (_, _, spaced) = get(&app, "/api/search?q=&topic=+HEALTH+", &[]).await;
    assert_eq!(total(&lower), 1, "{lower}");
    assert_eq!(total(&upper), 1, "{upper}");
    assert_eq!(total(&spaced), 1, "{spaced}");
    // On the page, the stored topic's box is the one ticked.
    let (status, _, body) = get(&app, "/?topic=Health", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("name=\"topic\" value=\"health\" checked>"),
        "{body}"
    );
    assert!(body.contains("1 publication with these filters"), "{body}");
    // One publication is one, in the counts' spoken labels too.
    let (_, _, body) = get(&app, "/", &[]).await;
    assert!(body.contains(">1 publication</span>"), "{body}");
    assert!(!body.contains(">1 publications</span>"), "{body}");
}

#[tokio::test]
async fn a_publication_page_cites_each_page_and_lists_similar_ones() {
    let (_dir, app) = super::library(&[]);
    let (status, headers, body) = get(&app, "/publications/hostile?q=shelter", &[]).await;
    assert_eq!(status, 200);
    super::assert_html_page(&headers, &body);
    // The publication's own line has no page; each matching page's line has its page.
    assert!(body.contains("Cite page 2:"), "{body}");
    assert!(body.contains("p. 2. /files/hostile.pdf#page=2"), "{body}");
    assert!(body.contains("p. 3. /files/hostile.pdf#page=3"), "{body}");
    assert!(body.contains("[Report]. /files/hostile.pdf<"), "{body}");
    // The title in the citation is escaped like everywhere else.
    assert!(!body.contains("<script>alert"));
    for format in ["csl-json", "bibtex", "ris"] {
        assert!(
            body.contains(&format!(
                "href=\"/api/publications/hostile/cite?format={format}\""
            )),
            "{body}"
        );
    }
    assert!(body.contains("Similar publications"), "{body}");
    assert!(body.contains("href=\"/publications/plain\""), "{body}");
}
