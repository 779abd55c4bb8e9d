package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"maillon"
)

// areaCols returns the column and value that select an area's rows.
func areaCols(ref maillon.AreaRef) (string, int64) {
	if ref.ZoneID > 0 {
		return "zone_id", int64(ref.ZoneID)
	}
	return "commune_id", int64(ref.CommuneID)
}

// loadArea reads an area's commune and zone and checks it belongs to the
// actor's structure; another structure's area is "not found".
func (t *tx) loadArea(ctx context.Context, actor maillon.Actor, ref maillon.AreaRef) (*maillon.Area, error) {
	if !ref.Valid() {
		return nil, maillon.NotFound("Territoire")
	}
	a := &maillon.Area{Ref: ref}
	cid := ref.CommuneID
	if ref.ZoneID > 0 {
		err := t.one(ctx, "select structure_id, commune_id, name, qpv_code from zones where id = ?", []any{ref.ZoneID},
			&a.StructureID, &cid, &a.Zone.Name, &a.Zone.QPVCode)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, maillon.NotFound("Quartier")
		}
		if err != nil {
			return nil, err
		}
		a.Zone.ID, a.Zone.CommuneID = ref.ZoneID, cid
	}
	var pop sql.NullInt64
	err := t.one(ctx, "select structure_id, insee, name, department, population from communes where id = ?", []any{cid},
		&a.Commune.StructureID, &a.Commune.INSEE, &a.Commune.Name, &a.Commune.Department, &pop)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, maillon.NotFound("Commune")
	}
	if err != nil {
		return nil, err
	}
	a.Commune.ID, a.Commune.Population = cid, int(pop.Int64)
	a.StructureID = a.Commune.StructureID
	if !actor.InStructure(a.StructureID) {
		return nil, maillon.NotFound("Territoire")
	}
	a.Name = a.Commune.Name
	if ref.ZoneID > 0 {
		a.Name = a.Zone.Name
	}
	return a, nil
}

