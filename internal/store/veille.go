package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"maillon"
)

// The veille sociale holds no personal data, so its reads are not
// audited; every change is.

// veilleMember checks that the actor belongs to a structure: the veille
// is the structure's, operators have none.
func veilleMember(actor maillon.Actor) error {
	if err := actor.Check(); err != nil {
		return err
	}
	if actor.StructureID == 0 {
		return maillon.Forbidden()
	}
	return nil
}

// veilleEditor refuses mediators: coordinators and administrators
// validate and change the veille's records.
func veilleEditor(actor maillon.Actor, sid maillon.StructureID) error {
	if !actor.CanViewTeamData(sid) {
		return maillon.Errorf(maillon.ErrForbidden, "Seules la coordination et l'administration peuvent modifier la veille.")
	}
	return nil
}

// checkZone refuses a quarter of another structure.
func (t *tx) checkZone(ctx context.Context, sid maillon.StructureID, zid maillon.ZoneID) error {
	if zid == 0 {
		return nil
	}
	var n int
	if err := t.one(ctx, "select count(*) from zones where id = ? and structure_id = ?", []any{zid, sid}, &n); err != nil {
		return err
	}
	if n == 0 {
		msg := "Choisissez un quartier du territoire de la structure."
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"zone_id": msg}}
	}
	return nil
}

