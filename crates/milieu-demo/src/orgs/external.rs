//! External partners outside the home region, and every firm's trade profile and international
//! scope.

use super::texts::title_case;
use super::{Location, NewOrg, naics};
use crate::state::{Gen, round_to};
use crate::world::{
    AUTO, CHAINS, EXPORT_MARKETS, FOOD, GOODS, HOME_COUNTRY, ICT, MEDTECH, PLACES, Role, TOURISM,
};
use milieu_model::{OrgKind, SizeClass, Stage};

impl Gen<'_> {
    pub(super) fn external_org(&mut self) {
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
    pub(super) fn trade_profile(&mut self, o: u32) {
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
    pub(super) fn international_scope(&mut self, o: u32) {
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
}
