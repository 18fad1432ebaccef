//! Themes and configuration: bundled themes, inheritance, colour depth, broken files, and
//! the `threadr themes` / `threadr config` subcommands through the built binary.

use std::path::Path;
use std::process::Command;

use ratatui::style::{Color, Modifier, Style};
use threadr::config::{Config, Env, Origin};
use threadr::keymap::{Key, Keymap, Mode};
use threadr::theme::{
    BUNDLED, ColorDepth, DEPTH_KEY, HIGHLIGHT_KEYS, STYLE_KEYS, Theme, ThemeOrigin,
};

const DEPTHS: [ColorDepth; 4] = [
    ColorDepth::TrueColor,
    ColorDepth::Ansi256,
    ColorDepth::Ansi16,
    ColorDepth::None,
];

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

fn all_styles(theme: &Theme) -> Vec<(String, Style)> {
    let mut out: Vec<(String, Style)> = STYLE_KEYS
        .iter()
        .map(|(k, _)| ((*k).to_string(), theme.get(k).unwrap()))
        .collect();
    for (i, s) in theme.tree.depth.iter().enumerate() {
        out.push((format!("tree.depth[{i}]"), *s));
    }
    out
}

#[test]
fn the_seven_named_themes_are_bundled_and_on_disk() {
    let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
    for want in [
        "default",
        "dark",
        "light",
        "solarized-dark",
        "gruvbox",
        "high-contrast",
        "mono",
    ] {
        assert!(names.contains(&want), "{want} is not bundled");
    }
    // Every file in themes/ is embedded, and embedded text is the file's.
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/themes"));
    let mut on_disk = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let (_, text) = BUNDLED
            .iter()
            .find(|(n, _)| *n == stem)
            .unwrap_or_else(|| panic!("themes/{stem}.toml is not embedded"));
        assert_eq!(*text, std::fs::read_to_string(&path).unwrap());
        on_disk += 1;
    }
    assert_eq!(on_disk, BUNDLED.len());
}

