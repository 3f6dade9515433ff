package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// TestProcess builds the service, starts it as a user would (service
// -addr 127.0.0.1:0 -token T -db FILE), and checks over
// HTTP: 200 concurrent PATCHes of one user keep all 200 keys (M6); a PATCH
// of user_id or identities is a 400 (M1); a password appears in no answer
// and in no stored row (M2). CI runs it.
func TestProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the service")
	}
	dir := t.TempDir()
	bin, file := filepath.Join(dir, "service"), filepath.Join(dir, "service.db")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-token", "T", "-db", file)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("first line %q, %v; stderr %s", line, err, &stderr)
	}
	svc := &target{name: "service", url: url}
	var answers []string
	var mu sync.Mutex
	call := func(method, path, body string) (int, string) {
		status, b := svc.do(t, method, path, body, "")
		mu.Lock()
		answers = append(answers, b)
		mu.Unlock()
		return status, b
	}
	const user = "/api/v2/users/auth0|ada"
	if s, b := call("POST", "/api/v2/users", `{"connection":"db","email":"ada@example.com","password":"hunter2","user_id":"ada"}`); s != 201 {
		t.Fatalf("create: %d %s", s, b)
	}

	start := time.Now()
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"user_metadata":{"k%03d":%d},"password":"hunter2-%d"}`, i, i, i)
			if s, b := call("PATCH", user, body); s != 200 {
				t.Errorf("PATCH %d: %d %s", i, s, b)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	_, doc := call("GET", user, "")
	kept := len(gjson.Get(doc, "user_metadata").Map())
	if kept != 200 {
		t.Errorf("M6: %d of 200 concurrent keys kept", kept)
	}
	t.Logf("200 concurrent PATCHes of one user: %d keys kept, %v", kept, elapsed.Round(time.Millisecond))

	for _, body := range []string{`{"user_id":"evil"}`, `{"identities":null}`, `{"user_id":"evil","identities":null}`} {
		if s, b := call("PATCH", user, body); s != 400 || !strings.Contains(b, "Additional properties not allowed") {
			t.Errorf("M1: PATCH %s: %d %s", body, s, b)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("stopping: %v; %s", err, &stderr)
	}

	for _, a := range answers {
		if strings.Contains(a, "hunter2") {
			t.Fatalf("M2: a password in an answer: %s", a)
		}
	}
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT doc FROM docs UNION ALL SELECT key FROM uniq`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var s string
		rows.Scan(&s)
		n++
		if strings.Contains(s, "hunter2") || strings.Contains(s, `"password"`) {
			t.Errorf("M2: a password in a stored row: %.200s", s)
		}
	}
	if err := rows.Err(); err != nil || n < 2 {
		t.Errorf("%d rows read, %v", n, err)
	}
	for _, f := range []string{file, file + "-wal"} {
		if raw, err := os.ReadFile(f); err == nil && bytes.Contains(raw, []byte("hunter2")) {
			t.Errorf("M2: a password in the bytes of %s", filepath.Base(f))
		}
	}
}

// counting is a table that counts the conflicts of its writes, or, naive,
// writes without comparing versions (the read, merge and write a service
// does without mgmt.Update).
type counting struct {
	*table
	naive     bool
	conflicts atomic.Int64
}

func (c *counting) Write(ctx context.Context, id string, doc []byte, version int64) error {
	if c.naive {
		_, err := c.db.ExecContext(ctx, `UPDATE docs SET doc = ?, version = version + 1 WHERE kind = ? AND id = ?`, doc, c.kind, id)
		return err
	}
	err := c.table.Write(ctx, id, doc, version)
	if err == mgmt.ErrConflict {
		c.conflicts.Add(1)
	}
	return err
}

// TestConcurrentPatches runs 200 concurrent updates of one user on the
// SQLite table, with mgmt.Update and with a naive write that ignores the
// version: the first keeps all 200 keys; the second shows what it is for.
func TestConcurrentPatches(t *testing.T) {
	_, svc := newTargets(t)
	for _, naive := range []bool{false, true} {
		id := fmt.Sprintf("auth0|u%v", naive)
		tb := &counting{table: &table{svc.db, "users", mgmt.Users{}.Unique}, naive: naive}
		if err := tb.Insert(context.Background(), id, []byte(`{"user_id":"`+id+`"}`)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, _ := mgmt.Users{}.Patch(fmt.Appendf(nil, `{"user_metadata":{"k%d":1}}`, i))
				_, err := mgmt.Update(context.Background(), mgmt.Retry{}, tb, id, func(stored []byte) ([]byte, bool, error) {
					return p.Apply(stored, time.Now())
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		doc, _, _ := tb.Read(context.Background(), id)
		kept := len(gjson.GetBytes(doc, "user_metadata").Map())
		t.Logf("naive %v: %d of 200 keys kept, %d conflicts retried", naive, kept, tb.conflicts.Load())
		if !naive && kept != 200 {
			t.Errorf("mgmt.Update: %d of 200 keys kept", kept)
		}
	}
}
