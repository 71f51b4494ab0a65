//! The mapping scope's defaults (`milieu_app::map::resolve`), the one rule the command line
//! and the web both call: which table, definition set, years and growth start an analysis
//! uses when the user names none of them.

use milieu_app::map::{GrowthFrom, ScopeRequest, resolve};
use milieu_model::ErrorCode;
use milieu_store::{ClusterMembership, CodeName, DefinitionSet, RegionalRow, RegionalTable, Store};

async fn store() -> (tempfile::TempDir, milieu_store::AnyStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = milieu_store::open(dir.path().join("scope.db").to_str().unwrap())
        .await
        .unwrap();
    (dir, store)
}

async fn put_table(store: &impl Store, name: &str, vintage: Option<&str>, years: &[u16]) {
    let rows = years
        .iter()
        .map(|&year| RegionalRow {
            year,
            region: 0,
            industry: 0,
            employment: 10.0,
            establishments: None,
            payroll: None,
        })
        .collect();
    let code = |c: &str| CodeName {
        code: c.into(),
        name: c.into(),
    };
    store
        .map_table_put(&RegionalTable {
            name: name.into(),
            source: "test".into(),
            vintage: vintage.map(str::to_string),
            regions: vec![code("A")],
            industries: vec![code("111")],
            rows,
            totals: Vec::new(),
        })
        .await
        .unwrap();
}

async fn put_definitions(store: &impl Store, name: &str, vintage: Option<&str>) {
    store
        .map_definitions_put(&DefinitionSet {
            name: name.into(),
            format: "generic".into(),
            vintage: vintage.map(str::to_string),
            source: "test".into(),
            memberships: vec![ClusterMembership {
                industry: "111".into(),
                cluster_code: "c".into(),
                cluster_name: "C".into(),
                traded: Some(true),
                subcluster: None,
            }],
        })
        .await
        .unwrap();
}

fn request() -> ScopeRequest {
    ScopeRequest {
        needs_definitions: true,
        growth: GrowthFrom::FirstStored,
        ..ScopeRequest::default()
    }
}

async fn refusal(store: &impl Store, request: &ScopeRequest) -> String {
    let e = resolve(store, request).await.unwrap_err();
    assert!(e.is_user_error(), "{e}");
    e.to_string()
}

#[tokio::test]
async fn an_empty_store_says_what_to_import() {
    let (_dir, store) = store().await;
    let message = refusal(&store, &request()).await;
    assert!(
        message.contains("no table `main` (stored: none)"),
        "{message}"
    );
}

#[tokio::test]
async fn the_only_table_is_the_default_whatever_its_name() {
    let (_dir, store) = store().await;
    put_table(&store, "cbp", None, &[2017, 2021]).await;
    put_definitions(&store, "cmp", None).await;
    let scope = resolve(&store, &request()).await.unwrap();
    assert_eq!(scope.table, "cbp");
    assert_eq!(scope.definitions.as_deref(), Some("cmp"));
    // The latest year, growth from the first.
    assert_eq!((scope.year, scope.from_year), (2021, Some(2017)));
    assert_eq!(scope.scope().years, vec![2017, 2021]);
    // Growth needs an earlier year: none when the analysis year is the first.
    let first = ScopeRequest {
        years: vec![2017],
        ..request()
    };
    assert_eq!(resolve(&store, &first).await.unwrap().from_year, None);
}

#[tokio::test]
async fn several_tables_take_main_or_are_refused() {
    let (_dir, store) = store().await;
    put_table(&store, "a", None, &[2020]).await;
    put_table(&store, "b", None, &[2020]).await;
    put_definitions(&store, "d", None).await;
    let message = refusal(&store, &request()).await;
    assert!(
        message.contains("several regional tables are stored (a, b)"),
        "{message}"
    );
    put_table(&store, "main", None, &[2019, 2020]).await;
    assert_eq!(resolve(&store, &request()).await.unwrap().table, "main");
    let named = ScopeRequest {
        table: Some("b".into()),
        ..request()
    };
    assert_eq!(resolve(&store, &named).await.unwrap().table, "b");
    let missing = ScopeRequest {
        table: Some("nope".into()),
        ..request()
    };
    let e = resolve(&store, &missing).await.unwrap_err();
    assert!(
        matches!(e, milieu_app::AppError::NotFound { kind: "table", .. }),
        "{e}"
    );
}

#[tokio::test]
async fn several_definition_sets_take_the_tables_vintage_or_are_refused() {
    let (_dir, store) = store().await;
    put_table(&store, "main", Some("2017"), &[2020]).await;
    put_definitions(&store, "old", Some("2012")).await;
    put_definitions(&store, "other", Some("2012")).await;
    let message = refusal(&store, &request()).await;
    assert!(
        message.contains("several cluster definition sets are stored (old, other)"),
        "{message}"
    );
    // An analysis that needs none loads none unless one is named.
    let industry_level = ScopeRequest {
        needs_definitions: false,
        ..request()
    };
    assert_eq!(
        resolve(&store, &industry_level).await.unwrap().definitions,
        None
    );
    // The one set of the table's code vintage is the default.
    put_definitions(&store, "same", Some("2017")).await;
    let scope = resolve(&store, &request()).await.unwrap();
    assert_eq!(scope.definitions.as_deref(), Some("same"));
    let named = ScopeRequest {
        definitions: Some("old".into()),
        ..request()
    };
    assert_eq!(
        resolve(&store, &named)
            .await
            .unwrap()
            .definitions
            .as_deref(),
        Some("old")
    );
}

#[tokio::test]
async fn years_not_stored_are_refused_with_the_years_present() {
    let (_dir, store) = store().await;
    put_table(&store, "main", None, &[2018, 2020]).await;
    put_definitions(&store, "d", None).await;
    let missing = ScopeRequest {
        years: vec![2019],
        ..request()
    };
    let message = refusal(&store, &missing).await;
    assert!(
        message.contains("table `main` has no year 2019 (years present: 2018, 2020)"),
        "{message}"
    );
    let growth = ScopeRequest {
        growth: GrowthFrom::Year(2016),
        ..request()
    };
    let message = refusal(&store, &growth).await;
    assert!(message.contains("has no year 2016"), "{message}");
}
