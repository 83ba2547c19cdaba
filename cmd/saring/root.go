package main

import (
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/saring/saring"
	"github.com/saring/saring/internal/steps"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func saringVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}

type globalOptions struct {
	quiet     bool
	logFormat string
	logLevel  string
	cpuProf   string
}

func (g *globalOptions) logger() *slog.Logger {
	var w io.Writer = os.Stderr
	level := slog.LevelInfo
	switch g.logLevel {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	if g.quiet && level < slog.LevelWarn {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	if g.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// progressWriter is stderr when it is a terminal and progress is wanted.
func (g *globalOptions) progressWriter() io.Writer {
	if g.quiet || g.logFormat == "json" || !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	return os.Stderr
}

func newRootCommand() *cobra.Command { return newRoot(steps.All()) }

// newRoot is the command tree over reg: every command that builds steps is
// given reg, none builds its own.
func newRoot(reg *saring.Registry) *cobra.Command {
	g := &globalOptions{logFormat: "text", logLevel: "info"}
	root := &cobra.Command{
		Use:           "saring",
		Short:         "Turn web-crawled text into clean, deduplicated, language-tagged training data",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", g.quiet, "no progress display and only warnings in the log")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", g.logFormat, "log format: text or json")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", g.logLevel, "log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&g.cpuProf, "cpuprofile", g.cpuProf, "write a CPU profile to this file (read it with go tool pprof)")
	var profFile *os.File
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if g.cpuProf == "" {
			return nil
		}
		f, err := os.Create(g.cpuProf)
		if err != nil {
			return err
		}
		profFile = f
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRun = func(*cobra.Command, []string) {
		if profFile != nil {
			pprof.StopCPUProfile()
			profFile.Close()
		}
	}
	root.AddCommand(
		newRunCommand(g, reg),
		newCheckCommand(reg),
		newStepsCommand(reg),
		newExplainCommand(g, reg),
		newVersionCommand(),
		newSlurmCommand(g, reg),
		newK8sCommand(g, reg),
		newStatusCommand(g),
	)
	root.AddCommand(extraCommands(reg)...)
	return root
}
