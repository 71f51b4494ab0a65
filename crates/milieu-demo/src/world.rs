//! The fixed knowledge the generator draws from: value chains with their segments, industry
//! codes and traded goods, the home region's sub-regions and towns, partner countries, names.
//!
//! Industry codes are real: NAICS 2017 six-digit industries and NACE Rev. 2 classes that
//! describe each segment. Place and firm names are invented.

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

/// The home region: name, code and the centre of its map.
pub(crate) const HOME_COUNTRY: &str = "DE";
pub(crate) const HOME_REGION: &str = "LM";
pub(crate) const HOME_NAME: &str = "Lindenmark";

pub(crate) struct Town {
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Relative number of organisations located there within its sub-region.
    pub weight: f64,
}

pub(crate) struct Subregion {
    pub code: &'static str,
    pub name: &'static str,
    pub towns: &'static [Town],
}

pub(crate) static SUBREGIONS: [Subregion; 4] = [
    Subregion {
        code: "LM-N",
        name: "Lindenmark-Nord",
        towns: &[
            Town {
                name: "Lindenburg",
                lat: 48.452,
                lon: 10.012,
                weight: 0.70,
            },
            Town {
                name: "Altenfurt",
                lat: 48.530,
                lon: 9.930,
                weight: 0.30,
            },
        ],
    },
    Subregion {
        code: "LM-S",
        name: "Lindenmark-Süd",
        towns: &[
            Town {
                name: "Seefeld am Weiher",
                lat: 48.215,
                lon: 10.050,
                weight: 0.45,
            },
            Town {
                name: "Mühlbach",
                lat: 48.270,
                lon: 9.880,
                weight: 0.35,
            },
            Town {
                name: "Tannwald",
                lat: 48.160,
                lon: 10.180,
                weight: 0.20,
            },
        ],
    },
    Subregion {
        code: "LM-E",
        name: "Lindenmark-Ost",
        towns: &[
            Town {
                name: "Eichstedt",
                lat: 48.420,
                lon: 10.230,
                weight: 0.65,
            },
            Town {
                name: "Rosenau",
                lat: 48.350,
                lon: 10.300,
                weight: 0.35,
            },
        ],
    },
    Subregion {
        code: "LM-W",
        name: "Lindenmark-West",
        towns: &[
            Town {
                name: "Steinfeld",
                lat: 48.380,
                lon: 9.760,
                weight: 0.55,
            },
            Town {
                name: "Birkach",
                lat: 48.300,
                lon: 9.700,
                weight: 0.45,
            },
        ],
    },
];

/// Name pools by language.
pub(crate) struct Names {
    pub first: &'static [&'static str],
    pub last: &'static [&'static str],
}

pub(crate) static GERMAN: Names = Names {
    first: &[
        "Anna",
        "Lukas",
        "Sophie",
        "Jonas",
        "Marie",
        "Felix",
        "Laura",
        "Paul",
        "Julia",
        "Max",
        "Lea",
        "Tobias",
        "Katharina",
        "Stefan",
        "Sabine",
        "Andreas",
        "Claudia",
        "Michael",
        "Nina",
        "Florian",
        "Johanna",
        "Matthias",
        "Sarah",
        "Daniel",
        "Miriam",
        "Thomas",
        "Elif",
        "Can",
        "Ivana",
        "Markus",
        "Petra",
        "Jan",
        "Carina",
        "Benedikt",
        "Theresa",
        "Ralf",
        "Franziska",
        "Uwe",
        "Lena",
        "Dominik",
        "Melanie",
        "Sebastian",
        "Birgit",
        "Moritz",
        "Helena",
        "Oliver",
        "Vanessa",
        "Georg",
    ],
    last: &[
        "Müller",
        "Schmid",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Hofmann",
        "Hartmann",
        "Lange",
        "Werner",
        "Krause",
        "Lehmann",
        "Maier",
        "Huber",
        "Kaiser",
        "Fuchs",
        "Peters",
        "Lang",
        "Scholz",
        "Möller",
        "Weiß",
        "Jung",
        "Hahn",
        "Keller",
        "Vogel",
        "Friedrich",
        "Günther",
        "Frank",
        "Berger",
        "Winkler",
        "Roth",
        "Beck",
        "Lorenz",
        "Baumann",
        "Yilmaz",
        "Kowalski",
        "Albrecht",
        "Sommer",
        "Graf",
        "Ludwig",
        "Brandt",
        "Haas",
        "Seidel",
        "Kühn",
        "Pohl",
        "Engel",
    ],
};

