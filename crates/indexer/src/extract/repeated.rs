//! Running headers and footers: lines that repeat near the top or bottom of most pages of one
//! publication ("Migrant and Refugee Communities Forum – page 12") are not content. Left in,
//! every page matches the organisation's name, and snippets fill with the footer.
//!
//! A line is running when, page numbers aside (digits compare equal, case and spacing are
//! ignored), it stands among the first or last [`EDGE_LINES`] lines of at least half the pages,
//! and of at least three, in a publication of [`MIN_PAGES`] pages or more, unless such lines
//! would be more than a third of its lines (then the pages are a template and the lines are
//! content). Running lines are taken
//! out of the page text that is indexed and shown in snippets; the PDF keeps them, and each
//! page's report counts them (`pubsearch extract` prints the count).

use std::collections::{BTreeMap, BTreeSet};

use pubsearch_core::model::PageText;

/// Fewest pages for a publication to have running lines.
pub const MIN_PAGES: usize = 4;

/// Lines at each end of a page where running headers and footers are looked for.
pub const EDGE_LINES: usize = 3;

/// Largest share of a publication's lines that can be running lines: a third.
const MAX_SHARE_NUM: usize = 1;
const MAX_SHARE_DEN: usize = 3;

/// The line with digits, case and spacing folded, or `None` for a blank line.
fn key(line: &str) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut last_space = true;
    let mut last_digit = false;
    for c in line.trim().chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            last_digit = false;
        } else if c.is_numeric() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
            last_space = false;
        } else {
            out.extend(c.to_lowercase());
            last_space = false;
            last_digit = false;
        }
    }
    let out = out.trim_end().to_string();
    (!out.is_empty()).then_some(out)
}

/// Indices of the non-blank lines at the edges of a page.
fn edge_lines(lines: &[&str]) -> BTreeSet<usize> {
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let head = filled.iter().take(EDGE_LINES);
    let tail = filled.iter().rev().take(EDGE_LINES);
    head.chain(tail).copied().collect()
}

/// Takes the running lines out of `pages`, recording how many each lost in its report;
/// returns the total.
pub fn strip(pages: &mut [PageText]) -> usize {
    if pages.len() < MIN_PAGES {
        return 0;
    }
    let mut seen_on: BTreeMap<String, usize> = BTreeMap::new();
    for p in pages.iter() {
        let lines: Vec<&str> = p.text.lines().collect();
        let keys: BTreeSet<String> = edge_lines(&lines)
            .into_iter()
            .filter_map(|i| key(lines[i]))
            .collect();
        for k in keys {
            *seen_on.entry(k).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(3);
    let running: BTreeSet<String> = seen_on
        .into_iter()
        .filter(|(_, n)| *n >= needed)
        .map(|(k, _)| k)
        .collect();
    if running.is_empty() {
        return 0;
    }
    let drops: Vec<BTreeSet<usize>> = pages
        .iter()
        .map(|p| {
            let lines: Vec<&str> = p.text.lines().collect();
            edge_lines(&lines)
                .into_iter()
                .filter(|&i| key(lines[i]).is_some_and(|k| running.contains(&k)))
                .collect()
        })
        .collect();
    // Headers and footers are a small part of a document. When the "running" lines are a
    // large part of it, the pages are a template (a form, generated pages) and the lines are
    // content.
    let filled: usize = pages
        .iter()
        .map(|p| p.text.lines().filter(|l| !l.trim().is_empty()).count())
        .sum();
    let dropped: usize = drops.iter().map(BTreeSet::len).sum();
    if dropped * MAX_SHARE_DEN > filled * MAX_SHARE_NUM {
        return 0;
    }
    let mut total = 0;
    for (p, drop) in pages.iter_mut().zip(drops) {
        if drop.is_empty() {
            continue;
        }
        let lines: Vec<&str> = p.text.lines().collect();
        let kept: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, l)| *l)
            .collect();
        p.text = kept.join("\n");
        p.report.chars = p.text.chars().count();
        p.report.repeated_lines = drop.len();
        total += drop.len();
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use pubsearch_core::model::{Engine, PageStatus};

    fn page(n: u32, text: String) -> PageText {
        PageText::new(n, text, Engine::PdfExtract, PageStatus::Ok)
    }

    const WORDS: [&str; 8] = [
        "doctors",
        "nurses",
        "dentists",
        "midwives",
        "pharmacists",
        "surgeons",
        "carers",
        "vets",
    ];

    fn report(n: usize) -> Vec<PageText> {
        (1..=n as u32)
            .map(|i| {
                let w = WORDS[i as usize - 1];
                page(
                    i,
                    format!(
                        "Losing out twice\nBody text about {w}.\nMore on {w}.\n\
                         Help for {w} is scarce.\nAsk {w} first.\n\
                         Migrant and Refugee Communities Forum – page {i}"
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn headers_and_footers_with_page_numbers_go() {
        let mut pages = report(6);
        assert_eq!(strip(&mut pages), 12);
        assert_eq!(
            pages[2].text,
            "Body text about dentists.\nMore on dentists.\nHelp for dentists is scarce.\nAsk dentists first."
        );
        assert_eq!(pages[2].report.repeated_lines, 2);
        assert_eq!(pages[2].report.chars, pages[2].text.chars().count());
        // Body lines that differ by more than their numbers stay, even at the edges.
        assert!(pages.iter().all(|p| p.text.starts_with("Body text about")));
    }

    #[test]
    fn short_publications_and_rare_lines_keep_their_text() {
        let mut short = report(3);
        assert_eq!(strip(&mut short), 0);
        let mut pages = report(8);
        // A line on fewer than half the pages is content.
        for p in pages.iter_mut().take(3) {
            p.text.push_str("\nSee the annex");
        }
        let before: Vec<String> = pages.iter().map(|p| p.text.clone()).collect();
        strip(&mut pages);
        assert!(
            pages[0].text.ends_with("See the annex"),
            "{}",
            pages[0].text
        );
        assert_ne!(pages[0].text, before[0]);
    }

    #[test]
    fn templated_pages_keep_their_lines() {
        // Every line repeats, page numbers aside: a generated document, not a footer.
        let mut pages: Vec<PageText> = (1..=6)
            .map(|i| {
                page(
                    i,
                    format!("Title, page {i}.\nRecorded on page {i}.\nSame text."),
                )
            })
            .collect();
        assert_eq!(strip(&mut pages), 0);
        assert!(pages[3].text.starts_with("Title, page 4."));
    }

    #[test]
    fn keys_fold_digits_case_and_spacing() {
        assert_eq!(key("  Page 12  of 40 "), key("page 7 of 41"));
        assert_ne!(key("page 12"), key("page twelve"));
        assert_eq!(key("   "), None);
    }
}
