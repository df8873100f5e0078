//! Outputs are written into a staging folder beside the output folder and swapped into place
//! only when the whole run succeeded, so a failed or killed run leaves the previous outputs
//! intact. On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere two renames.
//!
//! An existing output folder is replaced only if it is empty or holds an earlier rawan run
//! (a `manifest.json` written by rawan); dotfiles in it (e.g. `.gitkeep`) are kept. Anything
//! else is refused, so a mistyped `--out ~/Documents` cannot delete a user's files.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StagingError {
    #[error("output folder {0} holds files that rawan did not write ({1}); choose a new or empty folder")]
    Foreign(PathBuf, String),
    #[error("cannot prepare output folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StagingError + '_ {
    move |source| StagingError::Io { path: path.to_path_buf(), source }
}

/// A staging folder for one run.
pub struct Staging {
    pub dir: PathBuf,
    out: PathBuf,
    done: bool,
}

fn is_rawan_output(out: &Path) -> Result<bool, StagingError> {
    if !out.exists() {
        return Ok(true);
    }
    let mut foreign = Vec::new();
    for entry in std::fs::read_dir(out).map_err(io(out))? {
        let name = entry.map_err(io(out))?.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        return Ok(true);
    }
    let manifest = out.join("manifest.json");
    let ours = std::fs::read_to_string(&manifest).map(|t| t.contains("\"tool\": \"rawan\"")).unwrap_or(false);
    if ours {
        return Ok(true);
    }
    foreign.sort();
    foreign.truncate(3);
    Err(StagingError::Foreign(out.to_path_buf(), foreign.join(", ")))
}

impl Staging {
    /// Checks the output folder and creates a fresh staging folder beside it.
    pub fn begin(out: &Path) -> Result<Staging, StagingError> {
        is_rawan_output(out)?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        // Leftovers of killed runs.
        let prefix = format!(".{name}.rawan-tmp-");
        if let Ok(rd) = std::fs::read_dir(&parent) {
            for entry in rd.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Staging { dir, out: out.to_path_buf(), done: false })
    }

    /// Moves the staged outputs into place.
    pub fn commit(mut self) -> Result<(), StagingError> {
        let out = self.out.clone();
        if out.exists() {
            // Keep dotfiles of the old folder (.gitkeep and the like).
            for entry in std::fs::read_dir(&out).map_err(io(&out))?.flatten() {
                let name = entry.file_name();
                if name.to_string_lossy().starts_with('.') && entry.path().is_file() {
                    std::fs::copy(entry.path(), self.dir.join(&name)).map_err(io(&entry.path()))?;
                }
            }
            if !exchange(&self.dir, &out) {
                let old = self.dir.with_extension("old");
                std::fs::rename(&out, &old).map_err(io(&out))?;
                std::fs::rename(&self.dir, &out).map_err(io(&out))?;
                let _ = std::fs::remove_dir_all(&old);
                self.done = true;
                return Ok(());
            }
            // The staging path now holds the previous outputs.
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            std::fs::rename(&self.dir, &out).map_err(io(&out))?;
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (CString::new(a.as_os_str().as_bytes()), CString::new(b.as_os_str().as_bytes())) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths; renameat2 does not retain them.
    unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}
