//! threadr: a terminal reader for long discussion threads.
//!
//! The modules, each owning one responsibility (see their headers):
//! `model` (the thread arena), `format` (files in), `export` (files out), `text` (sanitising
//! and wrapping), `store` (bookmarks and reading state on disk), `fetch` (threads by URL, saved
//! copies), `action` / `keymap` (intent
//! and keys), `app` (state and the event loop), `jobs` (background work), `ui` (drawing),
//! `theme`, `config`, `cli`, `manual` (completions and the man page), `process` (panic hook
//! and argument errors).
#![forbid(unsafe_code)]

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod driver;
pub mod export;
pub mod fetch;
pub mod format;
pub mod fuzzing;
pub mod jobs;
pub mod keymap;
pub mod manual;
pub mod model;
pub mod process;
pub mod search;
pub mod store;
pub mod synth;
pub mod synth_mail;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;
