//! Partner matching and opportunity routing on small hand-made registries.

use milieu_match::{
    ContextOptions, MatchContext, MatchError, PartnerOptions, Purpose, RouteOptions,
    check_eligibility, digest, explain_opportunity, explain_pair, match_all, partners,
    route_opportunities,
};
use milieu_model::ErrorCode;
use milieu_model::{
    Audience, Dataset, Date, Eligibility, Initiative, InitiativeId, MemberRole, Membership,
    Opportunity, OpportunityId, OpportunityKind, OrgId, OrgKind, Organisation, Participation,
    Project, ProjectId, ProjectRole, SectorCode, SizeClass, Tie, TieKind, TieSource, Visibility,
};

fn date(s: &str) -> Date {
    milieu_model::parse_date(s).unwrap()
}

fn org(id: &str, name: &str, kind: OrgKind, region: &str, sector: &str) -> Organisation {
    Organisation {
        size_class: Some(SizeClass::Small),
        sectors: if sector.is_empty() {
            vec![]
        } else {
            vec![SectorCode::parse(sector).unwrap()]
        },
        region: Some(region.to_string()),
        country: Some(region[..2].to_string()),
        ..Organisation::new(id, name, kind)
    }
}

fn tie(from: &str, to: &str, kind: TieKind, visibility: Visibility) -> Tie {
    Tie {
        id: Tie::derived_id(&OrgId::new(from), &OrgId::new(to), kind, date("2024-01-01")),
        from: OrgId::new(from),
        to: OrgId::new(to),
        kind,
        start: date("2024-01-01"),
        end: None,
        strength: Some(4),
        trust: None,
        source: TieSource::SelfReport,
        event: None,
        introduction: None,
        visibility,
        note: String::new(),
    }
}

fn member(initiative: &str, org: &str) -> Membership {
    Membership {
        initiative: InitiativeId::new(initiative),
        org: OrgId::new(org),
        person: None,
        role: MemberRole::Member,
        from: None,
        to: None,
    }
}

