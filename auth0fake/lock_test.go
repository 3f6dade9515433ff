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
