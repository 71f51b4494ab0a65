//! `milieu match ...` and `milieu introduce` through the real binary: explanations on the demo
//! region, the visibility rule for staff and members, the introduction round trip with status
//! and outcomes, the forecast on a hand-worked registry, and bad input (exit code 2).

use serde_json::Value;

mod common;
use common::Env;

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array().expect("a JSON array of rows")
}

fn s<'a>(row: &'a Value, field: &str) -> &'a str {
    row[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string in {row}"))
}

fn f(row: &Value, field: &str) -> f64 {
    row[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number in {row}"))
}

const PARTS: [&str; 10] = [
    "offer_fit",
    "demand_fit",
    "sector",
    "topic",
    "bridge",
    "reachability",
    "geography",
    "size",
    "kind",
    "activity",
];

/// Ties between two organisations (either direction), from `tie list`.
fn ties_between(env: &Env, a: &str, b: &str) -> Vec<Value> {
    let all = env.json(&["tie", "list"]);
    rows(&all)
        .iter()
        .filter(|t| {
            let (x, y) = (s(t, "from"), s(t, "to"));
            (x == a && y == b) || (x == b && y == a)
        })
        .cloned()
        .collect()
}

/// Kraftino Fahrzeugwerke (o15), a large vehicle maker of the seed-42 demo, asks for
/// suppliers. Its request names electric drive components and battery housings; the top
/// suggestion must say which offer answers it, which group it bridges to and who can introduce.
/// Everything the explanation claims is checked against the registry.
/// Fixtures of this file.
impl Env {
    /// The demo region, 300 organisations, seed 42.
    fn demo() -> Self {
        let env = Self::new();
        env.ok(&["demo", "--orgs", "300", "--seed", "42"]);
        env
    }

    /// A small hand-made registry: four firms and a person, ties of every visibility.
    ///
    /// ```text
    /// acme -- hub   public
    /// hub  -- nano  private   (only hub and nano may see it)
    /// acme -- beta  staff
    /// beta -- nano  staff
    /// ```
    fn small() -> Self {
        let env = Self::new();
        env.import(
            "organisations",
            "orgs.csv",
            "id,name,kind,country,region,sectors,offers,requests\n\
             acme,Acme Optics,firm,DE,DE11,,Laser sensors for quality inspection,Machined sensor housings\n\
             hub,Hub Institute,research_institute,DE,DE11,,Applied research in photonics,\n\
             nano,Nano Mechanics,firm,FR,FR10,,Machined housings for sensor heads,Laser sensors\n\
             beta,Beta Systems,firm,DE,DE11,,System integration,\n",
        );
        env.import("people", "people.csv", "id,name\np1,Petra Broker\n");
        env.import(
            "ties",
            "ties.csv",
            "from_id,to_id,kind,start,visibility\n\
             acme,hub,alliance,2024-01-01,public\n\
             hub,nano,rnd,2024-01-01,private\n\
             acme,beta,supplier,2024-01-01,staff\n\
             beta,nano,knowledge,2024-01-01,staff\n",
        );
        env
    }
}

#[test]
fn demo_top_supplier_names_offer_bridge_and_mutual_contact() {
    let env = Env::demo();
    let out = env.json(&[
        "match",
        "partners",
        "--org",
        "o15",
        "--purpose",
        "suppliers",
        "--top",
        "3",
        "--explain",
    ]);
    let top = &rows(&out)[0];
    assert_eq!(s(top, "org"), "o15");
    assert_eq!(s(top, "candidate"), "o124");
    assert_eq!(s(top, "candidate_name"), "Rosquin Fahrzeugtechnik GmbH");
    assert_eq!(top["rank"], 1);
    let explanation = s(top, "explanation");

    // The offer it answers: a passage of the candidate's offers holding words of o15's request.
    let offer = "We offer electric drive components and battery housings for electric vehicles";
    assert_eq!(s(top, "answers"), offer);
    assert!(
        explanation.contains(&format!(
            "answers your request: Rosquin Fahrzeugtechnik GmbH offers \"{offer}\""
        )),
        "{explanation}"
    );
    let candidate = env.json(&["org", "show", "o124"]);
    assert!(s(&candidate, "offers").contains(offer));
    let asker = env.json(&["org", "show", "o15"]);
    let request = s(&asker, "requests").to_lowercase();
    let matched = explanation
        .split(&format!("offers \"{offer}\" (matched: "))
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the matched words of the offer");
    for term in matched.split(", ") {
        assert!(
            request.contains(&term[..term.len().min(5)]),
            "matched term {term:?} not in the request {request:?}"
        );
    }

    // The bridge: a community o15 has no tie to, named in the explanation.
    let bridge = s(top, "bridge_to");
    assert!(bridge.starts_with("community "), "{bridge}");
    assert!(bridge.contains("Rosquin Fahrzeugtechnik GmbH"), "{bridge}");
    assert!(
        explanation.contains(&format!("bridge to a group you have no tie to: {bridge}")),
        "{explanation}"
    );
    assert!(
        ties_between(&env, "o15", "o124").is_empty(),
        "a suggestion is not already tied"
    );

    // The mutual contact: Keltra Drive Systems (o145), through ties staff may see.
    assert_eq!(s(top, "via"), "o145");
    assert_eq!(s(top, "path"), "o15 > o145 > o124");
    assert!(
        explanation.contains(
            "warm introduction via Keltra Drive Systems GmbH (mutual contact: you know Keltra \
             Drive Systems GmbH through a tie (lead, supplier); Keltra Drive Systems GmbH knows \
             Rosquin Fahrzeugtechnik GmbH through a tie (advice))"
        ),
        "{explanation}"
    );
    for (a, b, kinds) in [
        ("o15", "o145", &["lead", "supplier"][..]),
        ("o145", "o124", &["advice"][..]),
    ] {
        let ties = ties_between(&env, a, b);
        for kind in kinds {
            assert!(
                ties.iter()
                    .any(|t| s(t, "kind") == *kind && s(t, "visibility") != "private"),
                "no {kind} tie {a}-{b} visible to staff: {ties:?}"
            );
        }
    }

    // The score is made of its parts: contributions add up, and --explain details each.
    let sum: f64 = PARTS.iter().map(|p| f(top, p)).sum();
    assert!(
        (sum - f(top, "score")).abs() < 1e-9,
        "{sum} vs {}",
        f(top, "score")
    );
    let parts = top["parts"].as_array().expect("--explain gives the parts");
    assert_eq!(parts.len(), 10);
    let offer_fit = parts.iter().find(|p| s(p, "part") == "offer_fit").unwrap();
    assert!(f(offer_fit, "value") > 0.9);
    assert!(s(offer_fit, "reason").contains(offer));
    let detail_sum: f64 = parts.iter().map(|p| f(p, "contribution")).sum();
    assert!((detail_sum - f(top, "score")).abs() < 1e-9);

    // `match all` gives the same first suggestion, in the documented columns.
    let csv = env.ok(&[
        "match",
        "all",
        "--purpose",
        "suppliers",
        "--top",
        "1",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "org,candidate,rank,score,offer_fit,demand_fit,sector,topic,bridge,reachability,\
         geography,size,kind,activity,via,explanation"
    );
    let row = lines
        .find(|l| l.starts_with("o15,"))
        .expect("a row for o15");
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(&cells[..3], ["o15", "o124", "1"]);
    assert!((cells[3].parse::<f64>().unwrap() - f(top, "score")).abs() < 1e-12);
    assert_eq!(cells[14], "o145");
    assert_eq!(
        csv.lines().count(),
        301,
        "one suggestion for each of 300 organisations"
    );

    // The table form lists the same reasons.
    let table = env.ok(&[
        "match",
        "partners",
        "--org",
        "o15",
        "--purpose",
        "suppliers",
        "--top",
        "1",
    ]);
    assert!(
        table.contains("1. Rosquin Fahrzeugtechnik GmbH (o124)"),
        "{table}"
    );
    assert!(table.contains("path: o15 > o145 > o124"), "{table}");
}

/// Staff see staff-visible ties between others but no private ones; a member sees its own
/// private ties and no staff-only ties between others.
#[test]
fn staff_and_member_views_follow_visibility() {
    let env = Env::small();
    let via = |args: &[&str], candidate: &str| -> Option<String> {
        let out = env.json(args);
        rows(&out)
            .iter()
            .find(|r| s(r, "candidate") == candidate)
            .map(|r| s(r, "via").to_string())
    };
    let partners = ["match", "partners", "--purpose", "rnd"];
    // Staff, for acme: nano is reached through beta (two staff ties), not through hub (private).
    let args = [&partners[..], &["--org", "acme"]].concat();
    assert_eq!(via(&args, "nano").as_deref(), Some("beta"));
    // Member acme sees neither hub-nano (private to them) nor beta-nano (staff, not its own).
    let args = [&partners[..], &["--as-org", "acme"]].concat();
    assert!(
        via(&args, "nano").is_none_or(|v| v.is_empty()),
        "acme must not reach nano through ties it may not see"
    );
    // Member nano sees its own private tie to hub, and acme-hub (public), but not acme-beta.
    let args = [&partners[..], &["--as-org", "nano"]].concat();
    assert_eq!(via(&args, "acme").as_deref(), Some("hub"));
    // Staff, for nano: hub-nano is private, so only beta.
    let args = [&partners[..], &["--org", "nano"]].concat();
    assert_eq!(via(&args, "acme").as_deref(), Some("beta"));
    // A member sees suggestions for itself only.
    env.refuse_one_line(
        &["match", "partners", "--as-org", "nano", "--org", "acme"],
        &["--as-org nano", "itself"],
    );
}

/// A broker records an introduction, updates its status and links an outcome; the report
/// relates it to where the pair stood among the suggestions; matching then treats the pair as
/// acquainted.
#[test]
fn introduce_round_trip_with_status_and_outcome() {
    let env = Env::small();
    let count = || rows(&env.json(&["introduction", "list"])).len();
    let out = env.ok(&[
        "introduce",
        "--from",
        "acme",
        "--to",
        "nano",
        "--via",
        "hub",
        "--broker",
        "p1",
        "--note",
        "laser sensors for their housings",
        "--date",
        "2025-03-01",
        "--purpose",
        "suppliers",
    ]);
    assert!(
        out.contains("introduction intro-acme-nano-2025-03-01 recorded"),
        "{out}"
    );
    let listed = env.json(&["introduction", "list", "--where", "from_id=acme"]);
    let intro = &rows(&listed)[0];
    assert_eq!(s(intro, "id"), "intro-acme-nano-2025-03-01");
    assert_eq!(s(intro, "to"), "nano");
    assert_eq!(s(intro, "via"), "hub");
    assert_eq!(s(intro, "broker"), "p1");
    assert_eq!(s(intro, "status"), "made");
    assert_eq!(s(intro, "visibility"), "staff");
    assert!(
        s(intro, "note")
            .starts_with("laser sensors for their housings [match suppliers: rank 1 of "),
        "{intro}"
    );

    // The same pair on the same day again gets a numbered id.
    let out = env.ok(&[
        "introduce",
        "--from",
        "nano",
        "--to",
        "acme",
        "--note",
        "follow-up",
        "--date",
        "2025-03-01",
        "--status",
        "proposed",
        "--visibility",
        "private",
    ]);
    assert!(
        out.contains("introduction intro-nano-acme-2025-03-01 recorded"),
        "{out}"
    );
    assert_eq!(count(), 2);

    // Status updates and outcomes linked to the introduction.
    let id = "intro-acme-nano-2025-03-01";
    env.ok(&["introduction", "edit", id, "--status", "met"]);
    assert_eq!(s(&env.json(&["introduction", "show", id]), "status"), "met");
    env.refuse_one_line(
        &["introduction", "edit", id, "--status", "maybe"],
        &[
            "status",
            "\"maybe\"",
            "proposed, made, met, declined, closed",
        ],
    );
    env.ok(&[
        "outcome",
        "add",
        "--id",
        "oc1",
        "--org-id",
        "acme",
        "--kind",
        "sale",
        "--date",
        "2025-05-02",
        "--introduction-id",
        id,
        "--partner-id",
        "nano",
        "--value",
        "12000",
        "--visibility",
        "staff",
    ]);
    // A private outcome (the default) is acme's and nano's only: staff reports leave it out.
    let private_outcome = format!(
        "outcome add --id oc3 --org-id acme --kind lead --date 2025-06-01 --introduction-id {id}"
    );
    env.ok(&private_outcome.split_whitespace().collect::<Vec<_>>());
    env.refuse_one_line(
        &[
            "outcome",
            "add",
            "--id",
            "oc2",
            "--org-id",
            "acme",
            "--kind",
            "lead",
            "--date",
            "2025-01-02",
            "--introduction-id",
            id,
        ],
        &["2025-01-02", "on or after 2025-03-01", id],
    );
    let report = env.json(&["match", "introductions"]);
    let row = rows(&report)
        .iter()
        .find(|r| s(r, "introduction") == id)
        .expect("the introduction in the report");
    // The private follow-up is the two parties' only: not in the staff report.
    assert_eq!(rows(&report).len(), 1, "{report}");
    let (_, _, err) = env.milieu(&["match", "introductions", "--format", "csv"]);
    assert!(err.contains("1 introductions, 1 outcomes"), "{err}");
    assert_eq!(s(row, "status"), "met");
    assert_eq!(row["outcomes"], 1);
    assert_eq!(s(row, "outcome_kinds"), "sale");
    assert_eq!(f(row, "outcome_value"), 12000.0);
    assert_eq!(s(row, "match_purpose"), "suppliers");
    assert_eq!(row["match_rank"], 1);
    // Made public, it is reported, with no outcome and no match tag.
    env.ok(&[
        "introduction",
        "edit",
        "intro-nano-acme-2025-03-01",
        "--visibility",
        "public",
    ]);
    let report = env.json(&["match", "introductions"]);
    let other = rows(&report)
        .iter()
        .find(|r| s(r, "introduction") == "intro-nano-acme-2025-03-01")
        .expect("the public follow-up in the report");
    assert_eq!(other["outcomes"], 0);
    assert_eq!(s(other, "match_purpose"), "");

    // Met: the two now know each other, so nano is no longer suggested to acme unless asked.
    let suggested = |extra: &[&str]| {
        let args = [
            &[
                "match",
                "partners",
                "--org",
                "acme",
                "--purpose",
                "suppliers",
            ][..],
            extra,
        ]
        .concat();
        rows(&env.json(&args))
            .iter()
            .any(|r| s(r, "candidate") == "nano")
    };
    assert!(!suggested(&[]));
    assert!(suggested(&["--include-tied"]));

    // Unknown ids and a self-introduction: exit 2, nothing written.
    let base = ["introduce", "--note", "x", "--date", "2025-03-02"];
    for (extra, needles) in [
        (
            &["--from", "ghost", "--to", "nano"][..],
            &["--from \"ghost\"", "unknown organisation"][..],
        ),
        (
            &["--from", "acme", "--to", "ghost"],
            &["--to \"ghost\"", "unknown organisation"],
        ),
        (
            &["--from", "acme", "--to", "nano", "--via", "ghost"],
            &["--via \"ghost\"", "unknown organisation"],
        ),
        (
            &["--from", "acme", "--to", "nano", "--broker", "nobody"],
            &["--broker \"nobody\"", "unknown person"],
        ),
        (&["--from", "acme", "--to", "acme"], &["same organisation"]),
        (
            &["--from", "acme", "--to", "nano", "--via", "nano"],
            &["via", "a third organisation"],
        ),
        (
            &["--from", "acme", "--to", "nano", "--purpose", "friends"],
            &["friends", "leads, suppliers"],
        ),
        (
            &["--from", "acme", "--to", "nano", "--id", id],
            &[id, "already in the database"],
        ),
    ] {
        env.refuse_one_line(&[&base[..], extra].concat(), needles);
    }
    assert_eq!(count(), 2);
}

/// Opportunity routing applies eligibility and deadlines, and says why.
#[test]
fn opportunities_are_routed_to_eligible_members_with_reasons() {
    let env = Env::small();
    env.import(
        "opportunities",
        "opps.csv",
        "id,kind,title,text,deadline,eligible_countries\n\
         opp1,buyer_request,Buyer looking for laser sensors,Laser sensors for quality inspection of parts,2025-06-30,DE\n",
    );
    let routed = env.json(&["match", "opportunities", "--today", "2025-01-01"]);
    let orgs: Vec<&str> = rows(&routed).iter().map(|r| s(r, "org")).collect();
    assert_eq!(
        orgs,
        ["acme"],
        "nano is in FR, the others do not offer laser sensors"
    );
    let r = &rows(&routed)[0];
    assert!(s(r, "reasons").contains("country DE is allowed"), "{r}");
    assert!(s(r, "matched_terms").contains("laser"), "{r}");
    let why_not = env.json(&[
        "match",
        "opportunities",
        "--opportunity",
        "opp1",
        "--org",
        "nano",
        "--today",
        "2025-01-01",
    ]);
    assert_eq!(why_not[0]["eligible"], false);
    assert!(s(&why_not[0], "failed").contains("country FR is not one of DE"));
    let digest = env.json(&["match", "digest", "--org", "acme", "--today", "2025-01-01"]);
    assert_eq!(s(&rows(&digest)[0], "opportunity"), "opp1");
    // After the deadline it is closed, unless asked for.
    let (code, out, err) =
        env.milieu(&["match", "digest", "--org", "acme", "--today", "2025-07-01"]);
    assert_eq!(code, 0);
    assert!(out.contains("(0 rows)"), "{out}");
    assert!(err.contains("deadline before 2025-07-01"), "{err}");
    let all = env.json(&["match", "digest", "--org", "acme", "--include-closed"]);
    assert_eq!(rows(&all).len(), 1);
}

/// The forecast on a registry worked by hand: before 2020, a-b and b-c work together; in 2020
/// a and c do. Common neighbours puts c first for a (b is their common neighbour), so recall@1
/// is 1; the pair is the only new one.
#[test]
fn evaluate_forecast_on_a_hand_worked_registry() {
    let env = Env::new();
    env.import(
        "organisations",
        "orgs.csv",
        "id,name,kind,region,country,sectors\na,A,firm,,,\nb,B,university,,,\nc,C,firm,,,\nd,D,firm,,,\ne,E,firm,,,\n",
    );
    env.import(
        "projects",
        "projects.csv",
        "id,title,start,topics\np1,P1,2018-01-01,ict\np2,P2,2019-01-01,ict\np3,P3,2019-06-01,food\np4,P4,2020-03-01,ict\n",
    );
    env.import(
        "participations",
        "parts.csv",
        "project_id,org_id\np1,a\np1,b\np2,b\np2,c\np3,d\np3,e\np4,a\np4,c\n",
    );
    let out = env.json(&[
        "match",
        "evaluate",
        "--split",
        "2020-01-01",
        "--until",
        "2020-12-31",
        "--k",
        "1",
    ]);
    let method = |name: &str| {
        rows(&out)
            .iter()
            .find(|r| s(r, "method").starts_with(name))
            .unwrap_or_else(|| panic!("no {name} row in {out}"))
            .clone()
    };
    let cn = method("common_neighbours");
    assert_eq!(cn["pairs"], 1);
    assert_eq!(f(&cn, "recall_at_k"), 1.0);
    assert_eq!(f(&cn, "mrr"), 1.0);
    assert_eq!(f(&method("adamic_adar"), "recall_at_k"), 1.0);
    assert_eq!(f(&method("milieu (rnd defaults)"), "pairs"), 1.0);
    // Nothing new after 2021: a clear refusal.
    env.refuse_one_line(
        &[
            "match",
            "evaluate",
            "--split",
            "2021-01-01",
            "--until",
            "2021-12-31",
        ],
        &["no new collaborations"],
    );
}

#[test]
fn bad_input_is_refused_with_exit_code_2() {
    let env = Env::small();
    env.refuse_one_line(
        &["match", "partners", "--org", "ghost"],
        &["unknown organisation \"ghost\""],
    );
    env.refuse_one_line(
        &["match", "partners", "--org", "acme", "--purpose", "friends"],
        &[
            "\"friends\"",
            "leads, suppliers, alliance, rnd, international, peers",
        ],
    );
    env.refuse_one_line(&["match", "partners"], &["--org"]);
    env.refuse_one_line(
        &["match", "partners", "--as-org", "ghost"],
        &["unknown organisation \"ghost\""],
    );
    env.refuse_one_line(
        &["match", "partners", "--org", "acme", "--weights", "fame=1"],
        &["weights", "\"fame\"", "offer_fit"],
    );
    env.refuse_one_line(
        &["match", "all", "--purpose", "customerz"],
        &["\"customerz\"", "leads"],
    );
    env.refuse_one_line(
        &["match", "opportunities", "--opportunity", "ghost"],
        &["unknown opportunity \"ghost\""],
    );
    env.refuse_one_line(
        &["match", "opportunities", "--initiative", "ghost"],
        &["unknown initiative \"ghost\""],
    );
    env.refuse_one_line(
        &["match", "digest", "--org", "ghost"],
        &["unknown organisation \"ghost\""],
    );
    env.refuse_one_line(
        &["match", "digest", "--org", "acme", "--today", "someday"],
        &["--today", "\"someday\"", "YYYY-MM-DD"],
    );
    env.refuse_one_line(
        &[
            "match",
            "evaluate",
            "--split",
            "2016-13-01",
            "--until",
            "2017-12-31",
        ],
        &["--split", "2016-13-01"],
    );
    env.refuse_one_line(
        &[
            "match",
            "evaluate",
            "--split",
            "2018-01-01",
            "--until",
            "2017-12-31",
        ],
        &["before --split"],
    );
    // clap's own usage errors also exit with 2.
    let (code, _, err) = env.milieu(&["introduce", "--from", "acme", "--to", "nano"]);
    assert_eq!(code, 2);
    assert!(err.contains("--note"), "{err}");
}
