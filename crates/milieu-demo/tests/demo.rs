//! Properties of the generated region: valid records, resolvable references, determinism, and
//! the structures `milieu demo` promises (value chains, spin-offs, job changes, growing ties,
//! external partners, every kind of event, complementary offers and requests...).

use milieu_demo::{DemoOptions, MIN_ORGS, generate};
use milieu_model::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

fn demo(seed: u64, orgs: usize) -> Dataset {
    generate(&DemoOptions::new(seed, orgs))
}

/// Every record's own errors plus every reference that does not resolve, as text.
fn problems(ds: &Dataset) -> Vec<String> {
    let mut ids: HashMap<EntityKind, HashSet<String>> = HashMap::new();
    let mut out = Vec::new();
    let mut add = |kind: EntityKind, id: &str, out: &mut Vec<String>| {
        if !ids.entry(kind).or_default().insert(id.to_string()) {
            out.push(format!("duplicate {} id {id}", kind.singular()));
        }
    };
    ds.organisations
        .iter()
        .for_each(|r| add(EntityKind::Organisation, r.id.as_str(), &mut out));
    ds.people
        .iter()
        .for_each(|r| add(EntityKind::Person, r.id.as_str(), &mut out));
    ds.clusters
        .iter()
        .for_each(|r| add(EntityKind::Cluster, r.id.as_str(), &mut out));
    ds.initiatives
        .iter()
        .for_each(|r| add(EntityKind::Initiative, r.id.as_str(), &mut out));
    ds.events
        .iter()
        .for_each(|r| add(EntityKind::Event, r.id.as_str(), &mut out));
    ds.topic_requests
        .iter()
        .for_each(|r| add(EntityKind::TopicRequest, r.id.as_str(), &mut out));
    ds.projects
        .iter()
        .for_each(|r| add(EntityKind::Project, r.id.as_str(), &mut out));
    ds.ties
        .iter()
        .for_each(|r| add(EntityKind::Tie, r.id.as_str(), &mut out));
    ds.introductions
        .iter()
        .for_each(|r| add(EntityKind::Introduction, r.id.as_str(), &mut out));
    ds.opportunities
        .iter()
        .for_each(|r| add(EntityKind::Opportunity, r.id.as_str(), &mut out));
    ds.outcomes
        .iter()
        .for_each(|r| add(EntityKind::Outcome, r.id.as_str(), &mut out));

    fn check<T: Validate + References>(
        what: &str,
        records: &[T],
        ids: &HashMap<EntityKind, HashSet<String>>,
        out: &mut Vec<String>,
    ) {
        for (i, r) in records.iter().enumerate() {
            for e in r.validate() {
                out.push(format!("{what} #{i}: {e}"));
            }
            for reference in r.references() {
                if !ids
                    .get(&reference.kind)
                    .is_some_and(|s| s.contains(&reference.id))
                {
                    out.push(format!(
                        "{what} #{i}: {} points to unknown {} {}",
                        reference.field,
                        reference.kind.singular(),
                        reference.id
                    ));
                }
            }
        }
    }
    check("organisation", &ds.organisations, &ids, &mut out);
    check("person", &ds.people, &ids, &mut out);
    check("affiliation", &ds.affiliations, &ids, &mut out);
    check("cluster", &ds.clusters, &ids, &mut out);
    check("initiative", &ds.initiatives, &ids, &mut out);
    check("membership", &ds.memberships, &ids, &mut out);
    check("event", &ds.events, &ids, &mut out);
    check("attendance", &ds.attendance, &ids, &mut out);
    check("topic request", &ds.topic_requests, &ids, &mut out);
    check("project", &ds.projects, &ids, &mut out);
    check("participation", &ds.participations, &ids, &mut out);
    check("tie", &ds.ties, &ids, &mut out);
    check("introduction", &ds.introductions, &ids, &mut out);
    check("opportunity", &ds.opportunities, &ids, &mut out);
    check("outcome", &ds.outcomes, &ids, &mut out);
    out
}

