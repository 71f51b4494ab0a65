//! The search: greedy construction, then ejection-chain local search under simulated annealing
//! for (musts, priority sum), then priority-neutral moves for fairness and for idle gaps.

use crate::instance::{Instance, NO_SLOT, NONE, bits};
use crate::state::State;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// When to stop a phase: a deadline and/or an iteration budget.
#[derive(Clone, Copy)]
pub(crate) struct Budget {
    pub deadline: Option<Instant>,
    pub iterations: Option<u64>,
}

impl Budget {
    fn progress(&self, start: Instant, start_budget_secs: f64, it: u64) -> f64 {
        let by_iter = self.iterations.map(|n| it as f64 / n.max(1) as f64);
        let by_time = self
            .deadline
            .map(|_| start.elapsed().as_secs_f64() / start_budget_secs.max(1e-9));
        match (by_iter, by_time) {
            (Some(a), Some(b)) => a.max(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => 1.0,
        }
    }
}

fn random_bit(mask: u128, rng: &mut ChaCha8Rng) -> usize {
    let k = mask.count_ones();
    let mut pick = rng.random_range(0..k);
    let mut m = mask;
    loop {
        let b = m.trailing_zeros();
        if pick == 0 {
            return b as usize;
        }
        pick -= 1;
        m &= m - 1;
    }
}

/// Whether count histogram `a` is better than `b` for fairness: at the lowest count where they
/// differ, `a` has fewer participants.
fn leximin_better(a: &[u32], b: &[u32]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// Greedy construction: musts first, then by priority, scarce pairs first; each meeting goes to
/// the free slot its two participants' other requests need least.
pub(crate) fn greedy(st: &mut State, rng: &mut ChaCha8Rng) {
    let inst = st.inst;
    let ns = inst.ns;
    // demand[p * ns + s]: how much p's requests want slot s (each request spreads one unit over
    // its common slots).
    let mut demand = vec![0f32; inst.n * ns];
    for edge in &inst.edges {
        if edge.fixed.is_some() || edge.common == 0 {
            continue;
        }
        let share = 1.0 / edge.common.count_ones() as f32;
        for s in bits(edge.common) {
            demand[edge.u as usize * ns + s] += share;
            demand[edge.v as usize * ns + s] += share;
        }
    }
    let mut order: Vec<(u32, u64)> = st
        .unsched
        .iter()
        .map(|&e| (e, rng.random::<u64>()))
        .collect();
    let key = |e: u32| {
        let edge = &inst.edges[e as usize];
        let slack_u =
            inst.adj[edge.u as usize].len() as f32 / inst.cap[edge.u as usize].max(1) as f32;
        let slack_v =
            inst.adj[edge.v as usize].len() as f32 / inst.cap[edge.v as usize].max(1) as f32;
        (
            !edge.must,
            std::cmp::Reverse(edge.weight),
            edge.common.count_ones(),
            ((slack_u + slack_v) * 16.0) as u32,
        )
    };
    order.sort_by(|a, b| key(a.0).cmp(&key(b.0)).then(a.1.cmp(&b.1)));
    for (e, _) in order {
        let mask = st.free_mask(e);
        if mask == 0 {
            continue;
        }
        let (u, v) = st.ends(e);
        let share = 1.0 / inst.edges[e as usize].common.count_ones() as f32;
        let mut best = (f32::INFINITY, NO_SLOT as usize);
        for s in bits(mask) {
            let mut c = demand[u * ns + s] + demand[v * ns + s];
            // Next to an existing meeting keeps days compact.
            let near = (st.busy[u] | st.busy[v]) & ((1u128 << s) << 1 | (1u128 << s) >> 1);
            if near != 0 {
                c -= 0.05;
            }
            c += 0.5 * st.load[s] as f32 / inst.tables.max(1) as f32;
            if c < best.0 {
                best = (c, s);
            }
        }
        for s in bits(inst.edges[e as usize].common) {
            demand[u * ns + s] -= share;
            demand[v * ns + s] -= share;
        }
        st.assign(e, best.1);
    }
    st.commit();
}

pub(crate) struct Search<'a, 'b> {
    pub st: &'b mut State<'a>,
    pub rng: ChaCha8Rng,
    pub iterations: u64,
    /// How many meetings of a full slot are sampled when it must give one up.
    pub slot_sample: usize,
    /// Victims are chosen to spare participants with few meetings.
    pub fair_mode: bool,
    /// Recursion depth of the ejection chain in annealing moves.
    pub depth: u32,
    /// First cooling cycle length in moves per request.
    pub cycle_factor: u64,
    /// One move in `shift_ratio` shifts a scheduled meeting; the others insert a request.
    pub shift_ratio: u32,
    /// Refill the other side of dropped meetings (augmenting-path step).
    pub refill: bool,
}

impl<'a, 'b> Search<'a, 'b> {
    fn inst(&self) -> &'a Instance {
        self.st.inst
    }

    /// The cheapest meeting of participant `p` to drop (never a fixed one).
    fn victim_of(&mut self, p: usize, avoid: u32) -> Option<u32> {
        let ns = self.inst().ns;
        let mut best: Option<(i64, u32, u32)> = None;
        for s in bits(self.st.busy[p]) {
            let f = self.st.at[p * ns + s];
            if f == avoid || self.st.is_fixed(f) {
                continue;
            }
            // In fairness mode, among equally cheap meetings drop the one whose other side has
            // the most meetings.
            let tie = if self.fair_mode {
                let (a, b) = self.st.ends(f);
                let other = if a == p { b } else { a };
                u32::MAX - self.st.deg[other]
            } else {
                self.rng.random::<u32>()
            };
            let key = (self.inst().value[f as usize], tie, f);
            if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                best = Some(key);
            }
        }
        best.map(|b| b.2)
    }

