//! A synthetic but realistic cluster region for milieu's `milieu demo` command: one pure,
//! deterministic function, [`generate`], that returns a [`milieu_model::Dataset`].
//!
//! Design choices:
//! - **Deterministic per seed.** One ChaCha8 stream seeded from [`DemoOptions::seed`] drives
//!   every draw, in a fixed order; no hash-map iteration order, no clock. The five simulated
//!   years end at a fixed reference date ([`DemoOptions::end`], 2025-12-31 by default), so the
//!   same options give a byte-identical dataset on every run and machine.
//! - **Structure first, then what happens.** Organisations are placed along five value chains
//!   (medical technology, ICT, food processing, automotive and materials, tourism) whose
//!   segments carry real NAICS 2017 and NACE Rev. 2 codes and trade named goods with each
//!   other; people, supplier ties, initiatives and memberships follow; then five years of
//!   events run in date order, so a pair that meets again strengthens its tie; projects,
//!   introductions, outcomes and opportunities come last.
//! - **Linear in size.** Nothing loops over all pairs of organisations: partners are drawn
//!   from communities (chain x sub-region), from the sellers of a good, or from the people
//!   present at one event. `--orgs 10000` takes well under a second in a release build.
//! - **Valid by construction.** Every record passes `milieu_model::Validate` and every
//!   reference resolves inside the dataset; the tests check both for several seeds and sizes.
//!
//! How each structure is generated (distributions and parameters) is told in `docs/demo.md`.

mod events;
mod network;
mod orgs;
mod people;
mod projects;
mod state;
mod world;

pub use orgs::MIN_ORGS;

use milieu_model::{Dataset, Date};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of the random stream: the same seed gives the same dataset.
    pub seed: u64,
    /// Number of organisations, including those outside the region (at least [`MIN_ORGS`]).
    pub orgs: usize,
    /// Last day of the simulated period (the "today" of the demo region).
    pub end: Date,
    /// Length of the simulated period in years, ending at `end`.
    pub years: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            seed: 42,
            orgs: 300,
            end: Date::from_ymd_opt(2025, 12, 31).expect("valid date"),
            years: 5,
        }
    }
}

impl DemoOptions {
    /// Default options with this seed and number of organisations.
    pub fn new(seed: u64, orgs: usize) -> Self {
        Self {
            seed,
            orgs,
            ..Self::default()
        }
    }
}

/// Builds the demo region. Pure and deterministic: same options, same dataset.
///
/// ```
/// use milieu_demo::{generate, DemoOptions};
/// let ds = generate(&DemoOptions::new(7, 120));
/// assert_eq!(ds.organisations.len(), 120);
/// assert_eq!(ds, generate(&DemoOptions::new(7, 120)));
/// ```
///
/// Records reference each other only within the dataset, but not always backwards in list
/// order: an organisation's `acquired_by` may be a later organisation, and ties point to
/// introductions, which the [`Dataset`] lists after ties. A store should insert the entity
/// kinds in dependency order and organisations in two passes (or defer its foreign keys).
pub fn generate(opts: &DemoOptions) -> Dataset {
    let mut g = state::Gen::new(opts);
    g.organisations();
    g.people();
    g.describe();
    g.supply_ties();
    g.export_ties();
    g.clusters();
    g.initiatives();
    g.events();
    g.projects();
    g.introductions();
    g.opportunities();
    g.fade_ties();
    g.ds
}
