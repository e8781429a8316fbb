//! Metadata sidecars: `<stem>.toml` beside `<stem>.pdf`.
//!
//! ```toml
//! id = "2009-12-strangers-or-citizens"   # optional, defaults to the file stem
//! title = "Strange or Citizens: ..."
//! date = "2009-12-07"                    # YYYY-MM-DD
//! type = "report"                        # report | newsletter | guide | educational-resource | book-chapter | briefing
//! topics = ["local democracy", "london"]
//! summary = "..."
//! authors = ["..."]                      # optional
//! language = "es"                        # optional: an ISO 639-1 code, or a list for a
//!                                        # bilingual one (["en", "es"]); detected when absent
//! ```
//! A sidecar that does not parse, or has a bad value, gives an error naming the file, the line
//! and the field.

use std::path::{Path, PathBuf};

use pubsearch_core::UnknownName;
use pubsearch_core::analysis::Lang;
use pubsearch_core::model::{PubType, Publication};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;
use toml::Spanned;

/// A sidecar that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {field}: {message}", path.display())]
pub struct SidecarError {
    /// The sidecar file.
    pub path: PathBuf,
    /// 1-based line of the offending value (or of the syntax error).
    pub line: usize,
    /// The field concerned, or `syntax`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Option<Spanned<String>>,
    title: Spanned<String>,
    date: Spanned<String>,
    #[serde(rename = "type")]
    pub_type: Spanned<String>,
    #[serde(default)]
    topics: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    #[serde(default)]
    authors: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    language: Option<Spanned<OneOrMany>>,
}

/// A value written as one text or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// True when `id` is usable in a URL path segment and a file name.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Turns a file stem into an id: lower case, runs of other characters become `-`.
pub fn slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(|c| c == '-' || c == '.').to_string();
    if out.is_empty() {
        "untitled".into()
    } else {
        out
    }
}

/// Parses a date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// The fields a sidecar may have, in the order the README lists them.
const FIELDS: [&str; 8] = [
    "id", "title", "date", "type", "topics", "summary", "authors", "language",
];
/// The fields every sidecar needs.
const REQUIRED: [&str; 3] = ["title", "date", "type"];

/// Why `value` is not a usable date, in the words of the sidecar's writer.
fn date_problem(value: &str) -> String {
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if shaped {
        format!(
            "`{value}` has the form YYYY-MM-DD but is not a day of the calendar \
             (check the month and the day)"
        )
    } else {
        format!("`{value}` is not a date of the form YYYY-MM-DD (write date = \"2009-12-07\")")
    }
}