#[test]
fn every_bundled_theme_loads_defines_every_key_and_has_no_warnings() {
    for (name, text) in BUNDLED {
        let theme = Theme::load(name, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(theme.name, *name);
        assert!(theme.warnings.is_empty(), "{name}: {:?}", theme.warnings);
        assert!(!theme.tree.depth.is_empty(), "{name}: tree.depth");
        // Every key is defined by the theme or an ancestor (loading refuses gaps; this also
        // checks the key list and the files agree).
        let mut chain = String::from(*text);
        let mut parent = text
            .lines()
            .find_map(|l| l.strip_prefix("inherits = \""))
            .map(|p| p.trim_end_matches('"').to_string());
        while let Some(p) = parent {
            let (_, t) = BUNDLED.iter().find(|(n, _)| *n == p).unwrap();
            chain.push_str(t);
            parent = t
                .lines()
                .find_map(|l| l.strip_prefix("inherits = \""))
                .map(|p| p.trim_end_matches('"').to_string());
        }
        for (key, _) in STYLE_KEYS.iter().chain([&DEPTH_KEY]) {
            let (group, field) = key.split_once('.').unwrap();
            assert!(
                chain.contains(&format!("[{group}]")) && chain.contains(&format!("\n{field} = ")),
                "{name}: {key} not written in the theme or its parents"
            );
        }
        for depth in DEPTHS {
            let mapped = theme.clone().with_depth(depth);
            assert!(
                mapped.warnings.is_empty(),
                "{name} at {}: {:?}",
                depth.name(),
                mapped.warnings
            );
        }
    }
}

#[test]
fn default_theme_is_the_bundled_default_and_uses_the_terminal_palette() {
    let theme = Theme::default();
    assert_eq!(theme.name, "default");
    assert_eq!(theme, Theme::load("default", None).unwrap());
    // Built on the terminal's own colours: nothing but reset and the 16 ANSI colours.
    for (key, style) in all_styles(&theme) {
        for c in [style.fg, style.bg].into_iter().flatten() {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "default {key} uses {c}"
            );
        }
    }
    assert_eq!(theme.app.background.fg, Some(Color::Reset));
    assert!(
        theme
            .tree
            .selected
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn mono_has_no_colour_at_all() {
    let theme = Theme::load("mono", None).unwrap();
    for (key, style) in all_styles(&theme) {
        assert_eq!((style.fg, style.bg), (None, None), "mono {key}");
    }
    assert!(
        theme
            .search
            .matched
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn highlights_stay_visible_and_distinct_without_colour() {
    for (name, _) in BUNDLED {
        let theme = Theme::load(name, None)
            .unwrap()
            .with_depth(ColorDepth::None);
        for (key, style) in all_styles(&theme) {
            assert_eq!(
                (style.fg, style.bg),
                (None, None),
                "{name} {key} kept a colour"
            );
        }
        for key in HIGHLIGHT_KEYS {
            let s = theme.get(key).unwrap();
            assert!(
                !s.add_modifier.is_empty(),
                "{name}: {key} vanishes without colour"
            );
        }
        let selected = theme.tree.selected;
        let m = selected.patch(theme.search.matched).add_modifier;
        let c = selected.patch(theme.search.current).add_modifier;
        assert_ne!(
            m, selected.add_modifier,
            "{name}: match invisible on the selected row"
        );
        assert_ne!(c, m, "{name}: current match looks like any match");
        assert_ne!(
            theme.bookmark.marker.add_modifier,
            Modifier::empty(),
            "{name}: bookmark marker"
        );
    }
}

#[test]
fn colour_depth_ladder_on_a_real_theme() {
    let gruvbox = Theme::load("gruvbox", None).unwrap();
    let bg = gruvbox.app.background.bg;
    assert_eq!(bg, Some(Color::Rgb(0x28, 0x28, 0x28)));
    let env = |pairs: &[(&str, &str)]| Env::from_pairs(pairs.iter().copied());
    let at = |e: &Env| {
        gruvbox
            .clone()
            .with_depth(ColorDepth::detect(e))
            .app
            .background
            .bg
    };
    assert_eq!(
        at(&env(&[
            ("COLORTERM", "truecolor"),
            ("TERM", "xterm-256color")
        ])),
        bg
    );
    assert_eq!(
        at(&env(&[("TERM", "xterm-256color")])),
        Some(Color::Indexed(235))
    );
    assert_eq!(at(&env(&[("TERM", "linux")])), Some(Color::Black));
    assert_eq!(
        at(&env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")])),
        None
    );
    // 256 never leaves the xterm palette's fixed part, 16 never leaves the ANSI names.
    for (key, s) in all_styles(&gruvbox.clone().with_depth(ColorDepth::Ansi256)) {
        for c in [s.fg, s.bg].into_iter().flatten() {
            assert!(matches!(c, Color::Indexed(16..=255)), "{key}: {c}");
        }
    }
    for (key, s) in all_styles(&gruvbox.clone().with_depth(ColorDepth::Ansi16)) {
        for c in [s.fg, s.bg].into_iter().flatten() {
            assert!(
                !matches!(c, Color::Indexed(_) | Color::Rgb(..) | Color::Reset),
                "{key}: {c}"
            );
        }
    }
}

#[test]
fn inheritance_overrides_palette_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    std::fs::create_dir(&themes).unwrap();
    std::fs::write(
        themes.join("mine.toml"),
        "inherits = \"gruvbox\"\n[palette]\nauthor = \"#010203\"\n[tree]\nop = \"bold underline\"\n",
    )
    .unwrap();
    let mine = Theme::load("mine", Some(dir.path())).unwrap();
    let gruvbox = Theme::load("gruvbox", None).unwrap();
    // A palette change reaches styles defined two levels up (dark's tree.author).
    assert_eq!(mine.tree.author.fg, Some(Color::Rgb(1, 2, 3)));
    assert_eq!(
        mine.tree.op,
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    );
    assert_eq!(mine.tree.selected, gruvbox.tree.selected);
    assert_eq!(mine.source, themes.join("mine.toml").display().to_string());

    // A user theme named like a bundled one overrides it, and may extend it.
    std::fs::write(
        themes.join("dark.toml"),
        "inherits = \"dark\"\n[status]\nbar = \"bold\"\n",
    )
    .unwrap();
    let dark = Theme::load("dark", Some(dir.path())).unwrap();
    assert_eq!(dark.status.bar, Style::new().add_modifier(Modifier::BOLD));
    assert_eq!(
        dark.tree.selected,
        Theme::load("dark", None).unwrap().tree.selected
    );

    // Loading by path works too.
    let by_path = Theme::load(themes.join("mine.toml").to_str().unwrap(), None).unwrap();
    assert_eq!(by_path.name, "mine");

    let list = Theme::list(Some(dir.path())).unwrap();
    let find = |n: &str| list.iter().find(|t| t.name == n).unwrap().origin.clone();
    assert_eq!(find("gruvbox"), ThemeOrigin::Bundled);
    assert!(matches!(
        find("dark"),
        ThemeOrigin::User {
            overrides: true,
            ..
        }
    ));
    assert!(matches!(
        find("mine"),
        ThemeOrigin::User {
            overrides: false,
            ..
        }
    ));
    assert_eq!(list.iter().filter(|t| t.name == "dark").count(), 1);
}

/// Each broken theme in tests/fixtures/themes and the message parts it must produce.
#[test]
fn broken_themes_are_refused_with_file_key_and_line() {
    let dir = fixtures();
    let cases: &[(&str, Option<usize>, &str, &str)] = &[
        (
            "unknown-key",
            Some(5),
            "tree.selcted",
            "unknown key (did you mean \"tree.selected\"?)",
        ),
        (
            "bad-colour",
            Some(6),
            "tree.author",
            "unknown colour \"purpel\"",
        ),
        (
            "bad-hex",
            Some(4),
            "palette.accent",
            "\"#12345\" is not a hex colour",
        ),
        (
            "bad-index",
            Some(4),
            "comment.code",
            "colour index 300 is out of range",
        ),
        (
            "missing-parent",
            Some(2),
            "inherits",
            "parent theme \"nosuch\" not found",
        ),
        (
            "cycle-a",
            Some(1),
            "inherits",
            "inheritance cycle: cycle-a -> cycle-b -> cycle-a",
        ),
        ("incomplete", None, "app.background", "not defined (nor are"),
        (
            "bad-modifier",
            Some(4),
            "tree.op",
            "unknown style field \"blink\"",
        ),
        (
            "two-colours",
            Some(4),
            "tree.meta",
            "names two foreground colours",
        ),
        (
            "bad-depth",
            Some(4),
            "tree.depth",
            "the list needs at least one style",
        ),
        ("bad-toml", Some(3), "", "not valid TOML"),
        ("bad-type", Some(4), "status.bar", "expected a style"),
    ];
    // The fixtures are loaded as user themes: cycle-a/cycle-b find each other by name.
    let config = tempfile::tempdir().unwrap();
    let themes = config.path().join("themes");
    std::fs::create_dir(&themes).unwrap();
    for entry in std::fs::read_dir(dir.join("themes")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, themes.join(path.file_name().unwrap())).unwrap();
    }
    let mut seen = 0;
    for (name, line, key, message) in cases {
        let e = Theme::load(name, Some(config.path())).unwrap_err();
        let text = e.to_string();
        // A cycle is reported where it closes.
        let file = if *name == "cycle-a" { "cycle-b" } else { name };
        assert!(
            e.file.ends_with(&format!("{file}.toml")),
            "{name}: file in {text}"
        );
        assert_eq!(e.line, *line, "{name}: {text}");
        if !key.is_empty() {
            assert_eq!(e.key.as_deref(), Some(*key), "{name}: {text}");
        }
        assert!(text.contains(message), "{name}: {text}");
        assert!(text.contains(&format!("{file}.toml")), "{name}: {text}");
        seen += 1;
    }
    // Every fixture is covered by a case.
    let files = std::fs::read_dir(dir.join("themes")).unwrap().count();
    assert_eq!(
        files,
        seen + 1,
        "cycle-b.toml is the only fixture without its own case"
    );

    let e = Theme::load("no-such-theme", None).unwrap_err();
    assert!(e.to_string().contains("no such theme"), "{e}");
    assert!(e.to_string().contains("gruvbox"), "{e}");
}

#[test]
fn the_default_keymap_parses() {
    let map = Keymap::default_keys();
    assert!(!map.entries().is_empty());
    let config = Config::load(&Env::from_pairs([(
        "THREADR_CONFIG_DIR",
        "/nonexistent/threadr",
    )]))
    .unwrap();
    assert_eq!(config.keymap.entries(), map.entries());
    assert_eq!(config.theme, "default");
    assert!(!config.paths.file_found);
}

/// Each broken config in tests/fixtures/config, with the line, key and message.
#[test]
fn broken_configs_are_refused_with_file_line_and_key() {
    let cases: &[(&str, usize, &str, &str)] = &[
        ("unknown-setting", 3, "colour", "unknown setting"),
        ("bad-split", 2, "split", "out of range"),
        ("bad-osc8", 1, "osc8", "true, false or \"auto\""),
        (
            "unknown-action",
            4,
            "[keys] jump_around",
            "unknown action \"jump_around\"",
        ),
        ("bad-key", 3, "[keys] quit", "unknown key \"Hyper-q\""),
        (
            "double-bind",
            4,
            "[keys] select_prev",
            "key \"j\" is bound to both",
        ),
        ("unknown-mode", 2, "[keys.sidebar]", "unknown mode"),
        (
            "shadow-global",
            2,
            "[keys.comments] zoom_in",
            "\"quit\" in [global]",
        ),
        // Issue 15 #17 and #19.
        (
            "quit-unbound",
            3,
            "[keys] quit",
            "quit needs at least one key",
        ),
        (
            "bad-reader",
            1,
            "reader",
            "reader name \"a b\" is not allowed",
        ),
    ];
    for (name, line, key, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixtures().join(format!("config/{name}.toml")),
            dir.path().join("config.toml"),
        )
        .unwrap();
        let env = Env::from_pairs([("THREADR_CONFIG_DIR", dir.path().to_str().unwrap())]);
        let e = Config::load(&env).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("config.toml"), "{name}: {text}");
        assert_eq!(e.line, Some(*line), "{name}: {text}");
        assert_eq!(e.key.as_deref(), Some(*key), "{name}: {text}");
        assert!(text.contains(message), "{name}: {text}");
    }
    let files = std::fs::read_dir(fixtures().join("config"))
        .unwrap()
        .count();
    assert_eq!(files, cases.len());
}

#[test]
fn command_line_overrides_the_file_which_overrides_defaults() {
    use clap::Parser;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "theme = \"gruvbox\"\nreader = \"ann\"\nsplit = 60\n\n[keys]\nquit = [\"Q\"]\n",
    )
    .unwrap();
    let env = Env::from_pairs([
        ("THREADR_CONFIG_DIR", dir.path().to_str().unwrap()),
        ("TERM", "xterm-256color"),
    ]);
    let mut config = Config::load(&env).unwrap();
    assert_eq!(config.theme, "gruvbox");
    assert_eq!(config.split, 60);
    assert_eq!(config.origins["theme"], Origin::File(1));
    assert_eq!(
        config
            .keymap
            .lookup(Mode::Comments, Key::parse("Q").unwrap()),
        Some(threadr::action::Action::Quit)
    );
    assert_eq!(
        config
            .keymap
            .lookup(Mode::Comments, Key::parse("q").unwrap()),
        None
    );
    let cli = threadr::cli::Cli::parse_from(["threadr", "--theme", "mono", "--mouse"]);
    config.apply_cli(&cli);
    assert_eq!(config.theme, "mono");
    assert_eq!(config.reader.as_deref(), Some("ann"));
    assert!(config.mouse);
    assert_eq!(config.origins["theme"], Origin::Cli("--theme"));
    let theme = config.load_theme(&env).unwrap();
    assert_eq!(
        (theme.name.as_str(), theme.depth),
        ("mono", ColorDepth::Ansi256)
    );

    // A bad theme chosen in the file names the theme and the config line that chose it.
    std::fs::write(dir.path().join("config.toml"), "\ntheme = \"nope\"\n").unwrap();
    let e = Config::load(&env).unwrap().load_theme(&env).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("no such theme"), "{text}");
    assert!(text.contains("config.toml, line 2"), "{text}");
}

