//! peers: the in-process peer engines of the comparison benchmark, and the HTTP client used to
//! time `pubsearch serve` with the same harness.
//!
//! ```text
//! peers build-tantivy --from PUBSEARCH_INDEX --out DIR     # bare tantivy index of the same text
//! peers build-fts5    --from PUBSEARCH_INDEX --out FILE [--tokenize porter|unicode61]
//! peers query --engine tantivy|tantivy-full|fts5|http --target PATH_OR_ADDR --queries FILE
//!             [--clients N] [--passes N] [--warmup N] [--counts-only] [--label TEXT]
//! ```
//!
//! The text comes from the pubsearch index itself (its stored page text and metadata), so every
//! engine indexes exactly the text that pubsearch extracted. `query` prints one JSON line:
//! p50/p99/mean latency, qps, per-kind p50 and the hit count of every query.
//!
//! Engines:
//! * `tantivy`      — bare tantivy on a pubsearch-layout index: the same analyzer, fields, boosts
//!                    and query semantics (all words required, phrases, type facet and year range
//!                    filters), top 10 by score + exact count + stored fields of the 10 hits.
//! * `tantivy-full` — the same plus the rest of what one service request computes: facet counts
//!                    (type, topic, year, with the usual exclusion passes) and the 3 best pages of
//!                    every hit with a 220-character snippet. The same work as the service,
//!                    minus HTTP, JSON and the service code around it. Snippets are analysed as
//!                    the service does (`src/highlight.rs`); `PEERS_STOCK_SNIPPETS=1` uses
//!                    tantivy's stock `SnippetGenerator::create` (the service before that change).
//!                    `PEERS_FULL_PARTS=facets` or `=snippets` keeps only that part (for profiling).
//! * `fts5`         — SQLite FTS5 (bundled SQLite): top 10 by bm25 with column weights like the
//!                    service's boosts, a 24-token snippet of the publication text, and count(*).
//! * `fts5-nosnip`  — the same without `snippet()` (which re-tokenizes the whole publication text).
//! * `http`         — `GET /api/search?...&mode=strict` against `pubsearch serve` over one
//!                    keep-alive connection per client (target = host:port); a query line with
//!                    `"mode": "website"` is sent in that mode.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term, doc};

mod highlight;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const ANALYZER: &str = "pubsearch_en";
const PAGES_PER_HIT: usize = 3;
const SNIPPET_CHARS: usize = 220;

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

fn tokens(a: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut s = a.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        out.push(s.token().text.clone());
    }
    out
}

// ------------------------------------------------------------------ queries

#[derive(Deserialize, Clone, Debug)]
#[allow(dead_code)]
struct Q {
    id: usize,
    kind: String,
    q: String,
    terms: Vec<String>,
    phrase: bool,
    #[serde(rename = "type")]
    pub_type: Option<String>,
    year_from: Option<u64>,
    year_to: Option<u64>,
    /// The service's query mode for this query (`strict` when absent); the in-process peers
    /// ignore it.
    #[serde(default)]
    mode: Option<String>,
}

fn load_queries(path: &str) -> Res<Vec<Q>> {
    let text = std::fs::read_to_string(path)?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        out.push(serde_json::from_str(line)?);
    }
    Ok(out)
}

/// One client of an engine: runs a query, returns the total hit count.
trait Client {
    fn run(&mut self, q: &Q) -> Res<u64>;
}

type Factory = Arc<dyn Fn() -> Res<Box<dyn Client>> + Send + Sync>;

// ------------------------------------------------------------------ tantivy

#[derive(Clone, Copy)]
struct Fields {
    kind: Field,
    id: Field,
    title: Field,
    summary: Field,
    topics: Field,
    authors: Field,
    pub_type: Field,
    year: Field,
    date: Field,
    facets: Field,
    text: Field,
    page: Field,
    page_text: Field,
}

