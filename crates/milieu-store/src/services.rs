//! Services of the cluster organisation: the catalogue, members' stated needs and uptake.
//! Kept apart from the registry's [`crate::Record`]s (they are not part of a registry import or
//! export); kinds and needs are plain text here and checked by the use case that writes them.

use milieu_model::{Date, InitiativeId, OrgId};
use serde::{Deserialize, Serialize};

/// A service in the catalogue: what it is (`kind`) and which needs it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub id: String,
    pub name: String,
    /// information, matchmaking, trade_mission, training, voucher, facility_access, other.
    pub kind: String,
    /// Needs this service answers (need names of the needs assessment).
    #[serde(default)]
    pub answers: Vec<String>,
    #[serde(default)]
    pub initiative: Option<InitiativeId>,
    /// The organisation delivering it when not the cluster organisation itself.
    #[serde(default)]
    pub provider: Option<OrgId>,
    #[serde(default)]
    pub from: Option<Date>,
    #[serde(default)]
    pub to: Option<Date>,
    #[serde(default)]
    pub description: String,
}

/// A need an organisation stated at a needs assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedRecord {
    pub org: OrgId,
    pub need: String,
    pub assessed: Date,
    /// 1 (minor) to 5 (critical).
    #[serde(default)]
    pub priority: Option<u8>,
    #[serde(default)]
    pub note: String,
}

/// One use of a service by an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UptakeRecord {
    pub service: String,
    pub org: OrgId,
    pub date: Date,
    #[serde(default)]
    pub note: String,
}

macro_rules! service_store_methods {
    ($db:ty) => {
        async fn services_put(
            &self,
            services: &[$crate::ServiceRecord],
        ) -> Result<u64, $crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let mut written = 0;
            for s in services {
                sqlx::query::<$db>("DELETE FROM services WHERE id = $1")
                    .bind(&s.id)
                    .execute(&mut *tx)
                    .await?;
                written += sqlx::query::<$db>(
                    "INSERT INTO services (id, initiative_id, kind, data) VALUES ($1, $2, $3, $4)",
                )
                .bind(&s.id)
                .bind(s.initiative.as_ref().map(|i| i.to_string()))
                .bind(&s.kind)
                .bind($crate::sql::to_json("service", s)?)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            Ok(written)
        }

        async fn services(&self) -> Result<Vec<$crate::ServiceRecord>, $crate::StoreError> {
            let rows: Vec<String> =
                sqlx::query_scalar::<$db, String>("SELECT data FROM services ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?;
            rows.iter()
                .map(|j| $crate::sql::from_json("service", j))
                .collect()
        }

        async fn needs_add(&self, needs: &[$crate::NeedRecord]) -> Result<u64, $crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let mut written = 0;
            for chunk in needs.chunks(500) {
                let sql = format!(
                    "INSERT INTO service_needs (org_id, need, assessed, data) VALUES {}",
                    $crate::sql::values_placeholders(
                        <$db as sqlx::Database>::NAME != "SQLite",
                        chunk.len(),
                        4
                    )
                );
                let mut query = sqlx::query::<$db>(&sql);
                for n in chunk {
                    query = query
                        .bind(n.org.to_string())
                        .bind(n.need.clone())
                        .bind(n.assessed.to_string())
                        .bind($crate::sql::to_json("need", n)?);
                }
                written += query.execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            Ok(written)
        }

        async fn needs(&self) -> Result<Vec<$crate::NeedRecord>, $crate::StoreError> {
            let rows: Vec<String> = sqlx::query_scalar::<$db, String>(
                "SELECT data FROM service_needs ORDER BY org_id, assessed, need",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|j| $crate::sql::from_json("need", j))
                .collect()
        }

        async fn uptake_add(
            &self,
            uptake: &[$crate::UptakeRecord],
        ) -> Result<u64, $crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let mut written = 0;
            for chunk in uptake.chunks(500) {
                let sql = format!(
                    "INSERT INTO service_uptake (service_id, org_id, used_on, data) VALUES {}",
                    $crate::sql::values_placeholders(
                        <$db as sqlx::Database>::NAME != "SQLite",
                        chunk.len(),
                        4
                    )
                );
                let mut query = sqlx::query::<$db>(&sql);
                for u in chunk {
                    query = query
                        .bind(u.service.clone())
                        .bind(u.org.to_string())
                        .bind(u.date.to_string())
                        .bind($crate::sql::to_json("service use", u)?);
                }
                written += query.execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            Ok(written)
        }

        async fn uptake(&self) -> Result<Vec<$crate::UptakeRecord>, $crate::StoreError> {
            let rows: Vec<String> = sqlx::query_scalar::<$db, String>(
                "SELECT data FROM service_uptake ORDER BY used_on, service_id, org_id, seq",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|j| $crate::sql::from_json("service use", j))
                .collect()
        }
    };
}
pub(crate) use service_store_methods;