// CreateObservation implements maillon.VeilleService.
func (s *Store) CreateObservation(ctx context.Context, actor maillon.Actor, in maillon.VeilleObservationInput) (o *maillon.VeilleObservation, err error) {
	defer wrap(&err, "CreateObservation")
	if err := veilleMember(actor); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		day, err := in.Validate("", t.now)
		if err != nil {
			return err
		}
		if err := t.checkZone(ctx, actor.StructureID, in.ZoneID); err != nil {
			return err
		}
		id, err := t.insert(ctx, `insert into veille_observations (structure_id, observed_on, zone_id, theme, kind, description,
			source, reliability, follow_up, status, created_by, created_at, updated_at)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, day, optID(in.ZoneID), in.Theme, in.Kind, in.Description, in.Source, in.Reliability,
			in.FollowUp, in.Status, optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditVeilleObservationCreate, recordType: "observation", recordID: id}); err != nil {
			return err
		}
		o, err = t.observationByID(ctx, actor, maillon.VeilleObservationID(id))
		return err
	})
	return o, err
}

const selectObservations = `select o.id, o.structure_id, o.observed_on, o.zone_id, coalesce(z.name, ''), o.theme, o.kind,
	o.description, o.source, o.reliability, o.follow_up, o.status, o.created_by, coalesce(u.display_name, ''),
	o.created_at, o.updated_at
from veille_observations o
left join zones z on z.id = o.zone_id
left join users u on u.id = o.created_by`

func scanObservation(scan func(...any) error, extra ...any) (maillon.VeilleObservation, error) {
	var o maillon.VeilleObservation
	err := scan(append([]any{&o.ID, &o.StructureID, timeCol{&o.ObservedOn}, scanID(&o.ZoneID), &o.ZoneName, &o.Theme,
		&o.Kind, &o.Description, &o.Source, &o.Reliability, &o.FollowUp, &o.Status, scanID(&o.CreatedBy),
		&o.CreatedByName, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt}}, extra...)...)
	return o, err
}

func (t *tx) observationByID(ctx context.Context, actor maillon.Actor, id maillon.VeilleObservationID) (*maillon.VeilleObservation, error) {
	q := selectObservations + " where o.id = ?"
	o, err := scanObservation(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(o.StructureID)) {
		return nil, maillon.NotFound("Observation")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &o, nil
}

// FindObservationByID implements maillon.VeilleService.
func (s *Store) FindObservationByID(ctx context.Context, actor maillon.Actor, id maillon.VeilleObservationID) (o *maillon.VeilleObservation, err error) {
	defer wrap(&err, "FindObservationByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		o, err = t.observationByID(ctx, actor, id)
		return err
	})
	return o, err
}

// FindObservations implements maillon.VeilleService.
func (s *Store) FindObservations(ctx context.Context, actor maillon.Actor, f maillon.VeilleObservationFilter) (out []maillon.VeilleObservation, total int, err error) {
	defer wrap(&err, "FindObservations")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	var w whereBuilder
	w.add("o.structure_id = ?", actor.StructureID)
	if f.Kind != "" {
		w.add("o.kind = ?", f.Kind)
	}
	if f.Status != "" {
		w.add("o.status = ?", f.Status)
	}
	if f.Theme != "" {
		w.add("o.theme = ?", f.Theme)
	}
	if f.ZoneID != 0 {
		w.add("o.zone_id = ?", f.ZoneID)
	}
	if f.CommuneID != 0 {
		w.add("o.zone_id in (select id from zones where commune_id = ?)", f.CommuneID)
	}
	if !f.From.IsZero() {
		w.add("o.observed_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("o.observed_on <= ?", f.To)
	}
	limit := pageLimit(f.Limit, 50, 500)
	q := strings.Replace(selectObservations, "from veille_observations o", ", count(*) over ()\nfrom veille_observations o", 1) +
		"\n" + w.String() + "\norder by o.observed_on desc, o.id desc\nlimit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		err := t.many(ctx, q, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			o, err := scanObservation(r.Scan, &total)
			out = append(out, o)
			return err
		})
		if err == nil && len(out) == 0 && f.Offset > 0 {
			err = t.one(ctx, "select count(*) from veille_observations o\n"+w.String(), w.args, &total)
		}
		return err
	})
	return out, total, err
}

// UpdateObservation implements maillon.VeilleService.
func (s *Store) UpdateObservation(ctx context.Context, actor maillon.Actor, id maillon.VeilleObservationID, in maillon.VeilleObservationInput) (err error) {
	defer wrap(&err, "UpdateObservation")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		o, err := t.observationByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := veilleEditor(actor, o.StructureID); err != nil {
			return err
		}
		day, err := in.Validate(o.Status, t.now)
		if err != nil {
			return err
		}
		if err := t.checkZone(ctx, o.StructureID, in.ZoneID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `update veille_observations set observed_on = ?, zone_id = ?, theme = ?, kind = ?, description = ?,
			source = ?, reliability = ?, follow_up = ?, status = ?, updated_at = ? where id = ?`,
			day, optID(in.ZoneID), in.Theme, in.Kind, in.Description, in.Source, in.Reliability, in.FollowUp, in.Status,
			t.now, id); err != nil {
			return err
		}
		var fields []string
		for _, c := range []struct {
			name    string
			changed bool
		}{{"observed_on", !day.Equal(o.ObservedOn)}, {"zone_id", in.ZoneID != o.ZoneID}, {"theme", in.Theme != o.Theme},
			{"kind", in.Kind != o.Kind}, {"description", in.Description != o.Description}, {"source", in.Source != o.Source},
			{"reliability", in.Reliability != o.Reliability}, {"follow_up", in.FollowUp != o.FollowUp},
			{"status", in.Status != o.Status}} {
			if c.changed {
				fields = append(fields, c.name)
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditVeilleObservationUpdate, recordType: "observation",
			recordID: int64(id), fields: fields})
	})
}

// CreateRiskReport implements maillon.VeilleService.
func (s *Store) CreateRiskReport(ctx context.Context, actor maillon.Actor, in maillon.RiskReportInput) (r *maillon.RiskReport, err error) {
	defer wrap(&err, "CreateRiskReport")
	if err := veilleMember(actor); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		day, seriousness, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		id, err := t.insert(ctx, `insert into veille_risks (structure_id, seen_on, platform, category, seriousness, public,
			minors_involved, description, actions, status, created_by, created_at, updated_at)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, day, in.Platform, in.Category, seriousness, in.Public, in.MinorsInvolved, in.Description,
			strings.Join(in.Actions, ","), "signale", optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditVeilleRiskCreate, recordType: "risk_report", recordID: id}); err != nil {
			return err
		}
		r, err = t.riskByID(ctx, actor, maillon.RiskReportID(id))
		return err
	})
	return r, err
}

const selectRisks = `select r.id, r.structure_id, r.seen_on, r.platform, r.category, r.seriousness, r.public,
	r.minors_involved, r.description, r.actions, r.status, r.status_note, r.created_by, coalesce(u.display_name, ''),
	r.created_at, r.updated_at
from veille_risks r
left join users u on u.id = r.created_by`

func scanRisk(scan func(...any) error, extra ...any) (maillon.RiskReport, error) {
	var r maillon.RiskReport
	var actions string
	err := scan(append([]any{&r.ID, &r.StructureID, timeCol{&r.SeenOn}, &r.Platform, &r.Category, &r.Seriousness,
		&r.Public, &r.MinorsInvolved, &r.Description, &actions, &r.Status, &r.StatusNote, scanID(&r.CreatedBy),
		&r.CreatedByName, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}}, extra...)...)
	r.Actions = splitList(actions)
	return r, err
}

