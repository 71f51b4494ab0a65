//! The dashboard over time (`/`, `/api/dashboard`) and the API viewer (`/api/docs`), through
//! HTTP: the figures are milieu-eval's KPIs on the records the account may see, the funder
//! gets aggregates with small cells suppressed, and the viewer's page and assets load.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use milieu_app::access::{Principal, Role};
use milieu_eval::{Granularity, KpiOptions, KpiRow};
use milieu_model::{Dataset, Date, OrgId, Visibility};
use std::collections::{BTreeSet, HashMap};

fn principal(role: Role, org: Option<&str>) -> Principal {
    Principal {
        username: role.as_str().into(),
        role,
        org: org.map(OrgId::new),
    }
}

/// The registry with only the ties, introductions and outcomes `who` may see (the rule applied
/// here record by record, independently of the server's code path).
fn seen_by(data: &Dataset, who: &Principal) -> Dataset {
    let mut d = data.clone();
    d.ties.retain(|t| who.may_see(t));
    d.introductions.retain(|x| who.may_see(x));
    d.outcomes.retain(|o| who.may_see(o));
    d
}

fn date(v: &serde_json::Value) -> Date {
    v.as_str().unwrap().parse().unwrap()
}

fn kpis(data: &Dataset, d: &serde_json::Value) -> Vec<KpiRow> {
    let opts = KpiOptions {
        initiative: None,
        from: Some(date(&d["from"])),
        to: Some(date(&d["to"])),
        by: Granularity::Quarter,
    };
    milieu_eval::kpis(data, &opts).unwrap()
}

fn series<'a>(d: &'a serde_json::Value, kpi: &str) -> &'a serde_json::Value {
    d["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kpi"] == kpi)
        .unwrap_or_else(|| panic!("no series {kpi}"))
}

fn sum_of(rows: &[KpiRow], kpi: &str) -> f64 {
    rows.iter()
        .filter(|r| r.kpi == kpi)
        .map(|r| r.numerator)
        .sum()
}

/// Every KPI series of the dashboard equals milieu-eval's rows, period by period, and its
/// total is made from them as it says.
fn assert_matches_engine(d: &serde_json::Value, rows: &[KpiRow], who: &str) {
    let mut checked = 0;
    for s in d["series"].as_array().unwrap() {
        let kpi = s["kpi"].as_str().unwrap();
        if kpi == "meetings_scheduled" {
            continue;
        }
        let expected: Vec<&KpiRow> = rows.iter().filter(|r| r.kpi == kpi).collect();
        let points = s["points"].as_array().unwrap();
        assert_eq!(points.len(), expected.len(), "{who} {kpi}: periods");
        assert!(!points.is_empty(), "{who} {kpi}: no periods");
        for (p, r) in points.iter().zip(&expected) {
            assert_eq!(p["period"], r.period.as_str(), "{who} {kpi}");
            assert_eq!(
                p["numerator"].as_f64(),
                Some(r.numerator),
                "{who} {kpi} {}",
                r.period
            );
            assert_eq!(
                p["denominator"].as_f64(),
                r.denominator,
                "{who} {kpi} {}",
                r.period
            );
            match (p["value"].as_f64(), r.value) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{who} {kpi} {}", r.period),
                (a, b) => assert_eq!(a, b, "{who} {kpi} {}", r.period),
            }
        }
        let total = &s["total"];
        match total["basis"].as_str().unwrap() {
            "sum" => assert_eq!(
                total["value"].as_f64(),
                Some(sum_of(rows, kpi)),
                "{who} {kpi}"
            ),
            "latest" => {
                let last = expected.last().unwrap();
                assert_eq!(total["numerator"].as_f64(), Some(last.numerator));
                assert_eq!(total["denominator"].as_f64(), last.denominator);
            }
            "ratio_of_sums" => {
                let num = sum_of(rows, kpi);
                let den: f64 = expected.iter().filter_map(|r| r.denominator).sum();
                assert_eq!(total["numerator"].as_f64(), Some(num), "{who} {kpi}");
                assert_eq!(total["denominator"].as_f64(), Some(den), "{who} {kpi}");
            }
            other => panic!("unknown basis {other}"),
        }
        checked += 1;
    }
    assert!(checked >= 9, "{who}: only {checked} KPI series");
}

