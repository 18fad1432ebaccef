//! The real exports shared beside the repository (`THREADR_CORPUS`, set by `.ci/run`).

use std::path::{Path, PathBuf};

/// The corpus folder, or `None` (with a line saying the test skipped) when it is not set.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("THREADR_CORPUS").map(PathBuf::from);
    if dir.is_none() {
        println!("corpus: skipped, THREADR_CORPUS is not set (.ci/run sets it)");
    }
    dir
}

/// A corpus file's bytes; a missing file fails the test, since CI always has the folder.
pub fn read(dir: &Path, file: &str) -> Vec<u8> {
    let path = dir.join(file);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "THREADR_CORPUS is set but {} cannot be read: {e}",
            path.display()
        )
    })
}
