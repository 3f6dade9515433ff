package mgmt

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/metamerge/metamerge/internal/jsonenc"
)

// Credentials a client request gives inline, with a "pem", are made into
// credential objects as Auth0 makes them (recorded): the key or
// certificate is not kept; an id "cred_" and 22 letters and digits, the
// times, and what the PEM says are:
//
//	public_key       kid (the key's JWK SHA-256 thumbprint, RFC 7638), alg (RS256 unless given)
//	x509_cert        expires_at (the certificate's notAfter), thumbprint_sha256
//	cert_subject_dn  subject_dn (the subject's names, one a line)
//
// A credential without a pem ({"id":…}, one made by the credentials
// endpoint) is kept as it is.

// credentialMethods are the methods of client_authentication_methods whose
// credentials are made from PEMs (signed_request_object's are too).
var credentialMethods = []string{"private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"}

// credentialsIn returns v, the value of the client member name, with its
// inline credentials made into credential objects at time now; v itself
// when it has none. A PEM that does not parse is a 400 naming the
// property.
func credentialsIn(name string, v gjson.Result, now time.Time) (gjson.Result, error) {
	if !v.IsObject() || !strings.Contains(v.Raw, `"pem"`) { // a cheap test first: most bodies have none
		return v, nil
	}
	changed := false
	var fail error
	rewrite := func(prop string, list gjson.Result) []byte {
		out := []byte{'['}
		i := 0
		list.ForEach(func(_, c gjson.Result) bool {
			if i > 0 {
				out = append(out, ',')
			}
			p := c.Get("pem")
			if !c.IsObject() || p.Type != gjson.String {
				out = append(out, c.Raw...)
			} else {
				cred, err := makeCredential(c, p.Str, now)
				if err != nil {
					fail = payloadError(err.Error(), prop+".credentials["+strconv.Itoa(i)+"].pem")
					return false
				}
				out = append(out, cred...)
				changed = true
			}
			i++
			return true
		})
		return append(out, ']')
	}
	out := []byte{'{'}
	v.ForEach(func(k, m gjson.Result) bool {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(jsonenc.AppendString(out, k.String()), ':')
		switch {
		case name == "signed_request_object" && k.String() == "credentials" && m.IsArray():
			out = append(out, rewrite(name, m)...)
		case name == "client_authentication_methods" && contains(credentialMethods, k.String()) && m.Get("credentials").IsArray():
			out = append(out, mergeObject(m, gjson.Parse(`{"credentials":`+string(rewrite(name+"."+k.String(), m.Get("credentials")))+`}`))...)
		default:
			out = append(out, m.Raw...)
		}
		return fail == nil
	})
	if fail != nil {
		return v, fail
	}
	if !changed {
		return v, nil
	}
	return gjson.ParseBytes(append(out, '}')), nil
}

// credentialError is why a PEM was refused; its text is the message.
type credentialError string

func (e credentialError) Error() string { return string(e) }

// makeCredential returns the credential object Auth0 makes of c, a
// credential given with the PEM text pemText.
func makeCredential(c gjson.Result, pemText string, now time.Time) ([]byte, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, credentialError("Invalid PEM")
	}
	kind := c.Get("credential_type").Str
	ts := stamp(now)
	out := append([]byte(`{"id":"cred_`), randomString(22, alnum)...)
	out = append(out, '"')
	if n := c.Get("name"); n.Type == gjson.String {
		out = jsonenc.AppendString(append(out, `,"name":`...), n.Str)
	}
	switch kind {
	case "public_key":
		kid, err := keyThumbprint(block.Bytes)
		if err != nil {
			return nil, err
		}
		alg := "RS256"
		if a := c.Get("alg"); a.Type == gjson.String {
			alg = a.Str
		}
		out = jsonenc.AppendString(append(out, `,"kid":`...), kid)
		out = append(out, `,"credential_type":"public_key","alg":`...)
		out = jsonenc.AppendString(out, alg)
		out = jsonenc.AppendString(append(out, `,"created_at":`...), ts)
		out = jsonenc.AppendString(append(out, `,"updated_at":`...), ts)
	case "x509_cert", "cert_subject_dn":
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, credentialError("Invalid certificate")
		}
		out = jsonenc.AppendString(append(out, `,"credential_type":`...), kind)
		out = jsonenc.AppendString(append(out, `,"created_at":`...), ts)
		out = jsonenc.AppendString(append(out, `,"updated_at":`...), ts)
		if kind == "x509_cert" {
			sum := sha256.Sum256(cert.Raw)
			out = jsonenc.AppendString(append(out, `,"expires_at":`...), cert.NotAfter.UTC().Format(time.RFC3339))
			out = jsonenc.AppendString(append(out, `,"thumbprint_sha256":`...), base64.RawURLEncoding.EncodeToString(sum[:]))
		} else {
			out = jsonenc.AppendString(append(out, `,"subject_dn":`...), subjectDN(cert))
		}
	default:
		return nil, credentialError("Invalid credential_type for a pem: " + cut(kind, maxEcho))
	}
	return append(out, '}'), nil
}

