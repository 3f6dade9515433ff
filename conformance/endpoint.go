package conformance

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
)

// EndpointCase is a case of the Management API's own rules (M1–M7 of the
// contract's management-api.md) around the merge: the request schemas,
// the instruction members, the members a server owns, the create, the
// error envelope, concurrent PATCHes and lookups. Only the HTTP profile
// plays them: a sequence of requests about one created user or client,
// each with what it must answer. They live in vectors/http/*.json.
type EndpointCase struct {
	Name    string   `json:"name"`
	Comment string   `json:"comment"`
	Rules   []string `json:"rules"`
	Tags    []string `json:"tags,omitempty"`
	// Kind is "user" (/api/v2/users) or "client" (/api/v2/clients).
	Kind  string `json:"kind"`
	Steps []Step `json:"steps"`
	// Pending, when not empty, says why the profile skips the case for
	// now (a known defect of a server the suite is run against in CI).
	Pending string `json:"pending,omitempty"`
	File    string `json:"-"`
}

// Step is one request of an EndpointCase and what its answer must be.
type Step struct {
	// Method is POST (the create, which gives the case its user or
	// client), PATCH, GET or DELETE.
	Method string `json:"method"`
	// Target is what the request is about: "" for the created user or
	// client (the collection for POST), "missing" for an id no server
	// holds, "users" for the collection of users, "users-by-email".
	Target string `json:"target,omitempty"`
	// Query is the query string, NAME=VALUE pairs joined by "&", where
	// {email} is the created user's email and {EMAIL} the same in upper
	// case; each value is escaped by the runner.
	Query string `json:"query,omitempty"`
	// Body is the request body as document text. For a POST the runner
	// adds the members a create needs first (connection, email, password
	// for a user; name for a client), unless Bare.
	Body *string `json:"body,omitempty"`
	Bare bool    `json:"bare,omitempty"`
	// Concurrent, for a PATCH, are bodies sent at the same time instead
	// of Body; each answer must be Status.
	Concurrent []string `json:"concurrent,omitempty"`

	// Status is the answer's status. An error answer (4xx, 5xx) must be
	// Auth0's envelope {"statusCode","error","message","errorCode"}, its
	// members in that order (errorCode may be absent).
	Status int `json:"status"`
	// ErrorCode and Message, when not empty, are the envelope's.
	ErrorCode string `json:"error_code,omitempty"`
	Message   string `json:"message,omitempty"`
	// Members are root members of the answer: each value document text
	// compared with SameJSON, or null for a member that must be absent.
	Members map[string]*string `json:"members,omitempty"`
	// Kept are root members whose value must be the create answer's.
	Kept []string `json:"kept,omitempty"`
	// HasKeys are, for a metadata field of the answer, keys it must hold,
	// in any order.
	HasKeys map[string][]string `json:"has_keys,omitempty"`
	// Found, when set, is how many elements of the answer, a JSON array,
	// are the created user.
	Found *int `json:"found,omitempty"`
	// Eventually repeats the request, a second apart for up to 10
	// seconds, until its answer is right: for a search index that lags.
	Eventually bool `json:"eventually,omitempty"`
}

// endpointFile is one file of vectors/http.
type endpointFile struct {
	Description string         `json:"description"`
	Cases       []EndpointCase `json:"cases"`
}

// LoadEndpoint reads every *.json file at the root of fsys as a file of
// endpoint cases, in name order, and checks them.
func LoadEndpoint(fsys fs.FS) ([]EndpointCase, error) {
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	var all []EndpointCase
	seen := map[string]bool{}
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var f endpointFile
		if err := decodeStrict(data, &f); err != nil {
			return nil, fmt.Errorf("conformance: %s: %v", name, err)
		}
		for _, c := range f.Cases {
			c.File = path.Base(name)
			if err := c.check(); err != nil {
				return nil, fmt.Errorf("conformance: %s: case %q: %v", name, c.Name, err)
			}
			if seen[c.Name] {
				return nil, fmt.Errorf("conformance: case %q twice", c.Name)
			}
			seen[c.Name] = true
			all = append(all, c)
		}
	}
	return all, nil
}

func (c EndpointCase) check() error {
	if c.Name == "" || c.Comment == "" || len(c.Rules) == 0 {
		return fmt.Errorf("a case needs a name, a comment and its rules")
	}
	if c.Kind != "user" && c.Kind != "client" {
		return fmt.Errorf("kind %q: want user or client", c.Kind)
	}
	if len(c.Steps) == 0 || c.Steps[0].Method != "POST" {
		return fmt.Errorf("the first step must be the create (POST)")
	}
	for i, s := range c.Steps {
		if !slices.Contains([]string{"POST", "PATCH", "GET", "DELETE"}, s.Method) {
			return fmt.Errorf("step %d: method %q", i, s.Method)
		}
		if !slices.Contains([]string{"", "missing", "users", "users-by-email"}, s.Target) {
			return fmt.Errorf("step %d: target %q", i, s.Target)
		}
		if s.Status < 100 || s.Status > 599 {
			return fmt.Errorf("step %d: status %d", i, s.Status)
		}
		for name, v := range s.Members {
			if v != nil && !json.Valid([]byte(*v)) {
				return fmt.Errorf("step %d: member %s: not JSON text", i, name)
			}
		}
	}
	return nil
}

// EndpointVectors returns the endpoint cases embedded in this module
// (vectors/http/*.json). It panics if they do not load: they are part of
// this module and checked by its tests.
func EndpointVectors() []EndpointCase {
	sub, err := fs.Sub(FS, "vectors/http")
	if err != nil {
		panic(err)
	}
	cases, err := LoadEndpoint(sub)
	if err != nil {
		panic(err)
	}
	return cases
}
