package auth0fake

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/metamerge/metamerge"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// The members of POST and PATCH /api/v2/users, as Auth0's API lists them
// (CreateUserRequestContent and UpdateUserRequestContent). Any other
// member is refused, as Auth0 refuses it.
// maxUserID is the longest user_id a request may give: ids travel in the
// paths of later requests, whose headers a server limits (a decision; Auth0
// documents no limit).
const maxUserID = 255

var (
	userCreate = &schema{props: map[string]prop{
		"connection":     {kind: stringKind, minLen: 1},
		"email":          {kind: stringKind, email: true},
		"phone_number":   {kind: stringKind},
		"user_metadata":  {kind: objectKind},
		"app_metadata":   {kind: objectKind},
		"blocked":        {kind: boolKind},
		"email_verified": {kind: boolKind},
		"phone_verified": {kind: boolKind},
		"verify_email":   {kind: boolKind},
		"given_name":     {kind: stringKind},
		"family_name":    {kind: stringKind},
		"name":           {kind: stringKind},
		"nickname":       {kind: stringKind},
		"picture":        {kind: stringKind},
		"user_id":        {kind: stringKind, minLen: 1, maxLen: maxUserID},
		"password":       {kind: stringKind, minLen: 1},
		"username":       {kind: stringKind, minLen: 1},
	}, required: []string{"connection"}}

	userPatch = &schema{props: map[string]prop{
		"blocked":             {kind: boolKind},
		"email_verified":      {kind: boolKind},
		"email":               {kind: stringKind, nullable: true, email: true},
		"phone_number":        {kind: stringKind, nullable: true},
		"phone_verified":      {kind: boolKind},
		"user_metadata":       {kind: objectKind},
		"app_metadata":        {kind: objectKind},
		"given_name":          {kind: stringKind, nullable: true},
		"family_name":         {kind: stringKind, nullable: true},
		"name":                {kind: stringKind, nullable: true},
		"nickname":            {kind: stringKind, nullable: true},
		"picture":             {kind: stringKind, nullable: true},
		"verify_email":        {kind: boolKind},
		"verify_phone_number": {kind: boolKind},
		"password":            {kind: stringKind, nullable: true, minLen: 1},
		"connection":          {kind: stringKind, minLen: 1},
		"client_id":           {kind: stringKind},
		"username":            {kind: stringKind, nullable: true, minLen: 1},
	}}
)

// Members of a user request that are instructions, not profile data: they
// are never stored.
var (
	createOnly = []string{"connection", "password", "verify_email", "user_id", "email"}
	patchOnly  = []string{"connection", "password", "verify_email", "verify_phone_number", "client_id"}
)

// errUsernameTaken answers a PATCH whose new username another user of the
// connection has (our wording, after the email's).
var errUsernameTaken = &apiError{http.StatusBadRequest, "The specified new username already exists", "auth0_idp_error"}

// userKeys returns the values no two users may share: the email and the
// username, each within the user's connection, in lower case.
func userKeys(doc []byte) []string {
	r := gjson.GetManyBytes(doc, "identities.0.connection", "email", "username")
	var keys []string
	// The connection's length comes first, so that no connection and
	// value can spell the key of another pair.
	conn := strconv.Itoa(len(r[0].Str)) + ":" + r[0].Str
	if r[1].Type == gjson.String {
		keys = append(keys, "email:"+conn+strings.ToLower(r[1].Str))
	}
	if r[2].Type == gjson.String {
		keys = append(keys, "username:"+conn+strings.ToLower(r[2].Str))
	}
	return keys
}

// noKeys is the unique values of a client: none.
func noKeys([]byte) []string { return nil }

// createUser serves POST /api/v2/users: 201 and the new profile.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	body, ae := s.readBody(w, r)
	if ae != nil {
		ae.write(w)
		return
	}
	if err := checkMerge(metamerge.UserRules{}.Check(body)); err != nil {
		s.fail(w, r, err, errNoUser, errUserExists)
		return
	}
	members, ae := userCreate.check(body)
	if ae != nil {
		ae.write(w)
		return
	}
	doc, err := s.newUser(members)
	if err == nil {
		err = s.users.insert(gjson.GetBytes(doc, "user_id").Str, doc, userKeys(doc))
	}
	if err != nil {
		s.fail(w, r, err, errNoUser, errUserExists)
		return
	}
	writeJSON(w, http.StatusCreated, doc)
}

