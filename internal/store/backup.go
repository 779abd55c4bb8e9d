package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"maillon"
)

// Backup writes a consistent copy of the database to path while the
// application keeps running. On SQLite it uses VACUUM INTO, which reads one
// snapshot of the WAL database and writes a compact, standalone file; on
// PostgreSQL the tool for the job is pg_dump, and Backup says so.
func (s *Store) Backup(ctx context.Context, path string) (err error) {
	defer wrap(&err, "Backup")
	if path == "" {
		return maillon.Errorf(maillon.ErrInvalid, "Indiquez le fichier de sauvegarde.")
	}
	if _, err := os.Stat(path); err == nil {
		return maillon.Errorf(maillon.ErrConflict, "Le fichier %s existe déjà : choisissez un autre nom.", path)
	}
	return s.d.backup(ctx, s.writer, path)
}

func (sqliteDialect) backup(ctx context.Context, db *sql.DB, path string) error {
	// Run on the writer connection (the readers are query_only, which
	// VACUUM INTO refuses): writes wait while the copy is made, about a
	// second per 100 MB.
	if _, err := db.ExecContext(ctx, "vacuum into ?", path); err != nil {
		return fmt.Errorf("vacuum into: %w", err)
	}
	return nil
}

func (postgresDialect) backup(context.Context, *sql.DB, string) error {
	return maillon.Errorf(maillon.ErrInvalid,
		"Avec PostgreSQL, sauvegardez avec pg_dump, par exemple : pg_dump --format=custom --file=maillon.dump \"$MAILLON_DB\".")
}
