package metamergetest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/metamerge/metamerge/metamergetest"
)

func TestReferencePassesEverything(t *testing.T) {
	for _, c := range metamergetest.Vectors() {
		got := metamergetest.Reference(c.Input)
		if got.Skipped != "" {
			t.Errorf("%s: the reference skipped it: %s", c.Name, got.Skipped)
		}
		if d := c.Check(got); d != "" {
			t.Errorf("%s: %s", c.Name, d)
		}
	}
}

// TestRunSkips checks that Run gives the implementation every case but
// those skipped by name and tag.
func TestRunSkips(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	record := func(in metamergetest.Input) metamergetest.Output {
		mu.Lock()
		seen[in.Name] = true
		mu.Unlock()
		return metamergetest.Reference(in)
	}
	metamergetest.Run(t, record, metamergetest.Skip("user-add-key"), metamergetest.SkipTags("opt_in"))
	for _, c := range metamergetest.Vectors() {
		want := c.Name != "user-add-key" && !c.HasTag("opt_in")
		if seen[c.Name] != want {
			t.Errorf("%s: run %v, want %v", c.Name, seen[c.Name], want)
		}
	}
}

// TestWireRoundTrip encodes every input and answer of the suite as the
// protocol does and decodes it back.
func TestWireRoundTrip(t *testing.T) {
	for _, c := range metamergetest.Vectors() {
		b, err := json.Marshal(c.Input)
		if err != nil {
			t.Fatal(err)
		}
		var in metamergetest.Input
		if err := json.Unmarshal(b, &in); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if diff := cmp.Diff(c.Input, in); diff != "" {
			t.Errorf("%s: input (-before +after):\n%s", c.Name, diff)
		}
		b, err = json.Marshal(c.Want)
		if err != nil {
			t.Fatal(err)
		}
		var out metamergetest.Output
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if d := c.Check(out); d != "" {
			t.Errorf("%s: the answer does not survive the wire: %s", c.Name, d)
		}
	}
}

func TestOutputUnmarshalRejects(t *testing.T) {
	for _, line := range []string{`{}`, `{"result":null,"errors":[{"code":"x","pointer":""}]}`, `{"result":1}`, `{"skipped":"x","result":"{}"}`, `[]`} {
		var out metamergetest.Output
		if err := json.Unmarshal([]byte(line), &out); err == nil {
			t.Errorf("%s: accepted as %+v", line, out)
		}
	}
	var out metamergetest.Output
	if err := json.Unmarshal([]byte(`{"errors":[]}`), &out); err != nil || out.Result != nil || out.Errors != nil {
		t.Errorf(`{"errors":[]}: %+v, %v; want no errors and no result`, out, err)
	}
}

func TestCheck(t *testing.T) {
	byName := map[string]metamergetest.Case{}
	for _, c := range metamergetest.Vectors() {
		byName[c.Name] = c
	}
	tests := []struct {
		name, reason string
		got          metamergetest.Output
		want         []string // lines the account must hold; none: the answer is right
	}{
		{"user-add-key", "right answer", metamergetest.Output{Result: []byte(`{"user_id":"auth0|1","user_metadata":{"a":1,"b":2}}`)}, nil},
		{"user-add-key", "one member differs: a one-line diff", metamergetest.Output{Result: []byte(`{"user_id":"auth0|1","user_metadata":{"a":1,"b":3}}`)},
			[]string{`-     "b": 2`, `+     "b": 3`}},
		{"user-add-key", "white space differs: shown quoted", metamergetest.Output{Result: []byte(`{"user_id":"auth0|1","user_metadata":{"a":1, "b":2}}`)},
			[]string{"differs in form only", `1, \"b\":2}}"`}},
		{"user-add-key", "errors instead of a result", metamergetest.Output{Errors: []metamergetest.Error{{Code: "invalid_key", Pointer: "/user_metadata/b"}}},
			[]string{"want result:", `+ invalid_key at "/user_metadata/b"`}},
		{"user-add-key", "a result with errors breaks H7", metamergetest.Output{Result: []byte(`{}`), Errors: []metamergetest.Error{{Code: "invalid_key", Pointer: ""}}},
			[]string{"a result came back with errors (H7)"}},
		{"user-add-key", "skipped: not judged", metamergetest.Output{Skipped: "not mine"}, nil},
		{"user-dot-key", "a missing error", metamergetest.Output{Result: []byte(`{}`)}, []string{"want errors, got result:", `- invalid_key at "/user_metadata/a.b"`}},
		{"signup-number-value", "an Auth0 message that differs", metamergetest.Output{Errors: []metamergetest.Error{{Code: "not_string", Pointer: "/age", Auth0Message: "wrong"}}},
			[]string{`message "wrong"`}},
		{"signup-number-value", "no Auth0 message: not compared", metamergetest.Output{Errors: []metamergetest.Error{{Code: "not_string", Pointer: "/age"}}}, nil},
	}
	for _, tt := range tests {
		c, ok := byName[tt.name]
		if !ok {
			t.Fatalf("no case %s", tt.name)
		}
		got := c.Check(tt.got)
		if len(tt.want) == 0 && got != "" {
			t.Errorf("%s (%s): want no difference, got:\n%s", tt.name, tt.reason, got)
		}
		if len(tt.want) > 0 && got == "" {
			t.Errorf("%s (%s): want a difference, got none", tt.name, tt.reason)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s (%s): the account lacks %q:\n%s", tt.name, tt.reason, w, got)
			}
		}
	}
}

