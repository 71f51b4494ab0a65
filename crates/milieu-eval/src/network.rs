//! The network before and after, as the report shows it. The measures are computed by the
//! caller (milieu-app, with the network engine); this module only holds and draws them.

use crate::report::escape;
use milieu_model::Date;
use serde::Serialize;
use std::fmt::Write;

/// One measure at the two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkMeasure {
    pub kpi: &'static str,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

impl NetworkMeasure {
    /// after - before, when both are known.
    pub fn change(&self) -> Option<f64> {
        Some(self.after? - self.before?)
    }
}

/// A group of organisations (a community of the range's network) at one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkGroup {
    pub label: String,
    /// Members of the group in the network at the date.
    pub members: u64,
    /// Ties in force inside the group.
    pub internal_ties: u64,
}

/// The network at one date, summarised by groups: the ties between groups are what a
/// brokerage initiative sets out to create.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkPicture {
    pub date: Date,
    pub groups: Vec<NetworkGroup>,
    /// (group, group, ties in force between them), group indexes into `groups`.
    pub links: Vec<(usize, usize, u64)>,
}

/// The network at the start and at the end of the evaluated range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkComparison {
    pub measures: Vec<NetworkMeasure>,
    pub before: NetworkPicture,
    pub after: NetworkPicture,
}

/// Draws the groups on a circle (area proportional to members, ring width to internal ties)
/// and the ties between groups as lines (width proportional to ties). `scale` is the largest
/// group size over both pictures, so the two drawings compare.
pub fn picture_svg(p: &NetworkPicture, title: &str, max_members: u64, max_link: u64) -> String {
    let (w, h) = (320.0, 320.0);
    let (cx, cy, r) = (w / 2.0, h / 2.0 + 8.0, 110.0);
    let n = p.groups.len().max(1) as f64;
    let pos = |i: usize| {
        let a = std::f64::consts::TAU * i as f64 / n - std::f64::consts::FRAC_PI_2;
        (cx + r * a.cos(), cy + r * a.sin())
    };
    let radius = |m: u64| 3.0 + 22.0 * (m as f64 / max_members.max(1) as f64).sqrt();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\">\
         <title>{t}</title><text x=\"4\" y=\"14\" font-size=\"12\">{t}</text>",
        t = escape(title)
    );
    for &(a, b, ties) in &p.links {
        let ((x1, y1), (x2, y2)) = (pos(a), pos(b));
        let width = 0.5 + 6.0 * ties as f64 / max_link.max(1) as f64;
        let _ = write!(
            svg,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#c0392b\" stroke-opacity=\"0.6\" stroke-width=\"{width:.2}\"><title>{} - {}: {ties} ties</title></line>",
            escape(&p.groups[a].label),
            escape(&p.groups[b].label)
        );
    }
    for (i, g) in p.groups.iter().enumerate() {
        let (x, y) = pos(i);
        let ring = if g.members > 1 {
            0.5 + 4.0 * g.internal_ties as f64 / (g.members as f64 * 2.0)
        } else {
            0.5
        };
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"#1f5fa8\" fill-opacity=\"0.35\" stroke=\"#1f5fa8\" stroke-width=\"{:.2}\"><title>{}: {} members, {} ties inside</title></circle>\
             <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
            radius(g.members),
            ring.min(6.0),
            escape(&g.label),
            g.members,
            g.internal_ties,
            y + 3.0,
            escape(&g.label)
        );
    }
    svg.push_str("</svg>");
    svg
}
