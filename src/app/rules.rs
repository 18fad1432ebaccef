//! The config's `[[rules]]` applied to the open thread: which comments are hidden, folded,
//! dimmed or marked, and `!` to turn them off and on for this view.
//!
//! The first rule a comment meets decides what happens to it (so order matters: put
//! exceptions first). Verdicts are indexed like the arena and recomputed after a sort. No
//! IO; the rules come parsed from `crate::config`.

use std::sync::Arc;

use super::{App, Outcome, StatusKind};
use crate::action::Action;
use crate::config::{Rule, RuleAction};
use crate::keymap::Mode;
use crate::model::CommentIdx;

/// The rules and what they decided for this thread.
#[derive(Clone, Debug, Default)]
pub struct RuleView {
    pub(super) rules: Vec<Rule>,
    /// Whether they apply (`!` toggles).
    pub on: bool,
    /// The verdict per comment (`None`: no rule met), indexed like the arena.
    verdicts: Vec<Option<RuleAction>>,
    /// Comments the rules met.
    touched: usize,
}

impl RuleView {
    /// The action a rule took on `idx`, when the rules are on.
    #[must_use]
    pub fn verdict(&self, idx: CommentIdx) -> Option<RuleAction> {
        if !self.on {
            return None;
        }
        self.verdicts.get(idx.get()).copied().flatten()
    }

    /// How many comments the rules met.
    #[must_use]
    pub fn touched(&self) -> usize {
        self.touched
    }

    /// Whether any rule is configured.
    #[must_use]
    pub fn any(&self) -> bool {
        !self.rules.is_empty()
    }
}

impl App {
    /// Applies `rules` to the thread: hides, folds, dims and marks what they meet.
    pub fn set_rules(&mut self, rules: Vec<Rule>) {
        self.rules = RuleView {
            rules,
            on: true,
            ..RuleView::default()
        };
        self.judge();
        self.apply_rule_folds(true);
        self.apply_rule_hiding();
    }

    /// Recomputes the verdicts for the arena as it is now (after a sort).
    pub(super) fn judge(&mut self) {
        let view = &mut self.rules;
        if view.rules.is_empty() {
            return;
        }
        view.verdicts = self
            .thread
            .comments
            .iter()
            .map(|c| view.rules.iter().find(|r| r.matches(c)).map(|r| r.action))
            .collect();
        view.touched = view.verdicts.iter().filter(|v| v.is_some()).count();
    }

    /// Puts the rules' hiding on the tree (or takes it off when they are off).
    pub(super) fn apply_rule_hiding(&mut self) {
        if !self.rules.any() {
            return;
        }
        let own: Vec<bool> = if self.rules.on {
            self.rules
                .verdicts
                .iter()
                .map(|v| *v == Some(RuleAction::Hide))
                .collect()
        } else {
            Vec::new()
        };
        let thread = Arc::clone(&self.thread);
        self.tree.set_hidden(&thread, &own);
    }

    /// Folds (or unfolds) the comments a `fold` rule met.
    fn apply_rule_folds(&mut self, fold: bool) {
        let thread = Arc::clone(&self.thread);
        for i in thread.indices() {
            if self.rules.verdicts.get(i.get()).copied().flatten() == Some(RuleAction::Fold) {
                self.tree.set_folded(&thread, i, fold);
            }
        }
    }

    /// `!`: the rules off for this view, or on again.
    pub(super) fn toggle_rules(&mut self) -> Outcome {
        if !self.rules.any() {
            self.set_status(
                StatusKind::Info,
                "No rules: add [[rules]] to config.toml (see `threadr config`)",
            );
            return Outcome::changed(true);
        }
        self.rules.on = !self.rules.on;
        let on = self.rules.on;
        self.apply_rule_folds(on);
        self.apply_rule_hiding();
        let key = self.keymap.keys_for(Mode::Global, Action::ToggleRules);
        let text = if on {
            format!("Rules on: {} comments affected", self.rules.touched)
        } else {
            format!("Rules off for this view ({key} turns them back on)")
        };
        self.set_status(StatusKind::Info, text);
        Outcome::changed(true)
    }
}
