package main

import (
	"io"
	"os"
)

func errOut() io.Writer { return os.Stderr }
