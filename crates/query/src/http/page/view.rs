//! View models: what the templates show, built from search's answers and the page's state.

use askama::Template;
use pubsearch_core::analysis::Lang;

use super::assets::asset_version;
use super::format::{date_label, label, plural};
use crate::cite;
use crate::http::cite::cited;
use crate::http::json::PageBody;
use crate::http::links;
use crate::http::params::page::PageQuery;
use crate::search::{FacetCount, Hit, MAX_OFFSET, MAX_WORDS, PageHit, Relaxation, SearchResponse};

/// One facet checkbox.
pub struct FacetView {
    /// DOM id.
    pub dom_id: String,
    /// Value sent.
    pub value: String,
    /// Shown.
    pub label: String,
    /// Publications.
    pub count: u64,
    /// Ticked.
    pub checked: bool,
}

/// One year with its count, linking to that year alone.
pub struct YearView {
    /// The year.
    pub year: String,
    /// Publications.
    pub count: u64,
    /// Link to that year alone.
    pub href: String,
    /// The range is exactly this year.
    pub current: bool,
}

/// One page of a hit, as the pages show it: the JSON's page ([`PageBody`]), one owner.
pub type PageView = PageBody;

/// The pages of publication `id`.
pub fn page_views(id: &str, pages: &[PageHit]) -> Vec<PageView> {
    pages.iter().map(|p| PageBody::new(id, p)).collect()
}

/// One result.
pub struct HitView {
    /// Id.
    pub id: String,
    /// Title (escaped by the template).
    pub title: String,
    /// `7 January 2004`.
    pub date_label: String,
    /// `2004-01-07`.
    pub date: String,
    /// Type for people.
    pub type_label: String,
    /// Topics.
    pub topics: Vec<String>,
    /// Summary.
    pub summary: String,
    /// Main language's code, the HTML `lang` of its title, summary and snippets.
    pub lang: &'static str,
    /// Its languages for people, when not English alone: `Spanish (español)`.
    pub language_label: String,
    /// The publication's page for this query.
    pub pub_href: String,
    /// The PDF.
    pub file_url: String,
    /// Best pages.
    pub pages: Vec<PageView>,
    /// Citation line.
    pub citation: String,
}

/// A link in the pagination; `None` number is a gap.
pub struct PageLink {
    /// Page number, or `None` for "…".
    pub number: Option<usize>,
    /// Link.
    pub href: String,
    /// This page.
    pub current: bool,
}

/// A filter in force, with the link that removes it.
pub struct ActiveFilter {
    /// What it is, for people.
    pub label: String,
    /// The same search without it.
    pub remove_href: String,
}

/// `templates/search.html`.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchTemplate {
    asset_v: &'static str,
    q: String,
    strict: bool,
    sort: &'static str,
    sort_implicit: bool,
    error: Option<String>,
    notices: Vec<String>,
    status_line: String,
    hits: Vec<HitView>,
    first_index: usize,
    types: Vec<FacetView>,
    topics: Vec<FacetView>,
    languages: Vec<FacetView>,
    /// The language facet is shown: the library has more than one, or one is chosen.
    show_languages: bool,
    years: Vec<YearView>,
    year_from: String,
    year_to: String,
    year_min: String,
    year_max: String,
    date_from: String,
    date_to: String,
    active: Vec<ActiveFilter>,
    clear_href: String,
    pages: Vec<PageLink>,
    prev_href: Option<String>,
    next_href: Option<String>,
    feed_href: String,
    /// The export link without its format: `…&format=`.
    export_href: String,
}

/// `templates/error.html`.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    asset_v: &'static str,
    heading: String,
    message: String,
}

impl ErrorTemplate {
    /// An error page with `heading` and `message`.
    pub fn new(heading: &str, message: &str) -> ErrorTemplate {
        ErrorTemplate {
            asset_v: asset_version(),
            heading: heading.into(),
            message: message.into(),
        }
    }
}

/// A language for people: its English name and, when different, its own: `Polish (polski)`.
fn language_name(lang: Lang) -> String {
    if lang.name() == lang.endonym() {
        lang.name().to_string()
    } else {
        format!("{} ({})", lang.name(), lang.endonym())
    }
}

/// `languages` for people; empty for English alone (most of the library), which goes unsaid.
pub(super) fn languages_label(languages: &[Lang]) -> String {
    if languages.is_empty() || languages == [Lang::En] {
        return String::new();
    }
    let names: Vec<String> = languages.iter().map(|&l| language_name(l)).collect();
    names.join(", ")
}

/// A language facet value (a code) for people.
fn language_value_label(code: &str) -> String {
    Lang::from_code(code)
        .map(language_name)
        .unwrap_or_else(|| code.to_string())
}