// FindArea implements maillon.TerritoryService.
func (s *Store) FindArea(ctx context.Context, actor maillon.Actor, ref maillon.AreaRef) (a *maillon.Area, err error) {
	defer wrap(&err, "FindArea")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		var err error
		if a, err = t.loadArea(ctx, actor, ref); err != nil {
			return err
		}
		col, id := areaCols(ref)
		err = t.many(ctx, `select id, label, value, unit, source, figure_on, created_at from key_figures
			where `+col+` = ? order by figure_on desc, label, id`, []any{id}, func(r *sql.Rows) error {
			f := maillon.KeyFigure{Area: ref}
			if err := r.Scan(&f.ID, &f.Label, &f.Value, &f.Unit, &f.Source, timeCol{&f.On}, timeCol{&f.CreatedAt}); err != nil {
				return err
			}
			f.On = maillon.InParis(f.On)
			a.Figures = append(a.Figures, f)
			return nil
		})
		if err != nil {
			return err
		}
		err = t.many(ctx, `select d.id, d.version, d.needs, d.resources, d.issues, d.author_id, coalesce(u.display_name, ''), d.created_at
			from diagnostics d left join users u on u.id = d.author_id
			where d.`+col+` = ? order by d.version desc`, []any{id}, func(r *sql.Rows) error {
			d := maillon.Diagnostic{Area: ref}
			if err := r.Scan(&d.ID, &d.Version, &d.Needs, &d.Resources, &d.Issues, scanID(&d.AuthorID), &d.AuthorName, timeCol{&d.CreatedAt}); err != nil {
				return err
			}
			if a.Diagnostic == nil {
				a.Diagnostic = &d
			} else {
				a.Versions = append(a.Versions, d)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return t.areaActivity(ctx, a)
	})
	return a, err
}

// areaActivity counts the last 12 months of work in the area: no names,
// only totals and the latest tournées.
func (t *tx) areaActivity(ctx context.Context, a *maillon.Area) error {
	col, id := areaCols(a.Ref)
	since := t.now.AddDate(0, -maillon.AreaActivityMonths, 0)
	act := &a.Activity
	act.Since = since
	err := t.one(ctx, `select count(*) from interventions where structure_id = ? and `+col+` = ? and start_at >= ?`,
		[]any{a.StructureID, id, since}, &act.Interventions)
	if err != nil {
		return err
	}
	var named, anonymous int
	err = t.one(ctx, `select count(distinct ip.person_id) from intervention_persons ip
		join interventions i on i.id = ip.intervention_id
		where i.structure_id = ? and i.`+col+` = ? and i.start_at >= ?`, []any{a.StructureID, id, since}, &named)
	if err != nil {
		return err
	}
	err = t.one(ctx, `select coalesce(sum(ia.count), 0) from intervention_anonymous ia
		join interventions i on i.id = ia.intervention_id
		where i.structure_id = ? and i.`+col+` = ? and i.start_at >= ?`, []any{a.StructureID, id, since}, &anonymous)
	if err != nil {
		return err
	}
	act.People = named + anonymous
	err = t.one(ctx, `select count(*) from tournees where structure_id = ? and `+col+` = ? and start_at >= ?`,
		[]any{a.StructureID, id, since}, &act.Tournees)
	if err != nil {
		return err
	}
	return t.many(ctx, `select tr.id, tr.start_at, tr.end_at, tr.zone_id, coalesce(z.name, ''),
			(select coalesce(sum(n), 0) from tournee_counts c where c.tournee_id = tr.id)
		from tournees tr left join zones z on z.id = tr.zone_id
		where tr.structure_id = ? and tr.`+col+` = ? and tr.start_at >= ?
		order by tr.start_at desc, tr.id desc limit `+strconv.Itoa(maillon.AreaRecentTournees),
		[]any{a.StructureID, id, since}, func(r *sql.Rows) error {
			var at maillon.AreaTournee
			if err := r.Scan(&at.ID, timeCol{&at.StartAt}, timeCol{&at.EndAt}, scanID(&at.ZoneID), &at.Zone, &at.Counted); err != nil {
				return err
			}
			act.Recent = append(act.Recent, at)
			return nil
		})
}

// FindTerritoryFigures implements maillon.TerritoryService.
func (s *Store) FindTerritoryFigures(ctx context.Context, actor maillon.Actor) (out map[maillon.AreaRef]int, err error) {
	defer wrap(&err, "FindTerritoryFigures")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	out = map[maillon.AreaRef]int{}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, `select commune_id, zone_id, count(*) from key_figures where structure_id = ? group by commune_id, zone_id`,
			[]any{actor.StructureID}, func(r *sql.Rows) error {
				var ref maillon.AreaRef
				var n int
				if err := r.Scan(scanID(&ref.CommuneID), scanID(&ref.ZoneID), &n); err != nil {
					return err
				}
				out[ref] = n
				return nil
			})
	})
	return out, err
}

