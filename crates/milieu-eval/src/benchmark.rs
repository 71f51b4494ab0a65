//! The same KPIs for every initiative of the registry, side by side, normalised by members.

use crate::Error;
use crate::kpi::{KpiOptions, kpis, resolve_range};
use crate::period::Granularity;
use crate::scope::Scope;
use milieu_model::{Dataset, Date, InitiativeId};
use serde::Serialize;
use std::collections::BTreeMap;

/// KPIs describing the members' profile at the end of the range rather than a flow.
const SNAPSHOT: &[&str] = &["firms_exporting", "countries_served", "export_intensity"];

/// One KPI of one initiative over the whole range: counts summed over the years, shares as
/// summed numerators over summed denominators, profile KPIs from the last year.
/// `per_member` = value / members for counts (empty for shares).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkRow {
    pub initiative: InitiativeId,
    pub name: String,
    pub members: u64,
    pub kpi: &'static str,
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: Option<f64>,
    pub per_member: Option<f64>,
}

pub fn benchmark(
    data: &Dataset,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<BenchmarkRow>, Error> {
    let (from, to) = resolve_range(
        data,
        &KpiOptions {
            from,
            to,
            ..KpiOptions::default()
        },
    )?;
    let mut out = Vec::new();
    for ini in &data.initiatives {
        let scope = Scope::new(data, Some(&ini.id))?;
        let members = scope.member_count_during(from, to) as u64;
        let rows = kpis(
            data,
            &KpiOptions {
                initiative: Some(ini.id.clone()),
                from: Some(from),
                to: Some(to),
                by: Granularity::Year,
            },
        )?;
        let mut acc: BTreeMap<usize, (&'static str, f64, Option<f64>)> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.kpi != "members") {
            let key = crate::KPI_NAMES
                .iter()
                .position(|k| *k == r.kpi)
                .unwrap_or(0);
            let e = acc
                .entry(key)
                .or_insert((r.kpi, 0.0, r.denominator.map(|_| 0.0)));
            if SNAPSHOT.contains(&r.kpi) {
                *e = (r.kpi, r.numerator, r.denominator);
            } else {
                e.1 += r.numerator;
                e.2 = e.2.map(|d| d + r.denominator.unwrap_or(0.0));
            }
        }
        for (_, (kpi, num, den)) in acc {
            let value = match den {
                None => Some(num),
                Some(d) if d > 0.0 => Some(num / d),
                Some(_) => None,
            };
            out.push(BenchmarkRow {
                initiative: ini.id.clone(),
                name: ini.name.clone(),
                members,
                kpi,
                value,
                numerator: num,
                denominator: den,
                per_member: (den.is_none() && members > 0).then(|| num / members as f64),
            });
        }
    }
    Ok(out)
}
