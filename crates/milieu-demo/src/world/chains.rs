//! The value chains: their segments (role, NAICS and NACE codes, weights), the goods traded
//! between segments, topics that cross chains, and the cluster initiatives built on them.

/// Position of a segment in its value chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Sells inputs (materials, parts, machinery, infrastructure) to producers.
    Supplier,
    /// Makes the chain's core product.
    Producer,
    /// Sells on: wholesalers, integrators, tour operators.
    Distributor,
    /// Buys the final product (hospitals, vehicle makers).
    Customer,
    /// Knowledge-intensive services: testing, engineering, R&D, consulting.
    Service,
}

pub(crate) struct Segment {
    pub name: &'static str,
    pub role: Role,
    /// NAICS 2017 codes that fit the segment; a firm takes one, sometimes two.
    pub naics: &'static [&'static str],
    /// The NACE Rev. 2 class a European registry would give the same firms.
    pub nace: &'static str,
    /// Share of the chain's firms in this segment.
    pub weight: f64,
    /// Mean of ln(employees) for a mature firm of the segment.
    pub log_size: f64,
    /// Words used in firm names of the segment; when there is one per NAICS code, the word
    /// goes with the code (a brewery is called a brewery).
    pub name_words: &'static [&'static str],
}

pub(crate) struct Chain {
    pub key: &'static str,
    pub name: &'static str,
    /// Share of the region's firms in this chain.
    pub weight: f64,
    pub segments: &'static [Segment],
    /// Event and project topics of the chain.
    pub topics: &'static [&'static str],
    pub keywords: &'static [&'static str],
    /// Weight of each home sub-region (same order as [`SUBREGIONS`]): where the chain's firms
    /// locate, so communities form by chain and place.
    pub subregion_weights: [f64; 4],
    /// Stems for invented firm names.
    pub name_stems: &'static [&'static str],
}

/// Share of firms per chain, in [`CHAINS`] order.
pub(crate) fn chain_weights() -> Vec<f64> {
    CHAINS.iter().map(|c| c.weight).collect()
}

pub(crate) const MEDTECH: usize = 0;
pub(crate) const ICT: usize = 1;
pub(crate) const FOOD: usize = 2;
pub(crate) const AUTO: usize = 3;
pub(crate) const TOURISM: usize = 4;

