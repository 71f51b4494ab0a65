//! `milieu serve` and `milieu user`: the web server and its accounts.

use milieu_app::AppError;
use milieu_app::access::{self, Role};
use milieu_store::AnyStore;
use std::io::BufRead;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Fill an empty database with the demo region, give it one account per role and print
    /// their credentials.
    #[arg(long)]
    demo: bool,
    /// --demo: organisations in the demo region (when the database is empty).
    #[arg(long, default_value_t = 300)]
    demo_orgs: usize,
    /// --demo: the password of every demo account (default: a new random one each start).
    #[arg(long, env = "MILIEU_DEMO_PASSWORD", hide_env_values = true)]
    demo_password: Option<String>,
    /// Mark cookies Secure even on a loopback address (they always are on any other address).
    #[arg(long)]
    secure_cookies: bool,
    /// Largest upload accepted, in MiB.
    #[arg(long, default_value_t = 20)]
    max_upload_mib: usize,
}

#[derive(clap::Subcommand, Debug)]
pub enum UserCmd {
    /// Create an account. The password is read from standard input (one line) or from
    /// MILIEU_PASSWORD.
    Add {
        username: String,
        /// admin, manager, broker, member or funder.
        #[arg(long)]
        role: String,
        /// The organisation a member account acts for.
        #[arg(long)]
        org: Option<String>,
    },
    /// Every account.
    List,
    /// Set an account's password (read like `add`); ends its sessions.
    Passwd { username: String },
    /// Disable or enable an account; ends its sessions.
    Disable {
        username: String,
        #[arg(long)]
        enable: bool,
    },
}

fn read_password() -> Result<String, AppError> {
    if let Ok(p) = std::env::var("MILIEU_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        return Err(AppError::Usage(
            "no password given: pipe it on standard input or set MILIEU_PASSWORD".into(),
        ));
    }
    Ok(p)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

pub async fn run_user(store: &AnyStore, cmd: UserCmd) -> Result<(), AppError> {
    match cmd {
        UserCmd::Add {
            username,
            role,
            org,
        } => {
            let role = Role::parse(&role)?;
            let password = read_password()?;
            let user =
                access::add_user(store, &username, &password, role, org.as_deref(), &now()).await?;
            println!(
                "account {} created ({}{})",
                user.username,
                user.role,
                user.org
                    .map(|o| format!(", acts for {o}"))
                    .unwrap_or_default()
            );
        }
        UserCmd::List => {
            println!(
                "{:<24} {:<8} {:<16} {:<10} created",
                "username", "role", "org", "status"
            );
            for u in store.users().await? {
                println!(
                    "{:<24} {:<8} {:<16} {:<10} {}",
                    u.username,
                    u.role,
                    u.org.unwrap_or_default(),
                    if u.disabled { "disabled" } else { "active" },
                    u.created
                );
            }
        }
        UserCmd::Passwd { username } => {
            let mut user = find(store, &username).await?;
            let password = read_password()?;
            if password.chars().count() < access::MIN_PASSWORD_LEN {
                return Err(AppError::Usage(format!(
                    "the password is too short: at least {} characters",
                    access::MIN_PASSWORD_LEN
                )));
            }
            user.password_hash = access::hash_password(&password)?;
            store.user_update(&user).await?;
            println!("password of {username} changed; its sessions are ended");
        }
        UserCmd::Disable { username, enable } => {
            let mut user = find(store, &username).await?;
            user.disabled = !enable;
            store.user_update(&user).await?;
            println!(
                "{username} {}",
                if enable {
                    "enabled"
                } else {
                    "disabled; its sessions are ended"
                }
            );
        }
    }
    Ok(())
}

async fn find(store: &AnyStore, username: &str) -> Result<milieu_store::UserRecord, AppError> {
    store
        .user_get(username)
        .await?
        .ok_or_else(|| AppError::NotFound {
            kind: "account",
            id: username.to_string(),
        })
}

pub async fn serve(store: AnyStore, db: &str, args: ServeArgs) -> Result<(), AppError> {
    let addr: std::net::SocketAddr = args.addr.parse().map_err(|_| {
        AppError::Usage(format!(
            "--addr {:?}: expected HOST:PORT with an IP address, e.g. 127.0.0.1:8080",
            args.addr
        ))
    })?;
    if args.demo {
        let held: u64 = store.counts().await?.iter().map(|(_, n)| n).sum();
        if held == 0 {
            crate::demo(&store, 42, args.demo_orgs).await?;
        } else {
            println!("{db} already holds {held} records: serving them");
        }
        // A small regional table for the mapping pages, unless the database has tables of its own.
        if store.map_tables().await?.is_empty() {
            milieu_app::map::write_demo_map(&store).await?;
            println!("demo regional table `main` and cluster definitions `demo` written");
        }
        if let Some(p) = &args.demo_password
            && p.chars().count() < access::MIN_PASSWORD_LEN
        {
            return Err(AppError::Usage(format!(
                "--demo-password: at least {} characters",
                access::MIN_PASSWORD_LEN
            )));
        }
        let fixed = args.demo_password.clone();
        let accounts = access::ensure_demo_accounts(
            &store,
            |_| fixed.clone().unwrap_or_else(random_password),
            &now(),
        )
        .await?;
        println!("demo accounts (one per role):");
        println!(
            "  {:<8} {:<10} {:<24} organisation",
            "role", "username", "password"
        );
        for a in &accounts {
            println!(
                "  {:<8} {:<10} {:<24} {}",
                a.role.as_str(),
                a.username,
                a.password,
                a.org.clone().unwrap_or_default()
            );
        }
    }
    let options = milieu_web::ServeOptions {
        secure_cookies: args.secure_cookies || !addr.ip().is_loopback(),
        max_upload_bytes: args.max_upload_mib.saturating_mul(1024 * 1024),
        ..Default::default()
    };
    let state = milieu_web::AppState::new(store, options);
    println!("milieu serving {db} on http://{addr}/ (Ctrl-C stops)");
    milieu_web::serve(state, addr)
        .await
        .map_err(|e| AppError::Usage(format!("cannot serve on {addr}: {e}")))
}

fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}
