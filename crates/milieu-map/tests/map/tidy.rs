//! The layer rule of milieu-map's manifest.

#[test]
fn layering_l1_depends_on_no_other_milieu_crate() {
    // milieu-map is L1: pure computation; it may depend on milieu-model only.
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("# Layer L1"),
        "the layer rule comment must stay in Cargo.toml"
    );
    let mut section = String::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        if section.contains("dependencies") && line.starts_with("milieu-") {
            assert!(
                line.starts_with("milieu-model"),
                "L1 crate depends on {line}"
            );
        }
        for banned in ["tokio", "sqlx", "axum", "reqwest"] {
            assert!(
                !(section.contains("dependencies") && line.starts_with(banned)),
                "no IO/async deps: {line}"
            );
        }
    }
}
