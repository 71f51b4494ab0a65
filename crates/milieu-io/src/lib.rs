//! Registry file formats of milieu.
//!
//! - [`registry_csv`]: one CSV per record kind (documented in docs/formats.md), read strictly:
//!   unknown or missing columns, bad values, wrong encoding and empty files are errors that name
//!   the file, line, column, value and what was expected.
//! - [`registry_json`]: the same records as JSON arrays (the serde shape of milieu-model).
//! - [`cordis`]: the public CORDIS participation table (organisations, projects, participations).
//! - [`graph`]: the tie network as GraphML, GEXF (for Gephi) or JSON.
//! - [`export`]: any record kind back to CSV or JSON, with the import's column names, so an
//!   export can be imported again.
//!
//! The crate never opens files: callers pass readers and writers and a source name for errors.

pub mod cordis;
pub mod export;
pub mod graph;
pub mod registry_csv;
pub mod registry_json;

use std::fmt;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// 1-based line of a text file (the header is line 1).
    Line(u64),
    /// 0-based position of an item in a JSON array.
    Item(usize),
    /// The whole file.
    File,
    /// Values given on the command line or in a form rather than in a file.
    Arguments,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(l) => write!(f, "line {l}"),
            Position::Item(i) => write!(f, "item {i}"),
            Position::File => f.write_str("whole file"),
            Position::Arguments => f.write_str("given values"),
        }
    }
}

/// Bad input: names the file, the position, the column or field, the value found and what was
/// expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {position}{}: {}expected {expected}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default(), value.as_ref().map(|v| format!("value {v:?}: ")).unwrap_or_default())]
pub struct InputError {
    pub source_name: String,
    pub position: Position,
    pub column: Option<String>,
    pub value: Option<String>,
    pub expected: String,
}

impl InputError {
    /// The one code of bad registry input; the message names where and what.
    pub const CODE: milieu_model::Code = milieu_model::Code::new("io.bad_input", 400);
    /// Every code this type can emit.
    pub const ALL_CODES: &'static [milieu_model::Code] = &[InputError::CODE];

    pub fn new(
        source_name: &str,
        position: Position,
        column: Option<&str>,
        value: Option<&str>,
        expected: impl Into<String>,
    ) -> Self {
        Self {
            source_name: source_name.to_string(),
            position,
            column: column.map(str::to_string),
            value: value.map(str::to_string),
            expected: expected.into(),
        }
    }
}

impl milieu_model::ErrorCode for InputError {
    fn error_code(&self) -> milieu_model::Code {
        InputError::CODE
    }
}

/// Records read from a file, each with the position it came from (for later checks that name
/// the line, such as references to unknown ids).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub position: Position,
    pub record: T,
}

macro_rules! located_dataset {
    ($($field:ident: $ty:ty),* $(,)?) => {
        /// A [`milieu_model::Dataset`] whose records keep the position they were read from.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct LocatedDataset {
            /// The file (or other source) the records came from, for messages.
            pub source_name: String,
            $(pub $field: Vec<Located<$ty>>,)*
        }

        impl LocatedDataset {
            pub fn new(source_name: &str) -> Self {
                Self { source_name: source_name.to_string(), ..Self::default() }
            }

            /// The records without their positions.
            pub fn to_dataset(&self) -> milieu_model::Dataset {
                milieu_model::Dataset {
                    $($field: self.$field.iter().map(|l| l.record.clone()).collect(),)*
                }
            }

            /// Wraps a dataset whose records have no file position (generated, or from JSON
            /// documents): each record gets its item index.
            pub fn from_dataset(source_name: &str, data: milieu_model::Dataset) -> Self {
                Self {
                    source_name: source_name.to_string(),
                    $($field: data.$field.into_iter().enumerate()
                        .map(|(i, record)| Located { position: Position::Item(i), record })
                        .collect(),)*
                }
            }

            pub fn len(&self) -> usize {
                0 $(+ self.$field.len())*
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }
        }
    };
}

located_dataset!(
    organisations: milieu_model::Organisation,
    people: milieu_model::Person,
    affiliations: milieu_model::Affiliation,
    clusters: milieu_model::Cluster,
    initiatives: milieu_model::Initiative,
    memberships: milieu_model::Membership,
    events: milieu_model::Event,
    attendance: milieu_model::Attendance,
    topic_requests: milieu_model::TopicRequest,
    projects: milieu_model::Project,
    participations: milieu_model::Participation,
    ties: milieu_model::Tie,
    introductions: milieu_model::Introduction,
    opportunities: milieu_model::Opportunity,
    outcomes: milieu_model::Outcome,
);
