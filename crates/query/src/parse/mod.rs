//! The query language.
//!
//! Strict mode (for researchers): words must all match (`AND` is implied and may be written),
//! `"exact phrases"`, `-word` or `NOT word` to exclude, `OR`, parentheses, field prefixes
//! `title:`, `summary:`, `topic:`, `author:`, `text:` (also on a group: `title:(health OR
//! gp)`), proximity (`"mental services"~3`, `doctors NEAR/5 refugee`, `NEAR` alone being
//! `NEAR/10`, as in Xapian) and prefixes (`heal*`). A query that does not parse, or uses syntax
//! that is not supported (`word~2`, `wom?n`, `term^2`, `[a TO b]`), is an error that says what
//! is wrong, where, and what to write instead: nothing is silently ignored.
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
/// Shortest prefix (letters and digits before the `*`) that is expanded.
pub const MIN_PREFIX_CHARS: usize = 2;
/// The distance of `NEAR` written without `/N`.
pub const DEFAULT_NEAR: u32 = 10;
/// The widest proximity a query may ask for: less than the gap between two pages in the
/// index, so a match never spans a page break.
pub use pubsearch_core::analysis::languages::MAX_PROXIMITY;

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
        /// `"a b"~N`: how many moves the words may make from the phrase's order (tantivy's
        /// and Lucene's phrase slop: `"a b"~3` allows up to three words between them, or the
        /// two swapped with one between); 0 for an exact phrase.
        slop: u32,
    },
    /// `a NEAR/N b`: both, at most `distance` words apart, in either order, on one page.
    Near {
        /// Field restriction, if any.
        field: Option<FieldName>,
        /// The left word or phrase as typed.
        left: String,
        /// The right word or phrase as typed.
        right: String,
        /// Most words between them.
        distance: u32,
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
    Near(u32, usize),
    Word(String),
    Prefix(String),
    Phrase(String, u32),
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
                let text: String = chars[i + 1..j].iter().collect();
                i = j + 1;
                let mut slop = 0;
                if chars.get(i) == Some(&'~') {
                    let digits: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    if digits.is_empty() {
                        if strict {
                            return err(format!(
                                "`~` after the phrase at position {} needs a number of words, as in \"{text}\"~3",
                                start + 1
                            ));
                        }
                        i += 1;
                    } else {
                        slop = proximity(&digits, start + 1)?;
                        i += 1 + digits.len();
                    }
                }
                toks.push(Tok::Phrase(text, slop));
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
                    "NEAR" => toks.push(Tok::Near(DEFAULT_NEAR, start + 1)),
                    w if w.starts_with("NEAR/") => {
                        let n = &w["NEAR/".len()..];
                        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                            toks.push(Tok::Near(proximity(n, start + 1)?, start + 1));
                        } else if strict {
                            return err(format!(
                                "`{w}` at position {}: write NEAR/ and a number of words, as in doctors NEAR/5 refugee",
                                start + 1
                            ));
                        } else {
                            toks.push(Tok::Word(word));
                        }
                    }
                    _ => {
                        ends_open = j == chars.len();
                        if strict {
                            unsupported(&word, start + 1)?;
                        }
                        match word.strip_suffix('*') {
                            Some(stem) if strict || !stem.is_empty() => {
                                toks.push(Tok::Prefix(stem.trim_end_matches('*').to_string()));
                            }
                            _ => toks.push(Tok::Word(word)),
                        }
                    }
                }
            }
        }
    }
    Ok((toks, ends_open))
}

/// A proximity's number of words, at most [`MAX_PROXIMITY`].
fn proximity(digits: &str, at: usize) -> Result<u32, ParseError> {
    match digits.parse::<u32>() {
        Ok(n) if n <= MAX_PROXIMITY => Ok(n),
        _ => err(format!(
            "the proximity at position {at} is more than {MAX_PROXIMITY} words; proximity is \
             counted on one page, so use a smaller number or two separate words"
        )),
    }
}

