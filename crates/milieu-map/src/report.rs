//! `milieu map report`: one self-contained HTML page (inline CSS and hand-rolled SVG, no
//! scripts, no external resources) a cluster manager can hand to a board. Every text taken
//! from data is escaped. The page is returned as a String; the caller writes the file.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::defs::Definitions;
use crate::error::{Error, Result};
use crate::lq::{Base, Benchmark, Level};
use crate::prioritise::{PrioritiseOptions, PriorityRow, Weights, prioritise};
use crate::relatedness::{RelatednessOptions, RelatednessRow, relatedness};
use crate::shift::{ShiftShareOptions, ShiftShareRow, shift_share};
use crate::strength::{StrengthOptions, StrengthRow, StrengthRules, strength};
use crate::table::Table;

/// Options of [`report_html`].
#[derive(Debug, Clone)]
pub struct ReportOptions<'a> {
    pub region: String,
    pub year: u16,
    /// Start year for growth and shift-share (None = the table's first year, if earlier).
    pub from_year: Option<u16>,
    pub definitions: &'a Definitions,
    pub base: Base,
    pub benchmark: Benchmark,
    pub weights: Weights,
    pub organised_actors: Option<&'a HashMap<String, u32>>,
    /// Traded clusters only (CMP practice).
    pub traded_only: bool,
    /// How many clusters in the charts.
    pub top: usize,
}

/// Everything the page shows, computed by the engine (also usable for a JSON report).
pub struct ReportData {
    pub region: String,
    pub region_name: String,
    pub year: u16,
    pub from_year: Option<u16>,
    pub strength: Vec<StrengthRow>,
    pub shift_share: Vec<ShiftShareRow>,
    pub related: Vec<RelatednessRow>,
    pub priorities: Vec<PriorityRow>,
    pub definitions: String,
}

/// Compute the report's data for one region.
pub fn report_data(table: &Table, opts: &ReportOptions) -> Result<ReportData> {
    let r = table.require_region(&opts.region)?;
    let from_year = match opts.from_year {
        Some(y) => Some(y),
        None => table.years().first().copied().filter(|&y| y < opts.year),
    };
    let strength_rows = strength(
        table,
        &StrengthOptions {
            year: opts.year,
            from_year,
            level: Level::Cluster,
            definitions: Some(opts.definitions),
            base: opts.base,
            benchmark: opts.benchmark.clone(),
            traded_only: opts.traded_only,
            organised_actors: opts.organised_actors,
            regions: Some(vec![opts.region.clone()]),
            rules: StrengthRules::default(),
        },
    )?;
    let traded_ok = |code: &str| {
        !opts.traded_only
            || opts
                .definitions
                .cluster(code)
                .and_then(|c| c.traded)
                .unwrap_or(false)
    };
    let strength_rows: Vec<StrengthRow> = strength_rows
        .into_iter()
        .filter(|s| traded_ok(&s.industry_or_cluster))
        .collect();
    let ss = match from_year {
        Some(f) => shift_share(
            table,
            &ShiftShareOptions {
                from: f,
                to: opts.year,
                level: Level::Cluster,
                definitions: Some(opts.definitions),
                benchmark: opts.benchmark.clone(),
                regions: Some(vec![opts.region.clone()]),
            },
        )?
        .rows
        .into_iter()
        .filter(|s| traded_ok(&s.industry_or_cluster))
        .collect(),
        None => Vec::new(),
    };
    let related: Vec<RelatednessRow> = relatedness(
        table,
        &RelatednessOptions {
            year: opts.year,
            level: Level::Cluster,
            definitions: Some(opts.definitions),
            regions: Some(vec![opts.region.clone()]),
            include_present: false,
            top_related: 3,
        },
    )?
    .into_iter()
    .filter(|s| traded_ok(&s.industry_or_cluster))
    .collect();
    let priorities = prioritise(
        table,
        &PrioritiseOptions {
            region: opts.region.clone(),
            year: opts.year,
            from_year,
            definitions: opts.definitions,
            base: opts.base,
            benchmark: opts.benchmark.clone(),
            weights: opts.weights,
            organised_actors: opts.organised_actors,
            traded_only: opts.traded_only,
        },
    )?;
    Ok(ReportData {
        region: opts.region.clone(),
        region_name: table.regions().name(r).to_string(),
        year: opts.year,
        from_year,
        strength: strength_rows,
        shift_share: ss,
        related,
        priorities,
        definitions: opts.definitions.name.clone(),
    })
}

