//! The date of a publication that has no sidecar, guessed from what the file says about
//! itself.
//!
//! The Info dictionary's `CreationDate` is when the file was exported, scanned or re-saved,
//! often years after the publication. So, in order:
//!
//! 1. a date written in the **file name** or the **Info title**: `2009-12-07`, `20091207`,
//!    `7 December 2009`, `2011-03`, `July 2009`, `Spring 2011`, or a bare year (`Annual
//!    Report 2006-2007`). A month is filed under its first day, a season under its first
//!    month (spring: March, summer: June, autumn or fall: September, winter: January of the
//!    year named), a year under 1 January. In one text the most precise date wins, then the
//!    latest (a publication is no older than the latest year it names). The file name wins
//!    over the title, unless the title is more precise and agrees with it;
//! 2. the `CreationDate`, only when it is plausible: not before [`EARLIEST_YEAR`], not after
//!    today and not after the file's modification time (a day's grace for time zones; a
//!    modification time before [`EARLIEST_YEAR`] is ignored). It
//!    also refines a guess of step 1 that it agrees with (`2011-03` and a file created on
//!    15 March 2011 give 15 March 2011);
//! 3. otherwise the publication is undated.
//!
//! Every date, guessed or read, is plausible by the same bounds: none before
//! [`EARLIEST_YEAR`], none in the future.

use time::{Date, Duration, Month};

/// No publication of the library is dated before this year.
pub const EARLIEST_YEAR: i32 = 1990;

/// How much of a guessed date the text said.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// Only the year: filed under 1 January.
    Year,
    /// The month, or a season: filed under its first day.
    Month,
    /// The day.
    Day,
}

/// A date found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Guess {
    /// The date it is filed under.
    pub date: Date,
    /// How much of it the text said.
    pub precision: Precision,
}

impl Guess {
    /// Whether `date` falls within what this guess says (its year, or its month).
    fn agrees_with(&self, date: Date) -> bool {
        match self.precision {
            Precision::Year => date.year() == self.date.year(),
            Precision::Month => {
                date.year() == self.date.year() && date.month() == self.date.month()
            }
            Precision::Day => date == self.date,
        }
    }
}

/// What is known of a file without a sidecar.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    /// The file name without its extension.
    pub stem: &'a str,
    /// The Info dictionary's `/Title`.
    pub title: Option<&'a str>,
    /// The Info dictionary's `/CreationDate`.
    pub created: Option<Date>,
    /// The day the file was last modified.
    pub modified: Option<Date>,
}

/// The publication date of a file without a sidecar, or `None`: undated. `today` bounds every
/// date (see the module's documentation for the rules).
pub fn publication_date(evidence: &Evidence<'_>, today: Date) -> Option<Date> {
    let from_name = in_text(evidence.stem, today);
    let from_title = evidence.title.and_then(|t| in_text(t, today));
    let guess = match (from_name, from_title) {
        (Some(n), Some(t)) if t.precision > n.precision && n.agrees_with(t.date) => Some(t),
        (Some(n), _) => Some(n),
        (None, t) => t,
    };
    let created = evidence
        .created
        .filter(|c| plausible_creation(*c, evidence.modified, today));
    match (guess, created) {
        (Some(g), Some(c)) if g.precision < Precision::Day && g.agrees_with(c) => Some(c),
        (Some(g), _) => Some(g.date),
        (None, c) => c,
    }
}

fn plausible(date: Date, today: Date) -> bool {
    date.year() >= EARLIEST_YEAR && date <= today
}

/// A creation date is plausible when it is not before [`EARLIEST_YEAR`], not in the future and
/// not after the file was last modified (give or take a day for time zones).
fn plausible_creation(created: Date, modified: Option<Date>, today: Date) -> bool {
    // A modification time before 1990 (an archive's zero time) says nothing.
    let before_modified = match modified.filter(|m| m.year() >= EARLIEST_YEAR) {
        Some(m) => created <= m.saturating_add(Duration::days(1)),
        None => true,
    };
    plausible(created, today) && before_modified
}

/// A run of ASCII digits or of letters, with the character just before it.
#[derive(Debug)]
struct Token {
    text: String,
    digits: bool,
    sep: Option<char>,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut sep = None;
    for c in text.chars() {
        let digit = c.is_ascii_digit();
        if digit || c.is_alphabetic() {
            match out.last_mut() {
                Some(t) if sep.is_none() && t.digits == digit => t.text.extend(c.to_lowercase()),
                _ => {
                    out.push(Token {
                        text: c.to_lowercase().collect(),
                        digits: digit,
                        sep,
                    });
                    sep = None;
                }
            }
        } else {
            sep = Some(c);
        }
    }
    out
}

