//! Architecture rules checked as tests: milieu-net is an L1 crate (no other milieu crate
//! except milieu-model, no IO, no async).

use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn depends_on_no_other_milieu_crate() {
    let manifest = std::fs::read_to_string(crate_dir().join("Cargo.toml")).unwrap();
    assert!(manifest.contains(
        "# Layer L1: depends on no other milieu crate except milieu-model; no IO, no async."
    ));
    let mut section = String::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        if section.contains("dependencies") && line.starts_with("milieu") {
            assert!(
                line.starts_with("milieu-model"),
                "forbidden dependency in {section}: {line}"
            );
        }
        if section == "[dependencies]" {
            for banned in ["tokio", "sqlx", "axum", "reqwest"] {
                assert!(
                    !line.starts_with(banned),
                    "L1 crate must not depend on {banned}"
                );
            }
        }
    }
}

#[test]
fn library_does_no_io() {
    for entry in std::fs::read_dir(crate_dir().join("src")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for banned in [
            "std::fs",
            "std::net",
            "File::open",
            "std::process",
            "async fn",
        ] {
            assert!(!text.contains(banned), "{}: uses {banned}", path.display());
        }
    }
}

/// `Measure::columns` names exactly the node-row fields after `id`, `group`, `region`, in row
/// order, so the CLI's column selection cannot drift from `NodeRow`.
#[test]
fn measure_columns_cover_the_node_row_in_order() {
    use milieu_net::metrics::{Measure, NodeRow};
    let row = serde_json::to_value(NodeRow::default()).unwrap();
    let fields: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut listed = vec!["id", "group", "region"];
    for m in Measure::ALL {
        listed.extend_from_slice(m.columns());
        for c in m.columns() {
            assert_eq!(Measure::parse(c).unwrap(), m, "{c} parses to its family");
        }
    }
    assert_eq!(listed, fields);
}
