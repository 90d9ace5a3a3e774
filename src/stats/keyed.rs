//! Per-key tables (principal, resource, source IP, event type) that allocate
//! a key only the first time it is seen by a worker.

use rustc_hash::FxHashMap;

/// A map from names to per-name state.
#[derive(Debug, Clone)]
pub struct KeyTable<V> {
    map: FxHashMap<Box<str>, V>,
}

impl<V> Default for KeyTable<V> {
    fn default() -> Self {
        KeyTable { map: FxHashMap::default() }
    }
}

impl<V: Default> KeyTable<V> {
    /// The state of `key`, created empty on first sight.
    pub fn entry(&mut self, key: &str) -> &mut V {
        // Two lookups on a miss buy zero allocations on the (common) hit.
        if !self.map.contains_key(key) {
            self.map.insert(key.into(), V::default());
        }
        self.map.get_mut(key).expect("inserted above")
    }

    /// Folds another table in, merging the states of shared keys.
    pub fn merge_with(&mut self, other: KeyTable<V>, mut merge: impl FnMut(&mut V, V)) {
        if other.map.len() > self.map.len() {
            let mine = std::mem::replace(&mut self.map, other.map);
            for (k, v) in mine {
                merge(self.map.entry(k).or_default(), v);
            }
        } else {
            for (k, v) in other.map {
                merge(self.map.entry(k).or_default(), v);
            }
        }
    }
}

impl<V> KeyTable<V> {
    /// The state of `key`, made by `make` on first sight.
    pub fn entry_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        if !self.map.contains_key(key) {
            self.map.insert(key.into(), make());
        }
        self.map.get_mut(key).expect("inserted above")
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.map.iter().map(|(k, v)| (&**k, v))
    }
}
