package web

import (
	"net/http"
	"strconv"

	"maillon"
	"maillon/internal/ui"
)

// pathID reads the {id} path value; anything but a positive integer is a
// page that does not exist.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, maillon.NotFound("Page")
	}
	return id, nil
}

func adminCrumbs(label string) []Crumb {
	return []Crumb{{"/admin", "Administration"}, {"", label}}
}

type adminIndexPage struct {
	Page
}

func (h *Handler) handleAdminIndex(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, http.StatusOK, "admin/index", adminIndexPage{Page: h.page(w, r, "Administration", "admin")})
}

type structurePage struct {
	Page
	Weekdays  []weekdayField
	Calendars []ui.Option
}

type weekdayField struct {
	Name, Label string
}

var structureFields = func() []string {
	f := []string{"name", "siret", "address_line", "postal_code", "city", "email", "phone"}
	for d := range 7 {
		f = append(f, maillon.OfficeHoursField(d))
	}
	return append(f, "holidays")
}()

func (h *Handler) structureView(w http.ResponseWriter, r *http.Request, f *ui.Form) structurePage {
	p := structurePage{Page: h.page(w, r, "Paramètres de la structure", "admin", adminCrumbs("Paramètres de la structure")...)}
	p.Form = f
	for d := range 7 {
		p.Weekdays = append(p.Weekdays, weekdayField{maillon.OfficeHoursField(d), maillon.WeekdayNames[d]})
	}
	for _, c := range maillon.HolidayCalendars {
		p.Calendars = append(p.Calendars, ui.Option{Value: string(c), Label: c.Label()})
	}
	return p
}

func (h *Handler) handleStructureEdit(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	st, err := h.svc.Structures.FindStructureByID(r.Context(), a, a.StructureID)
	if err != nil {
		return err
	}
	f := ui.NewForm(structureFields...)
	f.Set("name", st.Name).Set("siret", st.SIRET).Set("address_line", st.Address.Line).
		Set("postal_code", st.Address.PostalCode).Set("city", st.Address.City).Set("email", st.Email).
		Set("phone", st.Phone).Set("holidays", string(st.Holidays))
	for d := range 7 {
		f.Set(maillon.OfficeHoursField(d), st.OfficeHours.Day(d))
	}
	return h.render(w, http.StatusOK, "admin/structure", h.structureView(w, r, f))
}

func (h *Handler) handleStructureUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	f := ui.NewForm(structureFields...)
	for _, k := range structureFields {
		f.Set(k, r.PostForm.Get(k))
	}
	in := maillon.StructureInput{
		Name:     f.Get("name"),
		SIRET:    f.Get("siret"),
		Address:  maillon.Address{Line: f.Get("address_line"), PostalCode: f.Get("postal_code"), City: f.Get("city")},
		Email:    f.Get("email"),
		Phone:    f.Get("phone"),
		Holidays: maillon.HolidayCalendar(f.Get("holidays")),
	}
	for d := range 7 {
		in.OfficeHours[d] = f.Get(maillon.OfficeHoursField(d))
	}
	if err := h.svc.Structures.UpdateStructure(r.Context(), a, a.StructureID, in); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = maillon.FieldsOf(err)
		return h.render(w, http.StatusUnprocessableEntity, "admin/structure", h.structureView(w, r, f))
	}
	h.setFlash(w, "Les paramètres de la structure ont été enregistrés.")
	http.Redirect(w, r, "/admin/structure", http.StatusSeeOther)
	return nil
}

type territoryPage struct {
	Page
	Territory    maillon.Territory
	CommuneForm  *ui.Form
	ZoneForm     *ui.Form
	CommuneNames []ui.Option
	// ImportForm is the communes import (territoire.go) and Report its
	// line-numbered errors.
	ImportForm *ui.Form
	Report     *maillon.ImportReport
}

func (h *Handler) territoryView(w http.ResponseWriter, r *http.Request, status int, cf, zf *ui.Form) error {
	return h.territoryViewWith(w, r, status, cf, zf, nil, nil)
}

// territoryImportView re-renders the page after a refused import.
func (h *Handler) territoryImportView(w http.ResponseWriter, r *http.Request, f *ui.Form, rep *maillon.ImportReport) error {
	return h.territoryViewWith(w, r, http.StatusUnprocessableEntity, ui.NewForm("insee", "commune_name"),
		ui.NewForm("commune_id", "zone_name", "qpv_code"), f, rep)
}

