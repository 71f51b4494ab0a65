//! The mapping pages and API through HTTP: numbers equal to milieu-map's, escaping, the
//! report, the empty database.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use milieu_app::access::Role;
use milieu_store::{ClusterMembership, CodeName, DefinitionSet, RegionalRow, RegionalTable};

const REGION_NAME: &str = "<b>Nord</b> & \"Süd\"";
const CLUSTER_NAME: &str = "Optics <script>x()</script>";

/// Three regions, four industries in two traded clusters and one local, two years.
async fn import_small_table(t: &TestApp) {
    let regions = [("A", REGION_NAME), ("B", "Bay"), ("C", "Coast")];
    let industries = [
        ("1111", "Lenses", 0),
        ("1112", "Lasers", 0),
        ("2221", "Boats", 1),
        ("9991", "Shops", 2),
    ];
    let clusters = [
        ("optics", CLUSTER_NAME, true),
        ("marine", "Marine", true),
        ("local", "Local", false),
    ];
    let employment = |year: usize, r: usize, i: usize| -> f64 {
        let base = [
            [900.0, 300.0, 100.0, 2000.0],
            [100.0, 80.0, 700.0, 2500.0],
            [200.0, 150.0, 250.0, 1800.0],
        ];
        base[r][i]
            * if year == 1 {
                1.0 + 0.05 * (r + i) as f64
            } else {
                1.0
            }
    };
    let mut rows = Vec::new();
    for (y, year) in [2018u16, 2022].into_iter().enumerate() {
        for r in 0..3 {
            for i in 0..4 {
                rows.push(RegionalRow {
                    year,
                    region: r as u32,
                    industry: i as u32,
                    employment: employment(y, r, i),
                    establishments: Some(10.0),
                    payroll: None,
                });
            }
        }
    }
    let cn = |c: &str, n: &str| CodeName {
        code: c.into(),
        name: n.into(),
    };
    t.store
        .map_table_put(&RegionalTable {
            name: "small".into(),
            source: "test".into(),
            vintage: None,
            regions: regions.iter().map(|(c, n)| cn(c, n)).collect(),
            industries: industries.iter().map(|(c, n, _)| cn(c, n)).collect(),
            rows,
            totals: Vec::new(),
        })
        .await
        .unwrap();
    t.store
        .map_definitions_put(&DefinitionSet {
            name: "defs".into(),
            format: "generic".into(),
            vintage: None,
            source: "test".into(),
            memberships: industries
                .iter()
                .map(|(code, _, c)| ClusterMembership {
                    industry: (*code).into(),
                    cluster_code: clusters[*c].0.into(),
                    cluster_name: clusters[*c].1.into(),
                    traded: Some(clusters[*c].2),
                    subcluster: None,
                })
                .collect(),
        })
        .await
        .unwrap();
}

/// What milieu-map computes for region A, 2022, growth from 2018 (as `milieu map strength`).
async fn expected_rows(t: &TestApp) -> Vec<milieu_map::StrengthRow> {
    let loaded = milieu_app::map::load(
        &t.store,
        &milieu_app::map::Scope {
            table: "small".into(),
            years: vec![2018, 2022],
            definitions: Some("defs".into()),
            region_level: None,
            drop_unplaced: false,
        },
    )
    .await
    .unwrap();
    let counts = milieu_app::map::organised_actors(
        &t.store,
        loaded.definitions.as_ref().unwrap(),
        "A",
        None,
    )
    .await
    .unwrap();
    milieu_map::strength(
        &loaded.table,
        &milieu_map::StrengthOptions {
            year: 2022,
            from_year: Some(2018),
            level: milieu_map::Level::Cluster,
            definitions: loaded.definitions.as_ref(),
            base: milieu_map::Base::TradedLocal,
            benchmark: milieu_map::Benchmark::AllRegions,
            traded_only: true,
            organised_actors: counts.as_ref(),
            regions: Some(vec!["A".into()]),
            rules: milieu_map::StrengthRules::default(),
        },
    )
    .unwrap()
}

