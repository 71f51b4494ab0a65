//! Region hierarchies: for each named level (e.g. `state`, `msa`, `economic`), a map from a
//! base region code (a county FIPS code) to its parent at that level.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use crate::error::{Error, Result};
use crate::parse::{column, read_small_csv};

/// child code -> (parent code, parent name), per level.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    levels: BTreeMap<String, HashMap<String, (String, String)>>,
}

impl Hierarchy {
    pub fn insert(&mut self, level: &str, child: &str, parent: &str, parent_name: &str) {
        self.levels.entry(level.to_string()).or_default().insert(
            child.to_string(),
            (parent.to_string(), parent_name.to_string()),
        );
    }
    pub fn levels(&self) -> Vec<&str> {
        self.levels.keys().map(|s| s.as_str()).collect()
    }
    pub fn parent(&self, level: &str, child: &str) -> Option<&str> {
        self.levels.get(level)?.get(child).map(|(p, _)| p.as_str())
    }
    pub(crate) fn level(&self, level: &str) -> Result<&HashMap<String, (String, String)>> {
        self.levels.get(level).ok_or_else(|| {
            Error::option(
                "region-level",
                format!(
                    "unknown level `{level}` (levels: {})",
                    self.levels().join(", ")
                ),
            )
        })
    }
    /// Every entry as (level, child, parent, parent name), sorted by level and child (e.g. for
    /// storing the hierarchy).
    pub fn entries(&self) -> Vec<(&str, &str, &str, &str)> {
        let mut v: Vec<(&str, &str, &str, &str)> = self
            .levels
            .iter()
            .flat_map(|(level, map)| {
                map.iter()
                    .map(move |(c, (p, n))| (level.as_str(), c.as_str(), p.as_str(), n.as_str()))
            })
            .collect();
        v.sort_unstable();
        v
    }
    /// Merge another hierarchy's levels into this one.
    pub fn extend(&mut self, other: Hierarchy) {
        for (level, map) in other.levels {
            self.levels.entry(level).or_default().extend(map);
        }
    }
}

/// Generic format: `region,level,parent[,parent_name]`.
pub fn read_hierarchy<R: Read>(reader: R, source: &str) -> Result<Hierarchy> {
    let (header, rows) = read_small_csv(reader, source)?;
    let cr = column(&header, source, &["region"])?;
    let cl = column(&header, source, &["level"])?;
    let cp = column(&header, source, &["parent"])?;
    let cn = header.iter().position(|h| h == "parent_name");
    let mut h = Hierarchy::default();
    for (line, rec) in &rows {
        let get = |k: usize| rec.get(k).unwrap_or("");
        for k in [cr, cl, cp] {
            if get(k).is_empty() {
                return Err(Error::Field {
                    file: source.to_string(),
                    line: *line,
                    column: header[k].clone(),
                    value: String::new(),
                    expected: "a non-empty code".into(),
                });
            }
        }
        let name = cn.map(get).filter(|s| !s.is_empty()).unwrap_or(get(cp));
        h.insert(get(cl), get(cr), get(cp), name);
    }
    Ok(h)
}

/// US Cluster Mapping Project regions file (`region_type_t, region_code_t, name_t,
/// region_short_name_t, region_state_code_t, member_regions`): counties -> `msa`,
/// `economic` (CMP economic areas) and `state`.
pub fn read_cmp_regions<R: Read>(reader: R, source: &str) -> Result<Hierarchy> {
    let (header, rows) = read_small_csv(reader, source)?;
    let ct = column(&header, source, &["region_type_t"])?;
    let cc = column(&header, source, &["region_code_t"])?;
    let cn = column(&header, source, &["name_t"])?;
    let cs = column(&header, source, &["region_state_code_t"])?;
    let cm = column(&header, source, &["member_regions"])?;
    let mut h = Hierarchy::default();
    let mut state_names = HashMap::new();
    let mut county_state = Vec::new();
    for (_, rec) in &rows {
        let get = |k: usize| rec.get(k).unwrap_or("");
        match get(ct) {
            "state" => {
                state_names.insert(get(cc).to_string(), get(cn).to_string());
            }
            "county" => {
                let st = get(cs);
                if st.len() == 2 && st.bytes().all(|b| b.is_ascii_digit()) {
                    county_state.push((get(cc).to_string(), st.to_string()));
                }
            }
            level @ ("msa" | "economic") => {
                for m in get(cm).split(';') {
                    if let Some(county) = m.strip_prefix("region/county/") {
                        h.insert(level, county, get(cc), get(cn));
                    }
                }
            }
            _ => {}
        }
    }
    for (county, st) in county_state {
        let name = state_names.get(&st).cloned().unwrap_or_else(|| st.clone());
        h.insert("state", &county, &st, &name);
    }
    if h.levels.is_empty() {
        return Err(Error::Empty {
            file: source.to_string(),
            hint: " (no county memberships found)".into(),
        });
    }
    Ok(h)
}

/// BEA economic areas county definition (`FIPS, County, EA, EA Name`) -> level `bea_ea`.
pub fn read_bea_economic_areas<R: Read>(reader: R, source: &str) -> Result<Hierarchy> {
    let (header, rows) = read_small_csv(reader, source)?;
    let cf = column(&header, source, &["fips"])?;
    let ce = column(&header, source, &["ea"])?;
    let cn = column(&header, source, &["ea name"])?;
    let mut h = Hierarchy::default();
    for (line, rec) in &rows {
        let get = |k: usize| rec.get(k).unwrap_or("");
        let fips = get(cf);
        if fips.is_empty() || !fips.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Field {
                file: source.to_string(),
                line: *line,
                column: "FIPS".into(),
                value: fips.to_string(),
                expected: "a county FIPS code".into(),
            });
        }
        h.insert("bea_ea", &format!("{fips:0>5}"), get(ce), get(cn));
    }
    Ok(h)
}
