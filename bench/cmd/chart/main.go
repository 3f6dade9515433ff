// Command chart reads the output of the bench module's benchmarks (go test
// -bench, any -count) and writes an SVG chart of median throughput per
// approach and size, and markdown tables of the medians and of the ratios
// the project's targets name.
//
//	go run ./cmd/chart -in results/bench.txt -svg results/throughput.svg -md results/tables.md
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/metamerge/metamerge/internal/benchdata"
)

var (
	sizes   = []string{"1KiB", "64KiB", "1MiB", "16MiB"}
	patches = []string{"small", "large"}
	impls   = []string{"metamerge", "mapmerge", "evanphx", "gjson-sjson", "json.Valid", "gjson.Valid"}
	colours = []string{"#1b7837", "#762a83", "#e08214", "#2166ac", "#878787", "#c2c2c2"}
)

// key names one benchmark: size, patch, impl.
type key struct{ size, patch, impl string }

type sample struct{ ns, mbps, allocs []float64 }

var (
	line      = regexp.MustCompile(`^BenchmarkUserPatch/size=([^/]+)/patch=([^/]+)/impl=(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op\s+([\d.]+) MB/s`)
	allocsCol = regexp.MustCompile(`\s([\d.]+) allocs/op`)
)

func read(r io.Reader) (map[key]*sample, error) {
	data := map[key]*sample{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		k := key{m[1], m[2], m[3]}
		if data[k] == nil {
			data[k] = &sample{}
		}
		ns, _ := strconv.ParseFloat(m[5], 64)
		mb, _ := strconv.ParseFloat(m[6], 64)
		data[k].ns = append(data[k].ns, ns)
		data[k].mbps = append(data[k].mbps, mb)
		if a := allocsCol.FindStringSubmatch(sc.Text()); a != nil {
			n, _ := strconv.ParseFloat(a[1], 64)
			data[k].allocs = append(data[k].allocs, n)
		}
	}
	return data, sc.Err()
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func med(data map[key]*sample, k key, ns bool) float64 {
	s := data[k]
	if s == nil {
		return math.NaN()
	}
	if ns {
		return median(s.ns)
	}
	return median(s.mbps)
}

func main() {
	in := flag.String("in", "", "benchmark output (default standard input)")
	svgOut := flag.String("svg", "throughput.svg", "SVG chart to write")
	mdOut := flag.String("md", "", "markdown tables to write (default standard output)")
	flag.Parse()
	r := io.Reader(os.Stdin)
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		r = f
	}
	data, err := read(r)
	if err != nil {
		log.Fatal(err)
	}
	if len(data) == 0 {
		log.Fatal("no BenchmarkUserPatch results in the input")
	}
	if err := os.WriteFile(*svgOut, []byte(chart(data)), 0o644); err != nil {
		log.Fatal(err)
	}
	w := os.Stdout
	if *mdOut != "" {
		if w, err = os.Create(*mdOut); err != nil {
			log.Fatal(err)
		}
		defer w.Close()
	}
	tables(w, data)
	linearity(w, data)
}