    /// A meeting to take out of full slot `s`: among a sample, the one that loses least
    /// (zero when it can move to another slot without disturbing anything).
    fn victim_in_slot(&mut self, s: usize) -> Option<u32> {
        let len = self.st.in_slot[s].len();
        if len == 0 {
            return None;
        }
        let mut best: Option<(i64, u32, u32)> = None;
        let tries = self.slot_sample.min(len);
        for _ in 0..tries {
            let f = self.st.in_slot[s][self.rng.random_range(0..len)];
            if self.st.is_fixed(f) {
                continue;
            }
            let movable = self.st.free_mask(f) & !(1u128 << s) != 0;
            let cost = if movable {
                0
            } else {
                self.inst().value[f as usize]
            };
            let tie = if self.fair_mode {
                let (a, b) = self.st.ends(f);
                u32::MAX - self.st.deg[a].min(self.st.deg[b])
            } else {
                0
            };
            if best.is_none_or(|b| (cost, tie) < (b.0, b.1)) {
                best = Some((cost, tie, f));
            }
        }
        best.map(|b| b.2)
    }

    /// Put an unscheduled edge back into some free slot if there is one.
    fn reinsert_free(&mut self, f: u32) -> bool {
        let mask = self.st.free_mask(f);
        if mask == 0 {
            return false;
        }
        let s = self.pick_slot(f, mask);
        self.st.assign(f, s);
        true
    }

    /// A slot from `mask` for edge `f`: prefer one next to the participants' other meetings.
    fn pick_slot(&mut self, f: u32, mask: u128) -> usize {
        let (u, v) = self.st.ends(f);
        let b = self.st.busy[u] | self.st.busy[v];
        let near = mask & ((b << 1) | (b >> 1));
        if near != 0 && self.rng.random_range(0..4) != 0 {
            random_bit(near, &mut self.rng)
        } else {
            random_bit(mask, &mut self.rng)
        }
    }