// editArea loads an area for a change by a coordinator or an admin.
func (t *tx) editArea(ctx context.Context, actor maillon.Actor, ref maillon.AreaRef) (*maillon.Area, error) {
	a, err := t.loadArea(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if !actor.CanEditTerritory(a.StructureID) {
		return nil, maillon.Forbidden()
	}
	return a, nil
}

// insertFigures adds validated figures to an area, within its limit.
func (t *tx) insertFigures(ctx context.Context, actor maillon.Actor, a *maillon.Area, rows []maillon.KeyFigureInput) ([]int64, error) {
	col, id := areaCols(a.Ref)
	var n int
	if err := t.one(ctx, "select count(*) from key_figures where "+col+" = ?", []any{id}, &n); err != nil {
		return nil, err
	}
	if n+len(rows) > maillon.MaxKeyFigures {
		return nil, &maillon.Error{Kind: maillon.ErrInvalid, Message: "Trop de chiffres clés.",
			Fields: map[string]string{"label": "Ce territoire a déjà " + strconv.Itoa(n) + " chiffres clés, pour " +
				strconv.Itoa(maillon.MaxKeyFigures) + " au maximum : retirez-en d'abord."}}
	}
	var ids []int64
	for _, in := range rows {
		on, err := in.Validate(t.now)
		if err != nil {
			return nil, err
		}
		fid, err := t.insert(ctx, `insert into key_figures (structure_id, commune_id, zone_id, label, value, unit, source, figure_on, created_by, created_at)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`, a.StructureID, optID(a.Ref.CommuneID), optID(a.Ref.ZoneID),
			in.Label, in.Value, in.Unit, in.Source, on, optID(actor.UserID), t.now)
		if err != nil {
			return nil, err
		}
		ids = append(ids, fid)
	}
	return ids, nil
}

// AddKeyFigure implements maillon.TerritoryService.
func (s *Store) AddKeyFigure(ctx context.Context, actor maillon.Actor, ref maillon.AreaRef, in maillon.KeyFigureInput) (f *maillon.KeyFigure, err error) {
	defer wrap(&err, "AddKeyFigure")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	on, err := in.Validate(s.clock())
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		a, err := t.editArea(ctx, actor, ref)
		if err != nil {
			return err
		}
		ids, err := t.insertFigures(ctx, actor, a, []maillon.KeyFigureInput{in})
		if err != nil {
			return err
		}
		f = &maillon.KeyFigure{ID: maillon.KeyFigureID(ids[0]), Area: ref, Label: in.Label, Value: in.Value, Unit: in.Unit,
			Source: in.Source, On: on, CreatedAt: t.now}
		return t.audit(ctx, actor, auditRow{structureID: a.StructureID, action: maillon.AuditKeyFigureChange, recordType: "key_figure",
			recordID: ids[0], fields: []string{"added"}})
	})
	return f, err
}

// DeleteKeyFigure implements maillon.TerritoryService.
func (s *Store) DeleteKeyFigure(ctx context.Context, actor maillon.Actor, id maillon.KeyFigureID) (ref maillon.AreaRef, err error) {
	defer wrap(&err, "DeleteKeyFigure")
	if err := actor.Check(); err != nil {
		return ref, err
	}
	err = s.write(ctx, func(t *tx) error {
		var sid maillon.StructureID
		err := t.one(ctx, "select structure_id, commune_id, zone_id from key_figures where id = ?", []any{id},
			&sid, scanID(&ref.CommuneID), scanID(&ref.ZoneID))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
			return maillon.NotFound("Chiffre clé")
		}
		if err != nil {
			return err
		}
		if !actor.CanEditTerritory(sid) {
			return maillon.Forbidden()
		}
		if _, err := t.exec(ctx, "delete from key_figures where id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditKeyFigureChange, recordType: "key_figure",
			recordID: int64(id), fields: []string{"deleted"}})
	})
	return ref, err
}

// ImportKeyFigures implements maillon.TerritoryService.
func (s *Store) ImportKeyFigures(ctx context.Context, actor maillon.Actor, ref maillon.AreaRef, rows []maillon.KeyFigureInput) (n int, err error) {
	defer wrap(&err, "ImportKeyFigures")
	if err := actor.Check(); err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le fichier ne contient aucun chiffre.",
			Fields: map[string]string{"file": "Le fichier ne contient aucun chiffre."}}
	}
	err = s.write(ctx, func(t *tx) error {
		a, err := t.editArea(ctx, actor, ref)
		if err != nil {
			return err
		}
		ids, err := t.insertFigures(ctx, actor, a, rows)
		if err != nil {
			if f := maillon.FieldsOf(err); f["label"] != "" && len(f) == 1 {
				return &maillon.Error{Kind: maillon.ErrInvalid, Message: f["label"], Fields: map[string]string{"file": f["label"]}}
			}
			return err
		}
		n = len(ids)
		return t.audit(ctx, actor, auditRow{structureID: a.StructureID, action: maillon.AuditKeyFigureChange, recordType: areaType(ref),
			recordID: areaID(ref), fields: []string{"imported"}})
	})
	return n, err
}

