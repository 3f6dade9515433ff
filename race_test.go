//go:build race

package metamerge_test

// raceEnabled: the race detector changes what allocates (sync.Pool drops
// a share of what it is given under it), so allocation counts are not
// checked under it.
const raceEnabled = true
