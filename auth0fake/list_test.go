package auth0fake

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// emails returns the emails of a list answer (an array, or the array
// under key).
func emails(doc, key string) string {
	r := gjson.Parse(doc)
	if key != "" {
		r = r.Get(key)
	}
	var out []string
	for _, u := range r.Array() {
		out = append(out, u.Get("email").Str)
	}
	return strings.Join(out, " ")
}

// TestListUsersPages checks pagination and the two answer shapes.
func TestListUsersPages(t *testing.T) {
	f := newFake(t, Options{})
	for i := 0; i < 5; i++ {
		f.createUser(fmt.Sprintf("u%d@example.com", i), "")
	}
	tests := []struct{ name, why, query, want string }{
		{"all", "creation order, 50 a page", "", "u0@example.com u1@example.com u2@example.com u3@example.com u4@example.com"},
		{"page 1 of 2", "page counts from 0", "?per_page=2&page=1", "u2@example.com u3@example.com"},
		{"last page", "a short last page", "?per_page=2&page=2", "u4@example.com"},
		{"past the end", "an empty page, not an error", "?per_page=2&page=9", ""},
		{"per_page 0", "an empty page", "?per_page=0", ""},
	}
	for _, tc := range tests {
		if got := emails(f.must(http.StatusOK, "GET", "/api/v2/users"+tc.query, ""), ""); got != tc.want {
			t.Errorf("%s (%s): %q, want %q", tc.name, tc.why, got, tc.want)
		}
	}
	doc := f.must(http.StatusOK, "GET", "/api/v2/users?per_page=2&page=1&include_totals=true&fields=email", "")
	want := `{"start":2,"limit":2,"length":2,"users":[{"email":"u2@example.com"},{"email":"u3@example.com"}],"total":5}`
	if doc != want {
		t.Errorf("include_totals (the recorded shape):\n got %s\nwant %s", doc, want)
	}
	// The 1000-record limit lets page 9 of 100 through.
	f.must(http.StatusOK, "GET", "/api/v2/users?per_page=100&page=9", "")
}

// TestListUsersQuery checks q, connection and sort, with metadata names
// that are gjson syntax: they must be compared, never read as paths.
func TestListUsersQuery(t *testing.T) {
	f := newFake(t, Options{})
	f.createUser("ann@example.com", `"user_metadata":{"plan":"pro","*":"star","#":"hash","@this":"at","a|b":"pipe","a?":"q","x:y":"colon","tags":["red","blue"],"age":42,"addr":{"city":"Oslo"}},"app_metadata":{"tier":{"level":3},"beta":true}`)
	f.createUser("bob@example.com", `"user_metadata":{"plan":"free","ab":"star","a":{"b":"pipe"},"tags":"red"},"app_metadata":{"beta":false}`)
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"password":"pw","connection":"other","email":"cat@example.com","user_metadata":{"plan":"pro plan"}}`)

	tests := []struct{ name, why, q, want string }{
		{"email", "emails ignore case", "email:ANN@example.com", "ann@example.com"},
		{"email prefix", "a trailing * is a prefix", "email:b*", "bob@example.com"},
		{"metadata value", "user_metadata.<key>:value", "user_metadata.plan:pro", "ann@example.com"},
		{"quoted", "a quoted value with a space", `user_metadata.plan:"pro plan"`, "cat@example.com"},
		{"quoted escape", `\" in a quoted value`, `user_metadata.plan:"pro\" plan"`, ""},
		{"nested", "a dotted path walks into objects", "user_metadata.addr.city:Oslo", "ann@example.com"},
		{"app nested number", "numbers compare as written", "app_metadata.tier.level:3", "ann@example.com"},
		{"boolean", "booleans compare as written", "app_metadata.beta:false", "bob@example.com"},
		{"number", "a number", "user_metadata.age:42", "ann@example.com"},
		{"array", "an array matches when an element does", "user_metadata.tags:blue", "ann@example.com"},
		{"array or string", "a string and an array element both match", "user_metadata.tags:red", "ann@example.com bob@example.com"},
		{"star name", `the name "*", escaped, is not a wildcard`, `user_metadata.\*:star`, "ann@example.com"},
		{"hash name", `the name "#" is not gjson's count`, "user_metadata.#:hash", "ann@example.com"},
		{"at name", `the name "@this" is not a gjson modifier`, "user_metadata.@this:at", "ann@example.com"},
		{"pipe name", `the name "a|b" is not a gjson pipe; bob's a.b is not it`, "user_metadata.a|b:pipe", "ann@example.com"},
		{"nested not pipe", "bob's a.b is a path", "user_metadata.a.b:pipe", "bob@example.com"},
		{"question name", `the name "a?", escaped, is not a wildcard`, `user_metadata.a\?:q`, "ann@example.com"},
		{"colon name", "an escaped colon in a name", `user_metadata.x\:y:colon`, "ann@example.com"},
		{"exists", "_exists_ selects users with the member", "_exists_:app_metadata.tier", "ann@example.com"},
		{"star value", "field:* is _exists_", "app_metadata.tier:*", "ann@example.com"},
		{"and", "terms joined by AND all match", "user_metadata.plan:pro AND email:ann@example.com", "ann@example.com"},
		{"space", "white space is AND", "user_metadata.plan:pro email:bob@example.com", ""},
		{"identities", "arrays on the way are looked into", "identities.connection:other", "cat@example.com"},
		{"empty", "an empty q selects all", " ", "ann@example.com bob@example.com cat@example.com"},
	}
	for _, tc := range tests {
		got := emails(f.must(http.StatusOK, "GET", "/api/v2/users?q="+url.QueryEscape(tc.q), ""), "")
		if got != tc.want {
			t.Errorf("%s (%s): q=%s: %q, want %q", tc.name, tc.why, tc.q, got, tc.want)
		}
	}
	if got := emails(f.must(http.StatusOK, "GET", "/api/v2/users?connection=other", ""), ""); got != "cat@example.com" {
		t.Errorf("connection filter: %q", got)
	}
	if got := emails(f.must(http.StatusOK, "GET", "/api/v2/users?sort=email:-1", ""), ""); got != "cat@example.com bob@example.com ann@example.com" {
		t.Errorf("sort=email:-1: %q", got)
	}
	if got := emails(f.must(http.StatusOK, "GET", "/api/v2/users?sort=user_metadata.age:1", ""), ""); got != "ann@example.com bob@example.com cat@example.com" {
		t.Errorf("sort by a member some lack (they come last, in creation order): %q", got)
	}
}

