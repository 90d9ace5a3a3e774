//! The statistics behind the detectors: tail probabilities of counts under
//! a subject's own baseline, corrected for how many windows were tried.
//!
//! A detector asks, for one window: how likely is a count at least this
//! large if the subject behaved as it (or, with little history, as everyone)
//! normally does? Binomial for denials among requests, Poisson for counts
//! per unit of time. Over a week of a few hundred principals a detector
//! tries thousands of windows, so a one-in-a-thousand coincidence is
//! expected somewhere; the chance is multiplied by the number of windows
//! tried (Bonferroni) before it is compared with `--alpha`.

use statrs::distribution::{Binomial, DiscreteCDF, Poisson};

use super::Severity;

/// P(X ≥ k) for X ~ Binomial(n, p).
pub fn binomial_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    let p = p.clamp(0.0, 1.0);
    if p >= 1.0 {
        return 1.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    Binomial::new(p, n).map_or(1.0, |b| b.sf(k - 1))
}

/// P(X ≥ k) for X ~ Poisson(λ).
pub fn poisson_tail(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda.is_nan() || lambda <= 0.0 {
        return 0.0;
    }
    Poisson::new(lambda).map_or(1.0, |d| d.sf(k - 1))
}

/// A tail probability corrected for `tests` windows tried (at most 1).
pub fn corrected(p: f64, tests: u64) -> f64 {
    (p * tests.max(1) as f64).min(1.0)
}

/// Corrected chances at or below this are strong evidence: the detector's
/// own severity. Between this and `--alpha`, one step lower.
pub const STRONG: f64 = 1e-6;

/// True when a corrected chance `q` is a finding at `--alpha`; an alpha of
/// 1 turns the statistics off (the absolute minimums alone decide).
pub fn fires(q: f64, alpha: f64) -> bool {
    alpha >= 1.0 || q < alpha
}

/// The severity of a finding of a detector whose strongest findings are
/// `base`, for a corrected chance `q`: `base` when `q` is at most
/// [`STRONG`], one step lower otherwise.
pub fn severity(base: Severity, q: f64) -> Severity {
    if q <= STRONG { base } else { base.lower() }
}

/// A chance as people read it: `p < 1e-9` for tiny ones, `p = 0.0031` otherwise.
pub fn chance(q: f64) -> String {
    if q <= 0.0 {
        "p < 1e-300".to_owned()
    } else if q < 1e-4 {
        // the next power of ten above q
        format!("p < 1e-{}", (-q.log10()).floor() as i64)
    } else {
        format!("p = {q:.prec$}", prec = if q < 0.01 { 4 } else { 3 })
    }
}

/// A rate as a percentage with the digits it needs.
pub fn percent(r: f64) -> String {
    let pc = r * 100.0;
    if pc == 0.0 {
        "0%".to_owned()
    } else if pc < 0.1 {
        format!("{pc:.2}%")
    } else {
        format!("{pc:.1}%")
    }
}

/// A rate smoothed toward the population's: `events` in `trials` plus
/// `weight` pseudo-trials at the population's rate `prior`.
pub fn smoothed(events: u64, trials: u64, prior: f64, weight: f64) -> f64 {
    (events as f64 + weight * prior) / (trials as f64 + weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tails against sums of the probability mass, term by term.
    #[test]
    fn tails_equal_their_sums() {
        let choose = |n: u64, k: u64| (0..k).fold(1.0f64, |c, i| c * (n - i) as f64 / (i + 1) as f64);
        for (k, n, p) in [(3u64, 6u64, 0.05f64), (14, 16, 0.1), (1, 1, 0.5), (10, 40, 0.2)] {
            let direct: f64 = (k..=n).map(|j| choose(n, j) * p.powi(j as i32) * (1.0 - p).powi((n - j) as i32)).sum();
            let got = binomial_tail(k, n, p);
            assert!((got - direct).abs() <= 1e-9 * direct.max(1e-300), "binomial {k} {n} {p}: {got} vs {direct}");
        }
        for (k, l) in [(20u64, 0.5f64), (3, 2.0), (50, 14.0), (1, 0.01)] {
            let mut term = (-l).exp();
            let mut below = 0.0;
            for j in 0..k {
                below += term;
                term *= l / (j + 1) as f64;
            }
            // the upper tail summed directly (1 - below loses the tiny ones)
            let mut upper = 0.0;
            let mut t = term;
            for j in k..k + 400 {
                upper += t;
                t *= l / (j + 1) as f64;
            }
            let got = poisson_tail(k, l);
            assert!(
                (got - upper).abs() <= 1e-9 * upper,
                "poisson {k} {l}: {got} vs {upper} (1 - below = {})",
                1.0 - below
            );
        }
        assert_eq!(binomial_tail(0, 5, 0.1), 1.0);
        assert_eq!(binomial_tail(6, 5, 0.1), 0.0);
        assert_eq!(poisson_tail(0, 3.0), 1.0);
    }

    #[test]
    fn severity_follows_the_evidence() {
        assert_eq!(severity(Severity::High, 1e-9), Severity::High);
        assert_eq!(severity(Severity::High, 1e-4), Severity::Medium);
        assert!(fires(0.005, 0.01) && !fires(0.02, 0.01) && !fires(1.0, 0.01));
        assert!(fires(1.0, 1.0), "alpha 1: counts alone");
        assert_eq!(corrected(1e-5, 1000), 0.01);
        assert_eq!(corrected(0.5, 1000), 1.0);
        assert_eq!(chance(3e-12), "p < 1e-11");
        assert_eq!(chance(0.0031), "p = 0.0031");
    }
}
