//! People and their affiliations over time: contacts per organisation by size, job changes
//! within the chain and from the knowledge base to firms, spin-off founders.

use crate::state::{Gen, slug};
use crate::world::{GERMAN, Names, PLACES};
use milieu_model::{
    Affiliation, Date, OrgKind, Person, PersonId, Stage, TieKind, TieSource, Visibility,
};

/// Share of non-lead people who changed job inside the five years.
const MOVER_SHARE: f64 = 0.14;
/// Share of movers with one more, earlier job in the registry.
const SECOND_MOVE_SHARE: f64 = 0.2;
/// Share of current jobs that end inside the window (people who left the region's registry).
const LEAVER_SHARE: f64 = 0.04;

impl Gen<'_> {
    fn contacts(&mut self, o: u32) -> usize {
        let n = self.opts.orgs.max(crate::orgs::MIN_ORGS);
        let info = &self.orgs[o as usize];
        let e = info.employees;
        if info.external() {
            return 1 + usize::from(self.chance(0.5));
        }
        match info.kind {
            OrgKind::University => {
                12 + (n / 40).min(400) * usize::from(o == self.universities[0]) + (n / 150).min(100)
            }
            OrgKind::ResearchInstitute => 5 + (n / 300).min(60),
            OrgKind::Agency => 3 + n / 2000,
            OrgKind::Investor => 2,
            OrgKind::Association if o == self.chamber => 2,
            // Cluster manager, brokers, project officers.
            OrgKind::Association => 3 + n / 700,
            _ => match e {
                0..=9 => 1 + usize::from(self.chance(0.4)),
                10..=49 => 2 + usize::from(self.chance(0.5)),
                50..=249 => 3 + self.int(0, 2) as usize,
                _ => 5 + (e as usize / 800).min(6),
            },
        }
    }

    fn roles(&self, o: u32) -> (&'static str, &'static [&'static str]) {
        let info = &self.orgs[o as usize];
        let start_up = self.ds.organisations[o as usize].stage == Some(Stage::StartUp);
        match info.kind {
            OrgKind::University => (
                "President",
                &[
                    "Professor",
                    "Professor",
                    "Research Associate",
                    "PhD Researcher",
                    "Technology Transfer Officer",
                ],
            ),
            OrgKind::ResearchInstitute => (
                "Director",
                &[
                    "Group Leader",
                    "Research Scientist",
                    "Research Engineer",
                    "Business Development Manager",
                ],
            ),
            OrgKind::Agency => (
                "Managing Director",
                &[
                    "Cluster Policy Officer",
                    "Business Development Manager",
                    "Export Advisor",
                ],
            ),
            OrgKind::Association if o == self.chamber => {
                ("Chief Executive", &["Export Advisor", "Training Manager"])
            }
            OrgKind::Association => ("Cluster Manager", &["Network Broker", "Project Officer"]),
            OrgKind::Investor => ("Managing Partner", &["Investment Manager"]),
            OrgKind::Other => (
                "Medical Director",
                &[
                    "Head of Procurement",
                    "Chief Physician",
                    "Head of Clinical Research",
                ],
            ),
            _ => (
                if start_up {
                    "Founder and CEO"
                } else {
                    "Managing Director"
                },
                &[
                    "Head of Sales",
                    "CTO",
                    "Head of R&D",
                    "Business Development Manager",
                    "Engineer",
                    "Project Manager",
                    "Head of Quality",
                    "Export Manager",
                    "Product Manager",
                    "Purchasing Manager",
                ],
            ),
        }
    }

    fn names_for(&self, o: u32) -> &'static Names {
        let region = self.ds.organisations[o as usize].region.as_deref();
        if self.orgs[o as usize].external() {
            PLACES
                .iter()
                .find(|p| Some(p.region) == region)
                .map(|p| p.names)
                .unwrap_or(&GERMAN)
        } else {
            &GERMAN
        }
    }

    fn affiliate(&mut self, person: u32, org: u32, role: &str, from: Date, to: Option<Date>) {
        self.ds.affiliations.push(Affiliation {
            person: self.ds.people[person as usize].id.clone(),
            org: self.org_id(org),
            role: Some(role.to_string()),
            from: Some(from),
            to,
        });
        self.orgs[org as usize].staff.push((person, from, to));
    }

    pub(crate) fn people(&mut self) {
        for o in 0..self.orgs.len() as u32 {
            let k = self.contacts(o);
            for j in 0..k {
                self.person(o, j == 0);
            }
        }
    }

    fn person(&mut self, o: u32, lead: bool) {
        let names = self.names_for(o);
        let first = self.pick(names.first);
        let last = self.pick(names.last);
        let p = self.ds.people.len() as u32;
        let domain = {
            let name = &self.ds.organisations[o as usize].name;
            const SKIP: &[&str] = &[
                "of", "for", "the", "and", "gmbh", "ag", "e.v.", "inc.", "ltd", "sas", "s.r.l.",
                "b.v.", "ab", "aps", "k.k.", "co.,", "ltd.", "sp.", "z", "o.o.", "s.l.", "-",
            ];
            let words: Vec<&str> = name
                .split_whitespace()
                .filter(|w| !SKIP.contains(&w.to_lowercase().as_str()))
                .take(2)
                .collect();
            slug(&words.join(" "))
        };
        let email = if self.chance(0.88) {
            Some(format!("{}.{}@{domain}.example", slug(first), slug(last)))
        } else {
            None
        };
        self.ds.people.push(Person {
            id: PersonId::new(format!("p{}", p + 1)),
            name: format!("{first} {last}"),
            email,
        });
        let (lead_role, roles) = self.roles(o);
        let role = if lead { lead_role } else { self.pick(roles) };
        let info = &self.orgs[o as usize];
        let founded = info.founded;
        let home = !info.external();
        let kind = info.kind;
        let recent = self.days_after(self.end, -30);
        let mut from = if lead
            && (self.ds.organisations[o as usize].stage == Some(Stage::StartUp)
                || kind == OrgKind::Association)
        {
            founded
        } else {
            let earliest = founded.max(self.years_before(self.end, 20.0));
            self.date_between(earliest, recent.max(earliest))
        };
        if lead {
            self.orgs[o as usize].lead = Some(p);
            if let Some(parent) = self.ds.organisations[o as usize].parent.clone() {
                self.founder_history(p, o, &parent);
                from = founded;
            }
        }
        let mut to = None;
        let can_move = !lead
            && home
            && matches!(
                kind,
                OrgKind::Firm | OrgKind::University | OrgKind::ResearchInstitute
            );
        if can_move && self.chance(MOVER_SHARE) {
            let earliest = self.start.max(self.days_after(founded, 30));
            if earliest < recent {
                let moved = self.date_between(earliest, recent);
                if let Some((prev, prev_from)) = self.previous_job(p, o, moved) {
                    from = moved;
                    if self.chance(SECOND_MOVE_SHARE) {
                        self.previous_job(p, prev, prev_from);
                    }
                }
            }
        } else if can_move && self.chance(LEAVER_SHARE) {
            let earliest = self.days_after(from, 90).max(self.start);
            if earliest < self.end {
                to = Some(self.date_between(earliest, self.end));
            }
        }
        self.affiliate(p, o, role, from, to);
    }

    /// A spin-off founder worked at the parent before founding it.
    fn founder_history(&mut self, p: u32, o: u32, parent: &milieu_model::OrgId) {
        let Some(parent) = self.org_index(parent) else {
            return;
        };
        let founded = self.orgs[o as usize].founded;
        let earliest = self.orgs[parent as usize]
            .founded
            .max(self.years_before(founded, 10.0));
        let latest = self.days_after(founded, -365);
        if earliest >= latest {
            return;
        }
        let from = self.date_between(earliest, latest);
        let role = match self.orgs[parent as usize].kind {
            OrgKind::University => "Research Associate",
            OrgKind::ResearchInstitute => "Research Scientist",
            _ => "Engineer",
        };
        self.affiliate(p, parent, role, from, Some(founded));
    }

    /// Gives person `p`, who joined `o` on `moved`, a previous job ending that day at another
    /// organisation: mostly in the same community, else the same chain or the knowledge base.
    /// Returns that organisation and when the job there began.
    fn previous_job(&mut self, p: u32, o: u32, moved: Date) -> Option<(u32, Date)> {
        let info = &self.orgs[o as usize];
        let chain = info.chain;
        let community = info.community();
        let knowledge_here = info.is_knowledge();
        let mut prev = None;
        for _ in 0..6 {
            let r = self.uniform();
            let candidate = if r < 0.55
                && let Some(c) = community
                && self.communities[c].len() > 1
            {
                self.pick_of(|s| &s.communities[c]).unwrap_or(o)
            } else if r < 0.8
                && let Some(c) = chain
                && !self.chain_firms[c].is_empty()
            {
                self.pick_of(|s| &s.chain_firms[c]).unwrap_or(o)
            } else {
                // From the university or an institute of the field (or, for researchers,
                // another knowledge organisation).
                let mut knowledge = self.universities.clone();
                knowledge.extend(
                    self.institutes
                        .iter()
                        .copied()
                        .filter(|&i| chain.is_none() || self.orgs[i as usize].chain == chain),
                );
                if knowledge_here && let Some(c) = chain {
                    knowledge.extend(self.chain_firms[c].iter().take(50).copied());
                }
                self.pick(&knowledge)
            };
            let founded = self.orgs[candidate as usize].founded;
            if candidate != o && self.days_after(founded, 365) <= moved {
                prev = Some(candidate);
                break;
            }
        }
        let prev = prev?;
        let earliest = self.orgs[prev as usize]
            .founded
            .max(self.years_before(moved, 12.0));
        let latest = self.days_after(moved, -180);
        if earliest >= latest {
            return None;
        }
        let from = self.date_between(earliest, latest);
        let (_, roles) = self.roles(prev);
        let role = self.pick(roles);
        self.affiliate(p, prev, role, from, Some(moved));
        let strength = self.int(1, 3) as u8;
        let from_name = self.ds.people[p as usize].name.clone();
        self.add_tie(
            prev,
            o,
            TieKind::StaffMove,
            moved,
            None,
            strength,
            TieSource::Observed,
            None,
            None,
            Visibility::Staff,
            format!("{from_name} moved"),
        );
        Some((prev, from))
    }
}
