package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/metamerge/metamerge/conformance"
)

// conformanceRun is what the flags of metamerge conformance ask for.
type conformanceRun struct {
	dir, report             string
	tags                    []string // -tags, split; nil for every case
	base, token, connection string   // -http and its settings
	rate                    float64
	timeout                 time.Duration
	verbose, allowSkip      bool
	wanted                  func(name string) bool // -run and -skip
}

// runConformance runs the golden vectors against a harness, or with -http
// the HTTP profile against a server.
func runConformance(args []string, io stdio) int {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(io.err)
	var c conformanceRun
	fs.StringVar(&c.dir, "vectors", "", "run the vector files in this directory instead of the suite built into this command")
	filter := fs.String("run", "", "run only the cases whose name matches this regular expression")
	skipRE := fs.String("skip", "", "leave out the cases whose name matches this regular expression, as go test -skip does")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "the time a harness has to answer one case (more than 0)")
	fs.StringVar(&c.report, "report", "", "also write one JSON line per case to this file: name, file, status (pass, fail, skip) and reason")
	fs.BoolVar(&c.verbose, "v", false, "print every case, not only failures")
	fs.BoolVar(&c.allowSkip, "allow-skip", false, "count a skipped case without tags as skipped, not failed (for a partial implementation)")
	tags := fs.String("tags", "", "run only the cases that carry one of these comma-separated tags, such as probe")
	fs.StringVar(&c.base, "http", "", "play the HTTP profile against the Management API server at this root URL (http://127.0.0.1:PORT, https://TENANT.auth0.com) instead of a harness")
	fs.StringVar(&c.token, "token", "", "with -http: the bearer token (default: the environment variable METAMERGE_TOKEN)")
	fs.StringVar(&c.connection, "connection", "Username-Password-Authentication", "with -http: the database connection of the users it creates")
	fs.Float64Var(&c.rate, "rate", 0, "with -http: at most this many requests a second (0: no limit)")
	fs.Usage = func() { conformanceUsage(fs, io) }
	if err := fs.Parse(args); err != nil {
		return exitUsageOr(err)
	}
	argv := fs.Args()
	if c.base != "" && len(argv) > 0 {
		fmt.Fprintln(io.err, "metamerge conformance: -http and a harness command exclude each other")
		return exitUsage
	}
	if len(argv) == 0 && c.base == "" {
		fmt.Fprintln(io.err, "metamerge conformance: no harness command; give it after --")
		fs.Usage()
		return exitUsage
	}
	if c.timeout <= 0 {
		return ioError("conformance", fmt.Errorf("-timeout %v: a harness needs some time to answer", c.timeout), io)
	}
	re, err := regexp.Compile(*filter)
	if err != nil {
		return ioError("conformance", fmt.Errorf("-run: %v", err), io)
	}
	skip, err := regexp.Compile(*skipRE)
	if err != nil {
		return ioError("conformance", fmt.Errorf("-skip: %v", err), io)
	}
	c.wanted = func(name string) bool { return re.MatchString(name) && (*skipRE == "" || !skip.MatchString(name)) }
	if *tags != "" {
		c.tags = strings.Split(*tags, ",")
	}
	cases := conformance.Vectors()
	if c.dir != "" {
		if _, err := os.Stat(c.dir); err != nil {
			return ioError("conformance", err, io)
		}
		if cases, err = conformance.Load(os.DirFS(c.dir)); err != nil {
			return ioError("conformance", err, io)
		}
	}
	cases = slices.DeleteFunc(cases, func(k conformance.Case) bool { return !c.wanted(k.Name) || !c.tagged(k.Tags) })
	if c.base != "" {
		return c.playHTTP(cases, io)
	}
	return c.runHarness(argv, cases, io)
}

// conformanceUsage prints the usage of metamerge conformance.
func conformanceUsage(fs *flag.FlagSet, io stdio) {
	fmt.Fprint(io.err, `Usage: metamerge conformance [flags] -- COMMAND [ARGS...]
       metamerge conformance [flags] -http BASE -token TOKEN

Runs every golden vector against the harness that COMMAND starts, speaking
the harness protocol (conformance/PROTOCOL.md) on its standard input and
output. Prints each failing case with a diff, then one line
"N passed, M failed, K skipped". Exits 1 if a case failed. A harness that
crashes or times out fails the case at hand and is started again for the
next; only when it cannot be started (or does not answer start) 3 times
in a row does the runner give up on it, failing every case left unrun.

With -http, plays the HTTP profile (conformance/HTTP.md) against the
Management API at BASE/api/v2/: for each case it creates a user or client
holding the stored metadata, PATCHes it, reads it back, compares, and
deletes it, also on SIGINT. -timeout is then the time of one request. A
refused token (401, 403) or an interruption ends the run with status 2,
after the clean-up.

Flags:
`)
	fs.PrintDefaults()
	fmt.Fprint(io.err, `
Examples:

  metamerge conformance -- node conformance/js/harness.mjs
  metamerge conformance -run '^client-' -- metamerge harness
  metamerge conformance -http http://127.0.0.1:8080 -token secret
  METAMERGE_TOKEN=... metamerge conformance -http https://TENANT.auth0.com -tags probe -rate 2 -report probe.jsonl
`)
}

