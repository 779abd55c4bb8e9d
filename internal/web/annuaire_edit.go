package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"maillon"
	"maillon/internal/ui"
)

// Editing the directory: the data·inclusion fields of structures and
// services typed or corrected by the coordination, the removal of internal
// contacts, and the freshness thresholds. Mediators propose changes from a
// structure's page instead (annuaire.go).

// directoryStructureFields are the structure form's fields, in reading
// order; their names are the schema's, like the import report's.
var directoryStructureFields = []string{"nom", "siret", "description", "telephone", "courriel", "site_web",
	"horaires_accueil", "accessibilite_lieu", "reseaux_porteurs", "adresse", "complement_adresse", "code_postal",
	"commune", "code_insee", "latitude", "longitude", "lien_source"}

// directoryServiceFields are the service form's fields.
var directoryServiceFields = []string{"nom", "description", "type", "thematiques", "publics", "publics_precisions",
	"frais", "frais_precisions", "conditions_acces", "modes_accueil", "modes_mobilisation", "mobilisable_par",
	"mobilisation_precisions", "lien_mobilisation", "contact_nom_prenom", "telephone", "courriel", "horaires_accueil",
	"zone_eligibilite", "nombre_semaines", "volume_horaire_hebdomadaire", "adresse", "complement_adresse",
	"code_postal", "commune", "code_insee", "latitude", "longitude", "lien_source"}

// directoryListFields are the multi-valued fields (checkbox groups).
var directoryListFields = map[string]bool{"reseaux_porteurs": true, "thematiques": true, "publics": true,
	"modes_accueil": true, "modes_mobilisation": true, "mobilisable_par": true}

type directoryEditPage struct {
	Page
	// Structure is the entry being edited, or the service's structure.
	Structure *maillon.DirectoryStructure
	// ServiceID is the service being edited (zero for a new one or a
	// structure form).
	ServiceID maillon.DirectoryServiceID
	Action    string
	// HoursFrench is the opening hours in plain French, when they parse.
	HoursFrench []string
	Reseaux     []ui.Option
	Types       []ui.Option
	Thematiques []ui.Option
	Publics     []ui.Option
	Frais       []ui.Option
	Accueil     []ui.Option
	Mobilis     []ui.Option
	MobilisPar  []ui.Option
}

// thematiqueChoices lists the sub-thématiques with their category, for
// the checkbox group.
func thematiqueChoices() []ui.Option {
	out := make([]ui.Option, 0, len(maillon.DIThematiques))
	for _, t := range maillon.DIThematiques {
		out = append(out, ui.Option{Value: t.Code, Label: maillon.ThematiqueLabel(t.Code)})
	}
	return out
}

func (h *Handler) directoryEditView(w http.ResponseWriter, r *http.Request, status int, title string, p directoryEditPage, f *ui.Form) error {
	crumbs := []Crumb{{"/annuaire", "Annuaire partenarial"}}
	if p.Structure != nil {
		crumbs = append(crumbs, Crumb{directoryStructureURL(p.Structure.ID), p.Structure.Nom})
	}
	crumbs = append(crumbs, Crumb{"", title})
	p.Page = h.page(w, r, title, "annuaire", crumbs...)
	p.Form = f
	if oh, err := maillon.ParseOpeningHours(f.Get("horaires_accueil")); err == nil {
		p.HoursFrench = oh.French()
	}
	p.Reseaux = options(maillon.DIReseauxPorteurs, "")
	p.Types = options(maillon.DITypesService, "Non précisé")
	p.Thematiques = thematiqueChoices()
	p.Publics = options(maillon.DIPublics, "")
	p.Frais = options(maillon.DIFrais, "Non précisé")
	p.Accueil = options(maillon.DIModesAccueil, "")
	p.Mobilis = options(maillon.DIModesMobilisation, "")
	p.MobilisPar = options(maillon.DIMobilisablePar, "")
	name := "annuaire/structure_form"
	if p.Structure != nil && p.Action != directoryStructureURL(p.Structure.ID) {
		name = "annuaire/service_form"
	}
	return h.render(w, status, name, p)
}

// postedDirectoryForm copies the posted fields into a form.
func postedDirectoryForm(r *http.Request, fields []string) *ui.Form {
	f := ui.NewForm(fields...)
	for _, k := range fields {
		if directoryListFields[k] {
			f.SetAll(k, r.PostForm[k])
		} else {
			f.Set(k, r.PostForm.Get(k))
		}
	}
	return f
}

