//! gen_library: writes a deterministic synthetic library of real PDFs with TOML sidecars in the
//! pubsearch corpus format, plus `queries.jsonl` (200 benchmark queries) and `manifest.json`.
//!
//! Same seed, same size, same word list => byte-identical files.
//!
//! ```text
//! gen_library --size S|M|L|<count> --out DIR [--seed N] [--jobs N] [--compress none|flate]
//!             [--words FILE]
//! ```
//!
//! Layout: `DIR/library/<type>/<stem>.pdf` and `DIR/library/<type>/<stem>.toml` (the corpus),
//! `DIR/queries.jsonl`, `DIR/manifest.json`, with the file modification
//! time set to the publication date (Xapian's omindex derives year terms from it, and the
//! type from the directory). Page 1 of every PDF carries the title, authors, topics and
//! summary, so every sidecar word is also in the extracted text.

mod common_words;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, UNIX_EPOCH};

use lopdf::{Document, Object, Stream, dictionary};

const GENERATOR_VERSION: &str = "gen_library 2";

const TYPES: [(&str, u32); 6] = [
    // (type, weight in percent)
    ("report", 30),
    ("newsletter", 20),
    ("briefing", 15),
    ("guide", 15),
    ("educational-resource", 10),
    ("book-chapter", 10),
];

const TOPICS: [&str; 10] = [
    "asylum",
    "health",
    "housing",
    "employment",
    "education",
    "citizenship",
    "destitution",
    "community organising",
    "legal advice",
    "women",
];

const AUTHORS: [&str; 6] = [
    "Research Unit",
    "Policy Team",
    "Advice Service",
    "Community Organising Team",
    "Editorial Board",
    "Training Programme",
];

/// Words of these ranks and above are left out of queries (stopword-like words).
const QUERY_MIN_RANK: usize = 150;

// ---------------------------------------------------------------- random numbers

/// SplitMix64: tiny, fast, fully specified, so output never changes with a crate version.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(parts: &[u64]) -> Rng {
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        for p in parts {
            s = mix(s ^ p.wrapping_mul(0xD1B5_4A32_D192_ED03));
        }
        Rng(s)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [lo, hi] (inclusive).
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------- vocabulary

struct Vocab {
    words: Vec<String>,
    /// Cumulative Zipf–Mandelbrot weights, normalised to 1.
    cdf: Vec<f64>,
}

impl Vocab {
    fn load(path: &Path) -> Result<Vocab, String> {
        let raw = fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read word list {}: {e} (install Debian `wamerican` or pass --words)",
                path.display()
            )
        })?;
        let mut seen = HashSet::new();
        let mut words: Vec<String> = Vec::new();
        for w in common_words::COMMON {
            if seen.insert(w.to_string()) {
                words.push(w.to_string());
            }
        }
        let mut rest: Vec<String> = raw
            .lines()
            .map(str::trim)
            .filter(|w| (2..=14).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase()))
            .filter(|w| !seen.contains(*w))
            .map(str::to_string)
            .collect();
        rest.sort();
        rest.dedup();
        // Fixed shuffle (independent of --seed): the vocabulary ranks never change.
        let mut rng = Rng::new(&[0x0057_04D5]);
        for i in (1..rest.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            rest.swap(i, j);
        }
        words.extend(rest);
        // Zipf–Mandelbrot: weight(rank r, 1-based) = 1 / (r + 2.7)^1.0
        let mut cdf = Vec::with_capacity(words.len());
        let mut acc = 0.0;
        for r in 0..words.len() {
            acc += 1.0 / (r as f64 + 1.0 + 2.7);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Ok(Vocab { words, cdf })
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.f64();
        self.cdf.partition_point(|&c| c < u).min(self.words.len() - 1)
    }

    /// A word of rank at least `min_rank`.
    fn sample_min(&self, rng: &mut Rng, min_rank: usize) -> usize {
        loop {
            let r = self.sample(rng);
            if r >= min_rank {
                return r;
            }
        }
    }
}

// ---------------------------------------------------------------- publications

