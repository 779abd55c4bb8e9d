package maillon

import (
	"errors"
	"fmt"
	"sort"
)

// Error kinds. They are sentinel values so that callers can test a kind with
// errors.Is whatever message the error carries.
var (
	ErrNotFound        = errors.New("not found")
	ErrInvalid         = errors.New("invalid")
	ErrConflict        = errors.New("conflict")
	ErrForbidden       = errors.New("forbidden")
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrTooMany         = errors.New("too many requests")
)

// Error is the one error type of Maillon. Message is safe to show to any
// user (it is in French and holds no internal detail); Fields maps a form
// field name to its own message, so that forms and the API can point at the
// value to fix.
type Error struct {
	Kind    error
	Message string
	Fields  map[string]string
	// RetryAfterSeconds is set on ErrTooMany errors.
	RetryAfterSeconds int
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := e.Message
	for _, k := range keys {
		s += fmt.Sprintf(" [%s: %s]", k, e.Fields[k])
	}
	return s
}

// Unwrap makes errors.Is(err, ErrNotFound) and friends work.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf builds an Error of the given kind with a formatted safe message.
func Errorf(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the error returned when a record does not exist or is outside
// the actor's structure: both cases look the same, so that IDs of other
// structures cannot be probed.
func NotFound(what string) *Error {
	return &Error{Kind: ErrNotFound, Message: what + " introuvable."}
}

// Forbidden is returned when the actor may not perform the action.
func Forbidden() *Error {
	return &Error{Kind: ErrForbidden, Message: "Vous n'avez pas les droits nécessaires pour cette action."}
}

// Unauthenticated is returned when no actor is given.
func Unauthenticated() *Error {
	return &Error{Kind: ErrUnauthenticated, Message: "Vous devez vous connecter."}
}

// FieldErrors collects per-field validation messages. Its zero value is
// ready to use.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message: the
// first problem found is the one the user should fix first.
func (fe *FieldErrors) Add(field, msg string) {
	if *fe == nil {
		*fe = FieldErrors{}
	}
	if _, ok := (*fe)[field]; !ok {
		(*fe)[field] = msg
	}
}

// Err returns nil when no field failed, else an ErrInvalid Error.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	msg := "Le formulaire contient une erreur."
	if len(fe) > 1 {
		msg = fmt.Sprintf("Le formulaire contient %d erreurs.", len(fe))
	}
	return &Error{Kind: ErrInvalid, Message: msg, Fields: fe}
}

// ErrorMessage returns the safe message of err when it is a domain Error,
// and fallback otherwise.
func ErrorMessage(err error, fallback string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return fallback
}

// FieldsOf returns the per-field messages of err, or nil.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
