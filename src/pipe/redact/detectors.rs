//! The free-text detectors: named rules applied to every string that is
//! neither an identity nor a field the reports read (and to object keys).
//! Each finds one kind of personal data or credential and says what it
//! becomes; `--list-detectors` prints them, `--disable-detector` drops one.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::Engine as _;
use regex::{Captures, Regex};

use super::names::Names;

/// A rule, as `--list-detectors` prints it.
pub struct Rule {
    pub name: &'static str,
    pub finds: &'static str,
    pub becomes: &'static str,
}

/// Every rule, in the order they run.
pub const RULES: &[Rule] = &[
    Rule {
        name: "pem-private-key",
        finds: "PEM private key blocks (-----BEGIN … PRIVATE KEY-----)",
        becomes: "[private-key]",
    },
    Rule { name: "jwt", finds: "JSON Web Tokens (eyJ….….…)", becomes: "[jwt]" },
    Rule { name: "bearer", finds: "bearer credentials (Bearer abc…)", becomes: "Bearer [redacted]" },
    Rule {
        name: "basic-auth",
        finds: "basic credentials (Basic <base64 of user:password>)",
        becomes: "Basic [redacted]",
    },
    Rule { name: "url-credentials", finds: "user:password@ in URLs", becomes: "scheme://[redacted]@" },
    Rule {
        name: "secret-param",
        finds: "secrets in query strings, form bodies and name: value text (token, access_token, id_token, \
                refresh_token, api_key, apikey, key, secret, client_secret, password, passwd, pwd, session, \
                sessionid, auth, signature, sig, authorization, cookie, and names ending in one of them)",
        becomes: "name=[redacted]",
    },
    Rule {
        name: "aws-key",
        finds: "AWS access key ids (AKIA…, ASIA…) and the 40-character secret key beside one",
        becomes: "[aws-access-key], [aws-secret-key]",
    },
    Rule {
        name: "github-token",
        finds: "GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)",
        becomes: "[github-token]",
    },
    Rule {
        name: "slack-token",
        finds: "Slack tokens (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-)",
        becomes: "[slack-token]",
    },
    Rule { name: "stripe-key", finds: "Stripe keys (sk_live_, rk_live_, sk_test_, rk_test_)", becomes: "[stripe-key]" },
    Rule { name: "google-api-key", finds: "Google API keys (AIza…)", becomes: "[google-api-key]" },
    Rule { name: "openai-key", finds: "OpenAI-style keys (sk-…, sk-proj-…)", becomes: "[api-key]" },
    Rule {
        name: "email",
        finds: "e-mail addresses, also URL-encoded (jane%40bank.example)",
        becomes: "the principal's pseudonym if it is one, else email-<16 hex>",
    },
    Rule {
        name: "principal-names",
        finds: "the log's principals as whole tokens, in any letter case",
        becomes: "their pseudonym, user-<16 hex>",
    },
    Rule {
        name: "ip-address",
        finds: "IPv4 and IPv6 addresses (compressed, zone ids, bracketed with ports, IPv4-mapped)",
        becomes: "the address's pseudonym (--ip-mode)",
    },
    Rule {
        name: "card-number",
        finds: "payment card numbers (13-19 digits, spaces or dashes, Luhn-checked)",
        becomes: "[card]",
    },
    Rule { name: "us-ssn", finds: "US social security numbers (123-45-6789)", becomes: "[ssn]" },
    Rule {
        name: "phone",
        finds: "phone numbers: E.164 (+14155552671, +44 20 7946 0958), North American ((415) 555-2671, \
                415-555-2671) and UK national (020 7946 0958)",
        becomes: "[phone]",
    },
];

// the position of each rule in RULES
const PEM_PRIVATE_KEY: usize = 0;
const JWT: usize = 1;
const BEARER: usize = 2;
const BASIC_AUTH: usize = 3;
const URL_CREDENTIALS: usize = 4;
const SECRET_PARAM: usize = 5;
const AWS_KEY: usize = 6;
const GITHUB_TOKEN: usize = 7;
const SLACK_TOKEN: usize = 8;
const STRIPE_KEY: usize = 9;
const GOOGLE_API_KEY: usize = 10;
const OPENAI_KEY: usize = 11;
const EMAIL: usize = 12;
const PRINCIPAL_NAMES: usize = 13;
const IP_ADDRESS: usize = 14;
const CARD_NUMBER: usize = 15;
const US_SSN: usize = 16;
const PHONE: usize = 17;

