//go:build unix

package auth0fake

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// noFollow makes an open fail on a symbolic link.
const noFollow = syscall.O_NOFOLLOW

// flock takes an exclusive flock on f without waiting; EWOULDBLOCK when
// another open file holds it.
func flock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// lockDir takes the lock of a data directory: an exclusive flock on the
// directory itself, then on its lock file, which the kernel releases
// when the holder closes them or exits, so a crashed server never leaves
// the directory locked. The directory's lock is the one that counts: a
// lock file removed or replaced while a server runs lets no second one
// in. The lock file, opened without following a symbolic link (one is
// refused, never truncated), keeps the holder's process id for the error
// of the next one to try, and its flock keeps out servers that lock only
// the file. flock locks belong to an open file, so a second Server in
// the same process is refused as well.
func lockDir(dir string) (*dirLock, error) {
	path := lockPath(dir)
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err = flock(d); errors.Is(err, syscall.EWOULDBLOCK) {
		d.Close()
		return nil, lockedError(dir, path)
	} else if err != nil {
		d.Close()
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|noFollow, 0o644)
	if errors.Is(err, syscall.ELOOP) {
		err = fmt.Errorf("auth0fake: lock file %s is a symbolic link; remove it", path)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	if fi, serr := f.Stat(); serr == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("auth0fake: lock file %s is not a regular file; remove it", path)
	} else if err = flock(f); errors.Is(err, syscall.EWOULDBLOCK) {
		err = lockedError(dir, path)
	}
	if err == nil {
		err = writePID(f)
	}
	if err != nil {
		f.Close()
		d.Close()
		return nil, err
	}
	return &dirLock{dir: d, file: f}, nil
}

// unlockDir releases a lock lockDir took. The file stays: removing it
// would let a third server lock a new file while a second still waits on
// the old one.
func unlockDir(l *dirLock) error {
	err := l.file.Close()
	if derr := l.dir.Close(); err == nil {
		err = derr
	}
	return err
}
