//! Inputs: paths, directories and stdin, opened with compression detected
//! from magic bytes (gzip, including multi-member, and zstd).

mod chunker;
pub mod mapped;
pub mod ranges;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;
use indicatif::ProgressBar;

pub(crate) use chunker::UTF8_BOM;
pub use chunker::{Chunk, ChunkKind, Chunker};

/// One input of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
    /// Standard input copied to a file, for a command that reads its input
    /// twice (`redact`); named `<stdin>` in messages.
    Spooled(PathBuf),
}

impl Input {
    /// The name used in reports and messages.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin | Input::Spooled(_) => "<stdin>".to_owned(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// The size on disk, for the progress bar's total.
    pub fn size(&self) -> Option<u64> {
        match self {
            Input::Stdin => None,
            Input::File(p) | Input::Spooled(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }

    /// A regular file, which can be opened twice and read the same both
    /// times (not stdin, a FIFO or a device).
    pub fn is_regular_file(&self) -> bool {
        match self {
            Input::Stdin => false,
            Input::File(p) | Input::Spooled(p) => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
        }
    }
}

/// The inputs of a run, with errors of paths that could not be expanded
/// and notes for stderr (sidecar files skipped in a directory).
#[derive(Debug, Default)]
pub struct Expanded {
    pub inputs: Vec<Input>,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

/// Standard input copied into a file by a command that reads it more than
/// once (`report`): the file is then read as standard input, and named so.
static SPOOLED_STDIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Says that `path` holds this run's standard input ([`SPOOLED_STDIN`]).
pub fn set_spooled_stdin(path: &Path) {
    let _ = SPOOLED_STDIN.set(path.to_owned());
}

/// Expands the command-line paths: none or `-` is stdin, a directory is
/// every regular file in it (not recursive) but sidecars (seal manifests,
/// keys). Files are read oldest first as logrotate names them: see
/// [`rotation_order`]. A directory that cannot be listed, or holds no log,
/// is an error for that path only.
pub fn expand(paths: &[PathBuf]) -> Expanded {
    let mut out = Expanded::default();
    if paths.is_empty() {
        out.inputs.push(Input::Stdin);
    }
    let mut files = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            files.push(Input::Stdin);
        } else if SPOOLED_STDIN.get() == Some(p) {
            files.push(Input::Spooled(p.clone()));
        } else if p.is_dir() {
            match list_dir(p) {
                Ok((logs, _)) if logs.is_empty() => {
                    out.errors.push(format!("{}: no input files in the directory", p.display()))
                }
                Ok((logs, sidecars)) => {
                    if sidecars > 0 {
                        out.notes.push(format!(
                            "{}: skipped {sidecars} sidecar file{} (*.seal.json, *.pub, *.key, *.pem)",
                            p.display(),
                            if sidecars == 1 { "" } else { "s" }
                        ));
                    }
                    files.extend(logs.into_iter().map(Input::File));
                }
                Err(e) => out.errors.push(format!("{}: {e}", p.display())),
            }
        } else {
            files.push(Input::File(p.clone()));
        }
    }
    out.inputs.extend(rotation_order(files));
    out
}

/// The most a small file (a manifest, a key, a rules file) may hold.
pub const SMALL_FILE_LIMIT: u64 = 64 << 20;

/// Reads a small regular file (a manifest, key or rules file) whole: a
/// FIFO, a device or a directory (which could block or never end) and a
/// file over [`SMALL_FILE_LIMIT`] are refused with a reason.
pub fn read_small_file(path: &Path) -> io::Result<Vec<u8>> {
    let refuse = |why: &str| io::Error::new(io::ErrorKind::InvalidInput, why.to_owned());
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refuse("not a regular file"));
    }
    if meta.len() > SMALL_FILE_LIMIT {
        return Err(refuse(&format!("larger than {} MiB", SMALL_FILE_LIMIT >> 20)));
    }
    let f = File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(SMALL_FILE_LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > SMALL_FILE_LIMIT {
        return Err(refuse(&format!("larger than {} MiB", SMALL_FILE_LIMIT >> 20)));
    }
    Ok(bytes)
}