// tagged reports whether a case with tags is selected by -tags.
func (c *conformanceRun) tagged(tags []string) bool {
	return c.tags == nil || slices.ContainsFunc(c.tags, func(t string) bool { return slices.Contains(tags, strings.TrimSpace(t)) })
}

// openReport opens the -report file, if any, and returns its writer (nil
// without -report) and what closes it.
func (c *conformanceRun) openReport() (*bufio.Writer, func(), error) {
	if c.report == "" {
		return nil, func() {}, nil
	}
	f, err := os.Create(c.report)
	if err != nil {
		return nil, nil, err
	}
	w := bufio.NewWriter(f)
	return w, func() { w.Flush(); f.Close() }, nil
}

// playHTTP plays the HTTP profile: the selected merge cases, then the
// endpoint cases, against the server at -http.
func (c *conformanceRun) playHTTP(cases []conformance.Case, io stdio) int {
	if c.token == "" {
		c.token = os.Getenv("METAMERGE_TOKEN")
	}
	h, err := newHTTPRun(c.base, c.token)
	if err != nil {
		return ioError("conformance", err, io)
	}
	h.connection, h.timeout, h.out, h.verbose = c.connection, c.timeout, io.out, c.verbose
	if h.every, err = rateInterval(c.rate); err != nil {
		return ioError("conformance", err, io)
	}
	endpoints := conformance.EndpointVectors()
	if c.dir != "" {
		endpoints = nil
		if sub := filepath.Join(c.dir, "http"); dirExists(sub) {
			if endpoints, err = conformance.LoadEndpoint(os.DirFS(sub)); err != nil {
				return ioError("conformance", err, io)
			}
		}
	}
	endpoints = slices.DeleteFunc(endpoints, func(e conformance.EndpointCase) bool { return !c.wanted(e.Name) || !c.tagged(e.Tags) })
	report, closeReport, err := c.openReport()
	if err != nil {
		return ioError("conformance", err, io)
	}
	defer closeReport()
	h.report = report
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { // after the first signal the clean-up runs; a second one stops at once
		<-ctx.Done()
		stop()
	}()
	return h.runAll(ctx, cases, endpoints)
}

// runHarness runs the selected cases against the harness argv starts.
func (c *conformanceRun) runHarness(argv []string, cases []conformance.Case, io stdio) int {
	r := &runner{tally: tally{out: io.out, verbose: c.verbose}, argv: argv, timeout: c.timeout, allowSkip: c.allowSkip}
	report, closeReport, err := c.openReport()
	if err != nil {
		return ioError("conformance", err, io)
	}
	defer closeReport()
	r.report = report
	for _, k := range cases {
		r.run(k)
	}
	r.stopHarness()
	fmt.Fprintf(io.out, "%d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	if r.failed > 0 {
		return exitViolations
	}
	return exitOK
}

func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// runner runs cases against one harness at a time.
type runner struct {
	tally
	argv      []string
	timeout   time.Duration
	allowSkip bool // a skip of a case without tags is a skip, not a failure

	h             *harness
	info          started
	seq           int
	starts        int    // harnesses started
	startFailures int    // starts in a row that failed
	gaveUp        string // why the runner gave up on the harness, or ""
}

// maxStartFailures is how many failed starts in a row make the runner give
// up on a harness: one that crashes on a case is started again for the
// next, so that a partial implementation runs the whole suite.
const maxStartFailures = 3

// run runs one case, starting the harness first if none runs. A case
// fails when the harness crashes, hangs or cannot be started for it; the
// run goes on, and after maxStartFailures failed starts in a row every
// case left fails without a start.
func (r *runner) run(c conformance.Case) {
	if r.h == nil {
		if r.gaveUp != "" {
			r.fail(c, r.gaveUp)
			return
		}
		if err := r.startHarness(); err != nil {
			r.fail(c, err.Error())
			if r.startFailures++; r.startFailures >= maxStartFailures {
				r.gaveUp = fmt.Sprintf("not run: the harness could not be started %d times in a row", r.startFailures)
				fmt.Fprintf(r.out, "%s; the cases left fail\n", r.gaveUp)
			}
			return
		}
		r.startFailures = 0
	}
	if reason := r.unsupported(c); reason != "" {
		r.skip(c, reason)
		return
	}
	r.seq++
	in := c.Input
	line, err := r.h.call(encodeLine(request{Cmd: "run", Seq: r.seq, Case: &in}), r.timeout)
	if err != nil {
		r.fail(c, err.Error()+r.h.stderrTail())
		r.h.kill()
		r.h = nil
		return
	}
	got, err := decodeAnswer(line, r.seq)
	switch {
	case err != nil:
		r.fail(c, err.Error()+r.h.stderrTail())
		r.h.kill()
		r.h = nil
	case got.Skipped != "":
		r.skip(c, "the harness skipped it: "+shown(got.Skipped))
	default:
		if d := c.Check(got); d != "" {
			r.fail(c, d)
		} else {
			r.record(c, "pass", "")
		}
	}
}

