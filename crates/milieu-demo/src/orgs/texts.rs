//! The texts that describe an organisation (description, offers, requests, keywords) and its
//! motivations, written once every relation is known.

use crate::state::{Gen, capitalise};
use crate::world::{AUTO, CHAINS, FOOD, GOODS, MEDTECH, PLACES, Role, SUBREGIONS, TOURISM};
use milieu_model::{Motivation, OrgKind, SizeClass, Stage};

impl Gen<'_> {
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
pub(super) fn title_case(text: &str) -> String {
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
pub(super) fn capability(chain: usize, seg: usize, country: &str) -> String {
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

pub(super) fn info_subregion(g: &Gen<'_>, o: u32) -> Option<usize> {
    g.orgs[o as usize].subregion
}

pub(super) fn info_employees(g: &Gen<'_>, o: u32) -> u32 {
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
