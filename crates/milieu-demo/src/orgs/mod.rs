//! Organisations: the knowledge base, support organisations, firms along the value chains,
//! external partners, spin-offs, acquisitions, and the texts that describe them.
//!
//! This module creates the organisations in order ([`Gen::organisations`]) and holds what every
//! step shares; the steps are [`firms`] (knowledge base, support organisations, chain firms),
//! [`external`] (partners abroad, trade profiles), [`lineage`] (spin-offs, acquisitions) and
//! [`texts`] (descriptions and motivations).

mod external;
mod firms;
mod lineage;
mod texts;

pub(crate) use texts::join;

use crate::state::{Gen, OrgInfo, round_to};
use crate::world::{CHAINS, GOODS, HOME_COUNTRY, INITIATIVE_DEFS, PLACES, SUBREGIONS};
use milieu_model::{Date, OrgKind, Organisation, SectorCode, SizeClass, Stage};

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
}
