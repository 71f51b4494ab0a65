//! Regional statistics for cluster mapping (`milieu map`), as the store holds them: plain data,
//! independent of the mapping engine (the store depends on milieu-model only; milieu-app
//! converts to and from the engine's types).
//!
//! Layout: a named [`RegionalTable`] keeps its region and industry codes once, and its rows
//! refer to them by `u32` ids (one row per year x region x industry, six numbers). Cluster
//! definition sets, code concordances and the region hierarchy are small tables of codes.
//! Every `*_put` replaces what it names in one transaction.

/// A code with its display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeName {
    pub code: String,
    pub name: String,
}

/// One row of a regional table: employment, and where known establishments and payroll, of
/// an industry in a region in a year. `region` and `industry` index the table's code lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionalRow {
    pub year: u16,
    pub region: u32,
    pub industry: u32,
    pub employment: f64,
    pub establishments: Option<f64>,
    pub payroll: Option<f64>,
}

/// A region's published all-industry totals in a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionalTotal {
    pub year: u16,
    pub region: u32,
    pub employment: f64,
    pub establishments: Option<f64>,
    pub payroll: Option<f64>,
}

/// A regional employment table (County Business Patterns, or any long table).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionalTable {
    /// The table's name in the database (several tables can coexist).
    pub name: String,
    /// What it was imported from, e.g. `cbp: a.csv.gz, b.csv.gz`.
    pub source: String,
    /// Industry code vintage (`2017` for NAICS 2017) when known; bridging uses it.
    pub vintage: Option<String>,
    /// Region codes; a row's `region` is an index into this list.
    pub regions: Vec<CodeName>,
    pub industries: Vec<CodeName>,
    pub rows: Vec<RegionalRow>,
    pub totals: Vec<RegionalTotal>,
}

/// What a stored table holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RegionalTableInfo {
    pub name: String,
    pub source: String,
    pub vintage: Option<String>,
    pub years: Vec<u16>,
    pub regions: u64,
    pub industries: u64,
    pub rows: u64,
}

/// One membership of an industry in a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterMembership {
    pub industry: String,
    pub cluster_code: String,
    pub cluster_name: String,
    /// Traded (true), local (false) or not said.
    pub traded: Option<bool>,
    pub subcluster: Option<String>,
}

/// A named cluster definition set; memberships keep their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DefinitionSet {
    pub name: String,
    /// `generic`, `cmp` or `colorado`.
    pub format: String,
    /// Industry code vintage of the set (e.g. `2012`), when known.
    pub vintage: Option<String>,
    pub source: String,
    pub memberships: Vec<ClusterMembership>,
}

/// What a stored definition set holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DefinitionSetInfo {
    pub name: String,
    pub format: String,
    pub vintage: Option<String>,
    pub source: String,
    pub clusters: u64,
    pub industries: u64,
}

/// An industry code concordance between two vintages: pairs (from code, to code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConcordanceData {
    pub from: String,
    pub to: String,
    pub source: String,
    pub pairs: Vec<(String, String)>,
}

/// What a stored concordance holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConcordanceInfo {
    pub from: String,
    pub to: String,
    pub source: String,
    pub codes: u64,
    pub pairs: u64,
}

/// A region's parent at one level of the hierarchy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HierarchyEntry {
    pub level: String,
    pub region: String,
    pub parent: String,
    pub parent_name: String,
}

/// What one stored hierarchy level holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HierarchyLevelInfo {
    pub level: String,
    pub regions: u64,
    pub parents: u64,
    pub source: String,
}

/// Rows written by one INSERT into `map_rows` (7 parameters each, below SQLite's 32,766 and
/// PostgreSQL's 65,535 parameter limits).
pub(crate) const MAP_ROWS_PER_INSERT: usize = 2000;
/// Code rows (regions, industries, memberships, pairs, hierarchy entries) per INSERT.
pub(crate) const MAP_CODES_PER_INSERT: usize = 1000;