struct Publication {
    idx: usize,
    stem: String,
    pub_type: &'static str,
    year: u32,
    month: u32,
    day: u32,
    topics: Vec<&'static str>,
    authors: Vec<&'static str>,
    title: String,
    summary: String,
    pages: u32,
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn title_words(v: &Vocab, rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| capitalize(&v.words[v.sample_min(rng, 40)]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One sentence; the word ranks are also returned (for counting).
fn sentence(v: &Vocab, rng: &mut Rng, ranks: &mut Vec<u32>) -> String {
    let n = rng.range(6, 20) as usize;
    let mut s = String::with_capacity(n * 8);
    for i in 0..n {
        let r = v.sample(rng);
        ranks.push(r as u32);
        let w = &v.words[r];
        if i == 0 {
            s.push_str(&capitalize(w));
        } else {
            s.push(' ');
            s.push_str(w);
        }
        if i + 1 < n && i > 2 && rng.chance(0.06) {
            s.push(',');
        }
    }
    s.push('.');
    s
}

fn plan(seed: u64, idx: usize, v: &Vocab) -> Publication {
    let mut rng = Rng::new(&[seed, idx as u64, 1]);
    let roll = rng.range(0, 99) as u32;
    let mut acc = 0;
    let mut pub_type = TYPES[0].0;
    for (t, w) in TYPES {
        acc += w;
        if roll < acc {
            pub_type = t;
            break;
        }
    }
    let year = rng.range(2004, 2026) as u32;
    let month = rng.range(1, 12) as u32;
    let day = rng.range(1, 28) as u32;
    let pages = match pub_type {
        "report" => 20 + (100.0 * rng.f64().powf(1.5)).round() as u32,
        "newsletter" => rng.range(4, 12) as u32,
        "briefing" => rng.range(4, 16) as u32,
        "guide" => rng.range(12, 48) as u32,
        "educational-resource" => rng.range(8, 40) as u32,
        _ => rng.range(10, 40) as u32,
    };
    let n_topics = rng.range(1, 3) as usize;
    let mut topics: Vec<&'static str> = Vec::new();
    while topics.len() < n_topics {
        let t = TOPICS[rng.range(0, TOPICS.len() as u64 - 1) as usize];
        if !topics.contains(&t) {
            topics.push(t);
        }
    }
    let authors = vec![AUTHORS[rng.range(0, AUTHORS.len() as u64 - 1) as usize]];
    let title = if pub_type == "newsletter" {
        format!("Newsletter {} {}", month_name(month), year)
    } else {
        let n = rng.range(3, 8) as usize;
        title_words(v, &mut rng, n)
    };
    let mut scratch = Vec::new();
    let summary = (0..rng.range(1, 2))
        .map(|_| sentence(v, &mut rng, &mut scratch))
        .collect::<Vec<_>>()
        .join(" ");
    Publication {
        idx,
        stem: format!("{year}-{month:02}-pub{idx:05}"),
        pub_type,
        year,
        month,
        day,
        topics,
        authors,
        title,
        summary,
        pages,
    }
}

fn month_name(m: u32) -> &'static str {
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ][(m - 1) as usize]
}

/// A line of a page: (bold heading?, font size, text).
type Line = (bool, u32, String);

const WRAP: usize = 92;

fn wrap(text: &str, out: &mut Vec<Line>) {
    let mut line = String::new();
    for w in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + w.len() > WRAP {
            out.push((false, 10, std::mem::take(&mut line)));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        out.push((false, 10, line));
    }
}

/// The lines of page `page` (1-based) of `p`. A pure function of (seed, idx, page).
fn page_lines(seed: u64, p: &Publication, page: u32, v: &Vocab, ranks: &mut Vec<u32>) -> Vec<Line> {
    let mut rng = Rng::new(&[seed, p.idx as u64, 2, page as u64]);
    let mut lines: Vec<Line> = Vec::new();
    let target_words = rng.range(300, 500) as usize;
    let start = ranks.len();
    if page == 1 {
        lines.push((true, 16, p.title.clone()));
        lines.push((false, 10, String::new()));
        lines.push((
            false,
            10,
            format!("{} {} {}", capitalize(p.pub_type), month_name(p.month), p.year),
        ));
        lines.push((false, 10, format!("Authors: {}", p.authors.join(", "))));
        lines.push((false, 10, format!("Topics: {}", p.topics.join(", "))));
        lines.push((false, 10, String::new()));
        wrap(&format!("Summary: {}", p.summary), &mut lines);
        lines.push((false, 10, String::new()));
    }
    if page > 1 && rng.chance(0.45) {
        let n = rng.range(2, 6) as usize;
        lines.push((true, 12, title_words(v, &mut rng, n)));
    }
    while ranks.len() - start < target_words {
        let n = rng.range(2, 6);
        let before = ranks.len();
        let para = (0..n)
            .map(|_| sentence(v, &mut rng, ranks))
            .collect::<Vec<_>>()
            .join(" ");
        let mut para_lines = Vec::new();
        wrap(&para, &mut para_lines);
        if used_height(&lines) + para_lines.len() as u32 * 13 > PAGE_TEXT_HEIGHT {
            // Everything drawn must stay inside the page (pdftotext crops at the MediaBox).
            ranks.truncate(before);
            break;
        }
        lines.extend(para_lines);
        lines.push((false, 10, String::new()));
        if rng.chance(0.12) && ranks.len() - start < target_words {
            let n = rng.range(2, 6) as usize;
            lines.push((true, 12, title_words(v, &mut rng, n)));
        }
    }
    while lines.last().is_some_and(|l| l.2.is_empty()) {
        lines.pop();
    }
    lines
}

/// Vertical space available for text: from the first baseline (y = 740) down to y = 40.
const PAGE_TEXT_HEIGHT: u32 = 700;

/// Leading of one line, the same formula as `content_stream`.
fn leading(size: u32) -> u32 {
    size + size / 5 + 1
}

fn used_height(lines: &[Line]) -> u32 {
    lines.iter().skip(1).map(|l| leading(l.1)).sum()
}

fn pdf_escape(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            _ => out.push(b),
        }
    }
}

