//! The library's languages, end to end: guides in Spanish, Portuguese, Polish, Ukrainian,
//! Arabic, Chinese and Swahili made by LibreOffice (`tests/data/languages/make.py`), beside
//! English publications of the sample corpus, indexed by the real binary and searched over a
//! real socket. Each word is found in another inflection than the page's, on its page.

use std::path::Path;

use serde_json::Value;

use crate::common::report::{report_of, stderr_of};
use crate::common::{self, Server, enc, run_index};

/// English publications of the sample corpus that join the guides.
const ENGLISH: [&str; 2] = [
    "2005-06-registering-with-a-gp",
    "2018-05-hostile-environment-briefing",
];

fn library(dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    let data = common::root().join("tests/data/languages");
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pdf" || e == "toml") {
            std::fs::copy(&path, dst.join(path.file_name().unwrap())).unwrap();
        }
    }
    for id in ENGLISH {
        for ext in ["pdf", "toml"] {
            let name = format!("{id}.{ext}");
            std::fs::copy(common::root().join("corpus").join(&name), dst.join(name)).unwrap();
        }
    }
}

fn ids(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_language_is_found_in_other_inflections_on_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = (dir.path().join("corpus"), dir.path().join("index"));
    library(&corpus);
    let out = run_index(&index, &corpus, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let r = report_of(&out);
    assert_eq!(r["failed"], serde_json::json!([]), "{r}");
    let server = Server::start(&index, &corpus, &[]);

    // (query, publication, page): the query's words appear on that page in other forms
    // (plural for singular, another case, no accents, no article) or, for Chinese, unspaced.
    let cases = [
        ("derechos sanitarios", "2014-03-guia-de-salud", 1),
        ("migracion hospitales", "2014-03-guia-de-salud", 2),
        ("\"centro de salud\"", "2014-03-guia-de-salud", 1),
        ("trabalhador direito", "2015-09-guia-do-trabalhador", 1),
        ("trabalhadora advogados", "2015-09-guia-do-trabalhador", 2),
        ("uchodźców praca", "2016-05-poradnik-dla-migrantow", 1),
        ("porada prawna", "2016-05-poradnik-dla-migrantow", 2),
        ("мігрантів житло", "2022-06-posibnyk-dlia-mihrantiv", 1),
        (
            "консультація біженцям",
            "2022-06-posibnyk-dlia-mihrantiv",
            2,
        ),
        ("مهاجرين المستشفى", "2018-02-dalil-al-muhajirin", 1),
        ("حالات", "2018-02-dalil-al-muhajirin", 1),
        ("العلاج للمهاجرين", "2018-02-dalil-al-muhajirin", 2),
        ("健康咨询", "2019-04-yimin-jiankang-zhinan", 1),
        ("法律 帮助", "2019-04-yimin-jiankang-zhinan", 2),
        ("huduma afya", "2020-11-mwongozo-wa-afya", 1),
        ("wakimbizi ushauri", "2020-11-mwongozo-wa-afya", 2),
        ("inquilino reparación", "2017-08-vivienda-y-derechos", 1),
        ("voluntario jueves", "2021-02-welcome-bienvenidos", 2),
        ("volunteer housing", "2021-02-welcome-bienvenidos", 1),
        ("registering doctors", "2005-06-registering-with-a-gp", 1),
    ];
    let mut failures = Vec::new();
    for (q, id, page) in cases {
        for mode in ["strict", "website"] {
            let (status, body) = server.get(&format!("/api/search?q={}&mode={mode}", enc(q)));
            assert_eq!(status, 200, "{q}: {body}");
            let hit = &body["hits"][0];
            let snippet = hit["pages"][0]["snippet"].as_str().unwrap_or("");
            if hit["id"] != id || hit["pages"][0]["page"] != page || !snippet.contains("<mark>") {
                failures.push(format!(
                    "{mode} {q}: want {id} page {page}, got {} page {} ({snippet})",
                    hit["id"], hit["pages"][0]["page"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Each hit names its language; the metadata's language, or the detected one.
    let (_, body) = server.get(&format!("/api/search?q={}", enc("健康")));
    assert_eq!(body["hits"][0]["language"], "zh", "{body}");
    let (_, detected) = server.get("/api/publications/2017-08-vivienda-y-derechos");
    assert_eq!(
        (&detected["language"], &detected["language_detected"]),
        (&Value::from("es"), &Value::from(true)),
        "{detected}"
    );
    let (_, named) = server.get("/api/publications/2021-02-welcome-bienvenidos");
    assert_eq!(
        named["languages"],
        serde_json::json!(["en", "es"]),
        "{named}"
    );
    assert_eq!(named["language_detected"], false);

    // The language facet counts publications per language; the filter keeps one.
    let (_, all) = server.get("/api/search?q=");
    let counts: Vec<(String, u64)> = all["facets"]["language"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().into(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    for want in [("en", 3), ("es", 3), ("zh", 1), ("ar", 1), ("uk", 1)] {
        assert!(
            counts.contains(&(want.0.to_string(), want.1)),
            "{want:?} in {counts:?}"
        );
    }
    let (_, es) = server.get("/api/search?q=&language=es");
    let mut got = ids(&es);
    got.sort();
    assert_eq!(
        got,
        [
            "2014-03-guia-de-salud",
            "2017-08-vivienda-y-derechos",
            "2021-02-welcome-bienvenidos"
        ]
    );
    // With a language named, the query is read in that language alone.
    let (_, es) = server.get(&format!("/api/search?q={}&language=es", enc("jueves")));
    assert_eq!(ids(&es), ["2021-02-welcome-bienvenidos"], "{es}");
    let (status, bad) = server.get("/api/search?q=x&language=klingon");
    assert_eq!(status, 400);
    let message = bad["message"].as_str().unwrap_or_default().to_string();
    assert!(
        message.contains("klingon") && message.contains("es (Spanish)"),
        "{bad}"
    );

    // The pages mark each title and snippet with its language and let the browser set the
    // direction; the language facet and the detected language are shown.
    let (_, html) = common::get_text(&format!("{}/?q={}", server.base, enc("مهاجرين")));
    assert!(
        html.contains(r#"class="hit-title" lang="ar" dir="auto""#),
        "{html}"
    );
    let (_, html) = common::get_text(&format!("{}/?q=", server.base));
    assert!(html.contains(r#"id="facet-language""#), "{html}");
    assert!(html.contains("Chinese (中文)"), "{html}");
    let (_, page) = common::get_text(&format!(
        "{}/publications/2017-08-vivienda-y-derechos",
        server.base
    ));
    assert!(
        page.contains(
            "Language: Spanish (Español) <span class=\"detected\">(detected from the text)</span>"
        ),
        "{page}"
    );
}
