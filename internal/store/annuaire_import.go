package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"maillon"
)

// dirKey is an entry's data·inclusion identity in a directory.
type dirKey struct{ source, id string }

// dirExisting is what an upsert needs of an entry already there.
type dirExisting struct {
	id       int64
	verified time.Time
	nom      string
	lat, lon *float64
}

func samePosition(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// ImportDirectory implements maillon.DirectoryManager. Entries are matched
// by (source, id): the v1 fields are replaced, what the structure added
// (verification, temporary information, contacts, relations, proposals)
// stays, since those live in other columns and tables keyed by the
// entry's row ID. Everything is written in one transaction: a failure
// leaves the directory as it was. The statements are prepared once before
// the transaction (SQLite's writer has a single connection).
func (s *Store) ImportDirectory(ctx context.Context, actor maillon.Actor, owner maillon.StructureID, ds *maillon.DirectoryDataset, progress func(done, total int)) (rep maillon.DirectoryImportReport, err error) {
	defer wrap(&err, "ImportDirectory")
	if err := actor.Check(); err != nil {
		return rep, err
	}
	if owner == 0 {
		owner = actor.StructureID
	}
	if owner == 0 || !canEditDirectory(actor, owner) {
		return rep, maillon.Forbidden()
	}
	rep.Rejected = append(rep.Rejected, ds.Rejected...)
	stmts := map[string]*sql.Stmt{}
	for _, q := range []string{insertDirStructure, updateDirStructureQ + " where id = ?", insertDirService,
		updateDirService, deleteServiceCodes} {
		st, err := s.writer.PrepareContext(ctx, s.d.rebind(q))
		if err != nil {
			return rep, wrapQuery(q, err)
		}
		defer st.Close()
		stmts[q] = st
	}
	total := len(ds.Structures) + len(ds.Services)
	err = s.write(ctx, func(t *tx) error {
		// A large page cache while the import runs: every service
		// touches five indexes.
		if q := t.d.importCache(true); q != "" && total > 1000 {
			if _, err := t.exec(ctx, q); err != nil {
				return err
			}
		}
		// A large import pauses the version triggers (migration
		// 20261130-04) and bumps the directory's version once at its end.
		paused := total >= 1000
		if paused {
			if _, err := t.exec(ctx, "insert into directory_index_paused (one) values (1)"); err != nil {
				return err
			}
		}
		rep.Rejected = rep.Rejected[:len(ds.Rejected)]
		rep.StructuresCreated, rep.StructuresUpdated, rep.ServicesCreated, rep.ServicesUpdated = 0, 0, 0, 0
		bound := map[string]*sql.Stmt{}
		for q, st := range stmts {
			bound[q] = t.tx.StmtContext(ctx, st)
		}
		run := func(q string, args ...any) (int64, error) {
			st := bound[q]
			if q == insertDirStructure || q == insertDirService {
				var id int64
				if err := st.QueryRowContext(ctx, t.args(args)...).Scan(&id); err != nil {
					return 0, wrapQuery(q, err)
				}
				return id, nil
			}
			if _, err := st.ExecContext(ctx, t.args(args)...); err != nil {
				return 0, wrapQuery(q, err)
			}
			return 0, nil
		}
		// A service's codes go in one statement, prepared once per
		// number of codes: one round trip instead of one per code.
		codeStmts := map[int]*sql.Stmt{}
		defer func() {
			for _, st := range codeStmts {
				st.Close()
			}
		}()
		insertCodes := func(owner maillon.StructureID, id int64, codes []string) error {
			if len(codes) == 0 {
				return nil
			}
			st, ok := codeStmts[len(codes)]
			if !ok {
				q := "insert into directory_service_codes (owner_id, code, service_id) values " +
					strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(codes)), ", ")
				var err error
				if st, err = t.tx.PrepareContext(ctx, t.d.rebind(q)); err != nil {
					return wrapQuery(q, err)
				}
				codeStmts[len(codes)] = st
			}
			args := make([]any, 0, 3*len(codes))
			for _, c := range codes {
				args = append(args, int64(owner), c, id)
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return wrapQuery("insert into directory_service_codes", err)
			}
			return nil
		}
		done := 0
		tick := func() {
			done++
			if progress != nil && (done%1000 == 0 || done == total) {
				progress(done, total)
			}
		}
		structures, err := t.dirExisting(ctx, "directory_structures", owner)
		if err != nil {
			return err
		}
		for i := range ds.Structures {
			st := ds.Structures[i]
			line := lineOf(ds.StructureLines, i)
			if err := st.Validate(); err != nil {
				rep.Rejected = append(rep.Rejected, maillon.RejectedRow{Line: line, Kind: "structure", ID: st.DIID, Reason: errReason(err)})
				tick()
				continue
			}
			k := dirKey{st.Source, st.DIID}
			if old, ok := structures[k]; ok {
				st.ID, st.VerifiedAt = maillon.DirectoryStructureID(old.id), old.verified
				if _, err := run(updateDirStructureQ+" where id = ?", append(append(dirStructureArgs(&st), t.now), old.id)...); err != nil {
					return err
				}
				if old.nom != st.Nom || !samePosition(old.lat, st.Latitude) || !samePosition(old.lon, st.Longitude) {
					if err := t.reindexServices(ctx, dirStructureRef{id: st.ID, nom: st.Nom, lat: st.Latitude, lon: st.Longitude}); err != nil {
						return err
					}
				}
				old.nom, old.lat, old.lon = st.Nom, st.Latitude, st.Longitude
				structures[k] = old
				rep.StructuresUpdated++
			} else {
				ti := st.Temporary
				id, err := run(insertDirStructure, append(append([]any{owner}, dirStructureArgs(&st)...),
					ti.Kind, ti.Message, ti.Hours, ti.From, ti.Until, t.now, t.now)...)
				if err != nil {
					return err
				}
				structures[k] = dirExisting{id: id, nom: st.Nom, lat: st.Latitude, lon: st.Longitude}
				rep.StructuresCreated++
			}
			tick()
		}
		services, err := t.dirExisting(ctx, "directory_services", owner)
		if err != nil {
			return err
		}
		for i := range ds.Services {
			sv := ds.Services[i]
			line := lineOf(ds.ServiceLines, i)
			if err := sv.Validate(); err != nil {
				rep.Rejected = append(rep.Rejected, maillon.RejectedRow{Line: line, Kind: "service", ID: sv.DIID, Reason: errReason(err)})
				tick()
				continue
			}
			parent, ok := structures[dirKey{sv.Source, sv.DIStructureID}]
			if !ok {
				rep.Rejected = append(rep.Rejected, maillon.RejectedRow{Line: line, Kind: "service", ID: sv.DIID,
					Reason: "structure_id : la structure « " + sv.DIStructureID + " » n'est ni dans le fichier ni dans l'annuaire."})
				tick()
				continue
			}
			ref := dirStructureRef{id: maillon.DirectoryStructureID(parent.id), nom: parent.nom, lat: parent.lat, lon: parent.lon}
			k := dirKey{sv.Source, sv.DIID}
			if old, ok := services[k]; ok {
				sv.VerifiedAt = old.verified
				if _, err := run(updateDirService, append(dirServiceArgs(&sv, ref), t.now, old.id)...); err != nil {
					return err
				}
				if _, err := run(deleteServiceCodes, old.id); err != nil {
					return err
				}
				sv.ID = maillon.DirectoryServiceID(old.id)
				rep.ServicesUpdated++
			} else {
				id, err := run(insertDirService, append(append([]any{owner}, dirServiceArgs(&sv, ref)...), t.now, t.now)...)
				if err != nil {
					return err
				}
				services[k] = dirExisting{id: id}
				sv.ID = maillon.DirectoryServiceID(id)
				rep.ServicesCreated++
			}
			if err := insertCodes(owner, int64(sv.ID), serviceCodes(&sv)); err != nil {
				return err
			}
			tick()
		}
		if paused {
			if _, err := t.exec(ctx, "delete from directory_index_paused"); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `insert into directory_versions (owner_id, version) values (?, 1)
				on conflict (owner_id) do update set version = directory_versions.version + 1`, owner); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{structureID: owner, action: maillon.AuditDirectoryImport, recordType: "structure",
			recordID: int64(owner)})
	})
	if err == nil && total > 1000 {
		// Fresh statistics for the planner's choice between the indexes
		// of the directory's pages.
		for _, q := range []string{s.d.importCache(false), "analyze directory_services",
			"analyze directory_service_codes"} {
			if q == "" {
				continue
			}
			if _, err := s.writer.ExecContext(ctx, q); err != nil {
				return rep, wrapQuery(q, err)
			}
		}
	}
	slices.SortStableFunc(rep.Rejected, func(a, b maillon.RejectedRow) int { return a.Line - b.Line })
	return rep, err
}

// dirExisting maps the entries of a directory table by (source, id).
func (t *tx) dirExisting(ctx context.Context, table string, owner maillon.StructureID) (map[dirKey]dirExisting, error) {
	out := map[dirKey]dirExisting{}
	cols := "'', null, null"
	if table == "directory_structures" {
		cols = "nom, latitude, longitude"
	}
	err := t.many(ctx, "select id, source, di_id, verified_at, "+cols+" from "+table+" where owner_id = ?", []any{owner},
		func(r *sql.Rows) error {
			var k dirKey
			var e dirExisting
			err := r.Scan(&e.id, &k.source, &k.id, timeCol{&e.verified}, &e.nom, floatCol(&e.lat), floatCol(&e.lon))
			out[k] = e
			return err
		})
	return out, err
}

func lineOf(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

func errReason(err error) string {
	msg := ""
	for k, v := range maillon.FieldsOf(err) {
		if msg != "" {
			msg += " ; "
		}
		msg += k + " : " + v
	}
	if msg == "" {
		msg = maillon.ErrorMessage(err, "ligne refusée")
	}
	return msg
}
