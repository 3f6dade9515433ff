package mgmt

import (
	"net/http"
	"time"

	"github.com/metamerge/metamerge"
	"github.com/metamerge/metamerge/internal/jsonenc"
	"github.com/tidwall/gjson"
)

// Clients is the clients endpoints of the Management API: POST
// /api/v2/clients and PATCH /api/v2/clients/{id}. The zero value merges
// with Auth0's rules; Rules changes them.
type Clients struct {
	Rules metamerge.ClientRules // the merge rules; the zero value is Auth0's
	// Tenant is the tenant's name, which Auth0 sends as tenant on every
	// client (M3); "" sends none.
	Tenant string
}

func answerNoClient() *Answer {
	return Envelope(http.StatusNotFound, "The client does not exist", "inexistent_client")
}

// Answer returns the answer to err (M5): 400 for a violation of the
// request, 404 inexistent_client for ErrNotFound (and ErrTaken: clients
// have no unique values but their id), 500 for a defect of a stored
// client, a setting out of range, or any other error.
func (c Clients) Answer(err error) *Answer {
	return answer(err, answerNoClient, func(error) *Answer { return answerNoClient() })
}

// Unique returns nil: no two clients share anything but what their id
// already keeps apart.
func (Clients) Unique([]byte) []string { return nil }

func (c Clients) check(body []byte, sc *schema) (members, error) {
	ms, err := checkBody(c.Rules.Check, body, sc)
	if err == nil {
		err = checkClientRules(ms)
	}
	return ms, err
}

// Create returns the client POST /api/v2/clients creates from body (M4):
// a client_id of 32 letters and digits and a client_secret of 64
// characters (M3), tenant when c.Tenant is set, global and
// callback_url_template false, Auth0's defaults (some by app_type), and the request
// merged in by the rules, so client_metadata follows C1–C5 from the
// start; settings objects such as jwt_configuration are merged member by
// member into their defaults (see the package doc, "Clients"). name is
// required; client_id, tenant, global and signing_keys are refused (M1).
func (c Clients) Create(body []byte, now time.Time) ([]byte, string, error) {
	ms, err := c.check(body, clientCreate)
	if err != nil {
		return nil, "", err
	}
	id := randomString(32, alnum)
	thirdParty := ms.find("is_first_party") != nil && ms.find("is_first_party").Type == gjson.False
	mode := ""
	if m := ms.find("third_party_security_mode"); m != nil {
		mode = m.Str
	}
	app, refresh := appDefaults(appType(ms), thirdParty, mode)
	tenant := ""
	if c.Tenant != "" {
		tenant = `"tenant":` + string(jsonenc.AppendString(nil, c.Tenant)) + `,`
	}
	base := `{` + tenant + `"name":` + ms.find("name").Raw + `,"client_id":"` + id + `","client_secret":"` + randomString(64, secretChars) + `",` +
		clientDefaults + `,` + app + `}`
	req, err := requestMembers(ms, func(name string) gjson.Result {
		if name == "refresh_token" {
			return gjson.Parse(refresh)
		}
		return settingsBase(name)
	}, now)
	if err != nil {
		return nil, "", err
	}
	doc, err := c.Rules.Merge([]byte(base), req)
	if err != nil {
		return nil, "", err
	}
	if d := derivedMembers(nil, doc); d != nil {
		if doc, err = c.Rules.Merge(doc, d); err != nil {
			return nil, "", err
		}
	}
	return doc, id, nil
}

func appType(ms members) string {
	if t := ms.find("app_type"); t != nil {
		return t.Str
	}
	return ""
}

// Patch checks body, a PATCH /api/v2/clients/{id} (M1): the rules of the
// library, then the schema, which refuses client_id and every member
// Auth0's API does not list; client_secret may be sent. Applied, the
// settings objects it names are merged member by member into the stored
// ones before the merge, and the members Auth0 derives are set after it
// (see the package doc, "Clients").
func (c Clients) Patch(body []byte) (*Patch, error) {
	ms, err := c.check(body, clientPatch)
	if err != nil {
		return nil, err
	}
	return &Patch{
		patch: ms.rebuild(nil),
		mergeAt: func(stored []byte, now time.Time) ([]byte, []metamerge.Change, error) {
			req, err := requestMembers(ms, func(name string) gjson.Result {
				if v := gjson.GetBytes(stored, name); v.IsObject() {
					return v
				}
				return settingsBase(name)
			}, now)
			if err != nil {
				return nil, nil, err
			}
			merged, changes, err := c.Rules.MergeReport(stored, req)
			if err != nil || len(changes) == 0 {
				return merged, changes, err
			}
			if d := derivedMembers(stored, merged); d != nil {
				merged, _, err = c.Rules.MergeReport(merged, d)
			}
			return merged, changes, err
		},
		merge:    c.Rules.MergeReport,
		notFound: answerNoClient,
		taken:    func(error) *Answer { return answerNoClient() },
	}, nil
}
