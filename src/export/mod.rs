//! `fsaudit export`: the normalized events, for the engines and SIEMs
//! teams already run. Workers parse their chunks and build each chunk's
//! output (Arrow columns, or JSON records up to their line numbers); one
//! writer takes the chunks in input order, numbers the lines, keeps the
//! first copy of each line with `--dedup`, and writes one file or one file
//! per day (`day=YYYY-MM-DD/part-0.parquet`, Hive's layout). Files are
//! written beside their final name and renamed into place at the end, so
//! a failed or interrupted run leaves no half file under a final name.

pub mod json;
mod parquet;
pub mod table;

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::file::properties::WriterProperties;
use arrow_array::{BooleanArray, RecordBatch, TimestampMicrosecondArray};

use crate::engine::{Consumer, FirstCopies, line_hash};
use crate::filter::Filter;
use crate::input::{Chunk, ChunkKind};
use crate::pipe::ChunkNote;
use crate::pipe::filter::Seen;
use crate::schema::LineParser;
use crate::stats::TimeRange;
use crate::time::{MICROS_PER_SEC, Micros};
pub use json::Form;

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Parquet,
    Json(Form),
}

impl Target {
    /// The file name extension of a part.
    pub fn extension(self) -> &'static str {
        match self {
            Target::Parquet => "parquet",
            Target::Json(_) => "jsonl",
        }
    }
}

/// The rows of a Parquet row group by default: 128 Ki rows, a few MiB
/// compressed, so that a scanner has a group per thread on files of a
/// million events and more.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SEC;

/// The day (since the epoch, UTC) of a time.
fn day_of(t: Micros) -> i64 {
    t.div_euclid(MICROS_PER_DAY)
}

/// What each worker needs.
pub struct Job<'a> {
    pub parser: &'a LineParser,
    pub filter: &'a Filter,
    pub target: Target,
    pub max_line: usize,
    pub samples: usize,
    pub dedup: bool,
    /// Inputs as named in the output (`<stdin>` for standard input).
    pub names: &'a [String],
    pub seen: &'a Seen,
    pub schema: arrow_schema::SchemaRef,
}

/// One chunk's output.
pub struct Piece {
    note: ChunkNote,
    body: Body,
}

enum Body {
    /// JSON records, each up to its line number.
    Json { bytes: Vec<u8>, records: Vec<Record> },
    /// The chunk's rows, and with `--dedup` the hash of each row's line.
    Table { batch: RecordBatch, hashes: Vec<u64> },
}

/// Where a JSON record ends, its line in the chunk, and what it is kept by.
struct Record {
    end: usize,
    line: u64,
    hash: Option<u64>,
    day: Option<i64>,
}

impl Job<'_> {
    /// Parses a chunk and builds its output.
    pub fn process(&self, chunk: &Chunk) -> Piece {
        let mut note = ChunkNote::of(chunk);
        let input = self.names[chunk.input].as_str();
        // a record is about twice its line (OCSF, ECS) or as long (the table):
        // room for it up front, so the buffer does not grow by copying
        let mut json = match self.target {
            Target::Json(_) => {
                (Vec::with_capacity(chunk.bytes().len() * 2 + 4096), Vec::with_capacity(chunk.bytes().len() / 256))
            }
            Target::Parquet => (Vec::new(), Vec::new()),
        };
        let mut columns = match self.target {
            // a Feast line is about 470 bytes
            Target::Parquet => Some(table::Columns::new(self.schema.clone(), chunk.bytes().len() / 400 + 16)),
            Target::Json(_) => None,
        };
        let mut hashes = Vec::new();
        if let ChunkKind::Lines = chunk.kind {
            let (mut events, mut range) = (0, TimeRange::default());
            let mut reader = crate::schema::LineReader::with_max_line(self.max_line);
            let mut scratch = Vec::new();
            note.lines = self.parser.each_line(&mut reader, chunk.bytes(), |line| {
                if line.is_blank() {
                    return;
                }
                if line.content.len() > self.max_line {
                    let why = format!("a line of {} bytes, longer than --max-line-bytes", line.content.len());
                    note.malformed(line.number, why, self.samples);
                    return;
                }
                let ev = match line.parse(self.parser, &mut scratch) {
                    Ok(ev) => ev,
                    Err(m) => return note.malformed(line.number, m.0, self.samples),
                };
                events += 1;
                if let Some(t) = ev.time {
                    range.observe(t);
                }
                if !self.filter.matches(&ev) {
                    return;
                }
                let hash = self.dedup.then(|| line_hash(line.content));
                match (self.target, &mut columns) {
                    (Target::Parquet, Some(c)) => {
                        c.push(&ev, input, line.number);
                        hashes.extend(hash);
                    }
                    (Target::Json(form), _) => {
                        let (bytes, records) = &mut json;
                        form.open_record(&ev, input, bytes);
                        records.push(Record { end: bytes.len(), line: line.number, hash, day: ev.time.map(day_of) });
                    }
                    (Target::Parquet, None) => unreachable!("columns are made for parquet"),
                }
            });
            self.seen.add(events, &range);
        }
        let body = match columns {
            Some(c) => Body::Table { batch: c.finish(), hashes },
            None => Body::Json { bytes: json.0, records: json.1 },
        };
        Piece { note, body }
    }
}