fn content_stream(lines: &[Line]) -> Vec<u8> {
    let mut c = Vec::with_capacity(4096);
    c.extend_from_slice(b"BT\n72 740 Td\n");
    let mut first = true;
    let mut cur: (bool, u32) = (false, 0);
    for (bold, size, text) in lines {
        let lead = if first { 0 } else { leading(*size) };
        first = false;
        if (*bold, *size) != cur {
            let _ = write!(
                &mut StrBuf(&mut c),
                "/{} {} Tf\n",
                if *bold { "F2" } else { "F1" },
                size
            );
            cur = (*bold, *size);
        }
        let _ = write!(&mut StrBuf(&mut c), "0 -{lead} Td\n");
        if !text.is_empty() {
            c.push(b'(');
            pdf_escape(text, &mut c);
            c.extend_from_slice(b") Tj\n");
        }
    }
    c.extend_from_slice(b"ET\n");
    c
}

struct StrBuf<'a>(&'a mut Vec<u8>);
impl std::fmt::Write for StrBuf<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("in-memory write");
    e.finish().expect("in-memory write")
}

fn pdf_date(p: &Publication) -> String {
    format!("D:{:04}{:02}{:02}120000Z", p.year, p.month, p.day)
}

/// Writes the PDF and sidecar of `p`; returns (pages, pdf bytes).
fn write_publication(
    seed: u64,
    p: &Publication,
    v: &Vocab,
    out: &Path,
    compress: bool,
    counts: &mut [u32],
) -> std::io::Result<u64> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let f2 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => f1, "F2" => f2 },
    });
    let mut kids: Vec<Object> = Vec::with_capacity(p.pages as usize);
    let mut ranks = Vec::with_capacity(600);
    for page in 1..=p.pages {
        ranks.clear();
        let lines = page_lines(seed, p, page, v, &mut ranks);
        for &r in &ranks {
            counts[r as usize] += 1;
        }
        let raw = content_stream(&lines);
        let stream = if compress {
            Stream::new(dictionary! { "Filter" => "FlateDecode" }, deflate(&raw))
        } else {
            Stream::new(dictionary! {}, raw)
        };
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => p.pages as i64,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Title" => Object::string_literal(p.title.as_bytes().to_vec()),
        "Author" => Object::string_literal(p.authors.join(", ").into_bytes()),
        "Producer" => Object::string_literal(GENERATOR_VERSION.as_bytes().to_vec()),
        "CreationDate" => Object::string_literal(pdf_date(p).into_bytes()),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);

    let dir = out.join(p.pub_type);
    let pdf_path = dir.join(format!("{}.pdf", p.stem));
    let mut bytes = Vec::with_capacity(p.pages as usize * 3000);
    doc.save_to(&mut bytes).map_err(std::io::Error::other)?;
    fs::write(&pdf_path, &bytes)?;
    let toml_path = dir.join(format!("{}.toml", p.stem));
    fs::write(&toml_path, sidecar(p))?;
    let mtime = UNIX_EPOCH + Duration::from_secs(epoch_secs(p.year, p.month, p.day) + 12 * 3600);
    for path in [&pdf_path, &toml_path] {
        fs::File::options().write(true).open(path)?.set_modified(mtime)?;
    }
    Ok(bytes.len() as u64)
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn sidecar(p: &Publication) -> String {
    let list = |xs: &[&str]| xs.iter().map(|t| toml_str(t)).collect::<Vec<_>>().join(", ");
    format!(
        "id = {}\ntitle = {}\ndate = \"{:04}-{:02}-{:02}\"\ntype = {}\ntopics = [{}]\nsummary = {}\nauthors = [{}]\nlanguage = \"en\"\n",
        toml_str(&p.stem),
        toml_str(&p.title),
        p.year,
        p.month,
        p.day,
        toml_str(p.pub_type),
        list(&p.topics),
        toml_str(&p.summary),
        list(&p.authors),
    )
}

