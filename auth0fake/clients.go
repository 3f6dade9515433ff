package auth0fake

import (
	"net/http"
	"strings"

	"github.com/metamerge/metamerge"
)

// clientMembers are the members of POST /api/v2/clients as Auth0's API
// lists them (CreateClientRequestContent); PATCH takes the same and
// client_secret. The types of the common ones are checked; the others are
// stored as they come.
var clientMembers = strings.Fields(`name description logo_uri callbacks oidc_logout
	oidc_backchannel_logout session_transfer allowed_origins web_origins client_aliases
	allowed_clients allowed_logout_urls grant_types token_endpoint_auth_method
	is_token_endpoint_ip_header_trusted app_type is_first_party oidc_conformant
	jwt_configuration encryption_key sso cross_origin_authentication cross_origin_loc
	sso_disabled custom_login_page_on custom_login_page custom_login_page_preview
	form_template addons client_metadata mobile initiate_login_uri native_social_login
	fedcm_login refresh_token default_organization organization_usage
	organization_require_behavior organization_discovery_methods
	client_authentication_methods require_pushed_authorization_requests
	require_proof_of_possession signed_request_object token_vault_privileged_access
	compliance_level skip_non_verifiable_callback_uri_confirmation_prompt token_exchange
	par_request_expiry token_quota resource_server_identifier
	identity_assertion_authorization_grant anonymous_sessions third_party_security_mode
	redirection_policy express_configuration my_organization_configuration
	async_approval_notification_channels`)

var clientCreate, clientPatch = clientSchemas()

func clientSchemas() (create, patch *schema) {
	typed := map[string]prop{
		"name":                                {kind: stringKind, minLen: 1},
		"description":                         {kind: stringKind},
		"logo_uri":                            {kind: stringKind},
		"app_type":                            {kind: stringKind},
		"callbacks":                           {kind: arrayKind},
		"allowed_origins":                     {kind: arrayKind},
		"web_origins":                         {kind: arrayKind},
		"client_aliases":                      {kind: arrayKind},
		"allowed_clients":                     {kind: arrayKind},
		"allowed_logout_urls":                 {kind: arrayKind},
		"grant_types":                         {kind: arrayKind},
		"is_first_party":                      {kind: boolKind},
		"oidc_conformant":                     {kind: boolKind},
		"sso_disabled":                        {kind: boolKind},
		"custom_login_page_on":                {kind: boolKind},
		"is_token_endpoint_ip_header_trusted": {kind: boolKind},
		"cross_origin_authentication":         {kind: boolKind},
		"client_metadata":                     {kind: objectKind},
	}
	create = &schema{props: map[string]prop{}, required: []string{"name"}}
	patch = &schema{props: map[string]prop{"client_secret": {kind: stringKind, minLen: 1}}}
	for _, name := range clientMembers {
		create.props[name] = typed[name] // anyKind when not typed
		patch.props[name] = typed[name]
	}
	return create, patch
}

// clientDefaults are the settings Auth0 gives a new client that does not
// set them (from recorded answers of Auth0's API).
const clientDefaults = `"is_first_party":true,"is_token_endpoint_ip_header_trusted":false,` +
	`"oidc_conformant":false,"jwt_configuration":{"secret_encoded":false,"lifetime_in_seconds":36000},` +
	`"sso_disabled":false,"cross_origin_authentication":false,` +
	`"grant_types":["authorization_code","implicit","refresh_token","client_credentials"],` +
	`"custom_login_page_on":true,"refresh_token":{"rotation_type":"non-rotating",` +
	`"expiration_type":"non-expiring","leeway":0,"token_lifetime":2592000,` +
	`"infinite_token_lifetime":true,"infinite_idle_token_lifetime":true,"idle_token_lifetime":1296000}`

// createClient serves POST /api/v2/clients: 201 and the new client, with a
// client_id of 32 letters and digits and a client_secret of 64 characters.
// The request is merged with metamerge.MergeClient into the defaults, so
// client_metadata follows C1–C5 from the start ({} creates it empty).
func (s *Server) createClient(w http.ResponseWriter, r *http.Request) {
	members, ok := s.clientBody(w, r, clientCreate)
	if !ok {
		return
	}
	id := clientID()
	base := `{"name":` + find(members, "name").Raw + `,"client_id":"` + id + `","client_secret":"` + clientSecret() + `",` + clientDefaults + `}`
	doc, err := metamerge.MergeClient([]byte(base), rebuild(members))
	if err = checkMerge(err); err == nil {
		err = s.clients.insert(id, doc, nil)
	}
	if err != nil {
		s.fail(w, r, err, errNoClient, errNoClient)
		return
	}
	writeJSON(w, http.StatusCreated, doc)
}

// clientBody reads the body of a client request and checks it, first with
// the merge rules (C1–C5, H1–H10), then with the request's schema; it
// answers the error itself, and then returns false.
func (s *Server) clientBody(w http.ResponseWriter, r *http.Request, sc *schema) ([]member, bool) {
	body, ae := s.readBody(w, r)
	if ae != nil {
		ae.write(w)
		return nil, false
	}
	if err := checkMerge(metamerge.ClientRules{}.Check(body)); err != nil {
		s.fail(w, r, err, errNoClient, errNoClient)
		return nil, false
	}
	members, ae := sc.check(body)
	if ae != nil {
		ae.write(w)
		return nil, false
	}
	return members, true
}

// getClient serves GET /api/v2/clients/{id}.
func (s *Server) getClient(w http.ResponseWriter, r *http.Request) {
	fields, ae := getQuery(r.URL.Query())
	if ae != nil {
		ae.write(w)
		return
	}
	doc, ok := s.clients.get(r.PathValue("id"))
	if !ok {
		errNoClient.write(w)
		return
	}
	writeJSON(w, http.StatusOK, fields.apply(doc))
}

// patchClient serves PATCH /api/v2/clients/{id}: the body is merged into
// the stored client with metamerge.MergeClient, atomically.
func (s *Server) patchClient(w http.ResponseWriter, r *http.Request) {
	members, ok := s.clientBody(w, r, clientPatch)
	if !ok {
		return
	}
	patch := rebuild(members)
	doc, err := s.clients.update(r.PathValue("id"), func(stored []byte) ([]byte, error) {
		merged, err := metamerge.MergeClient(stored, patch)
		return merged, checkMerge(err)
	}, noKeys)
	if err != nil {
		s.fail(w, r, err, errNoClient, errNoClient)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

// deleteClient serves DELETE /api/v2/clients/{id}: 204, also for a client
// that does not exist, as Auth0 answers.
func (s *Server) deleteClient(w http.ResponseWriter, r *http.Request) {
	if err := s.clients.remove(r.PathValue("id")); err != nil {
		s.fail(w, r, err, errNoClient, errNoClient)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

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
	lq, p, ae := listParams(r.URL.Query(), clientListParams)
	if ae != nil {
		ae.write(w)
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
