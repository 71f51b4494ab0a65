//! Errors: user-input problems name the file, the JSON path, the value and what was expected.

use serde::Serialize;
use std::fmt;

/// One thing wrong with an input file, located by its JSON path (e.g. `requests[12].to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputProblem {
    /// Stable machine code, e.g. `unknown_participant`.
    pub code: &'static str,
    /// JSON path of the offending field, e.g. `requests[12].to`.
    pub path: String,
    /// The offending value as written in the file.
    pub value: String,
    /// What was expected instead (or why the value is wrong).
    pub expected: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (value {}) [{}]",
            self.path, self.expected, self.value, self.code
        )
    }
}

/// Errors of milieu-schedule. Every variant is a user-input error (exit code 2 in the CLI).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not valid JSON or a field has the wrong type.
    #[error("{file}: line {line}, column {column}, at `{path}`: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        path: String,
        message: String,
    },
    /// The JSON is well formed but breaks the contract; every problem found is listed.
    #[error("{file}: {} problem(s) in the input:\n{}", problems.len(), render_problems(problems))]
    Invalid {
        file: String,
        problems: Vec<InputProblem>,
    },
}

// Stable machine codes of the errors, both the user's to fix. The problems of an invalid file
// have codes of their own (`InputProblem::code`, listed in docs/scheduling.md).
milieu_model::error_codes!(Error {
    Error::Json { .. } => "schedule.bad_json", 400;
    Error::Invalid { .. } => "schedule.invalid_input", 400;
});

impl Error {
    /// The individual problems (one for a JSON syntax error).
    pub fn problems(&self) -> Vec<InputProblem> {
        match self {
            Error::Json {
                path,
                message,
                line,
                column,
                ..
            } => vec![InputProblem {
                code: "bad_json",
                path: path.clone(),
                value: format!("line {line}, column {column}"),
                expected: message.clone(),
            }],
            Error::Invalid { problems, .. } => problems.clone(),
        }
    }
}

fn render_problems(problems: &[InputProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Deserialize JSON from a reader, turning serde errors into [`Error::Json`] with the path.
pub(crate) fn from_json_reader<T, R>(reader: R, file: &str) -> Result<T, Error>
where
    T: serde::de::DeserializeOwned,
    R: std::io::Read,
{
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Error::Json {
            file: file.to_string(),
            line: inner.line(),
            column: inner.column(),
            path,
            message: inner.to_string(),
        }
    })?;
    de.end().map_err(|e| Error::Json {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        path: ".".to_string(),
        message: e.to_string(),
    })?;
    Ok(value)
}
