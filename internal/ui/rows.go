package ui

import (
	"html"
	"html/template"
	"strings"

	"maillon"
)

// Timeline renders the entries of a person's timeline as the <li> items of
// its list. A person followed for years has hundreds of entries, and
// html/template spends about a microsecond of reflection per action: the
// rows alone cost 6 ms a page. Here each row is one pass of string
// building, every value escaped with html.EscapeString (text and quoted
// attributes alike), and a link kept only when it is a path of this site.
func Timeline(entries []maillon.TimelineEntry) template.HTML {
	var b strings.Builder
	b.Grow(len(entries) * 200)
	for _, e := range entries {
		b.WriteString(`<li><time datetime="`)
		b.WriteString(ISODateTime(e.At))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(DateTime(e.At)))
		b.WriteString("</time> – ")
		if localPath(e.URL) {
			b.WriteString(`<a href="`)
			b.WriteString(html.EscapeString(e.URL))
			b.WriteString(`">`)
			b.WriteString(html.EscapeString(e.Title))
			b.WriteString("</a>")
		} else {
			b.WriteString(html.EscapeString(e.Title))
		}
		if e.Private {
			b.WriteString(` <span class="badge">visible par vous seul·e</span>`)
		}
		if e.Detail != "" {
			b.WriteString(`<br><span class="hint">`)
			b.WriteString(html.EscapeString(e.Detail))
			b.WriteString("</span>")
		}
		b.WriteString("</li>\n")
	}
	return template.HTML(b.String()) // every value above is escaped
}

// NavItem is an entry of the main navigation.
type NavItem struct {
	URL, Label string
	Current    bool
}

// Nav renders the <li> items of the main navigation, on every page: like
// Timeline, one escaped pass instead of four template actions per entry.
func Nav(items []NavItem) template.HTML {
	var b strings.Builder
	b.Grow(len(items) * 60)
	for _, it := range items {
		if !localPath(it.URL) {
			continue
		}
		b.WriteString(`<li><a href="`)
		b.WriteString(html.EscapeString(it.URL))
		b.WriteString(`"`)
		if it.Current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(">")
		b.WriteString(html.EscapeString(it.Label))
		b.WriteString("</a></li>\n")
	}
	return template.HTML(b.String()) // every value above is escaped
}

// localPath accepts "/" and "/people/12" but not "//host", "javascript:…" or a
// path with characters a URL would need encoded.
func localPath(u string) bool {
	if u == "/" {
		return true
	}
	if len(u) < 2 || u[0] != '/' || u[1] == '/' || u[1] == '\\' {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' {
			return false
		}
	}
	return true
}