/// A metalworking group (Acme, Bolt, Gear, with the institute Fraunhofer), a photonics group
/// (Lumo, Opti, Lens) that Acme has no tie to, Fraunhofer knowing Lumo, and Nano reachable
/// only through a private tie.
fn registry() -> Dataset {
    let mut acme = org(
        "acme",
        "Acme Machining",
        OrgKind::Firm,
        "DE11",
        "naics:332710",
    );
    acme.offers = "Precision machining of aluminium parts; CNC milling of housings".into();
    acme.requests =
        "We need laser sensors for quality inspection; anodising of aluminium parts".into();
    acme.keywords = vec!["cnc".into(), "machining".into()];
    let mut lumo = org(
        "lumo",
        "Lumo Photonics",
        OrgKind::Firm,
        "DE21",
        "naics:334511",
    );
    lumo.offers =
        "Laser sensors for quality inspection in production lines. Optical metrology".into();
    lumo.requests = "Machined housings for sensor heads".into();
    let mut opti = org(
        "opti",
        "Opti Coatings",
        OrgKind::Firm,
        "DE21",
        "naics:332813",
    );
    opti.offers = "Anodising and optical coatings of metal parts".into();
    let lens = org("lens", "Lens Lab", OrgKind::University, "DE21", "");
    let bolt = org(
        "bolt",
        "Bolt Fasteners",
        OrgKind::Firm,
        "DE11",
        "naics:332722",
    );
    let gear = org("gear", "Gear Works", OrgKind::Firm, "DE11", "naics:333612");
    let fraun = org(
        "fraun",
        "Fraunhofer Test Institute",
        OrgKind::ResearchInstitute,
        "DE11",
        "",
    );
    let hub = org("hub", "Hub Agency", OrgKind::Agency, "DE11", "");
    let mut nano = org(
        "nano",
        "Nano Sensors",
        OrgKind::Firm,
        "DE30",
        "naics:334511",
    );
    nano.offers = "Laser sensors and inspection cameras".into();
    let partner = org(
        "partner",
        "Project Partner",
        OrgKind::Firm,
        "DE11",
        "naics:332710",
    );
    Dataset {
        organisations: vec![
            acme, lumo, opti, lens, bolt, gear, fraun, hub, nano, partner,
        ],
        ties: vec![
            tie("acme", "bolt", TieKind::Supplier, Visibility::Public),
            tie("acme", "gear", TieKind::Customer, Visibility::Public),
            tie("bolt", "gear", TieKind::Alliance, Visibility::Public),
            tie("acme", "fraun", TieKind::JointProject, Visibility::Public),
            tie("bolt", "fraun", TieKind::Knowledge, Visibility::Public),
            tie("gear", "fraun", TieKind::Knowledge, Visibility::Public),
            tie("fraun", "lumo", TieKind::RnD, Visibility::Public),
            tie("lumo", "opti", TieKind::Supplier, Visibility::Public),
            tie("lumo", "lens", TieKind::RnD, Visibility::Public),
            tie("opti", "lens", TieKind::Knowledge, Visibility::Public),
            tie("acme", "hub", TieKind::Advice, Visibility::Public),
            // Confidential: only hub and nano (and whoever they trust) may see it.
            tie("hub", "nano", TieKind::Lead, Visibility::Private),
        ],
        projects: vec![Project {
            id: ProjectId::new("P1"),
            title: "Lightweight housings".into(),
            start: Some(date("2023-03-01")),
            end: None,
            topics: vec!["lightweight design".into()],
            budget: None,
        }],
        participations: vec![
            Participation {
                project: ProjectId::new("P1"),
                org: OrgId::new("acme"),
                role: ProjectRole::Coordinator,
                contribution: None,
            },
            Participation {
                project: ProjectId::new("P1"),
                org: OrgId::new("partner"),
                role: ProjectRole::Partner,
                contribution: None,
            },
        ],
        initiatives: vec![
            Initiative {
                id: InitiativeId::new("metal"),
                name: "Metal Cluster".into(),
                cluster: None,
                region: None,
                started: None,
                ended: None,
                goals: vec![],
            },
            Initiative {
                id: InitiativeId::new("photonics"),
                name: "Photonics Network".into(),
                cluster: None,
                region: None,
                started: None,
                ended: None,
                goals: vec![],
            },
        ],
        memberships: vec![
            member("metal", "acme"),
            member("metal", "bolt"),
            member("metal", "gear"),
            member("metal", "partner"),
            member("photonics", "lumo"),
            member("photonics", "opti"),
            member("photonics", "lens"),
        ],
        ..Dataset::default()
    }
}

/// Who the engine's tests ask as. The confidentiality rule itself is milieu-app's `Principal`
/// (checked there against every viewer); these stand for its cases the engine must honour.
enum Viewer {
    /// Every record (an offline run).
    All,
    /// The cluster team: everything but the parties' private records.
    Staff,
    /// A member organisation: public and cluster records, and those it is a party to.
    Org(OrgId),
    /// Public records only.
    Public,
}

impl Audience for Viewer {
    fn acts_for(&self, org: &OrgId) -> bool {
        match self {
            Viewer::All => true,
            Viewer::Org(me) => me == org,
            Viewer::Staff | Viewer::Public => false,
        }
    }

    fn sees_level(&self, visibility: Visibility) -> bool {
        match self {
            Viewer::All => true,
            Viewer::Staff => visibility != Visibility::Private,
            Viewer::Org(_) => matches!(visibility, Visibility::Public | Visibility::Cluster),
            Viewer::Public => visibility == Visibility::Public,
        }
    }
}

fn context_for(ds: &Dataset, viewer: Viewer) -> MatchContext {
    MatchContext::build(ds, &ContextOptions::default(), &viewer)
}

fn opts(purpose: Purpose) -> PartnerOptions {
    PartnerOptions {
        purpose,
        top: 10,
        ..PartnerOptions::default()
    }
}

