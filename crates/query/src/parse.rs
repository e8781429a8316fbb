//! The query language.
//!
//! Strict mode (for researchers): words must all match (`AND` is implied and may be written),
//! `"exact phrases"`, `-word` or `NOT word` to exclude, `OR`, parentheses, and field prefixes
//! `title:`, `summary:`, `topic:`, `author:`, `text:`. A query that does not parse is an
//! error that says what is wrong and where.
//!
//! Website mode never fails: a query that does not parse is read again as plain words.
//! Typo tolerance and prefix matching are added when the query is compiled
//! ([`crate::compile`]); here website mode only marks the words eligible for them.

use std::fmt;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words and phrases in one query.
pub const MAX_LEAVES: usize = 64;
/// Deepest nesting of parentheses and negations.
pub const MAX_DEPTH: usize = 16;

/// A field a user may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldName {
    /// `title:`
    Title,
    /// `summary:`
    Summary,
    /// `topic:` or `topics:`
    Topic,
    /// `author:` or `authors:`
    Author,
    /// `text:` or `body:`: the text of the PDF.
    Text,
}

impl FieldName {
    fn from_prefix(s: &str) -> Option<FieldName> {
        match s.to_ascii_lowercase().as_str() {
            "title" => Some(FieldName::Title),
            "summary" => Some(FieldName::Summary),
            "topic" | "topics" => Some(FieldName::Topic),
            "author" | "authors" => Some(FieldName::Author),
            "text" | "body" => Some(FieldName::Text),
            _ => None,
        }
    }
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A word: all its tokens must match (several tokens, as in `covid-19`, make a phrase).
    Word {
        /// Field restriction, if any.
        field: Option<FieldName>,
        /// The word as typed.
        text: String,
        /// Website mode: eligible for typo tolerance.
        fuzzy: bool,
        /// Website mode: the last word, still being typed: match as a prefix too.
        prefix: bool,
    },
    /// A quoted phrase.
    Phrase {
        /// Field restriction, if any.
        field: Option<FieldName>,
        /// The phrase as typed, without quotes.
        text: String,
    },
    /// All must match.
    And(Vec<Node>),
    /// At least one must match.
    Or(Vec<Node>),
    /// Must not match.
    Not(Box<Node>),
}

/// Strict or website.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// Exact syntax, errors on bad syntax.
    #[default]
    Strict,
    /// Forgiving, typo-tolerant, prefix on the last word.
    Website,
}

/// A query that cannot be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

fn err<T>(message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        message: message.into(),
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    LParen(usize),
    RParen(usize),
    Minus,
    Or(usize),
    AndOp,
    NotOp,
    Field(FieldName, usize),
    Word(String),
    Phrase(String),
}

