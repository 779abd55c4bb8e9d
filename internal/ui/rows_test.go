package ui

import (
	"strings"
	"testing"
	"time"

	"maillon"
)

func TestTimelineEscapesEveryValue(t *testing.T) {
	at := time.Date(2026, 3, 10, 13, 5, 0, 0, time.UTC)
	got := string(Timeline([]maillon.TimelineEntry{
		{At: at, Title: `<script>alert("t")</script>`, Detail: `a & b <img src=x onerror=alert(1)>`, URL: "/interventions/4"},
		{At: at, Title: "Note", URL: `javascript:alert(1)`, Private: true},
		{At: at, Title: "Lien", URL: `//evil.example/x`},
		{At: at, Title: "Guillemets", URL: `/people/1" onmouseover="x`},
	}))
	for _, bad := range []string{"<script", "<img", "javascript:", "evil.example", `" onmouseover`} {
		if strings.Contains(got, bad) {
			t.Errorf("output holds %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{
		`<li><time datetime="2026-03-10T14:05:00+01:00">10 mars 2026 à 14 h 05</time> – <a href="/interventions/4">&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;</a><br><span class="hint">a &amp; b &lt;img src=x onerror=alert(1)&gt;</span></li>`,
		`Note <span class="badge">visible par vous seul·e</span>`,
		`– Lien</li>`,
		`– Guillemets</li>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "<li>"); n != 4 {
		t.Errorf("%d items, want 4", n)
	}
}

func TestNavEscapesAndMarksTheCurrentEntry(t *testing.T) {
	got := string(Nav([]NavItem{
		{URL: "/", Label: "Accueil"},
		{URL: "/people", Label: "Personnes <b>", Current: true},
		{URL: "javascript:alert(1)", Label: "Piège"},
	}))
	want := "<li><a href=\"/\">Accueil</a></li>\n<li><a href=\"/people\" aria-current=\"page\">Personnes &lt;b&gt;</a></li>\n"
	if got != want {
		t.Errorf("Nav =\n%s\nwant\n%s", got, want)
	}
}