#[test]
fn explanation_names_the_offer_the_bridge_and_the_mutual_contact() {
    let ds = registry();
    let ctx = context_for(&ds, Viewer::Org(OrgId::new("acme")));
    let found = partners(&ctx, "acme", &opts(Purpose::Suppliers)).unwrap();
    let top = &found[0];
    eprintln!("{}", top.explanation);
    assert_eq!(top.candidate, "lumo", "{found:#?}");
    assert_eq!(top.rank, 1);
    // The offer it answers, quoted from Lumo's offers.
    assert_eq!(
        top.answers,
        "Laser sensors for quality inspection in production lines"
    );
    assert!(
        top.explanation.contains(
            "Lumo Photonics offers \"Laser sensors for quality inspection in production lines\""
        ),
        "{}",
        top.explanation
    );
    for word in ["laser", "sensors", "inspection"] {
        assert!(top.matched_terms.contains(word), "{}", top.matched_terms);
    }
    // The bridge: Lumo's group (photonics) is one Acme has no tie to.
    assert!(
        top.bridge_to.contains("Lumo Photonics"),
        "{}",
        top.bridge_to
    );
    assert!(
        top.explanation
            .contains("bridge to a group you have no tie to"),
        "{}",
        top.explanation
    );
    // The mutual contact and the path.
    assert_eq!(top.via, "fraun");
    assert_eq!(top.path, "acme > fraun > lumo");
    assert!(
        top.explanation
            .contains("warm introduction via Fraunhofer Test Institute"),
        "{}",
        top.explanation
    );
    assert!(top.explanation.contains("through a tie (joint_project)"));
    // The parts add up to the score.
    let sum = top.offer_fit
        + top.demand_fit
        + top.sector
        + top.topic
        + top.bridge
        + top.reachability
        + top.geography
        + top.size
        + top.kind
        + top.activity;
    assert!((sum - top.score).abs() < 1e-9);
}

#[test]
fn leads_purpose_finds_who_wants_what_the_firm_offers() {
    let ds = registry();
    let ctx = context_for(&ds, Viewer::All);
    let found = partners(&ctx, "acme", &opts(Purpose::Leads)).unwrap();
    assert_eq!(found[0].candidate, "lumo");
    assert_eq!(found[0].wants, "Machined housings for sensor heads");
    assert!(
        found[0].explanation.starts_with("wants what you offer"),
        "{}",
        found[0].explanation
    );
}

#[test]
fn organisations_already_tied_are_excluded_unless_asked() {
    let ds = registry();
    let ctx = context_for(&ds, Viewer::All);
    // Tied by ties (bolt, gear, fraun, hub) or by a shared project (partner).
    let tied = ["bolt", "gear", "fraun", "hub", "partner"];
    for purpose in Purpose::ALL {
        let found = partners(&ctx, "acme", &opts(purpose)).unwrap();
        // Every organisation of this registry is in Germany: no international partner.
        assert_eq!(found.is_empty(), purpose == Purpose::International);
        for s in &found {
            assert!(!tied.contains(&s.candidate.as_str()), "{purpose}: {s:?}");
            assert_ne!(s.candidate, "acme");
        }
    }
    let with_tied = partners(
        &ctx,
        "acme",
        &PartnerOptions {
            include_tied: true,
            ..opts(Purpose::Alliance)
        },
    )
    .unwrap();
    let ids: Vec<&str> = with_tied.iter().map(|s| s.candidate.as_str()).collect();
    for t in tied {
        assert!(ids.contains(&t), "{t} missing from {ids:?}");
    }
}

#[test]
fn confidential_ties_are_not_used_when_the_viewer_may_not_see_them() {
    let ds = registry();
    // Acme is not a party to the private hub-nano tie: Nano has no mutual contact for it.
    let ctx = context_for(&ds, Viewer::Org(OrgId::new("acme")));
    let nano = partners(&ctx, "acme", &opts(Purpose::Suppliers))
        .unwrap()
        .into_iter()
        .find(|s| s.candidate == "nano")
        .expect("nano is suggested on its offer alone");
    assert_eq!(nano.via, "");
    assert_eq!(nano.reachability, 0.0);
    assert!(
        !nano.explanation.contains("Hub Agency"),
        "{}",
        nano.explanation
    );
    let detail = explain_pair(&ctx, "acme", "nano", &opts(Purpose::Suppliers)).unwrap();
    assert!(detail.iter().all(|d| !d.reason.contains("Hub Agency")));
    // Staff do not see private ties either; the public sees no more.
    for viewer in [Viewer::Staff, Viewer::Public] {
        let ctx = context_for(&ds, viewer);
        let s = partners(&ctx, "acme", &opts(Purpose::Suppliers)).unwrap();
        assert!(s.iter().all(|s| s.via != "hub"));
    }
    // Hub, a party to the tie, sees it: Nano is tied to it and not suggested to it.
    let ctx = context_for(&ds, Viewer::Org(OrgId::new("hub")));
    assert!(ctx.tied(
        ctx.org_index("hub").unwrap(),
        ctx.org_index("nano").unwrap()
    ));
    let s = partners(&ctx, "hub", &opts(Purpose::Leads)).unwrap();
    assert!(s.iter().all(|s| s.candidate != "nano"));
    // An administrator's context uses it: Hub is the mutual contact.
    let ctx = context_for(&ds, Viewer::All);
    let nano = partners(&ctx, "acme", &opts(Purpose::Suppliers))
        .unwrap()
        .into_iter()
        .find(|s| s.candidate == "nano")
        .unwrap();
    assert_eq!(nano.via, "hub");
}

