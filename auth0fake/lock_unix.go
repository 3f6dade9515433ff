//go:build unix

package auth0fake

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes the lock of a data directory: an exclusive flock on its
// lock file, which the kernel releases when the holder closes it or
// exits, so a crashed server never leaves the directory locked. The
// holder writes its process id in the file, for the error of the next
// one to try. flock locks belong to an open file, so a second Server in
// the same process is refused as well.
func lockDir(dir string) (*os.File, error) {
	path := lockPath(dir)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, lockedError(dir, path)
	}
	if err == nil {
		err = writePID(f)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// unlockDir releases a lock lockDir took. The file stays: removing it
// would let a third server lock a new file while a second still waits on
// the old one.
func unlockDir(f *os.File) error { return f.Close() }