/// The report as one HTML page.
pub fn report_html(table: &Table, opts: &ReportOptions) -> Result<String> {
    if opts.top == 0 {
        return Err(Error::option("top", "must be at least 1"));
    }
    let data = report_data(table, opts)?;
    Ok(render(&data, opts.top))
}

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{:+.1}%", x * 100.0))
}

const PALETTE: [&str; 8] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

/// Render the page from computed data.
pub fn render(d: &ReportData, top: usize) -> String {
    let mut h = String::new();
    let title = format!(
        "Cluster report: {} ({}), {}",
        d.region_name, d.region, d.year
    );
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{}</style></head><body>",
        escape(&title),
        CSS
    );
    let _ = write!(h, "<h1>{}</h1>", escape(&title));
    let total: f64 = d.strength.iter().map(|s| s.employment).sum();
    let strong = d.strength.iter().filter(|s| s.strong == Some(true)).count();
    let _ = write!(
        h,
        "<p class=\"lead\">Definitions <b>{}</b>. {} clusters with {} jobs; {} strong by the US Cluster Mapping Project rule.{}</p>",
        escape(&d.definitions),
        d.strength.len(),
        fmt_num(total),
        strong,
        match d.from_year {
            Some(f) => format!(" Growth and shift-share from {f} to {}.", d.year),
            None => " No earlier year in the table: growth and shift-share are not shown.".into(),
        }
    );

    // 1. Bubble chart: LQ x growth, area ~ employment.
    h.push_str("<h2>Specialisation and growth</h2><p class=\"note\">Each bubble is a cluster: horizontal position its location quotient (log scale; right of the line = more specialised than the benchmark), vertical position its annual growth, area its employment.</p>");
    h.push_str(&bubble_chart(d, top));

    // 2. Top clusters by employment.
    let mut by_emp: Vec<&StrengthRow> = d.strength.iter().collect();
    by_emp.sort_by(|a, b| b.employment.total_cmp(&a.employment));
    h.push_str("<h2>Top clusters</h2>");
    let bars: Vec<(String, f64, String)> = by_emp
        .iter()
        .take(top)
        .map(|s| {
            (
                s.name.clone(),
                s.employment,
                format!(
                    "{} jobs · LQ {:.2}{}",
                    fmt_num(s.employment),
                    s.lq.unwrap_or(0.0),
                    if s.strong == Some(true) {
                        " · strong"
                    } else {
                        ""
                    }
                ),
            )
        })
        .collect();
    h.push_str(&bar_chart(&bars, "#1f77b4"));

    // 3. Shift-share bars.
    if !d.shift_share.is_empty() {
        let mut ss: Vec<&ShiftShareRow> = d.shift_share.iter().collect();
        ss.sort_by(|a, b| b.change.abs().total_cmp(&a.change.abs()));
        ss.truncate(top);
        h.push_str("<h2>Shift-share: where the change came from</h2><p class=\"note\">National share: growth had the cluster grown like the whole benchmark economy. Industry mix: the cluster's own national trend. Regional shift: what the region did better or worse than the cluster nationally.</p>");
        h.push_str(&shift_chart(&ss));
    }

    // 4. Related clusters to grow into.
    if !d.related.is_empty() {
        h.push_str("<h2>Related clusters the region could grow into</h2><p class=\"note\">Clusters without specialisation (LQ &lt; 1) ranked by relatedness density: the share of their co-occurring clusters in which the region is already specialised.</p>");
        let bars: Vec<(String, f64, String)> = d
            .related
            .iter()
            .take(top)
            .map(|r| {
                (
                    r.name.to_string(),
                    r.density,
                    format!(
                        "density {:.2} · LQ {:.2}{}",
                        r.density,
                        r.lq,
                        match r.related_strengths.split("; ").next() {
                            Some(first) if !first.is_empty() =>
                                format!(" · nearest strength {first}"),
                            _ => String::new(),
                        }
                    ),
                )
            })
            .collect();
        h.push_str(&bar_chart(&bars, "#2ca02c"));
    }

    // 5. Priority table with parts.
    h.push_str("<h2>Priorities</h2><p class=\"note\">Score = weighted mean of percentile scores among the region's clusters; each cell shows value → score × weight.</p><table><thead><tr><th>#</th><th>Cluster</th><th>Score</th><th>Class</th><th>Growth vs benchmark</th><th>Size (share)</th><th>LQ</th><th>Jobs</th><th>Relatedness</th><th>Organised actors</th></tr></thead><tbody>");
    for p in d.priorities.iter().take(top.max(10)) {
        let cell = |v: String, s: f64, w: f64| {
            format!(
                "<td>{}<span class=\"part\"> → {:.2}×{:.2}</span></td>",
                escape(&v),
                s,
                w
            )
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td><b>{:.2}</b></td><td class=\"c-{}\">{}</td>{}{}{}{}{}{}</tr>",
            p.rank,
            escape(&p.name),
            p.score,
            p.classification,
            p.classification,
            cell(pct(p.growth), p.growth_score, p.growth_weight),
            cell(
                format!("{:.2}%", p.size * 100.0),
                p.size_score,
                p.size_weight
            ),
            cell(
                format!("{:.2}", p.specialisation),
                p.specialisation_score,
                p.specialisation_weight
            ),
            cell(fmt_num(p.jobs), p.jobs_score, p.jobs_weight),
            cell(
                format!("{:.2}", p.relatedness),
                p.relatedness_score,
                p.relatedness_weight
            ),
            cell(
                p.organised.map_or("unknown".into(), |n| n.to_string()),
                p.organised_score,
                p.organised_weight
            ),
        );
    }
    h.push_str("</tbody></table>");

    // 6. Strength and classification with the rule.
    h.push_str("<h2>Strength and classification</h2><table><thead><tr><th>Cluster</th><th>Jobs</th><th>LQ</th><th>Strong (CMP)</th><th>Stars</th><th>Class</th><th>Rule</th></tr></thead><tbody>");
    let mut st: Vec<&StrengthRow> = d.strength.iter().collect();
    st.sort_by(|a, b| {
        b.stars
            .cmp(&a.stars)
            .then(b.lq.unwrap_or(0.0).total_cmp(&a.lq.unwrap_or(0.0)))
    });
    for s in st {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{:.2}</td><td>{}</td><td>{}</td><td class=\"c-{}\">{}</td><td class=\"rule\">{}</td></tr>",
            escape(&s.name),
            fmt_num(s.employment),
            s.lq.unwrap_or(0.0),
            match s.strong {
                Some(true) => "yes",
                Some(false) => "no",
                None => "n/a",
            },
            "★".repeat(s.stars as usize),
            s.classification,
            s.classification,
            escape(&s.classification_rule)
        );
    }
    h.push_str("</tbody></table>");
    h.push_str("<p class=\"foot\">Produced by milieu map. Formulas: docs/mapping.md. Strong-cluster rule: US Cluster Mapping Project (LQ in the top quartile of regions and LQ ≥ 1, employment and establishments above the bottom quartile). Stars: European Cluster Observatory style (size top 10%, LQ ≥ 2, focus top 10%).</p></body></html>");
    h
}

