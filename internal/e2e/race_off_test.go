//go:build !race

package e2e

// raceDetector is true when the tests run with -race, which makes keyward
// several times slower: tests that push thousands of objects push fewer.
const raceDetector = false
