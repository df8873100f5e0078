//! Outputs are written into a staging folder beside the output folder and swapped into place
//! only when the whole run succeeded, so a failed or killed run leaves the previous outputs
//! intact. On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere two renames.
//!
//! A run never deletes what it did not make. An existing output folder is replaced only if
//! it is empty, or if rawan made it: it holds the marker file rawan writes into every output
//! folder ([`MARKER`]) and nothing that the previous run's manifest does not list. Anything
//! else is refused, dot-entries included (`.git`, `.ssh`), so a mistyped `--out ~` cannot
//! delete a user's files. The one exception is an empty `.gitkeep`, a placeholder with
//! nothing in it to lose, which is carried into the new folder. The replaced folder keeps
//! its permissions.
//!
//! A lock file beside the output folder (`.NAME.rawan-lock`, kept for the next run) is held
//! from the check to the swap, so two runs into one folder cannot collide: the second is
//! refused at once with a message saying why.

use std::fs::File;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a rawan output folder.
pub const MARKER: &str = ".rawan-output";
const MARKER_TEXT: &str =
    "This folder was written by rawan; the next run into it replaces it as a whole.\n";

#[derive(Debug, thiserror::Error)]
pub enum StagingError {
    #[error(
        "output folder {0} holds files that rawan did not write ({1}); nothing was changed. Choose a new or empty folder (rawan replaces only folders it made)"
    )]
    Foreign(PathBuf, String),
    #[error(
        "output folder {0} was written by an earlier version of rawan, which did not mark its folders; nothing was changed. Delete the folder (or move it aside) and run again"
    )]
    Unmarked(PathBuf),
    #[error("output path {0} is not a folder ({1}); choose a folder")]
    NotAFolder(PathBuf, &'static str),
    #[error(
        "another rawan run is writing to {0} (it holds {1}); wait for it to finish, or choose another output folder"
    )]
    Busy(PathBuf, PathBuf),
    #[error("cannot prepare output folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StagingError + '_ {
    move |source| StagingError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A staging folder for one run, and the lock on its output folder.
pub struct Staging {
    pub dir: PathBuf,
    out: PathBuf,
    done: bool,
    _lock: File,
}

/// Whether `name` in the output folder is an empty `.gitkeep` (carried over, never lost).
fn is_placeholder(out: &Path, name: &str) -> bool {
    name == ".gitkeep"
        && std::fs::symlink_metadata(out.join(name))
            .map(|m| m.is_file() && m.len() == 0)
            .unwrap_or(false)
}

/// Refuses an output folder that rawan did not make (module docs).
fn check_replaceable(out: &Path) -> Result<(), StagingError> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(out)(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(StagingError::NotAFolder(
            out.to_path_buf(),
            "a symbolic link: give the folder it points to",
        ));
    }
    if !meta.is_dir() {
        return Err(StagingError::NotAFolder(out.to_path_buf(), "it is a file"));
    }
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(out).map_err(io(out))? {
        let name = entry
            .map_err(io(out))?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if !is_placeholder(out, &name) {
            entries.push(name);
        }
    }
    if entries.is_empty() {
        return Ok(());
    }
    let listed = previous_outputs(out);
    let marked = entries.iter().any(|e| e == MARKER);
    if let Some(files) = &listed
        && !marked
        && entries
            .iter()
            .all(|e| e == "manifest.json" || files.contains(e))
    {
        return Err(StagingError::Unmarked(out.to_path_buf()));
    }
    let mut foreign: Vec<String> = match &listed {
        Some(files) if entries.iter().any(|e| e == MARKER) => entries
            .into_iter()
            .filter(|e| e != MARKER && e != "manifest.json" && !files.contains(e))
            .collect(),
        // No marker or no readable manifest: not a folder rawan made.
        _ => entries,
    };
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let more = foreign.len().saturating_sub(3);
    foreign.truncate(3);
    let mut list = foreign.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    Err(StagingError::Foreign(out.to_path_buf(), list))
}

/// The files a previous run's manifest lists, if the folder holds a rawan manifest.
fn previous_outputs(out: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    if v.get("tool")?.as_str()? != "rawan" {
        return None;
    }
    v.get("outputs")?
        .as_array()?
        .iter()
        .map(|o| o.get("file")?.as_str().map(String::from))
        .collect()
}

