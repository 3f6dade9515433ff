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

	"github.com/metamerge/metamerge/auth0fake"
)

// Limits of the serve command's HTTP server: a slow or stalled client
// holds a connection for a bounded time.
const (
	maxHeaderBytes  = 64 << 10 // the URL and headers: fields, q and the token fit well within
	shutdownTimeout = 10 * time.Second
)

// serveTimeouts are the timeouts of the serve command's HTTP server; a
// variable so that tests can shorten them. write is longer than read, so
// that a body still arriving when read ends is answered (400, "Invalid
// request payload input") before the connection is closed. A fault's
// delay moves both deadlines of its request past the delay
// (auth0fake.Fault.Delay).
var serveTimeouts = struct{ readHeader, read, write, idle time.Duration }{
	readHeader: 5 * time.Second,
	read:       30 * time.Second,
	write:      40 * time.Second,
	idle:       2 * time.Minute,
}

const serveUsage = `Usage: metamerge serve [-addr HOST:PORT] [-token TOKEN] [-data DIR] [-max-body BYTES]
                       [-tenant NAME] [-control]

Serves a stateful fake of Auth0's Management API (users and clients) and
of its signup endpoint, applying every PATCH with Auth0's merge rules.
Prints "listening on http://HOST:PORT" when ready (with -addr
127.0.0.1:0, the port chosen). Stops gracefully on SIGINT or SIGTERM.

  -addr HOST:PORT   where to listen (default 127.0.0.1:8080)
  -token TOKEN      the bearer token /api/v2/ requires; without it any
                    non-empty bearer token is taken
  -data DIR         keep users and clients in DIR, one JSON file each, so
                    that a restart loses nothing (default: memory only);
                    one server at a time: a second one on DIR refuses to
                    start and names the process that holds it
  -max-body BYTES   the request body limit (default 1048576)
  -tenant NAME      the tenant's name, sent as tenant on every client
                    created (default: none)
  -control          serve the control API under /_fake/ for test suites:
                    reset, seed and read users and clients, install and
                    clear faults, fix the clock; it needs the token too
                    (default: off, those paths are a 404)

Example:

  metamerge serve -token secret -data ./auth0-state
  curl -s -H 'Authorization: Bearer secret' http://127.0.0.1:8080/api/v2/users
  metamerge serve -token secret -control -tenant acme
  curl -s -X POST -H 'Authorization: Bearer secret' http://127.0.0.1:8080/_fake/reset
`

// runServe is the serve command: it runs until SIGINT or SIGTERM.
func runServe(args []string, io stdio) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, io)
}

// serveFlags returns the flag set of serve, writing to io.err, with the
// address and the fake's options it sets.
func serveFlags(io stdio) (*flag.FlagSet, *string, *auth0fake.Options) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, serveUsage) }
	var opts auth0fake.Options
	addr := fs.String("addr", "127.0.0.1:8080", "")
	fs.StringVar(&opts.Token, "token", "", "")
	fs.StringVar(&opts.DataDir, "data", "", "")
	fs.Int64Var(&opts.MaxBodyBytes, "max-body", auth0fake.DefaultMaxBodyBytes, "")
	fs.StringVar(&opts.Tenant, "tenant", "", "")
	fs.BoolVar(&opts.Control, "control", false, "")
	return fs, addr, &opts
}

// serve runs the fake until ctx is done, then shuts it down gracefully:
// requests under way are finished, for at most shutdownTimeout, those
// waiting on a fault's delay answered at once.
func serve(ctx context.Context, args []string, io stdio) int {
	fs, addr, opts := serveFlags(io)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "metamerge serve: unexpected argument %q\n\n%s", fs.Arg(0), serveUsage)
		return exitUsage
	}
	if opts.MaxBodyBytes <= 0 {
		fmt.Fprintf(io.err, "metamerge serve: -max-body is %d; it must be positive\n", opts.MaxBodyBytes)
		return exitUsage
	}
	logger := log.New(io.err, "metamerge serve: ", log.LstdFlags)
	opts.ErrorLog = logger
	if opts.Control {
		fmt.Fprintln(io.err, "metamerge serve: -control: the control API is served under "+auth0fake.ControlPrefix)
	}
	fake, err := auth0fake.New(*opts)
	if err != nil {
		fmt.Fprintf(io.err, "metamerge serve: %v\n", err)
		return exitUsage
	}
	defer fake.Close() // releases -data's lock, for the next server
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(io.err, "metamerge serve: %v\n", err)
		return exitUsage
	}
	hs := &http.Server{
		Handler:           fake,
		ReadHeaderTimeout: serveTimeouts.readHeader,
		ReadTimeout:       serveTimeouts.read,
		WriteTimeout:      serveTimeouts.write,
		IdleTimeout:       serveTimeouts.idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          logger,
	}
	hs.RegisterOnShutdown(fake.StopDelays) // a delayed request is answered at once, not waited for
	if opts.Token == "" {
		fmt.Fprintln(io.err, "metamerge serve: no -token given: any bearer token is taken")
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(io.err, "metamerge serve: listening beyond this machine (%s): the fake is for tests\n", host)
	}
	fmt.Fprintf(io.out, "listening on http://%s\n", ln.Addr())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(io.err, "metamerge serve: %v\n", err)
		return exitUsage
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		fmt.Fprintf(io.err, "metamerge serve: shutdown: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(io.err, "metamerge serve: stopped")
	return exitOK
}
