//! `milieu user`: accounts for the web server, through the real binary.

use std::io::Write;
use std::process::{Command, Stdio};

fn milieu(dir: &std::path::Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_milieu"))
        .args(["--db", dir.join("u.db").to_str().unwrap()])
        .args(args)
        .env_remove("MILIEU_DB")
        .env_remove("MILIEU_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn accounts_are_created_listed_and_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("orgs.csv"),
        "id,name,kind,region,country,sectors\no1,Acme,firm,R1,DE,334510\n",
    )
    .unwrap();
    assert_eq!(
        milieu(
            d,
            &[
                "import",
                "organisations",
                d.join("orgs.csv").to_str().unwrap()
            ],
            ""
        )
        .0,
        0
    );

    let (code, out, err) = milieu(
        d,
        &["user", "add", "alice", "--role", "admin"],
        "a long password\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("account alice created (admin)"), "{out}");

    for (args, stdin, needle) in [
        (
            vec!["user", "add", "bob", "--role", "owner"],
            "a long password\n",
            "unknown role \"owner\"",
        ),
        (
            vec!["user", "add", "bob", "--role", "member"],
            "a long password\n",
            "needs the organisation",
        ),
        (
            vec!["user", "add", "bob", "--role", "member", "--org", "o404"],
            "a long password\n",
            "o404",
        ),
        (
            vec!["user", "add", "bob", "--role", "admin", "--org", "o1"],
            "a long password\n",
            "takes no --org",
        ),
        (
            vec!["user", "add", "bob", "--role", "admin"],
            "short\n",
            "too short",
        ),
        (
            vec!["user", "add", "b ob", "--role", "admin"],
            "a long password\n",
            "username",
        ),
        (
            vec!["user", "add", "alice", "--role", "admin"],
            "a long password\n",
            "already exists",
        ),
        (
            vec!["user", "passwd", "nobody"],
            "a long password\n",
            "not found",
        ),
    ] {
        let (code, _, err) = milieu(d, &args, stdin);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }

    let (code, out, _) = milieu(
        d,
        &["user", "add", "bob", "--role", "member", "--org", "o1"],
        "another password\n",
    );
    assert_eq!(code, 0);
    assert!(out.contains("acts for o1"));
    let (_, list, _) = milieu(d, &["user", "list"], "");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert!(lines[1].starts_with("alice") && lines[1].contains("admin"));
    assert!(lines[2].starts_with("bob") && lines[2].contains("member") && lines[2].contains("o1"));
    // The hash, never the password, is stored.
    let db = std::fs::read(d.join("u.db")).unwrap();
    assert!(!db.windows(15).any(|w| w == b"a long password"));

    let (code, out, _) = milieu(d, &["user", "disable", "bob"], "");
    assert_eq!(code, 0);
    assert!(out.contains("bob disabled"));
    let (_, list, _) = milieu(d, &["user", "list"], "");
    assert!(list.lines().nth(2).unwrap().contains("disabled"));
}

#[test]
fn serve_refuses_a_bad_address_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = milieu(dir.path(), &["serve", "--addr", "localhost"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--addr \"localhost\""), "{err}");
}
