package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"maillon"
	"maillon/internal/ui"
)

// ---------------------------------------------------------------------
// The overview: every commune and zone with a link to its page.

type territoireIndexPage struct {
	Page
	Territory maillon.Territory
	Figures   map[maillon.AreaRef]int
	CanEdit   bool
}

// FigureCount is the number of key figures of an area.
func (p territoireIndexPage) FigureCount(c maillon.CommuneID, z maillon.ZoneID) int {
	if z > 0 {
		return p.Figures[maillon.AreaRef{ZoneID: z}]
	}
	return p.Figures[maillon.AreaRef{CommuneID: c}]
}

func (h *Handler) handleTerritoireIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	terr, err := h.svc.Structures.FindTerritory(r.Context(), a, a.StructureID)
	if err != nil {
		return err
	}
	figs, err := h.svc.Territory.FindTerritoryFigures(r.Context(), a)
	if err != nil {
		return err
	}
	p := territoireIndexPage{Page: h.page(w, r, "Territoire", "territoire"), Territory: terr, Figures: figs,
		CanEdit: a.CanAdminStructure(a.StructureID)}
	return h.render(w, http.StatusOK, "territoire/index", p)
}

// ---------------------------------------------------------------------
// The page of a commune or a zone, with its forms.

type areaPage struct {
	Page
	Area       *maillon.Area
	CanEdit    bool
	FigureForm *ui.Form
	ImportForm *ui.Form
	DiagForm   *ui.Form
	Report     *maillon.ImportReport
	Infos      []maillon.Info

	// The directory's partners located in the commune, and the latest
	// observations of the veille for the area (annuaire2).
	Partners      []maillon.DirectoryStructure
	PartnersTotal int
	Observations  []maillon.VeilleObservation
	ObsTotal      int
}

// areaRef reads the area of the path: /territoire/communes/{id} or
// /territoire/zones/{id}.
func areaRef(r *http.Request, zone bool) (maillon.AreaRef, error) {
	id, err := pathID(r)
	if err != nil {
		return maillon.AreaRef{}, err
	}
	if zone {
		return maillon.AreaRef{ZoneID: maillon.ZoneID(id)}, nil
	}
	return maillon.AreaRef{CommuneID: maillon.CommuneID(id)}, nil
}

// areaForms are the page's forms; the one that failed replaces its
// empty counterpart.
type areaForms struct {
	figure, imp, diag *ui.Form
	report            *maillon.ImportReport
}

func (h *Handler) areaView(w http.ResponseWriter, r *http.Request, status int, ref maillon.AreaRef, forms areaForms) error {
	a := actor(r)
	area, err := h.svc.Territory.FindArea(r.Context(), a, ref)
	if err != nil {
		return err
	}
	title := area.Name
	if area.IsZone() {
		title += " (" + area.Commune.Name + ")"
	}
	crumbs := []Crumb{{"/territoire", "Territoire"}}
	if area.IsZone() {
		crumbs = append(crumbs, Crumb{maillon.AreaRef{CommuneID: area.Commune.ID}.Path(), area.Commune.Name})
	}
	crumbs = append(crumbs, Crumb{"", area.Name})
	p := areaPage{Page: h.page(w, r, title, "territoire", crumbs...), Area: area, CanEdit: a.CanEditTerritory(area.StructureID),
		FigureForm: forms.figure, ImportForm: forms.imp, DiagForm: forms.diag, Report: forms.report}
	if p.FigureForm == nil {
		p.FigureForm = ui.NewForm(maillon.KeyFigureFields...)
	}
	if p.ImportForm == nil {
		p.ImportForm = ui.NewForm("file")
	}
	if p.DiagForm == nil {
		p.DiagForm = ui.NewForm(maillon.DiagnosticFields...)
		if d := area.Diagnostic; d != nil {
			p.DiagForm.Set("needs", d.Needs).Set("resources", d.Resources).Set("issues", d.Issues)
		}
	}
	for _, f := range []*ui.Form{forms.figure, forms.imp, forms.diag} {
		if f.HasErrors() {
			p.Form = f
		}
	}
	if p.Infos, err = h.svc.Infos.FindInfos(r.Context(), a, maillon.InfoFilter{Area: ref}); err != nil {
		return err
	}
	if err := h.areaLinks(r, &p, ref); err != nil {
		return err
	}
	return h.render(w, status, "territoire/area", p)
}

