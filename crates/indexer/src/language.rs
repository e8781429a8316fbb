//! The language of a publication whose sidecar names none, detected from its text with
//! whatlang, among the languages the library analyses that whatlang knows (it has no Swahili
//! or Somali: name those in the sidecar).

use pubsearch_core::analysis::Lang;
use pubsearch_core::model::PageText;
use whatlang::{Detector, Lang as Detected};

/// Characters of text read for detection: enough for a reliable answer, bounded for a long
/// report.
const SAMPLE_CHARS: usize = 20_000;

/// The detectable languages, as whatlang names them.
const DETECTABLE: [(Detected, Lang); 11] = [
    (Detected::Eng, Lang::En),
    (Detected::Spa, Lang::Es),
    (Detected::Por, Lang::Pt),
    (Detected::Fra, Lang::Fr),
    (Detected::Deu, Lang::De),
    (Detected::Ita, Lang::It),
    (Detected::Nld, Lang::Nl),
    (Detected::Pol, Lang::Pl),
    (Detected::Ukr, Lang::Uk),
    (Detected::Rus, Lang::Ru),
    (Detected::Ara, Lang::Ar),
];

/// The language of `text`, when whatlang is confident of it (Chinese is told by its script:
/// whatlang calls it Mandarin).
pub fn detect_text(text: &str) -> Option<Lang> {
    let mut allow: Vec<Detected> = DETECTABLE.iter().map(|d| d.0).collect();
    allow.push(Detected::Cmn);
    let info = Detector::with_allowlist(allow).detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    if info.lang() == Detected::Cmn {
        return Some(Lang::Zh);
    }
    DETECTABLE.iter().find(|d| d.0 == info.lang()).map(|d| d.1)
}

/// The language of a publication's pages, from the first 20,000 characters of
/// their text.
pub fn detect(pages: &[PageText]) -> Option<Lang> {
    let mut sample = String::new();
    for page in pages {
        if sample.len() >= SAMPLE_CHARS {
            break;
        }
        let room = SAMPLE_CHARS - sample.len();
        let cut = page
            .text
            .char_indices()
            .map(|(i, _)| i)
            .find(|&i| i >= room)
            .unwrap_or(page.text.len());
        sample.push_str(&page.text[..cut]);
        sample.push('\n');
    }
    detect_text(&sample)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_detectable_language_is_told_from_a_paragraph() {
        for (lang, text) in [
            (
                Lang::En,
                "The health of migrants and refugees depends on access to doctors, \
                 interpreters and clear information about their rights.",
            ),
            (
                Lang::Es,
                "La salud de los migrantes depende del acceso a los servicios sanitarios \
                 y de una información clara sobre sus derechos.",
            ),
            (
                Lang::Pt,
                "A saúde dos imigrantes depende do acesso aos serviços de saúde e de \
                 informação clara sobre os seus direitos.",
            ),
            (
                Lang::Pl,
                "Zdrowie migrantów zależy od dostępu do lekarzy, tłumaczy i jasnych \
                 informacji o ich prawach.",
            ),
            (
                Lang::Uk,
                "Здоров'я мігрантів залежить від доступу до лікарів, перекладачів і \
                 зрозумілої інформації про їхні права.",
            ),
            (
                Lang::Ar,
                "تعتمد صحة المهاجرين على الوصول إلى الأطباء والمترجمين والمعلومات الواضحة عن حقوقهم.",
            ),
            (
                Lang::Zh,
                "移民的健康取决于能否看到医生、获得翻译以及了解自己的权利。",
            ),
        ] {
            assert_eq!(detect_text(text), Some(lang), "{text}");
        }
        assert_eq!(detect_text("12 34 —"), None);
    }
}