static FRENCH: Names = Names {
    first: &[
        "Camille", "Louis", "Chloé", "Hugo", "Manon", "Julien", "Claire", "Antoine", "Léa",
        "Nicolas",
    ],
    last: &[
        "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard", "Roux", "Fournier",
        "Lefèvre", "Mercier",
    ],
};
static ITALIAN: Names = Names {
    first: &[
        "Giulia",
        "Marco",
        "Chiara",
        "Luca",
        "Francesca",
        "Matteo",
        "Sara",
        "Davide",
        "Elena",
        "Paolo",
    ],
    last: &[
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
        "Greco",
    ],
};
static DUTCH: Names = Names {
    first: &[
        "Sanne", "Daan", "Femke", "Bram", "Lotte", "Joost", "Eva", "Ruben", "Anouk", "Thijs",
    ],
    last: &[
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "Mulder",
        "de Boer",
    ],
};
static ENGLISH: Names = Names {
    first: &[
        "Emily", "James", "Olivia", "Michael", "Sarah", "David", "Jessica", "Robert", "Hannah",
        "Thomas", "Rachel", "Daniel",
    ],
    last: &[
        "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Davis", "Clark", "Walker",
        "Young", "Harris", "Evans",
    ],
};
static NORDIC: Names = Names {
    first: &[
        "Emma", "Erik", "Ida", "Lars", "Freja", "Anders", "Maja", "Nils", "Karin", "Magnus",
    ],
    last: &[
        "Andersson",
        "Nielsen",
        "Johansson",
        "Hansen",
        "Larsson",
        "Pedersen",
        "Karlsson",
        "Eriksson",
        "Lindberg",
        "Berg",
    ],
};
static POLISH: Names = Names {
    first: &[
        "Anna",
        "Piotr",
        "Katarzyna",
        "Tomasz",
        "Magdalena",
        "Paweł",
        "Agnieszka",
        "Marcin",
    ],
    last: &[
        "Nowak",
        "Kowalska",
        "Wiśniewski",
        "Wójcik",
        "Kamińska",
        "Lewandowski",
        "Zielińska",
        "Szymański",
    ],
};
static SPANISH: Names = Names {
    first: &[
        "Lucía", "Javier", "María", "Carlos", "Marta", "Pablo", "Laura", "Sergio",
    ],
    last: &[
        "García",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Ruiz",
    ],
};
static JAPANESE: Names = Names {
    first: &[
        "Haruto", "Yui", "Sota", "Aoi", "Kenji", "Yuki", "Takumi", "Sakura",
    ],
    last: &[
        "Sato",
        "Suzuki",
        "Takahashi",
        "Tanaka",
        "Watanabe",
        "Ito",
        "Yamamoto",
        "Nakamura",
    ],
};
static CHINESE: Names = Names {
    first: &["Wei", "Jing", "Hao", "Li", "Yan", "Jun", "Min", "Xin"],
    last: &[
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao",
    ],
};

/// A place outside the home region where external partners sit.
pub(crate) struct Place {
    pub country: &'static str,
    pub country_name: &'static str,
    /// Region code of the place (NUTS 2 in the EU, ISO 3166-2 elsewhere).
    pub region: &'static str,
    pub city: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub legal_form: &'static str,
    pub names: &'static Names,
    /// Relative frequency among external partners.
    pub weight: f64,
}