#[test]
fn cross_cluster_suggestions_come_from_other_initiatives_only() {
    let ds = registry();
    let ctx = context_for(&ds, Viewer::All);
    let found = partners(
        &ctx,
        "acme",
        &PartnerOptions {
            cross_cluster: true,
            ..opts(Purpose::Alliance)
        },
    )
    .unwrap();
    assert!(!found.is_empty());
    for s in &found {
        assert!(
            ["lumo", "opti", "lens"].contains(&s.candidate.as_str()),
            "{s:?}"
        );
        assert!(
            s.explanation
                .contains("cross-cluster: member of Photonics Network")
        );
    }
}

#[test]
fn international_partners_are_abroad() {
    let mut ds = registry();
    let mut fr = org(
        "frco",
        "Franco Lasers",
        OrgKind::Firm,
        "FR10",
        "naics:334511",
    );
    fr.offers = "Laser sensors for inspection".into();
    ds.organisations.push(fr);
    let ctx = context_for(&ds, Viewer::All);
    let found = partners(&ctx, "acme", &opts(Purpose::International)).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].candidate, "frco");
    assert!(
        found[0]
            .explanation
            .contains("abroad in FR (FR10), a market you do not serve yet")
    );
}

#[test]
fn match_all_rows_agree_with_single_queries() {
    let ds = registry();
    let ctx = context_for(&ds, Viewer::All);
    let o = PartnerOptions {
        top: 3,
        ..opts(Purpose::Rnd)
    };
    let all = match_all(&ctx, &o);
    for org in &ds.organisations {
        let mine: Vec<_> = all.iter().filter(|r| r.org == org.id.as_str()).collect();
        let single = partners(&ctx, org.id.as_str(), &o).unwrap();
        assert_eq!(mine.len(), single.len());
        for (a, b) in mine.iter().zip(&single) {
            assert_eq!(**a, *b);
        }
        assert!(mine.len() <= 3);
        for (i, r) in mine.iter().enumerate() {
            assert_eq!(r.rank as usize, i + 1);
        }
    }
}

#[test]
fn as_of_ignores_later_ties() {
    let mut ds = registry();
    ds.ties.push(Tie {
        start: date("2025-06-01"),
        ..tie("acme", "lumo", TieKind::Sale, Visibility::Public)
    });
    let later = context_for(&ds, Viewer::All);
    let found = partners(&later, "acme", &opts(Purpose::Suppliers)).unwrap();
    assert!(found.iter().all(|s| s.candidate != "lumo"));
    let before = MatchContext::build(
        &ds,
        &ContextOptions {
            as_of: Some(date("2025-01-01")),
            ..ContextOptions::default()
        },
        &Viewer::All,
    );
    let found = partners(&before, "acme", &opts(Purpose::Suppliers)).unwrap();
    assert_eq!(found[0].candidate, "lumo");
}

#[test]
fn unknown_organisation_and_purpose_are_user_errors() {
    let ds = registry();
    let ctx = context_for(&ds, Viewer::All);
    let err = partners(&ctx, "nobody", &opts(Purpose::Leads)).unwrap_err();
    assert_eq!(
        err,
        MatchError::UnknownOrganisation {
            id: "nobody".into()
        }
    );
    assert_eq!(err.code(), "match.unknown_organisation");
    assert!(err.to_string().contains("\"nobody\""));
    assert!(matches!(
        Purpose::parse("fun"),
        Err(MatchError::UnknownPurpose { .. })
    ));
    assert!(explain_pair(&ctx, "acme", "ghost", &opts(Purpose::Leads)).is_err());
    assert!(digest(&ctx, "ghost", &RouteOptions::default()).is_err());
}

