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

// writeInterventionDirectory records the directory structures an
// intervention and its procedures involved, after writeInterventionLinks
// (re)wrote the procedures in input order. IDs outside owner's directory
// are dropped, like a stale link. It returns the audit names of what
// changed against old (nil on creation).
func (t *tx) writeInterventionDirectory(ctx context.Context, owner maillon.StructureID, id maillon.InterventionID,
	in *maillon.InterventionInput, old *maillon.Intervention) ([]string, error) {
	known := map[maillon.DirectoryStructureID]bool{}
	keep := func(d maillon.DirectoryStructureID) (maillon.DirectoryStructureID, error) {
		if d <= 0 {
			return 0, nil
		}
		if ok, seen := known[d]; seen {
			if ok {
				return d, nil
			}
			return 0, nil
		}
		var n int
		if err := t.one(ctx, "select count(*) from directory_structures where id = ? and owner_id = ?", []any{d, owner}, &n); err != nil {
			return 0, err
		}
		known[d] = n > 0
		if n == 0 {
			return 0, nil
		}
		return d, nil
	}
	var err error
	if in.DirectoryStructureID, err = keep(in.DirectoryStructureID); err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, "update interventions set directory_structure_id = ? where id = ?", optID(in.DirectoryStructureID), id); err != nil {
		return nil, err
	}
	var procs []int64
	if err := t.many(ctx, "select id from procedures where intervention_id = ? order by id", []any{id}, func(r *sql.Rows) error {
		var p int64
		if err := r.Scan(&p); err != nil {
			return err
		}
		procs = append(procs, p)
		return nil
	}); err != nil {
		return nil, err
	}
	procChanged := false
	for i, pid := range procs {
		if i >= len(in.Procedures) {
			break
		}
		d, err := keep(in.Procedures[i].DirectoryStructureID)
		if err != nil {
			return nil, err
		}
		in.Procedures[i].DirectoryStructureID = d
		if d != 0 {
			if _, err := t.exec(ctx, "update procedures set directory_structure_id = ? where id = ?", int64(d), pid); err != nil {
				return nil, err
			}
		}
		if old != nil && (i >= len(old.Procedures) || old.Procedures[i].Directory.ID != d) {
			procChanged = true
		}
	}
	var changes []string
	if old != nil && old.Directory.ID != in.DirectoryStructureID {
		changes = append(changes, "directory_structure")
	}
	if procChanged {
		changes = append(changes, "procedures.directory_structure")
	}
	return changes, nil
}

// loadInterventionDirectory names the directory structures of one
// intervention and of its procedures.
func (t *tx) loadInterventionDirectory(ctx context.Context, iv *maillon.Intervention) error {
	err := t.one(ctx, `select i.directory_structure_id, coalesce(ds.nom, '') from interventions i
		left join directory_structures ds on ds.id = i.directory_structure_id where i.id = ?`, []any{int64(iv.ID)},
		scanID(&iv.Directory.ID), &iv.Directory.Name)
	if err != nil {
		return err
	}
	if len(iv.Procedures) == 0 {
		return nil
	}
	at := map[maillon.ProcedureID]int{}
	for i, p := range iv.Procedures {
		at[p.ID] = i
	}
	return t.many(ctx, `select p.id, ds.id, ds.nom from procedures p join directory_structures ds on ds.id = p.directory_structure_id
		where p.intervention_id = ?`, []any{int64(iv.ID)}, func(r *sql.Rows) error {
		var pid maillon.ProcedureID
		var ref maillon.DirectoryRef
		if err := r.Scan(&pid, &ref.ID, &ref.Name); err != nil {
			return err
		}
		if i, ok := at[pid]; ok {
			iv.Procedures[i].Directory = ref
		}
		return nil
	})
}
