//! What `cargo package` ships and what the crate promises: complete metadata, only the files
//! a user needs, and a `rust-version` no dependency contradicts. Runs cargo itself (offline:
//! the lock file and the downloaded sources are enough).

use std::path::Path;
use std::process::Command;

fn cargo(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The machine's own target triple, from `rustc -vV`.
fn host() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let out = Command::new(rustc).arg("-vV").output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

fn version(text: &str) -> Vec<u32> {
    text.split('.').map(|p| p.parse().unwrap()).collect()
}

#[test]
fn crate_metadata_is_complete() {
    assert_eq!(env!("CARGO_PKG_LICENSE"), "MIT OR Apache-2.0");
    for (field, value) in [
        ("description", env!("CARGO_PKG_DESCRIPTION")),
        ("repository", env!("CARGO_PKG_REPOSITORY")),
        ("homepage", env!("CARGO_PKG_HOMEPAGE")),
        ("readme", env!("CARGO_PKG_README")),
        ("rust-version", env!("CARGO_PKG_RUST_VERSION")),
    ] {
        assert!(!value.is_empty(), "Cargo.toml has no {field}");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md", "README.md"] {
        assert!(root.join(file).is_file(), "{file} is missing");
    }
}

#[test]
fn no_dependency_needs_a_newer_rust_than_rust_version() {
    let ours = version(env!("CARGO_PKG_RUST_VERSION"));
    // Only this platform's packages: a fresh machine has downloaded those and no others
    // (the Windows-only crates in the lock file are never fetched here, and `--offline`
    // cannot read their manifests).
    let host = host();
    let metadata: serde_json::Value = serde_json::from_str(&cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--locked",
        "--offline",
        "--filter-platform",
        &host,
    ]))
    .unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    assert!(packages.len() > 100, "{} packages", packages.len());
    let mut checked = 0;
    for p in packages {
        if let Some(theirs) = p["rust_version"].as_str() {
            checked += 1;
            assert!(
                version(theirs) <= ours,
                "{} {} needs Rust {theirs}, more than our rust-version {}",
                p["name"],
                p["version"],
                env!("CARGO_PKG_RUST_VERSION")
            );
        }
    }
    assert!(
        checked > 50,
        "only {checked} packages say their rust-version"
    );
}

#[test]
fn the_package_carries_what_a_user_needs_and_no_test_data() {
    let list = cargo(&["package", "--list", "--allow-dirty", "--offline"]);
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/main.rs",
        "src/lib.rs",
        "src/keymap.toml",
        "src/tour.txt",
        "themes/default.toml",
    ] {
        assert!(files.contains(&needed), "the package lacks {needed}");
    }
    for file in &files {
        assert!(
            !file.starts_with("tests/")
                && !file.starts_with("benches/")
                && !file.starts_with("examples/")
                && !file.starts_with("proptest-regressions/")
                && !file.starts_with(".ci/")
                && !file.starts_with(".cargo/")
                && !file.starts_with("fuzz/")
                && !file.contains("snapshots/"),
            "the package carries {file}"
        );
    }
}