impl Fields {
    fn from(schema: &Schema) -> Res<Fields> {
        let g = |n: &str| schema.get_field(n).map_err(|e| format!("field {n}: {e}"));
        Ok(Fields {
            kind: g("kind")?,
            id: g("id")?,
            title: g("title")?,
            summary: g("summary")?,
            topics: g("topics")?,
            authors: g("authors")?,
            pub_type: g("type")?,
            year: g("year")?,
            date: g("date")?,
            facets: g("facets")?,
            text: g("text")?,
            page: g("page")?,
            page_text: g("page_text")?,
        })
    }
}

fn open_tantivy(dir: &str) -> Res<(Index, IndexReader, Fields)> {
    let index = Index::open_in_dir(dir)?;
    index.tokenizers().register(ANALYZER, analyzer());
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let fields = Fields::from(&index.schema())?;
    Ok((index, reader, fields))
}

struct TantivyClient {
    searcher: Searcher,
    f: Fields,
    analyzer: TextAnalyzer,
    full: bool,
}

type Boxed = Box<dyn Query>;

fn term_q(t: Term) -> Boxed {
    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs))
}

impl TantivyClient {
    /// One word or phrase against a list of (field, boost): the service's `Compiler::leaf`.
    fn leaf(&mut self, text: &str, fields: &[(Field, f32)]) -> Option<Boxed> {
        let toks = tokens(&mut self.analyzer, text);
        if toks.is_empty() {
            return None;
        }
        let mut per_field: Vec<(Occur, Boxed)> = Vec::new();
        for &(f, boost) in fields {
            let q: Boxed = if toks.len() == 1 {
                term_q(Term::from_field_text(f, &toks[0]))
            } else {
                Box::new(PhraseQuery::new(
                    toks.iter().map(|t| Term::from_field_text(f, t)).collect(),
                ))
            };
            let q: Boxed = if (boost - 1.0f32).abs() > f32::EPSILON {
                Box::new(BoostQuery::new(q, boost))
            } else {
                q
            };
            per_field.push((Occur::Should, q));
        }
        Some(if per_field.len() == 1 {
            per_field.pop().unwrap().1
        } else {
            Box::new(BooleanQuery::new(per_field))
        })
    }

    fn leaves(&mut self, q: &Q, fields: &[(Field, f32)]) -> Vec<Boxed> {
        if q.phrase {
            self.leaf(&q.terms.join(" "), fields).into_iter().collect()
        } else {
            q.terms.iter().filter_map(|t| self.leaf(t, fields)).collect()
        }
    }

    fn filters(&self, q: &Q, except: Option<&str>) -> Vec<Boxed> {
        let mut out: Vec<Boxed> = Vec::new();
        if let Some(t) = &q.pub_type
            && except != Some("type")
        {
            let facet = tantivy::schema::Facet::from_path(["type", t.as_str()]);
            out.push(Box::new(BooleanQuery::new(vec![(
                Occur::Should,
                term_q(Term::from_facet(self.f.facets, &facet)),
            )])));
        }
        if (q.year_from.is_some() || q.year_to.is_some()) && except != Some("year") {
            let b = |y: Option<u64>| match y {
                Some(y) => Bound::Included(Term::from_field_u64(self.f.year, y)),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(b(q.year_from), b(q.year_to))));
        }
        out
    }

    fn pub_query(&self, text: &Option<Boxed>, q: &Q, except: Option<&str>) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Boxed)> =
            vec![(Occur::Must, term_q(Term::from_field_text(self.f.kind, "pub")))];
        if let Some(t) = text {
            clauses.push((Occur::Must, t.box_clone()));
        }
        for flt in self.filters(q, except) {
            clauses.push((Occur::Must, flt));
        }
        BooleanQuery::new(clauses)
    }
}

fn first_text(d: &TantivyDocument, f: Field) -> String {
    d.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string()
}

