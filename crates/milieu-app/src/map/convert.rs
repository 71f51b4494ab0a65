//! Conversions between the engine's types (Table, Definitions, Hierarchy) and the store's plain
//! records, so neither crate knows the other.

use super::{internal, map_error};
use crate::AppError;
use milieu_map::{Cluster, Definitions, Hierarchy, Table, TableBuilder, Totals};
use milieu_store::{
    ClusterMembership, CodeName, DefinitionSet, HierarchyEntry, RegionalRow, RegionalTable,
    RegionalTotal,
};
use std::collections::HashSet;

fn opt(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// The engine's table as the store keeps it.
pub fn table_to_stored(
    t: &Table,
    name: &str,
    source: &str,
    vintage: Option<&str>,
) -> RegionalTable {
    let codes = |int: &milieu_map::Interner| {
        (0..int.len() as u32)
            .map(|i| CodeName {
                code: int.code(i).to_string(),
                name: int.name(i).to_string(),
            })
            .collect()
    };
    let rows = (0..t.len())
        .map(|i| {
            let r = t.row(i);
            RegionalRow {
                year: r.year,
                region: r.region,
                industry: r.industry,
                employment: r.employment,
                establishments: opt(r.establishments),
                payroll: opt(r.payroll),
            }
        })
        .collect();
    let totals = t
        .total_records()
        .into_iter()
        .filter_map(|(year, code, tot)| {
            Some(RegionalTotal {
                year,
                region: t.regions().get(code)?,
                employment: tot.employment,
                establishments: opt(tot.establishments),
                payroll: opt(tot.payroll),
            })
        })
        .collect();
    RegionalTable {
        name: name.to_string(),
        source: source.to_string(),
        vintage: vintage.map(str::to_string),
        regions: codes(t.regions()),
        industries: codes(t.industries()),
        rows,
        totals,
    }
}

/// The stored table as the engine's table.
pub fn table_from_stored(s: &RegionalTable) -> Result<Table, AppError> {
    let mut b = TableBuilder::default();
    let regions: Vec<u32> = s
        .regions
        .iter()
        .map(|c| b.region_id(&c.code, Some(&c.name)))
        .collect();
    let industries: Vec<u32> = s
        .industries
        .iter()
        .map(|c| b.industry_id(&c.code, Some(&c.name)))
        .collect();
    let region = |id: u32| {
        regions.get(id as usize).copied().ok_or_else(|| {
            internal(format!(
                "stored table `{}`: region id {id} has no code",
                s.name
            ))
        })
    };
    for r in &s.rows {
        let industry = industries
            .get(r.industry as usize)
            .copied()
            .ok_or_else(|| {
                internal(format!(
                    "stored table `{}`: industry id {} has no code",
                    s.name, r.industry
                ))
            })?;
        b.push(
            r.year,
            region(r.region)?,
            industry,
            r.employment,
            r.establishments.unwrap_or(f64::NAN),
            r.payroll.unwrap_or(f64::NAN),
        );
    }
    for t in &s.totals {
        b.add_total(
            t.year,
            region(t.region)?,
            Totals {
                employment: t.employment,
                establishments: t.establishments.unwrap_or(f64::NAN),
                payroll: t.payroll.unwrap_or(f64::NAN),
            },
        );
    }
    b.build().map_err(map_error)
}

/// A definition set as the store keeps it: every membership, an industry's primary cluster
/// first (overlapping sets list an industry in several clusters).
pub fn definitions_to_stored(
    d: &Definitions,
    format: &str,
    vintage: Option<&str>,
    source: &str,
) -> DefinitionSet {
    let rows = d.rows();
    let primary = |r: &milieu_map::DefinitionRow| {
        d.cluster_of(&r.industry)
            .is_some_and(|c| c.code == r.cluster_code)
    };
    let (first, rest): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| primary(r));
    DefinitionSet {
        name: d.name.clone(),
        format: format.to_string(),
        vintage: vintage.map(str::to_string),
        source: source.to_string(),
        memberships: first
            .into_iter()
            .chain(rest)
            .map(|r| ClusterMembership {
                industry: r.industry,
                cluster_code: r.cluster_code,
                cluster_name: r.cluster_name,
                traded: r.traded,
                subcluster: r.subcluster,
            })
            .collect(),
    }
}

/// The stored definition set as the engine's.
pub fn definitions_from_stored(s: &DefinitionSet) -> Definitions {
    let mut d = Definitions::new(&s.name);
    let mut seen = HashSet::new();
    for m in &s.memberships {
        let cluster = Cluster {
            code: m.cluster_code.clone(),
            name: m.cluster_name.clone(),
            traded: m.traded,
        };
        if seen.insert(m.industry.clone()) {
            // First membership of the industry: cannot conflict.
            let _ = d.insert(&m.industry, cluster, m.subcluster.as_deref());
        } else {
            d.insert_overlapping(&m.industry, cluster);
        }
    }
    d
}

pub(super) fn hierarchy_from_stored(entries: &[HierarchyEntry]) -> Hierarchy {
    let mut h = Hierarchy::default();
    for e in entries {
        h.insert(&e.level, &e.region, &e.parent, &e.parent_name);
    }
    h
}
