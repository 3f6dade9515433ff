package auth0fake

import (
	"net/http"

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
