package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/metamerge/metamerge/conformance"
)

// The HTTP profile of the conformance suite (conformance/HTTP.md): each
// case of the profile is played against a Management API server: a user
// (or client) is created holding the case's stored metadata, PATCHed with
// the case's patch, read back, compared, and deleted.

// maxResponse bounds the body of one answer the runner reads: the
// profile's largest answer is a few hundred kilobytes. A longer answer
// fails the case.
const maxResponse = 8 << 20

// maxRetries is how many times one request is sent again after a 429.
const maxRetries = 6

// maxRetryWait bounds one wait after a 429, whatever Retry-After says.
const maxRetryWait = 60 * time.Second

// cleanupTimeout bounds the deletion of what a run left behind, after an
// interruption or a refused token.
const cleanupTimeout = 30 * time.Second

// httpRun plays cases against one server.
type httpRun struct {
	tally
	api        string // BASE + "/api/v2/"
	token      string
	connection string
	timeout    time.Duration // per request
	every      time.Duration // the least time between two requests (-rate)
	client     *http.Client

	runID    string
	seq      int
	paceMu   sync.Mutex
	next     time.Time         // when the next request may go (-rate)
	live     map[string]bool   // paths of what was created and not yet deleted
	secret   map[string]string // text that must not reach the output, and what stands for it
	redactor *redactor         // secret, ready; nil when it changed
}

// fatalError ends a run: the server refused the token, or the run was
// interrupted.
type fatalError struct{ msg string }

func (e *fatalError) Error() string { return e.msg }

func newHTTPRun(base, token string) (*httpRun, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-http %q: want the server's root URL, such as http://127.0.0.1:8080 or https://TENANT.auth0.com", base)
	}
	if token == "" {
		return nil, fmt.Errorf("-http needs a token: -token T, or the environment variable METAMERGE_TOKEN")
	}
	if len(token) < minToken {
		return nil, fmt.Errorf("-token: a token of %d bytes is too short to be hidden in what the runner writes; want %d or more", len(token), minToken)
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	h := &httpRun{
		api:    strings.TrimRight(base, "/") + "/api/v2/",
		token:  token,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		runID:  hex.EncodeToString(id[:]),
		live:   map[string]bool{},
		secret: map[string]string{},
	}
	h.hide(token, "{token}")
	h.hide(u.Host, "{host}") // a transport error names it ("dial tcp: lookup TENANT.auth0.com")
	h.hide(u.Hostname(), "{host}")
	return h, nil
}

// hide makes s appear as stand in every text the run writes, in every
// spelling a server could echo it in (redactText): a secret of any
// length, so that a short id is hidden too, at the cost of its letters
// elsewhere in the text.
func (h *httpRun) hide(s, stand string) {
	if s != "" && h.secret[s] != stand {
		h.secret[s] = stand
		h.redactor = newRedactor(h.secret) // here, not in redact, which concurrent requests call
	}
}

// redact replaces every hidden string in s, in every spelling redactText
// sees through.
func (h *httpRun) redact(s string) string {
	if h.redactor == nil {
		return s // nothing hidden yet
	}
	return h.redactor.redact(s)
}

// runAll plays cases in order until ctx is done or a fatal answer, then
// deletes what is left; it returns the exit status.
func (h *httpRun) runAll(ctx context.Context, cases []conformance.Case, endpoints []conformance.EndpointCase) int {
	var fatal error
	for _, c := range cases {
		if ctx.Err() != nil {
			fatal = &fatalError{"interrupted"}
			break
		}
		if !c.HTTP {
			reason := c.NoHTTP
			if reason == "" {
				reason = conformance.HTTPReason(c)
			}
			h.record(c, "skip", "not in the HTTP profile: "+reason)
			continue
		}
		why, err := h.play(ctx, c)
		if fatal = h.settle(ctx, c, why, err); fatal != nil {
			break
		}
	}
	for _, c := range endpoints {
		if fatal != nil {
			break
		}
		if ctx.Err() != nil {
			fatal = &fatalError{"interrupted"}
			break
		}
		rc := conformance.Case{Name: c.Name, File: "http/" + c.File, Rules: c.Rules, Comment: c.Comment}
		if c.Pending != "" {
			h.record(rc, "skip", "pending: "+c.Pending)
			continue
		}
		why, err := h.playEndpoint(ctx, c)
		if fatal = h.settle(ctx, rc, why, err); fatal != nil {
			break
		}
	}
	h.cleanup()
	fmt.Fprintf(h.out, "%d passed, %d failed, %d skipped\n", h.passed, h.failed, h.skipped)
	if fatal != nil {
		fmt.Fprintf(h.out, "metamerge conformance: %s\n", h.redact(fatal.Error()))
		return exitUsage
	}
	if h.failed > 0 {
		return exitViolations
	}
	return exitOK
}

