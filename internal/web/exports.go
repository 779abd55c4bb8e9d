package web

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"maillon"
	"maillon/internal/export"
	"maillon/internal/ui"
)

// Exports (/exports): a form, and the download of one row per fact as
// CSV or XLSX. The download is a POST with the CSRF token: it is audited,
// and a nominative one hands people's names out of Maillon.

type exportsPage struct {
	Page
	Kinds, Teams, Mediators, Formats, Separators []ui.Option
	// Nominative is true for coordinators and administrators, who may
	// ask for names; ScopeAll tells whether the export holds the whole
	// structure's facts or the actor's and their team's.
	Nominative, ScopeAll bool
	Tables               []*maillon.ExportTable
}

func (h *Handler) exportsView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form) error {
	a := actor(r)
	p := exportsPage{Page: h.page(w, r, "Exports", "exports"), Kinds: options(maillon.ExportKinds(), ""),
		Formats: options(maillon.ExportFormats, ""), Separators: options(maillon.ExportSeparators, ""),
		Nominative: a.CanExportNominative(a.StructureID), ScopeAll: a.ExportScopeAll(a.StructureID),
		Tables: maillon.ExportTables}
	p.Form = f
	var err error
	if p.Teams, err = h.teamOptions(r, "Toutes les équipes"); err != nil {
		return err
	}
	if p.Mediators, err = h.memberOptions(r, "Toute l'équipe"); err != nil {
		return err
	}
	return h.render(w, status, "exports/index", p)
}

// handleExportIndex shows the form, the period defaulting to the current
// calendar year. Query parameters named like the fields prefill it, so
// that a report can link to the export of its own figures; they are only
// checked when the form is sent. The nominative option is never
// prefilled; "external" may be, as it only hides more.
func (h *Handler) handleExportIndex(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.ExportFields...)
	year := maillon.InParis(h.now()).Year()
	f.Set("kind", maillon.ExportInterventions).Set("format", "csv").Set("separator", ";").
		Set("from", fmt.Sprintf("%d-01-01", year)).Set("to", fmt.Sprintf("%d-01-01", year+1))
	q := r.URL.Query()
	for _, k := range maillon.ExportFields {
		if v := q.Get(k); v != "" && k != "nominative" {
			f.Set(k, v)
		}
	}
	return h.exportsView(w, r, http.StatusOK, f)
}

// handleExportCreate streams the file. Errors found before the first byte
// (validation, rights, the XLSX row limit) re-render the form or give the
// error page; an error while streaming can only cut the download short.
func (h *Handler) handleExportCreate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	pf := r.PostForm
	f := ui.NewForm(maillon.ExportFields...)
	for _, k := range maillon.ExportFields {
		f.Set(k, pf.Get(k))
	}
	in := maillon.ExportInput{Kind: pf.Get("kind"), From: pf.Get("from"), To: pf.Get("to"),
		TeamID: formID[maillon.TeamID](pf.Get("team_id")), MediatorID: formID[maillon.UserID](pf.Get("mediator_id")),
		Format: pf.Get("format"), Separator: pf.Get("separator"), Nominative: checked(pf.Get("nominative")),
		Shared: checked(pf.Get("external"))}
	o, err := in.Validate()
	if err == nil && o.Format == "xlsx" {
		o.StructureID = a.StructureID
		err = h.checkXLSXRows(r, a, o)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "format")
		return h.exportsView(w, r, http.StatusUnprocessableEntity, f)
	}
	o.StructureID = a.StructureID
	// A large export takes longer than the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	out := &downloadWriter{w: w, name: o.FileName(), contentType: export.ContentType(o.Format)}
	xw, err := export.New(out, o)
	if err != nil {
		return err
	}
	err = h.svc.Exports.Export(r.Context(), a, o, xw)
	if err == nil {
		err = xw.Close()
	}
	if err != nil && out.sent {
		// Headers and part of the file are gone: abort the connection so
		// that the browser reports a failed download, not a short file.
		h.log.Error("export interrupted", "err", err, "request_id", a.RequestID)
		panic(http.ErrAbortHandler)
	}
	return err
}

// checkXLSXRows refuses an XLSX export with a table larger than a sheet,
// before anything is sent.
func (h *Handler) checkXLSXRows(r *http.Request, a maillon.Actor, o maillon.ExportOptions) error {
	counts, err := h.svc.Exports.CountExport(r.Context(), a, o)
	if err != nil {
		return err
	}
	for i, n := range counts {
		if n > maillon.MaxXLSXRows {
			return export.TooManyRows(o.Tables[i].Label)
		}
	}
	return nil
}

// downloadWriter sets the download headers on the first write, so that an
// error found before it can still render a page.
type downloadWriter struct {
	w                 http.ResponseWriter
	name, contentType string
	sent              bool
}

func (d *downloadWriter) Write(b []byte) (int, error) {
	if !d.sent {
		d.sent = true
		hd := d.w.Header()
		hd.Set("Content-Type", d.contentType)
		hd.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
		hd.Set("Cache-Control", "no-store")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(b)
}

var _ io.Writer = (*downloadWriter)(nil)
