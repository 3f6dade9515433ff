package auth0fake

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/jsonenc"
	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// The control API (Options.Control): what a test suite in any language
// needs from the fake over HTTP, as a Go test has it from the methods of
// state.go and faults.go and from Options.Now. Its endpoints and rules
// are listed once, in the package documentation ("The control API").

// ControlPrefix starts every path of the control API (Options.Control).
// No path of Auth0's APIs starts with it.
const ControlPrefix = "/_fake/"

// maxClockStep is the largest step of a fixed clock.
const maxClockStep = 24 * time.Hour

// isControl reports whether path, a request's decoded path, is one of the
// control API's.
func isControl(path string) bool { return strings.HasPrefix(path, ControlPrefix) }

// controlRoutes adds the control API to m.
func (s *Server) controlRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /_fake/reset", s.controlReset)
	for _, c := range []struct {
		name string
		api  mgmt.Resource
		docs *collection
		put  func([]byte) error
		id   string
	}{
		{"users", mgmt.Users{}, s.users, s.PutUser, "user_id"},
		{"clients", mgmt.Clients{}, s.clients, s.PutClient, "client_id"},
	} {
		m.HandleFunc("GET /_fake/"+c.name, func(w http.ResponseWriter, r *http.Request) { writeArray(w, c.docs.all()) })
		m.HandleFunc("POST /_fake/"+c.name, s.controlSeed(c.api, c.put, c.id))
		m.HandleFunc("GET /_fake/"+c.name+"/{id}", func(w http.ResponseWriter, r *http.Request) {
			doc, ok := c.docs.get(r.PathValue("id"))
			if !ok {
				c.api.Answer(mgmt.ErrNotFound).Write(w)
				return
			}
			writeJSON(w, http.StatusOK, doc)
		})
	}
	m.HandleFunc("GET /_fake/faults", s.controlFaults)
	m.HandleFunc("POST /_fake/faults", s.controlInject)
	m.HandleFunc("DELETE /_fake/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		s.controlFaults(w, r)
	})
	m.HandleFunc("GET /_fake/clock", s.controlClock)
	m.HandleFunc("PUT /_fake/clock", s.controlSetClock)
	m.HandleFunc("DELETE /_fake/clock", func(w http.ResponseWriter, r *http.Request) {
		s.clock.unset()
		s.controlClock(w, r)
	})
}

// controlReset serves POST /_fake/reset: users, clients and faults
// removed, the clock back to the server's own; {} on success.
func (s *Server) controlReset(w http.ResponseWriter, r *http.Request) {
	s.ClearFaults()
	s.clock.unset()
	if err := s.Reset(); err != nil {
		s.fail(w, r, errInternal(), err)
		return
	}
	writeJSON(w, http.StatusOK, []byte("{}"))
}

// controlSeed serves POST /_fake/users and /_fake/clients: the body is
// stored by put as it is, and answered with 200. The errors of put
// become 400 invalid_body (not an object with a non-empty string id, or
// not valid JSON by the library: duplicate names, nesting past 100
// levels, invalid UTF-8), api's answer to ErrTaken (409 "The user
// already exists."), or 500 for a failed save.
func (s *Server) controlSeed(api mgmt.Resource, put func([]byte) error, idMember string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, a := mgmt.ReadBody(w, r, s.maxBody)
		if a != nil {
			a.Write(w)
			return
		}
		err := put(body)
		var me *metamerge.Error
		switch {
		case err == nil:
			writeJSON(w, http.StatusOK, body)
		case errors.As(err, &me):
			mgmt.Violation(me).Write(w)
		case errors.Is(err, ErrNoID):
			noID(body, idMember).Write(w)
		case errors.Is(err, mgmt.ErrTaken):
			api.Answer(err).Write(w)
		default:
			s.fail(w, r, errInternal(), err)
		}
	}
}

// noID is the 400 of a seeded document, valid JSON, without a non-empty
// string id member: what it is instead, in the schema validator's words.
func noID(doc []byte, idMember string) *mgmt.Answer {
	root := gjson.ParseBytes(doc)
	id := root.Get(idMember) // a fixed name, never a user's key
	switch {
	case !root.IsObject():
		return payload("Expected type object but found type "+jsonType(root), "")
	case !id.Exists():
		return payload("Missing required property: "+idMember, "")
	case id.Type != gjson.String:
		return payload("Expected type string but found type "+jsonType(id), idMember)
	}
	return payload("String is too short (0 chars), minimum 1", idMember)
}