const CSS: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1000px;margin:2em auto;color:#222;padding:0 1em}h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}.lead{font-size:1.05em}.note{color:#555;font-size:.9em}table{border-collapse:collapse;width:100%;font-size:.85em}th,td{border-bottom:1px solid #eee;padding:.3em .4em;text-align:left;vertical-align:top}th{background:#f6f6f6}.part{color:#888;font-size:.85em}.rule{color:#555;font-size:.85em}.c-working{color:#1a7f37;font-weight:bold}.c-latent{color:#9a6700;font-weight:bold}.c-potential{color:#0969da}.c-none{color:#888}svg{display:block;margin:.5em 0}svg text{font-family:inherit}.foot{color:#777;font-size:.8em;margin-top:3em}";

fn bubble_chart(d: &ReportData, top: usize) -> String {
    let (w, hgt, ml, mr, mt, mb) = (900.0, 460.0, 60.0, 20.0, 20.0, 50.0);
    let pts: Vec<(&StrengthRow, f64, f64)> = d
        .strength
        .iter()
        .filter(|s| s.employment > 0.0 && s.lq.unwrap_or(0.0) > 0.0)
        .map(|s| (s, s.lq.unwrap_or(0.0).ln(), s.cagr.unwrap_or(0.0)))
        .collect();
    if pts.is_empty() {
        return "<p>No clusters with employment.</p>".into();
    }
    let (mut x0, mut x1) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(_, x, y) in &pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    x0 = x0.min(-0.1) - 0.2;
    x1 = x1.max(0.1) + 0.2;
    // Growth axis: the 5th..95th percentile of the clusters' growth (tiny clusters can grow
    // by 200%); points beyond are drawn on the edge as triangles.
    let mut ys: Vec<f64> = pts.iter().map(|p| p.2).collect();
    ys.sort_by(f64::total_cmp);
    let q = |p: f64| crate::strength::quantile(&ys, p).unwrap_or(0.0);
    let (qlo, qhi) = (q(0.05), q(0.95));
    y0 = y0.max(qlo - (qhi - qlo) * 0.15).min(0.0);
    y1 = y1.min(qhi + (qhi - qlo) * 0.15).max(0.0);
    let pad = ((y1 - y0) * 0.1).max(0.005);
    y0 -= pad;
    y1 += pad;
    let sx = |x: f64| ml + (x - x0) / (x1 - x0) * (w - ml - mr);
    let sy = |y: f64| mt + (y1 - y) / (y1 - y0) * (hgt - mt - mb);
    let emax = pts.iter().map(|p| p.0.employment).fold(0.0, f64::max);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {hgt}\" width=\"100%\" role=\"img\" aria-label=\"Location quotient versus growth\">"
    );
    // Axes and reference lines.
    let _ = write!(
        s,
        "<rect x=\"{ml}\" y=\"{mt}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
        w - ml - mr,
        hgt - mt - mb
    );
    let _ = write!(
        s,
        "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{mt}\" y2=\"{1}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/><line x1=\"{ml}\" x2=\"{2}\" y1=\"{3:.1}\" y2=\"{3:.1}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
        sx(0.0),
        hgt - mb,
        w - mr,
        sy(0.0)
    );
    for lq in [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0] {
        let x = f64::ln(lq);
        if x > x0 && x < x1 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{lq}</text>",
                sx(x),
                hgt - mb + 15.0
            );
        }
    }
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">Location quotient (log scale)</text>",
        (ml + w - mr) / 2.0,
        hgt - 10.0
    );
    for k in 0..=4 {
        let y = y0 + (y1 - y0) * k as f64 / 4.0;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">{:.1}%</text>",
            ml - 5.0,
            sy(y) + 4.0,
            y * 100.0
        );
    }
    let _ = write!(
        s,
        "<text transform=\"translate(14 {:.1}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">Annual growth (CAGR)</text>",
        (mt + hgt - mb) / 2.0
    );
    // Bubbles, largest first so small ones stay visible.
    let mut order: Vec<usize> = (0..pts.len()).collect();
    order.sort_by(|&a, &b| pts[b].0.employment.total_cmp(&pts[a].0.employment));
    for (rank, &k) in order.iter().enumerate() {
        let (row, x, y_raw) = pts[k];
        let y = y_raw.clamp(y0, y1);
        let r = 4.0 + 36.0 * (row.employment / emax).sqrt();
        let color = PALETTE[k % PALETTE.len()];
        if y != y_raw {
            let (cx, cy) = (sx(x), sy(y));
            let d = if y_raw > y { -7.0 } else { 7.0 };
            let _ = write!(
                s,
                "<path d=\"M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z\" fill=\"{color}\"><title>{}: LQ {:.2}, growth {} (off scale), {} jobs</title></path>",
                cx - 6.0,
                cy,
                cx + 6.0,
                cy,
                cx,
                cy + d,
                escape(&row.name),
                row.lq.unwrap_or(0.0),
                pct(row.cagr),
                fmt_num(row.employment)
            );
            continue;
        }
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"{color}\" fill-opacity=\"0.45\" stroke=\"{color}\"><title>{}: LQ {:.2}, growth {}, {} jobs</title></circle>",
            sx(x),
            sy(y),
            escape(&row.name),
            row.lq.unwrap_or(0.0),
            pct(row.cagr),
            fmt_num(row.employment)
        );
        if rank < top.min(8) {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                sx(x),
                sy(y) - r - 2.0,
                escape(&short(&row.name, 28))
            );
        }
    }
    s.push_str("</svg>");
    s
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn bar_chart(rows: &[(String, f64, String)], color: &str) -> String {
    let (w, row_h, label_w) = (900.0, 24.0, 300.0);
    let hgt = row_h * rows.len() as f64 + 10.0;
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-12);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {hgt}\" width=\"100%\" role=\"img\">"
    );
    for (i, (label, v, note)) in rows.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let bw = (w - label_w - 260.0) * v / max;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#444\">{}</text>",
            label_w - 6.0,
            y + 16.0,
            escape(&short(label, 45)),
            y + 3.0,
            row_h - 6.0,
            label_w + bw + 6.0,
            y + 16.0,
            escape(&short(note, 70))
        );
    }
    s.push_str("</svg>");
    s
}

