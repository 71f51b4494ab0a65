//! Five years of events: what the initiatives, the agency and the chamber hold, who comes, and
//! the ties that grow from meeting again and again. Also members' topic requests and votes.

use crate::state::{Gen, Pool};
use crate::world::{
    AUTO, CHAINS, CROSS_TOPICS, FOOD, HOME_NAME, ICT, INITIATIVE_DEFS, MEDTECH, PLACES, SUBREGIONS,
    TOURISM, TRADE_FAIRS,
};
use chrono::Datelike;
use milieu_model::{
    Attendance, AttendanceRole, Date, Event, EventId, EventKind, InitiativeId, OrgKind,
    OutcomeKind, TieKind, TieSource, TopicRequest, TopicRequestId,
};
use std::rc::Rc;

/// Who an event draws from.
#[derive(Clone)]
enum Audience {
    Initiative(usize),
    Initiatives(Vec<usize>),
    Chain(usize),
    All,
    Circle(usize),
}

#[derive(Clone)]
struct EventSpec {
    kind: EventKind,
    title: String,
    date: Date,
    days: u64,
    region: Option<String>,
    topics: Vec<String>,
    organiser: u32,
    initiative: Option<usize>,
    audience: Audience,
    /// Organisations from abroad that come (delegations, fair visitors, B2B participants),
    /// and which chain they are from.
    externals: usize,
    external_chain: usize,
}

/// How many partners an attendee talks to (mean) and the chance a first talk becomes a tie.
fn mixing(kind: EventKind) -> (f64, f64) {
    match kind {
        EventKind::BrokerageEvent => (2.5, 0.7),
        EventKind::LearningCircle => (1.2, 0.55),
        EventKind::NetworkingMeeting => (1.0, 0.45),
        EventKind::Workshop => (0.6, 0.35),
        EventKind::Conference => (0.35, 0.3),
        EventKind::TradeFair => (0.8, 0.5),
        EventKind::DelegationVisit => (1.2, 0.5),
        EventKind::Other => (0.5, 0.3),
    }
}