impl Client for TantivyClient {
    fn run(&mut self, q: &Q) -> Res<u64> {
        let f = self.f;
        let pub_fields = [
            (f.title, 3.0),
            (f.summary, 2.0),
            (f.topics, 2.0),
            (f.authors, 1.0),
            (f.text, 1.0),
        ];
        let mut leaves = self.leaves(q, &pub_fields);
        let text: Option<Boxed> = match leaves.len() {
            0 => None,
            1 => leaves.pop(),
            _ => Some(Box::new(BooleanQuery::new(
                leaves.into_iter().map(|l| (Occur::Must, l)).collect(),
            ))),
        };
        let main = self.pub_query(&text, q, None);
        let searcher = self.searcher.clone();
        let (top, total) = searcher.search(&main, &(TopDocs::with_limit(10).order_by_score(), Count))?;
        let mut sink = 0usize;
        let docs: Vec<(String, DocAddress)> = top
            .iter()
            .map(|(_, addr)| {
                let d: TantivyDocument = searcher.doc(*addr)?;
                let id = first_text(&d, f.id);
                sink += first_text(&d, f.title).len() + first_text(&d, f.summary).len();
                sink += d.get_all(f.topics).count() + d.get_first(f.date).is_some() as usize;
                sink += first_text(&d, f.pub_type).len();
                Ok((id, *addr))
            })
            .collect::<Res<_>>()?;
        let (do_facets, do_snippets) = match std::env::var("PEERS_FULL_PARTS").as_deref() {
            Ok("facets") => (true, false),
            Ok("snippets") => (false, true),
            _ => (true, true),
        };
        if self.full && do_facets {
            // Facets: one shared pass for the dimensions without a filter, one per filtered one.
            let mut passes: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
            let type_active = q.pub_type.is_some();
            let year_active = q.year_from.is_some() || q.year_to.is_some();
            let mut shared = vec!["/topic"];
            if !type_active {
                shared.push("/type");
            }
            if !year_active {
                shared.push("/year");
            }
            passes.push((None, shared));
            if type_active {
                passes.push((Some("type"), vec!["/type"]));
            }
            if year_active {
                passes.push((Some("year"), vec!["/year"]));
            }
            for (except, roots) in passes {
                let query = self.pub_query(&text, q, except);
                let mut c = FacetCollector::for_field("facets");
                for r in &roots {
                    c.add_facet(*r);
                }
                let counts = searcher.search(&query, &c)?;
                for r in &roots {
                    sink += counts.get(*r).count();
                }
            }
        }
        if self.full && do_snippets {
            // Page snippets: the 3 best pages of every hit.
            let mut pl = self.leaves(q, &[(f.page_text, 1.0)]);
            let page_q: Option<Boxed> = match pl.len() {
                0 => None,
                1 => pl.pop(),
                _ => Some(Box::new(BooleanQuery::new(
                    pl.into_iter().map(|l| (Occur::Should, l)).collect(),
                ))),
            };
            if let Some(pq) = page_q {
                let g = highlight::generator(&searcher, pq.as_ref(), f.page_text, SNIPPET_CHARS)?;
                for (id, _) in &docs {
                    let bq = BooleanQuery::new(vec![
                        (Occur::Must, pq.box_clone()),
                        (Occur::Must, term_q(Term::from_field_text(f.id, id))),
                    ]);
                    let pages =
                        searcher.search(&bq, &TopDocs::with_limit(PAGES_PER_HIT).order_by_score())?;
                    for (_, a) in pages {
                        let d: TantivyDocument = searcher.doc(a)?;
                        sink += d.get_first(f.page).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
                        let mut s = g.snippet_from_doc(&d);
                        s.set_snippet_prefix_postfix("<mark>", "</mark>");
                        sink += s.to_html().len();
                    }
                }
            }
        }
        std::hint::black_box(sink);
        Ok(total as u64)
    }
}

