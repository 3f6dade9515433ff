package metamerge

// Are the figures in README and the docs those of the code?

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The numbers that the README and the package documentation state about
// limits, read from their text and checked against the constants of the
// code, so that the two cannot drift apart: every row of the Limits tables
// (a row this test does not know fails it), and the sentences elsewhere
// that restate a default, a ceiling or a bound.

// numberRE matches a stated number: digits with optional thousands
// commas, an optional binary unit, and an optional "− 1 byte" (as in
// "2 GiB − 1 byte").
var numberRE = regexp.MustCompile(`(\d[\d,]*)(?:\s*(KiB|MiB|GiB)\b)?(\s*−\s*1 byte)?`)

// notNumbersRE matches what holds digits without stating a limit: rule
// ids (H10, C2), encoding names (UTF-16) and Auth0.
var notNumbersRE = regexp.MustCompile(`\b[RCSHDM]\d+\b|UTF-\d+|Auth0`)

// parseNumber returns the value of a match of numberRE.
func parseNumber(t *testing.T, m []string) int {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64) // 64 bits: 2 GiB overflows a 32-bit int
	if err != nil {
		t.Fatalf("%q: %v", m[0], err)
	}
	switch m[2] {
	case "KiB":
		n <<= 10
	case "MiB":
		n <<= 20
	case "GiB":
		n <<= 30
	}
	if m[3] != "" {
		n--
	}
	if n != int64(int(n)) {
		t.Fatalf("%q: %d does not fit in an int", m[0], n)
	}
	return int(n)
}

// numbersIn returns the numbers stated in s, in order.
func numbersIn(t *testing.T, s string) []int {
	t.Helper()
	var out []int
	for _, m := range numberRE.FindAllStringSubmatch(notNumbersRE.ReplaceAllString(s, ""), -1) {
		out = append(out, parseNumber(t, m))
	}
	return out
}

// readDoc returns the text of a file, or of the section of a Markdown file
// that starts with the heading section ("" for all of it).
func readDoc(t *testing.T, file, section string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if section != "" {
		_, after, ok := strings.Cut(text, "\n"+section+"\n")
		if !ok {
			t.Fatalf("%s: no section %q", file, section)
		}
		text, _, _ = strings.Cut(after, "\n## ")
	}
	return text
}

