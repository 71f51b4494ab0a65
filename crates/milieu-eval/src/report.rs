//! A self-contained HTML report: KPI trend charts (inline SVG), the motivation x outcome table
//! (suppressed cells shown as such), alerts and decision points. Every text from the registry
//! is escaped; the page loads nothing from elsewhere.

use crate::alerts::{AlertRow, Target};
use crate::kpi::KpiRow;
use crate::motivation::MotivationCellRow;
use crate::network::{NetworkComparison, picture_svg};
use std::fmt::Write;

/// What the report shows; the caller computes each part with this crate's functions.
pub struct ReportInput<'a> {
    pub title: &'a str,
    /// The evaluation date, printed (never read from the clock here).
    pub as_of: &'a str,
    pub kpis: &'a [KpiRow],
    /// KPIs charted, in order.
    pub charted: &'a [&'a str],
    pub motivation: &'a [MotivationCellRow],
    pub k: u64,
    pub alerts: &'a [AlertRow],
    pub targets: &'a [Target],
    /// The network at the start and the end of the range (none: the section says why).
    pub network: Option<&'a NetworkComparison>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn fmt_value(v: Option<f64>) -> String {
    match v {
        None => "n/a".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e12 => format!("{x:.0}"),
        Some(x) => format!("{x:.3}"),
    }
}

/// A line chart of one KPI's series: 480 x 160, periods on x, value on y from 0.
fn chart(kpi: &str, rows: &[&KpiRow]) -> String {
    let (w, h, left, bottom, top) = (480.0, 160.0, 44.0, 24.0, 18.0);
    let max = rows
        .iter()
        .filter_map(|r| r.value)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let n = rows.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + (w - left - 8.0) * i as f64 / n;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">",
        escape(kpi)
    );
    let _ = write!(
        svg,
        "<text x=\"{left}\" y=\"12\" font-size=\"12\">{}</text>\
         <line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"#999\"/>\
         <text x=\"2\" y=\"{}\" font-size=\"10\">{}</text><text x=\"2\" y=\"{}\" font-size=\"10\">0</text>",
        escape(kpi),
        h - bottom,
        w - 8.0,
        h - bottom,
        h - bottom,
        top + 8.0,
        escape(&fmt_value(Some(max))),
        h - bottom
    );
    let mut points = String::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(v) = r.value {
            let _ = write!(points, "{:.1},{:.1} ", x(i), y(v));
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#1f5fa8\"><title>{} {}</title></circle>",
                x(i),
                y(v),
                escape(&r.period),
                escape(&fmt_value(Some(v)))
            );
        }
    }
    let _ = write!(
        svg,
        "<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\"{}\"/>",
        points.trim_end()
    );
    if let (Some(f), Some(l)) = (rows.first(), rows.last()) {
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"{}\" font-size=\"10\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
            h - 6.0,
            escape(&f.period),
            w - 8.0,
            h - 6.0,
            escape(&l.period)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn signed(v: Option<f64>) -> String {
    match v {
        Some(x) if x > 0.0 => format!("+{}", fmt_value(Some(x))),
        other => fmt_value(other),
    }
}

/// "Network before and after": the measures side by side with the change, and a drawing of
/// the groups and the ties between them at each date.
fn network_section(h: &mut String, network: Option<&NetworkComparison>) {
    h.push_str("<h2 id=\"network\">Network before and after</h2>");
    let Some(n) = network else {
        h.push_str("<p>No network to compare: the range holds no members.</p>");
        return;
    };
    let _ = write!(
        h,
        "<p>Members' network on {} (start of the range) and on {} (end): ties in force between \
         members at each date. Groups are the communities of the whole range's network, the \
         same at both dates.</p><table><caption>Network measures</caption><tr><th scope=\"col\">measure</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">change</th></tr>",
        n.before.date, n.after.date, n.before.date, n.after.date
    );
    for m in &n.measures {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(m.kpi),
            fmt_value(m.before),
            fmt_value(m.after),
            signed(m.change())
        );
    }
    h.push_str("</table><div class=\"charts\">");
    let max_members = n
        .before
        .groups
        .iter()
        .chain(&n.after.groups)
        .map(|g| g.members)
        .max()
        .unwrap_or(1);
    let max_link = n
        .before
        .links
        .iter()
        .chain(&n.after.links)
        .map(|l| l.2)
        .max()
        .unwrap_or(1);
    for (p, when) in [(&n.before, "before"), (&n.after, "after")] {
        h.push_str(&picture_svg(
            p,
            &format!("{when}: {}", p.date),
            max_members,
            max_link,
        ));
    }
    h.push_str("</div>");
}