/// Like [`read_small_file`], as UTF-8 text.
pub fn read_small_text(path: &Path) -> io::Result<String> {
    String::from_utf8(read_small_file(path)?).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// True when two paths name the same file (equal, or equal once resolved).
pub fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// True for the files that sit beside logs: seal manifests and keys.
pub fn is_sidecar(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    [".seal.json", ".pub", ".key", ".pem"].iter().any(|s| name.ends_with(s))
}

fn list_dir(dir: &Path) -> io::Result<(Vec<PathBuf>, usize)> {
    let mut files = Vec::new();
    let mut sidecars = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // follows symlinks, so a link to a log file counts as a file
        if !path.is_file() {
            continue;
        }
        if is_sidecar(&path) {
            sidecars += 1;
        } else {
            files.push(path);
        }
    }
    files.sort();
    Ok((files, sidecars))
}

/// Where a file stands in its rotated series.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Age {
    /// `NAME-20261101`, `NAME.2026-11-01`, `NAME.20261101-101500` (a date,
    /// and a time of day after it: kubelet's rotated container logs, hourly
    /// rotations): by date and time, oldest first.
    Dated(u64),
    /// `NAME.N`: the higher N, the older; stored negated so that it sorts first.
    Numbered(std::cmp::Reverse<u64>),
    /// `NAME` itself: the newest.
    Current,
}

/// The name of a compressed file (`NAME.gz`, `NAME.zst`) without its
/// compression suffix; `None` for any other name.
pub fn uncompressed_name(name: &str) -> Option<&str> {
    name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst"))
}

/// A file name without its compression suffix, split into the series'
/// base name and the file's place in it.
fn series_key(name: &str) -> (String, Age) {
    let stem = uncompressed_name(name).unwrap_or(name);
    if let Some((base, n)) = stem.rsplit_once('.') {
        if !base.is_empty() && !n.is_empty() && n.len() <= 6 && n.bytes().all(|c| c.is_ascii_digit()) {
            if let Ok(n) = n.parse() {
                return (base.to_owned(), Age::Numbered(std::cmp::Reverse(n)));
            }
        }
    }
    // the suffix after the last separator that starts a date and time
    // (a time holds separators of its own: `-101500`, `_10-15`)
    for (at, c) in stem.char_indices().rev() {
        if matches!(c, '-' | '.' | '_') && at > 0 {
            if let Some(d) = date_time_number(&stem[at + 1..]) {
                return (stem[..at].to_owned(), Age::Dated(d));
            }
        }
    }
    (stem.to_owned(), Age::Current)
}

/// Whether a rotation that renames files could have turned a file named
/// `from` into one named `to`: the same series, and `to` older — logrotate's
/// numbered scheme (`NAME` to `NAME.1`, `NAME.1` to `NAME.2`, compressed
/// or not) or a live file given a date (`NAME` to `NAME-20261120`).
pub fn renamed_by_rotation(from: &str, to: &str) -> bool {
    let ((from_base, from_age), (to_base, to_age)) = (series_key(from), series_key(to));
    from_base == to_base
        && match (from_age, to_age) {
            (Age::Current, Age::Numbered(_) | Age::Dated(_)) => true,
            (Age::Numbered(std::cmp::Reverse(k)), Age::Numbered(std::cmp::Reverse(j))) => j > k,
            _ => false,
        }
}

/// A file's number in a numbered series: 0 for the live name `NAME`, N
/// for `NAME.N` (compressed or not); `None` for a dated name.
pub fn rotation_number(name: &str) -> Option<u64> {
    match series_key(name).1 {
        Age::Current => Some(0),
        Age::Numbered(std::cmp::Reverse(n)) => Some(n),
        Age::Dated(_) => None,
    }
}

