//! Text clean-up applied to every page: NFKC (so the `ﬁ` ligature becomes `fi`), control
//! characters removed, runs of blank lines squeezed.

use unicode_normalization::UnicodeNormalization;

/// Normalises one page of extracted text.
pub fn page_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
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
}
