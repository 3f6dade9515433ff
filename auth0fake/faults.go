package auth0fake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/metamerge/metamerge/mgmt"
)

// Fault is a failure the fake answers with instead of serving a request,
// so that a client's retries, backoff and timeouts can be tested: a 429
// with Retry-After, a 5xx, or a delay. Install it with
// [Server.InjectFault]; none is installed by default.
type Fault struct {
	// Method is the request method it matches, an HTTP token ("GET",
	// "PATCH") of at most 32 bytes, compared exactly; "" matches every
	// method.
	Method string
	// Path is the start of the paths it matches: "/api/v2/users/" matches
	// every request for one user; "" matches every path.
	Path string
	// Times is how many matching requests it answers, 1 to MaxFaultTimes;
	// then it is gone.
	Times int
	// Status is the answer: 429, or 500 to 599, in Auth0's envelope; 0
	// serves the request as usual after Delay.
	Status int
	// RetryAfter, for a 429 or 503, is sent in whole seconds (rounded up)
	// as Retry-After, and in the x-ratelimit-* headers Auth0 sends with
	// a 429. 0: no Retry-After.
	RetryAfter time.Duration
	// Delay is how long the fake waits before it answers, at most
	// MaxFaultDelay; a client that gives up first ends the wait, and so
	// does [Server.StopDelays]. The request's read and write deadlines
	// are moved to 30 s after the Delay, so that a server's shorter
	// ReadTimeout or WriteTimeout does not cut the answer.
	Delay time.Duration
}

// Bounds of a [Fault], so that a test cannot hang the fake or grow it
// without end: at most 1024 faults are installed at a time, each with a
// Method of at most 32 bytes and a Path of at most 4096 bytes.
const (
	MaxFaultTimes  = 1 << 20
	MaxFaultDelay  = time.Minute
	maxFaultsQueue = 1024
	maxFaultText   = 4096
	maxFaultMethod = 32
)

// faultBound is a field of a Fault out of its range: its Go name, its
// member in the control API, its value and the range it must be in.
type faultBound struct{ field, member, value, want string }

// outOfRange returns the first field of f out of its range, or nil: the
// one check of [Server.InjectFault] and of POST /_fake/faults.
func (f *Fault) outOfRange() *faultBound {
	switch {
	case len(f.Method) > maxFaultMethod:
		return &faultBound{"Method", "method", strconv.Itoa(len(f.Method)) + " bytes long", "at most " + strconv.Itoa(maxFaultMethod) + " bytes"}
	case !isToken(f.Method):
		return &faultBound{"Method", "method", strconv.Quote(f.Method), "an HTTP method: letters, digits and !#$%&'*+-.^_`|~ only"}
	case len(f.Path) > maxFaultText:
		return &faultBound{"Path", "path", strconv.Itoa(len(f.Path)) + " bytes long", "at most " + strconv.Itoa(maxFaultText) + " bytes"}
	case f.Times < 1 || f.Times > MaxFaultTimes:
		return &faultBound{"Times", "times", strconv.Itoa(f.Times), "1 to " + strconv.Itoa(MaxFaultTimes)}
	case f.Status != 0 && f.Status != http.StatusTooManyRequests && (f.Status < 500 || f.Status > 599):
		return &faultBound{"Status", "status", strconv.Itoa(f.Status), "0, 429 or 500 to 599"}
	case f.Delay < 0 || f.Delay > MaxFaultDelay:
		return &faultBound{"Delay", "delay", f.Delay.String(), "0 to " + MaxFaultDelay.String()}
	case f.RetryAfter < 0 || f.RetryAfter > MaxFaultDelay:
		return &faultBound{"RetryAfter", "retry_after", f.RetryAfter.String(), "0 to " + MaxFaultDelay.String()}
	}
	return nil
}

// delayGrace is how long a delayed request has, after its Delay, to read
// the rest of its body and write its answer: the read and write deadlines
// of its connection are set to Delay plus delayGrace when the wait begins.
const delayGrace = 30 * time.Second

