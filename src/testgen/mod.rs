//! Realistic audit traffic with known answers, for tests and benchmarks.
//!
//! The generator decides each event's facts first ([`GenEvent`]: who, when,
//! which views, which outcome class, what latency) and only then writes it in
//! the chosen schema's own conventions (Feast's `failure` + `-> 403`, SOC 2's
//! `statusCode`, …). Tests compute expected reports from the facts, so they
//! check the readers against an independent truth, not against themselves.

mod incidents;
mod render;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal, Zipf};

use crate::event::OutcomeClass;
use crate::time::{MICROS_PER_SEC, Micros, parse_rfc3339};

pub use incidents::{BRUTE_FORCE_IP, CONTRACTOR, Counts, Injected, SHARED_IP_PREFIX, Score};
pub use render::render;

/// Which schema to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    Feast,
    FeastSox,
    Flat,
    Soc2,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub events: usize,
    pub shape: Shape,
    pub seed: u64,
    /// Malformed lines mixed in at random places.
    pub malformed: usize,
    pub principals: usize,
    pub start: Micros,
    pub days: u32,
    /// Inject a brute force, a probe of sensitive views and a volume spike.
    pub incidents: bool,
    /// Give every entry an `integrity` chain (checksum and previousLogHash).
    pub chain: bool,
    /// Ordinary background of RBAC refusals: people read sensitive views in
    /// short sessions (3 to 8 reads within a few minutes), and each of those
    /// reads is denied with this probability, at random. 0 (the default)
    /// writes no sessions.
    pub background_denials: f64,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            events: 1000,
            shape: Shape::Feast,
            seed: 1,
            malformed: 0,
            principals: 60,
            start: parse_rfc3339("2026-10-01T00:00:00Z").expect("valid constant"),
            days: 7,
            incidents: false,
            chain: false,
            background_denials: 0.0,
        }
    }
}

/// A whole generated log.
#[derive(Debug, Default, Clone)]
pub struct Generated {
    pub events: Vec<GenEvent>,
    /// Every line, in order, without line endings.
    pub lines: Vec<Vec<u8>>,
    /// 1-based numbers of the malformed lines.
    pub malformed_lines: Vec<u64>,
    /// The incidents injected (with `incidents: true`).
    pub injected: Vec<Injected>,
}

impl Generated {
    /// The log as one JSONL text, each line ending in `\n`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for l in &self.lines {
            out.extend_from_slice(l);
            out.push(b'\n');
        }
        out
    }
}

/// The facts of one generated event.
#[derive(Debug, Clone, PartialEq)]
pub struct GenEvent {
    pub time: Micros,
    /// Empty when the log names nobody (reported as `(unknown)`).
    pub principal: String,
    pub roles: Vec<String>,
    pub source_ip: Option<String>,
    pub resources: Vec<String>,
    pub event_type: String,
    pub class: OutcomeClass,
    pub latency_ms: Option<f64>,
    pub request_id: String,
    /// A write to the store (Feast's `/push`, action `WRITE_ONLINE`).
    pub write: bool,
}

/// The feature views of the generated store; the first four are sensitive.
pub const VIEWS: [&str; 14] = [
    "credit_bureau_fv",
    "loan_history_fv",
    "credit_limit_fv",
    "loan_applications_fv",
    "merchant_risk_fv",
    "transactions_7d_fv",
    "customer_profile_fv",
    "geo_velocity_fv",
    "device_fingerprint_fv",
    "session_clicks_fv",
    "fraud_signals_fv",
    "driver_stats_fv",
    "recsys_embeddings_fv",
    "churn_features_fv",
];
const SENSITIVE_VIEWS: usize = 4;
const SERVICES: [&str; 8] = [
    "recsys_ranker",
    "credit_scoring_svc",
    "fraud_model_v3",
    "churn_batch",
    "pricing_engine",
    "ltv_forecaster",
    "search_reranker",
    "kyc_checker",
];

