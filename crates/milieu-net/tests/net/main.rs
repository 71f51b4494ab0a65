//! Integration tests of milieu-net (one test binary, one module per area).

mod bad_input;
mod common;
mod communities;
mod golden;
mod projection;
