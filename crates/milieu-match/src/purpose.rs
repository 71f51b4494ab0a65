//! What a partner is sought for, and how much each part of the score counts for it.

use crate::error::MatchError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an organisation looks for partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Sales leads and customers: organisations that request what this one offers.
    Leads,
    /// Suppliers: organisations that offer what this one requests.
    Suppliers,
    /// Alliance partners with complementary skills, to bid together for larger contracts.
    Alliance,
    /// R&D partners: shared topics, research organisations, reachable through the network.
    Rnd,
    /// International partners: abroad, in markets not yet served.
    International,
    /// Peers who understand the day-to-day problems: same sector, similar size, local.
    Peers,
}

impl Purpose {
    pub const ALL: [Purpose; 6] = [
        Purpose::Leads,
        Purpose::Suppliers,
        Purpose::Alliance,
        Purpose::Rnd,
        Purpose::International,
        Purpose::Peers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Leads => "leads",
            Purpose::Suppliers => "suppliers",
            Purpose::Alliance => "alliance",
            Purpose::Rnd => "rnd",
            Purpose::International => "international",
            Purpose::Peers => "peers",
        }
    }

    /// Parses a purpose (`customers` is accepted for `leads`, `r&d` for `rnd`).
    pub fn parse(text: &str) -> Result<Self, MatchError> {
        let t = text.trim().to_ascii_lowercase();
        let alias = match t.as_str() {
            "customers" | "lead" => "leads",
            "supplier" => "suppliers",
            "alliances" => "alliance",
            "r&d" | "research" => "rnd",
            "peer" => "peers",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == alias)
            .ok_or_else(|| MatchError::UnknownPurpose {
                value: text.to_string(),
                expected: Self::ALL.iter().map(|p| p.as_str()).collect(),
            })
    }

    /// Where the partner should be.
    pub fn geography(self) -> GeoPreference {
        match self {
            Purpose::Suppliers | Purpose::Peers | Purpose::Alliance | Purpose::Leads => {
                GeoPreference::Local
            }
            Purpose::International => GeoPreference::External,
            Purpose::Rnd => GeoPreference::Any,
        }
    }

    /// Default weights of the score parts for this purpose (see docs/matching.md for why).
    pub fn weights(self) -> Weights {
        let a = match self {
            //                   offer demand sector topic bridge reach geo  size kind activity
            Purpose::Leads => [0.5, 3.0, 1.0, 0.5, 1.0, 1.0, 0.5, 0.5, 0.5, 0.2],
            Purpose::Suppliers => [3.0, 0.5, 1.0, 0.5, 0.5, 1.0, 1.0, 0.5, 0.5, 0.2],
            Purpose::Alliance => [2.0, 2.0, 1.5, 1.0, 1.0, 1.0, 0.5, 1.0, 0.5, 0.2],
            Purpose::Rnd => [1.5, 1.0, 0.5, 2.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.5],
            Purpose::International => [1.5, 1.5, 1.0, 1.0, 1.5, 1.0, 2.0, 0.0, 0.5, 0.2],
            Purpose::Peers => [0.5, 0.5, 2.0, 1.0, 0.3, 1.0, 1.5, 1.0, 0.5, 0.1],
        };
        Weights::from_array(a)
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Purpose {
    type Err = MatchError;
    fn from_str(s: &str) -> Result<Self, MatchError> {
        Purpose::parse(s)
    }
}

/// Whether a purpose wants a partner nearby, abroad, or does not mind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoPreference {
    Local,
    External,
    Any,
}

/// Number of score parts.
pub const N_PARTS: usize = 10;

/// The score parts, in column order.
pub const PART_NAMES: [&str; N_PARTS] = [
    "offer_fit",
    "demand_fit",
    "sector",
    "topic",
    "bridge",
    "reachability",
    "geography",
    "size",
    "kind",
    "activity",
];