/// Days from 1970-01-01 (proleptic Gregorian), times 86400.
fn epoch_secs(y: u32, m: u32, d: u32) -> u64 {
    let (y, m) = if m <= 2 { (y as i64 - 1, m + 9) } else { (y as i64, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m as i64 + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    ((era * 146_097 + doe - 719_468) * 86_400) as u64
}

// ---------------------------------------------------------------- queries

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

struct Query {
    kind: &'static str,
    terms: Vec<String>,
    phrase: bool,
    pub_type: Option<&'static str>,
    years: Option<(u32, u32)>,
    note: String,
}

impl Query {
    fn q(&self) -> String {
        if self.phrase {
            format!("\"{}\"", self.terms.join(" "))
        } else {
            self.terms.join(" ")
        }
    }
    fn to_json(&self, id: usize) -> String {
        let mut s = format!(
            "{{\"id\":{id},\"kind\":\"{}\",\"q\":{},\"terms\":[{}],\"phrase\":{}",
            self.kind,
            json_str(&self.q()),
            self.terms.iter().map(|t| json_str(t)).collect::<Vec<_>>().join(","),
            self.phrase
        );
        match self.pub_type {
            Some(t) => s.push_str(&format!(",\"type\":\"{t}\"")),
            None => s.push_str(",\"type\":null"),
        }
        match self.years {
            Some((a, b)) => s.push_str(&format!(",\"year_from\":{a},\"year_to\":{b}")),
            None => s.push_str(",\"year_from\":null,\"year_to\":null"),
        }
        s.push_str(&format!(",\"note\":{}}}", json_str(&self.note)));
        s
    }
}

fn make_queries(seed: u64, v: &Vocab, counts: &[u64], pubs: &[Publication]) -> Vec<Query> {
    let mut rng = Rng::new(&[seed, 0xC0FFEE]);
    // Observed frequency ranks.
    let mut by_freq: Vec<usize> = (0..v.words.len()).filter(|&r| counts[r] > 0).collect();
    by_freq.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    let excluded: HashSet<usize> = by_freq.iter().take(QUERY_MIN_RANK).copied().collect();
    let usable: Vec<usize> = by_freq
        .iter()
        .skip(QUERY_MIN_RANK)
        .copied()
        .filter(|&r| counts[r] >= 2 && !excluded.contains(&r))
        .collect();
    let log_pick = |rng: &mut Rng, lo: usize, hi: usize| -> usize {
        let hi = hi.min(usable.len() - 1).max(lo + 1);
        let (l, h) = ((lo as f64 + 1.0).ln(), (hi as f64 + 1.0).ln());
        let x = (l + (h - l) * rng.f64()).exp() - 1.0;
        (x as usize).min(usable.len() - 1)
    };
    let term = |i: usize| v.words[usable[i]].clone();
    let mut out = Vec::new();
    // 60 single terms, log-spaced over the observed frequency ranks.
    let n = usable.len();
    let mut prev: Option<usize> = None;
    for k in 0..60 {
        let mut i = ((n as f64).ln() * k as f64 / 59.0).exp().round() as usize - 1;
        if let Some(p) = prev {
            i = i.max(p + 1);
        }
        let i = i.min(n - 1);
        prev = Some(i);
        out.push(Query {
            kind: "term",
            terms: vec![term(i)],
            phrase: false,
            pub_type: None,
            years: None,
            note: format!("freq_rank={} count={}", i + QUERY_MIN_RANK + 1, counts[usable[i]]),
        });
    }
    // 50 two-term AND.
    for _ in 0..50 {
        let a = log_pick(&mut rng, 0, 2_000);
        let mut b = log_pick(&mut rng, 0, 20_000);
        while b == a {
            b = log_pick(&mut rng, 0, 20_000);
        }
        out.push(Query {
            kind: "and",
            terms: vec![term(a), term(b)],
            phrase: false,
            pub_type: None,
            years: None,
            note: format!("freq_ranks={},{}", a + QUERY_MIN_RANK + 1, b + QUERY_MIN_RANK + 1),
        });
    }
    // 40 phrases of 2-3 words from generated text, none of them among the excluded words.
    let mut phrases = 0;
    let mut guard = 0;
    while phrases < 40 && guard < 100_000 {
        guard += 1;
        let p = &pubs[rng.range(0, pubs.len() as u64 - 1) as usize];
        let page = rng.range(1, p.pages as u64) as u32;
        let mut ranks = Vec::new();
        let lines = page_lines(seed, p, page, v, &mut ranks);
        let body: Vec<&str> = lines.iter().filter(|l| !l.0).map(|l| l.2.as_str()).collect();
        let text = body.join(" ");
        let sentences: Vec<&str> = text.split(['.', ',', ':']).collect();
        let s = sentences[rng.range(0, sentences.len() as u64 - 1) as usize];
        let words: Vec<String> = s.split_whitespace().map(|w| w.to_ascii_lowercase()).collect();
        let len = rng.range(2, 3) as usize;
        if words.len() < len {
            continue;
        }
        let start = rng.range(0, (words.len() - len) as u64) as usize;
        let win = &words[start..start + len];
        let ok = win.iter().all(|w| {
            v.words
                .iter()
                .position(|x| x == w)
                .is_some_and(|r| !excluded.contains(&r) && counts[r] > 0)
        });
        if !ok {
            continue;
        }
        phrases += 1;
        out.push(Query {
            kind: "phrase",
            terms: win.to_vec(),
            phrase: true,
            pub_type: None,
            years: None,
            note: format!("from {} page {page}", p.stem),
        });
    }
    // 50 term + filters: 20 type, 15 year range, 15 type + year range.
    for k in 0..50 {
        let i = log_pick(&mut rng, 0, 5_000);
        let t = TYPES[rng.range(0, 5) as usize].0;
        let y0 = rng.range(2004, 2022) as u32;
        let (pub_type, years) = match k {
            0..20 => (Some(t), None),
            20..35 => (None, Some((y0, y0 + 4))),
            _ => (Some(t), Some((y0, y0 + 4))),
        };
        out.push(Query {
            kind: "filter",
            terms: vec![term(i)],
            phrase: false,
            pub_type,
            years,
            note: format!("freq_rank={}", i + QUERY_MIN_RANK + 1),
        });
    }
    out
}

// ---------------------------------------------------------------- main

struct Args {
    count: usize,
    size_name: String,
    out: PathBuf,
    seed: u64,
    jobs: usize,
    compress: bool,
    words: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: gen_library --size S|M|L|<count> --out DIR [--seed N] [--jobs N] [--compress none|flate] [--words FILE]\n\
         S = 200, M = 2,000, L = 10,000 publications. DIR must be empty or absent."
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut a = Args {
        count: 0,
        size_name: String::new(),
        out: PathBuf::new(),
        seed: 42,
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        compress: true,
        words: PathBuf::from("/usr/share/dict/words"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| usage());
        match k.as_str() {
            "--size" => {
                let v = val();
                a.count = match v.as_str() {
                    "S" | "s" => 200,
                    "M" | "m" => 2_000,
                    "L" | "l" => 10_000,
                    n => n.parse().unwrap_or_else(|_| usage()),
                };
                a.size_name = v;
            }
            "--out" => a.out = PathBuf::from(val()),
            "--seed" => a.seed = val().parse().unwrap_or_else(|_| usage()),
            "--jobs" => a.jobs = val().parse().unwrap_or_else(|_| usage()),
            "--compress" => {
                a.compress = match val().as_str() {
                    "none" => false,
                    "flate" => true,
                    _ => usage(),
                }
            }
            "--words" => a.words = PathBuf::from(val()),
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    if a.count == 0 || a.out.as_os_str().is_empty() {
        usage();
    }
    a
}

fn main() {
    let args = parse_args();
    let started = Instant::now();
    let vocab = match Vocab::load(&args.words) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("gen_library: {e}");
            std::process::exit(1);
        }
    };
    if args.out.exists() && fs::read_dir(&args.out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        eprintln!("gen_library: {} exists and is not empty", args.out.display());
        std::process::exit(1);
    }
    let lib = args.out.join("library");
    for (t, _) in TYPES {
        fs::create_dir_all(lib.join(t)).expect("create output directory");
    }
    let pubs: Vec<Publication> = (0..args.count).map(|i| plan(args.seed, i, &vocab)).collect();
    let next = AtomicUsize::new(0);
    let totals = Mutex::new((vec![0u64; vocab.words.len()], 0u64, 0u64));
    std::thread::scope(|s| {
        for _ in 0..args.jobs.max(1) {
            s.spawn(|| {
                let mut counts = vec![0u32; vocab.words.len()];
                let (mut bytes, mut pages) = (0u64, 0u64);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= pubs.len() {
                        break;
                    }
                    let p = &pubs[i];
                    bytes += write_publication(args.seed, p, &vocab, &lib, args.compress, &mut counts)
                        .unwrap_or_else(|e| panic!("writing {}: {e}", p.stem));
                    pages += p.pages as u64;
                }
                let mut t = totals.lock().unwrap();
                for (a, c) in t.0.iter_mut().zip(&counts) {
                    *a += *c as u64;
                }
                t.1 += bytes;
                t.2 += pages;
            });
        }
    });
    let (counts, bytes, pages) = totals.into_inner().unwrap();
    let queries = make_queries(args.seed, &vocab, &counts, &pubs);
    let mut q = String::new();
    for (i, query) in queries.iter().enumerate() {
        q.push_str(&query.to_json(i));
        q.push('\n');
    }
    fs::write(args.out.join("queries.jsonl"), q).expect("write queries.jsonl");
    let mut per_type = String::new();
    for (t, _) in TYPES {
        let n = pubs.iter().filter(|p| p.pub_type == t).count();
        let _ = write!(per_type, "{}\"{t}\":{n}", if per_type.is_empty() { "" } else { "," });
    }
    let tokens: u64 = counts.iter().sum();
    let distinct = counts.iter().filter(|&&c| c > 0).count();
    let elapsed = started.elapsed().as_secs_f64();
    let manifest = format!(
        "{{\"generator\":{},\"size\":{},\"seed\":{},\"publications\":{},\"pages\":{},\"pdf_bytes\":{},\"body_tokens\":{},\"distinct_words\":{},\"vocabulary\":{},\"compress\":{},\"per_type\":{{{per_type}}},\"queries\":{}}}\n",
        json_str(GENERATOR_VERSION),
        json_str(&args.size_name),
        args.seed,
        pubs.len(),
        pages,
        bytes,
        tokens,
        distinct,
        vocab.words.len(),
        json_str(if args.compress { "flate" } else { "none" }),
        queries.len(),
    );
    fs::write(args.out.join("manifest.json"), &manifest).expect("write manifest.json");
    eprintln!(
        "gen_library: {} publications, {pages} pages, {:.1} MB of PDF in {elapsed:.1} s ({} jobs)",
        pubs.len(),
        bytes as f64 / 1e6,
        args.jobs
    );
    print!("{manifest}");
}
