//! End-to-end tests of the search page and the widget in a real browser: Debian's headless
//! Chromium driven through chromedriver (W3C WebDriver).
//!
//! Needs the packages `chromium` and `chromium-driver` (`CHROME` and `CHROMEDRIVER` may point
//! elsewhere). Without them each test prints how to install them and passes, except under
//! `CI=true`, where that is a failure.
//!
//! The screenshots in `docs/screenshots/` are made by an ignored test:
//! `cargo test --test browser -- --ignored screenshots`.

#[path = "browser/fixture.rs"]
mod fixture;
#[path = "browser/webdriver.rs"]
mod webdriver;

use std::sync::Mutex;

use anyhow::{Context, Result, anyhow, ensure};
use serde_json::Value;

use fixture::{Fixture, HOSTILE_ID, HOSTILE_TITLE, Library};
use webdriver::{Driver, Session, Tools, keys};

/// One browser at a time: the machine is small and timings stay predictable.
static BROWSER: Mutex<()> = Mutex::new(());

/// The browser tools, or `None` (after saying why) when the test should be skipped.
fn tools() -> Option<Tools> {
    if let Some(t) = Tools::find() {
        return Some(t);
    }
    let msg = "chromium and chromedriver were not found: install the Debian packages \
               `chromium chromium-driver` (apt-get install chromium chromium-driver), or set \
               CHROME and CHROMEDRIVER";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipping browser test: {msg}");
    None
}

/// Runs `body` with a fresh browser against the `library` fixture; the browser and its
/// driver are closed whatever happens.
fn with_browser(
    name: &str,
    library: Library,
    window: (u32, u32),
    body: impl AsyncFnOnce(&Session, &Fixture) -> Result<()>,
) {
    let Some(tools) = tools() else {
        return;
    };
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let fx = Fixture::get(library);
    let result = fx.rt.block_on(async {
        let driver = Driver::start(&tools)?;
        let session = driver.session(&tools, window).await?;
        let result = body(&session, fx).await;
        if result.is_err() {
            let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("browser-failures")
                .join(format!("{name}.png"));
            if session.save_screenshot(&shot).await.is_ok() {
                eprintln!("screenshot of the failure: {}", shot.display());
            }
        }
        let _ = session.close().await;
        drop(driver);
        result
    });
    if let Err(e) = result {
        panic!("{name}: {e:#}");
    }
}

/// The planted phrase for publication `id`: (word, page).
fn planted(fx: &Fixture, id: &str) -> Result<(String, u64)> {
    let p = fx.known["phrases"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["id"] == id)
        .ok_or_else(|| anyhow!("no planted phrase for {id}"))?;
    Ok((
        p["word"].as_str().unwrap_or_default().to_string(),
        p["page"].as_u64().unwrap_or_default(),
    ))
}

fn js_string(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// The focused element, described for the keyboard test.
const DESCRIBE_FOCUS: &str = r##"
const e = document.activeElement;
if (!e || e === document.body) return "body";
const style = getComputedStyle(e);
const visible = style.outlineStyle !== "none" || style.boxShadow !== "none";
let kind = "other";
if (e.id === "q") kind = "search-box";
else if (e.id === "mode") kind = "mode-toggle";
else if (e.name === "type") kind = "type-facet";
else if (e.name === "topic") kind = "topic-facet";
else if (e.id === "year_from" || e.id === "year_to") kind = "year";
else if (e.id === "sort") kind = "sort";
else if (e.closest(".hit-title")) kind = "result-link";
else if (e.closest(".pages")) kind = "page-link";
else if (e.closest(".pagination")) kind = e.classList.contains("next") ? "next-page" : "pagination";
return {kind: kind, visible: visible, tag: e.tagName, text: (e.textContent || "").trim().slice(0, 40)};
"##;

#[test]
fn search_shows_results_with_page_numbers() {
    with_browser(
        "search_shows_results_with_page_numbers",
        Library::Small,
        (1280, 900),
        async |s, fx| {
            let id = "2018-05-hostile-environment-briefing";
            let (word, page) = planted(fx, id)?;
            s.goto(&format!("{}/", fx.api)).await?;
            let q = s.find("#q").await?;
            s.type_into(&q, &word).await?;
            s.type_into(&q, keys::ENTER).await?;
            let hits = s
                .wait_js(
                    "search results",
                    r##"const h = [...document.querySelectorAll("li.hit")];
                       return location.search.includes("q=") && h.length
                         ? h.map(x => ({id: x.dataset.id,
                              title: x.querySelector(".hit-title").textContent.trim(),
                              pages: [...x.querySelectorAll(".page-link")].map(a => ({
                                text: a.textContent.trim(), href: a.getAttribute("href")})),
                              marks: [...x.querySelectorAll(".snippet mark")].map(m => m.textContent)}))
                         : null;"##,
                )
                .await?;
            let url = s.url().await?;
            ensure!(
                url.contains(&format!("q={word}")),
                "the query is in the URL: {url}"
            );
            let first = &hits[0];
            ensure!(
                first["id"] == id,
                "the planted word finds {id} first: {hits}"
            );
            ensure!(first["title"] == fx.title(id), "title shown: {first}");
            let expected_href = format!("/files/{id}.pdf#page={page}");
            let pages = first["pages"].as_array().context("pages")?;
            ensure!(
                pages
                    .iter()
                    .any(|p| p["text"] == format!("Page {page}")
                        && p["href"] == expected_href.as_str()),
                "page {page} is listed and opens the PDF there: {first}"
            );
            ensure!(
                first["marks"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|m| m.as_str() == Some(word.as_str()))),
                "the word is highlighted: {first}"
            );
            let status = s
                .wait_js(
                    "the result count",
                    "return document.querySelector('#result-count[aria-live]').textContent",
                )
                .await?;
            ensure!(
                status
                    .as_str()
                    .is_some_and(|t| t.contains("1 publication matches")),
                "result count announced: {status}"
            );
            Ok(())
        },
    );
}

