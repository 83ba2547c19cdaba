package main

import "github.com/spf13/cobra"

// extraCommands are the commands that live in their own files.
func extraCommands() []*cobra.Command {
	return []*cobra.Command{
		newLIDCommand(),
		newReportCommand(),
		newServeCommand(),
		newTokenizeCommand(),
		newDecontamReportCommand(),
		newMixCommand(),
	}
}
