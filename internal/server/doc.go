// Package server builds the http.Server: the web UI at "/" (and, with the
// API module, the JSON API at /api/v1), wrapped in the global middleware
// (request ID, access log, metrics, panic recovery, security headers, body
// limit), with timeouts and graceful shutdown.
//
// It imports maillon, httpx and web.
package server
