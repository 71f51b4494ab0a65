//! Where organisations sit: the home region with its sub-regions and towns, the places of
//! external partners, export markets, EU member states and trade fairs.

use super::names::{
    CHINESE, DUTCH, ENGLISH, FRENCH, GERMAN, ITALIAN, JAPANESE, NORDIC, Names, POLISH, SPANISH,
};

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
