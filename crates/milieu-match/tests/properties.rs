//! Invariants of partner matching on random registries.

use milieu_match::{
    ContextOptions, MatchContext, PartnerOptions, Purpose, explain_pair, match_all,
};
use milieu_model::{
    Audience, Dataset, OrgId, OrgKind, Organisation, SectorCode, SizeClass, Tie, TieKind,
    TieSource, Visibility,
};
use proptest::prelude::*;

/// A member organisation asking (the rule itself is milieu-app's `Principal`): public and
/// cluster records, and those it is a party to.
struct Member(OrgId);

impl Audience for Member {
    fn acts_for(&self, org: &OrgId) -> bool {
        self.0 == *org
    }

    fn sees_level(&self, visibility: Visibility) -> bool {
        matches!(visibility, Visibility::Public | Visibility::Cluster)
    }
}

const WORDS: &[&str] = &[
    "laser",
    "sensor",
    "machining",
    "aluminium",
    "software",
    "cloud",
    "coating",
    "battery",
    "hydrogen",
    "logistics",
    "packaging",
    "testing",
];
const KINDS: &[OrgKind] = &[
    OrgKind::Firm,
    OrgKind::University,
    OrgKind::ResearchInstitute,
];
const SIZES: &[SizeClass] = &[SizeClass::Micro, SizeClass::Small, SizeClass::Large];
const VIS: &[Visibility] = &[Visibility::Public, Visibility::Staff, Visibility::Private];

/// A random organisation: kind, size, place, offered words, requested words (indices).
type OrgSpec = (usize, usize, usize, Vec<usize>, Vec<usize>);

fn registry(orgs: Vec<OrgSpec>, ties: Vec<(usize, usize, usize)>) -> Dataset {
    let n = orgs.len();
    let organisations = orgs
        .into_iter()
        .enumerate()
        .map(|(i, (kind, size, region, offers, requests))| Organisation {
            kind: KINDS[kind],
            size_class: Some(SIZES[size]),
            region: Some(["DE11", "DE21", "FR10"][region].to_string()),
            country: Some(["DE", "DE", "FR"][region].to_string()),
            sectors: vec![SectorCode::parse(["332710", "334511", "541511"][i % 3]).unwrap()],
            offers: offers
                .iter()
                .map(|&w| WORDS[w])
                .collect::<Vec<_>>()
                .join(", "),
            requests: requests
                .iter()
                .map(|&w| WORDS[w])
                .collect::<Vec<_>>()
                .join(". "),
            ..Organisation::new(format!("o{i}"), format!("Org {i}"), KINDS[kind])
        })
        .collect();
    let ties = ties
        .into_iter()
        .filter(|(a, b, _)| a % n != b % n)
        .map(|(a, b, v)| {
            let (from, to) = (
                OrgId::new(format!("o{}", a % n)),
                OrgId::new(format!("o{}", b % n)),
            );
            let start = milieu_model::parse_date("2024-01-01").unwrap();
            Tie {
                id: Tie::derived_id(&from, &to, TieKind::Other, start),
                from,
                to,
                kind: TieKind::Other,
                start,
                end: None,
                strength: Some(3),
                trust: None,
                source: TieSource::Observed,
                event: None,
                introduction: None,
                visibility: VIS[v],
                note: String::new(),
            }
        })
        .collect();
    Dataset {
        organisations,
        ties,
        ..Dataset::default()
    }
}

fn org_strategy() -> impl Strategy<Value = OrgSpec> {
    (
        0..KINDS.len(),
        0..SIZES.len(),
        0..3usize,
        prop::collection::vec(0..WORDS.len(), 0..4),
        prop::collection::vec(0..WORDS.len(), 0..3),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn suggestions_are_well_formed(
        orgs in prop::collection::vec(org_strategy(), 2..25),
        ties in prop::collection::vec((0..100usize, 0..100usize, 0..3usize), 0..60),
        purpose in 0..6usize,
        viewer in 0..25usize,
    ) {
        let ds = registry(orgs, ties);
        let viewer = Member(OrgId::new(format!("o{}", viewer % ds.organisations.len())));
        let ctx = MatchContext::build(&ds, &ContextOptions::default(), &viewer);
        let opts = PartnerOptions { purpose: Purpose::ALL[purpose], top: 5, ..PartnerOptions::default() };
        let rows = match_all(&ctx, &opts);
        for r in &rows {
            let u = ctx.org_index(&r.org).unwrap();
            let c = ctx.org_index(&r.candidate).unwrap();
            prop_assert!(u != c);
            prop_assert!(!ctx.tied(u, c));
            prop_assert!(r.score > 0.0 && r.score <= 1.0 + 1e-12);
            let parts = [r.offer_fit, r.demand_fit, r.sector, r.topic, r.bridge,
                r.reachability, r.geography, r.size, r.kind, r.activity];
            prop_assert!(parts.iter().all(|p| *p >= 0.0));
            prop_assert!((parts.iter().sum::<f64>() - r.score).abs() < 1e-9);
            // The mutual contact is tied to both sides in the viewer's network.
            if !r.via.is_empty() {
                let w = ctx.org_index(&r.via).unwrap();
                prop_assert!(ctx.tied(u, w) && ctx.tied(w, c));
            }
            // The detail of the pair agrees with the row.
            let detail = explain_pair(&ctx, &r.org, &r.candidate, &opts).unwrap();
            let total: f64 = detail.iter().map(|d| d.contribution).sum();
            prop_assert!((total - r.score).abs() < 1e-9, "{} vs {}", total, r.score);
            prop_assert!(detail.iter().all(|d| (0.0..=1.0).contains(&d.value)));
        }
        // Ranks run 1.. within each organisation, scores never increase.
        for org in &ds.organisations {
            let mine: Vec<_> = rows.iter().filter(|r| r.org == org.id.as_str()).collect();
            prop_assert!(mine.len() <= 5);
            for (i, r) in mine.iter().enumerate() {
                prop_assert_eq!(r.rank as usize, i + 1);
                if i > 0 { prop_assert!(mine[i - 1].score >= r.score); }
            }
        }
    }
}