fn with_opportunities() -> Dataset {
    let mut ds = registry();
    let mut big = org(
        "bigco",
        "Big Machining",
        OrgKind::Firm,
        "DE11",
        "naics:332710",
    );
    big.size_class = Some(SizeClass::Large);
    big.offers = "CNC machining of aluminium housings".into();
    let mut french = org("frmach", "Usinage", OrgKind::Firm, "FR10", "naics:332710");
    french.offers = "CNC machining of aluminium housings".into();
    let mut unknown = org("nosize", "No Size", OrgKind::Firm, "DE11", "naics:332710");
    unknown.size_class = None;
    unknown.offers = "CNC machining of aluminium housings".into();
    lumo_exports(&mut ds);
    ds.organisations.extend([big, french, unknown]);
    ds.memberships.extend([
        member("metal", "bigco"),
        member("metal", "frmach"),
        member("metal", "nosize"),
    ]);
    ds.opportunities = vec![
        Opportunity {
            id: OpportunityId::new("t1"),
            kind: OpportunityKind::Tender,
            title: "Supply of CNC machined aluminium housings".into(),
            text: "Framework contract for machined aluminium parts".into(),
            countries: vec![],
            sectors: vec![SectorCode::parse("naics:332").unwrap()],
            deadline: Some(date("2027-01-31")),
            eligibility: Eligibility {
                kinds: vec![OrgKind::Firm],
                size_classes: vec![SizeClass::Small, SizeClass::Medium],
                countries: vec!["DE".into()],
                sectors: vec![SectorCode::parse("naics:332").unwrap()],
            },
            url: None,
        },
        Opportunity {
            id: OpportunityId::new("m1"),
            kind: OpportunityKind::TradeMission,
            title: "Photonics trade mission to Japan".into(),
            text: "Meet buyers of laser sensors and optical metrology".into(),
            countries: vec!["JP".into()],
            sectors: vec![],
            deadline: None,
            eligibility: Eligibility::default(),
            url: None,
        },
        Opportunity {
            id: OpportunityId::new("old"),
            kind: OpportunityKind::Call,
            title: "Aluminium machining call".into(),
            text: String::new(),
            countries: vec![],
            sectors: vec![],
            deadline: Some(date("2020-01-01")),
            eligibility: Eligibility::default(),
            url: None,
        },
    ];
    ds
}

fn lumo_exports(ds: &mut Dataset) {
    let lumo = ds
        .organisations
        .iter_mut()
        .find(|o| o.id.as_str() == "lumo")
        .unwrap();
    lumo.countries_served = vec!["JP".into(), "US".into()];
    lumo.export_share = Some(0.4);
}

fn today() -> RouteOptions {
    RouteOptions {
        today: Some(date("2026-11-23")),
        top: 0,
        ..RouteOptions::default()
    }
}

#[test]
fn eligibility_rules_are_applied() {
    let ds = with_opportunities();
    let t1 = &ds.opportunities[0];
    let get = |id: &str| {
        ds.organisations
            .iter()
            .find(|o| o.id.as_str() == id)
            .unwrap()
    };
    let acme = check_eligibility(t1, get("acme"), false);
    assert!(acme.eligible);
    assert_eq!(
        acme.met,
        vec![
            "kind firm is allowed",
            "size small is allowed",
            "country DE is allowed",
            "sector naics:332710 is allowed"
        ]
    );
    let big = check_eligibility(t1, get("bigco"), false);
    assert!(!big.eligible);
    assert_eq!(big.failed, vec!["size large is not one of small, medium"]);
    let fr = check_eligibility(t1, get("frmach"), false);
    assert_eq!(fr.failed, vec!["country FR is not one of DE"]);
    let lumo = check_eligibility(t1, get("lumo"), false);
    assert_eq!(
        lumo.failed,
        vec!["sectors naics:334511 are not within naics:332"]
    );
    let lens = check_eligibility(t1, get("lens"), false);
    assert!(lens.failed.iter().any(|f| f.starts_with("kind university")));
    let unknown = check_eligibility(t1, get("nosize"), false);
    assert!(!unknown.eligible);
    assert_eq!(unknown.unknown, vec!["size not recorded"]);
    assert!(check_eligibility(t1, get("nosize"), true).eligible);

    let ctx = context_for(&ds, Viewer::All);
    let routed = route_opportunities(
        &ctx,
        &RouteOptions {
            opportunity: Some("t1".into()),
            ..today()
        },
    )
    .unwrap();
    let orgs: Vec<&str> = routed.iter().map(|r| r.org.as_str()).collect();
    assert!(orgs.contains(&"acme"), "{routed:#?}");
    for excluded in ["bigco", "frmach", "nosize", "lumo", "lens"] {
        assert!(!orgs.contains(&excluded), "{excluded} routed: {routed:#?}");
    }
    // Only members are routed to: nano is in no initiative.
    assert!(!orgs.contains(&"nano"));
    let acme_row = routed.iter().find(|r| r.org == "acme").unwrap();
    assert!(
        acme_row
            .reasons
            .starts_with("eligible: kind firm is allowed")
    );
    assert!(
        acme_row
            .reasons
            .contains("your sector naics:332710 is within naics:332")
    );
    assert!(acme_row.matched_terms.contains("aluminium"));
    let (check, fit) = explain_opportunity(&ctx, "t1", "bigco", false).unwrap();
    assert!(!check.eligible && fit.is_none());
}