// payload is a 400 invalid_body in the schema validator's wording (as
// package mgmt words its own): "Payload validation error: '<inner>' on
// property <property>", or "Payload validation error: '<inner>'." for the
// body as a whole.
func payload(inner, property string) *mgmt.Answer {
	text := "Payload validation error: '" + inner + "'."
	if property != "" {
		text = "Payload validation error: '" + inner + "' on property " + property
	}
	return mgmt.Envelope(http.StatusBadRequest, text, "invalid_body")
}

// jsonType names the JSON type of v as the schema validator does.
func jsonType(v gjson.Result) string {
	switch {
	case v.IsObject():
		return "object"
	case v.IsArray():
		return "array"
	case v.Type == gjson.String:
		return "string"
	case v.Type == gjson.True || v.Type == gjson.False:
		return "boolean"
	case v.Type == gjson.Null:
		return "null"
	case strings.ContainsAny(v.Raw, ".eE"):
		return "number"
	}
	return "integer"
}

// object reads body, a request of the control API, as a JSON object and
// calls member for each of its members in order: the library's checks
// first (valid JSON, no duplicate names, at most 100 levels), then
// "Expected type object" for anything else. It returns the first answer
// member returns, or nil.
func object(body []byte, member func(name string, v gjson.Result) *mgmt.Answer) *mgmt.Answer {
	if err := metamerge.Valid(body); err != nil {
		var me *metamerge.Error
		if errors.As(err, &me) {
			return mgmt.Violation(me)
		}
		return errInternal()
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return payload("Expected type object but found type "+jsonType(root), "")
	}
	var a *mgmt.Answer
	root.ForEach(func(k, v gjson.Result) bool {
		a = member(k.Str, v)
		return a == nil
	})
	return a
}

// unknown is the answer to a member a request of the control API does
// not have.
func unknown(name string) *mgmt.Answer {
	return payload("Additional properties not allowed: "+mgmt.Quote(name), "")
}

// stringMember reads v, the member name, as a string.
func stringMember(name string, v gjson.Result, to *string) *mgmt.Answer {
	if v.Type != gjson.String {
		return payload("Expected type string but found type "+jsonType(v), name)
	}
	*to = v.Str
	return nil
}

// intMember reads v, the member name, as an integer; one too large for an
// int is refused with the bound the caller names.
func intMember(name string, v gjson.Result, to *int, bound string) *mgmt.Answer {
	if t := jsonType(v); t != "integer" {
		return payload("Expected type integer but found type "+t, name)
	}
	n, err := strconv.Atoi(v.Raw)
	if err != nil {
		return payload(name+" is "+mgmt.Quote(v.Raw)+"; it must be "+bound, name)
	}
	*to = n
	return nil
}

// durationMember reads v, the member name, as a Go duration string
// ("1s", "250ms", "1m30s").
func durationMember(name string, v gjson.Result, to *time.Duration) *mgmt.Answer {
	if a := stringMember(name, v, new(string)); a != nil {
		return a
	}
	d, err := time.ParseDuration(v.Str)
	if err != nil {
		return payload("Invalid duration "+strconv.Quote(mgmt.Quote(v.Str))+": a Go duration such as \"1s\" or \"250ms\"", name)
	}
	*to = d
	return nil
}

// readFault reads the body of POST /_fake/faults, the JSON form of a
// Fault: method, path, times, status, retry_after and delay; times
// required, the others optional (their zero values as
// in Fault), durations as Go duration strings, then Fault's bounds, the
// member named.
func readFault(body []byte) (Fault, *mgmt.Answer) {
	var f Fault
	times := false
	a := object(body, func(name string, v gjson.Result) *mgmt.Answer {
		switch name {
		case "method":
			return stringMember(name, v, &f.Method)
		case "path":
			return stringMember(name, v, &f.Path)
		case "times":
			times = true
			return intMember(name, v, &f.Times, "1 to "+strconv.Itoa(MaxFaultTimes))
		case "status":
			return intMember(name, v, &f.Status, "0, 429 or 500 to 599")
		case "retry_after":
			return durationMember(name, v, &f.RetryAfter)
		case "delay":
			return durationMember(name, v, &f.Delay)
		}
		return unknown(name)
	})
	switch {
	case a != nil:
		return f, a
	case !times:
		return f, payload("Missing required property: times", "")
	}
	if b := f.outOfRange(); b != nil {
		return f, payload(b.member+" is "+b.value+"; it must be "+b.want, b.member)
	}
	return f, nil
}

