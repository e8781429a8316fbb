//! The search box's autocomplete, and keyboard-only use of the whole page: every control
//! reached, focus kept on a facet across its reload, the sort menu applied by Enter only, and
//! the way back from a publication keeping the search.

use anyhow::ensure;

use super::fixture::Library;
use super::webdriver::keys;
use super::with_browser;

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
            let ticked = s.js("return document.activeElement.value", vec![]).await?;
            s.press(keys::SPACE).await?;
            s.wait_js(
                "the filtered results",
                "return location.search.includes('type=') && !location.search.includes('page=2')",
            )
            .await?;
            // WCAG 3.2.2: after the reload the focus is back on the box just ticked.
            let focus = s
                .wait_js(
                    "the focus restored to the facet",
                    "const e = document.activeElement; \
                     return e && e !== document.body ? {name: e.name, value: e.value, checked: e.checked} : null;",
                )
                .await?;
            ensure!(
                focus["name"] == "type" && focus["value"] == ticked && focus["checked"] == true,
                "focus after ticking {ticked}: {focus}"
            );

            // Arrows in the sort menu choose without navigating; Enter applies.
            s.js(
                "window.__samePage = true; document.getElementById('sort').focus();",
                vec![],
            )
            .await?;
            s.press(keys::ARROW_DOWN).await?;
            let state = s
                .js(
                    "return {same: window.__samePage === true, value: document.getElementById('sort').value, \
                       url: location.search, apply: getComputedStyle(document.querySelector('.sort button')).display};",
                    vec![],
                )
                .await?;
            ensure!(
                state["same"] == true && state["value"] != "relevance",
                "ArrowDown in the sort menu stays on the page: {state}"
            );
            ensure!(
                !state["url"].as_str().unwrap_or("").contains("sort="),
                "{state}"
            );
            ensure!(state["apply"] != "none", "the Sort button shows: {state}");
            s.press(keys::ENTER).await?;
            let sort = state["value"].as_str().unwrap_or_default().to_string();
            s.wait_js(
                "the sorted results",
                &format!("return location.search.includes('sort={sort}') && document.activeElement.id === 'sort'"),
            )
            .await?;

            // A publication's "Back to the search" keeps the filters and the sort.
            let title = s.find(".hit-title a").await?;
            s.click(&title).await?;
            let back = s
                .wait_js(
                    "the publication page",
                    "const a = document.querySelector('.back a'); return a ? a.getAttribute('href') : null;",
                )
                .await?;
            let back = back.as_str().unwrap_or_default();
            ensure!(
                back.contains("q=health")
                    && back.contains(&format!("type={ticked}").replace('"', ""))
                    && back.contains(&format!("sort={sort}")),
                "back link: {back}"
            );
            Ok(())
        },
    );
}
