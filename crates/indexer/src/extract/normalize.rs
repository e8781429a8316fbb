//! Text clean-up applied to every page: NFKC (so the `ﬁ` ligature becomes `fi`), control
//! characters removed, runs of blank lines squeezed.

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
        // Tabs become spaces and other control characters go; most lines have neither.
        let line: Cow<str> = if line.chars().any(char::is_control) {
            Cow::Owned(
                line.chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .filter(|c| !c.is_control())
                    .collect(),
            )
        } else {
            Cow::Borrowed(line)
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

    /// The definition `page_text` implements, without its shortcuts.
    fn reference(raw: &str) -> String {
        let mut out = String::new();
        let mut blank_lines = 0;
        for line in raw.nfkc().collect::<String>().lines() {
            let line: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !c.is_control())
                .collect();
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
            raw in "([a-zA-Z0-9 .,]|\t|\n|\r|\u{0}|\u{c}|\u{a0}|ﬁ|é|e\u{301}|\u{301}\u{316}|Å|ﾊ|①|\u{2028}|ü){0,60}"
        ) {
            proptest::prop_assert_eq!(page_text(&raw), reference(&raw));
        }
    }
}
