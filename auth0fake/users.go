package auth0fake

import (
	"net/http"
	"strings"

	"github.com/metamerge/metamerge/mgmt"
)

// userListParams are the query parameters of GET /api/v2/users.
var userListParams = map[string]param{
	"page": intParam, "per_page": intParam, "include_totals": boolParam, "sort": stringParam,
	"connection": stringParam, "fields": stringParam, "include_fields": boolParam, "q": stringParam,
	"search_engine": stringParam, "primary_order": boolParam,
}

// listUsers serves GET /api/v2/users: the users q and connection select,
// in creation order or sorted, one page of them.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	lq, p, ae := listParams(r.URL.RawQuery, userListParams)
	if ae != nil {
		ae.Write(w)
		return
	}
	if v, ok := p["search_engine"]; ok && v != "v1" && v != "v2" && v != "v3" {
		queryError("No enum match for: "+mgmt.Quote(v), "search_engine").Write(w)
		return
	}
	if lq.perPage > 0 && (lq.page+1)*lq.perPage > maxUserPages {
		errPaging().Write(w)
		return
	}
	if c, ok := p["connection"]; ok {
		lq.filter = append(lq.filter, term{path: []string{"identities", "connection"}, value: c})
	}
	wk := newWork(r.Context(), s.budget)
	docs, ok := s.filterDocs(s.users.all(), lq, wk)
	if !ok {
		wk.answer(w)
		return
	}
	s.writeList(w, wk, window(docs, lq.page, lq.perPage), lq, len(docs), "users", true)
}

// usersByEmailParams are the query parameters of GET
// /api/v2/users-by-email.
var usersByEmailParams = map[string]param{"email": stringParam, "fields": stringParam, "include_fields": boolParam}

// usersByEmail serves GET /api/v2/users-by-email?email= (M7): every user
// with that email, in any connection, compared in lower case, as a bare
// array (no paging, no totals). email is required.
func (s *Server) usersByEmail(w http.ResponseWriter, r *http.Request) {
	p, ae := readParams(r.URL.RawQuery, usersByEmailParams)
	if ae != nil {
		ae.Write(w)
		return
	}
	email, ok := p["email"]
	if !ok {
		queryError("Missing required property: email", "").Write(w)
		return
	}
	lq := listQuery{
		filter: []term{{path: []string{"email"}, value: strings.ToLower(email), fold: true}},
		fields: newFieldSet(p["fields"], p["include_fields"] != "false"),
	}
	wk := newWork(r.Context(), s.budget)
	docs, ok := s.filterDocs(s.users.all(), lq, wk)
	if !ok {
		wk.answer(w)
		return
	}
	s.writeList(w, wk, docs, lq, len(docs), "users", true)
}