impl Staging {
    /// Takes the output folder's lock, checks the folder, and creates a fresh staging folder
    /// beside it.
    pub fn begin(out: &Path) -> Result<Staging, StagingError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let lock_path = parent.join(format!(".{name}.rawan-lock"));
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StagingError::Busy(out.to_path_buf(), lock_path));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
        check_replaceable(out)?;
        // Leftovers of killed runs (only ever made by rawan, under this lock).
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
        std::fs::write(dir.join(MARKER), MARKER_TEXT).map_err(io(&dir))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            done: false,
            _lock: lock,
        })
    }

    /// Moves the staged outputs into place, once they are on disk.
    pub fn commit(mut self) -> Result<(), StagingError> {
        let out = self.out.clone();
        sync_folder(&self.dir)?;
        // Checked again: the folder may have changed while the run was working.
        check_replaceable(&out)?;
        if out.exists() {
            let permissions = std::fs::metadata(&out).map_err(io(&out))?.permissions();
            if is_placeholder(&out, ".gitkeep") {
                std::fs::write(self.dir.join(".gitkeep"), b"").map_err(io(&self.dir))?;
            }
            std::fs::set_permissions(&self.dir, permissions).map_err(io(&self.dir))?;
            if !exchange(&self.dir, &out) {
                replace_by_renames(&self.dir, &out)?;
                self.done = true;
                return Ok(());
            }
            // The staging path now holds the previous outputs, which rawan made (checked above).
            remove_replaced(&self.dir);
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

/// Makes every file of `dir` and the folder itself durable, so that a crash after the swap
/// cannot leave a folder of empty or partial files in place of good outputs.
fn sync_folder(dir: &Path) -> Result<(), StagingError> {
    side_by_side(&files_of(dir)?, |path| {
        File::open(path)
            .and_then(|f| f.sync_all())
            .map_err(io(path))
    })?;
    // A folder can be opened and synced on Unix; elsewhere its entries are synced with it.
    #[cfg(unix)]
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io(dir))?;
    Ok(())
}

/// Removes a replaced output folder (best effort: what is left stays beside, not in place).
fn remove_replaced(dir: &Path) {
    if let Ok(files) = files_of(dir) {
        let _ = side_by_side(&files, |path| std::fs::remove_file(path).map_err(io(path)));
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The plain files directly in `dir`.
fn files_of(dir: &Path) -> Result<Vec<PathBuf>, StagingError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    Ok(files)
}

/// Runs `each` on every file, several at once: syncing or removing a large file mostly
/// waits for the disk, and waits taken together overlap (the first error is returned).
fn side_by_side(
    files: &[PathBuf],
    each: impl Fn(&Path) -> Result<(), StagingError> + Sync,
) -> Result<(), StagingError> {
    const AT_ONCE: usize = 8;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Result<(), StagingError> {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            match files.get(i) {
                Some(path) => each(path)?,
                None => return Ok(()),
            }
        }
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..AT_ONCE.min(files.len()))
            .map(|_| scope.spawn(work))
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

/// The swap where no atomic exchange exists (other systems, or a file system that refuses
/// it): the old folder is renamed aside, the staged one into place, and the old one removed.
/// A crash between the two renames leaves the old outputs beside, not lost.
fn replace_by_renames(staged: &Path, out: &Path) -> Result<(), StagingError> {
    let old = staged.with_extension("old");
    std::fs::rename(out, &old).map_err(io(out))?;
    std::fs::rename(staged, out).map_err(io(out))?;
    remove_replaced(&old);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths; renameat2 does not retain them.
    unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path other systems take, exercised here.
    #[test]
    fn the_portable_swap_replaces_the_folder_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (staged, out) = (dir.path().join(".out.rawan-tmp-1"), dir.path().join("out"));
        std::fs::create_dir_all(&staged).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(staged.join("new.txt"), "new").unwrap();
        std::fs::write(out.join("old.txt"), "old").unwrap();
        replace_by_renames(&staged, &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("new.txt")).unwrap(), "new");
        assert!(!out.join("old.txt").exists());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("out")]);
    }

    /// Files synced or removed several at once: each exactly once, and an error (here a
    /// file that is gone) reaches the caller with the file's name.
    #[test]
    fn side_by_side_visits_every_file_once_and_reports_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..50 {
            std::fs::write(dir.path().join(format!("f{i}")), [i as u8]).unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let mut files = files_of(dir.path()).unwrap();
        files.sort();
        assert_eq!(files.len(), 50, "plain files only");
        let seen = std::sync::Mutex::new(Vec::new());
        side_by_side(&files, |p| {
            seen.lock().unwrap().push(p.to_path_buf());
            Ok(())
        })
        .unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, files);
        sync_folder(dir.path()).unwrap();

        std::fs::remove_file(&files[7]).unwrap();
        // A file gone before the listing is not listed.
        sync_folder(dir.path()).unwrap();
        let err = side_by_side(&files, |path| {
            File::open(path)
                .and_then(|f| f.sync_all())
                .map_err(io(path))
        })
        .unwrap_err();
        assert!(
            err.to_string().contains(&files[7].display().to_string()),
            "{err}"
        );

        remove_replaced(dir.path());
        assert!(!dir.path().exists());
    }
}
