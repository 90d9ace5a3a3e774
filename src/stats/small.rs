//! A map that costs a short list while it holds a few entries, as most
//! per-key maps do (the minutes a principal was active, the distinct
//! latencies of one principal), and a hash map past that. The list is kept
//! sorted by key and may grow long while keys come in order (a log's
//! minutes): a new key at its end is one comparison and a push, and its
//! last entries stay in cache, where a hash map of a principal's minutes
//! sends every event to a random cache line. The list is a ring (a
//! `VecDeque`), so that a key before its start is a push too, and a new
//! key near either end moves only the entries on that side: a worker that
//! goes on with ranges of the log before its own (see the engine's
//! `Queues`) adds minutes before every principal's first.

use std::collections::VecDeque;
use std::hash::Hash;

/// Entries the list takes out of order before it becomes a hash map.
const FEW: usize = 16;
/// A new key this near either end of a longer list is inserted (moving at
/// most this many entries); one further in makes the list a hash map.
const NEAR_END: usize = 64;

/// The hash map a [`SmallMap`] becomes: keyed by small integers (minutes,
/// ids) that mostly arrive in order, so they are hashed by [`Near`].
type NearMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Near>>;

/// A hash of an integer key that keeps nearby keys in nearby slots: the low
/// bits (which pick the slot) are the key's own, the top seven (which the
/// table compares before the key) are mixed. A principal's minutes arrive in
/// time order, and each new one lands next to the last instead of on a
/// random cache line. Keys far apart that share their low bits still find
/// their slots, a probe further each.
#[derive(Default, Clone, Copy)]
pub struct Near(u64);

impl std::hash::Hasher for Near {
    fn finish(&self) -> u64 {
        const TOP: u64 = 0x7F << 57;
        let mixed = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (self.0 & !TOP) | (mixed & TOP)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 << 32) ^ u64::from(n);
    }

    fn write_i32(&mut self, n: i32) {
        self.write_u32(n as u32);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(32) ^ n;
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
}

#[derive(Debug, Clone)]
pub enum SmallMap<K, V> {
    Few(VecDeque<(K, V)>),
    Many(Box<NearMap<K, V>>),
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap::Few(VecDeque::new())
    }
}

impl<K: Copy + Ord + Hash, V: Default> SmallMap<K, V> {
    /// The value of `k`, created empty on first sight.
    pub fn entry(&mut self, k: K) -> &mut V {
        // where `k` is in the sorted list (`Ok`) or goes (`Err`); `None`
        // for a hash map. A key at or after the list's end (the minutes of
        // a log in time order) costs one comparison with the last entry; a
        // key new to a long list, away from both its ends, makes it a hash map.
        let place = match self {
            SmallMap::Many(_) => None,
            SmallMap::Few(v) => match v.back() {
                Some((last, _)) if *last == k => Some(Ok(v.len() - 1)),
                Some((last, _)) if *last > k => match search(v, &k) {
                    Err(i) if v.len() >= FEW && i.min(v.len() - i) > NEAR_END => None,
                    found => Some(found),
                },
                _ => Some(Err(v.len())),
            },
        };
        if let (None, SmallMap::Few(v)) = (place, &mut *self) {
            let m: NearMap<K, V> = std::mem::take(v).into_iter().collect();
            *self = SmallMap::Many(Box::new(m));
        }
        match (self, place) {
            (SmallMap::Few(v), Some(Ok(i))) => &mut v[i].1,
            (SmallMap::Few(v), Some(Err(i))) => {
                if v.len() < FEW {
                    // a short list grows one entry at a time
                    v.reserve_exact(1);
                }
                v.insert(i, (k, V::default()));
                &mut v[i].1
            }
            (SmallMap::Many(m), _) => m.entry(k).or_default(),
            (SmallMap::Few(_), None) => unreachable!("a list without a place was made a map"),
        }
    }

