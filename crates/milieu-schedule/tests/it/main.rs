//! Integration tests of milieu-schedule (one test binary).
#![allow(dead_code)]

mod cases;
mod check;
mod common;
mod parse;
mod properties;
