package mgmt

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCreateUser checks the profile POST /api/v2/users makes (M3, M4):
// what the server sets, R6 at create, and no instruction stored (M2).
func TestCreateUser(t *testing.T) {
	doc, id, err := Users{}.Create([]byte(`{"connection":"db","email":"Ada@Example.com","password":"hunter2","verify_email":true,"user_id":"ada","user_metadata":{},"app_metadata":{}}`), now)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"created_at":"2026-12-02T04:05:06.789Z","email":"ada@example.com","email_verified":false,` +
		`"identities":[{"connection":"db","user_id":"ada","provider":"auth0","isSocial":false}],"name":"ada@example.com","nickname":"ada",` +
		`"picture":"https://s.gravatar.com/avatar/` + "" // checked by prefix below
	if !strings.HasPrefix(string(doc), want) {
		t.Errorf("got  %s\nwant %s…", doc, want)
	}
	if !strings.HasSuffix(string(doc), `"updated_at":"2026-12-02T04:05:06.789Z","user_id":"auth0|ada","user_metadata":{}}`) {
		t.Errorf("R6 at create: user_metadata {} is stored, app_metadata {} is not: %s", doc)
	}
	if id != "auth0|ada" {
		t.Errorf("id %q", id)
	}
	for _, s := range []string{"hunter2", "verify_email", "password", `"connection":"db","email"`} {
		if strings.Contains(string(doc), s) {
			t.Errorf("M2: %q stored: %s", s, doc)
		}
	}
	if _, _, err := (Users{}).Create([]byte(`{"email":"a@example.com"}`), now); (Users{}).Answer(err).message() != "Payload validation error: 'Missing required property: connection'." {
		t.Errorf("M4: connection is required: %v", err)
	}
}