    /// Folds `other` in, merging the values of shared keys. Two lists (the
    /// same principal's minutes from two workers) are merged in order.
    pub fn merge_with(&mut self, other: SmallMap<K, V>, mut merge: impl FnMut(&mut V, V)) {
        if let (SmallMap::Few(mine), SmallMap::Few(_)) = (&mut *self, &other) {
            let SmallMap::Few(theirs) = other else { unreachable!("matched above") };
            let mut out = VecDeque::with_capacity(mine.len() + theirs.len());
            let mut b = theirs.into_iter().peekable();
            for (k, mut v) in std::mem::take(mine) {
                while let Some((j, y)) = b.next_if(|(j, _)| *j < k) {
                    out.push_back((j, merged(y, &mut merge)));
                }
                if let Some((_, y)) = b.next_if(|(j, _)| *j == k) {
                    merge(&mut v, y);
                }
                out.push_back((k, v));
            }
            out.extend(b.map(|(j, y)| (j, merged(y, &mut merge))));
            *mine = out;
            return;
        }
        let (mut big, small) =
            if other.len() > self.len() { (other, std::mem::take(self)) } else { (std::mem::take(self), other) };
        for (k, v) in small.into_pairs() {
            merge(big.entry(k), v);
        }
        *self = big;
    }
}

/// Where `k` is in the ring (`Ok`) or goes (`Err`): a search of the part
/// that holds it, inlined (the ring's own search was a call per event).
#[inline]
fn search<K: Ord, V>(v: &VecDeque<(K, V)>, k: &K) -> Result<usize, usize> {
    let (front, back) = v.as_slices();
    match back.first() {
        Some((first, _)) if first <= k => {
            let found = back.binary_search_by(|(key, _)| key.cmp(k));
            found.map(|i| i + front.len()).map_err(|i| i + front.len())
        }
        _ => front.binary_search_by(|(key, _)| key.cmp(k)),
    }
}

/// A value only the other side had, merged into an empty one (as a key
/// new to a map is).
fn merged<V: Default>(y: V, merge: &mut impl FnMut(&mut V, V)) -> V {
    let mut v = V::default();
    merge(&mut v, y);
    v
}

impl<K: Copy + Ord + Hash, V> SmallMap<K, V> {
    /// Asks for the list's last entry, where a key in order is counted
    /// (see [`super::prefetch`]).
    #[inline(always)]
    pub fn prefetch_last(&self) {
        if let SmallMap::Few(v) = self
            && let Some(last) = v.back()
        {
            super::prefetch(last);
        }
    }

