//! Language tags on indexed text: how the one analyzer of a field knows which language a value
//! is in.
//!
//! tantivy gives each field one analyzer, but a library's publications are in many languages.
//! So a value in a language other than English starts with a tag naming its languages, in
//! Unicode's own tag characters (U+E0001 LANGUAGE TAG, then the code spelled in tag letters
//! U+E0061..U+E007A, codes separated by U+E0020 TAG SPACE, ended by U+E007F CANCEL TAG); the
//! field's analyzer ([`super::languages::MultilingualTokenizer`]) reads the tag and analyses the
//! rest in those languages. English text carries no tag, so an English library is indexed and
//! stored exactly as without languages.
//!
//! Tag characters are invisible and never occur in extracted text (extraction removes them), and
//! [`untag`] takes the tag off every stored value read back ([`crate::doc`] does it), so no user
//! sees one.

use super::lang::Lang;

const LANGUAGE_TAG: char = '\u{E0001}';
const TAG_SPACE: char = '\u{E0020}';
const CANCEL_TAG: char = '\u{E007F}';

/// Whether `c` is one of Unicode's tag characters (U+E0000..U+E007F).
pub fn is_tag_char(c: char) -> bool {
    ('\u{E0000}'..='\u{E007F}').contains(&c)
}

/// `text` tagged with `langs`; English alone (or nothing) is not tagged. Tag characters in
/// `text` itself are dropped, so no value can pass for another language's.
pub fn tagged(langs: &[Lang], text: &str) -> String {
    let clean: std::borrow::Cow<str> = if text.chars().any(is_tag_char) {
        text.chars()
            .filter(|&c| !is_tag_char(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let text = clean.as_ref();
    if langs.is_empty() || langs == [Lang::En] {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 4 * 4 * langs.len());
    out.push(LANGUAGE_TAG);
    for (i, lang) in langs.iter().enumerate() {
        if i > 0 {
            out.push(TAG_SPACE);
        }
        for b in lang.as_str().bytes() {
            out.push(char::from_u32(0xE0000 + u32::from(b)).unwrap_or(TAG_SPACE));
        }
    }
    out.push(CANCEL_TAG);
    out.push_str(text);
    out
}

/// The languages `text` is tagged with (empty when untagged) and the text without its tag.
pub fn untag(text: &str) -> (Vec<Lang>, &str) {
    if !text.starts_with(LANGUAGE_TAG) {
        return (Vec::new(), text);
    }
    let end = text
        .char_indices()
        .find(|&(_, c)| !is_tag_char(c))
        .map_or(text.len(), |(i, _)| i);
    let mut langs = Vec::new();
    let mut code = String::new();
    for c in text[..end].chars().skip(1) {
        if c == TAG_SPACE || c == CANCEL_TAG {
            langs.extend(Lang::from_code(&code));
            code.clear();
        } else if let Some(b) = char::from_u32(c as u32 - 0xE0000) {
            code.push(b);
        }
    }
    langs.extend(Lang::from_code(&code));
    langs.dedup();
    (langs, &text[end..])
}

/// `text` without its tag, if it has one.
pub fn untagged(text: &str) -> &str {
    untag(text).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_english_is_untagged() {
        assert_eq!(tagged(&[Lang::En], "Health"), "Health");
        assert_eq!(tagged(&[], "Health"), "Health");
        for langs in [vec![Lang::Es], vec![Lang::Ar, Lang::En], vec![Lang::Zh]] {
            let t = tagged(&langs, "Salud y migración");
            assert_ne!(t, "Salud y migración");
            assert_eq!(untag(&t), (langs.clone(), "Salud y migración"));
            assert_eq!(untagged(&t), "Salud y migración");
        }
        assert_eq!(untag("plain"), (vec![], "plain"));
        assert_eq!(untag(""), (vec![], ""));
        // A tag with nothing after it, and a tag with an unknown code.
        let bare = tagged(&[Lang::Pl], "");
        assert_eq!(untag(&bare), (vec![Lang::Pl], ""));
        let unknown = "\u{E0001}\u{E0078}\u{E0078}\u{E007F}text";
        assert_eq!(untag(unknown), (vec![], "text"));
        // A value cannot bring its own tag.
        let forged = tagged(&[Lang::Es], "x");
        assert_eq!(tagged(&[Lang::En], &forged), "x");
        assert_eq!(untag(&tagged(&[Lang::Ar], &forged)), (vec![Lang::Ar], "x"));
    }
}
