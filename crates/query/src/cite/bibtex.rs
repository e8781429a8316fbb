//! BibTeX entries, also read by BibLaTeX and biber (`date`, `langid`, `pagetotal`).
//!
//! Text values are LaTeX-escaped so that BibTeX and LaTeX read back exactly what the charity
//! wrote: the specials are escaped, accented Latin letters become accent commands in braces
//! (`{\'e}`), and other scripts stay UTF-8. URLs are not: BibLaTeX reads `url` verbatim.

use std::fmt::Write;

use pubsearch_core::analysis::Lang;
use pubsearch_core::model::PubType;
use unicode_normalization::UnicodeNormalization;

use super::{Author, Cited, PUBLISHER, authors, keywords, type_label, unique};

/// The entries, each followed by a blank line but the last.
pub(super) fn render(items: &[Cited<'_>]) -> String {
    let keys = unique(items.iter().map(|c| key(&c.publication.id)));
    let entries: Vec<String> = items.iter().zip(keys).map(|(c, k)| entry(c, &k)).collect();
    entries.join("\n")
}

/// The BibTeX entry type of a publication type.
fn entry_type(pub_type: PubType) -> &'static str {
    match pub_type {
        PubType::Report | PubType::Briefing => "techreport",
        PubType::BookChapter => "incollection",
        PubType::Newsletter | PubType::Guide | PubType::EducationalResource | PubType::Other => {
            "misc"
        }
    }
}

/// The month macros BibTeX styles define.
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// One entry, ending with a newline.
fn entry(c: &Cited<'_>, key: &str) -> String {
    let p = c.publication;
    let kind = entry_type(p.pub_type);
    let braced = |value: String| format!("{{{value}}}");
    let mut fields: Vec<(&str, String)> = Vec::new();
    let names: Vec<String> = authors(p).iter().map(name).collect();
    fields.push(("author", braced(names.join(" and "))));
    // The extra braces keep the title's capitals from a style's case change.
    fields.push(("title", braced(braced(escape(&p.title)))));
    match (kind, type_label(p.pub_type)) {
        ("techreport", Some(label)) => fields.push(("type", braced(escape(label)))),
        ("misc", Some(label)) => fields.push(("howpublished", braced(escape(label)))),
        _ => {}
    }
    let publisher = if kind == "techreport" {
        "institution"
    } else {
        "publisher"
    };
    // BibLaTeX reads `institution` and `publisher` as `and`-separated lists: braced whole,
    // the charity stays one name.
    fields.push((publisher, braced(braced(escape(PUBLISHER)))));
    if let Some(d) = p.date {
        let month = u8::from(d.month());
        fields.push(("year", braced(d.year().to_string())));
        // A macro, unbraced: styles print it in the document's language.
        fields.push(("month", MONTHS[usize::from(month) - 1].to_string()));
        let iso = format!("{:04}-{month:02}-{:02}", d.year(), d.day());
        fields.push(("date", braced(iso)));
    }
    if let Some(n) = c.page_count {
        fields.push(("pagetotal", braced(n.to_string())));
    }
    if let Some(page) = c.page {
        fields.push(("pages", braced(page.to_string())));
    }
    fields.push(("langid", braced(langid(p.language()).to_string())));
    let keywords = keywords(p);
    if !keywords.is_empty() {
        fields.push(("keywords", braced(escape(&keywords.join(", ")))));
    }
    if !p.summary.trim().is_empty() {
        fields.push(("abstract", braced(escape(&p.summary))));
    }
    fields.push(("url", braced(url(&c.url()))));

    let mut out = format!("@{kind}{{{key},\n");
    for (name, value) in fields {
        let _ = writeln!(out, "  {name} = {value},");
    }
    out.push_str("}\n");
    out
}

/// The citation key: the id, whose characters (`[A-Za-z0-9._-]`) all make a valid key; any
/// other character becomes `-`.
fn key(id: &str) -> String {
    let key: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/' | '+') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if key.is_empty() {
        "untitled".into()
    } else {
        key
    }
}

/// An author in a BibTeX name list: `Family, Given` for a person (a family name of several
/// words braced as one), the whole name braced for an organisation, so that an `and` in it
/// does not separate names.
fn name(author: &Author) -> String {
    match author {
        Author::Corporate(name) => format!("{{{}}}", escape(name)),
        Author::Person { family, given } => {
            let mut family = escape(family);
            if family.contains(' ') {
                family = format!("{{{family}}}");
            }
            if given.is_empty() {
                family
            } else {
                format!("{family}, {}", escape(given))
            }
        }
    }
}