fn tantivy_factory(dir: &str, full: bool) -> Res<Factory> {
    let (_index, reader, f) = open_tantivy(dir)?;
    Ok(Arc::new(move || {
        Ok(Box::new(TantivyClient {
            searcher: reader.searcher(),
            f,
            analyzer: analyzer(),
            full,
        }) as Box<dyn Client>)
    }))
}

// ------------------------------------------------------------------ source documents

struct PubDoc {
    id: String,
    title: String,
    summary: String,
    topics: Vec<String>,
    authors: Vec<String>,
    pub_type: String,
    year: u64,
    date: Option<tantivy::DateTime>,
    pages: Vec<(u64, String)>,
}

/// Reads publications and their page text from a pubsearch index.
fn load_docs(dir: &str) -> Res<Vec<PubDoc>> {
    let (_i, reader, f) = open_tantivy(dir)?;
    let searcher = reader.searcher();
    let mut pubs: BTreeMap<String, PubDoc> = BTreeMap::new();
    let mut pages: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        for doc_id in seg.doc_ids_alive() {
            let d: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc_id))?;
            let id = first_text(&d, f.id);
            match first_text(&d, f.kind).as_str() {
                "pub" => {
                    let all = |fl: Field| {
                        d.get_all(fl)
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect::<Vec<_>>()
                    };
                    pubs.insert(
                        id.clone(),
                        PubDoc {
                            id,
                            title: first_text(&d, f.title),
                            summary: first_text(&d, f.summary),
                            topics: all(f.topics),
                            authors: all(f.authors),
                            pub_type: first_text(&d, f.pub_type),
                            year: d.get_first(f.year).and_then(|v| v.as_u64()).unwrap_or(0),
                            date: d.get_first(f.date).and_then(|v| v.as_datetime()),
                            pages: Vec::new(),
                        },
                    );
                }
                "page" => {
                    let n = d.get_first(f.page).and_then(|v| v.as_u64()).unwrap_or(0);
                    pages.entry(id).or_default().push((n, first_text(&d, f.page_text)));
                }
                _ => {}
            }
        }
    }
    for (id, mut ps) in pages {
        ps.sort_by_key(|p| p.0);
        if let Some(p) = pubs.get_mut(&id) {
            p.pages = ps;
        }
    }
    Ok(pubs.into_values().collect())
}

fn text_opts(stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { o.set_stored() } else { o }
}

