//! Network analysis use cases (`milieu net ...`): graphs from the registry or from files, fed
//! to milieu-net.
//!
//! Graph building is a pure function of a [`Registry`] snapshot and a [`GraphSpec`], so it is
//! tested without a database; [`load_registry`] reads the snapshot from any
//! [`Store`](milieu_store::Store).
//!
//! Rules (docs/network.md, "Graphs from the registry"):
//! - Layers: ties (organisation to organisation), co-attendance at events, co-participation in
//!   projects and shared affiliations, the last three projected from two-mode data with
//!   milieu-net's projection (count, Newman or plain weights; events larger than
//!   `max_size` skipped). `all` adds ties, events and projects on organisations, summing the
//!   weights of the layers.
//! - Dates: ties in force (start inclusive, end exclusive); events held on or before `--at`
//!   (or inside `--from..--to`); projects, affiliations and memberships overlapping the window.
//! - Visibility: the graph holds the ties the asking account ([`GraphSpec::viewer`], a
//!   [`Principal`](crate::access::Principal)) may see under the one rule of [`crate::access`]: the team sees public,
//!   cluster and staff ties (a private tie belongs to its two parties only); a member sees public
//!   and cluster ties and the ties it is a party to; a funder public ties only.
//! - Several ties between the same two organisations (different kinds or periods) make one
//!   edge whose weight is the sum of their strengths (a tie without strength counts 1).
//!
//! Modules: [`spec`] (what to build), [`build`] (building graphs from the registry or files),
//! [`analyses`] (what is computed on a graph). This module maps milieu-net's errors.

use crate::AppError;
use milieu_io::{InputError, Position};
use milieu_model::ErrorCode;

mod analyses;
mod build;
mod spec;

pub use analyses::*;
pub use build::*;
pub use spec::*;

/// An engine error as the user should see it, with the engine's code kept (`net.unknown_node`,
/// ...): problems with a file's content are worded as [`InputError`] words them (file, line,
/// field, value, expected); bad parameters keep the engine's message.
pub fn net_error(e: milieu_net::Error) -> AppError {
    use milieu_net::Error as E;
    let code = e.error_code();
    let input = |file: &str, line: u64, field: Option<&str>, value: Option<&str>, exp: String| {
        let located = InputError::new(
            file,
            if line == 0 {
                Position::File
            } else {
                Position::Line(line)
            },
            field,
            value,
            exp,
        );
        AppError::Engine {
            code,
            message: located.to_string(),
        }
    };
    match e {
        E::Csv {
            file,
            line,
            message,
        } => input(&file, line, None, None, format!("a CSV row ({message})")),
        E::MissingColumn {
            file,
            column,
            expected,
        } => input(
            &file,
            1,
            Some(&column),
            None,
            format!("a header with {expected}"),
        ),
        E::BadValue {
            file,
            line,
            field,
            value,
            expected,
        } => input(&file, line, Some(&field), Some(&value), expected),
        E::UnknownNode {
            file,
            line,
            field,
            value,
        } => input(
            &file,
            line,
            Some(&field),
            Some(&value),
            "a node listed in the nodes file".into(),
        ),
        E::DuplicateNode {
            file,
            line,
            first_line,
            id,
        } => input(
            &file,
            line,
            Some("id"),
            Some(&id),
            format!("a node id not listed before (first on line {first_line})"),
        ),
        E::SelfLoop { file, line, node } => input(
            &file,
            line,
            Some("target"),
            Some(&node),
            "an edge between two different nodes (or --self-loops drop)".into(),
        ),
        E::DuplicateEdge {
            file,
            line,
            first_line,
            source_node,
            target_node,
        } => input(
            &file,
            line,
            Some("source,target"),
            Some(&format!("{source_node},{target_node}")),
            format!(
                "an edge not given before (first on line {first_line}), or --duplicates sum|max|first"
            ),
        ),
        e @ (E::InvalidParameter { .. } | E::Unsupported(_)) => AppError::engine(&e),
    }
}

