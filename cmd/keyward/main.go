// Command keyward runs keyward: see `keyward --help`.
package main

import (
	"context"
	"os"

	"github.com/keyward/keyward/internal/cli"
)

func main() {
	os.Exit(cli.Execute(context.Background(), os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
