package auth0fake

import (
	"crypto/subtle"
	"fmt"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// DefaultMaxBodyBytes is the request body limit when Options.MaxBodyBytes
// is 0: 1 MiB, the default of the framework Auth0's API runs on
// (mgmt.DefaultMaxBodyBytes).
const DefaultMaxBodyBytes = mgmt.DefaultMaxBodyBytes

// Options configure a [Server]. The zero value is a server in memory that
// takes any bearer token and bodies of up to 1 MiB.
type Options struct {
	// Token is the bearer token the Management API endpoints require
	// ("Authorization: Bearer <Token>"). Empty: any non-empty token is
	// taken, but a request without one is still refused with 401. The
	// signup endpoint, as Auth0's, needs none.
	Token string
	// MaxBodyBytes limits each request body; a larger body is refused with
	// 413 before it is read in full. 0 means DefaultMaxBodyBytes; a
	// negative value is an error.
	MaxBodyBytes int64
	// MaxWorkBytes is the work budget of each list request: how many bytes
	// of stored documents it may read, counting a document once for each
	// query term, sort key or answer that goes through it. A request that
	// would read more gets 400 invalid_query_string saying so. 0 means
	// DefaultMaxWorkBytes; a negative value is an error.
	MaxWorkBytes int64
	// DataDir, when not empty, is a directory that keeps every user and
	// client, one JSON file each (DataDir/users, DataDir/clients), so that
	// a server started again on it finds them all. New creates it if
	// needed, locks it (one Server at a time, across processes, until
	// [Server.Close]) and loads what is there. Each change is written
	// before it is answered, atomically: see the package documentation.
	DataDir string
	// Tenant is the tenant's name, sent as tenant on every client the
	// server creates, as Auth0 does; empty: no tenant member.
	Tenant string
	// Now, when not nil, is the clock of the server: created_at,
	// updated_at, last_password_reset and the time part of new user ids
	// come from it, so that a test can expect fixed times. Nil:
	// time.Now.
	Now func() time.Time
	// Control turns on the control API under [ControlPrefix] (/_fake/):
	// reset, seed and read users and clients, install and clear faults,
	// set the clock, over HTTP, with Token, for test suites that cannot
	// call the Go methods (see the package documentation, "In tests").
	// Off by default: those paths are then a 404 like any unknown path.
	Control bool
	// ErrorLog receives the errors the server cannot answer with (a failed
	// write to DataDir, a recovered panic). Nil: the log package's
	// standard logger.
	ErrorLog *log.Logger
}

// Server is a stateful fake of Auth0's Management API (users and clients)
// and of its signup endpoint, as an [http.Handler]. It is safe for
// concurrent use. Create one with [New]; with a DataDir, [Server.Close]
// releases the directory for another server.
type Server struct {
	token   string
	maxBody int64
	users   *collection
	clients *collection
	mux     *http.ServeMux
	logf    func(format string, args ...any)
	budget  int64       // bytes of stored documents one list request may read
	lock    *dirLock    // DataDir's lock, held until Close; nil in memory
	onDoc   func(n int) // tests: called before q reads the n-th stored document
	tenant  string      // Options.Tenant
	faults  faults      // see InjectFault
	clock   *clock      // now reads it: Options.Now, or fixed by the control API
	control bool        // Options.Control
	// delaysStopped is closed by StopDelays (once, with stopDelays): the
	// fault delays under way end.
	delaysStopped chan struct{}
	stopDelays    sync.Once
}

// New returns a Server with opts. It returns an error for a negative
// MaxBodyBytes or MaxWorkBytes, and, with DataDir, when the directory
// cannot be created or read, when another Server holds it (an error
// wrapping [ErrDataDirLocked] that names the holder's process id), or
// when it holds a file that is not a document of this package (the error
// names the file).
func New(opts Options) (*Server, error) {
	if opts.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("auth0fake: Options.MaxBodyBytes is %d; a limit is 0 (the default) or more", opts.MaxBodyBytes)
	}
	if opts.MaxWorkBytes < 0 {
		return nil, fmt.Errorf("auth0fake: Options.MaxWorkBytes is %d; a limit is 0 (the default) or more", opts.MaxWorkBytes)
	}
	s := &Server{
		token:   opts.Token,
		maxBody: cmpOr(opts.MaxBodyBytes, DefaultMaxBodyBytes),
		budget:  cmpOr(opts.MaxWorkBytes, DefaultMaxWorkBytes),
		users:   newCollection(mgmt.Users{}.Unique, nil),
		clients: newCollection(mgmt.Clients{}.Unique, nil),
		logf:    log.Printf,
		clock:   &clock{base: time.Now},
		tenant:  opts.Tenant,
		control: opts.Control,

		delaysStopped: make(chan struct{}),
	}
	if opts.ErrorLog != nil {
		s.logf = opts.ErrorLog.Printf
	}
	if opts.Now != nil {
		s.clock.base = opts.Now
	}
	if opts.DataDir != "" {
		if err := s.open(opts.DataDir); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.routes()
	return s, nil
}

// open locks dir, then loads the collections kept in it: no other
// server's files, temporary ones included, are touched before the lock
// is held.
func (s *Server) open(dir string) error {
	var err error
	if err = os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if s.lock, err = lockDir(dir); err != nil {
		return err
	}
	if s.users, err = openCollection(filepath.Join(dir, "users"), "user_id", mgmt.Users{}.Unique); err != nil {
		return err
	}
	s.clients, err = openCollection(filepath.Join(dir, "clients"), "client_id", mgmt.Clients{}.Unique)
	return err
}

// Close releases the lock of Options.DataDir, so that another Server may
// open the directory; it does nothing for a server in memory. Everything
// the server answered is already on disk. The Server must not be used
// after Close. It returns the error of closing the lock file.
func (s *Server) Close() error {
	if s.lock == nil {
		return nil
	}
	err := unlockDir(s.lock)
	s.lock = nil
	return err
}

func cmpOr(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}

func (s *Server) routes() {
	m := http.NewServeMux()
	users, clients := mgmt.Users{}, mgmt.Clients{Tenant: s.tenant}
	m.HandleFunc("POST /api/v2/users", s.create(users, s.users))
	m.HandleFunc("GET /api/v2/users", s.listUsers)
	m.HandleFunc("GET /api/v2/users-by-email", s.usersByEmail)
	m.HandleFunc("GET /api/v2/users/{id}", s.get(users, s.users))
	m.HandleFunc("PATCH /api/v2/users/{id}", s.patch(users, s.users))
	m.HandleFunc("DELETE /api/v2/users/{id}", s.remove(s.users))
	m.HandleFunc("POST /api/v2/clients", s.create(clients, s.clients))
	m.HandleFunc("GET /api/v2/clients", s.listClients)
	m.HandleFunc("GET /api/v2/clients/{id}", s.get(clients, s.clients))
	m.HandleFunc("PATCH /api/v2/clients/{id}", s.patch(clients, s.clients))
	m.HandleFunc("DELETE /api/v2/clients/{id}", s.remove(s.clients))
	m.HandleFunc("POST /dbconnections/signup", s.signup)
	if s.control {
		s.controlRoutes(m)
	}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { errNoRoute().Write(w) })
	s.mux = m
}