pub(crate) static PLACES: &[Place] = &[
    Place {
        country: "DE",
        country_name: "Germany",
        region: "DE21",
        city: "München",
        lat: 48.137,
        lon: 11.575,
        legal_form: "GmbH",
        names: &GERMAN,
        weight: 3.0,
    },
    Place {
        country: "DE",
        country_name: "Germany",
        region: "DE11",
        city: "Stuttgart",
        lat: 48.776,
        lon: 9.183,
        legal_form: "GmbH",
        names: &GERMAN,
        weight: 3.0,
    },
    Place {
        country: "AT",
        country_name: "Austria",
        region: "AT31",
        city: "Linz",
        lat: 48.306,
        lon: 14.286,
        legal_form: "GmbH",
        names: &GERMAN,
        weight: 1.5,
    },
    Place {
        country: "CH",
        country_name: "Switzerland",
        region: "CH04",
        city: "Zürich",
        lat: 47.377,
        lon: 8.541,
        legal_form: "AG",
        names: &GERMAN,
        weight: 1.5,
    },
    Place {
        country: "FR",
        country_name: "France",
        region: "FRK2",
        city: "Lyon",
        lat: 45.764,
        lon: 4.836,
        legal_form: "SAS",
        names: &FRENCH,
        weight: 1.5,
    },
    Place {
        country: "IT",
        country_name: "Italy",
        region: "ITC4",
        city: "Milano",
        lat: 45.464,
        lon: 9.190,
        legal_form: "S.r.l.",
        names: &ITALIAN,
        weight: 1.5,
    },
    Place {
        country: "NL",
        country_name: "the Netherlands",
        region: "NL41",
        city: "Eindhoven",
        lat: 51.441,
        lon: 5.470,
        legal_form: "B.V.",
        names: &DUTCH,
        weight: 1.2,
    },
    Place {
        country: "SE",
        country_name: "Sweden",
        region: "SE23",
        city: "Göteborg",
        lat: 57.709,
        lon: 11.975,
        legal_form: "AB",
        names: &NORDIC,
        weight: 0.8,
    },
    Place {
        country: "DK",
        country_name: "Denmark",
        region: "DK04",
        city: "Aarhus",
        lat: 56.163,
        lon: 10.204,
        legal_form: "ApS",
        names: &NORDIC,
        weight: 0.6,
    },
    Place {
        country: "PL",
        country_name: "Poland",
        region: "PL51",
        city: "Wrocław",
        lat: 51.108,
        lon: 17.039,
        legal_form: "sp. z o.o.",
        names: &POLISH,
        weight: 1.0,
    },
    Place {
        country: "ES",
        country_name: "Spain",
        region: "ES51",
        city: "Barcelona",
        lat: 41.389,
        lon: 2.159,
        legal_form: "S.L.",
        names: &SPANISH,
        weight: 0.8,
    },
    Place {
        country: "UK",
        country_name: "the United Kingdom",
        region: "UKH1",
        city: "Cambridge",
        lat: 52.205,
        lon: 0.119,
        legal_form: "Ltd",
        names: &ENGLISH,
        weight: 0.8,
    },
    Place {
        country: "US",
        country_name: "the United States",
        region: "US-MA",
        city: "Boston",
        lat: 42.360,
        lon: -71.058,
        legal_form: "Inc.",
        names: &ENGLISH,
        weight: 1.2,
    },
    Place {
        country: "JP",
        country_name: "Japan",
        region: "JP-27",
        city: "Osaka",
        lat: 34.694,
        lon: 135.502,
        legal_form: "K.K.",
        names: &JAPANESE,
        weight: 0.5,
    },
    Place {
        country: "CN",
        country_name: "China",
        region: "CN-GD",
        city: "Shenzhen",
        lat: 22.543,
        lon: 114.058,
        legal_form: "Co., Ltd.",
        names: &CHINESE,
        weight: 0.5,
    },
];

/// Export markets a firm of the home region serves, most common first.
pub(crate) static EXPORT_MARKETS: &[&str] = &[
    "AT", "CH", "FR", "NL", "IT", "US", "PL", "BE", "UK", "ES", "SE", "CZ", "DK", "CN", "JP", "IN",
    "BR", "CA", "KR", "AE", "MX", "AU", "TR", "SG",
];

/// EU member states (ISO 3166-1 alpha-2, Greece as EL as the EU writes it).
pub(crate) static EU_COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// International trade fairs the initiatives send joint stands to (invented names).
pub(crate) static TRADE_FAIRS: [(&str, &str); 5] = [
    ("MedExpo International", "Düsseldorf"),
    ("Digital World Expo", "Barcelona"),
    ("Food & Packaging Fair", "Köln"),
    ("Lightweight Mobility Show", "Detroit"),
    ("Travel Trade Market", "Berlin"),
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

/// Syllables for invented names (firm stems, project acronyms).
pub(crate) static SYLLABLES: &[&str] = &[
    "al", "ber", "cor", "dan", "eri", "fal", "gra", "hel", "ino", "jar", "kel", "lum", "mar",
    "nor", "ori", "pra", "quin", "ros", "sel", "tor", "ul", "ver", "wen", "xan", "zel", "ka",
    "lio", "mos", "tra", "vi",
];

#[cfg(test)]
mod tests {
    use super::*;
    use milieu_model::SectorCode;

    #[test]
    fn codes_are_well_formed_and_goods_point_to_segments() {
        for chain in &CHAINS {
            let total: f64 = chain.segments.iter().map(|s| s.weight).sum();
            assert!(
                (total - 1.0).abs() < 1e-9,
                "{} weights sum to {total}",
                chain.key
            );
            for seg in chain.segments {
                for code in seg.naics {
                    assert!(SectorCode::parse(code).is_ok(), "{code}");
                }
                assert!(SectorCode::parse(&format!("nace:{}", seg.nace)).is_ok());
            }
        }
        for good in GOODS {
            for (c, s) in [good.seller, good.buyer] {
                assert!(s < CHAINS[c].segments.len(), "{}", good.term);
            }
        }
        let chain_total: f64 = CHAINS.iter().map(|c| c.weight).sum();
        assert!((chain_total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn every_segment_sells_or_buys_something() {
        for (c, chain) in CHAINS.iter().enumerate() {
            for s in 0..chain.segments.len() {
                assert!(
                    GOODS
                        .iter()
                        .any(|g| g.seller == (c, s) || g.buyer == (c, s)),
                    "{} segment {s} trades nothing",
                    chain.key
                );
            }
        }
    }
}
