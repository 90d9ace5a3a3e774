//! Detector names, severities, thresholds, and the sensitive-access policy.

use chrono::{Datelike, TimeZone, Timelike};
use serde::Serialize;

use super::track::PrincipalTrack;
use crate::event::Event;
use crate::time::{MICROS_PER_SEC, Micros};

/// The detectors, by their names in findings and on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detector {
    AuthnFailures,
    DeniedBurst,
    ResourceEnumeration,
    VolumeSpike,
    SensitiveAccess,
    NewSourceIp,
    OffHours,
    CredentialSharing,
    WriteFailures,
    DailyDenials,
}

impl Detector {
    pub const ALL: [Detector; 10] = [
        Detector::AuthnFailures,
        Detector::DeniedBurst,
        Detector::ResourceEnumeration,
        Detector::VolumeSpike,
        Detector::SensitiveAccess,
        Detector::NewSourceIp,
        Detector::OffHours,
        Detector::CredentialSharing,
        Detector::WriteFailures,
        Detector::DailyDenials,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Detector::AuthnFailures => "authn-failures",
            Detector::DeniedBurst => "denied-burst",
            Detector::ResourceEnumeration => "resource-enumeration",
            Detector::VolumeSpike => "volume-spike",
            Detector::SensitiveAccess => "sensitive-access",
            Detector::NewSourceIp => "new-source-ip",
            Detector::OffHours => "off-hours",
            Detector::CredentialSharing => "credential-sharing",
            Detector::WriteFailures => "write-failures",
            Detector::DailyDenials => "daily-denials",
        }
    }

    /// The most severe finding the detector makes: a finding is made at
    /// its detector's severity and lowered one step when its chance is not
    /// small ([`super::stats::severity`]), never raised.
    pub fn most_severe(self) -> Severity {
        match self {
            Detector::AuthnFailures | Detector::WriteFailures => Severity::Critical,
            Detector::DeniedBurst | Detector::ResourceEnumeration | Detector::CredentialSharing => Severity::High,
            Detector::VolumeSpike | Detector::OffHours | Detector::DailyDenials | Detector::SensitiveAccess => {
                Severity::Medium
            }
            Detector::NewSourceIp => Severity::Low,
        }
    }

    pub fn parse(s: &str) -> Result<Detector, String> {
        Detector::ALL.into_iter().find(|d| d.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Detector::ALL.iter().map(|d| d.name()).collect();
            format!("unknown detector '{s}' (expected one of {})", names.join(", "))
        })
    }
}

/// How bad a finding is; ordered so that `Critical` is greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// One step less severe (`low` stays `low`).
    pub fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            _ => Severity::Low,
        }
    }

    pub fn parse(s: &str) -> Result<Severity, String> {
        [Severity::Low, Severity::Medium, Severity::High, Severity::Critical]
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown severity '{s}' (expected low, medium, high or critical)"))
    }
}

/// Thresholds and policy of every detector.
#[derive(Debug, Clone)]
pub struct DetectorConfig {
    /// Width of the sliding window of the burst detectors.
    pub window: Micros,
    /// `authn-failures`: failed logins in a window, per address or principal.
    pub authn_failures: u64,
    /// `denied-burst`: denied requests in a window…
    pub denied_burst: u64,
    /// …making up at least this share of the principal's requests there
    /// (also required by `resource-enumeration`).
    pub denied_share: f64,
    /// `resource-enumeration`: distinct resources denied in a window.
    pub enumeration: usize,
    /// `volume-spike`: events in an hour at least this multiple of the
    /// principal's median hourly volume…
    pub spike_factor: f64,
    /// …and at least this many.
    pub spike_min: u64,
    /// Resources that matter most (`--sensitive`).
    pub sensitive: Option<crate::filter::Names>,
    /// `sensitive-access`: roles allowed to touch sensitive resources.
    pub allow_roles: Vec<String>,
    /// `sensitive-access`: business hours `[start, end)` in `tz`, Monday to Friday.
    pub business_hours: Option<(u32, u32)>,
    pub tz: chrono_tz::Tz,
    /// `new-source-ip`: the shortest log in which "new" means anything.
    pub new_ip_min_span: Micros,
    /// The chance, corrected for every window a detector tries, below which
    /// a count is a finding (family-wise, per detector and run).
    pub alpha: f64,
    /// `off-hours`: events in one hour of the day the principal never uses.
    pub off_hours_min: u64,
    /// `credential-sharing`: distinct source addresses of one principal in an hour.
    pub shared_addresses: u64,
    /// `write-failures`: failed writes of one principal in a window.
    pub write_failures: u64,
    /// `daily-denials`: denied requests of one principal in a day.
    pub daily_denials: u64,
    pub disabled: Vec<Detector>,
    /// Only the detectors of failures (`authn-failures`, `write-failures`)
    /// are enabled, and nothing else is kept: an event of another outcome
    /// only names its principal. Set by [`DetectorConfig::counting_from`].
    pub failures_only: bool,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            window: 10 * 60 * MICROS_PER_SEC,
            authn_failures: 20,
            denied_burst: 10,
            denied_share: 0.5,
            enumeration: 3,
            spike_factor: 10.0,
            spike_min: 50,
            sensitive: None,
            allow_roles: Vec::new(),
            business_hours: None,
            tz: chrono_tz::UTC,
            new_ip_min_span: 2 * 86_400 * MICROS_PER_SEC,
            alpha: 0.01,
            off_hours_min: 20,
            shared_addresses: 5,
            write_failures: 1,
            daily_denials: 11,
            disabled: Vec::new(),
            failures_only: false,
        }
    }
}