func (t *tx) riskByID(ctx context.Context, actor maillon.Actor, id maillon.RiskReportID) (*maillon.RiskReport, error) {
	q := selectRisks + " where r.id = ?"
	r, err := scanRisk(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(r.StructureID)) {
		return nil, maillon.NotFound("Signalement")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &r, nil
}

// FindRiskReportByID implements maillon.VeilleService.
func (s *Store) FindRiskReportByID(ctx context.Context, actor maillon.Actor, id maillon.RiskReportID) (r *maillon.RiskReport, err error) {
	defer wrap(&err, "FindRiskReportByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		r, err = t.riskByID(ctx, actor, id)
		return err
	})
	return r, err
}

// FindRiskReports implements maillon.VeilleService. The most serious
// come first within a day.
func (s *Store) FindRiskReports(ctx context.Context, actor maillon.Actor, f maillon.RiskFilter) (out []maillon.RiskReport, total int, err error) {
	defer wrap(&err, "FindRiskReports")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	var w whereBuilder
	w.add("r.structure_id = ?", actor.StructureID)
	if f.Status != "" {
		w.add("r.status = ?", f.Status)
	}
	if f.Category != "" {
		w.add("r.category = ?", f.Category)
	}
	if f.ToHandle {
		w.add("r.minors_involved = ? and r.status = ?", true, "signale")
	}
	limit := pageLimit(f.Limit, 50, 500)
	q := strings.Replace(selectRisks, "from veille_risks r", ", count(*) over ()\nfrom veille_risks r", 1) +
		"\n" + w.String() + "\norder by r.seen_on desc, r.seriousness desc, r.id desc\nlimit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		err := t.many(ctx, q, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			x, err := scanRisk(r.Scan, &total)
			out = append(out, x)
			return err
		})
		if err == nil && len(out) == 0 && f.Offset > 0 {
			err = t.one(ctx, "select count(*) from veille_risks r\n"+w.String(), w.args, &total)
		}
		return err
	})
	return out, total, err
}

// SetRiskReportStatus implements maillon.VeilleService.
func (s *Store) SetRiskReportStatus(ctx context.Context, actor maillon.Actor, id maillon.RiskReportID, in maillon.RiskStatusInput) (err error) {
	defer wrap(&err, "SetRiskReportStatus")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		r, err := t.riskByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := veilleEditor(actor, r.StructureID); err != nil {
			return err
		}
		if err := in.Validate(r.Status); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update veille_risks set status = ?, actions = ?, status_note = ?, updated_at = ? where id = ?",
			in.Status, strings.Join(in.Actions, ","), in.Note, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditVeilleRiskStatus, recordType: "risk_report", recordID: int64(id),
			fields: []string{"status_" + in.Status}})
	})
}

