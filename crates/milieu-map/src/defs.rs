//! Cluster definitions: a partition of industry codes into clusters, each traded or local,
//! optionally with subclusters. Several sets can coexist (the official CMP set, a region's
//! custom set); each carries a name used in messages.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::parse::{column, read_small_csv};
use crate::table::Table;

/// One cluster of a definition set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub code: String,
    pub name: String,
    /// Traded (true) or local (false); None when the set does not say (custom sets).
    pub traded: Option<bool>,
}

/// A definition set: industry code -> cluster.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    pub name: String,
    pub clusters: Vec<Cluster>,
    cluster_index: HashMap<String, usize>,
    industry_cluster: HashMap<String, usize>,
    /// Further clusters of an industry, in overlapping (custom regional) sets only.
    also_in: HashMap<String, Vec<usize>>,
    subcluster: HashMap<String, String>,
}

/// One membership line, for listing a set (`industry,cluster_code,cluster_name,traded,subcluster`).
#[derive(Debug, Clone, Serialize)]
pub struct DefinitionRow {
    pub industry: String,
    pub cluster_code: String,
    pub cluster_name: String,
    pub traded: Option<bool>,
    pub subcluster: Option<String>,
}

impl Definitions {
    pub fn new(name: &str) -> Definitions {
        Definitions {
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Add an industry to a cluster (creating the cluster). An industry already in another
    /// cluster is an error: definitions must partition industries.
    pub fn insert(
        &mut self,
        industry: &str,
        cluster: Cluster,
        subcluster: Option<&str>,
    ) -> std::result::Result<(), String> {
        let idx = match self.cluster_index.get(&cluster.code) {
            Some(&i) => i,
            None => {
                self.clusters.push(cluster.clone());
                self.cluster_index
                    .insert(cluster.code.clone(), self.clusters.len() - 1);
                self.clusters.len() - 1
            }
        };
        if let Some(&prev) = self.industry_cluster.get(industry)
            && prev != idx
        {
            return Err(format!(
                "industry `{industry}` is already in cluster `{}`",
                self.clusters[prev].code
            ));
        }
        self.industry_cluster.insert(industry.to_string(), idx);
        if let Some(s) = subcluster.filter(|s| !s.is_empty()) {
            self.subcluster.insert(industry.to_string(), s.to_string());
        }
        Ok(())
    }

    /// Add an industry to a further cluster, for sets whose clusters overlap (regional
    /// custom definitions such as the Colorado systems). Cluster-level sums then count the
    /// industry in each of its clusters.
    pub fn insert_overlapping(&mut self, industry: &str, cluster: Cluster) {
        let idx = match self.cluster_index.get(&cluster.code) {
            Some(&i) => i,
            None => {
                self.clusters.push(cluster.clone());
                self.cluster_index
                    .insert(cluster.code.clone(), self.clusters.len() - 1);
                self.clusters.len() - 1
            }
        };
        match self.industry_cluster.get(industry) {
            None => {
                self.industry_cluster.insert(industry.to_string(), idx);
            }
            Some(&first) if first != idx => {
                let v = self.also_in.entry(industry.to_string()).or_default();
                if !v.contains(&idx) {
                    v.push(idx);
                }
            }
            Some(_) => {}
        }
    }

    /// True when some industry belongs to more than one cluster.
    pub fn overlapping(&self) -> bool {
        !self.also_in.is_empty()
    }

    /// All clusters of an industry (one for partitioning sets).
    pub fn clusters_of(&self, industry: &str) -> Vec<&Cluster> {
        let mut v: Vec<&Cluster> = self.cluster_of(industry).into_iter().collect();
        if let Some(more) = self.also_in.get(industry) {
            v.extend(more.iter().map(|&i| &self.clusters[i]));
        }
        v
    }

    /// Cluster of an industry code (the first one listed, for overlapping sets).
    pub fn cluster_of(&self, industry: &str) -> Option<&Cluster> {
        self.industry_cluster
            .get(industry)
            .map(|&i| &self.clusters[i])
    }
    pub fn cluster(&self, code: &str) -> Option<&Cluster> {
        self.cluster_index.get(code).map(|&i| &self.clusters[i])
    }
    pub fn subcluster_of(&self, industry: &str) -> Option<&str> {
        self.subcluster.get(industry).map(|s| s.as_str())
    }
    pub fn industry_count(&self) -> usize {
        self.industry_cluster.len()
    }
    /// Membership lines sorted by cluster then industry.
    pub fn rows(&self) -> Vec<DefinitionRow> {
        let mut v: Vec<DefinitionRow> = self
            .industry_cluster
            .iter()
            .map(|(ind, &c)| DefinitionRow {
                industry: ind.clone(),
                cluster_code: self.clusters[c].code.clone(),
                cluster_name: self.clusters[c].name.clone(),
                traded: self.clusters[c].traded,
                subcluster: self.subcluster.get(ind).cloned(),
            })
            .collect();
        for (ind, more) in &self.also_in {
            for &c in more {
                v.push(DefinitionRow {
                    industry: ind.clone(),
                    cluster_code: self.clusters[c].code.clone(),
                    cluster_name: self.clusters[c].name.clone(),
                    traded: self.clusters[c].traded,
                    subcluster: None,
                });
            }
        }
        v.sort_by(|a, b| {
            (a.cluster_code.as_str(), a.industry.as_str())
                .cmp(&(b.cluster_code.as_str(), b.industry.as_str()))
        });
        v
    }

    /// Industry codes of `table` unknown to this set (sorted).
    pub fn unknown_industries(&self, table: &Table) -> Vec<String> {
        let mut v: Vec<String> = table
            .industries()
            .codes()
            .iter()
            .filter(|c| !self.industry_cluster.contains_key(&***c))
            .map(|c| c.to_string())
            .collect();
        v.sort();
        v
    }

    /// Error listing the table's industries unknown to this set, if any.
    pub fn check_table(&self, table: &Table) -> Result<()> {
        let codes = self.unknown_industries(table);
        if codes.is_empty() {
            Ok(())
        } else {
            Err(Error::UnknownIndustries {
                definitions: self.name.clone(),
                codes,
            })
        }
    }

    /// Sum the table's industries into clusters (industry ids become cluster codes).
    /// Every industry must be known (see [`Definitions::check_table`]).
    pub fn aggregate(&self, table: &Table) -> Result<Table> {
        self.check_table(table)?;
        table.remap_industries(|code| {
            self.clusters_of(code)
                .into_iter()
                .map(|c| (c.code.clone(), c.name.clone(), 1.0))
                .collect()
        })
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" | "y" | "traded" => Some(true),
        "false" | "f" | "0" | "no" | "n" | "local" => Some(false),
        _ => None,
    }
}

/// Read the generic format `industry,cluster_code,cluster_name,traded[,subcluster]`.
/// `traded` accepts true/false, 1/0, yes/no, traded/local.
pub fn read_definitions<R: Read>(reader: R, source: &str, name: &str) -> Result<Definitions> {
    let (header, rows) = read_small_csv(reader, source)?;
    let ci = column(&header, source, &["industry"])?;
    let cc = column(&header, source, &["cluster_code"])?;
    let cn = column(&header, source, &["cluster_name"])?;
    let ct = column(&header, source, &["traded"])?;
    let cs = header.iter().position(|h| h == "subcluster");
    let mut defs = Definitions::new(name);
    for (line, rec) in &rows {
        let get = |k: usize| rec.get(k).unwrap_or("");
        let err = |k: usize, expected: &str| Error::Field {
            file: source.to_string(),
            line: *line,
            column: header[k].clone(),
            value: get(k).to_string(),
            expected: expected.to_string(),
        };
        for k in [ci, cc] {
            if get(k).is_empty() {
                return Err(err(k, "a non-empty code"));
            }
        }
        let traded = parse_bool(get(ct)).ok_or_else(|| err(ct, "true/false or traded/local"))?;
        let cluster = Cluster {
            code: get(cc).to_string(),
            name: if get(cn).is_empty() {
                get(cc).to_string()
            } else {
                get(cn).to_string()
            },
            traded: Some(traded),
        };
        defs.insert(get(ci), cluster, cs.map(get))
            .map_err(|m| err(ci, &format!("an industry in one cluster only ({m})")))?;
    }
    if defs.industry_count() == 0 {
        return Err(Error::Empty {
            file: source.to_string(),
            hint: String::new(),
        });
    }
    Ok(defs)
}

/// Read the US Cluster Mapping Project metadata file (`cluster_code, cluster_name, traded,
/// naics_vintage, naics`, as in `cmp_cluster_naics_by_vintage.csv`) for one NAICS vintage
/// (`2012`, `2007`, `2002`, `1997`).
pub fn read_cmp_definitions<R: Read>(
    reader: R,
    source: &str,
    vintage: &str,
    name: &str,
) -> Result<Definitions> {
    let (header, rows) = read_small_csv(reader, source)?;
    let cc = column(&header, source, &["cluster_code"])?;
    let cn = column(&header, source, &["cluster_name"])?;
    let ct = column(&header, source, &["traded"])?;
    let cv = column(&header, source, &["naics_vintage"])?;
    let ci = column(&header, source, &["naics"])?;
    let mut defs = Definitions::new(name);
    let mut vintages = std::collections::BTreeSet::new();
    for (line, rec) in &rows {
        let get = |k: usize| rec.get(k).unwrap_or("");
        vintages.insert(get(cv).to_string());
        if get(cv) != vintage {
            continue;
        }
        let err = |k: usize, expected: &str| Error::Field {
            file: source.to_string(),
            line: *line,
            column: header[k].clone(),
            value: get(k).to_string(),
            expected: expected.to_string(),
        };
        let traded = parse_bool(get(ct)).ok_or_else(|| err(ct, "True or False"))?;
        if get(ci).is_empty() {
            return Err(err(ci, "a NAICS code"));
        }
        defs.insert(
            get(ci),
            Cluster {
                code: get(cc).to_string(),
                name: get(cn).to_string(),
                traded: Some(traded),
            },
            None,
        )
        .map_err(|m| err(ci, &format!("a NAICS code in one cluster only ({m})")))?;
    }
    if defs.industry_count() == 0 {
        return Err(Error::option(
            "vintage",
            format!(
                "{source} has no rows for NAICS vintage `{vintage}` (vintages present: {})",
                vintages.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(defs)
}

/// Read one system of the Colorado regional cluster definitions file (`sheet, NAICS,
/// PartialNAICS, Description, Cluster_System, Cluster_Name, Subcluster, ...`), e.g.
/// `Metro Denver` or `OEDIT`. Regional clusters overlap (an industry can serve several),
/// so the set is built with [`Definitions::insert_overlapping`]; traded/local is not given.
/// Rows marked as partial NAICS are kept (the flag is the region's judgement, the code is
/// still the industry).
pub fn read_colorado_definitions<R: Read>(
    reader: R,
    source: &str,
    system: &str,
    name: &str,
) -> Result<Definitions> {
    let (header, rows) = read_small_csv(reader, source)?;
    let ci = column(&header, source, &["naics"])?;
    let cs = column(&header, source, &["cluster_system"])?;
    let cn = column(&header, source, &["cluster_name"])?;
    let csub = header.iter().position(|h| h == "subcluster");
    let mut defs = Definitions::new(name);
    let mut systems = std::collections::BTreeSet::new();
    for (line, rec) in &rows {
        let get = |k: usize| rec.get(k).unwrap_or("");
        systems.insert(get(cs).to_string());
        if get(cs) != system {
            continue;
        }
        let code = get(ci);
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Field {
                file: source.to_string(),
                line: *line,
                column: header[ci].clone(),
                value: code.to_string(),
                expected: "a NAICS code".into(),
            });
        }
        let cluster = Cluster {
            code: get(cn).to_string(),
            name: get(cn).to_string(),
            traded: None,
        };
        defs.insert_overlapping(code, cluster);
        if let Some(k) = csub
            && !get(k).is_empty()
            && !defs.subcluster.contains_key(code)
        {
            defs.subcluster.insert(code.to_string(), get(k).to_string());
        }
    }
    if defs.industry_count() == 0 {
        return Err(Error::option(
            "system",
            format!(
                "{source} has no rows for cluster system `{system}` (systems: {})",
                systems.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(defs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_definitions_parse_and_reject_bad_rows() {
        let ok = "industry,cluster_code,cluster_name,traded,subcluster\n\
                  111,A,Alpha,true,s1\n112,A,Alpha,true,\n221,L,Local,local,\n";
        let d = read_definitions(ok.as_bytes(), "d.csv", "custom").unwrap();
        assert_eq!(d.clusters.len(), 2);
        assert_eq!(d.cluster_of("112").unwrap().code, "A");
        assert_eq!(d.cluster_of("221").unwrap().traded, Some(false));
        assert_eq!(d.subcluster_of("111"), Some("s1"));

        let bad = "industry,cluster_code,cluster_name,traded\n111,A,Alpha,maybe\n";
        let e = read_definitions(bad.as_bytes(), "d.csv", "x").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("d.csv:2") && msg.contains("traded") && msg.contains("maybe"),
            "{msg}"
        );

        let dup = "industry,cluster_code,cluster_name,traded\n111,A,Alpha,1\n111,B,Beta,1\n";
        let e = read_definitions(dup.as_bytes(), "d.csv", "x").unwrap_err();
        assert!(e.to_string().contains("d.csv:3"), "{e}");
    }
}
