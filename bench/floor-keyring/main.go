// Command floor-keyring is the benchmark floor for `keytray get`: the least
// a program can do to print a key from the OS keyring (one go-keyring read of
// service "keytray"). `make bench` builds it so Keytray's own start-up and
// lookup cost are measured side by side against it, not as absolute numbers.
//
// Usage: floor-keyring NAME
package main

import (
	"fmt"
	"os"

	"github.com/zalando/go-keyring"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floor-keyring NAME")
		os.Exit(2)
	}
	secret, err := keyring.Get("keytray", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor-keyring:", err)
		os.Exit(1)
	}
	fmt.Println(secret)
}