// CreateTechReport implements maillon.VeilleService.
func (s *Store) CreateTechReport(ctx context.Context, actor maillon.Actor, in maillon.TechReportInput) (r *maillon.TechReport, err error) {
	defer wrap(&err, "CreateTechReport")
	if err := veilleMember(actor); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		day, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if err := t.checkZone(ctx, actor.StructureID, in.ZoneID); err != nil {
			return err
		}
		if in.DirectoryStructureID > 0 {
			// Only an entry of the structure's own directory; its name
			// names the partner unless the form gave one.
			var nom string
			err := t.one(ctx, "select nom from directory_structures where id = ? and owner_id = ?",
				[]any{int64(in.DirectoryStructureID), actor.StructureID}, &nom)
			if errors.Is(err, sql.ErrNoRows) {
				return maillon.FieldErrors{"directory_structure_id": "Cette structure n'est pas dans l'annuaire de la structure : cherchez-la à nouveau."}.Err()
			}
			if err != nil {
				return err
			}
			if in.PartnerName == "" {
				in.PartnerName, _ = maillon.CleanText(nom, maillon.MaxNameLen, false)
			}
		}
		id, err := t.insert(ctx, `insert into veille_tech (structure_id, category, zone_id, location, description, partner_name,
			partner_key, partner_kind, status, reported_on, created_by, created_at, updated_at, directory_structure_id)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, in.Category, optID(in.ZoneID), in.Location, in.Description, in.PartnerName,
			partnerKey(in.PartnerName), in.PartnerKind, "signale", day, optID(actor.UserID), t.now, t.now, optID(in.DirectoryStructureID))
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditVeilleTechCreate, recordType: "tech_report", recordID: id}); err != nil {
			return err
		}
		r, err = t.techByID(ctx, actor, maillon.TechReportID(id))
		return err
	})
	return r, err
}

const selectTech = `select r.id, r.structure_id, r.category, r.zone_id, coalesce(z.name, ''), r.location, r.description,
	r.partner_name, r.partner_kind, r.status, r.reported_on, r.acknowledged_on, r.resolved_on, r.status_note, r.created_by,
	coalesce(u.display_name, ''), r.created_at, r.updated_at, r.directory_structure_id
from veille_tech r
left join zones z on z.id = r.zone_id
left join users u on u.id = r.created_by`

func scanTech(scan func(...any) error, extra ...any) (maillon.TechReport, error) {
	var r maillon.TechReport
	err := scan(append([]any{&r.ID, &r.StructureID, &r.Category, scanID(&r.ZoneID), &r.ZoneName, &r.Location, &r.Description,
		&r.PartnerName, &r.PartnerKind, &r.Status, timeCol{&r.ReportedOn}, timeCol{&r.AcknowledgedOn}, timeCol{&r.ResolvedOn},
		&r.StatusNote, scanID(&r.CreatedBy), &r.CreatedByName, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt},
		scanID(&r.DirectoryStructureID)}, extra...)...)
	return r, err
}

func (t *tx) techByID(ctx context.Context, actor maillon.Actor, id maillon.TechReportID) (*maillon.TechReport, error) {
	q := selectTech + " where r.id = ?"
	r, err := scanTech(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(r.StructureID)) {
		return nil, maillon.NotFound("Signalement technique")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &r, nil
}

// FindTechReportByID implements maillon.VeilleService.
func (s *Store) FindTechReportByID(ctx context.Context, actor maillon.Actor, id maillon.TechReportID) (r *maillon.TechReport, err error) {
	defer wrap(&err, "FindTechReportByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		r, err = t.techByID(ctx, actor, id)
		return err
	})
	return r, err
}

func techWhere(actor maillon.Actor, f maillon.TechFilter) *whereBuilder {
	var w whereBuilder
	w.add("r.structure_id = ?", actor.StructureID)
	if !f.From.IsZero() {
		w.add("r.reported_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("r.reported_on < ?", f.To.AddDate(0, 0, 1))
	}
	if k := partnerKey(f.Partner); k != "" {
		w.add(`r.partner_key like ? escape '\'`, likePattern(k))
	}
	if f.Category != "" {
		w.add("r.category = ?", f.Category)
	}
	if f.Status != "" {
		w.add("r.status = ?", f.Status)
	}
	return &w
}

// FindTechReports implements maillon.VeilleService.
func (s *Store) FindTechReports(ctx context.Context, actor maillon.Actor, f maillon.TechFilter) (out []maillon.TechReport, total int, err error) {
	defer wrap(&err, "FindTechReports")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	w := techWhere(actor, f)
	limit := pageLimit(f.Limit, 50, 500)
	q := strings.Replace(selectTech, "from veille_tech r", ", count(*) over ()\nfrom veille_tech r", 1) +
		"\n" + w.String() + "\norder by r.reported_on desc, r.id desc\nlimit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		err := t.many(ctx, q, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			x, err := scanTech(r.Scan, &total)
			out = append(out, x)
			return err
		})
		if err == nil && len(out) == 0 && f.Offset > 0 {
			err = t.one(ctx, "select count(*) from veille_tech r\n"+w.String(), w.args, &total)
		}
		return err
	})
	return out, total, err
}

// SetTechReportStatus implements maillon.VeilleService. "Pris en compte"
// and "résolu" record their day, from which the delays are computed; a
// report resolved without acknowledgement keeps no acknowledgement day.
func (s *Store) SetTechReportStatus(ctx context.Context, actor maillon.Actor, id maillon.TechReportID, in maillon.TechStatusInput) (err error) {
	defer wrap(&err, "SetTechReportStatus")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		r, err := t.techByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := veilleEditor(actor, r.StructureID); err != nil {
			return err
		}
		day, err := in.Validate(r, t.now)
		if err != nil {
			return err
		}
		ack, res := r.AcknowledgedOn, r.ResolvedOn
		if in.Status == "pris_en_compte" {
			ack = day
		} else {
			res = day
		}
		if _, err := t.exec(ctx, `update veille_tech set status = ?, acknowledged_on = ?, resolved_on = ?, status_note = ?,
			updated_at = ? where id = ?`, in.Status, ack, res, in.Note, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditVeilleTechStatus, recordType: "tech_report", recordID: int64(id),
			fields: []string{"status_" + in.Status}})
	})
}