#[tokio::test]
async fn the_figures_are_milieu_evals_kpis_on_what_the_account_may_see() {
    let t = TestApp::demo(150).await;
    let data = t.store.dataset().await.unwrap();
    let member = principal(Role::Member, Some(&t.member_org));
    let team = principal(Role::Manager, None);

    let mut c = t.client(Role::Manager).await;
    let staff = c.get("/api/dashboard").await;
    assert_eq!(staff.status, StatusCode::OK, "{}", staff.body);
    let staff = staff.json();
    assert_eq!(staff["aggregate_only"], false);
    let staff_rows = kpis(&seen_by(&data, &team), &staff);
    assert_matches_engine(&staff, &staff_rows, "manager");
    // Every account of the team sees the same figures.
    for role in [Role::Admin, Role::Broker] {
        let d = t.client(role).await.get("/api/dashboard").await.json();
        assert_eq!(d["series"], staff["series"], "{role}");
    }

    let mut m = t.client(Role::Member).await;
    let mine = m.get("/api/dashboard").await.json();
    let member_rows = kpis(&seen_by(&data, &member), &mine);
    assert_matches_engine(&mine, &member_rows, "member");

    // The member's view counts its own private ties; the team's does not.
    let own_private = |t: &milieu_model::Tie| {
        t.visibility == Visibility::Private
            && (t.from.as_str() == t_member(&member) || t.to.as_str() == t_member(&member))
    };
    let mut without_own_private = seen_by(&data, &member);
    without_own_private.ties.retain(|t| !own_private(t));
    let member_total = series(&mine, "ties_formed")["total"]["value"]
        .as_f64()
        .unwrap();
    assert!(
        member_total > sum_of(&kpis(&without_own_private, &mine), "ties_formed"),
        "the member's ties formed leave out its private ties"
    );
    let mut team_plus_private = seen_by(&data, &team);
    team_plus_private
        .ties
        .extend(data.ties.iter().filter(|t| own_private(t)).cloned());
    let staff_total = series(&staff, "ties_formed")["total"]["value"]
        .as_f64()
        .unwrap();
    assert!(
        staff_total < sum_of(&kpis(&team_plus_private, &staff), "ties_formed"),
        "the team's ties formed count the member's private ties"
    );

    // `milieu evaluate kpis` (milieu_app::evaluate::kpis) over the same range counts every
    // record: the series that involve no confidential record agree with it exactly, and the
    // ties formed it counts include the private ones the team does not see.
    let cli = milieu_app::evaluate::kpis(
        &t.store,
        &KpiOptions {
            initiative: None,
            from: Some(date(&staff["from"])),
            to: Some(date(&staff["to"])),
            by: Granularity::Quarter,
        },
    )
    .await
    .unwrap();
    for kpi in ["events", "new_orgs_reached"] {
        let shown: Vec<f64> = series(&staff, kpi)["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["numerator"].as_f64().unwrap())
            .collect();
        let engine: Vec<f64> = cli
            .iter()
            .filter(|r| r.kpi == kpi)
            .map(|r| r.numerator)
            .collect();
        assert_eq!(shown, engine, "{kpi}");
    }
    assert!(staff_total < sum_of(&cli, "ties_formed"));
}

fn t_member(p: &Principal) -> &str {
    p.org.as_ref().unwrap().as_str()
}

#[tokio::test]
async fn the_funder_sees_aggregates_and_nothing_about_one_firm() {
    let t = TestApp::demo(150).await;
    let data = t.store.dataset().await.unwrap();
    let mut f = t.client(Role::Funder).await;
    let r = f.get("/api/dashboard").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = r.json();
    assert_eq!(d["aggregate_only"], true);
    assert_eq!(d["k"], 3);

    // Computed over what the team may see (never private records).
    let team = principal(Role::Manager, None);
    let rows = kpis(&seen_by(&data, &team), &d);
    assert_matches_engine(&d, &rows, "funder");

    // Outcomes by kind: totals only, and no shown cell stands for 1 or 2 organisations.
    let aggregate = seen_by(&data, &team);
    let (from, to) = (date(&d["from"]), date(&d["to"]));
    // Organisations behind each kind's count: members (any membership overlapping the
    // outcome's quarter, as milieu-eval counts them) reporting in the range.
    let quarters: Vec<(Date, Date)> = d["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (date(&p["start"]), date(&p["end"])))
        .collect();
    let member = |org: &str, s: Date, e: Date| {
        aggregate.memberships.is_empty()
            || aggregate.memberships.iter().any(|m| {
                m.org.as_str() == org
                    && m.from.is_none_or(|f| f <= e)
                    && m.to.is_none_or(|t| t >= s)
            })
    };
    let mut orgs_per_kind: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for o in aggregate.outcomes.iter().filter(|o| {
        from <= o.date
            && o.date <= to
            && quarters
                .iter()
                .any(|&(s, e)| s <= o.date && o.date <= e && member(o.org.as_str(), s, e))
    }) {
        use milieu_model::Vocabulary;
        orgs_per_kind
            .entry(o.kind.as_str())
            .or_default()
            .insert(o.org.as_str());
    }
    let kinds = d["outcomes_by_kind"].as_array().unwrap();
    assert!(!kinds.is_empty());
    let mut suppressed = 0;
    for k in kinds {
        assert_eq!(
            k["points"].as_array().unwrap().len(),
            0,
            "no per-quarter breakdown"
        );
        let n = orgs_per_kind
            .get(k["kind"].as_str().unwrap())
            .map_or(0, |s| s.len());
        if k["suppressed"] == true {
            suppressed += 1;
            assert!(k["total"].is_null());
        } else {
            assert!(
                n == 0 || n >= 3,
                "{} shown with {n} organisations",
                k["kind"]
            );
            let kpi = format!("outcomes_{}", k["kind"].as_str().unwrap());
            assert_eq!(k["total"].as_f64(), Some(sum_of(&rows, &kpi)));
        }
    }
    // A lone suppressed cell would be recoverable from the total: never exactly one.
    assert_ne!(suppressed, 1);

    // No organisation is named, in the API or on the page.
    let page = f.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg class=\"chart\""));
    assert!(!page.body.contains("Outcomes by kind and quarter"));
    for o in &data.organisations {
        assert!(!r.body.contains(&o.name), "the API names {}", o.name);
        assert!(!page.body.contains(&o.name), "the page names {}", o.name);
        assert!(
            !r.body.contains(&format!("\"{}\"", o.id)),
            "the API has id {}",
            o.id
        );
    }
}