fn build_tantivy(from: &str, out: &str) -> Res<()> {
    let t0 = Instant::now();
    let docs = load_docs(from)?;
    let load_s = t0.elapsed().as_secs_f64();
    let cpu0 = cpu_seconds();
    let t1 = Instant::now();
    let mut b = Schema::builder();
    let kind = b.add_text_field("kind", STRING | STORED);
    let id = b.add_text_field("id", STRING | STORED);
    let title = b.add_text_field("title", text_opts(true));
    let summary = b.add_text_field("summary", text_opts(true));
    let topics = b.add_text_field("topics", text_opts(true));
    let authors = b.add_text_field("authors", text_opts(true));
    let pub_type = b.add_text_field("type", STRING | STORED);
    let date = b.add_date_field(
        "date",
        tantivy::schema::DateOptions::default().set_indexed().set_stored().set_fast(),
    );
    let year = b.add_u64_field("year", NumericOptions::default().set_indexed().set_stored().set_fast());
    let facets = b.add_facet_field("facets", FacetOptions::default());
    let text = b.add_text_field("text", text_opts(false));
    let page = b.add_u64_field("page", NumericOptions::default().set_indexed().set_stored().set_fast());
    let page_text = b.add_text_field("page_text", text_opts(true));
    let schema = b.build();
    std::fs::create_dir_all(out)?;
    let index = Index::create_in_dir(out, schema)?;
    index.tokenizers().register(ANALYZER, analyzer());
    let mut w = index.writer_with_num_threads::<TantivyDocument>(2, 256_000_000)?;
    let (mut n_pages, mut bytes) = (0usize, 0usize);
    for p in &docs {
        let mut d = doc!(
            kind => "pub", id => p.id.as_str(), title => p.title.as_str(),
            summary => p.summary.as_str(), pub_type => p.pub_type.as_str(), year => p.year,
        );
        if let Some(dt) = p.date {
            d.add_date(date, dt);
        }
        for t in &p.topics {
            d.add_text(topics, t);
            d.add_facet(facets, tantivy::schema::Facet::from_path(["topic", t.as_str()]));
        }
        for a in &p.authors {
            d.add_text(authors, a);
        }
        d.add_facet(facets, tantivy::schema::Facet::from_path(["type", p.pub_type.as_str()]));
        d.add_facet(facets, tantivy::schema::Facet::from_path(["year", &p.year.to_string()]));
        let all: Vec<&str> = p.pages.iter().map(|x| x.1.as_str()).collect();
        let joined = all.join("\n\n");
        bytes += joined.len();
        d.add_text(text, &joined);
        w.add_document(d)?;
        for (n, t) in &p.pages {
            n_pages += 1;
            w.add_document(doc!(kind => "page", id => p.id.as_str(), page => *n, page_text => t.as_str()))?;
        }
    }
    w.commit()?;
    w.wait_merging_threads()?;
    let secs = t1.elapsed().as_secs_f64();
    println!(
        "{{\"engine\":\"tantivy\",\"op\":\"build\",\"publications\":{},\"pages\":{},\"text_bytes\":{},\"load_s\":{:.3},\"build_wall_s\":{:.3},\"build_cpu_s\":{:.3},\"index_bytes\":{}}}",
        docs.len(),
        n_pages,
        bytes,
        load_s,
        secs,
        cpu_seconds() - cpu0,
        dir_size(Path::new(out))
    );
    Ok(())
}

// ------------------------------------------------------------------ SQLite FTS5

fn build_fts5(from: &str, out: &str, tokenize: &str) -> Res<()> {
    let t0 = Instant::now();
    let docs = load_docs(from)?;
    let load_s = t0.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(out);
    let cpu0 = cpu_seconds();
    let t1 = Instant::now();
    let tok = match tokenize {
        "porter" => "porter unicode61 remove_diacritics 2",
        "unicode61" => "unicode61 remove_diacritics 2",
        other => return Err(format!("unknown tokenizer {other}").into()),
    };
    let mut conn = rusqlite::Connection::open(out)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
         CREATE VIRTUAL TABLE pubs USING fts5(title, summary, topics, authors, text, tokenize='{tok}');
         CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, type TEXT, year INTEGER, date TEXT);"
    ))?;
    let (mut bytes, mut n_pages) = (0usize, 0usize);
    {
        let tx = conn.transaction()?;
        {
            let mut ins = tx.prepare("INSERT INTO pubs(rowid, title, summary, topics, authors, text) VALUES (?1,?2,?3,?4,?5,?6)")?;
            let mut meta = tx.prepare("INSERT INTO meta(rowid, id, title, type, year, date) VALUES (?1,?2,?3,?4,?5,?6)")?;
            for (i, p) in docs.iter().enumerate() {
                let rowid = i as i64 + 1;
                let all: Vec<&str> = p.pages.iter().map(|x| x.1.as_str()).collect();
                let joined = all.join("\n\n");
                bytes += joined.len();
                n_pages += p.pages.len();
                ins.execute(rusqlite::params![
                    rowid,
                    p.title,
                    p.summary,
                    p.topics.join(" ; "),
                    p.authors.join(" ; "),
                    joined
                ])?;
                let date = p.date.map(|d| format!("{:?}", d)).unwrap_or_default();
                meta.execute(rusqlite::params![rowid, p.id, p.title, p.pub_type, p.year as i64, date])?;
            }
        }
        tx.commit()?;
    }
    conn.execute_batch(
        "CREATE INDEX meta_type_year ON meta(type, year);
         INSERT INTO pubs(pubs) VALUES('optimize');",
    )?;
    drop(conn);
    let secs = t1.elapsed().as_secs_f64();
    println!(
        "{{\"engine\":\"fts5\",\"tokenize\":\"{tokenize}\",\"op\":\"build\",\"publications\":{},\"pages\":{},\"text_bytes\":{},\"load_s\":{:.3},\"build_wall_s\":{:.3},\"build_cpu_s\":{:.3},\"index_bytes\":{}}}",
        docs.len(),
        n_pages,
        bytes,
        load_s,
        secs,
        cpu_seconds() - cpu0,
        std::fs::metadata(out)?.len()
    );
    Ok(())
}