fn month_named(word: &str) -> Option<Month> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let i = NAMES.iter().position(|n| {
        *n == word || (word.len() >= 3 && word.len() < n.len() && n.starts_with(word))
    })?;
    Month::try_from(i as u8 + 1).ok()
}

fn season_start(word: &str) -> Option<Month> {
    match word {
        "spring" => Some(Month::March),
        "summer" => Some(Month::June),
        "autumn" | "fall" => Some(Month::September),
        "winter" => Some(Month::January),
        _ => None,
    }
}

fn number(token: &Token, len: usize) -> Option<u32> {
    (token.digits && token.text.len() == len)
        .then(|| token.text.parse().ok())
        .flatten()
}

/// A date separator between numbers: `2009-12`, `2009_12`, `2009.12`.
fn joined(token: &Token) -> bool {
    matches!(token.sep, Some('-' | '_' | '.' | '/'))
}

fn ymd(year: u32, month: u32, day: Option<u32>) -> Option<Guess> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let year = i32::try_from(year).ok()?;
    match day {
        Some(d) => Some(Guess {
            date: Date::from_calendar_date(year, month, u8::try_from(d).ok()?).ok()?,
            precision: Precision::Day,
        }),
        None => Some(Guess {
            date: Date::from_calendar_date(year, month, 1).ok()?,
            precision: Precision::Month,
        }),
    }
}

/// Every date `text` states, from the token at `i`.
fn dates_at(t: &[Token], i: usize) -> Vec<Guess> {
    let at = |k: usize| t.get(i + k);
    let mut out = Vec::new();
    let cur = &t[i];
    if let Some(n) = number(cur, 8) {
        out.extend(ymd(n / 10_000, n / 100 % 100, Some(n % 100)));
    }
    if let Some(year) = number(cur, 4) {
        let month = at(1).filter(|m| joined(m)).and_then(|m| number(m, 2));
        let day = at(2).filter(|d| joined(d)).and_then(|d| number(d, 2));
        let month_ends = at(2).is_none_or(|d| !d.digits || !joined(d));
        match (month, day) {
            // `2025-04-31` is not a day, but still says April 2025.
            (Some(m), Some(d)) => out.extend(ymd(year, m, Some(d)).or_else(|| ymd(year, m, None))),
            (Some(m), None) if month_ends => out.extend(ymd(year, m, None)),
            _ => {}
        }
        out.extend(ymd(year, 1, None).map(|g| Guess {
            precision: Precision::Year,
            ..g
        }));
    }
    if !cur.digits {
        let year = at(1).and_then(|y| number(y, 4));
        let start = month_named(&cur.text).or_else(|| season_start(&cur.text));
        if let (Some(month), Some(year)) = (start, year) {
            out.extend(ymd(year, month as u32, None));
            let day = i
                .checked_sub(1)
                .and_then(|k| t[k].digits.then(|| t[k].text.parse::<u32>().ok()).flatten());
            if let (Some(d), Some(_)) = (day, month_named(&cur.text)) {
                out.extend(ymd(year, month as u32, Some(d)));
            }
        }
    }
    out
}