// keyThumbprint returns the JWK SHA-256 thumbprint (RFC 7638) of a
// public key in PKIX form, base64url without padding.
func keyThumbprint(der []byte) (string, error) {
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return "", credentialError("Invalid public key")
	}
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	var jwk string
	switch k := key.(type) {
	case *rsa.PublicKey:
		jwk = `{"e":"` + b64(big.NewInt(int64(k.E)).Bytes()) + `","kty":"RSA","n":"` + b64(k.N.Bytes()) + `"}`
	case *ecdsa.PublicKey:
		pub, err := k.Bytes() // uncompressed: 0x04, X, Y
		if err != nil {
			return "", credentialError("Invalid public key")
		}
		size := (len(pub) - 1) / 2
		jwk = `{"crv":"` + k.Curve.Params().Name + `","kty":"EC","x":"` + b64(pub[1:1+size]) + `","y":"` + b64(pub[1+size:]) + `"}`
	default:
		return "", credentialError("Unsupported public key: RSA and EC keys are")
	}
	sum := sha256.Sum256([]byte(jwk))
	return b64(sum[:]), nil
}

// rdnNames are the short names of the attributes of a distinguished name.
var rdnNames = map[string]string{
	"2.5.4.6": "C", "2.5.4.8": "ST", "2.5.4.7": "L", "2.5.4.10": "O", "2.5.4.11": "OU",
	"2.5.4.3": "CN", "2.5.4.5": "SERIALNUMBER", "2.5.4.9": "STREET", "2.5.4.17": "POSTALCODE",
	"0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
	"1.2.840.113549.1.9.1": "emailAddress",
}

// subjectDN returns the names of cert's subject in the order the
// certificate lists them, one "name=value" a line.
func subjectDN(cert *x509.Certificate) string {
	var lines []string
	for _, a := range cert.Subject.Names {
		name, ok := rdnNames[a.Type.String()]
		if !ok {
			name = a.Type.String()
		}
		v, _ := a.Value.(string)
		lines = append(lines, name+"="+v)
	}
	return strings.Join(lines, "\n")
}

// Stored returns the client doc as it is kept and answered after the
// request that made it: credentials by their id only. Auth0 shows a
// credential made from a PEM whole in the answer to the POST or PATCH
// that made it, and as {"id":…} in every later answer (recorded). A store
// keeps Stored(doc) and answers the request with doc.
func (c Clients) Stored(doc []byte) []byte {
	if !bytes.Contains(doc, []byte(`"credentials"`)) {
		return doc
	}
	idsOnly := func(list gjson.Result) (string, bool) {
		out := []byte{'['}
		changed := false
		list.ForEach(func(_, cr gjson.Result) bool {
			if len(out) > 1 {
				out = append(out, ',')
			}
			id := cr.Get("id")
			if cr.IsObject() && id.Type == gjson.String && len(cr.Map()) > 1 {
				out = jsonenc.AppendString(append(out, `{"id":`...), id.Str)
				out = append(out, '}')
				changed = true
			} else {
				out = append(out, cr.Raw...)
			}
			return true
		})
		return string(append(out, ']')), changed
	}
	var patch []byte
	add := func(name string, v []byte) {
		if patch == nil {
			patch = []byte{'{'}
		} else {
			patch = append(patch, ',')
		}
		patch = append(jsonenc.AppendString(patch, name), ':')
		patch = append(patch, v...)
	}
	if cam := gjson.GetBytes(doc, "client_authentication_methods"); cam.IsObject() {
		obj := []byte{'{'}
		changed := false
		cam.ForEach(func(k, m gjson.Result) bool {
			if len(obj) > 1 {
				obj = append(obj, ',')
			}
			obj = append(jsonenc.AppendString(obj, k.String()), ':')
			if list := m.Get("credentials"); m.IsObject() && list.IsArray() {
				if ids, ok := idsOnly(list); ok {
					obj = append(obj, mergeObject(m, gjson.Parse(`{"credentials":`+ids+`}`))...)
					changed = true
					return true
				}
			}
			obj = append(obj, m.Raw...)
			return true
		})
		if changed {
			add("client_authentication_methods", append(obj, '}'))
		}
	}
	if sro := gjson.GetBytes(doc, "signed_request_object"); sro.IsObject() && sro.Get("credentials").IsArray() {
		if ids, ok := idsOnly(sro.Get("credentials")); ok {
			add("signed_request_object", mergeObject(sro, gjson.Parse(`{"credentials":`+ids+`}`)))
		}
	}
	if patch == nil {
		return doc
	}
	out, err := c.Rules.Merge(doc, append(patch, '}'))
	if err != nil {
		return doc // doc is a client this package made: the merge of its own members does not fail
	}
	return out
}
