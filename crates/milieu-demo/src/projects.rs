//! Joint projects, brokers' introductions with what came of them, and opportunities.

use crate::state::{Gen, capitalise};
use crate::world::{CHAINS, EU_COUNTRIES, GOODS, HOME_COUNTRY, PLACES, Role, SYLLABLES};
use milieu_model::{
    Date, Eligibility, IntroductionId, IntroductionStatus, Opportunity, OpportunityId,
    OpportunityKind, OrgKind, OutcomeKind, Participation, Project, ProjectId, ProjectRole,
    SectorCode, SizeClass, TieKind, TieSource, Visibility,
};

const PROGRAMMES: [&str; 5] = [
    "Horizon Europe",
    "Central Innovation Programme for SMEs",
    "regional innovation programme",
    "industrial collective research",
    "Eureka network project",
];

impl Gen<'_> {
    fn chain_sectors(&self, chain: usize, seg: Option<usize>) -> Vec<SectorCode> {
        let segs: Vec<usize> = match seg {
            Some(s) => vec![s],
            None => (0..CHAINS[chain].segments.len()).collect(),
        };
        segs.iter()
            .map(|&s| SectorCode::parse(CHAINS[chain].segments[s].naics[0]).expect("static code"))
            .collect()
    }

    /// Joint R&D and business projects: led by a research organisation, a firm, or (European
    /// projects) a partner abroad, with partners mostly from the coordinator's community.
    pub(crate) fn projects(&mut self) {
        let n = self.ds.organisations.len();
        let count = (n / 25).max(3);
        let first = self.years_before(self.start, 2.0);
        let last = self.days_after(self.end, -90);
        for p in 0..count {
            let chain = self.weighted(&[0.3, 0.25, 0.2, 0.2, 0.05]);
            let start = self.date_between(first, last);
            let lead_kind = self.weighted(&[0.35, 0.40, 0.25]);
            let founded_by = |g: &Self, o: u32| g.orgs[o as usize].founded <= start;
            let coordinator = match lead_kind {
                0 => {
                    let mut k: Vec<u32> = self.universities.clone();
                    k.extend(
                        self.institutes
                            .iter()
                            .copied()
                            .filter(|&i| self.orgs[i as usize].chain == Some(chain)),
                    );
                    Some(self.pick(&k))
                }
                1 => {
                    let firms: Vec<u32> = self.chain_firms[chain]
                        .iter()
                        .copied()
                        .filter(|&o| self.orgs[o as usize].employees >= 20 && founded_by(self, o))
                        .collect();
                    (!firms.is_empty()).then(|| self.pick(&firms))
                }
                _ => {
                    let ext: Vec<u32> = self.chain_externals[chain]
                        .iter()
                        .copied()
                        .filter(|&o| founded_by(self, o))
                        .collect();
                    (!ext.is_empty()).then(|| self.pick(&ext))
                }
            };
            let Some(coordinator) = coordinator else {
                continue;
            };
            let mut partners = vec![coordinator];
            let k = self.int(2, 6) as usize;
            let community = self.orgs[coordinator as usize].community();
            for _ in 0..k * 4 {
                if partners.len() > k {
                    break;
                }
                let pool = match community {
                    Some(c) if self.chance(0.6) && !self.communities[c].is_empty() => {
                        self.communities[c].clone()
                    }
                    _ => self.chain_firms[chain].clone(),
                };
                if pool.is_empty() {
                    break;
                }
                let o = self.pick(&pool);
                if founded_by(self, o) && !partners.contains(&o) {
                    partners.push(o);
                }
            }
            if lead_kind == 1 && self.chance(0.6) {
                let mut k: Vec<u32> = self.universities.clone();
                k.extend(self.institutes.iter().copied());
                let r = self.pick(&k);
                if !partners.contains(&r) {
                    partners.push(r);
                }
            }
            if lead_kind == 2 {
                for _ in 0..self.int(1, 3) {
                    if self.chain_externals[chain].is_empty() {
                        break;
                    }
                    let Some(x) = self.pick_of(|s| &s.chain_externals[chain]) else {
                        break;
                    };
                    if founded_by(self, x) && !partners.contains(&x) {
                        partners.push(x);
                    }
                }
            }
            if partners.len() < 2 {
                continue;
            }
            let years = self.int(1, 4);
            let jitter = self.int(-30, 30);
            let end = self.days_after(start, years * 365 + jitter);
            let budget_mu = [14.0, 13.3, 15.2][lead_kind];
            let budget = (self.lognormal(budget_mu, 0.5) / 1000.0).round() * 1000.0;
            let acronym = format!(
                "{}{}",
                self.pick(SYLLABLES).to_uppercase(),
                self.pick(SYLLABLES).to_uppercase()
            );
            let topic = self.pick(CHAINS[chain].topics);
            let programme = match lead_kind {
                2 => PROGRAMMES[0],
                _ => PROGRAMMES[1 + self.index(PROGRAMMES.len() - 1)],
            };
            let id = ProjectId::new(format!("pr{}", p + 1));
            self.ds.projects.push(Project {
                id: id.clone(),
                title: format!("{acronym}: {}", capitalise(topic)),
                start: Some(start),
                end: Some(end),
                topics: vec![topic.to_string(), programme.to_string()],
                budget: Some(budget),
            });
            let mut shares: Vec<f64> = partners.iter().map(|_| 0.5 + self.uniform()).collect();
            shares[0] += 1.0;
            let total: f64 = shares.iter().sum();
            for (i, &o) in partners.iter().enumerate() {
                let role = if i == 0 {
                    ProjectRole::Coordinator
                } else if self.orgs[o as usize].external() {
                    ProjectRole::Partner
                } else {
                    ProjectRole::Participant
                };
                let contribution = (budget * shares[i] / total / 100.0).floor() * 100.0;
                self.ds.participations.push(Participation {
                    project: id.clone(),
                    org: self.org_id(o),
                    role,
                    contribution: Some(contribution),
                });
            }
            let kind = if lead_kind == 1 {
                TieKind::JointProject
            } else {
                TieKind::RnD
            };
            for &o in &partners[1..] {
                let tie_end = if end <= self.end && self.chance(0.6) {
                    Some(end)
                } else {
                    None
                };
                let strength = self.int(3, 4) as u8;
                let t = self.add_tie(
                    coordinator,
                    o,
                    kind,
                    start,
                    tie_end,
                    strength,
                    TieSource::Observed,
                    None,
                    None,
                    Visibility::Public,
                    format!("project {acronym}"),
                );
                if end <= self.end && self.chance(0.3) {
                    let outcome = if self.chance(0.5) {
                        OutcomeKind::JointProject
                    } else {
                        OutcomeKind::KnowledgeGained
                    };
                    self.add_outcome(
                        o,
                        Some(coordinator),
                        outcome,
                        end,
                        Some(t),
                        None,
                        None,
                        format!("results of project {acronym}"),
                    );
                }
            }
        }
    }

    /// Brokers introduce a member looking for something to an organisation that offers it.
    pub(crate) fn introductions(&mut self) {
        let n = self.ds.organisations.len();
        let count = (n / 8).max(5);
        let weights: Vec<f64> = self
            .initiatives
            .iter()
            .map(|i| i.members.entries.len() as f64 + 1.0)
            .collect();
        if weights.is_empty() {
            return;
        }
        let mut attempts = 0;
        let mut made = 0;
        while made < count && attempts < count * 10 {
            attempts += 1;
            let i = self.weighted(&weights);
            let from_date = self.initiatives[i].started.max(self.start);
            let last = self.days_after(self.end, -1).max(from_date);
            let date = self.date_between(from_date, last);
            let brokers: Vec<u32> = self.initiatives[i]
                .brokers
                .iter()
                .filter(|(_, f, t)| *f <= date && t.is_none_or(|t| date < t))
                .map(|(p, _, _)| *p)
                .collect();
            if brokers.is_empty() {
                continue;
            }
            let broker = self.pick(&brokers);
            let pool = self.initiatives[i].members.clone();
            self.new_draw();
            let Some(&asker) = self.draw(&pool, 1, date).first() else {
                continue;
            };
            let wants = self.orgs[asker as usize].requests.clone();
            if wants.is_empty() {
                continue;
            }
            let g = self.pick(&wants);
            let sellers: Vec<u32> = self.good_sellers[g as usize]
                .iter()
                .copied()
                .filter(|&s| s != asker && self.orgs[s as usize].founded <= date)
                .collect();
            if sellers.is_empty() {
                continue;
            }
            // Prefer sellers who are members too; otherwise anyone, also abroad.
            let mut seller = self.pick(&sellers);
            for _ in 0..4 {
                if self.member_bits[seller as usize] & (1 << i) != 0 {
                    break;
                }
                seller = self.pick(&sellers);
            }
            let via = if self.chance(0.15) {
                let mut k = self.universities.clone();
                k.extend(self.institutes.iter().copied());
                let v = self.pick(&k);
                (v != asker && v != seller).then_some(v)
            } else {
                None
            };
            let recent = (self.end - date).num_days() < 45;
            let status = if recent {
                [IntroductionStatus::Proposed, IntroductionStatus::Made][self.index(2)]
            } else {
                [
                    IntroductionStatus::Proposed,
                    IntroductionStatus::Made,
                    IntroductionStatus::Met,
                    IntroductionStatus::Declined,
                    IntroductionStatus::Closed,
                ][self.weighted(&[0.05, 0.2, 0.35, 0.12, 0.28])]
            };
            let term = GOODS[g as usize].term;
            let id = IntroductionId::new(format!("intro{}", self.ds.introductions.len() + 1));
            let visibility = self.visibility(0.25, 0.70);
            let note = format!(
                "{} is looking for {term}; {} offers it.",
                self.org_name(asker),
                self.org_name(seller)
            );
            self.ds.introductions.push(milieu_model::Introduction {
                id: id.clone(),
                from: self.org_id(asker),
                to: self.org_id(seller),
                via: via.map(|v| self.org_id(v)),
                broker: Some(self.ds.people[broker as usize].id.clone()),
                date,
                status,
                note,
                visibility,
            });
            made += 1;
            self.introduction_results(&id, asker, seller, g, date, status);
        }
    }

    fn introduction_results(
        &mut self,
        id: &IntroductionId,
        asker: u32,
        seller: u32,
        good: u16,
        date: Date,
        status: IntroductionStatus,
    ) {
        let met = status == IntroductionStatus::Met;
        let closed = status == IntroductionStatus::Closed;
        if !(met || closed) {
            if status == IntroductionStatus::Made && self.chance(0.2) {
                let when = self.after_capped(date, 30, 90);
                self.add_outcome(
                    asker,
                    Some(seller),
                    OutcomeKind::NothingYet,
                    when,
                    None,
                    None,
                    Some(id.clone()),
                    "no reply yet".to_string(),
                );
            }
            return;
        }
        if !self.chance(0.85) {
            return;
        }
        let seller_role = {
            let (c, s) = GOODS[good as usize].seller;
            CHAINS[c].segments[s].role
        };
        let kind = if met {
            TieKind::Lead
        } else if seller_role == Role::Service {
            [TieKind::Advice, TieKind::RnD][self.index(2)]
        } else {
            [TieKind::Sale, TieKind::Supplier, TieKind::Alliance][self.weighted(&[0.5, 0.3, 0.2])]
        };
        let start = self.after_capped(date, 7, 45);
        let strength = if met { 2 } else { self.int(3, 4) as u8 };
        let visibility = self.visibility(0.6, 0.35);
        let t = self.add_tie(
            seller,
            asker,
            kind,
            start,
            None,
            strength,
            TieSource::Introduction,
            None,
            Some(id.clone()),
            visibility,
            format!("introduced for {}", GOODS[good as usize].term),
        );
        let p = if closed { 0.9 } else { 0.4 };
        if !self.chance(p) {
            return;
        }
        let outcome = if closed {
            [
                OutcomeKind::Sale,
                OutcomeKind::Agreement,
                OutcomeKind::JointProject,
                OutcomeKind::Lead,
            ][self.weighted(&[0.4, 0.3, 0.15, 0.15])]
        } else {
            [
                OutcomeKind::Lead,
                OutcomeKind::KnowledgeGained,
                OutcomeKind::ContactKept,
            ][self.weighted(&[0.5, 0.3, 0.2])]
        };
        let when = self.after_capped(start, 14, 200);
        let note = format!("{outcome} after introduction");
        self.add_outcome(
            asker,
            Some(seller),
            outcome,
            when,
            Some(t),
            None,
            Some(id.clone()),
            note,
        );
    }

    /// Calls, tenders, trade missions, buyer and partner requests, worded with the chains'
    /// goods and topics so they can be routed to the members they fit.
    pub(crate) fn opportunities(&mut self) {
        let n = self.ds.organisations.len();
        let count = 8 + n / 25;
        let sme = vec![SizeClass::Micro, SizeClass::Small, SizeClass::Medium];
        for k in 0..count {
            let kind = [
                OpportunityKind::Call,
                OpportunityKind::Tender,
                OpportunityKind::TradeMission,
                OpportunityKind::BuyerRequest,
                OpportunityKind::PartnerRequest,
            ][self.weighted(&[0.2, 0.2, 0.15, 0.25, 0.2])];
            let chain = self.weighted(&crate::world::chain_weights());
            let deadline = {
                let late = self.days_after(self.end, 180);
                self.date_between(self.start, late)
            };
            let topic = self.pick(CHAINS[chain].topics);
            let goods: Vec<u16> = (0..GOODS.len() as u16)
                .filter(|&g| GOODS[g as usize].seller.0 == chain)
                .collect();
            let g = self.pick(&goods) as usize;
            let good = &GOODS[g];
            let (sc, ss) = good.seller;
            let place = &PLACES[self.index(PLACES.len())];
            let foreign: Vec<&_> = PLACES
                .iter()
                .filter(|p| p.country != HOME_COUNTRY)
                .collect();
            let abroad = foreign[self.index(foreign.len())];
            let (title, text, countries, sectors, eligibility) = match kind {
                OpportunityKind::Call => {
                    let programme = if self.chance(0.5) {
                        PROGRAMMES[0]
                    } else {
                        PROGRAMMES[2]
                    };
                    let smes_only = self.chance(0.4);
                    (
                        format!("{programme} call: {topic}"),
                        format!(
                            "Funding for collaborative research and innovation projects on {topic} in {}. \
                             Consortia of firms and research organisations; {}",
                            CHAINS[chain].name.to_lowercase(),
                            if smes_only {
                                "open to small and medium-sized enterprises only."
                            } else {
                                "firms of all sizes, universities and research institutes may apply."
                            }
                        ),
                        if programme == PROGRAMMES[0] {
                            EU_COUNTRIES.iter().map(|c| c.to_string()).collect()
                        } else {
                            vec![HOME_COUNTRY.to_string()]
                        },
                        self.chain_sectors(chain, None),
                        Eligibility {
                            kinds: vec![
                                OrgKind::Firm,
                                OrgKind::University,
                                OrgKind::ResearchInstitute,
                            ],
                            size_classes: if smes_only { sme.clone() } else { Vec::new() },
                            countries: if programme == PROGRAMMES[0] {
                                EU_COUNTRIES.iter().map(|c| c.to_string()).collect()
                            } else {
                                vec![HOME_COUNTRY.to_string()]
                            },
                            sectors: Vec::new(),
                        },
                    )
                }
                OpportunityKind::Tender => {
                    let buyer_seg = good.buyer.1;
                    let buyer = CHAINS[good.buyer.0].segments[buyer_seg].name;
                    (
                        format!("Tender: {}", good.term),
                        format!(
                            "A public {buyer} in {} invites tenders for the supply of {}. \
                             Framework contract over three years; suppliers must show references \
                             and certified quality management.",
                            place.country_name, good.term
                        ),
                        vec![place.country.to_string()],
                        self.chain_sectors(sc, Some(ss)),
                        Eligibility {
                            kinds: vec![OrgKind::Firm],
                            ..Eligibility::default()
                        },
                    )
                }
                OpportunityKind::TradeMission => (
                    format!(
                        "Trade mission to {}: {}",
                        abroad.country_name,
                        CHAINS[chain].name.to_lowercase()
                    ),
                    format!(
                        "A week of meetings with buyers, distributors and research partners in {} \
                         for firms in {}, with visits on {topic}. Travel costs of SMEs are co-funded.",
                        abroad.city,
                        CHAINS[chain].name.to_lowercase()
                    ),
                    vec![abroad.country.to_string()],
                    self.chain_sectors(chain, None),
                    Eligibility {
                        kinds: vec![OrgKind::Firm],
                        size_classes: sme.clone(),
                        countries: vec![HOME_COUNTRY.to_string()],
                        sectors: Vec::new(),
                    },
                ),
                OpportunityKind::BuyerRequest => (
                    format!(
                        "Buyer in {} seeks supplier of {}",
                        abroad.country_name, good.term
                    ),
                    format!(
                        "A {} in {} is looking for a supplier of {}. Long-term cooperation, \
                         regular volumes, certified quality required.",
                        CHAINS[good.buyer.0].segments[good.buyer.1].name, abroad.city, good.term
                    ),
                    vec![abroad.country.to_string()],
                    self.chain_sectors(sc, Some(ss)),
                    Eligibility::default(),
                ),
                _ => (
                    format!("Partner wanted in {}: {topic}", abroad.country_name),
                    format!(
                        "A firm in {} is looking for partners offering {} and for R&D partners \
                         on {topic}, for a joint application and market entry.",
                        abroad.city, good.term
                    ),
                    vec![abroad.country.to_string()],
                    self.chain_sectors(chain, None),
                    Eligibility::default(),
                ),
            };
            self.ds.opportunities.push(Opportunity {
                id: OpportunityId::new(format!("opp{}", k + 1)),
                kind,
                title,
                text,
                countries,
                sectors,
                deadline: Some(deadline),
                eligibility,
                url: Some(format!("https://opportunities.example/opp{}", k + 1)),
            });
        }
    }

    /// Weak ties nobody renewed fade: some end a year or two after they began.
    pub(crate) fn fade_ties(&mut self) {
        let cutoff = self.years_before(self.end, 2.0);
        for t in 0..self.ds.ties.len() {
            let tie = &self.ds.ties[t];
            if tie.end.is_some()
                || tie.source != TieSource::Event
                || tie.strength.unwrap_or(1) > 2
                || tie.start >= cutoff
            {
                continue;
            }
            let start = tie.start;
            if self.chance(0.35) {
                let a = self.days_after(start, 180);
                let b = self.days_after(start, 3 * 365).min(self.end);
                let end = self.date_between(a, b.max(a));
                self.ds.ties[t].end = Some(end);
            }
        }
    }
}
