//go:build race

package mgmt

// raceEnabled: the race detector changes what allocates, so allocation
// bounds are not checked under it.
const raceEnabled = true
