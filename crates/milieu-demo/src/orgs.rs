//! Organisations: the knowledge base, support organisations, firms along the value chains,
//! external partners, spin-offs, acquisitions, and the texts that describe them.

use crate::state::{Gen, OrgInfo, capitalise, round_to};
use crate::world::{
    AUTO, CHAINS, EXPORT_MARKETS, FOOD, GERMAN, GOODS, HOME_COUNTRY, ICT, INITIATIVE_DEFS, MEDTECH,
    Names, PLACES, Role, SUBREGIONS, SYLLABLES, TOURISM,
};
use milieu_model::{
    Date, Motivation, OrgKind, Organisation, SectorCode, SizeClass, Stage, TieKind, TieSource,
    Visibility,
};

/// Fewer organisations than this cannot hold every structure (initiatives with a board,
/// spin-offs, external partners); smaller requests are raised to it.
pub const MIN_ORGS: usize = 40;

/// Share of organisations located outside the home region.
const EXTERNAL_SHARE: f64 = 0.08;

struct NewOrg {
    name: String,
    kind: OrgKind,
    chain: Option<usize>,
    segment: Option<usize>,
    /// Home sub-region and town, or an external place.
    location: Location,
    founded: Date,
    employees: u32,
    stage: Option<Stage>,
    sectors: Vec<SectorCode>,
}

enum Location {
    Home { subregion: usize, town: usize },
    Abroad { place: usize },
}

fn naics(code: &str) -> SectorCode {
    SectorCode::parse(code).expect("static NAICS codes are well formed")
}
fn nace(code: &str) -> SectorCode {
    SectorCode::parse(&format!("nace:{code}")).expect("static NACE codes are well formed")
}

