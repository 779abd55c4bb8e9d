package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"maillon"
)

// Report templates (modèles de bilan): a row per template, its sections
// as JSON text read and written whole.

const selectReportTemplate = `select id, structure_id, title, intro, sections, external, created_at, updated_at from report_templates`

func scanReportTemplate(scan func(...any) error) (maillon.ReportTemplate, error) {
	var rt maillon.ReportTemplate
	var secs string
	if err := scan(&rt.ID, &rt.StructureID, &rt.Title, &rt.Intro, &secs, &rt.External, timeCol{&rt.CreatedAt}, timeCol{&rt.UpdatedAt}); err != nil {
		return rt, err
	}
	if err := json.Unmarshal([]byte(secs), &rt.Sections); err != nil {
		return rt, err
	}
	// An indicator retired since the template was saved is left out.
	kept := rt.Sections[:0]
	for _, s := range rt.Sections {
		if _, ok := maillon.IndicatorByID(s.Indicator); ok {
			kept = append(kept, s)
		}
	}
	rt.Sections = kept
	return rt, nil
}

// FindReportTemplates implements maillon.ReportTemplateService.
func (s *Store) FindReportTemplates(ctx context.Context, actor maillon.Actor) (out []maillon.ReportTemplate, err error) {
	defer wrap(&err, "FindReportTemplates")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, selectReportTemplate+" where structure_id = ? order by title, id", []any{actor.StructureID}, func(r *sql.Rows) error {
			rt, err := scanReportTemplate(r.Scan)
			out = append(out, rt)
			return err
		})
	})
	return out, err
}

func (t *tx) reportTemplate(ctx context.Context, actor maillon.Actor, id maillon.ReportTemplateID) (*maillon.ReportTemplate, error) {
	rt, err := scanReportTemplate(func(dest ...any) error {
		return t.one(ctx, selectReportTemplate+" where id = ?", []any{id}, dest...)
	})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(rt.StructureID)) {
		return nil, maillon.NotFound("Modèle de bilan")
	}
	if err != nil {
		return nil, err
	}
	return &rt, nil
}

// FindReportTemplate implements maillon.ReportTemplateService.
func (s *Store) FindReportTemplate(ctx context.Context, actor maillon.Actor, id maillon.ReportTemplateID) (rt *maillon.ReportTemplate, err error) {
	defer wrap(&err, "FindReportTemplate")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		rt, err = t.reportTemplate(ctx, actor, id)
		return err
	})
	return rt, err
}

// CreateReportTemplate implements maillon.ReportTemplateService.
func (s *Store) CreateReportTemplate(ctx context.Context, actor maillon.Actor, key string) (rt *maillon.ReportTemplate, err error) {
	defer wrap(&err, "CreateReportTemplate")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if !actor.CanAdminStructure(actor.StructureID) {
		return nil, maillon.Forbidden()
	}
	tpl := maillon.ReportTemplate{Title: "Nouveau modèle de bilan", External: true,
		Sections: []maillon.TemplateSection{{Indicator: "interventions.nombre"}}}
	if key != "" {
		ex, ok := maillon.TemplateExample(key)
		if !ok {
			return nil, maillon.FieldErrors{"example": "Choisissez un exemple dans la liste."}.Err()
		}
		tpl = ex
		tpl.Title += " (copie)"
	}
	secs, err := json.Marshal(tpl.Sections)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		var n int
		if err := t.one(ctx, "select count(*) from report_templates where structure_id = ?", []any{actor.StructureID}, &n); err != nil {
			return err
		}
		if n >= maillon.MaxTemplatesPerStruct {
			return maillon.FieldErrors{"example": "La structure a déjà 50 modèles de bilan : supprimez-en un."}.Err()
		}
		id, err := t.insert(ctx, `insert into report_templates (structure_id, title, intro, sections, external, created_by, created_at, updated_at)
			values (?, ?, ?, ?, ?, ?, ?, ?) returning id`, actor.StructureID, tpl.Title, tpl.Intro, string(secs), tpl.External,
			optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		tpl.ID, tpl.StructureID, tpl.Key, tpl.CreatedAt, tpl.UpdatedAt = maillon.ReportTemplateID(id), actor.StructureID, "", t.now, t.now
		return t.audit(ctx, actor, auditRow{action: maillon.AuditReportTemplateCreate, recordType: "report_template", recordID: id})
	})
	if err != nil {
		return nil, err
	}
	return &tpl, nil
}

// UpdateReportTemplate implements maillon.ReportTemplateService.
func (s *Store) UpdateReportTemplate(ctx context.Context, actor maillon.Actor, id maillon.ReportTemplateID, in maillon.ReportTemplateInput) (err error) {
	defer wrap(&err, "UpdateReportTemplate")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		rt, err := t.reportTemplate(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(rt.StructureID) {
			return maillon.Forbidden()
		}
		list, err := in.Validate()
		if err != nil {
			return err
		}
		secs, err := json.Marshal(list)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `update report_templates set title = ?, intro = ?, sections = ?, external = ?, updated_at = ? where id = ?`,
			in.Title, in.Intro, string(secs), in.External, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditReportTemplateUpdate, recordType: "report_template", recordID: int64(id),
			fields: []string{"title", "intro", "sections", "external"}})
	})
}

// DeleteReportTemplate implements maillon.ReportTemplateService.
func (s *Store) DeleteReportTemplate(ctx context.Context, actor maillon.Actor, id maillon.ReportTemplateID) (err error) {
	defer wrap(&err, "DeleteReportTemplate")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		rt, err := t.reportTemplate(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanAdminStructure(rt.StructureID) {
			return maillon.Forbidden()
		}
		if _, err := t.exec(ctx, "delete from report_templates where id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditReportTemplateDelete, recordType: "report_template", recordID: int64(id)})
	})
}
