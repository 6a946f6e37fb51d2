package main

import (
	"fmt"
	"io"

	"moot/session/catalogue"
)

// printEnglish writes every message moot shows, in English, as one file:
// a translator copies it, names it for their language and translates it.
func printEnglish(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "moot lang takes no arguments; it prints the English catalogue (moot lang > fr.yaml)\n")
		return 2
	}
	_, err := stdout.Write(catalogue.EnglishSource())
	if err != nil {
		fmt.Fprintf(stderr, "moot lang: %v\n", err)
		return 1
	}
	return 0
}
