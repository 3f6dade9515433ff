//go:build unix

package auth0fake_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/metamerge/metamerge/auth0fake"
)

// TestMeasureListCost prints the figures of the package documentation's
// security considerations: the costliest list query we know (sixteen
// walks through twenty users of 1 MiB whose metadata is 95 nested
// arrays), the server's CPU after its client gives up at 0.2 s, and the
// bytes allocated for a page of fifty 1 MB users. It asserts nothing the
// other tests do not and runs only when asked:
//
//	AUTH0FAKE_MEASURE=1 go test -run TestMeasureListCost -v ./auth0fake
//
// AUTH0FAKE_MEASURE_BUDGET sets Options.MaxWorkBytes, to watch a request
// that the budget does not stop (1099511627776) being cancelled.
func TestMeasureListCost(t *testing.T) {
	if os.Getenv("AUTH0FAKE_MEASURE") == "" {
		t.Skip("set AUTH0FAKE_MEASURE=1 to measure (it stores 70 MB)")
	}
	budget, _ := strconv.ParseInt(os.Getenv("AUTH0FAKE_MEASURE_BUDGET"), 10, 64)
	fake, err := auth0fake.New(auth0fake.Options{Token: "t", MaxBodyBytes: 2 << 20, MaxWorkBytes: budget})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 2)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.ServeHTTP(w, r)
		if r.Method == "GET" {
			done <- struct{}{}
		}
	}))
	defer ts.Close()
	deep := strings.Repeat("[", 95) + strings.Repeat("0,", (1<<20-300)/2) + "0" + strings.Repeat("]", 95)
	for i := 0; i < 20; i++ {
		measurePost(t, ts.URL, fmt.Sprintf(`{"password":"pw","connection":"c","email":"u%d@example.com","user_metadata":{"a":%s}}`, i, deep))
	}
	path := "/api/v2/users?per_page=1&q=" + strings.TrimSuffix(strings.Repeat("user_metadata.a:0+", 16), "+")
	t0 := time.Now()
	code, err := measureGet(context.Background(), ts.URL+path)
	<-done
	t.Logf("GET %s (%d bytes): %d %v in %v", path[:40]+"…", len(path), code, err, time.Since(t0).Round(time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	t0 = time.Now()
	_, err = measureGet(ctx, ts.URL+path)
	gaveUp, cpu0 := time.Now(), measureCPU()
	<-done
	t.Logf("client gave up after %v (%v); the server went on for %v, %v of CPU", gaveUp.Sub(t0).Round(time.Millisecond), err != nil,
		time.Since(gaveUp).Round(time.Millisecond), (measureCPU() - cpu0).Round(time.Millisecond))

	page, err := auth0fake.New(auth0fake.Options{Token: "t", MaxBodyBytes: 2 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(page)
	defer ts2.Close()
	big := strings.Repeat("x", 1_000_000)
	for i := 0; i < 50; i++ {
		measurePost(t, ts2.URL, fmt.Sprintf(`{"password":"pw","connection":"c","email":"p%d@example.com","user_metadata":{"s":"%s"}}`, i, big))
	}
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0 = time.Now()
	code, err = measureGet(context.Background(), ts2.URL+"/api/v2/users?per_page=50&include_totals=true")
	runtime.ReadMemStats(&m1)
	t.Logf("page of 50 users of 1 MB: %d %v in %v, %d bytes allocated (client included)", code, err, time.Since(t0).Round(time.Millisecond), m1.TotalAlloc-m0.TotalAlloc)
}

func measurePost(t *testing.T, base, body string) {
	req, _ := http.NewRequest("POST", base+"/api/v2/users", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %.300s", resp.StatusCode, b)
	}
}

func measureGet(ctx context.Context, url string) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// measureCPU is the CPU time of this process so far.
func measureCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
