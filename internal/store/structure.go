package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"maillon"
)

func (t *tx) insertStructure(ctx context.Context, in maillon.StructureInput, oh maillon.OfficeHours) (maillon.StructureID, error) {
	id, err := t.insert(ctx, `insert into structures
		(name, siret, address_line, postal_code, city, email, phone, office_hours, holidays, created_at, updated_at)
		values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		returning id`,
		in.Name, in.SIRET, in.Address.Line, in.Address.PostalCode, in.Address.City, in.Email, in.Phone,
		oh.Encode(), string(in.Holidays), t.now, t.now)
	if err != nil {
		return 0, err
	}
	return maillon.StructureID(id), t.seedProcedureTypes(ctx, maillon.StructureID(id))
}

const selectStructure = `select id, name, siret, address_line, postal_code, city, email, phone,
	office_hours, holidays, created_at, updated_at
from structures`

// structureRow scans the columns of selectStructure.
type structureRow struct {
	st              maillon.Structure
	hours, holidays string
}

func (r *structureRow) dest() []any {
	st := &r.st
	return []any{&st.ID, &st.Name, &st.SIRET, &st.Address.Line, &st.Address.PostalCode, &st.Address.City,
		&st.Email, &st.Phone, &r.hours, &r.holidays, timeCol{&st.CreatedAt}, timeCol{&st.UpdatedAt}}
}

func (r *structureRow) finish() (*maillon.Structure, error) {
	oh, err := decodeOfficeHours(r.hours)
	if err != nil {
		return nil, err
	}
	r.st.OfficeHours, r.st.Holidays = oh, maillon.HolidayCalendar(r.holidays)
	return &r.st, nil
}

// officeHours keeps decoded office hours by their stored text: the session
// lookup of every request reads the structure, and parsing its hours was
// a tenth of that lookup. Structures have a handful of distinct texts; the
// bound only guards against a pathological instance.
var officeHours struct {
	sync.RWMutex
	m map[string]maillon.OfficeHours
}

const maxCachedOfficeHours = 1000

// decodeOfficeHours is maillon.DecodeOfficeHours through the cache. The
// ranges are shared between callers, who only read them.
func decodeOfficeHours(text string) (maillon.OfficeHours, error) {
	officeHours.RLock()
	oh, ok := officeHours.m[text]
	officeHours.RUnlock()
	if ok {
		return oh, nil
	}
	oh, err := maillon.DecodeOfficeHours(text)
	if err != nil {
		return oh, err
	}
	officeHours.Lock()
	defer officeHours.Unlock()
	if officeHours.m == nil || len(officeHours.m) >= maxCachedOfficeHours {
		officeHours.m = map[string]maillon.OfficeHours{}
	}
	officeHours.m[text] = oh
	return oh, nil
}

func scanStructure(scan func(...any) error) (*maillon.Structure, error) {
	var r structureRow
	if err := scan(r.dest()...); err != nil {
		return nil, err
	}
	return r.finish()
}

func (t *tx) structureByID(ctx context.Context, id maillon.StructureID) (*maillon.Structure, error) {
	row := t.queryRow(ctx, selectStructure+" where id = ?", []any{int64(id)})
	st, err := scanStructure(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, maillon.NotFound("Structure")
	}
	if err != nil {
		return nil, wrapQuery(selectStructure, err)
	}
	return st, nil
}

// CreateStructure implements maillon.StructureService.
func (s *Store) CreateStructure(ctx context.Context, actor maillon.Actor, in maillon.StructureInput) (st *maillon.Structure, err error) {
	defer wrap(&err, "CreateStructure")
	if !actor.Operator {
		return nil, maillon.Forbidden()
	}
	oh, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if oh.IsEmpty() {
		oh = maillon.DefaultOfficeHours()
	}
	err = s.write(ctx, func(t *tx) error {
		id, err := t.insertStructure(ctx, in, oh)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{structureID: id, action: maillon.AuditStructureCreate, recordType: "structure", recordID: int64(id)}); err != nil {
			return err
		}
		st, err = t.structureByID(ctx, id)
		return err
	})
	return st, err
}

// FindStructures implements maillon.StructureService.
func (s *Store) FindStructures(ctx context.Context, actor maillon.Actor) (out []maillon.Structure, err error) {
	defer wrap(&err, "FindStructures")
	if !actor.Operator {
		return nil, maillon.Forbidden()
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, selectStructure+" order by name, id", nil, func(r *sql.Rows) error {
			st, err := scanStructure(r.Scan)
			if err == nil {
				out = append(out, *st)
			}
			return err
		})
	})
	sortByName(out, func(s maillon.Structure) string { return s.Name }, func(s maillon.Structure) int64 { return int64(s.ID) })
	return out, err
}