// settle records the outcome of a case played: failed with why, or
// passed. It returns the error that ends the run instead: the server's
// (a refused token) or an interruption, and records nothing then.
func (h *httpRun) settle(ctx context.Context, c conformance.Case, why string, err error) error {
	if fe := (*fatalError)(nil); errors.As(err, &fe) {
		return err
	}
	if ctx.Err() != nil {
		return &fatalError{"interrupted"}
	}
	if why != "" {
		h.record(c, "fail", why)
	} else {
		h.record(c, "pass", "")
	}
	return nil
}

// record counts a case and prints it when it failed (or always, with -v),
// its reason with every secret hidden, escaped and cut, as the harness
// runner shows its reasons; with -report, it writes one JSON line.
func (h *httpRun) record(c conformance.Case, status, reason string) {
	h.tally.record(c, status, reasonText(h.redact(reason)))
}

// kind is what a case creates: its collection and the member that holds
// its id.
type kind struct {
	collection, idMember string
}

// play runs one case and returns why it failed, or "". The error is a
// fatalError, or ctx's.
func (h *httpRun) play(ctx context.Context, c conformance.Case) (string, error) {
	in := c.Input
	k := kind{"users", "user_id"}
	if in.Op == "merge_client" {
		k = kind{"clients", "client_id"}
	}
	fields := conformance.HTTPFields(in.Op)
	h.seq++
	create, _ := h.createBody(in.Op, conformance.HTTPCreate(in.Op, in.Stored))
	a, err := h.do(ctx, "POST", k.collection, create)
	if err != nil {
		return "create: " + err.Error(), fatalOrNil(err)
	}
	if a.status != http.StatusCreated && a.status != http.StatusOK || !isObject(a.body) {
		return fmt.Sprintf("create: want 201 and the document, got %s", h.show(a)), nil
	}
	idRaw, ok := conformance.Member(a.body, k.idMember)
	var id string
	if !ok || json.Unmarshal(idRaw, &id) != nil || id == "" {
		return fmt.Sprintf("create: the answer has no %s: %s", k.idMember, h.show(a)), nil
	}
	path := k.collection + "/" + pathSegment(id)
	h.live[path] = true
	h.hideID(id, a.body)
	defer h.remove(path)
	if d := h.compareFields(fields, in.Stored, a.body, "the create stored"); d != "" {
		return d, nil
	}

	a, err = h.do(ctx, "PATCH", path, in.Patch)
	if err != nil {
		return "PATCH: " + err.Error(), fatalOrNil(err)
	}
	want := c.Want
	var why strings.Builder
	if len(want.Errors) > 0 {
		why.WriteString(h.checkRefusal(c, a))
	} else if a.status != http.StatusOK || !isObject(a.body) {
		fmt.Fprintf(&why, "PATCH: want 200 and the merged document, got %s\n", h.show(a))
	} else {
		why.WriteString(h.compareFields(fields, want.Result, a.body, "the PATCH answered"))
	}

	// Read back: the stored state is the merged result, or, after a
	// refusal, what was there before (H7).
	after := want.Result
	if len(want.Errors) > 0 {
		after = in.Stored
	}
	a, err = h.do(ctx, "GET", path, nil)
	switch {
	case err != nil:
		fmt.Fprintf(&why, "GET: %v\n", err)
	case a.status != http.StatusOK || !isObject(a.body):
		fmt.Fprintf(&why, "GET: want 200 and the document, got %s\n", h.show(a))
	default:
		why.WriteString(h.compareFields(fields, after, a.body, "read back, the server holds"))
	}
	return why.String(), fatalOrNil(err)
}

