//! SHA-256 and size of a file, for the run manifest: taken on the way out for what this crate
//! writes in a stream (the GeoJSON layers, most of a run's bytes), so they are not read back;
//! read from disk for everything else.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// A file's SHA-256 (lower-case hex) and length in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub sha256: String,
    pub bytes: u64,
}

/// A writer that hashes every byte it passes on.
pub struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The inner writer and the digest of everything written through it.
    pub fn finish(self) -> (W, FileDigest) {
        (
            self.inner,
            FileDigest {
                sha256: format!("{:x}", self.hasher.finalize()),
                bytes: self.bytes,
            },
        )
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Reads `path` through and returns its digest.
pub fn of_file(path: &Path) -> std::io::Result<FileDigest> {
    let mut file = std::fs::File::open(path)?;
    let mut hashing = Hashing::new(std::io::sink());
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hashing.write_all(&buf[..n])?;
    }
    Ok(hashing.finish().1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FIPS 180-2's example: SHA-256("abc"), written in two pieces and read back from a file.
    #[test]
    fn the_published_digest_of_abc() {
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let mut h = Hashing::new(Vec::new());
        h.write_all(b"a").unwrap();
        h.write_all(b"bc").unwrap();
        let (written, digest) = h.finish();
        assert_eq!(
            (written.as_slice(), digest.sha256.as_str(), digest.bytes),
            (&b"abc"[..], abc, 3)
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("abc"), "abc").unwrap();
        assert_eq!(of_file(&dir.path().join("abc")).unwrap(), digest);
    }
}