fn usage(message: impl Into<String>) -> AppError {
    AppError::Usage(message.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Principal;
    use milieu_model::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn tie(start: &str, end: Option<&str>) -> Tie {
        Tie {
            id: TieId::new("t"),
            from: OrgId::new("a"),
            to: OrgId::new("b"),
            kind: TieKind::Alliance,
            start: d(start),
            end: end.map(d),
            strength: None,
            trust: None,
            source: TieSource::Import,
            event: None,
            introduction: None,
            visibility: Visibility::Private,
            note: String::new(),
        }
    }

    #[test]
    fn window_rules_at_the_edges() {
        let t = tie("2020-01-01", Some("2021-01-01"));
        // In force: start inclusive, end exclusive.
        assert!(Window::at(d("2020-01-01")).tie(&t));
        assert!(!Window::at(d("2021-01-01")).tie(&t));
        let period = |a: &str, b: &str| Window::new(None, Some(d(a)), Some(d(b))).unwrap();
        assert!(period("2019-01-01", "2020-01-01").tie(&t));
        assert!(!period("2021-01-01", "2022-01-01").tie(&t));
        // Spans are inclusive at both ends; missing ends are open.
        assert!(Window::at(d("2021-01-01")).span(Some(d("2020-01-01")), Some(d("2021-01-01"))));
        assert!(Window::at(d("1990-01-01")).span(None, Some(d("2021-01-01"))));
        assert!(
            !period("2022-01-01", "2023-01-01").span(Some(d("2020-01-01")), Some(d("2021-12-31")))
        );
        // Events accumulate up to --at.
        assert!(Window::at(d("2021-01-01")).event(d("2015-06-01")));
        assert!(!Window::at(d("2021-01-01")).event(d("2021-01-02")));
        assert!(!period("2020-01-01", "2020-12-31").event(d("2021-01-01")));
        // --at with --from is refused, as is from > to.
        assert!(Window::new(Some(d("2020-01-01")), Some(d("2019-01-01")), None).is_err());
        assert!(Window::new(None, Some(d("2021-01-01")), Some(d("2020-01-01"))).is_err());
    }

    #[test]
    fn sector_two_digits() {
        assert_eq!(sector2(&SectorCode::parse("334510").unwrap()), "naics:33");
        assert_eq!(sector2(&SectorCode::parse("31-33").unwrap()), "naics:31");
        assert_eq!(
            sector2(&SectorCode::parse("nace:C26.11").unwrap()),
            "nace:C26"
        );
        assert_eq!(sector2(&SectorCode::parse("nace:C").unwrap()), "nace:C");
    }

    #[test]
    fn member_view_hides_other_members_private_and_staff_ties() {
        let mut reg = Registry {
            organisations: ["a", "b", "c"]
                .iter()
                .map(|id| Organisation::new(*id, *id, OrgKind::Firm))
                .collect(),
            ..Registry::default()
        };
        let mut ab = tie("2020-01-01", None);
        ab.visibility = Visibility::Staff;
        let mut bc = tie("2020-01-01", None);
        bc.from = OrgId::new("b");
        bc.to = OrgId::new("c");
        bc.strength = Some(4);
        let mut ac = tie("2020-01-01", None);
        ac.to = OrgId::new("c");
        ac.visibility = Visibility::Public;
        reg.ties = vec![ab, bc, ac];
        let spec = |viewer| GraphSpec {
            viewer,
            ..GraphSpec::default()
        };
        // The staff see the staff and public ties, not the private b-c.
        let (g, facts) = build_graph(&reg, &spec(Principal::cluster_team())).unwrap();
        assert_eq!((g.edge_count(), facts.ties_hidden), (2, 1));
        // c sees its own private tie b-c and the public a-c, not the staff tie a-b.
        let (g, facts) = build_graph(&reg, &spec(Principal::member_of(OrgId::new("c")))).unwrap();
        assert_eq!((g.edge_count(), facts.ties_hidden), (2, 1));
        assert!(g.node("b").is_some());
        let (g, _) = build_graph(&reg, &spec(Principal::member_of(OrgId::new("a")))).unwrap();
        assert_eq!(g.edge_count(), 2);
        let (b, c) = (g.node("b").unwrap(), g.node("c").unwrap());
        assert!(g.out_adjacency().weight(b, c).is_none());
        // Weights are strengths (none counts 1).
        let (g, _) = build_graph(&reg, &spec(Principal::member_of(OrgId::new("b")))).unwrap();
        let (b, c) = (g.node("b").unwrap(), g.node("c").unwrap());
        assert_eq!(g.out_adjacency().weight(b, c), Some(4.0));
    }
}