// FindTechDelays implements maillon.VeilleService. The delays are
// computed in Go from one row per report, so that both engines give the
// same medians.
func (s *Store) FindTechDelays(ctx context.Context, actor maillon.Actor, f maillon.TechFilter) (out []maillon.TechDelays, err error) {
	defer wrap(&err, "FindTechDelays")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	w := techWhere(actor, f)
	type acc struct {
		d        maillon.TechDelays
		ack, res []int
	}
	byKey := map[string]*acc{}
	var keys []string
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, `select r.partner_key, r.partner_name, r.reported_on, r.acknowledged_on, r.resolved_on
			from veille_tech r `+w.String()+` order by r.reported_on desc, r.id desc limit ?`,
			append(w.args, maillon.MaxTechDelayReports), func(rows *sql.Rows) error {
				var key string
				var r maillon.TechReport
				if err := rows.Scan(&key, &r.PartnerName, timeCol{&r.ReportedOn}, timeCol{&r.AcknowledgedOn}, timeCol{&r.ResolvedOn}); err != nil {
					return err
				}
				a := byKey[key]
				if a == nil {
					// The most recent spelling names the partner.
					a = &acc{d: maillon.TechDelays{Partner: r.PartnerName}}
					byKey[key] = a
					keys = append(keys, key)
				}
				a.d.Reports++
				if d := r.DaysToAck(); d >= 0 {
					a.d.Acknowledged++
					a.ack = append(a.ack, d)
				}
				if d := r.DaysToResolve(); d >= 0 {
					a.d.Resolved++
					a.res = append(a.res, d)
				}
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		a := byKey[k]
		a.d.AckMedian, a.d.AckMean = medianMean(a.ack)
		a.d.ResolveMedian, a.d.ResolveMean = medianMean(a.res)
		out = append(out, a.d)
	}
	slices.SortStableFunc(out, func(x, y maillon.TechDelays) int {
		if x.Reports != y.Reports {
			return y.Reports - x.Reports
		}
		return strings.Compare(partnerKey(x.Partner), partnerKey(y.Partner))
	})
	return out, nil
}

// medianMean gives the median and the mean of days, -1 for none.
func medianMean(days []int) (float64, float64) {
	n := len(days)
	if n == 0 {
		return -1, -1
	}
	slices.Sort(days)
	med := float64(days[n/2])
	if n%2 == 0 {
		med = float64(days[n/2-1]+days[n/2]) / 2
	}
	sum := 0
	for _, d := range days {
		sum += d
	}
	return med, float64(sum) / float64(n)
}

