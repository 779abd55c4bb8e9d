package web

import (
	"errors"
	"net/http"
	"strconv"

	"maillon"
	"maillon/internal/ui"
)

// Report templates (modèles de bilan): the list with the shipped
// examples, the edit form (administrators), and the report a template
// produces, printable and as XLSX.

func templateURL(id maillon.ReportTemplateID) string {
	return "/rapports/modeles/" + strconv.FormatInt(int64(id), 10)
}

type templateIndexPage struct {
	Page
	Templates []maillon.ReportTemplate
	Examples  []maillon.ReportTemplate
	CanEdit   bool
}

func (h *Handler) handleTemplateIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := h.svc.ReportTemplates.FindReportTemplates(r.Context(), a)
	if err != nil {
		return err
	}
	p := templateIndexPage{Page: h.page(w, r, "Modèles de bilan", "rapports", Crumb{"/rapports", "Rendre compte"}, Crumb{"", "Modèles de bilan"}),
		Templates: list, Examples: maillon.TemplateExamples, CanEdit: a.CanAdminStructure(a.StructureID)}
	return h.render(w, http.StatusOK, "rapports/templates", p)
}

func (h *Handler) handleTemplateCreate(w http.ResponseWriter, r *http.Request) error {
	rt, err := h.svc.ReportTemplates.CreateReportTemplate(r.Context(), actor(r), r.PostForm.Get("example"))
	if err != nil {
		if msg := maillon.FieldsOf(err)["example"]; msg != "" {
			// The list is the form: its message comes back as a flash.
			h.setFlash(w, msg)
			http.Redirect(w, r, "/rapports/modeles", http.StatusSeeOther)
			return nil
		}
		return err
	}
	h.setFlash(w, "Le modèle a été créé : adaptez-le puis enregistrez.")
	http.Redirect(w, r, templateURL(rt.ID)+"/edit", http.StatusSeeOther)
	return nil
}

// templateRow is an indicator's line of the edit form.
type templateRow struct {
	Indicator maillon.Indicator
	Order     string
	Heading   string
	Text      string
}

type templateEditPage struct {
	Page
	Template *maillon.ReportTemplate
	Sections []indicatorRows
}

type indicatorRows struct {
	Title string
	Rows  []templateRow
}

func (h *Handler) templateEditView(w http.ResponseWriter, r *http.Request, status int, rt *maillon.ReportTemplate, f *ui.Form) error {
	p := templateEditPage{Page: h.page(w, r, "Modifier « "+rt.Title+" »", "rapports", Crumb{"/rapports", "Rendre compte"},
		Crumb{"/rapports/modeles", "Modèles de bilan"}, Crumb{"", rt.Title}), Template: rt}
	fields := []string{"title", "intro", "external", "sections"}
	for _, ind := range maillon.Indicators() {
		fields = append(fields, maillon.TemplateField("order", ind.ID), maillon.TemplateField("heading", ind.ID), maillon.TemplateField("text", ind.ID))
	}
	if f == nil {
		f = ui.NewForm(fields...)
		f.Set("title", rt.Title).Set("intro", rt.Intro)
		if rt.External {
			f.Set("external", "on")
		}
		for i, s := range rt.Sections {
			f.Set(maillon.TemplateField("order", s.Indicator), strconv.Itoa(i+1))
			f.Set(maillon.TemplateField("heading", s.Indicator), s.Heading)
			f.Set(maillon.TemplateField("text", s.Indicator), s.Text)
		}
	}
	p.Form = f
	for _, sec := range indicatorSections() {
		rows := indicatorRows{Title: sec.Title}
		for _, ind := range sec.Indicators {
			rows.Rows = append(rows.Rows, templateRow{Indicator: ind, Order: maillon.TemplateField("order", ind.ID),
				Heading: maillon.TemplateField("heading", ind.ID), Text: maillon.TemplateField("text", ind.ID)})
		}
		p.Sections = append(p.Sections, rows)
	}
	return h.render(w, status, "rapports/template_edit", p)
}

func (h *Handler) templateByPath(r *http.Request) (*maillon.ReportTemplate, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.ReportTemplates.FindReportTemplate(r.Context(), actor(r), maillon.ReportTemplateID(id))
}

func (h *Handler) handleTemplateEdit(w http.ResponseWriter, r *http.Request) error {
	rt, err := h.templateByPath(r)
	if err != nil {
		return err
	}
	return h.templateEditView(w, r, http.StatusOK, rt, nil)
}