func (h *Handler) handleCommunePage(w http.ResponseWriter, r *http.Request) error {
	return h.areaShow(w, r, false)
}

func (h *Handler) handleZonePage(w http.ResponseWriter, r *http.Request) error {
	return h.areaShow(w, r, true)
}

func (h *Handler) areaShow(w http.ResponseWriter, r *http.Request, zone bool) error {
	ref, err := areaRef(r, zone)
	if err != nil {
		return err
	}
	return h.areaView(w, r, http.StatusOK, ref, areaForms{})
}

func (h *Handler) handleCommuneFigure(w http.ResponseWriter, r *http.Request) error {
	return h.figureCreate(w, r, false)
}

func (h *Handler) handleZoneFigure(w http.ResponseWriter, r *http.Request) error {
	return h.figureCreate(w, r, true)
}

func (h *Handler) figureCreate(w http.ResponseWriter, r *http.Request, zone bool) error {
	ref, err := areaRef(r, zone)
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.KeyFigureFields...)
	for _, k := range f.Order {
		f.Set(k, r.PostForm.Get(k))
	}
	in := maillon.KeyFigureInput{Label: f.Get("label"), Value: f.Get("value"), Unit: f.Get("unit"), Source: f.Get("source"), On: f.Get("on")}
	if _, err := h.svc.Territory.AddKeyFigure(r.Context(), actor(r), ref, in); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "label")
		return h.areaView(w, r, http.StatusUnprocessableEntity, ref, areaForms{figure: f})
	}
	h.setFlash(w, "Le chiffre clé a été ajouté.")
	http.Redirect(w, r, ref.Path()+"#chiffres", http.StatusSeeOther)
	return nil
}

func (h *Handler) handleCommuneFigureImport(w http.ResponseWriter, r *http.Request) error {
	return h.figureImport(w, r, false)
}

func (h *Handler) handleZoneFigureImport(w http.ResponseWriter, r *http.Request) error {
	return h.figureImport(w, r, true)
}

// uploadedFile reads the file of field name from a multipart form; a
// missing or empty file is nil.
func uploadedFile(r *http.Request, name string) ([]byte, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	file, _, err := r.FormFile(name)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, maillon.MaxImportBytes+1))
}

func (h *Handler) figureImport(w http.ResponseWriter, r *http.Request, zone bool) error {
	ref, err := areaRef(r, zone)
	if err != nil {
		return err
	}
	f := ui.NewForm("file")
	data, err := uploadedFile(r, "file")
	if err != nil {
		return err
	}
	var rep *maillon.ImportReport
	var n int
	if len(data) == 0 {
		// The area is checked first: another structure's is "not found".
		if _, err := h.svc.Territory.FindArea(r.Context(), actor(r), ref); err != nil {
			return err
		}
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Choisissez un fichier.", Fields: map[string]string{"file": "Choisissez un fichier CSV de chiffres clés."}}
	} else {
		var rows []maillon.KeyFigureInput
		rows, err = maillon.ParseKeyFiguresCSV(data, h.now())
		if err == nil {
			n, err = h.svc.Territory.ImportKeyFigures(r.Context(), actor(r), ref, rows)
		}
	}
	if err != nil {
		if rep = maillon.ReportOf(err); rep != nil {
			f.Errors["file"] = "Le fichier contient des erreurs, détaillées ligne par ligne sous le formulaire ; rien n'a été importé."
		} else if formError(err) {
			f.Errors = errorsOrMessage(err, "file")
		} else {
			return err
		}
		return h.areaView(w, r, http.StatusUnprocessableEntity, ref, areaForms{imp: f, report: rep})
	}
	h.setFlash(w, strconv.Itoa(n)+" "+pluralFR(n, "chiffre clé importé.", "chiffres clés importés."))
	http.Redirect(w, r, ref.Path()+"#chiffres", http.StatusSeeOther)
	return nil
}

func pluralFR(n int, one, many string) string {
	if n > 1 {
		return many
	}
	return one
}

func (h *Handler) handleFigureDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ref, err := h.svc.Territory.DeleteKeyFigure(r.Context(), actor(r), maillon.KeyFigureID(id))
	if err != nil {
		return err
	}
	h.setFlash(w, "Le chiffre clé a été retiré.")
	http.Redirect(w, r, ref.Path()+"#chiffres", http.StatusSeeOther)
	return nil
}

