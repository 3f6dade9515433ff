package metamergetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/metamerge/metamerge"
)

// Server is an implementation under test over HTTP: an [http.Handler],
// called in process, or a server at a base URL. Each step is a PATCH
// request to Path with the step's patch as a JSON body and, when Token is
// set, the header "Authorization: Bearer <Token>"; its answer's status and
// body are the step's outcome.
//
// The stored document reaches the server through Seed, which the replay
// calls once per file, before the first step, with the file's kind and
// stored document: it is the caller's to put the document where Path
// reads it (write it into the handler's store, or POST it to the server
// under test). The steps then act on what the server stores, as a client's
// requests do.
//
// An answer is read up to 64 MiB; a longer one, a request that fails, or
// a handler that panics ends the replay of the file with an error naming
// the step; the text of the error, the panic's value or Seed's error is
// shown escaped and cut to 4 KiB, as conformance.Printable does.
type Server struct {
	// Handler is the server, called in process; or
	Handler http.Handler
	// URL is the base URL of a running server, such as
	// "http://127.0.0.1:8080", which Path follows.
	URL string
	// Client sends the requests to URL; nil means a client with a timeout
	// of 30 seconds a request.
	Client *http.Client
	// Path is the path of each PATCH, as it goes on the request line
	// (escaped where it must be), such as "/api/v2/users/auth0%7C42".
	Path string
	// Token, when not empty, is sent as the Auth0 bearer token.
	Token string
	// Seed puts the stored document of a file where Path reads it; it must
	// be set.
	Seed func(kind string, stored []byte) error
}

// maxAnswer is the most bytes of an answer a replay reads.
const maxAnswer = 64 << 20

// start checks the settings and seeds the server with stored.
func (s *Server) start(kind string, stored []byte) (implementation, error) {
	switch {
	case (s.Handler == nil) == (s.URL == ""):
		return nil, errors.New("Server: set one of Handler and URL")
	case !strings.HasPrefix(s.Path, "/"):
		return nil, fmt.Errorf("Server: Path %q does not start with /", s.Path)
	case s.Seed == nil:
		return nil, errors.New("Server: Seed is nil, so the stored document cannot reach the server")
	}
	if err := s.Seed(kind, bytes.Clone(stored)); err != nil {
		return nil, fmt.Errorf("Server.Seed: %w", err) // escaped and cut by run
	}
	return s, nil
}

// apply sends one PATCH.
func (s *Server) apply(patch []byte) (o outcome, err error) {
	base := s.URL
	if s.Handler != nil {
		base = "http://metamergetest.invalid"
	}
	req, err := http.NewRequest(http.MethodPatch, strings.TrimSuffix(base, "/")+s.Path, bytes.NewReader(patch))
	if err != nil {
		return o, err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	var status int
	var body []byte
	if s.Handler != nil {
		status, body, err = s.serve(req)
	} else {
		status, body, err = s.send(req)
	}
	if err != nil {
		return o, err
	}
	o = outcome{http: true, status: status}
	if json.Valid(body) {
		o.body = compact(body)
	} else {
		o.text = string(body)
	}
	return o, nil
}

// client returns the client that sends the requests.
func (s *Server) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// send sends req to the server at URL.
func (s *Server) send(req *http.Request) (int, []byte, error) {
	resp, err := s.client().Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return 0, nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(body) > maxAnswer {
		return 0, nil, fmt.Errorf("an answer longer than %d bytes", maxAnswer)
	}
	return resp.StatusCode, body, nil
}

// serve calls the handler with req.
func (s *Server) serve(req *http.Request) (status int, body []byte, err error) {
	w := &answer{header: http.Header{}}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the handler panicked: %v", v) // escaped and cut by run
		}
	}()
	s.Handler.ServeHTTP(w, req)
	if w.over {
		return 0, nil, fmt.Errorf("an answer longer than %d bytes", maxAnswer)
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.status, w.body.Bytes(), nil
}

// answer is the http.ResponseWriter given to a handler: it keeps the
// status and at most maxAnswer bytes of the body.
type answer struct {
	header http.Header
	status int
	body   bytes.Buffer
	over   bool
}

func (w *answer) Header() http.Header { return w.header }

func (w *answer) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *answer) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.body.Len()+len(p) > maxAnswer {
		w.over = true
		return 0, errors.New("metamergetest: an answer longer than 64 MiB")
	}
	return w.body.Write(p)
}

// function is an implementation as a function, the library's or a
// Merger: it keeps the document the last step left.
type function struct {
	doc     []byte
	merge   func(stored, patch []byte) ([]byte, error)
	library bool
}

// apply merges one patch.
func (f *function) apply(patch []byte) (outcome, error) {
	stored := f.doc
	if !f.library { // the library never modifies its inputs (H7); a Merger might
		stored, patch = bytes.Clone(stored), bytes.Clone(patch)
	}
	result, err := f.merge(stored, patch)
	if err == nil {
		if !f.library {
			if !json.Valid(result) {
				return outcome{}, fmt.Errorf("the Merger returned a result that is not JSON: %s", quoteCut(string(result)))
			}
			result = compact(result)
		}
		f.doc = result
		return outcome{result: result}, nil
	}
	var o outcome
	for _, e := range metamerge.Errors(err) {
		o.errors = append(o.errors, Error{Code: string(e.Code), Pointer: e.Pointer, Stored: e.Stored})
	}
	if o.errors == nil {
		if f.library {
			return outcome{}, err
		}
		msg := err.Error()
		if len(msg) > maxMessage { // at a rune's start, so that a file can hold it
			end := maxMessage
			for end > 0 && !utf8.RuneStart(msg[end]) {
				end--
			}
			msg = msg[:end] + "…"
		}
		o.errors = []Error{{Message: msg}}
	}
	return o, nil
}

// maxMessage is the most bytes of a Merger's error message a file
// records.
const maxMessage = 1 << 10

// library is the library with the Replayer's rules, as an implementation.
func (r Replayer) library(kind string, stored []byte) implementation {
	f := &function{doc: stored, merge: r.User.Merge, library: true}
	if kind == "client" {
		f.merge = r.Client.Merge
	}
	return f
}

// implementation is the implementation under test, seeded with stored.
func (r Replayer) implementation(kind string, stored []byte) (implementation, error) {
	switch {
	case r.Server != nil && r.Merge != nil:
		return nil, errors.New("set one of Replayer.Server and Replayer.Merge")
	case r.Server != nil:
		return r.Server.start(kind, stored)
	case r.Merge != nil:
		return &function{doc: stored, merge: func(stored, patch []byte) ([]byte, error) { return r.Merge(kind, stored, patch) }}, nil
	}
	return r.library(kind, stored), nil
}
