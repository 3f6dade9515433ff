//go:build !unix

package auth0fake

import (
	"errors"
	"fmt"
	"os"
)

// noFollow is 0 where open has no O_NOFOLLOW: the lock file is created
// exclusively, so a symbolic link is refused as "held".
const noFollow = 0

// lockDir takes the lock of a data directory where flock is not
// available: the lock file is created exclusively and removed by Close.
// A server that crashed leaves it behind; the error says to remove it
// when its process is gone.
func lockDir(dir string) (*dirLock, error) {
	path := lockPath(dir)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w; if that process is gone, remove the lock file", lockedError(dir, path))
	}
	if err != nil {
		return nil, err
	}
	if err := writePID(f); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &dirLock{file: f}, nil
}

// unlockDir releases a lock lockDir took, removing its file.
func unlockDir(l *dirLock) error {
	err := l.file.Close()
	if rerr := os.Remove(l.file.Name()); err == nil {
		err = rerr
	}
	return err
}