/// The files of `file`'s rotated series in its directory, `file` included
/// and sidecars left out, oldest first; with the seal manifests there
/// whose names a rotation could have left behind (the live name's and
/// numbered ones: `NAME.seal.json`, `NAME.1.seal.json`).
pub fn series_on_disk(file: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (base, _) = series_key(&name(file));
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut files = Vec::new();
    let mut manifests = Vec::new();
    // named as `file` is (`audit.log.1`, not `./audit.log.1`)
    let entries = std::fs::read_dir(dir).into_iter().flatten().filter_map(|e| e.ok());
    for path in entries.map(|e| file.with_file_name(e.file_name())) {
        let n = name(&path);
        if let Some(of) = n.strip_suffix(".seal.json") {
            let (b, age) = series_key(of);
            if b == base && matches!(age, Age::Current | Age::Numbered(_)) && path.is_file() {
                manifests.push(path);
            }
        } else if !is_sidecar(&path) && series_key(&n).0 == base && path.is_file() {
            files.push(path);
        }
    }
    if !files.iter().any(|f| same_file(f, file)) {
        files.push(file.to_owned());
    }
    files.sort_by_cached_key(|f| series_key(&name(f)).1);
    manifests.sort();
    (files, manifests)
}

/// `20261101` or `2026-11-01`, then optionally a time of day — `HH`,
/// `HHMM` or `HHMMSS`, its parts apart or not, after `-`, `_`, `T` or
/// nothing (`20261101-101500`, `2026-11-01_10`, `2026-11-01_10-15-00`,
/// `2026110110`) — as one number that sorts by date and time:
/// `20261101101500`.
fn date_time_number(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    // (`get`: a name need not be ASCII)
    let (date, rest) = match b.get(4) {
        Some(b'-') if b.get(7) == Some(&b'-') => (s.get(..10)?.replace('-', ""), s.get(10..)?),
        _ => (s.get(..8)?.to_owned(), s.get(8..)?),
    };
    if !date.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u64 = date.parse().ok()?;
    let (month, day) = (n / 100 % 100, n % 100);
    if !((1..=12).contains(&month) && (1..=31).contains(&day) && n / 10_000 >= 1970) {
        return None;
    }
    let rest = rest.strip_prefix(['-', '_', 'T']).unwrap_or(rest);
    if rest.is_empty() {
        return Some(n * 1_000_000);
    }
    // the time's digits, apart (`10-15-00`, `10:15`) or not (`101500`)
    let mut digits = String::new();
    for (k, part) in rest.split(['-', ':']).enumerate() {
        let together = k == 0 && matches!(part.len(), 4 | 6);
        if !(part.len() == 2 || together) || !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.push_str(part);
    }
    if !matches!(digits.len(), 2 | 4 | 6) {
        return None;
    }
    let padded = format!("{digits:0<6}");
    let t: u64 = padded.parse().ok()?;
    let (h, m, sec) = (t / 10_000, t / 100 % 100, t % 100);
    (h < 24 && m < 60 && sec < 61).then_some(n * 1_000_000 + t)
}

/// Orders files the way logrotate names them, oldest first: within one
/// series (the same directory and base name), `NAME-DATE` files by date,
/// then `NAME.N[.gz|.zst]` with the higher N older, then `NAME`. Only the
/// members of a series move, among the places they hold: other files and
/// stdin keep the place they were given.
pub fn rotation_order(inputs: Vec<Input>) -> Vec<Input> {
    let keys: Vec<Option<((PathBuf, String), Age)>> = inputs
        .iter()
        .map(|input| {
            let Input::File(path) = input else { return None };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let (base, age) = series_key(&name);
            Some(((path.parent().map(Path::to_path_buf).unwrap_or_default(), base), age))
        })
        .collect();
    let mut slots: Vec<Option<Input>> = inputs.into_iter().map(Some).collect();
    let mut out: Vec<Option<Input>> = (0..slots.len()).map(|_| None).collect();
    let mut done = vec![false; slots.len()];
    for i in 0..slots.len() {
        if done[i] {
            continue;
        }
        let Some((series, _)) = &keys[i] else {
            out[i] = slots[i].take();
            continue;
        };
        let places: Vec<usize> =
            (i..slots.len()).filter(|&j| keys[j].as_ref().is_some_and(|(s, _)| s == series)).collect();
        let mut members: Vec<usize> = places.clone();
        // stable: two names of the same age (a.gz and a.zst) keep their order
        members.sort_by(|&a, &b| keys[a].as_ref().map(|k| &k.1).cmp(&keys[b].as_ref().map(|k| &k.1)));
        for (&place, &member) in places.iter().zip(&members) {
            out[place] = slots[member].take();
            done[place] = true;
        }
    }
    out.into_iter().flatten().collect()
}