/// What the rules need from the redaction they run in.
pub trait Context {
    fn names(&self) -> &Names;
    /// The pseudonym of an e-mail address (lower case, decoded).
    fn email(&mut self, address: &str) -> String;
    /// The pseudonym of an address.
    fn ip(&mut self, ip: IpAddr) -> IpAddr;
}

pub struct Detectors {
    on: Vec<bool>,
    pem: Regex,
    jwt: Regex,
    bearer: Regex,
    basic: Regex,
    url_credentials: Regex,
    param: Regex,
    header: Regex,
    aws_id: Regex,
    aws_secret: Regex,
    github: Regex,
    slack: Regex,
    stripe: Regex,
    google: Regex,
    openai: Regex,
    email: Regex,
    card: Regex,
    ssn: Regex,
    phone: Regex,
    key_prefixes: aho_corasick::AhoCorasick,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid detector pattern")
}

const SECRET_WORDS: &str = "access[-_]?token|id[-_]?token|refresh[-_]?token|client[-_]?secret|api[-_]?key|apikey|\
                            session[-_]?id|sessionid|session|token|secret|password|passwd|pwd|auth|signature|sig|key";

/// Cheap facts about a string that decide which rules can match at all.
struct Features {
    flags: u8,
    colons: usize,
    digits: usize,
}

const AT: u8 = 1;
const PERCENT: u8 = 2;
const EQ: u8 = 4;
const DOT: u8 = 8;
const DASH: u8 = 16;
const SPACE: u8 = 32;

/// The flag of each byte (a table keeps the loop free of branches).
const FLAG: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'@' as usize] = AT;
    t[b'%' as usize] = PERCENT;
    t[b'=' as usize] = EQ;
    t[b'.' as usize] = DOT;
    t[b'-' as usize] = DASH;
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'\n' as usize] = SPACE;
    t[b'\r' as usize] = SPACE;
    t
};

