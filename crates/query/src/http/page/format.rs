//! Words for people: dates, labels and counts (citations are [`crate::cite`]'s).

use time::Date;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

const LONG_DATE: &[BorrowedFormatItem<'static>] =
    format_description!("[day padding:none] [month repr:long] [year]");

/// What an undated publication shows instead of a date, on the pages and in citations.
pub const UNDATED: &str = "undated";

/// `2004-01-07` as `7 January 2004`; no date as [`UNDATED`].
pub fn date_label(date: Option<Date>) -> String {
    date.and_then(|d| d.format(LONG_DATE).ok())
        .unwrap_or_else(|| UNDATED.into())
}

/// The year of a date, or [`UNDATED`].
pub fn year_of(date: Option<Date>) -> String {
    date.map(|d| d.year().to_string())
        .unwrap_or_else(|| UNDATED.into())
}

/// A facet value for people: `educational-resource` becomes `Educational resource`.
pub fn label(value: &str) -> String {
    let spaced = value.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `1 publication`, `2 publications`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_labels_and_counts() {
        assert_eq!(date_label(Some(date!(2004 - 01 - 07))), "7 January 2004");
        assert_eq!(date_label(Some(date!(2019 - 12 - 31))), "31 December 2019");
        assert_eq!(date_label(None), "undated");
        assert_eq!(year_of(Some(date!(2009 - 12 - 07))), "2009");
        assert_eq!(year_of(None), "undated");
        assert_eq!(label("educational-resource"), "Educational resource");
        assert_eq!(plural(1, "page", "pages"), "1 page");
        assert_eq!(plural(3, "page", "pages"), "3 pages");
    }
}
