//! Structural ties (large firms and their suppliers, distributors and their sources, export
//! customers abroad) and the cluster organisation: clusters, initiatives, memberships with
//! board, secretariat and broker roles over time.

use crate::state::{Gen, InitiativeInfo, Pool};
use crate::world::{
    AUTO, CHAINS, FOOD, GOODS, HOME_NAME, HOME_REGION, ICT, INITIATIVE_DEFS, MEDTECH, Role, TOURISM,
};
use milieu_model::{
    Cluster, ClusterId, Date, Initiative, InitiativeId, MemberRole, Membership, OrgKind,
    SectorCode, TieKind, TieSource,
};

impl Gen<'_> {
    /// Buyers of some size name their suppliers; the anchors have many, mostly nearby.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn supply_ties(&mut self) {
        for c in 0..CHAINS.len() {
            let firms = self.chain_firms[c].clone();
            for o in firms {
                let info = &self.orgs[o as usize];
                let e = info.employees;
                let my_sub = info.subregion;
                let Some(seg) = info.segment else { continue };
                let role = CHAINS[c].segments[seg].role;
                if e < 50 || matches!(role, Role::Supplier | Role::Service) {
                    continue;
                }
                let buys: Vec<u16> = (0..GOODS.len() as u16)
                    .filter(|&g| GOODS[g as usize].buyer == (c, seg))
                    .collect();
                if buys.is_empty() {
                    continue;
                }
                let k = if e >= 250 {
                    (4 + e as usize / 400).min(20)
                } else {
                    self.poisson(1.5) as usize
                };
                let mut chosen: Vec<u32> = Vec::new();
                for _ in 0..k * 4 {
                    if chosen.len() >= k {
                        break;
                    }
                    let g = self.pick(&buys);
                    if self.good_sellers[g as usize].is_empty() {
                        continue;
                    }
                    let Some(s) = self.pick_of(|s| &s.good_sellers[g as usize]) else {
                        continue;
                    };
                    let sub = self.orgs[s as usize].subregion;
                    let accept = if sub.is_none() {
                        0.35
                    } else if sub == my_sub {
                        1.0
                    } else {
                        0.5
                    };
                    if s == o || chosen.contains(&s) || !self.chance(accept) {
                        continue;
                    }
                    chosen.push(s);
                    let earliest = self.days_after(
                        self.orgs[s as usize]
                            .founded
                            .max(self.orgs[o as usize].founded),
                        180,
                    );
                    let latest = self.days_after(self.end, -30);
                    if earliest >= latest {
                        continue;
                    }
                    let start = self.date_between(earliest, latest);
                    let end = if self.chance(0.1) {
                        let from = self.days_after(start, 365);
                        (from < self.end).then(|| self.date_between(from, self.end))
                    } else {
                        None
                    };
                    let strength = self.int(3, 5) as u8;
                    let visibility = self.visibility(0.6, 0.35);
                    let note = format!("supplies {}", GOODS[g as usize].term);
                    let (from, to, kind) = if matches!(role, Role::Distributor | Role::Customer) {
                        (o, s, TieKind::Customer)
                    } else {
                        (s, o, TieKind::Supplier)
                    };
                    self.add_tie(
                        from,
                        to,
                        kind,
                        start,
                        end,
                        strength,
                        TieSource::SelfReport,
                        None,
                        None,
                        visibility,
                        note,
                    );
                }
            }
        }
    }

    /// Exporting firms sell to customers abroad: the region's global pipelines.
    pub(crate) fn export_ties(&mut self) {
        for c in 0..CHAINS.len() {
            let firms = self.chain_firms[c].clone();
            for o in firms {
                let share = self.ds.organisations[o as usize]
                    .export_share
                    .unwrap_or(0.0);
                if share < 0.25 {
                    continue;
                }
                let k = self.poisson(0.5 + 2.0 * share) as usize;
                for _ in 0..k {
                    let offers = self.orgs[o as usize].offers.clone();
                    if offers.is_empty() {
                        break;
                    }
                    let g = self.pick(&offers) as usize;
                    let (bc, bs) = GOODS[g].buyer;
                    let buyers: Vec<u32> = self.chain_externals[bc]
                        .iter()
                        .copied()
                        .filter(|&x| self.orgs[x as usize].segment == Some(bs))
                        .collect();
                    if buyers.is_empty() {
                        continue;
                    }
                    let b = self.pick(&buyers);
                    let earliest = self.days_after(
                        self.orgs[b as usize]
                            .founded
                            .max(self.orgs[o as usize].founded),
                        180,
                    );
                    if earliest >= self.end {
                        continue;
                    }
                    let start = self.date_between(earliest, self.end);
                    let strength = self.int(2, 4) as u8;
                    let visibility = self.visibility(0.7, 0.3);
                    self.add_tie(
                        o,
                        b,
                        TieKind::Sale,
                        start,
                        None,
                        strength,
                        TieSource::SelfReport,
                        None,
                        None,
                        visibility,
                        format!("exports {}", GOODS[g].term),
                    );
                }
            }
        }
    }

    pub(crate) fn clusters(&mut self) {
        for chain in CHAINS.iter() {
            let mut sectors: Vec<SectorCode> = Vec::new();
            for seg in chain.segments {
                for code in seg.naics {
                    let s = SectorCode::parse(code).expect("static code");
                    if !sectors.contains(&s) {
                        sectors.push(s);
                    }
                }
            }
            for seg in chain.segments {
                let s = SectorCode::parse(&format!("nace:{}", seg.nace)).expect("static code");
                if !sectors.contains(&s) {
                    sectors.push(s);
                }
            }
            let segments: Vec<&str> = chain.segments.iter().map(|s| s.name).collect();
            self.ds.clusters.push(Cluster {
                id: ClusterId::new(format!("cl-{}", chain.key)),
                name: format!("{HOME_NAME} {} cluster", chain.name.to_lowercase()),
                region: Some(HOME_REGION.to_string()),
                sectors,
                description: format!(
                    "The {} value chain of {HOME_NAME}: {}.",
                    chain.name.to_lowercase(),
                    crate::orgs::join(&segments)
                ),
            });
        }
    }

    pub(crate) fn initiatives(&mut self) {
        for (d, def) in INITIATIVE_DEFS.iter().enumerate() {
            let started = self.initiative_start(d);
            let host = self.hosts[d].1;
            let id = InitiativeId::new(format!("in-{}", def.key));
            self.ds.initiatives.push(Initiative {
                id: id.clone(),
                name: def.name.to_string(),
                cluster: Some(ClusterId::new(format!("cl-{}", CHAINS[def.chain].key))),
                region: Some(HOME_REGION.to_string()),
                started: Some(started),
                ended: None,
                goals: def.goals.iter().map(|g| g.to_string()).collect(),
            });
            let members = self.members(def.chain, started);
            for &(o, from, to) in &members {
                let person = if self.chance(0.5) {
                    self.orgs[o as usize].lead
                } else {
                    None
                };
                self.membership(&id, o, person, MemberRole::Member, from, to);
            }
            self.board(&id, def.chain, &members, started);
            let manager = self.orgs[host as usize].lead.unwrap_or(0);
            self.membership(
                &id,
                host,
                Some(manager),
                MemberRole::Secretariat,
                started,
                None,
            );
            let brokers = self.brokers(&id, host, started, members.len());
            self.member_bits.resize(self.orgs.len(), 0);
            for &(o, _, _) in &members {
                self.member_bits[o as usize] |= 1 << self.initiatives.len();
            }
            let pool = std::rc::Rc::new(Pool::new(members, &self.orgs));
            self.initiatives.push(InitiativeInfo {
                chain: def.chain,
                index: d,
                started,
                host,
                members: pool,
                brokers,
            });
        }
    }

    fn membership(
        &mut self,
        initiative: &InitiativeId,
        org: u32,
        person: Option<u32>,
        role: MemberRole,
        from: Date,
        to: Option<Date>,
    ) {
        // A person stands for the organisation only while working there.
        let mut dates = (from, to);
        let person = person.and_then(|p| {
            let &(_, a_from, a_to) = self.orgs[org as usize]
                .staff
                .iter()
                .find(|(q, _, _)| *q == p)?;
            let f = from.max(a_from);
            let t = match (to, a_to) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            if t.is_some_and(|t| t <= f) {
                return None;
            }
            dates = (f, t);
            Some(self.ds.people[p as usize].id.clone())
        });
        self.ds.memberships.push(Membership {
            initiative: initiative.clone(),
            org: self.org_id(org),
            person,
            role,
            from: Some(dates.0),
            to: dates.1,
        });
    }

    /// Who joins: firms of the chain (larger ones more often), a few bridge firms from other
    /// chains, the knowledge base, the agency and chamber, investors, a few partners abroad.
    fn members(&mut self, chain: usize, started: Date) -> Vec<(u32, Date, Option<Date>)> {
        let mut candidates: Vec<(u32, f64)> = Vec::new();
        for &o in &self.chain_firms[chain] {
            let e = self.orgs[o as usize].employees;
            let p = 0.30
                * match e {
                    0..=9 => 0.7,
                    10..=49 => 1.0,
                    50..=249 => 1.6,
                    _ => 2.8,
                };
            candidates.push((o, p));
        }
        let bridges: &[(usize, Option<usize>, f64)] = match chain {
            MEDTECH => &[(ICT, None, 0.06), (AUTO, Some(1), 0.10)],
            ICT => &[
                (MEDTECH, None, 0.03),
                (FOOD, None, 0.02),
                (AUTO, None, 0.04),
                (TOURISM, None, 0.02),
            ],
            FOOD => &[(TOURISM, Some(1), 0.10), (ICT, None, 0.02)],
            _ => &[],
        };
        for &(c, seg, p) in bridges {
            for &o in &self.chain_firms[c] {
                if seg.is_none() || self.orgs[o as usize].segment == seg {
                    candidates.push((o, p));
                }
            }
        }
        for &u in &self.universities {
            candidates.push((u, 2.0));
        }
        for &i in &self.institutes {
            let p = if self.orgs[i as usize].chain == Some(chain) {
                2.0
            } else {
                0.3
            };
            candidates.push((i, p));
        }
        candidates.push((self.agency, 2.0));
        candidates.push((self.chamber, 2.0));
        for &i in &self.investors {
            candidates.push((i, if chain == FOOD { 0.2 } else { 0.6 }));
        }
        for &x in &self.chain_externals[chain] {
            candidates.push((x, 0.05));
        }
        let mut members = Vec::new();
        let last = self.days_after(self.end, -14);
        for (o, p) in candidates {
            if !self.chance(p) {
                continue;
            }
            let info = &self.orgs[o as usize];
            let founding_member = p >= 2.0 || info.employees >= 250;
            let earliest = started.max(self.days_after(info.founded, 30));
            if earliest > last {
                continue;
            }
            let from = if founding_member {
                earliest
            } else {
                self.date_between(earliest, last)
            };
            let to = if !founding_member && self.chance(0.07) {
                let a = self.days_after(from, 365);
                (a < self.end).then(|| self.date_between(a, self.end))
            } else {
                None
            };
            members.push((o, from, to));
        }
        members
    }

    /// Two board terms: most seats are kept, two change at the second term.
    fn board(
        &mut self,
        id: &InitiativeId,
        chain: usize,
        members: &[(u32, Date, Option<Date>)],
        started: Date,
    ) {
        let staying: Vec<(u32, Date)> = members
            .iter()
            .filter(|(_, _, to)| to.is_none())
            .map(|(o, from, _)| (*o, *from))
            .collect();
        if staying.is_empty() {
            return;
        }
        let mut firms: Vec<(u32, Date)> = staying
            .iter()
            .copied()
            .filter(|(o, _)| {
                let info = &self.orgs[*o as usize];
                info.kind == OrgKind::Firm && info.chain == Some(chain) && !info.external()
            })
            .collect();
        firms.sort_by_key(|(o, _)| (std::cmp::Reverse(self.orgs[*o as usize].employees), *o));
        let mut board: Vec<(u32, Date)> = staying
            .iter()
            .copied()
            .filter(|(o, _)| {
                let info = &self.orgs[*o as usize];
                *o == self.universities[0]
                    || (info.kind == OrgKind::ResearchInstitute && info.chain == Some(chain))
            })
            .take(2)
            .collect();
        board.extend(firms.iter().take(3).copied());
        let smes: Vec<(u32, Date)> = firms
            .iter()
            .copied()
            .filter(|(o, _)| self.orgs[*o as usize].employees < 50)
            .collect();
        if !smes.is_empty() {
            let s = self.pick(&smes);
            if !board.contains(&s) {
                board.push(s);
            }
        }
        let t1 = started.max(self.years_before(self.start, 1.0));
        let t2 = self.days_after(t1, 3 * 365);
        let second_term = t2 < self.end;
        let keep = if second_term { 4 } else { board.len() };
        for (i, &(o, joined)) in board.iter().enumerate() {
            let from = t1.max(joined);
            let to = (i >= keep).then_some(t2).filter(|t| *t >= from);
            let lead = self.orgs[o as usize].lead;
            self.membership(id, o, lead, MemberRole::Board, from, to);
        }
        if second_term {
            let newcomers: Vec<(u32, Date)> = staying
                .iter()
                .copied()
                .filter(|(o, from)| *from <= t2 && !board.iter().any(|(b, _)| b == o))
                .collect();
            for (o, _) in self.sample(&newcomers, 2) {
                let lead = self.orgs[o as usize].lead;
                self.membership(id, o, lead, MemberRole::Board, t2, None);
            }
        }
    }

    /// Network brokers of the host organisation; the first may hand over to a successor.
    fn brokers(
        &mut self,
        id: &InitiativeId,
        host: u32,
        started: Date,
        members: usize,
    ) -> Vec<(u32, Date, Option<Date>)> {
        let staff: Vec<u32> = self.orgs[host as usize]
            .staff
            .iter()
            .skip(1)
            .map(|(p, _, _)| *p)
            .collect();
        let k = (1 + members / 150).min(staff.len());
        let mut out = Vec::new();
        for (i, &p) in staff.iter().take(k).enumerate() {
            let from = if i == 0 {
                started.max(self.years_before(self.start, 2.0))
            } else {
                let a = started.max(self.start);
                self.date_between(a, self.days_after(self.end, -90).max(a))
            };
            let to = if i == 0 && k >= 2 && self.chance(0.35) {
                let a = self.days_after(from.max(self.start), 365);
                let b = self.days_after(self.end, -365);
                (a < b).then(|| self.date_between(a, b))
            } else {
                None
            };
            self.membership(id, host, Some(p), MemberRole::Broker, from, to);
            let m = self.ds.memberships.last().expect("just pushed");
            if m.person.is_some() {
                out.push((p, m.from.unwrap_or(from), m.to));
            }
        }
        out
    }
}
