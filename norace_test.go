//go:build !race

package metamerge_test

const raceEnabled = false
