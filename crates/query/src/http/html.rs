//! Snippets as HTML: the text escaped, the matches in `<mark>`.
//!
//! The escaping is the minimal one tantivy's own snippet rendering uses (`&`, `<`, `>`, `"`,
//! `'`), so the API's `snippet` strings are what they have always been.

use crate::search::Snippet;

/// Appends `s` to `out` with `&`, `<`, `>`, `"` and `'` escaped.
fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

/// `s` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// The snippet as HTML: escaped text, each match in `<mark>…</mark>`.
pub fn snippet(s: &Snippet) -> String {
    let mut out = String::with_capacity(s.text().len() + 13 * s.highlights().len());
    for (piece, is_match) in s.pieces() {
        if is_match {
            out.push_str("<mark>");
            push_escaped(&mut out, piece);
            out.push_str("</mark>");
        } else {
            push_escaped(&mut out, piece);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pubsearch_core::schema::Fields;
    use tantivy::TantivyDocument;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    use tantivy::snippet::SnippetGenerator;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b a=\"x\">&'"),
            "&lt;b a=&quot;x&quot;&gt;&amp;&#x27;"
        );
        let s = Snippet::new("a <b> & c", &[0..1, 8..9]);
        assert_eq!(snippet(&s), "<mark>a</mark> &lt;b&gt; &amp; <mark>c</mark>");
        assert_eq!(snippet(&Snippet::plain("x < y")), "x &lt; y");
    }

    /// Rendering search's text and ranges gives, byte for byte, the HTML tantivy's own
    /// `to_html` gave the API before: same escaping of `<`, `&`, quotes, same marks.
    #[test]
    fn ranges_render_as_tantivys_html() {
        let dir = tempfile::tempdir().unwrap();
        let index = pubsearch_core::open::open_or_create(dir.path()).unwrap();
        let f = Fields::from_schema(&index.schema()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let texts = [
            "Shelter <b>and</b> food for families & \"friends\"; shelter's rules.",
            "Shelter,shelter;<shelter>&shelter",
            "Café shelter: l'abri <i>&amp;</i> 'shelter'",
        ];
        for text in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.page_text, text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = tantivy::Term::from_field_text(f.page_text, "shelter");
        let query = TermQuery::new(term, IndexRecordOption::WithFreqsAndPositions);
        let generator = SnippetGenerator::create(&searcher, &query, f.page_text).unwrap();
        let mut compared = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in 0..segment.max_doc() {
                let address = tantivy::DocAddress::new(ord as u32, doc_id);
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                let mut theirs = generator.snippet_from_doc(&doc);
                theirs.set_snippet_prefix_postfix("<mark>", "</mark>");
                let ours = snippet(&Snippet::from_tantivy(&theirs));
                assert_eq!(ours, theirs.to_html());
                assert!(ours.contains("<mark>"), "{ours}");
                compared += 1;
            }
        }
        assert_eq!(compared, texts.len());
    }
}