#[test]
fn every_record_is_valid_and_every_reference_resolves() {
    for orgs in [50, 300, 2000] {
        for seed in [1, 2, 3] {
            let ds = demo(seed, orgs);
            let p = problems(&ds);
            assert!(
                p.is_empty(),
                "seed {seed}, {orgs} orgs: {} problems, first: {:?}",
                p.len(),
                &p[..p.len().min(10)]
            );
            assert_eq!(ds.organisations.len(), orgs);
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_dataset_and_another_seed_another() {
    let a = serde_json::to_string(&demo(7, 300)).unwrap();
    let b = serde_json::to_string(&demo(7, 300)).unwrap();
    assert!(a == b, "same seed, different output");
    let c = serde_json::to_string(&demo(8, 300)).unwrap();
    assert_ne!(a, c);
    // The reference date, not the clock, fixes the period.
    let ds = demo(7, 300);
    let end = Date::from_ymd_opt(2025, 12, 31).unwrap();
    let start = Date::from_ymd_opt(2021, 1, 1).unwrap();
    assert!(ds.events.iter().all(|e| e.date >= start && e.date <= end));
    assert!(ds.ties.iter().all(|t| t.start <= end));
}

#[test]
fn too_few_organisations_are_raised_to_the_minimum() {
    let ds = demo(1, 3);
    assert_eq!(ds.organisations.len(), MIN_ORGS);
    assert!(problems(&ds).is_empty());
}

fn orgs_by_id(ds: &Dataset) -> HashMap<&str, &Organisation> {
    ds.organisations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect()
}

#[test]
fn spin_offs_are_founded_after_their_parents_and_often_in_their_field() {
    for seed in [1, 2] {
        let ds = demo(seed, 300);
        let by_id = orgs_by_id(&ds);
        let spin_offs: Vec<&Organisation> = ds
            .organisations
            .iter()
            .filter(|o| o.parent.is_some())
            .collect();
        assert!(spin_offs.len() >= 5, "only {} spin-offs", spin_offs.len());
        for s in &spin_offs {
            let parent = by_id[s.parent.as_ref().unwrap().as_str()];
            assert!(
                parent.founded.unwrap() < s.founded.unwrap(),
                "{} before its parent",
                s.name
            );
            assert!(matches!(s.stage, Some(Stage::StartUp | Stage::Growth)));
        }
        let from_knowledge = spin_offs
            .iter()
            .filter(|s| {
                matches!(
                    by_id[s.parent.as_ref().unwrap().as_str()].kind,
                    OrgKind::University | OrgKind::ResearchInstitute
                )
            })
            .count();
        assert!(from_knowledge * 2 > spin_offs.len());
        // Each spin-off has its spin_off tie from the parent.
        let spin_ties = ds
            .ties
            .iter()
            .filter(|t| t.kind == TieKind::SpinOff)
            .count();
        assert_eq!(spin_ties, spin_offs.len());
    }
}

#[test]
fn people_change_jobs_in_sequence_without_overlap() {
    let ds = demo(3, 300);
    let mut by_person: BTreeMap<&str, Vec<&Affiliation>> = BTreeMap::new();
    for a in &ds.affiliations {
        by_person.entry(a.person.as_str()).or_default().push(a);
    }
    assert_eq!(
        by_person.len(),
        ds.people.len(),
        "someone has no affiliation"
    );
    let mut movers = 0;
    let mut university_to_firm = 0;
    let by_id = orgs_by_id(&ds);
    for list in by_person.values_mut() {
        list.sort_by_key(|a| a.from);
        for w in list.windows(2) {
            let (a, b) = (w[0], w[1]);
            let a_to = a.to.expect("an earlier job has ended");
            assert!(a_to <= b.from.unwrap(), "overlapping jobs {a:?} {b:?}");
            assert_ne!(a.org, b.org);
            if by_id[a.org.as_str()].kind != OrgKind::Firm
                && by_id[b.org.as_str()].kind == OrgKind::Firm
            {
                university_to_firm += 1;
            }
        }
        if list.len() >= 2 {
            movers += 1;
        }
    }
    assert!(movers >= 20, "{movers} people with two or more jobs");
    assert!(
        university_to_firm >= 3,
        "{university_to_firm} moves from research to firms"
    );
    assert!(ds.ties.iter().any(|t| t.kind == TieKind::StaffMove));
}

#[test]
fn event_ties_come_after_their_event_and_grow_with_repeated_meetings() {
    let ds = demo(4, 300);
    let events: HashMap<&str, &Event> = ds.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut by_pair: BTreeMap<(String, String), Vec<&Tie>> = BTreeMap::new();
    for t in ds.ties.iter().filter(|t| t.source == TieSource::Event) {
        let e = events[t.event.as_ref().unwrap().as_str()];
        assert!(t.start >= e.date, "tie {} before its event", t.id);
        let key = if t.from < t.to {
            (t.from.0.clone(), t.to.0.clone())
        } else {
            (t.to.0.clone(), t.from.0.clone())
        };
        by_pair.entry(key).or_default().push(t);
    }
    assert!(
        by_pair.len() > 100,
        "{} pairs tied at events",
        by_pair.len()
    );
    let mut grown = 0;
    for ties in by_pair.values_mut() {
        ties.sort_by_key(|t| (t.start, t.id.0.len(), t.id.0.clone()));
        for w in ties.windows(2) {
            assert_eq!(
                w[0].end,
                Some(w[1].start),
                "a tie record ends when the next begins"
            );
            assert!(w[1].strength > w[0].strength);
            grown += 1;
        }
    }
    assert!(grown >= 10, "{grown} ties strengthened by meeting again");
    let strengths: BTreeSet<u8> = ds.ties.iter().filter_map(|t| t.strength).collect();
    assert_eq!(strengths, (1..=5).collect());
    for v in [Visibility::Private, Visibility::Staff, Visibility::Public] {
        assert!(ds.ties.iter().any(|t| t.visibility == v));
    }
}

#[test]
fn attendees_come_on_behalf_of_the_organisation_they_work_for() {
    let ds = demo(5, 300);
    let events: HashMap<&str, &Event> = ds.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut jobs: HashMap<(&str, &str), Vec<&Affiliation>> = HashMap::new();
    for a in &ds.affiliations {
        jobs.entry((a.person.as_str(), a.org.as_str()))
            .or_default()
            .push(a);
    }
    let mut with_person = 0;
    for a in &ds.attendance {
        let (Some(p), Some(o)) = (&a.person, &a.org) else {
            continue;
        };
        with_person += 1;
        let date = events[a.event.as_str()].date;
        let ok = jobs.get(&(p.as_str(), o.as_str())).is_some_and(|list| {
            list.iter()
                .any(|j| j.from.is_none_or(|f| f <= date) && j.to.is_none_or(|t| date < t))
        });
        assert!(ok, "{p} attends {} for {o} without working there", a.event);
    }
    assert!(with_person * 10 > ds.attendance.len() * 9);
}

#[test]
fn every_kind_of_event_is_held() {
    for orgs in [50, 300] {
        let ds = demo(6, orgs);
        for kind in EventKind::ALL.iter().filter(|k| **k != EventKind::Other) {
            assert!(
                ds.events.iter().any(|e| e.kind == *kind),
                "no {kind} with {orgs} orgs"
            );
        }
        assert!(
            ds.events
                .iter()
                .all(|e| !e.topics.is_empty() && e.organiser.is_some())
        );
        for role in [
            AttendanceRole::Attendee,
            AttendanceRole::Speaker,
            AttendanceRole::Organiser,
        ] {
            assert!(ds.attendance.iter().any(|a| a.role == role));
        }
    }
}

#[test]
fn region_has_external_partners_and_local_and_external_ties() {
    let ds = demo(7, 300);
    let home = |o: &Organisation| o.region.as_deref().is_some_and(|r| r.starts_with("LM-"));
    let external: HashSet<&str> = ds
        .organisations
        .iter()
        .filter(|o| !home(o))
        .map(|o| o.id.as_str())
        .collect();
    assert!(
        external.len() >= 20,
        "{} external organisations",
        external.len()
    );
    assert!(
        ds.organisations
            .iter()
            .any(|o| !home(o) && o.country.as_deref() != Some("DE"))
    );
    let regions: BTreeSet<&str> = ds
        .organisations
        .iter()
        .filter(|o| home(o))
        .filter_map(|o| o.region.as_deref())
        .collect();
    assert_eq!(regions.len(), 4);
    let crossing = ds
        .ties
        .iter()
        .filter(|t| external.contains(t.from.as_str()) != external.contains(t.to.as_str()))
        .count();
    let local = ds
        .ties
        .iter()
        .filter(|t| !external.contains(t.from.as_str()) && !external.contains(t.to.as_str()))
        .count();
    assert!(
        crossing >= 10 && local > crossing,
        "{crossing} external, {local} local ties"
    );
    // Home organisations sit around the region's centre.
    for o in ds.organisations.iter().filter(|o| home(o)) {
        let (lat, lon) = (o.lat.unwrap(), o.lon.unwrap());
        assert!(
            (47.9..48.8).contains(&lat) && (9.4..10.6).contains(&lon),
            "{} at {lat},{lon}",
            o.name
        );
    }
}

#[test]
fn sizes_are_skewed_and_export_grows_with_size() {
    let ds = demo(8, 2000);
    let firms: Vec<&Organisation> = ds
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Firm)
        .collect();
    let count = |c: SizeClass| {
        firms
            .iter()
            .filter(|o| o.effective_size_class() == Some(c))
            .count()
    };
    let (micro, small, medium, large) = (
        count(SizeClass::Micro),
        count(SizeClass::Small),
        count(SizeClass::Medium),
        count(SizeClass::Large),
    );
    assert!(
        micro > medium && small > medium && medium > large && large > 0,
        "{micro} {small} {medium} {large}"
    );
    let mean_share = |c: SizeClass| {
        let v: Vec<f64> = firms
            .iter()
            .filter(|o| o.effective_size_class() == Some(c))
            .filter_map(|o| o.export_share)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean_share(SizeClass::Large) > mean_share(SizeClass::Small));
    assert!(mean_share(SizeClass::Small) > mean_share(SizeClass::Micro));
    let mean_countries = |c: SizeClass| {
        let v: Vec<usize> = firms
            .iter()
            .filter(|o| o.effective_size_class() == Some(c))
            .map(|o| o.countries_served.len())
            .collect();
        v.iter().sum::<usize>() as f64 / v.len() as f64
    };
    assert!(mean_countries(SizeClass::Large) > mean_countries(SizeClass::Micro));
    for stage in Stage::ALL {
        assert!(firms.iter().any(|o| o.stage == Some(*stage)));
    }
    let classifications: BTreeSet<Classification> = ds
        .organisations
        .iter()
        .flat_map(|o| o.sectors.iter().map(|s| s.classification))
        .collect();
    assert_eq!(
        classifications.len(),
        2,
        "NAICS and NACE codes both present"
    );
    assert!(ds.organisations.iter().any(|o| o.acquired_by.is_some()));
}

/// Content words of a text, for a crude overlap test like a text matcher would do.
fn words(text: &str) -> HashSet<String> {
    const STOP: &[&str] = &[
        "with",
        "from",
        "that",
        "this",
        "for",
        "and",
        "the",
        "looking",
        "partners",
        "offering",
        "supplier",
        "seeking",
        "reliable",
        "source",
        "searching",
        "supply",
        "offer",
        "provider",
        "experienced",
        "development",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 3 && !STOP.contains(&w.as_str()))
        .collect()
}

#[test]
fn requests_are_answered_by_offers_along_the_chain() {
    for seed in [9, 10] {
        let ds = demo(seed, 300);
        let offers: Vec<(&Organisation, HashSet<String>)> = ds
            .organisations
            .iter()
            .map(|o| (o, words(&o.offers)))
            .collect();
        // (sentences, answered, answered by another sector) for requests of goods, and for all.
        let mut goods = (0, 0, 0);
        let mut all = (0, 0, 0);
        for f in ds.organisations.iter().filter(|o| o.kind == OrgKind::Firm) {
            for sentence in f
                .requests
                .split(". ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                let want = words(sentence);
                if want.is_empty() {
                    continue;
                }
                let is_goods = [
                    "Looking for a supplier of",
                    "We are looking for partners offering",
                    "Seeking a reliable source of",
                    "Searching for",
                ]
                .iter()
                .any(|p| sentence.starts_with(p));
                let (n, o) = offers
                    .iter()
                    .filter(|(o, _)| o.id != f.id)
                    .map(|(o, w)| (want.intersection(w).count(), *o))
                    .max_by_key(|(n, _)| *n)
                    .unwrap();
                let hit = n >= want.len().min(3);
                let other = hit && o.sectors.first() != f.sectors.first();
                for t in [&mut all].into_iter().chain(is_goods.then_some(&mut goods)) {
                    t.0 += 1;
                    t.1 += usize::from(hit);
                    t.2 += usize::from(other);
                }
            }
        }
        assert!(goods.0 > 100, "{goods:?}");
        assert_eq!(
            goods.1, goods.0,
            "every requested good is offered by someone: {goods:?}"
        );
        assert!(
            goods.2 * 10 >= goods.1 * 8,
            "complements sit in other sectors: {goods:?}"
        );
        assert!(all.1 * 10 >= all.0 * 8, "{all:?}");
    }
}

#[test]
fn initiatives_have_governance_goals_topic_votes_and_brokers_who_introduce() {
    let ds = demo(10, 300);
    assert!(ds.initiatives.len() >= 2);
    assert!(
        ds.initiatives
            .iter()
            .all(|i| !i.goals.is_empty() && i.cluster.is_some())
    );
    for role in [
        MemberRole::Member,
        MemberRole::Board,
        MemberRole::Secretariat,
        MemberRole::Broker,
    ] {
        for init in &ds.initiatives {
            assert!(
                ds.memberships
                    .iter()
                    .any(|m| m.role == role && m.initiative == init.id),
                "{} has no {role}",
                init.name
            );
        }
    }
    // Board seats change over time.
    assert!(
        ds.memberships
            .iter()
            .any(|m| m.role == MemberRole::Board && m.to.is_some())
    );
    let brokers: HashSet<&str> = ds
        .memberships
        .iter()
        .filter(|m| m.role == MemberRole::Broker)
        .filter_map(|m| m.person.as_ref().map(|p| p.as_str()))
        .collect();
    assert!(!ds.introductions.is_empty());
    assert!(
        ds.introductions
            .iter()
            .all(|i| brokers.contains(i.broker.as_ref().unwrap().as_str()))
    );
    assert!(ds.topic_requests.iter().any(|t| t.votes.len() >= 3));
    assert!(
        ds.events
            .iter()
            .any(|e| e.title.starts_with("Workshop requested by members"))
    );
}

#[test]
fn outcomes_follow_what_they_came_from() {
    let ds = demo(11, 300);
    let ties: HashMap<&str, &Tie> = ds.ties.iter().map(|t| (t.id.as_str(), t)).collect();
    let events: HashMap<&str, &Event> = ds.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let intros: HashMap<&str, &Introduction> = ds
        .introductions
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    for o in &ds.outcomes {
        if let Some(t) = &o.tie {
            assert!(o.date >= ties[t.as_str()].start);
        }
        if let Some(e) = &o.event {
            assert!(o.date >= events[e.as_str()].date);
        }
        if let Some(i) = &o.introduction {
            assert!(o.date >= intros[i.as_str()].date);
        }
    }
    for t in ds
        .ties
        .iter()
        .filter(|t| t.source == TieSource::Introduction)
    {
        let i = intros[t.introduction.as_ref().unwrap().as_str()];
        assert!(t.start >= i.date);
        assert!(matches!(
            i.status,
            IntroductionStatus::Met | IntroductionStatus::Closed
        ));
    }
    for kind in [
        OutcomeKind::Lead,
        OutcomeKind::Sale,
        OutcomeKind::Agreement,
        OutcomeKind::JointProject,
        OutcomeKind::KnowledgeGained,
    ] {
        assert!(
            ds.outcomes.iter().any(|o| o.kind == kind),
            "no {kind} outcome"
        );
    }
    assert!(ds.outcomes.iter().any(|o| o.introduction.is_some()));
    assert!(
        ds.outcomes
            .iter()
            .any(|o| o.event.is_some() && o.tie.is_some())
    );
}

#[test]
fn projects_and_opportunities_are_complete() {
    let ds = demo(12, 300);
    let mut per_project: HashMap<&str, Vec<&Participation>> = HashMap::new();
    for p in &ds.participations {
        per_project.entry(p.project.as_str()).or_default().push(p);
    }
    for p in &ds.projects {
        let list = &per_project[p.id.as_str()];
        assert!(list.len() >= 2);
        assert_eq!(
            list.iter()
                .filter(|x| x.role == ProjectRole::Coordinator)
                .count(),
            1
        );
        let total: f64 = list.iter().filter_map(|x| x.contribution).sum();
        assert!(total <= p.budget.unwrap() + 1e-6);
    }
    for kind in OpportunityKind::ALL {
        assert!(
            ds.opportunities.iter().any(|o| o.kind == *kind),
            "no {kind}"
        );
    }
    assert!(
        ds.opportunities
            .iter()
            .all(|o| !o.text.is_empty() && !o.sectors.is_empty() && o.deadline.is_some())
    );
}

/// Wider sweep, slow in debug: `cargo test --release -p milieu-demo -- --ignored`.
#[test]
#[ignore]
fn many_seeds_and_sizes_are_valid() {
    for orgs in [40, 41, 77, 150, 999, 1000, 2500, 10_000] {
        for seed in 0..12 {
            let ds = demo(seed, orgs);
            let p = problems(&ds);
            assert!(
                p.is_empty(),
                "seed {seed}, {orgs} orgs: {:?}",
                &p[..p.len().min(5)]
            );
            assert_eq!(ds.organisations.len(), orgs);
        }
    }
}

#[test]
fn nothing_happens_to_an_organisation_before_it_is_founded() {
    let ds = demo(13, 2000);
    let by_id = orgs_by_id(&ds);
    let founded = |id: &OrgId| by_id[id.as_str()].founded.unwrap();
    for t in &ds.ties {
        assert!(
            t.start >= founded(&t.from) && t.start >= founded(&t.to),
            "tie {}",
            t.id
        );
    }
    let events: HashMap<&str, &Event> = ds.events.iter().map(|e| (e.id.as_str(), e)).collect();
    for a in &ds.attendance {
        assert!(founded(a.org.as_ref().unwrap()) <= events[a.event.as_str()].date);
    }
    for a in &ds.affiliations {
        assert!(founded(&a.org) <= a.from.unwrap());
    }
    for m in &ds.memberships {
        assert!(founded(&m.org) <= m.from.unwrap());
    }
    let projects: HashMap<&str, &Project> =
        ds.projects.iter().map(|p| (p.id.as_str(), p)).collect();
    for p in &ds.participations {
        assert!(founded(&p.org) <= projects[p.project.as_str()].start.unwrap());
    }
    for o in ds.organisations.iter().filter(|o| o.acquired_by.is_some()) {
        let acquirer = by_id[o.acquired_by.as_ref().unwrap().as_str()];
        assert!(acquirer.founded.unwrap() <= o.acquired_on.unwrap());
    }
}

#[test]
fn the_period_follows_the_options() {
    let opts = DemoOptions {
        seed: 5,
        orgs: 300,
        end: Date::from_ymd_opt(2030, 6, 30).unwrap(),
        years: 3,
    };
    let ds = generate(&opts);
    assert!(problems(&ds).is_empty());
    let first = Date::from_ymd_opt(2027, 7, 1).unwrap();
    assert!(
        ds.events
            .iter()
            .all(|e| e.date >= first && e.date <= opts.end)
    );
    assert!(ds.ties.iter().all(|t| t.start <= opts.end));
    assert!(ds.initiatives.iter().all(|i| i.started.unwrap() < opts.end));
}

/// Layering rule (L1): the only milieu crate this one may depend on is milieu-model.
#[test]
fn depends_on_no_milieu_crate_but_the_model() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let mut section = String::new();
    let mut found_model = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let name = line.split(['=', ' ', '.']).next().unwrap_or("");
        if section.contains("dependencies") && name.starts_with("milieu-") {
            assert_eq!(name, "milieu-model", "{section} has {name}");
            found_model = true;
        }
    }
    assert!(found_model);
}
