package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/metamerge/metamerge/conformance"
)

// eventualFor bounds how long a step marked eventually is repeated.
const eventualFor = 10 * time.Second

// endpointState is what the steps of one endpoint case share.
type endpointState struct {
	k       kind
	path    string // the created user or client, once created
	id      string
	email   string
	created []byte // the create's answer
}

// playEndpoint runs the steps of an endpoint case (M1–M7) and returns
// why it failed, or "". The error is a fatalError, or ctx's.
func (h *httpRun) playEndpoint(ctx context.Context, c conformance.EndpointCase) (string, error) {
	st := &endpointState{k: kind{"users", "user_id"}}
	if c.Kind == "client" {
		st.k = kind{"clients", "client_id"}
	}
	h.seq++
	defer func() {
		if st.path != "" {
			h.remove(st.path)
		}
	}()
	for i, s := range c.Steps {
		why, err := h.step(ctx, c, s, st)
		if err != nil {
			return fmt.Sprintf("step %d (%s): %v", i+1, s.Method, err), fatalOrNil(err)
		}
		if why != "" {
			return fmt.Sprintf("step %d (%s %s):\n%s", i+1, s.Method, cmpOrTarget(s.Target), why), nil
		}
	}
	return "", nil
}

func cmpOrTarget(t string) string {
	if t == "" {
		return "the created one"
	}
	return t
}

// step sends one step, repeating it while it is marked eventually and its
// answer is wrong, and checks the answer.
func (h *httpRun) step(ctx context.Context, c conformance.EndpointCase, s conformance.Step, st *endpointState) (string, error) {
	deadline := time.Now().Add(eventualFor)
	for {
		why, err := h.stepOnce(ctx, c, s, st)
		if err != nil || why == "" || !s.Eventually || time.Now().After(deadline) {
			return why, err
		}
		if err := sleep(ctx, time.Second); err != nil {
			return "", err
		}
	}
}

func (h *httpRun) stepOnce(ctx context.Context, c conformance.EndpointCase, s conformance.Step, st *endpointState) (string, error) {
	var p string
	switch s.Target {
	case "":
		p = st.path
		if s.Method == "POST" {
			p = st.k.collection
		} else if p == "" {
			return "nothing was created", nil
		}
	case "missing":
		if st.k.collection == "users" {
			p = "users/" + url.PathEscape("auth0|000000000000000000000000")
		} else {
			p = "clients/" + strings.Repeat("0", 32)
		}
	default:
		p = s.Target
	}
	if s.Query != "" {
		p += "?" + h.query(s.Query, st.email)
	}
	var body []byte
	if s.Body != nil {
		body = []byte(*s.Body)
	}
	if s.Method == "POST" && !s.Bare {
		op := "merge_user"
		if st.k.collection == "clients" {
			op = "merge_client"
		}
		body, st.email = h.createBody(op, body)
	}
	if len(s.Concurrent) > 0 {
		return h.concurrent(ctx, s, p)
	}
	a, err := h.do(ctx, s.Method, p, body)
	if err != nil {
		return "", err
	}
	if s.Method == "POST" && a.status/100 == 2 {
		h.adopt(a, st) // also when the create should have failed: it is deleted
	}
	return h.checkStep(s, a, st), nil
}

// adopt takes the created user or client of a create's answer.
func (h *httpRun) adopt(a *reply, st *endpointState) {
	raw, ok := conformance.Member(a.body, st.k.idMember)
	var id string
	if !ok || json.Unmarshal(raw, &id) != nil || id == "" {
		return
	}
	st.id, st.created = id, a.body
	st.path = st.k.collection + "/" + pathSegment(id)
	h.live[st.path] = true
	h.hideID(id, a.body)
}

