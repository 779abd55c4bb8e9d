package store_test

import (
	"testing"

	"maillon/internal/store"
)

func storeOpen(dsn string) (*store.Store, error) { return store.StoreOpenForTest(dsn) }

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"select 1", "select 1"},
		{"select * from t where a = ? and b = ?", "select * from t where a = $1 and b = $2"},
		{"select '?' from t where a = ?", "select '?' from t where a = $1"},
		{`select "we?ird" from t where a = ?`, `select "we?ird" from t where a = $1`},
		{"select 'it''s ?' , ? from t", "select 'it''s ?' , $1 from t"},
		{"select ? -- what?\nfrom t where b = ?", "select $1 -- what?\nfrom t where b = $2"},
		{"like ? escape '\\'", "like $1 escape '\\'"},
	} {
		if got := store.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