/// Counts the raw (possibly compressed) bytes read, for `bytes` and progress.
struct CountingReader<R> {
    inner: R,
    bytes: Arc<AtomicU64>,
    progress: ProgressBar,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        self.progress.inc(n as u64);
        Ok(n)
    }
}

/// How long a read of [`StdinPump`] waits before it looks whether the run
/// was interrupted.
const PUMP_POLL: std::time::Duration = std::time::Duration::from_millis(50);
/// Blocks of standard input read ahead by the pump.
const PUMP_BLOCKS: usize = 8;
const PUMP_BLOCK: usize = 64 * 1024;

/// How long standard input must stay quiet before a read says so (with
/// [`io::ErrorKind::WouldBlock`]), so that the lines read so far are
/// analysed and printed now rather than when a chunk is full.
pub const IDLE_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// Standard input that is a terminal or a pipe, read on a thread of its
/// own: a read that would wait forever (a terminal nobody types into, an
/// idle pipe) never holds the run, which stops at Ctrl-C whatever stdin does.
/// Once `idle` is set, a read that has waited [`IDLE_AFTER`] returns
/// `WouldBlock` (the chunker then hands on the whole lines it holds).
struct StdinPump {
    blocks: crossbeam_channel::Receiver<io::Result<Vec<u8>>>,
    block: Vec<u8>,
    at: usize,
    idle: Arc<std::sync::atomic::AtomicBool>,
}

impl StdinPump {
    fn start(idle: Arc<std::sync::atomic::AtomicBool>) -> io::Result<StdinPump> {
        let (tx, rx) = crossbeam_channel::bounded(PUMP_BLOCKS);
        std::thread::Builder::new().name("fsaudit-stdin".into()).spawn(move || {
            let mut stdin = io::stdin().lock();
            loop {
                let mut block = vec![0u8; PUMP_BLOCK];
                let sent = match stdin.read(&mut block) {
                    Ok(n) => {
                        block.truncate(n);
                        tx.send(Ok(block)).is_ok() && n > 0
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => true,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        false
                    }
                };
                if !sent {
                    return;
                }
            }
        })?;
        Ok(StdinPump { blocks: rx, block: Vec::new(), at: 0, idle })
    }
}

