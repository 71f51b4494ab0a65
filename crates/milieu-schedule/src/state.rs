//! Mutable assignment of edges to slots with O(1) updates and an undo journal.

use crate::instance::{Instance, NO_SLOT, NONE};

pub(crate) struct State<'a> {
    pub inst: &'a Instance,
    pub slot_of: Vec<u8>,
    /// `at[p * ns + s]`: the edge participant `p` meets in slot `s`, or `NONE`.
    pub at: Vec<u32>,
    pub busy: Vec<u128>,
    pub deg: Vec<u32>,
    pub load: Vec<u32>,
    pub in_slot: Vec<Vec<u32>>,
    pos_in_slot: Vec<u32>,
    /// Slots whose tables are all taken.
    pub full: u128,
    /// Unscheduled edges that have a common available slot (candidates for insertion).
    pub unsched: Vec<u32>,
    pos_unsched: Vec<u32>,
    pub value: i64,
    pub musts: usize,
    pub prio: i64,
    /// `hist[c]`: requesting participants with `c` meetings.
    pub hist: Vec<u32>,
    journal: Vec<(u32, u8)>,
}

impl<'a> State<'a> {
    pub fn new(inst: &'a Instance) -> State<'a> {
        let m = inst.edges.len();
        let mut unsched = Vec::new();
        let mut pos_unsched = vec![NONE; m];
        for (e, edge) in inst.edges.iter().enumerate() {
            if edge.common != 0 && edge.fixed.is_none() {
                pos_unsched[e] = unsched.len() as u32;
                unsched.push(e as u32);
            }
        }
        let mut hist = vec![0u32; inst.ns + 2];
        hist[0] = inst.requester.iter().filter(|r| **r).count() as u32;
        State {
            inst,
            slot_of: vec![NO_SLOT; m],
            at: vec![NONE; inst.n * inst.ns],
            busy: vec![0; inst.n],
            deg: vec![0; inst.n],
            load: vec![0; inst.ns],
            in_slot: vec![Vec::new(); inst.ns],
            pos_in_slot: vec![NONE; m],
            full: if inst.tables == 0 {
                if inst.ns >= 128 {
                    u128::MAX
                } else {
                    (1u128 << inst.ns) - 1
                }
            } else {
                0
            },
            unsched,
            pos_unsched,
            value: 0,
            musts: 0,
            prio: 0,
            hist,
            journal: Vec::new(),
        }
    }

    #[inline]
    pub fn ends(&self, e: u32) -> (usize, usize) {
        let edge = &self.inst.edges[e as usize];
        (edge.u as usize, edge.v as usize)
    }

    /// Slots where edge `e` could be placed now without moving anything.
    #[inline]
    pub fn free_mask(&self, e: u32) -> u128 {
        let (u, v) = self.ends(e);
        if self.deg[u] >= self.inst.cap[u] || self.deg[v] >= self.inst.cap[v] {
            return 0;
        }
        self.inst.edges[e as usize].common & !self.busy[u] & !self.busy[v] & !self.full
    }

    #[inline]
    fn bump(&mut self, p: usize, up: bool) {
        if self.inst.requester[p] {
            let d = self.deg[p] as usize;
            if up {
                self.hist[d - 1] -= 1;
                self.hist[d] += 1;
            } else {
                self.hist[d + 1] -= 1;
                self.hist[d] += 1;
            }
        }
    }

    pub fn assign(&mut self, e: u32, s: usize) {
        debug_assert_eq!(self.slot_of[e as usize], NO_SLOT);
        let (u, v) = self.ends(e);
        let ns = self.inst.ns;
        debug_assert_eq!(self.at[u * ns + s], NONE);
        debug_assert_eq!(self.at[v * ns + s], NONE);
        self.journal.push((e, NO_SLOT));
        self.slot_of[e as usize] = s as u8;
        self.at[u * ns + s] = e;
        self.at[v * ns + s] = e;
        self.busy[u] |= 1u128 << s;
        self.busy[v] |= 1u128 << s;
        self.deg[u] += 1;
        self.deg[v] += 1;
        self.bump(u, true);
        self.bump(v, true);
        self.load[s] += 1;
        if self.load[s] >= self.inst.tables {
            self.full |= 1u128 << s;
        }
        self.pos_in_slot[e as usize] = self.in_slot[s].len() as u32;
        self.in_slot[s].push(e);
        let pu = self.pos_unsched[e as usize];
        if pu != NONE {
            let last = self.unsched.pop().unwrap_or(e);
            if last != e {
                self.unsched[pu as usize] = last;
                self.pos_unsched[last as usize] = pu;
            }
            self.pos_unsched[e as usize] = NONE;
        }
        self.value += self.inst.value[e as usize];
        let edge = &self.inst.edges[e as usize];
        self.prio += i64::from(edge.weight);
        if edge.must {
            self.musts += 1;
        }
    }

    pub fn unassign(&mut self, e: u32) {
        let s = self.slot_of[e as usize];
        debug_assert_ne!(s, NO_SLOT);
        let s = s as usize;
        let (u, v) = self.ends(e);
        let ns = self.inst.ns;
        self.journal.push((e, s as u8));
        self.slot_of[e as usize] = NO_SLOT;
        self.at[u * ns + s] = NONE;
        self.at[v * ns + s] = NONE;
        self.busy[u] &= !(1u128 << s);
        self.busy[v] &= !(1u128 << s);
        self.deg[u] -= 1;
        self.deg[v] -= 1;
        self.bump(u, false);
        self.bump(v, false);
        self.load[s] -= 1;
        self.full &= !(1u128 << s);
        let p = self.pos_in_slot[e as usize] as usize;
        let list = &mut self.in_slot[s];
        let last = list.pop().unwrap_or(e);
        if last != e {
            list[p] = last;
            self.pos_in_slot[last as usize] = p as u32;
        }
        self.pos_in_slot[e as usize] = NONE;
        let edge = &self.inst.edges[e as usize];
        if edge.fixed.is_none() && edge.common != 0 {
            self.pos_unsched[e as usize] = self.unsched.len() as u32;
            self.unsched.push(e);
        }
        self.value -= self.inst.value[e as usize];
        self.prio -= i64::from(edge.weight);
        if edge.must {
            self.musts -= 1;
        }
    }

    /// Current position of the journal, to roll back to.
    #[inline]
    pub fn mark(&self) -> usize {
        self.journal.len()
    }

    /// Undo every change made since `mark`.
    pub fn rollback(&mut self, mark: usize) {
        while self.journal.len() > mark {
            let Some((e, prev)) = self.journal.pop() else {
                break;
            };
            let cur = self.slot_of[e as usize];
            if cur != NO_SLOT {
                self.unassign(e);
                self.journal.pop();
            }
            if prev != NO_SLOT {
                self.assign(e, prev as usize);
                self.journal.pop();
            }
        }
    }

    /// Forget the journal (changes are committed).
    #[inline]
    pub fn commit(&mut self) {
        self.journal.clear();
    }

    /// Lowest meeting count among requesting participants and how many sit at it.
    pub fn fairness(&self) -> (u32, u32) {
        for (c, &k) in self.hist.iter().enumerate() {
            if k > 0 {
                return (c as u32, k);
            }
        }
        (0, 0)
    }

    /// Whether the edge is a fixed (or kept) meeting that never moves.
    #[inline]
    pub fn is_fixed(&self, e: u32) -> bool {
        self.inst.edges[e as usize].fixed.is_some()
    }
}