pub(crate) static CHAINS: [Chain; 5] = [
    Chain {
        key: "medtech",
        name: "Medical technology",
        weight: 0.22,
        segments: &[
            Segment {
                name: "precision component supplier",
                role: Role::Supplier,
                naics: &["332710", "332721"],
                nace: "C25.62",
                weight: 0.20,
                log_size: 3.0,
                name_words: &["Precision", "Feinmechanik", "Components"],
            },
            Segment {
                name: "electronics and plastics supplier",
                role: Role::Supplier,
                naics: &["334418", "326199"],
                nace: "C26.12",
                weight: 0.15,
                log_size: 3.2,
                name_words: &["Electronics", "Kunststofftechnik"],
            },
            Segment {
                name: "medical device manufacturer",
                role: Role::Producer,
                naics: &["339112", "339113", "334510"],
                nace: "C32.50",
                weight: 0.30,
                log_size: 3.6,
                name_words: &["Surgical", "Orthopaedics", "Medical Electronics"],
            },
            Segment {
                name: "medical wholesaler",
                role: Role::Distributor,
                naics: &["423450"],
                nace: "G46.46",
                weight: 0.12,
                log_size: 2.8,
                name_words: &["Medical Supply", "Medizinhandel", "Health Distribution"],
            },
            Segment {
                name: "hospital",
                role: Role::Customer,
                naics: &["622110"],
                nace: "Q86.10",
                weight: 0.05,
                log_size: 6.3,
                name_words: &["Klinikum", "Clinic", "Hospital"],
            },
            Segment {
                name: "testing, regulatory and R&D service",
                role: Role::Service,
                naics: &["541380", "541715"],
                nace: "M71.20",
                weight: 0.18,
                log_size: 2.3,
                name_words: &["Testing", "BioLab"],
            },
        ],
        topics: &[
            "MDR certification",
            "clinical evaluation",
            "orthopaedic implants",
            "digital health",
            "additive manufacturing of implants",
            "sterilisation and hygiene",
            "reimbursement in European markets",
            "market access in the United States",
            "biocompatible materials",
            "wearable patient monitoring",
        ],
        keywords: &[
            "medical devices",
            "MDR",
            "implants",
            "surgical instruments",
            "biocompatibility",
            "clinical",
            "ISO 13485",
        ],
        subregion_weights: [0.55, 0.10, 0.25, 0.10],
        name_stems: &[
            "Medi", "Ortho", "Cardi", "Sano", "Vita", "Cura", "Osteo", "Neuro",
        ],
    },
    Chain {
        key: "ict",
        name: "ICT and software",
        weight: 0.28,
        segments: &[
            Segment {
                name: "hosting and IT infrastructure provider",
                role: Role::Supplier,
                naics: &["518210"],
                nace: "J63.11",
                weight: 0.12,
                log_size: 2.8,
                name_words: &["Cloud", "Datacenter", "Hosting"],
            },
            Segment {
                name: "software publisher",
                role: Role::Producer,
                naics: &["511210"],
                nace: "J58.29",
                weight: 0.25,
                log_size: 2.9,
                name_words: &["Software", "Apps", "Labs"],
            },
            Segment {
                name: "custom software and IT services firm",
                role: Role::Producer,
                naics: &["541511", "541512"],
                nace: "J62.01",
                weight: 0.33,
                log_size: 2.5,
                name_words: &["Solutions", "Systems", "Digital", "IT Services"],
            },
            Segment {
                name: "IT reseller and system integrator",
                role: Role::Distributor,
                naics: &["423430", "541519"],
                nace: "G46.51",
                weight: 0.15,
                log_size: 2.7,
                name_words: &["Systemhaus", "Integration", "IT Partner"],
            },
            Segment {
                name: "data science and AI consultancy",
                role: Role::Service,
                naics: &["541690", "541715"],
                nace: "J62.02",
                weight: 0.15,
                log_size: 2.0,
                name_words: &["Analytics", "AI", "Data"],
            },
        ],
        topics: &[
            "artificial intelligence in production",
            "cybersecurity",
            "cloud migration for SMEs",
            "industrial IoT",
            "GDPR and data protection",
            "software quality and testing",
            "digital skills and recruitment",
            "open source business models",
            "edge computing",
            "digital twins",
        ],
        keywords: &[
            "software",
            "cloud",
            "AI",
            "IoT",
            "cybersecurity",
            "data analytics",
            "digitalisation",
        ],
        subregion_weights: [0.60, 0.10, 0.15, 0.15],
        name_stems: &[
            "Byte", "Code", "Logi", "Quant", "Nexa", "Pixel", "Sync", "Data",
        ],
    },
    Chain {
        key: "food",
        name: "Food processing",
        weight: 0.20,
        segments: &[
            Segment {
                name: "farm and raw material producer",
                role: Role::Supplier,
                naics: &["111219", "112120"],
                nace: "A01.13",
                weight: 0.20,
                log_size: 1.3,
                name_words: &["Gemüsehof", "Milchhof"],
            },
            Segment {
                name: "food machinery and packaging supplier",
                role: Role::Supplier,
                naics: &["333241", "326112", "322220"],
                nace: "C28.93",
                weight: 0.15,
                log_size: 3.3,
                name_words: &["Maschinenbau", "Verpackung", "Packaging"],
            },
            Segment {
                name: "food and beverage processor",
                role: Role::Producer,
                naics: &["311513", "311812", "311421", "312120"],
                nace: "C10.51",
                weight: 0.35,
                log_size: 3.2,
                name_words: &["Molkerei", "Bakery", "Foods", "Brauerei"],
            },
            Segment {
                name: "food wholesaler and retailer",
                role: Role::Distributor,
                naics: &["424410", "445110"],
                nace: "G46.39",
                weight: 0.18,
                log_size: 3.4,
                name_words: &["Handel", "Markt", "Wholesale"],
            },
            Segment {
                name: "food testing and nutrition R&D service",
                role: Role::Service,
                naics: &["541380", "541715"],
                nace: "M71.20",
                weight: 0.12,
                log_size: 2.0,
                name_words: &["Analytik", "Nutrition Lab"],
            },
        ],
        topics: &[
            "shelf life extension",
            "sustainable packaging",
            "regional sourcing",
            "plant-based proteins",
            "food safety and HACCP",
            "energy efficiency in food processing",
            "export of speciality foods",
            "automation in small food plants",
            "reducing food waste",
        ],
        keywords: &[
            "food",
            "dairy",
            "packaging",
            "regional products",
            "food safety",
            "organic",
        ],
        subregion_weights: [0.10, 0.45, 0.10, 0.35],
        name_stems: &[
            "Alpen", "Korn", "Milch", "Gold", "Sonnen", "Wiesen", "Berg", "Tal",
        ],
    },
    Chain {
        key: "auto",
        name: "Automotive and advanced materials",
        weight: 0.20,
        segments: &[
            Segment {
                name: "materials supplier",
                role: Role::Supplier,
                naics: &["325211", "331315", "326291"],
                nace: "C22.29",
                weight: 0.20,
                log_size: 3.5,
                name_words: &["Polymers", "Aluminium", "Dichtungstechnik"],
            },
            Segment {
                name: "machining and tooling shop",
                role: Role::Supplier,
                naics: &["332710", "333514"],
                nace: "C25.62",
                weight: 0.25,
                log_size: 3.0,
                name_words: &["Zerspanung", "Werkzeugbau"],
            },
            Segment {
                name: "automotive component manufacturer",
                role: Role::Producer,
                naics: &["336390", "336350", "336320"],
                nace: "C29.32",
                weight: 0.35,
                log_size: 4.2,
                name_words: &["Automotive", "Drive Systems", "Fahrzeugtechnik"],
            },
            Segment {
                name: "vehicle manufacturer",
                role: Role::Customer,
                naics: &["336111"],
                nace: "C29.10",
                weight: 0.02,
                log_size: 8.0,
                name_words: &["Motors", "Fahrzeugwerke"],
            },
            Segment {
                name: "engineering and testing service",
                role: Role::Service,
                naics: &["541330", "541380"],
                nace: "M71.12",
                weight: 0.18,
                log_size: 2.5,
                name_words: &["Engineering", "Test Center"],
            },
        ],
        topics: &[
            "lightweight design",
            "electric powertrains",
            "battery systems",
            "carbon fibre composites",
            "transformation of the supplier industry",
            "recycling of composites",
            "hydrogen mobility",
            "quality management IATF 16949",
        ],
        keywords: &[
            "automotive",
            "lightweight",
            "composites",
            "e-mobility",
            "machining",
            "materials",
        ],
        subregion_weights: [0.10, 0.10, 0.35, 0.45],
        name_stems: &[
            "Stahl", "Carbo", "Alu", "Forma", "Tecno", "Kraft", "Volta", "Rad",
        ],
    },
    Chain {
        key: "tourism",
        name: "Tourism and hospitality",
        weight: 0.10,
        segments: &[
            Segment {
                name: "event and conference service",
                role: Role::Supplier,
                naics: &["561920"],
                nace: "N82.30",
                weight: 0.15,
                log_size: 1.8,
                name_words: &["Events", "Veranstaltungen", "Congress"],
            },
            Segment {
                name: "hotel and restaurant",
                role: Role::Producer,
                naics: &["721110", "722511"],
                nace: "I55.10",
                weight: 0.45,
                log_size: 2.6,
                name_words: &["Hotel", "Restaurant"],
            },
            Segment {
                name: "attraction and leisure provider",
                role: Role::Producer,
                naics: &["712110", "713990"],
                nace: "R91.02",
                weight: 0.20,
                log_size: 2.2,
                name_words: &["Museum", "Erlebniswelt"],
            },
            Segment {
                name: "tour operator and travel agency",
                role: Role::Distributor,
                naics: &["561520", "561510"],
                nace: "N79.12",
                weight: 0.20,
                log_size: 1.8,
                name_words: &["Tours", "Reisen"],
            },
        ],
        topics: &[
            "business tourism",
            "sustainable tourism",
            "industrial heritage tourism",
            "online booking and visibility",
            "skilled staff in hospitality",
            "international source markets",
        ],
        keywords: &["tourism", "hospitality", "events", "travel", "leisure"],
        subregion_weights: [0.25, 0.45, 0.10, 0.20],
        name_stems: &[
            "See", "Wald", "Linden", "Panorama", "Sonne", "Stern", "Krone", "Adler",
        ],
    },
];