impl Features {
    fn of(text: &str) -> Features {
        let (mut flags, mut colons, mut digits) = (0u8, 0usize, 0usize);
        for &b in text.as_bytes() {
            flags |= FLAG[b as usize];
            colons += usize::from(b == b':');
            digits += usize::from(b.wrapping_sub(b'0') < 10);
        }
        Features { flags, colons, digits }
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// True when `text` holds `word` (lower case ASCII) in any letter case.
fn contains_ci(text: &str, word: &[u8]) -> bool {
    let b = text.as_bytes();
    let (lo, up) = (word[0], word[0].to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, b)
        .any(|i| b.len() >= i + word.len() && b[i..i + word.len()].eq_ignore_ascii_case(word))
}

impl Detectors {
    /// The detectors, less those named in `disabled` (an unknown name is an error).
    pub fn new(disabled: &[String]) -> Result<Detectors, String> {
        for name in disabled {
            if !RULES.iter().any(|r| r.name == name) {
                let known: Vec<&str> = RULES.iter().map(|r| r.name).collect();
                return Err(format!("no detector named {name:?} (there are: {})", known.join(", ")));
            }
        }
        let on = RULES.iter().map(|r| !disabled.iter().any(|d| d == r.name)).collect();
        Ok(Detectors {
            on,
            pem: re(r"(?s)-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|\z)"),
            jwt: re(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
            bearer: re(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]{4,}"),
            basic: re(r"(?i)\b(basic)(\s+)([A-Za-z0-9+/]{4,}={0,2})"),
            url_credentials: re(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"),
            param: re(&format!(
                r#"(?i)(^|[?&;\s,"'{{(/])((?:[a-z0-9]+[-_])*(?:x[-_])?(?:{SECRET_WORDS}))=([^&\s"',;)]+)"#
            )),
            header: re(&format!(
                r#"(?i)(^|[\s,{{("'])((?:[a-z0-9]+[-_])*(?:x[-_])?(?:{SECRET_WORDS}|authorization|cookie|set-cookie))("?\s*:\s*"?)([^\s",;}}]+)"#
            )),
            aws_id: re(r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b"),
            aws_secret: re(r"(^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})($|[^A-Za-z0-9/+=])"),
            github: re(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
            slack: re(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            stripe: re(r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"),
            google: re(r"\bAIza[0-9A-Za-z_-]{35}"),
            openai: re(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
            email: re(r"([A-Za-z0-9._%+-]+)(?:@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"),
            card: re(r"\d(?:[ -]?\d){12,18}"),
            ssn: re(r"\b\d{3}-\d{2}-\d{4}\b"),
            key_prefixes: aho_corasick::AhoCorasick::new([
                "AKIA",
                "ASIA",
                "ABIA",
                "ACCA",
                "AGPA",
                "AIDA",
                "AROA",
                "AIPA",
                "ANPA",
                "ANVA",
                "ghp_",
                "gho_",
                "ghu_",
                "ghs_",
                "ghr_",
                "github_pat_",
                "xox",
                "k_live_",
                "k_test_",
                "AIza",
                "sk-",
            ])
            .expect("an automaton of key prefixes"),
            phone: re(concat!(
                r"\+[1-9]\d{0,3}(?:[ .-]?\(?\d{1,4}\)?){1,5}[ .-]?\d{2,4}",
                r"|(?:\(\d{3}\) ?|\b\d{3}[-.])\d{3}[-.]\d{4}\b",
                r"|\b0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}\b",
            )),
        })
    }

    fn on(&self, rule: usize) -> bool {
        self.on[rule]
    }

    /// `text` with what the rules find replaced, or `None` when they find nothing.
    pub fn scrub<C: Context>(&self, text: &str, cx: &mut C) -> Option<String> {
        // a source address field holds just the address: nothing else can be in it
        if text.len() <= 39 && self.on(IP_ADDRESS) {
            if let Ok(ip) = text.parse::<IpAddr>() {
                let new = cx.ip(ip).to_string();
                return (new != text).then_some(new);
            }
        }
        let f = Features::of(text);
        let mut t: Cow<'_, str> = Cow::Borrowed(text);
        // every key format starts with one of a few prefixes
        let long = text.len() >= 20 && self.key_prefixes.is_match(text);
        if f.has(DASH) && self.on(PEM_PRIVATE_KEY) && text.contains("-----BEGIN") {
            step(&mut t, &self.pem, |_| Some("[private-key]".into()));
        }
        if f.has(DOT) && self.on(JWT) && text.contains("eyJ") {
            step(&mut t, &self.jwt, |_| Some("[jwt]".into()));
        }
        if f.has(SPACE) && self.on(BEARER) && contains_ci(text, b"bearer") {
            step(&mut t, &self.bearer, |c| Some(format!("{}{}[redacted]", &c[1], &c[2])));
        }
        if f.has(SPACE) && self.on(BASIC_AUTH) && contains_ci(text, b"basic") {
            step(&mut t, &self.basic, |c| basic_credentials(&c[3]).then(|| format!("{}{}[redacted]", &c[1], &c[2])));
        }
        if f.colons > 0 && f.has(AT) && self.on(URL_CREDENTIALS) {
            step(&mut t, &self.url_credentials, |c| Some(format!("{}[redacted]@", &c[1])));
        }
        if self.on(SECRET_PARAM) {
            if f.has(EQ) {
                step(&mut t, &self.param, |c| Some(format!("{}{}=[redacted]", &c[1], &c[2])));
            }
            if f.colons > 0 {
                step(&mut t, &self.header, |c| {
                    let v = &c[4];
                    let keep = v.eq_ignore_ascii_case("bearer") || v.eq_ignore_ascii_case("basic") || v == "[redacted]";
                    (!keep).then(|| format!("{}{}{}[redacted]", &c[1], &c[2], &c[3]))
                });
            }
        }
        if long && self.on(AWS_KEY) && step(&mut t, &self.aws_id, |_| Some("[aws-access-key]".into())) {
            step(&mut t, &self.aws_secret, |c| Some(format!("{}[aws-secret-key]{}", &c[1], &c[3])));
        }
        if long {
            for (rule, re, mask) in [
                (GITHUB_TOKEN, &self.github, "[github-token]"),
                (SLACK_TOKEN, &self.slack, "[slack-token]"),
                (STRIPE_KEY, &self.stripe, "[stripe-key]"),
                (GOOGLE_API_KEY, &self.google, "[google-api-key]"),
                (OPENAI_KEY, &self.openai, "[api-key]"),
            ] {
                if self.on(rule) {
                    step(&mut t, re, |_| Some(mask.into()));
                }
            }
        }
        if (f.has(AT) || f.has(PERCENT)) && self.on(EMAIL) {
            let names_on = self.on(PRINCIPAL_NAMES);
            step(&mut t, &self.email, |c| {
                let local = percent_encoding::percent_decode_str(&c[1]).decode_utf8_lossy();
                let address = format!("{local}@{}", &c[2]).to_lowercase();
                let known = names_on.then(|| cx.names().lookup(&address).map(str::to_owned)).flatten();
                Some(known.unwrap_or_else(|| cx.email(&address)))
            });
        }
        if self.on(PRINCIPAL_NAMES) {
            if let Some(s) = cx.names().replace(&t) {
                t = Cow::Owned(s);
            }
        }
        if (f.colons >= 2 || (f.has(DOT) && f.digits >= 4)) && self.on(IP_ADDRESS) {
            if let Some(s) = addresses(&t, cx) {
                t = Cow::Owned(s);
            }
        }
        if f.digits >= 13 && self.on(CARD_NUMBER) {
            step_checked(&mut t, &self.card, |m| is_card(m).then(|| "[card]".to_owned()));
        }
        if f.digits >= 9 && f.has(DASH) && self.on(US_SSN) {
            step_checked(&mut t, &self.ssn, |m| is_ssn(m).then(|| "[ssn]".to_owned()));
        }
        if f.digits >= 7 && self.on(PHONE) {
            step_checked(&mut t, &self.phone, |m| is_phone(m).then(|| "[phone]".to_owned()));
        }
        match t {
            Cow::Owned(s) => Some(s),
            Cow::Borrowed(_) => None,
        }
    }
}

/// Replaces the matches of `re` in `t` for which `f` gives a replacement;
/// true when any did.
fn step<F: FnMut(&Captures<'_>) -> Option<String>>(t: &mut Cow<'_, str>, re: &Regex, mut f: F) -> bool {
    let mut out = String::new();
    let mut at = 0;
    for c in re.captures_iter(t) {
        let m = c.get(0).expect("the whole match");
        if let Some(new) = f(&c) {
            out.push_str(&t[at..m.start()]);
            out.push_str(&new);
            at = m.end();
        }
    }
    if at == 0 {
        return false;
    }
    out.push_str(&t[at..]);
    *t = Cow::Owned(out);
    true
}

/// Like [`step`], for a match of digits that must also stand alone.
fn step_checked<F: FnMut(&str) -> Option<String>>(t: &mut Cow<'_, str>, re: &Regex, mut f: F) {
    let text = t.clone();
    step(t, re, |c| {
        let m = c.get(0).expect("the whole match");
        if bounded(&text, m.start(), m.end()) { f(m.as_str()) } else { None }
    });
}

/// A match not glued to letters, digits or a pseudonym's `-` on either side.
fn bounded(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let glued = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let before = start == 0
        || !(glued(b[start - 1])
            || b[start - 1] == b'-'
            || (b[start - 1] == b'.' && start >= 2 && b[start - 2].is_ascii_digit()));
    let after = end == b.len()
        || !(glued(b[end]) || (matches!(b[end], b'.' | b'-') && b.get(end + 1).is_some_and(u8::is_ascii_digit)));
    before && after
}

/// Base64 of `user:password` (so that "basic features" is left alone).
fn basic_credentials(token: &str) -> bool {
    let padded = match token.len() % 4 {
        2 => format!("{token}=="),
        3 => format!("{token}="),
        _ => token.to_owned(),
    };
    base64::engine::general_purpose::STANDARD
        .decode(padded)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .is_some_and(|s| s.contains(':') && !s.chars().any(char::is_control))
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum % 10 == 0
}

fn is_card(m: &str) -> bool {
    let digits: Vec<u8> = m.bytes().filter(u8::is_ascii_digit).collect();
    let seps: Vec<u8> = m.bytes().filter(|b| !b.is_ascii_digit()).collect();
    if !(13..=19).contains(&digits.len()) || seps.windows(2).any(|w| w[0] != w[1]) {
        return false;
    }
    // the issuers' number ranges: Visa, Mastercard, Amex, Diners, Discover, JCB, UnionPay, Maestro
    let two = u32::from(digits[0] - b'0') * 10 + u32::from(digits[1] - b'0');
    let four: u32 = digits[..4].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
    let issuer = digits[0] == b'4'
        || (51..=55).contains(&two)
        || (2221..=2720).contains(&four)
        || matches!(two, 34 | 37 | 36 | 38 | 30 | 35 | 62 | 64 | 65 | 50 | 56 | 57 | 58 | 67)
        || four == 6011;
    issuer && luhn(&digits)
}

fn is_ssn(m: &str) -> bool {
    let area: u32 = m[..3].parse().unwrap_or(0);
    let group = &m[4..6];
    let serial = &m[7..];
    area != 0 && area != 666 && area < 900 && group != "00" && serial != "0000"
}

fn is_phone(m: &str) -> bool {
    let digits = m.bytes().filter(u8::is_ascii_digit).count();
    if m.starts_with('+') { (8..=15).contains(&digits) } else { (10..=11).contains(&digits) }
}

/// The addresses in `text` replaced by their pseudonyms.
fn addresses<C: Context>(text: &str, cx: &mut C) -> Option<String> {
    let b = text.as_bytes();
    let in_run = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !in_run(b[i]) {
            i += 1;
            continue;
        }
        let mut start = i;
        while i < b.len() && in_run(b[i]) {
            i += 1;
        }
        // `ip:10.0.0.1`: a separator after a word starts no address
        let after_word = start > 0 && b[start - 1].is_ascii_alphanumeric();
        if after_word && matches!(b[start], b':' | b'.') && b.get(start + 1) != Some(&b':') && start + 1 < i {
            start += 1;
        }
        let mut end = i;
        // a zone id (`fe80::1%eth0`) belongs to the address
        let mut zone_end = end;
        if b.get(end) == Some(&b'%') {
            let z = b[end + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-')).count();
            if z > 0 {
                zone_end = end + 1 + z;
            }
        }
        let glued = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        let glued_before = glued(start.checked_sub(1).map(|s| &b[s])) && !matches!(b[start - 1], b':' | b'.');
        if glued_before || glued(b.get(zone_end)) {
            i = zone_end.max(i);
            continue;
        }
        let run = &text[start..end];
        let colons = run.bytes().filter(|&c| c == b':').count();
        if colons >= 2 && run.bytes().any(|c| c.is_ascii_hexdigit()) {
            // trailing punctuation is not part of the address
            let trimmed = run.trim_end_matches('.');
            end = start + trimmed.len();
            if let Ok(v6) = trimmed.parse::<Ipv6Addr>() {
                let new = cx.ip(IpAddr::V6(v6)).to_string();
                out.push_str(&text[copied..start]);
                out.push_str(&new);
                copied = end;
                i = zone_end;
                continue;
            }
        }
        // IPv4 addresses among the run's pieces (`10.0.0.1:8443`, `ip:10.0.0.1`)
        let mut piece_start = start;
        for piece in run.split(':') {
            let trimmed = piece.trim_end_matches('.');
            if trimmed.len() >= 7 && trimmed.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
                if let Ok(v4) = trimmed.parse::<Ipv4Addr>() {
                    let new = cx.ip(IpAddr::V4(v4)).to_string();
                    out.push_str(&text[copied..piece_start]);
                    out.push_str(&new);
                    copied = piece_start + trimmed.len();
                }
            }
            piece_start += piece.len() + 1;
        }
        i = zone_end.max(i);
    }
    if copied == 0 && out.is_empty() {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Cx(Names);
    impl Context for Cx {
        fn names(&self) -> &Names {
            &self.0
        }
        fn email(&mut self, address: &str) -> String {
            format!("<{}>", address.replace('@', "#"))
        }
        fn ip(&mut self, ip: IpAddr) -> IpAddr {
            match ip {
                IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
                IpAddr::V6(v6) => match super::super::cryptopan::mapped_v4(v6) {
                    Some(_) => IpAddr::V6(Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped()),
                    None => IpAddr::V6("2001:db8::99".parse().unwrap()),
                },
            }
        }
    }

    fn scrub(text: &str) -> String {
        let d = Detectors::new(&[]).unwrap();
        let mut cx = Cx(Names::new([
            ("jdoe".to_string(), "user-j".to_string()),
            ("ann@bank.example".to_string(), "user-a".to_string()),
        ]));
        d.scrub(text, &mut cx).unwrap_or_else(|| text.to_owned())
    }

    #[test]
    fn each_rule() {
        let cases = [
            ("a -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- b", "a [private-key] b"),
            ("t eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln x", "t [jwt] x"),
            ("Authorization: Bearer abc.DEF-123", "Authorization: Bearer [redacted]"),
            ("Authorization: Basic YWRtaW46aHVudGVyMg==", "Authorization: Basic [redacted]"),
            ("basic features", "basic features"),
            ("https://admin:hunter2@db.internal/x", "https://[redacted]@db.internal/x"),
            ("GET /x?token=abc123&page=2", "GET /x?token=[redacted]&page=2"),
            ("api_key=sk-live-abc password=hunter2 pwd=x", "api_key=[redacted] password=[redacted] pwd=[redacted]"),
            ("X-Api-Key: abcdef123", "X-Api-Key: [redacted]"),
            ("Cookie: session=abc", "Cookie: [redacted]"),
            (
                "access_token=a&refresh_token=b&client_secret=c",
                "access_token=[redacted]&refresh_token=[redacted]&client_secret=[redacted]",
            ),
            (
                "key AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY!",
                "key [aws-access-key] and [aws-secret-key]!",
            ),
            ("ghp_0123456789abcdefghijklmnopqrstuvwxyz01", "[github-token]"),
            ("xoxb-1234567890-abcdefghij", "[slack-token]"),
            ("sk_live_0123456789abcdefXYZ", "[stripe-key]"),
            ("AIzaSyA-0123456789abcdefghijklmnopqrstu", "[google-api-key]"),
            ("sk-proj-abcdefghijklmnopqrstuvwx", "[api-key]"),
            ("mail bob@corp.example and jane%40bank.example", "mail <bob#corp.example> and <jane#bank.example>"),
            ("ANN@bank.example", "user-a"),
            ("/users/JDoe/x by jdoes-notebook", "/users/user-j/x by jdoes-notebook"),
            ("from 10.20.0.77:443 and [2001:db8:85a3::8a2e:370:7334]:443", "from 192.0.2.1:443 and [2001:db8::99]:443"),
            ("[fe80::1%eth0] ::ffff:10.20.0.77.", "[2001:db8::99%eth0] ::ffff:192.0.2.1."),
            (
                "ip:10.1.2.3, at 10:00:00.123, Chrome/120.0.6099.109, Foo::bar",
                "ip:192.0.2.1, at 10:00:00.123, Chrome/120.0.6099.109, Foo::bar",
            ),
            (
                "card 4111 1111 1111 1111, 4111-1111-1111-1111 and 1727740800000",
                "card [card], [card] and 1727740800000",
            ),
            ("ssn 123-45-6789 not 000-12-3456", "ssn [ssn] not 000-12-3456"),
            (
                "call +1 415 555 2671 or (415) 555-2671 or +442079460958 or 020 7946 0958",
                "call [phone] or [phone] or [phone] or [phone]",
            ),
            ("on 2026-10-01 took 10.022 ms", "on 2026-10-01 took 10.022 ms"),
            ("POST /get-online-features -> 200", "POST /get-online-features -> 200"),
        ];
        for (text, want) in cases {
            assert_eq!(scrub(text), want, "{text}");
            // what a rule writes, no rule finds again
            assert_eq!(scrub(want), want, "again: {want}");
        }
    }

    #[test]
    fn rule_positions() {
        for (i, name) in [
            "pem-private-key",
            "jwt",
            "bearer",
            "basic-auth",
            "url-credentials",
            "secret-param",
            "aws-key",
            "github-token",
            "slack-token",
            "stripe-key",
            "google-api-key",
            "openai-key",
            "email",
            "principal-names",
            "ip-address",
            "card-number",
            "us-ssn",
            "phone",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(RULES[i].name, *name);
        }
        assert_eq!(RULES.len(), 18);
    }

    #[test]
    fn disabled_and_unknown() {
        let d = Detectors::new(&["email".into()]).unwrap();
        let mut cx = Cx(Names::default());
        assert_eq!(d.scrub("bob@corp.example", &mut cx), None);
        assert!(Detectors::new(&["nope".into()]).is_err());
    }
}
