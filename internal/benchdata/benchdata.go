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

// stringValues are the values of a string-heavy profile: long texts, most
// of them plain ASCII, some with escapes and non-ASCII letters, as
// free-text metadata (notes, addresses, descriptions) is.
var stringValues = []string{
	`"Ada Lovelace wrote the first published algorithm meant for a machine, in her notes on the Analytical Engine."`,
	`"42 Rue de la Paix, 75002 Paris, France"`,
	`"Grüße aus München: Straße, Größe, Übermut; 東京都港区, 😀 and more plain text after them"`,
	`"a \"quoted\" phrase, a back\\slash, a tab\there and a new line\nthen the rest of the note"`,
	`"https://example.com/profile/avatar.png?size=256&format=webp"`,
	`"ordinary lower-case words separated by spaces, the most common shape of a stored note"`,
}

// numberValues are the values of a number-heavy profile: counters, scores,
// timestamps, coordinates and arrays of them.
var numberValues = []string{
	`1234`,
	`-0.0625`,
	`1733097600000`,
	`3.141592653589793`,
	`[48.8566,2.3522,35.0,-122.4194]`,
	`6.02214076e23`,
	`[1,2,3,5,8,13,21,34,55,89,144,233]`,
	`0`,
}

// Shapes are the kinds of stored profile the benchmarks use, by name: the
// mixed one of Profile, and a string-heavy and a number-heavy one.
var Shapes = []string{"mixed", "strings", "numbers"}

// Key returns the name of the i-th generated member.
func Key(i int) string { return "field_" + strconv.Itoa(10_000_000 + i)[1:] }

// fill returns as many generated members as fit in size bytes of object text.
func fill(size int) []string { return fillWith(values, size) }

// fillWith returns as many members with the values vs, in turn, as fit in
// size bytes of object text.
func fillWith(vs []string, size int) []string {
	var out []string
	total := 2
	for i := 0; ; i++ {
		m := `"` + Key(i) + `":` + vs[i%len(vs)]
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
func Profile(size int) ([]byte, int) { return ProfileShaped("mixed", size) }

// ProfileShaped returns a stored user profile of about size bytes of the
// shape named (one of Shapes), and the number of members its
// user_metadata has. ProfileShaped("mixed", size) is Profile(size).
func ProfileShaped(shape string, size int) ([]byte, int) {
	vs := values
	switch shape {
	case "strings":
		vs = stringValues
	case "numbers":
		vs = numberValues
	case "mixed":
	default:
		panic("benchdata: no shape " + shape)
	}
	m := fillWith(vs, size-len(profileHead)-len(`,"logins_count":1234}`))
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
