//! The evaluation's own records: follow-up requests and KPI targets. Kept apart from the
//! registry's [`crate::Record`]s because they are not part of a registry import or export.

use milieu_model::{Date, InitiativeId, OrgId};
use serde::{Deserialize, Serialize};

/// A follow-up request: ask `org`, `months` after the event or introduction, what came of it.
/// `status` is `due`, `sent` or `answered`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRecord {
    pub id: String,
    pub org: OrgId,
    /// `event` or `introduction`.
    pub source_kind: String,
    pub source_id: String,
    pub source_date: Date,
    #[serde(default)]
    pub partner: Option<OrgId>,
    pub months: u32,
    pub due: Date,
    pub status: String,
    #[serde(default)]
    pub sent_on: Option<Date>,
    #[serde(default)]
    pub answered_on: Option<Date>,
    #[serde(default)]
    pub answer: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
}

/// A KPI target agreed for an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRecord {
    pub initiative: InitiativeId,
    pub kpi: String,
    pub value: f64,
    pub by: Date,
    #[serde(default)]
    pub terminate_below: Option<f64>,
}

/// The [`crate::EvaluationStore`] implementation, written once and expanded for each driver
/// inside the SQL store macro (`$db`; `$numbered`: `$n` placeholders rather than `?`).
macro_rules! evaluation_store_impl {
    ($name:ident, $db:ty, $numbered:literal) => {
        impl $name {
            async fn write_followups(
                tx: &mut sqlx::Transaction<'_, $db>,
                followups: &[FollowUpRecord],
                replace: bool,
            ) -> Result<u64, StoreError> {
                let mut written = 0;
                if replace {
                    for f in followups {
                        let deleted = sqlx::query::<$db>("DELETE FROM followups WHERE id = $1")
                            .bind(&f.id)
                            .execute(&mut **tx)
                            .await?
                            .rows_affected();
                        if deleted == 0 {
                            return Err(StoreError::NotFound {
                                kind: "follow-up",
                                id: f.id.clone(),
                            });
                        }
                    }
                }
                for chunk in followups.chunks(ROWS_PER_INSERT) {
                    let sql = format!(
                        "INSERT INTO followups (id, org_id, source_kind, source_id, due, status, data) VALUES {}",
                        values_placeholders($numbered, chunk.len(), 7)
                    );
                    let mut query = sqlx::query::<$db>(&sql);
                    for f in chunk {
                        query = query
                            .bind(f.id.clone())
                            .bind(f.org.to_string())
                            .bind(f.source_kind.clone())
                            .bind(f.source_id.clone())
                            .bind(f.due.to_string())
                            .bind(f.status.clone())
                            .bind(to_json("follow-up", f)?);
                    }
                    written += query.execute(&mut **tx).await?.rows_affected();
                }
                Ok(written)
            }
        }

        impl $crate::EvaluationStore for $name {
            async fn add_followups(&self, followups: &[FollowUpRecord]) -> Result<u64, StoreError> {
                let mut tx = self.pool.begin().await?;
                let n = Self::write_followups(&mut tx, followups, false).await?;
                tx.commit().await?;
                Ok(n)
            }

            async fn followups(&self) -> Result<Vec<FollowUpRecord>, StoreError> {
                let rows: Vec<String> = sqlx::query_scalar::<$db, String>(
                    "SELECT data FROM followups ORDER BY due, id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(|j| from_json("follow-up", j)).collect()
            }

            async fn update_followups(&self, followups: &[FollowUpRecord]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::write_followups(&mut tx, followups, true).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn answer_followup(
                &self,
                followup: &FollowUpRecord,
                batch: &Dataset,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                Self::insert_all(&mut tx, &batch.ties).await?;
                Self::insert_all(&mut tx, &batch.outcomes).await?;
                Self::write_followups(&mut tx, std::slice::from_ref(followup), true).await?;
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_target(&self, target: &TargetRecord) -> Result<(), StoreError> {
                sqlx::query::<$db>(
                    "INSERT INTO kpi_targets (initiative_id, kpi, by_date, data) VALUES ($1, $2, $3, $4)",
                )
                .bind(target.initiative.to_string())
                .bind(target.kpi.clone())
                .bind(target.by.to_string())
                .bind(to_json("KPI target", target)?)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn targets(&self) -> Result<Vec<TargetRecord>, StoreError> {
                let rows: Vec<String> =
                    sqlx::query_scalar::<$db, String>("SELECT data FROM kpi_targets ORDER BY seq")
                        .fetch_all(&self.pool)
                        .await?;
                rows.iter().map(|j| from_json("KPI target", j)).collect()
            }        }
    };
}
pub(crate) use evaluation_store_impl;