#[test]
fn clicking_a_facet_changes_counts_and_results() {
    with_browser(
        "clicking_a_facet_changes_counts_and_results",
        Library::Small,
        (1280, 900),
        async |s, fx| {
            s.goto(&format!("{}/", fx.api)).await?;
            let facets = r##"
                const read = (sel) => Object.fromEntries([...document.querySelectorAll(sel + " .facet")]
                  .map(f => [f.querySelector("input").value, Number(f.querySelector(".count").textContent)]));
                return {type: read("#facet-type"), topic: read("#facet-topic"),
                        status: document.querySelector("#result-count").textContent,
                        types: [...document.querySelectorAll("li.hit .type")].map(t => t.textContent)};"##;
            let before = s.js(facets, vec![]).await?;
            let newsletters = before["type"]["newsletter"]
                .as_u64()
                .context("a newsletter facet with a count")?;
            let expected = fx.known["publications"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| {
                    p["type"] == "newsletter"
                        && fixture::SMALL.contains(&p["id"].as_str().unwrap_or(""))
                })
                .count() as u64;
            ensure!(
                newsletters >= expected && expected >= 3,
                "newsletter count {newsletters} (sidecars say at least {expected})"
            );
            let checkbox = s.find("#facet-type input[value='newsletter']").await?;
            s.click(&checkbox).await?;
            let after = s
                .wait_js(
                    "the filtered page",
                    &format!(
                        "if (!location.search.includes('type=newsletter')) return null; {facets}"
                    ),
                )
                .await?;
            let status = after["status"].as_str().unwrap_or_default();
            ensure!(
                status.starts_with(&format!("{newsletters} publications")),
                "count follows the facet: {status}"
            );
            let types = after["types"].as_array().context("types")?;
            ensure!(
                types.len() as u64 == newsletters.min(10)
                    && types.iter().all(|t| t == "Newsletter"),
                "only newsletters listed: {types:?}"
            );
            ensure!(
                after["topic"] != before["topic"],
                "topic counts follow the type filter: {} vs {}",
                before["topic"],
                after["topic"]
            );
            ensure!(
                after["type"]["report"] == before["type"]["report"]
                    || before["type"]["report"].is_null(),
                "the type facet keeps counting other types"
            );
            let checked = s
                .js(
                    "return document.querySelector(\"#facet-type input[value='newsletter']\").checked",
                    vec![],
                )
                .await?;
            ensure!(checked == Value::Bool(true), "the box stays ticked");
            Ok(())
        },
    );
}

