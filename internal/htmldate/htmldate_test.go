package htmldate

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestFromDocument(t *testing.T) {
	tests := []struct {
		name, page, url string
		original        bool
		want            string
	}{
		{"meta published", `<meta property="article:published_time" content="2024-03-05T08:30:00+07:00">`, "", true, "2024-03-05T08:30:00+07:00"},
		{"modified preferred when not original", `<meta property="article:published_time" content="2024-03-05"><meta property="article:modified_time" content="2024-03-09">`, "", false, "2024-03-09T00:00:00Z"},
		{"original preferred", `<meta property="article:published_time" content="2024-03-05"><meta property="article:modified_time" content="2024-03-09">`, "", true, "2024-03-05T00:00:00Z"},
		{"time tag", `<p>Posted <time datetime="2023-07-23">Minggu</time></p>`, "", true, "2023-07-23T00:00:00Z"},
		{"json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","dateModified":"2023-08-01","datePublished":"2023-07-24T10:00:00Z"}</script>`, "", true, "2023-07-24T10:00:00Z"},
		{"url", `<p>no dates</p>`, "https://news.example/2022/11/03/story.html", true, "2022-11-03T00:00:00Z"},
		{"implausible", `<meta name="date" content="1890-01-01">`, "", true, ""},
		{"none", `<p>nothing</p>`, "https://x.example/about", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := html.Parse(strings.NewReader("<html><head></head><body>" + tt.page + "</body></html>"))
			r, err := FromDocument(doc, Options{URL: tt.url, UseOriginalDate: tt.original})
			if tt.want == "" {
				if err == nil {
					t.Fatalf("found %v", r.DateTime)
				}
				return
			}
			if err != nil || r.DateTime.Format(time.RFC3339) != tt.want {
				t.Fatalf("got %v %v, want %s", r.DateTime.Format(time.RFC3339), err, tt.want)
			}
		})
	}
}
