package scimclient

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/clock"
)

// Sleeper waits; tests inject one that does not.
type Sleeper interface {
	Sleep(ctx context.Context, d time.Duration) error
}

// TimerSleeper sleeps on a real timer, ending early with ctx.
type TimerSleeper struct{}

// Sleep waits d or until ctx ends.
func (TimerSleeper) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Options tune a Client; zero values take the defaults.
type Options struct {
	HTTP        *http.Client // 30 s timeout by default
	Sleeper     Sleeper      // TimerSleeper by default
	Clock       clock.Clock  // reads Retry-After dates; clock.Real by default
	Random      io.Reader    // jitter; clock.Random by default
	MaxAttempts int          // tries per request; 6 by default
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	UserAgent   string
}

// Client is a SCIM 2.0 client of one target. Each call retries with
// exponential backoff and jitter on 429 (honouring Retry-After), 5xx and
// network errors; other failures come back as *Error at once. A
// Retry-After longer than MaxDelay ends the call with the *Error, whose
// RetryAfter says when to ask again.
type Client struct {
	base  string
	token string
	o     Options
}

const maxRetryAfter = 5 * time.Minute

// New returns a client of the SCIM base URL (no trailing slash needed)
// authenticating with the bearer token.
func New(baseURL, token string, o Options) *Client {
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if o.Sleeper == nil {
		o.Sleeper = TimerSleeper{}
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Random == nil {
		o.Random = clock.Random
	}
	if o.MaxAttempts < 1 {
		o.MaxAttempts = 6
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = 200 * time.Millisecond
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 20 * time.Second
	}
	if o.UserAgent == "" {
		o.UserAgent = "keyward-scim-client/1"
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), token: token, o: o}
}

// request is one call: where, what to send, where to read the answer.
type request struct {
	method string
	path   string
	query  url.Values
	in     any
	out    any
	limit  int64
}

// do runs r, retrying what may succeed later, and returns the final
// status.
func (c *Client) do(ctx context.Context, r request) (int, error) {
	body, err := encode(r.in)
	if err != nil {
		return 0, err
	}
	for attempt := 1; ; attempt++ {
		status, wait, err := c.once(ctx, r, body)
		if err == nil || !c.retryable(ctx, err) || attempt >= c.o.MaxAttempts {
			return status, err
		}
		if wait > c.o.MaxDelay {
			// Sleeping it out here would hold the caller (and the
			// engine's lease) for as long: the error carries it instead.
			return status, err
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if serr := c.o.Sleeper.Sleep(ctx, wait); serr != nil {
			return status, err
		}
	}
}

func encode(in any) ([]byte, error) {
	if in == nil {
		return nil, nil
	}
	return json.Marshal(in)
}

// retryable: a target's throttling or server error, or a network or read
// failure while the caller still waits.
func (c *Client) retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, errTooLarge) {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Retryable()
	}
	return true
}

// backoff is exponential with full jitter in its upper half.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.o.BaseDelay << min(attempt-1, 20)
	if d > c.o.MaxDelay || d <= 0 {
		d = c.o.MaxDelay
	}
	half := d / 2
	return half + time.Duration(c.randN(uint64(half)+1))
}

func (c *Client) randN(n uint64) uint64 {
	var b [8]byte
	if _, err := io.ReadFull(c.o.Random, b[:]); err != nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b[:]) % n
}

// once sends r and reads the answer; wait is the Retry-After asked for.
func (c *Client) once(ctx context.Context, r request, body []byte) (int, time.Duration, error) {
	req, err := c.newRequest(ctx, r, body)
	if err != nil {
		return 0, 0, err
	}
	resp, err := c.o.HTTP.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if r.out == nil || resp.StatusCode == http.StatusNoContent {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResourceBody))
			return resp.StatusCode, 0, nil
		}
		return resp.StatusCode, 0, decode(resp.Body, r.limit, r.out)
	}
	b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxResourceBody))
	if rerr != nil && resp.StatusCode < 500 && resp.StatusCode != 429 {
		return resp.StatusCode, 0, rerr
	}
	e := parseError(resp.StatusCode, b)
	e.RetryAfter = c.retryAfter(resp.Header.Get("Retry-After"))
	return resp.StatusCode, e.RetryAfter, e
}

func (c *Client) newRequest(ctx context.Context, r request, body []byte) (*http.Request, error) {
	u := c.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/scim+json, application/json")
	req.Header.Set("User-Agent", c.o.UserAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	return req, nil
}

// retryAfter reads Retry-After as seconds or an HTTP date, capped.
func (c *Client) retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(c.o.Clock.Now())
	}
	return min(max(d, 0), maxRetryAfter)
}