    /// Place unscheduled edge `e` in slot `s`, taking out whatever stands in the way (the two
    /// participants' meetings in `s`, a meeting of a participant at its maximum, a meeting of a
    /// full slot) and trying to move those elsewhere, recursively up to `depth`. The objective
    /// change is read from the state's value. Returns `None` when a fixed meeting is in the way
    /// (the caller rolls back).
    pub fn insert(&mut self, e: u32, s: usize, depth: u32) -> Option<()> {
        let inst = self.inst();
        let ns = inst.ns;
        let (u, v) = self.st.ends(e);
        let mut displaced: [u32; 3] = [NONE; 3];
        let mut nd = 0;
        for x in [u, v] {
            let f = self.st.at[x * ns + s];
            if f != NONE {
                if self.st.is_fixed(f) {
                    return None;
                }
                self.st.unassign(f);
                displaced[nd] = f;
                nd += 1;
            }
        }
        let mut dropped: [u32; 2] = [NONE; 2];
        let mut ndrop = 0;
        for x in [u, v] {
            if self.st.deg[x] >= inst.cap[x] {
                let f = self.victim_of(x, e)?;
                self.st.unassign(f);
                dropped[ndrop] = f;
                ndrop += 1;
            }
        }
        if self.st.load[s] >= inst.tables {
            let f = self.victim_in_slot(s)?;
            self.st.unassign(f);
            displaced[nd] = f;
            nd += 1;
        }
        self.st.assign(e, s);
        for &f in &displaced[..nd] {
            if self.st.slot_of[f as usize] != NO_SLOT || self.reinsert_free(f) {
                continue;
            }
            if depth > 0 {
                let common = inst.edges[f as usize].common & !(1u128 << s);
                if common != 0 {
                    let s2 = random_bit(common, &mut self.rng);
                    let mark = self.st.mark();
                    let v0 = self.st.value;
                    match self.insert(f, s2, depth - 1) {
                        Some(()) if self.st.value > v0 => {}
                        _ => self.st.rollback(mark),
                    }
                }
            }
        }
        // Augmenting-path step: the other side of a meeting that was dropped now has room (a
        // slot, a meeting under its maximum); give it its best request that fits as it stands.
        if self.refill {
            for &f in displaced[..nd].iter().chain(&dropped[..ndrop]) {
                if self.st.slot_of[f as usize] != NO_SLOT {
                    continue;
                }
                let (a, b) = self.st.ends(f);
                for y in [a, b] {
                    if y != u && y != v {
                        self.refill(y, f);
                    }
                }
            }
        }
        Some(())
    }

    /// Schedule the most valuable unscheduled request of `p` (other than `skip`) that fits
    /// without moving anything.
    fn refill(&mut self, p: usize, skip: u32) {
        let inst = self.inst();
        if self.st.deg[p] >= inst.cap[p] {
            return;
        }
        let mut best: Option<(i64, u32, u128)> = None;
        for &g in &inst.adj[p] {
            if g == skip || self.st.slot_of[g as usize] != NO_SLOT {
                continue;
            }
            let mask = self.st.free_mask(g);
            if mask != 0 && best.is_none_or(|b| inst.value[g as usize] > b.0) {
                best = Some((inst.value[g as usize], g, mask));
            }
        }
        if let Some((_, g, mask)) = best {
            let s = self.pick_slot(g, mask);
            self.st.assign(g, s);
        }
    }

