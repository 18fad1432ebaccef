//! Locking and atomic replacement of files: the only code here that writes to disk.
//!
//! Protocol (see the module header of `store`): every write happens while holding an
//! exclusive lock on the reader's `.lock` file; the new content goes to `.<name>.tmp` in the
//! same folder, is fsynced, renamed over `<name>`, and the folder is fsynced. The temp name is
//! fixed per target because only the lock holder writes it: a temp left by a killed process is
//! replaced by the next save, so temp files cannot pile up.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::StoreError;

/// Name of the lock file in a reader's folder.
pub(crate) const LOCK_FILE: &str = ".lock";

/// Holds the reader's exclusive lock; dropping it closes the file, which releases the lock.
#[derive(Debug)]
pub(crate) struct LockGuard {
    _file: File,
}

impl LockGuard {
    /// Takes the exclusive lock on `path` (created 0600), waiting at most `timeout`.
    ///
    /// Waiting is a blocking `File::lock` on a helper thread (the kernel queues waiters, so a
    /// busy writer cannot starve us the way polling `try_lock` would); when the timeout passes
    /// first, the helper is abandoned and releases the lock as soon as it gets it.
    pub(crate) fn acquire(path: &Path, timeout: Duration) -> Result<Self, StoreError> {
        let file = open_lock_file(path)?;
        match file.try_lock() {
            Ok(()) => return Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(source)) => {
                return Err(StoreError::Io {
                    action: "cannot lock",
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        let start = Instant::now();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("threadr-lock".into())
            .spawn(move || {
                let result = file.lock().map(|()| file);
                // The receiver is gone after a timeout; the file then drops and unlocks.
                let _ = tx.send(result);
            })
            .map_err(|source| StoreError::Io {
                action: "cannot start a thread to wait for",
                path: path.to_path_buf(),
                source,
            })?;
        match rx.recv_timeout(timeout) {
            Ok(Ok(file)) => Ok(Self { _file: file }),
            Ok(Err(source)) => Err(StoreError::Io {
                action: "cannot lock",
                path: path.to_path_buf(),
                source,
            }),
            Err(_) => Err(StoreError::Locked {
                path: path.to_path_buf(),
                waited: start.elapsed(),
            }),
        }
    }
}

fn open_lock_file(path: &Path) -> Result<File, StoreError> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    no_follow(&mut options);
    options.open(path).map_err(|source| StoreError::Io {
        action: "cannot open the lock file",
        path: path.to_path_buf(),
        source,
    })
}

/// Files threadr creates are 0600 and never opened through a symbolic link: a planted
/// `.lock` link (dangling or not) fails to open instead of creating or locking its target.
fn no_follow(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// The temp file used while replacing `target`.
pub(crate) fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp"))
}

/// Replaces `target` with `bytes` atomically and durably. The caller holds the lock.
pub(crate) fn write_atomic(
    _lock: &LockGuard,
    target: &Path,
    bytes: &[u8],
) -> Result<(), StoreError> {
    let tmp = temp_path(target);
    let io = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io {
            action,
            path,
            source,
        }
    };
    // A leftover from a save that was killed: ours to replace (we hold the lock).
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(io("cannot remove the stale temporary file", &tmp)(e));
        }
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    no_follow(&mut options);
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("cannot write", &tmp)(e));
    }
    if let Err(e) = std::fs::rename(&tmp, target) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("cannot replace", target)(e));
    }
    sync_dir(target)
}

/// Fsyncs the folder holding `file`, so a rename in it survives a crash.
fn sync_dir(file: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    if let Some(dir) = file.parent() {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| StoreError::Io {
                action: "cannot sync the folder",
                path: dir.to_path_buf(),
                source,
            })?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// The bytes of `path`, or `None` when it does not exist.
pub(crate) fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::Io {
            action: "cannot read",
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Moves a broken file to `<name>.corrupt-<time>` (adding `-2`, `-3`... rather than ever
/// replacing an earlier one) and returns the new path. The caller holds the lock.
pub(crate) fn move_aside(_lock: &LockGuard, path: &Path) -> Result<PathBuf, StoreError> {
    let stamp: String = super::now_rfc3339()
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 1u32..=1000 {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let aside = path.with_file_name(format!("{name}.corrupt-{stamp}{suffix}"));
        // A hard link fails when the name exists, so nothing is ever overwritten; where hard
        // links are not supported, fall back to a checked rename (we hold the lock).
        let moved = match std::fs::hard_link(path, &aside) {
            Ok(()) => std::fs::remove_file(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) if aside.symlink_metadata().is_ok() => continue,
            Err(_) => std::fs::rename(path, &aside),
        };
        return moved
            .map_err(|source| StoreError::Io {
                action: "cannot move the corrupt file aside",
                path: path.to_path_buf(),
                source,
            })
            .and_then(|()| sync_dir(path))
            .map(|()| aside);
    }
    Err(StoreError::Io {
        action: "cannot move the corrupt file aside (too many earlier ones)",
        path: path.to_path_buf(),
        source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_times_out_while_held_and_is_free_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        let held = LockGuard::acquire(&path, Duration::from_secs(1)).unwrap();
        let err = LockGuard::acquire(&path, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("locked by another threadr"));
        drop(held);
        LockGuard::acquire(&path, Duration::from_secs(1)).unwrap();
    }

    #[test]
    fn waiter_gets_the_lock_when_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        let held = LockGuard::acquire(&path, Duration::from_secs(1)).unwrap();
        let p = path.clone();
        let waiter = std::thread::spawn(move || LockGuard::acquire(&p, Duration::from_secs(10)));
        std::thread::sleep(Duration::from_millis(30));
        drop(held);
        waiter.join().unwrap().unwrap();
    }

    #[test]
    fn stale_temp_is_replaced_and_consumed() {
        let dir = tempfile::tempdir().unwrap();
        let lock = LockGuard::acquire(&dir.path().join(LOCK_FILE), Duration::ZERO).unwrap();
        let target = dir.path().join("f.json");
        std::fs::write(temp_path(&target), b"half a fi").unwrap();
        write_atomic(&lock, &target, b"whole").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
        assert!(!temp_path(&target).exists());
    }

    #[test]
    fn move_aside_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let lock = LockGuard::acquire(&dir.path().join(LOCK_FILE), Duration::ZERO).unwrap();
        let target = dir.path().join("f.json");
        std::fs::write(&target, b"one").unwrap();
        let a = move_aside(&lock, &target).unwrap();
        std::fs::write(&target, b"two").unwrap();
        let b = move_aside(&lock, &target).unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        assert_eq!(std::fs::read(&b).unwrap(), b"two");
        assert!(!target.exists());
    }
}
