//! Search on a 100,000-comment thread (~50 MB): index preparation, each keystroke of live
//! typing (incremental), a regex, a case-sensitive query, n/N, the filter.
//!
//! The thread comes from a small private generator (deterministic, ~500 bytes per comment,
//! Spanish-like text with accents). Switch it to `threadr::synth` once that lands.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use threadr::model::{Block, Body, CommentDraft, CommentIdx, Thread, ThreadBuilder};
use threadr::search::{Cursor, Matches, Query, SearchIndex, doc_of};

const COMMENTS: usize = 100_000;
/// A word that appears in about one comment in 5,000.
const RARE: &str = "zarigüeya";

const WORDS: &[&str] = &[
    "la",
    "de",
    "que",
    "el",
    "en",
    "y",
    "a",
    "los",
    "se",
    "del",
    "las",
    "un",
    "por",
    "con",
    "no",
    "una",
    "su",
    "para",
    "es",
    "al",
    "lo",
    "como",
    "más",
    "pero",
    "sus",
    "le",
    "ya",
    "o",
    "fue",
    "este",
    "ha",
    "sí",
    "porque",
    "esta",
    "son",
    "entre",
    "cuando",
    "muy",
    "sin",
    "sobre",
    "también",
    "me",
    "hasta",
    "hay",
    "donde",
    "quien",
    "desde",
    "todo",
    "nos",
    "durante",
    "democracia",
    "acción",
    "política",
    "gobierno",
    "elección",
    "económica",
    "país",
    "así",
    "razón",
    "opinión",
    "año",
    "niño",
    "pequeño",
    "según",
    "información",
    "debate",
    "ciudad",
    "votación",
    "ley",
    "derecho",
    "libertad",
    "pueblo",
    "partido",
    "Europa",
    "Madrid",
    "María",
    "José",
    "crisis",
    "público",
    "social",
    "historia",
    "cuestión",
    "además",
    "después",
    "nación",
    "constitución",
    "mayoría",
    "tribunal",
    "reforma",
    "the",
    "point",
    "is",
    "that",
    "people",
];
const AUTHORS: &[&str] = &[
    "María",
    "José",
    "Ana",
    "Pedro",
    "Lucía",
    "Andrés",
    "Sofía",
    "Íñigo",
    "carmen_r",
    "user1234",
    "Jesús",
    "Begoña",
    "tomás",
    "Nuria",
    "el_último",
    "Raúl",
];

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn paragraph(rng: &mut Rng, words: usize, out: &mut String) {
    for w in 0..words {
        if w > 0 {
            out.push(' ');
        }
        let word = WORDS[rng.below(WORDS.len())];
        if w == 0 {
            let mut cs = word.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(word);
        }
        if rng.below(12) == 0 {
            out.push(',');
        }
    }
    out.push('.');
}

fn generate(n: usize) -> Thread {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut b = ThreadBuilder::new();
    let mut article = String::new();
    for _ in 0..20 {
        paragraph(&mut rng, 90, &mut article);
        article.push_str("\n\n");
    }
    b.body = Body::from_plain(&article);
    let mut handles: Vec<usize> = Vec::with_capacity(n);
    for i in 0..n {
        let parent = if i == 0 || rng.below(10) < 3 {
            None
        } else {
            // Mostly answers to recent comments: threads of varied depth.
            let back = 1 + rng.below(i.min(40));
            Some(handles[i - back])
        };
        let mut blocks = Vec::new();
        let paragraphs = 1 + rng.below(3);
        for _ in 0..paragraphs {
            let mut text = String::new();
            paragraph(&mut rng, 80 / paragraphs, &mut text);
            if rng.below(5000) == 0 {
                text.push(' ');
                text.push_str(RARE);
            }
            blocks.push(Block::paragraph(text));
        }
        let draft = CommentDraft {
            author: Some(AUTHORS[rng.below(AUTHORS.len())].to_owned()),
            body: Body {
                blocks: blocks.into(),
                ..Body::default()
            },
            ..CommentDraft::default()
        };
        handles.push(b.push(parent, draft));
    }
    b.finish()
}

fn query(text: &str, regex: bool) -> Query {
    Query::new(text, regex)
        .expect("valid query")
        .expect("non-empty query")
}