/// Where the output goes.
pub enum Destination {
    Stdout,
    /// One file.
    File(PathBuf),
    /// One file per day under this directory.
    Days(PathBuf),
}

/// The files being written: each a temporary file beside its final name.
struct Files {
    destination: Destination,
    extension: &'static str,
    force: bool,
}

/// A file being written, where it goes, its rows, and when it was last written to.
struct Pending<W> {
    writer: W,
    path: PathBuf,
    rows: u64,
    used: u64,
}

/// Day files open at once at most: a day's file that has not been written
/// to for the longest is finished when another is needed (a row of its day
/// that comes later goes to its next part), so memory stays bounded over
/// a year of days.
const MOST_OPEN_DAYS: usize = 16;

/// The partition directory of a day: `day=2026-10-01`, or Hive's name
/// for rows without a time.
fn day_dir(day: Option<i64>) -> String {
    match day.and_then(|d| chrono::DateTime::from_timestamp(d * 86_400, 0)) {
        Some(t) => format!("day={}", t.format("%Y-%m-%d")),
        None => "day=__HIVE_DEFAULT_PARTITION__".to_owned(),
    }
}

impl Files {
    /// Opens the temporary file of a day's part (or the one file).
    fn open(&self, day: Option<i64>, part: u32) -> io::Result<(tempfile::NamedTempFile, PathBuf)> {
        let path = match &self.destination {
            Destination::File(p) => p.clone(),
            Destination::Days(root) => root.join(day_dir(day)).join(format!("part-{part}.{}", self.extension)),
            Destination::Stdout => unreachable!("stdout has no files"),
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| named(&dir, e))?;
        if !self.force && path.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{}: exists (--force replaces it)", path.display()),
            ));
        }
        let temp = tempfile::Builder::new().prefix(".fsaudit-export-").tempfile_in(&dir).map_err(|e| named(&dir, e))?;
        Ok((temp, path))
    }

    /// Puts a finished file in place.
    fn place(&self, temp: tempfile::NamedTempFile, path: &Path) -> io::Result<()> {
        temp.as_file().sync_all().map_err(|e| named(path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        let placed = if self.force { temp.persist(path) } else { temp.persist_noclobber(path) };
        placed.map(|_| ()).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(e.error.kind(), format!("{}: exists (--force replaces it)", path.display()))
            } else {
                named(path, e.error)
            }
        })
    }
}

fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// A Parquet file being written.
type TableOut = parquet::TableFile<BufWriter<tempfile::NamedTempFile>>;
/// A JSON Lines file being written.
type JsonOut = BufWriter<tempfile::NamedTempFile>;

/// A file writer's end: the temporary file it wrote, complete.
trait Finish {
    fn finish_file(self) -> io::Result<tempfile::NamedTempFile>;
}

impl Finish for JsonOut {
    fn finish_file(self) -> io::Result<tempfile::NamedTempFile> {
        self.into_inner().map_err(|e| e.into_error())
    }
}

impl Finish for TableOut {
    /// Its last row group and footer written.
    fn finish_file(self) -> io::Result<tempfile::NamedTempFile> {
        self.finish()?.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Finish> Pending<W> {
    /// Finishes the file and puts it in place.
    fn place(self, files: &Files, written: &mut Written) -> io::Result<()> {
        let temp = self.writer.finish_file().map_err(|e| named(&self.path, e))?;
        files.place(temp, &self.path)?;
        written.files.push((self.path, self.rows));
        Ok(())
    }
}

/// The open file of `key`, made by `open` when there is none; with
/// [`MOST_OPEN_DAYS`] open, the one written to least recently is finished first.
fn open_file<'a, W: Finish>(
    open_files: &'a mut BTreeMap<Option<i64>, Pending<W>>,
    key: Option<i64>,
    clock: u64,
    files: &Files,
    written: &mut Written,
    open: impl FnOnce() -> io::Result<Pending<W>>,
) -> io::Result<&'a mut Pending<W>> {
    if !open_files.contains_key(&key) {
        if open_files.len() >= MOST_OPEN_DAYS {
            let oldest = open_files.iter().min_by_key(|(_, p)| p.used).map(|(k, _)| *k).expect("files are open");
            open_files.remove(&oldest).expect("open").place(files, written)?;
        }
        open_files.insert(key, open()?);
    }
    let p = open_files.get_mut(&key).expect("opened above");
    p.used = clock;
    Ok(p)
}

