//! One error type for the crate. User-input errors name the source, the line, the
//! column, the value and what was expected; option errors say which option and why.

/// Everything that can go wrong in milieu-map. All variants except [`Error::Internal`]
/// are user errors (bad input or bad options): the CLI maps them to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field could not be read as what it must be.
    #[error("{file}:{line}: column `{column}`: got `{value}`, expected {expected}")]
    Field {
        file: String,
        line: u64,
        column: String,
        value: String,
        expected: String,
    },
    /// A required column is absent from the header.
    #[error("{file}: missing required column `{column}` (header has: {header})")]
    MissingColumn {
        file: String,
        column: String,
        header: String,
    },
    /// The CSV structure itself is broken (unbalanced quotes, wrong field count, bad UTF-8).
    #[error("{file}:{line}: malformed row: {message}")]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    /// The same (region, industry, year) appears twice.
    #[error(
        "duplicate row: region `{region}`, industry `{industry}`, year {year} appears more than once"
    )]
    Duplicate {
        region: String,
        industry: String,
        year: u16,
    },
    /// Regions of the table that the hierarchy does not place at the requested level.
    #[error("{} region(s) missing from the hierarchy at level `{level}`: {}{}", .regions.len(), preview(.regions), more(.regions))]
    RegionsNotInHierarchy { level: String, regions: Vec<String> },
    /// Industries of the table that the definition set does not know.
    #[error("{} industry code(s) unknown to definitions `{definitions}`: {}{} (bridge the code vintage with a concordance, or fix the definitions)", .codes.len(), preview(.codes), more(.codes))]
    UnknownIndustries {
        definitions: String,
        codes: Vec<String>,
    },
    /// A region named in the options is not in the table.
    #[error("region `{region}` is not in the table{hint}")]
    UnknownRegion { region: String, hint: String },
    /// A year named in the options is not in the table.
    #[error("year {year} is not in the table (years present: {present})")]
    UnknownYear { year: u16, present: String },
    /// An option value that cannot work with this input.
    #[error("option `{option}`: {message}")]
    Option { option: String, message: String },
    /// The input holds nothing usable.
    #[error("{file}: no data rows{hint}")]
    Empty { file: String, hint: String },
    /// A bug: should never happen on any input.
    #[error("internal error: {0}")]
    Internal(String),
}

fn preview(items: &[String]) -> String {
    items
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

fn more(items: &[String]) -> String {
    if items.len() > 10 {
        format!(" and {} more", items.len() - 10)
    } else {
        String::new()
    }
}

// Stable machine codes for the CLI and API responses (`{code, message}`): every variant but
// `Internal` is the user's to fix (status 400, exit code 2).
milieu_model::error_codes!(Error {
    Error::Field { .. } => "map.bad_field", 400;
    Error::MissingColumn { .. } => "map.missing_column", 400;
    Error::Malformed { .. } => "map.malformed_row", 400;
    Error::Duplicate { .. } => "map.duplicate_row", 400;
    Error::RegionsNotInHierarchy { .. } => "map.region_not_in_hierarchy", 400;
    Error::UnknownIndustries { .. } => "map.unknown_industry", 400;
    Error::UnknownRegion { .. } => "map.unknown_region", 400;
    Error::UnknownYear { .. } => "map.unknown_year", 400;
    Error::Option { .. } => "map.bad_option", 400;
    Error::Empty { .. } => "map.empty_input", 400;
    Error::Internal(_) => "map.internal", 500;
});

impl Error {
    pub(crate) fn option(option: &str, message: impl Into<String>) -> Error {
        Error::Option {
            option: option.to_string(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