fn lex(q: &str, strict: bool) -> Result<(Vec<Tok>, bool), ParseError> {
    let chars: Vec<char> = q.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut ends_open = false;
    while i < chars.len() {
        let c = chars[i];
        ends_open = false;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                toks.push(Tok::LParen(i + 1));
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen(i + 1));
                i += 1;
            }
            '"' => {
                let start = i;
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    j += 1;
                }
                if j >= chars.len() {
                    return err(format!(
                        "missing closing quote for the phrase that starts at position {}",
                        start + 1
                    ));
                }
                toks.push(Tok::Phrase(chars[i + 1..j].iter().collect()));
                i = j + 1;
            }
            '-' if i + 1 < chars.len()
                && !chars[i + 1].is_whitespace()
                && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(') =>
            {
                toks.push(Tok::Minus);
                i += 1;
            }
            _ => {
                let start = i;
                let mut j = i;
                while j < chars.len()
                    && !chars[j].is_whitespace()
                    && !matches!(chars[j], '(' | ')' | '"')
                {
                    // A field prefix ends the word at its colon.
                    if chars[j] == ':' && j > start {
                        let name: String = chars[start..j].iter().collect();
                        if name.chars().all(|c| c.is_ascii_alphabetic()) {
                            match FieldName::from_prefix(&name) {
                                Some(f) => {
                                    toks.push(Tok::Field(f, start + 1));
                                    i = j + 1;
                                    break;
                                }
                                None if strict => {
                                    return err(format!(
                                        "unknown field `{name}` at position {} (fields: title, summary, topic, author, text)",
                                        start + 1
                                    ));
                                }
                                None => {}
                            }
                        }
                    }
                    j += 1;
                }
                if i != start {
                    continue; // a field prefix was pushed
                }
                let word: String = chars[start..j].iter().collect();
                i = j;
                match word.as_str() {
                    "OR" | "||" => toks.push(Tok::Or(start + 1)),
                    "AND" | "&&" => toks.push(Tok::AndOp),
                    "NOT" => toks.push(Tok::NotOp),
                    _ => {
                        ends_open = j == chars.len();
                        toks.push(Tok::Word(word));
                    }
                }
            }
        }
    }
    Ok((toks, ends_open))
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    leaves: usize,
    website: bool,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or(&mut self, depth: usize) -> Result<Node, ParseError> {
        let mut parts = vec![self.and(depth)?];
        while let Some(Tok::Or(at)) = self.peek().cloned() {
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen(_)) | Some(Tok::Or(_))) {
                return err(format!("OR at position {at} needs something after it"));
            }
            parts.push(self.and(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Node::Or(parts)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Node, ParseError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen(_)) => break,
                Some(Tok::Or(at)) => {
                    if parts.is_empty() {
                        return err(format!("OR at position {at} needs something before it"));
                    }
                    break;
                }
                Some(Tok::AndOp) => {
                    self.pos += 1;
                    continue;
                }
                _ => parts.push(self.unary(depth)?),
            }
        }
        match parts.len() {
            0 => err("expected a word or phrase"),
            1 => Ok(parts.pop().expect("one part")),
            _ => Ok(Node::And(parts)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return err(format!("query is nested deeper than {MAX_DEPTH} levels"));
        }
        match self.peek() {
            Some(Tok::Minus) | Some(Tok::NotOp) => {
                self.pos += 1;
                if matches!(self.peek(), None | Some(Tok::RParen(_)) | Some(Tok::Or(_))) {
                    return err("`-` or NOT must be followed by a word, phrase or group");
                }
                Ok(Node::Not(Box::new(self.unary(depth + 1)?)))
            }
            _ => self.primary(None, depth),
        }
    }

    fn leaf(&mut self) -> Result<(), ParseError> {
        self.leaves += 1;
        if self.leaves > MAX_LEAVES {
            return err(format!(
                "query has more than {MAX_LEAVES} words and phrases; remove some, or use the \
                 website mode, which keeps the most informative words of a long text"
            ));
        }
        Ok(())
    }

    fn primary(&mut self, field: Option<FieldName>, depth: usize) -> Result<Node, ParseError> {
        let Some(tok) = self.peek().cloned() else {
            return err("expected a word or phrase at the end of the query");
        };
        self.pos += 1;
        match tok {
            Tok::LParen(at) => {
                if field.is_some() {
                    return err(format!(
                        "a field prefix cannot take a group (position {at}); write title:word or title:\"a phrase\""
                    ));
                }
                let inner = self.or(depth + 1)?;
                match self.peek() {
                    Some(Tok::RParen(_)) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => err(format!("missing `)` for the `(` at position {at}")),
                }
            }
            Tok::RParen(at) => err(format!("unexpected `)` at position {at}")),
            Tok::Field(f, at) => {
                if field.is_some() {
                    return err(format!("two field prefixes in a row at position {at}"));
                }
                match self.peek() {
                    Some(Tok::Word(_)) | Some(Tok::Phrase(_)) => self.primary(Some(f), depth),
                    _ => err(format!(
                        "the field prefix at position {at} needs a word or a quoted phrase"
                    )),
                }
            }
            Tok::Word(text) => {
                self.leaf()?;
                Ok(Node::Word {
                    field,
                    fuzzy: self.website,
                    prefix: false,
                    text,
                })
            }
            Tok::Phrase(text) => {
                self.leaf()?;
                Ok(Node::Phrase { field, text })
            }
            Tok::Minus | Tok::NotOp | Tok::Or(_) | Tok::AndOp => err("unexpected operator"),
        }
    }
}

/// Parses `q`. An empty query gives `Ok(None)` (browse everything).
pub fn parse(q: &str, mode: Mode) -> Result<Option<Node>, ParseError> {
    let website = mode == Mode::Website;
    if q.chars().count() > MAX_QUERY_CHARS {
        if website {
            // A pasted paragraph: its words, of which the search keeps the most informative.
            return Ok(plain_words(q));
        }
        return err(format!(
            "query is longer than {MAX_QUERY_CHARS} characters; shorten it, or use the website \
             mode, which keeps the most informative words of a long text"
        ));
    }
    let strict_result = lex(q, !website).and_then(|(toks, ends_open)| {
        if toks.is_empty() {
            return Ok((None, ends_open));
        }
        let mut p = Parser {
            toks,
            pos: 0,
            leaves: 0,
            website,
        };
        let node = p.or(0)?;
        if let Some(tok) = p.peek() {
            return match tok {
                Tok::RParen(at) => err(format!("unexpected `)` at position {at}")),
                _ => err("unexpected input after the query"),
            };
        }
        Ok((Some(node), ends_open))
    });
    match (strict_result, website) {
        (Ok((node, ends_open)), true) => Ok(node.map(|n| mark_last_prefix(n, ends_open))),
        (Ok((node, _)), false) => Ok(node),
        (Err(e), false) => Err(e),
        (Err(_), true) => Ok(plain_words(q)),
    }
}

/// Most words read from one website query (a pasted page); the search keeps the most
/// informative of them.
pub const MAX_PASTED_WORDS: usize = 2_000;

