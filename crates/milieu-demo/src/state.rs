//! The generator's working state: the dataset being built, side tables the stages share
//! (what chain and place an organisation belongs to, who works where when, which initiative
//! has which members), and the random helpers.

use crate::DemoOptions;
use chrono::{Datelike, Days, Months, Weekday};
use milieu_model::{
    Dataset, Date, EventId, IntroductionId, OrgId, OrgKind, OutcomeId, OutcomeKind, Tie, TieId,
    TieKind, TieSource, Visibility,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

/// What the generator knows about an organisation beyond its record.
pub(crate) struct OrgInfo {
    pub kind: OrgKind,
    /// Value chain (firms) or field (research institutes).
    pub chain: Option<usize>,
    pub segment: Option<usize>,
    /// Home sub-region; `None` for organisations outside the region.
    pub subregion: Option<usize>,
    pub founded: Date,
    pub employees: u32,
    /// How keen it is on events (a heavy-tailed weight).
    pub activity: f64,
    /// Goods (indices into `world::GOODS`) it sells and buys.
    pub offers: Vec<u16>,
    pub requests: Vec<u16>,
    /// Its people over time: (person index, from, to).
    pub staff: Vec<(u32, Date, Option<Date>)>,
    /// Its head (CEO, director, professor) as a person index.
    pub lead: Option<u32>,
}

impl OrgInfo {
    pub fn external(&self) -> bool {
        self.subregion.is_none()
    }
    /// Community: value chain x sub-region, for home firms.
    pub fn community(&self) -> Option<usize> {
        Some(self.chain? * 4 + self.subregion?)
    }
    pub fn is_knowledge(&self) -> bool {
        matches!(self.kind, OrgKind::University | OrgKind::ResearchInstitute)
    }
}

/// A set of organisations that can be drawn from by activity, each a member from a date
/// (and possibly until one).
#[derive(Default, Clone)]
pub(crate) struct Pool {
    pub entries: Vec<(u32, Date, Option<Date>)>,
    cumulative: Vec<f64>,
}

impl Pool {
    pub fn new(entries: Vec<(u32, Date, Option<Date>)>, orgs: &[OrgInfo]) -> Self {
        let mut p = Self {
            entries,
            cumulative: Vec::new(),
        };
        p.finish(orgs);
        p
    }
    fn finish(&mut self, orgs: &[OrgInfo]) {
        let mut total = 0.0;
        self.cumulative = self
            .entries
            .iter()
            .map(|(o, _, _)| {
                total += orgs[*o as usize].activity;
                total
            })
            .collect();
    }
    pub fn active_on(&self, date: Date) -> impl Iterator<Item = u32> + '_ {
        self.entries
            .iter()
            .filter(move |(_, from, to)| *from <= date && to.is_none_or(|t| date < t))
            .map(|(o, _, _)| *o)
    }
}

/// An initiative's working data.
pub(crate) struct InitiativeInfo {
    pub chain: usize,
    pub index: usize,
    pub started: Date,
    pub host: u32,
    /// Shared, read-only once built.
    pub members: std::rc::Rc<Pool>,
    /// Broker people with their period.
    pub brokers: Vec<(u32, Date, Option<Date>)>,
}

#[derive(Default)]
pub(crate) struct PairState {
    pub meetings: u8,
    pub last_event: u32,
    /// The tie record currently in force for the pair, from events.
    pub tie: Option<u32>,
}

pub(crate) struct Gen<'a> {
    pub opts: &'a DemoOptions,
    pub rng: ChaCha8Rng,
    /// First and last day of the five simulated years.
    pub start: Date,
    pub end: Date,
    pub ds: Dataset,
    pub orgs: Vec<OrgInfo>,
    pub names_used: HashSet<String>,
    /// Home firms per community (chain x sub-region).
    pub communities: Vec<Vec<u32>>,
    /// Home firms per chain.
    pub chain_firms: Vec<Vec<u32>>,
    /// External organisations per chain (firms and research partners of that field).
    pub chain_externals: Vec<Vec<u32>>,
    /// Sellers of each good.
    pub good_sellers: Vec<Vec<u32>>,
    pub universities: Vec<u32>,
    /// Research institutes with their field.
    pub institutes: Vec<u32>,
    pub agency: u32,
    pub chamber: u32,
    pub investors: Vec<u32>,
    /// Host organisation (cluster management association) of each initiative, by chain.
    pub hosts: Vec<(usize, u32)>,
    pub initiatives: Vec<InitiativeInfo>,
    pub pairs: HashMap<(u32, u32), PairState>,
    /// Bit i set: the organisation was ever a member of initiative i.
    pub member_bits: Vec<u8>,
    /// Event-tie neighbours of each organisation (to meet again).
    pub neighbours: Vec<Vec<u32>>,
    /// Scratch marks: `mark[o] == stamp` means chosen in the current draw.
    pub mark: Vec<u32>,
    pub stamp: u32,
}

