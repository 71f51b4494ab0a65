//! Lineage and mobility: spin-off genealogy trees and flows of people between kinds of
//! organisation.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// One organisation in the spin-off genealogy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineageRow {
    pub id: String,
    pub parent: Option<String>,
    /// The founder of the tree (an organisation without a parent).
    pub root: String,
    /// 0 for a root, 1 for its spin-offs, ...
    pub depth: u32,
    pub children: u32,
    /// All spin-offs below, at any depth.
    pub descendants: u32,
}

/// One tree of the genealogy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineageTree {
    pub root: String,
    /// Organisations in the tree, root included.
    pub size: u32,
    /// Largest depth.
    pub depth: u32,
}

/// The genealogy: one row per organisation (in input order of first mention) and the trees
/// sorted by size (largest first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lineage {
    pub organisations: Vec<LineageRow>,
    pub trees: Vec<LineageTree>,
}

/// Builds the genealogy from (child, parent) pairs. Rules: an organisation has at most one
/// parent (a second, different parent is an error naming the pair's 1-based position; the
/// same pair twice counts once); an organisation cannot descend from itself (cycle error);
/// parents never listed as children are roots.
pub fn lineage<S: AsRef<str>>(pairs: &[(S, S)], source: &str) -> Result<Lineage, Error> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    let mut parent: Vec<Option<usize>> = Vec::new();
    let mut line_of: Vec<u64> = Vec::new();
    for (k, (c, p)) in pairs.iter().enumerate() {
        let (c, p) = (c.as_ref(), p.as_ref());
        let line = k as u64 + 1;
        if c.is_empty() || p.is_empty() {
            return Err(Error::BadValue {
                file: source.into(),
                line,
                field: if c.is_empty() { "child" } else { "parent" }.into(),
                value: String::new(),
                expected: "an organisation id".into(),
            });
        }
        let mut get = |s| {
            let next = ids.len();
            let i = *ids.entry(s).or_insert(next);
            if i == names.len() {
                names.push(s);
                parent.push(None);
                line_of.push(0);
            }
            i
        };
        let ci = get(c);
        let pi = get(p);
        if ci == pi {
            return Err(Error::BadValue {
                file: source.into(),
                line,
                field: "parent".into(),
                value: p.into(),
                expected: "a parent different from the child".into(),
            });
        }
        match parent[ci] {
            Some(q) if q != pi => {
                return Err(Error::BadValue {
                    file: source.into(),
                    line,
                    field: "parent".into(),
                    value: p.into(),
                    expected: format!(
                        "the same parent as on line {} (`{}`): an organisation has one parent",
                        line_of[ci], names[q]
                    ),
                });
            }
            _ => {
                parent[ci] = Some(pi);
                line_of[ci] = line;
            }
        }
    }
    let n = names.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for v in 0..n {
        if let Some(p) = parent[v] {
            children[p].push(v);
        }
    }
    // Depth and root by walking down from roots; nodes not reached are on a cycle.
    let mut depth = vec![u32::MAX; n];
    let mut root = vec![usize::MAX; n];
    let mut order = Vec::with_capacity(n);
    for r in (0..n).filter(|&v| parent[v].is_none()) {
        depth[r] = 0;
        root[r] = r;
        let mut stack = vec![r];
        while let Some(v) = stack.pop() {
            order.push(v);
            for &c in &children[v] {
                depth[c] = depth[v] + 1;
                root[c] = r;
                stack.push(c);
            }
        }
    }
    if let Some(v) = (0..n).find(|&v| depth[v] == u32::MAX) {
        return Err(Error::BadValue {
            file: source.into(),
            line: line_of[v],
            field: "parent".into(),
            value: names[parent[v].unwrap_or(v)].into(),
            expected: format!("no cycle: `{}` descends from itself", names[v]),
        });
    }
    let mut desc = vec![0u32; n];
    for &v in order.iter().rev() {
        if let Some(p) = parent[v] {
            desc[p] += desc[v] + 1;
        }
    }
    let mut trees: BTreeMap<usize, (u32, u32)> = BTreeMap::new();
    for v in 0..n {
        let t = trees.entry(root[v]).or_insert((0, 0));
        t.0 += 1;
        t.1 = t.1.max(depth[v]);
    }
    let mut trees: Vec<LineageTree> = trees
        .into_iter()
        .map(|(r, (size, d))| LineageTree {
            root: names[r].to_string(),
            size,
            depth: d,
        })
        .collect();
    trees.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.root.cmp(&b.root)));
    Ok(Lineage {
        organisations: (0..n)
            .map(|v| LineageRow {
                id: names[v].to_string(),
                parent: parent[v].map(|p| names[p].to_string()),
                root: names[root[v]].to_string(),
                depth: depth[v],
                children: children[v].len() as u32,
                descendants: desc[v],
            })
            .collect(),
        trees,
    })
}

