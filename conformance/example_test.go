package conformance_test

import (
	"fmt"

	"github.com/metamerge/metamerge/conformance"
)

// The suite embedded in the module: its cases, with their rules and tags.
func ExampleVectors() {
	cases := conformance.Vectors()
	c := cases[0]
	fmt.Println(c.File, c.Name, c.Rules, c.Input.Op)
	fmt.Printf("%s\n", c.Want.Result)
	// Output:
	// client.json client-merge [C1 H6] merge_client
	// {"name":"app","client_metadata":{"a":"1","b":"x","c":"3"}}
}