// decodeAnswer reads the answer to run seq.
func decodeAnswer(line []byte, seq int) (conformance.Output, error) {
	var a answer
	if err := json.Unmarshal(line, &a); err != nil {
		return conformance.Output{}, fmt.Errorf("the harness answered with something that is not a JSON object: %q", cut(line))
	}
	if a.Seq != seq {
		return conformance.Output{}, fmt.Errorf("the harness answered seq %d to seq %d", a.Seq, seq)
	}
	if a.Errored != nil {
		return conformance.Output{}, fmt.Errorf("the harness errored: %s", shown(*a.Errored))
	}
	var out conformance.Output
	if err := json.Unmarshal(line, &out); err != nil {
		return out, fmt.Errorf("bad answer %q: %v", cut(line), err)
	}
	return out, nil
}

// unsupported says why the harness cannot run c, or "".
func (r *runner) unsupported(c conformance.Case) string {
	if !slices.Contains(r.info.Ops, c.Input.Op) {
		return fmt.Sprintf("the harness does not support op %s", c.Input.Op)
	}
	for _, o := range c.Input.Options.Names() {
		if !slices.Contains(r.info.Options, o) {
			return fmt.Sprintf("the harness does not support option %s", o)
		}
	}
	return ""
}

func (r *runner) fail(c conformance.Case, why string) {
	r.record(c, "fail", why)
}

// skip counts c as skipped for the reason given, if its tags allow it: a
// case without tags is the core of the suite, which every implementation
// runs, so skipping it fails it unless -allow-skip says the harness is
// partial.
func (r *runner) skip(c conformance.Case, reason string) {
	if len(c.Tags) == 0 && !r.allowSkip {
		r.fail(c, reason+"; a case without tags may not be skipped (see -allow-skip)")
		return
	}
	r.record(c, "skip", reason)
}

// record counts a case and prints it when it failed (or always, with -v),
// its reason escaped and cut.
func (r *runner) record(c conformance.Case, status, reason string) {
	r.tally.record(c, status, reasonText(reason))
}

// tally counts the cases of a run, prints each that failed (or every one,
// with -v) and, with -report, writes one JSON line for each: name, file,
// status (pass, fail, skip) and reason. Both runners keep one.
type tally struct {
	out                     io.Writer
	report                  *bufio.Writer
	verbose                 bool
	passed, failed, skipped int
}

// record counts c with its status and shows it; reason is already as it
// may be shown (escaped, cut, secrets hidden).
func (t *tally) record(c conformance.Case, status, reason string) {
	switch status {
	case "pass":
		t.passed++
	case "fail":
		t.failed++
	case "skip":
		t.skipped++
	}
	if status == "fail" || t.verbose {
		fmt.Fprintf(t.out, "--- %s: %s (%s; %s)\n", strings.ToUpper(status), shown(c.Name), shown(c.File), shown(strings.Join(c.Rules, " ")))
		if status == "fail" {
			fmt.Fprintf(t.out, "    %s\n", shown(c.Comment))
		}
		if reason != "" {
			fmt.Fprintf(t.out, "%s\n", indentLines(reason, "    "))
		}
	}
	if t.report != nil {
		t.report.Write(encodeLine(struct {
			Name   string `json:"name"`
			File   string `json:"file"`
			Status string `json:"status"`
			Reason string `json:"reason,omitempty"`
		}{c.Name, c.File, status, reason}))
	}
}

