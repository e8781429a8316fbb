//! Text clean-up applied to every page: NFKC (so the `ﬁ` ligature becomes `fi`), control
//! characters removed, runs of blank lines squeezed; bidi controls removed, private-use glyphs
//! mapped to a bullet or dropped, and Arabic lam-alef ligatures put back in logical order.
//!
//! The lam-alef repair: a lam-alef ligature is one glyph mapped to two letters (lam, alef), and
//! an extractor that turns right-to-left text from visual into logical order by reversing its
//! characters reverses those two as well (pdftotext does: `حالات` comes out as `حاالت`,
//! `للاجئين` as `لالجئين`). Text alone does not say which alef-lam pairs were ligatures, so
//! only the sequences that correct Arabic never has are repaired: an alef followed by another
//! alef form and a lam (`حاالت`, and the article before an alef word, `األطفال`), a word
//! starting with lam, alef, lam (a lam before the article contracts to `لل`), and `ال` standing
//! alone (the article never does; the word is `لا`). A reversed ligature elsewhere (`ضالل` for
//! `ضلال`) is left as it is.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalises one page of extracted text.
pub fn page_text(raw: &str) -> String {
    // Most pages are already in NFKC (all of an ASCII page is): the quick check says so
    // without building a normalised copy.
    let nfkc: Cow<str> = if is_nfkc_quick(raw.chars()) == IsNormalized::Yes {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(raw.nfkc().collect())
    };
    let mut out = String::with_capacity(nfkc.len());
    let mut blank_lines = 0;
    for line in nfkc.lines() {
        // Tabs become spaces, other control characters and bidi controls go, private-use
        // glyphs become bullets or go; most lines have none of them.
        let line: Cow<str> = if line.chars().any(needs_mapping) {
            Cow::Owned(line.chars().filter_map(map_char).collect())
        } else {
            Cow::Borrowed(line)
        };
        let line = if line.contains(ARABIC_ALEF_FORMS) {
            Cow::Owned(repair_lam_alef(&line))
        } else {
            line
        };
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_lines += 1;
            if blank_lines > 1 {
                continue;
            }
        } else {
            blank_lines = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_matches('\n').to_string()
}

/// The bidi embedding, override and isolate controls, and the left-to-right and right-to-left
/// marks: invisible, and only in the way of search.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Private-use code points that Symbol and Wingdings fonts use for list bullets (the font's
/// code plus U+F000): `` (Symbol's bullet), ``, ``, ``, ``, ``, ``, ``.
const PRIVATE_BULLETS: [char; 8] = [
    '\u{F0B7}', '\u{F0A7}', '\u{F0A8}', '\u{F0D8}', '\u{F076}', '\u{F0FC}', '\u{F06C}', '\u{F06E}',
];

fn needs_mapping(c: char) -> bool {
    c.is_control()
        || is_bidi_control(c)
        || is_private_use(c)
        || pubsearch_core::analysis::tag::is_tag_char(c)
}

/// What one character becomes: a tab a space, a private-use bullet `•`; control characters,
/// bidi controls, other private-use characters and Unicode tag characters (which the index
/// uses for language tags) nothing.
fn map_char(c: char) -> Option<char> {
    match c {
        '\t' => Some(' '),
        c if PRIVATE_BULLETS.contains(&c) => Some('•'),
        c if needs_mapping(c) => None,
        c => Some(c),
    }
}

const ARABIC_LAM: char = '\u{0644}';
/// Alef, alef with madda, with hamza above, with hamza below: the alefs of the lam-alef
/// ligatures (U+FEF5 to U+FEFC).
const ARABIC_ALEF_FORMS: [char; 4] = ['\u{0627}', '\u{0622}', '\u{0623}', '\u{0625}'];

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}')
}