/// Website fallback: every run of letters and digits is a word.
fn plain_words(q: &str) -> Option<Node> {
    let words: Vec<Node> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_PASTED_WORDS)
        .map(|w| Node::Word {
            field: None,
            text: w.to_string(),
            fuzzy: true,
            prefix: false,
        })
        .collect();
    let ends_open = q.chars().last().is_some_and(char::is_alphanumeric);
    let node = match words.len() {
        0 => return None,
        1 => words.into_iter().next().expect("one word"),
        _ => Node::And(words),
    };
    Some(mark_last_prefix(node, ends_open))
}

fn mark_last_prefix(node: Node, ends_open: bool) -> Node {
    if !ends_open {
        return node;
    }
    match node {
        Node::Word {
            field, text, fuzzy, ..
        } => Node::Word {
            field,
            text,
            fuzzy,
            prefix: true,
        },
        Node::And(mut parts) => {
            if let Some(last) = parts.pop() {
                parts.push(mark_last_prefix(last, true));
            }
            Node::And(parts)
        }
        Node::Or(mut parts) => {
            if let Some(last) = parts.pop() {
                parts.push(mark_last_prefix(last, true));
            }
            Node::Or(parts)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Node {
        Node::Word {
            field: None,
            text: text.into(),
            fuzzy: false,
            prefix: false,
        }
    }

    #[test]
    fn words_phrases_fields_and_operators() {
        let q = parse(
            r#"health "skill wastage" -nurses title:guide (a OR b)"#,
            Mode::Strict,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            q,
            Node::And(vec![
                w("health"),
                Node::Phrase {
                    field: None,
                    text: "skill wastage".into()
                },
                Node::Not(Box::new(w("nurses"))),
                Node::Word {
                    field: Some(FieldName::Title),
                    text: "guide".into(),
                    fuzzy: false,
                    prefix: false
                },
                Node::Or(vec![w("a"), w("b")]),
            ])
        );
    }

    #[test]
    fn hyphen_inside_a_word_is_not_negation() {
        assert_eq!(
            parse("covid-19", Mode::Strict).unwrap().unwrap(),
            w("covid-19")
        );
        assert_eq!(
            parse("NOT x", Mode::Strict).unwrap().unwrap(),
            Node::Not(Box::new(w("x")))
        );
    }

    #[test]
    fn strict_errors_say_what_and_where() {
        let cases = [
            ("title:(water", "field prefix"),
            ("(water", "missing `)` for the `(` at position 1"),
            ("water)", "unexpected `)` at position 6"),
            ("\"open phrase", "missing closing quote"),
            ("a OR", "OR at position 3 needs something after it"),
            ("OR a", "needs something before it"),
            ("colour:red", "unknown field `colour`"),
            ("water NOT", "must be followed"),
            ("title:", "needs a word"),
        ];
        for (q, expected) in cases {
            let e = parse(q, Mode::Strict).expect_err(q);
            assert!(e.message.contains(expected), "{q}: {}", e.message);
        }
    }

    #[test]
    fn limits_are_enforced() {
        let long = "a ".repeat(MAX_QUERY_CHARS);
        assert!(
            parse(&long, Mode::Strict)
                .unwrap_err()
                .message
                .contains("longer")
        );
        // Website mode reads a pasted text as its words (the search keeps the most
        // informative).
        match parse(&long, Mode::Website).unwrap() {
            Some(Node::And(words)) => assert_eq!(words.len(), MAX_QUERY_CHARS),
            other => panic!("{other:?}"),
        }
        let many = "a ".repeat(MAX_LEAVES + 1);
        assert!(
            parse(&many, Mode::Strict)
                .unwrap_err()
                .message
                .contains("more than")
        );
        let deep = format!("{}x{}", "(".repeat(40), ")".repeat(40));
        assert!(
            parse(&deep, Mode::Strict)
                .unwrap_err()
                .message
                .contains("nested")
        );
    }

    #[test]
    fn website_mode_never_fails_and_marks_the_last_word() {
        let q = parse("title:(water \"oops", Mode::Website)
            .unwrap()
            .unwrap();
        match q {
            Node::And(parts) => {
                assert_eq!(parts.len(), 3);
                assert!(
                    matches!(&parts[2], Node::Word { text, prefix: true, fuzzy: true, .. } if text == "oops")
                );
            }
            other => panic!("{other:?}"),
        }
        let q = parse("migrant heal", Mode::Website).unwrap().unwrap();
        let Node::And(parts) = q else { panic!() };
        assert!(matches!(&parts[1], Node::Word { prefix: true, .. }));
        assert!(matches!(
            &parts[0],
            Node::Word {
                prefix: false,
                fuzzy: true,
                ..
            }
        ));
        let q = parse("migrant health ", Mode::Website).unwrap().unwrap();
        let Node::And(parts) = q else { panic!() };
        assert!(matches!(&parts[1], Node::Word { prefix: false, .. }));
        assert_eq!(parse("  ", Mode::Website).unwrap(), None);
        assert_eq!(parse("((( )))", Mode::Website).unwrap(), None);
        assert_eq!(parse("", Mode::Strict).unwrap(), None);
    }
}