#[test]
fn trade_mission_reaches_the_exporter_and_digests_list_what_fits() {
    let ds = with_opportunities();
    let ctx = context_for(&ds, Viewer::All);
    let routed = route_opportunities(
        &ctx,
        &RouteOptions {
            opportunity: Some("m1".into()),
            ..today()
        },
    )
    .unwrap();
    assert_eq!(routed[0].org, "lumo", "{routed:#?}");
    assert_eq!(routed[0].market, 1.0);
    assert!(routed[0].reasons.contains("you already serve JP"));
    // Expired opportunities are not routed; all open ones are.
    let all = route_opportunities(&ctx, &today()).unwrap();
    assert!(all.iter().all(|r| r.opportunity != "old"));
    assert!(all.iter().any(|r| r.opportunity == "t1"));
    // Acme's digest: the tender, not the photonics mission nor the expired call.
    let d = digest(&ctx, "acme", &today()).unwrap();
    let ids: Vec<&str> = d.iter().map(|r| r.opportunity.as_str()).collect();
    assert_eq!(ids, vec!["t1"]);
    assert_eq!(d[0].rank, 1);
    let err = route_opportunities(
        &ctx,
        &RouteOptions {
            opportunity: Some("nope".into()),
            ..today()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "match.unknown_opportunity");
    let err = route_opportunities(
        &ctx,
        &RouteOptions {
            members_of: Some("nope".into()),
            ..today()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "match.unknown_initiative");
}

#[test]
fn layering_rule_holds() {
    // Layer L1: the only milieu crate this one may depend on is milieu-model.
    let manifest = include_str!("../Cargo.toml");
    let mut section = "";
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section.contains("dependencies") && line.starts_with("milieu-") {
            assert!(
                line.starts_with("milieu-model"),
                "milieu-match must not depend on {line}"
            );
        }
    }
}

#[test]
fn sector_relatedness_file_is_read_and_used() {
    let text =
        "sector_a,sector_b,relatedness\nnaics:332710,naics:334511,0.9\n\n333612,332722,0.4\n";
    let rows = milieu_match::read_sector_relatedness(text.as_bytes(), "rel.csv").unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].sector_a.to_string(), "naics:333612");
    let ds = registry();
    let ctx = MatchContext::build(
        &ds,
        &ContextOptions {
            sector_relatedness: rows,
            ..ContextOptions::default()
        },
        &Viewer::All,
    );
    let detail = explain_pair(&ctx, "acme", "lumo", &opts(Purpose::Alliance)).unwrap();
    let sector = detail.iter().find(|d| d.part == "sector").unwrap();
    assert_eq!(sector.value, 0.9);
    assert_eq!(sector.weight, 1.5);
    assert!((sector.contribution - 0.9 * 1.5 / Purpose::Alliance.weights().total()).abs() < 1e-12);
    assert_eq!(
        sector.reason,
        "complementary sector: naics:334511 related to your naics:332710 (0.90)"
    );
    // Symmetric: Lumo sees Acme the same way.
    let back = explain_pair(&ctx, "lumo", "acme", &opts(Purpose::Alliance)).unwrap();
    assert_eq!(back.iter().find(|d| d.part == "sector").unwrap().value, 0.9);

    for (text, field, value) in [
        ("a,b,c\n", "header", "a,b,c"),
        (
            "sector_a,sector_b,relatedness\n332710,334511,1.5\n",
            "relatedness",
            "1.5",
        ),
        (
            "sector_a,sector_b,relatedness\n332710,9,0.5\n",
            "sector_b",
            "9",
        ),
        (
            "sector_a,sector_b,relatedness\n332710,334511\n",
            "line",
            "332710,334511",
        ),
    ] {
        match milieu_match::read_sector_relatedness(text.as_bytes(), "rel.csv") {
            Err(MatchError::BadInput {
                file,
                field: f,
                value: v,
                ..
            }) => {
                assert_eq!(file, "rel.csv");
                assert_eq!(f, field);
                assert_eq!(v, value);
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
    let err = milieu_match::read_sector_relatedness("x\n".as_bytes(), "rel.csv").unwrap_err();
    assert!(
        err.to_string().starts_with("rel.csv: line 1, field header"),
        "{err}"
    );
}

#[test]
fn given_communities_replace_label_propagation() {
    let ds = registry();
    // Put Lumo in Acme's own community: it is no longer a bridge.
    let communities = ds
        .organisations
        .iter()
        .map(|o| milieu_match::CommunityLabel {
            org: o.id.clone(),
            community: 7,
        })
        .collect();
    let ctx = MatchContext::build(
        &ds,
        &ContextOptions {
            communities,
            ..ContextOptions::default()
        },
        &Viewer::All,
    );
    assert!(ctx.communities().iter().all(|&c| c == 7));
    let top = &partners(&ctx, "acme", &opts(Purpose::Suppliers)).unwrap()[0];
    assert_eq!(top.candidate, "lumo");
    assert_eq!(top.bridge_to, "");
    assert!(!top.explanation.contains("bridge to a group"));
}

#[test]
fn kind_reason_names_the_kinds() {
    let ds = registry();
    let ctx = context_for(&ds, Viewer::All);
    let detail = explain_pair(&ctx, "acme", "lens", &opts(Purpose::Rnd)).unwrap();
    let kind = detail.iter().find(|d| d.part == "kind").unwrap();
    assert!(
        kind.reason
            .starts_with("kind: a university (purpose rnd); firms and universities tie"),
        "{}",
        kind.reason
    );
    // A firm with a university, for R&D: prior 1, so the value is above one half.
    assert!(kind.value > 0.5);
}

/// Regression: common words of offers made every organisation a text candidate of every
/// other, so `match all` over the 10,000-organisation demo took minutes (quadratic). Text
/// candidates are now the best `text_candidates` matches; the best match is still found.
#[test]
fn text_candidates_are_capped_to_the_best_matches() {
    let mut ds = Dataset::default();
    let mut asker = org("asker", "Asker", OrgKind::Firm, "DE11", "");
    asker.requests = "Looking for a supplier of widgets and gizmos".to_string();
    ds.organisations.push(asker);
    for i in 0..600 {
        let mut o = org(&format!("s{i:03}"), "Supplier", OrgKind::Firm, "DE11", "");
        o.offers = format!("We supply widgets, catalogue line {i}");
        ds.organisations.push(o);
    }
    let mut best = org("best", "Best", OrgKind::Firm, "DE11", "");
    best.offers = "Widgets and gizmos".to_string();
    ds.organisations.push(best);
    let ctx = MatchContext::build(&ds, &ContextOptions::default(), &Viewer::Staff);
    let every = |text_candidates: usize| {
        partners(
            &ctx,
            "asker",
            &PartnerOptions {
                purpose: Purpose::Suppliers,
                top: 0,
                text_candidates,
                ..PartnerOptions::default()
            },
        )
        .unwrap()
    };
    let capped = every(milieu_match::DEFAULT_TEXT_CANDIDATES);
    assert_eq!(capped.len(), milieu_match::DEFAULT_TEXT_CANDIDATES);
    assert_eq!(capped[0].candidate, "best");
    assert!(capped[0].answers.contains("gizmos"));
    let all = every(0);
    assert_eq!(all.len(), 601);
    assert_eq!(all[0].candidate, "best");
}