fn threadr(config_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_threadr"));
    cmd.args(args)
        .env_clear()
        .env("THREADR_CONFIG_DIR", config_dir)
        .env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn themes_subcommand_lists_bundled_and_user_themes() {
    let dir = tempfile::tempdir().unwrap();
    let out = threadr(dir.path(), &["themes"], &[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for (name, _) in BUNDLED {
        assert!(
            text.lines()
                .any(|l| l.starts_with(name) && l.contains("bundled")),
            "{name} missing:\n{text}"
        );
    }
    assert!(
        text.contains("default          bundled  (in use)"),
        "{text}"
    );

    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(
        dir.path().join("themes/gruvbox.toml"),
        "inherits = \"gruvbox\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("themes/paper.toml"),
        "inherits = \"light\"\n",
    )
    .unwrap();
    let out = threadr(dir.path(), &["themes"], &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |n: &str| text.lines().find(|l| l.starts_with(n)).unwrap().to_string();
    assert!(line("gruvbox").contains("user: "), "{text}");
    assert!(
        line("gruvbox").contains("overrides the bundled one"),
        "{text}"
    );
    assert!(line("paper").contains("user: "), "{text}");
    assert!(!line("paper").contains("overrides"), "{text}");
    assert!(line("mono").contains("bundled"), "{text}");
    assert!(!text.contains("BROKEN"), "{text}");

    // Issue 15 #29: a user theme that would not load is marked, with why.
    std::fs::write(
        dir.path().join("themes/cracked.toml"),
        "[tree
broken",
    )
    .unwrap();
    let out = threadr(dir.path(), &["themes"], &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |n: &str| text.lines().find(|l| l.starts_with(n)).unwrap().to_string();
    assert!(line("cracked").contains("BROKEN: "), "{text}");
    assert!(!line("paper").contains("BROKEN"), "{text}");
}

#[test]
fn config_subcommand_prints_settings_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let out = threadr(dir.path(), &["config"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let file = dir.path().join("config.toml");
    assert!(
        text.contains(&format!(
            "# config file: {} (not found, defaults used)",
            file.display()
        )),
        "{text}"
    );
    assert!(text.contains("(from THREADR_CONFIG_DIR)"), "{text}");
    assert!(
        text.contains("user themes: ") && text.contains("(not found)"),
        "{text}"
    );
    assert!(text.contains("theme = \"default\"  # default"), "{text}");
    assert!(
        text.contains("colors = \"auto\"  # default; in use now: 256"),
        "{text}"
    );
    assert!(text.contains("[keys.comments]"), "{text}");
    assert!(text.contains("select_next = [\"j\", \"Down\"]"), "{text}");

    std::fs::write(
        &file,
        "split = 30\n[keys]\nselect_next = [\"n\", \"Down\"]\nsearch_next = [\"Ctrl-n\"]\n",
    )
    .unwrap();
    let out = threadr(dir.path(), &["config"], &[("NO_COLOR", "1")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("# config file: {} (read)", file.display())),
        "{text}"
    );
    assert!(text.contains("split = 30  # config file, line 1"), "{text}");
    assert!(text.contains("select_next = [\"n\", \"Down\"]"), "{text}");
    assert!(text.contains("in use now: none"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "escape codes in the output:\n{text}"
    );
}

#[test]
fn a_bad_theme_or_config_exits_non_zero_with_the_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::copy(
        fixtures().join("themes/bad-colour.toml"),
        dir.path().join("themes/bad-colour.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("config.toml"), "theme = \"bad-colour\"\n").unwrap();
    for args in [&["config"][..], &["some-thread.txt"][..]] {
        let out = threadr(dir.path(), args, &[]);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("bad-colour.toml, line 6, tree.author"),
            "{args:?}: {err}"
        );
        assert!(err.contains("unknown colour \"purpel\""), "{args:?}: {err}");
        assert!(err.contains("config.toml, line 1"), "{args:?}: {err}");
    }
    let out = threadr(dir.path(), &["--theme", "nonesuch", "some-thread.txt"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("theme \"nonesuch\": no such theme"), "{err}");
    assert!(err.contains("--theme"), "{err}");

    // Hostile text in a broken file never reaches the terminal raw.
    std::fs::write(
        dir.path().join("themes/evil.toml"),
        "inherits = \"default\"\n[tree]\n\"x\\u001b[2J\\u001b]0;pwned\\u0007\" = \"bold\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("config.toml"), "").unwrap();
    let out = threadr(dir.path(), &["--theme", "evil", "x.txt"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07),
        "{err:?}"
    );
    assert!(err.contains("evil.toml, line 3, tree.x"), "{err}");

    std::fs::write(
        dir.path().join("config.toml"),
        "[keys]\nquit = [\"Ctrl-Hyper\"]\n",
    )
    .unwrap();
    let out = threadr(dir.path(), &["themes"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("config.toml, line 2, [keys] quit"), "{err}");
}

fn readme_section(name: &str) -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find(&format!("<!-- section: {name} -->")).unwrap();
    let rest = &readme[start + 10..];
    let end = rest.find("<!-- section:").unwrap_or(rest.len());
    rest[..end].to_string()
}

fn first_toml_block(text: &str) -> String {
    let start = text.find("```toml\n").unwrap() + 8;
    let end = start + text[start..].find("```").unwrap();
    text[start..end].to_string()
}

#[test]
fn readme_documents_every_key_and_setting_and_its_examples_work() {
    let themes = readme_section("themes");
    for (key, _) in STYLE_KEYS.iter().chain([&DEPTH_KEY]) {
        assert!(
            themes.contains(&format!("| `{key}` |")),
            "README lacks {key}"
        );
    }
    let config = readme_section("config");
    for (setting, _) in threadr::config::SETTINGS {
        assert!(
            config.contains(&format!("| `{setting}` |")),
            "README lacks {setting}"
        );
    }
    // The example theme and config load as written.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(
        dir.path().join("themes/example.toml"),
        first_toml_block(&themes),
    )
    .unwrap();
    let theme = Theme::load("example", Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(theme.tree.depth.len(), 3);
    std::fs::write(dir.path().join("config.toml"), first_toml_block(&config)).unwrap();
    let env = Env::from_pairs([("THREADR_CONFIG_DIR", dir.path().to_str().unwrap())]);
    let config = Config::load(&env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.theme, "gruvbox");
    assert_eq!(
        config.keymap.lookup(Mode::List, Key::parse("h").unwrap()),
        Some(threadr::action::Action::Cancel)
    );
}
