//! The knowledge base and support organisations of the home region, and its firms along the
//! value chains (anchors, then firms by segment with names, sectors, age and size).

use super::{Location, NewOrg, nace, naics};
use crate::state::{Gen, capitalise};
use crate::world::{
    AUTO, CHAINS, FOOD, GERMAN, ICT, INITIATIVE_DEFS, MEDTECH, Names, Role, SUBREGIONS, SYLLABLES,
};
use milieu_model::{Date, OrgKind, SectorCode, Stage};

impl Gen<'_> {
    pub(super) fn support_organisations(&mut self, n: usize) {
        let years = |g: &Self, y: f64| g.years_before(g.end, y);
        // Universities.
        let name = self.fixed_name("University of Lindenburg");
        let founded = years(self, 133.0);
        let employees = 3800 + (n as u32 / 10).min(2000);
        let u = self.push_org(NewOrg {
            name,
            kind: OrgKind::University,
            chain: None,
            segment: None,
            location: Location::Home {
                subregion: 0,
                town: 0,
            },
            founded,
            employees,
            stage: None,
            sectors: vec![naics("611310"), nace("P85.42")],
        });
        self.universities.push(u);
        if n >= 1000 {
            let name = self.fixed_name("Eichstedt University of Applied Sciences");
            let founded = years(self, 54.0);
            let u = self.push_org(NewOrg {
                name,
                kind: OrgKind::University,
                chain: None,
                segment: None,
                location: Location::Home {
                    subregion: 2,
                    town: 0,
                },
                founded,
                employees: 950,
                stage: None,
                sectors: vec![naics("611310"), nace("P85.42")],
            });
            self.universities.push(u);
        }
        // Research institutes, one per knowledge-intensive chain, more in a larger region.
        let institutes: [(&str, usize); 8] = [
            ("Lindenmark Institute for Medical Engineering", MEDTECH),
            ("Institute for Applied Informatics Lindenburg", ICT),
            ("Institute for Lightweight Materials", AUTO),
            ("Food Technology Research Centre", FOOD),
            ("Centre for Digital Health", MEDTECH),
            ("Centre for Battery Research", AUTO),
            ("Centre for Trustworthy AI", ICT),
            ("Centre for Sustainable Packaging", FOOD),
        ];
        let n_institutes = (4 + n / 2500).min(institutes.len());
        for &(name, chain) in &institutes[..n_institutes] {
            let name = self.fixed_name(name);
            let sub = self.weighted(&CHAINS[chain].subregion_weights);
            let town = self.home_town(sub);
            let age = self.int(15, 60) as f64;
            let founded = years(self, age);
            let employees = self.int(60, 420) as u32;
            let i = self.push_org(NewOrg {
                name,
                kind: OrgKind::ResearchInstitute,
                chain: Some(chain),
                segment: None,
                location: Location::Home {
                    subregion: sub,
                    town,
                },
                founded,
                employees,
                stage: None,
                sectors: vec![naics("541715"), nace("M72.19")],
            });
            self.institutes.push(i);
        }
        // Agency and chamber.
        let name = self.fixed_name("Lindenmark Economic Development Agency");
        let founded = years(self, 31.0);
        self.agency = self.push_org(NewOrg {
            name,
            kind: OrgKind::Agency,
            chain: None,
            segment: None,
            location: Location::Home {
                subregion: 0,
                town: 0,
            },
            founded,
            employees: 24 + (n / 500) as u32,
            stage: None,
            sectors: vec![naics("926110"), nace("O84.13")],
        });
        let name = self.fixed_name("Chamber of Commerce and Industry Lindenmark");
        let founded = years(self, 157.0);
        self.chamber = self.push_org(NewOrg {
            name,
            kind: OrgKind::Association,
            chain: None,
            segment: None,
            location: Location::Home {
                subregion: 0,
                town: 0,
            },
            founded,
            employees: 110,
            stage: None,
            sectors: vec![naics("813910"), nace("S94.11")],
        });
        // The initiatives' cluster management organisations.
        for (def_index, def) in INITIATIVE_DEFS.iter().enumerate() {
            let name = self.fixed_name(def.host_name);
            let founded = self.days_after(self.initiative_start(def_index), -60);
            let sub = 0;
            let employees = 3 + (n / 800) as u32;
            let h = self.push_org(NewOrg {
                name,
                kind: OrgKind::Association,
                chain: Some(def.chain),
                segment: None,
                location: Location::Home {
                    subregion: sub,
                    town: 0,
                },
                founded,
                employees,
                stage: None,
                sectors: vec![naics("813910"), nace("S94.11")],
            });
            self.hosts.push((def.chain, h));
        }
        // Investors.
        let investor_names = [
            "Lindenmark Seed Fund",
            "Business Angels Lindenmark",
            "Südwest Venture Partners",
            "Alpine Growth Capital",
            "Lindenburg Innovation Capital",
            "Eichstedt Beteiligungsgesellschaft",
            "Danube Deep Tech Ventures",
            "Lindenmark Sparkasse Beteiligungen",
        ];
        let n_investors = (1 + n / 1500).min(investor_names.len());
        for name in &investor_names[..n_investors] {
            let name = self.fixed_name(name);
            let age = self.int(8, 25) as f64;
            let founded = years(self, age);
            let employees = self.int(3, 18) as u32;
            let i = self.push_org(NewOrg {
                name,
                kind: OrgKind::Investor,
                chain: None,
                segment: None,
                location: Location::Home {
                    subregion: 0,
                    town: 0,
                },
                founded,
                employees,
                stage: Some(Stage::Mature),
                sectors: vec![naics("523910"), nace("K64.99")],
            });
            self.investors.push(i);
        }
    }

    pub(super) fn firm_name(
        &mut self,
        chain: usize,
        seg: usize,
        naics_index: usize,
        legal: &str,
        names: &Names,
    ) -> String {
        let c = &CHAINS[chain];
        let s = &c.segments[seg];
        let word = if s.name_words.len() == s.naics.len() {
            s.name_words[naics_index]
        } else {
            self.pick(s.name_words)
        };
        if s.role == Role::Customer && chain == MEDTECH {
            let sub = self.index(SUBREGIONS.len());
            let town = self.index(SUBREGIONS[sub].towns.len());
            let t = SUBREGIONS[sub].towns[town].name;
            const SAINTS: [&str; 6] = [
                "Marien",
                "Elisabeth",
                "Josef",
                "Vinzenz",
                "Anna",
                "Franziskus",
            ];
            return match self.index(4) {
                0 => format!("Klinikum {t}"),
                1 => format!("Kreisklinik {t}"),
                2 => format!("St. {}-Krankenhaus {t}", self.pick(&SAINTS)),
                _ => format!("Fachklinik {}", self.pick(names.last)),
            };
        }
        match self.index(10) {
            0..=3 => {
                let stem = self.pick(c.name_stems);
                let syl = self.pick(SYLLABLES);
                format!("{stem}{syl} {word} {legal}")
            }
            4..=6 => {
                let last = self.pick(names.last);
                format!("{last} {word} {legal}")
            }
            _ => {
                let a = self.pick(SYLLABLES);
                let b = self.pick(SYLLABLES);
                format!("{} {word} {legal}", capitalise(&format!("{a}{b}")))
            }
        }
    }

    /// Sector codes of a firm of the segment, and which NAICS code is its main one.
    pub(super) fn segment_sectors(&mut self, chain: usize, seg: usize) -> (Vec<SectorCode>, usize) {
        let s = &CHAINS[chain].segments[seg];
        let first = self.index(s.naics.len());
        let mut out = vec![naics(s.naics[first])];
        if s.naics.len() > 1 && self.chance(0.25) {
            let second = (first + 1 + self.index(s.naics.len() - 1)) % s.naics.len();
            out.push(naics(s.naics[second]));
        }
        if self.chance(0.6) {
            out.push(nace(s.nace));
        }
        (out, first)
    }

    /// The largest firm of each chain, around which suppliers gather.
    pub(super) fn anchor_firm(&mut self, chain: usize) {
        let seg = match chain {
            MEDTECH => 2,
            ICT => 1,
            FOOD => 2,
            AUTO if self.opts.orgs >= 200 => 3,
            AUTO => 2,
            _ => 1,
        };
        let log_size = if CHAINS[chain].segments[seg].role == Role::Customer {
            8.0
        } else {
            6.5
        };
        let employees = (self.lognormal(log_size, 0.4) as u32).max(260);
        let age = self.int(35, 120) as f64;
        let founded = self.years_before(self.end, age);
        self.firm(chain, seg, employees, Stage::Mature, founded);
    }

    pub(super) fn home_firm(&mut self) {
        let chain = self.weighted(&crate::world::chain_weights());
        let weights: Vec<f64> = CHAINS[chain].segments.iter().map(|s| s.weight).collect();
        let seg = self.weighted(&weights);
        let stage = match self.weighted(&[0.18, 0.30, 0.52]) {
            0 => Stage::StartUp,
            1 => Stage::Growth,
            _ => Stage::Mature,
        };
        let (founded, employees) = self.firm_age_and_size(chain, seg, stage, 0.0);
        self.firm(chain, seg, employees, stage, founded);
    }

    pub(super) fn firm_age_and_size(
        &mut self,
        chain: usize,
        seg: usize,
        stage: Stage,
        size_boost: f64,
    ) -> (Date, u32) {
        let s = &CHAINS[chain].segments[seg];
        let (age, shift, cap) = match stage {
            Stage::StartUp => (0.15 + 4.7 * self.uniform(), -1.3, 60.0),
            Stage::Growth => (4.0 + 11.0 * self.uniform(), -0.3, 800.0),
            Stage::Mature => {
                let u = self.uniform();
                ((12.0 - 25.0 * (1.0 - u).ln()).min(150.0), 0.2, 5000.0)
            }
        };
        let employees = self
            .lognormal(s.log_size + shift + size_boost, 1.1)
            .round()
            .clamp(1.0, cap) as u32;
        let founded = self.years_before(self.end, age);
        (founded, employees)
    }

    fn firm(&mut self, chain: usize, seg: usize, employees: u32, stage: Stage, founded: Date) {
        let sub = self.weighted(&CHAINS[chain].subregion_weights);
        let town = self.home_town(sub);
        let (sectors, main) = self.segment_sectors(chain, seg);
        let name = self.unique_name(|g| g.firm_name(chain, seg, main, "GmbH", &GERMAN));
        let is_hospital = CHAINS[chain].segments[seg].role == Role::Customer && chain == MEDTECH;
        let o = self.push_org(NewOrg {
            name,
            kind: if is_hospital {
                OrgKind::Other
            } else {
                OrgKind::Firm
            },
            chain: Some(chain),
            segment: Some(seg),
            location: Location::Home {
                subregion: sub,
                town,
            },
            founded,
            employees,
            stage: if is_hospital { None } else { Some(stage) },
            sectors,
        });
        self.trade_profile(o);
        self.international_scope(o);
    }
}
