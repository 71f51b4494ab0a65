//! Follow-ups and evaluation through the real binary: the round trip event -> follow-up due ->
//! answer -> outcome and tie in the KPIs, the tie list and the report; refusals with exit 2 and
//! nothing stored; the demo region end to end.

use std::path::PathBuf;
use std::process::Command;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn write(&self, name: &str, content: &str) {
        std::fs::write(self.path(name), content).unwrap();
    }
    fn milieu(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_milieu"))
            .args(["--db", self.path("test.db").to_str().unwrap()])
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("MILIEU_DB")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.milieu(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    }
    /// Refused with exit 2, a message containing `needle`, and the database unchanged.
    fn refuse(&self, args: &[&str], needle: &str) {
        let before = self.state();
        let (code, _, err) = self.milieu(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(self.state(), before, "{args:?} changed the database");
    }
    fn state(&self) -> (String, String, String) {
        (
            self.ok(&["status", "--format", "csv"]),
            self.ok(&["followup", "list", "--format", "csv"]),
            self.ok(&["evaluate", "target", "list", "--format", "csv"]),
        )
    }
}

/// (numerator, denominator) of a KPI in a period; 0 for an empty denominator.
fn kpi(csv: &str, period: &str, name: &str) -> (f64, f64) {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|c| c[0] == period && c[3] == name)
        .map(|c| (c[5].parse().unwrap(), c[6].parse().unwrap_or(0.0)))
        .unwrap_or_else(|| panic!("no {name} in {period}:\n{csv}"))
}

/// Two members meet at an event; six months later one answers its follow-up.
fn small() -> Env {
    let env = Env::new();
    env.write(
        "data.json",
        r#"{
      "initiatives": [{"id":"i1","name":"Photonics <Valley>","started":"2024-01-01"}],
      "organisations": [
        {"id":"a","name":"A","kind":"firm","country":"DE","motivations":["leads"]},
        {"id":"b","name":"B","kind":"firm","country":"FR"}
      ],
      "memberships": [
        {"initiative":"i1","org":"a","role":"member","from":"2024-01-01"},
        {"initiative":"i1","org":"b","role":"member","from":"2024-01-01"}
      ],
      "events": [{"id":"ev1","kind":"networking_meeting","title":"Kick-off","date":"2024-01-10","initiative":"i1"}],
      "attendance": [
        {"event":"ev1","org":"a","role":"attendee"},
        {"event":"ev1","org":"b","role":"attendee"}
      ],
      "ties": [{"id":"t1","from":"a","to":"b","kind":"other","start":"2024-01-10","source":"event","event":"ev1","visibility":"staff"}]
    }"#,
    );
    env.ok(&["import", "dataset", "data.json"]);
    env
}

#[test]
fn followup_round_trip_reaches_kpis_ties_and_report() {
    let env = small();
    let due = env.ok(&["followup", "due", "--on", "2024-07-10", "--format", "csv"]);
    // a and b, at 1 and 6 months.
    assert_eq!(due.lines().count(), 1 + 4, "{due}");
    assert!(due.contains("fu:event:ev1:a:6m"));
    // Planning again creates nothing new.
    let (_, _, err) = env.milieu(&["followup", "due", "--on", "2024-07-10"]);
    assert!(err.contains("0 follow-up(s) created"), "{err}");
    env.ok(&["followup", "send", "--on", "2024-07-10", "--dir", "out"]);
    let msg = std::fs::read_to_string(env.path("out/fu_event_ev1_a_6m.txt")).unwrap();
    assert!(
        msg.contains("Kick-off") && msg.contains("contact_kept"),
        "{msg}"
    );

    let before = env.ok(&[
        "evaluate",
        "kpis",
        "--initiative",
        "i1",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "csv",
    ]);
    assert_eq!(kpi(&before, "2024-Q1", "ties_kept_6m"), (0.0, 1.0));

    env.ok(&[
        "followup",
        "record",
        "--id",
        "fu:event:ev1:a:6m",
        "--answer",
        "contact_kept",
        "--partner",
        "b",
        "--trust",
        "4",
        "--strength",
        "3",
        "--date",
        "2024-07-12",
    ]);
    let after = env.ok(&[
        "evaluate",
        "kpis",
        "--initiative",
        "i1",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "csv",
    ]);
    // Formed once (Q1), kept once at 6 months; the confirmation is not a second tie.
    assert_eq!(kpi(&after, "2024-Q1", "ties_formed").0, 1.0);
    assert_eq!(kpi(&after, "2024-Q3", "ties_formed").0, 0.0);
    assert_eq!(kpi(&after, "2024-Q1", "ties_kept_6m"), (1.0, 1.0));
    assert_eq!(kpi(&after, "2024-Q3", "outcomes_contact_kept").0, 1.0);
    let ties = env.ok(&["tie", "list", "--format", "csv"]);
    assert!(ties.contains("a~b~other~2024-07-12"), "{ties}");
    let listed = env.ok(&["followup", "list", "--format", "csv"]);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("fu:event:ev1:a:6m,") && l.contains("answered")),
        "{listed}"
    );

    env.ok(&[
        "evaluate",
        "report",
        "--initiative",
        "i1",
        "--out",
        "r.html",
        "--to",
        "2024-12-31",
    ]);
    let html = std::fs::read_to_string(env.path("r.html")).unwrap();
    assert!(html.contains("Photonics &lt;Valley&gt;"));
    assert!(html.contains("<svg") && html.contains("ties_kept_6m"));
}