#[tokio::test]
async fn the_clusters_api_returns_milieu_maps_numbers() {
    let t = TestApp::demo(40).await;
    import_small_table(&t).await;
    let want = expected_rows(&t).await;
    assert!(want.len() >= 2);
    let mut c = t.client(Role::Funder).await;
    let r = c
        .get("/api/mapping/clusters?table=small&definitions=defs&region=A&year=2022")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let json = r.json();
    assert_eq!(json["region_name"], REGION_NAME);
    assert_eq!(json["from_year"], 2018);
    let rows = json["clusters"].as_array().unwrap();
    assert_eq!(rows.len(), want.len());
    for w in &want {
        let got = rows
            .iter()
            .find(|r| r["cluster"] == w.industry_or_cluster.as_str())
            .unwrap();
        // (JSON numbers come back within a rounding of the last digit.)
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            (a, b) => a == b,
        };
        assert!(close(got["employment"].as_f64(), Some(w.employment)));
        assert!(close(got["lq"].as_f64(), w.lq), "{got} {:?}", w.lq);
        assert!(close(got["cagr"].as_f64(), w.cagr), "{got} {:?}", w.cagr);
        assert_eq!(got["stars"].as_u64().unwrap(), w.stars as u64);
        assert_eq!(got["classification"], w.classification);
        assert_eq!(got["name"], w.name.as_str());
    }
    let tables = c.get("/api/mapping/tables").await.json();
    assert_eq!(tables["tables"][0]["name"], "small");
    assert_eq!(
        tables["tables"][0]["years"],
        serde_json::json!([2018, 2022])
    );
    // Unknown region and table: 404; a year the table lacks: 400.
    let r = c.get("/api/mapping/clusters?table=small&region=ZZ").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = c.get("/api/mapping/clusters?table=nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = c.get("/api/mapping/clusters?table=small&year=1999").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        t.anonymous().get("/api/mapping/tables").await.status,
        StatusCode::UNAUTHORIZED
    );
}

fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[tokio::test]
async fn the_page_shows_the_same_numbers_escaped_with_a_chart() {
    let t = TestApp::demo(40).await;
    import_small_table(&t).await;
    let want = expected_rows(&t).await;
    let mut c = t.client(Role::Member).await;
    let r = c
        .get("/mapping?table=small&definitions=defs&region=A")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = &r.body;
    // Names with markup are escaped everywhere (table, chart titles, selects).
    assert!(!body.contains("<b>Nord</b>"));
    assert!(!body.contains("<script>x()</script>"));
    assert!(
        body.contains("&lt;b&gt;Nord&lt;&#x2f;b&gt;") || body.contains("&lt;b&gt;Nord&lt;/b&gt;"),
        "{body}"
    );
    assert!(body.contains("Optics &lt;script&gt;x()&lt;"));
    // Each cluster's row holds milieu-map's numbers as the page formats them.
    let table = &body[body.find(r#"<table id="clusters">"#).unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    for w in &want {
        let at = table
            .find(&format!("({})", w.industry_or_cluster))
            .unwrap_or_else(|| panic!("row of {}", w.industry_or_cluster));
        let row = &table[at..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(&group(w.employment.round() as i64)), "{row}");
        assert!(row.contains(&format!("{:.2}", w.lq.unwrap())), "{row}");
        assert!(
            row.contains(&format!("{:.1}%", w.cagr.unwrap() * 100.0)),
            "{row}"
        );
        assert!(row.contains(&format!(">{}<", w.stars)), "{row}");
        assert!(row.contains(w.classification), "{row}");
    }
    // The bubble chart: accessible SVG with a bubble per cluster with LQ and growth.
    assert!(body.contains("<svg"));
    assert!(body.contains(r#"<title id="bubble-title">"#));
    assert!(body.contains(r#"<desc id="bubble-desc">"#));
    assert_eq!(body.matches("<circle").count(), want.len());
    // The official definitions and the report link.
    assert!(body.contains(r#"<table id="definitions">"#));
    assert!(body.contains("1111, 1112"));
    assert!(
        body.contains(
            "/mapping/report?table=small&amp;definitions=defs&amp;year=2022&amp;region=A"
        )
    );
}

#[tokio::test]
async fn the_report_page_is_milieu_maps_report() {
    let t = TestApp::demo(40).await;
    import_small_table(&t).await;
    let mut c = t.client(Role::Funder).await;
    let r = c
        .get("/mapping/report?table=small&definitions=defs&region=A&year=2022")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("<html") || r.body.contains("<!doctype") || r.body.contains("<!DOCTYPE")
    );
    assert!(!r.body.contains("<script>x()</script>"));
    let r = c.get("/mapping/report?table=small&region=ZZ").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_empty_database_says_how_to_import_and_the_demo_table_works() {
    let t = TestApp::demo(40).await;
    let mut c = t.client(Role::Manager).await;
    let r = c.get("/mapping").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("milieu map import cbp"));
    let r = c.get("/api/mapping/clusters").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    milieu_app::map::write_demo_map(&t.store).await.unwrap();
    let r = c.get("/mapping").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Lindenmark-Nord"));
    assert!(r.body.contains("Medical technology"));
    assert!(r.body.contains("<circle"));
    let json = c.get("/api/mapping/clusters?region=LM-W").await.json();
    let ict = json["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["cluster"] == "ict_software")
        .unwrap()
        .clone();
    assert!(ict["lq"].as_f64().unwrap() > 1.5, "{ict}");
    assert!(ict["cagr"].as_f64().unwrap() > 0.0);
    // The demo organisations of the sub-region are counted per cluster.
    assert!(
        json["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["organised_actors"].as_u64().is_some_and(|n| n > 0)),
        "{json}"
    );
    let r = c.get("/mapping/report?region=LM-N").await;
    assert_eq!(r.status, StatusCode::OK);
    // Discovery on request: clusters of the traded industries, every one placed once.
    let json = c
        .get("/api/mapping/clusters?region=LM-N&discover=1")
        .await
        .json();
    let found = json["discovered"]
        .as_array()
        .unwrap_or_else(|| panic!("{json}"));
    let sizes: u64 = found.iter().map(|d| d["size"].as_u64().unwrap()).sum();
    assert_eq!(sizes, 12, "the demo's 12 traded industries");
    let r = c.get("/mapping?region=LM-N&discover=1").await;
    assert!(r.body.contains(r#"<table id="discovered">"#));
    // The operations are in the OpenAPI document.
    let doc = c.get("/api/openapi.json").await.json();
    for path in [
        "/api/mapping/tables",
        "/api/mapping/clusters",
        "/api/network",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
}

/// The page and the API take the command line's defaults (milieu-app's scope rule): with two
/// definition sets stored and none named, both refuse (the page shows its chooser) instead of
/// taking the first.
#[tokio::test]
async fn two_definition_sets_and_none_named_ask_for_a_choice() {
    let t = TestApp::demo(40).await;
    import_small_table(&t).await;
    let mut other = t.store.map_definitions_get("defs").await.unwrap().unwrap();
    other.name = "defs2".into();
    t.store.map_definitions_put(&other).await.unwrap();
    let rule = milieu_app::map::resolve(
        &t.store,
        &milieu_app::map::ScopeRequest {
            table: Some("small".into()),
            needs_definitions: true,
            ..Default::default()
        },
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(rule.contains("several cluster definition sets are stored (defs, defs2)"));
    let mut c = t.client(Role::Manager).await;
    let r = c.get("/api/mapping/clusters?table=small&region=A").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.json()["message"], rule.as_str());
    let r = c.get("/mapping").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("several cluster definition sets are stored")
    );
    assert!(r.body.contains(r#"<option value="defs2">defs2</option>"#));
    // Named, it is used.
    let r = c
        .get("/api/mapping/clusters?table=small&definitions=defs2&region=A")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["definitions"], "defs2");
}
