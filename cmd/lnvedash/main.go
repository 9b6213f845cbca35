// Command lnvedash loads the returned 部省共建 checklists into DuckDB and serves the dashboard.
// main only wires signals to Run and maps its error to an exit code; each subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"lnvedash/queries"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
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
