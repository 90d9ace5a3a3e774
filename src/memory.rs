//! The memory budget (`--memory-limit`): live heap bytes, counted by the
//! allocator itself, so that a report whose per-key state outgrows the
//! budget can spill it to temporary files (see [`crate::spill`]).
//!
//! Counting is one relaxed atomic add per allocation and per free, in
//! per-thread batches of 64 KiB so that workers do not contend for the
//! shared counter on every small allocation.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

use mimalloc::MiMalloc;

/// The allocator every fsaudit binary uses: mimalloc, counted. Per-key
/// state is millions of small allocations; mimalloc keeps them in size
/// classes without a header each, and gives freed pages back.
pub struct Counted;

static LIVE: AtomicIsize = AtomicIsize::new(0);

/// Bytes a thread allocates or frees before it settles with [`LIVE`].
const BATCH: isize = 64 << 10;

thread_local! {
    static PENDING: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    // `try_with`: a thread being torn down counts straight to the total
    let settled = PENDING.try_with(|p| {
        let v = p.get() + delta;
        if v.abs() >= BATCH {
            LIVE.fetch_add(v, Ordering::Relaxed);
            p.set(0);
        } else {
            p.set(v);
        }
    });
    if settled.is_err() {
        LIVE.fetch_add(delta, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to mimalloc unchanged; the
// wrapper only counts sizes.
unsafe impl GlobalAlloc for Counted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { MiMalloc.dealloc(ptr, layout) };
        account(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            account(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// mimalloc's settings for a tool that runs once and is measured by its
/// peak: freed memory goes back to the system at once instead of after a
/// second, and arenas are committed as they are used rather than up
/// front. Called first thing in `main`.
pub fn configure() {
    // the numbers of `mi_option_arena_eager_commit` and
    // `mi_option_purge_delay` in the `mi_option_e` of mimalloc.h (v3),
    // which the crate does not name
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is safe at any time; these take effect
    // for memory obtained or freed afterwards.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes no pointers
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// For a run whose buffers come and go by the megabyte (export's column
/// batches, built on the workers and freed by the writer): freed memory is
/// kept a quarter of a second for the next batch instead of being returned
/// to the system and faulted in again.
pub fn keep_freed_memory() {
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: as in `configure`
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 250);
    }
}

/// Live heap bytes (to within 64 KiB per thread).
pub fn live() -> u64 {
    LIVE.load(Ordering::Relaxed).max(0) as u64
}

/// The default budget: a quarter of physical memory (4 GiB where it cannot be read).
pub fn default_limit() -> u64 {
    physical().map_or(4 << 30, |m| m / 4)
}

/// Physical memory in bytes, from `/proc/meminfo` (Linux).
fn physical() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Parses a size: bytes, or a number with K, M, G or T (powers of 1024;
/// `KiB`, `MB` and the like are read the same way).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("invalid size '{s}': expected a number like 512M or 2G"))?;
    let shift = match unit.trim().to_ascii_uppercase().trim_end_matches('B').trim_end_matches('I') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("invalid size '{s}': the unit must be K, M, G or T")),
    };
    let bytes = n * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(format!("invalid size '{s}'"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("64mb"), Ok(64 << 20));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn allocations_are_counted() {
        // other tests allocate and free meanwhile (the count is global):
        // a block far larger than what they move keeps the margins wide
        let before = live();
        let big: Vec<u8> = vec![1; 256 << 20];
        assert!(live() >= before + (200 << 20), "{} {}", before, live());
        drop(big);
        assert!(live() < before + (64 << 20), "{} {}", before, live());
    }
}
