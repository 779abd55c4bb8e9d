// Package web is Maillon's accessible, server-rendered HTML interface. It
// has one route table (routes.go) whose entries state who may use each
// route; a test turns that table into an authorisation matrix. Handlers
// read typed forms, call the domain services of package maillon (never the
// store) and render typed page structs through package ui. Sessions live in
// the database behind an HttpOnly cookie; every state-changing request
// carries a CSRF token and passes Go's cross-origin protection.
//
// It imports maillon, httpx and ui.
package web
