package mgmt

import (
	"errors"
	"io"
	"net/http"
	"strconv"
)

// Write sends a: its status, and its body as JSON with its length.
func (a *Answer) Write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}

// DefaultMaxBodyBytes is the body limit of [ReadBody] when max is 0:
// 1 MiB, the default of the framework Auth0's API runs on.
const DefaultMaxBodyBytes = 1 << 20

// ReadBody reads the body of r, at most max bytes (0: DefaultMaxBodyBytes).
// A larger body is a 413 as soon as its declared length or its bytes say
// so ("Payload content length greater than maximum allowed: <max>"); any
// other read error (a client that hangs up, a broken chunk) is a 400
// "Invalid request payload input", never a 413.
func ReadBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, *Answer) {
	if max <= 0 {
		max = DefaultMaxBodyBytes
	}
	tooLarge := Envelope(http.StatusRequestEntityTooLarge, "Payload content length greater than maximum allowed: "+strconv.FormatInt(max, 10), "")
	if r.ContentLength > max {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge
	case err != nil:
		return nil, Envelope(http.StatusBadRequest, "Invalid request payload input", "")
	}
	return body, nil
}
