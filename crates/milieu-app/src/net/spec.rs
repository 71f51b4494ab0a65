//! What graph to build: the mode (layer), node kind, projection weight, date window, viewer and
//! the whole [`GraphSpec`], with the parsing of their command-line spellings.

use super::usage;
use crate::AppError;
use crate::access::Principal;
use milieu_model::*;
use milieu_net::projection::ProjectionWeight;
use serde::Serialize;

/// What the graph is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Organisation-organisation ties.
    Ties,
    /// Co-attendance at events.
    Events,
    /// Co-participation in projects.
    Projects,
    /// Shared affiliations (organisations sharing people, or colleagues).
    Affiliations,
    /// Ties + events + projects on organisations, weights summed.
    All,
}

impl Mode {
    pub const NAMES: &'static [&'static str] =
        &["ties", "events", "projects", "affiliations", "all"];

    pub fn parse(text: &str) -> Result<Mode, AppError> {
        Ok(match text {
            "ties" => Mode::Ties,
            "events" => Mode::Events,
            "projects" => Mode::Projects,
            "affiliations" => Mode::Affiliations,
            "all" => Mode::All,
            _ => {
                return Err(usage(format!(
                    "--mode {text:?}: expected one of {}",
                    Mode::NAMES.join(", ")
                )));
            }
        })
    }
}

/// Who the nodes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    #[default]
    Organisations,
    People,
}

impl NodeKind {
    pub fn parse(text: &str) -> Result<NodeKind, AppError> {
        match text {
            "organisations" | "orgs" => Ok(NodeKind::Organisations),
            "people" => Ok(NodeKind::People),
            _ => Err(usage(format!(
                "--project-to {text:?}: expected organisations or people"
            ))),
        }
    }
}

/// Parses a projection weight name.
pub fn parse_projection_weight(text: &str) -> Result<ProjectionWeight, AppError> {
    match text {
        "count" => Ok(ProjectionWeight::Count),
        "newman" => Ok(ProjectionWeight::Newman),
        "plain" => Ok(ProjectionWeight::Plain),
        _ => Err(usage(format!(
            "--weight {text:?}: expected count, newman or plain"
        ))),
    }
}

/// A date or a period: `at` alone, or `from` and/or `to` (inclusive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub at: Option<Date>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Parses a `--at`/`--from`/`--to` date.
pub fn parse_date_arg(flag: &str, text: &str) -> Result<Date, AppError> {
    parse_date(text).ok_or_else(|| usage(format!("{flag} {text:?}: expected a date YYYY-MM-DD")))
}

impl Window {
    /// Checks the combination: `at` excludes `from`/`to`, and `from <= to`.
    pub fn new(at: Option<Date>, from: Option<Date>, to: Option<Date>) -> Result<Window, AppError> {
        if at.is_some() && (from.is_some() || to.is_some()) {
            return Err(usage("give either --at DATE or --from/--to, not both"));
        }
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(usage(format!("--from {f} is after --to {t}")));
        }
        Ok(Window { at, from, to })
    }

    pub fn at(date: Date) -> Window {
        Window {
            at: Some(date),
            ..Window::default()
        }
    }

    fn bounds(&self) -> (Option<Date>, Option<Date>) {
        match self.at {
            Some(d) => (Some(d), Some(d)),
            None => (self.from, self.to),
        }
    }

    /// A tie in force on `at`, or at some time inside the period (end is exclusive).
    pub fn tie(&self, t: &Tie) -> bool {
        if let Some(d) = self.at {
            return t.active_on(d);
        }
        self.from.is_none_or(|f| t.end.is_none_or(|e| e > f))
            && self.to.is_none_or(|x| t.start <= x)
    }

    /// A dated span (project, affiliation, membership; both ends inclusive, missing ends
    /// open) overlapping the window.
    pub fn span(&self, start: Option<Date>, end: Option<Date>) -> bool {
        let (lo, hi) = self.bounds();
        lo.is_none_or(|lo| end.is_none_or(|e| e >= lo))
            && hi.is_none_or(|hi| start.is_none_or(|s| s <= hi))
    }

    /// An event held on or before `at` (the co-attendance accumulated by then), or inside the
    /// period.
    pub fn event(&self, date: Date) -> bool {
        match self.at {
            Some(d) => date <= d,
            None => self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t),
        }
    }

    /// The date a person's current organisation is read at: `at`, else `to`.
    pub(super) fn reference(&self) -> Option<Date> {
        self.at.or(self.to)
    }
}

/// How to build a graph from the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphSpec {
    pub mode: Mode,
    pub nodes: NodeKind,
    pub window: Window,
    /// Only ties of these kinds (empty: all).
    pub tie_kinds: Vec<TieKind>,
    /// Only events of these kinds (empty: all).
    pub event_kinds: Vec<EventKind>,
    /// Only organisations of these kinds as nodes (empty: all).
    pub org_kinds: Vec<OrgKind>,
    /// Only ties with at least this strength (a tie without strength counts 1).
    pub min_strength: Option<u8>,
    /// Who asks: decides which ties are in the graph (the command line: the cluster team).
    pub viewer: Principal,
    /// Ties from -> to as arcs (ties mode only).
    pub directed: bool,
    /// Keep weights (tie strength, shared events); false makes every edge weigh 1.
    pub weighted: bool,
    pub projection_weight: ProjectionWeight,
    /// Skip events/projects with more members than this (None: no limit).
    pub max_size: Option<usize>,
    /// Keep every organisation (or person) of the registry, tied or not.
    pub keep_isolates: bool,
}

impl Default for GraphSpec {
    fn default() -> Self {
        GraphSpec {
            mode: Mode::Ties,
            nodes: NodeKind::Organisations,
            window: Window::default(),
            tie_kinds: Vec::new(),
            event_kinds: Vec::new(),
            org_kinds: Vec::new(),
            min_strength: None,
            viewer: Principal::cluster_team(),
            directed: false,
            weighted: true,
            projection_weight: ProjectionWeight::Count,
            max_size: Some(50),
            keep_isolates: false,
        }
    }
}
