//! The network map through HTTP: who sees which edges, the filters, the cache, the page.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use milieu_app::access::{Principal, Role};
use milieu_model::{
    Dataset, OrgId, Tie, TieId, TieKind, TieSource, Visibility, Vocabulary, parse_date,
};
use std::collections::BTreeSet;

fn principal(t: &TestApp, role: Role) -> Principal {
    Principal {
        username: role.as_str().into(),
        role,
        org: (role == Role::Member).then(|| OrgId::new(&t.member_org)),
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Unordered pairs of the JSON's edges.
fn edge_pairs(json: &serde_json::Value) -> BTreeSet<(String, String)> {
    json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| pair(e["source"].as_str().unwrap(), e["target"].as_str().unwrap()))
        .collect()
}

fn node_ids(json: &serde_json::Value) -> BTreeSet<String> {
    json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

/// The pairs of the ties `who` may see that pass `keep` (the registry filtered by the rule).
fn expected_pairs(
    data: &Dataset,
    who: &Principal,
    keep: impl Fn(&Tie) -> bool,
) -> BTreeSet<(String, String)> {
    data.ties
        .iter()
        .filter(|t| who.can_see(t.visibility, &t.from, &t.to) && t.from != t.to && keep(t))
        .map(|t| pair(t.from.as_str(), t.to.as_str()))
        .collect()
}

fn nodes_of(pairs: &BTreeSet<(String, String)>) -> BTreeSet<String> {
    pairs
        .iter()
        .flat_map(|(a, b)| [a.clone(), b.clone()])
        .collect()
}

#[tokio::test]
async fn each_role_sees_the_edges_the_rule_allows() {
    let t = TestApp::demo(120).await;
    let data = t.store.dataset().await.unwrap();
    let mut seen = Vec::new();
    for role in [Role::Manager, Role::Broker, Role::Member, Role::Funder] {
        let mut c = t.client(role).await;
        let r = c.get("/api/network").await;
        assert_eq!(r.status, StatusCode::OK, "{role}: {}", r.body);
        let json = r.json();
        let who = principal(&t, role);
        let want = expected_pairs(&data, &who, |_| true);
        let got = edge_pairs(&json);
        assert_eq!(got, want, "{role}: edges are the ties the rule lets it see");
        assert_eq!(node_ids(&json), nodes_of(&want), "{role}: nodes");
        assert_eq!(
            json["stats"]["edges"].as_u64().unwrap() as usize,
            want.len()
        );
        assert!(!json["legend"].as_array().unwrap().is_empty());
        for n in json["nodes"].as_array().unwrap() {
            assert!(n["x"].is_number() && n["y"].is_number() && n["size"].is_number());
            assert!(n["color"].as_str().unwrap().starts_with('#'));
        }
        seen.push((role, got));
    }
    let private: Vec<&Tie> = data
        .ties
        .iter()
        .filter(|x| x.visibility == Visibility::Private)
        .collect();
    assert!(!private.is_empty());
    // A private pair (no other, less confidential tie between the two): only its parties.
    let only_private = |p: &(String, String)| {
        data.ties
            .iter()
            .filter(|x| pair(x.from.as_str(), x.to.as_str()) == *p)
            .all(|x| x.visibility == Visibility::Private)
    };
    let member_private: Vec<(String, String)> = private
        .iter()
        .filter(|x| x.from.as_str() == t.member_org || x.to.as_str() == t.member_org)
        .map(|x| pair(x.from.as_str(), x.to.as_str()))
        .filter(only_private)
        .collect();
    assert!(
        !member_private.is_empty(),
        "the demo member has a private tie of its own"
    );
    let edges_of = |role: Role| &seen.iter().find(|(r, _)| *r == role).unwrap().1;
    for p in &member_private {
        assert!(
            edges_of(Role::Member).contains(p),
            "member sees its own private tie"
        );
        assert!(
            !edges_of(Role::Manager).contains(p),
            "staff never see a private tie"
        );
        assert!(!edges_of(Role::Funder).contains(p));
    }
    // Staff: every edge has a tie that is not private; funder: every edge has a public tie.
    let has = |p: &(String, String), ok: &dyn Fn(Visibility) -> bool| {
        data.ties
            .iter()
            .any(|x| pair(x.from.as_str(), x.to.as_str()) == *p && ok(x.visibility))
    };
    for p in edges_of(Role::Manager) {
        assert!(has(p, &|v| v != Visibility::Private), "staff edge {p:?}");
    }
    for p in edges_of(Role::Funder) {
        assert!(has(p, &|v| v == Visibility::Public), "funder edge {p:?}");
    }
    assert!(edges_of(Role::Funder).len() < edges_of(Role::Manager).len());
}

#[tokio::test]
async fn kinds_and_dates_filter_the_edges() {
    let t = TestApp::demo(120).await;
    let data = t.store.dataset().await.unwrap();
    let who = principal(&t, Role::Manager);
    let mut c = t.client(Role::Manager).await;
    let all = edge_pairs(&c.get("/api/network").await.json());

    // One kind, then two kinds (comma-separated and repeated give the same).
    let kind = data.ties.iter().map(|x| x.kind).next().unwrap();
    let r = c
        .get(&format!("/api/network?kinds={}", kind.as_str()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let want = expected_pairs(&data, &who, |x| x.kind == kind);
    let got = edge_pairs(&r.json());
    assert_eq!(got, want);
    assert!(got.len() < all.len());
    for e in r.json()["edges"].as_array().unwrap() {
        assert_eq!(e["kind"], kind.as_str());
    }
    let a = c.get("/api/network?kinds=alliance,supplier").await.json();
    let b = c
        .get("/api/network?kinds=supplier&kinds=alliance")
        .await
        .json();
    assert_eq!(edge_pairs(&a), edge_pairs(&b));
    assert_eq!(
        edge_pairs(&a),
        expected_pairs(&data, &who, |x| matches!(
            x.kind,
            TieKind::Alliance | TieKind::Supplier
        ))
    );

    // A date range: ties in force at some time inside it.
    let (from, to) = (
        parse_date("2021-01-01").unwrap(),
        parse_date("2021-12-31").unwrap(),
    );
    let r = c.get("/api/network?from=2021-01-01&to=2021-12-31").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let want = expected_pairs(&data, &who, |x| {
        x.end.is_none_or(|e| e > from) && x.start <= to
    });
    let got = edge_pairs(&r.json());
    assert_eq!(got, want);
    assert!(got.len() < all.len(), "the range leaves some ties out");
    // On a date: ties in force then.
    let at = parse_date("2020-06-30").unwrap();
    let got = edge_pairs(&c.get("/api/network?at=2020-06-30").await.json());
    assert_eq!(got, expected_pairs(&data, &who, |x| x.active_on(at)));

    // Bad parameters are 400 with a code.
    for q in [
        "kinds=friendship",
        "from=2021-13-01",
        "measure=fame",
        "color=mood",
        "at=2021-01-01&from=2020-01-01",
    ] {
        let r = c.get(&format!("/api/network?{q}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}: {}", r.body);
        assert!(r.json()["code"].is_string());
    }
}

#[tokio::test]
async fn measures_and_colours_change_sizes_and_legend() {
    let t = TestApp::demo(120).await;
    let mut c = t.client(Role::Manager).await;
    let by_degree = c.get("/api/network?measure=degree&color=kind").await.json();
    let by_between = c
        .get("/api/network?measure=betweenness&color=sector")
        .await
        .json();
    assert_eq!(by_degree["measure"], "degree");
    assert_eq!(by_between["color"], "sector");
    // The node with the largest degree has the largest size under measure=degree.
    let nodes = by_degree["nodes"].as_array().unwrap();
    let top_degree = nodes
        .iter()
        .max_by(|a, b| {
            a["degree"]
                .as_f64()
                .partial_cmp(&b["degree"].as_f64())
                .unwrap()
        })
        .unwrap();
    let top_size = nodes
        .iter()
        .map(|n| n["size"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(top_degree["size"].as_f64().unwrap(), top_size);
    // The kind legend names organisation kinds and counts every node once.
    let legend = by_degree["legend"].as_array().unwrap();
    let total: u64 = legend.iter().map(|e| e["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, nodes.len());
    assert!(legend.iter().any(|e| e["label"] == "firm"));
    // Brokers and key players are flagged.
    assert!(nodes.iter().any(|n| n["broker"] == true));
    assert!(nodes.iter().any(|n| n["key_player"] == true));
}

#[tokio::test]
async fn the_cache_answers_the_same_and_a_write_refreshes_it() {
    let t = TestApp::demo(100).await;
    let mut c = t.client(Role::Manager).await;
    let first = c.get("/api/network?measure=eigenvector").await;
    let second = c.get("/api/network?measure=eigenvector").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body, second.body, "identical JSON from the cache");
    let before = edge_pairs(&first.json());
    // Two organisations not tied yet get a public tie.
    let data = t.store.dataset().await.unwrap();
    let ids: Vec<&str> = data.organisations.iter().map(|o| o.id.as_str()).collect();
    let (a, b) = ids
        .iter()
        .flat_map(|a| ids.iter().map(move |b| (*a, *b)))
        .find(|(a, b)| a < b && !before.contains(&pair(a, b)))
        .unwrap();
    let tie = Tie {
        id: TieId::new("t-cache-test"),
        from: OrgId::new(a),
        to: OrgId::new(b),
        kind: TieKind::Alliance,
        start: parse_date("2020-01-01").unwrap(),
        end: None,
        strength: Some(3),
        trust: None,
        source: TieSource::Import,
        event: None,
        introduction: None,
        visibility: Visibility::Public,
        note: String::new(),
    };
    t.store
        .import(&Dataset {
            ties: vec![tie],
            ..Dataset::default()
        })
        .await
        .unwrap();
    let after = c.get("/api/network?measure=eigenvector").await;
    assert_ne!(after.body, first.body);
    let after = edge_pairs(&after.json());
    assert!(after.contains(&pair(a, b)));
    assert_eq!(after.len(), before.len() + 1);
}

#[tokio::test]
async fn the_page_has_the_map_and_a_table_without_javascript() {
    let t = TestApp::demo(100).await;
    let mut c = t.client(Role::Funder).await;
    let r = c
        .get("/network?measure=pagerank&kinds=alliance&kinds=supplier")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(r#"<div id="network-map""#));
    // (minijinja escapes `/` as `&#x2f;` in attributes.)
    assert!(
        r.body.contains(
            "network?kinds=alliance%2Csupplier&amp;measure=pagerank&amp;color=community\""
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains("/static/vendor/sigma-graphology.js"));
    assert!(r.body.contains("/static/network.js"));
    assert!(r.body.contains(r#"<table id="network-top">"#));
    assert!(r.body.contains("by pagerank"));
    assert!(!r.body.contains("<script>"), "no inline script");
    // The top table lists organisations of the map with links to their profiles.
    let json = c
        .get("/api/network?measure=pagerank&kinds=alliance,supplier")
        .await
        .json();
    let best = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .max_by(|a, b| {
            a["pagerank"]
                .as_f64()
                .partial_cmp(&b["pagerank"].as_f64())
                .unwrap()
        })
        .unwrap();
    assert!(
        r.body
            .contains(&format!("/orgs/{}", best["id"].as_str().unwrap()))
    );
    // The scripts are served.
    for path in [
        "/static/network.js",
        "/static/vendor/sigma-graphology.js",
        "/static/network.css",
    ] {
        let s = c.get(path).await;
        assert_eq!(s.status, StatusCode::OK, "{path}");
    }
    // Anonymous: 401 under /api, redirect for the page.
    let mut anon = t.anonymous();
    assert_eq!(
        anon.get("/api/network").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(anon.get("/network").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn organisation_names_are_escaped_on_the_page() {
    let t = TestApp::demo(60).await;
    let data = t.store.dataset().await.unwrap();
    // The best-tied organisation gets a name with markup.
    let mut org = data.organisations[0].clone();
    let counts = |id: &str| {
        data.ties
            .iter()
            .filter(|x| x.from.as_str() == id || x.to.as_str() == id)
            .count()
    };
    for o in &data.organisations {
        if counts(o.id.as_str()) > counts(org.id.as_str()) {
            org = o.clone();
        }
    }
    org.name = "<script>alert(1)</script> & Co".into();
    t.store.replace(&org).await.unwrap();
    let mut c = t.client(Role::Manager).await;
    let r = c.get("/network").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("<script>alert(1)</script>"));
    assert!(
        r.body.contains("&lt;script&gt;alert(1)&lt;"),
        "the name is on the page, escaped"
    );
    assert!(r.body.contains("script&gt; &amp; Co"));
}

#[tokio::test]
async fn the_network_json_is_gzipped_for_clients_that_accept_it() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use std::io::Read;
    use tower::ServiceExt;
    let t = TestApp::demo(120).await;
    let c = t.client(Role::Manager).await;
    let cookie = c.cookie.clone().unwrap();
    let get = |encoding: Option<&'static str>| {
        let mut b = Request::get("/api/network").header(header::COOKIE, cookie.clone());
        if let Some(e) = encoding {
            b = b.header(header::ACCEPT_ENCODING, e);
        }
        b.body(Body::empty()).unwrap()
    };
    let plain = t.app.clone().oneshot(get(None)).await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let plain = plain.into_body().collect().await.unwrap().to_bytes();
    for (accept, gzipped) in [
        ("gzip, deflate, br", true),
        ("br;q=1.0, gzip;q=0.5", true),
        ("gzip;q=0", false),
        ("identity", false),
    ] {
        let r = t.app.clone().oneshot(get(Some(accept))).await.unwrap();
        let encoding = r.headers().get(header::CONTENT_ENCODING).cloned();
        let body = r.into_body().collect().await.unwrap().to_bytes();
        if gzipped {
            assert_eq!(encoding.unwrap(), "gzip", "{accept}");
            assert!(body.len() * 3 < plain.len(), "{accept}: compressed");
            let mut unzipped = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut unzipped)
                .unwrap();
            assert_eq!(unzipped, plain, "{accept}");
        } else {
            assert!(encoding.is_none(), "{accept}");
            assert_eq!(body, plain, "{accept}");
        }
    }
}