    pub fn get(&self, k: &K) -> Option<&V> {
        match self {
            SmallMap::Few(v) => search(v, k).ok().map(|i| &v[i].1),
            SmallMap::Many(m) => m.get(k),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            SmallMap::Few(v) => v.len(),
            SmallMap::Many(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries, in no particular order (an enum, not a boxed
    /// iterator: the detectors walk every principal's minutes several times
    /// when they judge, and a call through a pointer per minute showed).
    pub fn iter(&self) -> Iter<'_, K, V> {
        match self {
            SmallMap::Few(v) => Iter::Few(v.iter()),
            SmallMap::Many(m) => Iter::Many(m.iter()),
        }
    }

    /// Calls `f` with every entry in key order: a list is in order already;
    /// a hash map's entries are sorted first.
    pub fn for_each_in_order(&self, mut f: impl FnMut(K, &V)) {
        match self {
            SmallMap::Few(v) => v.iter().for_each(|(k, v)| f(*k, v)),
            SmallMap::Many(m) => {
                let mut entries: Vec<(K, &V)> = m.iter().map(|(k, v)| (*k, v)).collect();
                entries.sort_unstable_by_key(|(k, _)| *k);
                entries.into_iter().for_each(|(k, v)| f(k, v));
            }
        }
    }

    /// The same entries under new keys; `f` must map distinct keys to distinct keys.
    pub fn map_keys(self, mut f: impl FnMut(K) -> K) -> Self {
        match self {
            SmallMap::Few(mut v) => {
                v.iter_mut().for_each(|(k, _)| *k = f(*k));
                // the list stays sorted by key
                v.make_contiguous().sort_unstable_by_key(|(k, _)| *k);
                SmallMap::Few(v)
            }
            SmallMap::Many(m) => SmallMap::Many(Box::new(m.into_iter().map(|(k, v)| (f(k), v)).collect())),
        }
    }

    pub fn into_pairs(self) -> Vec<(K, V)> {
        match self {
            SmallMap::Few(v) => v.into(),
            SmallMap::Many(m) => m.into_iter().collect(),
        }
    }
}

/// The entries of a [`SmallMap`] (see [`SmallMap::iter`]).
pub enum Iter<'a, K, V> {
    Few(std::collections::vec_deque::Iter<'a, (K, V)>),
    Many(std::collections::hash_map::Iter<'a, K, V>),
}

impl<'a, K: Copy, V> Iterator for Iter<'a, K, V> {
    type Item = (K, &'a V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Few(i) => i.next().map(|(k, v)| (*k, v)),
            Iter::Many(i) => i.next().map(|(k, v)| (*k, v)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Few(i) => i.size_hint(),
            Iter::Many(i) => i.size_hint(),
        }
    }

    /// A list's two halves are walked without a match per entry.
    fn fold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, mut f: F) -> B {
        match self {
            Iter::Few(i) => i.fold(init, |acc, (k, v)| f(acc, (*k, v))),
            Iter::Many(i) => i.fold(init, |acc, (k, v)| f(acc, (*k, v))),
        }
    }
}

/// Written as a list of pairs, for spill files.
impl<K: serde::Serialize + Copy + Ord + Hash, V: serde::Serialize> serde::Serialize for SmallMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, K, V> serde::Deserialize<'de> for SmallMap<K, V>
where
    K: serde::Deserialize<'de> + Copy + Ord + Hash,
    V: serde::Deserialize<'de> + Default,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(K, V)>::deserialize(d)?;
        let mut m = SmallMap::default();
        for (k, v) in pairs {
            *m.entry(k) = v;
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_map_on_both_sides_of_the_switch() {
        let mut reference = std::collections::BTreeMap::<i64, u64>::new();
        let (mut a, mut b) = (SmallMap::<i64, u64>::default(), SmallMap::<i64, u64>::default());
        for i in 0..4000i64 {
            let k = (i * 37) % 523 - 20;
            *reference.entry(k).or_default() += 1;
            *if i % 5 == 0 { &mut a } else { &mut b }.entry(k) += 1;
        }
        assert!(matches!(b, SmallMap::Many(_)));
        let mut few = SmallMap::<i64, u64>::default();
        *few.entry(-20) += 2;
        *reference.entry(-20).or_default() += 2;
        a.merge_with(b, |x, y| *x += y);
        a.merge_with(few, |x, y| *x += y);
        let want: Vec<(i64, u64)> = reference.into_iter().collect();
        // a hash map's order is not the keys' (negative keys' low bits are high)
        assert!(matches!(a, SmallMap::Many(_)));
        assert_ne!(a.iter().map(|(k, v)| (k, *v)).collect::<Vec<_>>(), want);
        let mut in_order = Vec::new();
        a.for_each_in_order(|k, v| in_order.push((k, *v)));
        assert_eq!(in_order, want);
        let mut got: Vec<(i64, u64)> = a.iter().map(|(k, v)| (k, *v)).collect();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(a.get(&-20), Some(&got[0].1));
        assert_eq!(a.get(&1000), None);
    }

    #[test]
    fn keys_in_order_stay_a_sorted_list_and_merge_as_maps_do() {
        // two workers' minutes, in order each, overlapping; then a key out
        // of order that is new (the list becomes a map) or already there
        let (mut a, mut b) = (SmallMap::<i64, u64>::default(), SmallMap::<i64, u64>::default());
        let mut reference = std::collections::BTreeMap::<i64, u64>::new();
        for i in 0..3000i64 {
            let (k, t) = if i % 3 == 0 { (i / 2, &mut a) } else { (i / 3 + 700, &mut b) };
            *t.entry(k) += i as u64;
            *reference.entry(k).or_default() += i as u64;
        }
        assert!(matches!(a, SmallMap::Few(_)) && matches!(b, SmallMap::Few(_)));
        let mut c = SmallMap::<i64, u64>::default();
        *c.entry(5) += 1;
        *c.entry(-3) += 1;
        *reference.entry(5).or_default() += 1;
        *reference.entry(-3).or_default() += 1;
        a.merge_with(b, |x, y| *x += y);
        assert!(matches!(a, SmallMap::Few(_)), "two lists merge into a list");
        a.merge_with(c, |x, y| *x += y);
        let want: Vec<(i64, u64)> = reference.iter().map(|(k, v)| (*k, *v)).collect();
        let got: Vec<(i64, u64)> = a.iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(got, want, "a list in key order");
        *a.entry(10) += 7;
        *reference.entry(10).or_default() += 7;
        assert!(matches!(a, SmallMap::Few(_)), "a key already there is found");
        // new keys before the start and near either end are pushed or inserted
        for k in [-100, -200, -150, 5000, 4999] {
            *a.entry(k) += 7;
            reference.insert(k, 7);
        }
        assert!(matches!(a, SmallMap::Few(_)), "new keys near either end");
        let got: Vec<(i64, u64)> = a.iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(got, reference.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), "still in key order");
        *a.entry(500) += 7;
        assert!(matches!(a, SmallMap::Many(_)), "a new key far from both ends");
        reference.insert(500, 7);
        for (k, v) in &reference {
            assert_eq!(a.get(k), Some(v));
        }
        assert_eq!(a.len(), reference.len());
        // keys renamed out of order are sorted again
        let mut few = SmallMap::<i64, u64>::default();
        for k in [1, 2, 3] {
            *few.entry(k) += k as u64;
        }
        let few = few.map_keys(|k| -k);
        assert_eq!(few.get(&-3), Some(&3));
        assert_eq!(few.into_pairs(), vec![(-3, 3), (-2, 2), (-1, 1)]);
    }

    #[test]
    fn keys_that_share_their_low_bits_are_kept_apart() {
        // minutes a power of two apart land on the same slot of a table of
        // that size: each is still found, and counted once
        for spacing in [1i32 << 10, 1 << 16, 1 << 20] {
            let mut m = SmallMap::<i32, u32>::default();
            let keys: Vec<i32> = (0..2000).map(|i| i * spacing / 16 + (i % 16) * spacing).collect();
            for (n, &k) in keys.iter().enumerate() {
                *m.entry(k) += n as u32;
            }
            for &k in &keys {
                *m.entry(k) += 1;
            }
            let mut want = std::collections::BTreeMap::new();
            for (n, &k) in keys.iter().enumerate() {
                *want.entry(k).or_insert(0) += n as u32 + 1;
            }
            assert_eq!(m.len(), want.len(), "spacing {spacing}");
            for (k, v) in &want {
                assert_eq!(m.get(k), Some(v), "spacing {spacing}, key {k}");
            }
        }
    }

    proptest::proptest! {
        /// Against a map: keys in runs that go up from anywhere (a
        /// worker's ranges, its own and others'), merged at any point.
        #[test]
        fn any_keys_in_any_runs_count_as_a_map_does(
            runs in proptest::collection::vec((-400i64..400, 1usize..300, 1i64..4), 1..12),
            cut in 0usize..12,
        ) {
            let mut reference = std::collections::BTreeMap::<i64, u64>::new();
            let (mut a, mut b) = (SmallMap::<i64, u64>::default(), SmallMap::<i64, u64>::default());
            for (n, &(start, len, step)) in runs.iter().enumerate() {
                for j in 0..len as i64 {
                    let k = start + j * step;
                    *reference.entry(k).or_default() += 1;
                    *if n < cut { &mut a } else { &mut b }.entry(k) += 1;
                }
            }
            a.merge_with(b, |x, y| *x += y);
            proptest::prop_assert_eq!(a.len(), reference.len());
            for (k, v) in &reference {
                proptest::prop_assert_eq!(a.get(k), Some(v));
            }
            if let SmallMap::Few(v) = &a {
                proptest::prop_assert!(v.iter().zip(v.iter().skip(1)).all(|(x, y)| x.0 < y.0), "a list in key order");
            }
        }
    }
}