// FindStructureByID implements maillon.StructureService.
func (s *Store) FindStructureByID(ctx context.Context, actor maillon.Actor, id maillon.StructureID) (st *maillon.Structure, err error) {
	defer wrap(&err, "FindStructureByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if !actor.InStructure(id) {
		return nil, maillon.NotFound("Structure")
	}
	err = s.read(ctx, func(t *tx) error {
		st, err = t.structureByID(ctx, id)
		return err
	})
	return st, err
}

// UpdateStructure implements maillon.StructureService.
func (s *Store) UpdateStructure(ctx context.Context, actor maillon.Actor, id maillon.StructureID, in maillon.StructureInput) (err error) {
	defer wrap(&err, "UpdateStructure")
	if err := actor.Check(); err != nil {
		return err
	}
	if !actor.InStructure(id) {
		return maillon.NotFound("Structure")
	}
	if !actor.CanAdminStructure(id) {
		return maillon.Forbidden()
	}
	oh, err := in.Validate()
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := t.structureByID(ctx, id)
		if err != nil {
			return err
		}
		changed := structureChanges(old, &in, oh)
		if len(changed) == 0 {
			return nil
		}
		if _, err := t.exec(ctx, `update structures set
			name = ?, siret = ?, address_line = ?, postal_code = ?, city = ?, email = ?, phone = ?,
			office_hours = ?, holidays = ?, updated_at = ?
			where id = ?`,
			in.Name, in.SIRET, in.Address.Line, in.Address.PostalCode, in.Address.City, in.Email, in.Phone,
			oh.Encode(), string(in.Holidays), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: id, action: maillon.AuditStructureUpdate, recordType: "structure", recordID: int64(id), fields: changed})
	})
}

// structureChanges names the fields an update changes, for the audit log.
func structureChanges(old *maillon.Structure, in *maillon.StructureInput, oh maillon.OfficeHours) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("name", old.Name != in.Name)
	add("siret", old.SIRET != in.SIRET)
	add("address", old.Address != in.Address)
	add("email", old.Email != in.Email)
	add("phone", old.Phone != in.Phone)
	add("office_hours", old.OfficeHours.Encode() != oh.Encode())
	add("holidays", old.Holidays != in.Holidays)
	return out
}

// FindTerritory implements maillon.StructureService.
func (s *Store) FindTerritory(ctx context.Context, actor maillon.Actor, id maillon.StructureID) (terr maillon.Territory, err error) {
	defer wrap(&err, "FindTerritory")
	if err := actor.Check(); err != nil {
		return terr, err
	}
	if !actor.InStructure(id) {
		return terr, maillon.NotFound("Structure")
	}
	err = s.read(ctx, func(t *tx) error {
		idx := map[maillon.CommuneID]int{}
		err := t.many(ctx, `select id, insee, name, department, coalesce(population, 0) from communes where structure_id = ? order by name, insee`,
			[]any{id}, func(r *sql.Rows) error {
				c := maillon.Commune{StructureID: id}
				if err := r.Scan(&c.ID, &c.INSEE, &c.Name, &c.Department, &c.Population); err != nil {
					return err
				}
				idx[c.ID] = len(terr.Communes)
				terr.Communes = append(terr.Communes, c)
				return nil
			})
		if err != nil {
			return err
		}
		return t.many(ctx, `select id, commune_id, name, qpv_code from zones where structure_id = ? order by name, id`,
			[]any{id}, func(r *sql.Rows) error {
				var z maillon.Zone
				if err := r.Scan(&z.ID, &z.CommuneID, &z.Name, &z.QPVCode); err != nil {
					return err
				}
				if i, ok := idx[z.CommuneID]; ok {
					terr.Communes[i].Zones = append(terr.Communes[i].Zones, z)
				}
				return nil
			})
	})
	sortByName(terr.Communes, func(c maillon.Commune) string { return c.Name }, func(c maillon.Commune) int64 { return int64(c.ID) })
	for i := range terr.Communes {
		sortByName(terr.Communes[i].Zones, func(z maillon.Zone) string { return z.Name }, func(z maillon.Zone) int64 { return int64(z.ID) })
	}
	return terr, err
}

