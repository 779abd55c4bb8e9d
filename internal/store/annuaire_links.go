package store

import (
	"context"
	"database/sql"
	"strings"

	"maillon"
)

// FindDirectoryStructuresIn implements maillon.DirectoryManager: the
// partners of a territory page, through directory_structures_insee.
func (s *Store) FindDirectoryStructuresIn(ctx context.Context, actor maillon.Actor, insee string, limit int) (out []maillon.DirectoryStructure, total int, err error) {
	defer wrap(&err, "FindDirectoryStructuresIn")
	if err := directoryMember(actor); err != nil {
		return nil, 0, err
	}
	insee = strings.ToUpper(strings.TrimSpace(insee))
	if insee == "" {
		return nil, 0, nil
	}
	limit = pageLimit(limit, 50, 200)
	q := strings.Replace(selectDirStructures, "select s.id,", "select count(*) over (), s.id,", 1) +
		"\nwhere s.owner_id = ? and s.code_insee = ? order by " + t0(s).d.binaryOrder("s.name_key") + ", s.id limit ?"
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, q, []any{actor.StructureID, insee, limit}, func(r *sql.Rows) error {
			st, err := scanDirStructure(func(dest ...any) error { return r.Scan(append([]any{&total}, dest...)...) })
			out = append(out, st)
			return err
		})
	})
	return out, total, err
}
