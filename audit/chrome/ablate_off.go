//go:build !ablate

package chrome

// ablated reports whether the capture leaves step out: never, but in a
// build with the tag ablate (see ablate.go), which only benchmarks use.
func ablated(string) bool { return false }
