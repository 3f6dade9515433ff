// Command service is a standalone Management API service for users and
// clients on an embedded SQLite database, with the answers of Auth0's
// endpoints, built on package mgmt: POST, GET, PATCH and DELETE of
// /api/v2/users[/{id}] and /api/v2/clients[/{id}].
//
//	go -C examples/service run . -addr 127.0.0.1:0 -token T -db FILE
//
// (from the repository's root: the service is a module of its own, so
// that the library's go.mod takes no database driver). It prints "listening on http://ADDR" and serves until SIGINT or
// SIGTERM. Each PATCH is a compare-and-swap on the row's version
// (mgmt.Update), so concurrent PATCHes of one user lose nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (port 0: a free one)")
	token := flag.String("token", "", "the bearer token every request must carry (required)")
	file := flag.String("db", "service.db", "the SQLite database file, created if needed")
	flag.Parse()
	if *token == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*addr, *token, *file); err != nil {
		log.Fatal(err)
	}
}

func run(addr, token, file string) error {
	db, err := openDB(file)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	srv := newHTTPServer(newServer(db, token), defaultTimeouts)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil { // waits for the requests in flight
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// timeouts bound what a slow or stalled client can hold: the request
// headers, the whole request (a body that never ends is cut off, and the
// handler answers 400), the answer, and an idle connection.
type timeouts struct {
	header, read, write, idle time.Duration
}

// defaultTimeouts are the service's, those of the serve command of
// metamerge, except that writing has 5 s more than reading: a body read
// up to the read deadline is still answered with its 400.
var defaultTimeouts = timeouts{header: 5 * time.Second, read: 30 * time.Second, write: 35 * time.Second, idle: 2 * time.Minute}

// newHTTPServer returns the HTTP server of handler h with timeouts t.
func newHTTPServer(h http.Handler, t timeouts) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.header, ReadTimeout: t.read, WriteTimeout: t.write, IdleTimeout: t.idle, MaxHeaderBytes: 64 << 10}
}