struct Fts5Client {
    conn: rusqlite::Connection,
    snippets: bool,
}

fn fts5_match(q: &Q) -> String {
    if q.phrase {
        format!("\"{}\"", q.terms.join(" "))
    } else {
        q.terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" AND ")
    }
}

impl Client for Fts5Client {
    fn run(&mut self, q: &Q) -> Res<u64> {
        let mut filter = String::new();
        if q.pub_type.is_some() {
            filter.push_str(" AND m.type = ?2");
        }
        if q.year_from.is_some() || q.year_to.is_some() {
            filter.push_str(" AND m.year BETWEEN ?3 AND ?4");
        }
        let m = fts5_match(q);
        let t = q.pub_type.clone().unwrap_or_default();
        let (a, b) = (q.year_from.unwrap_or(0) as i64, q.year_to.unwrap_or(9999) as i64);
        let snip = if self.snippets {
            "snippet(pubs, 4, '<mark>', '</mark>', '…', 24)"
        } else {
            "''"
        };
        let top_sql = format!(
            "SELECT m.id, m.title, m.type, m.date, {snip} \
             FROM pubs JOIN meta m ON m.rowid = pubs.rowid WHERE pubs MATCH ?1{filter} \
             ORDER BY bm25(pubs, 3.0, 2.0, 2.0, 1.0, 1.0) LIMIT 10"
        );
        let count_sql = format!(
            "SELECT count(*) FROM pubs JOIN meta m ON m.rowid = pubs.rowid WHERE pubs MATCH ?1{filter}"
        );
        let mut sink = 0usize;
        {
            let mut st = self.conn.prepare_cached(&top_sql)?;
            let mut rows = bind4(&mut st, &m, &t, a, b, &filter)?;
            while let Some(r) = rows.next()? {
                sink += r.get_ref(1)?.as_str()?.len() + r.get_ref(4)?.as_str()?.len();
            }
        }
        let mut st = self.conn.prepare_cached(&count_sql)?;
        let mut rows = bind4(&mut st, &m, &t, a, b, &filter)?;
        let total: i64 = rows.next()?.ok_or("no count row")?.get(0)?;
        std::hint::black_box(sink);
        Ok(total as u64)
    }
}

fn bind4<'s>(
    st: &'s mut rusqlite::CachedStatement<'_>,
    m: &str,
    t: &str,
    a: i64,
    b: i64,
    filter: &str,
) -> Res<rusqlite::Rows<'s>> {
    st.raw_bind_parameter(1, m)?;
    if filter.contains("?2") {
        st.raw_bind_parameter(2, t)?;
    }
    if filter.contains("?3") {
        st.raw_bind_parameter(3, a)?;
        st.raw_bind_parameter(4, b)?;
    }
    Ok(st.raw_query())
}

fn fts5_factory(path: &str, snippets: bool) -> Res<Factory> {
    let path = path.to_string();
    Ok(Arc::new(move || {
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.execute_batch("PRAGMA cache_size=-200000; PRAGMA mmap_size=4000000000;")?;
        Ok(Box::new(Fts5Client { conn, snippets }) as Box<dyn Client>)
    }))
}

// ------------------------------------------------------------------ HTTP (pubsearch serve)

struct HttpClient {
    addr: String,
    stream: BufReader<TcpStream>,
    buf: Vec<u8>,
}

