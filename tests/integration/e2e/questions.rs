//! Questions typed as people type them, in website mode, against the sample corpus: each finds
//! the publication that answers it first, a wordy query never dead-ends, and the answer says
//! which words it did not require.

use serde_json::Value;

use super::api::get;
use crate::common::enc;

fn website(q: &str) -> Value {
    let (status, body) = get(&format!("/api/search?mode=website&q={}", enc(q)));
    assert_eq!(status, 200, "{q}: {body}");
    body
}

fn first_id(body: &Value) -> &str {
    body["hits"][0]["id"].as_str().unwrap_or("")
}

#[test]
fn a_question_finds_the_publication_that_answers_it_first() {
    let questions = [
        (
            "What barriers do refugee doctors and nurses trained overseas face when they try \
             to return to work in their professions here?",
            "2006-01-losing-out-twice",
        ),
        (
            "what should a domestic worker do if the employer keeps her passport and will not \
             let her take any time off work",
            "2019-11-know-your-rights-domestic-workers",
        ),
        (
            "how do I register with a GP if I have just arrived in the country as a refugee \
             and have no proof of address",
            "2005-06-registering-with-a-gp",
        ),
        (
            "who missed the deadline for the EU settlement scheme and what happens to late \
             applicants now",
            "2021-09-after-the-deadline",
        ),
    ];
    let mut relaxed = 0;
    for (q, expected) in questions {
        assert!(q.split_whitespace().count() >= 15, "{q}");
        // Strict mode requires every word: few publications, if any, have them all.
        let (_, strict) = get(&format!("/api/search?q={}", enc(q)));
        let body = website(q);
        assert_eq!(first_id(&body), expected, "{q}: {body}");
        assert!(body["total"].as_u64() >= strict["total"].as_u64(), "{q}");
        // Its stop words, at least, were not required.
        assert!(!body["not_required"].as_array().unwrap().is_empty(), "{q}");
        relaxed += usize::from(body["relaxed"] == true);
    }
    assert!(relaxed >= 2, "most questions need fewer words required");
}

#[test]
fn common_words_are_not_required_and_the_answer_says_so() {
    // Enough publications have both words: they are required; "the" and "of" are not.
    let body = website("the health of refugees");
    assert_eq!(body["relaxed"], false, "{body}");
    assert_eq!(body["not_required"], serde_json::json!(["the", "of"]));
    let (_, strict) = get(&format!("/api/search?q={}", enc("health refugees")));
    assert_eq!(
        body["total"], strict["total"],
        "the same publications as both words"
    );
    // A query of stop words only still finds something.
    let body = website("what is it");
    assert!(body["total"].as_u64().unwrap() > 0, "{body}");
}

#[test]
fn a_pasted_paragraph_is_a_query_too() {
    // Over the strict bounds (1,000 characters, 64 words): strict refuses it and says how to
    // fix it; website mode keeps the rarest words and answers.
    let paragraph = "Practical guidance for community organisations on booking and working with \
                     interpreters, and on why children and relatives should not be asked to \
                     interpret at appointments. "
        .repeat(8);
    assert!(paragraph.chars().count() > 1_000);
    let (status, strict) = get(&format!("/api/search?q={}", enc(&paragraph)));
    assert_eq!(status, 400);
    assert!(
        strict["message"].as_str().unwrap().contains("website mode"),
        "{strict}"
    );
    let body = website(&paragraph);
    assert_eq!(
        first_id(&body),
        "2012-09-working-with-interpreters",
        "{body}"
    );
    // Every different word once: fewer than the bound, so none left out.
    assert_eq!(body["left_out"], serde_json::json!([]));

    let many: String = (0..300).map(|i| format!("w{i}x ")).collect::<String>() + "interpreters";
    let body = website(&many);
    assert_eq!(
        body["left_out"].as_array().unwrap().len(),
        301 - 64,
        "{body}"
    );
    assert_eq!(
        first_id(&body),
        "2012-09-working-with-interpreters",
        "{body}"
    );
}

#[test]
fn a_word_before_a_colon_is_a_word_in_website_mode() {
    let (status, strict) = get(&format!("/api/search?q={}", enc("interpreters: a guide")));
    assert_eq!(status, 400, "{strict}");
    let body = website("interpreters: a guide");
    assert_eq!(
        first_id(&body),
        "2012-09-working-with-interpreters",
        "{body}"
    );
}

