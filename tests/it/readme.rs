//! The README stays true: it names every action with its default keys, and the two commands.

use threadr::action::Action;
use threadr::keymap::Keymap;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn readme_shows_the_two_commands() {
    let text = readme();
    assert!(text.contains("cargo run --release"));
    assert!(text.contains("cargo test"));
}

#[test]
fn readme_lists_every_action_with_its_default_keys() {
    let text = readme();
    let keymap = Keymap::default_keys();
    for (mode, action, keys) in keymap.entries() {
        if let Action::ShowDepth(_) = action {
            assert!(text.contains("`show_depth_1` … `show_depth_9`"));
            continue;
        }
        let row = text
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("| `{}` |", action.name())))
            .unwrap_or_else(|| panic!("README has no row for {} ({mode:?})", action.name()));
        for key in keys {
            let shown = format!("`{key}`");
            let in_some_row = text
                .lines()
                .filter(|l| l.contains(&format!("| `{}` |", action.name())))
                .any(|l| l.contains(&shown));
            assert!(
                in_some_row,
                "README row for {} lacks {shown}: {row}",
                action.name()
            );
        }
    }
}
