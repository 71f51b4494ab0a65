//! Integration tests of milieu-map: published figures (CMP, REAT), hand-worked cases,
//! properties, and bad input. Tests needing ../shared/data skip with a message when absent.
//!
//! One test binary, one module per area.

/// The shared data folder, or return from the test with a message when it is absent.
macro_rules! need_data {
    () => {
        match $crate::common::shared_data() {
            Some(p) => p,
            None => {
                println!("skipped: shared data folder not found (set MILIEU_SHARED_DATA)");
                return;
            }
        }
    };
}

mod common;
mod discovery;
mod measures;
mod parsers;
mod properties;
mod published;
mod tidy;
