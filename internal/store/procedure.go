package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"

	"maillon"
)

// seedProcedureTypes fills a structure's catalogue with the default
// procedures; existing entries are kept.
func (t *tx) seedProcedureTypes(ctx context.Context, sid maillon.StructureID) error {
	orgs := make([]string, 0, len(maillon.DefaultProcedureTypes))
	for o := range maillon.DefaultProcedureTypes {
		orgs = append(orgs, o)
	}
	sort.Strings(orgs)
	for _, o := range orgs {
		for _, label := range maillon.DefaultProcedureTypes[o] {
			if _, err := t.exec(ctx, `insert into procedure_types (structure_id, organisme, label, active) values (?, ?, ?, ?)
				on conflict (structure_id, organisme, label) do nothing`, sid, o, label, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *tx) procedureTypes(ctx context.Context, sid maillon.StructureID, activeOnly bool) ([]maillon.ProcedureType, error) {
	q := "select id, structure_id, organisme, label, active from procedure_types where structure_id = ?"
	if activeOnly {
		q += " and active = true"
	}
	var out []maillon.ProcedureType
	err := t.many(ctx, q, []any{sid}, func(r *sql.Rows) error {
		var p maillon.ProcedureType
		err := r.Scan(&p.ID, &p.StructureID, &p.Organisme, &p.Label, &p.Active)
		out = append(out, p)
		return err
	})
	// Order by organisme as the list shows them, then label.
	rank := map[string]int{}
	for i, c := range maillon.Organismes {
		rank[c.Code] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].Organisme] != rank[out[j].Organisme] {
			return rank[out[i].Organisme] < rank[out[j].Organisme]
		}
		return maillon.FoldText(out[i].Label) < maillon.FoldText(out[j].Label)
	})
	return out, err
}

// FindProcedureTypes implements maillon.InterventionService. A structure
// created before the catalogue existed gets the default entries on first
// use.
func (s *Store) FindProcedureTypes(ctx context.Context, actor maillon.Actor, activeOnly bool) (out []maillon.ProcedureType, err error) {
	defer wrap(&err, "FindProcedureTypes")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		out, err = t.procedureTypes(ctx, actor.StructureID, activeOnly)
		return err
	})
	if err != nil || len(out) > 0 {
		return out, err
	}
	err = s.write(ctx, func(t *tx) error {
		var n int
		if err := t.one(ctx, "select count(*) from procedure_types where structure_id = ?", []any{actor.StructureID}, &n); err != nil || n > 0 {
			return err
		}
		if err := t.seedProcedureTypes(ctx, actor.StructureID); err != nil {
			return err
		}
		out, err = t.procedureTypes(ctx, actor.StructureID, activeOnly)
		return err
	})
	return out, err
}

// AddProcedureType implements maillon.InterventionService.
func (s *Store) AddProcedureType(ctx context.Context, actor maillon.Actor, organisme, label string) (pt *maillon.ProcedureType, err error) {
	defer wrap(&err, "AddProcedureType")
	if err := s.checkAdmin(actor, actor.StructureID); err != nil {
		return nil, err
	}
	var fe maillon.FieldErrors
	if !maillon.Organismes.Valid(organisme) {
		fe.Add("organisme", "Choisissez l'organisme dans la liste.")
	}
	label, msg := maillon.CleanText(label, maillon.MaxShortTextLen, false)
	switch {
	case msg != "":
		fe.Add("label", msg)
	case label == "":
		fe.Add("label", "Indiquez le nom de la démarche.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		taken := false
		err := t.many(ctx, "select label from procedure_types where structure_id = ? and organisme = ?",
			[]any{actor.StructureID, organisme}, func(r *sql.Rows) error {
				var l string
				if err := r.Scan(&l); err != nil {
					return err
				}
				// "demande de rsa" duplicates "Demande de RSA".
				taken = taken || maillon.FoldText(l) == maillon.FoldText(label)
				return nil
			})
		if err != nil {
			return err
		}
		if taken {
			return &maillon.Error{Kind: maillon.ErrConflict, Message: "Cette démarche existe déjà pour cet organisme.",
				Fields: map[string]string{"label": "Cette démarche existe déjà pour cet organisme."}}
		}
		id, err := t.insert(ctx, "insert into procedure_types (structure_id, organisme, label, active) values (?, ?, ?, ?) returning id",
			actor.StructureID, organisme, label, true)
		if err != nil {
			return err
		}
		pt = &maillon.ProcedureType{ID: maillon.ProcedureTypeID(id), StructureID: actor.StructureID, Organisme: organisme, Label: label, Active: true}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditProcedureTypeChange, recordType: "procedure_type", recordID: id, fields: []string{"added"}})
	})
	return pt, err
}

// SetProcedureTypeActive implements maillon.InterventionService. Retired
// entries stay on past procedures but leave the forms.
func (s *Store) SetProcedureTypeActive(ctx context.Context, actor maillon.Actor, id maillon.ProcedureTypeID, active bool) (err error) {
	defer wrap(&err, "SetProcedureTypeActive")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var sid maillon.StructureID
		err := t.one(ctx, "select structure_id from procedure_types where id = ?", []any{id}, &sid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
			return maillon.NotFound("Démarche")
		}
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(sid) {
			return maillon.Forbidden()
		}
		if _, err := t.exec(ctx, "update procedure_types set active = ? where id = ?", active, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditProcedureTypeChange, recordType: "procedure_type", recordID: int64(id), fields: []string{"active"}})
	})
}