/// The part number for a new file of `key`.
fn next_part_of(next: &mut BTreeMap<Option<i64>, u32>, key: Option<i64>) -> u32 {
    let n = next.entry(key).or_default();
    *n += 1;
    *n - 1
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// Events written.
    pub events: u64,
    /// Files written, with their events, in path order.
    pub files: Vec<(PathBuf, u64)>,
    /// Each chunk's note, for the malformed lines.
    pub notes: Vec<ChunkNote>,
}

/// The writer thread's side: numbers lines, drops later copies with
/// `--dedup`, and writes each event to its file.
pub struct Writer {
    target: Target,
    files: Files,
    dedup: bool,
    copies: FirstCopies,
    /// Lines of each input before the next chunk.
    before: Vec<u64>,
    stdout: Option<BufWriter<io::StdoutLock<'static>>>,
    json: BTreeMap<Option<i64>, Pending<JsonOut>>,
    parquet: BTreeMap<Option<i64>, Pending<TableOut>>,
    schema: arrow_schema::SchemaRef,
    properties: WriterProperties,
    row_group_rows: usize,
    /// The next part of each day (after one was finished to bound memory).
    next_part: BTreeMap<Option<i64>, u32>,
    clock: u64,
    written: Written,
}

/// The settings of [`Writer::new`].
pub struct WriterOptions {
    pub target: Target,
    pub destination: Destination,
    pub force: bool,
    pub dedup: bool,
    pub inputs: usize,
    pub row_group_rows: usize,
    pub schema: arrow_schema::SchemaRef,
}