/// Puts reversed lam-alef ligatures back in logical order where the reversal is certain (see
/// the module documentation).
fn repair_lam_alef(line: &str) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    let alef = |c: char| ARABIC_ALEF_FORMS.contains(&c);
    let word_start = |chars: &[char], i: usize| i == 0 || !is_arabic_letter(chars[i - 1]);
    let mut i = 0;
    while i + 1 < chars.len() {
        let (a, l) = (chars[i], chars[i + 1]);
        if alef(a) && l == ARABIC_LAM {
            // An alef form then lam, after another alef: `حاالت` for `حالات`.
            let after_alef = i > 0 && chars[i - 1] == '\u{0627}';
            // Lam, alef, lam at a word's start: `لالجئين` for `للاجئين`.
            let after_initial_lam =
                i > 0 && chars[i - 1] == ARABIC_LAM && word_start(&chars, i - 1);
            // `ال` alone: `لا`.
            let alone =
                word_start(&chars, i) && chars.get(i + 2).is_none_or(|&c| !is_arabic_letter(c));
            if after_alef || after_initial_lam || alone {
                chars.swap(i, i + 1);
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_become_letters() {
        assert_eq!(page_text("ﬁnancial e\u{FB03}cient"), "financial efficient");
    }

    #[test]
    fn controls_go_and_blank_runs_squeeze() {
        assert_eq!(page_text("a\u{0}b\n\n\n\nc\u{c}"), "ab\n\nc");
    }

    #[test]
    fn bidi_controls_go_and_private_bullets_become_bullets() {
        assert_eq!(
            page_text("\u{202B}حالات\u{202C} \u{2067}x\u{2069}\u{200F}"),
            "حالات x"
        );
        assert_eq!(
            page_text("\u{F0B7} one\n\u{F0A7} two\u{E123}"),
            "• one\n• two"
        );
    }

    #[test]
    fn reversed_lam_alef_ligatures_are_put_back() {
        for (extracted, meant) in [
            ("حاالت", "حالات"),
            ("لالجئين", "للاجئين"),
            ("ال يوجد", "لا يوجد"),
            ("األطفال", "الأطفال"),
            ("اإلنسان", "الإنسان"),
            ("االستقالل", "الاستقالل"),
            (
                "\u{202B}حاالت لالجئين في المدينة\u{202C}",
                "حالات للاجئين في المدينة",
            ),
        ] {
            assert_eq!(page_text(extracted), meant, "{extracted}");
        }
    }

    #[test]
    fn correct_arabic_is_left_alone() {
        for text in [
            "حالات للاجئين في المدينة",
            "الأطفال والمهاجرين بالمدينة سؤال أعمال",
            "لا يوجد استقلال الله للمهاجرين",
            "ضلال",
        ] {
            assert_eq!(page_text(text), text);
        }
    }

    /// The definition `page_text` implements, without its shortcuts.
    fn reference(raw: &str) -> String {
        let mut out = String::new();
        let mut blank_lines = 0;
        for line in raw.nfkc().collect::<String>().lines() {
            let line: String = line.chars().filter_map(map_char).collect();
            let line = repair_lam_alef(&line);
            let line = line.trim_end();
            if line.trim().is_empty() {
                blank_lines += 1;
                if blank_lines > 1 {
                    continue;
                }
            } else {
                blank_lines = 0;
            }
            out.push_str(line);
            out.push('\n');
        }
        out.trim_matches('\n').to_string()
    }

    proptest::proptest! {
        #[test]
        fn shortcuts_change_nothing(
            raw in "([a-zA-Z0-9 .,]|\t|\n|\r|\u{0}|\u{c}|\u{a0}|ﬁ|é|e\u{301}|\u{301}\u{316}|Å|ﾊ|①|\u{2028}|ü|\u{202B}|\u{F0B7}|\u{E000}|\u{E0001}|\u{E0065}|ا|ل|ح|ﻻ){0,60}"
        ) {
            proptest::prop_assert_eq!(page_text(&raw), reference(&raw));
        }
    }
}
