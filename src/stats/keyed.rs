//! Per-key tables (principal, resource, source IP, event type), compact
//! because an attacker controls how many keys there are: one spraying random
//! user names into failed logins makes a key per line.
//!
//! A table keeps every name once, end to end in one byte arena, and the
//! per-key states in one vector beside their names' ends; a hash index of
//! 32-bit entry numbers finds a name (none at all while the table holds a
//! handful, which a scan finds as fast). Small tables grow one entry at a
//! time, so per-principal tables (the addresses of each) cost bytes, not pages.
//! Names are hashed with a seed drawn per process, so nobody can choose
//! names that collide in advance.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// Entries a table scans instead of indexing.
const LINEAR: usize = 8;

/// A map from names to per-name state.
#[derive(Clone)]
pub struct KeyTable<V> {
    /// Every name, end to end.
    names: Vec<u8>,
    /// Where each entry's name ends in `names`, and its state.
    entries: Vec<(u64, V)>,
    /// Entry numbers by the hash of their name, once there are more than
    /// [`LINEAR`] (boxed: a table that never grows that far costs 8 bytes).
    index: Option<Box<HashTable<u32>>>,
}

impl<V: std::fmt::Debug> std::fmt::Debug for KeyTable<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> Default for KeyTable<V> {
    fn default() -> Self {
        KeyTable { names: Vec::new(), entries: Vec::new(), index: None }
    }
}

/// One seed per process: tables merged across workers hash alike.
fn hasher() -> &'static DefaultHashBuilder {
    static SEED: std::sync::OnceLock<DefaultHashBuilder> = std::sync::OnceLock::new();
    SEED.get_or_init(DefaultHashBuilder::default)
}

impl<V: Default> KeyTable<V> {
    /// The state of `key`, created empty on first sight.
    pub fn entry(&mut self, key: &str) -> &mut V {
        self.entry_with(key, V::default)
    }

    /// The number of `key`'s entry (entries are numbered from 0 in the
    /// order first seen), made empty on first sight.
    pub fn id(&mut self, key: &str) -> u32 {
        let i = match self.find(key) {
            Some(i) => i,
            None => self.insert(key, V::default()),
        };
        i as u32
    }

    /// Folds another table in, merging the states of shared keys.
    pub fn merge_with(&mut self, other: KeyTable<V>, mut merge: impl FnMut(&mut V, V)) {
        self.take_in(other, |t, i, v| merge(&mut t.entries[i].1, v));
    }

    /// [`KeyTable::merge_with`], the states of shared keys merged on
    /// rayon's threads (a principal's state merges its minutes, latencies
    /// and bursts: the two workers' tables of `users` took 70 ms to merge
    /// one key after another).
    pub fn par_merge_with(&mut self, other: KeyTable<V>, merge: impl Fn(&mut V, V) + Sync)
    where
        V: Send,
    {
        use rayon::prelude::*;
        let mut theirs: Vec<Option<V>> = Vec::new();
        // a slot per entry up to the last shared one (keys new to `self`
        // come after every entry it had, and share nothing)
        self.take_in(other, |t, i, v| {
            if i >= theirs.len() {
                theirs.resize_with(t.entries.len(), || None);
            }
            theirs[i] = Some(v);
        });
        if theirs.is_empty() {
            return;
        }
        self.entries.par_iter_mut().zip(theirs).for_each(|((_, mine), theirs)| {
            if let Some(v) = theirs {
                merge(mine, v);
            }
        });
    }

    /// Makes `self` the larger of the two tables with the keys of the
    /// smaller that it lacks moved in, and hands `shared` the state of each
    /// key both have, with its entry number in `self`.
    fn take_in(&mut self, other: KeyTable<V>, mut shared: impl FnMut(&mut Self, usize, V)) {
        let other = if other.len() > self.len() { std::mem::replace(self, other) } else { other };
        let mut start = 0usize;
        let KeyTable { names, entries, .. } = other;
        for (end, v) in entries {
            let name = std::str::from_utf8(&names[start..end as usize]).expect("names are str");
            start = end as usize;
            match self.find(name) {
                Some(i) => shared(self, i, v),
                None => {
                    self.insert(name, v);
                }
            }
        }
    }
}

