package auth0fake

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDataDirLocked opens a data directory held by another Server of this
// process, then by another process: New fails with ErrDataDirLocked and
// an error that names the holder's process id, and touches nothing in the
// directory (before the lock, it deleted the holder's temporary files and
// the two servers overwrote each other's documents). After Close, the
// directory opens again.
func TestDataDirLocked(t *testing.T) {
	if dir := os.Getenv("AUTH0FAKE_HOLD_DIR"); dir != "" { // the other process
		s, err := New(Options{DataDir: dir})
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		bufio.NewReader(os.Stdin).ReadString('\n') // until the test closes stdin
		s.Close()
		os.Exit(0)
	}
	pending := func(dir string) string { // a write of the holder under way
		p := filepath.Join(dir, "users", ".tmp-inflight")
		if err := os.WriteFile(p, []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	check := func(name, dir string, pid int, tmp string) {
		t.Helper()
		_, err := New(Options{DataDir: dir})
		want := "auth0fake: data directory in use: " + dir + " is held by process " + strconv.Itoa(pid)
		if !errors.Is(err, ErrDataDirLocked) || err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: New: %v; want ErrDataDirLocked and %q", name, err, want)
		}
		if _, err := os.Stat(tmp); err != nil {
			t.Errorf("%s: the holder's temporary file was touched: %v", name, err)
		}
	}

	t.Run("same process", func(t *testing.T) {
		dir := t.TempDir()
		s, err := New(Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		check("same process", dir, os.Getpid(), pending(dir))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s2, err := New(Options{DataDir: dir})
		if err != nil {
			t.Fatalf("after Close: %v", err)
		}
		s2.Close()
	})

	t.Run("other process", func(t *testing.T) {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestDataDirLocked$")
		cmd.Env = append(os.Environ(), "AUTH0FAKE_HOLD_DIR="+dir)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "locked\n" {
			t.Fatalf("the other process: %q", line)
		}
		check("other process", dir, cmd.Process.Pid, pending(dir))
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
		s, err := New(Options{DataDir: dir})
		if err != nil {
			t.Fatalf("after the other process closed it: %v", err)
		}
		s.Close()
	})
}

// TestLockTampering tampers with the lock of a held data directory: the
// lock file removed, or replaced, must let no second Server in (two
// servers overwrite each other's files); a lock file that is a symbolic
// link is refused, and its target left as it was, not truncated to a
// process id.
func TestLockTampering(t *testing.T) {
	for _, tamper := range []struct {
		name string
		do   func(path string) error
	}{
		{"removed", os.Remove},
		{"replaced", func(path string) error {
			if err := os.Remove(path); err != nil {
				return err
			}
			return os.WriteFile(path, []byte("1\n"), 0o644)
		}},
	} {
		t.Run(tamper.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := New(Options{DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := tamper.do(filepath.Join(dir, "lock")); err != nil {
				t.Fatal(err)
			}
			s2, err := New(Options{DataDir: dir})
			if !errors.Is(err, ErrDataDirLocked) || !strings.HasPrefix(err.Error(), "auth0fake: data directory in use: "+dir+" is held by ") {
				t.Errorf("lock file %s: New: %v, want ErrDataDirLocked", tamper.name, err)
			}
			if s2 != nil {
				s2.Close()
			}
		})
	}
	t.Run("symlink", func(t *testing.T) {
		dir := t.TempDir()
		victim := filepath.Join(t.TempDir(), "victim.txt")
		if err := os.WriteFile(victim, []byte("important content\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(victim, filepath.Join(dir, "lock")); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		s, err := New(Options{DataDir: dir})
		if err == nil {
			s.Close()
		}
		if want := "auth0fake: lock file " + filepath.Join(dir, "lock") + " is a symbolic link; remove it"; err == nil || err.Error() != want {
			t.Errorf("New: %v, want %q", err, want)
		}
		if b, _ := os.ReadFile(victim); string(b) != "important content\n" {
			t.Errorf("the link's target now holds %q", b)
		}
	})
}
