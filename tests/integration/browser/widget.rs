//! The widget on a page served from another origin, its messages for a query that cannot run, and
//! refused from an origin not configured (with a console message naming the origin to allow).

use anyhow::ensure;

use super::fixture::{HOSTILE_ID, HOSTILE_TITLE, Library};
use super::{js_string, planted, with_browser};

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

            // A strict widget: a query it cannot run says why, in the server's words.
            s.js(
                &format!(
                    r##"const d = document.createElement("div"); d.id = "strict-search";
                       document.querySelector("main").appendChild(d);
                       const sc = document.createElement("script");
                       sc.src = {src}; sc.dataset.target = "#strict-search"; sc.dataset.mode = "strict";
                       document.body.appendChild(sc);"##,
                    src = js_string(&format!("{}/widget.js", fx.api))
                ),
                vec![],
            )
            .await?;
            for (q, expected) in [
                ("(water".to_string(), "missing `)`"),
                (vec!["word"; 70].join(" "), "more than 64 words"),
            ] {
                let got = s
                    .wait_js(
                        &format!("the strict widget's answer to {q:?}"),
                        &format!(
                            r##"const i = document.querySelector("#strict-search input.psw-input");
                               if (!i) return null;
                               if (i.value !== {q}) {{ i.value = {q}; i.dispatchEvent(new Event("input")); return null; }}
                               const e = document.querySelector("#strict-search .psw-error");
                               return e && e.textContent.includes({expected}) ? e.textContent : null;"##,
                            q = js_string(&q),
                            expected = js_string(expected)
                        ),
                    )
                    .await?;
                ensure!(
                    got.as_str()
                        .is_some_and(|t| t.starts_with("This search cannot be run")),
                    "{got}"
                );
            }

            // An origin that is not configured gets no answers.
            s.goto(&fx.foreign_page).await?;
            s.wait_js(
                "the widget on the foreign page",
                "return !!document.querySelector('#library-search input.psw-input')",
            )
            .await?;
            // What the widget tells the site's developer, in the console.
            s.js(
                r##"window.__logged = [];
                   const error = console.error;
                   console.error = function () { window.__logged.push([...arguments].join(" ")); error.apply(console, arguments); };"##,
                vec![],
            )
            .await?;
            let input = s.find("#library-search input.psw-input").await?;
            s.type_into(&input, &word).await?;
            let got = s
                .wait_js(
                    "the refusal",
                    r##"const e = document.querySelector(".psw-error");
                       return e ? {error: e.textContent, logged: window.__logged.join("\n"),
                         hits: document.querySelectorAll(".psw-hit").length} : null;"##,
                )
                .await?;
            ensure!(got["hits"] == 0, "{got}");
            ensure!(
                got["error"]
                    .as_str()
                    .is_some_and(|e| e.contains("could not reach the library")),
                "{got}"
            );
            let foreign = fx.foreign_page.trim_end_matches('/');
            ensure!(
                got["logged"]
                    .as_str()
                    .is_some_and(|l| l.contains(&format!("--cors-origins {foreign}"))),
                "the console names the origin to allow: {got}"
            );

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
