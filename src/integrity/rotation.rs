//! Manifests a rotation left behind. logrotate's numbered scheme renames
//! `audit.log.1` to `audit.log.2` and the live `audit.log` to `audit.log.1`
//! (its `dateext` gives the live file a date), but not the manifests
//! beside them: after a rotation, `NAME.seal.json` describes what is now
//! `NAME.1`. Each file of a series is paired with the manifest that
//! describes its first lines: its own name's when that one does, else the
//! manifest of a younger name of its series, never one another file's
//! first lines match under its own name.

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;

use super::seal::{Cuts, Manifest, digest, find_manifest, read_manifest, sha256_hex};
use crate::input::{self, Input};

/// The manifest of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pairing {
    /// Its own name's ([`find_manifest`]; it need not exist).
    Own(PathBuf),
    /// A younger name's, left behind when a rotation renamed the file.
    Renamed(PathBuf),
    /// None: the manifest under its name describes `by`, the file that
    /// held this name before a rotation renamed it.
    Taken { own: PathBuf, by: PathBuf },
}

impl Pairing {
    /// The manifest that describes the file, if any.
    pub fn manifest(&self) -> Option<&Path> {
        match self {
            Pairing::Own(p) => p.exists().then_some(p.as_path()),
            Pairing::Renamed(p) => Some(p),
            Pairing::Taken { .. } => None,
        }
    }
}

/// Whether the first lines of `file` are the first range `m` sealed (the
/// first `m.checkpoints[0].line` lines, read and hashed as sealing does).
fn head_matches(file: &Path, m: &Manifest) -> io::Result<bool> {
    let Some(first) = m.checkpoints.first() else { return Ok(false) };
    let opened = input::open(&Input::File(file.to_owned()), &indicatif::ProgressBar::hidden())?;
    let mut head = HeadLines { inner: opened.reader, left: first.line };
    let d = digest(&mut head, Cuts::At(&[first.line]), |_| {})?;
    Ok(d.segments.first().is_some_and(|s| s.lines == first.lines && hex::encode(s.ordered) == first.sha256))
}

/// The first `left` lines of a reader.
struct HeadLines<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for HeadLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        for at in memchr::memchr_iter(b'\n', &buf[..n]) {
            self.left -= 1;
            if self.left == 0 {
                return Ok(at + 1);
            }
        }
        Ok(n)
    }
}

/// A manifest of the series a rotation could have left behind, signed
/// with the key.
struct Candidate {
    path: PathBuf,
    manifest: Manifest,
    /// The name it describes (its own, without `.seal.json`).
    name: String,
}

/// The files of one rotated series on disk, oldest first, each with its
/// manifest.
pub type Series = Vec<(PathBuf, Pairing)>;

/// Pairs each of `files` with its manifest (`key` tells the manifests
/// this key signed; no other is moved to another file). Files in the same
/// series are paired together, with every file of the series on disk:
/// the series `files` belong to.
pub fn pair_all(files: &[PathBuf], key: &VerifyingKey) -> Vec<Series> {
    let mut out: Vec<Series> = Vec::new();
    for file in files {
        if out.iter().flatten().any(|(f, _)| input::same_file(f, file)) {
            continue;
        }
        let (members, manifests) = input::series_on_disk(file);
        out.push(pair_series(&members, manifests, key));
    }
    out
}

/// The series of `all` that holds `file`, and its place there.
pub fn place<'a>(all: &'a [Series], file: &Path) -> Option<(&'a Series, usize)> {
    all.iter().find_map(|s| s.iter().position(|(f, _)| input::same_file(f, file)).map(|k| (s, k)))
}

/// The manifest of `file` in `all` (its own name's when `all` does not hold it).
pub fn pairing(all: &[Series], file: &Path) -> Pairing {
    place(all, file).map_or_else(|| Pairing::Own(find_manifest(file)), |(s, k)| s[k].1.clone())
}

/// Whether `file` comes after the newest file of its series that has a
/// manifest (a file rotated in since the last seal: not sealed yet).
pub fn after_newest_sealed(all: &[Series], file: &Path) -> bool {
    place(all, file).is_some_and(|(s, k)| {
        let newest = s.iter().rposition(|(_, p)| p.manifest().is_some());
        newest.is_some_and(|n| k > n)
    })
}

/// The file of `series` whose manifest was left behind at `manifest`, if any.
pub fn claimed_by<'a>(series: &'a [(PathBuf, Pairing)], manifest: &Path) -> Option<&'a Path> {
    series
        .iter()
        .find(|(_, p)| matches!(p, Pairing::Renamed(m) if input::same_file(m, manifest)))
        .map(|(f, _)| f.as_path())
}

/// The file that took the candidate at `manifest`, if one did.
fn taker(candidates: &[Candidate], taken: &[Option<usize>], manifest: &Path) -> Option<usize> {
    candidates.iter().zip(taken).find(|(c, _)| input::same_file(&c.path, manifest)).and_then(|(_, t)| *t)
}

