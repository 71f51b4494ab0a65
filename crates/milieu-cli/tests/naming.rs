//! Subcommand naming: the renamed subcommands answer under their new name and, for scripts,
//! under the old one, and `--help` lists only the new names (README.md, "Naming").

mod common;
use common::Env;

/// Renamed subcommands: (new spelling, old spelling), run on the same database.
const RENAMED: [(&[&str], &[&str]); 5] = [
    (&["map", "table", "list"], &["map", "tables"]),
    (
        &["map", "table", "delete", "nope"],
        &["map", "delete-table", "nope"],
    ),
    (
        &["map", "definition", "list"],
        &["map", "definitions", "list"],
    ),
    (
        &["evaluate", "service", "list", "catalogue"],
        &["evaluate", "services", "list", "catalogue"],
    ),
    (
        &["event", "request", "list", "EVENT"],
        &["event", "requests", "list", "EVENT"],
    ),
];

/// The subcommand names in the `Commands:` section of a help text.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

#[test]
fn old_and_new_spellings_give_the_same_answer() {
    let env = Env::new();
    env.ok(&["demo", "--orgs", "40", "--seed", "7"]);
    let events = env.csv(&["event", "list"]);
    let event = events[0]["id"].as_str();
    let with_event = |args: &[&str]| -> Vec<String> {
        args.iter()
            .map(|a| if *a == "EVENT" { event } else { a }.to_string())
            .collect()
    };
    for (new, old) in RENAMED {
        let new = with_event(new);
        let old = with_event(old);
        let new_refs: Vec<&str> = new.iter().map(String::as_str).collect();
        let old_refs: Vec<&str> = old.iter().map(String::as_str).collect();
        let by_new = env.milieu(&new_refs);
        let by_old = env.milieu(&old_refs);
        assert_eq!(by_new, by_old, "{new:?} and {old:?} differ");
        if new.contains(&"nope".to_string()) {
            assert_eq!(by_new.0, 2, "{new:?}: {}", by_new.2);
            assert!(by_new.2.contains("nope"), "{new:?}: {}", by_new.2);
        } else {
            assert_eq!(by_new.0, 0, "{new:?}: {}", by_new.2);
        }
    }
    // The old spellings also reach the subcommands below them.
    env.ok(&["map", "definitions", "--help"]);
    env.ok(&["evaluate", "services", "uptake", "--format", "csv"]);
}

#[test]
fn help_lists_only_the_new_spellings() {
    let env = Env::new();
    let listed = |args: &[&str]| subcommands(&env.ok(args));
    let map = listed(&["map", "--help"]);
    for name in ["table", "definition"] {
        assert!(map.iter().any(|n| n == name), "map lacks {name}: {map:?}");
    }
    for name in ["tables", "delete-table", "definitions"] {
        assert!(!map.iter().any(|n| n == name), "map lists {name}: {map:?}");
    }
    assert_eq!(
        listed(&["map", "table", "--help"]),
        ["list", "delete", "help"]
    );
    let evaluate = listed(&["evaluate", "--help"]);
    assert!(evaluate.iter().any(|n| n == "service"), "{evaluate:?}");
    assert!(!evaluate.iter().any(|n| n == "services"), "{evaluate:?}");
    let event = listed(&["event", "--help"]);
    assert!(event.iter().any(|n| n == "request"), "{event:?}");
    assert!(!event.iter().any(|n| n == "requests"), "{event:?}");
}