impl Read for StdinPump {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use crossbeam_channel::RecvTimeoutError;
        let mut waited = std::time::Duration::ZERO;
        while self.at == self.block.len() {
            if waited >= IDLE_AFTER && self.idle.load(Ordering::Relaxed) {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            waited += PUMP_POLL;
            match self.blocks.recv_timeout(PUMP_POLL) {
                Ok(Ok(block)) if block.is_empty() => return Ok(0),
                Ok(Ok(block)) => (self.block, self.at) = (block, 0),
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Disconnected) => return Ok(0),
                Err(RecvTimeoutError::Timeout) if crate::engine::follow_stopped() => return Ok(0),
                Err(RecvTimeoutError::Timeout) if crate::engine::interrupted() => {
                    return Err(io::Error::other("interrupted"));
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
        let n = buf.len().min(self.block.len() - self.at);
        buf[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Standard input: read directly when it is a regular file (a read never
/// waits), through [`StdinPump`] otherwise, which says when it is idle once
/// `idle` is set.
fn stdin(idle: Arc<std::sync::atomic::AtomicBool>) -> io::Result<Box<dyn Read + Send>> {
    use std::os::fd::AsFd;
    let regular = io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .and_then(|fd| File::from(fd).metadata().ok())
        .is_some_and(|m| m.is_file());
    Ok(if regular { Box::new(io::stdin()) } else { Box::new(StdinPump::start(idle)?) })
}

/// An open input: a decompressing reader plus its raw byte count.
pub struct OpenInput {
    pub reader: Box<dyn Read + Send>,
    bytes: Arc<AtomicU64>,
}

impl OpenInput {
    /// Raw bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// A regular, uncompressed file, which the workers read range by range.
pub struct PlainFile {
    pub file: Arc<File>,
    pub size: u64,
    /// Where the first line starts (after a UTF-8 byte order mark).
    pub start: u64,
}

/// The input as a [`PlainFile`] when it is one: a regular file (not stdin,
/// a FIFO or a device) whose first bytes are no gzip or zstd magic.
/// `None` for every other input, which is read as a stream by [`open`].
pub fn plain(input: &Input) -> Option<PlainFile> {
    let (Input::File(p) | Input::Spooled(p)) = input else { return None };
    // look before opening: opening a FIFO and closing it again drops what
    // its writer had already put in the pipe (and breaks the writer's pipe)
    if !std::fs::metadata(p).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let file = File::open(p).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut head = [0u8; 4];
    let n = ranges::read_at(&file, &mut head, 0).ok()?;
    let head = &head[..n];
    if head.starts_with(&GZIP_MAGIC) || head.starts_with(&ZSTD_MAGIC) {
        return None;
    }
    let start = if head.starts_with(chunker::UTF8_BOM) { chunker::UTF8_BOM.len() as u64 } else { 0 };
    Some(PlainFile { file: Arc::new(file), size: meta.len(), start })
}

/// The rest of a plain file from `offset` (a line start), as a stream
/// counted like [`open`]'s.
pub fn open_from(plain: &PlainFile, offset: u64, progress: &ProgressBar) -> io::Result<OpenInput> {
    use std::io::{Seek, SeekFrom};
    let mut f = plain.file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    let bytes = Arc::new(AtomicU64::new(0));
    let counting = CountingReader { inner: f, bytes: bytes.clone(), progress: progress.clone() };
    Ok(OpenInput { reader: Box::new(counting), bytes })
}

/// How often a followed file that has no new bytes is looked at again.
const FOLLOW_POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// A file followed like `tail -F` (`--follow`): read from its start, then
/// waited on for growth; reopened from its start when its name comes to
/// point to another file (rotation by rename or create: the old file is
/// read to its end first) or when it shrinks (truncation); waited for when
/// it does not exist yet. After [`IDLE_AFTER`] without new bytes a read
/// says `WouldBlock`, so that the lines read so far go out at once. Ctrl-C
/// ends it like an end of input.
struct Follow {
    path: PathBuf,
    file: Option<File>,
    /// Device and inode of the open file.
    id: (u64, u64),
    pos: u64,
    quiet: std::time::Duration,
}

impl Follow {
    fn new(path: &std::path::Path) -> Follow {
        Follow { path: path.to_owned(), file: None, id: (0, 0), pos: 0, quiet: std::time::Duration::ZERO }
    }

    /// Opens the path afresh, from its start; false while it does not exist.
    fn reopen(&mut self) -> io::Result<bool> {
        use std::os::unix::fs::MetadataExt;
        match File::open(&self.path) {
            Ok(f) => {
                let m = f.metadata()?;
                if m.is_dir() {
                    return Err(io::Error::other("is a directory"));
                }
                (self.file, self.id, self.pos) = (Some(f), (m.dev(), m.ino()), 0);
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

impl Read for Follow {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::io::{Seek, SeekFrom};
        use std::os::unix::fs::MetadataExt;
        loop {
            if crate::engine::interrupted() || crate::engine::follow_stopped() {
                return Ok(0);
            }
            let mut rotated = false;
            if let Some(f) = &mut self.file {
                let n = f.read(buf)?;
                if n > 0 {
                    self.pos += n as u64;
                    self.quiet = std::time::Duration::ZERO;
                    return Ok(n);
                }
                // at the end of what is there: rotated, truncated, or just quiet
                match std::fs::metadata(&self.path) {
                    Ok(m) if (m.dev(), m.ino()) != self.id => rotated = true,
                    Ok(m) if m.len() < self.pos => {
                        f.seek(SeekFrom::Start(0))?;
                        self.pos = 0;
                        continue;
                    }
                    _ => {}
                }
            } else {
                rotated = true;
            }
            // a new file under the name (the old one was read to its end just now), or a first one
            if rotated && self.reopen()? {
                continue;
            }
            if self.quiet >= IDLE_AFTER {
                self.quiet = std::time::Duration::ZERO;
                return Err(io::ErrorKind::WouldBlock.into());
            }
            std::thread::sleep(FOLLOW_POLL);
            self.quiet += FOLLOW_POLL;
        }
    }
}

/// Opens an input to be followed (`--follow`): a file like `tail -F`, or
/// standard input as it comes. Compressed files cannot be followed.
pub fn open_followed(input: &Input, progress: &ProgressBar) -> io::Result<OpenInput> {
    let (Input::File(p) | Input::Spooled(p)) = input else { return open(input, progress) };
    let mut follow = Follow::new(p);
    follow.reopen()?;
    let bytes = Arc::new(AtomicU64::new(0));
    let mut counting = CountingReader { inner: follow, bytes: bytes.clone(), progress: progress.clone() };
    // the first bytes say whether it is compressed: wait for them, through pauses
    let head = read_head(&mut counting)?;
    if head.starts_with(&GZIP_MAGIC) || head.starts_with(&ZSTD_MAGIC) {
        return Err(io::Error::other("a compressed file cannot be followed"));
    }
    Ok(OpenInput { reader: Box::new(io::Cursor::new(head).chain(counting)), bytes })
}

/// The first bytes of an input, as many as the longest magic number (fewer
/// only at its end), to put back in front once the decoder is chosen. A pipe
/// may deliver them over several reads, and a followed file through pauses.
fn read_head(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(ZSTD_MAGIC.len());
    loop {
        let want = (ZSTD_MAGIC.len() - head.len()) as u64;
        match r.take(want).read_to_end(&mut head) {
            Ok(_) => return Ok(head),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
const DECODER_BUFFER: usize = 256 * 1024;

/// Opens an input and wraps it in the decoder its first bytes call for.
pub fn open(input: &Input, progress: &ProgressBar) -> io::Result<OpenInput> {
    // set once the stream is known to be plain text: decoders are not told of idle pauses
    let idle = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => stdin(idle.clone())?,
        Input::File(p) | Input::Spooled(p) => {
            let f = File::open(p)?;
            if f.metadata()?.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            Box::new(f)
        }
    };
    let bytes = Arc::new(AtomicU64::new(0));
    let mut counting = CountingReader { inner: raw, bytes: bytes.clone(), progress: progress.clone() };
    let head = read_head(&mut counting)?;
    let stream = io::Cursor::new(head.clone()).chain(counting);
    let reader: Box<dyn Read + Send> = if head.starts_with(&GZIP_MAGIC) {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(DECODER_BUFFER, stream)))
    } else if head.starts_with(&ZSTD_MAGIC) {
        Box::new(zstd::stream::read::Decoder::with_buffer(BufReader::with_capacity(DECODER_BUFFER, stream))?)
    } else {
        idle.store(true, Ordering::Relaxed);
        Box::new(stream)
    };
    Ok(OpenInput { reader, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(names: &[&str]) -> Vec<String> {
        let inputs = names.iter().map(|n| Input::File(PathBuf::from(n))).collect();
        rotation_order(inputs).iter().map(Input::display).collect()
    }

    #[test]
    fn logrotate_numbers_oldest_first() {
        assert_eq!(
            order(&["d/audit.log", "d/audit.log.1", "d/audit.log.10.gz", "d/audit.log.2.gz"]),
            ["d/audit.log.10.gz", "d/audit.log.2.gz", "d/audit.log.1", "d/audit.log"]
        );
    }

    #[test]
    fn dated_suffixes_by_date() {
        assert_eq!(
            order(&["audit.log", "audit.log-20261102.gz", "audit.log-20261101"]),
            ["audit.log-20261101", "audit.log-20261102.gz", "audit.log"]
        );
        assert_eq!(
            order(&["audit.log", "audit.log.2026-11-02", "audit.log.2026-11-01.zst"]),
            ["audit.log.2026-11-01.zst", "audit.log.2026-11-02", "audit.log"]
        );
    }

    #[test]
    fn a_rotation_renames_only_to_older_names_of_the_same_series() {
        // logrotate's numbered scheme, compressed or not, and a live file given a date
        for (from, to) in [
            ("audit.log", "audit.log.1"),
            ("audit.log.1", "audit.log.2"),
            ("audit.log.1", "audit.log.12.gz"),
            ("audit.log", "audit.log.3.zst"),
            ("audit.log", "audit.log-20261120"),
            ("audit.log.gz", "audit.log.1.gz"),
        ] {
            assert!(renamed_by_rotation(from, to), "{from} → {to}");
        }
        // younger, the same, another series, a dated name (never renamed), numbered to dated
        for (from, to) in [
            ("audit.log.2", "audit.log.1"),
            ("audit.log.1", "audit.log"),
            ("audit.log.1", "audit.log.1"),
            ("audit.log", "audit.log"),
            ("audit.log", "other.log.1"),
            ("audit.log.1", "audit.log.1.bak"),
            ("audit.log-20261119", "audit.log-20261120"),
            ("audit.log.1", "audit.log-20261120"),
        ] {
            assert!(!renamed_by_rotation(from, to), "{from} → {to}");
        }
        assert_eq!(
            ["audit.log", "audit.log.1", "audit.log.7.gz", "audit.log-20261120"].map(rotation_number),
            [Some(0), Some(1), Some(7), None]
        );
    }

    #[test]
    fn dated_and_timed_suffixes_by_date_and_time() {
        // kubelet's rotated container logs
        assert_eq!(
            order(&["p/0.log", "p/0.log.20261120-101500.gz", "p/0.log.20261120-091500", "p/0.log.20261119-235959.gz"]),
            ["p/0.log.20261119-235959.gz", "p/0.log.20261120-091500", "p/0.log.20261120-101500.gz", "p/0.log"]
        );
        // Python's timed rotation, hourly and by the minute; logrotate's dateformat with the hour
        assert_eq!(
            order(&["audit.log", "audit.log.2026-11-20_10", "audit.log.2026-11-20_09-30", "audit.log.2026-11-19"]),
            ["audit.log.2026-11-19", "audit.log.2026-11-20_09-30", "audit.log.2026-11-20_10", "audit.log"]
        );
        assert_eq!(
            order(&["a.log", "a.log-2026112010", "a.log-2026112009"]),
            ["a.log-2026112009", "a.log-2026112010", "a.log"]
        );
        // what is no date and time leaves the name alone
        for name in [
            "a.log-20261120-2500",
            "a.log.20261320",
            "a.log-20261120-1",
            "a.log-20261120x",
            "a-2026-11-2é",
            "a-202611é",
        ] {
            assert_eq!(series_key(name).1, Age::Current, "{name}");
        }
    }

    #[test]
    fn unrelated_files_keep_their_order() {
        assert_eq!(order(&["b.jsonl", "a.jsonl", "b.jsonl.1"]), ["b.jsonl.1", "a.jsonl", "b.jsonl"]);
        assert_eq!(order(&["a.log.2", "x.log", "a.log"]), ["a.log.2", "x.log", "a.log"]);
        assert_eq!(order(&["a.log", "x.log", "a.log.2"]), ["a.log.2", "x.log", "a.log"]);
        assert_eq!(order(&["x/a.log", "y/a.log.1"]), ["x/a.log", "y/a.log.1"], "another directory, another series");
    }

    #[test]
    fn sidecars() {
        for s in ["a.log.seal.json", "k.pub", "k.key", "cert.pem"] {
            assert!(is_sidecar(Path::new(s)), "{s}");
        }
        assert!(!is_sidecar(Path::new("audit.log.1.gz")));
    }
}
