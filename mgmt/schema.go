package mgmt

import (
	"strconv"
	"strings"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/jsonenc"
	"github.com/tidwall/gjson"
)

// kind is the JSON type a root member of a request body must have.
type kind uint8

const (
	anyKind    kind = iota // anything (checked by the library, or not at all)
	stringKind             // a string
	boolKind               // true or false
	arrayKind              // an array
	objectKind             // an object; metadata is checked by the library
)

var kindNames = [...]string{anyKind: "any", stringKind: "string", boolKind: "boolean", arrayKind: "array", objectKind: "object"}

// prop is the rule of one root member of a request body.
type prop struct {
	kind     kind
	nullable bool // null is allowed (and removes the member, R10)
	minLen   int  // for strings: at least this many characters
	maxLen   int  // for strings, when not 0: at most this many characters
	email    bool // for strings: an email address
}

// schema is the closed schema of one request body (M1): the members there
// may be, their types, the required ones, and which of them are
// instructions that are never stored (M2). The first broken rule is
// reported in Auth0's words, as its schema validator would.
type schema struct {
	props        map[string]prop
	required     []string
	instructions []string
}

// maxUserID is the longest user_id a create request may give: ids travel
// in the paths of later requests, whose headers a server limits (a
// decision; Auth0 documents no limit).
const maxUserID = 255

// The four request schemas, in one place. The user lists are Auth0's
// CreateUserRequestContent and UpdateUserRequestContent; the client lists
// are CreateClientRequestContent (clientMembers) and, for PATCH, the same
// and client_secret. Members of clients that are not typed here are
// stored as they come (anyKind).
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
	}, required: []string{"connection"},
		// user_id and email are written by the server (M3): the id as
		// "auth0|<user_id>", the email in lower case.
		instructions: []string{"connection", "password", "verify_email", "user_id", "email"}}

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
	}, instructions: []string{"connection", "password", "verify_email", "verify_phone_number", "client_id"}}

	clientCreate, clientPatch = clientSchemas()
)

// clientMembers are the members of POST /api/v2/clients as Auth0's API
// lists them (CreateClientRequestContent).
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

// member is one root member of a checked body: its decoded name and its
// value, whose Raw is the exact text of the request.
type member struct {
	name  string
	value gjson.Result
}

// members is the root members of a checked body, in order.
type members []member

// check checks body, already known to be a valid JSON object without
// duplicate names (the library's Check), and returns its members in
// order, or the 400 of the first broken rule and the index of the member
// that broke it (the number of members for a missing one).
func (sc *schema) check(body []byte) (members, *Answer, int) {
	var ms members
	var failure *Answer
	n := 0
	gjson.ParseBytes(body).ForEach(func(k, v gjson.Result) bool {
		name := k.String()
		p, ok := sc.props[name]
		if !ok {
			failure = payloadError("Additional properties not allowed: "+Quote(name), "")
			return false
		}
		if failure = p.check(name, v); failure != nil {
			return false
		}
		ms = append(ms, member{name, v})
		n++
		return true
	})
	if failure != nil {
		return nil, failure, n
	}
	for _, name := range sc.required {
		if ms.find(name) == nil {
			return nil, payloadError("Missing required property: "+name, ""), n
		}
	}
	return ms, nil, 0
}

// checkBody checks body with libCheck, the library's rules, and with the
// schema sc, and returns its members, or the first violation in document
// order (M5): a body that does not parse (H1-H3, H10) is refused first;
// otherwise a schema violation and a rule violation compete by the place
// of their root member in the body.
func checkBody(libCheck func([]byte) error, body []byte, sc *schema) (members, error) {
	err := libCheck(body)
	errs := metamerge.Errors(err)
	if err != nil && (len(errs) == 0 || wholeBody(errs[0])) {
		return nil, err
	}
	ms, a, at := sc.check(body)
	switch {
	case a == nil && err == nil:
		return ms, nil
	case a == nil:
		return nil, err
	case err == nil || at < rootIndex(body, errs[0].Pointer):
		return nil, a
	}
	return nil, err
}

// wholeBody reports whether e is a violation of the body as a whole or of
// its syntax, found before any rule is checked (H9).
func wholeBody(e *metamerge.Error) bool {
	switch e.Code {
	case metamerge.CodeInvalidJSON, metamerge.CodeDuplicateKey, metamerge.CodeTooDeep:
		return true
	}
	return e.Pointer == "" || e.Stored
}

// rootIndex returns the index in body of the root member that pointer
// starts with.
func rootIndex(body []byte, pointer string) int {
	token, _, _ := strings.Cut(strings.TrimPrefix(pointer, "/"), "/")
	name := strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
	i, at := 0, -1
	gjson.ParseBytes(body).ForEach(func(k, _ gjson.Result) bool {
		if k.String() == name {
			at = i
			return false
		}
		i++
		return true
	})
	if at < 0 {
		return i
	}
	return at
}

// check checks the value v of the member name.
func (p prop) check(name string, v gjson.Result) *Answer {
	found := typeName(v)
	switch {
	case p.kind == anyKind:
		return nil
	case found == "null" && p.nullable:
		return nil
	case found != kindNames[p.kind]:
		return payloadError("Expected type "+kindNames[p.kind]+" but found type "+found, name)
	case p.kind != stringKind:
		return nil
	}
	s := v.String()
	if n := utf16Len(s); n < p.minLen {
		return payloadError("String is too short ("+strconv.Itoa(n)+" chars), minimum "+strconv.Itoa(p.minLen), name)
	} else if p.maxLen > 0 && n > p.maxLen {
		return payloadError("String is too long ("+strconv.Itoa(n)+" chars), maximum "+strconv.Itoa(p.maxLen), name)
	}
	if p.email && !looksLikeEmail(s) {
		return payloadError("Object didn't pass validation for format email: "+Quote(s), name)
	}
	return nil
}

// typeName names the JSON type of v as the schema validator does.
func typeName(v gjson.Result) string {
	switch v.Type {
	case gjson.Null:
		return "null"
	case gjson.False, gjson.True:
		return "boolean"
	case gjson.Number:
		return "number"
	case gjson.String:
		return "string"
	}
	if v.IsArray() {
		return "array"
	}
	return "object"
}

// utf16Len counts s in UTF-16 code units, as Auth0's Node runtime does (H4).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// looksLikeEmail is a loose check of an address: something, one "@",
// something with a dot, and no white space. Auth0's own check is not
// published; this one rejects what is plainly not an address.
func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(domain, "@") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") &&
		!strings.ContainsAny(s, " \t\r\n") && len(s) <= 512
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// find returns the value of the member name, or nil.
func (ms members) find(name string) *gjson.Result {
	for i := range ms {
		if ms[i].name == name {
			return &ms[i].value
		}
	}
	return nil
}

// rebuild returns an object of the members not named in drop, each name
// written anew from its decoded text and each value copied exactly.
// Written anew, every root name is plain (no escapes), so the fixed gjson
// paths this package reads always find it.
func (ms members) rebuild(drop []string) []byte {
	out := []byte{'{'}
	for _, m := range ms {
		if contains(drop, m.name) {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = jsonenc.AppendString(out, m.name)
		out = append(out, ':')
		out = append(out, m.value.Raw...)
	}
	return append(out, '}')
}
