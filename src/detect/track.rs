//! The per-key state the detectors fold events into, and its exact merges.

use crate::stats::{KeyTable, SmallMap};
use crate::time::Micros;

/// Names kept per bucket: the smallest [`NAMES_KEPT`], so which names are
/// kept does not depend on the order events arrive in.
pub const NAMES_KEPT: usize = 64;

/// A capped, sorted set of names (resources, addresses or principals):
/// a sorted list, as most buckets hold one or two names (a tree's first
/// node cost 200 bytes for one name, in each of the hundreds of thousands
/// of buckets a long log gives a worker).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct NameSet {
    #[serde(deserialize_with = "sorted_names")]
    names: Vec<Box<str>>,
    /// Names were dropped at the cap.
    pub more: bool,
}

/// The names of a state file sorted and each once, whatever wrote them:
/// the set looks names up by halving.
fn sorted_names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Box<str>>, D::Error> {
    let mut names: Vec<Box<str>> = serde::Deserialize::deserialize(d)?;
    names.sort_unstable();
    names.dedup();
    names.truncate(NAMES_KEPT);
    Ok(names)
}

impl NameSet {
    pub fn insert(&mut self, name: &str) {
        let Err(at) = self.names.binary_search_by(|n| (**n).cmp(name)) else { return };
        if self.names.len() == NAMES_KEPT {
            self.more = true;
            if at == NAMES_KEPT {
                return;
            }
            self.names.pop();
        }
        if self.names.capacity() == self.names.len() {
            // a name or two in most buckets: grow by one, not by doubling
            self.names.reserve_exact(if self.names.len() < 4 { 1 } else { self.names.len() });
        }
        self.names.insert(at, name.into());
    }

    pub fn merge(&mut self, o: &NameSet) {
        self.more |= o.more;
        for n in &o.names {
            self.insert(n);
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| &**n)
    }
}

/// Events of one kind in one bucket: how many, when, and the names involved.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Burst {
    pub count: u64,
    pub first: Micros,
    pub last: Micros,
    pub names: NameSet,
    /// The 64-bit hashes of the lines counted (denials, failed logins and
    /// failed writes only), to tell repeated identical lines apart: a
    /// multiset, so merges are exact in any order.
    #[serde(default)]
    pub lines: Vec<u64>,
}

impl Burst {
    pub fn add(&mut self, t: Micros) {
        if self.count == 0 {
            (self.first, self.last) = (t, t);
        } else {
            self.first = self.first.min(t);
            self.last = self.last.max(t);
        }
        self.count += 1;
    }

    /// Adds an event at `t` read from a line with hash `line`, when known.
    pub fn add_line(&mut self, t: Micros, line: Option<u64>) {
        self.add(t);
        self.lines.extend(line);
    }

    /// Lines counted here that repeat an earlier line byte for byte.
    pub fn repeats(&self) -> u64 {
        let mut v = self.lines.clone();
        v.sort_unstable();
        v.windows(2).filter(|w| w[0] == w[1]).count() as u64
    }

    pub fn merge(&mut self, o: &Burst) {
        if o.count == 0 {
            return;
        }
        if self.count == 0 {
            (self.first, self.last) = (o.first, o.last);
        } else {
            self.first = self.first.min(o.first);
            self.last = self.last.max(o.last);
        }
        self.count += o.count;
        self.names.merge(&o.names);
        self.lines.extend_from_slice(&o.lines);
    }
}

fn merge_minutes(mine: &mut SmallMap<i64, Burst>, theirs: SmallMap<i64, Burst>) {
    mine.merge_with(theirs, |a, b| a.merge(&b));
}

