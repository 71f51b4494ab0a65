//! The confidentiality rule, once, against every place that applies it: `Principal::can_see`
//! and `may_see`, the network graph builder, the matching context (built directly and through
//! `Matcher::for_view`), every `View` accessor, `visible_dataset`, `aggregate_dataset` and the
//! view's network registry. For every role and every visibility the expected answer comes from
//! one table (`RULE`), written from the product's words, not from the code; a viewer that
//! disagrees fails here. A second test checks that nothing handed out names a hidden record.

use milieu_app::access::{Principal, Role, Snapshot, View};
use milieu_app::matching::Matcher;
use milieu_app::net::{GraphSpec, build_graph};
use milieu_match::{ContextOptions, MatchContext};
use milieu_model::{
    Dataset, Date, Introduction, IntroductionId, IntroductionStatus, OrgId, OrgKind, Organisation,
    Outcome, OutcomeId, OutcomeKind, Tie, TieId, TieKind, TieSource, Visibility,
};

/// Who asks. `a` and `b` are the two sides of every record, `via` the organisation an
/// introduction went via, `third` a member of none of them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Admin,
    Manager,
    Broker,
    MemberOfA,
    MemberOfB,
    MemberOfVia,
    MemberOfThird,
    Funder,
}

const EVERYONE: [Who; 8] = [
    Who::Admin,
    Who::Manager,
    Who::Broker,
    Who::MemberOfA,
    Who::MemberOfB,
    Who::MemberOfVia,
    Who::MemberOfThird,
    Who::Funder,
];

const LEVELS: [Visibility; 4] = [
    Visibility::Private,
    Visibility::Staff,
    Visibility::Cluster,
    Visibility::Public,
];

/// The rule (PRODUCT.md, access module docs): `private` the parties only, `staff` + the
/// cluster team, `cluster` + every member, `public` everyone; no role sees another firm's
/// private records. Columns: private, staff, cluster, public, for a record between a and b.
/// The via organisation is a party to its introduction only (see `may_see_introduction`).
const RULE: [(Who, [bool; 4]); 8] = [
    (Who::Admin, [false, true, true, true]),
    (Who::Manager, [false, true, true, true]),
    (Who::Broker, [false, true, true, true]),
    (Who::MemberOfA, [true, true, true, true]),
    (Who::MemberOfB, [true, true, true, true]),
    (Who::MemberOfVia, [false, false, true, true]),
    (Who::MemberOfThird, [false, false, true, true]),
    (Who::Funder, [false, false, false, true]),
];

fn level(visibility: Visibility) -> usize {
    LEVELS.iter().position(|v| *v == visibility).unwrap()
}

/// Whether `who` may see a tie or an outcome between a and b.
fn may_see_between_a_and_b(who: Who, visibility: Visibility) -> bool {
    RULE.iter().find(|(w, _)| *w == who).unwrap().1[level(visibility)]
}

/// Whether `who` may see an introduction of a to b via `via`: the via organisation is a
/// party (it is asked for its consent).
fn may_see_introduction(who: Who, visibility: Visibility) -> bool {
    who == Who::MemberOfVia || may_see_between_a_and_b(who, visibility)
}

/// What aggregates shown to `who` cover: its own view, but the team's for a funder.
fn aggregate_covers(who: Who, visibility: Visibility) -> bool {
    match who {
        Who::Funder => may_see_between_a_and_b(Who::Manager, visibility),
        _ => may_see_between_a_and_b(who, visibility),
    }
}

fn aggregate_covers_introduction(who: Who, visibility: Visibility) -> bool {
    match who {
        Who::Funder => may_see_introduction(Who::Manager, visibility),
        _ => may_see_introduction(who, visibility),
    }
}

fn principal(who: Who) -> Principal {
    let (role, org) = match who {
        Who::Admin => (Role::Admin, None),
        Who::Manager => (Role::Manager, None),
        Who::Broker => (Role::Broker, None),
        Who::MemberOfA => (Role::Member, Some("a")),
        Who::MemberOfB => (Role::Member, Some("b")),
        Who::MemberOfVia => (Role::Member, Some("via")),
        Who::MemberOfThird => (Role::Member, Some("third")),
        Who::Funder => (Role::Funder, None),
    };
    Principal {
        username: format!("{who:?}").to_lowercase(),
        role,
        org: org.map(OrgId::new),
    }
}

fn date(s: &str) -> Date {
    milieu_model::parse_date(s).unwrap()
}

fn tie(id: &str, visibility: Visibility) -> Tie {
    Tie {
        id: TieId::new(id),
        from: OrgId::new("a"),
        to: OrgId::new("b"),
        kind: TieKind::Alliance,
        start: date("2020-06-01"),
        end: None,
        strength: Some(3),
        trust: None,
        source: TieSource::Introduction,
        event: None,
        introduction: None,
        visibility,
        note: String::new(),
    }
}