/// A traded good or service: which segment sells it and which buys it. Offers and requests
/// are written from these terms so that a supplier's offer and its customer's request share
/// words.
pub(crate) struct Good {
    pub term: &'static str,
    pub seller: (usize, usize),
    pub buyer: (usize, usize),
}

const fn good(term: &'static str, seller: (usize, usize), buyer: (usize, usize)) -> Good {
    Good {
        term,
        seller,
        buyer,
    }
}

pub(crate) static GOODS: &[Good] = &[
    // Medical technology.
    good("titanium implant components", (MEDTECH, 0), (MEDTECH, 2)),
    good(
        "precision machined surgical instrument parts",
        (MEDTECH, 0),
        (MEDTECH, 2),
    ),
    good(
        "printed circuit board assembly for medical electronics",
        (MEDTECH, 1),
        (MEDTECH, 2),
    ),
    good(
        "injection moulded medical plastic parts",
        (MEDTECH, 1),
        (MEDTECH, 2),
    ),
    good("orthopaedic implants", (MEDTECH, 2), (MEDTECH, 3)),
    good("patient monitoring devices", (MEDTECH, 2), (MEDTECH, 4)),
    good(
        "minimally invasive surgical instruments",
        (MEDTECH, 2),
        (MEDTECH, 4),
    ),
    good(
        "distribution of medical devices in European markets",
        (MEDTECH, 3),
        (MEDTECH, 2),
    ),
    good(
        "biocompatibility testing and MDR regulatory support",
        (MEDTECH, 5),
        (MEDTECH, 2),
    ),
    good("sterilisation validation", (MEDTECH, 5), (MEDTECH, 2)),
    good(
        "clinical trial sites for medical device studies",
        (MEDTECH, 4),
        (MEDTECH, 2),
    ),
    // ICT and software.
    good(
        "cloud hosting and managed IT infrastructure",
        (ICT, 0),
        (ICT, 2),
    ),
    good("GDPR-compliant data centre capacity", (ICT, 0), (ICT, 1)),
    good("enterprise software licences for SMEs", (ICT, 1), (ICT, 3)),
    good("software testing and quality assurance", (ICT, 2), (ICT, 1)),
    good(
        "embedded software for medical devices",
        (ICT, 2),
        (MEDTECH, 2),
    ),
    good(
        "embedded software for vehicle electronics",
        (ICT, 2),
        (AUTO, 2),
    ),
    good("industrial IoT platform integration", (ICT, 3), (FOOD, 2)),
    good(
        "ERP and supply chain software integration",
        (ICT, 3),
        (MEDTECH, 3),
    ),
    good(
        "machine learning for quality inspection",
        (ICT, 4),
        (AUTO, 2),
    ),
    good(
        "cybersecurity audits for connected devices",
        (ICT, 4),
        (MEDTECH, 2),
    ),
    good(
        "online booking and visitor data platforms",
        (ICT, 1),
        (TOURISM, 1),
    ),
    // Food processing.
    good("regional organic vegetables", (FOOD, 0), (FOOD, 2)),
    good("raw milk from regional dairy farms", (FOOD, 0), (FOOD, 2)),
    good(
        "food processing machinery and line automation",
        (FOOD, 1),
        (FOOD, 2),
    ),
    good("recyclable food packaging", (FOOD, 1), (FOOD, 2)),
    good(
        "private label dairy and bakery products",
        (FOOD, 2),
        (FOOD, 3),
    ),
    good(
        "regional speciality foods for hotels and restaurants",
        (FOOD, 2),
        (TOURISM, 1),
    ),
    good(
        "shelf life and microbiological testing",
        (FOOD, 4),
        (FOOD, 2),
    ),
    good(
        "cold chain logistics and distribution",
        (FOOD, 3),
        (FOOD, 2),
    ),
    // Automotive and advanced materials.
    good("carbon fibre reinforced composites", (AUTO, 0), (AUTO, 2)),
    good(
        "lightweight aluminium sheet and extrusions",
        (AUTO, 0),
        (AUTO, 2),
    ),
    good("technical rubber seals and gaskets", (AUTO, 0), (AUTO, 2)),
    good("CNC machining of powertrain parts", (AUTO, 1), (AUTO, 2)),
    good("injection moulds and tooling", (AUTO, 1), (AUTO, 2)),
    good(
        "precision machined surgical instrument parts",
        (AUTO, 1),
        (MEDTECH, 2),
    ),
    good("electric drive components", (AUTO, 2), (AUTO, 3)),
    good(
        "battery housings for electric vehicles",
        (AUTO, 2),
        (AUTO, 3),
    ),
    good("crash and durability testing", (AUTO, 4), (AUTO, 2)),
    good(
        "simulation and lightweight design engineering",
        (AUTO, 4),
        (AUTO, 3),
    ),
    // Tourism and hospitality.
    good(
        "conference venue and event management",
        (TOURISM, 0),
        (TOURISM, 1),
    ),
    good(
        "group accommodation for business travellers",
        (TOURISM, 1),
        (TOURISM, 3),
    ),
    good(
        "guided industrial heritage tours",
        (TOURISM, 2),
        (TOURISM, 3),
    ),
    good(
        "package tours for international groups",
        (TOURISM, 3),
        (TOURISM, 1),
    ),
    good(
        "destination marketing for international source markets",
        (TOURISM, 3),
        (TOURISM, 2),
    ),
];