/// Everything the detectors keep about one principal.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PrincipalTrack {
    /// Events per minute (minutes since the epoch fit an `i32` until the
    /// year 6053; halving the key halves the largest map the detectors keep).
    pub totals: SmallMap<i32, u32>,
    /// Denied events per minute; names are resources.
    pub denials: SmallMap<i64, Burst>,
    /// Failed logins per minute; names are source addresses.
    pub failures: SmallMap<i64, Burst>,
    /// Failed writes (materialization, push) per minute; names are what was written.
    pub writes: SmallMap<i64, Burst>,
    /// Each address the principal came from, when first and last, and how
    /// often; the burst has no names (boxed: a principal a log names
    /// without an address costs 8 bytes).
    pub addresses: Option<Box<KeyTable<Burst>>>,
    /// What the sensitive-access detector saw, boxed: most principals never
    /// touch a sensitive resource, and millions of them may be tracked.
    pub sensitive: Option<Box<SensitiveTrack>>,
}

/// A principal's access to sensitive resources the rules do not allow.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SensitiveTrack {
    /// Access by roles not allowed; names are resources.
    pub role_violations: Burst,
    /// Access outside business hours; names are resources.
    pub hours_violations: Burst,
    /// The roles seen on role violations.
    pub roles_seen: NameSet,
    /// Denials on a sensitive endpoint or resource type (Feast's own events
    /// name no resource), by name, for the risk score of `users`.
    pub denied_elsewhere: Vec<(Box<str>, u64)>,
}

impl SensitiveTrack {
    /// Adds `n` denials on the sensitive endpoint or resource type `name`.
    pub fn deny_elsewhere(&mut self, name: &str, n: u64) {
        match self.denied_elsewhere.iter_mut().find(|(k, _)| &**k == name) {
            Some((_, c)) => *c += n,
            None => self.denied_elsewhere.push((name.into(), n)),
        }
    }
}

impl PrincipalTrack {
    /// Asks for what every timed event of the principal touches: its
    /// count for the minute and its addresses (see [`crate::stats::prefetch`]).
    #[inline(always)]
    pub fn prefetch(&self) {
        self.totals.prefetch_last();
        if let Some(a) = &self.addresses {
            a.prefetch();
        }
    }

    pub fn merge(&mut self, o: PrincipalTrack) {
        self.totals.merge_with(o.totals, |a, b| *a += b);
        merge_minutes(&mut self.denials, o.denials);
        merge_minutes(&mut self.failures, o.failures);
        merge_minutes(&mut self.writes, o.writes);
        match (&mut self.addresses, o.addresses) {
            (Some(mine), Some(theirs)) => mine.merge_with(*theirs, |a, b| a.merge(&b)),
            (mine, theirs) => {
                if mine.is_none() {
                    *mine = theirs;
                }
            }
        }
        match (&mut self.sensitive, o.sensitive) {
            (Some(mine), Some(theirs)) => {
                mine.role_violations.merge(&theirs.role_violations);
                mine.hours_violations.merge(&theirs.hours_violations);
                mine.roles_seen.merge(&theirs.roles_seen);
                for (name, n) in theirs.denied_elsewhere {
                    mine.deny_elsewhere(&name, n);
                }
            }
            (mine, theirs) => {
                if mine.is_none() {
                    *mine = theirs;
                }
            }
        }
    }

    /// The address table, made on first use.
    pub fn addresses(&mut self) -> &mut KeyTable<Burst> {
        self.addresses.get_or_insert_default()
    }

    /// The sensitive-access state, made on first use.
    pub fn sensitive(&mut self) -> &mut SensitiveTrack {
        self.sensitive.get_or_insert_default()
    }
}

/// A principal's entry in the detectors' table: its [`PrincipalTrack`], and
/// whatever a report keeps beside it (`users` keeps its columns there, so
/// each principal's name is stored once).
pub trait Tracked: Default + Send + Sync {
    fn track(&self) -> &PrincipalTrack;
    fn track_mut(&mut self) -> &mut PrincipalTrack;
    fn merge(&mut self, o: Self);
    /// Asks for the state an event of the principal will touch, all at
    /// once, before it is touched (see [`crate::stats::prefetch`]).
    fn prefetch(&self) {
        self.track().prefetch();
    }
}

