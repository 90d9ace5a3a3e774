//! Ed25519 key pairs for seal manifests, as PKCS#8 / SPKI PEM files that
//! OpenSSL reads too (`openssl pkey -in NAME.key -pubout`).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;

/// Writes `NAME.key` (private, mode 0600) and `NAME.pub`; returns their paths.
pub fn generate(name: &Path, force: bool) -> anyhow::Result<(PathBuf, PathBuf)> {
    let with = |suffix: &str| {
        let mut p = name.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let (private, public) = (with(".key"), with(".pub"));
    for p in [&private, &public] {
        if p.exists() && !force {
            bail!("{}: already exists (pass --force to replace the key pair)", p.display());
        }
    }
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let key = SigningKey::from_bytes(&seed);
    let pem = key.to_pkcs8_pem(LineEnding::LF).context("encoding the private key")?;
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&private).with_context(|| format!("{}: cannot write", private.display()))?;
    f.write_all(pem.as_bytes()).with_context(|| format!("{}: cannot write", private.display()))?;
    let public_pem = key.verifying_key().to_public_key_pem(LineEnding::LF).context("encoding the public key")?;
    std::fs::write(&public, public_pem).with_context(|| format!("{}: cannot write", public.display()))?;
    Ok((private, public))
}

pub fn load_private(path: &Path) -> anyhow::Result<SigningKey> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("{}: cannot read the private key", path.display()))?;
    SigningKey::from_pkcs8_pem(&text)
        .map_err(|e| anyhow::anyhow!("{}: not an Ed25519 private key in PKCS#8 PEM ({e})", path.display()))
}

pub fn load_public(path: &Path) -> anyhow::Result<VerifyingKey> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("{}: cannot read the public key", path.display()))?;
    VerifyingKey::from_public_key_pem(&text)
        .map_err(|e| anyhow::anyhow!("{}: not an Ed25519 public key in SPKI PEM ({e})", path.display()))
}