impl Writer {
    pub fn new(o: WriterOptions) -> Writer {
        let stdout = matches!(o.destination, Destination::Stdout)
            .then(|| BufWriter::with_capacity(256 * 1024, io::stdout().lock()));
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).expect("zstd level 1")))
            .set_created_by(format!("fsaudit {}", env!("CARGO_PKG_VERSION")));
        // a dictionary of values that hardly repeat costs a hash per row and is dropped
        let properties = ["time", "request_id", "trace_id", "latency_ms", "line"]
            .into_iter()
            .fold(properties, |p, c| p.set_column_dictionary_enabled(c.into(), false));
        // times and line numbers mostly grow: deltas pack them small; min/max
        // per row group, and per page for the time (the column queries prune
        // by): 5% less time and space than per page everywhere
        let properties = {
            use ::parquet::basic::Encoding;
            use ::parquet::file::properties::EnabledStatistics;
            let p = properties
                .set_statistics_enabled(EnabledStatistics::Chunk)
                .set_column_statistics_enabled("time".into(), EnabledStatistics::Page)
                .set_column_encoding("time".into(), Encoding::DELTA_BINARY_PACKED)
                .set_column_encoding("line".into(), Encoding::DELTA_BINARY_PACKED);
            // no min/max for columns nobody prunes by (ids, free words, lists): each
            // string compared per row cost 6% of the export
            [
                "request_id",
                "trace_id",
                "raw_outcome",
                "input",
                "roles",
                "actions",
                "auth_type",
                "transport",
                "schema",
                "method",
            ]
            .into_iter()
            .fold(p, |p, c| p.set_column_statistics_enabled(c.into(), EnabledStatistics::None))
            .build()
        };
        Writer {
            target: o.target,
            files: Files { destination: o.destination, extension: o.target.extension(), force: o.force },
            dedup: o.dedup,
            copies: FirstCopies::default(),
            before: vec![0; o.inputs],
            stdout,
            json: BTreeMap::new(),
            parquet: BTreeMap::new(),
            schema: o.schema,
            properties,
            row_group_rows: o.row_group_rows,
            next_part: BTreeMap::new(),
            clock: 0,
            written: Written::default(),
        }
    }

    /// The partition of a row: its day when writing one file per day.
    fn partitioned(&self) -> bool {
        matches!(self.files.destination, Destination::Days(_))
    }

    /// The key of a row's file: its day when writing a file per day.
    fn key(&self, day: Option<i64>) -> Option<i64> {
        if self.partitioned() { day } else { None }
    }

    fn json_file(&mut self, key: Option<i64>) -> io::Result<&mut Pending<JsonOut>> {
        self.clock += 1;
        let (files, next_part) = (&self.files, &mut self.next_part);
        open_file(&mut self.json, key, self.clock, files, &mut self.written, || {
            let (temp, path) = files.open(key, next_part_of(next_part, key))?;
            Ok(Pending { writer: BufWriter::with_capacity(256 * 1024, temp), path, rows: 0, used: 0 })
        })
    }

    fn table_out(&mut self, key: Option<i64>) -> io::Result<&mut Pending<TableOut>> {
        self.clock += 1;
        let (files, next_part) = (&self.files, &mut self.next_part);
        let (schema, properties, rows) = (&self.schema, &self.properties, self.row_group_rows);
        open_file(&mut self.parquet, key, self.clock, files, &mut self.written, || {
            let (temp, path) = files.open(key, next_part_of(next_part, key))?;
            let out = BufWriter::with_capacity(1 << 20, temp);
            let writer = parquet::TableFile::new(out, schema.clone(), properties, rows)?;
            Ok(Pending { writer, path, rows: 0, used: 0 })
        })
    }

    fn take_json(&mut self, form: Form, bytes: &[u8], records: &[Record], base: u64) -> io::Result<u64> {
        let mut start = 0;
        let mut n = 0;
        for r in records {
            let (from, to) = (start, r.end);
            start = r.end;
            if self.dedup && !self.copies.first(r.hash) {
                continue;
            }
            // the record, its line number, its closing braces
            let put = |out: &mut dyn Write| {
                out.write_all(&bytes[from..to])?;
                write!(out, "{}", base + r.line)?;
                out.write_all(form.closing())
            };
            match &mut self.stdout {
                Some(out) => put(out)?,
                None => {
                    let key = self.key(r.day);
                    let file = self.json_file(key)?;
                    put(&mut file.writer)?;
                    file.rows += 1;
                }
            }
            n += 1;
        }
        Ok(n)
    }

    fn take_table(&mut self, batch: RecordBatch, hashes: &[u64], base: u64) -> io::Result<u64> {
        let mut batch = table::with_line_base(batch, base);
        if self.dedup && batch.num_rows() > 0 {
            let keep: BooleanArray = hashes.iter().map(|h| Some(self.copies.first(Some(*h)))).collect();
            if keep.false_count() > 0 {
                batch = arrow_select::filter::filter_record_batch(&batch, &keep).map_err(io::Error::other)?;
            }
        }
        let rows = batch.num_rows() as u64;
        if rows == 0 {
            return Ok(0);
        }
        if !self.partitioned() {
            let file = self.table_out(None)?;
            file.writer.write(batch)?;
            file.rows += rows;
            return Ok(rows);
        }
        let times = batch.column(table::TIME).as_any().downcast_ref::<TimestampMicrosecondArray>().expect("times");
        let days: Vec<Option<i64>> = times.iter().map(|t| t.map(day_of)).collect();
        let mut distinct = days.clone();
        distinct.sort_unstable();
        distinct.dedup();
        for day in distinct {
            let part = if days.iter().all(|d| *d == day) {
                batch.clone()
            } else {
                let mask: BooleanArray = days.iter().map(|d| Some(*d == day)).collect();
                arrow_select::filter::filter_record_batch(&batch, &mask).map_err(io::Error::other)?
            };
            let n = part.num_rows() as u64;
            let file = self.table_out(day)?;
            file.writer.write(part)?;
            file.rows += n;
        }
        Ok(rows)
    }
}

impl Consumer<Piece> for Writer {
    type Output = Written;

    fn take(&mut self, piece: Piece) -> io::Result<u64> {
        let base = self.before[piece.note.input];
        self.before[piece.note.input] += piece.note.lines;
        let n = match piece.body {
            Body::Json { bytes, records } => match self.target {
                Target::Json(form) => self.take_json(form, &bytes, &records, base)?,
                Target::Parquet => unreachable!("json pieces are made for json"),
            },
            Body::Table { batch, hashes } => self.take_table(batch, &hashes, base)?,
        };
        self.written.notes.push(piece.note);
        self.written.events += n;
        Ok(n)
    }

    fn idle(&mut self) -> io::Result<()> {
        match &mut self.stdout {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }

    fn finish(mut self) -> io::Result<Written> {
        if let Some(mut out) = self.stdout.take() {
            out.flush()?;
            return Ok(self.written);
        }
        // one file is written even when nothing matched (a table with no rows)
        if !self.partitioned() && self.json.is_empty() && self.parquet.is_empty() {
            match self.target {
                Target::Parquet => {
                    self.table_out(None)?;
                }
                Target::Json(_) => {
                    self.json_file(None)?;
                }
            }
        }
        for (_, p) in std::mem::take(&mut self.json) {
            p.place(&self.files, &mut self.written)?;
        }
        for (_, p) in std::mem::take(&mut self.parquet) {
            p.place(&self.files, &mut self.written)?;
        }
        self.written.files.sort();
        Ok(self.written)
    }
}