// TestListClients checks the client list, its shape and its filters.
func TestListClients(t *testing.T) {
	f := newFake(t, Options{})
	a := f.createClient(`"app_type":"spa","client_metadata":{"env":"prod","a*b":"x"}`)
	b := f.createClient(`"app_type":"regular_web","is_first_party":false,"client_metadata":{"env":"dev"}`)
	ids := func(doc, key string) string {
		r := gjson.Parse(doc)
		if key != "" {
			r = r.Get(key)
		}
		var out []string
		for _, c := range r.Array() {
			switch c.Get("client_id").Str {
			case a:
				out = append(out, "a")
			case b:
				out = append(out, "b")
			default:
				out = append(out, "?")
			}
		}
		return strings.Join(out, " ")
	}
	tests := []struct{ name, why, query, want string }{
		{"all", "creation order", "", "a b"},
		{"q metadata", "client_metadata.<key>:value", "?q=" + url.QueryEscape("client_metadata.env:dev"), "b"},
		{"q odd name", "a name with * compared, not matched", "?q=" + url.QueryEscape(`client_metadata.a\*b:x`), "a"},
		{"app_type", "a comma-separated list", "?app_type=spa,native", "a"},
		{"is_first_party", "a boolean filter", "?is_first_party=false", "b"},
		{"is_global", "no client of the fake is global", "?is_global=true", ""},
		{"page", "pages as for users", "?per_page=1&page=1", "b"},
	}
	for _, tc := range tests {
		if got := ids(f.must(http.StatusOK, "GET", "/api/v2/clients"+tc.query, ""), ""); got != tc.want {
			t.Errorf("%s (%s): %q, want %q", tc.name, tc.why, got, tc.want)
		}
	}
	doc := f.must(http.StatusOK, "GET", "/api/v2/clients?include_totals=true&per_page=1&fields=client_id", "")
	want := `{"total":2,"start":0,"limit":1,"clients":[{"client_id":"` + a + `"}]}`
	if doc != want {
		t.Errorf("include_totals (the recorded shape):\n got %s\nwant %s", doc, want)
	}
}