fn facet_views(
    dim: &str,
    counts: &[FacetCount],
    selected: &[String],
    labeller: fn(&str) -> String,
) -> Vec<FacetView> {
    let mut views: Vec<FacetView> = counts
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .chain(
            selected
                .iter()
                .filter(|s| !counts.iter().any(|c| &c.value == *s))
                .map(|s| (s.clone(), 0)),
        )
        .enumerate()
        .map(|(i, (value, count))| FacetView {
            dom_id: format!("{dim}-{i}"),
            label: labeller(&value),
            checked: selected.contains(&value),
            value,
            count,
        })
        .collect();
    views.sort_by_key(|v| !v.checked);
    views
}

fn hit_view(hit: Hit, query: &PageQuery, base: &str) -> HitView {
    let p = hit.publication;
    HitView {
        // The publication, not whichever page matched best: a page is cited from its own
        // line on the publication's page.
        citation: cite::reference(&cited(base, &p, None, None)),
        pub_href: links::publication_href(&p.id, &query.query_string()),
        date_label: date_label(p.date),
        date: p.date.map(|d| d.to_string()).unwrap_or_default(),
        type_label: label(p.pub_type.as_str()),
        lang: p.language().as_str(),
        language_label: languages_label(&p.languages),
        pages: page_views(&p.id, &hit.pages),
        file_url: links::file_url(&p.id),
        id: p.id,
        title: p.title,
        topics: p.topics,
        summary: p.summary,
    }
}

/// The page links for `total` results: the first, the last, and two either side of the
/// current one, with gaps between.
pub fn pagination(query: &PageQuery, total: usize) -> Vec<PageLink> {
    let reachable = total.min(MAX_OFFSET + query.per_page);
    let last = reachable.div_ceil(query.per_page).max(1);
    if last <= 1 {
        return Vec::new();
    }
    let current = query.page.min(last);
    let mut out = Vec::new();
    let mut gap = false;
    for n in 1..=last {
        if n == 1 || n == last || n.abs_diff(current) <= 2 {
            out.push(PageLink {
                number: Some(n),
                href: query.with(|p| p.page = n),
                current: n == current,
            });
            gap = false;
        } else if !gap {
            out.push(PageLink {
                number: None,
                href: String::new(),
                current: false,
            });
            gap = true;
        }
    }
    out
}

fn status_line(query: &PageQuery, resp: &SearchResponse) -> String {
    let q = query.q.trim();
    let first = (resp.page - 1) * resp.per_page + 1;
    let shown = if resp.hits.is_empty() || resp.total <= resp.per_page {
        String::new()
    } else {
        format!(", showing {}–{}", first, first + resp.hits.len() - 1)
    };
    let filtered = if query.has_filters() {
        " with these filters"
    } else {
        ""
    };
    match (q.is_empty(), resp.total) {
        (true, 0) => format!("No publications{filtered}."),
        (true, n) => format!(
            "{}{filtered}, newest first{shown}.",
            plural(n, "publication", "publications")
        ),
        (false, 0) => format!("No publications match “{q}”{filtered}."),
        (false, 1) => format!("1 publication matches “{q}”{filtered}."),
        (false, n) => format!("{n} publications match “{q}”{filtered}{shown}."),
    }
}

fn plural_match(n: usize) -> String {
    match n {
        1 => "1 publication matches".to_string(),
        n => format!("{n} publications match"),
    }
}