// formNumber reads an optional decimal number written with a comma or a
// point; a malformed one is a field error.
func formNumber(fe maillon.FieldErrors, f *ui.Form, name, msg string) *float64 {
	v := strings.ReplaceAll(strings.TrimSpace(f.Get(name)), ",", ".")
	if v == "" {
		return nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || len(v) > 30 {
		fe[name] = msg
		return nil
	}
	return &n
}

func formList(f *ui.Form, name string) []string {
	if f.Get(name) == "" {
		return nil
	}
	return strings.Split(f.Get(name), ",")
}

// structureFromForm builds the structure a form describes; parse errors
// of its numbers are returned apart.
func structureFromForm(f *ui.Form) (maillon.DirectoryStructure, maillon.FieldErrors) {
	fe := maillon.FieldErrors{}
	s := maillon.DirectoryStructure{Nom: f.Get("nom"), Siret: f.Get("siret"), Description: f.Get("description"),
		Telephone: f.Get("telephone"), Courriel: f.Get("courriel"), SiteWeb: f.Get("site_web"),
		HorairesAccueil: f.Get("horaires_accueil"), AccessibiliteLieu: f.Get("accessibilite_lieu"),
		ReseauxPorteurs: formList(f, "reseaux_porteurs"), Adresse: f.Get("adresse"), ComplementAdresse: f.Get("complement_adresse"),
		CodePostal: f.Get("code_postal"), Commune: f.Get("commune"), CodeInsee: f.Get("code_insee"), LienSource: f.Get("lien_source")}
	s.Latitude = formNumber(fe, f, "latitude", "La latitude est un nombre décimal, par exemple 45,7578.")
	s.Longitude = formNumber(fe, f, "longitude", "La longitude est un nombre décimal, par exemple 4,8320.")
	return s, fe
}

func serviceFromForm(f *ui.Form) (maillon.DirectoryService, maillon.FieldErrors) {
	fe := maillon.FieldErrors{}
	s := maillon.DirectoryService{Nom: f.Get("nom"), Description: f.Get("description"), Type: f.Get("type"),
		Thematiques: formList(f, "thematiques"), Publics: formList(f, "publics"), PublicsPrecisions: f.Get("publics_precisions"),
		Frais: f.Get("frais"), FraisPrecisions: f.Get("frais_precisions"), ConditionsAcces: f.Get("conditions_acces"),
		ModesAccueil: formList(f, "modes_accueil"), ModesMobilisation: formList(f, "modes_mobilisation"),
		MobilisablePar: formList(f, "mobilisable_par"), MobilisationPrecisions: f.Get("mobilisation_precisions"),
		LienMobilisation: f.Get("lien_mobilisation"), ContactNomPrenom: f.Get("contact_nom_prenom"),
		Telephone: f.Get("telephone"), Courriel: f.Get("courriel"), HorairesAccueil: f.Get("horaires_accueil"),
		Adresse: f.Get("adresse"), ComplementAdresse: f.Get("complement_adresse"), CodePostal: f.Get("code_postal"),
		Commune: f.Get("commune"), CodeInsee: f.Get("code_insee"), LienSource: f.Get("lien_source")}
	s.ZoneEligibilite = strings.FieldsFunc(f.Get("zone_eligibilite"), func(r rune) bool {
		return r == ',' || r == ' ' || r == ';' || r == '\n' || r == '\r'
	})
	if v := strings.TrimSpace(f.Get("nombre_semaines")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 520 {
			fe["nombre_semaines"] = "Le nombre de semaines est un nombre entier de 1 à 520."
		} else {
			s.NombreSemaines = &n
		}
	}
	s.VolumeHoraireHebdomadaire = formNumber(fe, f, "volume_horaire_hebdomadaire", "Le volume horaire hebdomadaire est un nombre d'heures, par exemple 2,5.")
	s.Latitude = formNumber(fe, f, "latitude", "La latitude est un nombre décimal, par exemple 45,7578.")
	s.Longitude = formNumber(fe, f, "longitude", "La longitude est un nombre décimal, par exemple 4,8320.")
	return s, fe
}

// withLocalErrors merges the form's own parse errors with the domain's
// checks of the rest, so that one answer lists every problem.
func withLocalErrors(fe maillon.FieldErrors, validate func() error) error {
	if len(fe) == 0 {
		return nil
	}
	for k, v := range maillon.FieldsOf(validate()) {
		if _, ok := fe[k]; !ok {
			fe[k] = v
		}
	}
	return fe.Err()
}

func structureForm(s *maillon.DirectoryStructure) *ui.Form {
	f := ui.NewForm(directoryStructureFields...)
	f.Set("nom", s.Nom).Set("siret", s.Siret).Set("description", s.Description).Set("telephone", s.Telephone).
		Set("courriel", s.Courriel).Set("site_web", s.SiteWeb).Set("horaires_accueil", s.HorairesAccueil).
		Set("accessibilite_lieu", s.AccessibiliteLieu).SetAll("reseaux_porteurs", s.ReseauxPorteurs).Set("adresse", s.Adresse).
		Set("complement_adresse", s.ComplementAdresse).Set("code_postal", s.CodePostal).Set("commune", s.Commune).
		Set("code_insee", s.CodeInsee).Set("latitude", formatCoord(s.Latitude)).Set("longitude", formatCoord(s.Longitude)).
		Set("lien_source", s.LienSource)
	return f
}

func serviceForm(s *maillon.DirectoryService) *ui.Form {
	f := ui.NewForm(directoryServiceFields...)
	f.Set("nom", s.Nom).Set("description", s.Description).Set("type", s.Type).SetAll("thematiques", s.Thematiques).
		SetAll("publics", s.Publics).Set("publics_precisions", s.PublicsPrecisions).Set("frais", s.Frais).
		Set("frais_precisions", s.FraisPrecisions).Set("conditions_acces", s.ConditionsAcces).
		SetAll("modes_accueil", s.ModesAccueil).SetAll("modes_mobilisation", s.ModesMobilisation).
		SetAll("mobilisable_par", s.MobilisablePar).Set("mobilisation_precisions", s.MobilisationPrecisions).
		Set("lien_mobilisation", s.LienMobilisation).Set("contact_nom_prenom", s.ContactNomPrenom).
		Set("telephone", s.Telephone).Set("courriel", s.Courriel).Set("horaires_accueil", s.HorairesAccueil).
		Set("zone_eligibilite", strings.Join(s.ZoneEligibilite, ", ")).Set("adresse", s.Adresse).
		Set("complement_adresse", s.ComplementAdresse).Set("code_postal", s.CodePostal).Set("commune", s.Commune).
		Set("code_insee", s.CodeInsee).Set("latitude", formatCoord(s.Latitude)).Set("longitude", formatCoord(s.Longitude)).
		Set("lien_source", s.LienSource)
	if s.NombreSemaines != nil {
		f.Set("nombre_semaines", strconv.Itoa(*s.NombreSemaines))
	}
	if v := s.VolumeHoraireHebdomadaire; v != nil {
		f.Set("volume_horaire_hebdomadaire", strings.Replace(strconv.FormatFloat(*v, 'f', -1, 64), ".", ",", 1))
	}
	return f
}

func formatCoord(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// ---------------------------------------------------------------------
// Structures.

func (h *Handler) handleDirectoryStructureNew(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanViewTeamData(actor(r).StructureID) {
		return maillon.Forbidden()
	}
	return h.directoryEditView(w, r, http.StatusOK, "Nouvelle structure", directoryEditPage{Action: "/annuaire/structures"},
		ui.NewForm(directoryStructureFields...))
}

func (h *Handler) handleDirectoryStructureEdit(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := h.svc.Directory.FindDirectoryStructure(r.Context(), actor(r), maillon.DirectoryStructureID(n))
	if err != nil {
		return err
	}
	return h.directoryEditView(w, r, http.StatusOK, "Modifier la fiche", directoryEditPage{Structure: s, Action: directoryStructureURL(s.ID)},
		structureForm(s))
}

func (h *Handler) handleDirectoryStructureCreate(w http.ResponseWriter, r *http.Request) error {
	return h.directoryStructureSave(w, r, 0)
}

func (h *Handler) handleDirectoryStructureUpdate(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	return h.directoryStructureSave(w, r, maillon.DirectoryStructureID(n))
}

func (h *Handler) directoryStructureSave(w http.ResponseWriter, r *http.Request, id maillon.DirectoryStructureID) error {
	a := actor(r)
	p := directoryEditPage{Action: "/annuaire/structures"}
	title := "Nouvelle structure"
	var old *maillon.DirectoryStructure
	if id != 0 {
		var err error
		if old, err = h.svc.Directory.FindDirectoryStructure(r.Context(), a, id); err != nil {
			return err
		}
		p.Structure, p.Action, title = old, directoryStructureURL(id), "Modifier la fiche"
	}
	f := postedDirectoryForm(r, directoryStructureFields)
	s, fe := structureFromForm(f)
	s.ID = id
	if old != nil {
		// The form does not hold the temporary information: keep it.
		s.Temporary = old.Temporary
	}
	err := withLocalErrors(fe, func() error {
		c := s
		c.Source, c.DIID, c.DateMaj = maillon.LocalSource, "x", h.now()
		return c.Validate()
	})
	if err == nil {
		id, err = h.svc.Directory.SaveDirectoryStructure(r.Context(), a, s)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "nom")
		return h.directoryEditView(w, r, http.StatusUnprocessableEntity, title, p, f)
	}
	h.setFlash(w, "La fiche de la structure est enregistrée.")
	http.Redirect(w, r, directoryStructureURL(id), http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// Services.

func directoryServiceURL(id maillon.DirectoryServiceID) string {
	return "/annuaire/services/" + strconv.FormatInt(int64(id), 10)
}

func (h *Handler) handleDirectoryServiceNew(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	s, err := h.svc.Directory.FindDirectoryStructure(r.Context(), a, maillon.DirectoryStructureID(n))
	if err != nil {
		return err
	}
	if !a.CanViewTeamData(a.StructureID) {
		return maillon.Forbidden()
	}
	return h.directoryEditView(w, r, http.StatusOK, "Nouveau service", directoryEditPage{Structure: s,
		Action: directoryStructureURL(s.ID) + "/services"}, ui.NewForm(directoryServiceFields...))
}

func (h *Handler) handleDirectoryServiceEdit(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	sv, err := h.svc.Directory.FindDirectoryService(r.Context(), a, maillon.DirectoryServiceID(n))
	if err != nil {
		return err
	}
	s, err := h.svc.Directory.FindDirectoryStructure(r.Context(), a, sv.StructureID)
	if err != nil {
		return err
	}
	return h.directoryEditView(w, r, http.StatusOK, "Modifier le service", directoryEditPage{Structure: s, ServiceID: sv.ID,
		Action: directoryServiceURL(sv.ID)}, serviceForm(sv))
}

func (h *Handler) handleDirectoryServiceCreate(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := h.svc.Directory.FindDirectoryStructure(r.Context(), actor(r), maillon.DirectoryStructureID(n))
	if err != nil {
		return err
	}
	return h.directoryServiceSave(w, r, s, 0, "Nouveau service", directoryStructureURL(s.ID)+"/services")
}

func (h *Handler) handleDirectoryServiceUpdate(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	sv, err := h.svc.Directory.FindDirectoryService(r.Context(), a, maillon.DirectoryServiceID(n))
	if err != nil {
		return err
	}
	s, err := h.svc.Directory.FindDirectoryStructure(r.Context(), a, sv.StructureID)
	if err != nil {
		return err
	}
	return h.directoryServiceSave(w, r, s, sv.ID, "Modifier le service", directoryServiceURL(sv.ID))
}

func (h *Handler) directoryServiceSave(w http.ResponseWriter, r *http.Request, st *maillon.DirectoryStructure, id maillon.DirectoryServiceID, title, action string) error {
	f := postedDirectoryForm(r, directoryServiceFields)
	sv, fe := serviceFromForm(f)
	sv.ID, sv.StructureID = id, st.ID
	err := withLocalErrors(fe, func() error {
		c := sv
		c.Source, c.DIID, c.DIStructureID, c.DateMaj = maillon.LocalSource, "x", "x", h.now()
		return c.Validate()
	})
	if err == nil {
		_, err = h.svc.Directory.SaveDirectoryService(r.Context(), actor(r), sv)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "nom")
		return h.directoryEditView(w, r, http.StatusUnprocessableEntity, title, directoryEditPage{Structure: st, ServiceID: id, Action: action}, f)
	}
	h.setFlash(w, "Le service est enregistré.")
	http.Redirect(w, r, directoryStructureURL(st.ID)+"#services", http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// Contacts and settings.

func (h *Handler) handleDirectoryContactDelete(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	back := formID[maillon.DirectoryStructureID](r.PostForm.Get("structure"))
	if err := h.svc.Directory.DeleteDirectoryContact(r.Context(), actor(r), maillon.DirectoryContactID(n)); err != nil {
		return err
	}
	h.setFlash(w, "Le contact est retiré.")
	to := "/annuaire"
	if back > 0 {
		to = directoryStructureURL(back) + "#contacts"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// directorySettingsFields are the thresholds form's fields.
var directorySettingsFields = []string{"to_check_months", "obsolete_months"}

func (h *Handler) handleDirectorySettings(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(directorySettingsFields...)
	for _, k := range directorySettingsFields {
		f.Set(k, r.PostForm.Get(k))
	}
	var ds maillon.DirectorySettings
	fe := maillon.FieldErrors{}
	var err error
	if ds.ToCheckMonths, err = strconv.Atoi(strings.TrimSpace(f.Get("to_check_months"))); err != nil {
		fe["to_check_months"] = "Indiquez un nombre de mois, de 1 à 60."
	}
	if ds.ObsoleteMonths, err = strconv.Atoi(strings.TrimSpace(f.Get("obsolete_months"))); err != nil {
		fe["obsolete_months"] = "Indiquez un nombre de mois, de 2 à 120."
	}
	err = withLocalErrors(fe, ds.Validate)
	if err == nil {
		err = h.svc.Directory.SetDirectorySettings(r.Context(), actor(r), ds)
	}
	if errors.Is(err, maillon.ErrInvalid) {
		f.Errors = errorsOrMessage(err, "to_check_months")
		return h.directoryReviewView(w, r, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "Les seuils de fraîcheur sont enregistrés.")
	http.Redirect(w, r, "/annuaire/revue", http.StatusSeeOther)
	return nil
}
