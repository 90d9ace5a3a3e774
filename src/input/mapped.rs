//! `--mmap`: the ranges of plain files mapped into memory instead of read,
//! so the kernel does not copy every byte into a buffer (about a tenth of
//! one core's time at a gigabyte a second).
//!
//! Opt-in only: a file truncated while it is mapped makes the next access
//! to the lost pages a bus error (SIGBUS), which would kill the process.
//! With `--mmap` that signal is caught and ends the run as an error (exit
//! 2) with a line naming the file, never a verdict; a range is mapped only
//! when the file still reaches its end, else it is read (and reported
//! short: see `input::ranges::shrank`). Each range is mapped on its own
//! and unmapped once processed, so memory stays bounded as with buffers.

use std::cell::Cell;
use std::fs::File;

use memmap2::{Mmap, MmapOptions};

/// The range `start..start + len` of `file`, mapped; `None` when the file
/// no longer reaches the range's end (it shrank since it was cut), or is
/// not something that maps (the caller reads it instead).
pub fn map_range(file: &File, start: u64, len: usize) -> Option<Mmap> {
    let size = file.metadata().ok()?.len();
    if len == 0 || start.checked_add(len as u64)? > size {
        return None;
    }
    // SAFETY: the mapping is read-only and private to this process; the
    // file's bytes may change under it (as they may under `read`), and a
    // truncation is caught by the bus-error handler (`catch_bus_errors`).
    let m = unsafe { MmapOptions::new().offset(start).len(len).map(file) }.ok()?;
    let _ = m.advise(memmap2::Advice::Sequential);
    Some(m)
}

thread_local! {
    /// The message for a bus error on this thread: the line naming the
    /// file whose mapping it is reading (set by [`Reading::new`]).
    static MESSAGE: Cell<(*const u8, usize)> = const { Cell::new((std::ptr::null(), 0)) };
}

/// While alive, a bus error on this thread is reported as a truncation of `path`.
pub struct Reading {
    message: Box<[u8]>,
}

impl Reading {
    pub fn new(path: &str) -> Reading {
        let message = format!(
            "fsaudit: error: {path}: the file shrank while it was mapped into memory (--mmap); \
             the run stopped and its output is incomplete: run again without --mmap\n"
        )
        .into_bytes()
        .into_boxed_slice();
        MESSAGE.with(|m| m.set((message.as_ptr(), message.len())));
        Reading { message }
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        MESSAGE.with(|m| {
            if m.get().0 == self.message.as_ptr() {
                m.set((std::ptr::null(), 0));
            }
        });
    }
}

/// The exit status of a run ended by a bus error (an error, DESIGN's 2).
pub const BUS_ERROR_EXIT: i32 = 2;

/// Only what is safe in a signal handler: a write of a message made
/// beforehand, and `_exit`.
extern "C" fn on_bus_error(_: libc::c_int) {
    const OTHER: &[u8] = b"fsaudit: error: a bus error while reading a file mapped into memory (--mmap): \
                           a file shrank while it was read; the run stopped and its output is incomplete: \
                           run again without --mmap\n";
    let (ptr, len) = MESSAGE.with(Cell::get);
    let (ptr, len) = if ptr.is_null() { (OTHER.as_ptr(), OTHER.len()) } else { (ptr, len) };
    // SAFETY: write(2) and _exit(2) are async-signal-safe; the message
    // outlives the mapping being read (its `Reading` is alive).
    unsafe {
        libc::write(libc::STDERR_FILENO, ptr.cast(), len);
        libc::_exit(BUS_ERROR_EXIT);
    }
}

/// Makes a bus error end the process with a message and exit 2 (once per process).
pub fn catch_bus_errors() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: a plain handler installed with an empty mask; the
        // handler only writes and exits.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_bus_error as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;

    fn file_of(bytes: &[u8]) -> File {
        let mut f = tempfile::tempfile().expect("temporary file");
        f.write_all(bytes).expect("written");
        f
    }

    #[test]
    fn a_range_maps_to_its_bytes_and_past_the_end_is_read_instead() {
        let text: Vec<u8> = (0..20_000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let f = file_of(&text);
        for (start, len) in [(0usize, text.len()), (4095, 10_000), (4096, 1), (text.len() - 7, 7)] {
            let m = map_range(&f, start as u64, len).expect("mapped");
            assert_eq!(&m[..], &text[start..start + len], "{start}+{len}");
        }
        assert!(map_range(&f, 0, text.len() + 1).is_none());
        assert!(map_range(&f, text.len() as u64, 0).is_none());
        f.set_len(100).expect("truncated");
        assert!(map_range(&f, 0, 200).is_none(), "a file that shrank is read, not mapped");
    }

    /// A mapped file truncated under a reader: the process ends with exit 2
    /// and the line naming the file, instead of dying of SIGBUS. Run in a
    /// forked child, which only touches the lost page.
    #[test]
    fn a_truncated_mapping_ends_the_process_with_a_message() {
        let f = file_of(&vec![b'x'; 3 * 4096]);
        let m = map_range(&f, 0, 3 * 4096).expect("mapped");
        f.set_len(0).expect("truncated");
        catch_bus_errors();
        let reading = Reading::new("audit/today.jsonl");
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
        // SAFETY: both ends are open and owned by these files alone
        let (mut rx, tx) = unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) };
        // SAFETY: the child only redirects stderr and reads a byte; the
        // handler writes and exits.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork");
        if pid == 0 {
            unsafe {
                libc::dup2(std::os::fd::AsRawFd::as_raw_fd(&tx), libc::STDERR_FILENO);
                let b = std::ptr::read_volatile(m.as_ptr().add(4096));
                libc::_exit(i32::from(b));
            }
        }
        drop(tx);
        let mut status = 0;
        unsafe { libc::waitpid(pid, &mut status, 0) };
        let mut said = String::new();
        rx.read_to_string(&mut said).expect("message");
        drop(reading);
        assert!(libc::WIFEXITED(status), "ended by a signal: {status}");
        assert_eq!(libc::WEXITSTATUS(status), BUS_ERROR_EXIT);
        assert!(said.starts_with("fsaudit: error: audit/today.jsonl: the file shrank"), "{said}");
    }
}