func indentLines(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// startHarness starts the harness and exchanges start.
func (r *runner) startHarness() error {
	r.starts++
	h, err := startProcess(r.argv)
	if err != nil {
		return err
	}
	line, err := h.call(encodeLine(request{Cmd: "start", Protocol: protocolVersion, Suite: suiteVersion}), 30*time.Second)
	if err != nil {
		h.kill()
		return fmt.Errorf("the harness did not start: %v%s", err, h.stderrTail())
	}
	var info started
	if err := json.Unmarshal(line, &info); err != nil {
		h.kill()
		return fmt.Errorf("the harness answered start with %q: %v", cut(line), err)
	}
	if info.Protocol != protocolVersion {
		h.kill()
		return fmt.Errorf("the harness speaks protocol %d, not %d", info.Protocol, protocolVersion)
	}
	if info.Implementation.Name == "" || info.Implementation.Language == "" {
		h.kill()
		return fmt.Errorf("the harness did not name its implementation and language")
	}
	if r.starts == 1 || r.info.Implementation != info.Implementation {
		fmt.Fprintln(r.out, bannerLine(info.Implementation))
	}
	r.h, r.info = h, info
	return nil
}

func (r *runner) stopHarness() {
	if r.h != nil {
		r.h.stop()
		r.h = nil
	}
}

// harness is a running harness process.
type harness struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	lines   chan []byte   // lines of its standard output; closed at its end
	tooLong bool          // the output ended with a line over maxLine (set before lines closes)
	exited  chan struct{} // closed when the process has exited
	closed  chan struct{} // closed when the runner is done with the harness
	once    sync.Once
	stderr  tail
}

// maxLine bounds one line of a harness's output: the suite's largest
// answer is about 60 KB.
const maxLine = 16 << 20

// waitDelay is how long the runner waits, after a harness exits, for the
// processes it left behind to let go of its output.
const waitDelay = 2 * time.Second

func startProcess(argv []string) (*harness, error) {
	h := &harness{cmd: exec.Command(argv[0], argv[1:]...), lines: make(chan []byte), exited: make(chan struct{}), closed: make(chan struct{})}
	h.cmd.Stderr = &h.stderr
	h.cmd.WaitDelay = waitDelay
	ownGroup(h.cmd)
	var err error
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := h.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := h.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the harness: %v", err)
	}
	go func() {
		defer close(h.lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), maxLine)
		for sc.Scan() {
			select {
			case h.lines <- bytes.Clone(sc.Bytes()):
			case <-h.closed:
				return
			}
		}
		if sc.Err() == bufio.ErrTooLong {
			h.tooLong = true
		}
	}()
	go func() {
		_ = h.cmd.Wait()
		close(h.exited)
	}()
	return h, nil
}

// call sends one request line and waits for one line back, all within
// timeout: a harness that stops reading its input cannot block the runner.
func (h *harness) call(req []byte, timeout time.Duration) ([]byte, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	wrote := make(chan error, 1)
	go func() {
		_, err := h.stdin.Write(req)
		wrote <- err
	}()
	select {
	case err := <-wrote:
		if err != nil {
			return nil, fmt.Errorf("the harness stopped reading its input: %v", err)
		}
	case <-timer.C:
		return nil, fmt.Errorf("the harness did not read its request within %v", timeout)
	}
	select {
	case line, ok := <-h.lines:
		if ok {
			return line, nil
		}
		if h.tooLong {
			return nil, fmt.Errorf("the harness wrote a line over %d bytes", maxLine)
		}
		select {
		case <-h.exited:
			return nil, fmt.Errorf("the harness exited (%v) without answering", h.cmd.ProcessState)
		case <-time.After(time.Second):
			return nil, fmt.Errorf("the harness closed its standard output")
		}
	case <-timer.C:
		return nil, fmt.Errorf("the harness did not answer within %v", timeout)
	}
}

// stop asks the harness to stop, and kills it, with whatever it started,
// if it has not stopped within a few seconds.
func (h *harness) stop() {
	_, _ = h.stdin.Write(encodeLine(request{Cmd: "stop"}))
	_ = h.stdin.Close()
	select {
	case <-h.exited:
		killTree(h.cmd) // what it left behind
	case <-time.After(5 * time.Second):
		h.kill()
	}
	h.close()
}

// kill kills the harness and what it started, and waits for it, no longer
// than waitDelay and a few seconds.
func (h *harness) kill() {
	killTree(h.cmd)
	_ = h.stdin.Close()
	select {
	case <-h.exited:
	case <-time.After(waitDelay + 3*time.Second):
	}
	h.close()
}

// close lets the reader of its output go.
func (h *harness) close() {
	h.once.Do(func() { close(h.closed) })
}

// stderrTail returns the end of what the harness wrote to its standard
// error, to show with a failure.
func (h *harness) stderrTail() string {
	s := strings.TrimSpace(h.stderr.String())
	if s == "" {
		return ""
	}
	return "\nthe harness's standard error ends with:\n" + indentLines(shown(s), "  ")
}

// tail keeps the last 4 KiB written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailBytes = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailBytes {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailBytes:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// cut shortens a line for a message.
func cut(line []byte) string {
	if len(line) > 200 {
		return string(line[:200]) + "…"
	}
	return string(line)
}
