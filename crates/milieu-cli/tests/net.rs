//! `milieu net ...` through the real binary: file mode on hand-worked graphs and the karate
//! club (against the NetworkX/igraph golden fixture), registry mode on a tiny hand-made
//! registry (visibility, projection weights, lineage, mobility, diff), and bad input.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::Env;

/// The node row of `id` in a JSON `nodes` array.
fn node<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no node {id} in {rows}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-9, "{what}: {a} != {b}");
}

/// Two triangles a-b-c and c-d-e sharing c (the "bowtie"), groups X X Y Z Z.
fn bowtie(env: &Env) {
    env.write("bow.csv", "source,target\na,b\na,c\nb,c\nc,d\nc,e\nd,e\n");
    env.write(
        "bow_nodes.csv",
        "id,group,region\na,X,R1\nb,X,R1\nc,Y,R1\nd,Z,R2\ne,Z,R2\n",
    );
}

#[test]
fn file_mode_bowtie_hand_worked() {
    let env = Env::new();
    bowtie(&env);
    let m = env.json(&[
        "net",
        "metrics",
        "--edges",
        "bow.csv",
        "--nodes",
        "bow_nodes.csv",
        "--group-by",
        "group",
    ]);
    let nodes = &m["nodes"];
    let c = node(nodes, "c");
    // c lies on every shortest path between {a, b} and {d, e}: 4 pairs, of (5-1)(5-2)/2 = 6.
    close(f(&c["betweenness"]), 4.0, "betweenness c");
    close(f(&c["betweenness_normalized"]), 4.0 / 6.0, "normalised c");
    close(f(&c["degree"]), 4.0, "degree c");
    // Without c, a-b and d-e remain: 6 pairs among the others minus 2 = 4 cut, of 10.
    assert_eq!(c["articulation"], true);
    close(f(&c["cut_pairs"]), 4.0, "cut pairs c");
    close(f(&c["cut_share"]), 0.4, "cut share c");
    // Burt: a has contacts b (p=1/2) and c (p=1/2); p_cb = 1/4, p_bc = 1/2.
    // (1/2 + 1/2 * 1/4)^2 + (1/2 + 1/2 * 1/2)^2 = 0.390625 + 0.5625.
    close(f(&node(nodes, "a")["constraint"]), 0.953125, "constraint a");
    // Every open pair through c joins three groups: liaison, in both orientations.
    close(f(&c["liaison"]), 8.0, "liaison c");
    close(f(&c["brokerage_total"]), 8.0, "brokerage c");
    close(f(&node(nodes, "a")["brokerage_total"]), 0.0, "brokerage a");
    // 4 ties between groups, 2 inside: E-I = (4 - 2) / 6.
    let s = &m["summary"];
    close(f(&s["ei_index"]), 1.0 / 3.0, "network E-I");
    close(f(&s["density"]), 0.6, "density");
    // 2 triangles, 10 connected triples.
    close(f(&s["transitivity"]), 0.6, "transitivity");
    assert_eq!(s["components"], 1);
    assert_eq!(s["articulation_points"], 1);
    assert_eq!(s["bridges"], 0);
    // region R1 = a, b, c; R2 = d, e: ties c-d, c-e leave the region, 2 of 6.
    close(f(&s["external_share"]), 2.0 / 6.0, "external share");
    // Modularity of the best split {a,b,c} {d,e} (or {a,b} {c,d,e}): 1/9.
    assert_eq!(s["communities"], 2);
    close(f(&s["modularity"]), 1.0 / 9.0, "modularity");
    let groups = m["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);

    // --measures keeps only the named families' columns.
    let (code, out, err) = env.milieu(&[
        "net",
        "metrics",
        "--edges",
        "bow.csv",
        "--measures",
        "betweenness,constraint",
        "--only",
        "nodes",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,betweenness,betweenness_normalized,contacts,constraint,effective_size,efficiency,hierarchy"
    );
    assert_eq!(lines.count(), 5);

    // CSV without --only: node rows, a blank line, then the summary as field,value.
    let (code, out, _) = env.milieu(&[
        "net",
        "metrics",
        "--edges",
        "bow.csv",
        "--measures",
        "degree",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    let blocks: Vec<&str> = out.split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{out}");
    assert!(
        blocks[1].starts_with("field,value\nnodes,5\nedges,6\n"),
        "{out}"
    );
    // File mode creates no database.
    assert!(!env.path("test.db").exists());
}

#[test]
fn file_mode_communities_brokers_key_players() {
    let env = Env::new();
    bowtie(&env);
    let c = env.json(&[
        "net",
        "communities",
        "--edges",
        "bow.csv",
        "--algorithm",
        "louvain",
        "--seed",
        "3",
    ]);
    assert_eq!(c["summary"]["communities"], 2);
    close(
        f(&c["summary"]["modularity"]),
        1.0 / 9.0,
        "louvain modularity",
    );
    let (a, b, d, e) = (
        &node(&c["nodes"], "a")["community"],
        &node(&c["nodes"], "b")["community"],
        &node(&c["nodes"], "d")["community"],
        &node(&c["nodes"], "e")["community"],
    );
    assert_eq!(a, b);
    assert_eq!(d, e);
    assert_ne!(a, d);

    let b = env.json(&[
        "net",
        "brokers",
        "--edges",
        "bow.csv",
        "--nodes",
        "bow_nodes.csv",
        "--group-by",
        "group",
        "--top",
        "1",
    ]);
    let rows = b["brokers"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "c");
    assert_eq!(rows[0]["group"], "Y");
    close(f(&rows[0]["liaison"]), 8.0, "liaison");

    // Two files compared: the bowtie without a-b and with a new tie e-f.
    env.write("bow2.csv", "source,target\na,c\nb,c\nc,d\nc,e\nd,e\ne,f\n");
    let d = env.json(&[
        "net",
        "diff",
        "--before-edges",
        "bow.csv",
        "--after-edges",
        "bow2.csv",
        "--only",
        "summary",
    ]);
    assert_eq!(d["formed"], 1);
    assert_eq!(d["dropped"], 1);
    assert_eq!(d["kept"], 5);
    assert_eq!(d["nodes_joined"], 1);

    // A path a-b-c plus the bowtie's d-e hanging off c by one tie: c-d is a bridge.
    env.write("kp.csv", "source,target\na,b\nb,c\nc,d\nd,e\ne,f\nd,f\n");
    let k = env.json(&["net", "key-players", "--edges", "kp.csv"]);
    let first = &k["nodes"][0];
    // Removing c cuts {a,b} from {d,e,f}: 6 pairs; removing d cuts {a,b,c} from {e,f}: 6; b: 4.
    assert!(first["id"] == "c" || first["id"] == "d", "{k}");
    close(f(&first["cut_pairs"]), 6.0, "cut pairs");
    close(f(&node(&k["nodes"], "b")["cut_pairs"]), 4.0, "cut pairs b");
    let bridges = k["bridges"].as_array().unwrap();
    assert_eq!(bridges.len(), 3, "{k}");
    // Largest smaller side first: b-c or c-d splits 2|4 or 3|3: c-d (3|3).
    assert_eq!(bridges[0]["source"], "c");
    assert_eq!(bridges[0]["target"], "d");
}

fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var("MILIEU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    dir.join("classic-org-networks").is_dir().then_some(dir)
}

#[test]
fn karate_through_the_cli_matches_networkx_and_igraph() {
    let Some(data) = shared_data() else {
        println!("skipped: ../shared/data/classic-org-networks is absent");
        return;
    };
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../milieu-net/tests/data/golden.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let karate = golden["graphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "karate_weighted")
        .unwrap();
    let dir = data.join("classic-org-networks");
    let env = Env::new();
    let m = env.json(&[
        "net",
        "metrics",
        "--edges",
        dir.join("zachary_karate_networkx_edgelist.csv")
            .to_str()
            .unwrap(),
        "--nodes",
        dir.join("zachary_karate_networkx_nodes.csv")
            .to_str()
            .unwrap(),
        "--measures",
        "betweenness,constraint,pagerank",
        "--group-by",
        "club",
    ]);
    let nodes = m["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 34);
    for (column, peer, key) in [
        ("betweenness", "igraph", "betweenness"),
        ("betweenness", "networkx", "betweenness"),
        (
            "betweenness_normalized",
            "networkx",
            "betweenness_normalized",
        ),
        ("constraint", "igraph", "constraint_weighted"),
        ("constraint", "networkx", "constraint_weighted"),
        ("pagerank", "networkx", "pagerank_weighted"),
    ] {
        let expected = &karate[peer][key];
        for row in nodes {
            let id = row["id"].as_str().unwrap();
            close(
                f(&row[column]),
                f(&expected[id]),
                &format!("{column} of {id} vs {peer} {key}"),
            );
        }
    }
    // Quoted in the data's SOURCE.txt: normalised betweenness of node 0 = 0.437635.
    assert!((f(&node(&m["nodes"], "0")["betweenness_normalized"]) - 0.437635).abs() < 1e-6);
    assert_eq!(m["summary"]["edges"], 78);
}

/// A registry: a university (o2) with a spin-off (o3) that spun off o4; a firm o1; an agency
/// o5 in another region. Ties of each visibility, two events, three people who changed jobs.
fn registry(env: &Env) {
    let files = [
        (
            "organisations",
            "orgs.csv",
            "id,name,kind,region,country,sectors,parent_id\n\
             o1,Acme,firm,R1,DE,334510,\n\
             o2,Uni,university,R1,DE,611310,\n\
             o3,Spin,firm,R1,DE,541715,o2\n\
             o4,Spin2,firm,R1,DE,541715,o3\n\
             o5,Agency,agency,R2,DE,,\n",
        ),
        ("people", "people.csv", "id,name\np1,Ann\np2,Bob\np3,Cem\n"),
        (
            "affiliations",
            "aff.csv",
            "person_id,org_id,from,to\n\
             p1,o2,2015-01-01,2019-12-31\n\
             p1,o3,2020-01-01,\n\
             p2,o1,2018-01-01,2020-12-31\n\
             p2,o5,2021-01-01,\n\
             p3,o2,2016-01-01,2019-04-30\n\
             p3,o1,2019-05-01,\n",
        ),
        (
            "events",
            "events.csv",
            "id,kind,title,date\n\
             e1,workshop,Sensors,2021-03-01\n\
             e2,networking_meeting,Lunch,2021-06-01\n",
        ),
        (
            "attendance",
            "att.csv",
            "event_id,org_id,person_id\ne1,o1,\ne1,o2,\ne1,o3,\ne2,o1,\ne2,o2,\n",
        ),
        (
            "ties",
            "ties.csv",
            "from_id,to_id,kind,start,end,strength,visibility\n\
             o1,o2,alliance,2020-01-01,,3,public\n\
             o2,o3,rnd,2020-01-01,,4,staff\n\
             o1,o3,supplier,2020-01-01,2022-01-01,2,staff\n\
             o3,o4,knowledge,2022-06-01,,1,public\n",
        ),
    ];
    for (kind, file, content) in files {
        env.write(file, content);
        let (code, _, err) = env.milieu(&["import", kind, file]);
        assert_eq!(code, 0, "import {kind}: {err}");
    }
}

fn edge_count(m: &Value) -> u64 {
    m["summary"]["edges"].as_u64().unwrap()
}

#[test]
fn registry_mode_visibility_projection_lineage_mobility_diff() {
    let env = Env::new();
    registry(&env);

    // Staff (default) on 2021-01-01: o1-o2, o2-o3, o1-o3 (o3-o4 starts later).
    let staff = env.json(&[
        "net",
        "metrics",
        "--at",
        "2021-01-01",
        "--measures",
        "strength",
    ]);
    assert_eq!(edge_count(&staff), 3);
    assert_eq!(staff["summary"]["ties_used"], 3);
    close(
        f(&node(&staff["nodes"], "o1")["strength"]),
        5.0,
        "o1 strength",
    );
    // o2 sees the public tie and its own staff tie, not o1-o3 (staff-visible, not its own).
    let o2 = env.json(&[
        "net",
        "metrics",
        "--at",
        "2021-01-01",
        "--as-org",
        "o2",
        "--measures",
        "degree",
    ]);
    assert_eq!(edge_count(&o2), 2);
    assert_eq!(o2["summary"]["ties_hidden"], 1);
    // o1 is a party to o1-o3; it does not see o2-o3 (staff).
    let o1 = env.json(&[
        "net",
        "metrics",
        "--at",
        "2021-01-01",
        "--as-org",
        "o1",
        "--measures",
        "degree",
    ]);
    assert_eq!(edge_count(&o1), 2);
    close(f(&node(&o1["nodes"], "o1")["degree"]), 2.0, "o1 degree");
    assert!(
        env.refuse(&["net", "metrics", "--as-org", "nobody"], &[])
            .contains("nobody")
    );
    // Kind, strength and date filters.
    let alliances = env.json(&[
        "net",
        "metrics",
        "--kinds",
        "alliance,rnd",
        "--measures",
        "degree",
    ]);
    assert_eq!(edge_count(&alliances), 2);
    let strong = env.json(&[
        "net",
        "metrics",
        "--min-strength",
        "3",
        "--measures",
        "degree",
    ]);
    assert_eq!(edge_count(&strong), 2);
    let period = env.json(&[
        "net",
        "metrics",
        "--from",
        "2022-01-01",
        "--to",
        "2022-12-31",
        "--measures",
        "degree",
    ]);
    // o1-o2, o2-o3, o3-o4 (o1-o3 ended on 2022-01-01, exclusive).
    assert_eq!(edge_count(&period), 3);
    // Directed ties: o1 -> o2 and o1 -> o3 leave o1.
    let directed = env.json(&[
        "net",
        "metrics",
        "--at",
        "2021-01-01",
        "--directed",
        "--measures",
        "degree",
    ]);
    close(f(&node(&directed["nodes"], "o1")["out_degree"]), 2.0, "out");
    close(f(&node(&directed["nodes"], "o1")["in_degree"]), 0.0, "in");
    // Group by an organisation attribute.
    let by_kind = env.json(&[
        "net",
        "metrics",
        "--at",
        "2021-01-01",
        "--group-by",
        "kind",
        "--measures",
        "ei_index",
    ]);
    assert_eq!(node(&by_kind["nodes"], "o2")["group"], "university");
    // o2's ties both go to firms: E-I of o2 = 1; o1-o3 is internal.
    close(f(&node(&by_kind["nodes"], "o2")["ei_index"]), 1.0, "E-I o2");
    close(f(&by_kind["summary"]["ei_index"]), 1.0 / 3.0, "E-I network");

    // Attendance: e1 = {o1, o2, o3}, e2 = {o1, o2}. Count: o1-o2 2, o1-o3 1, o2-o3 1.
    let count = env.json(&[
        "net",
        "metrics",
        "--mode",
        "events",
        "--measures",
        "strength",
    ]);
    close(f(&node(&count["nodes"], "o1")["strength"]), 3.0, "count o1");
    close(f(&node(&count["nodes"], "o3")["strength"]), 2.0, "count o3");
    // Newman: e1 adds 1/2 per pair, e2 adds 1: o1-o2 1.5, o1-o3 0.5, o2-o3 0.5.
    let newman = env.json(&[
        "net",
        "metrics",
        "--mode",
        "events",
        "--weight",
        "newman",
        "--measures",
        "strength",
    ]);
    close(
        f(&node(&newman["nodes"], "o1")["strength"]),
        2.0,
        "newman o1",
    );
    close(
        f(&node(&newman["nodes"], "o3")["strength"]),
        1.0,
        "newman o3",
    );
    // Events of at most 2 members: only e2 counts.
    let small = env.json(&[
        "net",
        "metrics",
        "--mode",
        "events",
        "--max-size",
        "2",
        "--measures",
        "degree",
    ]);
    assert_eq!(edge_count(&small), 1);
    assert_eq!(small["summary"]["events_too_large"], 1);
    // Events up to 2021-04-01: e1 only.
    let early = env.json(&[
        "net",
        "metrics",
        "--mode",
        "events",
        "--at",
        "2021-04-01",
        "--measures",
        "strength",
    ]);
    close(f(&node(&early["nodes"], "o1")["strength"]), 2.0, "e1 only");
    // All layers on 2021-12-31: ties (3 + 4 + 2) plus events (count) add up on o1-o2, ...
    let all = env.json(&[
        "net",
        "metrics",
        "--mode",
        "all",
        "--at",
        "2021-12-31",
        "--measures",
        "strength",
    ]);
    // o1: tie o1-o2 3 + o1-o3 2, events o1-o2 2 + o1-o3 1.
    close(f(&node(&all["nodes"], "o1")["strength"]), 8.0, "all o1");
    assert_eq!(all["summary"]["merged_edges"], 3);
    // Shared affiliations: o2 and o3 share p1, o2 and o1 share p3, o1 and o5 share p2.
    let aff = env.json(&[
        "net",
        "metrics",
        "--mode",
        "affiliations",
        "--measures",
        "degree",
    ]);
    assert_eq!(edge_count(&aff), 3);
    // Colleagues: p1 and p3 were both at o2, p2 and p3 both at o1. A person's organisation is
    // the affiliation that started last (no date given).
    let colleagues = env.json(&[
        "net",
        "metrics",
        "--mode",
        "affiliations",
        "--project-to",
        "people",
        "--group-by",
        "organisation",
        "--measures",
        "degree",
    ]);
    assert_eq!(edge_count(&colleagues), 2);
    close(f(&node(&colleagues["nodes"], "p3")["degree"]), 2.0, "p3");
    assert_eq!(node(&colleagues["nodes"], "p1")["group"], "o3");
    assert_eq!(node(&colleagues["nodes"], "p3")["group"], "o1");
    // On 2019-01-01, p3 was still at the university.
    let then = env.json(&[
        "net",
        "metrics",
        "--mode",
        "affiliations",
        "--project-to",
        "people",
        "--at",
        "2019-01-01",
        "--group-by",
        "organisation",
        "--measures",
        "degree",
    ]);
    assert_eq!(node(&then["nodes"], "p3")["group"], "o2");
    // Isolates kept on request: every organisation is a node.
    let all_orgs = env.json(&[
        "net",
        "metrics",
        "--at",
        "2021-01-01",
        "--keep-isolates",
        "--measures",
        "degree",
    ]);
    assert_eq!(all_orgs["summary"]["nodes"], 5);
    assert_eq!(all_orgs["summary"]["isolates"], 2);

    // Lineage: o2 -> o3 -> o4.
    let l = env.json(&["net", "lineage"]);
    let orgs = &l["organisations"];
    assert_eq!(orgs.as_array().unwrap().len(), 3);
    assert_eq!(node(orgs, "o2")["depth"], 0);
    assert_eq!(node(orgs, "o2")["descendants"], 2);
    assert_eq!(node(orgs, "o4")["depth"], 2);
    assert_eq!(node(orgs, "o4")["root"], "o2");
    assert_eq!(node(orgs, "o3")["name"], "Spin");
    assert_eq!(l["trees"][0]["root"], "o2");
    assert_eq!(l["trees"][0]["size"], 3);

    // Mobility: p1 and p3 left the university for firms; p2 left a firm for the agency.
    let m = env.json(&["net", "mobility"]);
    let flows = m["flows"].as_array().unwrap();
    assert_eq!(flows.len(), 2, "{m}");
    assert_eq!(flows[0]["from_kind"], "university");
    assert_eq!(flows[0]["to_kind"], "firm");
    assert_eq!(flows[0]["moves"], 2);
    assert_eq!(flows[0]["people"], 2);
    assert_eq!(flows[1]["from_kind"], "firm");
    assert_eq!(flows[1]["to_kind"], "agency");
    assert_eq!(m["summary"]["people_moving"], 3);
    let later = env.json(&["net", "mobility", "--from", "2020-01-01"]);
    assert_eq!(later["summary"]["moves"], 2);
    let regions = env.json(&["net", "mobility", "--by", "region", "--only", "flows"]);
    let r1r2 = regions
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["to_kind"] == "R2")
        .unwrap();
    assert_eq!(r1r2["from_kind"], "R1");
    assert_eq!(r1r2["moves"], 1);

    // Diff: on 2021-01-01 o1-o2, o2-o3, o1-o3; on 2023-01-01 o1-o2, o2-o3, o3-o4.
    let d = env.json(&["net", "diff", "--from", "2021-01-01", "--to", "2023-01-01"]);
    let s = &d["summary"];
    assert_eq!(s["formed"], 1);
    assert_eq!(s["dropped"], 1);
    assert_eq!(s["kept"], 2);
    close(f(&s["retention"]), 2.0 / 3.0, "retention");
    assert_eq!(s["nodes_joined"], 1);
    let ties = d["ties"].as_array().unwrap();
    let formed: Vec<_> = ties.iter().filter(|t| t["status"] == "formed").collect();
    assert_eq!(formed.len(), 1);
    assert_eq!(formed[0]["source"], "o3");
    assert_eq!(formed[0]["target"], "o4");
    let (code, out, _) = env.milieu(&[
        "net",
        "diff",
        "--from",
        "2021-01-01",
        "--to",
        "2023-01-01",
        "--only",
        "ties",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("source,target,status,weight_before,weight_after\n"),
        "{out}"
    );
    assert!(out.contains("o1,o3,dropped,2.0,\n"), "{out}");
}

#[test]
fn bad_input_is_refused_with_line_and_exit_2() {
    let env = Env::new();
    env.write("nodes.csv", "id,sector\na,1\nb,1\nc,2\n");
    let edges = |env: &Env, name: &str, rows: &str| {
        env.write(name, format!("source,target,weight\n{rows}"));
    };
    edges(&env, "unknown.csv", "a,b,1\nb,zed,2\n");
    let err = env.refuse(
        &[
            "net",
            "metrics",
            "--edges",
            "unknown.csv",
            "--nodes",
            "nodes.csv",
        ],
        &[],
    );
    assert!(
        err.contains("unknown.csv: line 3") && err.contains("zed"),
        "{err}"
    );

    edges(&env, "loop.csv", "a,b,1\nc,c,1\n");
    let err = env.refuse(&["net", "metrics", "--edges", "loop.csv"], &[]);
    assert!(err.contains("loop.csv: line 3"), "{err}");
    let m = env.json(&[
        "net",
        "metrics",
        "--edges",
        "loop.csv",
        "--self-loops",
        "drop",
        "--only",
        "summary",
    ]);
    assert_eq!(m["dropped_self_loops"], 1);

    edges(&env, "dup.csv", "a,b,1\nb,c,1\nb,a,2\n");
    let err = env.refuse(&["net", "metrics", "--edges", "dup.csv"], &[]);
    assert!(
        err.contains("dup.csv: line 4") && err.contains("line 2"),
        "{err}"
    );
    let m = env.json(&[
        "net",
        "metrics",
        "--edges",
        "dup.csv",
        "--duplicates",
        "sum",
        "--measures",
        "strength",
    ]);
    close(f(&node(&m["nodes"], "a")["strength"]), 3.0, "summed weight");
    assert_eq!(m["summary"]["merged_duplicates"], 1);

    edges(&env, "negative.csv", "a,b,1\nb,c,-2\n");
    let err = env.refuse(&["net", "metrics", "--edges", "negative.csv"], &[]);
    assert!(
        err.contains("negative.csv: line 3") && err.contains("weight") && err.contains("-2"),
        "{err}"
    );

    // Empty graph: valid, zeros.
    edges(&env, "empty.csv", "");
    let m = env.json(&["net", "metrics", "--edges", "empty.csv"]);
    assert_eq!(m["summary"]["nodes"], 0);
    assert_eq!(m["nodes"].as_array().unwrap().len(), 0);
    let c = env.json(&["net", "communities", "--edges", "empty.csv"]);
    assert_eq!(c["summary"]["communities"], 0);

    // Disconnected graph: valid; components reported, closeness corrected.
    edges(&env, "two.csv", "a,b,1\nc,d,1\n");
    let m = env.json(&["net", "metrics", "--edges", "two.csv"]);
    assert_eq!(m["summary"]["components"], 2);
    // Wasserman-Faust: (1/1) * (1/3).
    close(
        f(&node(&m["nodes"], "a")["closeness"]),
        1.0 / 3.0,
        "closeness",
    );

    // Bad options.
    edges(&env, "ok.csv", "a,b,1\n");
    assert!(
        env.refuse(
            &["net", "metrics", "--edges", "ok.csv", "--measures", "fame"],
            &[]
        )
        .contains("fame")
    );
    assert!(
        env.refuse(
            &[
                "net",
                "metrics",
                "--edges",
                "ok.csv",
                "--group-by",
                "colour"
            ],
            &[]
        )
        .contains("colour")
    );
    assert!(
        env.refuse(
            &[
                "net",
                "metrics",
                "--edges",
                "ok.csv",
                "--measures",
                "brokerage"
            ],
            &[]
        )
        .contains("--group-by")
    );
    assert!(
        env.refuse(
            &["net", "metrics", "--edges", "ok.csv", "--mode", "events"],
            &[]
        )
        .contains("--mode")
    );
    assert!(
        env.refuse(
            &["net", "metrics", "--edges", "ok.csv", "--at", "2020-01-01"],
            &[]
        )
        .contains("--at")
    );
    assert!(
        env.refuse(&["net", "metrics", "--edges", "missing.csv"], &[])
            .contains("missing.csv")
    );
    assert!(!env.path("test.db").exists(), "file mode made a database");

    // Registry mode: bad dates and words.
    assert!(
        env.refuse(&["net", "metrics", "--at", "2020-13-01"], &[])
            .contains("2020-13-01")
    );
    assert!(
        env.refuse(&["net", "metrics", "--kinds", "friendship"], &[])
            .contains("friendship")
    );
    assert!(
        env.refuse(
            &[
                "net",
                "metrics",
                "--from",
                "2021-01-01",
                "--to",
                "2020-01-01"
            ],
            &[]
        )
        .contains("after")
    );
    assert!(
        env.refuse(
            &[
                "net",
                "metrics",
                "--mode",
                "projects",
                "--project-to",
                "people"
            ],
            &[]
        )
        .contains("people")
    );
    // Empty registry: an empty graph, not an error.
    let m = env.json(&["net", "metrics"]);
    assert_eq!(m["summary"]["nodes"], 0);
}

#[test]
fn private_ties_stay_with_their_two_parties() {
    let env = Env::new();
    env.write(
        "orgs.csv",
        "id,name,kind,region,country,sectors\na,A,firm,,,\nb,B,firm,,,\nc,C,firm,,,\n",
    );
    env.write(
        "ties.csv",
        "from_id,to_id,kind,start,visibility\na,b,lead,2020-01-01,private\nb,c,sale,2020-01-01,public\n",
    );
    assert_eq!(env.milieu(&["import", "organisations", "orgs.csv"]).0, 0);
    assert_eq!(env.milieu(&["import", "ties", "ties.csv"]).0, 0);
    let args = |viewer: Option<&str>| {
        let mut a = vec!["net", "metrics", "--measures", "degree"];
        if let Some(v) = viewer {
            a.extend(["--as-org", v]);
        }
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let edges = |viewer: Option<&str>| {
        let a = args(viewer);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        edge_count(&env.json(&refs))
    };
    // The cluster staff and a third firm do not see the private lead; its parties do.
    assert_eq!(edges(None), 1);
    assert_eq!(edges(Some("c")), 1);
    assert_eq!(edges(Some("a")), 2);
    assert_eq!(edges(Some("b")), 2);
}
