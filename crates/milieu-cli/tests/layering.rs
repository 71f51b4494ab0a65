//! Tidy check: a crate depends only on milieu crates of lower layers, and the L1 analytics
//! crates do not depend on each other (read from `cargo metadata`).

use std::collections::HashMap;
use std::process::Command;

fn layer(name: &str) -> Option<u8> {
    Some(match name {
        "milieu-model" => 0,
        "milieu-io" | "milieu-demo" | "milieu-map" | "milieu-net" | "milieu-match"
        | "milieu-eval" | "milieu-schedule" => 1,
        "milieu-store" | "milieu-report" => 2,
        "milieu-app" => 3,
        "milieu-web" => 4,
        "milieu-cli" => 5,
        _ => return None,
    })
}

#[test]
fn crates_depend_only_on_lower_layers() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut edges: HashMap<String, Vec<String>> = HashMap::new();
    for package in meta["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap().to_string();
        let deps = package["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            // Dev-dependencies may cross layers (test oracles); normal and build ones may not.
            .filter(|d| d["kind"].is_null() || d["kind"] == "build")
            .map(|d| d["name"].as_str().unwrap().to_string())
            .filter(|d| d.starts_with("milieu-"))
            .collect();
        edges.insert(name, deps);
    }
    assert!(edges.contains_key("milieu-model"));
    for (krate, deps) in &edges {
        let Some(own) = layer(krate) else {
            panic!("{krate} has no layer: add it to ARCHITECTURE.md and this test");
        };
        for dep in deps {
            let theirs = layer(dep).unwrap_or_else(|| panic!("{dep} has no layer"));
            assert!(
                theirs < own,
                "{krate} (L{own}) must not depend on {dep} (L{theirs})"
            );
        }
    }
}