#[test]
fn bad_answers_and_targets_exit_2_and_store_nothing() {
    let env = small();
    env.ok(&["followup", "due", "--on", "2024-07-10"]);
    env.refuse(
        &[
            "followup",
            "record",
            "--id",
            "fu:nope",
            "--answer",
            "lead",
            "--partner",
            "b",
        ],
        "fu:nope",
    );
    env.refuse(
        &[
            "followup",
            "record",
            "--id",
            "fu:event:ev1:a:6m",
            "--answer",
            "lead",
            "--partner",
            "b",
            "--date",
            "2024-01-01",
        ],
        "2024-01-10",
    );
    env.refuse(
        &[
            "followup",
            "record",
            "--id",
            "fu:event:ev1:a:6m",
            "--answer",
            "maybe",
            "--date",
            "2024-07-12",
        ],
        "maybe",
    );
    env.refuse(
        &[
            "followup",
            "record",
            "--id",
            "fu:event:ev1:a:6m",
            "--answer",
            "sale",
            "--partner",
            "zz",
            "--date",
            "2024-07-12",
        ],
        "zz",
    );
    env.refuse(
        &[
            "evaluate",
            "target",
            "add",
            "--initiative",
            "i1",
            "--kpi",
            "happiness",
            "--value",
            "3",
            "--by",
            "2025-12-31",
        ],
        "happiness",
    );
    env.refuse(
        &[
            "evaluate",
            "target",
            "add",
            "--initiative",
            "nope",
            "--kpi",
            "ties_formed",
            "--value",
            "3",
            "--by",
            "2025-12-31",
        ],
        "nope",
    );
    env.ok(&[
        "evaluate",
        "target",
        "add",
        "--initiative",
        "i1",
        "--kpi",
        "ties_formed",
        "--value",
        "3",
        "--by",
        "2024-06-30",
    ]);
    let alerts = env.ok(&[
        "evaluate",
        "alerts",
        "--initiative",
        "i1",
        "--as-of",
        "2024-12-31",
        "--format",
        "csv",
    ]);
    assert!(alerts.contains("kpi_missed,ties_formed"), "{alerts}");
    // A second answer to the same follow-up is refused.
    env.ok(&[
        "followup",
        "record",
        "--id",
        "fu:event:ev1:a:6m",
        "--answer",
        "nothing_yet",
        "--date",
        "2024-07-12",
    ]);
    env.refuse(
        &[
            "followup",
            "record",
            "--id",
            "fu:event:ev1:a:6m",
            "--answer",
            "lead",
            "--partner",
            "b",
            "--date",
            "2024-07-13",
        ],
        "already answered",
    );
}

#[test]
fn demo_region_evaluates_without_error() {
    let env = Env::new();
    env.ok(&["demo", "--orgs", "120"]);
    let kpis = env.ok(&["evaluate", "kpis", "--by", "year", "--format", "csv"]);
    assert!(kpis.lines().count() > 29, "{kpis}");
    let ini = env.ok(&["initiative", "list", "--format", "csv"]);
    let first = ini
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    env.ok(&[
        "evaluate",
        "kpis",
        "--initiative",
        &first,
        "--format",
        "json",
    ]);
    env.ok(&["evaluate", "alerts", "--format", "csv"]);
    env.ok(&["evaluate", "benchmark", "--format", "csv"]);
    env.ok(&["evaluate", "self-assessment", "--format", "csv"]);
    env.ok(&["evaluate", "motivations", "--format", "csv"]);
    env.ok(&[
        "evaluate",
        "report",
        "--initiative",
        &first,
        "--out",
        "demo.html",
    ]);
    let (_, _, err) = env.milieu(&["followup", "due", "--on", "2030-01-01"]);
    assert!(err.contains("created"), "{err}");
}