// AddCommune implements maillon.StructureService.
func (s *Store) AddCommune(ctx context.Context, actor maillon.Actor, id maillon.StructureID, in maillon.CommuneInput) (c *maillon.Commune, err error) {
	defer wrap(&err, "AddCommune")
	if err := s.checkAdmin(actor, id); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		var n int
		if err := t.one(ctx, "select count(*) from communes where structure_id = ? and insee = ?", []any{id, in.INSEE}, &n); err != nil {
			return err
		}
		if n > 0 {
			return &maillon.Error{Kind: maillon.ErrConflict, Message: "Cette commune fait déjà partie du territoire.",
				Fields: map[string]string{"insee": "La commune " + in.INSEE + " est déjà dans la liste."}}
		}
		cid, err := t.insert(ctx, "insert into communes (structure_id, insee, name) values (?, ?, ?) returning id", id, in.INSEE, in.Name)
		if err != nil {
			return err
		}
		c = &maillon.Commune{ID: maillon.CommuneID(cid), StructureID: id, INSEE: in.INSEE, Name: in.Name}
		return t.audit(ctx, actor, auditRow{structureID: id, action: maillon.AuditTerritoryChange, recordType: "commune", recordID: cid, fields: []string{"added"}})
	})
	return c, err
}

// DeleteCommune implements maillon.StructureService.
func (s *Store) DeleteCommune(ctx context.Context, actor maillon.Actor, id maillon.CommuneID) (err error) {
	defer wrap(&err, "DeleteCommune")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var sid maillon.StructureID
		err := t.one(ctx, "select structure_id from communes where id = ?", []any{id}, &sid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
			return maillon.NotFound("Commune")
		}
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(sid) {
			return maillon.Forbidden()
		}
		if _, err := t.exec(ctx, "delete from communes where id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditTerritoryChange, recordType: "commune", recordID: int64(id), fields: []string{"deleted"}})
	})
}

// AddZone implements maillon.StructureService.
func (s *Store) AddZone(ctx context.Context, actor maillon.Actor, in maillon.ZoneInput) (z *maillon.Zone, err error) {
	defer wrap(&err, "AddZone")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		var sid maillon.StructureID
		err := t.one(ctx, "select structure_id from communes where id = ?", []any{in.CommuneID}, &sid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.",
				Fields: map[string]string{"commune_id": "Choisissez une commune du territoire."}}
		}
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(sid) {
			return maillon.Forbidden()
		}
		var n int
		if err := t.one(ctx, "select count(*) from zones where commune_id = ? and name = ?", []any{in.CommuneID, in.Name}, &n); err != nil {
			return err
		}
		if n > 0 {
			return &maillon.Error{Kind: maillon.ErrConflict, Message: "Ce quartier existe déjà dans cette commune.",
				Fields: map[string]string{"zone_name": "Un quartier porte déjà ce nom dans cette commune."}}
		}
		zid, err := t.insert(ctx, "insert into zones (structure_id, commune_id, name, qpv_code) values (?, ?, ?, ?) returning id",
			sid, in.CommuneID, in.Name, in.QPVCode)
		if err != nil {
			return err
		}
		z = &maillon.Zone{ID: maillon.ZoneID(zid), CommuneID: in.CommuneID, Name: in.Name, QPVCode: in.QPVCode}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditTerritoryChange, recordType: "zone", recordID: zid, fields: []string{"added"}})
	})
	return z, err
}

// DeleteZone implements maillon.StructureService.
func (s *Store) DeleteZone(ctx context.Context, actor maillon.Actor, id maillon.ZoneID) (err error) {
	defer wrap(&err, "DeleteZone")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var sid maillon.StructureID
		err := t.one(ctx, "select structure_id from zones where id = ?", []any{id}, &sid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
			return maillon.NotFound("Quartier")
		}
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(sid) {
			return maillon.Forbidden()
		}
		if _, err := t.exec(ctx, "delete from zones where id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditTerritoryChange, recordType: "zone", recordID: int64(id), fields: []string{"deleted"}})
	})
}

// checkAdmin checks that the actor administers structure id, answering
// "not found" for another structure.
func (s *Store) checkAdmin(actor maillon.Actor, id maillon.StructureID) error {
	if err := actor.Check(); err != nil {
		return err
	}
	if !actor.InStructure(id) {
		return maillon.NotFound("Structure")
	}
	if !actor.CanAdminStructure(id) {
		return maillon.Forbidden()
	}
	return nil
}