/// The best plausible date `text` states: the most precise, then the latest.
pub fn in_text(text: &str, today: Date) -> Option<Guess> {
    let t = tokens(text);
    (0..t.len())
        .flat_map(|i| dates_at(&t, i))
        .filter(|g| plausible(g.date, today))
        .max_by_key(|g| (g.precision, g.date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 02);

    fn guess(text: &str) -> Option<(Date, Precision)> {
        in_text(text, TODAY).map(|g| (g.date, g.precision))
    }

    #[test]
    fn dates_written_in_names_and_titles() {
        use Precision::{Day, Year};
        let month = Precision::Month;
        assert_eq!(
            guess("2009-12-strangers-or-citizens"),
            Some((date!(2009 - 12 - 01), month))
        );
        assert_eq!(
            guess("2009-12-07 strangers"),
            Some((date!(2009 - 12 - 07), Day))
        );
        assert_eq!(guess("scan_20091207"), Some((date!(2009 - 12 - 07), Day)));
        assert_eq!(
            guess("report_2011_03"),
            Some((date!(2011 - 03 - 01), month))
        );
        assert_eq!(
            guess("MRCF Newsletter Spring 2011"),
            Some((date!(2011 - 03 - 01), month))
        );
        assert_eq!(guess("Autumn 2009"), Some((date!(2009 - 09 - 01), month)));
        assert_eq!(
            guess("Newsletter Winter 2026"),
            Some((date!(2026 - 01 - 01), month))
        );
        assert_eq!(
            guess("July 2009 issue"),
            Some((date!(2009 - 07 - 01), month))
        );
        assert_eq!(guess("Sept 2014"), Some((date!(2014 - 09 - 01), month)));
        assert_eq!(
            guess("Meeting of 7 December 2009"),
            Some((date!(2009 - 12 - 07), Day))
        );
        assert_eq!(
            guess("Annual Report 2006–2007"),
            Some((date!(2007 - 01 - 01), Year))
        );
        assert_eq!(
            guess("2007-10-annual-report-2006-2007"),
            Some((date!(2007 - 10 - 01), month))
        );
        assert_eq!(
            guess("Annual_Report-2010"),
            Some((date!(2010 - 01 - 01), Year))
        );
    }

    #[test]
    fn implausible_or_absent_dates_are_not_dates() {
        assert_eq!(guess("Health Access Survey FINAL v2"), None);
        assert_eq!(guess("1000 voices"), None);
        assert_eq!(guess("12000 members"), None);
        assert_eq!(guess("Plan for 2030"), None, "the future");
        assert_eq!(guess("History since 1850"), None, "before 1990");
        assert_eq!(
            guess("2009-13-x"),
            Some((date!(2009 - 01 - 01), Precision::Year))
        );
        assert_eq!(
            guess("2025-04-31"),
            Some((date!(2025 - 04 - 01), Precision::Month))
        );
        assert_eq!(guess("Mayday"), None);
        assert_eq!(guess(""), None);
    }

    fn evidence<'a>(
        stem: &'a str,
        title: Option<&'a str>,
        created: Option<Date>,
        modified: Option<Date>,
    ) -> Evidence<'a> {
        Evidence {
            stem,
            title,
            created,
            modified,
        }
    }

    #[test]
    fn a_date_in_the_name_or_title_beats_the_creation_date() {
        // The sample newsletter: exported years later, so its CreationDate is recent.
        let e = evidence(
            "2011-03-newsletter-spring-2011",
            Some("MRCF Newsletter Spring 2011"),
            Some(date!(2026 - 11 - 28)),
            Some(date!(2026 - 12 - 02)),
        );
        assert_eq!(publication_date(&e, TODAY), Some(date!(2011 - 03 - 01)));
        let e = evidence(
            "newsletter",
            Some("Newsletter Autumn 2009"),
            Some(date!(2026 - 11 - 28)),
            None,
        );
        assert_eq!(publication_date(&e, TODAY), Some(date!(2009 - 09 - 01)));
        // The title refines the name when they agree, and does not overrule it when not.
        let e = evidence("newsletter-2011", Some("Spring 2011"), None, None);
        assert_eq!(publication_date(&e, TODAY), Some(date!(2011 - 03 - 01)));
        let e = evidence("newsletter-2011", Some("Spring 2012"), None, None);
        assert_eq!(publication_date(&e, TODAY), Some(date!(2011 - 01 - 01)));
        // A creation date that agrees with a guess refines it.
        let e = evidence("2011-03-x", None, Some(date!(2011 - 03 - 15)), None);
        assert_eq!(publication_date(&e, TODAY), Some(date!(2011 - 03 - 15)));
        let e = evidence("2011-03-x", None, Some(date!(2012 - 03 - 15)), None);
        assert_eq!(publication_date(&e, TODAY), Some(date!(2011 - 03 - 01)));
    }

    #[test]
    fn the_creation_date_counts_only_when_plausible() {
        let created = |c: Date, modified: Option<Date>| {
            publication_date(
                &evidence("Health Access Survey", None, Some(c), modified),
                TODAY,
            )
        };
        let mtime = Some(date!(2020 - 05 - 01));
        assert_eq!(
            created(date!(2019 - 04 - 02), mtime),
            Some(date!(2019 - 04 - 02))
        );
        assert_eq!(
            created(date!(2020 - 05 - 02), mtime),
            Some(date!(2020 - 05 - 02)),
            "a day's grace"
        );
        assert_eq!(
            created(date!(2020 - 06 - 01), mtime),
            None,
            "after the file was modified"
        );
        assert_eq!(created(date!(2027 - 01 - 01), None), None, "in the future");
        assert_eq!(created(date!(1989 - 12 - 31), None), None, "before 1990");
        assert_eq!(
            created(date!(1990 - 01 - 01), None),
            Some(date!(1990 - 01 - 01))
        );
        let zero_time = Some(date!(1970 - 01 - 01));
        assert_eq!(
            created(date!(2019 - 04 - 02), zero_time),
            Some(date!(2019 - 04 - 02))
        );
        assert_eq!(
            publication_date(&evidence("x", Some("Untitled"), None, None), TODAY),
            None
        );
    }
}