impl Gen<'_> {
    fn year_span(&self, y: u32) -> (Date, Date) {
        let a = self
            .start
            .checked_add_months(chrono::Months::new(12 * y))
            .unwrap_or(self.start);
        let b = a
            .checked_add_months(chrono::Months::new(12))
            .map(|d| self.days_after(d, -1))
            .unwrap_or(self.end)
            .min(self.end);
        (a, b)
    }

    fn event_date(&mut self, a: Date, b: Date) -> Date {
        let d = self.date_between(a, b);
        self.working_day(d).clamp(a, b.max(a))
    }

    fn local_region(&mut self, chain: Option<usize>) -> Option<String> {
        let sub = match chain {
            Some(c) => self.weighted(&CHAINS[c].subregion_weights),
            None => self.index(SUBREGIONS.len()),
        };
        Some(SUBREGIONS[sub].code.to_string())
    }

    fn topics(&mut self, chain: usize, k: usize) -> Vec<String> {
        self.sample(CHAINS[chain].topics, k)
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// Members ask for topics and vote for each other's requests; the popular ones become
    /// workshops a few months later.
    #[allow(clippy::needless_range_loop)]
    fn topic_requests(&mut self) -> Vec<EventSpec> {
        let mut workshops = Vec::new();
        for i in 0..self.initiatives.len() {
            let pool = self.initiatives[i].members.clone();
            let started = self.initiatives[i].started;
            let chain = self.initiatives[i].chain;
            let host = self.initiatives[i].host;
            let id = InitiativeId::new(format!("in-{}", INITIATIVE_DEFS[i].key));
            for y in 0..self.opts.years.max(1) {
                let (a, b) = self.year_span(y);
                if b < started {
                    continue;
                }
                let a = a.max(started);
                let mid = self.date_between(a, b);
                let active = pool.active_on(mid).count();
                let count = 2 + active / 80;
                for _ in 0..count {
                    let date = self.event_date(a, b);
                    self.new_draw();
                    let Some(&requester) = self.draw(&pool, 1, date).first() else {
                        continue;
                    };
                    let topic = if self.chance(0.7) {
                        self.pick(CHAINS[chain].topics)
                    } else {
                        self.pick(CROSS_TOPICS)
                    };
                    let k = (self.lognormal(1.0, 0.9) as usize).min(active.saturating_sub(1));
                    let voters = self.draw(&pool, k, date);
                    let votes = voters.iter().map(|&v| self.org_id(v)).collect::<Vec<_>>();
                    self.ds.topic_requests.push(TopicRequest {
                        id: TopicRequestId::new(format!("tr{}", self.ds.topic_requests.len() + 1)),
                        org: self.org_id(requester),
                        topic: topic.to_string(),
                        date,
                        initiative: Some(id.clone()),
                        votes,
                    });
                    let lag = self.int(30, 120);
                    let when = self.days_after(date, lag);
                    if voters.len() >= 5 && when < self.end {
                        let when = self.working_day(when).min(self.end);
                        let region = self.local_region(Some(chain));
                        workshops.push(EventSpec {
                            kind: EventKind::Workshop,
                            title: format!("Workshop requested by members: {topic}"),
                            date: when,
                            days: 0,
                            region,
                            topics: vec![topic.to_string()],
                            organiser: host,
                            initiative: Some(i),
                            audience: Audience::Initiative(i),
                            externals: 0,
                            external_chain: chain,
                        });
                    }
                }
            }
        }
        workshops
    }

    /// Plans every event of the five years, then runs them in date order so that ties grow
    /// with each meeting.
    pub(crate) fn events(&mut self) {
        let mut specs = self.topic_requests();
        self.initiative_events(&mut specs);
        let circles = self.learning_circles(&mut specs);
        self.regional_events(&mut specs);
        // Date order; the plan order breaks ties so the result stays deterministic.
        let mut order: Vec<usize> = (0..specs.len()).collect();
        order.sort_by_key(|&i| (specs[i].date, i));

        let chain_pools: Vec<Rc<Pool>> = (0..CHAINS.len())
            .map(|c| Rc::new(self.chain_pool(c)))
            .collect();
        let all_pool = Rc::new(self.all_pool());
        let external_pools: Vec<Pool> = (0..CHAINS.len())
            .map(|c| {
                let entries = self.chain_externals[c]
                    .iter()
                    .map(|&x| (x, self.orgs[x as usize].founded, None))
                    .collect();
                Pool::new(entries, &self.orgs)
            })
            .collect();
        for i in order {
            let spec = specs[i].clone();
            let e = self.ds.events.len() as u32;
            let event_id = EventId::new(format!("ev{}", e + 1));
            let end_date = (spec.days > 0).then(|| self.days_after(spec.date, spec.days as i64));
            self.ds.events.push(Event {
                id: event_id.clone(),
                kind: spec.kind,
                title: spec.title.clone(),
                date: spec.date,
                end_date,
                region: spec.region.clone(),
                topics: spec.topics.clone(),
                organiser: Some(self.org_id(spec.organiser)),
                initiative: spec
                    .initiative
                    .map(|i| InitiativeId::new(format!("in-{}", INITIATIVE_DEFS[i].key))),
            });
            self.new_draw();
            // The organiser's own people are there but are not counted as making ties.
            self.take(spec.organiser);
            let organiser_person = self.staff_on(spec.organiser, spec.date);
            self.ds.attendance.push(Attendance {
                event: event_id.clone(),
                org: Some(self.org_id(spec.organiser)),
                person: organiser_person.map(|p| self.ds.people[p as usize].id.clone()),
                role: AttendanceRole::Organiser,
            });
            let mut came: Vec<(u32, AttendanceRole)> = Vec::new();
            for s in self.speakers(&spec) {
                came.push((s, AttendanceRole::Speaker));
            }
            let attendees = match &spec.audience {
                Audience::Circle(g) => {
                    let group = circles[*g].clone();
                    group
                        .into_iter()
                        .filter(|&o| self.chance(0.85) && self.take(o))
                        .collect()
                }
                audience => {
                    let pools: Vec<Rc<Pool>> = match audience {
                        Audience::Initiative(i) => vec![self.initiatives[*i].members.clone()],
                        Audience::Initiatives(list) => list
                            .iter()
                            .map(|i| self.initiatives[*i].members.clone())
                            .collect(),
                        Audience::Chain(c) => vec![chain_pools[*c].clone()],
                        _ => vec![all_pool.clone()],
                    };
                    let active: usize = pools.iter().map(|p| p.active_on(spec.date).count()).sum();
                    let k = self.audience_size(spec.kind, active);
                    let mut out = Vec::new();
                    for p in &pools {
                        let share = k / pools.len().max(1);
                        out.extend(self.draw(p, share.max(1), spec.date));
                    }
                    out
                }
            };
            for o in attendees {
                came.push((o, AttendanceRole::Attendee));
            }
            if spec.externals > 0 {
                let pool = &external_pools[spec.external_chain];
                for x in self.draw(pool, spec.externals, spec.date) {
                    came.push((x, AttendanceRole::Attendee));
                }
            }
            for &(o, role) in &came {
                self.attend(&event_id, o, role, spec.date);
            }
            self.meet(e, &spec, &came);
            self.lessons(&event_id, &spec, &came);
        }
    }

    fn audience_size(&mut self, kind: EventKind, m: usize) -> usize {
        let k = match kind {
            EventKind::NetworkingMeeting => (10 + m / 25).min(80),
            EventKind::Workshop => (8 + m / 50).min(40),
            EventKind::Conference => (30 + m / 6).min(300),
            EventKind::TradeFair => (5 + m / 60).min(30),
            EventKind::BrokerageEvent => (16 + m / 15).min(150),
            EventKind::DelegationVisit => (6 + m / 100).min(15),
            _ => (8 + m / 40).min(60),
        };
        let jitter = self.int(-(k as i64) / 5, k as i64 / 5);
        (k as i64 + jitter).max(2) as usize
    }

    fn attend(&mut self, event: &EventId, o: u32, role: AttendanceRole, date: Date) {
        let first = self.staff_on(o, date);
        let people: Vec<Option<u32>> = if self.orgs[o as usize].employees >= 250 && self.chance(0.3)
        {
            let second = self.staff_on(o, date);
            if second.is_some() && second != first {
                vec![first, second]
            } else {
                vec![first]
            }
        } else {
            vec![first]
        };
        for p in people {
            self.ds.attendance.push(Attendance {
                event: event.clone(),
                org: Some(self.org_id(o)),
                person: p.map(|p| self.ds.people[p as usize].id.clone()),
                role,
            });
        }
    }

    /// Speakers: researchers, the larger firms of the chain, sometimes a guest from abroad.
    fn speakers(&mut self, spec: &EventSpec) -> Vec<u32> {
        let k = match spec.kind {
            EventKind::Conference => self.int(3, 6),
            EventKind::Workshop => self.int(1, 2),
            EventKind::LearningCircle | EventKind::NetworkingMeeting => self.int(0, 1),
            _ => 0,
        } as usize;
        let chain = spec.external_chain;
        let mut candidates: Vec<u32> = self.universities.clone();
        candidates.extend(
            self.institutes
                .iter()
                .copied()
                .filter(|&i| self.orgs[i as usize].chain == Some(chain)),
        );
        candidates.extend(
            self.chain_firms[chain]
                .iter()
                .copied()
                .filter(|&o| self.orgs[o as usize].employees >= 100),
        );
        if spec.kind == EventKind::Conference {
            candidates.extend(self.chain_externals[chain].iter().copied().take(20));
        }
        let mut out = Vec::new();
        for _ in 0..k * 4 {
            if out.len() >= k || candidates.is_empty() {
                break;
            }
            let s = self.pick(&candidates);
            if self.orgs[s as usize].founded <= spec.date && self.take(s) {
                out.push(s);
            }
        }
        out
    }

    /// Attendees talk; some talks become ties, and pairs who meet again strengthen theirs.
    fn meet(&mut self, e: u32, spec: &EventSpec, came: &[(u32, AttendanceRole)]) {
        let present: Vec<u32> = came.iter().map(|(o, _)| *o).collect();
        if present.len() < 2 {
            return;
        }
        let (talks, _) = mixing(spec.kind);
        for &a in &present {
            let n = self.poisson(talks);
            for _ in 0..n {
                let Some(b) = self.partner(a, &present, spec.kind) else {
                    continue;
                };
                self.interact(a, b, e, spec);
            }
        }
    }

    fn partner(&mut self, a: u32, present: &[u32], kind: EventKind) -> Option<u32> {
        // Meet again someone already known who is here.
        if self.chance(0.5) {
            let known: Vec<u32> = self.neighbours[a as usize]
                .iter()
                .copied()
                .filter(|&n| self.mark[n as usize] == self.stamp)
                .collect();
            if !known.is_empty() {
                return Some(self.pick(&known));
            }
        }
        if kind == EventKind::BrokerageEvent {
            let fits: Vec<u32> = present
                .iter()
                .copied()
                .filter(|&b| {
                    b != a && (self.complement(a, b).is_some() || self.complement(b, a).is_some())
                })
                .collect();
            if !fits.is_empty() {
                return Some(self.pick(&fits));
            }
        }
        let mine = self.orgs[a as usize].community();
        let mut b = a;
        for _ in 0..3 {
            b = self.pick(present);
            if b != a && mine.is_some() && self.orgs[b as usize].community() == mine {
                return Some(b);
            }
        }
        (b != a).then_some(b)
    }

    fn interact(&mut self, a: u32, b: u32, e: u32, spec: &EventSpec) {
        let key = (a.min(b), a.max(b));
        let state = self.pairs.entry(key).or_default();
        if state.last_event == e + 1 {
            return;
        }
        state.last_event = e + 1;
        state.meetings = state.meetings.saturating_add(1);
        let meetings = state.meetings;
        let current = state.tie;
        let (_, form) = mixing(spec.kind);
        let drop = self.int(0, 1) as u8;
        let target = meetings.saturating_sub(drop).clamp(1, 5);
        let event_id = EventId::new(format!("ev{}", e + 1));
        let tie = match current {
            None => {
                if !self.chance(form) {
                    return;
                }
                let start = self.after_capped(spec.date, 0, 21);
                let t = self.event_tie(a, b, target, start, &event_id, &spec.title);
                self.neighbours[a as usize].push(b);
                self.neighbours[b as usize].push(a);
                if self.chance(0.10) {
                    self.tie_outcome(t, Some(event_id.clone()));
                }
                t
            }
            Some(old) => {
                let old_strength = self.ds.ties[old as usize].strength.unwrap_or(1);
                if target <= old_strength || !self.chance(0.7) {
                    return;
                }
                let start = self
                    .after_capped(spec.date, 0, 21)
                    .max(self.ds.ties[old as usize].start);
                self.ds.ties[old as usize].end = Some(start);
                let t = self.event_tie(a, b, target, start, &event_id, &spec.title);
                if target >= 3 && self.chance(0.3) {
                    self.tie_outcome(t, Some(event_id.clone()));
                }
                t
            }
        };
        if let Some(state) = self.pairs.get_mut(&key) {
            state.tie = Some(tie);
        }
    }

    /// A tie from meeting at an event; its kind says what the two have to do with each other.
    fn event_tie(
        &mut self,
        a: u32,
        b: u32,
        strength: u8,
        start: Date,
        event: &EventId,
        title: &str,
    ) -> u32 {
        let (from, to, kind) = if let Some(_g) = self.complement(a, b) {
            (a, b, self.trade_kind(strength))
        } else if let Some(_g) = self.complement(b, a) {
            (b, a, self.trade_kind(strength))
        } else if self.orgs[a as usize].is_knowledge() || self.orgs[b as usize].is_knowledge() {
            let kind = if strength >= 3 {
                TieKind::RnD
            } else {
                TieKind::Knowledge
            };
            (a, b, kind)
        } else {
            let kind = if strength >= 3 {
                [TieKind::Alliance, TieKind::Knowledge, TieKind::Advice]
                    [self.weighted(&[0.5, 0.3, 0.2])]
            } else {
                [TieKind::Knowledge, TieKind::Advice, TieKind::Other]
                    [self.weighted(&[0.45, 0.3, 0.25])]
            };
            (a, b, kind)
        };
        let visibility = self.visibility(0.5, 0.35);
        self.add_tie(
            from,
            to,
            kind,
            start,
            None,
            strength,
            TieSource::Event,
            Some(event.clone()),
            None,
            visibility,
            format!("met at {title}"),
        )
    }

    /// Seller and buyer: a lead first, business once they know each other.
    fn trade_kind(&mut self, strength: u8) -> TieKind {
        match strength {
            1 | 2 => TieKind::Lead,
            3 => [TieKind::Sale, TieKind::Lead][self.index(2)],
            _ => [TieKind::Supplier, TieKind::Alliance, TieKind::Sale][self.index(3)],
        }
    }

    /// What came of a tie, reported by one side some weeks later.
    pub(crate) fn tie_outcome(&mut self, t: u32, event: Option<EventId>) {
        let tie = &self.ds.ties[t as usize];
        let kind = match tie.kind {
            TieKind::Lead => OutcomeKind::Lead,
            TieKind::Sale | TieKind::Supplier | TieKind::Customer => OutcomeKind::Sale,
            TieKind::Alliance => OutcomeKind::Agreement,
            TieKind::RnD | TieKind::JointProject => OutcomeKind::JointProject,
            TieKind::Knowledge => OutcomeKind::KnowledgeGained,
            TieKind::Advice => OutcomeKind::Advice,
            _ => OutcomeKind::ContactKept,
        };
        let start = tie.start;
        let (Some(from), Some(to)) = (self.org_index(&tie.from), self.org_index(&tie.to)) else {
            return;
        };
        let (org, partner) = if self.chance(0.5) {
            (from, to)
        } else {
            (to, from)
        };
        let date = self.after_capped(start, 7, 120);
        let note = format!("{kind} with {}", self.org_name(partner));
        self.add_outcome(org, Some(partner), kind, date, Some(t), event, None, note);
    }

    /// Some attendees of talks report what they learned.
    fn lessons(&mut self, event: &EventId, spec: &EventSpec, came: &[(u32, AttendanceRole)]) {
        if !matches!(
            spec.kind,
            EventKind::Workshop | EventKind::Conference | EventKind::LearningCircle
        ) {
            return;
        }
        let topic = spec.topics.first().cloned().unwrap_or_default();
        for &(o, role) in came {
            if role == AttendanceRole::Attendee && self.chance(0.06) {
                let date = self.after_capped(spec.date, 0, 30);
                self.add_outcome(
                    o,
                    None,
                    OutcomeKind::KnowledgeGained,
                    date,
                    None,
                    Some(event.clone()),
                    None,
                    format!("learned about {topic}"),
                );
            }
        }
    }

    fn chain_pool(&self, c: usize) -> Pool {
        let mut entries: Vec<(u32, Date, Option<Date>)> = self.chain_firms[c]
            .iter()
            .map(|&o| (o, self.orgs[o as usize].founded, None))
            .collect();
        for &k in self.universities.iter().chain(&self.institutes) {
            if self.orgs[k as usize].kind == OrgKind::University
                || self.orgs[k as usize].chain == Some(c)
            {
                entries.push((k, self.orgs[k as usize].founded, None));
            }
        }
        Pool::new(entries, &self.orgs)
    }

    fn all_pool(&self) -> Pool {
        let hosts: Vec<u32> = self.hosts.iter().map(|h| h.1).collect();
        let entries = (0..self.orgs.len() as u32)
            .filter(|&o| !self.orgs[o as usize].external() && !hosts.contains(&o))
            .map(|o| (o, self.orgs[o as usize].founded, None))
            .collect();
        Pool::new(entries, &self.orgs)
    }

    fn initiative_events(&mut self, specs: &mut Vec<EventSpec>) {
        for i in 0..self.initiatives.len() {
            let chain = self.initiatives[i].chain;
            let host = self.initiatives[i].host;
            let started = self.initiatives[i].started;
            let name = INITIATIVE_DEFS[self.initiatives[i].index].name;
            for y in 0..self.opts.years.max(1) {
                let (a, b) = self.year_span(y);
                if b < started {
                    continue;
                }
                let a = a.max(started);
                let mid = self.date_between(a, b);
                let m = self.initiatives[i].members.active_on(mid).count();
                let base = |kind, title: String, date, days, region, topics| EventSpec {
                    kind,
                    title,
                    date,
                    days,
                    region,
                    topics,
                    organiser: host,
                    initiative: Some(i),
                    audience: Audience::Initiative(i),
                    externals: 0,
                    external_chain: chain,
                };
                for _ in 0..3 + m / 80 {
                    let date = self.event_date(a, b);
                    let topics = self.topics(chain, 1);
                    let region = self.local_region(Some(chain));
                    let title = if self.chance(0.5) {
                        format!("{name} network meeting: {}", topics[0])
                    } else {
                        let town = region
                            .as_deref()
                            .and_then(|r| SUBREGIONS.iter().find(|s| s.code == r))
                            .map_or(HOME_NAME, |s| s.towns[0].name);
                        format!("{name} members' evening in {town}")
                    };
                    specs.push(base(
                        EventKind::NetworkingMeeting,
                        title,
                        date,
                        0,
                        region,
                        topics,
                    ));
                }
                for _ in 0..2 + m / 120 {
                    let date = self.event_date(a, b);
                    let k = self.int(1, 2) as usize;
                    let topics = self.topics(chain, k);
                    let region = self.local_region(Some(chain));
                    let title = format!("Workshop: {}", topics[0]);
                    specs.push(base(EventKind::Workshop, title, date, 0, region, topics));
                }
                let year = b.year();
                let date = self.event_date(a, b);
                let topics = self.topics(chain, 3);
                specs.push(base(
                    EventKind::Conference,
                    format!("{name} Annual Conference {year}"),
                    date,
                    1,
                    Some(SUBREGIONS[0].code.to_string()),
                    topics,
                ));
                let (fair, city) = TRADE_FAIRS[chain];
                let date = self.event_date(a, b);
                let topics = self.topics(chain, 1);
                let mut fair_spec = base(
                    EventKind::TradeFair,
                    format!("Joint stand at {fair} {year}, {city}"),
                    date,
                    3,
                    None,
                    topics,
                );
                fair_spec.externals = self.int(3, 8) as usize;
                specs.push(fair_spec);
                for _ in 0..1 + m / 400 {
                    let date = self.event_date(a, b);
                    let topics = self.topics(chain, 2);
                    let mut s = base(
                        EventKind::BrokerageEvent,
                        format!("{name} international B2B matchmaking {year}"),
                        date,
                        self.int(0, 1) as u64,
                        Some(SUBREGIONS[0].code.to_string()),
                        topics,
                    );
                    s.externals = (m / 12).clamp(3, 25);
                    specs.push(s);
                }
                let place = &PLACES[self.index(PLACES.len())];
                let date = self.event_date(a, b);
                let topics = self.topics(chain, 1);
                let mut visit = if self.chance(0.5) {
                    base(
                        EventKind::DelegationVisit,
                        format!("Delegation from {} visits {name}", place.country_name),
                        date,
                        2,
                        self.local_region(Some(chain)),
                        topics,
                    )
                } else {
                    base(
                        EventKind::DelegationVisit,
                        format!("{name} delegation visit to {}", place.city),
                        date,
                        3,
                        None,
                        topics,
                    )
                };
                visit.externals = self.int(4, 8) as usize;
                specs.push(visit);
            }
        }
    }

    /// Small fixed groups of members that meet every few months for two years: the repeated
    /// meetings that build strong ties.
    fn learning_circles(&mut self, specs: &mut Vec<EventSpec>) -> Vec<Vec<u32>> {
        let mut circles = Vec::new();
        let years = self.opts.years.max(1);
        for i in 0..self.initiatives.len() {
            let chain = self.initiatives[i].chain;
            let host = self.initiatives[i].host;
            let started = self.initiatives[i].started.max(self.start);
            let pool = self.initiatives[i].members.clone();
            let m = pool.entries.len();
            let groups = 1 + m / 120;
            for _ in 0..groups {
                let y = self.int(0, years as i64 - 1) as u32;
                let (a, b) = self.year_span(y);
                let a = a.max(started);
                if a >= self.end {
                    continue;
                }
                let first = self.event_date(a, b.max(a));
                self.new_draw();
                let size = self.int(6, 10) as usize;
                let members = self.draw(&pool, size, first);
                if members.len() < 3 {
                    continue;
                }
                let topic = self.pick(CHAINS[chain].topics).to_string();
                let g = circles.len();
                circles.push(members);
                let region = self.local_region(Some(chain));
                for session in 0..6 {
                    let jitter = self.int(-10, 10);
                    let date = self.days_after(first, session * 120 + jitter);
                    if date > self.end || date < self.start {
                        continue;
                    }
                    let date = self.working_day(date).min(self.end);
                    specs.push(EventSpec {
                        kind: EventKind::LearningCircle,
                        title: format!("Learning circle {topic}, session {}", session + 1),
                        date,
                        days: 0,
                        region: region.clone(),
                        topics: vec![topic.clone()],
                        organiser: host,
                        initiative: Some(i),
                        audience: Audience::Circle(g),
                        externals: 0,
                        external_chain: chain,
                    });
                }
            }
        }
        circles
    }

    /// Events of the agency and the chamber for the whole region and for the chains without
    /// an initiative, and a cross-cluster meeting between medical technology and ICT.
    fn regional_events(&mut self, specs: &mut Vec<EventSpec>) {
        let food_start = self
            .initiatives
            .iter()
            .find(|i| i.chain == FOOD)
            .map(|i| i.started);
        for y in 0..self.opts.years.max(1) {
            let (a, b) = self.year_span(y);
            let year = b.year();
            let date = self.event_date(a, b);
            specs.push(EventSpec {
                kind: EventKind::Conference,
                title: format!("{HOME_NAME} Innovation Day {year}"),
                date,
                days: 0,
                region: Some(SUBREGIONS[0].code.to_string()),
                topics: vec![
                    "innovation".to_string(),
                    self.pick(CROSS_TOPICS).to_string(),
                ],
                organiser: self.agency,
                initiative: None,
                audience: Audience::All,
                externals: 0,
                external_chain: MEDTECH,
            });
            for _ in 0..2 {
                let date = self.event_date(a, b);
                let topic = self.pick(CROSS_TOPICS);
                let region = self.local_region(None);
                specs.push(EventSpec {
                    kind: EventKind::Workshop,
                    title: format!("Export workshop: {topic}"),
                    date,
                    days: 0,
                    region,
                    topics: vec![topic.to_string()],
                    organiser: self.chamber,
                    initiative: None,
                    audience: Audience::All,
                    externals: 0,
                    external_chain: AUTO,
                });
            }
            for c in [AUTO, TOURISM, FOOD] {
                if c == FOOD && food_start.is_some_and(|s| s <= a) {
                    continue;
                }
                for _ in 0..2 {
                    let date = self.event_date(a, b);
                    let topics = self.topics(c, 1);
                    let region = self.local_region(Some(c));
                    specs.push(EventSpec {
                        kind: EventKind::NetworkingMeeting,
                        title: format!("{} round table: {}", CHAINS[c].name, topics[0]),
                        date,
                        days: 0,
                        region,
                        topics,
                        organiser: self.chamber,
                        initiative: None,
                        audience: Audience::Chain(c),
                        externals: 0,
                        external_chain: c,
                    });
                }
            }
            let med = self.initiatives.iter().position(|i| i.chain == MEDTECH);
            let ict = self.initiatives.iter().position(|i| i.chain == ICT);
            if let (Some(m), Some(i)) = (med, ict) {
                let date = self.event_date(a, b);
                specs.push(EventSpec {
                    kind: EventKind::NetworkingMeeting,
                    title: format!("MedTech meets Digital {year}"),
                    date,
                    days: 0,
                    region: Some(SUBREGIONS[0].code.to_string()),
                    topics: vec!["digital health".to_string(), "cybersecurity".to_string()],
                    organiser: self.agency,
                    initiative: None,
                    audience: Audience::Initiatives(vec![m, i]),
                    externals: 0,
                    external_chain: MEDTECH,
                });
            }
        }
    }
}