// checkRefusal checks the answer to a PATCH the rules refuse: 400 in
// Auth0's envelope, errorCode invalid_body, and, on a case tagged
// auth0_message, Auth0's message of the first violation.
func (h *httpRun) checkRefusal(c conformance.Case, a *reply) string {
	var env struct {
		StatusCode *int    `json:"statusCode"`
		Error      *string `json:"error"`
		Message    *string `json:"message"`
		ErrorCode  *string `json:"errorCode"`
	}
	first := c.Want.Errors[0]
	if a.status != http.StatusBadRequest {
		return fmt.Sprintf("PATCH: want 400 for %s at %q, got %s\n", first.Code, cut([]byte(first.Pointer)), h.show(a))
	}
	if err := json.Unmarshal(a.body, &env); err != nil || env.StatusCode == nil || env.Message == nil || env.ErrorCode == nil {
		return fmt.Sprintf("PATCH: want Auth0's error envelope {statusCode, error, message, errorCode}, got %s\n", h.show(a))
	}
	var b strings.Builder
	if *env.StatusCode != a.status {
		fmt.Fprintf(&b, "PATCH: statusCode %d in a %d answer\n", *env.StatusCode, a.status)
	}
	if *env.ErrorCode != "invalid_body" {
		fmt.Fprintf(&b, "PATCH: want errorCode \"invalid_body\", got %q\n", *env.ErrorCode)
	}
	if hasTag(c, "auth0_message") && first.Auth0Message != "" && *env.Message != first.Auth0Message {
		fmt.Fprintf(&b, "PATCH: want Auth0's message %q, got %q\n", first.Auth0Message, cut([]byte(h.redact(*env.Message))))
	}
	return b.String()
}

// isObject reports whether doc is a valid JSON object (within
// encoding/json's nesting limit).
func isObject(doc []byte) bool {
	doc = bytes.TrimSpace(doc)
	return len(doc) > 0 && doc[0] == '{' && json.Valid(doc)
}

