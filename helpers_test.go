package maillon_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"maillon"
)

// fieldErrors asserts that err is an ErrInvalid domain error and returns
// its per-field messages, each checked to be presentable French.
func fieldErrors(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		t.Fatal("Validate() = nil, want field errors")
	}
	if !errors.Is(err, maillon.ErrInvalid) {
		t.Fatalf("Validate() = %v, want an ErrInvalid error", err)
	}
	fields := maillon.FieldsOf(err)
	if len(fields) == 0 {
		t.Fatalf("Validate() = %v, without field messages", err)
	}
	for field, msg := range fields {
		assertCleanMessage(t, field, msg)
	}
	return fields
}

// assertFields checks that exactly the wanted fields failed and that each
// message contains the wanted fragment.
func assertFields(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	got := fieldErrors(t, err)
	for field, fragment := range want {
		msg, ok := got[field]
		if !ok {
			t.Errorf("no message for field %q; got %v", field, got)
			continue
		}
		if !strings.Contains(msg, fragment) {
			t.Errorf("field %q: message %q does not contain %q", field, msg, fragment)
		}
	}
	for field, msg := range got {
		if _, ok := want[field]; !ok {
			t.Errorf("unexpected message for field %q: %q", field, msg)
		}
	}
}

// assertCleanMessage checks that a user-facing message is a French sentence:
// capitalised, ending with a full stop, without formatting debris.
func assertCleanMessage(t *testing.T, what, msg string) {
	t.Helper()
	first, _ := utf8.DecodeRuneInString(msg)
	switch {
	case msg == "":
		t.Errorf("%s: empty message", what)
	case !unicode.IsUpper(first):
		t.Errorf("%s: message %q does not start with a capital letter", what, msg)
	case !strings.HasSuffix(msg, "."):
		t.Errorf("%s: message %q does not end with a full stop", what, msg)
	case strings.Contains(msg, "%!") || strings.Contains(msg, "<nil>") || strings.Contains(msg, "  "):
		t.Errorf("%s: message %q carries formatting debris", what, msg)
	}
}
