//! A small synthetic regional table for demo databases.

use super::DEFAULT_TABLE;
use crate::AppError;
use milieu_store::{ClusterMembership, CodeName, DefinitionSet, RegionalRow, RegionalTable, Store};

/// Name of the definition set [`write_demo_map`] stores.
pub const DEMO_DEFINITIONS: &str = "demo";

/// Writes a small synthetic regional employment table (the default table `main`: the demo
/// region's four sub-regions `LM-N`, `LM-S`, `LM-E`, `LM-W` and four comparison regions, 16
/// industries of the demo's value chains in four traded clusters and one local, years 2019
/// and 2023) and its cluster definition set (`demo`) into the store, replacing earlier ones of
/// those names, so that a demo database has something for `milieu map ...` and the web's
/// mapping pages (the demo organisations' regions and NAICS codes match, so organised actors
/// are counted). Deterministic (no clock, no randomness): each region is specialised in one or
/// two clusters, and some of them grow.
pub async fn write_demo_map(store: &impl Store) -> Result<(), AppError> {
    let regions = [
        ("LM-N", "Lindenmark-Nord"),
        ("LM-S", "Lindenmark-Süd"),
        ("LM-E", "Lindenmark-Ost"),
        ("LM-W", "Lindenmark-West"),
        ("XR-A", "Comparison region A"),
        ("XR-B", "Comparison region B"),
        ("XR-C", "Comparison region C"),
        ("XR-D", "Comparison region D"),
    ];
    // (industry code, name, cluster index); cluster 4 is local.
    let industries = [
        ("339112", "Surgical and medical instruments", 0),
        ("339113", "Surgical appliances and supplies", 0),
        ("334510", "Electromedical apparatus", 0),
        ("511210", "Software publishers", 1),
        ("518210", "Data processing and hosting", 1),
        ("541511", "Custom computer programming", 1),
        ("311421", "Fruit and vegetable canning", 2),
        ("311812", "Commercial bakeries", 2),
        ("312120", "Breweries", 2),
        ("336390", "Other motor vehicle parts", 3),
        ("336111", "Automobile manufacturing", 3),
        ("325211", "Plastics material and resin", 3),
        ("722511", "Full-service restaurants", 4),
        ("721110", "Hotels and motels", 4),
        ("445110", "Supermarkets", 4),
        ("541110", "Offices of lawyers", 4),
    ];
    let clusters = [
        ("medical_technology", "Medical technology", true),
        ("ict_software", "ICT and software", true),
        ("food_processing", "Food processing", true),
        (
            "automotive_materials",
            "Automotive and advanced materials",
            true,
        ),
        ("local_services", "Local services and hospitality", false),
    ];
    // Specialisations: region index -> (cluster, factor).
    let special: [&[(usize, f64)]; 8] = [
        &[(0, 4.0), (1, 1.5)],
        &[(2, 3.0)],
        &[(3, 3.5)],
        &[(1, 4.0)],
        &[(3, 2.0), (2, 1.5)],
        &[(0, 2.5)],
        &[(2, 1.8)],
        &[(1, 1.2), (0, 1.2)],
    ];
    let growth = [1.25, 1.02, 1.10, 1.35, 0.95, 1.15, 1.05, 1.08];
    let mut rows = Vec::new();
    for (year_index, year) in [2019u16, 2023].into_iter().enumerate() {
        for (r, _) in regions.iter().enumerate() {
            let size = 1.0 + (r as f64 * 0.37) % 1.3;
            for (i, (_, _, c)) in industries.iter().enumerate() {
                let base = 400.0 + ((i * 7 + r * 13) % 11) as f64 * 60.0;
                let factor = special[r]
                    .iter()
                    .find(|(sc, _)| sc == c)
                    .map_or(1.0, |(_, f)| *f);
                let g = if year_index == 1 && factor > 1.0 {
                    growth[r]
                } else if year_index == 1 {
                    1.03
                } else {
                    1.0
                };
                let local = if *c == 4 { 6.0 } else { 1.0 };
                let employment = (base * size * factor * g * local).round();
                rows.push(RegionalRow {
                    year,
                    region: r as u32,
                    industry: i as u32,
                    employment,
                    establishments: Some((employment / 25.0).ceil()),
                    payroll: None,
                });
            }
        }
    }
    let code_name = |(code, name): (&str, &str)| CodeName {
        code: code.to_string(),
        name: name.to_string(),
    };
    store
        .map_table_put(&RegionalTable {
            name: DEFAULT_TABLE.to_string(),
            source: "milieu demo (synthetic)".to_string(),
            vintage: None,
            regions: regions.iter().map(|r| code_name(*r)).collect(),
            industries: industries
                .iter()
                .map(|(code, name, _)| code_name((code, name)))
                .collect(),
            rows,
            totals: Vec::new(),
        })
        .await?;
    store
        .map_definitions_put(&DefinitionSet {
            name: DEMO_DEFINITIONS.to_string(),
            format: "generic".to_string(),
            vintage: None,
            source: "milieu demo (synthetic)".to_string(),
            memberships: industries
                .iter()
                .map(|(code, _, c)| ClusterMembership {
                    industry: code.to_string(),
                    cluster_code: clusters[*c].0.to_string(),
                    cluster_name: clusters[*c].1.to_string(),
                    traded: Some(clusters[*c].2),
                    subcluster: None,
                })
                .collect(),
        })
        .await?;
    Ok(())
}