// ServeHTTP answers one request. Requests under /api/v2/ need the bearer
// token (401 without it), as do those of the control API under
// [ControlPrefix] when Options.Control is set (which no fault answers);
// then an installed fault that matches answers instead
// ([Server.InjectFault]); paths and methods the fake does not
// serve get Auth0's 404, as do paths that are not clean ("//", "/./",
// "/../"), with or without a token. A panic is answered with 500 and
// logged, never passed on.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logf("auth0fake: panic serving %s %s: %v", r.Method, r.URL.Path, v)
			errInternal().Write(w)
		}
	}()
	if p := r.URL.EscapedPath(); p != cleanPath(p) {
		errNoRoute().Write(w) // not a path of the API: Auth0's 404, not the mux's redirect
		return
	}
	if s.control && isControl(r.URL.Path) {
		if a := s.authorize(r); a != nil {
			a.Write(w)
			return
		}
		s.mux.ServeHTTP(w, r) // never a fault: a fault on every path must not lock out its clearing
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/v2/") {
		if a := s.authorize(r); a != nil {
			a.Write(w)
			return
		}
	}
	if s.inject(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// cleanPath returns p, an escaped request path, as http.ServeMux cleans
// it before matching: "." and ".." elements and doubled slashes removed,
// a trailing slash kept. The mux redirects (307, text/html) a path that
// is not clean; the fake answers 404 instead, as it does for any path it
// does not serve. Escaped slashes and dots (%2F, %2E) are part of an
// element, and of an id: they are not cleaned.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

// authorize checks the bearer token, in constant time.
func (s *Server) authorize(r *http.Request) *mgmt.Answer {
	h := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if h == "" || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errMissingAuth()
	}
	if s.token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
		return errBadToken()
	}
	return nil
}

// writeList answers a list: a JSON array of docs, each projected by
// lq.fields, or, with totals, an object with the page's place, the array
// under key, and the total; lengthMember adds "length" as the users
// endpoint does. The page is charged to wk before a byte is written (a
// page over the budget is a 400), then streamed document by document, so
// the answer is never held in memory whole.
func (s *Server) writeList(w http.ResponseWriter, wk *work, docs [][]byte, lq listQuery, total int, key string, lengthMember bool) {
	for _, d := range docs {
		if !wk.charge(len(d)) {
			wk.answer(w)
			return
		}
	}
	if !wk.alive() {
		return
	}
	start := lq.page * lq.perPage // page is at most maxPage: no overflow
	var head, tail []byte
	switch {
	case !lq.totals:
		head, tail = []byte{'['}, []byte{']'}
	case lengthMember:
		head = fmt.Appendf(nil, `{"start":%d,"limit":%d,"length":%d,"%s":[`, start, lq.perPage, len(docs), key)
		tail = fmt.Appendf(nil, `],"total":%d}`, total)
	default:
		head = fmt.Appendf(nil, `{"total":%d,"start":%d,"limit":%d,"%s":[`, total, start, lq.perPage, key)
		tail = []byte("]}")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(head)
	for i, d := range docs {
		if !wk.alive() {
			return // the client has gone: the answer is cut
		}
		if i > 0 {
			_, _ = w.Write([]byte{','})
		}
		_, _ = w.Write(lq.fields.apply(d))
	}
	_, _ = w.Write(tail)
}

// filterDocs returns the docs every term of lq matches, sorted by lq's
// key, charging wk for what it reads; false when wk stopped (the budget
// is spent or the client has gone).
func (s *Server) filterDocs(docs [][]byte, lq listQuery, wk *work) ([][]byte, bool) {
	if len(lq.filter) > 0 {
		kept := docs[:0:0]
		for n, d := range docs {
			if s.onDoc != nil {
				s.onDoc(n)
			}
			if !wk.alive() {
				return nil, false
			}
			root := gjson.ParseBytes(d)
			ok := true
			for i := range lq.filter {
				if !lq.filter[i].matches(root, wk) {
					ok = false
					break
				}
			}
			if wk.stop != running {
				return nil, false
			}
			if ok {
				kept = append(kept, d)
			}
		}
		docs = kept
	}
	if lq.sort != nil && !lq.sort.apply(docs, wk) {
		return nil, false
	}
	return docs, true
}