fn url_encode(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => o.push(b as char),
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

fn http_path(q: &Q) -> String {
    let mode = q.mode.as_deref().unwrap_or("strict");
    let mut p = format!("/api/search?q={}&mode={}&per_page=10", url_encode(&q.q), url_encode(mode));
    if let Some(t) = &q.pub_type {
        p.push_str(&format!("&type={}", url_encode(t)));
    }
    if let Some(y) = q.year_from {
        p.push_str(&format!("&year_from={y}"));
    }
    if let Some(y) = q.year_to {
        p.push_str(&format!("&year_to={y}"));
    }
    p
}

impl HttpClient {
    fn connect(addr: &str) -> Res<HttpClient> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        Ok(HttpClient { addr: addr.to_string(), stream: BufReader::new(s), buf: Vec::new() })
    }

    fn get(&mut self, path: &str) -> Res<(u16, Vec<u8>)> {
        let req = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\r\n", self.addr);
        self.stream.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        self.stream.read_line(&mut line)?;
        let status: u16 = line.split_whitespace().nth(1).ok_or("bad status line")?.parse()?;
        let (mut len, mut chunked) = (None, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                len = Some(v.trim().parse::<usize>()?);
            } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        self.buf.clear();
        if let Some(n) = len {
            self.buf.resize(n, 0);
            self.stream.read_exact(&mut self.buf)?;
        } else if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)?;
                let start = self.buf.len();
                self.buf.resize(start + n, 0);
                self.stream.read_exact(&mut self.buf[start..])?;
                line.clear();
                self.stream.read_line(&mut line)?;
                if n == 0 {
                    break;
                }
            }
        } else {
            return Err("response without length".into());
        }
        Ok((status, std::mem::take(&mut self.buf)))
    }
}

#[derive(Deserialize)]
struct Total {
    total: u64,
}

impl Client for HttpClient {
    fn run(&mut self, q: &Q) -> Res<u64> {
        let (status, body) = self.get(&http_path(q))?;
        if status != 200 {
            return Err(format!("HTTP {status} for {}: {}", q.q, String::from_utf8_lossy(&body)).into());
        }
        let t: Total = serde_json::from_slice(&body)?;
        Ok(t.total)
    }
}

// ------------------------------------------------------------------ harness

fn cpu_seconds() -> f64 {
    // utime + stime of this process, from /proc/self/stat (fields 14 and 15, in clock ticks).
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = s.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = 100.0; // USER_HZ is 100 on Linux.
    let u: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    let st: f64 = f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    (u + st) / tick
}

