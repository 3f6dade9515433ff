package auth0fake

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// TestQuerySyntax goes through the grammar of q, case by case: what the
// fake reads (200 and the users it selects) and every piece of Lucene
// syntax it does not (400 and the message that says which). A query is
// never read as something other than what Lucene would read: each 400
// case here was once accepted and silently read another way, or is its
// neighbour in the grammar.
func TestQuerySyntax(t *testing.T) {
	f := newFake(t, Options{})
	f.createUser("ann@example.com", `"user_metadata":{"plan":"pro","tags":["red","blue"],"x:y":"colon","*":"star","addr":{"city":"Oslo"},"amp":"a&b","eq":"a=b","age":3},"app_metadata":{"tier":{"level":3}}`)
	f.createUser("bob@example.com", `"user_metadata":{"plan":"free","tags":"red","nick":"jean-luc","age":40}`)
	f.must(http.StatusCreated, "POST", "/api/v2/users", `{"password":"pw","connection":"other","email":"cat@example.com","user_metadata":{"plan":"pro plan","url":"https://x/y"}}`)
	const all = "ann@example.com bob@example.com cat@example.com"
	no := func(why string) string { return "Query not supported by the fake: " + why }
	special := func(what, c string) string {
		if what == "value" {
			return no("a value has an unescaped special character " + c + ` (escape it with \ or quote the value)`)
		}
		return no("a field name has an unescaped special character " + c + ` (escape it with \)`)
	}
	escapedDot := no(`a field name has an escaped "." (names never hold ".": a dot always separates two names)`)
	orNot := no("OR, NOT, groups, + and - are not supported")
	ampPipe := no("&& and || are not supported (join terms with AND or white space)")
	wildcard := no("the only wildcard supported is one * at the end of a value")
	existsWild := no("_exists_ takes a field name, without wildcards")
	quotedAfter := no("a quoted value must be followed by white space (no ~, ^ or * after it)")
	fieldValue := no("only field:value terms joined by AND are supported")

	tests := []struct {
		name, why, q string
		code         int
		want         string // the users selected, or the message
	}{
		// What the fake reads.
		{"value", "field:value, exactly", "user_metadata.plan:pro", 200, "ann@example.com"},
		{"email case", "emails ignore case", "email:ANN@EXAMPLE.COM", 200, "ann@example.com"},
		{"prefix", "one * at the end", "email:a*", 200, "ann@example.com"},
		{"escaped star", `\* is a star, not a wildcard`, `email:a\*`, 200, ""},
		{"quoted", "a quoted value with a space", `user_metadata.plan:"pro plan"`, 200, "cat@example.com"},
		{"quoted specials", "a quoted value holds / and : as they are", `user_metadata.url:"https://x/y"`, 200, "cat@example.com"},
		{"escaped specials", `\: and \/ in a value`, `user_metadata.url:https\:\/\/x\/y`, 200, "cat@example.com"},
		{"escaped space", `\  in a value`, `user_metadata.plan:pro\ plan`, 200, "cat@example.com"},
		{"inner hyphen", "- inside a term is part of it, as in Lucene", "user_metadata.nick:jean-luc", 200, "bob@example.com"},
		{"one ampersand", "a single & is a character", "user_metadata.amp:a&b", 200, "ann@example.com"},
		{"equals", "= alone is a character", "user_metadata.eq:a=b", 200, "ann@example.com"},
		{"array", "an array matches when an element does", "user_metadata.tags:red", 200, "ann@example.com bob@example.com"},
		{"escaped colon name", `\: in a name`, `user_metadata.x\:y:colon`, 200, "ann@example.com"},
		{"escaped star name", `\* in a name`, `user_metadata.\*:star`, 200, "ann@example.com"},
		{"exists", "_exists_:field", "_exists_:app_metadata.tier", 200, "ann@example.com"},
		{"star value", "field:* is _exists_", "app_metadata.tier:*", 200, "ann@example.com"},
		{"AND", "AND between two terms", "user_metadata.plan:pro AND email:ann@example.com", 200, "ann@example.com"},
		{"white space", "white space is AND; tabs and newlines too", "\tuser_metadata.tags:red\nemail:b*\r", 200, "bob@example.com"},
		{"empty", "no term selects all", "  ", 200, all},
		{"sixteen terms", "the most terms", strings.TrimSpace(strings.Repeat("email:a* ", 16)), 200, "ann@example.com"},

		// Operators and joins.
		{"trailing AND", "AND needs a term after it", "email:a* AND", 400, no("AND joins two terms (nothing follows it)")},
		{"AND AND", "two ANDs have no term between", "email:a* AND AND email:b*", 400, no("AND joins two terms")},
		{"leading AND", "AND needs a term before it", "AND email:a*", 400, no("AND joins two terms")},
		{"OR", "OR", "email:a* OR email:b*", 400, orNot},
		{"NOT", "NOT", "NOT email:a*", 400, orNot},
		{"minus", "- before a term is NOT", "-email:a*", 400, orNot},
		{"plus", "+ before a term is required", "+email:a*", 400, orNot},
		{"bang", "! before a term is NOT", "!email:a*", 400, orNot},
		{"group", "groups", "(email:a*)", 400, orNot},
		{"closing paren", "a group's end", ")email:a*", 400, orNot},
		{"&&", "&& is AND in Lucene", "email:a* && email:b*", 400, ampPipe},
		{"||", "|| is OR", "email:a* || email:b*", 400, ampPipe},
		{"&& in a value", "&& in a word", "user_metadata.amp:a&&b", 400, special("value", `"&&"`)},
		{"|| in a value", "|| in a word", "user_metadata.amp:a||b", 400, special("value", `"||"`)},
		{"bang in a value", "! inside a word starts NOT", "email:ann!", 400, special("value", `"!"`)},
		{"AND as a value", "an operator word as a value", "email:AND", 400, no("a value is AND, OR or NOT (quote it)")},
		{"AND as a name", "an operator word as a name", "AND:x", 400, no("a field name is AND, OR or NOT")},
		{"seventeen terms", "past the bound", strings.TrimSpace(strings.Repeat("email:a* ", 17)), 400, no("more than 16 terms")},

		// Values.
		{"inner wildcard", "* inside a value", "email:j*e", 400, wildcard},
		{"leading wildcard", "* at the start", "email:*a", 400, wildcard},
		{"question mark", "? is a one-character wildcard", "email:a?", 400, wildcard},
		{"two stars", "** at the end", "email:a**", 400, wildcard},
		{"regexp", "/.../ is a regular expression", "email:/a.*/", 400, special("value", `"/"`)},
		{"greater", "age:>3 is a range in Elasticsearch", "user_metadata.age:>3", 400, special("value", `">"`)},
		{"less or equal", "age:<=3 too", "user_metadata.age:<=3", 400, special("value", `"<"`)},
		{"inclusive range", "M7: no range searches on user_metadata", "user_metadata.age:[1 TO 5]", 400, "Wildcard and range searches are not available on user_metadata fields"},
		{"exclusive range", "M7: as [a TO b]", "user_metadata.age:{1 TO 5}", 400, "Wildcard and range searches are not available on user_metadata fields"},
		{"date range", "M7: a range on a date, open above (recorded: 200)", "created_at:{2016-01-01 TO *}", 200, all},
		{"date range below", "M7: open below", "created_at:[* TO 2016-01-01]", 200, ""},
		{"string range", "[ includes, } excludes its bound", "email:[a TO bob@example.com}", 200, "ann@example.com"},
		{"string range folds", "bounds of an email compare in lower case", "email:[BOB@EXAMPLE.COM TO C]", 200, "bob@example.com"},
		{"exclusive low", "{ excludes its bound", "email:{ann@example.com TO *}", 200, "bob@example.com cat@example.com"},
		{"number range", "numbers compare as numbers", "app_metadata.tier.level:[1 TO 3]", 200, "ann@example.com"},
		{"number range exclusive", "3 is not in {1 TO 3}", "app_metadata.tier.level:{1 TO 3}", 200, ""},
		{"number not text", "3 is not in [10 TO 20], though \"3\" > \"10\"", "app_metadata.tier.level:[10 TO 20]", 200, ""},
		{"quoted bound", "a bound may be quoted", `email:["bob@example.com" TO "bob@example.com"]`, 200, "bob@example.com"},
		{"range and term", "a range joins other terms", "created_at:[2016-01-01 TO *] AND email:c*", 200, "cat@example.com"},
		{"range not closed", "a range needs ] or }", "created_at:[a TO b", 400, no("a range is not closed (] or })")},
		{"range without TO", "a range is a TO b", "created_at:[a b]", 400, no("a range is [a TO b] or {a TO b}, each bound a value or *")},
		{"range glued", "a range ends at white space", "created_at:[a TO b]x", 400, no("a range must be followed by white space")},
		{"range wildcard bound", "a bound is no wildcard", "created_at:[a* TO b]", 400, no("a range bound is a value, a quoted value or *")},
		{"fuzzy", "~ is fuzziness", "email:ann~", 400, special("value", `"~"`)},
		{"boost", "^ is a boost", "email:ann^2", 400, special("value", `"^"`)},
		{"colon in a value", "a second :", "email:a:b", 400, special("value", `":"`)},
		{"quote in a value", "a quote inside a word", `email:a"b"`, 400, special("value", `"\""`)},
		{"ideographic space", "U+3000 is white space to Lucene", "email:a\u3000b", 400, special("value", `"\u3000"`)},
		{"lone backslash", `a \ at the end escapes nothing`, `email:a\`, 400, no(`a value ends with a \ that escapes nothing`)},
		{"no value", "field: and nothing", "email:", 400, no("a term has no value")},
		{"space after colon", "field: value", "email: a", 400, no("a term has no value")},
		{"proximity", `"..."~2 is a proximity search`, `email:"ann"~2`, 400, quotedAfter},
		{"phrase boost", `"..."^2`, `email:"ann"^2`, 400, quotedAfter},
		{"quoted then star", `"..."* is no prefix`, `email:"ann"*`, 400, quotedAfter},
		{"quoted then term", "a term glued to a quoted value", `email:"ann"email:b*`, 400, quotedAfter},
		{"unclosed quote", "a quote without its end", `email:"ann`, 400, no("a quoted value is not closed")},

		// Names.
		{"exists prefix", "_exists_:field* is not a prefix of names", "_exists_:user_metadata.pl*", 400, existsWild},
		{"exists star", "_exists_:*", "_exists_:*", 400, existsWild},
		{"exists quoted", "_exists_ names a field", `_exists_:"user_metadata.plan"`, 400, no("_exists_ takes a field name, not a quoted value")},
		{"exists escaped dot", `\. would be a name with a dot`, `_exists_:user_metadata\.plan`, 400, escapedDot},
		{"escaped dot", `\. would be a name with a dot`, `user_metadata\.plan:pro`, 400, escapedDot},
		{"wildcard name", "* in a name", "user_metadata.*:pro", 400, special("field name", `"*"`)},
		{"question name", "? in a name", "user_metadata.pl?n:pro", 400, special("field name", `"?"`)},
		{"name folds", "M7: name compares case-insensitively", "name:ANN@EXAMPLE.COM", 200, "ann@example.com"},
		{"nickname folds", "M7: nickname compares case-insensitively, prefixes too", "nickname:BO*", 200, "bob@example.com"},
		{"metadata case", "M7: metadata compares case-sensitively", "user_metadata.plan:PRO", 200, ""},
		{"email domain", "M7: email.domain is searchable", `email.domain:"example.com"`, 200, all},
		{"email domain folds", "M7: as email, in any case", "email.domain:EXAMPLE.COM", 200, all},
		{"email domain other", "M7: only the part after @", "email.domain:ann", 200, ""},
		{"user_metadata prefix", "M7: no wildcard searches on user_metadata", "user_metadata.plan:pr*", 400, "Wildcard and range searches are not available on user_metadata fields"},
		{"user_metadata star", "M7: field:* is a wildcard too", "user_metadata.plan:*", 400, "Wildcard and range searches are not available on user_metadata fields"},
		{"user_metadata exists", "M7: _exists_ is no wildcard", "_exists_:user_metadata.plan", 200, all},
		{"paren in a name", "( in a name", "em(ail:a", 400, special("field name", `"("`)},
		{"bare word", "free text", "jane", 400, fieldValue},
		{"no name", ":value", ":a", 400, fieldValue},
		{"lone backslash name", `a \ at the end of a name`, `email\`, 400, fieldValue},
		{"empty part", "a.. path", "user_metadata..plan:pro", 400, no("a field name has an empty part")},
		{"leading dot", ".a path", ".email:a", 400, no("a field name has an empty part")},
	}
	for _, tc := range tests {
		code, body := f.do("GET", "/api/v2/users?q="+url.QueryEscape(tc.q), "")
		got := emails(body, "")
		if code != http.StatusOK {
			got = gjson.Get(body, "message").Str
			want := "Query validation error: '" + tc.want + "' on property q"
			if code != tc.code || got != want || gjson.Get(body, "errorCode").Str != "invalid_query_string" {
				t.Errorf("%s (%s): q=%s: %d %s\nwant %d %s", tc.name, tc.why, tc.q, code, body, tc.code, want)
			}
			continue
		}
		if code != tc.code || got != tc.want {
			t.Errorf("%s (%s): q=%s: %d %q, want %d %q", tc.name, tc.why, tc.q, code, got, tc.code, tc.want)
		}
	}
}

// TestSortSyntax checks that sort reads its field as q does, escapes
// included, and refuses what q refuses in a name.
func TestSortSyntax(t *testing.T) {
	f := newFake(t, Options{})
	f.createUser("ann@example.com", `"user_metadata":{"b":"2"}`)
	f.createUser("bob@example.com", `"user_metadata":{"*":"1","b":"1"}`)
	const bad = "Query validation error: 'Sort must be field:1 or field:-1' on property sort"
	tests := []struct {
		name, why, sort string
		code            int
		want            string
	}{
		{"path", "a dotted path", "user_metadata.b:1", 200, "bob@example.com ann@example.com"},
		{"descending", "-1", "user_metadata.b:-1", 200, "ann@example.com bob@example.com"},
		{"escaped star", `\* is the name "*", as in q`, `user_metadata.\*:1`, 200, "bob@example.com ann@example.com"},
		{"wildcard", "* unescaped, as q refuses it", "user_metadata.*:1", 400, bad},
		{"escaped dot", `\. as q refuses it`, `user_metadata\.b:1`, 400, bad},
		{"no direction", "field alone", "email", 400, bad},
		{"bad direction", "2", "email:2", 400, bad},
		{"empty part", "a..b", "user_metadata..b:1", 400, bad},
		{"space", "white space in the name", "user_metadata. b:1", 400, bad},
	}
	for _, tc := range tests {
		code, body := f.do("GET", "/api/v2/users?sort="+url.QueryEscape(tc.sort), "")
		got := emails(body, "")
		if code != http.StatusOK {
			got = gjson.Get(body, "message").Str
		}
		if code != tc.code || got != tc.want {
			t.Errorf("%s (%s): sort=%s: %d %q, want %d %q", tc.name, tc.why, tc.sort, code, got, tc.code, tc.want)
		}
	}
}

// TestRawQueryStrict sends, to every endpoint that reads a query, query
// strings Go's parser cannot read whole (a ";" separator, a bad
// %-escape, in a value, a name, or after a good parameter): each must be
// a 400 invalid_query_string, never a query with the parameter dropped
// (q=email:alice@x.co; once listed every user).
func TestRawQueryStrict(t *testing.T) {
	f := newFake(t, Options{})
	user := f.createUser("alice@x.co", "")
	f.createUser("bob@x.co", "")
	app := f.createClient("")
	for _, path := range []string{"/api/v2/users", "/api/v2/clients", userPath(user), clientPath(app)} {
		for _, raw := range []struct{ query, why string }{
			{"q=email:alice@x.co;", "invalid semicolon separator in query"},
			{"q=email:alice%zz", `invalid URL escape "%zz"`},
			{"per_page=1;", "invalid semicolon separator in query"},
			{"q=email:bob@x.co&bogus;=1", "invalid semicolon separator in query"},
			{"fields=email;include_fields=true", "invalid semicolon separator in query"},
			{"fields=email&x%=1", `invalid URL escape "%"`},
			{"fields=email&%g0", `invalid URL escape "%g0"`},
		} {
			code, body := f.do("GET", path+"?"+raw.query, "")
			want := `{"statusCode":400,"error":"Bad Request","message":"Query validation error: 'Query string is not valid: ` +
				strings.ReplaceAll(raw.why, `"`, `\"`) + `'.","errorCode":"invalid_query_string"}`
			if code != http.StatusBadRequest || body != want {
				t.Errorf("GET %s?%s: %d %s\nwant 400 %s", path, raw.query, code, body, want)
			}
		}
	}
}

// TestParamLengthInCharacters: the 4096 limit of a query value counts
// characters, as its message says, not bytes.
func TestParamLengthInCharacters(t *testing.T) {
	f := newFake(t, Options{})
	for _, tc := range []struct {
		value string
		code  int
	}{
		{"name:" + strings.Repeat("€", 4091), 200},
		{"name:" + strings.Repeat("€", 4092), 400},
		{"name:" + strings.Repeat("x", 4091), 200},
		{"name:" + strings.Repeat("😀", 4092), 400},
	} {
		code, body := f.do("GET", "/api/v2/users?q="+url.QueryEscape(tc.value), "")
		if code != tc.code {
			t.Errorf("q of %d characters (%d bytes): %d %.200s", len([]rune(tc.value)), len(tc.value), code, body)
		}
		if want := "String is too long (4097 chars)"; code == 400 && !strings.Contains(body, want) {
			t.Errorf("q of %d characters: %s, want %q", len([]rune(tc.value)), body, want)
		}
	}
}

// TestQueryCase checks M7's case rules field by field: email, name,
// given_name, family_name and nickname compare case-insensitively (values
// and prefixes), every other field case-sensitively.
func TestQueryCase(t *testing.T) {
	f := newFake(t, Options{})
	f.createUser("Ann.Lee@Example.com", `"name":"Ann Lee","given_name":"Ann","family_name":"Lee","nickname":"AnnL","username":"AnnL","app_metadata":{"team":"Blue"}`)
	for _, c := range []struct{ q, want string }{
		{"email:ann.lee@example.com", "ann.lee@example.com"},
		{`name:"ANN LEE"`, "ann.lee@example.com"},
		{"given_name:aNN", "ann.lee@example.com"},
		{"family_name:LEE", "ann.lee@example.com"},
		{"nickname:annl", "ann.lee@example.com"},
		{"given_name:AN*", "ann.lee@example.com"},
		{"username:annl", ""},
		{"username:AnnL", "ann.lee@example.com"},
		{"app_metadata.team:blue", ""},
		{"app_metadata.team:Blue", "ann.lee@example.com"},
	} {
		if got := emails(f.must(http.StatusOK, "GET", "/api/v2/users?q="+url.QueryEscape(c.q), ""), ""); got != c.want {
			t.Errorf("q=%s: %q, want %q", c.q, got, c.want)
		}
	}
}
