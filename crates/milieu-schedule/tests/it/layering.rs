//! Architecture rule: milieu-schedule is an L1 crate; it depends on no other milieu crate
//! except milieu-model.

#[test]
fn depends_on_no_other_milieu_crate() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("read Cargo.toml");
    let mut section = String::new();
    let mut offending = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let is_dependency_section = section.contains("dependencies");
        let name = line.split(['=', '.', ' ']).next().unwrap_or("");
        if is_dependency_section && name.starts_with("milieu") && name != "milieu-model" {
            offending.push(format!("{section} {name}"));
        }
    }
    assert!(
        offending.is_empty(),
        "milieu-schedule (L1) must not depend on {offending:?}"
    );
    assert!(manifest.contains("# Layer L1"));
}
