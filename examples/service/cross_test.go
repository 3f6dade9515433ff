package main

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metamerge/metamerge/auth0fake"
)

// target is one server under the table: the fake or this service.
type target struct {
	name   string
	url    string
	client string  // the client_id its POST gave
	db     *sql.DB // the service's database, nil for the fake
}

func (tg *target) do(t *testing.T, method, path, body, auth string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, tg.url+strings.ReplaceAll(path, "{client}", tg.client), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "-" {
		req.Header.Set("Authorization", "Bearer "+cmpOr(auth, "T"))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

var (
	timestamps = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"`)
	clientIDs  = regexp.MustCompile(`"client_id":"[A-Za-z0-9]{32}"`)
	secrets    = regexp.MustCompile(`"client_secret":"[A-Za-z0-9_-]{64}"`)
)

// normal replaces what the server draws or reads from the clock.
func normal(body string) string {
	body = timestamps.ReplaceAllString(body, `"<time>"`)
	body = clientIDs.ReplaceAllString(body, `"client_id":"<id>"`)
	return secrets.ReplaceAllString(body, `"client_secret":"<secret>"`)
}

func newTargets(t *testing.T) (fake, svc *target) {
	f, err := auth0fake.New(auth0fake.Options{Token: "T"})
	if err != nil {
		t.Fatal(err)
	}
	fs := httptest.NewServer(f)
	t.Cleanup(fs.Close)
	db, err := openDB(filepath.Join(t.TempDir(), "service.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ss := httptest.NewServer(newServer(db, "T"))
	t.Cleanup(ss.Close)
	return &target{name: "fake", url: fs.URL}, &target{name: "service", url: ss.URL, db: db}
}

// TestSameAsFake runs one table of requests, in order, against the Auth0
// fake as it is and against this service, and checks that both give the
// same status and the same body (times and drawn ids aside): every M rule,
// malformed bodies, each library code a request can reach, conflicts of
// unique values. Where the contract fixes the words of an answer (holds),
// both must answer with them. A corrupt stored row and a PATCH that
// changes nothing are in the tests below.
func TestSameAsFake(t *testing.T) {
	fake, svc := newTargets(t)
	for _, tc := range crossTable() {
		var got [2]string
		for i, tg := range []*target{fake, svc} {
			status, body := tg.do(t, tc.method, tc.path, tc.body, tc.auth)
			if status != tc.status {
				t.Errorf("%s (%s) on the %s: status %d, want %d: %.300s", tc.name, tc.rules, tg.name, status, tc.status, body)
			}
			if strings.Contains(body, "hunter2") || strings.Contains(body, "correct horse") {
				t.Errorf("%s on the %s: a password in the answer: %s", tc.name, tg.name, body)
			}
			if tc.name == "create client" {
				tg.client = clientIDs.FindString(body)[len(`"client_id":"`) : len(`"client_id":"`)+32]
			}
			got[i] = normal(body)
		}
		for i, tg := range []*target{fake, svc} {
			if !strings.Contains(got[i], tc.holds) {
				t.Errorf("%s (%s): the %s answers %s, want %q in it", tc.name, tc.rules, tg.name, got[i], tc.holds)
			}
		}
		if got[0] != got[1] {
			t.Errorf("%s (%s): the service differs from the fake:\nfake    %.600s\nservice %.600s", tc.name, tc.rules, got[0], got[1])
		}
	}
}

// crossCase is one request of the table, sent in order.
type crossCase struct {
	name, rules, method, path, body string
	auth                            string // "" the token, "-" none, else this token
	status                          int
	holds                           string // a text the contract asks of the answer, or ""
}

// crossTable is the table of TestSameAsFake. rules cites the contract's
// ids (TestEveryRuleCited checks that each M rule is cited).
func crossTable() []crossCase {
	deep := strings.Repeat(`{"a":`, 101) + `1` + strings.Repeat(`}`, 101)
	keys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `,"k%d":"v"`, i)
		}
		return `{"client_metadata":{` + b.String()[1:] + `}}`
	}
	long := strings.Repeat("x", 256)
	const ada, bob = "/api/v2/users/auth0|ada", "/api/v2/users/auth0|bob"
	return []crossCase{
		{"create ada", "M4 M2 M3", "POST", "/api/v2/users", `{"connection":"db","email":"Ada@Example.com","password":"hunter2","user_id":"ada","user_metadata":{},"app_metadata":{}}`, "", 201, ""},
		{"create bob", "M4", "POST", "/api/v2/users", `{"password":"pw","connection":"db","email":"bob@example.com","username":"bob","user_id":"bob","user_metadata":{"theme":"dark"}}`, "", 201, ""},
		{"create, email taken", "conflict", "POST", "/api/v2/users", `{"connection":"db","password":"pw","email":"ada@example.com"}`, "", 409, ""},
		{"create without password", "M4: a database connection needs a password", "POST", "/api/v2/users", `{"connection":"db","email":"carl@example.com"}`, "", 400, ""},
		{"create passwordless", "M4: the email connection needs none", "POST", "/api/v2/users", `{"connection":"email","email":"dan@example.com","user_id":"dan"}`, "", 201, ""},
		{"create, no connection", "M4", "POST", "/api/v2/users", `{"email":"c@example.com"}`, "", 400, ""},
		{"create with identities", "M1 M3", "POST", "/api/v2/users", `{"connection":"db","identities":[]}`, "", 400, ""},
		{"create, dotted key", "R7", "POST", "/api/v2/users", `{"connection":"db","user_metadata":{"a.b":1}}`, "", 400, ""},
		{"get ada", "M2: no password", "GET", ada, ``, "", 200, ""},
		{"patch metadata", "R3", "PATCH", ada, `{"user_metadata":{"prefs":{"lang":"fr"},"theme":"dark"}}`, "", 200, ""},
		{"rename", "M1", "PATCH", ada, `{"user_id":"evil","identities":null}`, "", 400, ""},
		{"identities", "M1 M3", "PATCH", ada, `{"identities":[]}`, "", 400, ""},
		{"created_at", "M1 M3", "PATCH", ada, `{"created_at":"2000-01-01T00:00:00.000Z"}`, "", 400, ""},
		{"password", "M2", "PATCH", ada, `{"password":"correct horse","connection":"db"}`, "", 200, ""},
		{"wrong type", "M1", "PATCH", ada, `{"blocked":"yes"}`, "", 400, ""},
		{"null where not allowed", "M1", "PATCH", ada, `{"blocked":null}`, "", 400, ""},
		{"bad email", "M1", "PATCH", ada, `{"email":"nope"}`, "", 400, ""},
		{"malformed", "M5 H1", "PATCH", ada, `{"name":`, "", 400, ""},
		{"empty body", "M5 H1", "PATCH", ada, ``, "", 400, ""},
		{"array body", "M5 H9", "PATCH", ada, `[]`, "", 400, ""},
		{"bom", "M5 H1", "PATCH", ada, "\ufeff{}", "", 400, ""},
		{"lone surrogate", "M5 H2 invalid_json", "PATCH", ada, `{"name":"\ud800"}`, "", 400, ""},
		{"duplicate", "M5 H2 duplicate_key", "PATCH", ada, `{"name":"a","name":"b"}`, "", 400, ""},
		{"too deep", "M5 H3 too_deep", "PATCH", ada, `{"user_metadata":` + deep + `}`, "", 400, ""},
		{"dotted", "M5 R7 invalid_key", "PATCH", ada, `{"user_metadata":{"a.b":1}}`, "", 400, ""},
		{"dollar", "M5 R7 invalid_key", "PATCH", ada, `{"user_metadata":{"$a":1}}`, "", 400, ""},
		{"reserved", "M5 R8 reserved_key", "PATCH", ada, `{"app_metadata":{"blocked":true}}`, "", 400, ""},
		{"not object", "M5 R1 not_object", "PATCH", ada, `{"user_metadata":[]}`, "", 400, ""},
		{"order: member first", "M5: the first violation in document order", "PATCH", ada, `{"user_id":"evil","user_metadata":{"a.b":1}}`, "", 400, "Additional properties not allowed: user_id"},
		{"order: type first", "M5: the first violation in document order", "PATCH", ada, `{"blocked":1,"app_metadata":{"_id":1}}`, "", 400, "Expected type boolean but found type number"},
		{"order: rule first", "M5", "PATCH", ada, `{"user_metadata":{"a.b":1},"user_id":"evil"}`, "", 400, ""},
		{"too large", "M5 413", "PATCH", ada, `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, "", 413, ""},
		{"email taken", "conflict", "PATCH", ada, `{"email":"bob@example.com"}`, "", 400, ""},
		{"username taken", "conflict", "PATCH", ada, `{"username":"BOB"}`, "", 400, ""},
		{"both, username taken", "M5: the value taken is named", "PATCH", ada, `{"email":"fresh@example.com","username":"bob"}`, "", 400, "The specified new username already exists"},
		{"new email", "M3", "PATCH", ada, `{"email":"Ada2@Example.com"}`, "", 200, ""},
		{"no change", "M6 D7", "PATCH", ada, `{"user_metadata":{"theme":"dark"}}`, "", 200, ""},
		{"missing user", "M5 404", "PATCH", "/api/v2/users/auth0|nobody", `{"name":"n"}`, "", 404, ""},
		{"get missing", "M5 404", "GET", "/api/v2/users/auth0|nobody", ``, "", 404, ""},
		{"list", "", "GET", "/api/v2/users", ``, "", 200, ""},
		{"delete bob", "", "DELETE", bob, ``, "", 204, ""},
		{"delete again", "Auth0 answers 204", "DELETE", bob, ``, "", 204, ""},
		{"get deleted", "", "GET", bob, ``, "", 404, ""},
		{"create client", "M4 C5", "POST", "/api/v2/clients", `{"name":"app","client_metadata":{}}`, "", 201, ""},
		{"create client, no name", "M4", "POST", "/api/v2/clients", `{"client_metadata":{}}`, "", 400, ""},
		{"create client with id", "M1 M3", "POST", "/api/v2/clients", `{"name":"x","client_id":"mine"}`, "", 400, ""},
		{"client metadata", "C1", "PATCH", "/api/v2/clients/{client}", `{"client_metadata":{"a":"1"}}`, "", 200, ""},
		{"client id", "M1 M3", "PATCH", "/api/v2/clients/{client}", `{"client_id":"mine"}`, "", 400, ""},
		{"client tenant", "M1 M3", "PATCH", "/api/v2/clients/{client}", `{"tenant":"t"}`, "", 400, ""},
		{"client secret", "M3: unless sent", "PATCH", "/api/v2/clients/{client}", `{"client_secret":"` + strings.Repeat("s", 64) + `"}`, "", 200, ""},
		{"not string", "M5 C2 not_string", "PATCH", "/api/v2/clients/{client}", `{"client_metadata":{"n":1}}`, "", 400, ""},
		{"value too long", "M5 C2 value_too_long", "PATCH", "/api/v2/clients/{client}", `{"client_metadata":{"n":"` + long + `"}}`, "", 400, ""},
		{"key too long", "M5 C3 key_too_long", "PATCH", "/api/v2/clients/{client}", `{"client_metadata":{"` + long + `":"v"}}`, "", 400, ""},
		{"client key", "M5 C3 invalid_key", "PATCH", "/api/v2/clients/{client}", `{"client_metadata":{"a.b":"v"}}`, "", 400, ""},
		{"eleven keys", "M5 C4 too_many_keys", "PATCH", "/api/v2/clients/{client}", keys(11), "", 400, ""},
		{"eleven after merge", "M5 C4 too_many_keys", "PATCH", "/api/v2/clients/{client}", keys(10), "", 400, ""},
		{"get client", "", "GET", "/api/v2/clients/{client}", ``, "", 200, ""},
		{"missing client", "M5 404", "PATCH", "/api/v2/clients/nope", `{"name":"n"}`, "", 404, ""},
		{"no token", "401", "GET", "/api/v2/users", ``, "-", 401, ""},
		{"wrong token", "401", "GET", ada, ``, "nope", 401, ""},
		{"unknown route", "404", "GET", "/api/v2/nothing", ``, "", 404, ""},
		{"wrong method", "404", "PUT", ada, `{}`, "", 404, ""},
		{"delete client", "", "DELETE", "/api/v2/clients/{client}", ``, "", 204, ""},
	}
}

// internalError is the fake's answer to what no request causes
// (auth0fake/envelope.go, errInternal).
const internalError = `{"statusCode":500,"error":"Internal Server Error","message":"An internal server error occurred"}`

// TestCorruptRow checks M5 on a stored row the library cannot read: 500
// with the fake's internal-error answer, never a 400 that blames the
// request. The fake cannot be given such a document (its loader refuses
// the file at start), so its answer is taken from its source.
func TestCorruptRow(t *testing.T) {
	_, svc := newTargets(t)
	svc.do(t, "POST", "/api/v2/users", `{"connection":"db","password":"pw","user_id":"ada"}`, "")
	for _, row := range []string{`{"user_id":"auth0|ada","a":1,"a":2}`, `{"user_id":`, strings.Repeat("[", 101) + strings.Repeat("]", 101)} {
		if _, err := svc.db.Exec(`UPDATE docs SET doc = ? WHERE id = 'auth0|ada'`, row); err != nil {
			t.Fatal(err)
		}
		status, body := svc.do(t, "PATCH", "/api/v2/users/auth0|ada", `{"name":"n"}`, "")
		if status != 500 || body != internalError {
			t.Errorf("stored %.40s: %d %s, want 500 %s", row, status, body, internalError)
		}
	}
}

// TestNoChangeNoWrite checks M6 and D7 on both: a PATCH that changes
// nothing is not written, so updated_at stays (and the service's row
// version with it).
func TestNoChangeNoWrite(t *testing.T) {
	fake, svc := newTargets(t)
	for _, tg := range []*target{fake, svc} {
		_, created := tg.do(t, "POST", "/api/v2/users", `{"connection":"db","password":"pw","user_id":"ada","user_metadata":{"a":1}}`, "")
		time.Sleep(5 * time.Millisecond) // so that a new stamp differs
		_, patched := tg.do(t, "PATCH", "/api/v2/users/auth0|ada", `{"user_metadata":{"a":1.0}}`, "")
		same := timestamps.FindAllString(created, -1)[1] == timestamps.FindAllString(patched, -1)[1]
		if tg.db != nil {
			var v int
			if err := tg.db.QueryRow(`SELECT version FROM docs WHERE id = 'auth0|ada'`).Scan(&v); err != nil || v != 0 || !same {
				t.Errorf("service: version %d (%v), updated_at kept %v", v, err, same)
			}
		} else if !same {
			t.Errorf("fake: a PATCH that changes nothing stamped updated_at:\n%s\n%s", created, patched)
		}
	}
}

// elsewhere are the M rules the cross table does not cite, and why.
var elsewhere = map[string]string{
	"M7": "search is not served here: a query is a 400 that says so, as M7 asks of what is not implemented (TestQueryRefused)",
}

// TestEveryRuleCited reads the ids of the endpoint contract
// (management-api.md, beside the repository) and checks that the cross
// table cites each, or that elsewhere says why not.
func TestEveryRuleCited(t *testing.T) {
	dir := os.Getenv("METAMERGE_SHARED")
	if dir == "" {
		dir = "../../../shared"
	}
	data, err := os.ReadFile(filepath.Join(dir, "reference", "management-api.md"))
	if err != nil {
		if os.Getenv("METAMERGE_REQUIRE_SHARED") != "" {
			t.Fatal(err)
		}
		t.Skipf("skipping: the contract is not beside the repository (%v); set METAMERGE_SHARED", err)
	}
	ids := regexp.MustCompile(`(?m)^\| (M[0-9]+) \|`).FindAllSubmatch(data, -1)
	if len(ids) < 7 {
		t.Fatalf("%d rule ids read from the contract", len(ids))
	}
	for _, m := range ids {
		id := string(m[1])
		cited := elsewhere[id] != ""
		for _, tc := range crossTable() {
			cited = cited || slices.Contains(strings.Fields(tc.rules), id)
		}
		if !cited {
			t.Errorf("%s is cited by no request of the cross table", id)
		}
	}
}

// TestQueryRefused checks that what the service does not implement (the
// query parameters of GET: fields, paging, search) is a 400 that says so.
func TestQueryRefused(t *testing.T) {
	_, svc := newTargets(t)
	for _, path := range []string{"/api/v2/users?q=email:a@example.com", "/api/v2/users/auth0|ada?fields=email", "/api/v2/clients?page=1"} {
		status, body := svc.do(t, "GET", path, "", "")
		if status != 400 || !strings.Contains(body, "is not implemented by this service") || !strings.Contains(body, `"errorCode":"invalid_query_string"`) {
			t.Errorf("%s: %d %s", path, status, body)
		}
	}
}

// TestRawQueryRefused: a query string Go's parser cannot read whole (a
// ";", a bad %-escape) is a 400 as well, never a GET answered as if the
// query were empty, and a long parameter name is quoted in 64 bytes.
func TestRawQueryRefused(t *testing.T) {
	_, svc := newTargets(t)
	for _, path := range []string{"/api/v2/users?;", "/api/v2/users?a;b", "/api/v2/users/auth0|ada?%zz", "/api/v2/clients?page=%"} {
		status, body := svc.do(t, "GET", path, "", "")
		if status != 400 || !strings.Contains(body, "Query string is not valid: ") || !strings.Contains(body, `"errorCode":"invalid_query_string"`) {
			t.Errorf("%s: %d %s", path, status, body)
		}
	}
	status, body := svc.do(t, "GET", "/api/v2/users?"+strings.Repeat("n", 1000)+"=1", "", "")
	if want := "Query parameter " + strings.Repeat("n", 61) + "… is not implemented"; status != 400 || !strings.Contains(body, want) {
		t.Errorf("a long name: %d %.200s, want %q", status, body, want)
	}
}

// TestCorruptRowRead: a stored row the library cannot read, or that is no
// object, is a 500 on GET of the document and on the list that holds it
// (M5: a stored defect never reaches a client as a document); it was
// served with 200.
func TestCorruptRowRead(t *testing.T) {
	_, svc := newTargets(t)
	svc.do(t, "POST", "/api/v2/users", `{"connection":"db","password":"pw","user_id":"ada"}`, "")
	for _, row := range []string{
		`{"user_id":"auth0|ada","a":1,"a":2}`, `{"user_id":`, `{"user_id":"auth0|ada","name":"` + "\xff" + `"}`,
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001), `"auth0|ada"`, `[]`, ``, `{"user_id":"auth0|ada"} x`,
	} {
		if _, err := svc.db.Exec(`UPDATE docs SET doc = ? WHERE id = 'auth0|ada'`, row); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v2/users/auth0|ada", "/api/v2/users"} {
			if status, body := svc.do(t, "GET", path, "", ""); status != 500 || body != internalError {
				t.Errorf("GET %s of stored %.40q: %d %.200s, want 500 %s", path, row, status, body, internalError)
			}
		}
	}
	if _, err := svc.db.Exec(`UPDATE docs SET doc = ? WHERE id = 'auth0|ada'`, `{"user_id":"auth0|ada"}`); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v2/users/auth0|ada", "/api/v2/users"} {
		if status, body := svc.do(t, "GET", path, "", ""); status != 200 {
			t.Errorf("GET %s of a sound row: %d %s", path, status, body)
		}
	}
}

// TestUncleanPaths: paths Go's ServeMux would clean and redirect (a
// doubled slash, a "." or ".." element) get the JSON 404, with or without
// a token, on the service as on the fake; an id with escaped slashes and
// dots still reaches its row.
func TestUncleanPaths(t *testing.T) {
	fake, svc := newTargets(t)
	const notFound = `{"statusCode":404,"error":"Not Found","message":"Not Found"}`
	for _, tg := range []*target{fake, svc} {
		tg.do(t, "POST", "/api/v2/users", `{"connection":"db","password":"pw","user_id":"a/../b"}`, "")
		if status, body := tg.do(t, "GET", "/api/v2/users/auth0%7Ca%2F..%2Fb", "", ""); status != 200 {
			t.Errorf("%s: an id with escaped slashes: %d %s", tg.name, status, body)
		}
		for _, p := range []string{"//api/v2/users", "/./api/v2/users", "/api/v2/users/../../x", "/api/v2//users", "/api/v2/users/x/..", "/api/v2/users/.", "/x/../api/v2/users"} {
			for _, auth := range []string{"", "-"} {
				if status, body := tg.do(t, "GET", p, "", auth); status != 404 || body != notFound {
					t.Errorf("%s: GET %s (auth %q): %d %s", tg.name, p, auth, status, body)
				}
			}
		}
	}
}
