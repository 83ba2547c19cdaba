package main

import (
	"github.com/spf13/cobra"

	"github.com/saring/saring"
)

// extraCommands are the commands that live in their own files.
func extraCommands(reg *saring.Registry) []*cobra.Command {
	return []*cobra.Command{
		newLIDCommand(),
		newReportCommand(),
		newServeCommand(reg),
		newTokenizeCommand(),
		newDecontamReportCommand(),
		newMixCommand(),
	}
}