#[test]
fn search_in_this_publication_lists_matching_pages() {
    with_browser(
        "search_in_this_publication_lists_matching_pages",
        Library::Small,
        (1280, 900),
        async |s, fx| {
            // Pick a publication with several matching pages, as the API says.
            let http = reqwest::Client::builder().no_proxy().build()?;
            let q = "health";
            let found: Value = http
                .get(format!(
                    "{}/api/search?q={q}&mode=website&per_page=10",
                    fx.api
                ))
                .send()
                .await?
                .json()
                .await?;
            let mut chosen = None;
            for hit in found["hits"].as_array().into_iter().flatten() {
                let id = hit["id"].as_str().unwrap_or_default();
                let pages: Value = http
                    .get(format!(
                        "{}/api/publications/{id}/search?q={q}&mode=website",
                        fx.api
                    ))
                    .send()
                    .await?
                    .json()
                    .await?;
                if pages["total"].as_u64().unwrap_or(0) >= 2 {
                    chosen = Some((id.to_string(), pages));
                    break;
                }
            }
            let (id, expected) = chosen.context("a publication with 2+ pages on health")?;
            let expected: Vec<u64> = expected["pages"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["page"].as_u64())
                .collect();

            s.goto(&format!("{}/?q={q}", fx.api)).await?;
            let link = s.find(&format!("li.hit[data-id='{id}'] a.in-pub")).await?;
            s.click(&link).await?;
            let shown = s
                .wait_js(
                    "the publication page",
                    r##"if (!location.pathname.startsWith("/publications/")) return null;
                       const p = [...document.querySelectorAll(".page-hit .page-link")];
                       return p.length ? {pages: p.map(a => a.getAttribute("href")),
                         title: document.querySelector("h1").textContent,
                         count: document.querySelector("#result-count").textContent} : null;"##,
                )
                .await?;
            let hrefs: Vec<String> = shown["pages"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|h| h.as_str().map(str::to_string))
                .collect();
            let want: Vec<String> = expected
                .iter()
                .map(|p| format!("/files/{id}.pdf#page={p}"))
                .collect();
            ensure!(
                hrefs == want,
                "every matching page, in order: {hrefs:?} vs {want:?}"
            );
            ensure!(shown["title"] == fx.title(&id), "title: {shown}");
            ensure!(
                shown["count"]
                    .as_str()
                    .is_some_and(|c| c.starts_with(&format!("{} pages match", want.len()))),
                "count: {shown}"
            );
            Ok(())
        },
    );
}

#[test]
fn hostile_title_renders_as_text() {
    with_browser(
        "hostile_title_renders_as_text",
        Library::Small,
        (1280, 900),
        async |s, fx| {
            let check = format!(
                r##"const t = document.querySelector({sel});
                   if (!t) return null;
                   return {{title: t.textContent.trim(),
                     scripts: [...document.scripts].map(x => x.getAttribute("src") || "INLINE"),
                     imgs: document.images.length,
                     docTitle: document.title}};"##,
                sel = js_string(&format!("li.hit[data-id='{HOSTILE_ID}'] .hit-title a"))
            );
            s.goto(&format!("{}/?q=alert", fx.api)).await?;
            let got = s.wait_js("the hostile result", &check).await?;
            ensure!(got["title"] == HOSTILE_TITLE, "title shown as text: {got}");
            ensure!(got["imgs"] == 0, "no injected image: {got}");
            let scripts = got["scripts"].as_array().context("scripts")?;
            ensure!(
                scripts.len() == 1
                    && scripts[0]
                        .as_str()
                        .is_some_and(|s| s.starts_with("/assets/app.js")),
                "only the page's own script: {scripts:?}"
            );
            ensure!(s.alert_text().await.is_none(), "no alert was raised");

            // The publication page too.
            s.goto(&format!("{}/publications/{HOSTILE_ID}?q=vote", fx.api))
                .await?;
            let got = s
                .wait_js(
                    "the publication page",
                    r##"const h = document.querySelector("h1.pub-title");
                       return h ? {title: h.textContent.trim(), imgs: document.images.length,
                         scripts: document.scripts.length,
                         cite: document.querySelector(".cite-text").textContent} : null;"##,
                )
                .await?;
            ensure!(got["title"] == HOSTILE_TITLE, "{got}");
            ensure!(got["imgs"] == 0 && got["scripts"] == 1, "{got}");
            ensure!(
                got["cite"]
                    .as_str()
                    .is_some_and(|c| c.contains(HOSTILE_TITLE)),
                "citation has the title as text: {got}"
            );
            ensure!(s.alert_text().await.is_none(), "no alert was raised");
            Ok(())
        },
    );
}

