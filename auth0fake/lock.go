package auth0fake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrDataDirLocked is wrapped by the error of [New] when another Server,
// in this process or another, holds Options.DataDir. Two servers on one
// directory would overwrite each other's files and delete each other's
// temporary files.
var ErrDataDirLocked = errors.New("auth0fake: data directory in use")

// lockFile is the name of the lock file in a data directory.
const lockFile = "lock"

func lockPath(dir string) string { return filepath.Join(dir, lockFile) }

// dirLock is the lock a Server holds on its data directory: the open
// files whose locks it holds (the directory itself where it can be
// locked, and the lock file).
type dirLock struct {
	dir  *os.File // nil where directories cannot be locked
	file *os.File
}

// readPID returns what the lock file at path holds, at most 32 bytes,
// without following a symbolic link.
func readPID(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 32)
	n, err := f.Read(b)
	return b[:n], err
}

// lockedError is the error for dir, whose lock file at path is held: it
// names the holder by the process id the file holds.
func lockedError(dir, path string) error {
	holder := "another process"
	if b, err := readPID(path); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			holder = "process " + strconv.Itoa(pid)
			if pid == os.Getpid() {
				holder += " (this one)"
			}
		}
	}
	return fmt.Errorf("%w: %s is held by %s (lock file %s)", ErrDataDirLocked, dir, holder, path)
}

// writePID writes the process id in the lock file f, replacing what an
// earlier holder wrote.
func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}