/// A dated affiliation of a person with an organisation. Dates are ISO `YYYY-MM-DD` strings
/// (compared as text); `to = None` means ongoing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affiliation {
    pub person: String,
    pub organisation: String,
    pub from: String,
    pub to: Option<String>,
}

/// One move of a person from one organisation to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    pub person: String,
    pub from_organisation: String,
    pub to_organisation: String,
    pub from_kind: String,
    pub to_kind: String,
    /// Start of the new affiliation.
    pub date: String,
}

/// People flowing from one kind (or sector) to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowRow {
    pub from_kind: String,
    pub to_kind: String,
    pub moves: u32,
    /// Distinct people making such a move.
    pub people: u32,
}

/// Moves and flows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mobility {
    pub moves: Vec<Move>,
    pub flows: Vec<FlowRow>,
}

/// Labour mobility: for each person, affiliations sorted by start date (ties by end date,
/// then organisation); each consecutive pair with different organisations is a move dated at
/// the start of the later one. Moves outside [`window_from`, `window_to`] (inclusive, when
/// given) are left out. `kind_of` maps organisations to a kind or sector; unknown organisations
/// get the kind `""`. An affiliation with an empty date or `to < from` is an error naming
/// its 1-based position.
pub fn mobility(
    affiliations: &[Affiliation],
    kind_of: &HashMap<String, String>,
    window_from: Option<&str>,
    window_to: Option<&str>,
    source: &str,
) -> Result<Mobility, Error> {
    let mut by_person: BTreeMap<&str, Vec<&Affiliation>> = BTreeMap::new();
    for (k, a) in affiliations.iter().enumerate() {
        let line = k as u64 + 1;
        let bad = |field: &str, value: &str, expected: &str| Error::BadValue {
            file: source.into(),
            line,
            field: field.into(),
            value: value.into(),
            expected: expected.into(),
        };
        if a.person.is_empty() {
            return Err(bad("person", "", "a person id"));
        }
        if a.organisation.is_empty() {
            return Err(bad("organisation", "", "an organisation id"));
        }
        if a.from.is_empty() {
            return Err(bad("from", "", "a start date YYYY-MM-DD"));
        }
        if let Some(to) = &a.to
            && to.as_str() < a.from.as_str()
        {
            return Err(bad(
                "to",
                to,
                &format!("a date not before `from` ({})", a.from),
            ));
        }
        by_person.entry(a.person.as_str()).or_default().push(a);
    }
    let kind = |o: &str| kind_of.get(o).cloned().unwrap_or_default();
    let mut moves = Vec::new();
    for (person, mut list) in by_person {
        list.sort_by(|a, b| {
            a.from
                .cmp(&b.from)
                .then_with(|| a.to.cmp(&b.to))
                .then_with(|| a.organisation.cmp(&b.organisation))
        });
        for w in list.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.organisation == b.organisation {
                continue;
            }
            if window_from.is_some_and(|f| b.from.as_str() < f)
                || window_to.is_some_and(|t| b.from.as_str() > t)
            {
                continue;
            }
            moves.push(Move {
                person: person.to_string(),
                from_organisation: a.organisation.clone(),
                to_organisation: b.organisation.clone(),
                from_kind: kind(&a.organisation),
                to_kind: kind(&b.organisation),
                date: b.from.clone(),
            });
        }
    }
    let mut flows: BTreeMap<(String, String), (u32, BTreeSet<String>)> = BTreeMap::new();
    for m in &moves {
        let f = flows
            .entry((m.from_kind.clone(), m.to_kind.clone()))
            .or_default();
        f.0 += 1;
        f.1.insert(m.person.clone());
    }
    let mut flows: Vec<FlowRow> = flows
        .into_iter()
        .map(|((a, b), (moves, people))| FlowRow {
            from_kind: a,
            to_kind: b,
            moves,
            people: people.len() as u32,
        })
        .collect();
    flows.sort_by(|a, b| {
        b.moves
            .cmp(&a.moves)
            .then_with(|| (&a.from_kind, &a.to_kind).cmp(&(&b.from_kind, &b.to_kind)))
    });
    Ok(Mobility { moves, flows })
}
