//! Integration tests of milieu-net (one test binary, one module per area).

mod bad_input;
mod brokerage;
mod common;
mod communities;
mod golden;
mod projection;
mod structure;
mod tidy;