/// What website mode did with a wordy query, in words (empty when every word was required).
fn relaxation_lines(r: &Relaxation) -> Vec<String> {
    let quoted = |words: &[String]| {
        words
            .iter()
            .map(|w| format!("“{w}”"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = Vec::new();
    if r.relaxed {
        lines.push(
            "Few publications have all of these words, so these have some of them, best match \
             first. Tick “Exact search” to require every word."
                .to_string(),
        );
    } else if !r.not_required.is_empty() {
        lines.push(format!(
            "Showing results without: {} (common words are not required).",
            quoted(&r.not_required)
        ));
    }
    if !r.left_out.is_empty() {
        lines.push(format!(
            "Your search is long, so its {} most informative words were used; left out: {}.",
            MAX_WORDS,
            quoted(&r.left_out)
        ));
    }
    lines
}

fn active_filters(query: &PageQuery) -> Vec<ActiveFilter> {
    let mut active = Vec::new();
    for t in &query.types {
        active.push(ActiveFilter {
            label: format!("Type: {}", label(t)),
            remove_href: query.with(|p| p.types.retain(|x| x != t)),
        });
    }
    for t in &query.topics {
        active.push(ActiveFilter {
            label: format!("Topic: {t}"),
            remove_href: query.with(|p| p.topics.retain(|x| x != t)),
        });
    }
    for &l in &query.languages {
        active.push(ActiveFilter {
            label: format!("Language: {}", language_name(l)),
            remove_href: query.with(|p| p.languages.retain(|x| *x != l)),
        });
    }
    if query.year_from.is_some() || query.year_to.is_some() {
        let range = match (query.year_from, query.year_to) {
            (Some(a), Some(b)) if a == b => format!("{a}"),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (Some(a), None) => format!("from {a}"),
            (None, Some(b)) => format!("until {b}"),
            (None, None) => String::new(),
        };
        active.push(ActiveFilter {
            label: format!("Years: {range}"),
            remove_href: query.with(|p| {
                p.year_from = None;
                p.year_to = None;
            }),
        });
    }
    if query.date_from.is_some() || query.date_to.is_some() {
        let range = match (query.date_from.as_deref(), query.date_to.as_deref()) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (Some(a), None) => format!("from {a}"),
            (None, Some(b)) => format!("until {b}"),
            (None, None) => String::new(),
        };
        active.push(ActiveFilter {
            label: format!("Dates: {range}"),
            remove_href: query.with(|p| {
                p.date_from = None;
                p.date_to = None;
            }),
        });
    }
    active
}

/// The search page for `query`: its results, or none and an error message. The year inputs
/// are bounded by `library_years`, the first and last year of the library.
pub fn search_template(
    query: &PageQuery,
    resp: Option<SearchResponse>,
    error: Option<String>,
    mut notices: Vec<String>,
    library_years: Option<(u64, u64)>,
    base: &str,
) -> SearchTemplate {
    let (hits, facets, status, pages, total) = match resp {
        Some(resp) => {
            notices.extend(relaxation_lines(&resp.relaxation));
            if let Some(better) = &resp.did_you_mean {
                notices.push(format!("Did you mean “{better}”?"));
            }
            if let Some(n) = resp.website_total.filter(|n| *n > 0) {
                notices.push(format!(
                    "Exact search requires every word. Without “Exact search”, {}.",
                    plural_match(n)
                ));
            }
            let status = status_line(query, &resp);
            let pages = pagination(query, resp.total);
            let total = resp.total;
            let hits = resp
                .hits
                .into_iter()
                .map(|h| hit_view(h, query, base))
                .collect();
            (hits, resp.facets, status, pages, total)
        }
        None => (
            Vec::new(),
            Default::default(),
            "No results.".to_string(),
            Vec::new(),
            0,
        ),
    };
    let years: Vec<YearView> = facets
        .year
        .iter()
        .map(|y| {
            let n = y.value.parse::<u64>().ok();
            YearView {
                href: query.with(|p| {
                    p.year_from = n;
                    p.year_to = n;
                }),
                current: n.is_some() && query.year_from == n && query.year_to == n,
                year: y.value.clone(),
                count: y.count,
            }
        })
        .collect();
    let show_languages = facets.language.len() > 1 || !query.languages.is_empty();
    let current = query.page;
    let last = pages.iter().filter_map(|p| p.number).max().unwrap_or(1);
    let year_bound = |y: Option<&u64>| y.map(|y| y.to_string()).unwrap_or_default();
    SearchTemplate {
        asset_v: asset_version(),
        q: query.q.clone(),
        strict: query.strict,
        sort: query.effective_sort().name(),
        sort_implicit: query.sort.is_none(),
        error,
        notices,
        status_line: status,
        first_index: (query.page - 1) * query.per_page + 1,
        types: facet_views("type", &facets.pub_type, &query.types, label),
        topics: facet_views("topic", &facets.topic, &query.topics, str::to_string),
        languages: facet_views(
            "language",
            &facets.language,
            &query
                .languages
                .iter()
                .map(|l| l.as_str().to_string())
                .collect::<Vec<_>>(),
            language_value_label,
        ),
        show_languages,
        years,
        year_from: year_bound(query.year_from.as_ref()),
        year_to: year_bound(query.year_to.as_ref()),
        year_min: year_bound(library_years.as_ref().map(|(first, _)| first)),
        year_max: year_bound(library_years.as_ref().map(|(_, last)| last)),
        date_from: query.date_from.clone().unwrap_or_default(),
        date_to: query.date_to.clone().unwrap_or_default(),
        active: active_filters(query),
        clear_href: query.with(|p| {
            p.types.clear();
            p.topics.clear();
            p.languages.clear();
            p.year_from = None;
            p.year_to = None;
            p.date_from = None;
            p.date_to = None;
        }),
        prev_href: (current > 1 && total > 0).then(|| query.with(|p| p.page = current - 1)),
        next_href: (current < last).then(|| query.with(|p| p.page = current + 1)),
        feed_href: crate::http::feed::feed_href(query),
        export_href: crate::http::cite::export_href(query),
        pages,
        hits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_has_gaps_and_bounds() {
        let (p, _) = PageQuery::parse(Some("q=x&page=10"));
        let links = pagination(&p, 200);
        let numbers: Vec<Option<usize>> = links.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert!(links.iter().any(|l| l.current && l.number == Some(10)));
        assert!(pagination(&p, 5).is_empty());
    }
}
