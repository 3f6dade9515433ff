package auth0fake

import (
	"net/http"
	"strings"
)

// clientListParams are the query parameters of GET /api/v2/clients.
var clientListParams = map[string]param{
	"fields": stringParam, "include_fields": boolParam, "page": intParam, "per_page": intParam,
	"include_totals": boolParam, "is_global": boolParam, "is_first_party": boolParam,
	"app_type": stringParam, "external_client_id": stringParam, "q": stringParam,
}

// listClients serves GET /api/v2/clients: the clients q and the filters
// select, in creation order, one page of them. No client of the fake is a
// global client, so is_global=true selects none.
func (s *Server) listClients(w http.ResponseWriter, r *http.Request) {
	lq, p, ae := listParams(r.URL.RawQuery, clientListParams)
	if ae != nil {
		ae.Write(w)
		return
	}
	if p["is_global"] == "true" {
		lq.filter = append(lq.filter, term{path: []string{"global"}, value: "true"})
	}
	if v, ok := p["is_first_party"]; ok {
		lq.filter = append(lq.filter, term{path: []string{"is_first_party"}, value: v})
	}
	if v, ok := p["external_client_id"]; ok {
		lq.filter = append(lq.filter, term{path: []string{"external_client_id"}, value: v})
	}
	if v, ok := p["app_type"]; ok {
		lq.filter = append(lq.filter, term{path: []string{"app_type"}, anyOf: strings.Split(v, ",")})
	}
	wk := newWork(r.Context(), s.budget)
	docs, ok := s.filterDocs(s.clients.all(), lq, wk)
	if !ok {
		wk.answer(w)
		return
	}
	s.writeList(w, wk, window(docs, lq.page, lq.perPage), lq, len(docs), "clients", false)
}
