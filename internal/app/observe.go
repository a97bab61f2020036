package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// health mounts /healthz (the process answers), /readyz (the store
// answers) and /metrics, unless --metrics-addr gives /metrics a listener of
// its own.
func (m *Main) health(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := m.Store.Ping(r.Context()); err != nil {
			m.Log.Warn("not ready", "err", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	metrics := promhttp.HandlerFor(m.metrics(), promhttp.HandlerOpts{})
	if m.metricsListener == nil {
		mux.Handle("GET /metrics", metrics)
		return
	}
	own := http.NewServeMux()
	own.Handle("GET /metrics", metrics)
	m.Metrics = &http.Server{Handler: own, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
}

// knownMethods are the methods that get a metric label of their own; any
// other is counted as "other", so clients cannot grow the label set.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

func methodLabel(method string) string {
	if knownMethods[method] {
		return method
	}
	return "other"
}

var (
	requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "keyward_http_requests_total", Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "keyward_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})
)

func (m *Main) metrics() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), requests, latency)
	return reg
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe logs each request (never its headers or body, which carry
// secrets) and records its metrics by route pattern.
func (m *Main) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern // a registered pattern: a bounded set
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		requests.WithLabelValues(route, methodLabel(r.Method), strconv.Itoa(sw.status)).Inc()
		latency.WithLabelValues(route).Observe(elapsed.Seconds())
		m.Log.Debug("request", "method", r.Method, "route", route, "target", r.Header.Get("X-Amz-Target"),
			"status", sw.status, "duration", elapsed)
	})
}