fn introduction(id: &str, visibility: Visibility) -> Introduction {
    Introduction {
        id: IntroductionId::new(id),
        from: OrgId::new("a"),
        to: OrgId::new("b"),
        via: Some(OrgId::new("via")),
        broker: None,
        date: date("2020-05-01"),
        status: IntroductionStatus::Made,
        note: String::new(),
        visibility,
    }
}

fn outcome(id: &str, visibility: Visibility) -> Outcome {
    Outcome {
        id: OutcomeId::new(id),
        org: OrgId::new("a"),
        kind: OutcomeKind::Agreement,
        date: date("2020-07-01"),
        partner: Some(OrgId::new("b")),
        tie: None,
        event: None,
        introduction: None,
        value: None,
        note: String::new(),
        visibility,
    }
}

fn directory() -> Dataset {
    Dataset {
        organisations: ["a", "b", "via", "third"]
            .into_iter()
            .map(|id| Organisation::new(id, id, OrgKind::Firm))
            .collect(),
        ..Dataset::default()
    }
}

/// Whether the matching engine, built for `view`'s account, knows of an a-b link.
fn matching_links_a_and_b(view: &View, data: &Dataset) -> bool {
    let direct = MatchContext::build(data, &ContextOptions::default(), view.principal);
    let through_view = Matcher::for_view(view, &ContextOptions::default()).unwrap();
    let linked =
        |ctx: &MatchContext| ctx.tied(ctx.org_index("a").unwrap(), ctx.org_index("b").unwrap());
    assert_eq!(
        linked(&direct),
        linked(&through_view.context),
        "{:?}: the matcher of a view and the engine's context disagree",
        view.principal
    );
    linked(&direct)
}

/// Edges of the ties graph built for `view`'s account, from the whole registry and from the
/// view's network registry.
fn graph_edges(view: &View, data: &Dataset) -> usize {
    let spec = GraphSpec {
        viewer: view.principal.clone(),
        ..GraphSpec::default()
    };
    let whole = milieu_app::net::Registry {
        organisations: data.organisations.clone(),
        ties: data.ties.clone(),
        ..Default::default()
    };
    let (g, _) = build_graph(&whole, &spec).unwrap();
    let (from_view, _) = build_graph(&view.network_registry(), &spec).unwrap();
    assert_eq!(g.edge_count(), from_view.edge_count());
    g.edge_count()
}

#[test]
fn every_viewer_applies_the_one_rule_for_every_role_and_visibility() {
    let (a, b) = (OrgId::new("a"), OrgId::new("b"));
    for visibility in LEVELS {
        // A tie alone, so the graph and the matching context have only it to link a and b.
        let mut with_tie = directory();
        with_tie.ties.push(tie("t", visibility));
        with_tie.outcomes.push(outcome("out", visibility));
        let tie_snapshot = Snapshot::build(with_tie.clone(), 1);
        // An introduction alone (made: matching counts it as a link).
        let mut with_introduction = directory();
        with_introduction
            .introductions
            .push(introduction("x", visibility));
        let introduction_snapshot = Snapshot::build(with_introduction.clone(), 1);

        for who in EVERYONE {
            let p = principal(who);
            let sees = may_see_between_a_and_b(who, visibility);
            let sees_x = may_see_introduction(who, visibility);
            let case = format!("{who:?} on a {visibility} record");
            let n = usize::from(sees);
            let n_x = usize::from(sees_x);

            // The rule itself.
            assert_eq!(p.can_see(visibility, &a, &b), sees, "can_see: {case}");
            assert_eq!(p.may_see(&with_tie.ties[0]), sees, "may_see tie: {case}");
            assert_eq!(
                p.may_see(&with_tie.outcomes[0]),
                sees,
                "may_see outcome: {case}"
            );
            assert_eq!(
                p.may_see(&with_introduction.introductions[0]),
                sees_x,
                "may_see introduction: {case}"
            );

            // The engines, with the principal as their audience.
            let view = tie_snapshot.view(&p);
            assert_eq!(graph_edges(&view, &with_tie), n, "graph: {case}");
            assert_eq!(
                matching_links_a_and_b(&view, &with_tie),
                sees,
                "matching, tie: {case}"
            );
            let view_x = introduction_snapshot.view(&p);
            assert_eq!(
                matching_links_a_and_b(&view_x, &with_introduction),
                sees_x,
                "matching, introduction: {case}"
            );

            // Every accessor of the view.
            assert_eq!(view.ties().count(), n, "View::ties: {case}");
            assert_eq!(view.ties_of("a").len(), n, "View::ties_of: {case}");
            assert_eq!(view.ties_of("b").len(), n, "View::ties_of: {case}");
            assert_eq!(view.tie("t").is_some(), sees, "View::tie: {case}");
            assert_eq!(view.outcomes().count(), n, "View::outcomes: {case}");
            assert_eq!(view.outcomes_of("a").len(), n, "View::outcomes_of: {case}");
            assert_eq!(view.outcomes_of("b").len(), n, "View::outcomes_of: {case}");
            assert_eq!(
                view_x.introductions().count(),
                n_x,
                "View::introductions: {case}"
            );
            assert_eq!(
                view_x.introduction("x").is_some(),
                sees_x,
                "View::introduction: {case}"
            );
            for org in ["a", "b", "via"] {
                assert_eq!(
                    view_x.introductions_of(org).len(),
                    n_x,
                    "View::introductions_of({org}): {case}"
                );
            }
            assert!(view_x.introductions_of("third").is_empty());

            // The datasets the view builds for computations.
            let visible = view.visible_dataset();
            assert_eq!(visible.ties.len(), n, "visible_dataset ties: {case}");
            assert_eq!(
                visible.outcomes.len(),
                n,
                "visible_dataset outcomes: {case}"
            );
            let visible_x = view_x.visible_dataset();
            assert_eq!(
                visible_x.introductions.len(),
                n_x,
                "visible_dataset introductions: {case}"
            );
            let covered = usize::from(aggregate_covers(who, visibility));
            let aggregate = view.aggregate_dataset();
            assert_eq!(aggregate.ties.len(), covered, "aggregate ties: {case}");
            assert_eq!(
                aggregate.outcomes.len(),
                covered,
                "aggregate outcomes: {case}"
            );
            assert_eq!(
                view_x.aggregate_dataset().introductions.len(),
                usize::from(aggregate_covers_introduction(who, visibility)),
                "aggregate introductions: {case}"
            );
            assert_eq!(
                view.network_registry().ties.len(),
                n,
                "network registry: {case}"
            );
        }
    }
}

