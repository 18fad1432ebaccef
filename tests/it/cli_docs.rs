//! What a user and a packager get from the built binary besides the reader: `--help`,
//! `--version`, exit codes, shell completions and the man page, all from the one clap
//! definition (so every subcommand, including ones added later, must show up).

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;
use threadr::cli::Cli;

fn threadr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threadr"))
        .args(args)
        .env("THREADR_CONFIG_DIR", "/nonexistent/threadr-test-config")
        .env("THREADR_DATA_DIR", "/nonexistent/threadr-test-data")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The subcommands a user can type, from the clap definition.
fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn version_prints_the_crate_version_and_exits_0() {
    let out = threadr(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).trim(),
        format!("threadr {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_points_at_the_reader_help_the_readme_and_the_exit_codes() {
    for flag in ["-h", "--help"] {
        let out = threadr(&[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}");
        let text = stdout(&out);
        assert!(text.contains("press ? for every key"), "{flag}: {text}");
        assert!(text.contains("README.md"), "{flag}");
        assert!(text.contains("Exit status: 0 success, 1 error, 2 usage error"));
        for sub in subcommands() {
            assert!(text.contains(&format!("  {sub} ")), "{flag} lacks {sub}");
        }
    }
}

#[test]
fn exit_codes_are_0_1_and_2() {
    assert_eq!(threadr(&["themes"]).status.code(), Some(0));
    // An error: a file that is not there.
    let missing = threadr(&["dump", "/nonexistent/thread.txt"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("threadr: "));
    // Usage errors: clap's, all 2.
    for args in [
        &["--no-such-option"][..],
        &["dump"],
        &["dump", "--format", "yaml", "x"],
        &["completions", "tcsh"],
        &["completions"],
        // Refresh what: one of a URL/key and --all.
        &["refresh"],
        &["refresh", "--all", "hn:1"],
    ] {
        let out = threadr(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn completions_exist_for_every_shell_and_name_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F _threadr"),
        ("zsh", "#compdef threadr"),
        ("fish", "complete -c threadr"),
        ("elvish", "edit:completion:arg-completer[threadr]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = threadr(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(text.contains(marker), "{shell}: no {marker}");
        for sub in subcommands() {
            assert!(text.contains(&sub), "{shell} completion lacks {sub}");
        }
        assert!(text.contains("input-format"), "{shell} lacks the options");
    }
}

/// Sources the bash script in a real bash and asks it to complete, the way the shell does
/// on Tab.
fn bash_complete(script: &str, words: &[&str]) -> Vec<String> {
    let cword = words.len() - 1;
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}\n\
         _threadr threadr '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        quoted.join(" "),
        words.join(" "),
        words[cword],
        words[cword.saturating_sub(1)],
    );
    let mut child = Command::new("bash")
        .arg("--norc")
        .arg("-s")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(program.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommands_options_and_values() {
    if Command::new("bash").arg("-c").arg("true").status().is_err() {
        eprintln!("skipped: no bash on this machine");
        return;
    }
    let script = stdout(&threadr(&["completions", "bash"]));
    assert_eq!(
        bash_complete(&script, &["threadr", "dum"]),
        ["dump"],
        "a subcommand"
    );
    assert!(bash_complete(&script, &["threadr", "co"]).contains(&"completions".to_string()));
    let values = bash_complete(&script, &["threadr", "dump", "--format", ""]);
    assert_eq!(values, ["json", "text"], "dump --format values");
    let shells = bash_complete(&script, &["threadr", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        assert!(shells.contains(&shell.to_string()), "{shells:?}");
    }
}

#[test]
fn man_page_renders_with_subcommands_keys_and_files() {
    let out = threadr(&["manpage"]);
    assert_eq!(out.status.code(), Some(0));
    let roff = stdout(&out);
    assert!(
        roff.lines().any(|l| l.starts_with(".TH threadr 1 ")),
        "no title"
    );
    for sub in subcommands() {
        assert!(roff.contains(&format!(".SS {sub}")), "man page lacks {sub}");
    }
    // Rendered by man(1) when this machine has it: the page must be valid roff.
    let Ok(mut child) = Command::new("man")
        .args(["-l", "-"])
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("skipped the rendering: no man on this machine");
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let shown = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    for heading in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "SUBCOMMANDS",
        "KEYS",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
    ] {
        assert!(
            text.lines().any(|l| l == heading),
            "no {heading} in\n{text}"
        );
    }
    assert!(text.contains("toggle_bookmark"), "the keys");
}

/// Whether `program` runs here (zsh and fish are not on every machine).
fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn fish_completes_subcommands_and_values() {
    if !have("fish") {
        eprintln!("skipped: no fish on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("threadr.fish");
    std::fs::write(&script, threadr(&["completions", "fish"]).stdout).unwrap();
    let complete = |line: &str| {
        let out = Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!("source {}; complete -C '{line}'", script.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(complete("threadr dum").starts_with("dump\t"));
    let values: Vec<String> = complete("threadr dump --format ")
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(values, ["json", "text"]);
}

#[test]
fn zsh_script_is_valid_zsh() {
    if !have("zsh") {
        eprintln!("skipped: no zsh on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("_threadr");
    std::fs::write(&script, threadr(&["completions", "zsh"]).stdout).unwrap();
    let out = Command::new("zsh").arg("-n").arg(&script).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
