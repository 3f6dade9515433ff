package mgmt

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"net/url"
	"strings"
	"time"
)

// timeFormat is how Auth0 writes created_at and updated_at: ISO 8601 in
// UTC with milliseconds, "2026-11-23T12:34:56.789Z".
const timeFormat = "2006-01-02T15:04:05.000Z"

// stamp formats t as Auth0 does.
func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

// objectID returns 24 hex digits as Auth0 makes the id of a database
// user (a MongoDB ObjectId): 4 bytes of the Unix time in seconds, then 8
// random bytes.
func objectID(now time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], uint32(now.Unix()))
	rand.Read(b[4:])
	return hex.EncodeToString(b[:])
}

const (
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	secretChars = alnum + "-_"
)

// randomString returns n characters drawn uniformly from chars (at most
// 256 of them).
func randomString(n int, chars string) string {
	out := make([]byte, n)
	limit := 256 - 256%len(chars) // reject bytes that would favour the first characters
	var buf [1]byte
	for i := 0; i < n; {
		rand.Read(buf[:])
		if int(buf[0]) < limit {
			out[i] = chars[int(buf[0])%len(chars)]
			i++
		}
	}
	return string(out)
}

// gravatar returns the picture Auth0 gives a user with email and no
// picture of their own: the Gravatar of the address, falling back to an
// avatar of the first two letters of the name.
func gravatar(email, name string) string {
	sum := md5.Sum([]byte(email))
	var initials []byte
	for i := 0; i < len(name) && len(initials) < 2; i++ {
		c := name[i] | 0x20 // ASCII lower case
		if 'a' <= c && c <= 'z' || '0' <= name[i] && name[i] <= '9' {
			initials = append(initials, c)
		}
	}
	if len(initials) == 0 {
		initials = []byte("default")
	}
	fallback := "https://cdn.auth0.com/avatars/" + string(initials) + ".png"
	return "https://s.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?s=480&r=pg&d=" + url.QueryEscape(fallback)
}

// firstOf returns the first of its arguments that is not empty.
func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// localPart returns the part of an email address before the "@".
func localPart(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return local
}