// TestCreateClient checks the client POST /api/v2/clients makes (M3, M4).
func TestCreateClient(t *testing.T) {
	doc, id, err := Clients{}.Create([]byte(`{"name":"app","client_metadata":{}}`), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != 32 || !strings.HasPrefix(string(doc), `{"name":"app","client_id":"`+id+`","client_secret":"`) ||
		!strings.HasSuffix(string(doc), `"idle_token_lifetime":1296000},"client_metadata":{}}`) {
		t.Errorf("id %q, doc %s", id, doc)
	}
	if _, _, err := (Clients{}).Create([]byte(`{"client_metadata":{}}`), now); (Clients{}).Answer(err).message() != "Payload validation error: 'Missing required property: name'." {
		t.Errorf("M4: name is required: %v", err)
	}
}

// TestApplyUser checks what a user PATCH does after the merge (M2, M3,
// D7): stamps only when something changed, a password never stored, an
// email in lower case that unverifies the address.
func TestApplyUser(t *testing.T) {
	const stored = `{"user_id":"auth0|1","email":"a@example.com","email_verified":true,"updated_at":"2026-01-01T00:00:00.000Z","user_metadata":{"a":1}}`
	later := now.Add(time.Second)
	tests := []struct {
		name, body, want string
		changed          bool
	}{
		{"no change", `{"user_metadata":{"a":1.0}}`, stored, false},
		{"no change, null for absent key", `{"user_metadata":{"b":null},"connection":"db"}`, stored, false},
		{"change", `{"user_metadata":{"a":2}}`,
			`{"user_id":"auth0|1","email":"a@example.com","email_verified":true,"updated_at":"2026-12-02T04:05:07.789Z","user_metadata":{"a":2}}`, true},
		{"password", `{"password":"hunter2"}`,
			`{"user_id":"auth0|1","email":"a@example.com","email_verified":true,"updated_at":"2026-12-02T04:05:07.789Z","user_metadata":{"a":1},"last_password_reset":"2026-12-02T04:05:07.789Z"}`, true},
		{"new email", `{"email":"B@Example.com"}`,
			`{"user_id":"auth0|1","email":"b@example.com","email_verified":false,"updated_at":"2026-12-02T04:05:07.789Z","user_metadata":{"a":1}}`, true},
		{"new email, verified", `{"email":"b@example.com","email_verified":true}`,
			`{"user_id":"auth0|1","email":"b@example.com","email_verified":true,"updated_at":"2026-12-02T04:05:07.789Z","user_metadata":{"a":1}}`, true},
		{"same email other case", `{"email":"A@EXAMPLE.COM"}`, stored, false},
	}
	for _, tc := range tests {
		p, err := Users{}.Patch([]byte(tc.body))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, changed, err := p.Apply([]byte(stored), later)
		if err != nil || changed != tc.changed {
			t.Errorf("%s: changed %v, err %v", tc.name, changed, err)
		}
		if d := cmp.Diff(tc.want, string(got)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

// TestApplyEscapedRoot checks that the server's members are set by a
// merge: a stored profile that spells updated_at with an escape gets it
// replaced, not a second updated_at (a duplicate name).
func TestApplyEscapedRoot(t *testing.T) {
	p, _ := Users{}.Patch([]byte(`{"name":"n"}`))
	got, _, err := p.Apply([]byte(`{"updated\u005fat":"old"}`), now)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"updated\u005fat":"2026-12-02T04:05:06.789Z","name":"n"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestHostile sends the largest and deepest bodies: 1 MiB of unknown
// members, nesting at the MaxDepth ceiling of 10,000, names of 1 MiB. No
// panic, and every error answer stays small.
func TestHostile(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 10_000) + `1` + strings.Repeat(`}`, 10_000)
	long := strings.Repeat("x", 1<<20)
	var many strings.Builder
	many.WriteString(`{`)
	for i := 0; many.Len() < 1<<20; i++ {
		fmt.Fprintf(&many, `"m%d":1,`, i)
	}
	manyBody := strings.TrimSuffix(many.String(), ",") + `}`
	deepUsers := Users{}
	deepUsers.Rules.MaxDepth = 10_000
	for _, tc := range []struct {
		name   string
		r      Resource
		body   string
		status int
	}{
		{"deep at the ceiling", deepUsers, `{"user_metadata":` + deep + `}`, 400}, // 10,001 levels with the root
		{"deep, default", Users{}, `{"user_metadata":` + deep + `}`, 400},
		{"long unknown name", Users{}, `{"` + long + `":1}`, 400},
		{"long dollar name", Users{}, `{"user_metadata":{"$` + long + `":1}}`, 400},
		{"long client name", Clients{}, `{"client_metadata":{"` + long + `":"v"}}`, 400},
		{"long email", Users{}, `{"email":"` + long + `"}`, 400},
		{"1 MiB of members", Users{}, manyBody, 400},
		{"1 MiB of metadata", deepUsers, `{"user_metadata":` + manyBody + `}`, 200},
	} {
		a := patchAnswer(tc.r, `{"user_id":"u"}`, tc.body)
		if a.Status != tc.status {
			t.Errorf("%s: %d %.200s", tc.name, a.Status, a.Body)
		}
		if a.Status != 200 && len(a.Body) > maxMessage+200 {
			t.Errorf("%s: an answer of %d bytes", tc.name, len(a.Body))
		}
	}
	// A message quotes at most 64 bytes of the request's own text.
	if got, want := patchAnswer(Users{}, `{}`, `{"`+long+`":1}`).message(), "Payload validation error: 'Additional properties not allowed: "+long[:61]+"…'."; got != want {
		t.Errorf("long name quoted as %.100s…", got)
	}
}

// TestPatchAllocs bounds the allocations of the layer on a small profile,
// where MergeUser makes one: the answers of errors are built only when
// needed, and plain names are quoted without an encoder (57 and 72
// allocations before).
func TestPatchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	stored := []byte(`{"user_id":"auth0|42","email":"a@example.com","email_verified":true,"updated_at":"2026-01-01T00:00:00.000Z","user_metadata":{"theme":"dark","prefs":{"lang":"en","tz":"UTC"}},"app_metadata":{"plan":"pro"}}`)
	body := []byte(`{"user_metadata":{"prefs":{"lang":"fr"},"plan":"pro"}}`)
	check := testing.AllocsPerRun(100, func() { Users{}.Patch(body) })
	whole := testing.AllocsPerRun(100, func() {
		p, _ := Users{}.Patch(body)
		p.Apply(stored, now)
	})
	if check > 12 || whole > 26 {
		t.Errorf("Patch: %.0f allocations, Patch and Apply: %.0f; want at most 12 and 26", check, whole)
	}
}

// TestCreateUserPassword checks M4: a user of a database connection needs
// a password; one of the passwordless connections email and sms does not.
func TestCreateUserPassword(t *testing.T) {
	const want = `{"statusCode":400,"error":"Bad Request","message":"Payload validation error: 'Missing required property: password'.","errorCode":"invalid_body"}`
	for _, body := range []string{
		`{"connection":"Username-Password-Authentication","email":"a@example.com"}`,
		`{"email":"a@example.com","connection":"db"}`,
	} {
		_, _, err := Users{}.Create([]byte(body), now)
		if got := (Users{}).Answer(err); got == nil || string(got.Body) != want {
			t.Errorf("%s: got %v, want %s", body, got, want)
		}
	}
	for _, body := range []string{
		`{"connection":"email","email":"a@example.com"}`,
		`{"connection":"sms","phone_number":"+15550100"}`,
		`{"connection":"db","email":"a@example.com","password":"pw"}`,
	} {
		if _, _, err := (Users{}).Create([]byte(body), now); err != nil {
			t.Errorf("%s: %v, want it created", body, err)
		}
	}
}
