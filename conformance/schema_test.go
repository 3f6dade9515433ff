package conformance_test

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/metamerge/metamerge/conformance"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestVectorsFollowTheSchema validates every vector file against the
// published JSON Schema with an independent validator, so that the schema
// other languages rely on cannot drift from the files.
func TestVectorsFollowTheSchema(t *testing.T) {
	schema := compileSchema(t)
	files, err := fs.Glob(conformance.FS, "vectors/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no vector files: %v", err)
	}
	for _, name := range files {
		if err := schema.Validate(load(t, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSchemaRejects checks that the schema can fail: each document breaks
// one of its rules.
func TestSchemaRejects(t *testing.T) {
	schema := compileSchema(t)
	ok := `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}"}`
	if err := schema.Validate(decode(t, `{"description":"d","cases":[`+ok+`]}`)); err != nil {
		t.Fatalf("a good file: %v", err)
	}
	for reason, c := range map[string]string{
		"result and errors":     `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}","errors":[]}`,
		"neither":               `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}"}`,
		"unknown op":            `{"name":"a","comment":"c","rules":["R3"],"op":"merge_group","stored":"{}","patch":"{}","result":"{}"}`,
		"unknown code":          `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","errors":[{"code":"oops","pointer":""}]}`,
		"pointer without slash": `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","patch":"{}","errors":[{"code":"invalid_key","pointer":"a"}]}`,
		"unknown tag":           `{"name":"a","comment":"c","rules":["R3"],"tags":["slow"],"op":"merge_user","stored":"{}","patch":"{}","result":"{}"}`,
		"merge without policy":  `{"name":"a","comment":"c","rules":["R3"],"op":"merge","patch":"{}","result":"{}"}`,
		"text and base64":       `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":"{}","stored_base64":"e30=","patch":"{}","result":"{}"}`,
		"document as a value":   `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","stored":{},"patch":"{}","result":"{}"}`,
		"signup with result":    `{"name":"a","comment":"c","rules":["S1"],"op":"validate_signup","metadata":"{}","result":null}`,
		"http and no_http":      `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","http":true,"no_http":"why","stored":"{}","patch":"{}","result":"{}"}`,
		"http on a diff":        `{"name":"a","comment":"c","rules":["D1"],"op":"diff_user","http":true,"before":"{}","after":"{}","result":"{}"}`,
		"http false":            `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","http":false,"stored":"{}","patch":"{}","result":"{}"}`,
		"empty no_http":         `{"name":"a","comment":"c","rules":["R3"],"op":"merge_user","no_http":"","stored":"{}","patch":"{}","result":"{}"}`,
		"signup with options":   `{"name":"a","comment":"c","rules":["S1"],"op":"validate_signup","metadata":"{}","options":{"max_depth":2},"errors":[]}`,
	} {
		if err := schema.Validate(decode(t, `{"description":"d","cases":[`+c+`]}`)); err == nil {
			t.Errorf("%s: accepted", reason)
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	if err := c.AddResource("vectors.schema.json", load(t, "vectors.schema.json")); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("vectors.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func load(t *testing.T, name string) any {
	t.Helper()
	data, err := fs.ReadFile(conformance.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, string(data))
}

func decode(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(s)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