func TestLoadRejects(t *testing.T) {
	good := `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}"}`
	tests := []struct{ reason, file string }{
		{"both result and errors", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}","errors":[]}]}`},
		{"neither result nor errors", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}"}]}`},
		{"an unknown field", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}","expected":1}]}`},
		{"text and base64 of one input", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","stored_base64":"e30=","patch":"{}","result":"{}"}]}`},
		{"bad base64", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored_base64":"!","patch":"{}","result":"{}"}]}`},
		{"a name twice", `{"description":"d","cases":[` + good + `,` + good + `]}`},
		{"no op", `{"description":"d","cases":[{"name":"a","comment":"c","rules":["R3"],"stored":"{}","patch":"{}","result":"{}"}]}`},
		{"a repeated member", `{"description":"d","cases":[` + good + `],"cases":[]}`},
		{"text after the object", `{"description":"d","cases":[` + good + `]}{}`},
	}
	for _, tt := range tests {
		_, err := metamergetest.Load(fstest.MapFS{"x.json": {Data: []byte(tt.file)}})
		if err == nil {
			t.Errorf("%s: loaded", tt.reason)
		}
	}
	cases, err := metamergetest.Load(fstest.MapFS{"x.json": {Data: []byte(`{"description":"d","cases":[` + good + `]}`)}})
	if err != nil || len(cases) != 1 || string(cases[0].Want.Result) != "{}" {
		t.Errorf("a good file: %+v, %v", cases, err)
	}
}

func TestVectorsAreCopies(t *testing.T) {
	a := metamergetest.Vectors()
	a[0].Input.Stored[0] = 'X'
	a[0].Rules[0] = "X"
	b := metamergetest.Vectors()
	if b[0].Input.Stored[0] == 'X' || b[0].Rules[0] == "X" {
		t.Error("Vectors returned shared slices")
	}
}

func TestReplay(t *testing.T) {
	metamergetest.Replay(t, filepath.Join("testdata", "profile.json"))
}

// TestReplayUpdate rewrites a golden file whose expectations are wrong,
// and checks that the rewritten file is the checked-in one and passes.
func TestReplayUpdate(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "profile.json")
	stale := strings.Replace(string(want), `"pointer": "/user_metadata/prefs.lang"`, `"pointer": "/user_metadata/x"`, 1)
	i := strings.Index(stale, `"result"`) // the first step's result
	stale = stale[:i] + strings.Replace(stale[i:], `"work": "3 New St"`, `"work": "2 Side St"`, 1)
	if err := os.WriteFile(path, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	diffs, err := metamergetest.Replayer{}.Check(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 2 || !strings.Contains(diffs[0], `-       "work": "2 Side St"`) || !strings.Contains(diffs[1], `- invalid_key at "/user_metadata/x"`) {
		t.Errorf("diffs of the stale file:\n%s", strings.Join(diffs, "\n"))
	}
	t.Setenv(metamergetest.UpdateEnv, "1")
	metamergetest.Replay(t, path)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("rewritten file (-checked in +rewritten):\n%s", diff)
	}
}

func TestReplayRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"kind":    `{"kind":"group","stored":{},"steps":[]}`,
		"stored":  `{"kind":"user","steps":[]}`,
		"patch":   `{"kind":"user","stored":{},"steps":[{"result":{}}]}`,
		"unknown": `{"kind":"user","stored":{},"steps":[],"extra":1}`,
		// encoding/json would keep the last "steps": the first would never run
		"duplicate": `{"kind":"user","stored":{},"steps":[{"patch":{"a":1},"result":{"b":1}}],"steps":[]}`,
		"trailing":  `{"kind":"user","stored":{},"steps":[]} {"kind":"client"}`,
		"message":   `{"kind":"user","stored":{},"steps":[{"patch":{"user_metadata":{"a.b":1}},"errors":[{"code":"invalid_key","pointer":"/user_metadata/a.b","auth0_message":"x"}]}]}`,
	} {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := (metamergetest.Replayer{}).Check(path); err == nil || !strings.Contains(err.Error(), "metamergetest: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestOptionsNames(t *testing.T) {
	o := metamergetest.Options{MaxDepth: 3, Unit: "bytes", NoPrototypeKeys: true}
	if got := o.Names(); !slices.Equal(got, []string{"max_depth", "unit", "no_prototype_keys"}) {
		t.Errorf("Names() = %v", got)
	}
}

// TestReplayBoundsStaleSteps replays a file of many steps without
// expectations: the differences of the first steps are shown in full, the
// others named, so the cost stays that of the documents.
func TestReplayBoundsStaleSteps(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"kind":"user","stored":{},"steps":[`)
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"patch":{"user_metadata":{"k%d":%d}}}`, i, i)
	}
	b.WriteString(`]}`)
	path := filepath.Join(t.TempDir(), "stale.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	diffs, err := metamergetest.Replayer{}.Check(path)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range diffs {
		total += len(d)
	}
	if len(diffs) != 500 || !strings.HasSuffix(diffs[499], "step 500 differs too") || total > 200<<10 {
		t.Errorf("%d differences of %d bytes in all; the last %q", len(diffs), total, diffs[len(diffs)-1])
	}
}