/// What a TOML value is, as the sidecar's writer would say it.
fn shape(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "text",
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Datetime(_) => "a bare date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

/// The line where `key = ...` is written, or 1.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// Checks that the sidecar is TOML, has only known fields, its required ones, and a value of
/// the right kind in each, so that every problem is told in the sidecar's own terms (line,
/// field, what to write instead) rather than in the deserializer's. `Err` is (line, field,
/// message).
fn check_shapes(text: &str) -> Result<(), (usize, String, String)> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        let message = format!(
            "this is not valid TOML: {} (text values go in double quotes, lists in [ ])",
            e.message().trim()
        );
        (line, "syntax".to_string(), message)
    })?;
    for (key, value) in &table {
        let line = line_of_key(text, key);
        let field = key.to_string();
        if !FIELDS.contains(&key.as_str()) {
            return Err((
                line,
                field,
                format!(
                    "`{key}` is not a sidecar field; the fields are {}",
                    FIELDS.join(", ")
                ),
            ));
        }
        let list = matches!(key.as_str(), "topics" | "authors");
        let problem = match (list, value) {
            (false, toml::Value::Array(items)) if key == "language" => {
                items.iter().find(|v| !v.is_str()).map(|v| {
                    format!(
                        "every entry must be a language code in double quotes, like \
                         language = [\"en\", \"es\"] (found {})",
                        shape(v)
                    )
                })
            }
            (false, toml::Value::String(_)) => None,
            (false, toml::Value::Datetime(d)) => {
                Some(format!("write the date in quotes: {key} = \"{d}\""))
            }
            (false, other) => Some(format!(
                "must be text in double quotes, like {key} = \"...\" (found {})",
                shape(other)
            )),
            (true, toml::Value::Array(items)) => items.iter().find(|v| !v.is_str()).map(|v| {
                format!(
                    "every entry must be text in double quotes, like {key} = [\"a\", \"b\"] \
                         (found {})",
                    shape(v)
                )
            }),
            (true, toml::Value::String(s)) => Some(format!(
                "must be a list, even of one: {key} = [\"{}\"]",
                s.replace('"', "\\\"")
            )),
            (true, other) => Some(format!(
                "must be a list of text values, like {key} = [\"a\", \"b\"] (found {})",
                shape(other)
            )),
        };
        if let Some(message) = problem {
            return Err((line, field, message));
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|k| !table.contains_key(**k)) {
        return Err((
            1,
            missing.to_string(),
            format!(
                "is missing; every sidecar needs {} (for example {missing} = \"...\")",
                REQUIRED.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Parses the text of a sidecar. `path` is used in errors only; `stem` gives the default id.
pub fn parse(path: &Path, text: &str, stem: &str) -> Result<Publication, SidecarError> {
    let err = |line: usize, field: &str, message: String| SidecarError {
        path: path.to_path_buf(),
        line,
        field: field.to_string(),
        message,
    };
    check_shapes(text).map_err(|(line, field, message)| err(line, &field, message))?;
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        let message = e.message().to_string();
        // serde names the missing or unknown field in its message; take it as the field.
        let field = message
            .split('`')
            .nth(1)
            .filter(|_| message.contains("field"))
            .unwrap_or("syntax")
            .to_string();
        err(line, &field, message)
    })?;
    let at = |s: std::ops::Range<usize>| line_of(text, s.start);

    let id = match &raw.id {
        Some(id) => {
            if !valid_id(id.get_ref()) {
                return Err(err(
                    at(id.span()),
                    "id",
                    format!(
                        "`{}` is not a valid id (use letters, digits, `-`, `_`, `.`)",
                        id.get_ref()
                    ),
                ));
            }
            id.get_ref().clone()
        }
        None => slug(stem),
    };
    let title = raw.title.get_ref().trim().to_string();
    if title.is_empty() {
        return Err(err(
            at(raw.title.span()),
            "title",
            "must not be empty".into(),
        ));
    }
    let date = parse_date(raw.date.get_ref()).ok_or_else(|| {
        err(
            at(raw.date.span()),
            "date",
            date_problem(raw.date.get_ref()),
        )
    })?;
    // A sidecar names one of the types a person chooses: `other` is not offered.
    let chosen = || PubType::ALL.into_iter().filter(|t| *t != PubType::Other);
    let pub_type: PubType = raw.pub_type.get_ref().parse().map_err(|_| {
        let e = UnknownName::new(
            "type",
            raw.pub_type.get_ref(),
            chosen().map(PubType::as_str),
        );
        err(at(raw.pub_type.span()), "type", e.to_string())
    })?;
    if pub_type == PubType::Other {
        return Err(err(
            at(raw.pub_type.span()),
            "type",
            "`other` is reserved for PDFs without a sidecar".into(),
        ));
    }
    let mut languages: Vec<Lang> = Vec::new();
    if let Some(language) = &raw.language {
        let codes = match language.get_ref() {
            OneOrMany::One(code) => vec![code.clone()],
            OneOrMany::Many(codes) => codes.clone(),
        };
        for code in codes {
            let lang = Lang::from_code(&code).ok_or_else(|| {
                err(
                    at(language.span()),
                    "language",
                    format!(
                        "`{code}` is not a language the library analyses; use one of: {} \
                         (or leave `language` out to have it detected)",
                        Lang::supported()
                    ),
                )
            })?;
            if !languages.contains(&lang) {
                languages.push(lang);
            }
        }
    }
    let topics: Vec<String> = raw
        .topics
        .map(|t| t.into_inner())
        .unwrap_or_default()
        .into_iter()
        .map(|t| pubsearch_core::facet::topic_value(&t))
        .filter(|t| !t.is_empty())
        .collect();
    if let Some(bad) = topics.iter().find(|t| t.contains('/')) {
        return Err(err(
            line_of(text, text.find("topics").unwrap_or(0)),
            "topics",
            format!("topic `{bad}` must not contain `/`"),
        ));
    }
    Ok(Publication {
        id,
        title,
        date: Some(date),
        pub_type,
        topics,
        summary: raw
            .summary
            .map(|s| s.into_inner().trim().to_string())
            .unwrap_or_default(),
        authors: raw.authors.map(|a| a.into_inner()).unwrap_or_default(),
        languages,
        language_detected: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "2009-12-strangers"
title = "Strange or Citizens"
date = "2009-12-07"
type = "report"
topics = ["Local Democracy", "london"]
summary = "Six events."
"#;

    #[test]
    fn parses_a_good_sidecar() {
        let p = parse(Path::new("a.toml"), GOOD, "a").unwrap();
        assert_eq!(p.id, "2009-12-strangers");
        assert_eq!(p.pub_type, PubType::Report);
        assert_eq!(p.topics, vec!["local democracy", "london"]);
        assert_eq!(p.date.unwrap().to_string(), "2009-12-07");
        assert!(p.languages.is_empty(), "detected later, not assumed");
    }

    #[test]
    fn id_defaults_to_the_slugged_stem() {
        let text = GOOD.replace("id = \"2009-12-strangers\"\n", "");
        let p = parse(Path::new("x.toml"), &text, "Annual Report 2010").unwrap();
        assert_eq!(p.id, "annual-report-2010");
    }

    #[test]
    fn bad_date_names_file_line_and_field() {
        let text = GOOD.replace("2009-12-07", "07/12/2009");
        let e = parse(Path::new("corpus/a.toml"), &text, "a").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (4, "date"));
        assert!(e.to_string().starts_with("corpus/a.toml:4: date:"), "{e}");
    }

    #[test]
    fn languages_are_codes_one_or_a_list() {
        let one = format!("{GOOD}language = \"ES\"\n");
        assert_eq!(
            parse(Path::new("a.toml"), &one, "a").unwrap().languages,
            [Lang::Es]
        );
        let two = format!("{GOOD}language = [\"en\", \"es\", \"en\"]\n");
        let p = parse(Path::new("a.toml"), &two, "a").unwrap();
        assert_eq!(p.languages, [Lang::En, Lang::Es]);
        assert!(!p.language_detected);
        let bad = format!("{GOOD}language = \"klingon\"\n");
        let e = parse(Path::new("corpus/a.toml"), &bad, "a").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (8, "language"));
        assert!(e.message.contains("`klingon`"), "{e}");
        assert!(e.message.contains("uk (Ukrainian)"), "{e}");
        let wrong = format!("{GOOD}language = [1]\n");
        let e = parse(Path::new("a.toml"), &wrong, "a").unwrap_err();
        assert_eq!(e.field, "language");
        assert!(e.message.contains("a number"), "{e}");
    }

    #[test]
    fn bad_type_is_reported_on_its_line() {
        let text = GOOD.replace("\"report\"", "\"pamphlet\"");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (5, "type"));
        assert!(e.message.contains("pamphlet"));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let text = GOOD.replace("summary = \"Six events.\"", "summary = \"unterminated");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!(e.line, 7, "{e}");
    }

    #[test]
    fn missing_title_names_the_field() {
        let text = GOOD.replace("title = \"Strange or Citizens\"\n", "");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!(e.field, "title", "{e}");
    }

    #[test]
    fn an_unquoted_date_says_to_quote_it() {
        let text = GOOD.replace("\"2009-12-07\"", "2009-12-07");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (4, "date"), "{e}");
        assert!(e.message.contains("date = \"2009-12-07\""), "{e}");
        assert!(!e.message.contains("invalid type"), "{e}");
    }

    #[test]
    fn a_topic_written_as_text_says_to_make_a_list() {
        let text = GOOD.replace("[\"Local Democracy\", \"london\"]", "\"health\"");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (6, "topics"), "{e}");
        assert!(e.message.contains("topics = [\"health\"]"), "{e}");
        assert!(!e.message.contains("sequence"), "{e}");
    }

    #[test]
    fn wrong_kinds_of_value_are_named() {
        let text = GOOD.replace("\"Strange or Citizens\"", "2010");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "title"), "{e}");
        assert!(e.message.contains("found a number"), "{e}");
        let text = GOOD.replace("\"london\"]", "3]");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!(e.field, "topics", "{e}");
        assert!(e.message.contains("every entry"), "{e}");
    }

    #[test]
    fn an_impossible_day_is_called_that() {
        let text = GOOD.replace("2009-12-07", "2025-04-31");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!(e.field, "date");
        assert!(e.message.contains("not a day of the calendar"), "{e}");
        assert!(!e.message.contains("not a date of the form"), "{e}");
    }

    #[test]
    fn an_unknown_field_lists_the_known_ones() {
        let text = format!("{GOOD}year = \"2009\"\n");
        let e = parse(Path::new("a.toml"), &text, "a").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (8, "year"), "{e}");
        assert!(e.message.contains("title, date, type"), "{e}");
    }

    #[test]
    fn unsafe_ids_are_rejected() {
        for bad in ["../x", "a/b", ".hidden", "", "a b"] {
            assert!(!valid_id(bad), "{bad}");
        }
        assert!(valid_id("2009-12-report_v2.1"));
        assert_eq!(slug("../../x"), "x");
    }

    /// The character set an id may use, as both READMEs write it: `[A-Za-z0-9._-]`.
    fn documented_id_characters(readme: &str) -> Vec<String> {
        readme
            .lines()
            .filter(|l| l.to_lowercase().contains("id") && (l.contains("[A-") || l.contains("[a-")))
            .filter_map(|l| Some(l.split('[').nth(1)?.split(']').next()?.to_string()))
            .collect()
    }

    #[test]
    fn the_readmes_give_the_id_characters_the_code_accepts() {
        let accepted: String = (0u8..128)
            .map(char::from)
            .filter(|c| valid_id(&format!("a{c}")))
            .collect();
        for (name, readme) in [
            ("README.md", include_str!("../../../README.md")),
            (
                "corpus/README.md",
                include_str!("../../../corpus/README.md"),
            ),
        ] {
            let sets = documented_id_characters(readme);
            assert!(!sets.is_empty(), "{name} names no id characters");
            for set in sets {
                let mut documented = String::new();
                let mut chars = set.chars().peekable();
                while let Some(c) = chars.next() {
                    if chars.peek() == Some(&'-') {
                        let mut ahead = chars.clone();
                        ahead.next();
                        if let Some(end) = ahead.next() {
                            documented.extend(c..=end);
                            chars = ahead;
                            continue;
                        }
                    }
                    documented.push(c);
                }
                let mut documented: Vec<char> = documented.chars().collect();
                documented.sort_unstable();
                assert_eq!(
                    documented.into_iter().collect::<String>(),
                    accepted,
                    "{name}: [{set}]"
                );
            }
        }
        assert!(!valid_id(".starts-with-a-dot") && !valid_id(&"a".repeat(129)));
    }
}