func (h *Handler) handleCommuneDiagnostic(w http.ResponseWriter, r *http.Request) error {
	return h.diagnosticSave(w, r, false)
}

func (h *Handler) handleZoneDiagnostic(w http.ResponseWriter, r *http.Request) error {
	return h.diagnosticSave(w, r, true)
}

func (h *Handler) diagnosticSave(w http.ResponseWriter, r *http.Request, zone bool) error {
	ref, err := areaRef(r, zone)
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.DiagnosticFields...)
	for _, k := range f.Order {
		f.Set(k, r.PostForm.Get(k))
	}
	in := maillon.DiagnosticInput{Needs: f.Get("needs"), Resources: f.Get("resources"), Issues: f.Get("issues")}
	if _, err := h.svc.Territory.SaveDiagnostic(r.Context(), actor(r), ref, in); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "needs")
		return h.areaView(w, r, http.StatusUnprocessableEntity, ref, areaForms{diag: f})
	}
	h.setFlash(w, "Le diagnostic a été enregistré ; la version précédente est conservée.")
	http.Redirect(w, r, ref.Path()+"#diagnostic", http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// Communes import on the administration's territory page.

func (h *Handler) handleCommuneImport(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	f := ui.NewForm("cog_file", "department")
	f.Set("department", r.PostForm.Get("department"))
	data, err := uploadedFile(r, "cog_file")
	if err != nil {
		return err
	}
	var res maillon.ImportResult
	var rep *maillon.ImportReport
	dep, msg := maillon.CleanText(f.Get("department"), 3, false)
	switch {
	case msg != "" || (dep != "" && !validDepartment(dep)):
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Département invalide.",
			Fields: map[string]string{"department": "Le département s'écrit avec 2 ou 3 caractères, par exemple 69, 2A ou 974."}}
	case len(data) == 0:
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Choisissez un fichier.", Fields: map[string]string{"cog_file": "Choisissez le fichier CSV des communes."}}
	default:
		var rows []maillon.CommuneRecord
		rows, err = maillon.ParseCommunesCSV(data, dep)
		if err == nil {
			res, err = h.svc.Territory.ImportCommunes(r.Context(), a, a.StructureID, rows)
		}
	}
	if err != nil {
		if rep = maillon.ReportOf(err); rep != nil {
			f.Errors["cog_file"] = "Le fichier contient des erreurs, détaillées ligne par ligne sous le formulaire ; rien n'a été importé."
		} else if formError(err) {
			f.Errors = errorsOrMessage(err, "cog_file")
		} else {
			return err
		}
		return h.territoryImportView(w, r, f, rep)
	}
	h.setFlash(w, "Import terminé : "+strconv.Itoa(res.Added)+" "+pluralFR(res.Added, "commune ajoutée", "communes ajoutées")+", "+
		strconv.Itoa(res.Updated)+" "+pluralFR(res.Updated, "mise à jour.", "mises à jour."))
	http.Redirect(w, r, "/admin/territory", http.StatusSeeOther)
	return nil
}

// validDepartment accepts 01–95, 2A, 2B and the overseas 971–989.
func validDepartment(d string) bool {
	switch len(d) {
	case 2:
		if d == "2A" || d == "2B" || d == "2a" || d == "2b" {
			return true
		}
		n, err := strconv.Atoi(d)
		return err == nil && n >= 1 && n <= 95
	case 3:
		n, err := strconv.Atoi(d)
		return err == nil && n >= 971 && n <= 989
	}
	return false
}

// areaPartnersShown and areaObservationsShown bound the lists of an area's
// page; the full lists are a link away.
const (
	areaPartnersShown     = 30
	areaObservationsShown = 10
)

// areaLinks fills the partners of the area's commune and the latest
// observations located in the area.
func (h *Handler) areaLinks(r *http.Request, p *areaPage, ref maillon.AreaRef) error {
	a := actor(r)
	var err error
	if p.Partners, p.PartnersTotal, err = h.svc.Directory.FindDirectoryStructuresIn(r.Context(), a, p.Area.Commune.INSEE, areaPartnersShown); err != nil {
		return err
	}
	f := maillon.VeilleObservationFilter{ZoneID: ref.ZoneID, CommuneID: ref.CommuneID, Limit: areaObservationsShown}
	p.Observations, p.ObsTotal, err = h.svc.Veille.FindObservations(r.Context(), a, f)
	return err
}
