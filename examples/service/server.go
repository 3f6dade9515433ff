package main

import (
	"bytes"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/mgmt"
)

// collection serves the endpoints of one resource, users or clients, over
// its table: everything Auth0 does with a request is mgmt's.
type collection struct {
	res   mgmt.Resource
	table *table
}

// newServer returns the service: /api/v2/users and /api/v2/clients, each
// with POST, GET, PATCH and DELETE, behind the bearer token.
func newServer(db *sql.DB, token string) http.Handler {
	mux := http.NewServeMux()
	for kind, res := range map[string]mgmt.Resource{"users": mgmt.Users{}, "clients": mgmt.Clients{}} {
		c := &collection{res, &table{db, kind, res.Unique}}
		mux.HandleFunc("POST /api/v2/"+kind, c.create)
		mux.HandleFunc("GET /api/v2/"+kind, c.list)
		mux.HandleFunc("GET /api/v2/"+kind+"/{id}", c.get)
		mux.HandleFunc("PATCH /api/v2/"+kind+"/{id}", c.patch)
		mux.HandleFunc("DELETE /api/v2/"+kind+"/{id}", c.delete)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { mgmt.Envelope(404, "Not Found", "").Write(w) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, v)
				mgmt.Envelope(500, "An internal server error occurred", "").Write(w)
			}
		}()
		scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		switch got = strings.TrimSpace(got); {
		case unclean(r.URL.EscapedPath()): // the mux would answer a 307 redirect in HTML
			mgmt.Envelope(404, "Not Found", "").Write(w)
		case !strings.EqualFold(scheme, "Bearer") || got == "":
			mgmt.Envelope(401, "Missing authentication", "").Write(w)
		case subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1:
			mgmt.Envelope(401, "Invalid token", "").Write(w)
		default:
			mux.ServeHTTP(w, r)
		}
	})
}

func (c *collection) create(w http.ResponseWriter, r *http.Request) {
	body, a := mgmt.ReadBody(w, r, 0)
	if a != nil {
		a.Write(w)
		return
	}
	doc, id, err := c.res.Create(body, time.Now())
	if err == nil {
		err = c.table.Insert(r.Context(), id, doc)
	}
	c.answer(w, http.StatusCreated, doc, err, c.res.Answer)
}

func (c *collection) patch(w http.ResponseWriter, r *http.Request) {
	body, a := mgmt.ReadBody(w, r, 0)
	if a != nil {
		a.Write(w)
		return
	}
	p, err := c.res.Patch(body)
	if err != nil {
		c.answer(w, 0, nil, err, c.res.Answer)
		return
	}
	doc, err := mgmt.Update(r.Context(), mgmt.Retry{}, c.table, r.PathValue("id"), func(stored []byte) ([]byte, bool, error) {
		return p.Apply(stored, time.Now())
	})
	c.answer(w, http.StatusOK, doc, err, p.Answer)
}

func (c *collection) get(w http.ResponseWriter, r *http.Request) {
	if c.query(w, r) {
		doc, _, err := c.table.Read(r.Context(), r.PathValue("id"))
		if err == nil {
			err = corrupt(doc)
		}
		c.answer(w, http.StatusOK, doc, err, c.res.Answer)
	}
}

// list answers the first page of 50, in creation order.
func (c *collection) list(w http.ResponseWriter, r *http.Request) {
	if !c.query(w, r) {
		return
	}
	docs, err := c.table.List(r.Context(), 50)
	for _, d := range docs {
		if err == nil {
			err = corrupt(d)
		}
	}
	body := append([]byte{'['}, bytesJoin(docs)...)
	c.answer(w, http.StatusOK, append(body, ']'), err, c.res.Answer)
}

func (c *collection) delete(w http.ResponseWriter, r *http.Request) {
	if err := c.table.Delete(r.Context(), r.PathValue("id")); err != nil {
		c.answer(w, 0, nil, err, c.res.Answer)
		return
	}
	w.WriteHeader(http.StatusNoContent) // also for what is not there, as Auth0 answers
}

// query refuses the query parameters this service does not read (fields,
// paging, search): a 400 that says so, never a silent answer (M7). The
// raw query is read, so that a parameter Go's parser drops (after a ";",
// or with a bad %-escape) is refused too, as a query string not valid.
func (c *collection) query(w http.ResponseWriter, r *http.Request) bool {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		mgmt.Envelope(400, "Query string is not valid: "+mgmt.Quote(err.Error()), "invalid_query_string").Write(w)
		return false
	}
	for name := range values {
		mgmt.Envelope(400, "Query parameter "+mgmt.Quote(name)+" is not implemented by this service", "invalid_query_string").Write(w)
		return false
	}
	return true
}

// answer sends doc with status, or the answer to err, logging what no
// request causes (500).
func (c *collection) answer(w http.ResponseWriter, status int, doc []byte, err error, answer func(error) *mgmt.Answer) {
	a := &mgmt.Answer{Status: status, Body: doc}
	if err != nil {
		if a = answer(err); a.Status == 500 {
			log.Printf("%v", err)
		}
	}
	a.Write(w)
}

// unclean reports whether p, an escaped request path, holds what
// http.ServeMux cleans: a doubled slash, a "." or ".." element. Such a
// path is not one of the API: it is answered 404, as Auth0 does, with or
// without a token. Escaped slashes and dots belong to an id.
func unclean(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c != p
}

// corrupt returns an error when doc, a stored row, is not a document the
// library reads (invalid JSON or UTF-8, duplicate names, too deep) or not
// an object: a stored defect is a 500 (M5), on GET as on PATCH, never a
// row served as it is. The error does not wrap the library's, which
// would be answered as a fault of the request.
func corrupt(doc []byte) error {
	err := metamerge.Valid(doc)
	if err == nil && !bytes.HasPrefix(bytes.TrimLeft(doc, " \t\r\n"), []byte("{")) {
		err = errors.New("not an object")
	}
	if err != nil {
		return fmt.Errorf("service: a stored document is corrupt: %v", err)
	}
	return nil
}

func bytesJoin(docs [][]byte) []byte {
	var out []byte
	for i, d := range docs {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, d...)
	}
	return out
}
