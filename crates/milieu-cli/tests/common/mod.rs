//! The harness shared by the CLI's integration tests: a temporary directory with its own
//! database (`test.db`), a runner for the real `milieu` binary in that directory, and the
//! assertions the tests make on it.
//!
//! Every test file declares `mod common; use common::Env;`. A refusal is always exit code 2
//! with every needle in stderr; [`Env::refuse_one_line`] also wants a single line of message,
//! [`Env::refuse_one_error`] a single `error` line among notes, and [`Env::refuse_unchanged`]
//! a database that the refused command left as it was.
//! Fixtures that only one file needs (a small registry, a demo region) stay in that file.

// Each test binary compiles this module and uses a subset of it.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Debug;
use std::path::PathBuf;
use std::process::Command;

/// A temporary directory holding the database `test.db` and the files a test writes.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// An empty directory; the database is created by the first command that needs it.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The path of `name` inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `content` to `name` inside the directory; returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Reads `name` inside the directory as JSON.
    pub fn read_json(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.path(name)).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {text}"))
    }

    /// Runs milieu in the directory with `--db test.db`; returns (exit code, stdout, stderr).
    pub fn milieu(&self, args: &[&str]) -> (i32, String, String) {
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

    /// Runs milieu and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.milieu(args);
        assert_eq!(code, 0, "milieu {args:?} failed: {err}");
        out
    }

    /// Runs a listing with `--format csv` appended and parses it into records keyed by column.
    pub fn csv(&self, args: &[&str]) -> Vec<HashMap<String, String>> {
        let mut all = args.to_vec();
        all.extend(["--format", "csv"]);
        parse_csv(&self.ok(&all))
    }

    /// Runs a command with `--format json` appended, expects success and parses the output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
    }

    /// Writes `content` to `file` and imports it as `kind`, expecting success.
    pub fn import(&self, kind: &str, file: &str, content: &str) {
        self.write(file, content);
        self.ok(&["import", kind, file]);
    }

    /// The registry's counts (`milieu status --format csv`).
    pub fn status(&self) -> String {
        self.ok(&["status", "--format", "csv"])
    }

    /// Expects exit code 2 with every needle in stderr; returns stderr.
    pub fn refuse(&self, args: &[&str], needles: &[&str]) -> String {
        let (code, out, err) = self.milieu(args);
        assert_eq!(
            code, 2,
            "milieu {args:?}: exit code {code} (stdout {out:?}, stderr {err:?})"
        );
        for n in needles {
            assert!(
                err.contains(n),
                "milieu {args:?}: message {err:?} lacks {n:?}"
            );
        }
        err
    }

    /// As [`Env::refuse`], and the message is one line.
    pub fn refuse_one_line(&self, args: &[&str], needles: &[&str]) -> String {
        let err = self.refuse(args, needles);
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "milieu {args:?}: one clear message: {err}"
        );
        err
    }

    /// As [`Env::refuse`], with exactly one `error` line (notes may precede it).
    pub fn refuse_one_error(&self, args: &[&str], needles: &[&str]) -> String {
        let err = self.refuse(args, needles);
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "milieu {args:?}: one error: {err}"
        );
        err
    }

    /// As [`Env::refuse`], and `snapshot` of the database is the same after as before.
    pub fn refuse_unchanged<S: PartialEq + Debug>(
        &self,
        args: &[&str],
        needles: &[&str],
        snapshot: impl Fn(&Env) -> S,
    ) -> String {
        let before = snapshot(self);
        let err = self.refuse(args, needles);
        assert_eq!(
            snapshot(self),
            before,
            "milieu {args:?} changed the database"
        );
        err
    }
}

/// Parses CSV text with a header into records keyed by column.
pub fn parse_csv(text: &str) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}