/// One principal of the generated population.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    name: String,
    roles: Vec<String>,
    ips: Vec<String>,
    /// Views it may read; asking for others is denied.
    allowed: Vec<usize>,
}

/// A seeded, streaming generator: same options, same lines.
pub struct Generator {
    opts: GenOptions,
    rng: StdRng,
    actors: Vec<Actor>,
    zipf: Zipf<f64>,
    latency: LogNormal<f64>,
    time: Micros,
    step_mean: f64,
    emitted: usize,
    /// Line positions (0-based, among all lines) that are malformed.
    malformed_at: Vec<usize>,
    line: usize,
    /// Injected events not yet written, latest first.
    pending: Vec<GenEvent>,
    /// The next ordinary event, once drawn.
    peeked: Option<GenEvent>,
    /// Reads of a session not yet written, latest first.
    session: Vec<GenEvent>,
    /// The checksum of the last entry written, with `chain`.
    last_checksum: Option<String>,
    pub injected: Vec<Injected>,
}

impl Generator {
    pub fn new(opts: GenOptions) -> Self {
        let mut rng = StdRng::seed_from_u64(opts.seed);
        let n = opts.principals.max(2);
        let actors = (0..n).map(|i| make_actor(i, &mut rng)).collect();
        let span = f64::from(opts.days.max(1)) * 86_400.0 * MICROS_PER_SEC as f64;
        let step_mean = span / (opts.events.max(1) as f64);
        let total_lines = opts.events + opts.malformed;
        let mut malformed_at: Vec<usize> =
            rand::seq::index::sample(&mut rng, total_lines.max(1), opts.malformed.min(total_lines)).into_vec();
        malformed_at.sort_unstable();
        malformed_at.reverse();
        let actors: Vec<Actor> = actors;
        let latency = LogNormal::new(8f64.ln(), 0.75).expect("valid lognormal parameters");
        let (mut pending, injected) = if opts.incidents {
            incidents::inject(&actors, opts.start, opts.shape, &latency, &mut rng)
        } else {
            (Vec::new(), Vec::new())
        };
        pending.reverse();
        Generator {
            zipf: Zipf::new(n as f64, 1.1).expect("valid Zipf parameters"),
            latency,
            pending,
            peeked: None,
            session: Vec::new(),
            last_checksum: None,
            injected,
            time: opts.start,
            step_mean,
            emitted: 0,
            malformed_at,
            line: 0,
            actors,
            rng,
            opts,
        }
    }