func tables(w io.Writer, data map[key]*sample) {
	for _, p := range patches {
		fmt.Fprintf(w, "Median throughput, %s patch (MB/s over the stored profile; higher is better):\n\n", p)
		fmt.Fprintf(w, "| approach | %s |\n|---|%s\n", strings.Join(sizes, " | "), strings.Repeat("---:|", len(sizes)))
		for _, im := range impls {
			fmt.Fprintf(w, "| %s |", im)
			for _, s := range sizes {
				fmt.Fprintf(w, " %s |", num(med(data, key{s, p, im}, false)))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Ratios of median times (lower is better for metamerge):\n\n")
	fmt.Fprintf(w, "| ratio | %s |\n|---|%s\n", strings.Join(sizes, " | "), strings.Repeat("---:|", len(sizes)))
	rows := []struct {
		label, patch, num, den string
	}{
		{"metamerge small patch ÷ json.Valid", "small", "metamerge", "json.Valid"},
		{"metamerge large patch ÷ json.Valid", "large", "metamerge", "json.Valid"},
		{"mapmerge ÷ metamerge, small patch", "small", "mapmerge", "metamerge"},
		{"evanphx ÷ metamerge, small patch", "small", "evanphx", "metamerge"},
		{"mapmerge ÷ metamerge, large patch", "large", "mapmerge", "metamerge"},
		{"evanphx ÷ metamerge, large patch", "large", "evanphx", "metamerge"},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "| %s |", r.label)
		for _, s := range sizes {
			fmt.Fprintf(w, " %s |", ratio(med(data, key{s, r.patch, r.num}, true)/med(data, key{s, r.patch, r.den}, true)))
		}
		fmt.Fprintln(w)
	}
}

// linearity shows metamerge's large-patch time per byte of input (stored
// profile plus patch) at each size: constant when the cost is linear.
func linearity(w io.Writer, data map[key]*sample) {
	fmt.Fprintf(w, "\nmetamerge with the large patch, per byte of input (linear cost: a flat last column):\n\n")
	fmt.Fprintf(w, "| size | stored bytes | patch bytes | median time | ns per input byte | allocs/op |\n|---|---:|---:|---:|---:|---:|\n")
	for _, sz := range benchdata.Sizes {
		stored, n := benchdata.Profile(sz.Bytes)
		patch := benchdata.UserPatches(n)[1].Body // the large patch
		k := key{sz.Name, "large", "metamerge"}
		ns := med(data, k, true)
		allocs := math.NaN()
		if s := data[k]; s != nil {
			allocs = median(s.allocs)
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %.2f | %s |\n", sz.Name, len(stored), len(patch), duration(ns),
			ns/float64(len(stored)+len(patch)), num(allocs))
	}
}

func duration(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "—"
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'f', 2, 64) + " ms"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'f', 1, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'f', 0, 64) + " ns"
}

func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func ratio(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "×"
}

// chart draws one panel per patch: groups of bars per size, one bar per
// approach, on a logarithmic throughput axis.
func chart(data map[key]*sample) string {
	const (
		panelW, panelH = 460.0, 300.0
		left, top      = 60.0, 40.0
		gap            = 40.0
		lo, hi         = -1.0, 4.0 // log10 of MB/s: 0.1 to 10,000
	)
	width := left + 2*panelW + gap + 20
	height := top + panelH + 110
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="15">Merging a PATCH into a stored profile: median throughput (MB/s of stored profile, log scale)</text>`+"\n", left)
	y := func(v float64) float64 {
		l := math.Log10(v)
		l = math.Max(lo, math.Min(hi, l))
		return top + panelH - (l-lo)/(hi-lo)*panelH
	}
	for pi, p := range patches {
		x0 := left + float64(pi)*(panelW+gap)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-weight="bold">%s patch</text>`+"\n", x0+panelW/2-30, top-6, p)
		for e := lo; e <= hi; e++ {
			yy := y(math.Pow(10, e))
			fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x0, x0+panelW, yy, yy)
			if pi == 0 {
				fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", x0-6, yy+4, num(math.Pow(10, e)))
			}
		}
		groupW := panelW / float64(len(sizes))
		barW := (groupW - 16) / float64(len(impls))
		for si, s := range sizes {
			gx := x0 + float64(si)*groupW + 8
			for ii, im := range impls {
				v := med(data, key{s, p, im}, false)
				bx := gx + float64(ii)*barW
				if math.IsNaN(v) {
					fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="9" text-anchor="middle">–</text>`+"\n", bx+barW/2, top+panelH-4)
					continue
				}
				yy := y(v)
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s %s: %s MB/s</title></rect>`+"\n",
					bx, yy, barW-1, top+panelH-yy, colours[ii], im, s, p, num(v))
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">%s</text>`+"\n", gx+(groupW-16)/2, top+panelH+16, s)
		}
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.0f" y2="%.0f" stroke="black"/>`+"\n", x0, x0+panelW, top+panelH, top+panelH)
	}
	for ii, im := range impls {
		lx := left + float64(ii%3)*200
		ly := top + panelH + 40 + float64(ii/3)*20
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="12" height="12" fill="%s"/><text x="%.0f" y="%.0f">%s</text>`+"\n", lx, ly-10, colours[ii], lx+18, ly, im)
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="10">evanphx deep-merges (RFC 7396), mapmerge loses member order: speed references only. json.Valid and gjson.Valid only read the stored profile. – : not run.</text>`+"\n", left, height-12)
	b.WriteString("</svg>\n")
	return b.String()
}
