//! Timestamps: a fixed-layout RFC 3339 parser for the hot path, epoch numbers,
//! the `--since`/`--until` forms, and the one output format (UTC, milliseconds).
//!
//! Times are kept as microseconds since the Unix epoch (`i64`), which keeps
//! sub-millisecond order exact for filters while reports print milliseconds.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// Microseconds since 1970-01-01T00:00:00Z.
pub type Micros = i64;

pub const MICROS_PER_SEC: i64 = 1_000_000;

/// Parses an RFC 3339 timestamp (`Z` or `±HH:MM` offset, any fraction).
///
/// Also accepted, because real loggers write them: a space instead of `T`,
/// `±HHMM` offsets, and no offset at all (read as UTC, as Python's
/// `datetime.isoformat()` writes naive times).
#[inline]
pub fn parse_rfc3339(s: &str) -> Option<Micros> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let minute = minute_secs(b[..16].try_into().expect("sixteen bytes"))?;
    let second = digits(&b[17..19])?;
    // 60 is a leap second; it is kept and lands on the next minute's :00.
    if b[16] != b':' || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut micros: i64 = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        // milliseconds, as most loggers write them, in one step
        if let Some(ms) = b.get(i..i + 3).and_then(digits)
            && !b.get(i + 3).is_some_and(u8::is_ascii_digit)
        {
            micros = i64::from(ms) * 1000;
            i += 3;
        } else {
            let start = i;
            let mut scale = 100_000;
            while i < b.len() && b[i].is_ascii_digit() {
                micros += i64::from(b[i] - b'0') * scale;
                scale /= 10;
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    let offset_secs: i64 = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &b[i + 1..];
            let (oh, om) = match rest.len() {
                5 if rest[2] == b':' => (digits(&rest[0..2])?, digits(&rest[3..5])?),
                4 => (digits(&rest[0..2])?, digits(&rest[2..4])?),
                2 => (digits(&rest[0..2])?, 0),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = i64::from(oh * 3600 + om * 60);
            if sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    let secs = minute + i64::from(second) - offset_secs;
    Some(secs * MICROS_PER_SEC + micros)
}

thread_local! {
    /// The last `YYYY-MM-DDTHH:MM` [`minute_secs`] read on this thread (its
    /// sixteen bytes as one number, compared at once), and its seconds: a
    /// log's lines share their minute for many lines at a time. It starts
    /// as a minute whose seconds are right, so that it needs no flag.
    static LAST_MINUTE: std::cell::Cell<(u128, i64)> =
        const { std::cell::Cell::new((u128::from_le_bytes(*b"1970-01-01T00:00"), 0)) };
}

/// Seconds since 1970-01-01T00:00 (before any offset) of the date, hour and
/// minute a timestamp starts with (`T`, `t` or a space between date and
/// time), or `None` when they are not one. The sixteen bytes decide it, so
/// the last minute read is reused as is.
fn minute_secs(prefix: [u8; 16]) -> Option<i64> {
    let key = u128::from_le_bytes(prefix);
    let (last, secs) = LAST_MINUTE.get();
    if last == key {
        return Some(secs);
    }
    let days = date_days(prefix[..10].try_into().expect("ten bytes"))?;
    let hour = digits(&prefix[11..13])?;
    let minute = digits(&prefix[14..16])?;
    if !matches!(prefix[10], b'T' | b't' | b' ') || prefix[13] != b':' {
        return None;
    }
    if hour > 23 || minute > 59 {
        return None;
    }
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60);
    LAST_MINUTE.set((key, secs));
    Some(secs)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` when it is not
/// one.
fn date_days(date: [u8; 10]) -> Option<i64> {
    let year = digits(&date[0..4])? as i64;
    let month = digits(&date[5..7])?;
    let day = digits(&date[8..10])?;
    if date[4] != b'-' || date[7] != b'-' {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Interprets a JSON number as an epoch time, choosing the unit by magnitude:
/// seconds below 1e11 (year 5138), then milliseconds, microseconds, nanoseconds.
pub fn from_epoch_number(n: f64) -> Option<Micros> {
    if !n.is_finite() {
        return None;
    }
    let a = n.abs();
    let micros = if a < 1e11 {
        n * 1e6
    } else if a < 1e14 {
        n * 1e3
    } else if a < 1e17 {
        n
    } else {
        n / 1e3
    };
    Some(micros.round() as i64)
}

/// `2026-10-01T00:00:00.325Z`: UTC, milliseconds, the only form reports print.
pub fn format_millis(t: Micros) -> String {
    match DateTime::<Utc>::from_timestamp_micros(t.div_euclid(1000) * 1000) {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => String::from("(out of range)"),
    }
}

/// `2026-10-01T00:00:00.325125Z`: UTC, microseconds (the precision events
/// are kept in), for the exported events.
pub fn format_micros(t: Micros) -> String {
    match DateTime::<Utc>::from_timestamp_micros(t) {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        None => String::from("(out of range)"),
    }
}

/// The earliest and latest times fsaudit accepts: 1970-01-01 up to the end
/// of 2199 (UTC).
pub const EARLIEST: Micros = 0;
pub const LATEST: Micros = 7_258_118_400 * MICROS_PER_SEC - 1;

/// True when a time string carries its own offset (`Z`, `+02:00`, `-0700`).
fn has_offset(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 19 && (matches!(b[b.len() - 1], b'Z' | b'z') || b[19..].iter().any(|c| matches!(c, b'+' | b'-')))
}

/// A wall-clock time in `tz` as microseconds since the epoch (the earlier
/// instant where a clock change makes it ambiguous).
fn local_to_utc(naive: chrono::NaiveDateTime, tz: Tz) -> Option<Micros> {
    use chrono::TimeZone;
    tz.from_local_datetime(&naive).earliest().map(|dt| dt.timestamp_micros())
}

/// Parses a `--since`/`--until` value: RFC 3339 (a time without an offset
/// is read in `tz`), `YYYY-MM-DD` (midnight in `tz`), epoch seconds
/// (`1790812800`, or milliseconds by magnitude), or a duration back from
/// `now` (`90m`, `24h`, `7d`).
pub fn parse_time_arg(s: &str, now: Micros, tz: Tz) -> Result<Micros, String> {
    let s = s.trim();
    let in_range = |t: Micros| {
        if (EARLIEST..=LATEST).contains(&t) {
            Ok(t)
        } else {
            Err(format!("time '{s}' is outside the years 1970–2199"))
        }
    };
    if let Some(t) = parse_rfc3339(s) {
        if has_offset(s) || tz == Tz::UTC {
            return in_range(t);
        }
        // the same wall-clock reading, in tz
        let naive = DateTime::<Utc>::from_timestamp_micros(t).map(|d| d.naive_utc());
        return naive.and_then(|n| local_to_utc(n, tz)).ok_or_else(|| format!("time '{s}' does not exist in {tz}"));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0).and_then(|n| local_to_utc(n, tz)) {
            return in_range(t);
        }
    }
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        if let Some(t) = s.parse::<f64>().ok().and_then(from_epoch_number) {
            return in_range(t);
        }
    }
    // `24h` and `-24h` both mean 24 hours ago
    if let Ok(d) = parse_duration(s.strip_prefix('-').unwrap_or(s)) {
        return Ok(now - d);
    }
    Err(format!(
        "invalid time '{s}': expected an RFC 3339 time (2026-10-01T08:00:00Z), a date (2026-10-01), \
         epoch seconds (1790812800) or a duration back from now (90m, 24h, 7d)"
    ))
}

/// Parses `30s`, `90m`, `24h`, `7d`, `2w` into microseconds.
pub fn parse_duration(s: &str) -> Result<Micros, String> {
    let err = || format!("invalid duration '{s}': expected a number and a unit s, m, h, d or w (90m, 24h, 7d)");
    let s = s.trim();
    let unit_at = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(err)?;
    let (num, unit) = s.split_at(unit_at);
    let n: i64 = num.parse().map_err(|_| err())?;
    if unit == "ms" {
        return n.checked_mul(1000).ok_or_else(err);
    }
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(err()),
    };
    n.checked_mul(secs * MICROS_PER_SEC).ok_or_else(err)
}

/// Current time, for durations back from now.
pub fn now() -> Micros {
    Utc::now().timestamp_micros()
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_micros(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_micros()
    }

    #[test]
    fn fast_path_agrees_with_chrono() {
        for s in [
            "2026-10-01T10:00:00Z",
            "2026-10-01T10:00:00.123Z",
            "2026-10-01T10:00:00.123456Z",
            "2026-10-01T10:00:00.123456+00:00",
            "2026-10-01T10:00:00.5-07:30",
            "2024-02-29T23:59:59.999999+14:00",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.9Z",
            "2000-03-01T00:00:00Z",
            "2100-12-31T12:34:56.000001Z",
        ] {
            assert_eq!(parse_rfc3339(s), Some(chrono_micros(s)), "{s}");
        }
    }

    #[test]
    fn every_day_of_four_centuries_agrees_with_chrono() {
        let mut d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2300, 1, 1).unwrap();
        while d < end {
            let s = format!("{}T12:00:00Z", d.format("%Y-%m-%d"));
            assert_eq!(parse_rfc3339(&s), Some(chrono_micros(&s)), "{s}");
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn a_date_a_byte_away_is_read_again() {
        // each date after a valid one: the same day, the next, one a byte
        // away that is invalid, then the first again
        let mut d = NaiveDate::from_ymd_opt(2024, 2, 27).unwrap();
        for _ in 0..5 {
            let day = d.format("%Y-%m-%d").to_string();
            for s in [format!("{day}T23:59:59.5Z"), format!("{day}T00:00:00Z"), format!("{day} 01:02:03+01:00")] {
                assert_eq!(parse_rfc3339(&s), Some(chrono_micros(&s.replace(' ', "T"))), "{s}");
            }
            let bad = format!("{}9T00:00:00Z", &day[..9]);
            assert_eq!(
                parse_rfc3339(&bad).is_some(),
                NaiveDate::parse_from_str(&bad[..10], "%Y-%m-%d").is_ok(),
                "{bad}"
            );
            for bad in [format!("{}x{}T00:00:00Z", &day[..4], &day[5..]), format!("{day}T25:00:00Z")] {
                assert_eq!(parse_rfc3339(&bad), None, "{bad}");
            }
            d = d.succ_opt().unwrap();
        }
        assert_eq!(parse_rfc3339("2023-02-29T00:00:00Z"), None);
        assert!(parse_rfc3339("2024-02-29T00:00:00Z").is_some());
        assert_eq!(parse_rfc3339("2023-02-29T00:00:00Z"), None);
    }

    #[test]
    fn the_last_minute_read_is_reused_only_for_the_same_minute() {
        let minutes = [
            "2026-10-01T10:00",
            "2026-10-01T10:01",
            "2026-10-01T11:00",
            "2026-10-02T10:00",
            "2026-10-01t10:00",
            "2026-10-01 10:00",
            "2026-10-01T1x:00",
            "2026-10-01T10:6x",
            "2026-10-01T10-00",
            "2026-10-01T24:00",
            "2026-10-01T10:60",
            "2026-10-01X10:00",
            "2026-02-30T10:00",
        ];
        let rests = [
            ":00Z",
            ":59.5Z",
            ":07.123Z",
            ":07.1234Z",
            ":07.12Z",
            ":07.123456789Z",
            ":07.123+02:00",
            ":07.999-0130",
            ":07.123x",
            ":07.Z",
            ":7Z",
            "-07Z",
            ":61Z",
        ];
        // chrono reads RFC 3339 with `T` and `±HH:MM`; the lenient forms
        // are written so first
        let reference = |s: &str| {
            let mut t = s.to_string();
            t.replace_range(10..11, &s[10..11].replace([' ', 't'], "T"));
            if t.ends_with("-0130") {
                t.replace_range(t.len() - 5.., "-01:30");
            }
            DateTime::parse_from_rfc3339(&t).ok().map(|d| d.timestamp_micros())
        };
        let mut order: Vec<&str> = minutes.to_vec();
        for _ in 0..2 {
            for m in &order {
                for r in rests {
                    let s = format!("{m}{r}");
                    assert_eq!(parse_rfc3339(&s), reference(&s), "{s}");
                }
            }
            order.reverse();
        }
        // a leap second lands on the next minute's first
        assert_eq!(parse_rfc3339("2026-10-01T10:00:60Z"), parse_rfc3339("2026-10-01T10:01:00Z"));
    }

    #[test]
    fn the_minute_a_thread_starts_with_is_read_right() {
        // the cache starts as 1970-01-01T00:00: a fresh thread's first read of it
        for (text, want) in [
            ("1970-01-01T00:00:07Z", Some(7_000_000)),
            ("1970-01-01T00:00:07.5+00:00", Some(7_500_000)),
            ("1970-01-01T00:00x07Z", None),
            ("1970-01-01T00:01:00Z", Some(60_000_000)),
        ] {
            let got = std::thread::spawn(move || parse_rfc3339(text)).join().unwrap();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn lenient_forms() {
        let z = parse_rfc3339("2026-10-01T10:00:00Z").unwrap();
        assert_eq!(parse_rfc3339("2026-10-01 10:00:00Z"), Some(z));
        assert_eq!(parse_rfc3339("2026-10-01T10:00:00"), Some(z));
        assert_eq!(parse_rfc3339("2026-10-01T12:00:00+0200"), Some(z));
        // nanoseconds are truncated to microseconds
        assert_eq!(parse_rfc3339("2026-10-01T10:00:00.123456789Z"), Some(z + 123_456));
    }

    #[test]
    fn rejects_invalid() {
        for s in [
            "",
            "2026-10-01",
            "2026-13-01T10:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-10-01T24:00:00Z",
            "2026-10-01T10:00:00.Z",
            "2026-10-01T10:00:00Zjunk",
            "2026-10-01T10:00:00+25:00",
            "2026/10/01T10:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(s), None, "{s}");
        }
    }

    #[test]
    fn epoch_units_by_magnitude() {
        let t = 1_790_812_803_597_000i64; // 2026-10-01T00:00:03.597Z
        assert_eq!(from_epoch_number(1_790_812_803.597), Some(t));
        assert_eq!(from_epoch_number(1_790_812_803_597.0), Some(t));
        assert_eq!(from_epoch_number(1_790_812_803_597_000.0), Some(t));
        assert_eq!(format_millis(t), "2026-10-01T00:00:03.597Z");
    }

    #[test]
    fn formats_negative_times_by_flooring() {
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn time_args() {
        let now = parse_rfc3339("2026-10-08T00:00:00Z").unwrap();
        let utc = Tz::UTC;
        assert_eq!(parse_time_arg("2026-10-01", now, utc), Ok(parse_rfc3339("2026-10-01T00:00:00Z").unwrap()));
        assert_eq!(parse_time_arg("-24h", now, utc), parse_time_arg("24h", now, utc));
        assert_eq!(parse_time_arg("24h", now, utc), Ok(parse_rfc3339("2026-10-07T00:00:00Z").unwrap()));
        assert_eq!(parse_time_arg("90m", now, utc), Ok(now - 90 * 60 * MICROS_PER_SEC));
        assert_eq!(parse_time_arg("7d", now, utc), Ok(parse_rfc3339("2026-10-01T00:00:00Z").unwrap()));
        assert!(parse_time_arg("yesterday", now, utc).unwrap_err().contains("expected"));
        // epoch seconds, with or without a fraction
        assert_eq!(parse_time_arg("1790812800", now, utc), Ok(parse_rfc3339("2026-10-01T00:00:00Z").unwrap()));
        assert_eq!(parse_time_arg("1790812800.5", now, utc), Ok(parse_rfc3339("2026-10-01T00:00:00.5Z").unwrap()));
        // times without an offset are read in the zone; with one, never
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(parse_time_arg("2026-10-01", now, berlin), Ok(parse_rfc3339("2026-09-30T22:00:00Z").unwrap()));
        assert_eq!(
            parse_time_arg("2026-10-01T08:00:00", now, berlin),
            Ok(parse_rfc3339("2026-10-01T06:00:00Z").unwrap())
        );
        assert_eq!(
            parse_time_arg("2026-10-01T08:00:00Z", now, berlin),
            Ok(parse_rfc3339("2026-10-01T08:00:00Z").unwrap())
        );
        assert!(parse_time_arg("9999-12-31", now, utc).unwrap_err().contains("1970"));
        assert!(parse_duration("5y").is_err());
    }
}
