//! Spin-offs (from the university, institutes and large firms) and acquisitions.

use crate::state::Gen;
use crate::world::{AUTO, CHAINS, FOOD, ICT, MEDTECH, Role};
use milieu_model::{OrgKind, Stage, TieKind, TieSource, Visibility};

impl Gen<'_> {
    /// Young knowledge-intensive firms founded out of the university, an institute or a large
    /// firm of their chain.
    pub(super) fn spin_offs(&mut self) {
        let anchors: Vec<Vec<u32>> = (0..CHAINS.len())
            .map(|c| {
                self.chain_firms[c]
                    .iter()
                    .copied()
                    .filter(|&o| self.orgs[o as usize].employees >= 250)
                    .collect()
            })
            .collect();
        for c in [MEDTECH, ICT, AUTO, FOOD] {
            let firms = self.chain_firms[c].clone();
            for o in firms {
                let info = &self.orgs[o as usize];
                let seg = &CHAINS[c].segments[info.segment.unwrap_or(0)];
                let young = matches!(
                    self.ds.organisations[o as usize].stage,
                    Some(Stage::StartUp | Stage::Growth)
                );
                if !young
                    || !matches!(seg.role, Role::Service | Role::Producer)
                    || info.employees >= 250
                    || !self.chance(0.35)
                {
                    continue;
                }
                let field_institutes: Vec<u32> = self
                    .institutes
                    .iter()
                    .copied()
                    .filter(|&i| self.orgs[i as usize].chain == Some(c))
                    .collect();
                let parent = match self.weighted(&[0.45, 0.35, 0.20]) {
                    1 if !field_institutes.is_empty() => self.pick(&field_institutes),
                    2 if !anchors[c].is_empty() => self.pick(&anchors[c]),
                    _ => self.pick_of(|s| &s.universities).unwrap_or(0),
                };
                let child_founded = self.orgs[o as usize].founded;
                if self.days_after(self.orgs[parent as usize].founded, 365) > child_founded
                    || parent == o
                {
                    continue;
                }
                self.ds.organisations[o as usize].parent = Some(self.org_id(parent));
                let strength = self.int(2, 4) as u8;
                self.add_tie(
                    parent,
                    o,
                    TieKind::SpinOff,
                    child_founded,
                    None,
                    strength,
                    TieSource::Observed,
                    None,
                    None,
                    Visibility::Public,
                    "spin-off".to_string(),
                );
            }
        }
    }

    /// Some small firms are bought by a larger firm of their chain, a few from abroad.
    pub(super) fn acquisitions(&mut self) {
        let home: usize = self.chain_firms.iter().map(Vec::len).sum();
        let count = ((home as f64 * 0.015).round() as usize).max(1);
        let mut done = 0;
        let mut attempts = 0;
        while done < count && attempts < count * 40 {
            attempts += 1;
            let c = self.weighted(&crate::world::chain_weights());
            if self.chain_firms[c].len() < 2 {
                continue;
            }
            let Some(target) = self.pick_of(|s| &s.chain_firms[c]) else {
                continue;
            };
            let t = &self.orgs[target as usize];
            if t.employees >= 250
                || t.kind != OrgKind::Firm
                || self.ds.organisations[target as usize].acquired_by.is_some()
            {
                continue;
            }
            let abroad = self.chance(0.25) && !self.chain_externals[c].is_empty();
            let Some(acquirer) = self.pick_of(|s| {
                if abroad {
                    &s.chain_externals[c]
                } else {
                    &s.chain_firms[c]
                }
            }) else {
                continue;
            };
            let a = &self.orgs[acquirer as usize];
            if acquirer == target
                || a.employees < 50
                || a.kind != OrgKind::Firm
                || self.ds.organisations[acquirer as usize]
                    .acquired_by
                    .is_some()
            {
                continue;
            }
            let earliest = self.orgs[target as usize]
                .founded
                .max(a.founded)
                .max(self.years_before(self.start, 3.0));
            let earliest = self.days_after(earliest, 180);
            if earliest >= self.end {
                continue;
            }
            let on = self.date_between(earliest, self.end);
            let acquirer_id = self.org_id(acquirer);
            let org = &mut self.ds.organisations[target as usize];
            org.acquired_by = Some(acquirer_id);
            org.acquired_on = Some(on);
            done += 1;
        }
    }
}
