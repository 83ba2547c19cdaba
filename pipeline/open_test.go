package pipeline

import "github.com/saring/saring/formats"

func formatsOpen(path string) (formats.Reader, error) {
	return formats.Open(path, formats.ReadOptions{}, nil)
}
