//! Tidy checks of the whole workspace, run as ordinary tests so that `cargo test` is the whole
//! gate (rust-analyzer's xtask tidy is the model):
//! - each crate's layer is read from its Cargo.toml (`# Layer L<n>: ...`), and ARCHITECTURE.md
//!   names every crate with the same layer (in the table and in its section heading);
//! - a crate depends (normal and build dependencies, from `cargo metadata`) only on milieu
//!   crates of lower layers, so the L1 crates do not depend on each other;
//! - every `src/**/*.rs` starts with a module doc (`//!`);
//! - no .rs file is longer than [`MAX_LINES`] lines, so files are split along features before
//!   they grow past what a reader holds in mind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The longest a source file may be.
const MAX_LINES: usize = 1000;

/// Folders under `crates/` that hold no source of ours (build output, vendored or generated
/// code): the file checks skip them.
const NOT_OURS: &[&str] = &["target", "node_modules", "vendor", "generated"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/milieu-cli sits two levels below the workspace")
        .to_path_buf()
}

/// Every member crate: name -> manifest path, from `cargo metadata`, with its milieu
/// dependencies that are not dev-dependencies (test oracles may cross layers).
struct Member {
    manifest: PathBuf,
    dependencies: Vec<String>,
}

fn members() -> BTreeMap<String, Member> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(workspace())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            let dependencies = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null() || d["kind"] == "build")
                .map(|d| d["name"].as_str().unwrap().to_string())
                .filter(|d| d.starts_with("milieu-"))
                .collect();
            (
                package["name"].as_str().unwrap().to_string(),
                Member {
                    manifest: PathBuf::from(package["manifest_path"].as_str().unwrap()),
                    dependencies,
                },
            )
        })
        .collect()
}

/// The layer a manifest states in its `# Layer L<n>: ...` comment line.
fn manifest_layer(manifest: &Path) -> Result<u8, String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| e.to_string())?;
    let layers: Vec<u8> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# Layer L"))
        .filter_map(|rest| rest.split(':').next()?.trim().parse().ok())
        .collect();
    match layers[..] {
        [layer] => Ok(layer),
        [] => Err(format!(
            "{}: no `# Layer L<n>: ...` line saying the crate's layer",
            manifest.display()
        )),
        _ => Err(format!("{}: more than one layer line", manifest.display())),
    }
}

fn layers() -> BTreeMap<String, u8> {
    members()
        .into_iter()
        .map(|(name, m)| {
            let layer = manifest_layer(&m.manifest).unwrap_or_else(|e| panic!("{e}"));
            (name, layer)
        })
        .collect()
}

#[test]
fn crates_depend_only_on_lower_layers() {
    let layers = layers();
    assert!(layers.contains_key("milieu-model"), "{layers:?}");
    let mut problems = Vec::new();
    for (name, member) in members() {
        let own = layers[&name];
        for dep in &member.dependencies {
            let theirs = layers[dep];
            if theirs >= own {
                problems.push(format!("{name} (L{own}) depends on {dep} (L{theirs})"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn architecture_names_every_crate_with_its_layer() {
    let text = std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).unwrap();
    // The table at the top: `L1  milieu-map  ...`.
    let table: BTreeMap<String, u8> = text
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let layer = words.next()?.strip_prefix('L')?.parse().ok()?;
            let name = words.next().filter(|n| n.starts_with("milieu-"))?;
            Some((name.to_string(), layer))
        })
        .collect();
    // The sections: `## milieu-map (L1)`.
    let sections: BTreeMap<String, u8> = text
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.strip_prefix("## ")?.split_once(" (L")?;
            Some((name.to_string(), rest.strip_suffix(')')?.parse().ok()?))
        })
        .collect();
    let layers = layers();
    assert_eq!(
        table, layers,
        "ARCHITECTURE.md's table against the manifests"
    );
    assert_eq!(
        sections, layers,
        "ARCHITECTURE.md's sections against the manifests"
    );
}

/// Every .rs file of ours under `crates/`.
fn rust_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if !NOT_OURS.contains(&name.as_str()) && !name.starts_with('.') {
                    walk(&path, out);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&workspace().join("crates"), &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} files", files.len());
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let missing: Vec<String> = rust_files()
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "src"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty() && !l.starts_with("#!["));
            !first.is_some_and(|l| l.starts_with("//!"))
        })
        .map(|p| relative(&p))
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a module doc (`//!` saying what the module holds): {missing:#?}"
    );
}

#[test]
fn no_source_file_is_longer_than_the_limit() {
    let long: Vec<String> = rust_files()
        .into_iter()
        .filter_map(|p| {
            let lines = std::fs::read_to_string(&p).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", relative(&p)))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these files along their features (at most {MAX_LINES} lines): {long:#?}"
    );
}