impl Gen<'_> {
    /// Start of an initiative (its host association is founded a little before).
    pub(crate) fn initiative_start(&self, def: usize) -> Date {
        let months = INITIATIVE_DEFS[def].months_from_start;
        let d = if months < 0 {
            self.start
                .checked_sub_months(chrono::Months::new((-months) as u32))
                .unwrap_or(self.start)
        } else {
            self.start
                .checked_add_months(chrono::Months::new(months as u32))
                .unwrap_or(self.start)
        };
        // A short simulated window still sees every initiative start.
        d.min(self.days_after(self.end, -180))
    }

    pub(crate) fn organisations(&mut self) {
        let n = self.opts.orgs.max(MIN_ORGS);
        let n_external = ((n as f64 * EXTERNAL_SHARE).round() as usize).max(3);
        self.support_organisations(n);
        let n_home_firms = n - n_external - self.orgs.len();
        for chain in 0..CHAINS.len() {
            self.anchor_firm(chain);
        }
        while self.orgs.len() < n - n_external {
            self.home_firm();
        }
        debug_assert!(n_home_firms >= CHAINS.len());
        for _ in 0..n_external {
            self.external_org();
        }
        self.spin_offs();
        self.acquisitions();
        self.neighbours = vec![Vec::new(); self.orgs.len()];
        for (o, info) in self.orgs.iter().enumerate() {
            for g in &info.offers {
                self.good_sellers[*g as usize].push(o as u32);
            }
        }
        // A good someone asks for is offered by at least one firm of the selling segment.
        for (g, good) in GOODS.iter().enumerate() {
            let wanted = self.orgs.iter().any(|i| i.requests.contains(&(g as u16)));
            if !wanted || !self.good_sellers[g].is_empty() {
                continue;
            }
            let segment: Vec<u32> = (0..self.orgs.len() as u32)
                .filter(|&o| {
                    let i = &self.orgs[o as usize];
                    i.chain == Some(good.seller.0) && i.segment == Some(good.seller.1)
                })
                .collect();
            if !segment.is_empty() {
                let o = self.pick(&segment);
                self.orgs[o as usize].offers.push(g as u16);
                self.good_sellers[g].push(o);
            }
        }
    }

    fn push_org(&mut self, new: NewOrg) -> u32 {
        let index = self.orgs.len() as u32;
        let id = format!("o{}", index + 1);
        let mut org = Organisation::new(id, new.name, new.kind);
        let (subregion, lat, lon) = match new.location {
            Location::Home { subregion, town } => {
                let t = &SUBREGIONS[subregion].towns[town];
                org.region = Some(SUBREGIONS[subregion].code.to_string());
                org.country = Some(HOME_COUNTRY.to_string());
                org.city = Some(t.name.to_string());
                (Some(subregion), t.lat, t.lon)
            }
            Location::Abroad { place } => {
                let p = &PLACES[place];
                org.region = Some(p.region.to_string());
                org.country = Some(p.country.to_string());
                org.city = Some(p.city.to_string());
                (None, p.lat, p.lon)
            }
        };
        // Offices scatter a few kilometres around the town centre.
        let dlat = 0.015 * self.normal();
        let dlon = 0.022 * self.normal();
        org.lat = Some(round_to(lat + dlat, 5));
        org.lon = Some(round_to(lon + dlon, 5));
        org.employees = Some(new.employees);
        org.size_class = Some(SizeClass::from_employees(new.employees));
        org.founded = Some(new.founded);
        org.stage = new.stage;
        org.sectors = new.sectors;
        let activity = self.lognormal(0.0, 0.9);
        self.ds.organisations.push(org);
        self.orgs.push(OrgInfo {
            kind: new.kind,
            chain: new.chain,
            segment: new.segment,
            subregion,
            founded: new.founded,
            employees: new.employees,
            activity,
            offers: Vec::new(),
            requests: Vec::new(),
            staff: Vec::new(),
            lead: None,
        });
        if let (Some(chain), Some(_), Some(sub)) = (new.chain, new.segment, subregion) {
            self.chain_firms[chain].push(index);
            self.communities[chain * 4 + sub].push(index);
        }
        if subregion.is_none()
            && let Some(chain) = new.chain
        {
            self.chain_externals[chain].push(index);
        }
        index
    }

    fn unique_name(&mut self, mut candidate: impl FnMut(&mut Self) -> String) -> String {
        for _ in 0..12 {
            let name = candidate(self);
            if self.names_used.insert(name.clone()) {
                return name;
            }
        }
        let base = candidate(self);
        for k in 2.. {
            let name = format!("{base} ({k})");
            if self.names_used.insert(name.clone()) {
                return name;
            }
        }
        unreachable!()
    }

    fn fixed_name(&mut self, name: &str) -> String {
        self.unique_name(|_| name.to_string())
    }

    fn home_town(&mut self, subregion: usize) -> usize {
        let w: Vec<f64> = SUBREGIONS[subregion]
            .towns
            .iter()
            .map(|t| t.weight)
            .collect();
        self.weighted(&w)
    }

    fn support_organisations(&mut self, n: usize) {
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

    fn firm_name(
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
    fn segment_sectors(&mut self, chain: usize, seg: usize) -> (Vec<SectorCode>, usize) {
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
    fn anchor_firm(&mut self, chain: usize) {
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

    fn home_firm(&mut self) {
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

    fn firm_age_and_size(
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

    fn external_org(&mut self) {
        let weights: Vec<f64> = PLACES.iter().map(|p| p.weight).collect();
        let place = self.weighted(&weights);
        let p = &PLACES[place];
        if self.chance(0.2) {
            let chain = self.pick(&[MEDTECH, ICT, AUTO, FOOD]);
            let city = p.city;
            let university_names = [
                format!("University of {city}"),
                format!("{city} Institute of Technology"),
                format!("{city} University of Applied Sciences"),
            ];
            // A city has a few universities; further partners there are institutes.
            let university = self.chance(0.4)
                && university_names
                    .iter()
                    .any(|n| !self.names_used.contains(n));
            let topics = CHAINS[chain].topics;
            let name = self.unique_name(|g| {
                if university {
                    university_names[g.index(3)].clone()
                } else {
                    let topic = g.pick(topics);
                    match g.index(2) {
                        0 => format!("{city} Research Centre for {}", title_case(topic)),
                        _ => format!("Institute for {}, {city}", title_case(topic)),
                    }
                }
            });
            let age = self.int(20, 150) as f64;
            let founded = self.years_before(self.end, age);
            let employees = self.int(150, 6000) as u32;
            let kind = if university {
                OrgKind::University
            } else {
                OrgKind::ResearchInstitute
            };
            let code = if university { "611310" } else { "541715" };
            self.push_org(NewOrg {
                name,
                kind,
                chain: Some(chain),
                segment: None,
                location: Location::Abroad { place },
                founded,
                employees,
                stage: None,
                sectors: vec![naics(code)],
            });
            return;
        }
        let chain = self.weighted(&crate::world::chain_weights());
        let weights: Vec<f64> = CHAINS[chain]
            .segments
            .iter()
            .map(|s| {
                if s.role == Role::Customer {
                    0.0
                } else {
                    s.weight
                }
            })
            .collect();
        let seg = self.weighted(&weights);
        let stage = if self.chance(0.8) {
            Stage::Mature
        } else {
            Stage::Growth
        };
        let (founded, employees) = self.firm_age_and_size(chain, seg, stage, 0.8);
        let (sectors, main) = self.segment_sectors(chain, seg);
        let name = self.unique_name(|g| g.firm_name(chain, seg, main, p.legal_form, p.names));
        let o = self.push_org(NewOrg {
            name,
            kind: OrgKind::Firm,
            chain: Some(chain),
            segment: Some(seg),
            location: Location::Abroad { place },
            founded,
            employees,
            stage: Some(stage),
            sectors,
        });
        self.trade_profile(o);
        self.international_scope(o);
    }

    /// Picks what a firm sells and buys from its segment's goods.
    fn trade_profile(&mut self, o: u32) {
        let info = &self.orgs[o as usize];
        let here = (info.chain.unwrap_or(0), info.segment.unwrap_or(0));
        let sells: Vec<u16> = (0..GOODS.len() as u16)
            .filter(|&g| GOODS[g as usize].seller == here)
            .collect();
        let buys: Vec<u16> = (0..GOODS.len() as u16)
            .filter(|&g| GOODS[g as usize].buyer == here)
            .collect();
        let k_sell = 1 + usize::from(self.chance(0.45));
        let k_buy = 1 + usize::from(self.chance(0.35));
        let offers = self.sample(&sells, k_sell);
        let requests = self.sample(&buys, k_buy);
        let info = &mut self.orgs[o as usize];
        info.offers = offers;
        info.requests = requests;
    }

    /// Countries served and export share, both growing with size.
    fn international_scope(&mut self, o: u32) {
        let info = &self.orgs[o as usize];
        let size = SizeClass::from_employees(info.employees);
        let role = CHAINS[info.chain.unwrap_or(0)].segments[info.segment.unwrap_or(0)].role;
        let home = self.ds.organisations[o as usize]
            .country
            .clone()
            .unwrap_or_else(|| HOME_COUNTRY.to_string());
        let base = match size {
            SizeClass::Micro => 0.5,
            SizeClass::Small => 1.5,
            SizeClass::Medium => 4.0,
            SizeClass::Large => 9.0,
        };
        let factor = match role {
            // Hospitals serve their region; a vehicle maker sells worldwide.
            Role::Customer if info.chain == Some(MEDTECH) => 0.0,
            Role::Customer => 1.5,
            Role::Distributor => 0.6,
            Role::Service => 0.7,
            Role::Supplier => 0.9,
            Role::Producer => 1.2,
        } * if info.chain == Some(TOURISM) {
            0.6
        } else {
            1.0
        };
        let k = self.poisson(base * factor).min(20) as usize;
        let mut served = vec![home.clone()];
        let weights: Vec<f64> = (0..EXPORT_MARKETS.len())
            .map(|r| 1.0 / (r as f64 + 1.0).powf(0.8))
            .collect();
        let mut attempts = 0;
        while served.len() < k + 1 && attempts < 200 {
            attempts += 1;
            let m = EXPORT_MARKETS[self.weighted(&weights)];
            if !served.iter().any(|s| s == m) {
                served.push(m.to_string());
            }
        }
        let foreign = served.len() - 1;
        let share = if foreign == 0 {
            if self.chance(0.7) { Some(0.0) } else { None }
        } else {
            let base = match size {
                SizeClass::Micro => 0.08,
                SizeClass::Small => 0.15,
                SizeClass::Medium => 0.28,
                SizeClass::Large => 0.45,
            };
            let noise = 0.08 * self.normal();
            Some(round_to(
                (base + 0.02 * foreign as f64 + noise).clamp(0.02, 0.95),
                2,
            ))
        };
        let org = &mut self.ds.organisations[o as usize];
        org.countries_served = served;
        org.export_share = share;
    }

    /// Young knowledge-intensive firms founded out of the university, an institute or a large
    /// firm of their chain.
    fn spin_offs(&mut self) {
        let anchors: Vec<Vec<u32>> = (0..CHAINS.len())
            .map(|c| {
                self.chain_firms[c]
                    .iter()
                    .copied()
                    .filter(|&o| self.orgs[o as usize].employees >= 250)
                    .collect()
            })
            .collect();
        for c in [MEDTECH, ICT, AUTO, FOOD] {
            let firms = self.chain_firms[c].clone();
            for o in firms {
                let info = &self.orgs[o as usize];
                let seg = &CHAINS[c].segments[info.segment.unwrap_or(0)];
                let young = matches!(
                    self.ds.organisations[o as usize].stage,
                    Some(Stage::StartUp | Stage::Growth)
                );
                if !young
                    || !matches!(seg.role, Role::Service | Role::Producer)
                    || info.employees >= 250
                    || !self.chance(0.35)
                {
                    continue;
                }
                let field_institutes: Vec<u32> = self
                    .institutes
                    .iter()
                    .copied()
                    .filter(|&i| self.orgs[i as usize].chain == Some(c))
                    .collect();
                let parent = match self.weighted(&[0.45, 0.35, 0.20]) {
                    1 if !field_institutes.is_empty() => self.pick(&field_institutes),
                    2 if !anchors[c].is_empty() => self.pick(&anchors[c]),
                    _ => self.pick_of(|s| &s.universities).unwrap_or(0),
                };
                let child_founded = self.orgs[o as usize].founded;
                if self.days_after(self.orgs[parent as usize].founded, 365) > child_founded
                    || parent == o
                {
                    continue;
                }
                self.ds.organisations[o as usize].parent = Some(self.org_id(parent));
                let strength = self.int(2, 4) as u8;
                self.add_tie(
                    parent,
                    o,
                    TieKind::SpinOff,
                    child_founded,
                    None,
                    strength,
                    TieSource::Observed,
                    None,
                    None,
                    Visibility::Public,
                    "spin-off".to_string(),
                );
            }
        }
    }

    /// Some small firms are bought by a larger firm of their chain, a few from abroad.
    fn acquisitions(&mut self) {
        let home: usize = self.chain_firms.iter().map(Vec::len).sum();
        let count = ((home as f64 * 0.015).round() as usize).max(1);
        let mut done = 0;
        let mut attempts = 0;
        while done < count && attempts < count * 40 {
            attempts += 1;
            let c = self.weighted(&crate::world::chain_weights());
            if self.chain_firms[c].len() < 2 {
                continue;
            }
            let Some(target) = self.pick_of(|s| &s.chain_firms[c]) else {
                continue;
            };
            let t = &self.orgs[target as usize];
            if t.employees >= 250
                || t.kind != OrgKind::Firm
                || self.ds.organisations[target as usize].acquired_by.is_some()
            {
                continue;
            }
            let abroad = self.chance(0.25) && !self.chain_externals[c].is_empty();
            let Some(acquirer) = self.pick_of(|s| {
                if abroad {
                    &s.chain_externals[c]
                } else {
                    &s.chain_firms[c]
                }
            }) else {
                continue;
            };
            let a = &self.orgs[acquirer as usize];
            if acquirer == target
                || a.employees < 50
                || a.kind != OrgKind::Firm
                || self.ds.organisations[acquirer as usize]
                    .acquired_by
                    .is_some()
            {
                continue;
            }
            let earliest = self.orgs[target as usize]
                .founded
                .max(a.founded)
                .max(self.years_before(self.start, 3.0));
            let earliest = self.days_after(earliest, 180);
            if earliest >= self.end {
                continue;
            }
            let on = self.date_between(earliest, self.end);
            let acquirer_id = self.org_id(acquirer);
            let org = &mut self.ds.organisations[target as usize];
            org.acquired_by = Some(acquirer_id);
            org.acquired_on = Some(on);
            done += 1;
        }
    }

    /// Descriptions, offers, requests, keywords and motivations, written once every
    /// relation (parent, acquirer) is known.
    pub(crate) fn describe(&mut self) {
        for o in 0..self.orgs.len() {
            let texts = self.texts(o as u32);
            let org = &mut self.ds.organisations[o];
            org.description = texts.0;
            org.offers = texts.1;
            org.requests = texts.2;
            org.keywords = texts.3;
            org.motivations = texts.4;
        }
    }

    fn texts(&mut self, o: u32) -> (String, String, String, Vec<String>, Vec<Motivation>) {
        let info = &self.orgs[o as usize];
        let org = &self.ds.organisations[o as usize];
        let city = org.city.clone().unwrap_or_default();
        let year = chrono::Datelike::year(&info.founded);
        let size_word = match SizeClass::from_employees(info.employees) {
            SizeClass::Micro => "micro",
            SizeClass::Small => "small",
            SizeClass::Medium => "medium-sized",
            SizeClass::Large => "large",
        };
        let chain = info.chain;
        let offers_goods = info.offers.clone();
        let requests_goods = info.requests.clone();
        let kind = info.kind;
        let stage = org.stage;
        let parent = org.parent.clone();
        let acquired = org.acquired_by.clone().zip(org.acquired_on);
        let served = org.countries_served.clone();
        let share = org.export_share;
        let external = info.external();
        let name = org.name.clone();
        let mut keywords: Vec<String> = Vec::new();
        let mut motivations = Vec::new();

        let (description, offers, requests) = match (kind, info.segment) {
            (OrgKind::Firm | OrgKind::Other, Some(seg)) => {
                let c = &CHAINS[chain.unwrap_or(0)];
                let s = &c.segments[seg];
                let place = match info_subregion(self, o) {
                    Some(sub) => format!("{city} ({})", SUBREGIONS[sub].name),
                    None => city.clone(),
                };
                let mut d = format!(
                    "{name} is a {size_word} {} in {place}, founded in {year}.",
                    s.name
                );
                if let Some(p) = &parent {
                    let pname = self.name_of(p);
                    d.push_str(&format!(" It was spun off from {pname}."));
                }
                if let Some((a, on)) = &acquired {
                    let aname = self.name_of(a);
                    d.push_str(&format!(
                        " Part of {aname} since {}.",
                        chrono::Datelike::year(on)
                    ));
                }
                if let Some(sh) = share
                    && sh > 0.0
                {
                    let k = served.len() - 1;
                    d.push_str(&format!(
                        " About {:.0}% of its sales go abroad, to {k} {}.",
                        sh * 100.0,
                        if k == 1 { "country" } else { "countries" }
                    ));
                }
                let offer_terms: Vec<&str> = offers_goods
                    .iter()
                    .map(|&g| GOODS[g as usize].term)
                    .collect();
                let request_terms: Vec<&str> = requests_goods
                    .iter()
                    .map(|&g| GOODS[g as usize].term)
                    .collect();
                let mut offers = if offer_terms.is_empty() {
                    String::new()
                } else {
                    match self.index(4) {
                        0 => format!("We supply {}. ", join(&offer_terms)),
                        1 => format!("We offer {}. ", join(&offer_terms)),
                        2 => format!("Experienced provider of {}. ", join(&offer_terms)),
                        _ => format!("Development and supply of {}. ", join(&offer_terms)),
                    }
                };
                let country = self.country_name(o);
                offers.push_str(&capability(chain.unwrap_or(0), seg, country));
                let mut requests = String::new();
                for t in &request_terms {
                    let sentence = match self.index(4) {
                        0 => format!("Looking for a supplier of {t}. "),
                        1 => format!("We are looking for partners offering {t}. "),
                        2 => format!("Seeking a reliable source of {t}. "),
                        _ => format!("Searching for {t}. "),
                    };
                    requests.push_str(&sentence);
                }
                if !external && share.is_some_and(|s| s > 0.2) && self.chance(0.6) {
                    let place = &PLACES[self.index(PLACES.len())];
                    requests.push_str(&format!(
                        "Distribution partners in {}. ",
                        place.country_name
                    ));
                }
                if stage == Some(Stage::StartUp) && self.chance(0.6) {
                    requests.push_str("Seed investment for our start-up. ");
                }
                if self.chance(0.25) {
                    let topic = self.pick(c.topics);
                    requests.push_str(&format!("R&D partners for {topic}. "));
                }
                let k = self.int(2, 3) as usize;
                keywords.extend(self.sample(c.keywords, k).iter().map(|s| s.to_string()));
                keywords.extend(offer_terms.iter().take(1).map(|s| s.to_string()));
                motivations = self.motivations(info_employees(self, o));
                (d, offers, requests.trim_end().to_string())
            }
            (OrgKind::University, _) => {
                let d = if external {
                    format!("{name} is a research university in {city}, a partner of firms and institutes of the region in European projects.")
                } else {
                    format!("{name} is the region's university, founded in {year}, with faculties of medicine, engineering, computer science and nutrition science.")
                };
                keywords.extend(["research", "graduates", "technology transfer"].map(String::from));
                (
                    d,
                    "Contract research, joint R&D projects, graduates and doctoral researchers, testing laboratories and technology transfer.".to_string(),
                    "Industry partners for joint research projects and student placements; co-funding for applied research.".to_string(),
                )
            }
            (OrgKind::ResearchInstitute, _) => {
                let c = &CHAINS[chain.unwrap_or(0)];
                let topics = self.sample(c.topics, 3);
                let d = format!(
                    "{name} is an applied research institute in {city} working on {}.",
                    join(&topics)
                );
                keywords.extend(topics.iter().map(|s| s.to_string()));
                keywords.push("applied research".to_string());
                (
                    d,
                    format!(
                        "Applied research, feasibility studies and pilot lines in {}.",
                        join(c.topics)
                    ),
                    format!(
                        "Industry partners for joint R&D projects in {}.",
                        c.name.to_lowercase()
                    ),
                )
            }
            (OrgKind::Agency, _) => (
                format!("{name} is the public development agency of the region: business support, site search, funding advice and cluster policy."),
                "Funding advice, site search, export support and contacts to public research.".to_string(),
                "Firms planning investment or expansion in the region.".to_string(),
            ),
            (OrgKind::Association, _) if o == self.chamber => (
                format!("{name} represents the region's businesses and offers export services and vocational training."),
                "Export documents, trade missions, training and legal advice for member firms.".to_string(),
                String::new(),
            ),
            (OrgKind::Association, _) => {
                let c = &CHAINS[chain.unwrap_or(0)];
                (
                    format!("{name} is the cluster management organisation of the region's {} cluster.", c.name.to_lowercase()),
                    "Cluster services: networking events, matchmaking and introductions, joint trade fair stands, project development.".to_string(),
                    "New member firms and research partners.".to_string(),
                )
            }
            (OrgKind::Investor, _) => (
                format!("{name} invests in young technology firms of the region."),
                "Seed investment and Series A financing for start-ups in medical technology, software and advanced materials.".to_string(),
                "Start-ups with scalable business models looking for seed investment.".to_string(),
            ),
            _ => (format!("{name}, {city}."), String::new(), String::new()),
        };
        (description, offers, requests, keywords, motivations)
    }

    fn country_name(&self, o: u32) -> &'static str {
        let region = self.ds.organisations[o as usize].region.as_deref();
        PLACES
            .iter()
            .find(|p| Some(p.region) == region)
            .map_or("Germany", |p| p.country_name)
    }

    fn name_of(&self, id: &milieu_model::OrgId) -> String {
        self.org_index(id)
            .map(|i| self.ds.organisations[i as usize].name.clone())
            .unwrap_or_default()
    }

    fn motivations(&mut self, employees: u32) -> Vec<Motivation> {
        let small = employees < 50;
        let p = if small {
            [0.6, 0.2, 0.35, 0.35]
        } else {
            [0.3, 0.55, 0.45, 0.1]
        };
        let all = [
            Motivation::Leads,
            Motivation::Alliances,
            Motivation::Information,
            Motivation::PeerSupport,
        ];
        let mut out: Vec<Motivation> = all
            .iter()
            .zip(p)
            .filter(|(_, p)| self.chance(*p))
            .map(|(m, _)| *m)
            .collect();
        if out.is_empty() {
            out.push(all[self.weighted(&p)]);
        }
        out
    }
}

/// "hydrogen mobility" -> "Hydrogen Mobility"; short joining words and acronyms stay.
fn title_case(text: &str) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && ["and", "of", "for", "in", "the", "to"].contains(&w) {
                w.to_string()
            } else {
                capitalise(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a firm of the segment brings besides its goods.
fn capability(chain: usize, seg: usize, country: &str) -> String {
    let s = &CHAINS[chain].segments[seg];
    match (chain, s.role) {
        (MEDTECH, Role::Customer) => {
            "Clinical expertise, trial infrastructure and large-scale demand for medical devices."
                .to_string()
        }
        (AUTO, Role::Customer) => "Series production of vehicles; supplier development programmes and pilot projects for new technologies.".to_string(),
        (TOURISM, Role::Supplier) => {
            "Full-service organisation of conferences and corporate events.".to_string()
        }
        (TOURISM, Role::Producer) if seg == 1 => {
            "Rooms, meeting facilities and regional cuisine for guests from home and abroad."
                .to_string()
        }
        (TOURISM, Role::Producer) => "Guided tours and group programmes all year round.".to_string(),
        (TOURISM, Role::Distributor) => {
            "Incoming and outgoing tours, group travel and destination packages.".to_string()
        }
        (FOOD, Role::Supplier) if seg == 0 => {
            "Regional, seasonal produce with short transport routes.".to_string()
        }
        (_, Role::Supplier) => {
            "Certified to ISO 9001, short lead times, small and large batches.".to_string()
        }
        (_, Role::Producer) => {
            "Own development and production, certified quality management.".to_string()
        }
        (_, Role::Distributor) => format!(
            "Distribution network, sales partners and logistics in {country} and neighbouring markets."
        ),
        (_, Role::Customer) => "Large-scale demand and long-term supply contracts.".to_string(),
        (_, Role::Service) => {
            "Accredited laboratory and experienced project teams.".to_string()
        }
    }
}

fn info_subregion(g: &Gen<'_>, o: u32) -> Option<usize> {
    g.orgs[o as usize].subregion
}

fn info_employees(g: &Gen<'_>, o: u32) -> u32 {
    g.orgs[o as usize].employees
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [a] => a.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
