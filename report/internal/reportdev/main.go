// Command reportdev runs the report and the viewer without the full saring
// command line, for scripts/screenshots.sh on a tree where they are not
// wired in yet:
//
//	go run ./report/internal/reportdev report OUTDIR
//	go run ./report/internal/reportdev serve OUTDIR 127.0.0.1:8080
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/saring/saring/report"
	"github.com/saring/saring/report/viewer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "reportdev:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	switch {
	case len(args) == 2 && args[0] == "report":
		sum, err := report.Generate(ctx, report.Options{OutDir: args[1]})
		if err == nil {
			fmt.Println("wrote", sum.Output)
		}
		return err
	case len(args) == 3 && args[0] == "serve":
		return viewer.Serve(ctx, viewer.Options{OutDir: args[1], Addr: args[2], Log: os.Stderr})
	}
	return fmt.Errorf("usage: reportdev report OUTDIR | reportdev serve OUTDIR ADDR")
}