fn dir_size(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let m = match e.metadata() {
                Ok(m) => m,
                Err(_) => continue,
            };
            n += if m.is_dir() { dir_size(&e.path()) } else { m.len() };
        }
    }
    n
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn run_query_bench(
    label: &str,
    factory: Factory,
    queries: &[Q],
    clients: usize,
    passes: usize,
    warmup: usize,
    counts_only: bool,
) -> Res<()> {
    // Untimed pass for hit counts.
    let mut c = factory()?;
    let mut counts = Vec::with_capacity(queries.len());
    for q in queries {
        counts.push(c.run(q)?);
    }
    drop(c);
    let counts_json = format!(
        "[{}]",
        counts.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",")
    );
    if counts_only {
        println!("{{\"engine\":\"{label}\",\"counts\":{counts_json}}}");
        return Ok(());
    }
    let cpu0 = cpu_seconds();
    let wall = Instant::now();
    let results: Vec<Res<(Vec<(usize, f64)>, f64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|ci| {
                let factory = factory.clone();
                s.spawn(move || -> Res<(Vec<(usize, f64)>, f64)> {
                    let mut c = factory()?;
                    let n = queries.len();
                    let offset = ci * n / clients.max(1);
                    for _ in 0..warmup {
                        for k in 0..n {
                            c.run(&queries[(k + offset) % n])?;
                        }
                    }
                    let start = Instant::now();
                    let mut lat = Vec::with_capacity(n * passes);
                    for _ in 0..passes {
                        for k in 0..n {
                            let qi = (k + offset) % n;
                            let t = Instant::now();
                            c.run(&queries[qi])?;
                            lat.push((qi, t.elapsed().as_secs_f64() * 1e3));
                        }
                    }
                    Ok((lat, start.elapsed().as_secs_f64()))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("client thread")).collect()
    });
    let total_wall = wall.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let mut all = Vec::new();
    let mut timed_wall: f64 = 0.0;
    for r in results {
        let (lat, w) = r?;
        timed_wall = timed_wall.max(w);
        all.extend(lat);
    }
    let mut ms: Vec<f64> = all.iter().map(|x| x.1).collect();
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mean = ms.iter().sum::<f64>() / ms.len().max(1) as f64;
    let mut kinds: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (qi, t) in &all {
        kinds.entry(queries[*qi].kind.as_str()).or_default().push(*t);
    }
    let per_kind = kinds
        .iter_mut()
        .map(|(k, v)| {
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            format!("\"{k}\":{:.4}", pct(v, 0.5))
        })
        .collect::<Vec<_>>()
        .join(",");
    println!(
        "{{\"engine\":\"{label}\",\"clients\":{clients},\"passes\":{passes},\"samples\":{},\"p50_ms\":{:.4},\"p99_ms\":{:.4},\"mean_ms\":{:.4},\"qps\":{:.1},\"wall_s\":{:.3},\"total_wall_s\":{:.3},\"client_cpu_s\":{:.3},\"per_kind_p50_ms\":{{{per_kind}}},\"counts\":{counts_json}}}",
        ms.len(),
        pct(&ms, 0.5),
        pct(&ms, 0.99),
        mean,
        ms.len() as f64 / timed_wall,
        timed_wall,
        total_wall,
        cpu,
    );
    Ok(())
}

fn main() {
    if let Err(e) = real_main() {
        eprintln!("peers: {e}");
        std::process::exit(1);
    }
}

fn real_main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = args.first().map(String::as_str).unwrap_or("");
    let opt = |name: &str| -> Option<String> {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
    };
    let flag = |name: &str| args.iter().any(|a| a == name);
    let need = |name: &str| opt(name).ok_or_else(|| format!("{cmd}: missing {name}"));
    match cmd {
        "build-tantivy" => build_tantivy(&need("--from")?, &need("--out")?),
        "build-fts5" => build_fts5(
            &need("--from")?,
            &need("--out")?,
            &opt("--tokenize").unwrap_or_else(|| "porter".into()),
        ),
        "query" => {
            let engine = need("--engine")?;
            let target = need("--target")?;
            let queries = load_queries(&need("--queries")?)?;
            let clients: usize = opt("--clients").map_or(Ok(1), |v| v.parse())?;
            let passes: usize = opt("--passes").map_or(Ok(3), |v| v.parse())?;
            let warmup: usize = opt("--warmup").map_or(Ok(1), |v| v.parse())?;
            let label = opt("--label").unwrap_or_else(|| engine.clone());
            let factory: Factory = match engine.as_str() {
                "tantivy" => tantivy_factory(&target, false)?,
                "tantivy-full" => tantivy_factory(&target, true)?,
                "fts5" => fts5_factory(&target, true)?,
                "fts5-nosnip" => fts5_factory(&target, false)?,
                "http" => {
                    let t = target.clone();
                    Arc::new(move || Ok(Box::new(HttpClient::connect(&t)?) as Box<dyn Client>))
                }
                other => return Err(format!("unknown engine {other}").into()),
            };
            run_query_bench(&label, factory, &queries, clients, passes, warmup, flag("--counts-only"))
        }
        _ => Err("usage: peers build-tantivy|build-fts5|query ... (see the source header)".into()),
    }
}