    /// Simulated annealing over insert and shift moves on the value `musts * big + priority`,
    /// in cooling cycles from `t_start` to `t_end`, each twice as long as the one before and each
    /// starting from the best assignment so far; stops after two cycles without improvement,
    /// when `target` (an upper bound on the value) is reached, or when the budget runs out.
    /// Cycle lengths count moves, so the result depends only on the seed unless the deadline
    /// cuts the search short. Ends on the best assignment seen.
    pub fn anneal(&mut self, budget: Budget, t_start: f64, t_end: f64, target: i64) {
        let m = self.inst().edges.len() as u64;
        let mut cycle_len = (m * self.cycle_factor).clamp(100_000, 2_000_000);
        let mut best_value = self.st.value;
        let mut best_slots = self.st.slot_of.clone();
        let mut total: u64 = 0;
        let mut failed_cycles = 0;
        'cycles: while failed_cycles < 2 && best_value < target {
            let cycle_best = best_value;
            let mut temp = t_start;
            let mut it: u64 = 0;
            while it < cycle_len {
                if it.is_multiple_of(256) {
                    if budget.deadline.is_some_and(|d| Instant::now() >= d)
                        || budget.iterations.is_some_and(|n| total + it >= n)
                    {
                        total += it;
                        break 'cycles;
                    }
                    temp = t_start * (t_end / t_start).powf(it as f64 / cycle_len as f64);
                }
                it += 1;
                let mark = self.st.mark();
                let before = self.st.value;
                if self.random_move().is_none() {
                    self.st.rollback(mark);
                    continue;
                }
                let delta = self.st.value - before;
                let accept = delta >= 0 || {
                    let x = delta as f64 / temp;
                    x > -30.0 && self.rng.random::<f64>() < x.exp()
                };
                if accept {
                    self.st.commit();
                    if self.st.value > best_value {
                        best_value = self.st.value;
                        best_slots.clone_from(&self.st.slot_of);
                        if best_value >= target {
                            total += it;
                            break 'cycles;
                        }
                    }
                } else {
                    self.st.rollback(mark);
                }
            }
            total += it;
            if best_value > cycle_best {
                failed_cycles = 0;
            } else {
                failed_cycles += 1;
            }
            cycle_len *= 2;
            self.restore(&best_slots);
        }
        self.iterations += total;
        if self.st.value != best_value {
            self.restore(&best_slots);
        }
    }

    /// One random move (not committed): insert an unscheduled request, or shift a scheduled
    /// meeting to another slot. `None` when the move is impossible (the caller rolls back).
    fn random_move(&mut self) -> Option<()> {
        if !self.st.unsched.is_empty() && self.rng.random_range(0..self.shift_ratio) != 0 {
            // Insert an unscheduled request; prefer the more valuable of two.
            let n = self.st.unsched.len();
            let a = self.st.unsched[self.rng.random_range(0..n)];
            let b = self.st.unsched[self.rng.random_range(0..n)];
            let e = if self.inst().value[b as usize] > self.inst().value[a as usize] {
                b
            } else {
                a
            };
            let s = random_bit(self.inst().edges[e as usize].common, &mut self.rng);
            self.insert(e, s, self.depth)
        } else {
            // Shift a scheduled meeting to another slot.
            let s0 = self.rng.random_range(0..self.inst().ns);
            let len = self.st.in_slot[s0].len();
            if len == 0 {
                return None;
            }
            let e = self.st.in_slot[s0][self.rng.random_range(0..len)];
            let other = self.inst().edges[e as usize].common & !(1u128 << s0);
            if self.st.is_fixed(e) || other == 0 {
                return None;
            }
            let s = random_bit(other, &mut self.rng);
            self.st.unassign(e);
            self.insert(e, s, self.depth)
        }
    }

    /// Place every unscheduled request that fits without moving anything (most valuable first),
    /// so that each remaining one is blocked by something its reason can name.
    pub fn fill_free(&mut self) {
        let inst = self.inst();
        let mut list = self.st.unsched.clone();
        list.sort_by_key(|&e| (std::cmp::Reverse(inst.value[e as usize]), e));
        for e in list {
            let mask = self.st.free_mask(e);
            if mask != 0 {
                let s = self.pick_slot(e, mask);
                self.st.assign(e, s);
            }
        }
        self.st.commit();
    }

    /// Reset the assignment to `slots`.
    pub fn restore(&mut self, slots: &[u8]) {
        for (e, &s) in slots.iter().enumerate() {
            if self.st.slot_of[e] != NO_SLOT && self.st.slot_of[e] != s {
                self.st.unassign(e as u32);
            }
        }
        for (e, &s) in slots.iter().enumerate() {
            if s != NO_SLOT && self.st.slot_of[e] == NO_SLOT {
                self.st.assign(e as u32, s as usize);
            }
        }
        self.st.commit();
    }

    /// Raise the lowest meeting counts among requesters without losing value: insert moves for
    /// requesters with the fewest meetings, accepted when the value stays equal and the
    /// distribution of counts improves in the leximin order (fewer people at the lowest count
    /// that differs; so the minimum rises first, then the number at the minimum falls, then the
    /// next level).
    pub fn improve_fairness(&mut self, budget: Budget) {
        let start = Instant::now();
        let total_secs = budget
            .deadline
            .map(|d| d.saturating_duration_since(start).as_secs_f64())
            .unwrap_or(0.0);
        let inst = self.inst();
        let mut it = 0u64;
        let mut rounds_without_gain = 0;
        self.fair_mode = true;
        let mut before_hist = self.st.hist.clone();
        'rounds: while rounds_without_gain < 3 {
            let (min, _) = self.st.fairness();
            let mut low: Vec<usize> = (0..inst.n)
                .filter(|&p| {
                    inst.requester[p] && self.st.deg[p] <= min + 2 && self.st.deg[p] < inst.cap[p]
                })
                .collect();
            low.sort_by_key(|&p| (self.st.deg[p], p));
            let mut gained = false;
            for p in low {
                let edges = inst.adj[p].clone();
                'edges: for e in edges {
                    if self.st.slot_of[e as usize] != NO_SLOT
                        || inst.edges[e as usize].fixed.is_some()
                        || self.st.deg[p] >= inst.cap[p]
                    {
                        continue;
                    }
                    for s in bits(inst.edges[e as usize].common) {
                        it += 1;
                        if budget.progress(start, total_secs, it) >= 1.0 {
                            break 'rounds;
                        }
                        let mark = self.st.mark();
                        let before_value = self.st.value;
                        before_hist.clone_from(&self.st.hist);
                        if self.insert(e, s, 1).is_none() {
                            self.st.rollback(mark);
                            continue;
                        }
                        let better = self.st.value > before_value
                            || (self.st.value == before_value
                                && leximin_better(&self.st.hist, &before_hist));
                        if better {
                            self.st.commit();
                            gained = true;
                            break 'edges;
                        }
                        self.st.rollback(mark);
                    }
                }
            }
            if gained {
                rounds_without_gain = 0;
            } else {
                rounds_without_gain += 1;
            }
        }
        self.fair_mode = false;
        self.iterations += it;
    }

    /// Move meeting `e` of participant `p` (now in slot `s`) into a full slot `s2` that is a hole
    /// in p's day, exchanging it with a meeting `f` of `s2` whose two sides can take slot `s`;
    /// done when the idle slots of the four people involved decrease.
    fn swap_into_hole(&mut self, p: usize, e: u32, s: usize) -> bool {
        let inst = self.inst();
        let (u, v) = self.st.ends(e);
        let bit_s = 1u128 << s;
        let busy_p = self.st.busy[p];
        // Holes of p: available, free slots between the first and last meeting of a day.
        let mut holes = 0u128;
        for &day in &inst.day_masks {
            let b = busy_p & day;
            if b.count_ones() >= 2 {
                let lo = b.trailing_zeros();
                let hi = 127 - b.leading_zeros();
                let span = if hi - lo + 1 >= 128 {
                    u128::MAX
                } else {
                    ((1u128 << (hi - lo + 1)) - 1) << lo
                };
                holes |= span & !busy_p;
            }
        }
        let targets = holes
            & inst.edges[e as usize].common
            & !self.st.busy[u]
            & !self.st.busy[v]
            & self.st.full;
        for s2 in bits(targets) {
            let bit2 = 1u128 << s2;
            let old_uv = inst.idle(u, self.st.busy[u]) + inst.idle(v, self.st.busy[v]);
            let new_uv = inst.idle(u, (self.st.busy[u] & !bit_s) | bit2)
                + inst.idle(v, (self.st.busy[v] & !bit_s) | bit2);
            if new_uv >= old_uv {
                continue;
            }
            let gain = old_uv - new_uv;
            let len = self.st.in_slot[s2].len();
            for i in 0..len {
                let f = self.st.in_slot[s2][i];
                if self.st.is_fixed(f) || inst.edges[f as usize].common & bit_s == 0 {
                    continue;
                }
                let (a, b) = self.st.ends(f);
                if (self.st.busy[a] | self.st.busy[b]) & bit_s != 0 {
                    continue;
                }
                let old_ab = inst.idle(a, self.st.busy[a]) + inst.idle(b, self.st.busy[b]);
                let new_ab = inst.idle(a, (self.st.busy[a] & !bit2) | bit_s)
                    + inst.idle(b, (self.st.busy[b] & !bit2) | bit_s);
                if new_ab < old_ab + gain {
                    self.st.unassign(e);
                    self.st.unassign(f);
                    self.st.assign(e, s2);
                    self.st.assign(f, s);
                    self.st.commit();
                    return true;
                }
            }
        }
        false
    }

    /// The Kempe chain of slots `a` and `b` through edge `e` (in slot `a`): the meetings reached
    /// by alternating between the two slots through shared participants (a path or a cycle,
    /// since nobody has two meetings in a slot). `None` when it is too long, holds a fixed
    /// meeting, a meeting that cannot take the other slot, or the swap would overfill a slot.
    fn kempe_chain(&self, e: u32, a: usize, b: usize) -> Option<Vec<u32>> {
        const MAX_CHAIN: usize = 64;
        let inst = self.inst();
        let ns = inst.ns;
        let mut chain = vec![e];
        let mut i = 0;
        let (mut in_a, mut in_b) = (0u32, 0u32);
        while i < chain.len() {
            let f = chain[i];
            i += 1;
            if self.st.is_fixed(f) {
                return None;
            }
            let here = self.st.slot_of[f as usize] as usize;
            let other = if here == a { b } else { a };
            if inst.edges[f as usize].common & (1u128 << other) == 0 {
                return None;
            }
            if here == a {
                in_a += 1;
            } else {
                in_b += 1;
            }
            let (x, y) = self.st.ends(f);
            for z in [x, y] {
                let g = self.st.at[z * ns + other];
                if g != NONE && !chain.contains(&g) {
                    if chain.len() >= MAX_CHAIN {
                        return None;
                    }
                    chain.push(g);
                }
            }
        }
        let t = inst.tables;
        if self.st.load[a] - in_a + in_b > t || self.st.load[b] - in_b + in_a > t {
            return None;
        }
        Some(chain)
    }

    /// Swap slots `s` and a hole `h` of participant `p` along the Kempe chain through `e`
    /// when that lowers idle slots. Only the chain's two end participants change which slots
    /// they are busy in, so only they are evaluated.
    fn kempe_into_hole(&mut self, p: usize, e: u32, s: usize) -> bool {
        let inst = self.inst();
        let busy_p = self.st.busy[p];
        let mut holes = 0u128;
        for &day in &inst.day_masks {
            let b = busy_p & day;
            if b.count_ones() >= 2 {
                let lo = b.trailing_zeros();
                let hi = 127 - b.leading_zeros();
                let span = if hi - lo + 1 >= 128 {
                    u128::MAX
                } else {
                    ((1u128 << (hi - lo + 1)) - 1) << lo
                };
                holes |= span & !busy_p & inst.avail[p];
            }
        }
        for h in bits(holes & inst.edges[e as usize].common) {
            let Some(chain) = self.kempe_chain(e, s, h) else {
                continue;
            };
            // Participants whose busy set changes: those in exactly one of the two slots.
            let pair = (1u128 << s) | (1u128 << h);
            let mut touched: Vec<usize> = Vec::new();
            for &f in &chain {
                let (x, y) = self.st.ends(f);
                for z in [x, y] {
                    if (self.st.busy[z] & pair).count_ones() == 1 && !touched.contains(&z) {
                        touched.push(z);
                    }
                }
            }
            let before: u32 = touched.iter().map(|&z| inst.idle(z, self.st.busy[z])).sum();
            let after: u32 = touched
                .iter()
                .map(|&z| inst.idle(z, self.st.busy[z] ^ pair))
                .sum();
            if after < before {
                let slots: Vec<(u32, usize)> = chain
                    .iter()
                    .map(|&f| {
                        let here = self.st.slot_of[f as usize] as usize;
                        (f, if here == s { h } else { s })
                    })
                    .collect();
                for &(f, _) in &slots {
                    self.st.unassign(f);
                }
                for &(f, to) in &slots {
                    self.st.assign(f, to);
                }
                self.st.commit();
                return true;
            }
        }
        false
    }

    /// Fewer idle gaps without changing which meetings take place: move a meeting to another
    /// free slot, or swap the slots of two meetings of one participant.
    pub fn reduce_gaps(&mut self, budget: Budget) {
        let start = Instant::now();
        let total_secs = budget
            .deadline
            .map(|d| d.saturating_duration_since(start).as_secs_f64())
            .unwrap_or(0.0);
        let inst = self.inst();
        let ns = inst.ns;
        let mut improved = true;
        let mut it = 0u64;
        while improved {
            improved = false;
            for p in 0..inst.n {
                if budget.progress(start, total_secs, it) >= 1.0 {
                    self.iterations += it;
                    return;
                }
                if inst.idle(p, self.st.busy[p]) == 0 {
                    continue;
                }
                for s in bits(self.st.busy[p]) {
                    let e = self.st.at[p * ns + s];
                    if self.st.is_fixed(e) {
                        continue;
                    }
                    let (u, v) = self.st.ends(e);
                    let old = inst.idle(u, self.st.busy[u]) + inst.idle(v, self.st.busy[v]);
                    // Move to a free slot.
                    let mask = inst.edges[e as usize].common
                        & !self.st.busy[u]
                        & !self.st.busy[v]
                        & !self.st.full;
                    let mut done = false;
                    for s2 in bits(mask) {
                        it += 1;
                        let bu = (self.st.busy[u] & !(1u128 << s)) | (1u128 << s2);
                        let bv = (self.st.busy[v] & !(1u128 << s)) | (1u128 << s2);
                        if inst.idle(u, bu) + inst.idle(v, bv) < old {
                            self.st.unassign(e);
                            self.st.assign(e, s2);
                            self.st.commit();
                            improved = true;
                            done = true;
                            break;
                        }
                    }
                    if done {
                        break;
                    }
                    // Move into a full slot where p has a hole, swapping with a meeting there.
                    if self.swap_into_hole(p, e, s) {
                        improved = true;
                        break;
                    }
                    // Swap slots s and a hole along the whole Kempe chain through e.
                    if self.kempe_into_hole(p, e, s) {
                        improved = true;
                        break;
                    }
                    // Swap with another meeting of p.
                    let x = if u == p { v } else { u };
                    for s2 in bits(self.st.busy[p] & !(1u128 << s)) {
                        it += 1;
                        let g = self.st.at[p * ns + s2];
                        if self.st.is_fixed(g) {
                            continue;
                        }
                        let (gu, gv) = self.st.ends(g);
                        let y = if gu == p { gv } else { gu };
                        // e (p-x) goes to s2, g (p-y) goes to s.
                        if inst.edges[e as usize].common & (1u128 << s2) == 0
                            || inst.edges[g as usize].common & (1u128 << s) == 0
                            || self.st.busy[x] & (1u128 << s2) != 0
                            || self.st.busy[y] & (1u128 << s) != 0
                        {
                            continue;
                        }
                        let bx = (self.st.busy[x] & !(1u128 << s)) | (1u128 << s2);
                        let by = (self.st.busy[y] & !(1u128 << s2)) | (1u128 << s);
                        let old3 = inst.idle(x, self.st.busy[x]) + inst.idle(y, self.st.busy[y]);
                        let new3 = inst.idle(x, bx) + inst.idle(y, by);
                        if new3 < old3 {
                            self.st.unassign(e);
                            self.st.unassign(g);
                            self.st.assign(e, s2);
                            self.st.assign(g, s);
                            self.st.commit();
                            improved = true;
                            done = true;
                            break;
                        }
                    }
                    if done {
                        break;
                    }
                }
            }
        }
        self.iterations += it;
    }
}
