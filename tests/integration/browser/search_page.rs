//! The search page in the browser: results with page numbers, facets, "Search in this
//! publication", and a title made of markup shown as text.

use anyhow::{Context, ensure};
use serde_json::Value;

use super::fixture::{self, HOSTILE_ID, HOSTILE_TITLE, Library};
use super::webdriver::keys;
use super::{js_string, planted, with_browser};

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
fn a_year_filter_never_blocks_a_new_search() {
    with_browser(
        "a_year_filter_never_blocks_a_new_search",
        Library::Small,
        (1280, 900),
        async |s, fx| {
            // The planted word is in a 2018 publication only; a filter from 2020 finds nothing.
            let (word, _) = planted(fx, "2018-05-hostile-environment-briefing")?;
            s.goto(&format!("{}/?q={word}&year_from=2020", fx.api))
                .await?;
            let inputs = s
                .js(
                    "return ['#year_from', '#year_to'].map(id => {
                       const y = document.querySelector(id);
                       return {min: y.min, max: y.max, value: y.value, valid: y.checkValidity()};
                     });",
                    vec![],
                )
                .await?;
            let years: Vec<i64> = fx.known["publications"]
                .as_array()
                .context("publications")?
                .iter()
                .filter(|p| super::fixture::SMALL.contains(&p["id"].as_str().unwrap_or("")))
                .filter_map(|p| p["date"].as_str()?.get(..4)?.parse().ok())
                .collect();
            let (first, last) = (
                years.iter().min().context("years")?,
                years.iter().max().context("years")?,
            );
            for input in inputs.as_array().context("inputs")? {
                ensure!(
                    input["min"].as_str().and_then(|m| m.parse::<i64>().ok()) <= Some(*first)
                        && input["max"].as_str().and_then(|m| m.parse::<i64>().ok()) >= Some(*last),
                    "the year inputs span the library ({first}–{last}), not the results: {inputs}"
                );
                ensure!(input["valid"] == true, "a year input is invalid: {inputs}");
            }
            // A year no publication has, typed into "From", then a new search in the box.
            let from = s.find("#year_from").await?;
            s.js("document.querySelector('#year_from').value = '';", vec![])
                .await?;
            s.type_into(&from, "1800").await?;
            let q = s.find("#q").await?;
            s.js("document.querySelector('#q').value = '';", vec![])
                .await?;
            s.type_into(&q, "interpreters").await?;
            s.type_into(&q, keys::ENTER).await?;
            let notice = s
                .wait_js(
                    "the new search, with the year read as the library's first",
                    "return location.search.includes('q=interpreters')
                       && document.querySelector('#year_from')
                       ? [...document.querySelectorAll('.notice')].map(n => n.textContent).join(' ')
                       : null;",
                )
                .await?;
            ensure!(
                notice
                    .as_str()
                    .is_some_and(|n| n.contains(&format!("1800 was read as {first}"))),
                "the page says how it read the year: {notice}"
            );
            Ok(())
        },
    );
}
