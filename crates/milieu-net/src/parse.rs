//! Reading graphs from CSV: an edges file (`source,target[,weight]`) and an optional nodes file
//! (`id` + attribute columns). The library reads from any [`std::io::Read`]; the caller opens
//! (and gunzips) files and passes the file name for error messages.
//!
//! Rules (documented in docs/network.md):
//! - Both files start with a header row. Cells are trimmed.
//! - Edges: columns `source` and `target` (and `weight`) by name; when the header has no
//!   `source`/`target`, the first two columns are source and target and a third column, if any,
//!   is the weight. A weight must be a finite number > 0 (error with line otherwise).
//! - Nodes: the column `id` (or the first column when there is no `id`) is the node id; every
//!   other column is an attribute. Duplicate ids and empty ids are errors.
//! - With a nodes file, an edge naming a node not in it is an error with line; nodes without
//!   edges are kept (isolates). Without a nodes file, nodes are created in order of appearance.
//! - Self-loops and duplicate edges follow [`BuildOptions`] (default: error with line).

use std::io::Read;

use crate::error::Error;
use crate::graph::{BuildOptions, Graph, GraphBuilder};

/// A parsed nodes file: ids in file order, attribute columns, and the line of each id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeTable {
    pub ids: Vec<String>,
    pub lines: Vec<u64>,
    pub columns: Vec<String>,
    /// `values[c][i]` is column `columns[c]` of node `ids[i]`.
    pub values: Vec<Vec<String>>,
}

/// Options for [`read_edges_csv`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EdgesCsvOptions {
    pub directed: bool,
    pub build: BuildOptions,
}

fn csv_reader<R: Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader)
}

fn csv_error(file: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    Error::Csv {
        file: file.to_string(),
        line,
        message: e.to_string(),
    }
}

/// Reads a nodes CSV (`id` + attribute columns).
pub fn read_nodes_csv<R: Read>(reader: R, file: &str) -> Result<NodeTable, Error> {
    let mut rdr = csv_reader(reader);
    let header = rdr.headers().map_err(|e| csv_error(file, e))?.clone();
    if header.is_empty() {
        return Err(Error::MissingColumn {
            file: file.into(),
            column: "id".into(),
            expected: "`id` and optional attribute columns".into(),
        });
    }
    let id_col = header.iter().position(|h| h == "id").unwrap_or(0);
    let attr_cols: Vec<usize> = (0..header.len()).filter(|&c| c != id_col).collect();
    let mut table = NodeTable {
        columns: attr_cols.iter().map(|&c| header[c].to_string()).collect(),
        values: vec![Vec::new(); attr_cols.len()],
        ..Default::default()
    };
    let mut seen = std::collections::HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, e)),
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let id = record.get(id_col).unwrap_or("");
        if id.is_empty() {
            return Err(Error::BadValue {
                file: file.into(),
                line,
                field: header[id_col].to_string(),
                value: String::new(),
                expected: "a non-empty node id".into(),
            });
        }
        if let Some(&first) = seen.get(id) {
            return Err(Error::DuplicateNode {
                file: file.into(),
                line,
                first_line: first,
                id: id.into(),
            });
        }
        seen.insert(id.to_string(), line);
        table.ids.push(id.to_string());
        table.lines.push(line);
        for (k, &c) in attr_cols.iter().enumerate() {
            table.values[k].push(record.get(c).unwrap_or("").to_string());
        }
    }
    Ok(table)
}

/// Reads an edges CSV (`source,target[,weight]`) into a graph, with the nodes of `nodes` (in
/// their order, with their attributes) when given.
pub fn read_edges_csv<R: Read>(
    reader: R,
    file: &str,
    nodes: Option<&NodeTable>,
    options: &EdgesCsvOptions,
) -> Result<Graph, Error> {
    let mut rdr = csv_reader(reader);
    let header = rdr.headers().map_err(|e| csv_error(file, e))?.clone();
    let by_name = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
    let (src, tgt, wcol) = match (by_name("source"), by_name("target")) {
        (Some(s), Some(t)) => (s, t, by_name("weight")),
        _ if header.len() >= 2 => (0, 1, if header.len() >= 3 { Some(2) } else { None }),
        _ => {
            return Err(Error::MissingColumn {
                file: file.into(),
                column: "target".into(),
                expected: "`source,target[,weight]`".into(),
            });
        }
    };
    let mut b = GraphBuilder::new(options.directed, wcol.is_some()).source_name(file);
    if let Some(t) = nodes {
        for id in &t.ids {
            b.node(id);
        }
        for (c, name) in t.columns.iter().enumerate() {
            b.declare_attribute(name);
            for (i, val) in t.values[c].iter().enumerate() {
                if !val.is_empty() {
                    b.set_attribute(i as u32, name, val);
                }
            }
        }
    }
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, e)),
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let mut ends = [0u32; 2];
        for (k, col) in [src, tgt].into_iter().enumerate() {
            let value = record.get(col).unwrap_or("");
            let field = header.get(col).unwrap_or("").to_string();
            if value.is_empty() {
                return Err(Error::BadValue {
                    file: file.into(),
                    line,
                    field,
                    value: String::new(),
                    expected: "a node id".into(),
                });
            }
            ends[k] = if nodes.is_some() {
                b.existing_node(value).ok_or_else(|| Error::UnknownNode {
                    file: file.into(),
                    line,
                    field,
                    value: value.into(),
                })?
            } else {
                b.node(value)
            };
        }
        let weight = match wcol {
            None => 1.0,
            Some(c) => {
                let raw = record.get(c).unwrap_or("");
                match raw.parse::<f64>() {
                    Ok(w) if w.is_finite() && w > 0.0 => w,
                    _ => {
                        return Err(Error::BadValue {
                            file: file.into(),
                            line,
                            field: header.get(c).unwrap_or("weight").to_string(),
                            value: raw.into(),
                            expected:
                                "a finite number > 0 (negative and zero weights are rejected)"
                                    .into(),
                        });
                    }
                }
            }
        };
        b.add_edge_at(ends[0], ends[1], weight, line)?;
    }
    b.build(&options.build)
}
