// Package ui holds the embedded templates and static files of the web UI
// and renders typed page structs into a buffer, so that a template error
// never produces half a page with status 200. Every template is parsed at
// start-up; static files are served at content-hashed URLs with immutable
// caching. In dev mode both are read from disk on every request.
//
// It imports maillon and the standard library; never store.
package ui
