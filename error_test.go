package maillon_test

import (
	"errors"
	"fmt"
	"testing"

	"maillon"
)

func TestErrorKinds(t *testing.T) {
	kinds := []error{maillon.ErrNotFound, maillon.ErrInvalid, maillon.ErrConflict, maillon.ErrForbidden, maillon.ErrUnauthenticated, maillon.ErrTooMany}
	tests := []struct {
		name string
		err  error
		kind error
	}{
		{"NotFound", maillon.NotFound("Équipe"), maillon.ErrNotFound},
		{"Forbidden", maillon.Forbidden(), maillon.ErrForbidden},
		{"Unauthenticated", maillon.Unauthenticated(), maillon.ErrUnauthenticated},
		{"Errorf conflict", maillon.Errorf(maillon.ErrConflict, "Le nom %q est déjà pris.", "Nord"), maillon.ErrConflict},
		{"field errors", func() error { var fe maillon.FieldErrors; fe.Add("name", "Indiquez un nom."); return fe.Err() }(), maillon.ErrInvalid},
		{"too many", &maillon.Error{Kind: maillon.ErrTooMany, Message: "Réessayez plus tard.", RetryAfterSeconds: 60}, maillon.ErrTooMany},
		{"wrapped by a caller", fmt.Errorf("store: find team: %w", maillon.NotFound("Équipe")), maillon.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range kinds {
				if got, want := errors.Is(tt.err, k), k == tt.kind; got != want {
					t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, k, got, want)
				}
			}
			var e *maillon.Error
			if !errors.As(tt.err, &e) {
				t.Fatalf("errors.As(%v, *maillon.Error) = false", tt.err)
			}
			assertCleanMessage(t, tt.name, e.Message)
		})
	}
}

func TestErrorMessages(t *testing.T) {
	if got := maillon.NotFound("Équipe").Message; got != "Équipe introuvable." {
		t.Errorf("NotFound message = %q", got)
	}
	if got := maillon.Errorf(maillon.ErrConflict, "Le nom %q est déjà pris.", "Nord").Error(); got != `Le nom "Nord" est déjà pris.` {
		t.Errorf("Errorf().Error() = %q", got)
	}
	e := &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient 2 erreurs.",
		Fields: map[string]string{"role": "Choisissez un rôle.", "email": "Indiquez une adresse e-mail."}}
	if got, want := e.Error(), "Le formulaire contient 2 erreurs. [email: Indiquez une adresse e-mail.] [role: Choisissez un rôle.]"; got != want {
		t.Errorf("Error() = %q, want fields in name order: %q", got, want)
	}
}

func TestErrorMessageAndFieldsOf(t *testing.T) {
	domain := maillon.Forbidden()
	wrapped := fmt.Errorf("web: %w", domain)
	plain := errors.New("sql: connection refused")
	tests := []struct {
		name       string
		err        error
		wantMsg    string
		wantFields bool
	}{
		{"domain error", domain, domain.Message, false},
		{"wrapped domain error", wrapped, domain.Message, false},
		{"internal error falls back", plain, "repli", false},
		{"nil falls back", nil, "repli", false},
		{"field errors", maillon.FieldErrors{"email": "Indiquez une adresse e-mail."}.Err(), "Le formulaire contient une erreur.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maillon.ErrorMessage(tt.err, "repli"); got != tt.wantMsg {
				t.Errorf("ErrorMessage() = %q, want %q", got, tt.wantMsg)
			}
			if got := maillon.FieldsOf(tt.err); (got != nil) != tt.wantFields {
				t.Errorf("FieldsOf() = %v, want fields: %v", got, tt.wantFields)
			}
		})
	}
}

func TestFieldErrors(t *testing.T) {
	t.Run("zero value has no error", func(t *testing.T) {
		var fe maillon.FieldErrors
		if err := fe.Err(); err != nil {
			t.Fatalf("Err() = %v, want nil", err)
		}
		// A nil *Error in a non-nil interface would make callers think
		// validation failed.
		if err := (maillon.FieldErrors{}).Err(); err != nil {
			t.Fatalf("empty Err() = %#v, want nil", err)
		}
	})
	t.Run("first message per field wins", func(t *testing.T) {
		var fe maillon.FieldErrors
		fe.Add("email", "Indiquez une adresse e-mail.")
		fe.Add("email", "Un compte utilise déjà cette adresse e-mail.")
		if got := maillon.FieldsOf(fe.Err())["email"]; got != "Indiquez une adresse e-mail." {
			t.Fatalf("email message = %q, want the first one", got)
		}
	})
	t.Run("summary counts fields", func(t *testing.T) {
		var fe maillon.FieldErrors
		fe.Add("email", "Indiquez une adresse e-mail.")
		if got := maillon.ErrorMessage(fe.Err(), ""); got != "Le formulaire contient une erreur." {
			t.Errorf("one field: message %q", got)
		}
		fe.Add("role", "Choisissez un rôle dans la liste.")
		fe.Add("password", "Le mot de passe doit comporter au moins 12 caractères.")
		if got := maillon.ErrorMessage(fe.Err(), ""); got != "Le formulaire contient 3 erreurs." {
			t.Errorf("three fields: message %q", got)
		}
	})
}