// controlInject serves POST /_fake/faults: 201 and the fault installed,
// 400 for a body that is not a fault, 409 when 1024 are installed.
func (s *Server) controlInject(w http.ResponseWriter, r *http.Request) {
	body, a := mgmt.ReadBody(w, r, s.maxBody)
	if a != nil {
		a.Write(w)
		return
	}
	f, a := readFault(body)
	if a != nil {
		a.Write(w)
		return
	}
	switch err := s.InjectFault(f); {
	case errors.Is(err, errTooManyFaults):
		mgmt.Envelope(http.StatusConflict, strconv.Itoa(maxFaultsQueue)+" faults are installed; clear them first (DELETE "+ControlPrefix+"faults)", "too_many_faults").Write(w)
	case err != nil:
		s.fail(w, r, errInternal(), err) // readFault checked every bound
	default:
		writeJSON(w, http.StatusCreated, appendFault(nil, f))
	}
}

// controlFaults serves GET /_fake/faults: the installed faults, in the
// order they match, each with the times it has left, streamed a few at a
// time through one buffer: the answer (up to 1024 faults of 24 KiB each
// once escaped) is never held whole.
func (s *Server) controlFaults(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	b := make([]byte, 0, 2*faultFlush)
	b = append(b, '[')
	for i, f := range s.Faults() {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFault(b, f)
		if len(b) >= faultFlush {
			if _, err := w.Write(b); err != nil {
				return // the client has gone
			}
			b = b[:0]
		}
	}
	_, _ = w.Write(append(b, ']'))
}

// faultFlush is how many bytes of the fault list are gathered before they
// are written.
const faultFlush = 16 << 10

// appendFault appends f in its JSON form.
func appendFault(b []byte, f Fault) []byte {
	b = append(b, `{"method":"`...)
	b = jsonenc.AppendEscaped(b, f.Method)
	b = append(b, `","path":"`...)
	b = jsonenc.AppendEscaped(b, f.Path)
	b = append(b, `","times":`...)
	b = strconv.AppendInt(b, int64(f.Times), 10)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(f.Status), 10)
	b = append(b, `,"retry_after":"`...)
	b = append(b, f.RetryAfter.String()...)
	b = append(b, `","delay":"`...)
	b = append(b, f.Delay.String()...)
	return append(b, `"}`...)
}

// writeArray answers docs, JSON documents, as one array, streamed one
// document at a time: nothing is copied.
func writeArray(w http.ResponseWriter, docs [][]byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte{'['})
	for i, d := range docs {
		if i > 0 {
			_, _ = w.Write([]byte{','})
		}
		_, _ = w.Write(d)
	}
	_, _ = w.Write([]byte{']'})
}

// clock is the fake's clock: Options.Now (or time.Now), until the control
// API fixes it at a time that advances by a step after each write that
// stores something. Every reading is within the years 0000 to 9999, the
// ones created_at and updated_at can show (see clamp).
type clock struct {
	base  func() time.Time // Options.Now, or time.Now
	mu    sync.Mutex
	fixed bool
	next  time.Time     // with fixed: the next reading
	step  time.Duration // with fixed: added after each write that stores
	// writes, with fixed, lets one write at a time read the clock and
	// store, so that each stored write has its own reading and a
	// refused one takes none; set and unset wait for it too.
	writes sync.Mutex
}

