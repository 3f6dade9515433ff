// Command extract regenerates the recordings that auth0fake's replay test
// reads (../cassettes.jsonl.gz and ../sources.json) from two public
// repositories whose tests record live Auth0 traffic with go-vcr:
//
//	auth0/terraform-provider-auth0  test/data/recordings
//	auth0/go-auth0 (branch v1)       test/data/recordings
//
// Run it from this directory with a clone of each (a bare clone will do):
//
//	go run . -terraform ~/src/terraform-provider-auth0 -goauth0 ~/src/go-auth0
//
// It reads the pinned commits below (git must be on PATH), so its output is
// the same wherever it runs. It keeps only the cassettes that touch the
// endpoints the fake serves (/api/v2/users, /api/v2/clients, one document
// of either, /api/v2/users-by-email, /dbconnections/signup); of those, it
// keeps every interaction in order, with request and response bodies for
// the served endpoints and only method, path and status for the others, so
// that the replay can count them as not replayable. It also records the
// JSON names of go-auth0's Client struct, because the recorders decode
// client answers into it and encode them again, dropping the other members.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The commits the checked-in extract was made from.
const (
	terraformCommit = "a00b69214a6c1daef76cf89d25ece690c7f9db22" // main, 2026-08-18
	goAuth0Commit   = "213cca328f5c441c7e032e9e24995d43c6dfd2a4" // v1, 2026-07-24
	recordingsDir   = "test/data/recordings"
	sdkClientFile   = "management/client.go"
)

// served are the paths the fake answers; interactions on them keep their
// bodies.
var served = regexp.MustCompile(`^/api/v2/(users|clients)(/[^/]+)?$|^/api/v2/users-by-email$|^/dbconnections/signup$`)

// Source is one repository the extract was made from.
type Source struct {
	Name   string `json:"name"`   // short name, the prefix of each cassette's key
	Repo   string `json:"repo"`   // owner/name on GitHub
	Commit string `json:"commit"` // the commit read
	Dir    string `json:"dir"`    // the directory of the cassettes
}

// Sources is sources.json.
type Sources struct {
	Sources []Source `json:"sources"`
	// SDKClientMembers are the JSON names of go-auth0's Client struct in
	// each version the cassettes were recorded with (Cassette.SDK): the
	// members a recorder's round trip keeps.
	SDKClientMembers map[string][]string `json:"sdk_client_members"`
}

// Cassette is one line of cassettes.jsonl: one recorded test.
type Cassette struct {
	Key       string `json:"key"` // source/name, name without .yaml
	UserAgent string `json:"user_agent,omitempty"`
	// SDK is the version of go-auth0 whose Client struct the recorder
	// decoded client answers into: the tag named by the User-Agent, or,
	// for go-auth0's own "latest", the last commit that changed the
	// cassette.
	SDK          string        `json:"sdk"`
	Interactions []Interaction `json:"interactions"`
}

// Interaction is one request and its answer. Bodies are kept only for the
// endpoints the fake serves (Served true).
type Interaction struct {
	Method   string `json:"method"`
	URL      string `json:"url"` // path and query; the query only when Served
	Status   int    `json:"status"`
	Served   bool   `json:"served,omitempty"`
	Request  string `json:"request,omitempty"`
	Response string `json:"response,omitempty"`
}

// vcr is the part of a go-vcr version 2 cassette that the extract needs.
type vcr struct {
	Interactions []struct {
		Request struct {
			Body    string              `yaml:"body"`
			URL     string              `yaml:"url"`
			Method  string              `yaml:"method"`
			Headers map[string][]string `yaml:"headers"`
		} `yaml:"request"`
		Response struct {
			Body string `yaml:"body"`
			Code int    `yaml:"code"`
		} `yaml:"response"`
	} `yaml:"interactions"`
}

func main() {
	terraform := flag.String("terraform", "", "a clone of github.com/auth0/terraform-provider-auth0")
	goauth0 := flag.String("goauth0", "", "a clone of github.com/auth0/go-auth0")
	out := flag.String("out", "..", "the directory to write cassettes.jsonl.gz and sources.json to")
	flag.Parse()
	if *terraform == "" || *goauth0 == "" {
		fmt.Fprintln(os.Stderr, "usage: go run . -terraform DIR -goauth0 DIR [-out DIR]")
		os.Exit(2)
	}
	if err := run(*terraform, *goauth0, *out); err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
}

func run(terraform, goauth0, out string) error {
	srcs := Sources{Sources: []Source{
		{Name: "terraform", Repo: "auth0/terraform-provider-auth0", Commit: terraformCommit, Dir: recordingsDir},
		{Name: "go-auth0", Repo: "auth0/go-auth0", Commit: goAuth0Commit, Dir: recordingsDir},
	}}
	clones := map[string]string{"terraform": terraform, "go-auth0": goauth0}
	var all []Cassette
	srcs.SDKClientMembers = map[string][]string{}
	for _, s := range srcs.Sources {
		cs, err := readSource(clones[s.Name], s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Repo, err)
		}
		for i := range cs {
			if err := sdkVersion(&cs[i], clones[s.Name], s, goauth0, srcs.SDKClientMembers); err != nil {
				return fmt.Errorf("%s: %s: %w", s.Repo, cs[i].Key, err)
			}
		}
		all = append(all, cs...)
	}

	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	n := 0
	for _, c := range all {
		if err := enc.Encode(c); err != nil {
			return err
		}
		n += len(c.Interactions)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "cassettes.jsonl.gz"), buf.Bytes(), 0o644); err != nil {
		return err
	}
	meta, err := sourcesJSON(srcs)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "sources.json"), meta, 0o644); err != nil {
		return err
	}
	fmt.Printf("%d cassettes, %d interactions, %d bytes compressed\n", len(all), n, buf.Len())
	return nil
}

