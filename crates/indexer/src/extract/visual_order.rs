//! Right-to-left lines from visual to logical order.
//!
//! pdf-extract writes glyphs in the order a page draws them, left to right, so an Arabic or
//! Hebrew line comes out in visual order: each word reversed and the words in reverse order.
//! (The vendored pdf-extract writes the letters of a right-to-left ligature such as lam-alef
//! reversed as well, so the line is in visual order letter by letter.) Applying the Unicode
//! bidirectional algorithm's reordering to such a line undoes it: right-to-left runs are
//! reversed back, numbers and Latin words inside them keep their order.

use std::borrow::Cow;

use unicode_bidi::BidiInfo;

/// A letter of a right-to-left script: the vendored pdf-extract's own test, so both agree on
/// which lines it wrote in visual order.
pub use pdf_extract::is_rtl_letter;

/// `text` with each line holding right-to-left letters put in logical order; other lines
/// as they are.
pub fn to_logical(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_rtl_letter) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.chars().any(is_rtl_letter) {
            out.push_str(&line_to_logical(line));
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

fn line_to_logical(line: &str) -> String {
    let info = BidiInfo::new(line, None);
    let Some(para) = info.paragraphs.first() else {
        return line.to_string();
    };
    info.reorder_line(para, para.range.clone()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What pdf-extract writes for a line: its visual order, letter by letter.
    fn visual(logical: &str) -> String {
        let info = BidiInfo::new(logical, None);
        let para = &info.paragraphs[0];
        info.reorder_line(para, para.range.clone()).into_owned()
    }

    #[test]
    fn arabic_lines_come_back_in_logical_order() {
        for logical in [
            "نساعد المهاجرين في الحصول على الرعاية الصحية",
            "للاجئين حق في العلاج المجاني.",
            "تقدم الجمعية 12 مترجما للعائلات",
            "ראה עמוד 3 של הדוח",
        ] {
            let seen = visual(logical);
            assert_ne!(seen, logical);
            assert_eq!(to_logical(&seen), logical, "{seen}");
        }
    }

    #[test]
    fn left_to_right_text_is_untouched() {
        let text = "Page 3\nMigrants and refugees, 2009 (é)";
        assert!(matches!(to_logical(text), Cow::Borrowed(_)));
        let mixed = format!("English line\n{}", visual("سطر عربي"));
        assert_eq!(to_logical(&mixed), "English line\nسطر عربي");
    }
}
