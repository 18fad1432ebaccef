//! Fuzzing on stable: the regression corpus in `tests/fixtures/fuzz/<target>/` runs on every
//! `cargo test`, and a bounded, seeded mutation loop runs every target of
//! [`threadr::fuzzing::targets`] over mutants of the project's own fixtures.
//!
//! The loop is deterministic: the same seed gives the same mutants. Longer or different
//! runs on demand: `THREADR_FUZZ_ITERS=200000 THREADR_FUZZ_SEED=$RANDOM cargo test --release
//! --test it fuzz:: -- --nocapture`. An input that breaks a target is saved under
//! `target/tmp/fuzz-found/<target>/`; once fixed, move it into `tests/fixtures/fuzz/<target>/`.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use threadr::fuzzing::{self, Rng, Target};

const DEFAULT_ITERS: usize = 600;
const DEFAULT_SEED: u64 = 19;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Panics inside targets are expected findings: report them ourselves, without the default
/// hook printing each one.
fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

/// Runs a target on one input; the panic message when it breaks.
fn check(target: &Target, data: &[u8]) -> Result<(), String> {
    quiet_panics();
    std::panic::catch_unwind(AssertUnwindSafe(|| (target.run)(target.format, data))).map_err(
        |payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_else(|| "(no message)".into())
        },
    )
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_regression_corpus_holds() {
    let root = fixtures().join("fuzz");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures/fuzz")
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let target = fuzzing::target(&name)
            .unwrap_or_else(|| panic!("tests/fixtures/fuzz/{name}: no such fuzz target"));
        let mut files = Vec::new();
        files_under(&dir, &mut files);
        for file in files {
            count += 1;
            let data = std::fs::read(&file).unwrap();
            if let Err(msg) = check(&target, &data) {
                failures.push(format!("{}: {msg}", file.display()));
            }
        }
    }
    assert!(count >= 10, "only {count} regression inputs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Where a breaking input is saved, named by a hash of its bytes.
fn save_finding(target: &str, data: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-found")
        .join(target);
    std::fs::create_dir_all(&dir).unwrap();
    let hash = xxhash(data);
    let path = dir.join(format!("{hash:016x}"));
    std::fs::write(&path, data).unwrap();
    path
}

fn xxhash(data: &[u8]) -> u64 {
    // FNV-1a: only a file name.
    data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn seeded_mutants_of_the_fixtures_break_no_target() {
    let iters = env_num("THREADR_FUZZ_ITERS").map_or(DEFAULT_ITERS, |n| n as usize);
    let seed = env_num("THREADR_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let mut seeds = Vec::new();
    for sub in ["browser", "json", "reader", "fuzz"] {
        files_under(&fixtures().join(sub), &mut seeds);
    }
    seeds.push(fixtures().join("plain_thread.txt"));
    let seeds: Vec<Vec<u8>> = seeds.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let targets = fuzzing::targets();
    let mut rng = Rng::new(seed);
    let mut findings = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    let start = Instant::now();
    for i in 0..iters {
        let data = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())];
        let mutant = fuzzing::mutate(&mut rng, data, other);
        // Detection half the time (what a user gets), else a forced reader or the codec.
        let target = if rng.below(2) == 0 {
            &targets[0]
        } else {
            &targets[rng.below(targets.len())]
        };
        let t0 = Instant::now();
        let result = check(target, &mutant);
        let took = t0.elapsed();
        if took > slowest.0 {
            slowest = (
                took,
                format!("iteration {i}, {} bytes, {}", mutant.len(), target.name),
            );
            // Kept for a look (a slow input may be a quadratic path), never a failure: the
            // machine is shared and timings are noisy; the benchmark measures scaling.
            if took > Duration::from_secs(1) {
                save_finding("slowest", &mutant);
            }
        }
        if let Err(msg) = result {
            let path = save_finding(target.name, &mutant);
            findings.push(format!(
                "{}: {msg} (iteration {i}, saved as {})",
                target.name,
                path.display()
            ));
        }
    }
    eprintln!(
        "fuzz: {iters} mutants, seed {seed}, {:.1} s, slowest {:.0} ms ({}), {} finding(s)",
        start.elapsed().as_secs_f64(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1,
        findings.len()
    );
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}