macro_rules! parts_struct {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            /// The candidate's offers answer this organisation's requests (BM25 fit).
            pub offer_fit: f64,
            /// The candidate requests what this organisation offers (BM25 fit).
            pub demand_fit: f64,
            /// Sector similarity (peers) or complementarity/relatedness (other purposes).
            pub sector: f64,
            /// Similarity of the topics of projects, events and topic requests.
            pub topic: f64,
            /// Network value: the candidate opens a group this organisation has no tie to.
            pub bridge: f64,
            /// Mutual contacts for a warm introduction (Adamic-Adar based).
            pub reachability: f64,
            /// Local or external, as the purpose asks.
            pub geography: f64,
            /// Size and stage fit.
            pub size: f64,
            /// Organisation kind fit (purpose prior and how often such kinds tie here).
            pub kind: f64,
            /// How active the candidate is in the network (log degree).
            pub activity: f64,
        }

        impl $name {
            pub fn to_array(&self) -> [f64; N_PARTS] {
                [
                    self.offer_fit,
                    self.demand_fit,
                    self.sector,
                    self.topic,
                    self.bridge,
                    self.reachability,
                    self.geography,
                    self.size,
                    self.kind,
                    self.activity,
                ]
            }

            pub fn from_array(a: [f64; N_PARTS]) -> Self {
                Self {
                    offer_fit: a[0],
                    demand_fit: a[1],
                    sector: a[2],
                    topic: a[3],
                    bridge: a[4],
                    reachability: a[5],
                    geography: a[6],
                    size: a[7],
                    kind: a[8],
                    activity: a[9],
                }
            }
        }
    };
}

parts_struct!(
    /// Weights of the score parts. The score is the weighted mean of the part values, so
    /// weights are relative; [`Purpose::weights`] gives the documented defaults and
    /// [`crate::calibrate`] fits them on the registry's own history.
    Weights
);

parts_struct!(
    /// Values of the score parts for one pair, each in [0, 1].
    Parts
);

impl Weights {
    /// Parses `name=value,name=value` (unnamed parts keep `base`'s weight).
    pub fn parse_overrides(text: &str, base: Weights) -> Result<Weights, MatchError> {
        let mut a = base.to_array();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item.split_once('=').ok_or_else(|| MatchError::BadOption {
                option: "weights",
                message: format!("{item:?} is not name=value"),
            })?;
            let i = PART_NAMES
                .iter()
                .position(|p| *p == name.trim())
                .ok_or_else(|| MatchError::BadOption {
                    option: "weights",
                    message: format!(
                        "unknown part {:?}; expected one of: {}",
                        name.trim(),
                        PART_NAMES.join(", ")
                    ),
                })?;
            a[i] = value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| MatchError::BadOption {
                    option: "weights",
                    message: format!("{value:?} is not a non-negative number"),
                })?;
        }
        Ok(Weights::from_array(a))
    }

    pub fn total(&self) -> f64 {
        self.to_array().iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use milieu_model::ErrorCode;

    #[test]
    fn purposes_parse_and_reject() {
        assert_eq!(Purpose::parse("R&D").unwrap(), Purpose::Rnd);
        assert_eq!(Purpose::parse("customers").unwrap(), Purpose::Leads);
        let err = Purpose::parse("friends").unwrap_err();
        assert_eq!(err.code(), "match.unknown_purpose");
        assert!(err.to_string().contains("leads, suppliers, alliance"));
    }

    #[test]
    fn weight_overrides() {
        let w = Weights::parse_overrides("topic=3, bridge=0", Purpose::Rnd.weights()).unwrap();
        assert_eq!(w.topic, 3.0);
        assert_eq!(w.bridge, 0.0);
        assert_eq!(w.offer_fit, Purpose::Rnd.weights().offer_fit);
        assert!(Weights::parse_overrides("fame=1", w).is_err());
        assert!(Weights::parse_overrides("topic=-1", w).is_err());
    }
}