impl<V> KeyTable<V> {
    /// Asks for the first names and entries of a short table, which a
    /// lookup scans (see [`super::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self) {
        super::prefetch(self.names.as_ptr());
        super::prefetch(self.entries.as_ptr());
    }

    /// The state of `key`, made by `make` on first sight.
    #[inline]
    pub fn entry_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(key) {
            Some(i) => i,
            None => self.insert(key, make()),
        };
        &mut self.entries[i].1
    }

    /// Whether `key` has an entry.
    pub fn contains(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Names and states, in the order the names were first seen.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        let mut start = 0usize;
        self.entries.iter().map(move |(end, v)| {
            let name = &self.names[start..*end as usize];
            start = *end as usize;
            (std::str::from_utf8(name).expect("names are str"), v)
        })
    }

    /// The name of entry number `i` (see [`KeyTable::id`]).
    pub fn name_at(&self, i: u32) -> &str {
        std::str::from_utf8(self.name(i as usize)).expect("names are str")
    }

    /// The states, to change in place.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The name and state of entry number `i`.
    pub fn get_at(&self, i: u32) -> (&str, &V) {
        (self.name_at(i), &self.entries[i as usize].1)
    }

    #[inline]
    fn name(&self, i: usize) -> &[u8] {
        name_of(&self.names, &self.entries, i)
    }

    #[inline]
    fn find(&self, key: &str) -> Option<usize> {
        let key = key.as_bytes();
        match &self.index {
            None => (0..self.entries.len()).find(|&i| same(self.name(i), key)),
            Some(index) => {
                index.find(hasher().hash_one(key), |&i| same(self.name(i as usize), key)).map(|&i| i as usize)
            }
        }
    }

    fn insert(&mut self, key: &str, v: V) -> usize {
        let i = self.entries.len();
        assert!(i < u32::MAX as usize, "more than 4 billion keys in one table");
        // a handful of entries grow one at a time; past that, by doubling
        if self.entries.len() == self.entries.capacity() && i < LINEAR {
            self.entries.reserve_exact(1);
            self.names.reserve_exact(key.len());
        }
        self.names.extend_from_slice(key.as_bytes());
        self.entries.push((self.names.len() as u64, v));
        let (names, entries) = (&self.names, &self.entries);
        let rehash = |&e: &u32| hasher().hash_one(name_of(names, entries, e as usize));
        if let Some(index) = &mut self.index {
            index.insert_unique(hasher().hash_one(key.as_bytes()), i as u32, rehash);
        } else if i == LINEAR {
            // the table outgrew a scan: index every entry
            let mut index = Box::new(HashTable::with_capacity(2 * LINEAR));
            for j in 0..=i {
                index.insert_unique(hasher().hash_one(name_of(names, entries, j)), j as u32, rehash);
            }
            self.index = Some(index);
        }
        i
    }
}

/// Two names compared without a call for the short ones most names are
/// (user names, addresses, view names and paths): two words that may
/// overlap for 8 to 16 bytes, two pairs of words for 17 to 32.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    let both = |at: usize| word(a, at) == word(b, at);
    match n {
        8..=16 => both(0) && both(n - 8),
        17..=32 => both(0) && both(8) && both(n - 16) && both(n - 8),
        _ => a == b,
    }
}

/// Which of `parts` partitions (a power of two, at most 2^16) a key falls
/// in. A fixed hash (XXH3 with the tool's own seed), the same in every
/// process: the states `--save-state` writes on many machines are merged
/// partition by partition. Unrelated to the index's hash, so the keys of
/// one partition still spread over a whole index when read back.
pub fn partition(key: &str, parts: usize) -> usize {
    const SEED: u64 = 0x6673_6175_6469_7431;
    debug_assert!(parts.is_power_of_two() && parts <= 1 << 16);
    let h = twox_hash::XxHash3_64::oneshot_with_seed(SEED, key.as_bytes());
    (h >> (64 - parts.trailing_zeros())) as usize & (parts - 1)
}

impl<V> KeyTable<V> {
    /// The entries split by [`partition`] of their names, in order.
    pub fn split(self, parts: usize) -> Vec<KeyTable<V>> {
        let mut out: Vec<KeyTable<V>> = (0..parts).map(|_| KeyTable::default()).collect();
        let mut start = 0usize;
        let KeyTable { names, entries, .. } = self;
        for (end, v) in entries {
            let name = std::str::from_utf8(&names[start..end as usize]).expect("names are str");
            start = end as usize;
            let part = if parts == 1 { 0 } else { partition(name, parts) };
            out[part].insert(name, v);
        }
        out
    }
}