/// [`pair_all`] for the files of one series, oldest first.
fn pair_series(members: &[PathBuf], manifests: Vec<PathBuf>, key: &VerifyingKey) -> Vec<(PathBuf, Pairing)> {
    let own: Vec<PathBuf> = members.iter().map(|f| find_manifest(f)).collect();
    let candidates: Vec<Candidate> = manifests
        .into_iter()
        .filter_map(|path| {
            let (manifest, _) = read_manifest(&path).ok()?;
            let name = path.file_name()?.to_string_lossy().strip_suffix(".seal.json")?.to_owned();
            manifest.verify(key).then_some(Candidate { path, manifest, name })
        })
        .collect();
    // nothing to pair: one file and no manifest but its own
    let is_own = |c: &Candidate| own.iter().any(|o| input::same_file(o, &c.path));
    if candidates.is_empty() || (members.len() == 1 && candidates.iter().all(is_own)) {
        return members.iter().zip(own).map(|(f, o)| (f.clone(), Pairing::Own(o))).collect();
    }
    let mut memo: HashMap<(usize, usize), bool> = HashMap::new();
    let mut fits = |f: usize, c: usize| {
        *memo.entry((f, c)).or_insert_with(|| head_matches(&members[f], &candidates[c].manifest).unwrap_or(false))
    };
    let mut taken: Vec<Option<usize>> = vec![None; candidates.len()];
    let mut paired: Vec<Option<Pairing>> = vec![None; members.len()];
    // a manifest its own file's first lines match stays with it
    for (f, o) in own.iter().enumerate() {
        if let Some(c) = candidates.iter().position(|c| input::same_file(&c.path, o))
            && fits(f, c)
        {
            taken[c] = Some(f);
            paired[f] = Some(Pairing::Own(o.clone()));
        }
    }
    // any other file takes the nearest younger name's manifest its first lines match
    for f in 0..members.len() {
        if paired[f].is_some() {
            continue;
        }
        let name = members[f].file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut younger: Vec<usize> = (0..candidates.len())
            .filter(|&c| taken[c].is_none() && input::renamed_by_rotation(&candidates[c].name, &name))
            .collect();
        // the nearest first: the oldest of the younger names
        younger.sort_by_key(|&c| std::cmp::Reverse(input::rotation_number(&candidates[c].name)));
        if let Some(c) = younger.into_iter().find(|&c| fits(f, c)) {
            taken[c] = Some(f);
            paired[f] = Some(Pairing::Renamed(candidates[c].path.clone()));
        }
    }
    // a manifest of an empty file (sealed just after a rotation) has no
    // first lines to match: it belongs to the file after the one whose
    // manifest it links to
    for f in 1..members.len() {
        if paired[f].is_some() {
            continue;
        }
        let before = match &paired[f - 1] {
            Some(p) => p.manifest().map(Path::to_path_buf),
            None => Some(own[f - 1].clone()).filter(|o| o.exists() && taker(&candidates, &taken, o).is_none()),
        };
        let Some(before) = before.and_then(|b| read_manifest(&b).ok()).map(|(_, bytes)| sha256_hex(&bytes)) else {
            continue;
        };
        let name = members[f].file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let empty = (0..candidates.len()).find(|&c| {
            let m = &candidates[c];
            let here = input::same_file(&m.path, &own[f]);
            taken[c].is_none()
                && m.manifest.checkpoints.is_empty()
                && m.manifest.previous_manifest_sha256.as_deref() == Some(before.as_str())
                && (here || input::renamed_by_rotation(&m.name, &name))
        });
        if let Some(c) = empty {
            taken[c] = Some(f);
            let path = candidates[c].path.clone();
            let here = input::same_file(&path, &own[f]);
            paired[f] = Some(if here { Pairing::Own(path) } else { Pairing::Renamed(path) });
        }
    }
    members
        .iter()
        .zip(own)
        .zip(paired)
        .map(|((file, own), p)| {
            let p = p.unwrap_or_else(|| match taker(&candidates, &taken, &own) {
                Some(by) => Pairing::Taken { own, by: members[by].clone() },
                None => Pairing::Own(own),
            });
            (file.clone(), p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_lines_stop_after_the_lines_asked_for() {
        let text = b"a\nbb\nccc\ndddd\n";
        for (left, want) in [(0, &b""[..]), (1, b"a\n"), (3, b"a\nbb\nccc\n"), (9, &text[..])] {
            // read in pieces of every size: a cut never depends on where a read ends
            for piece in 1..text.len() + 1 {
                let mut head = HeadLines { inner: io::Cursor::new(&text[..]), left };
                let mut got = Vec::new();
                let mut buf = vec![0; piece];
                loop {
                    let n = head.read(&mut buf).unwrap();
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                }
                assert_eq!(got, want, "{left} lines, read {piece} bytes at a time");
            }
        }
    }
}
