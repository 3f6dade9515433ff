module github.com/metamerge/metamerge/bench

go 1.26

require (
	github.com/evanphx/json-patch/v5 v5.9.11
	github.com/metamerge/metamerge v0.0.0
	github.com/tidwall/gjson v1.20.0
	github.com/tidwall/sjson v1.2.5
)

require (
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
)

replace github.com/metamerge/metamerge => ../
