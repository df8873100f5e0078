//! An output file written through a 1 MB buffer. [`OutputFile::finish`] writes out what is
//! buffered and reports any error; a file dropped without it still writes its tail (the
//! buffer flushes on drop), so nothing is lost silently by a forgotten call, only the error
//! report. Making the outputs durable before they are moved into place is the staging
//! folder's job (one sync of every file, just before the swap); [`written`] lets the disk
//! start on a finished file meanwhile, so that sync finds little left to wait for.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub struct OutputFile(BufWriter<File>);

impl OutputFile {
    /// Creates (or truncates) `path`.
    pub fn create(path: &Path) -> std::io::Result<OutputFile> {
        Ok(OutputFile(BufWriter::with_capacity(
            1 << 20,
            File::create(path)?,
        )))
    }

    /// Writes what is buffered; any error of the last writes is returned here.
    pub fn finish(self) -> std::io::Result<()> {
        let mut file = self.0.into_inner().map_err(|e| e.into_error())?;
        file.flush()?;
        start_writeback(&file);
        Ok(())
    }
}

/// Tells the operating system that the file at `path` is complete, so that it starts
/// writing it to disk now, while the run still computes, instead of at the sync before the
/// swap. Only a head start: nothing waits for it, and a failure is left to that sync.
pub fn written(path: &Path) {
    if let Ok(file) = File::open(path) {
        start_writeback(&file);
    }
}

/// Starts writing `file`'s data to disk without waiting (Linux; elsewhere nothing).
pub(crate) fn start_writeback(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain system call on an open descriptor; it reads no memory of ours.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_arrives_at_lengths_around_the_buffer() {
        let dir = tempfile::tempdir().unwrap();
        for len in [
            0usize,
            1,
            4095,
            4096,
            (1 << 20) - 1,
            1 << 20,
            (1 << 20) + 1,
            3 * (1 << 20) + 17,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            let mut f = OutputFile::create(&path).unwrap();
            for chunk in bytes.chunks(7919) {
                f.write_all(chunk).unwrap();
            }
            f.finish().unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "length {len}");
        }
    }

    #[test]
    fn the_head_start_changes_nothing_and_never_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"finished").unwrap();
        written(&path);
        written(&dir.path().join("missing"));
        assert_eq!(std::fs::read(&path).unwrap(), b"finished");
    }

    #[test]
    fn a_forgotten_finish_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        {
            let mut f = OutputFile::create(&path).unwrap();
            f.write_all(b"the tail must arrive").unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"the tail must arrive");
    }
}
