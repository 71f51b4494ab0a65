//! Bad input through the real binary: exit code 2, one message naming file, line, column and
//! value, and the database unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::Env;

/// A database holding two organisations, o1 and o2.
fn with_two_orgs() -> Env {
    let env = Env::new();
    env.write(
        "orgs.csv",
        b"id,name,kind,region,country,sectors\no1,Acme,firm,R1,DE,334510\no2,Uni,university,R1,DE,\n",
    );
    let out = env.milieu(&["import", "organisations", "orgs.csv"]);
    assert_eq!(out.0, 0, "{}", out.2);
    env
}

/// Imports `content` as `kind` and expects a refusal mentioning every `needles`, with the
/// database unchanged.
fn refuse_import(env: &Env, kind: &str, file: &str, content: &[u8], needles: &[&str]) {
    env.write(file, content);
    let err = env.refuse_unchanged(&["import", kind, file], needles, Env::status);
    assert_eq!(err.lines().count(), 1, "one clear message: {err}");
}

fn ties(rows: &str) -> Vec<u8> {
    format!("from_id,to_id,kind,start\n{rows}").into_bytes()
}

#[test]
fn malformed_row_is_refused_with_its_line() {
    let env = with_two_orgs();
    refuse_import(
        &env,
        "ties",
        "t.csv",
        &ties("o1,o2,alliance,2024-01-01\no1,o2,friendship,2024-02-01\n"),
        &[
            "t.csv",
            "line 3",
            "column kind",
            "\"friendship\"",
            "alliance",
        ],
    );
}

#[test]
fn unknown_reference_is_refused() {
    let env = with_two_orgs();
    refuse_import(
        &env,
        "ties",
        "t.csv",
        &ties("o1,o2,alliance,2024-01-01\no1,ghost,sale,2024-02-01\n"),
        &["line 3", "column to_id", "\"ghost\"", "known organisation"],
    );
}

#[test]
fn bad_date_is_refused() {
    let env = with_two_orgs();
    refuse_import(
        &env,
        "ties",
        "t.csv",
        &ties("o1,o2,alliance,2024-02-30\n"),
        &["line 2", "column start", "2024-02-30", "YYYY-MM-DD"],
    );
}

#[test]
fn duplicate_id_in_file_and_in_database_are_refused() {
    let env = with_two_orgs();
    refuse_import(
        &env,
        "organisations",
        "dup.csv",
        b"id,name,kind,region,country,sectors\nn1,New,firm,,,\nn1,Again,firm,,,\n",
        &["line 3", "column id", "\"n1\"", "line 2"],
    );
    refuse_import(
        &env,
        "organisations",
        "dup2.csv",
        b"id,name,kind,region,country,sectors\nn2,New,firm,,,\no1,Clash,firm,,,\n",
        &["line 3", "\"o1\"", "already in the database"],
    );
}

#[test]
fn missing_column_is_refused() {
    let env = with_two_orgs();
    refuse_import(
        &env,
        "ties",
        "t.csv",
        b"from_id,to_id,kind\no1,o2,alliance\n",
        &["line 1", "column start", "required columns"],
    );
}

#[test]
fn wrong_encoding_is_refused() {
    let env = with_two_orgs();
    refuse_import(
        &env,
        "organisations",
        "latin1.csv",
        b"id,name,kind,region,country,sectors\nn1,M\xfcller GmbH,firm,,,\n",
        &["line 2", "column name", "UTF-8"],
    );
}

#[test]
fn empty_file_is_refused() {
    let env = with_two_orgs();
    refuse_import(&env, "ties", "empty.csv", b"", &["empty.csv", "empty"]);
    refuse_import(
        &env,
        "ties",
        "header_only.csv",
        b"from_id,to_id,kind,start\n",
        &["header_only.csv", "none"],
    );
}