// query builds a query string from NAME=VALUE pairs, with the created
// user's email in place of {email} (and {EMAIL} in upper case), each
// value escaped.
func (h *httpRun) query(q, email string) string {
	var parts []string
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		v = strings.ReplaceAll(v, "{email}", email)
		v = strings.ReplaceAll(v, "{EMAIL}", strings.ToUpper(email))
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

// concurrent sends the step's bodies at once and checks each answer's
// status.
func (h *httpRun) concurrent(ctx context.Context, s conformance.Step, p string) (string, error) {
	answers := make([]*reply, len(s.Concurrent))
	errs := make([]error, len(s.Concurrent))
	var wg sync.WaitGroup
	for i, b := range s.Concurrent {
		wg.Go(func() { answers[i], errs[i] = h.do(ctx, s.Method, p, []byte(b)) })
	}
	wg.Wait()
	var why strings.Builder
	for i, a := range answers {
		switch {
		case errs[i] != nil:
			if fatalOrNil(errs[i]) != nil {
				return "", errs[i]
			}
			fmt.Fprintf(&why, "body %d: %v\n", i+1, errs[i])
		case a.status != s.Status:
			fmt.Fprintf(&why, "body %d: want %d, got %s\n", i+1, s.Status, h.show(a))
		}
	}
	return why.String(), nil
}

// envelope is the order of the members of Auth0's error answer.
var envelope = []string{"statusCode", "error", "message", "errorCode"}

// checkStep checks one answer against its step.
func (h *httpRun) checkStep(s conformance.Step, a *reply, st *endpointState) string {
	if a.status != s.Status {
		return fmt.Sprintf("want %d, got %s\n", s.Status, h.show(a))
	}
	var b strings.Builder
	if a.status >= 400 {
		var env struct {
			StatusCode int    `json:"statusCode"`
			Message    string `json:"message"`
			ErrorCode  string `json:"errorCode"`
		}
		names, ok := conformance.RootNames(a.body)
		if !ok || json.Unmarshal(a.body, &env) != nil || len(names) < 3 || !slices.Equal(names, envelope[:len(names)]) || env.StatusCode != a.status {
			return fmt.Sprintf("want Auth0's envelope {statusCode, error, message, errorCode} in that order, got %s\n", h.show(a))
		}
		if s.ErrorCode != "" && env.ErrorCode != s.ErrorCode {
			fmt.Fprintf(&b, "want errorCode %q, got %q\n", s.ErrorCode, env.ErrorCode)
		}
		if s.Message != "" && env.Message != s.Message {
			fmt.Fprintf(&b, "want the message %q, got %q\n", s.Message, cut([]byte(h.redact(env.Message))))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Members)) {
		want := s.Members[name]
		got, ok := conformance.Member(a.body, name)
		switch {
		case want == nil && ok:
			fmt.Fprintf(&b, "%s must be absent, got %s\n", name, cut([]byte(h.redact(string(got)))))
		case want != nil && !ok:
			fmt.Fprintf(&b, "no %s; want %s\n", name, cut([]byte(*want)))
		case want != nil && !conformance.SameJSON([]byte(*want), got):
			fmt.Fprintf(&b, "%s: want %s, got %s\n", name, cut([]byte(*want)), cut([]byte(h.redact(string(got)))))
		}
	}
	for _, name := range s.Kept {
		want, _ := conformance.Member(st.created, name)
		got, ok := conformance.Member(a.body, name)
		if !ok || !conformance.SameJSON(want, got) {
			fmt.Fprintf(&b, "%s changed: the create answered %s, now %s\n", name, cut([]byte(h.redact(string(want)))), cut([]byte(h.redact(string(got)))))
		}
	}
	for _, field := range slices.Sorted(maps.Keys(s.HasKeys)) {
		doc, _ := conformance.Member(a.body, field)
		var m map[string]json.RawMessage
		_ = json.Unmarshal(doc, &m)
		for _, k := range s.HasKeys[field] {
			if _, ok := m[k]; !ok {
				fmt.Fprintf(&b, "%s lost the key %q: %s\n", field, k, cut(doc))
			}
		}
	}
	if s.Found != nil {
		var list []map[string]json.RawMessage
		if err := json.Unmarshal(a.body, &list); err != nil {
			return b.String() + fmt.Sprintf("want a bare JSON array, got %s\n", h.show(a))
		}
		n := 0
		for _, u := range list {
			var id string
			if json.Unmarshal(u[st.k.idMember], &id) == nil && id == st.id {
				n++
			}
		}
		if n != *s.Found {
			fmt.Fprintf(&b, "want the created one %d times in the answer, found %d\n", *s.Found, n)
		}
	}
	return b.String()
}