#[test]
fn no_record_handed_out_names_a_record_its_reader_may_not_see() {
    // A private introduction of a to b, a staff tie that came of it, and a public outcome of
    // both: a funder sees the outcome only, the team the tie and the outcome, the parties all.
    let mut data = directory();
    data.introductions
        .push(introduction("x", Visibility::Private));
    let mut t = tie("t", Visibility::Staff);
    t.introduction = Some(IntroductionId::new("x"));
    data.ties.push(t);
    let mut o = outcome("out", Visibility::Public);
    o.tie = Some(TieId::new("t"));
    o.introduction = Some(IntroductionId::new("x"));
    data.outcomes.push(o);
    let snapshot = Snapshot::build(data, 1);

    for who in EVERYONE {
        let p = principal(who);
        let view = snapshot.view(&p);
        let tie_ok =
            |id: &Option<TieId>| id.as_ref().is_none_or(|t| view.tie(t.as_str()).is_some());
        let introduction_ok = |id: &Option<IntroductionId>| {
            id.as_ref()
                .is_none_or(|x| view.introduction(x.as_str()).is_some())
        };
        let case = format!("{who:?}");
        let mut ties: Vec<Tie> = view.ties().map(|t| t.into_owned()).collect();
        ties.extend(view.ties_of("a").into_iter().map(|t| t.into_owned()));
        ties.extend(view.tie("t").map(|t| t.into_owned()));
        ties.extend(view.visible_dataset().ties);
        ties.extend(view.network_registry().ties);
        let mut outcomes: Vec<Outcome> = view.outcomes().map(|o| o.into_owned()).collect();
        outcomes.extend(view.outcomes_of("b").into_iter().map(|o| o.into_owned()));
        outcomes.extend(view.visible_dataset().outcomes);
        for t in &ties {
            assert!(introduction_ok(&t.introduction), "{case}: {t:?}");
        }
        for o in &outcomes {
            assert!(tie_ok(&o.tie), "{case}: {o:?}");
            assert!(introduction_ok(&o.introduction), "{case}: {o:?}");
        }
        // References are removed only where hidden: the parties keep them all.
        let expect_tie_ref = may_see_between_a_and_b(who, Visibility::Staff);
        let expect_introduction_ref = may_see_introduction(who, Visibility::Private);
        let shown = view.outcomes().next().expect("the outcome is public");
        assert_eq!(shown.tie.is_some(), expect_tie_ref, "{case}");
        assert_eq!(
            shown.introduction.is_some(),
            expect_introduction_ref,
            "{case}"
        );
        if let Some(t) = view.tie("t") {
            assert_eq!(t.introduction.is_some(), expect_introduction_ref, "{case}");
        }
    }
}
