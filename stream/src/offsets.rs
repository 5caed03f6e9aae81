//! Which offsets may be committed: per partition, the messages read whose outputs are not all
//! acknowledged yet. The offset committed is the first of those (or the one after the last
//! read), so a restart replays every message whose outputs might not be written, and none is
//! skipped. Pure: the member tells it what it read and what was acknowledged.
//!
//! Each assignment of a partition gets a fresh [`Slot`]: acknowledgements that arrive for a
//! partition after it was revoked name a slot that is gone, and are ignored.

use std::collections::{BTreeMap, HashMap};

/// One assignment of one partition.
pub type Slot = u64;

/// A partition read: its name and what is pending.
#[derive(Debug)]
struct Partition {
    topic: String,
    partition: i32,
    /// Offset -> outputs not acknowledged yet (no entry once all are).
    pending: BTreeMap<i64, usize>,
    /// The offset of the first message read in this assignment: where a restart would begin
    /// anyway, so not worth committing.
    first: Option<i64>,
    /// The offset after the last message read.
    next: Option<i64>,
    /// The offset last committed.
    committed: Option<i64>,
}

/// The partitions a member holds, and what of each may be committed.
///
/// ```
/// let mut offsets = cdpspec_stream::Offsets::default();
/// let slot = offsets.slot("raw", 0);
/// offsets.read(slot, 10, 2);
/// offsets.read(slot, 11, 1);
/// assert_eq!(offsets.committable(), vec![]);
/// offsets.acknowledged(slot, 11);
/// assert_eq!(offsets.committable(), vec![], "offset 10 is not written yet");
/// offsets.acknowledged(slot, 10);
/// offsets.acknowledged(slot, 10);
/// assert_eq!(offsets.committable(), vec![("raw".to_string(), 0, 12)]);
/// offsets.committed("raw", 0, 12);
/// assert_eq!(offsets.committable(), vec![]);
/// ```
#[derive(Debug, Default)]
pub struct Offsets {
    slots: HashMap<Slot, Partition>,
    by_name: HashMap<(String, i32), Slot>,
    last: Slot,
    in_flight: usize,
}

impl Offsets {
    /// The slot of `topic`/`partition`, a new one if it is not held.
    pub fn slot(&mut self, topic: &str, partition: i32) -> Slot {
        if let Some(slot) = self.by_name.get(&(topic.to_string(), partition)) {
            return *slot;
        }
        self.last += 1;
        let fresh = Partition { topic: topic.to_string(), partition, pending: BTreeMap::new(), first: None, next: None, committed: None };
        self.slots.insert(self.last, fresh);
        self.by_name.insert((topic.to_string(), partition), self.last);
        self.last
    }

    /// The message at `offset` was read, and `outputs` messages were sent for it.
    pub fn read(&mut self, slot: Slot, offset: i64, outputs: usize) {
        let Some(p) = self.slots.get_mut(&slot) else { return };
        if outputs > 0 && p.pending.insert(offset, outputs).is_none() {
            self.in_flight += 1;
        }
        p.first = Some(p.first.map_or(offset, |f| f.min(offset)));
        p.next = Some(p.next.map_or(offset + 1, |n| n.max(offset + 1)));
    }

    /// One output of the message at `offset` was acknowledged. Ignored for a slot not held.
    pub fn acknowledged(&mut self, slot: Slot, offset: i64) {
        let Some(p) = self.slots.get_mut(&slot) else { return };
        if let Some(left) = p.pending.get_mut(&offset) {
            *left -= 1;
            if *left == 0 {
                p.pending.remove(&offset);
                self.in_flight -= 1;
            }
        }
    }

    /// Messages read with outputs not all acknowledged, over every partition held.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// `(topic, partition, offset)` to commit, for each partition held that has progressed
    /// since its last commit.
    pub fn committable(&self) -> Vec<(String, i32, i64)> {
        let mut out: Vec<_> = self.slots.values().filter_map(|p| Some((p.topic.clone(), p.partition, Self::offset(p)?))).collect();
        out.sort();
        out
    }

    fn offset(p: &Partition) -> Option<i64> {
        let next = p.pending.keys().next().copied().or(p.next)?;
        let progressed = p.committed.map_or_else(|| p.first.is_some_and(|f| next > f), |c| next > c);
        progressed.then_some(next)
    }

    /// What to commit for `topic`/`partition` alone (before it is revoked).
    pub fn committable_for(&self, topic: &str, partition: i32) -> Option<i64> {
        let slot = self.by_name.get(&(topic.to_string(), partition))?;
        Self::offset(&self.slots[slot])
    }

    /// `offset` was committed for `topic`/`partition`.
    pub fn committed(&mut self, topic: &str, partition: i32, offset: i64) {
        if let Some(p) = self.by_name.get(&(topic.to_string(), partition)).and_then(|slot| self.slots.get_mut(slot)) {
            p.committed = Some(p.committed.map_or(offset, |c| c.max(offset)));
        }
    }

    /// Forgets `topic`/`partition`: it was revoked. Its unacknowledged messages are not
    /// committed; the partition's next owner reads them again.
    pub fn revoke(&mut self, topic: &str, partition: i32) {
        if let Some(slot) = self.by_name.remove(&(topic.to_string(), partition))
            && let Some(p) = self.slots.remove(&slot)
        {
            self.in_flight -= p.pending.len();
        }
    }

    /// The partitions held.
    pub fn held(&self) -> Vec<(String, i32)> {
        let mut held: Vec<_> = self.by_name.keys().cloned().collect();
        held.sort();
        held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_without_outputs_is_done_when_read() {
        let mut offsets = Offsets::default();
        let slot = offsets.slot("raw", 3);
        offsets.read(slot, 0, 0);
        assert_eq!(offsets.committable(), [("raw".to_string(), 3, 1)]);
        assert_eq!(offsets.in_flight(), 0);
    }

    #[test]
    fn acknowledgements_for_a_revoked_partition_are_ignored() {
        let mut offsets = Offsets::default();
        let old = offsets.slot("raw", 0);
        offsets.read(old, 5, 1);
        offsets.revoke("raw", 0);
        assert_eq!(offsets.in_flight(), 0);
        let new = offsets.slot("raw", 0);
        assert_ne!(old, new);
        offsets.read(new, 5, 1);
        offsets.acknowledged(old, 5);
        assert_eq!(offsets.committable(), [], "the old assignment's acknowledgement does not count");
        offsets.acknowledged(new, 5);
        assert_eq!(offsets.committable(), [("raw".to_string(), 0, 6)]);
    }

    #[test]
    fn the_first_pending_offset_holds_the_commit_back() {
        let mut offsets = Offsets::default();
        let slot = offsets.slot("raw", 0);
        for offset in 0..5 {
            offsets.read(slot, offset, 1);
        }
        for offset in [0, 1, 3, 4] {
            offsets.acknowledged(slot, offset);
        }
        assert_eq!(offsets.committable_for("raw", 0), Some(2));
        offsets.committed("raw", 0, 2);
        assert_eq!(offsets.committable_for("raw", 0), None);
        offsets.acknowledged(slot, 2);
        assert_eq!(offsets.committable_for("raw", 0), Some(5));
    }
}
