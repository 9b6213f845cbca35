// Command lnvedash loads the returned 部省共建 checklists into DuckDB and serves the dashboard.
// main only wires signals to Run, sets an ingest-only process's memory budget and maps Run's error to
// an exit code; each subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"lnvedash/ingest"
	"lnvedash/queries"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if len(os.Args) > 1 && os.Args[1] == "ingest" {
		ingest.LimitGoMemory() // a process that only ingests runs in a fixed budget (ingest/memory.go)
	}
	err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "lnvedash:", err)
		var nf *queries.NotFoundError
		if errors.As(err, &nf) {
			fmt.Fprintln(os.Stderr, nf.Chinese())
		}
		os.Exit(1) // rejected files are not an error: ingest says so in its summary and exits 0
	}
}