func (h *Handler) handleTemplateUpdate(w http.ResponseWriter, r *http.Request) error {
	rt, err := h.templateByPath(r)
	if err != nil {
		return err
	}
	in := maillon.ReportTemplateInput{Title: r.PostForm.Get("title"), Intro: r.PostForm.Get("intro"), External: r.PostForm.Get("external") == "on",
		Order: map[string]string{}, Headings: map[string]string{}, Texts: map[string]string{}}
	f := ui.NewForm("title", "intro", "external", "sections")
	f.Set("title", in.Title).Set("intro", in.Intro).Set("external", r.PostForm.Get("external"))
	for _, ind := range maillon.Indicators() {
		for part, m := range map[string]map[string]string{"order": in.Order, "heading": in.Headings, "text": in.Texts} {
			name := maillon.TemplateField(part, ind.ID)
			f.Order = append(f.Order, name)
			f.Set(name, r.PostForm.Get(name))
			if v := r.PostForm.Get(name); v != "" || part == "order" {
				m[ind.ID] = v
			}
		}
	}
	if err := h.svc.ReportTemplates.UpdateReportTemplate(r.Context(), actor(r), rt.ID, in); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "sections")
		return h.templateEditView(w, r, http.StatusUnprocessableEntity, rt, f)
	}
	h.setFlash(w, "Le modèle de bilan a été enregistré.")
	http.Redirect(w, r, templateURL(rt.ID), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleTemplateDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.ReportTemplates.DeleteReportTemplate(r.Context(), actor(r), maillon.ReportTemplateID(id)); err != nil {
		return err
	}
	h.setFlash(w, "Le modèle de bilan a été supprimé.")
	http.Redirect(w, r, "/rapports/modeles", http.StatusSeeOther)
	return nil
}

// templateReport computes a template's report for the period and filters
// of the query string; the form holds the errors.
func (h *Handler) templateReport(r *http.Request, rt *maillon.ReportTemplate) (*ui.Form, *maillon.Report, error) {
	form, f, err := h.reportForm(r)
	if err != nil || form.HasErrors() {
		return form, nil, err
	}
	f.Indicators = rt.IndicatorIDs()
	f.External = f.External || rt.External
	rep, err := h.svc.Reports.ActivityReport(r.Context(), actor(r), f)
	if errors.Is(err, maillon.ErrInvalid) {
		for k, v := range maillon.FieldsOf(err) {
			form.Errors[k] = v
		}
		return form, nil, nil
	}
	return form, rep, err
}

type templateReportPage struct {
	reportPage
	Template *maillon.ReportTemplate
	CanEdit  bool
	XLSXLink string
}

func (h *Handler) handleTemplateShow(w http.ResponseWriter, r *http.Request) error {
	rt, err := h.templateByPath(r)
	if err != nil {
		return err
	}
	form, rep, err := h.templateReport(r, rt)
	if err != nil {
		return err
	}
	a := actor(r)
	p := templateReportPage{reportPage: reportPage{Page: h.page(w, r, rt.Title, "rapports", Crumb{"/rapports", "Rendre compte"},
		Crumb{"/rapports/modeles", "Modèles de bilan"}, Crumb{"", rt.Title}), Filter: form, Link: templateURL(rt.ID) + "?" + r.URL.RawQuery},
		Template: rt, CanEdit: a.CanAdminStructure(a.StructureID), XLSXLink: templateURL(rt.ID) + "/xlsx?" + r.URL.RawQuery}
	p.Form = form
	if err := h.reportOptions(r, &p.reportPage); err != nil {
		return err
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		p.Report = rep
		p.PeriodLabel = rep.Filter.Period.Label()
		p.Sections = reportSections(rep)
		// The template's headings and texts replace the grouping.
		for i := range p.Sections {
			for j := range p.Sections[i].Tables {
				tv := &p.Sections[i].Tables[j]
				if s := rt.Section(tv.Indicator.ID); s != nil {
					tv.Heading, tv.Text = s.Heading, s.Text
				}
			}
		}
	}
	return h.render(w, status, "rapports/template_report", p)
}

func (h *Handler) handleTemplateXLSX(w http.ResponseWriter, r *http.Request) error {
	rt, err := h.templateByPath(r)
	if err != nil {
		return err
	}
	form, rep, err := h.templateReport(r, rt)
	if err != nil {
		return err
	}
	if form.HasErrors() {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: "La période ou les filtres du bilan sont invalides : corrigez-les sur la page du bilan.", Fields: form.Errors}
	}
	return writeReportXLSX(w, rt, rep)
}
