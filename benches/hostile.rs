//! Linear time on pathological shapes: each shape at 1, 4 and 16 MB through the reader that
//! meets it. Criterion reports throughput (MiB/s) per size; a flat throughput is linear
//! time, a falling one is not (the ratio of the 16 MB to the 1 MB throughput is the figure
//! the README quotes). Shapes: JSON nested deep and never closed (a download cut off part
//! way) and nested deep and closed, in every JSON reader; long runs of list markers and
//! bullets in the text readers; deeply nested lists in HTML comment bodies.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use threadr::format::{self, InputFormat};

const MB: usize = 1 << 20;

/// `head`, then `unit` repeated up to `size` bytes, then `tail`.
fn fill(head: &str, unit: &str, tail_unit: &str, size: usize) -> String {
    let n = size.saturating_sub(head.len()) / (unit.len() + tail_unit.len());
    let mut s = String::with_capacity(size + 64);
    s.push_str(head);
    for _ in 0..n {
        s.push_str(unit);
    }
    for _ in 0..n {
        s.push_str(tail_unit);
    }
    s
}

/// The JSON readers, their envelope and their nesting unit.
const JSON: &[(&str, InputFormat, &str, &str)] = &[
    (
        "threadr",
        InputFormat::Threadr,
        "{\"format\":\"threadr/1\",\"comments\":[",
        "[",
    ),
    (
        "reddit",
        InputFormat::Reddit,
        "[{\"kind\":\"Listing\",\"data\":{\"children\":[",
        "{\"kind\":\"t1\",\"data\":{\"replies\":{\"data\":{\"children\":[",
    ),
    ("hn", InputFormat::Hn, "", "{\"id\":1,\"children\":["),
    ("hnpwa", InputFormat::Hnpwa, "", "{\"id\":1,\"comments\":["),
    (
        "lobsters",
        InputFormat::Lobsters,
        "{\"comments\":[",
        "[{\"a\":",
    ),
];

const TEXT: &[&str] = &[
    "text_bullets",
    "text_marker_lines",
    "w3m_bullets",
    "hn_html_nested_lists",
];

/// Shape `name` at about `size` bytes, and the reader to force.
fn shape(name: &str, size: usize) -> (Option<InputFormat>, String) {
    for &(reader, format, head, unit) in JSON {
        if name == format!("{reader}_unclosed") {
            return (Some(format), fill(head, unit, "", size));
        }
        if name == format!("{reader}_closed") {
            return (Some(format), fill(head, "[", "]", size));
        }
    }
    match name {
        "text_bullets" => (
            Some(InputFormat::Text),
            fill("T\n\nA.\n\n", "  \u{2022} ", "", size),
        ),
        "text_marker_lines" => (
            Some(InputFormat::Text),
            fill("T\n\nA.\n\n", "  1. x\n    \u{2022} y\n", "", size),
        ),
        "w3m_bullets" => (
            Some(InputFormat::W3m),
            fill(
                "T\n\n2 thoughts on \u{201c}T\u{201d}\n\n",
                "  \u{2022} \n",
                "",
                size,
            ),
        ),
        _ => (
            Some(InputFormat::Hn),
            format!(
                "{{\"id\":1,\"text\":\"{}\",\"children\":[]}}",
                fill("", "<ul><li>", "</li></ul>", size)
            ),
        ),
    }
}

fn linear(c: &mut Criterion) {
    let sizes = [MB, 4 * MB, 16 * MB];
    let mut names: Vec<String> = JSON
        .iter()
        .flat_map(|(r, ..)| [format!("{r}_unclosed"), format!("{r}_closed")])
        .collect();
    names.extend(TEXT.iter().map(|t| (*t).to_string()));
    for name in &names {
        let mut group = c.benchmark_group(format!("hostile_{name}"));
        group.sample_size(10);
        for size in sizes {
            let (format, text) = shape(name, size);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{}MB", size / MB)),
                &text,
                |b, text| b.iter_with_large_drop(|| format::load(text.as_bytes(), "bench", format)),
            );
        }
        group.finish();
    }
}

criterion_group!(benches, linear);
criterion_main!(benches);
