package extract

import (
	"strings"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
)

func wholeText(page string) string {
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return ""
	}
	return renderText(root, false)
}

func readabilityText(page string) string {
	art, err := readability.FromReader(strings.NewReader(page), nil)
	if err != nil || art.Node == nil {
		return ""
	}
	return renderText(art.Node, false)
}
