package httpx_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/httpx"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"no error", nil, http.StatusOK},
		{"not found", maillon.NotFound("Équipe"), http.StatusNotFound},
		{"invalid", maillon.FieldErrors{"name": "Indiquez un nom."}.Err(), http.StatusUnprocessableEntity},
		{"conflict", maillon.Errorf(maillon.ErrConflict, "Déjà pris."), http.StatusConflict},
		{"forbidden", maillon.Forbidden(), http.StatusForbidden},
		{"unauthenticated", maillon.Unauthenticated(), http.StatusUnauthorized},
		{"too many", &maillon.Error{Kind: maillon.ErrTooMany, Message: "Patientez."}, http.StatusTooManyRequests},
		{"bare kind", maillon.ErrNotFound, http.StatusNotFound},
		{"wrapped kind", fmt.Errorf("store: %w", maillon.Forbidden()), http.StatusForbidden},
		{"body too large", &http.MaxBytesError{Limit: 10}, http.StatusRequestEntityTooLarge},
		{"wrapped body too large", fmt.Errorf("parse form: %w", &http.MaxBytesError{Limit: 10}), http.StatusRequestEntityTooLarge},
		{"internal error", errors.New("sql: database is locked"), http.StatusInternalServerError},
		{"unknown kind", &maillon.Error{Kind: errors.New("other"), Message: "?"}, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := httpx.StatusOf(tt.err); got != tt.want {
				t.Fatalf("StatusOf(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestPublicMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"domain message is shown", maillon.NotFound("Équipe"), "Équipe introuvable."},
		{"wrapped domain message is shown", fmt.Errorf("store: %w", maillon.Forbidden()), maillon.Forbidden().Message},
		{"internal error is hidden", errors.New("pq: password authentication failed for user maillon"), "Une erreur inattendue s'est produite"},
		{"internal error wrapping a message is hidden", fmt.Errorf("commit: %w", &maillon.Error{Kind: errors.New("x"), Message: "détail interne"}), "Une erreur inattendue"},
		{"body too large", &http.MaxBytesError{Limit: 1}, "La requête est trop volumineuse."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := httpx.PublicMessage(tt.err)
			if !strings.Contains(got, tt.want) {
				t.Fatalf("PublicMessage(%v) = %q, want %q", tt.err, got, tt.want)
			}
			if strings.Contains(got, "pq:") || strings.Contains(got, "interne") {
				t.Fatalf("PublicMessage leaks internal detail: %q", got)
			}
		})
	}
}

// Ensure a bare error kind, without a domain message, still gives users a
// French message rather than Go's English status text.
func TestPublicMessageOfBareKindsIsFrench(t *testing.T) {
	for _, kind := range []error{maillon.ErrNotFound, maillon.ErrInvalid, maillon.ErrConflict, maillon.ErrForbidden, maillon.ErrUnauthenticated, maillon.ErrTooMany} {
		got := httpx.PublicMessage(fmt.Errorf("store: %w", kind))
		if got == "" || got == http.StatusText(httpx.StatusOf(kind)) {
			t.Errorf("PublicMessage(%v) = %q, want a French message", kind, got)
		}
	}
}

func decodeJSONError(t *testing.T, rec *httptest.ResponseRecorder) httpx.JSONError {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	var raw map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	var body httpx.JSONError
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["request_id"]; !ok {
		t.Errorf("body %s lacks request_id", rec.Body)
	}
	return body
}

func TestWriteJSONError(t *testing.T) {
	// Run through Observe so that the request has an ID.
	serve := func(err error) *httptest.ResponseRecorder {
		h := httpx.Observe(discardLogger(), nil, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteJSONError(w, r, err)
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/users", nil))
		return rec
	}

	t.Run("validation error lists fields", func(t *testing.T) {
		var fe maillon.FieldErrors
		fe.Add("email", "Indiquez une adresse e-mail.")
		fe.Add("role", "Choisissez un rôle dans la liste.")
		rec := serve(fe.Err())
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d", rec.Code)
		}
		body := decodeJSONError(t, rec)
		want := httpx.JSONError{
			Error:     "Le formulaire contient 2 erreurs.",
			Fields:    map[string]string{"email": "Indiquez une adresse e-mail.", "role": "Choisissez un rôle dans la liste."},
			RequestID: rec.Header().Get("X-Request-Id"),
		}
		if body.Error != want.Error || body.RequestID != want.RequestID || len(body.Fields) != 2 ||
			body.Fields["email"] != want.Fields["email"] || body.Fields["role"] != want.Fields["role"] {
			t.Fatalf("body = %+v, want %+v", body, want)
		}
		if body.RequestID == "" {
			t.Fatal("empty request_id")
		}
	})
	t.Run("not found has no fields", func(t *testing.T) {
		rec := serve(maillon.NotFound("Compte"))
		if rec.Code != http.StatusNotFound {
			t.Fatalf("status = %d", rec.Code)
		}
		if strings.Contains(rec.Body.String(), `"fields"`) {
			t.Fatalf("body %s has a fields member", rec.Body)
		}
		if body := decodeJSONError(t, rec); body.Error != "Compte introuvable." {
			t.Fatalf("error = %q", body.Error)
		}
	})
	t.Run("internal error hides its fields and message", func(t *testing.T) {
		err := fmt.Errorf("store: %w", &maillon.Error{Kind: errors.New("db"), Message: "secret", Fields: map[string]string{"dsn": "postgres://x:y@z"}})
		rec := serve(err)
		if rec.Code != http.StatusInternalServerError {
			t.Fatalf("status = %d", rec.Code)
		}
		if s := rec.Body.String(); strings.Contains(s, "secret") || strings.Contains(s, "postgres") || strings.Contains(s, "fields") {
			t.Fatalf("body leaks the internal error: %s", s)
		}
		if body := decodeJSONError(t, rec); body.RequestID == "" || body.RequestID != rec.Header().Get("X-Request-Id") {
			t.Fatalf("request_id = %q, header %q", body.RequestID, rec.Header().Get("X-Request-Id"))
		}
	})
	t.Run("throttling sets Retry-After", func(t *testing.T) {
		rec := serve(&maillon.Error{Kind: maillon.ErrTooMany, Message: "Trop de tentatives.", RetryAfterSeconds: 90})
		if rec.Code != http.StatusTooManyRequests {
			t.Fatalf("status = %d", rec.Code)
		}
		if got := rec.Header().Get("Retry-After"); got != "90" {
			t.Fatalf("Retry-After = %q, want 90", got)
		}
		if body := decodeJSONError(t, rec); body.Error != "Trop de tentatives." {
			t.Fatalf("error = %q", body.Error)
		}
	})
	t.Run("no Retry-After without a delay", func(t *testing.T) {
		rec := serve(maillon.Forbidden())
		if got := rec.Header().Get("Retry-After"); got != "" {
			t.Fatalf("Retry-After = %q", got)
		}
	})
	t.Run("request without ID still has the member", func(t *testing.T) {
		rec := httptest.NewRecorder()
		httpx.WriteJSONError(rec, httptest.NewRequest("GET", "/", nil), maillon.Forbidden())
		decodeJSONError(t, rec)
	})
}

func TestWriteJSONUnencodableValue(t *testing.T) {
	rec := httptest.NewRecorder()
	httpx.WriteJSON(rec, http.StatusOK, map[string]any{"f": func() {}})
	if rec.Code != http.StatusInternalServerError || !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("status %d, body %q", rec.Code, rec.Body)
	}
}