#[test]
fn several_files_are_one_transaction() {
    let env = with_two_orgs();
    let before = env.status();
    env.write(
        "good.csv",
        b"id,name,kind,region,country,sectors\nn1,Fine,firm,,,\n",
    );
    env.write("bad.csv", ties("n1,o9,alliance,2024-01-01\n"));
    // Two kinds need two commands; within one kind, two files are one batch.
    env.write(
        "good2.csv",
        b"id,name,kind,region,country,sectors\nn2,Fine,firm,,,\n",
    );
    env.write(
        "bad2.csv",
        b"id,name,kind,region,country,sectors\nn3,Bad,firm,,XX1,\n",
    );
    let (code, _, err) = env.milieu(&["import", "organisations", "good2.csv", "bad2.csv"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bad2.csv") && err.contains("column country"),
        "{err}"
    );
    assert_eq!(env.status(), before);
}

#[test]
fn json_errors_name_the_item() {
    let env = with_two_orgs();
    refuse_import(&env,
        "organisations",
        "o.json",
        br#"[{"id": "j1", "name": "Fine", "kind": "firm"}, {"id": "j2", "name": "Bad", "kind": "bank"}]"#,
        &["o.json", "item 1", "bank"],
    );
}

#[test]
fn add_and_edit_use_the_same_checks() {
    let env = with_two_orgs();
    let (code, _, err) = env.milieu(&["org", "add", "--id", "n1", "--name", "X", "--kind", "bank"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("column kind") && err.contains("research_institute"),
        "{err}"
    );
    let (code, _, err) = env.milieu(&["org", "edit", "o1", "--parent-id", "nobody"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("parent_id") && err.contains("nobody"), "{err}");
    let (code, _, err) = env.milieu(&[
        "org",
        "edit",
        "o1",
        "--employees",
        "25",
        "--stage",
        "growth",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, shown, _) = env.milieu(&["org", "show", "o1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["employees"], 25);
    assert_eq!(v["stage"], "growth");
    let (code, _, _) = env.milieu(&["org", "show", "nobody"]);
    assert_eq!(code, 2);
}

#[test]
fn export_imports_again() {
    let env = with_two_orgs();
    env.write(
        "ties.csv",
        b"from_id,to_id,kind,start,strength,visibility\no1,o2,rnd,2023-05-01,4,public\n",
    );
    assert_eq!(env.milieu(&["import", "ties", "ties.csv"]).0, 0);
    let (code, csv, _) = env.milieu(&["export", "ties", "--format", "csv"]);
    assert_eq!(code, 0);
    // Import the export into a second database: same records back.
    let other = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_milieu"))
            .args(["--db", other.path().join("b.db").to_str().unwrap()])
            .args(args)
            .current_dir(env.dir.path())
            .output()
            .unwrap()
    };
    let (_, orgs, _) = env.milieu(&["export", "organisations", "--format", "csv"]);
    env.write("orgs_export.csv", orgs.as_bytes());
    env.write("ties_export.csv", csv.as_bytes());
    let imported = run(&["import", "organisations", "orgs_export.csv"]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(run(&["import", "ties", "ties_export.csv"]).status.success());
    let again = run(&["export", "ties", "--format", "csv"]);
    assert_eq!(String::from_utf8_lossy(&again.stdout), csv);
}

#[test]
fn graph_export_is_well_formed() {
    let env = with_two_orgs();
    env.write(
        "ties.csv",
        b"from_id,to_id,kind,start,end\no1,o2,rnd,2020-01-01,2021-01-01\no2,o1,sale,2022-01-01,\n",
    );
    assert_eq!(env.milieu(&["import", "ties", "ties.csv"]).0, 0);
    // Ties nobody classified are private: the staff's export leaves them out unless asked.
    let (code, default_view, _) = env.milieu(&["export", "graph", "--format", "gexf"]);
    assert_eq!(code, 0);
    assert_eq!(default_view.matches("<edge ").count(), 0);
    let (code, gexf, _) = env.milieu(&["export", "graph", "--format", "gexf", "--include-private"]);
    assert_eq!(code, 0);
    assert_eq!(gexf.matches("<edge ").count(), 2);
    assert!(gexf.contains(r#"end="2021-01-01""#));
    let (_, graphml, _) = env.milieu(&[
        "export",
        "graph",
        "--format",
        "graphml",
        "--at",
        "2020-06-01",
        "--include-private",
    ]);
    assert_eq!(graphml.matches("<edge ").count(), 1);
    assert_eq!(graphml.matches("<node ").count(), 2);
    let (code, _, err) = env.milieu(&["export", "graph", "--format", "svg"]);
    assert_eq!(code, 2, "{err}");
}

fn shared_data() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let dir = std::env::var_os("MILIEU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or(root);
    dir.is_dir().then_some(dir)
}

#[test]
fn cordis_import_reads_the_shared_table() {
    let Some(data) = shared_data() else {
        eprintln!("skipped: ../shared/data is absent");
        return;
    };
    let env = with_two_orgs();
    let d = data.join("cordis-h2020-participations");
    let (code, out, err) = env.milieu(&[
        "import",
        "cordis",
        d.join("h2020_participations_before_2018.csv.gz")
            .to_str()
            .unwrap(),
        "--programme-parts",
        d.join("h2020_project_programme_parts_before_2018.csv.gz")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // Figures from the file's SOURCE.txt: 70,724 participations, 15,004 projects.
    assert!(out.contains("imported 70724 participations"), "{out}");
    assert!(out.contains("imported 15004 projects"), "{out}");
    let (_, json, _) = env.milieu(&["project", "show", "207027", "--format", "json"]);
    let p: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(p["topics"][0], "LEIT");
    assert_eq!(p["start"], "2017-01-01");
}

#[test]
fn demo_is_deterministic_and_checked() {
    let env = with_two_orgs();
    let (code, _, err) = env.milieu(&["demo", "--orgs", "60"]);
    assert_eq!(code, 2, "a non-empty database is refused: {err}");
    assert!(err.contains("--replace"));
    let (code, first, err) = env.milieu(&["demo", "--orgs", "60", "--seed", "3", "--replace"]);
    assert_eq!(code, 0, "{err}");
    let ties1 = env.milieu(&["export", "ties", "--format", "csv"]).1;
    let (code, _, _) = env.milieu(&["demo", "--orgs", "60", "--seed", "3", "--replace"]);
    assert_eq!(code, 0);
    assert_eq!(env.milieu(&["export", "ties", "--format", "csv"]).1, ties1);
    assert!(first.contains("organisations"));
    assert!(ties1.lines().count() > 10);
}

#[test]
fn tie_dated_before_its_event_is_refused() {
    let env = with_two_orgs();
    env.write(
        "events.csv",
        b"id,kind,title,date\ne1,workshop,Sensors day,2024-05-10\n",
    );
    assert_eq!(env.milieu(&["import", "events", "events.csv"]).0, 0);
    refuse_import(&env,
        "ties",
        "t.csv",
        b"from_id,to_id,kind,start,source,event_id\no1,o2,knowledge,2024-05-10,event,e1\no1,o2,lead,2024-05-01,event,e1\n",
        &["line 3", "column start", "2024-05-01", "on or after 2024-05-10", "event e1"],
    );
}