#[test]
fn widget_on_another_origin_shows_results() {
    with_browser(
        "widget_on_another_origin_shows_results",
        Library::Small,
        (1100, 900),
        async |s, fx| {
            let id = "2018-05-hostile-environment-briefing";
            let (word, page) = planted(fx, id)?;
            s.goto(&fx.widget_page).await?;
            let input = s
                .wait_js(
                    "the widget's box",
                    "return document.querySelector('#library-search input.psw-input') ? location.origin : null",
                )
                .await?;
            ensure!(
                !fx.api.starts_with(input.as_str().unwrap_or("")),
                "the page is on another origin: {input}"
            );
            let input = s.find("#library-search input.psw-input").await?;
            s.type_into(&input, &word).await?;
            let got = s
                .wait_js(
                    "widget results",
                    r##"const h = document.querySelector(".psw-hit");
                       return h ? {title: h.querySelector(".psw-title").textContent,
                         titleHref: h.querySelector(".psw-title").href,
                         page: h.querySelector(".psw-page").textContent,
                         pageHref: h.querySelector(".psw-page").href,
                         mark: (h.querySelector(".psw-snippet mark") || {}).textContent,
                         all: document.querySelector(".psw-all").href,
                         expanded: document.querySelector(".psw-input").getAttribute("aria-expanded")} : null;"##,
                )
                .await?;
            ensure!(got["title"] == fx.title(id), "{got}");
            ensure!(got["page"] == format!("Page {page}"), "{got}");
            ensure!(
                got["pageHref"] == format!("{}/files/{id}.pdf#page={page}", fx.api),
                "{got}"
            );
            ensure!(
                got["titleHref"]
                    .as_str()
                    .is_some_and(|h| h.starts_with(&format!("{}/publications/{id}", fx.api))),
                "{got}"
            );
            ensure!(got["mark"] == word.as_str(), "snippet highlight: {got}");
            ensure!(got["all"] == format!("{}/?q={word}", fx.api), "{got}");
            ensure!(got["expanded"] == "true", "{got}");

            // Markup in titles stays text in the widget too.
            s.js(
                "const i = document.querySelector('.psw-input'); i.value = ''; i.focus();",
                vec![],
            )
            .await?;
            s.type_into(&input, "alert").await?;
            let got = s
                .wait_js(
                    "the hostile title in the widget",
                    &format!(
                        r##"const t = [...document.querySelectorAll(".psw-title")]
                             .find(a => a.href.includes({id}));
                           return t ? {{title: t.textContent, imgs: document.images.length,
                             scripts: document.scripts.length}} : null;"##,
                        id = js_string(&format!("/publications/{HOSTILE_ID}"))
                    ),
                )
                .await?;
            ensure!(got["title"] == HOSTILE_TITLE, "{got}");
            ensure!(got["imgs"] == 0 && got["scripts"] == 1, "{got}");
            ensure!(s.alert_text().await.is_none(), "no alert was raised");

            // An origin that is not configured gets no answers.
            s.goto(&fx.foreign_page).await?;
            s.wait_js(
                "the widget on the foreign page",
                "return !!document.querySelector('#library-search input.psw-input')",
            )
            .await?;
            let input = s.find("#library-search input.psw-input").await?;
            s.type_into(&input, &word).await?;
            let got = s
                .wait_js(
                    "the refusal",
                    r##"const e = document.querySelector(".psw-error");
                       return e ? {error: e.textContent,
                         hits: document.querySelectorAll(".psw-hit").length} : null;"##,
                )
                .await?;
            ensure!(got["hits"] == 0, "{got}");

            // The same, at the HTTP level.
            let http = reqwest::Client::builder().no_proxy().build()?;
            let allowed = fx.widget_page.trim_end_matches('/');
            let foreign = fx.foreign_page.trim_end_matches('/');
            for (origin, expect) in [(allowed, Some(allowed)), (foreign, None)] {
                let r = http
                    .get(format!("{}/api/search?q={word}", fx.api))
                    .header("origin", origin)
                    .send()
                    .await?;
                let acao = r
                    .headers()
                    .get("access-control-allow-origin")
                    .and_then(|v| v.to_str().ok());
                ensure!(acao == expect, "{origin}: allow-origin {acao:?}");
            }
            Ok(())
        },
    );
}

#[test]
fn autocomplete_suggests_despite_typos() {
    with_browser(
        "autocomplete_suggests_despite_typos",
        Library::Small,
        (1280, 900),
        async |s, fx| {
            s.goto(&format!("{}/", fx.api)).await?;
            let q = s.find("#q").await?;
            s.type_into(&q, "helth").await?;
            let got = s
                .wait_js(
                    "suggestions",
                    r##"const l = document.querySelector("#q-suggestions");
                       const o = [...l.querySelectorAll("[role=option]")];
                       return !l.hidden && o.length ? {options: o.map(x => x.querySelector(".text").textContent),
                         expanded: document.querySelector("#q").getAttribute("aria-expanded")} : null;"##,
                )
                .await?;
            ensure!(got["options"][0] == "health", "{got}");
            ensure!(got["expanded"] == "true", "{got}");
            s.press(keys::ARROW_DOWN).await?;
            let active = s
                .js(
                    "return document.querySelector('#q').getAttribute('aria-activedescendant')",
                    vec![],
                )
                .await?;
            ensure!(
                active == "q-suggestion-0",
                "arrow keys move through options: {active}"
            );
            s.press(keys::ENTER).await?;
            s.wait_js(
                "the search for the suggestion",
                "return location.search.includes('q=health') && document.querySelectorAll('li.hit').length > 0",
            )
            .await?;
            Ok(())
        },
    );
}

