//! Integration tests of milieu-schedule (one test binary).
#![allow(dead_code)]

mod agenda;
mod cases;
mod check;
mod common;
mod layering;
mod parse;
mod properties;