    /// The next line: `Ok` an event (with its rendered line), `Err` a malformed line.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<(GenEvent, String), Vec<u8>>> {
        if self.malformed_at.last() == Some(&self.line) {
            self.malformed_at.pop();
            self.line += 1;
            return Some(Err(self.malformed_line()));
        }
        if self.peeked.is_none() && self.emitted < self.opts.events {
            self.emitted += 1;
            self.peeked = Some(self.event());
        }
        // the earliest of the injected, session and ordinary events comes first
        let time = |e: Option<&GenEvent>| e.map_or(Micros::MAX, |e| e.time);
        let (injected, session, ordinary) =
            (time(self.pending.last()), time(self.session.last()), time(self.peeked.as_ref()));
        let ev = if injected <= session && injected <= ordinary && !self.pending.is_empty() {
            self.pending.pop()
        } else if session <= ordinary && !self.session.is_empty() {
            self.session.pop()
        } else {
            self.peeked.take()
        }?;
        self.line += 1;
        let mut text = render(&ev, self.opts.shape, &mut self.rng);
        if self.opts.chain {
            text = self.chained(&text);
        }
        Some(Ok((ev, text)))
    }

    /// The line with an `integrity` member linking it to the line before.
    fn chained(&mut self, line: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(line).expect("generated lines are JSON");
        let checksum = crate::integrity::jcs::entry_checksum(&mut v);
        v["integrity"] = serde_json::json!({"checksum": checksum, "previousLogHash": self.last_checksum});
        self.last_checksum = Some(checksum);
        v.to_string()
    }

    /// Generates everything at once.
    pub fn all(mut self) -> Generated {
        let mut g = Generated { injected: self.injected.clone(), ..Generated::default() };
        while let Some(item) = self.next() {
            match item {
                Ok((ev, text)) => {
                    g.events.push(ev);
                    g.lines.push(text.into_bytes());
                }
                Err(bad) => {
                    g.lines.push(bad);
                    g.malformed_lines.push(g.lines.len() as u64);
                }
            }
        }
        g
    }

    fn event(&mut self) -> GenEvent {
        let u: f64 = self.rng.random::<f64>().max(1e-12);
        self.time += (-u.ln() * self.step_mean) as i64;
        let idx = (self.zipf.sample(&mut self.rng) as usize).clamp(1, self.actors.len()) - 1;
        let actor = self.actors[idx].clone();
        let request_id = format!("{:032x}", self.rng.random::<u128>());
        let ip = Some(actor.ips[self.rng.random_range(0..actor.ips.len())].clone());
        let roll: f64 = self.rng.random();
        let mut ev = GenEvent {
            time: self.time,
            principal: actor.name.clone(),
            roles: actor.roles.clone(),
            source_ip: ip,
            resources: Vec::new(),
            event_type: String::new(),
            class: OutcomeClass::Success,
            latency_ms: None,
            request_id,
            write: false,
        };
        if roll < 0.01 {
            // a failed login: from a known address, often with no usable principal
            ev.class = OutcomeClass::Unauthenticated;
            ev.event_type = "authn.failure".into();
            if self.rng.random_bool(0.5) {
                ev.principal.clear();
                ev.roles.clear();
            }
            render::shape_specific(&mut ev, self.opts.shape, &mut self.rng, true);
            return ev;
        }
        if self.opts.background_denials > 0.0 && !actor.name.starts_with("svc-") && self.rng.random_bool(0.04) {
            self.start_session(&actor);
        }
        let view = if self.rng.random_bool(0.02) {
            self.rng.random_range(0..VIEWS.len())
        } else {
            actor.allowed[self.rng.random_range(0..actor.allowed.len())]
        };
        let denied = !actor.allowed.contains(&view);
        ev.resources.push(VIEWS[view].to_owned());
        if matches!(self.opts.shape, Shape::FeastSox) && self.rng.random_bool(0.3) {
            let extra = actor.allowed[self.rng.random_range(0..actor.allowed.len())];
            if extra != view {
                ev.resources.push(VIEWS[extra].to_owned());
            }
        }
        ev.class = if denied {
            OutcomeClass::Denied
        } else if self.rng.random_bool(0.006) {
            OutcomeClass::Error
        } else if self.rng.random_bool(0.002) {
            OutcomeClass::Unauthenticated
        } else {
            OutcomeClass::Success
        };
        let mut latency = self.latency.sample(&mut self.rng);
        if ev.class == OutcomeClass::Error {
            latency *= 6.0;
        } else if ev.class != OutcomeClass::Success {
            latency = latency.min(5.0) / 3.0;
        }
        ev.latency_ms = Some((latency * 1000.0).round() / 1000.0);
        ev.event_type = render::event_type_for(&ev, self.opts.shape, &mut self.rng);
        render::shape_specific(&mut ev, self.opts.shape, &mut self.rng, true);
        ev
    }

    /// A session of reads of sensitive views by `actor`, starting a few
    /// seconds from now; each read is denied with `background_denials`.
    fn start_session(&mut self, actor: &Actor) {
        let reads = self.rng.random_range(3..=8usize).min(self.opts.events - self.emitted);
        let mut t = self.time;
        for _ in 0..reads {
            t += self.rng.random_range(10..=90) * MICROS_PER_SEC;
            self.emitted += 1;
            let view = VIEWS[self.rng.random_range(0..SENSITIVE_VIEWS)];
            let denied = self.rng.random_bool(self.opts.background_denials.clamp(0.0, 1.0));
            let class = if denied { OutcomeClass::Denied } else { OutcomeClass::Success };
            let ip = actor.ips[self.rng.random_range(0..actor.ips.len())].clone();
            let ev = request(actor, ip, t, class, Some(view), self.opts.shape, &self.latency, &mut self.rng);
            self.session.push(ev);
        }
        // latest first, so that the earliest is popped
        self.session.sort_by_key(|e| std::cmp::Reverse(e.time));
    }

    fn malformed_line(&mut self) -> Vec<u8> {
        let kinds: [&[u8]; 7] = [
            br#"{"event_type":"http.request","timestamp":"2026-10-01T00:00:00Z","principal":{"username":"x""#,
            b"not json at all",
            b"[1,2,3]",
            br#"{"hello":"world"}"#,
            br#"{"event_type":"http.request","timestamp":"not a time","principal":{"username":"x"}}"#,
            b"{\"event_type\":\"http.request\",\"principal\":{\"username\":\"\xff\xfe\"}}",
            b"\"just a string\"",
        ];
        kinds[self.rng.random_range(0..kinds.len())].to_vec()
    }
}