#[test]
fn keyboard_alone_reaches_every_control() {
    with_browser(
        "keyboard_alone_reaches_every_control",
        Library::Small,
        (1280, 900),
        async |s, fx| {
            // Search with the keyboard only.
            s.goto(&format!("{}/", fx.api)).await?;
            let mut reached_box = false;
            for _ in 0..5 {
                s.press(keys::TAB).await?;
                if s.js(DESCRIBE_FOCUS, vec![]).await?["kind"] == "search-box" {
                    reached_box = true;
                    break;
                }
            }
            ensure!(reached_box, "Tab reaches the search box first");
            let active = s.active().await?;
            s.type_into(&active, "health").await?;
            s.press(keys::ENTER).await?;
            s.wait_js(
                "results",
                "return location.search.includes('q=health') && document.querySelectorAll('li.hit').length",
            )
            .await?;

            // Walk the whole page with Tab.
            let wanted = [
                "search-box",
                "mode-toggle",
                "type-facet",
                "topic-facet",
                "year",
                "sort",
                "result-link",
                "page-link",
            ];
            s.goto(&format!("{}/?q=health&per_page=3", fx.api)).await?;
            s.wait_js(
                "results",
                "return document.querySelectorAll('li.hit').length",
            )
            .await?;
            let mut seen: Vec<String> = Vec::new();
            let mut reached_next = false;
            for _ in 0..200 {
                s.press(keys::TAB).await?;
                let d = s.js(DESCRIBE_FOCUS, vec![]).await?;
                let kind = d["kind"].as_str().unwrap_or("other").to_string();
                if kind != "other" && kind != "body" {
                    ensure!(d["visible"] == true, "focus is visible on {d}");
                }
                if !seen.contains(&kind) {
                    seen.push(kind.clone());
                }
                if kind == "next-page" {
                    reached_next = true;
                    break;
                }
            }
            for w in wanted {
                ensure!(
                    seen.iter().any(|k| k == w),
                    "Tab never reached {w}; reached {seen:?}"
                );
            }
            ensure!(reached_next, "Tab reaches the pagination; reached {seen:?}");
            s.press(keys::ENTER).await?;
            s.wait_js(
                "page 2",
                "return location.search.includes('page=2') && document.querySelectorAll('li.hit').length",
            )
            .await?;

            // A facet ticked with the space bar applies at once.
            let mut on_facet = false;
            for _ in 0..60 {
                s.press(keys::TAB).await?;
                if s.js(DESCRIBE_FOCUS, vec![]).await?["kind"] == "type-facet" {
                    on_facet = true;
                    break;
                }
            }
            ensure!(on_facet, "Tab reaches a type facet");
            s.press(keys::SPACE).await?;
            s.wait_js(
                "the filtered results",
                "return location.search.includes('type=') && !location.search.includes('page=2')",
            )
            .await?;
            Ok(())
        },
    );
}

/// Makes the README screenshots (not run by default):
/// `cargo test --test browser -- --ignored screenshots`.
#[test]
#[ignore = "writes docs/screenshots; run on demand"]
fn screenshots() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    with_browser("screenshots", Library::Full, (1280, 900), async |s, fx| {
        s.goto(&format!("{}/?q=interpreters+health", fx.api))
            .await?;
        s.wait_js(
            "results",
            "return document.querySelectorAll('li.hit').length",
        )
        .await?;
        s.save_screenshot(&dir.join("search.png")).await?;

        s.goto(&format!(
            "{}/publications/2006-01-losing-out-twice?q=nurses",
            fx.api
        ))
        .await?;
        s.wait_js(
            "pages",
            "return document.querySelectorAll('.page-hit').length",
        )
        .await?;
        s.save_screenshot(&dir.join("publication.png")).await?;

        s.goto(&fx.widget_page).await?;
        s.wait_js(
            "the widget",
            "return !!document.querySelector('#library-search input.psw-input')",
        )
        .await?;
        let input = s.find("#library-search input.psw-input").await?;
        s.type_into(&input, "interpreters").await?;
        s.wait_js(
            "widget results",
            "return document.querySelectorAll('.psw-hit').length",
        )
        .await?;
        s.save_screenshot(&dir.join("widget.png")).await?;
        Ok(())
    });
}