func (h *Handler) territoryViewWith(w http.ResponseWriter, r *http.Request, status int, cf, zf, imp *ui.Form, rep *maillon.ImportReport) error {
	a := actor(r)
	terr, err := h.svc.Structures.FindTerritory(r.Context(), a, a.StructureID)
	if err != nil {
		return err
	}
	p := territoryPage{Page: h.page(w, r, "Territoire d'intervention", "admin", adminCrumbs("Territoire d'intervention")...),
		Territory: terr, CommuneForm: cf, ZoneForm: zf}
	// The layout's error summary reads Page.Form: point it at the form in
	// error.
	p.Form = cf
	if zf.HasErrors() {
		p.Form = zf
	}
	p.ImportForm, p.Report = imp, rep
	if imp == nil {
		p.ImportForm = ui.NewForm("cog_file", "department")
	} else if imp.HasErrors() {
		p.Form = imp
	}
	p.CommuneNames = []ui.Option{{Value: "", Label: "Choisir une commune"}}
	for _, c := range terr.Communes {
		p.CommuneNames = append(p.CommuneNames, ui.Option{Value: strconv.FormatInt(int64(c.ID), 10), Label: c.Name + " (" + c.INSEE + ")"})
	}
	return h.render(w, status, "admin/territory", p)
}

func (h *Handler) handleTerritoryShow(w http.ResponseWriter, r *http.Request) error {
	return h.territoryView(w, r, http.StatusOK, ui.NewForm("insee", "commune_name"), ui.NewForm("commune_id", "zone_name", "qpv_code"))
}

func (h *Handler) handleCommuneCreate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	cf := ui.NewForm("insee", "commune_name")
	cf.Set("insee", r.PostForm.Get("insee")).Set("commune_name", r.PostForm.Get("commune_name"))
	_, err := h.svc.Structures.AddCommune(r.Context(), a, a.StructureID, maillon.CommuneInput{INSEE: cf.Get("insee"), Name: cf.Get("commune_name")})
	if err != nil {
		if !formError(err) {
			return err
		}
		cf.Errors = errorsOrMessage(err, "insee")
		return h.territoryView(w, r, http.StatusUnprocessableEntity, cf, ui.NewForm("commune_id", "zone_name", "qpv_code"))
	}
	h.setFlash(w, "La commune a été ajoutée au territoire.")
	http.Redirect(w, r, "/admin/territory", http.StatusSeeOther)
	return nil
}

func (h *Handler) handleCommuneDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Structures.DeleteCommune(r.Context(), actor(r), maillon.CommuneID(id)); err != nil {
		return err
	}
	h.setFlash(w, "La commune et ses quartiers ont été retirés du territoire.")
	http.Redirect(w, r, "/admin/territory", http.StatusSeeOther)
	return nil
}

func (h *Handler) handleZoneCreate(w http.ResponseWriter, r *http.Request) error {
	zf := ui.NewForm("commune_id", "zone_name", "qpv_code")
	for _, k := range zf.Order {
		zf.Set(k, r.PostForm.Get(k))
	}
	cid, _ := strconv.ParseInt(zf.Get("commune_id"), 10, 64)
	_, err := h.svc.Structures.AddZone(r.Context(), actor(r), maillon.ZoneInput{CommuneID: maillon.CommuneID(cid), Name: zf.Get("zone_name"), QPVCode: zf.Get("qpv_code")})
	if err != nil {
		if !formError(err) {
			return err
		}
		zf.Errors = errorsOrMessage(err, "zone_name")
		return h.territoryView(w, r, http.StatusUnprocessableEntity, ui.NewForm("insee", "commune_name"), zf)
	}
	h.setFlash(w, "Le quartier a été ajouté.")
	http.Redirect(w, r, "/admin/territory", http.StatusSeeOther)
	return nil
}

func (h *Handler) handleZoneDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Structures.DeleteZone(r.Context(), actor(r), maillon.ZoneID(id)); err != nil {
		return err
	}
	h.setFlash(w, "Le quartier a été retiré.")
	http.Redirect(w, r, "/admin/territory", http.StatusSeeOther)
	return nil
}

// errorsOrMessage returns the field messages of err, or its message on
// field when it has none, so the form always says what went wrong.
func errorsOrMessage(err error, field string) map[string]string {
	if f := maillon.FieldsOf(err); len(f) > 0 {
		return f
	}
	return map[string]string{field: maillon.ErrorMessage(err, "Valeur refusée.")}
}