// StopDelays ends every fault delay under way at once, and every later
// one as it begins: each delayed request is answered as it would have
// been after its Delay. It is for a graceful shutdown, so that the
// server's Shutdown does not wait out delays of up to a minute:
//
//	hs.RegisterOnShutdown(fake.StopDelays)
//
// It cannot be undone; calling it again does nothing.
func (s *Server) StopDelays() { s.stopDelays.Do(func() { close(s.delaysStopped) }) }

// errTooManyFaults is InjectFault's error when the queue is full.
var errTooManyFaults = fmt.Errorf("auth0fake: %d faults are installed; clear them first", maxFaultsQueue)

// faults is the queue of installed faults.
type faults struct {
	mu   sync.Mutex
	list []*Fault // each with Times left
}

// InjectFault installs f behind the faults already installed. Each
// request, once its token is checked, is answered by the first installed
// fault that matches its method and path and has Times left, which it
// uses up; a request no fault matches is served as usual, and a fault
// never touches the stored documents. The control API (Options.Control)
// is never answered by a fault. It returns an error that names the field
// for a Method that is not an HTTP token of at most 32 bytes, a Path over
// 4096 bytes or a Times, Status, RetryAfter or Delay out of range, or
// when 1024 faults are installed.
func (s *Server) InjectFault(f Fault) error {
	if b := f.outOfRange(); b != nil {
		return fmt.Errorf("auth0fake: Fault.%s is %s; it must be %s", b.field, b.value, b.want)
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if len(s.faults.list) >= maxFaultsQueue {
		return errTooManyFaults
	}
	s.faults.list = append(s.faults.list, &f)
	return nil
}

// Faults returns the installed faults in the order they match, each with
// the Times it has left.
func (s *Server) Faults() []Fault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := make([]Fault, len(s.faults.list))
	for i, f := range s.faults.list {
		out[i] = *f
	}
	return out
}

// ClearFaults removes every installed fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.list = nil
	s.faults.mu.Unlock()
}

// take returns a copy of the first fault that matches r, using one of its
// Times, or nil.
func (q *faults) take(r *http.Request) *Fault {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.list {
		if (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(r.URL.Path, f.Path) {
			got := *f
			if f.Times--; f.Times == 0 {
				q.list = append(q.list[:i:i], q.list[i+1:]...)
			}
			return &got
		}
	}
	return nil
}

// inject answers r with the fault that matches it, if any, and reports
// whether it did; after a fault with Status 0 (a delay only), r is still
// to be served.
func (s *Server) inject(w http.ResponseWriter, r *http.Request) bool {
	f := s.faults.take(r)
	if f == nil {
		return false
	}
	if f.Delay > 0 {
		// The server's own read and write timeouts (metamerge serve: 30 s)
		// would cut a long delay's answer: they are moved past it, for
		// this request only. Not every ResponseWriter can: then as they are.
		rc := http.NewResponseController(w)
		end := time.Now().Add(f.Delay + delayGrace)
		_ = rc.SetReadDeadline(end)
		_ = rc.SetWriteDeadline(end)
		t := time.NewTimer(f.Delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			return true // the client has gone: nothing to answer
		case <-s.delaysStopped:
			t.Stop() // shutting down: answer now, as after the delay
		case <-t.C:
		}
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter > 0 && (f.Status == http.StatusTooManyRequests || f.Status == http.StatusServiceUnavailable) {
		secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		if f.Status == http.StatusTooManyRequests {
			w.Header().Set("X-Ratelimit-Limit", "50")
			w.Header().Set("X-Ratelimit-Remaining", "0")
			w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(s.clock.read().Unix()+secs, 10))
		}
	}
	faultAnswer(f.Status).Write(w)
	return true
}

// faultAnswer is the answer of an injected fault with status, in Auth0's
// envelope; 429 in Auth0's words.
func faultAnswer(status int) *mgmt.Answer {
	if status == http.StatusTooManyRequests {
		return mgmt.Envelope(status, "Global limit has been reached", "too_many_requests")
	}
	return mgmt.Envelope(status, "Injected fault: "+http.StatusText(status), "")
}

// isToken reports whether m is empty or an HTTP token (RFC 9110, 5.6.2),
// which every request method is.
func isToken(m string) bool {
	for i := 0; i < len(m); i++ {
		c := m[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