/// Strict mode: syntax of other query languages that this one does not have is an error that
/// says what to write instead, not a word searched for.
fn unsupported(word: &str, at: usize) -> Result<(), ParseError> {
    let inner = |c: char| {
        let trimmed = word.trim_end_matches(['*', '?', '.', ',', ';', '!']);
        trimmed.contains(c)
    };
    if word.starts_with(['[', '{']) {
        return err(format!(
            "ranges (`{word}` at position {at}) are not part of the query; filter dates with \
             date_from and date_to (YYYY, YYYY-MM or YYYY-MM-DD)"
        ));
    }
    if inner('*') {
        return err(format!(
            "`*` at position {at} works only at the end of a word, as in heal*"
        ));
    }
    if inner('?') {
        return err(format!(
            "`?` wildcards (`{word}` at position {at}) are not supported; use `*` at the end of a \
             word, or the website mode, which finds spelling variants"
        ));
    }
    if word.chars().skip(1).any(|c| c == '~') {
        return err(format!(
            "`~` after a word (`{word}` at position {at}) is not supported; the website mode \
             finds spelling variants, and proximity is written \"a b\"~3 or a NEAR/3 b"
        ));
    }
    if let Some((_, boost)) = word.split_once('^')
        && boost.starts_with(|c: char| c.is_ascii_digit())
    {
        return err(format!(
            "boosts (`{word}` at position {at}) are not supported; put the word in a field, as \
             in title:word, to ask for it there"
        ));
    }
    if let Some(stem) = word.strip_suffix('*')
        && stem.chars().filter(|c| c.is_alphanumeric()).count() < MIN_PREFIX_CHARS
    {
        return err(format!(
            "`{word}` at position {at}: a prefix needs at least {MIN_PREFIX_CHARS} letters before the `*`"
        ));
    }
    Ok(())
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
            _ => {
                let left = self.primary(None, depth)?;
                self.near(left, depth)
            }
        }
    }

    /// `left NEAR/N right`, when a NEAR follows `left`.
    fn near(&mut self, left: Node, depth: usize) -> Result<Node, ParseError> {
        let Some(Tok::Near(distance, at)) = self.peek().cloned() else {
            return Ok(left);
        };
        self.pos += 1;
        if !matches!(
            self.peek(),
            Some(Tok::Word(_) | Tok::Phrase(..) | Tok::Field(..))
        ) {
            return err(format!(
                "NEAR at position {at} needs a word or a quoted phrase after it"
            ));
        }
        let right = self.primary(None, depth)?;
        let operand = |node: Node| match node {
            Node::Word {
                field,
                text,
                prefix: false,
                ..
            }
            | Node::Phrase {
                field,
                text,
                slop: 0,
            } => Ok((field, text)),
            _ => err(format!(
                "NEAR at position {at} joins two words or quoted phrases, not groups, prefixes or \
                 proximities"
            )),
        };
        let (left_field, left) = operand(left)?;
        let (right_field, right) = operand(right)?;
        let field = match (left_field, right_field) {
            (Some(a), Some(b)) if a != b => {
                return err(format!(
                    "the two sides of NEAR at position {at} name different fields; a proximity is \
                     looked for in one field"
                ));
            }
            (a, b) => a.or(b),
        };
        if let Some(Tok::Near(_, next)) = self.peek() {
            return err(format!(
                "NEAR at position {next} follows another NEAR; NEAR joins two words, so write \
                 (a NEAR/5 b) (b NEAR/5 c)"
            ));
        }
        Ok(Node::Near {
            field,
            left,
            right,
            distance,
        })
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
                let inner = self.or(depth + 1)?;
                match self.peek() {
                    Some(Tok::RParen(_)) => {
                        self.pos += 1;
                        match field {
                            // `title:(health OR gp)`: every word of the group in that field.
                            Some(f) => in_field(inner, f, at),
                            None => Ok(inner),
                        }
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
                    Some(Tok::Word(_) | Tok::Prefix(_) | Tok::Phrase(..) | Tok::LParen(_)) => {
                        self.primary(Some(f), depth)
                    }
                    _ => err(format!(
                        "the field prefix at position {at} needs a word, a quoted phrase or a group"
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
            Tok::Prefix(text) => {
                self.leaf()?;
                Ok(Node::Word {
                    field,
                    fuzzy: false,
                    prefix: true,
                    text,
                })
            }
            Tok::Phrase(text, slop) => {
                self.leaf()?;
                Ok(Node::Phrase { field, text, slop })
            }
            Tok::Near(_, at) => err(format!(
                "NEAR at position {at} needs a word or a quoted phrase before it"
            )),
            Tok::Minus | Tok::NotOp | Tok::Or(_) | Tok::AndOp => err("unexpected operator"),
        }
    }
}

/// `node` (a group after `field:`) with every word, phrase and proximity in `field`; a part
/// that names another field is an error.
fn in_field(node: Node, field: FieldName, at: usize) -> Result<Node, ParseError> {
    let set = |own: Option<FieldName>| match own {
        Some(other) if other != field => err(format!(
            "the group after the field prefix at position {at} names another field inside it"
        )),
        _ => Ok(Some(field)),
    };
    Ok(match node {
        Node::Word {
            field: own,
            text,
            fuzzy,
            prefix,
        } => Node::Word {
            field: set(own)?,
            text,
            fuzzy,
            prefix,
        },
        Node::Phrase {
            field: own,
            text,
            slop,
        } => Node::Phrase {
            field: set(own)?,
            text,
            slop,
        },
        Node::Near {
            field: own,
            left,
            right,
            distance,
        } => Node::Near {
            field: set(own)?,
            left,
            right,
            distance,
        },
        Node::And(parts) => Node::And(
            parts
                .into_iter()
                .map(|p| in_field(p, field, at))
                .collect::<Result<_, _>>()?,
        ),
        Node::Or(parts) => Node::Or(
            parts
                .into_iter()
                .map(|p| in_field(p, field, at))
                .collect::<Result<_, _>>()?,
        ),
        Node::Not(inner) => Node::Not(Box::new(in_field(*inner, field, at)?)),
    })
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
mod tests;
