package auth0fake

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/metamerge/metamerge/mgmt"
	"github.com/tidwall/gjson"
)

// clientListParams are the query parameters of GET /api/v2/clients.
var clientListParams = map[string]param{
	"fields": stringParam, "include_fields": boolParam, "page": intParam, "per_page": intParam,
	"include_totals": boolParam, "is_global": boolParam, "is_first_party": boolParam,
	"app_type": stringParam, "external_client_id": stringParam, "q": stringParam,
	"from": stringParam, "take": intParam,
}

// listClients serves GET /api/v2/clients: the clients q and the filters
// select, in creation order, one page of them. No client the fake creates
// is a global client (global false), so is_global=true selects none.
func (s *Server) listClients(w http.ResponseWriter, r *http.Request) {
	lq, p, ae := listParams(r.URL.RawQuery, clientListParams)
	if ae != nil {
		ae.Write(w)
		return
	}
	from, take, ae := checkpoint(p)
	if ae != nil {
		ae.Write(w)
		return
	}
	if take >= 0 {
		lq.page, lq.perPage = 0, take
	}
	if v, ok := p["is_global"]; ok {
		lq.filter = append(lq.filter, term{path: []string{"global"}, value: v})
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
	if from != "" {
		docs = fromClient(docs, from)
	}
	s.writeList(w, wk, window(docs, lq.page, lq.perPage), lq, len(docs), "clients", false)
}

// checkpoint reads the checkpoint paging of GET /api/v2/clients: take, the
// number of clients (at most 100, as per_page; -1 when absent), and from,
// the id of the client to start from ("" or absent: the first). With
// take, the answer is the first take clients from there (page is
// ignored), as a bare array or, with include_totals, in the usual
// envelope.
func checkpoint(p map[string]string) (from string, take int, ae *mgmt.Answer) {
	v, ok := p["take"]
	if !ok {
		return p["from"], -1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxPerPage {
		return "", 0, queryError("Value "+mgmt.Quote(v)+" is greater than maximum "+strconv.Itoa(maxPerPage), "take")
	}
	return p["from"], n, nil
}

// fromClient returns docs from the client whose client_id is id; none
// when there is no such client.
func fromClient(docs [][]byte, id string) [][]byte {
	for i, d := range docs {
		if gjson.GetBytes(d, "client_id").Str == id {
			return docs[i:]
		}
	}
	return nil
}