/// Boxed: the table's vector holds 8 bytes per principal, and growing it
/// while two workers' tables merge copies pointers, not states.
impl Tracked for Box<PrincipalTrack> {
    fn track(&self) -> &PrincipalTrack {
        self
    }

    fn track_mut(&mut self) -> &mut PrincipalTrack {
        self
    }

    fn merge(&mut self, o: Self) {
        PrincipalTrack::merge(self, *o);
    }
}

/// Everything the detectors keep about one source address.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct IpTrack {
    /// Failed logins per minute; names are principals.
    pub failures: SmallMap<i64, Burst>,
}

impl IpTrack {
    pub fn merge(&mut self, o: IpTrack) {
        merge_minutes(&mut self.failures, o.failures);
    }
}

/// Requests and denials on one resource by named principals: the
/// population's denial rate there, against which one principal's denials
/// are judged.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct ResourceUse {
    pub requests: u64,
    pub denied: u64,
}

impl ResourceUse {
    pub fn merge(&mut self, o: ResourceUse) {
        self.requests += o.requests;
        self.denied += o.denied;
    }
}

/// Sorted buckets of a per-minute map (borrowed: a burst holds its names
/// and line hashes, which a copy would make again for every principal).
pub fn sorted<V>(m: &SmallMap<i64, V>) -> Vec<(i64, &V)> {
    let mut v: Vec<(i64, &V)> = m.iter().collect();
    v.sort_unstable_by_key(|(k, _)| *k);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_sets_keep_the_smallest_names_in_any_order() {
        let names: Vec<String> = (0..200).map(|i| format!("n{i:03}")).collect();
        let mut forward = NameSet::default();
        names.iter().for_each(|n| forward.insert(n));
        let mut backward = NameSet::default();
        names.iter().rev().for_each(|n| backward.insert(n));
        let mut halves = NameSet::default();
        let mut other = NameSet::default();
        names[..100].iter().for_each(|n| halves.insert(n));
        names[100..].iter().for_each(|n| other.insert(n));
        halves.merge(&other);
        let f: Vec<&str> = forward.iter().collect();
        assert_eq!(f, backward.iter().collect::<Vec<_>>());
        assert_eq!(f, halves.iter().collect::<Vec<_>>());
        assert_eq!(f.len(), NAMES_KEPT);
        assert_eq!(f[0], "n000");
        assert!(forward.more && backward.more && halves.more);
    }

    #[test]
    fn a_set_read_back_is_sorted_and_each_name_once() {
        let read: NameSet = serde_json::from_str(r#"{"names":["b","a","b"],"more":false}"#).unwrap();
        assert_eq!(read.iter().collect::<Vec<_>>(), ["a", "b"]);
        let mut again = read.clone();
        again.insert("a");
        again.insert("c");
        assert_eq!(again.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    proptest::proptest! {
        /// Against a model: every name offered, sorted, the smallest
        /// [`NAMES_KEPT`] kept, `more` when any was dropped — in any order
        /// and split over merges anywhere.
        #[test]
        fn a_set_is_the_smallest_names_offered(
            names in proptest::collection::vec("[a-e]{0,3}", 0..200),
            cut in 0usize..200,
        ) {
            let model: std::collections::BTreeSet<&str> = names.iter().map(String::as_str).collect();
            let kept: Vec<&str> = model.iter().copied().take(NAMES_KEPT).collect();
            let cut = cut.min(names.len());
            let (mut a, mut b) = (NameSet::default(), NameSet::default());
            names[..cut].iter().for_each(|n| a.insert(n));
            names[cut..].iter().for_each(|n| b.insert(n));
            a.merge(&b);
            proptest::prop_assert_eq!(a.iter().collect::<Vec<_>>(), kept);
            proptest::prop_assert_eq!(a.len(), a.iter().count());
            proptest::prop_assert_eq!(a.more, model.len() > NAMES_KEPT);
        }
    }
}