// docComment returns the text of the // comments of a Go file, without
// their markers.
func docComment(t *testing.T, file string) string {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(readDoc(t, file, ""), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "//"); ok {
			b.WriteString(rest)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func TestREADMENumbers(t *testing.T) {
	user, client, signup := UserMetadata(), ClientMetadata(), Signup()
	if app := AppMetadata(); app.MaxBytes != user.MaxBytes {
		t.Fatalf("app_metadata's MaxBytes %d differs from user_metadata's %d, which the tables state once for both", app.MaxBytes, user.MaxBytes)
	}
	// The numbers of each row of the Limits tables, by the row's first
	// cell; rows without numbers are listed too, so that a new row fails
	// until it is added here.
	common := map[string][]int{
		"input document size (H10)": {MaxDocumentBytes},
		"nesting depth (H3)":        {DefaultMaxDepth, maxDepthSetting},
		"violations reported (H8)":  {DefaultMaxErrors, maxErrorsSetting},
		"character unit (H4)":       nil,
	}
	readmeWant := map[string][]int{
		"`user_metadata` / `app_metadata` size (R9)": {user.MaxBytes},
		// Off by default (UserRules.MaxProfileBytes is 0); the numbers are
		// Auth0's "10 KB" and our reading of it, 10 * 1024 bytes.
		"whole profile size (R9)":                       {10, 10, 1024},
		"`client_metadata` keys / name / value (C2–C4)": {client.MaxKeys, client.MaxKeyLen, client.MaxValueLen},
		"signup fields / name / value (S1)":             {signup.MaxKeys, signup.MaxKeyLen, signup.MaxValueLen},
	}
	docWant := map[string][]int{
		"user/app_metadata size (R9)": {user.MaxBytes},
		"whole profile size (R9)":     nil, // off
		"client_metadata keys (C4)":   {client.MaxKeys},
		"client_metadata name (C3)":   {client.MaxKeyLen},
		"client_metadata value (C2)":  {client.MaxValueLen},
		"signup fields (S1)":          {signup.MaxKeys},
		"signup name (S1)":            {signup.MaxKeyLen},
		"signup value (S1)":           {signup.MaxValueLen},
	}
	for k, v := range common {
		readmeWant[k], docWant[k] = v, v
	}
	if (UserRules{}).MaxProfileBytes != 0 {
		t.Error("UserRules.MaxProfileBytes is on by default; the tables say off")
	}

	// README.md: a Markdown table; its first two lines are the header.
	var readmeRows [][]string
	for _, line := range strings.Split(strings.TrimSpace(readDoc(t, "README.md", "## Limits")), "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		readmeRows = append(readmeRows, cells)
	}
	if len(readmeRows) < 3 {
		t.Fatalf("README.md: the Limits table has %d lines", len(readmeRows))
	}
	// doc.go: an indented table under "# Limits", columns two spaces or
	// more apart.
	_, limits, ok := strings.Cut(docComment(t, "doc.go"), "\n # Limits\n")
	if !ok {
		t.Fatal("doc.go: no # Limits heading")
	}
	var docRows [][]string
	for _, line := range strings.Split(strings.TrimLeft(limits, "\n"), "\n") {
		if !strings.HasPrefix(line, "\t") {
			break
		}
		docRows = append(docRows, regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1))
	}
	if len(docRows) < 2 {
		t.Fatalf("doc.go: the Limits table has %d lines", len(docRows))
	}
	for _, table := range []struct {
		file string
		rows [][]string // without the header
		want map[string][]int
	}{{"README.md", readmeRows[2:], readmeWant}, {"doc.go", docRows[1:], docWant}} {
		seen := map[string]bool{}
		for _, cells := range table.rows {
			seen[cells[0]] = true
			want, ok := table.want[cells[0]]
			if !ok {
				t.Errorf("%s: Limits row %q: this test does not know it; add its constants here", table.file, cells[0])
				continue
			}
			if got := numbersIn(t, strings.Join(cells[1:], " ")); !slices.Equal(got, want) {
				t.Errorf("%s: Limits row %q states %v; the code has %v", table.file, cells[0], got, want)
			}
		}
		for k := range table.want {
			if !seen[k] {
				t.Errorf("%s: the Limits table has no row %q", table.file, k)
			}
		}
	}

	// Sentences that restate a number: each pattern must match at least
	// once, and its number must be the constant's.
	readme := func(section string) string { return readDoc(t, "README.md", section) }
	for _, tt := range []struct {
		where, text string
		pattern     string // one group: the number
		want        int
	}{
		{"README Rules (R9)", readme("## Rules"), `Each field ≤ (\d+ MiB) after the merge`, user.MaxBytes},
		{"README Rules (H3)", readme("## Rules"), `Nesting limited, default (\d+) levels`, DefaultMaxDepth},
		{"README Rules (H8)", readme("## Rules"), "at most ([\\d,]+) \\(`Limits.MaxErrors`\\)", DefaultMaxErrors},
		{"README Rules (H8)", readme("## Rules"), `fewer past (\d+ KiB) of pointers`, maxPointerBytes},
		{"README Rules (H10)", readme("## Rules"), `Each input at most (\d+ GiB − 1 byte)`, MaxDocumentBytes},
		{"README Errors", readme("## Errors"), `shorten pointers over (\d+) bytes`, maxMessagePointer},
		{"README Resources", readme("## Resources"), "`MaxErrors` at its ceiling of ([\\d,]+)", maxErrorsSetting},
		{"README Resources", readme("## Resources"), "at most (\\d+ KiB), as in `fmt`", maxPooled},
		{"README Parsing choices", readme("## Parsing choices"), `\(default limit (\d+), H3\)`, DefaultMaxDepth},
		{"README Security considerations", readme("## Security considerations"), `Nesting is limited to (\d+) levels by default`, DefaultMaxDepth},
		{"README Security considerations", readme("## Security considerations"), `metadata is limited to (\d+ MiB) after a merge`, user.MaxBytes},
		{"README Performance", readme("## Performance"), `larger than the (\d+ KiB) the pool keeps`, maxPooled},
		{"doc.go R9", docComment(t, "doc.go"), `R9 Each field is at most (\d+ MiB)`, user.MaxBytes},
		{"doc.go H8", docComment(t, "doc.go"), `Limits.MaxErrors violations \(default (\d+)\)`, DefaultMaxErrors},
		{"doc.go H8", docComment(t, "doc.go"), `would together pass (\d+ KiB)`, maxPointerBytes},
		{"doc.go H10", docComment(t, "doc.go"), `H10 Each input is at most (\d+ GiB − 1 byte)`, MaxDocumentBytes},
		{"doc.go Resources", docComment(t, "doc.go"), `holds at most (\d+ KiB), as in package fmt`, maxPooled},
		{"doc.go Security considerations", docComment(t, "doc.go"), `Nesting is limited to (\d+) levels by default`, DefaultMaxDepth},
		{"doc.go Security considerations", docComment(t, "doc.go"), `limited to (\d+ MiB) after the merge`, user.MaxBytes},
		{"doc.go Security considerations", docComment(t, "doc.go"), `returns at most (\d+) errors`, DefaultMaxErrors},
		{"Limits.MaxDepth", docComment(t, "limits.go"), `0 means DefaultMaxDepth; at most ([\d,]+)`, maxDepthSetting},
		{"Limits.MaxErrors", docComment(t, "limits.go"), `DefaultMaxErrors; at most ([\d,]+)`, maxErrorsSetting},
		{"Limits.MaxErrors", docComment(t, "limits.go"), `together exceed (\d+ KiB)`, maxPointerBytes},
		{"MaxDocumentBytes", docComment(t, "limits.go"), `may take: (\d+ GiB − 1 byte)`, MaxDocumentBytes},
		{"Error.Error", docComment(t, "errors.go"), `A pointer longer than (\d+) bytes is shortened`, maxMessagePointer},
	} {
		text := strings.Join(strings.Fields(tt.text), " ")
		ms := regexp.MustCompile(strings.ReplaceAll(tt.pattern, " ", `\s+`)).FindAllStringSubmatch(text, -1)
		if len(ms) == 0 {
			t.Errorf("%s: no longer says %q; update this test with what it says", tt.where, tt.pattern)
		}
		for _, m := range ms {
			if got := numbersIn(t, m[1]); len(got) != 1 || got[0] != tt.want {
				t.Errorf("%s: %q states %v; the code has %d", tt.where, m[0], got, tt.want)
			}
		}
	}
}

// TestNumbersIn checks the reading of stated numbers, the base of
// TestREADMENumbers.
func TestNumbersIn(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []int
	}{
		{"2 GiB − 1 byte", []int{1<<31 - 1}},
		{"100 levels | `Limits.MaxDepth` (at most 10,000)", []int{100, 10000}},
		{"16 MiB as emitted", []int{16 << 20}},
		{"at most 64 KiB, as in fmt", []int{64 << 10}},
		{"10 / 255 / 255 characters (C2–C4)", []int{10, 255, 255}},
		{"UTF-16 code units (H4)", nil},
		{"off; Auth0's \"10 KB\" would be `10 * 1024`", []int{10, 10, 1024}},
	} {
		if got := numbersIn(t, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.text, got, tt.want)
		}
	}
}