/// Themes every chain's members ask about (topic requests, workshops of the agency).
pub(crate) static CROSS_TOPICS: &[&str] = &[
    "export to North America",
    "skilled labour recruitment",
    "public funding for innovation",
    "energy costs",
    "succession planning",
    "sustainability reporting",
];

/// A cluster initiative the demo region runs: its chain, name, start relative to the first
/// simulated day (months; negative = before the window) and goals.
pub(crate) struct InitiativeDef {
    pub chain: usize,
    pub key: &'static str,
    pub name: &'static str,
    pub host_name: &'static str,
    pub months_from_start: i32,
    pub goals: &'static [&'static str],
}

pub(crate) static INITIATIVE_DEFS: [InitiativeDef; 3] = [
    InitiativeDef {
        chain: MEDTECH,
        key: "medtech",
        name: "MedTech Lindenmark",
        host_name: "MedTech Lindenmark e.V.",
        months_from_start: -118,
        goals: &[
            "Grow membership by 10% a year, with half of all medical device SMEs of the region as members",
            "Help 20 member SMEs through MDR certification",
            "Start five joint R&D projects a year between members and the research institutes",
            "Raise the export share of member SMEs outside the EU",
        ],
    },
    InitiativeDef {
        chain: ICT,
        key: "ict",
        name: "Digital Lindenmark",
        host_name: "Digital Lindenmark e.V.",
        months_from_start: -40,
        goals: &[
            "Connect software firms with the region's manufacturers (digitalisation projects)",
            "Attract and keep IT talent: 200 graduates a year placed with members",
            "Support 30 start-ups a year with coaching and investor contacts",
        ],
    },
    InitiativeDef {
        chain: FOOD,
        key: "food",
        name: "Food Valley Lindenmark",
        host_name: "Food Valley Lindenmark e.V.",
        months_from_start: 17,
        goals: &[
            "Build regional supply chains between farms, processors and retail",
            "Cut packaging waste of members by a quarter",
            "Bring members' speciality foods to two new export markets",
        ],
    },
];