// The first and the last instant a reading may be: Auth0's timestamps
// have a four-digit year.
var (
	firstInstant = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	lastInstant  = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// clamp returns t in UTC, held within firstInstant and lastInstant: a
// fixed clock that reaches the end of year 9999 stays there.
func clamp(t time.Time) time.Time {
	switch t = t.UTC(); {
	case t.Before(firstInstant):
		return firstInstant
	case t.After(lastInstant):
		return lastInstant
	}
	return t
}

// read returns the time without taking a step: what a write would read
// now. For the checks of a request and a 429's X-Ratelimit-Reset.
func (c *clock) read() time.Time {
	t, _, _ := c.peek()
	return t
}

// write runs store with the time of a write; store reports whether it
// stored something. With the clock fixed, writes run one at a time and
// the clock takes its step after each one that stored, never after one
// refused.
func (c *clock) write(store func(now time.Time) bool) {
	c.mu.Lock()
	fixed := c.fixed
	c.mu.Unlock()
	if !fixed {
		store(clamp(c.base()))
		return
	}
	c.writes.Lock()
	defer c.writes.Unlock()
	c.mu.Lock()
	fixed, t := c.fixed, c.next // set and unset wait for writes: both stay until the end
	c.mu.Unlock()
	if !fixed {
		store(clamp(c.base()))
		return
	}
	if store(t) {
		c.mu.Lock()
		c.next = clamp(t.Add(c.step)) // clamp: no overflow past year 9999
		c.mu.Unlock()
	}
}

// peek returns what a write reads next, and the step.
func (c *clock) peek() (time.Time, time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed {
		return clamp(c.base()), 0, false
	}
	return c.next, c.step, true
}

// set fixes the clock at t, advancing by step after each write that
// stores; it waits for a write under way.
func (c *clock) set(t time.Time, step time.Duration) {
	c.writes.Lock()
	defer c.writes.Unlock()
	c.mu.Lock()
	c.fixed, c.next, c.step = true, clamp(t), step
	c.mu.Unlock()
}

// unset gives the clock back to base; it waits for a write under way.
func (c *clock) unset() {
	c.writes.Lock()
	defer c.writes.Unlock()
	c.mu.Lock()
	c.fixed = false
	c.mu.Unlock()
}

// controlClock serves GET /_fake/clock: {"fixed","time","step"}, time
// being what the fake reads next (RFC 3339, UTC), without advancing it.
func (s *Server) controlClock(w http.ResponseWriter, r *http.Request) {
	t, step, fixed := s.clock.peek()
	b := append([]byte(`{"fixed":`), strconv.FormatBool(fixed)...)
	b = append(b, `,"time":`...)
	b = append(b, jsonString(t.UTC().Format(time.RFC3339Nano))...)
	b = append(b, `,"step":"`...)
	b = append(b, step.String()...)
	writeJSON(w, http.StatusOK, append(b, `"}`...))
}

// controlSetClock serves PUT /_fake/clock, {"time": RFC 3339, "step": a
// Go duration from 0 to 24h, optional}: the clock fixed, and answered as
// GET answers it.
func (s *Server) controlSetClock(w http.ResponseWriter, r *http.Request) {
	body, a := mgmt.ReadBody(w, r, s.maxBody)
	if a != nil {
		a.Write(w)
		return
	}
	var at time.Time
	var step time.Duration
	haveTime := false
	a = object(body, func(name string, v gjson.Result) *mgmt.Answer {
		switch name {
		case "time":
			haveTime = true
			var text string
			if a := stringMember(name, v, &text); a != nil {
				return a
			}
			t, why := parseClock(text)
			if why != "" {
				return payload("Invalid time "+strconv.Quote(mgmt.Quote(text))+": "+why, name)
			}
			at = t
			return nil
		case "step":
			if a := durationMember(name, v, &step); a != nil {
				return a
			}
			if step < 0 || step > maxClockStep {
				return payload("step is "+step.String()+"; it must be 0 to "+maxClockStep.String(), name)
			}
			return nil
		}
		return unknown(name)
	})
	switch {
	case a != nil:
		a.Write(w)
		return
	case !haveTime:
		payload("Missing required property: time", "").Write(w)
		return
	}
	s.clock.set(at, step)
	s.controlClock(w, r)
}

// parseClock reads text, the time of PUT /_fake/clock: RFC 3339 (section
// 5.6), "T" and "Z" in either case, any offset, fractions to the
// nanosecond, within the years 0000 to 9999 once in UTC. It returns why
// text is refused, or "".
func parseClock(text string) (time.Time, string) {
	const rfc = `RFC 3339, such as "2030-01-02T03:04:05Z"`
	norm := []byte(text)
	if len(norm) > 10 && norm[10] == 't' {
		norm[10] = 'T'
	}
	if n := len(norm); n > 0 && norm[n-1] == 'z' {
		norm[n-1] = 'Z'
	}
	t, err := time.Parse(time.RFC3339Nano, string(norm))
	if err != nil {
		if len(norm) > 19 && norm[10] == 'T' && string(norm[17:19]) == "60" {
			if _, err := time.Parse(time.RFC3339Nano, string(norm[:17])+"59"+string(norm[19:])); err == nil {
				return time.Time{}, "a leap second (:60) cannot be represented; use :59"
			}
		}
		return time.Time{}, rfc
	}
	if u := t.UTC(); u.Before(firstInstant) || u.After(lastInstant) {
		return time.Time{}, "it is " + u.Format(time.RFC3339Nano) + " in UTC; the clock keeps to the years 0000 to 9999"
	}
	return t, ""
}
