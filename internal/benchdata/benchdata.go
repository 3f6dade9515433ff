// Package benchdata generates the documents the benchmarks merge: stored
// user profiles and clients of a chosen size, and patches for them. The
// data is the same on every run; nothing is random.
package benchdata

import (
	"fmt"
	"strconv"
	"strings"
)

// Sizes are the stored-document sizes the benchmarks use, by name.
var Sizes = []struct {
	Name  string
	Bytes int
}{
	{"512B", 512},
	{"1KiB", 1 << 10},
	{"2KiB", 2 << 10},
	{"8KiB", 8 << 10},
	{"64KiB", 64 << 10},
	{"1MiB", 1 << 20},
	{"16MiB", 16<<20 - 4<<10}, // just under, so that user_metadata stays within R9's 16 MiB
}

// values cycle through the kinds of JSON a profile holds: strings with
// escapes and non-ASCII text, big integers, floats, nested objects, arrays.
var values = []string{
	`"caf\u00e9 \"quoted\" back\\slash\nnew line"`,
	`"Grüße aus München, 東京, 😀"`,
	`12345678901234567890`,
	`-1.5e-7`,
	`{"a":{"b":[1,2,{"c":"d"}],"e":null},"f":true}`,
	`[1,"two",true,null,{"x":1.25},[3,4]]`,
	`"plain ascii text of some length, like a short note"`,
	`false`,
}

// Key returns the name of the i-th generated member.
func Key(i int) string { return "field_" + strconv.Itoa(10_000_000 + i)[1:] }

// fill returns as many generated members as fit in size bytes of object text.
func fill(size int) []string {
	var out []string
	total := 2
	for i := 0; ; i++ {
		m := `"` + Key(i) + `":` + values[i%len(values)]
		if total+len(m)+1 > size {
			return out
		}
		out = append(out, m)
		total += len(m) + 1
	}
}

const profileHead = `{"user_id":"auth0|5f7c8ec7c33c6c004bbafe82","email":"ada@example.com","email_verified":true,` +
	`"name":"Ada Lovelace","identities":[{"provider":"auth0","user_id":"5f7c8ec7c33c6c004bbafe82","connection":"Username-Password-Authentication","isSocial":false}],` +
	`"app_metadata":{"plan":"pro","roles":["admin","editor"]},"user_metadata":`

// Profile returns a stored user profile of about size bytes, most of it in
// user_metadata, and the number of members its user_metadata has.
func Profile(size int) ([]byte, int) {
	m := fill(size - len(profileHead) - len(`,"logins_count":1234}`))
	return []byte(profileHead + "{" + strings.Join(m, ",") + `},"logins_count":1234}`), len(m)
}

// Metadata returns a metadata object of about size bytes, and its number
// of members.
func Metadata(size int) ([]byte, int) {
	m := fill(size)
	return []byte("{" + strings.Join(m, ",") + "}"), len(m)
}

// SmallPatch returns a patch of a handful of keys for a metadata object of
// n members: two replaced, one deleted with null, one nested object
// replaced, two added.
func SmallPatch(n int) []byte {
	k := []int{1 % n, 3 % n, 4 % n, n / 2}
	if n < 10 { // few members: keep the four names distinct (some are new)
		k = []int{1, 3, 4, 5}
	}
	return []byte(fmt.Sprintf(`{"%s":"new value","%s":null,"%s":{"nested":{"x":[1,2,3]}},"%s":42,"added_one":"v","added_two":[1]}`,
		Key(k[0]), Key(k[1]), Key(k[2]), Key(k[3])))
}

// LargePatch returns a patch that names every other member of a metadata
// object of n members: half are replaced, a tenth of those deleted.
func LargePatch(n int) []byte {
	var m []string
	for i := 0; i < n; i += 2 {
		v := values[(i+3)%len(values)]
		if i%20 == 0 {
			v = "null"
		}
		m = append(m, `"`+Key(i)+`":`+v)
	}
	return []byte("{" + strings.Join(m, ",") + "}")
}

// Patch is a patch and its name in benchmark names.
type Patch struct {
	Name string
	Body []byte
}

// Patches returns the small and the large patch of a metadata object of n
// members.
func Patches(n int) []Patch {
	return []Patch{{"small", SmallPatch(n)}, {"large", LargePatch(n)}}
}

// UserPatches returns the same as PATCH bodies that set user_metadata.
func UserPatches(n int) []Patch {
	ps := Patches(n)
	for i := range ps {
		ps[i].Body = Wrap("user_metadata", ps[i].Body)
	}
	return ps
}

// Wrap puts a metadata patch under name in a PATCH body.
func Wrap(name string, patch []byte) []byte {
	return []byte(`{"` + name + `":` + string(patch) + `}`)
}

const clientHead = `{"client_id":"AaiyAPdpYdesoKnqjj8HJqRn4T5titww","name":"Shop","app_type":"spa",` +
	`"client_metadata":{"tier":"gold","region":"eu-west","owner":"team-a"},"callbacks":[`

// Client returns a stored client of about size bytes, most of it in the
// callbacks array (client_metadata is capped at 10 keys).
func Client(size int) []byte {
	var b strings.Builder
	b.WriteString(clientHead)
	for i := 0; b.Len() < size-64; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"https://app%d.example.com/callback?q=caf\u00e9&n=%d"`, i, i)
	}
	b.WriteString(`],"grant_types":["implicit"]}`)
	return []byte(b.String())
}

// ClientPatch returns a client PATCH: three client_metadata keys, one
// deleted, and a replaced root member.
func ClientPatch() []byte {
	return []byte(`{"client_metadata":{"tier":"platinum","region":null,"contact":"ops@example.com"},"name":"Shop (EU)"}`)
}
