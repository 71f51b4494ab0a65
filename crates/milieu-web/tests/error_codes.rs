//! docs/errors.md lists every error code once, and nothing can emit a code it does not list:
//! the codes every error type declares (`ALL_CODES`) equal the table's, both ways, with the
//! same status; every code string written in the sources is in the table; every code follows
//! the prefix rule (`<area>.<snake_case>`, the area being the crate that declares it).
//!
//! milieu-web sees every crate, so the check lives here.

use milieu_model::Code;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The areas of the prefix rule: each crate's name without `milieu-`.
const AREAS: &[&str] = &[
    "model", "io", "map", "net", "match", "schedule", "eval", "store", "app", "web",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every error type's codes, with the area its crate must use.
fn declared() -> Vec<(&'static str, &'static [Code])> {
    vec![
        ("model", milieu_model::VocabError::ALL_CODES),
        ("io", milieu_io::InputError::ALL_CODES),
        ("map", milieu_map::Error::ALL_CODES),
        ("net", milieu_net::Error::ALL_CODES),
        ("match", milieu_match::MatchError::ALL_CODES),
        ("schedule", milieu_schedule::Error::ALL_CODES),
        ("eval", milieu_eval::Error::ALL_CODES),
        ("store", milieu_store::StoreError::ALL_CODES),
        ("app", milieu_app::AppError::ALL_CODES),
        ("web", milieu_web::WebError::ALL_CODES),
    ]
}

/// One row of the table: status and kind (`user` or `internal`).
#[derive(Debug, PartialEq)]
struct Listed {
    status: u16,
    kind: String,
}

/// The table of docs/errors.md: rows whose first cell is a code in backticks.
fn listed() -> BTreeMap<String, Listed> {
    let text = std::fs::read_to_string(workspace().join("docs/errors.md")).unwrap();
    let mut rows = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // "| `code` | status | kind | meaning | what to do |" splits into 7 cells.
        let Some(code) = cells
            .get(1)
            .and_then(|c| c.strip_prefix('`'))
            .and_then(|c| c.strip_suffix('`'))
        else {
            continue;
        };
        assert_eq!(
            cells.len(),
            7,
            "docs/errors.md: row of {code} has 5 columns"
        );
        let status: u16 = cells[2]
            .parse()
            .unwrap_or_else(|_| panic!("docs/errors.md: status of {code}: {:?}", cells[2]));
        let row = Listed {
            status,
            kind: cells[3].to_string(),
        };
        assert!(
            rows.insert(code.to_string(), row).is_none(),
            "docs/errors.md lists {code} twice"
        );
        assert!(
            !cells[4].is_empty() && !cells[5].is_empty(),
            "docs/errors.md: {code} needs a meaning and what to do"
        );
    }
    assert!(rows.len() > 40, "docs/errors.md: table not found");
    rows
}

fn follows_prefix_rule(code: &str) -> Option<&str> {
    let (area, rest) = code.split_once('.')?;
    let snake = !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_lowercase())
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    (AREAS.contains(&area) && snake).then_some(area)
}

#[test]
fn every_declared_code_is_listed_with_its_status_and_every_listed_code_is_declared() {
    let listed = listed();
    let mut declared_codes: BTreeMap<&str, Code> = BTreeMap::new();
    for (area, codes) in declared() {
        for code in codes {
            let name = code.name();
            assert_eq!(
                follows_prefix_rule(name),
                Some(area),
                "{name}: a code of milieu-{area} is `{area}.<snake_case>`"
            );
            assert!(
                declared_codes.insert(name, *code).is_none(),
                "{name} is declared twice"
            );
        }
    }
    for (name, code) in &declared_codes {
        let row = listed
            .get(*name)
            .unwrap_or_else(|| panic!("{name} can be emitted but docs/errors.md does not list it"));
        assert_eq!(
            row.status,
            code.status(),
            "{name}: status in docs/errors.md"
        );
        let kind = if code.is_user_error() {
            "user"
        } else {
            "internal"
        };
        assert_eq!(row.kind, kind, "{name}: kind in docs/errors.md");
    }
    for name in listed.keys() {
        assert!(
            declared_codes.contains_key(name.as_str()),
            "docs/errors.md lists {name}, which no error type declares"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The sources of every crate (not their tests, which may name codes that must not exist).
fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(workspace().join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 50, "crates/*/src not found");
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .collect()
}

/// The text between any two double quotes that has the form of a code. Every quote is tried
/// as an opening one, so a quote in a char literal or an escape cannot hide a code.
fn code_like_literals(text: &str) -> Vec<&str> {
    text.match_indices('"')
        .filter_map(|(at, _)| {
            let rest = &text[at + 1..];
            let end = rest.find('"')?;
            let inside = &rest[..end];
            follows_prefix_rule(inside).map(|_| inside)
        })
        .collect()
}

#[test]
fn every_code_string_in_the_sources_is_listed() {
    let listed = listed();
    for (file, text) in sources() {
        for literal in code_like_literals(&text) {
            assert!(
                listed.contains_key(literal),
                "{}: code {literal:?} is not listed in docs/errors.md",
                file.display()
            );
        }
    }
}

#[test]
fn codes_are_made_only_from_literals() {
    // A code built from a computed string would escape the check above.
    for (file, text) in sources() {
        if file.ends_with("milieu-model/src/error.rs") {
            continue; // the definition and the `error_codes!` table's expansion
        }
        for (at, _) in text.match_indices("Code::new(") {
            let after = text[at + "Code::new(".len()..].trim_start();
            assert!(
                after.starts_with('"'),
                "{}: Code::new takes the code's name as a string literal",
                file.display()
            );
        }
    }
}

#[test]
fn the_prefix_rule_is_what_it_says() {
    assert_eq!(follows_prefix_rule("net.unknown_node"), Some("net"));
    assert_eq!(follows_prefix_rule("web.not_found"), Some("web"));
    assert_eq!(follows_prefix_rule("not_found"), None);
    assert_eq!(follows_prefix_rule("web.NotFound"), None);
    assert_eq!(follows_prefix_rule("index.html"), None);
    assert_eq!(
        code_like_literals(r#"x("a", "net.csv", '"', "web.bad_input")"#),
        ["net.csv", "web.bad_input"]
    );
}
