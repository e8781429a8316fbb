//! What an index shows, compared with what it must hold for a corpus on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use pubsearch_query::{SearchRequest, SearchService};

use super::run::search_ids;
use crate::common;

/// What a search service shows of an index: (id, title, page count) per publication, and the
/// total number of pages.
pub type Snapshot = (BTreeSet<(String, String, u64)>, u64);

pub fn snapshot(index: &Path) -> Snapshot {
    let service =
        SearchService::open(index).unwrap_or_else(|e| panic!("the index does not open: {e}"));
    let mut req = SearchRequest::new("");
    req.per_page = 100;
    let res = service.search(&req).unwrap();
    let mut set = BTreeSet::new();
    for hit in &res.hits {
        let detail = service.publication(&hit.publication.id).unwrap().unwrap();
        assert_eq!(
            detail.pages.len() as u64,
            detail.page_count,
            "{}",
            hit.publication.id
        );
        set.insert((
            hit.publication.id.clone(),
            hit.publication.title.clone(),
            detail.page_count,
        ));
    }
    assert_eq!(res.total, set.len());
    let stats = service.stats().unwrap();
    assert_eq!(stats.publications as usize, set.len());
    // Every publication's planted phrase word is found, in that publication.
    let facts = common::known();
    for p in facts["phrases"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        if set.iter().any(|(i, _, _)| i == id) {
            let ids = search_ids(&service, p["word"].as_str().unwrap());
            assert_eq!(ids, vec![id.to_string()], "{}", p["word"]);
        }
    }
    (set, stats.pages)
}

/// What the index must hold for the corpus on disk, from the sidecars and the independently
/// known page counts.
pub fn expected_snapshot(corpus: &Path) -> Snapshot {
    let facts = common::known();
    let pages_of: BTreeMap<String, u64> = facts["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["pages"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut set = BTreeSet::new();
    let mut total = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let text = std::fs::read_to_string(path.with_extension("toml")).unwrap();
        let field = |name: &str| -> String {
            let line = text
                .lines()
                .find(|l| l.starts_with(&format!("{name} ")))
                .unwrap();
            serde_json::from_str(line.split_once('=').unwrap().1.trim()).unwrap()
        };
        let id = field("id");
        let pages = pages_of[&id];
        total += pages;
        set.insert((id, field("title"), pages));
    }
    (set, total)
}

pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}