fn shift_chart(rows: &[&ShiftShareRow]) -> String {
    let (w, row_h, label_w) = (900.0, 30.0, 300.0);
    let hgt = row_h * rows.len() as f64 + 40.0;
    let comps = |r: &ShiftShareRow| [r.national_share, r.industry_mix, r.regional_shift];
    let max = rows
        .iter()
        .flat_map(|r| comps(r))
        .map(f64::abs)
        .fold(0.0, f64::max)
        .max(1e-12);
    let zero = label_w + (w - label_w - 20.0) / 2.0;
    let half = (w - label_w - 20.0) / 2.0;
    let colors = ["#9e9e9e", "#ff7f0e", "#1f77b4"];
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {hgt}\" width=\"100%\" role=\"img\" aria-label=\"Shift-share components\">"
    );
    for (k, name) in ["national share", "industry mix", "regional shift"]
        .iter()
        .enumerate()
    {
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"14\" font-size=\"11\">{name}</text>",
            label_w + k as f64 * 150.0,
            colors[k],
            label_w + k as f64 * 150.0 + 16.0
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{zero:.1}\" x2=\"{zero:.1}\" y1=\"22\" y2=\"{hgt}\" stroke=\"#666\"/>"
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 26.0 + i as f64 * row_h;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{} ({:+.0})</text>",
            label_w - 6.0,
            y + 16.0,
            escape(&short(&r.name, 32)),
            r.change
        );
        for (k, v) in comps(r).iter().enumerate() {
            let bw = half * v.abs() / max;
            let x = if *v >= 0.0 { zero } else { zero - bw };
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"7\" fill=\"{}\"><title>{}: {:+.0}</title></rect>",
                y + 3.0 + k as f64 * 8.0,
                colors[k],
                ["national share", "industry mix", "regional shift"][k],
                v
            );
        }
    }
    s.push_str("</svg>");
    s
}
