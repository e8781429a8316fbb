//! The README screenshots, made on demand by an ignored test.

use super::fixture::Library;
use super::with_browser;

/// Makes the README screenshots (not run by default):
/// `cargo test --test integration -- --ignored screenshots`.
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
