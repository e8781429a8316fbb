//! A snippet as search hands it out: plain text and the byte ranges of the matches in it.
//!
//! Rendering is the caller's: the HTTP layer escapes it into HTML with `<mark>`, the command
//! line marks the matches its own way. [`Snippet::pieces`] walks the text in order, each piece
//! flagged as a match or not.

use std::ops::Range;

/// Text with highlighted byte ranges: sorted, non-overlapping, on character boundaries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    text: String,
    highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// A snippet of `text` with `highlights`; ranges are sorted and overlapping ones merged
    /// (adjacent ones stay apart); ranges that are empty, out of bounds or not on character
    /// boundaries are dropped.
    pub fn new(text: impl Into<String>, highlights: &[Range<usize>]) -> Snippet {
        let text = text.into();
        let mut ranges: Vec<Range<usize>> = highlights
            .iter()
            .filter(|r| r.start < r.end && text.get(r.start..r.end).is_some())
            .cloned()
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if last.end > r.start => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Snippet {
            text,
            highlights: merged,
        }
    }

    /// Text with nothing highlighted.
    pub fn plain(text: impl Into<String>) -> Snippet {
        Snippet {
            text: text.into(),
            highlights: Vec::new(),
        }
    }

    /// From tantivy's snippet: its fragment and highlighted ranges.
    pub(crate) fn from_tantivy(s: &tantivy::snippet::Snippet) -> Snippet {
        Snippet::new(s.fragment(), s.highlighted())
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte ranges of the matches in [`Snippet::text`].
    pub fn highlights(&self) -> &[Range<usize>] {
        &self.highlights
    }

    /// The text in order, as `(piece, is_match)`; empty pieces are left out.
    pub fn pieces(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        let mut out = Vec::with_capacity(self.highlights.len() * 2 + 1);
        let mut at = 0;
        for r in &self.highlights {
            if r.start > at {
                out.push((&self.text[at..r.start], false));
            }
            out.push((&self.text[r.clone()], true));
            at = r.end;
        }
        if at < self.text.len() {
            out.push((&self.text[at..], false));
        }
        out.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_sorted_merged_and_checked() {
        let s = Snippet::new(
            "héllo wide world",
            &[7..11, 0..3, 0..1, 8..10, 12..99, 1..2, 3..3],
        );
        // 0..1 lies in 0..3 and 8..10 in 7..11; 1..2 splits 'é'; 12..99 is out of bounds;
        // 3..3 is empty.
        assert_eq!(s.highlights(), &[0..3, 7..11]);
        let adjacent = Snippet::new("abcd", &[2..4, 0..2]);
        assert_eq!(adjacent.highlights(), &[0..2, 2..4]);
    }

    #[test]
    fn pieces_cover_the_text_in_order() {
        let s = Snippet::new("the shelter and food", &[4..11, 16..20]);
        let pieces: Vec<(&str, bool)> = s.pieces().collect();
        assert_eq!(
            pieces,
            vec![
                ("the ", false),
                ("shelter", true),
                (" and ", false),
                ("food", true)
            ]
        );
        assert_eq!(
            Snippet::plain("x").pieces().collect::<Vec<_>>(),
            vec![("x", false)]
        );
        assert_eq!(Snippet::plain("").pieces().count(), 0);
    }
}