func hasTag(c conformance.Case, tag string) bool {
	for _, t := range c.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// compareFields compares the metadata fields of want and got (documents),
// and shows each that differs as a line diff. What the server sent is
// shown with the hidden strings hidden, before any cut.
func (h *httpRun) compareFields(fields []string, want, got []byte, what string) string {
	var b strings.Builder
	for _, f := range fields {
		w, wok := conformance.Member(want, f)
		g, gok := conformance.Member(got, f)
		if !wok {
			w = nil
		}
		if !gok {
			g = nil
		}
		if conformance.SameJSON(w, g) { // compared as sent: a hidden short id may be a letter of the data
			continue
		}
		if gok {
			g = []byte(h.redact(string(g)))
		}
		switch {
		case g == nil:
			fmt.Fprintf(&b, "%s no %s; want %s\n", what, f, cut(w))
		case w == nil:
			fmt.Fprintf(&b, "%s %s %s; want none\n", what, f, cut(g))
		default:
			d := conformance.Case{Want: conformance.Output{Result: w}}.Check(conformance.Output{Result: g})
			if d == "" { // equal by meaning but in another order, or the other way round
				d = fmt.Sprintf("  want %s\n   got %s\n", cut(w), cut(g))
			}
			fmt.Fprintf(&b, "%s another %s:\n%s", what, f, indentLines(strings.TrimRight(d, "\n"), "  ")+"\n")
		}
	}
	return b.String()
}

// hideID hides the id of a created user or client, in every spelling a
// text may hold (escaped in a path, the identity's part after "|"), and
// its client_secret.
func (h *httpRun) hideID(id string, created []byte) {
	h.hide(id, "{id}")
	h.hide(pathSegment(id), "{id}")
	if _, local, ok := strings.Cut(id, "|"); ok {
		h.hide(local, "{id}") // the identity's user_id
	}
	if s, ok := conformance.Member(created, "client_secret"); ok {
		h.hide(strings.Trim(string(s), `"`), "{client_secret}")
	}
}

// createBody returns the body of the create request, the members a server
// needs (unique per run) then those of members (an object's text, or
// nil), and the email of the user it creates.
func (h *httpRun) createBody(op string, members []byte) ([]byte, string) {
	var b bytes.Buffer
	var email string
	if op == "merge_client" {
		name := fmt.Sprintf("metamerge-conformance-%s-%d", h.runID, h.seq)
		fmt.Fprintf(&b, `{"name":%q`, name)
	} else {
		email = fmt.Sprintf("metamerge-conformance-%s-%d@example.com", h.runID, h.seq)
		var pw [12]byte
		_, _ = rand.Read(pw[:])
		password := "Mm1!" + hex.EncodeToString(pw[:])
		fmt.Fprintf(&b, `{"connection":%q,"email":%q,"password":%q`, h.connection, email, password)
		h.hide(email, "{email}")
		h.hide(password, "{password}")
	}
	members = bytes.TrimSpace(members)
	if len(members) > 2 {
		b.WriteByte(',')
		b.Write(members[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), email
}

// remove deletes what a case created; a failure is told, with the path, on
// the terminal (never in the report), so that it can be deleted by hand.
// It runs also after the run was interrupted, so its context is its own:
// the wait for a -rate slot is not counted, the DELETE then has -timeout
// for its answer and cleanupTimeout more for 429 retries.
func (h *httpRun) remove(path string) {
	_ = h.pace(context.Background()) // never done: waits out the slot, at most minRate's 100 s a request ahead
	ctx, cancel := context.WithTimeout(context.Background(), h.timeout+cleanupTimeout)
	defer cancel()
	a, err := h.send(ctx, "DELETE", path, nil, true)
	switch {
	case err != nil:
		fmt.Fprintf(h.out, "could not delete %s: %v\n", path, err)
	case a.status != http.StatusNoContent && a.status != http.StatusOK:
		fmt.Fprintf(h.out, "could not delete %s: %s\n", path, h.show(a))
	default:
		delete(h.live, path)
	}
}

// cleanup deletes what is left, after an interruption. It starts a
// deletion while cleanupTimeout, plus one -rate slot for each, has not
// passed since it began; what it could not start is named.
func (h *httpRun) cleanup() {
	deadline := time.Now().Add(cleanupTimeout + time.Duration(len(h.live))*h.every)
	for _, path := range slices.Sorted(maps.Keys(h.live)) {
		if time.Now().After(deadline) {
			fmt.Fprintf(h.out, "left behind: %s\n", path)
			continue
		}
		h.remove(path)
	}
}

func fatalOrNil(err error) error {
	if fe := (*fatalError)(nil); errors.As(err, &fe) {
		return err
	}
	return nil
}

// reply is one answer of the server.
type reply struct {
	status int
	body   []byte
}

// show describes an answer for a message, hidden strings hidden before it
// is cut, so that no part of one shows.
func (h *httpRun) show(a *reply) string {
	return fmt.Sprintf("%d %s", a.status, cut([]byte(h.redact(string(a.body)))))
}

// do sends one request, within the per-request timeout and the -rate, and
// reads the answer up to maxResponse bytes. A 429 is waited out, as
// Retry-After (or X-RateLimit-Reset) says, up to maxRetries times. A 401
// or 403 is a fatalError: no case can pass with that token.
func (h *httpRun) do(ctx context.Context, method, path string, body []byte) (*reply, error) {
	return h.send(ctx, method, path, body, false)
}

// send is do; paced says that the first attempt's -rate slot was already
// waited for.
func (h *httpRun) send(ctx context.Context, method, path string, body []byte, paced bool) (*reply, error) {
	for attempt := 0; ; attempt++ {
		if attempt > 0 || !paced {
			if err := h.pace(ctx); err != nil {
				return nil, err
			}
		}
		a, resp, err := h.once(ctx, method, path, body)
		if err != nil {
			return nil, err
		}
		switch a.status {
		case http.StatusUnauthorized:
			return nil, &fatalError{fmt.Sprintf("the server refused the token (%s): check -token; an Auth0 Management API token expires (24 hours by default)", h.show(a))}
		case http.StatusForbidden:
			return nil, &fatalError{fmt.Sprintf("the token may not %s /api/v2/%s (%s): it needs the scopes create:users read:users update:users delete:users (and the same for clients)", method, h.redact(path), h.show(a))}
		case http.StatusTooManyRequests:
			if attempt == maxRetries {
				return nil, fmt.Errorf("still 429 after %d retries: lower -rate", maxRetries)
			}
			if err := sleep(ctx, retryAfter(resp.Header, attempt, time.Now())); err != nil {
				return nil, err
			}
			continue
		}
		return a, nil
	}
}

// once sends one request and reads its answer.
func (h *httpRun) once(ctx context.Context, method, path string, body []byte) (*reply, *http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.api+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, nil, h.transportError(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, nil, h.transportError(err)
	}
	if len(data) > maxResponse {
		return nil, nil, fmt.Errorf("%d answer over %d bytes", resp.StatusCode, maxResponse)
	}
	return &reply{resp.StatusCode, data}, resp, nil
}

// transportError words a failed exchange without the URL, which holds ids.
func (h *httpRun) transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer within %v (-timeout)", h.timeout)
	}
	return err
}

// pace waits until the next request may go under -rate.
func (h *httpRun) pace(ctx context.Context) error {
	if h.every <= 0 {
		return nil
	}
	h.paceMu.Lock()
	now := time.Now()
	if h.next.Before(now) {
		h.next = now
	}
	at := h.next
	h.next = h.next.Add(h.every)
	h.paceMu.Unlock()
	return sleep(ctx, at.Sub(now))
}

// retryAfter is how long to wait after a 429: Retry-After in seconds or
// as an HTTP date, else Auth0's X-RateLimit-Reset (Unix seconds), else 1,
// 2, 4… seconds; at most maxRetryWait.
func retryAfter(hd http.Header, attempt int, now time.Time) time.Duration {
	d := time.Second << min(attempt, 5)
	if v := hd.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseUint(v, 10, 64); err == nil || isDigits(v) {
			d = maxRetryWait // saturated: s*time.Second would overflow past 292 years
			if err == nil && s < uint64(maxRetryWait/time.Second) {
				d = time.Duration(s) * time.Second
			}
		} else if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(now)
		}
	} else if v := hd.Get("X-RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Unix(s, 0).Sub(now)
		}
	}
	return min(max(d, 0), maxRetryWait)
}

// isDigits reports whether v is one or more ASCII digits.
func isDigits(v string) bool {
	return v != "" && strings.Trim(v, "0123456789") == ""
}

// minRate is the slowest -rate: one request every 100 seconds, which
// makes one case (4 requests) last about 7 minutes.
const minRate = 0.01

// rateInterval turns -rate into the least time between two requests: 0
// for no limit, an error for a rate that is not a number, negative, or
// below minRate.
func rateInterval(rate float64) (time.Duration, error) {
	switch {
	case rate == 0:
		return 0, nil
	case math.IsNaN(rate) || math.IsInf(rate, 0) || rate < minRate:
		return 0, fmt.Errorf("-rate %v: want 0 (no limit) or a number of requests a second from %v up", rate, minRate)
	}
	return time.Duration(float64(time.Second) / rate), nil
}

// pathSegment escapes an id as one segment of a path: url.PathEscape
// leaves "." alone, and a segment "." or ".." would be read as a step up
// by any server or proxy that cleans paths.
func pathSegment(id string) string {
	s := url.PathEscape(id)
	if s == "." || s == ".." {
		s = strings.ReplaceAll(s, ".", "%2E")
	}
	return s
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
