//! Symbolic links in a (possibly shared) data folder: threadr follows only the user's own
//! folders and never opens its lock or temp files through a link.
#![cfg(unix)]

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use threadr::store::{Reader, ReadingState, Store, StoreError};

fn reader() -> Reader {
    Reader::new("tester").unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A folder owned by another user, or `None` when this process may not give one away.
fn foreign_dir(parent: &Path) -> Option<std::path::PathBuf> {
    let dir = parent.join("someone-else");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::chown(&dir, Some(65534), Some(65534))
        .ok()
        .map(|()| dir)
}

#[test]
fn a_reader_folder_linked_to_someone_elses_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    std::fs::create_dir(&root).unwrap();
    let Some(theirs) = foreign_dir(tmp.path()) else {
        eprintln!("skipped: cannot chown (not root)");
        return;
    };
    symlink(&theirs, root.join("tester")).unwrap();
    let err = Store::open_in(&root, reader()).unwrap_err();
    assert!(matches!(err, StoreError::Symlink { .. }), "{err}");
    assert!(err.to_string().contains("owned by someone else"), "{err}");
    assert_eq!(mode(&theirs), 0o755, "their folder was chmod-ed");
    assert_eq!(
        std::fs::read_dir(&theirs).unwrap().count(),
        0,
        "wrote into it"
    );

    // The same for the state folder inside a reader folder of our own.
    std::fs::remove_file(root.join("tester")).unwrap();
    std::fs::create_dir(root.join("tester")).unwrap();
    symlink(&theirs, root.join("tester/state")).unwrap();
    let err = Store::open_in(&root, reader()).unwrap_err();
    assert!(matches!(err, StoreError::Symlink { .. }), "{err}");
    assert_eq!(mode(&theirs), 0o755);
}

#[test]
fn a_dangling_folder_link_is_refused_and_its_target_not_created() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("elsewhere/deep");
    symlink(&target, tmp.path().join("tester")).unwrap();
    let err = Store::open_in(tmp.path(), reader()).unwrap_err();
    assert!(
        err.to_string().contains("symbolic link to nothing"),
        "{err}"
    );
    assert!(!target.exists() && !tmp.path().join("elsewhere").exists());
}

#[test]
fn a_link_to_the_users_own_folder_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    symlink(&mine, tmp.path().join("tester")).unwrap();
    let store = Store::open_in(tmp.path(), reader()).unwrap();
    store.save_state("k", &ReadingState::default()).unwrap();
    assert!(mine.join("state").is_dir());
}

#[test]
fn a_planted_lock_link_is_never_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open_in(tmp.path(), reader()).unwrap();
    let victim = tmp.path().join("victim");
    // Dangling: opening it with O_CREAT would create the victim.
    symlink(&victim, store.dir().join(".lock")).unwrap();
    let err = store.save_state("k", &ReadingState::default()).unwrap_err();
    assert!(err.to_string().contains("lock"), "{err}");
    assert!(!victim.exists(), "the link's target was created");
    // Pointing at an existing file: not opened, not changed.
    std::fs::write(&victim, "keep").unwrap();
    assert!(store.save_state("k", &ReadingState::default()).is_err());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert_eq!(
        std::fs::read_dir(store.dir().join("state"))
            .unwrap()
            .count(),
        0
    );
}
