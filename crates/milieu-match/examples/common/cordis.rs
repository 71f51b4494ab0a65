//! Loads the CORDIS H2020 participations extract into a milieu registry (organisations with
//! kind and country, projects with start date and programme parts as topics, participations).

use flate2::read::GzDecoder;
use milieu_model::{
    Dataset, OrgKind, Organisation, Participation, Project, ProjectId, ProjectRole, parse_date,
};
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// `../shared/data` beside the workspace, or `MILIEU_SHARED_DATA`.
pub fn shared_data() -> PathBuf {
    std::env::var_os("MILIEU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn kind(code: &str) -> OrgKind {
    match code {
        "HES" => OrgKind::University,
        "REC" => OrgKind::ResearchInstitute,
        "PRC" => OrgKind::Firm,
        "PUB" => OrgKind::Agency,
        _ => OrgKind::Other,
    }
}

pub fn load(dir: &Path) -> Result<Dataset, Box<dyn std::error::Error>> {
    let parts_path = dir.join("h2020_project_programme_parts_before_2018.csv.gz");
    let mut topics: HashMap<String, Vec<String>> = HashMap::new();
    let mut rdr = csv::Reader::from_reader(GzDecoder::new(File::open(&parts_path)?));
    for row in rdr.records() {
        let row = row?;
        let list = topics.entry(row[0].to_string()).or_default();
        if !list.iter().any(|t| t == &row[1]) {
            list.push(row[1].to_string());
        }
    }
    let path = dir.join("h2020_participations_before_2018.csv.gz");
    let mut rdr = csv::Reader::from_reader(GzDecoder::new(File::open(&path)?));
    let headers = rdr.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column {name}", path.display()))
    };
    let (c_rcn, c_role, c_pic, c_type, c_country, c_start) = (
        col("rcn")?,
        col("role")?,
        col("pic")?,
        col("type")?,
        col("country")?,
        col("start_date")?,
    );
    let mut ds = Dataset::default();
    let mut orgs: HashMap<String, usize> = HashMap::new();
    let mut projects: HashMap<String, usize> = HashMap::new();
    for (line, row) in rdr.records().enumerate() {
        let row = row?;
        let pic = &row[c_pic];
        if !orgs.contains_key(pic) {
            let mut org = Organisation::new(pic, "", kind(&row[c_type]));
            let country = row[c_country].trim();
            if !country.is_empty() {
                org.country = Some(country.to_string());
            }
            orgs.insert(pic.to_string(), ds.organisations.len());
            ds.organisations.push(org);
        }
        let rcn = &row[c_rcn];
        if !projects.contains_key(rcn) {
            let start = parse_date(&row[c_start]).ok_or_else(|| {
                format!(
                    "{}: line {}: bad start_date {:?}",
                    path.display(),
                    line + 2,
                    &row[c_start]
                )
            })?;
            projects.insert(rcn.to_string(), ds.projects.len());
            ds.projects.push(Project {
                id: ProjectId::new(rcn),
                title: String::new(),
                start: Some(start),
                end: None,
                topics: topics.get(rcn).cloned().unwrap_or_default(),
                budget: None,
            });
        }
        let role = match &row[c_role] {
            "coordinator" => ProjectRole::Coordinator,
            "participant" => ProjectRole::Participant,
            "partner" => ProjectRole::Partner,
            _ => ProjectRole::Other,
        };
        ds.participations.push(Participation {
            project: ProjectId::new(rcn),
            org: milieu_model::OrgId::new(pic),
            role,
            contribution: None,
        });
    }
    Ok(ds)
}
