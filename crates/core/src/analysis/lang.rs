//! The languages the library's text is analysed in, named by ISO 639-1 codes.

/// A language with its own analysis (see [`super::languages`] for what each one does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English: ASCII folding, then the English Snowball stemmer (the default).
    En,
    /// Spanish.
    Es,
    /// Portuguese.
    Pt,
    /// French.
    Fr,
    /// German.
    De,
    /// Italian.
    It,
    /// Dutch.
    Nl,
    /// Polish: stemmed before folding.
    Pl,
    /// Ukrainian: Cyrillic, not folded.
    Uk,
    /// Russian: Cyrillic, not folded.
    Ru,
    /// Arabic: normalised, then stemmed.
    Ar,
    /// Swahili: no stemmer exists; folded only.
    Sw,
    /// Somali: no stemmer exists; folded only.
    So,
    /// Chinese: segmented into words.
    Zh,
}

impl Lang {
    /// Every language, in the order the README lists them.
    pub const ALL: [Lang; 14] = [
        Lang::En,
        Lang::Es,
        Lang::Pt,
        Lang::Fr,
        Lang::De,
        Lang::It,
        Lang::Nl,
        Lang::Pl,
        Lang::Uk,
        Lang::Ru,
        Lang::Ar,
        Lang::Sw,
        Lang::So,
        Lang::Zh,
    ];

    /// The ISO 639-1 code: `en`, `es`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::It => "it",
            Lang::Nl => "nl",
            Lang::Pl => "pl",
            Lang::Uk => "uk",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
            Lang::Sw => "sw",
            Lang::So => "so",
            Lang::Zh => "zh",
        }
    }

    /// The language's name in English, for pages and messages.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Spanish",
            Lang::Pt => "Portuguese",
            Lang::Fr => "French",
            Lang::De => "German",
            Lang::It => "Italian",
            Lang::Nl => "Dutch",
            Lang::Pl => "Polish",
            Lang::Uk => "Ukrainian",
            Lang::Ru => "Russian",
            Lang::Ar => "Arabic",
            Lang::Sw => "Swahili",
            Lang::So => "Somali",
            Lang::Zh => "Chinese",
        }
    }

    /// The language's name in itself, for the language filter of the search page.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Pt => "Português",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
            Lang::It => "Italiano",
            Lang::Nl => "Nederlands",
            Lang::Pl => "Polski",
            Lang::Uk => "Українська",
            Lang::Ru => "Русский",
            Lang::Ar => "العربية",
            Lang::Sw => "Kiswahili",
            Lang::So => "Soomaali",
            Lang::Zh => "中文",
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    /// The language for a code as people write it: case-insensitive, and a region or script
    /// after the code (`pt-BR`, `zh-Hans`, `es_419`) is allowed and ignored.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim();
        let base = code.split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(base))
    }

    /// The supported codes, comma-separated, for error messages.
    pub fn supported() -> String {
        Lang::ALL
            .iter()
            .map(|l| format!("{} ({})", l.as_str(), l.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

crate::names::named!(Lang, "language");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_people_write_them() {
        assert_eq!(Lang::from_code("es"), Some(Lang::Es));
        assert_eq!(Lang::from_code(" PT-br "), Some(Lang::Pt));
        assert_eq!(Lang::from_code("zh-Hans"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("xx"), None);
        assert_eq!(Lang::from_code(""), None);
        for l in Lang::ALL {
            assert_eq!(l.as_str().parse::<Lang>(), Ok(l));
        }
        assert!(Lang::supported().contains("uk (Ukrainian)"));
    }
}
