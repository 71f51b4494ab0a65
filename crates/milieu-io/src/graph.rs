//! The tie network for Gephi and other tools: GraphML, GEXF 1.3 (with tie dates as a dynamic
//! timeline) or a plain JSON `{nodes, edges}` document. Nodes are organisations with their
//! kind, sector, region and country; edges are ties with kind, strength, trust and dates.

use milieu_model::{Organisation, Tie, Vocabulary};
use std::io::Write;

/// Escapes text for XML attribute and element content.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn node_attributes(o: &Organisation) -> [(&'static str, String); 5] {
    [
        ("name", o.name.clone()),
        ("kind", o.kind.as_str().to_string()),
        (
            "sector",
            o.sectors.first().map(|s| s.to_string()).unwrap_or_default(),
        ),
        ("region", o.region.clone().unwrap_or_default()),
        ("country", o.country.clone().unwrap_or_default()),
    ]
}

fn edge_attributes(t: &Tie) -> [(&'static str, String); 6] {
    [
        ("kind", t.kind.as_str().to_string()),
        (
            "strength",
            t.strength.map(|s| s.to_string()).unwrap_or_default(),
        ),
        ("trust", t.trust.map(|s| s.to_string()).unwrap_or_default()),
        ("start", t.start.to_string()),
        ("end", t.end.map(|d| d.to_string()).unwrap_or_default()),
        ("visibility", t.visibility.as_str().to_string()),
    ]
}

/// Weight of a tie for layout tools: its strength, or 1 when unknown.
fn weight(t: &Tie) -> u8 {
    t.strength.unwrap_or(1)
}

pub fn write_graphml(
    orgs: &[Organisation],
    ties: &[Tie],
    mut out: impl Write,
) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    if let Some(o) = orgs.first() {
        for (key, _) in node_attributes(o) {
            writeln!(
                out,
                r#"  <key id="n_{key}" for="node" attr.name="{key}" attr.type="string"/>"#
            )?;
        }
    }
    if let Some(t) = ties.first() {
        for (key, _) in edge_attributes(t) {
            writeln!(
                out,
                r#"  <key id="e_{key}" for="edge" attr.name="{key}" attr.type="string"/>"#
            )?;
        }
    }
    writeln!(
        out,
        r#"  <key id="e_weight" for="edge" attr.name="weight" attr.type="double"/>"#
    )?;
    writeln!(out, r#"  <graph id="ties" edgedefault="undirected">"#)?;
    for o in orgs {
        writeln!(out, r#"    <node id="{}">"#, xml_escape(o.id.as_str()))?;
        for (key, value) in node_attributes(o) {
            writeln!(
                out,
                r#"      <data key="n_{key}">{}</data>"#,
                xml_escape(&value)
            )?;
        }
        writeln!(out, "    </node>")?;
    }
    for t in ties {
        writeln!(
            out,
            r#"    <edge id="{}" source="{}" target="{}">"#,
            xml_escape(t.id.as_str()),
            xml_escape(t.from.as_str()),
            xml_escape(t.to.as_str())
        )?;
        for (key, value) in edge_attributes(t) {
            writeln!(
                out,
                r#"      <data key="e_{key}">{}</data>"#,
                xml_escape(&value)
            )?;
        }
        writeln!(out, r#"      <data key="e_weight">{}</data>"#, weight(t))?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

pub fn write_gexf(orgs: &[Organisation], ties: &[Tie], mut out: impl Write) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<gexf xmlns="http://gexf.net/1.3" version="1.3">"#)?;
    writeln!(
        out,
        r#"  <meta><creator>milieu</creator><description>ties between organisations</description></meta>"#
    )?;
    writeln!(
        out,
        r#"  <graph defaultedgetype="undirected" mode="dynamic" timeformat="date">"#
    )?;
    writeln!(out, r#"    <attributes class="node">"#)?;
    for (i, key) in ["kind", "sector", "region", "country"].iter().enumerate() {
        writeln!(
            out,
            r#"      <attribute id="{i}" title="{key}" type="string"/>"#
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge">"#)?;
    for (i, key) in ["kind", "strength", "trust", "visibility"]
        .iter()
        .enumerate()
    {
        writeln!(
            out,
            r#"      <attribute id="{i}" title="{key}" type="string"/>"#
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <nodes>")?;
    for o in orgs {
        let a = node_attributes(o);
        writeln!(
            out,
            r#"      <node id="{}" label="{}"><attvalues>"#,
            xml_escape(o.id.as_str()),
            xml_escape(&o.name)
        )?;
        for (i, (_, value)) in a.iter().skip(1).enumerate() {
            writeln!(
                out,
                r#"        <attvalue for="{i}" value="{}"/>"#,
                xml_escape(value)
            )?;
        }
        writeln!(out, "      </attvalues></node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for t in ties {
        let end = t.end.map(|d| format!(r#" end="{d}""#)).unwrap_or_default();
        writeln!(
            out,
            r#"      <edge id="{}" source="{}" target="{}" weight="{}" start="{}"{end}><attvalues>"#,
            xml_escape(t.id.as_str()),
            xml_escape(t.from.as_str()),
            xml_escape(t.to.as_str()),
            weight(t),
            t.start
        )?;
        let a = edge_attributes(t);
        for (i, idx) in [0usize, 1, 2, 5].iter().enumerate() {
            writeln!(
                out,
                r#"        <attvalue for="{i}" value="{}"/>"#,
                xml_escape(&a[*idx].1)
            )?;
        }
        writeln!(out, "      </attvalues></edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}

pub fn write_json(orgs: &[Organisation], ties: &[Tie], mut out: impl Write) -> std::io::Result<()> {
    let nodes: Vec<serde_json::Value> = orgs
        .iter()
        .map(|o| {
            let mut m = serde_json::Map::new();
            m.insert("id".into(), o.id.as_str().into());
            for (k, v) in node_attributes(o) {
                m.insert(k.into(), v.into());
            }
            serde_json::Value::Object(m)
        })
        .collect();
    let edges: Vec<serde_json::Value> = ties
        .iter()
        .map(|t| {
            let mut m = serde_json::Map::new();
            m.insert("id".into(), t.id.as_str().into());
            m.insert("source".into(), t.from.as_str().into());
            m.insert("target".into(), t.to.as_str().into());
            m.insert("weight".into(), weight(t).into());
            for (k, v) in edge_attributes(t) {
                m.insert(k.into(), v.into());
            }
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::to_writer(
        &mut out,
        &serde_json::json!({"nodes": nodes, "edges": edges}),
    )
    .map_err(std::io::Error::other)?;
    writeln!(out)
}
