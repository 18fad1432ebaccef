//! Writes a synthetic thread in the plain-text shape, and optionally reports how long
//! reading it back takes and the peak memory of doing so.
//!
//! ```sh
//! cargo run --release --example gen_thread -- --comments 100000 --out /tmp/t.txt
//! cargo run --release --example gen_thread -- --deep 100000 --out /tmp/deep.txt
//! cargo run --release --example gen_thread -- --load /tmp/t.txt   # time + peak memory
//! ```

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let mut comments = None;
    let mut deep = None;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut load: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--comments" => comments = Some(value()?.parse().context("--comments")?),
            "--deep" => deep = Some(value()?.parse().context("--deep")?),
            "--seed" => seed = value()?.parse().context("--seed")?,
            "--out" => out = Some(value()?.into()),
            "--load" => load = Some(value()?.into()),
            other => bail!(
                "unknown argument \"{other}\"; expected --comments N | --deep N [--seed S] \
                 --out FILE, or --load FILE"
            ),
        }
    }
    if let Some(path) = load {
        return report_load(&path);
    }
    let text = match (comments, deep) {
        (Some(n), None) => threadr::synth::plain_thread(n, seed),
        (None, Some(n)) => threadr::synth::deep_chain(n),
        _ => bail!("give exactly one of --comments N or --deep N"),
    };
    let path = out.context("--out FILE is required")?;
    std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {} bytes to {}", text.len(), path.display());
    Ok(())
}

/// Reads a file the way `threadr FILE` does and reports time and peak resident memory.
fn report_load(path: &std::path::Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let size = bytes.len();
    let before = peak_kib();
    let cpu_start = cpu_ns();
    let start = Instant::now();
    let thread = threadr::format::load(&bytes, &path.display().to_string(), None)?;
    let took = start.elapsed();
    let cpu = cpu_ns().saturating_sub(cpu_start);
    let peak = peak_kib();
    drop(bytes);
    let held = status_kib("VmRSS:");
    let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
    let ratio = |kib: u64| kib as f64 * 1024.0 / size as f64;
    eprintln!(
        "{} comments, {} article paragraphs, {:.1} MB file: parsed in {:.1} ms \
         ({:.1} ms on the CPU)\n\
         peak RSS {:.1} MB = {:.2}x the file (file bytes included; {:.1} MB before parsing)\n\
         peak RSS added by parsing {:.1} MB = {:.2}x the file\n\
         RSS holding the thread after the bytes are dropped {:.1} MB = {:.2}x the file",
        thread.len(),
        thread.body.blocks.len(),
        size as f64 / 1e6,
        took.as_secs_f64() * 1e3,
        cpu as f64 / 1e6,
        mb(peak),
        ratio(peak),
        mb(before),
        mb(peak - before),
        ratio(peak - before),
        mb(held),
        ratio(held),
    );
    Ok(())
}

/// CPU time this thread has run, in ns (from /proc/thread-self/schedstat; 0 where
/// unavailable). Unlike wall time it does not grow when other processes share the cores.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Peak resident memory so far (`VmHWM`) in KiB.
fn peak_kib() -> u64 {
    status_kib("VmHWM:")
}

/// A `kB` field of /proc/self/status (0 where unavailable).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