/// Benchmarks every keystroke of `word` typed one character at a time, each refining the
/// result of the previous one as the live search does.
fn typing(c: &mut Criterion, index: &SearchIndex, word: &str) {
    let mut group = c.benchmark_group(format!("search/type {word}"));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(2));
    let chars: Vec<char> = word.chars().collect();
    let mut prev: Option<Matches> = None;
    for k in 1..=chars.len() {
        let typed: String = chars[..k].iter().collect();
        let q = query(&typed, false);
        group.bench_function(format!("{k:02} {typed}"), |b| match &prev {
            None => b.iter(|| Matches::fresh(index, black_box(q.clone()))),
            Some(p) => b.iter(|| p.refine(index, black_box(q.clone()))),
        });
        let result = match &prev {
            None => Matches::fresh(index, q),
            Some(p) => p.refine(index, q),
        };
        eprintln!(
            "  {typed:>12}: {} matches in {} docs",
            result.total(),
            result.docs_matched()
        );
        prev = Some(result);
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let thread = generate(COMMENTS);
    let bytes: usize = thread.body.plain_text().len()
        + thread
            .comments
            .iter()
            .map(|c| c.body.plain_text().len() + c.author.as_deref().map_or(0, str::len))
            .sum::<usize>();
    eprintln!(
        "thread: {} comments, {} MB of text",
        thread.len(),
        bytes / 1_000_000
    );

    let mut group = c.benchmark_group("search/prepare");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    // What the reader prepares in the background: where the characters to fold are.
    let shared = std::sync::Arc::new(thread);
    group.bench_function("index 100k comments", |b| {
        b.iter(|| SearchIndex::shared(black_box(&shared)));
    });
    group.finish();
    let thread: &Thread = &shared;

    let index = SearchIndex::shared(&shared);
    eprintln!(
        "index kept besides the thread: {:.1} MB (both case modes)",
        index.kept_bytes() as f64 / 1e6
    );

    typing(c, &index, "democracia");
    typing(c, &index, "maría");
    typing(c, &index, RARE);

    let mut group = c.benchmark_group("search/query");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(2));
    for (text, regex) in [
        ("e", false),
        ("María", false),
        ("Democracia", false),
        (r"acci[oó]n\b", true),
        (r"\bdemocr\w+", true),
        (r"^[a-z]+ \w+ción", true),
    ] {
        let q = query(text, regex);
        let m = Matches::fresh(&index, q.clone());
        eprintln!("  {text:>18}: {} matches", m.total());
        let kind = if regex { "regex" } else { "fresh" };
        group.bench_function(format!("{kind} {text}"), |b| {
            b.iter(|| Matches::fresh(&index, black_box(q.clone())));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("search/navigate");
    group.measurement_time(Duration::from_secs(2));
    let middle = Cursor::Doc(doc_of(CommentIdx(COMMENTS as u32 / 2)));
    for text in ["e", "democracia", RARE] {
        let m = Matches::fresh(&index, query(text, false));
        let last = m.hit(&index, m.total() - 1).expect("has matches");
        group.bench_function(format!("n {text}"), |b| {
            b.iter(|| m.next(&index, black_box(middle)));
        });
        group.bench_function(format!("N {text}"), |b| {
            b.iter(|| m.prev(&index, black_box(middle)));
        });
        group.bench_function(format!("n wrap {text}"), |b| {
            b.iter(|| m.next(&index, black_box(Cursor::At(last.m.doc, last.m.loc()))));
        });
        group.bench_function(format!("ordinal {text}"), |b| {
            b.iter(|| m.locate(black_box(m.total() / 2)));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("search/filter");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(2));
    for text in ["democracia", RARE] {
        let m = Matches::fresh(&index, query(text, false));
        group.bench_function(format!("filter {text}"), |b| {
            b.iter(|| m.filter(black_box(thread)));
        });
        group.bench_function(format!("hidden_below root {text}"), |b| {
            b.iter(|| m.hidden_below(thread, black_box(CommentIdx(0))));
        });
    }
    let line = "La democracia, según María, es acción y votación del pueblo entero.";
    let q = query("maría", false);
    group.bench_function("highlight_line", |b| {
        b.iter(|| q.highlight_line(black_box(line)));
    });
    group.finish();
}

criterion_group!(search, benches);
criterion_main!(search);
