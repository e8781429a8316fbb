//! Publication languages (ISO 639-1 codes, e.g. `en`, `es`) to Tesseract's language packs.

/// The Tesseract pack for an ISO 639-1 code, when one is known.
pub fn pack(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_lowercase().as_str() {
        "en" => "eng",
        "es" => "spa",
        "pt" => "por",
        "fr" => "fra",
        "de" => "deu",
        "it" => "ita",
        "nl" => "nld",
        "ar" => "ara",
        "pl" => "pol",
        "uk" => "ukr",
        "ru" => "rus",
        "sw" => "swa",
        "zh" => "chi_sim",
        "so" => "som",
        "ur" => "urd",
        "fa" => "fas",
        "tr" => "tur",
        "ro" => "ron",
        _ => return None,
    })
}

/// The packs for a publication in `codes`, in order, without repeats, `eng` last if not
/// already there (names, headings and English quotations are common in every language).
pub fn packs<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for p in codes.into_iter().filter_map(pack).chain(["eng"]) {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The Debian package that installs `pack`: `tesseract-ocr-spa`, `tesseract-ocr-chi-sim`.
pub fn debian_package(pack: &str) -> String {
    format!(
        "tesseract-ocr-{}",
        pack.replace('_', "-").to_ascii_lowercase()
    )
}

/// The `-l` argument: the packs that are installed, joined by `+`, and the missing ones.
pub fn usable<'p>(wanted: &[&'p str], installed: &[String]) -> (String, Vec<&'p str>) {
    let (have, missing): (Vec<&str>, Vec<&str>) = wanted
        .iter()
        .partition(|p| installed.iter().any(|i| i == *p));
    (have.join("+"), missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_packs_with_english_added_once() {
        assert_eq!(packs(["es"]), ["spa", "eng"]);
        assert_eq!(packs(["en"]), ["eng"]);
        assert_eq!(packs(["zh", "EN", "ar", "zh"]), ["chi_sim", "eng", "ara"]);
        assert_eq!(packs(["xx"]), ["eng"]);
        let codes = ["pt".to_string(), "sw".to_string()];
        assert_eq!(
            packs(codes.iter().map(String::as_str)),
            ["por", "swa", "eng"]
        );
    }

    #[test]
    fn missing_packs_are_named_by_their_debian_package() {
        assert_eq!(debian_package("spa"), "tesseract-ocr-spa");
        assert_eq!(debian_package("chi_sim"), "tesseract-ocr-chi-sim");
        let installed = vec!["eng".to_string(), "spa".to_string()];
        assert_eq!(
            usable(&["fra", "spa", "eng"], &installed),
            ("spa+eng".to_string(), vec!["fra"])
        );
    }
}
