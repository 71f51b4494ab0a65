//! Browser tests: starts the real `milieu serve --demo` on a free loopback port and runs
//! tests/browser/run.mjs (playwright-core driving Debian's /usr/bin/chromium) against it.
//!
//! Skips, saying why, when node, tests/browser/node_modules or /usr/bin/chromium is missing,
//! so `cargo test` passes on a machine without them; `.ci/run` installs all three. The
//! `milieu` binary is built with the cargo running this test (`$CARGO build -p milieu-cli`)
//! into the same target folder, so it is always the current code.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "browser-password-1";
const CHROMIUM: &str = "/usr/bin/chromium";

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Why the browser test cannot run here, if it cannot.
fn missing_prerequisite() -> Option<String> {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|s| s.success()) {
        return Some("node is not on PATH".into());
    }
    if !browser_dir().join("node_modules/playwright-core").is_dir() {
        return Some(format!(
            "{}/node_modules is missing (run `npm ci` there)",
            browser_dir().display()
        ));
    }
    if !Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is missing (apt-get install chromium)"));
    }
    None
}

/// Builds `milieu` into the target folder this test binary lives in and returns its path.
fn milieu_binary() -> PathBuf {
    // <target>/<profile>/deps/browser-<hash>
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary lives in <target>/<profile>/deps")
        .to_path_buf();
    let target_dir = profile_dir.parent().expect("<target>").to_path_buf();
    let profile = profile_dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("debug")
        .to_string();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "build",
        "-p",
        "milieu-cli",
        "--bin",
        "milieu",
        "--target-dir",
    ])
    .arg(&target_dir)
    .current_dir(env!("CARGO_MANIFEST_DIR"));
    if profile == "release" {
        cmd.arg("--release");
    } else if profile != "debug" {
        cmd.args(["--profile", &profile]);
    }
    let status = cmd.status().expect("cargo runs");
    let binary = profile_dir.join(format!("milieu{}", std::env::consts::EXE_SUFFIX));
    assert!(
        status.success() && binary.is_file(),
        "building milieu failed ({status}); expected {}",
        binary.display()
    );
    binary
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until the server answers the login page.
fn wait_ready(server: &mut Server, port: u16) {
    use std::io::{Read, Write};
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("milieu serve exited early with {status}");
        }
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let request = "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            let mut reply = String::new();
            if s.write_all(request.as_bytes()).is_ok()
                && s.read_to_string(&mut reply).is_ok()
                && reply.starts_with("HTTP/1.1 200")
            {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "milieu serve did not answer on port {port} within 300 s"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A tie private to two firms, neither of them the member account's organisation.
fn private_tie_of_others(db: &Path) -> (String, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = milieu_store::open(db.to_str().unwrap()).await.unwrap();
        let member = store
            .user_get("member")
            .await
            .unwrap()
            .and_then(|u| u.org)
            .expect("the demo member account acts for an organisation");
        let data = store.dataset().await.unwrap();
        let tie = data
            .ties
            .iter()
            .find(|t| {
                t.visibility == milieu_model::Visibility::Private
                    && t.from.as_str() != member
                    && t.to.as_str() != member
            })
            .expect("the demo region has private ties between other firms");
        (member, tie.id.to_string())
    })
}

#[test]
fn every_role_browses_the_pages_in_chromium() {
    if let Some(why) = missing_prerequisite() {
        println!("skipped: {why}");
        eprintln!("browser test skipped: {why}");
        return;
    }
    let binary = milieu_binary();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let port = free_port();
    let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
    let child = Command::new(&binary)
        .arg("--db")
        .arg(&db)
        .args(["serve", "--demo", "--demo-password", PASSWORD, "--addr"])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("milieu serve starts");
    let mut server = Server(child);
    wait_ready(&mut server, port);
    let (member_org, tie) = private_tie_of_others(&db);

    let screenshots =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    let status = Command::new("node")
        .arg("run.mjs")
        .current_dir(browser_dir())
        .env("MILIEU_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("MILIEU_PASSWORD", PASSWORD)
        .env("MILIEU_MEMBER_ORG", &member_org)
        .env("MILIEU_PRIVATE_TIE", &tie)
        .env("MILIEU_SCREENSHOTS", &screenshots)
        .env("CHROMIUM", CHROMIUM)
        .status()
        .expect("node runs");
    let serve_log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default();
    drop(server);
    assert!(
        status.success(),
        "the browser tests failed (steps above; screenshots in {}); server log:\n{}",
        screenshots.display(),
        serve_log
            .chars()
            .rev()
            .take(4000)
            .collect::<String>()
            .chars()
            .rev()
            .collect::<String>()
    );
}