/// The report as one HTML document.
pub fn report_html(input: &ReportInput) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}}\
         table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:3px 6px;font-size:13px}}\
         .sup{{color:#888}}.charts svg{{margin:4px;border:1px solid #eee}}</style></head><body>\
         <h1>{t}</h1><p>As of {a}.</p>",
        t = escape(input.title),
        a = escape(input.as_of)
    );
    h.push_str("<h2>KPI trends</h2><div class=\"charts\">");
    for kpi in input.charted {
        let rows: Vec<&KpiRow> = input.kpis.iter().filter(|r| r.kpi == *kpi).collect();
        if !rows.is_empty() {
            h.push_str(&chart(kpi, &rows));
        }
    }
    h.push_str("</div>");

    network_section(&mut h, input.network);

    h.push_str("<h2>Decision points</h2>");
    if input.targets.is_empty() {
        h.push_str("<p>No targets agreed yet (<code>milieu evaluate target add</code>).</p>");
    } else {
        h.push_str("<table><tr><th>KPI</th><th>target</th><th>by</th><th>termination below</th><th>status</th><th>decision</th></tr>");
        for t in input.targets {
            let hit = |kind: &str| {
                input
                    .alerts
                    .iter()
                    .any(|a| a.kind == kind && a.subject == t.kpi)
            };
            let (status, decision) = if hit("termination_criterion") {
                (
                    "below the termination level",
                    "consider terminating or redesigning",
                )
            } else if hit("kpi_missed") {
                ("missed", "review: revise the target or the activity")
            } else if hit("kpi_off_track") {
                ("off track", "review at the next board meeting")
            } else {
                ("on track", "continue")
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&t.kpi),
                t.value,
                t.by,
                t.terminate_below.map_or(String::new(), |v| v.to_string()),
                status,
                decision
            );
        }
        h.push_str("</table>");
    }

    h.push_str("<h2>Alerts</h2>");
    if input.alerts.is_empty() {
        h.push_str("<p>No alerts.</p>");
    } else {
        h.push_str("<table><tr><th>kind</th><th>subject</th><th>period</th><th>detail</th></tr>");
        for a in input.alerts {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(a.kind),
                escape(&a.subject),
                escape(&a.period),
                escape(&a.detail)
            );
        }
        h.push_str("</table>");
    }

    let _ = write!(
        h,
        "<h2>Motivation x outcome</h2><p>Members with each motivation who reported at least one \
         outcome of each kind. Cells of fewer than {} members are suppressed (&#8226;).</p>",
        input.k
    );
    let motivations: Vec<_> = {
        let mut v: Vec<_> = input.motivation.iter().map(|c| c.motivation).collect();
        v.dedup();
        v
    };
    let kinds: Vec<_> = {
        let mut v: Vec<_> = input.motivation.iter().map(|c| c.outcome_kind).collect();
        v.sort();
        v.dedup();
        v
    };
    h.push_str("<table><tr><th>motivation</th><th>members</th>");
    for k in &kinds {
        let _ = write!(h, "<th>{}</th>", escape(&k.to_string()));
    }
    h.push_str("</tr>");
    for m in &motivations {
        let cells: Vec<_> = input
            .motivation
            .iter()
            .filter(|c| c.motivation == *m)
            .collect();
        let group = cells.first().and_then(|c| c.members_with_motivation);
        let _ = write!(
            h,
            "<tr><th>{}</th><td>{}</td>",
            escape(&m.to_string()),
            group.map_or("&#8226;".to_string(), |g| g.to_string())
        );
        for k in &kinds {
            match cells.iter().find(|c| c.outcome_kind == *k) {
                Some(c) if c.suppressed => h.push_str("<td class=\"sup\">&#8226;</td>"),
                Some(c) => {
                    let _ = write!(h, "<td>{}</td>", c.members.unwrap_or(0));
                }
                None => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");

    h.push_str("<h2>KPI table</h2><table><tr><th>period</th><th>KPI</th><th>value</th><th>numerator</th><th>denominator</th></tr>");
    for r in input.kpis.iter().filter(|r| input.charted.contains(&r.kpi)) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.period),
            escape(r.kpi),
            fmt_value(r.value),
            fmt_value(Some(r.numerator)),
            fmt_value(r.denominator)
        );
    }
    h.push_str("</table></body></html>\n");
    h
}
