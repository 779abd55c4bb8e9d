package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"maillon"
)

// convertError turns driver constraint violations into domain errors, in
// this one place. The messages are generic; methods that know which
// constraint can fail check it first and give a precise message.
func convertError(err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return &maillon.Error{Kind: maillon.ErrConflict, Message: "Cet élément existe déjà."}
		case "23503":
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Cet élément est lié à un autre qui n'existe pas ou plus."}
		case "23514", "22001", "22P02":
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Une valeur n'est pas acceptée."}
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &maillon.Error{Kind: maillon.ErrConflict, Message: "Cet élément existe déjà."}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Cet élément est lié à un autre qui n'existe pas ou plus."}
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Une valeur n'est pas acceptée."}
		}
		return err
	}
	return err
}
