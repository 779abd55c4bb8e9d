package web

import (
	"net/http"
	"strconv"

	"maillon"
	"maillon/internal/ui"
)

// The directory's upload page: the same parser and store method as
// `maillon annuaire import`, for a file small enough to send through the
// browser. Rows are checked one by one: the valid ones are written in one
// transaction, the others listed with their line and reasons.

type directoryImportPage struct {
	Page
	ImportForm *ui.Form
	Formats    []ui.Option
	// MaxSize is the largest file the page takes, in French ("2 Mo").
	MaxSize string
	Report  *maillon.DirectoryImportReport
}

// directoryImportFormats are the file formats of the page.
var directoryImportFormats = maillon.Choices{
	{Code: "json", Label: "JSON data·inclusion (liste de structures et de services, comme l'API et les fichiers open data)"},
	{Code: "csv", Label: "CSV avec une ligne d'en-tête nommant les champs data·inclusion"},
}

// uploadLimit is the largest file the server accepts: the request body
// limit (MAILLON_MAX_BODY) or the importers' own bound, the lower.
func (h *Handler) uploadLimit() int64 {
	n := int64(maillon.MaxImportBytes)
	if m := h.opt.MaxBodyBytes; m > 0 && m < n {
		n = m
	}
	return n
}

// frenchSize writes a byte count in Mo or Ko, rounded down.
func frenchSize(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " Mo"
	}
	return strconv.FormatInt(n>>10, 10) + " Ko"
}

func (h *Handler) directoryImportView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, rep *maillon.DirectoryImportReport) error {
	p := directoryImportPage{Page: h.page(w, r, "Importer des données dans l'annuaire", "annuaire",
		Crumb{"/annuaire", "Annuaire partenarial"}, Crumb{"", "Importer"}),
		ImportForm: f, Formats: options(directoryImportFormats, ""), MaxSize: frenchSize(h.uploadLimit()), Report: rep}
	if f.HasErrors() {
		p.Form = f
	}
	return h.render(w, status, "annuaire/import", p)
}

func (h *Handler) handleDirectoryImportNew(w http.ResponseWriter, r *http.Request) error {
	return h.directoryImportView(w, r, http.StatusOK, ui.NewForm("format", "file").Set("format", "json"), nil)
}

func (h *Handler) handleDirectoryImport(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("format", "file")
	format := r.PostForm.Get("format")
	f.Set("format", format)
	data, err := uploadedFile(r, "file")
	if err != nil {
		return err
	}
	var ds *maillon.DirectoryDataset
	switch {
	case !directoryImportFormats.Valid(format):
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Choisissez le format du fichier.",
			Fields: map[string]string{"format": "Choisissez le format du fichier : JSON ou CSV."}}
	case len(data) == 0:
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Choisissez un fichier.",
			Fields: map[string]string{"file": "Choisissez le fichier à importer."}}
	case int64(len(data)) > maillon.MaxImportBytes:
		msg := "Le fichier dépasse " + frenchSize(maillon.MaxImportBytes) + " : importez-le avec la commande maillon annuaire import."
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"file": msg}}
	case format == "csv":
		ds, err = maillon.ParseDataInclusionCSV(data)
	default:
		ds, err = maillon.ParseDataInclusionJSON(data)
	}
	if err == nil {
		var rep maillon.DirectoryImportReport
		rep, err = h.svc.Directory.ImportDirectory(r.Context(), actor(r), 0, ds, nil)
		if err == nil {
			f = ui.NewForm("format", "file").Set("format", format)
			return h.directoryImportView(w, r, http.StatusOK, f, &rep)
		}
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "file")
	return h.directoryImportView(w, r, http.StatusUnprocessableEntity, f, nil)
}
