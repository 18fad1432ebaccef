//! threadr: a terminal reader for long discussion threads.
//!
//! The modules, each owning one responsibility (see their headers):
//! `model` (the thread arena), `format` (files in), `export` (files out), `text` (sanitising
//! and wrapping), `store` (bookmarks and reading state on disk), `fetch` (threads by URL, saved copies), `action` / `keymap` (intent
//! and keys), `app` (state and the event loop), `ui` (drawing), `theme`, `config`, `cli`.
#![forbid(unsafe_code)]

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod fetch;
pub mod format;
pub mod keymap;
pub mod model;
pub mod search;
pub mod store;
pub mod synth;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;