/// Written as a list of (name, state) pairs, for spill files.
impl<V: serde::Serialize> serde::Serialize for KeyTable<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for KeyTable<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Seq<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Seq<V> {
            type Value = KeyTable<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of names and states")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<KeyTable<V>, A::Error> {
                let mut t = KeyTable::default();
                while let Some((name, v)) = seq.next_element::<(std::borrow::Cow<'de, str>, V)>()? {
                    if t.find(&name).is_some() {
                        return Err(serde::de::Error::custom("a name written twice"));
                    }
                    t.insert(&name, v);
                }
                Ok(t)
            }
        }
        d.deserialize_seq(Seq(std::marker::PhantomData))
    }
}

#[inline]
fn name_of<'n, V>(names: &'n [u8], entries: &[(u64, V)], i: usize) -> &'n [u8] {
    let start = if i == 0 { 0 } else { entries[i - 1].0 as usize };
    &names[start..entries[i].0 as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// States saved on many machines are merged partition by partition: a
    /// key's partition is XXH3-64 with the tool's seed, as another
    /// implementation computes it.
    #[test]
    fn partitions_are_those_of_seeded_xxh3() {
        const SEED: u64 = 0x6673_6175_6469_7431;
        for n in 0..300 {
            let key: String = (0..n).map(|i| char::from(b'a' + ((i * 7 + n) % 26) as u8)).collect();
            let h = xxhash_rust::xxh3::xxh3_64_with_seed(key.as_bytes(), SEED);
            for bits in [1u32, 4, 10, 16] {
                let parts = 1usize << bits;
                let want = (h >> (64 - bits)) as usize & (parts - 1);
                assert_eq!(partition(&key, parts), want, "{key:?} in {parts}");
            }
        }
    }

    #[test]
    fn names_of_every_length_compare_as_slices_do() {
        let text = b"user0241@corp.example.com/feature-views/x";
        for n in 0..text.len() {
            let a = &text[..n];
            assert!(same(a, a), "length {n}");
            for k in 0..n {
                let mut b = a.to_vec();
                b[k] ^= 1;
                assert!(!same(a, &b), "length {n}, byte {k}");
            }
            assert!(!same(a, &text[..n + 1]));
        }
    }

    #[test]
    fn finds_counts_and_merges_like_a_map() {
        let mut reference = std::collections::BTreeMap::<String, u64>::new();
        let (mut a, mut b) = (KeyTable::<u64>::default(), KeyTable::<u64>::default());
        for i in 0..5000u64 {
            let name = format!("user{}", (i * 7919) % 1300);
            *reference.entry(name.clone()).or_default() += i;
            let t = if i % 3 == 0 { &mut a } else { &mut b };
            *t.entry(&name) += i;
        }
        // a tiny table merged into a big one and the other way round
        let mut tiny = KeyTable::<u64>::default();
        *tiny.entry("user1") += 1;
        *tiny.entry("nobody") += 5;
        *reference.entry("user1".into()).or_default() += 1;
        reference.insert("nobody".into(), 5);
        // merged one key after another and on rayon's threads alike
        let (mut c, d, tiny2) = (a.clone(), b.clone(), tiny.clone());
        a.merge_with(b, |x, y| *x += y);
        a.merge_with(tiny, |x, y| *x += y);
        c.par_merge_with(tiny2, |x, y| *x += y);
        c.par_merge_with(d, |x, y| *x += y);
        let got: std::collections::BTreeMap<String, u64> = a.iter().map(|(k, v)| (k.to_owned(), *v)).collect();
        assert_eq!(got, reference);
        let par: std::collections::BTreeMap<String, u64> = c.iter().map(|(k, v)| (k.to_owned(), *v)).collect();
        assert_eq!(par, reference);
        assert_eq!(a.len(), reference.len());
        for (k, v) in &reference {
            assert_eq!(*a.entry(k), *v);
        }
        assert_eq!(a.len(), reference.len(), "lookups add nothing");
    }

    #[test]
    fn names_of_any_length_and_empty() {
        let mut t = KeyTable::<u8>::default();
        let long = "x".repeat(100_000);
        for k in ["", "a", &long, "é", "a\u{0}b"] {
            *t.entry(k) += 1;
            *t.entry(k) += 1;
        }
        assert!(t.iter().all(|(_, v)| *v == 2));
        assert_eq!(t.iter().map(|(k, _)| k.len()).sum::<usize>(), 100_000 + 1 + 2 + 3);
    }
}