/// The language name BibLaTeX's `langid` takes (babel's and polyglossia's names); the ISO
/// code for a language it has no name for.
fn langid(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "english",
        Lang::Es => "spanish",
        Lang::Pt => "portuguese",
        Lang::Fr => "french",
        Lang::De => "german",
        Lang::It => "italian",
        Lang::Nl => "dutch",
        Lang::Pl => "polish",
        Lang::Uk => "ukrainian",
        Lang::Ru => "russian",
        Lang::Ar => "arabic",
        Lang::Sw => "swahili",
        Lang::Zh => "chinese",
        other => other.as_str(),
    }
}

/// A URL for the verbatim `url` field: only what would break the braces (and whitespace,
/// never valid in a URL) is percent-encoded; `%` stays as it is.
fn url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            '{' | '}' | '\\' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Text for a braced BibTeX value, LaTeX-escaped: whitespace runs become one space, the
/// specials are escaped, accented Latin letters become accent commands and other characters
/// stay UTF-8.
///
/// A brace that has its partner is written `\{`, `\}`. One that has none is written
/// `\textbraceleft{}` or `\textbraceright{}`, since BibTeX counts even escaped braces: an
/// unmatched `\{` would end (or never end) the value for BibTeX.
pub(super) fn escape(text: &str) -> String {
    let text: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect();
    let paired = paired_braces(&text);
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in text.iter().enumerate() {
        match c {
            '\\' => out.push_str(r"\textbackslash{}"),
            '{' if paired[i] => out.push_str(r"\{"),
            '}' if paired[i] => out.push_str(r"\}"),
            '{' => out.push_str(r"\textbraceleft{}"),
            '}' => out.push_str(r"\textbraceright{}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str(r"\^{}"),
            '~' => out.push_str(r"\~{}"),
            // `--` and `---` are dashes to TeX: keep the hyphens the charity typed.
            '-' if text.get(i + 1) == Some(&'-') => out.push_str("-{}"),
            c if c.is_control() => {}
            c if c.is_ascii() => out.push(c),
            c => push_letter(&mut out, c),
        }
    }
    out
}

/// Which characters of `text` are braces with a partner.
fn paired_braces(text: &[char]) -> Vec<bool> {
    let mut paired = vec![false; text.len()];
    let mut open = Vec::new();
    for (i, &c) in text.iter().enumerate() {
        match c {
            '{' => open.push(i),
            '}' => {
                if let Some(j) = open.pop() {
                    paired[i] = true;
                    paired[j] = true;
                }
            }
            _ => {}
        }
    }
    paired
}

/// A non-ASCII character: a LaTeX letter command or an accented ASCII letter as an accent
/// command, each in braces; anything else (other scripts, one letter with two accents,
/// punctuation) as UTF-8.
fn push_letter(out: &mut String, c: char) {
    if let Some(command) = letter_command(c) {
        let _ = write!(out, "{{\\{command}}}");
        return;
    }
    let mut parts = std::iter::once(c).nfd();
    if let (Some(base), Some(mark), None) = (parts.next(), parts.next(), parts.next())
        && base.is_ascii_alphabetic()
        && let Some(accent) = accent_command(mark)
    {
        if accent.chars().all(|a| a.is_ascii_alphabetic()) {
            let _ = write!(out, "{{\\{accent}{{{base}}}}}");
        } else {
            let _ = write!(out, "{{\\{accent}{base}}}");
        }
        return;
    }
    out.push(c);
}

/// The LaTeX commands for letters that are not an ASCII letter with an accent.
fn letter_command(c: char) -> Option<&'static str> {
    Some(match c {
        'ł' => "l",
        'Ł' => "L",
        'ø' => "o",
        'Ø' => "O",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ı' => "i",
        _ => return None,
    })
}

/// The LaTeX accent command of a combining mark.
fn accent_command(mark: char) -> Option<&'static str> {
    Some(match mark {
        '\u{301}' => "'",
        '\u{300}' => "`",
        '\u{302}' => "^",
        '\u{303}' => "~",
        '\u{308}' => "\"",
        '\u{304}' => "=",
        '\u{307}' => ".",
        '\u{327}' => "c",
        '\u{30C}' => "v",
        '\u{30A}' => "r",
        '\u{328}' => "k",
        '\u{30B}' => "H",
        '\u{306}' => "u",
        '\u{323}' => "d",
        _ => return None,
    })
}

#[cfg(test)]
#[path = "bibtex_tests.rs"]
mod tests;
