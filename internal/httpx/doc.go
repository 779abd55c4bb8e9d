// Package httpx is the HTTP plumbing shared by the web UI and the JSON API:
// error kinds mapped to statuses, JSON responses, request IDs, access logs
// without personal data, panic recovery, security headers, body limits,
// client addresses behind trusted proxies, and Prometheus metrics.
//
// It imports maillon and the standard library only.
package httpx