func areaType(ref maillon.AreaRef) string {
	if ref.ZoneID > 0 {
		return "zone"
	}
	return "commune"
}

func areaID(ref maillon.AreaRef) int64 {
	_, id := areaCols(ref)
	return id
}

// SaveDiagnostic implements maillon.TerritoryService.
func (s *Store) SaveDiagnostic(ctx context.Context, actor maillon.Actor, ref maillon.AreaRef, in maillon.DiagnosticInput) (d *maillon.Diagnostic, err error) {
	defer wrap(&err, "SaveDiagnostic")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		a, err := t.editArea(ctx, actor, ref)
		if err != nil {
			return err
		}
		col, id := areaCols(ref)
		var version int
		if err := t.one(ctx, "select coalesce(max(version), 0) from diagnostics where "+col+" = ?", []any{id}, &version); err != nil {
			return err
		}
		version++
		did, err := t.insert(ctx, `insert into diagnostics (structure_id, commune_id, zone_id, version, needs, resources, issues, author_id, created_at)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`, a.StructureID, optID(ref.CommuneID), optID(ref.ZoneID), version,
			in.Needs, in.Resources, in.Issues, optID(actor.UserID), t.now)
		if err != nil {
			return err
		}
		d = &maillon.Diagnostic{ID: maillon.DiagnosticID(did), Area: ref, Version: version, Needs: in.Needs, Resources: in.Resources,
			Issues: in.Issues, AuthorID: actor.UserID, CreatedAt: t.now}
		return t.audit(ctx, actor, auditRow{structureID: a.StructureID, action: maillon.AuditDiagnosticSave, recordType: "diagnostic",
			recordID: did, fields: []string{"needs", "resources", "issues"}})
	})
	return d, err
}

// ImportCommunes implements maillon.TerritoryService.
func (s *Store) ImportCommunes(ctx context.Context, actor maillon.Actor, id maillon.StructureID, rows []maillon.CommuneRecord) (res maillon.ImportResult, err error) {
	defer wrap(&err, "ImportCommunes")
	if err := s.checkAdmin(actor, id); err != nil {
		return res, err
	}
	if len(rows) == 0 || len(rows) > maillon.MaxCommunesImport {
		return res, maillon.Errorf(maillon.ErrInvalid, "Le fichier doit contenir entre 1 et %d communes.", maillon.MaxCommunesImport)
	}
	for _, c := range rows {
		in := maillon.CommuneInput{INSEE: c.INSEE, Name: c.Name}
		if err := in.Validate(); err != nil || in.INSEE != c.INSEE || in.Name != c.Name || len(c.Department) > 3 || c.Population < 0 {
			return res, maillon.Errorf(maillon.ErrInvalid, "Commune %q invalide.", c.INSEE)
		}
	}
	err = s.write(ctx, func(t *tx) error {
		var n int
		if err := t.one(ctx, "select count(*) from structures where id = ?", []any{id}, &n); err != nil {
			return err
		}
		if n == 0 {
			return maillon.NotFound("Structure")
		}
		for _, c := range rows {
			var pop any
			if c.Population > 0 {
				pop = int64(c.Population)
			}
			changed, err := t.exec(ctx, "update communes set name = ?, department = ?, population = ? where structure_id = ? and insee = ?",
				c.Name, c.Department, pop, id, c.INSEE)
			if err != nil {
				return err
			}
			if changed > 0 {
				res.Updated++
				continue
			}
			if _, err := t.insert(ctx, "insert into communes (structure_id, insee, name, department, population) values (?, ?, ?, ?, ?) returning id",
				id, c.INSEE, c.Name, c.Department, pop); err != nil {
				return err
			}
			res.Added++
		}
		return t.audit(ctx, actor, auditRow{structureID: id, action: maillon.AuditCommuneImport, recordType: "structure", recordID: int64(id),
			fields: []string{"added:" + strconv.Itoa(res.Added), "updated:" + strconv.Itoa(res.Updated)}})
	})
	if err != nil {
		return maillon.ImportResult{}, err
	}
	return res, nil
}
