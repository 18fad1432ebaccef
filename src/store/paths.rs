//! Where the data lives, and private folders.

use std::path::{Path, PathBuf};

use super::StoreError;

/// The environment variable that overrides the data folder (tests use it).
pub const DATA_DIR_ENV: &str = "THREADR_DATA_DIR";

/// The folder holding every reader's folder: `$THREADR_DATA_DIR` when set and not empty,
/// else the `directories` data dir for "threadr" (Linux: `$XDG_DATA_HOME/threadr` or
/// `~/.local/share/threadr`; macOS: `~/Library/Application Support/threadr`).
///
/// The one variable read here rather than through `config::Env` (issue 17 asked for one
/// place): a folder's path may be any bytes on Unix, and `Env` keeps only UTF-8 values, so
/// a data folder in a non-UTF-8 path would silently fall back to the default one and
/// bookmarks would be written somewhere the user did not choose. `directories` reads
/// `XDG_DATA_HOME`/`HOME` itself for the same reason.
pub fn data_dir() -> Result<PathBuf, StoreError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "threadr")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or(StoreError::NoDataDir)
}

/// Creates `dir` and any missing parents with mode 0700. An existing `dir` is tightened to
/// 0700 (it holds one reader's files); existing parents are left as they are, since the data
/// folder may be one the user chose.
///
/// `dir` itself may be a symbolic link only to a folder the user owns: in a shared data
/// folder, a link planted by someone else would make threadr chmod and write into their
/// chosen directory, and a dangling one would make it create the target.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        action: "cannot create the folder",
        path: dir.to_path_buf(),
        source,
    };
    check_symlink(dir)?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir).map_err(io)?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
    }
    Ok(())
}

/// Refuses `dir` when it is a symbolic link to nothing, to something that is not a folder,
/// or (on Unix) to a folder owned by another user.
fn check_symlink(dir: &Path) -> Result<(), StoreError> {
    let Ok(link) = std::fs::symlink_metadata(dir) else {
        return Ok(());
    };
    if !link.file_type().is_symlink() {
        return Ok(());
    }
    let refuse = |why| {
        Err(StoreError::Symlink {
            path: dir.to_path_buf(),
            why,
        })
    };
    let Ok(target) = std::fs::metadata(dir) else {
        return refuse("to nothing");
    };
    if !target.is_dir() {
        return refuse("to something that is not a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if target.uid() != rustix::process::geteuid().as_raw() {
            return refuse("to a folder owned by someone else");
        }
    }
    Ok(())
}
