//! # milieu-schedule: 1:1 meeting scheduling for brokerage events
//!
//! Participants of a brokerage event request meetings with each other; the organiser must fit
//! the accepted requests into time slots and tables so that nobody is in two meetings at once,
//! both sides are available, nobody exceeds their `max_meetings`, no slot holds more meetings than
//! tables, a pair meets at most once and fixed meetings stay where they are. The objective is
//! lexicographic: scheduled `must` meetings, then the sum of priorities, then fairness (raise the
//! lowest meeting count among participants who asked for meetings), then fewer idle gaps.
//!
//! ## Design
//! - **Model.** The problem is a b-matching (each person at most `max_meetings` meetings) plus a
//!   list edge colouring (each meeting gets a slot from the two sides' common availability, no
//!   person twice in a slot) with a capacity per colour (tables). Tables themselves are
//!   interchangeable, so the search works on slots only and tables are numbered afterwards
//!   (keeping people at the same table between consecutive meetings where possible). The two
//!   directions of a pair are one possible meeting (weight = the higher priority, must if either
//!   is). Slot sets are 128-bit masks in time order, so availability, busy slots and idle gaps
//!   are a few bit operations.
//! - **Search** ([`solve`]). A greedy construction (musts, then priority, scarce pairs first,
//!   each meeting in the slot its participants' other requests need least) followed by
//!   simulated annealing over ejection-chain moves: insert an unscheduled request in a slot,
//!   taking out what stands in the way (the two people's meetings in that slot, a meeting of a
//!   person at their maximum, a meeting of a full slot) and moving those elsewhere if they fit,
//!   one level deep recursively, then giving the other side of every dropped meeting its best
//!   request that now fits (an augmenting-path step, as in b-matching); and shift moves of a
//!   scheduled meeting to another slot. The
//!   value is `musts * big + priority` with `big` larger than any priority sum, so a must is
//!   never traded for priorities. Then priority-neutral moves raise the fairness minimum and
//!   slot moves/swaps remove idle gaps. Single-threaded and seeded (ChaCha8): with a work limit
//!   the result depends only on the seed; with a time limit only on how far the search got.
//! - **Bound** (see `bound.rs`). A max-weight-flow relaxation on the bipartite double cover of
//!   the request graph with slot nodes, plus Lagrangian prices on per-slot tables; every
//!   schedule maps to a flow of the same weight, so the flow value bounds the priority sum. On
//!   the benchmark events it equals the LP relaxation of the full time-indexed model. The gap
//!   to it is reported.
//! - **Explanations.** Every unscheduled request gets a reason that holds in the returned
//!   schedule (no common slot, a side at its maximum, both sides busy in every common slot,
//!   tables full in the common free slots); unscheduled musts come with a proof of conflict
//!   when one exists (a participant's limit, or Hall's condition on its slots) and otherwise
//!   with the must meetings that block them.
//! - **Checker** ([`check()`]) verifies every rule independently of the solver and lists every
//!   violation; it is what property tests and the benchmark run on every schedule.
//!
//! No IO: parsers read from any [`std::io::Read`] and take the file name for messages.

pub mod agenda;
mod bound;
pub mod check;
pub mod error;
mod instance;
pub mod model;
pub mod schedule;
mod search;
mod solve;
mod state;

pub use agenda::{AgendaOptions, agendas};
pub use check::{CheckOptions, Violation, check};
pub use error::{Error, InputProblem};
pub use model::{EventInput, Problem, parse_problem};
pub use schedule::{
    MeetingRow, MustConflict, Schedule, ScheduleInput, Stats, UnscheduledRow, parse_schedule,
};
pub use solve::{SolveOptions, solve};