fn pages_of(id: &str, q: &str) -> Vec<Value> {
    let (status, body) = get(&format!(
        "/api/publications/{id}/search?mode=strict&q={}",
        enc(q)
    ));
    assert_eq!(status, 200, "{q}: {body}");
    body["pages"].as_array().unwrap().clone()
}

#[test]
fn search_in_a_publication_follows_the_query() {
    let id = "2006-01-losing-out-twice";
    // The page with both words comes first; the pages with one of them follow, marked.
    let pages = pages_of(id, "Kettleborough clinic");
    assert!(pages.len() > 1, "{pages:?}");
    assert_eq!(pages[0]["partial"], false, "{:?}", pages[0]);
    let snippet = pages[0]["snippet"].as_str().unwrap().to_lowercase();
    assert!(
        snippet.contains("<mark>kettleborough</mark>") && snippet.contains("<mark>clinic</mark>"),
        "{snippet}"
    );
    let full = pages.iter().take_while(|p| p["partial"] == false).count();
    assert!(
        pages[full..].iter().all(|p| p["partial"] == true),
        "{pages:?}"
    );
    assert!(full < pages.len());

    // An excluded word excludes its pages: none of the pages with both "nurse" and "doctor"
    // is among those of `nurse -doctor`, and every page shown has no excluded word.
    let both: Vec<u64> = pages_of(id, "nurse doctor")
        .iter()
        .filter(|p| p["partial"] == false)
        .map(|p| p["page"].as_u64().unwrap())
        .collect();
    assert!(!both.is_empty());
    let without = pages_of(id, "nurse -doctor");
    assert!(!without.is_empty());
    for p in &without {
        assert_eq!(p["partial"], false, "{p}");
        assert!(!both.contains(&p["page"].as_u64().unwrap()), "{p}");
    }
    // Best first by default; page order on request.
    let (_, ordered) = get(&format!(
        "/api/publications/{id}/search?q={}&order=page",
        enc("Kettleborough clinic")
    ));
    let numbers: Vec<u64> = ordered["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["page"].as_u64().unwrap())
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert_eq!(numbers.len(), pages.len());
}

#[test]
fn a_strict_search_that_finds_nothing_says_what_website_mode_finds() {
    let q = "Kettleborugh clinic";
    let (_, strict) = get(&format!("/api/search?q={}", enc(q)));
    assert_eq!(strict["total"], 0, "{strict}");
    let website = website(q);
    assert!(website["total"].as_u64().unwrap() > 0);
    assert_eq!(strict["website_total"], website["total"], "{strict}");
    // And the spelling the library has.
    assert_eq!(strict["did_you_mean"], "kettleborough clinic", "{strict}");
    let (_, fixed) = get(&format!("/api/search?q={}", enc("kettleborough clinic")));
    assert_eq!(fixed["hits"][0]["id"], "2006-01-losing-out-twice");
    // Nothing near a word of nonsense.
    let (_, none) = get("/api/search?q=xqzvwk");
    assert!(none["did_you_mean"].is_null(), "{none}");
    // Only a strict search with no hits carries the hint.
    let (_, found) = get("/api/search?q=health");
    assert!(found["website_total"].is_null(), "{found}");
    assert!(found["did_you_mean"].is_null(), "{found}");
    assert!(website["website_total"].is_null());
}

#[test]
fn running_footers_are_not_content() {
    // Every page of this report ends "Migrant and Refugee Communities Forum – page N".
    let id = "2006-01-losing-out-twice";
    let (_, detail) = get(&format!("/api/publications/{id}"));
    let pages = detail["pages"].as_array().unwrap();
    let with_footer = pages
        .iter()
        .filter(|p| p["repeated_lines"].as_u64().unwrap_or(0) > 0)
        .count();
    assert!(with_footer * 2 > pages.len(), "{detail}");
    // The footer's words no longer match every page, nor fill the snippets.
    let footer = pages_of(id, "\"Communities Forum\"");
    assert!(
        footer.len() * 2 < pages.len(),
        "{} of {}",
        footer.len(),
        pages.len()
    );
    for p in pages_of(id, "refugee doctors") {
        let snippet = p["snippet"].as_str().unwrap();
        assert!(!snippet.contains("Communities Forum – page"), "{snippet}");
    }
}