/// A request of `actor` from `ip` with a plain event type (a failed login
/// for `unauthenticated`), as the schema writes it without noise.
#[allow(clippy::too_many_arguments)]
pub(crate) fn request(
    actor: &Actor,
    ip: String,
    time: Micros,
    class: OutcomeClass,
    view: Option<&str>,
    shape: Shape,
    latency: &LogNormal<f64>,
    rng: &mut StdRng,
) -> GenEvent {
    let mut ev = GenEvent {
        time,
        principal: actor.name.clone(),
        roles: actor.roles.clone(),
        source_ip: Some(ip),
        resources: view.map(|v| vec![v.to_owned()]).unwrap_or_default(),
        event_type: String::new(),
        class,
        latency_ms: Some((latency.sample(rng) * 1000.0).round() / 1000.0),
        request_id: format!("{:032x}", rng.random::<u128>()),
        write: false,
    };
    ev.event_type = if class == OutcomeClass::Unauthenticated {
        "authn.failure".into()
    } else {
        render::plain_event_type(&ev, shape)
    };
    render::shape_specific(&mut ev, shape, rng, false);
    ev
}

fn make_actor(i: usize, rng: &mut StdRng) -> Actor {
    let service = i < SERVICES.len() || rng.random_bool(0.15);
    let name = if i < SERVICES.len() {
        format!("svc-{}", SERVICES[i])
    } else if service {
        format!("svc-batch_{i:03}")
    } else {
        format!("user{i:04}@corp.example")
    };
    let role =
        if service { "ml-service" } else { ["reader", "data-scientist", "feature-admin"][rng.random_range(0..3)] };
    let ip = |rng: &mut StdRng| {
        format!("10.{}.{}.{}", rng.random_range(0..=255), rng.random_range(0..=255), rng.random_range(1..=254))
    };
    let ips = (0..if service { 1 } else { rng.random_range(1..=3) }).map(|_| ip(rng)).collect();
    // admins may read everything; others a handful of non-sensitive views,
    // and a third of them one sensitive view too
    let allowed: Vec<usize> = if role == "feature-admin" {
        (0..VIEWS.len()).collect()
    } else {
        let mut v: Vec<usize> = rand::seq::index::sample(rng, VIEWS.len() - SENSITIVE_VIEWS, 4)
            .into_iter()
            .map(|x| x + SENSITIVE_VIEWS)
            .collect();
        if rng.random_bool(0.33) {
            v.push(rng.random_range(0..SENSITIVE_VIEWS));
        }
        v
    };
    Actor { name, roles: vec![role.to_owned()], ips, allowed }
}