impl<'a> Gen<'a> {
    pub fn new(opts: &'a DemoOptions) -> Self {
        let years = opts.years.max(1);
        let end = opts.end;
        let start = end
            .checked_sub_months(Months::new(12 * years))
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .unwrap_or(end);
        Self {
            opts,
            rng: ChaCha8Rng::seed_from_u64(opts.seed),
            start,
            end,
            ds: Dataset::default(),
            orgs: Vec::new(),
            names_used: HashSet::new(),
            communities: vec![Vec::new(); crate::world::CHAINS.len() * 4],
            chain_firms: vec![Vec::new(); crate::world::CHAINS.len()],
            chain_externals: vec![Vec::new(); crate::world::CHAINS.len()],
            good_sellers: vec![Vec::new(); crate::world::GOODS.len()],
            universities: Vec::new(),
            institutes: Vec::new(),
            agency: 0,
            chamber: 0,
            investors: Vec::new(),
            hosts: Vec::new(),
            initiatives: Vec::new(),
            pairs: HashMap::new(),
            member_bits: Vec::new(),
            neighbours: Vec::new(),
            mark: Vec::new(),
            stamp: 0,
        }
    }

    // ---- random helpers -------------------------------------------------------------------

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }
    pub fn uniform(&mut self) -> f64 {
        self.rng.random::<f64>()
    }
    /// Uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..=hi)
        }
    }
    pub fn index(&mut self, len: usize) -> usize {
        self.rng.random_range(0..len)
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }
    /// A random element of one of the generator's own lists, without copying the list.
    pub fn pick_of(&mut self, list: impl Fn(&Self) -> &[u32]) -> Option<u32> {
        let len = list(self).len();
        if len == 0 {
            return None;
        }
        let i = self.index(len);
        Some(list(self)[i])
    }
    /// Index drawn in proportion to the weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut u = self.uniform() * total;
        for (i, w) in weights.iter().enumerate() {
            if u < *w {
                return i;
            }
            u -= w;
        }
        weights.len() - 1
    }
    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1: f64 = 1.0 - self.uniform();
        let u2: f64 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    pub fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        (mu + sigma * self.normal()).exp()
    }
    /// Poisson by inversion (fine for the small means used here).
    pub fn poisson(&mut self, lambda: f64) -> u32 {
        if lambda <= 0.0 {
            return 0;
        }
        let l = (-lambda).exp();
        let mut k = 0;
        let mut p = 1.0;
        loop {
            p *= self.uniform();
            if p <= l || k > 200 {
                return k;
            }
            k += 1;
        }
    }
    /// `k` distinct items (fewer when the slice is shorter), in random order.
    pub fn sample<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        let k = k.min(items.len());
        for i in 0..k {
            let j = self.int(i as i64, idx.len() as i64 - 1) as usize;
            idx.swap(i, j);
        }
        idx[..k].iter().map(|&i| items[i]).collect()
    }

    // ---- dates ----------------------------------------------------------------------------

    /// Uniform date in `a..=b` (a when b < a).
    pub fn date_between(&mut self, a: Date, b: Date) -> Date {
        let span = (b - a).num_days();
        if span <= 0 {
            return a;
        }
        a + Days::new(self.int(0, span) as u64)
    }
    pub fn days_after(&self, d: Date, days: i64) -> Date {
        if days >= 0 {
            d.checked_add_days(Days::new(days as u64)).unwrap_or(d)
        } else {
            d.checked_sub_days(Days::new((-days) as u64)).unwrap_or(d)
        }
    }
    pub fn years_before(&self, d: Date, years: f64) -> Date {
        self.days_after(d, -(years * 365.25) as i64)
    }
    /// A date `lo..=hi` days after `d`, but not after the reference date.
    pub fn after_capped(&mut self, d: Date, lo: i64, hi: i64) -> Date {
        let lag = self.int(lo, hi);
        self.days_after(d, lag).min(self.end).max(d)
    }
    /// Moves a weekend date to the nearest working day.
    pub fn working_day(&self, d: Date) -> Date {
        match d.weekday() {
            Weekday::Sat => self.days_after(d, -1),
            Weekday::Sun => self.days_after(d, 1).min(self.end),
            _ => d,
        }
    }

    // ---- records --------------------------------------------------------------------------

    pub fn org_id(&self, o: u32) -> OrgId {
        self.ds.organisations[o as usize].id.clone()
    }
    /// Index of an organisation the generator made (ids are `o{index + 1}`).
    pub fn org_index(&self, id: &OrgId) -> Option<u32> {
        let i: usize = id.as_str().strip_prefix('o')?.parse().ok()?;
        (1..=self.orgs.len()).contains(&i).then(|| (i - 1) as u32)
    }
    pub fn org_name(&self, o: u32) -> &str {
        &self.ds.organisations[o as usize].name
    }

    /// A private/staff/cluster/public mix: private is the default for what firms report; of
    /// the rest beyond staff, half is shared with the cluster's members and half is public.
    pub fn visibility(&mut self, private: f64, staff: f64) -> Visibility {
        let u = self.uniform();
        if u < private {
            Visibility::Private
        } else if u < private + staff {
            Visibility::Staff
        } else if u < private + staff + (1.0 - private - staff) / 2.0 {
            Visibility::Cluster
        } else {
            Visibility::Public
        }
    }

    /// Appends a tie and returns its index.
    #[allow(clippy::too_many_arguments)]
    pub fn add_tie(
        &mut self,
        from: u32,
        to: u32,
        kind: TieKind,
        start: Date,
        end: Option<Date>,
        strength: u8,
        source: TieSource,
        event: Option<EventId>,
        introduction: Option<IntroductionId>,
        visibility: Visibility,
        note: String,
    ) -> u32 {
        let trust_noise = self.int(-1, 1);
        let trust = (strength as i64 + trust_noise).clamp(1, 5) as u8;
        let id = TieId::new(format!("t{}", self.ds.ties.len() + 1));
        self.ds.ties.push(Tie {
            id,
            from: self.org_id(from),
            to: self.org_id(to),
            kind,
            start,
            end,
            strength: Some(strength.clamp(1, 5)),
            trust: Some(trust),
            source,
            event,
            introduction,
            visibility,
            note,
        });
        (self.ds.ties.len() - 1) as u32
    }

    #[allow(clippy::too_many_arguments)]
    pub fn add_outcome(
        &mut self,
        org: u32,
        partner: Option<u32>,
        kind: OutcomeKind,
        date: Date,
        tie: Option<u32>,
        event: Option<EventId>,
        introduction: Option<IntroductionId>,
        note: String,
    ) {
        let value = match kind {
            OutcomeKind::Sale => Some((self.lognormal(10.6, 1.0) / 100.0).round() * 100.0),
            OutcomeKind::Agreement if self.chance(0.4) => {
                Some((self.lognormal(11.5, 1.0) / 1000.0).round() * 1000.0)
            }
            _ => None,
        };
        let visibility = self.visibility(0.55, 0.40);
        let id = OutcomeId::new(format!("out{}", self.ds.outcomes.len() + 1));
        let partner = partner.map(|p| self.org_id(p));
        let tie = tie.map(|t| self.ds.ties[t as usize].id.clone());
        self.ds.outcomes.push(milieu_model::Outcome {
            id,
            org: self.org_id(org),
            kind,
            date,
            partner,
            tie,
            event,
            introduction,
            value,
            note,
            visibility,
        });
    }

    /// Whether `seller` offers something `buyer` asks for; returns the good.
    pub fn complement(&self, seller: u32, buyer: u32) -> Option<u16> {
        let wants = &self.orgs[buyer as usize].requests;
        self.orgs[seller as usize]
            .offers
            .iter()
            .copied()
            .find(|g| wants.contains(g))
    }

    /// A person of the organisation employed on the date, if any.
    pub fn staff_on(&mut self, org: u32, date: Date) -> Option<u32> {
        let staff = &self.orgs[org as usize].staff;
        let active: Vec<u32> = staff
            .iter()
            .filter(|(_, from, to)| *from <= date && to.is_none_or(|t| date < t))
            .map(|(p, _, _)| *p)
            .collect();
        if active.is_empty() {
            None
        } else {
            Some(self.pick(&active))
        }
    }

    /// Starts a fresh draw of distinct organisations.
    pub fn new_draw(&mut self) {
        if self.mark.len() < self.orgs.len() {
            self.mark.resize(self.orgs.len(), 0);
        }
        self.stamp += 1;
    }
    /// Marks `o` as chosen in the current draw; false when it already was.
    pub fn take(&mut self, o: u32) -> bool {
        let m = &mut self.mark[o as usize];
        if *m == self.stamp {
            false
        } else {
            *m = self.stamp;
            true
        }
    }

    /// Up to `k` distinct organisations of the pool active on `date`, drawn in proportion to
    /// their activity, excluding those already taken in the current draw.
    pub fn draw(&mut self, pool: &Pool, k: usize, date: Date) -> Vec<u32> {
        let mut out = Vec::with_capacity(k);
        let total = pool.cumulative.last().copied().unwrap_or(0.0);
        if total <= 0.0 || k == 0 {
            return out;
        }
        let mut attempts = 0;
        while out.len() < k && attempts < 30 * k + 50 {
            attempts += 1;
            let u = self.uniform() * total;
            let i = pool.cumulative.partition_point(|c| *c <= u);
            let Some(&(o, from, to)) = pool.entries.get(i) else {
                continue;
            };
            if from > date || to.is_some_and(|t| date >= t) || self.orgs[o as usize].founded > date
            {
                continue;
            }
            if self.take(o) {
                out.push(o);
            }
        }
        out
    }
}

/// Lowercase ASCII slug for e-mail domains: umlauts spelled out, other marks dropped.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let piece: &str = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            'é' | 'è' | 'ê' | 'É' => "e",
            'á' | 'à' => "a",
            'í' => "i",
            'ó' => "o",
            'ú' => "u",
            'ñ' => "n",
            'ł' => "l",
            'ś' => "s",
            'ń' => "n",
            'ż' | 'ź' => "z",
            'ę' => "e",
            'ą' => "a",
            'ć' => "c",
            c if c.is_ascii_alphanumeric() => {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            _ => "-",
        };
        if piece == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(piece);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Upper-cases the first letter.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub(crate) fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}