// newUser builds the profile of a new user from the members of a create
// request: the members Auth0 sets (user_id, identities, created_at,
// updated_at, and name, nickname and picture where not given), then the
// request's profile members merged in with the library, metadata included.
func (s *Server) newUser(members []member) ([]byte, error) {
	now := s.now()
	ts := stamp(now)
	connection := find(members, "connection").Str
	local := objectID(now)
	if v := find(members, "user_id"); v != nil {
		local = v.Str
	}
	var email, username string
	if v := find(members, "email"); v != nil {
		email = strings.ToLower(v.Str)
	}
	if v := find(members, "username"); v != nil {
		username = v.Str
	}
	name, nickname := cmpOrStr(email, username, local), cmpOrStr(localPart(email), username, local)
	identities := `[{"connection":` + string(jsonString(connection)) + `,"user_id":` + string(jsonString(local)) + `,"provider":"auth0","isSocial":false}]`

	st := stamper{doc: []byte(`{}`)}
	st.set("created_at", ts)
	if email != "" {
		st.set("email", email)
	}
	st.set("email_verified", false)
	st.setRaw("identities", identities)
	st.set("name", name)
	st.set("nickname", nickname)
	if email != "" {
		st.set("picture", gravatar(email, nickname))
	}
	st.set("updated_at", ts)
	st.set("user_id", "auth0|"+local)
	if st.err != nil {
		return nil, st.err
	}
	doc, err := metamerge.MergeUser(st.doc, rebuild(members, createOnly...))
	return doc, checkMerge(err)
}

// cmpOrStr returns the first of its arguments that is not empty.
func cmpOrStr(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// stamper sets members Auth0 manages into a document with sjson, by fixed
// paths only (no path here comes from a request), keeping the first error.
type stamper struct {
	doc []byte
	err error
}

func (st *stamper) set(path string, value any) {
	if st.err == nil {
		st.doc, st.err = sjson.SetBytes(st.doc, path, value)
	}
}

func (st *stamper) setRaw(path, raw string) {
	if st.err == nil {
		st.doc, st.err = sjson.SetRawBytes(st.doc, path, []byte(raw))
	}
}

// getUser serves GET /api/v2/users/{id}.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	fields, ae := getQuery(r.URL.Query())
	if ae != nil {
		ae.write(w)
		return
	}
	doc, ok := s.users.get(r.PathValue("id"))
	if !ok {
		errNoUser.write(w)
		return
	}
	writeJSON(w, http.StatusOK, fields.apply(doc))
}

// patchUser serves PATCH /api/v2/users/{id}: the body is merged into the
// stored profile with metamerge.MergeUser, atomically, and updated_at is
// stamped. A new email is stored in lower case and, unless the body sets
// email_verified, unverifies the address; a password sets
// last_password_reset (the password itself is never stored).
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	body, ae := s.readBody(w, r)
	if ae != nil {
		ae.write(w)
		return
	}
	if err := checkMerge(metamerge.UserRules{}.Check(body)); err != nil {
		s.fail(w, r, err, errNoUser, errEmailTaken)
		return
	}
	members, ae := userPatch.check(body)
	if ae != nil {
		ae.write(w)
		return
	}
	patch := rebuild(members, patchOnly...)
	email := find(members, "email")
	verified := find(members, "email_verified") != nil
	password := find(members, "password")
	if email != nil && email.Type == gjson.String {
		var err error
		if patch, err = sjson.SetBytes(patch, "email", strings.ToLower(email.Str)); err != nil {
			s.fail(w, r, err, errNoUser, errEmailTaken)
			return
		}
	}
	doc, err := s.users.update(r.PathValue("id"), func(stored []byte) ([]byte, error) {
		merged, err := metamerge.MergeUser(stored, patch)
		if err != nil {
			return nil, checkMerge(err)
		}
		ts := stamp(s.now())
		st := stamper{doc: merged}
		if email != nil && !verified && gjson.GetBytes(stored, "email").Str != gjson.GetBytes(merged, "email").Str {
			st.set("email_verified", false)
		}
		if password != nil && password.Type == gjson.String {
			st.set("last_password_reset", ts)
		}
		st.set("updated_at", ts)
		return st.doc, st.err
	}, userKeys)
	if err != nil {
		taken := errEmailTaken
		if email == nil {
			taken = errUsernameTaken
		}
		s.fail(w, r, err, errNoUser, taken)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

// deleteUser serves DELETE /api/v2/users/{id}: 204, also for a user that
// does not exist, as Auth0 answers.
func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	if err := s.users.remove(r.PathValue("id")); err != nil {
		s.fail(w, r, err, errNoUser, errUserExists)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// userListParams are the query parameters of GET /api/v2/users.
var userListParams = map[string]param{
	"page": intParam, "per_page": intParam, "include_totals": boolParam, "sort": stringParam,
	"connection": stringParam, "fields": stringParam, "include_fields": boolParam, "q": stringParam,
	"search_engine": stringParam, "primary_order": boolParam,
}

// listUsers serves GET /api/v2/users: the users q and connection select,
// in creation order or sorted, one page of them.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	lq, p, ae := listParams(r.URL.Query(), userListParams)
	if ae != nil {
		ae.write(w)
		return
	}
	if v, ok := p["search_engine"]; ok && v != "v1" && v != "v2" && v != "v3" {
		queryError("No enum match for: "+cut(v, maxEcho), "search_engine").write(w)
		return
	}
	if lq.perPage > 0 && (lq.page+1)*lq.perPage > maxUserPages {
		errPaging.write(w)
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