impl DetectorConfig {
    pub fn enabled(&self, d: Detector) -> bool {
        !self.disabled.contains(&d)
            && match d {
                Detector::SensitiveAccess => {
                    self.sensitive.is_some() && (!self.allow_roles.is_empty() || self.business_hours.is_some())
                }
                _ => true,
            }
    }

    /// For a run that counts only findings of `least` severity or more
    /// (`check`, whose `findings` rules name a severity): the detectors
    /// that never make one are disabled, and when only the detectors of
    /// failures remain (as under `severity = "critical"`) nothing else is
    /// kept ([`DetectorConfig::failures_only`]). Every finding such a run
    /// counts is made as in a run of every detector.
    pub fn counting_from(mut self, least: Severity) -> Self {
        for d in Detector::ALL {
            if d.most_severe() < least && !self.disabled.contains(&d) {
                self.disabled.push(d);
            }
        }
        let failures = [Detector::AuthnFailures, Detector::WriteFailures];
        self.failures_only = Detector::ALL.iter().all(|&d| failures.contains(&d) || !self.enabled(d));
        self
    }

    /// Window width in whole minutes (at least one).
    pub fn window_minutes(&self) -> i64 {
        (self.window / (60 * MICROS_PER_SEC)).max(1)
    }

    /// Parses `08-19` (hours, end exclusive).
    pub fn parse_hours(s: &str) -> Result<(u32, u32), String> {
        let err = || format!("--business-hours: invalid '{s}' (expected START-END in whole hours, like 08-19)");
        let (a, b) = s.split_once('-').ok_or_else(err)?;
        let (a, b): (u32, u32) = (a.trim().parse().map_err(|_| err())?, b.trim().parse().map_err(|_| err())?);
        if a >= b || b > 24 {
            return Err(err());
        }
        Ok((a, b))
    }

    /// Records an access to a sensitive resource that the policy does not allow.
    pub(super) fn observe_sensitive(&self, p: &mut PrincipalTrack, ev: &Event<'_>, t: Micros) {
        if !self.enabled(Detector::SensitiveAccess) {
            return;
        }
        let Some(globs) = &self.sensitive else { return };
        // refused attempts are the denial detectors' business; this one is about reads that happened
        if ev.outcome != crate::event::OutcomeClass::Success {
            return;
        }
        let sensitive = |r: &&str| globs.is_match(r);
        // resources, and the endpoint and resource type (Feast's own events name no resource)
        let names = || ev.subjects().filter(sensitive);
        // most events touch nothing sensitive: look before collecting
        if names().next().is_none() {
            return;
        }
        let hit: Vec<&str> = names().collect();
        if !self.allow_roles.is_empty() && ev.roles_json.is_some() {
            let roles = ev.roles();
            if !roles.iter().any(|r| self.allow_roles.contains(r)) {
                let s = p.sensitive();
                s.role_violations.add(t);
                hit.iter().for_each(|r| s.role_violations.names.insert(r));
                s.roles_seen.insert(&if roles.is_empty() { "(none)".to_owned() } else { roles.join("+") });
            }
        }
        if let Some((start, end)) = self.business_hours {
            if !self.in_business_hours(t, start, end) {
                let s = p.sensitive();
                s.hours_violations.add(t);
                hit.iter().for_each(|r| s.hours_violations.names.insert(r));
            }
        }
    }

    pub(super) fn in_business_hours(&self, t: Micros, start: u32, end: u32) -> bool {
        let Some(local) = self.tz.timestamp_micros(t).single() else { return true };
        let weekday = local.weekday().num_days_from_monday();
        weekday < 5 && (start..end).contains(&local.hour())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours_are_local_and_weekdays_only() {
        let cfg = DetectorConfig { tz: "Europe/Berlin".parse().unwrap(), ..Default::default() };
        let at = |s: &str| crate::time::parse_rfc3339(s).unwrap();
        // 06:30Z is 08:30 in Berlin summer time (a Thursday)
        assert!(cfg.in_business_hours(at("2026-10-01T06:30:00Z"), 8, 19));
        assert!(!cfg.in_business_hours(at("2026-10-01T05:30:00Z"), 8, 19));
        assert!(!cfg.in_business_hours(at("2026-10-01T17:30:00Z"), 8, 19));
        // Saturday
        assert!(!cfg.in_business_hours(at("2026-10-03T10:00:00Z"), 8, 19));
        assert_eq!(DetectorConfig::parse_hours("08-19"), Ok((8, 19)));
        assert!(DetectorConfig::parse_hours("19-08").is_err());
    }
}