/// The `milieu map` methods of [`crate::Store`], written once and expanded inside the SQL
/// store macro for each driver (`$db`), like the registry's methods.
macro_rules! map_store_methods {
    ($db:ty) => {
        async fn map_table_put(
            &self,
            table: &$crate::map::RegionalTable,
        ) -> Result<(), $crate::StoreError> {
            use $crate::map::{MAP_CODES_PER_INSERT, MAP_ROWS_PER_INSERT};
            use $crate::sql::values_placeholders;
            let numbered = <$db as sqlx::Database>::NAME != "SQLite";
            let mut tx = self.pool.begin().await?;
            let old: Option<i64> =
                sqlx::query_scalar::<$db, i64>("SELECT id FROM map_tables WHERE name = $1")
                    .bind(&table.name)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(id) = old {
                for t in [
                    "map_rows",
                    "map_totals",
                    "map_regions",
                    "map_industries",
                ] {
                    sqlx::query::<$db>(&format!("DELETE FROM {t} WHERE table_id = $1"))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query::<$db>("DELETE FROM map_tables WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let id: i64 = sqlx::query_scalar::<$db, i64>(
                "INSERT INTO map_tables (name, source, vintage) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(&table.name)
            .bind(&table.source)
            .bind(&table.vintage)
            .fetch_one(&mut *tx)
            .await?;
            for (t, codes) in [
                ("map_regions", &table.regions),
                ("map_industries", &table.industries),
            ] {
                for (c, chunk) in codes.chunks(MAP_CODES_PER_INSERT).enumerate() {
                    let sql = format!(
                        "INSERT INTO {t} (table_id, id, code, name) VALUES {}",
                        values_placeholders(numbered, chunk.len(), 4)
                    );
                    let mut q = sqlx::query::<$db>(&sql);
                    for (k, cn) in chunk.iter().enumerate() {
                        q = q
                            .bind(id)
                            .bind((c * MAP_CODES_PER_INSERT + k) as i32)
                            .bind(&cn.code)
                            .bind(&cn.name);
                    }
                    q.execute(&mut *tx).await?;
                }
            }
            for chunk in table.rows.chunks(MAP_ROWS_PER_INSERT) {
                let sql = format!(
                    "INSERT INTO map_rows (table_id, year, region_id, industry_id, employment, establishments, payroll) VALUES {}",
                    values_placeholders(numbered, chunk.len(), 7)
                );
                let mut q = sqlx::query::<$db>(&sql);
                for r in chunk {
                    q = q
                        .bind(id)
                        .bind(r.year as i32)
                        .bind(r.region as i32)
                        .bind(r.industry as i32)
                        .bind(r.employment)
                        .bind(r.establishments)
                        .bind(r.payroll);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in table.totals.chunks(MAP_ROWS_PER_INSERT) {
                let sql = format!(
                    "INSERT INTO map_totals (table_id, year, region_id, employment, establishments, payroll) VALUES {}",
                    values_placeholders(numbered, chunk.len(), 6)
                );
                let mut q = sqlx::query::<$db>(&sql);
                for r in chunk {
                    q = q
                        .bind(id)
                        .bind(r.year as i32)
                        .bind(r.region as i32)
                        .bind(r.employment)
                        .bind(r.establishments)
                        .bind(r.payroll);
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn map_table_get(
            &self,
            name: &str,
            years: Option<&[u16]>,
        ) -> Result<Option<$crate::map::RegionalTable>, $crate::StoreError> {
            use $crate::map::{CodeName, RegionalRow, RegionalTable, RegionalTotal};
            let head: Option<(i64, String, Option<String>)> =
                sqlx::query_as::<$db, (i64, String, Option<String>)>(
                    "SELECT id, source, vintage FROM map_tables WHERE name = $1",
                )
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
            let Some((id, source, vintage)) = head else {
                return Ok(None);
            };
            let mut codes = Vec::new();
            for t in ["map_regions", "map_industries"] {
                let list: Vec<(String, String)> = sqlx::query_as::<$db, (String, String)>(
                    &format!("SELECT code, name FROM {t} WHERE table_id = $1 ORDER BY id"),
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                codes.push(
                    list.into_iter()
                        .map(|(code, name)| CodeName { code, name })
                        .collect::<Vec<_>>(),
                );
            }
            let industries = codes.pop().unwrap_or_default();
            let regions = codes.pop().unwrap_or_default();
            let filter = match years {
                Some(ys) if !ys.is_empty() => format!(" AND year IN ({})", $crate::sql::numbered_list(2, ys.len())),
                Some(_) => " AND 1 = 0".to_string(),
                None => String::new(),
            };
            let sql = format!(
                "SELECT year, region_id, industry_id, CAST(employment AS DOUBLE PRECISION), \
                 CAST(establishments AS DOUBLE PRECISION), CAST(payroll AS DOUBLE PRECISION) \
                 FROM map_rows WHERE table_id = $1{filter} ORDER BY year, region_id, industry_id"
            );
            let mut q = sqlx::query_as::<$db, (i32, i32, i32, f64, Option<f64>, Option<f64>)>(&sql)
                .bind(id);
            for y in years.unwrap_or(&[]) {
                q = q.bind(*y as i32);
            }
            let rows = q
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(|(y, r, i, e, est, pay)| RegionalRow {
                    year: y as u16,
                    region: r as u32,
                    industry: i as u32,
                    employment: e,
                    establishments: est,
                    payroll: pay,
                })
                .collect();
            let sql = format!(
                "SELECT year, region_id, CAST(employment AS DOUBLE PRECISION), \
                 CAST(establishments AS DOUBLE PRECISION), CAST(payroll AS DOUBLE PRECISION) \
                 FROM map_totals WHERE table_id = $1{filter} ORDER BY year, region_id"
            );
            let mut q =
                sqlx::query_as::<$db, (i32, i32, f64, Option<f64>, Option<f64>)>(&sql).bind(id);
            for y in years.unwrap_or(&[]) {
                q = q.bind(*y as i32);
            }
            let totals = q
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(|(y, r, e, est, pay)| RegionalTotal {
                    year: y as u16,
                    region: r as u32,
                    employment: e,
                    establishments: est,
                    payroll: pay,
                })
                .collect();
            Ok(Some(RegionalTable {
                name: name.to_string(),
                source,
                vintage,
                regions,
                industries,
                rows,
                totals,
            }))
        }

        async fn map_tables(
            &self,
        ) -> Result<Vec<$crate::map::RegionalTableInfo>, $crate::StoreError> {
            let heads: Vec<(i64, String, String, Option<String>)> =
                sqlx::query_as::<$db, (i64, String, String, Option<String>)>(
                    "SELECT id, name, source, vintage FROM map_tables ORDER BY name",
                )
                .fetch_all(&self.pool)
                .await?;
            let mut out = Vec::new();
            for (id, name, source, vintage) in heads {
                let years: Vec<i32> = sqlx::query_scalar::<$db, i32>(
                    "SELECT DISTINCT year FROM map_rows WHERE table_id = $1 ORDER BY year",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let mut n = Vec::new();
                for t in ["map_regions", "map_industries", "map_rows"] {
                    let c: i64 = sqlx::query_scalar::<$db, i64>(&format!(
                        "SELECT COUNT(*) FROM {t} WHERE table_id = $1"
                    ))
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await?;
                    n.push(c as u64);
                }
                out.push($crate::map::RegionalTableInfo {
                    name,
                    source,
                    vintage,
                    years: years.into_iter().map(|y| y as u16).collect(),
                    regions: n[0],
                    industries: n[1],
                    rows: n[2],
                });
            }
            Ok(out)
        }

        async fn map_table_delete(&self, name: &str) -> Result<bool, $crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let old: Option<i64> =
                sqlx::query_scalar::<$db, i64>("SELECT id FROM map_tables WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(id) = old else {
                return Ok(false);
            };
            for t in ["map_rows", "map_totals", "map_regions", "map_industries"] {
                sqlx::query::<$db>(&format!("DELETE FROM {t} WHERE table_id = $1"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query::<$db>("DELETE FROM map_tables WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        }

        async fn map_definitions_put(
            &self,
            set: &$crate::map::DefinitionSet,
        ) -> Result<(), $crate::StoreError> {
            use $crate::map::MAP_CODES_PER_INSERT;
            use $crate::sql::values_placeholders;
            let numbered = <$db as sqlx::Database>::NAME != "SQLite";
            let mut tx = self.pool.begin().await?;
            let old: Option<i64> = sqlx::query_scalar::<$db, i64>(
                "SELECT id FROM map_definition_sets WHERE name = $1",
            )
            .bind(&set.name)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = old {
                sqlx::query::<$db>("DELETE FROM map_definitions WHERE set_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM map_definition_sets WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let id: i64 = sqlx::query_scalar::<$db, i64>(
                "INSERT INTO map_definition_sets (name, format, vintage, source) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&set.name)
            .bind(&set.format)
            .bind(&set.vintage)
            .bind(&set.source)
            .fetch_one(&mut *tx)
            .await?;
            for (c, chunk) in set.memberships.chunks(MAP_CODES_PER_INSERT).enumerate() {
                let sql = format!(
                    "INSERT INTO map_definitions (set_id, seq, industry, cluster_code, cluster_name, traded, subcluster) VALUES {}",
                    values_placeholders(numbered, chunk.len(), 7)
                );
                let mut q = sqlx::query::<$db>(&sql);
                for (k, m) in chunk.iter().enumerate() {
                    q = q
                        .bind(id)
                        .bind((c * MAP_CODES_PER_INSERT + k) as i32)
                        .bind(&m.industry)
                        .bind(&m.cluster_code)
                        .bind(&m.cluster_name)
                        .bind(m.traded.map(i32::from))
                        .bind(&m.subcluster);
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn map_definitions_get(
            &self,
            name: &str,
        ) -> Result<Option<$crate::map::DefinitionSet>, $crate::StoreError> {
            let head: Option<(i64, String, Option<String>, String)> =
                sqlx::query_as::<$db, (i64, String, Option<String>, String)>(
                    "SELECT id, format, vintage, source FROM map_definition_sets WHERE name = $1",
                )
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
            let Some((id, format, vintage, source)) = head else {
                return Ok(None);
            };
            type Membership = (String, String, String, Option<i32>, Option<String>);
            let rows: Vec<Membership> = sqlx::query_as::<$db, Membership>(
                "SELECT industry, cluster_code, cluster_name, traded, subcluster \
                 FROM map_definitions WHERE set_id = $1 ORDER BY seq",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            Ok(Some($crate::map::DefinitionSet {
                name: name.to_string(),
                format,
                vintage,
                source,
                memberships: rows
                    .into_iter()
                    .map(|(industry, cluster_code, cluster_name, traded, subcluster)| {
                        $crate::map::ClusterMembership {
                            industry,
                            cluster_code,
                            cluster_name,
                            traded: traded.map(|t| t != 0),
                            subcluster,
                        }
                    })
                    .collect(),
            }))
        }

        async fn map_definition_sets(
            &self,
        ) -> Result<Vec<$crate::map::DefinitionSetInfo>, $crate::StoreError> {
            type Head = (String, String, Option<String>, String, i64, i64);
            let rows: Vec<Head> = sqlx::query_as::<$db, Head>(
                "SELECT s.name, s.format, s.vintage, s.source, \
                 COUNT(DISTINCT d.cluster_code), COUNT(DISTINCT d.industry) \
                 FROM map_definition_sets s LEFT JOIN map_definitions d ON d.set_id = s.id \
                 GROUP BY s.id, s.name, s.format, s.vintage, s.source ORDER BY s.name",
            )
            .fetch_all(&self.pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(name, format, vintage, source, clusters, industries)| {
                    $crate::map::DefinitionSetInfo {
                        name,
                        format,
                        vintage,
                        source,
                        clusters: clusters as u64,
                        industries: industries as u64,
                    }
                })
                .collect())
        }

        async fn map_definitions_delete(&self, name: &str) -> Result<bool, $crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let old: Option<i64> = sqlx::query_scalar::<$db, i64>(
                "SELECT id FROM map_definition_sets WHERE name = $1",
            )
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = old else {
                return Ok(false);
            };
            sqlx::query::<$db>("DELETE FROM map_definitions WHERE set_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query::<$db>("DELETE FROM map_definition_sets WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        }

        async fn map_concordance_put(
            &self,
            c: &$crate::map::ConcordanceData,
        ) -> Result<(), $crate::StoreError> {
            use $crate::map::MAP_CODES_PER_INSERT;
            use $crate::sql::values_placeholders;
            let numbered = <$db as sqlx::Database>::NAME != "SQLite";
            let mut tx = self.pool.begin().await?;
            let old: Option<i64> = sqlx::query_scalar::<$db, i64>(
                "SELECT id FROM map_concordances WHERE from_vintage = $1 AND to_vintage = $2",
            )
            .bind(&c.from)
            .bind(&c.to)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = old {
                sqlx::query::<$db>("DELETE FROM map_concordance_pairs WHERE concordance_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM map_concordances WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let id: i64 = sqlx::query_scalar::<$db, i64>(
                "INSERT INTO map_concordances (from_vintage, to_vintage, source) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(&c.from)
            .bind(&c.to)
            .bind(&c.source)
            .fetch_one(&mut *tx)
            .await?;
            for chunk in c.pairs.chunks(MAP_CODES_PER_INSERT) {
                let sql = format!(
                    "INSERT INTO map_concordance_pairs (concordance_id, from_code, to_code) VALUES {}",
                    values_placeholders(numbered, chunk.len(), 3)
                );
                let mut q = sqlx::query::<$db>(&sql);
                for (a, b) in chunk {
                    q = q.bind(id).bind(a).bind(b);
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn map_concordance_get(
            &self,
            from: &str,
            to: &str,
        ) -> Result<Option<$crate::map::ConcordanceData>, $crate::StoreError> {
            let head: Option<(i64, String)> = sqlx::query_as::<$db, (i64, String)>(
                "SELECT id, source FROM map_concordances WHERE from_vintage = $1 AND to_vintage = $2",
            )
            .bind(from)
            .bind(to)
            .fetch_optional(&self.pool)
            .await?;
            let Some((id, source)) = head else {
                return Ok(None);
            };
            let pairs: Vec<(String, String)> = sqlx::query_as::<$db, (String, String)>(
                "SELECT from_code, to_code FROM map_concordance_pairs WHERE concordance_id = $1 \
                 ORDER BY from_code, to_code",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            Ok(Some($crate::map::ConcordanceData {
                from: from.to_string(),
                to: to.to_string(),
                source,
                pairs,
            }))
        }

        async fn map_concordances(
            &self,
        ) -> Result<Vec<$crate::map::ConcordanceInfo>, $crate::StoreError> {
            type Head = (String, String, String, i64, i64);
            let rows: Vec<Head> = sqlx::query_as::<$db, Head>(
                "SELECT c.from_vintage, c.to_vintage, c.source, \
                 COUNT(DISTINCT p.from_code), COUNT(p.from_code) \
                 FROM map_concordances c LEFT JOIN map_concordance_pairs p ON p.concordance_id = c.id \
                 GROUP BY c.id, c.from_vintage, c.to_vintage, c.source \
                 ORDER BY c.from_vintage, c.to_vintage",
            )
            .fetch_all(&self.pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(from, to, source, codes, pairs)| $crate::map::ConcordanceInfo {
                    from,
                    to,
                    source,
                    codes: codes as u64,
                    pairs: pairs as u64,
                })
                .collect())
        }

        async fn map_hierarchy_put(
            &self,
            source: &str,
            entries: &[$crate::map::HierarchyEntry],
        ) -> Result<(), $crate::StoreError> {
            use $crate::map::MAP_CODES_PER_INSERT;
            use $crate::sql::values_placeholders;
            let numbered = <$db as sqlx::Database>::NAME != "SQLite";
            let mut levels: Vec<&str> = entries.iter().map(|e| e.level.as_str()).collect();
            levels.sort_unstable();
            levels.dedup();
            let mut tx = self.pool.begin().await?;
            for level in levels {
                sqlx::query::<$db>("DELETE FROM map_hierarchy WHERE level = $1")
                    .bind(level)
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in entries.chunks(MAP_CODES_PER_INSERT) {
                let sql = format!(
                    "INSERT INTO map_hierarchy (level, region, parent, parent_name, source) VALUES {}",
                    values_placeholders(numbered, chunk.len(), 5)
                );
                let mut q = sqlx::query::<$db>(&sql);
                for e in chunk {
                    q = q
                        .bind(&e.level)
                        .bind(&e.region)
                        .bind(&e.parent)
                        .bind(&e.parent_name)
                        .bind(source);
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn map_hierarchy_get(
            &self,
        ) -> Result<Vec<$crate::map::HierarchyEntry>, $crate::StoreError> {
            let rows: Vec<(String, String, String, String)> =
                sqlx::query_as::<$db, (String, String, String, String)>(
                    "SELECT level, region, parent, parent_name FROM map_hierarchy ORDER BY level, region",
                )
                .fetch_all(&self.pool)
                .await?;
            Ok(rows
                .into_iter()
                .map(|(level, region, parent, parent_name)| $crate::map::HierarchyEntry {
                    level,
                    region,
                    parent,
                    parent_name,
                })
                .collect())
        }

        async fn map_hierarchy_levels(
            &self,
        ) -> Result<Vec<$crate::map::HierarchyLevelInfo>, $crate::StoreError> {
            let rows: Vec<(String, i64, i64, String)> =
                sqlx::query_as::<$db, (String, i64, i64, String)>(
                    "SELECT level, COUNT(*), COUNT(DISTINCT parent), MIN(source) \
                     FROM map_hierarchy GROUP BY level ORDER BY level",
                )
                .fetch_all(&self.pool)
                .await?;
            Ok(rows
                .into_iter()
                .map(|(level, regions, parents, source)| $crate::map::HierarchyLevelInfo {
                    level,
                    regions: regions as u64,
                    parents: parents as u64,
                    source,
                })
                .collect())
        }
    };
}
pub(crate) use map_store_methods;
