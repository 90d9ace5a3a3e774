//! The principals of the log, found wherever they appear as a whole token
//! in free text (any letter case), and replaced by the pseudonym they have
//! in their own field.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;

/// Names shorter than this are pseudonymised in their own field only: as
/// tokens in text they would match ordinary words.
pub const MIN_LEN: usize = 3;

#[derive(Default)]
pub struct Names {
    ac: Option<AhoCorasick>,
    /// Per pattern: the names that differ only in letter case, with their
    /// pseudonyms, the first being used for a match in another case.
    forms: Vec<Vec<(Box<str>, String)>>,
    /// Lower-case name → pseudonym, for e-mail addresses found in text.
    lower: FxHashMap<String, String>,
}

/// A byte that continues a token: `svc-fraud` is not in `svc-fraud_v2`,
/// `online` is not in `/get-online-features`.
fn continues(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-') || b >= 0x80
}

impl Names {
    /// `names` with their pseudonyms.
    pub fn new(names: impl IntoIterator<Item = (String, String)>) -> Names {
        let mut by_lower: std::collections::BTreeMap<String, Vec<(Box<str>, String)>> = Default::default();
        for (name, alias) in names {
            if name.chars().count() < MIN_LEN || name.trim() != name {
                continue;
            }
            by_lower.entry(name.to_ascii_lowercase()).or_default().push((name.into(), alias));
        }
        let mut lower = FxHashMap::default();
        let mut patterns = Vec::new();
        let mut forms = Vec::new();
        for (low, mut v) in by_lower {
            v.sort();
            lower.insert(low.clone(), v[0].1.clone());
            patterns.push(low);
            forms.push(v);
        }
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("an automaton of the principals")
        });
        Names { ac, forms, lower }
    }

    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The pseudonym of a name written in any letter case.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        self.lower.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// `text` with every known name that stands as a whole token replaced.
    pub fn replace(&self, text: &str) -> Option<String> {
        let ac = self.ac.as_ref()?;
        let b = text.as_bytes();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let (s, e) = (m.start(), m.end());
            let word_before = s >= 2 && b[s - 1] == b'.' && b[s - 2].is_ascii_alphanumeric();
            let before_ok = s == 0 || !(continues(b[s - 1]) || word_before);
            let word_after = e < b.len() && b[e] == b'.' && b.get(e + 1).is_some_and(u8::is_ascii_alphanumeric);
            let after_ok = e == b.len() || !(continues(b[e]) || word_after);
            if before_ok && after_ok {
                found.push((s, e, m.pattern().as_usize()));
            }
        }
        if found.is_empty() {
            return None;
        }
        // leftmost first, the longest where several start together
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for (s, e, p) in found {
            if s < at {
                continue;
            }
            out.push_str(&text[at..s]);
            let seen = &text[s..e];
            let forms = &self.forms[p];
            let alias = forms.iter().find(|(n, _)| &**n == seen).unwrap_or(&forms[0]);
            out.push_str(&alias.1);
            at = e;
        }
        out.push_str(&text[at..]);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let n = ["jdoe", "svc-fraud", "svc-fraud_model_v3", "online", "http", "Bob", "bob", "e"];
        Names::new(n.iter().map(|n| (n.to_string(), format!("<{n}>"))))
    }

    #[test]
    fn whole_tokens_in_any_case() {
        let n = names();
        assert_eq!(n.replace("/users/jdoe/notebooks").as_deref(), Some("/users/<jdoe>/notebooks"));
        assert_eq!(n.replace("jdoes-notebook"), None);
        assert_eq!(n.replace("jdoe-notebook"), None);
        assert_eq!(n.replace("/get-online-features"), None);
        assert_eq!(n.replace("http.request"), None);
        assert_eq!(n.replace("JDOE denied."), Some("<jdoe> denied.".into()));
        assert_eq!(
            n.replace("by svc-fraud_model_v3 and svc-fraud").as_deref(),
            Some("by <svc-fraud_model_v3> and <svc-fraud>")
        );
        assert_eq!(n.replace("Bob and BOB and bob").as_deref(), Some("<Bob> and <Bob> and <bob>"));
        // one-letter names are never searched for
        assert_eq!(n.replace("e e e"), None);
        assert_eq!(n.lookup("JDOE"), Some("<jdoe>"));
    }
}
