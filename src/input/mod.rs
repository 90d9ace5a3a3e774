//! Inputs: paths, directories and stdin, opened with compression detected
//! from magic bytes (gzip, including multi-member, and zstd).

mod chunker;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;
use indicatif::ProgressBar;

pub use chunker::{Chunk, ChunkKind, Chunker};

/// One input of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The name used in reports and messages.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// The size on disk, for the progress bar's total.
    pub fn size(&self) -> Option<u64> {
        match self {
            Input::Stdin => None,
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }
}

/// Expands the command-line paths: none or `-` is stdin, a directory is every
/// regular file in it sorted by name (not recursive). A directory that cannot
/// be listed is an error for that path only.
pub fn expand(paths: &[PathBuf]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    if paths.is_empty() {
        inputs.push(Input::Stdin);
    }
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            match list_dir(p) {
                Ok(files) => inputs.extend(files.into_iter().map(Input::File)),
                Err(e) => errors.push(format!("{}: {e}", p.display())),
            }
        } else {
            inputs.push(Input::File(p.clone()));
        }
    }
    (inputs, errors)
}

fn list_dir(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // follows symlinks, so a link to a log file counts as a file
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
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

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
const DECODER_BUFFER: usize = 256 * 1024;

/// Opens an input and wraps it in the decoder its first bytes call for.
pub fn open(input: &Input, progress: &ProgressBar) -> io::Result<OpenInput> {
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::File(p) => {
            let f = File::open(p)?;
            if f.metadata()?.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            Box::new(f)
        }
    };
    let bytes = Arc::new(AtomicU64::new(0));
    let mut counting = CountingReader { inner: raw, bytes: bytes.clone(), progress: progress.clone() };
    // A pipe may deliver the magic bytes over several reads: collect them, then put them back in front.
    let mut head = Vec::with_capacity(ZSTD_MAGIC.len());
    (&mut counting).take(ZSTD_MAGIC.len() as u64).read_to_end(&mut head)?;
    let stream = io::Cursor::new(head.clone()).chain(counting);
    let reader: Box<dyn Read + Send> = if head.starts_with(&GZIP_MAGIC) {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(DECODER_BUFFER, stream)))
    } else if head.starts_with(&ZSTD_MAGIC) {
        Box::new(zstd::stream::read::Decoder::with_buffer(BufReader::with_capacity(DECODER_BUFFER, stream))?)
    } else {
        Box::new(stream)
    };
    Ok(OpenInput { reader, bytes })
}