// remontee counts the obstacles of the procedures of interventions that
// started in the period, grouped by organisme × catalogue procedure ×
// obstacle. Procedures outside the catalogue are grouped under "". One
// statement: the period's procedures are read once (a materialised CTE),
// for their total (the row with an empty obstacle) and for the groups.
func (t *tx) remontee(ctx context.Context, sid maillon.StructureID, from, to time.Time, organisme string) (*maillon.Remontee, error) {
	rem := &maillon.Remontee{From: from, To: to, Organisme: organisme}
	var w whereBuilder
	w.add("i.structure_id = ?", sid)
	w.add("i.start_at >= ?", from)
	w.add("i.start_at < ?", to.AddDate(0, 0, 1))
	if organisme != "" {
		w.add("p.organisme = ?", organisme)
	}
	err := t.many(ctx, `with ps as materialized (
			select p.id, p.organisme, p.type_id from procedures p
			join interventions i on i.id = p.intervention_id
			`+w.String()+`
		)
		select '', '', '', count(*) from ps
		union all
		select ps.organisme, coalesce(pt.label, ''), po.obstacle, count(*)
		from ps
		join procedure_obstacles po on po.procedure_id = ps.id
		left join procedure_types pt on pt.id = ps.type_id
		group by ps.organisme, coalesce(pt.label, ''), po.obstacle`, w.args, func(r *sql.Rows) error {
		var row maillon.RemonteeRow
		if err := r.Scan(&row.Organisme, &row.Procedure, &row.Obstacle, &row.Count); err != nil {
			return err
		}
		if row.Obstacle == "" {
			rem.Procedures = row.Count
		} else {
			rem.Rows = append(rem.Rows, row)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// In the order of the lists the forms show, procedures by name.
	rank := func(cs maillon.Choices, code string) int {
		for i, c := range cs {
			if c.Code == code {
				return i
			}
		}
		return len(cs)
	}
	slices.SortFunc(rem.Rows, func(a, b maillon.RemonteeRow) int {
		if x, y := rank(maillon.Organismes, a.Organisme), rank(maillon.Organismes, b.Organisme); x != y {
			return x - y
		}
		if a.Procedure != b.Procedure {
			if a.Procedure == "" || b.Procedure == "" {
				return len(b.Procedure) - len(a.Procedure) // free-text procedures last
			}
			return strings.Compare(maillon.FoldText(a.Procedure), maillon.FoldText(b.Procedure))
		}
		return rank(maillon.Obstacles, a.Obstacle) - rank(maillon.Obstacles, b.Obstacle)
	})
	return rem, nil
}

// FindRemontee implements maillon.VeilleService.
func (s *Store) FindRemontee(ctx context.Context, actor maillon.Actor, f maillon.RemonteeFilter) (rem *maillon.Remontee, err error) {
	defer wrap(&err, "FindRemontee")
	if err := veilleMember(actor); err != nil {
		return nil, err
	}
	from, to, err := f.Period(s.clock())
	if err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		rem, err = t.remontee(ctx, actor.StructureID, from, to, f.Organisme)
		return err
	})
	return rem, err
}

// CreateRemonteeReport implements maillon.VeilleService.
func (s *Store) CreateRemonteeReport(ctx context.Context, actor maillon.Actor, in maillon.RemonteeReportInput) (r *maillon.RemonteeReport, err error) {
	defer wrap(&err, "CreateRemonteeReport")
	if err := veilleMember(actor); err != nil {
		return nil, err
	}
	if err := veilleEditor(actor, actor.StructureID); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		from, to, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		id, err := t.insert(ctx, `insert into veille_remontees (structure_id, period_from, period_to, organisme, comment,
			created_by, created_at) values (?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, from, to, in.Organisme, in.Comment, optID(actor.UserID), t.now)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditVeilleRemonteeCreate, recordType: "remontee", recordID: id}); err != nil {
			return err
		}
		r, err = t.remonteeReportByID(ctx, actor, maillon.RemonteeReportID(id), true)
		return err
	})
	return r, err
}

const selectRemontees = `select r.id, r.structure_id, r.period_from, r.period_to, r.organisme, r.comment, r.created_by,
	coalesce(u.display_name, ''), r.created_at
from veille_remontees r
left join users u on u.id = r.created_by`

func scanRemonteeReport(scan func(...any) error) (maillon.RemonteeReport, error) {
	var r maillon.RemonteeReport
	err := scan(&r.ID, &r.StructureID, timeCol{&r.From}, timeCol{&r.To}, &r.Organisme, &r.Comment, scanID(&r.CreatedBy),
		&r.CreatedByName, timeCol{&r.CreatedAt})
	return r, err
}

func (t *tx) remonteeReportByID(ctx context.Context, actor maillon.Actor, id maillon.RemonteeReportID, figures bool) (*maillon.RemonteeReport, error) {
	q := selectRemontees + " where r.id = ?"
	r, err := scanRemonteeReport(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(r.StructureID)) {
		return nil, maillon.NotFound("Rapport de remontées")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	if figures {
		rem, err := t.remontee(ctx, r.StructureID, r.From, r.To, r.Organisme)
		if err != nil {
			return nil, err
		}
		r.Procedures, r.Rows = rem.Procedures, rem.Rows
	}
	return &r, nil
}

// FindRemonteeReportByID implements maillon.VeilleService.
func (s *Store) FindRemonteeReportByID(ctx context.Context, actor maillon.Actor, id maillon.RemonteeReportID) (r *maillon.RemonteeReport, err error) {
	defer wrap(&err, "FindRemonteeReportByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		r, err = t.remonteeReportByID(ctx, actor, id, true)
		return err
	})
	return r, err
}

// FindRemonteeReports implements maillon.VeilleService.
func (s *Store) FindRemonteeReports(ctx context.Context, actor maillon.Actor) (out []maillon.RemonteeReport, err error) {
	defer wrap(&err, "FindRemonteeReports")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, selectRemontees+" where r.structure_id = ? order by r.created_at desc, r.id desc limit ?",
			[]any{actor.StructureID, maillon.MaxRemonteeReports}, func(rows *sql.Rows) error {
				r, err := scanRemonteeReport(rows.Scan)
				out = append(out, r)
				return err
			})
	})
	return out, err
}
