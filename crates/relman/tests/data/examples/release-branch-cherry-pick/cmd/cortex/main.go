// Command cortex is the CLI that deploys models to a cluster.
package main

import (
	"fmt"
	"os"

	"github.com/cortexlabs/cortex/pkg/consts"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println(consts.CortexVersion)
		return
	}
	fmt.Fprintln(os.Stderr, "usage: cortex version | deploy | get")
	os.Exit(2)
}
