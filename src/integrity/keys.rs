//! Ed25519 key pairs for seal manifests, as PKCS#8 / SPKI PEM files that
//! OpenSSL reads too (`openssl pkey -in NAME.key -pubout`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;

/// Writes `bytes` to `path` through a temporary file in the same directory
/// (created with O_EXCL, mode `mode`) and a rename: the target is never
/// half written, a symbolic link there is never followed, and without
/// `replace` an existing file is never overwritten, even one that appeared
/// meanwhile.
fn write_key_file(path: &Path, bytes: &[u8], mode: u32, replace: bool) -> anyhow::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".fsaudit-key-")
        .permissions(permissions(mode))
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot write", dir.display()))?;
    tmp.write_all(bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    tmp.as_file().sync_all()?;
    if replace {
        tmp.persist(path).with_context(|| format!("{}: cannot write", path.display()))?;
    } else {
        tmp.persist_noclobber(path)
            .map_err(|e| anyhow::anyhow!("{}: {} (pass --force to replace the key pair)", path.display(), e.error))?;
    }
    Ok(())
}

fn permissions(mode: u32) -> std::fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        std::fs::metadata(".").map(|m| m.permissions()).expect("the working directory")
    }
}

/// Writes `NAME.key` (private, mode 0600) and `NAME.pub` (0644); returns
/// their paths. Symbolic links are refused, and existing files are kept
/// unless `force`.
pub fn generate(name: &Path, force: bool) -> anyhow::Result<(PathBuf, PathBuf)> {
    let text = name.as_os_str().to_string_lossy();
    if text.is_empty() || text.ends_with('/') || name.is_dir() {
        bail!("--out {}: expected a name for the pair (NAME gives NAME.key and NAME.pub), not a directory", text);
    }
    let with = |suffix: &str| {
        let mut p = name.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let (private, public) = (with(".key"), with(".pub"));
    for p in [&private, &public] {
        may_write_key(p, force, "the key pair")?;
    }
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let key = SigningKey::from_bytes(&seed);
    let pem = key.to_pkcs8_pem(LineEnding::LF).context("encoding the private key")?;
    write_key_file(&private, pem.as_bytes(), 0o600, force)?;
    let public_pem = key.verifying_key().to_public_key_pem(LineEnding::LF).context("encoding the public key")?;
    write_key_file(&public, public_pem.as_bytes(), 0o644, force)?;
    Ok((private, public))
}

/// Refuses to write a key through a link, over something not a file, or
/// over an existing key without `force`.
fn may_write_key(p: &Path, force: bool, what: &str) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => {
            bail!("{}: is a symbolic link; refusing to write a key through it", p.display())
        }
        Ok(m) if !m.is_file() => bail!("{}: exists and is not a regular file", p.display()),
        Ok(_) if !force => bail!("{}: already exists (pass --force to replace {what})", p.display()),
        _ => Ok(()),
    }
}

/// Writes a random 32-byte pseudonym key for `redact` (hex, mode 0600).
pub fn generate_redact_key(path: &Path, force: bool) -> anyhow::Result<()> {
    may_write_key(path, force, "the key")?;
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    write_key_file(path, format!("{}\n", hex::encode(key)).as_bytes(), 0o600, force)
}

pub fn load_private(path: &Path) -> anyhow::Result<SigningKey> {
    let text = crate::input::read_small_text(path)
        .with_context(|| format!("{}: cannot read the private key", path.display()))?;
    SigningKey::from_pkcs8_pem(&text)
        .map_err(|e| anyhow::anyhow!("{}: not an Ed25519 private key in PKCS#8 PEM ({e})", path.display()))
}

pub fn load_public(path: &Path) -> anyhow::Result<VerifyingKey> {
    let text = crate::input::read_small_text(path)
        .with_context(|| format!("{}: cannot read the public key", path.display()))?;
    VerifyingKey::from_public_key_pem(&text)
        .map_err(|e| anyhow::anyhow!("{}: not an Ed25519 public key in SPKI PEM ({e})", path.display()))
}
