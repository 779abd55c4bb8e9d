package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/httpx"
)

// siteURL is the scheme and host the request reached, for absolute
// addresses in feeds and in the network feed's address.
func (h *Handler) siteURL(r *http.Request) string {
	scheme := "http"
	if h.opt.SecureCookies || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Atom (RFC 4287) elements, written with encoding/xml so that every value
// is escaped.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    string         `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
}

// atomTime is the RFC 3339 form Atom requires.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// entryText is an item's content as plain text: the content, then its
// source, link, area and validity.
func entryText(i maillon.Info) string {
	var b strings.Builder
	b.WriteString(i.Content)
	add := func(label, v string) {
		if v != "" {
			b.WriteString("\n" + label + " : " + v)
		}
	}
	b.WriteString("\n")
	add("Source", i.Source)
	add("Lien", i.Link)
	add("Territoire", i.AreaName)
	add("Thèmes", strings.Join(i.ThemeLabels(), ", "))
	if !i.ValidUntil.IsZero() {
		add("Valable jusqu'au", i.ValidUntil.Format("02/01/2006"))
	}
	return b.String()
}

// writeAtom renders a feed. Entry IDs are tag URIs (RFC 4151) built from
// the host and the item's ID, stable when its content changes; the feed's
// own ID is its address without the secret token for the network feed.
func (h *Handler) writeAtom(w http.ResponseWriter, r *http.Request, f *maillon.Feed, self, id string) error {
	site := h.siteURL(r)
	host := tagHost(r)
	title := "Fiches d'information – " + f.StructureName
	if f.Level == maillon.InfoReseau {
		title += " (réseau partenaire)"
	}
	feed := atomFeed{Lang: "fr", ID: id, Title: title, Updated: atomTime(f.Updated),
		Subtitle: "Informations pratiques partagées par la médiation sociale, tenues à jour et datées.",
		Author:   atomPerson{Name: f.StructureName},
		Links:    []atomLink{{Rel: "self", Href: self, Type: "application/atom+xml"}, {Rel: "alternate", Href: site + "/", Type: "text/html"}}}
	for _, i := range f.Items {
		e := atomEntry{
			ID:        "tag:" + host + "," + i.CreatedAt.UTC().Format("2006-01-02") + ":maillon/info/" + strconv.FormatInt(int64(i.ID), 10),
			Title:     i.Title,
			Updated:   atomTime(i.UpdatedAt),
			Published: atomTime(i.CreatedAt),
			Content:   atomText{Type: "text", Body: entryText(i)},
		}
		if i.Link != "" {
			e.Links = append(e.Links, atomLink{Rel: "related", Href: i.Link})
		}
		// The item's page is for logged-in members; a feed reader gets
		// the whole content, and the alternate link is the source.
		e.Links = append(e.Links, atomLink{Rel: "alternate", Href: site + infoURL(i.ID), Type: "text/html"})
		for _, t := range i.Themes {
			e.Categories = append(e.Categories, atomCategory{Term: t, Label: maillon.Themes.Label(t)})
		}
		feed.Entries = append(feed.Entries, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if f.Level == maillon.InfoReseau {
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		w.Header().Set("Referrer-Policy", "no-referrer")
	}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

// tagHost is the request's host without its port, for tag URIs.
func tagHost(r *http.Request) string {
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return host
}

// feedName reads "{name}.atom" from the path.
func feedName(r *http.Request) (string, error) {
	v, ok := strings.CutSuffix(r.PathValue("file"), ".atom")
	if !ok || v == "" {
		return "", maillon.NotFound("Flux")
	}
	return v, nil
}

// handlePublicFeed serves /flux/public/{id}.atom: the structure's public
// items, without authentication.
func (h *Handler) handlePublicFeed(w http.ResponseWriter, r *http.Request) error {
	name, err := feedName(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(name, 10, 64)
	if err != nil || id <= 0 {
		return maillon.NotFound("Flux")
	}
	f, err := h.svc.Infos.FindPublicFeed(r.Context(), maillon.StructureID(id))
	if err != nil {
		return err
	}
	self := h.siteURL(r) + "/flux/public/" + name + ".atom"
	return h.writeAtom(w, r, f, self, self)
}

// handleNetworkFeed serves /flux/reseau/{token}.atom: the token is the
// credential; the store resolves it by its hash and audits the read.
func (h *Handler) handleNetworkFeed(w http.ResponseWriter, r *http.Request) error {
	token, err := feedName(r)
	if err != nil {
		return err
	}
	f, err := h.svc.Infos.FindNetworkFeed(r.Context(), token, httpx.RequestID(r.Context()))
	if err != nil {
		return err
	}
	self := h.siteURL(r) + "/flux/reseau/" + token + ".atom"
	id := "tag:" + tagHost(r) + ",2026:maillon/reseau/" + strconv.FormatInt(int64(f.StructureID), 10)
	return h.writeAtom(w, r, f, self, id)
}