#[tokio::test]
async fn the_page_explains_each_figure_and_works_without_javascript() {
    let t = TestApp::demo(100).await;
    let mut c = t.client(Role::Broker).await;
    let page = c.get("/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    for kpi in [
        "members_engaged",
        "new_orgs_reached",
        "events",
        "meetings_scheduled",
        "meetings_held",
        "ties_formed",
        "introductions_requested",
        "introduction_conversion",
        "outcomes_total",
    ] {
        assert!(
            body.contains(&format!("id=\"series-{kpi}\"")),
            "no series {kpi}"
        );
        assert!(
            body.contains(&format!("id=\"total-{kpi}\"")),
            "no total {kpi}"
        );
    }
    assert!(body.matches("<svg class=\"chart\"").count() >= 9);
    assert!(body.contains("<summary>How this is counted</summary>"));
    assert!(body.contains("<caption>Ties formed per quarter</caption>"));
    assert!(body.contains("Outcomes by kind and quarter"));
    assert!(!body.contains("<script>"), "no inline script");
    // A range narrows the quarters; a bad date is refused.
    let d = c
        .get("/api/dashboard?from=2024-01-01&to=2024-12-31")
        .await
        .json();
    let labels: Vec<&str> = d["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]);
    let bad = c.get("/api/dashboard?from=2024-13-01").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["code"], "web.bad_input");
    let anonymous = t.anonymous().get("/api/dashboard").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_api_viewer_and_its_assets_load() {
    let t = TestApp::demo(60).await;
    let r = t.anonymous().get("/api/docs").await;
    assert!(r.status.is_redirection());
    assert_eq!(r.location(), Some("/login?next=/api/docs"));

    let mut c = t.client(Role::Funder).await;
    let page = c.get("/api/docs").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Auto-escaped: "/" is written &#x2f; (the browser reads it back).
    assert!(
        page.body
            .contains("data-spec-url=\"&#x2f;api&#x2f;openapi.json\"")
    );
    assert!(!page.body.contains("<script>"), "no inline script (CSP)");
    for (asset, kind) in [
        (
            "/static/vendor/swagger-ui/swagger-ui-bundle.js",
            "text/javascript",
        ),
        ("/static/vendor/swagger-ui/swagger-ui.css", "text/css"),
        ("/static/api_docs.js", "text/javascript"),
        ("/static/api_docs.css", "text/css"),
    ] {
        assert!(page.body.contains(asset), "the page does not load {asset}");
        let a = c.get(asset).await;
        assert_eq!(a.status, StatusCode::OK, "{asset}");
        let ct = a.headers.get("content-type").unwrap().to_str().unwrap();
        assert!(ct.starts_with(kind), "{asset}: {ct}");
        assert!(a.body.len() > 100, "{asset} is empty");
    }
    let spec = c.get("/api/openapi.json").await.json();
    assert!(spec["paths"]["/api/dashboard"]["get"].is_object());
    assert!(spec["paths"]["/api/summary"]["get"].is_object());
}
