package auth0fake

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/metamerge/metamerge/mgmt"
)

// Bounds of the query string, so that no query costs more than a small
// multiple of the documents it reads.
const (
	maxParamLen  = 4096 // characters in one parameter's value
	maxPerPage   = 100  // Auth0's maximum page size
	defPerPage   = 50   // the page size when per_page is absent
	maxUserPages = 1000 // users past this offset cannot be paged to (Auth0)
	// maxPage stands for any larger page number: maxPage*maxPerPage fits
	// in a 32-bit int, and no collection of the fake is that long.
	maxPage = 1 << 24
)

// param is how one query parameter is read.
type param uint8

const (
	intParam    param = iota + 1 // a non-negative integer
	boolParam                    // true or false
	stringParam                  // any string
)

// listQuery is what a list request asks for.
type listQuery struct {
	page, perPage int
	totals        bool
	fields        fieldSet
	filter        []term // every term must match
	sort          *sortKey
}

// getQuery reads the raw query of a request for one document: fields
// and include_fields.
func getQuery(raw string) (fieldSet, *mgmt.Answer) {
	p, err := readParams(raw, map[string]param{"fields": stringParam, "include_fields": boolParam})
	if err != nil {
		return fieldSet{}, err
	}
	return newFieldSet(p["fields"], p["include_fields"] != "false"), nil
}

// readParams reads raw, a request's query string, checks it against
// allowed (name → how it is read) and returns each value given. A query
// string that does not parse (a ";" separator, a bad %-escape: Go's
// parser would drop the parameter), an unknown name, a repeated one, a
// value of the wrong type or one over maxParamLen characters is a 400
// invalid_query_string in the schema validator's words (a repeated
// parameter arrives as an array in Auth0's framework, and is reported
// so): never a query read another way.
func readParams(raw string, allowed map[string]param) (map[string]string, *mgmt.Answer) {
	values, perr := url.ParseQuery(raw)
	if perr != nil {
		return nil, queryError("Query string is not valid: "+mgmt.Quote(perr.Error()), "")
	}
	out := make(map[string]string, len(values))
	for name, vs := range values {
		kind, ok := allowed[name]
		if !ok {
			return nil, queryError("Additional properties not allowed: "+mgmt.Quote(name), "")
		}
		want := [...]string{intParam: "integer", boolParam: "boolean", stringParam: "string"}[kind]
		if len(vs) != 1 {
			return nil, queryError("Expected type "+want+" but found type array", name)
		}
		v := vs[0]
		if n := utf8.RuneCountInString(v); n > maxParamLen {
			return nil, queryError("String is too long ("+strconv.Itoa(n)+" chars), maximum "+strconv.Itoa(maxParamLen), name)
		}
		switch kind {
		case intParam:
			digits := strings.TrimPrefix(v, "-")
			if digits == "" || strings.Trim(digits, "0123456789") != "" {
				return nil, queryError("Expected type integer but found type string", name)
			}
			if digits != v {
				return nil, queryError("Value "+mgmt.Quote(v)+" is less than minimum 0", name)
			}
		case boolParam:
			if v != "true" && v != "false" {
				return nil, queryError("Expected type boolean but found type string", name)
			}
		}
		out[name] = v
	}
	return out, nil
}

// pageParams reads page and per_page; a page too large to reach any
// document is read as "past the end", never overflowing.
func pageParams(p map[string]string) (page, perPage int, err *mgmt.Answer) {
	perPage = defPerPage
	if v, ok := p["per_page"]; ok {
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n > maxPerPage {
			return 0, 0, queryError("Value "+mgmt.Quote(v)+" is greater than maximum "+strconv.Itoa(maxPerPage), "per_page")
		}
		perPage = n
	}
	if v, ok := p["page"]; ok {
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n > maxPage {
			n = maxPage // past any collection's end; page*perPage still fits in an int
		}
		page = n
	}
	return page, perPage, nil
}

// window returns the part of items that page page of perPage holds.
func window[T any](items []T, page, perPage int) []T {
	start := page * perPage
	if start >= len(items) {
		return nil
	}
	return items[start:min(start+perPage, len(items))]
}

// fieldSet is the fields and include_fields parameters: which root members
// of each document an answer keeps.
type fieldSet struct {
	names   map[string]bool // nil: every member
	include bool
}

// newFieldSet reads a comma-separated list of root member names. Names are
// compared with the decoded names of the documents, never used as paths.
func newFieldSet(list string, include bool) fieldSet {
	if list == "" {
		return fieldSet{include: include}
	}
	names := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names[n] = true
		}
	}
	return fieldSet{names: names, include: include}
}

// apply returns doc with only the members fs keeps; doc itself when it
// keeps them all.
func (fs fieldSet) apply(doc []byte) []byte {
	if fs.names == nil {
		return doc
	}
	out := []byte{'{'}
	eachMember(doc, func(name, raw, value string) {
		if fs.names[name] != fs.include {
			return
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, raw...)
		out = append(out, ':')
		out = append(out, value...)
	})
	return append(out, '}')
}

// listParams reads raw, the query string of a list request: the parameters in allowed
// (names to how they are read), of which page, per_page, include_totals,
// fields, include_fields, q and sort are acted on; connection and the
// client filters are turned into terms by the caller.
func listParams(raw string, allowed map[string]param) (listQuery, map[string]string, *mgmt.Answer) {
	p, err := readParams(raw, allowed)
	if err != nil {
		return listQuery{}, nil, err
	}
	var lq listQuery
	if lq.page, lq.perPage, err = pageParams(p); err != nil {
		return listQuery{}, nil, err
	}
	lq.totals = p["include_totals"] == "true"
	lq.fields = newFieldSet(p["fields"], p["include_fields"] != "false")
	if q, ok := p["q"]; ok {
		terms, perr := parseQuery(q)
		if perr != "" {
			return listQuery{}, nil, queryError(perr, "q")
		}
		lq.filter = terms
	}
	if s, ok := p["sort"]; ok {
		key, serr := parseSort(s)
		if serr != "" {
			return listQuery{}, nil, queryError(serr, "sort")
		}
		lq.sort = key
	}
	return lq, p, nil
}