// sourcesJSON encodes srcs for people to read: one line per source and
// per version of the SDK.
func sourcesJSON(srcs Sources) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n  \"sources\": [")
	for i, s := range srcs.Sources {
		line, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(line)
	}
	b.WriteString("\n  ],\n  \"sdk_client_members\": {")
	refs := make([]string, 0, len(srcs.SDKClientMembers))
	for ref := range srcs.SDKClientMembers {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for i, ref := range refs {
		k, _ := json.Marshal(ref)
		v, err := json.Marshal(srcs.SDKClientMembers[ref])
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n    %s: %s", k, v)
	}
	b.WriteString("\n  }\n}\n")
	if !json.Valid(b.Bytes()) {
		return nil, fmt.Errorf("sources.json: not valid JSON")
	}
	return b.Bytes(), nil
}

// readSource returns the cassettes of s that touch a served endpoint,
// sorted by key.
func readSource(clone string, s Source) ([]Cassette, error) {
	list, err := git(clone, "ls-tree", "-r", "--name-only", s.Commit, "--", s.Dir)
	if err != nil {
		return nil, err
	}
	var cs []Cassette
	for _, p := range strings.Fields(string(list)) {
		if !strings.HasSuffix(p, ".yaml") {
			continue
		}
		body, err := gitShow(clone, s.Commit+":"+p)
		if err != nil {
			return nil, err
		}
		c, err := convert(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		c.Key = s.Name + "/" + strings.TrimSuffix(strings.TrimPrefix(p, s.Dir+"/"), ".yaml")
		if c.touches() {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Key < cs[j].Key })
	return cs, nil
}

var userAgent = regexp.MustCompile(`^Go-Auth0(?:-SDK)?/(\d+\.\d+\.\d+\S*)$`)

// sdkVersion sets c.SDK and adds the JSON names of that version's Client
// struct to members.
func sdkVersion(c *Cassette, clone string, s Source, goauth0 string, members map[string][]string) error {
	ref := ""
	if m := userAgent.FindStringSubmatch(c.UserAgent); m != nil {
		if _, err := git(goauth0, "rev-parse", "--verify", "v"+m[1]+"^{commit}"); err == nil {
			ref = "v" + m[1]
		}
	}
	if ref == "" && s.Name == "go-auth0" {
		p := s.Dir + "/" + strings.TrimPrefix(c.Key, s.Name+"/") + ".yaml"
		out, err := git(clone, "log", "-1", "--format=%H", s.Commit, "--", p)
		if err != nil {
			return err
		}
		ref = strings.TrimSpace(string(out))
	}
	if ref == "" {
		ref = goAuth0Commit
	}
	c.SDK = ref
	if members[ref] != nil {
		return nil
	}
	src, err := gitShow(goauth0, ref+":"+sdkClientFile)
	if err != nil {
		return err
	}
	names, err := jsonNames(src, "Client")
	if err != nil {
		return err
	}
	members[ref] = names
	return nil
}

func (c Cassette) touches() bool {
	for _, in := range c.Interactions {
		if in.Served {
			return true
		}
	}
	return false
}

func convert(doc []byte) (Cassette, error) {
	var v vcr
	if err := yaml.Unmarshal(doc, &v); err != nil {
		return Cassette{}, err
	}
	var c Cassette
	for _, in := range v.Interactions {
		u, err := url.Parse(in.Request.URL)
		if err != nil {
			return Cassette{}, err
		}
		if ua := in.Request.Headers["User-Agent"]; c.UserAgent == "" && len(ua) > 0 {
			c.UserAgent = ua[0]
		}
		x := Interaction{Method: in.Request.Method, URL: u.EscapedPath(), Status: in.Response.Code}
		if served.MatchString(u.Path) {
			x.Served = true
			if u.RawQuery != "" {
				x.URL += "?" + u.RawQuery
			}
			x.Request = strings.TrimSuffix(in.Request.Body, "\n")
			x.Response = strings.TrimSuffix(in.Response.Body, "\n")
		}
		c.Interactions = append(c.Interactions, x)
	}
	return c, nil
}

// jsonNames returns the JSON member names of the struct typ in the Go
// source src, in declaration order.
func jsonNames(src []byte, typ string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), sdkClientFile, src, 0)
	if err != nil {
		return nil, err
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != typ {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return false
		}
		for _, field := range st.Fields.List {
			if field.Tag == nil {
				continue
			}
			tag, err := strconv.Unquote(field.Tag.Value)
			if err != nil {
				continue
			}
			name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
			if name != "" && name != "-" {
				names = append(names, name)
			}
		}
		return false
	})
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no struct %s with JSON tags", sdkClientFile, typ)
	}
	return names, nil
}

func gitShow(clone, object string) ([]byte, error) {
	return git(clone, "cat-file", "blob", object)
}

func git(clone string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", clone}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return outb, nil
}
