module wasisock/examples

go 1.21

require wasisock v0.0.0

// The package is in this tree (src/go); nothing is fetched.
replace wasisock => ../../src/go
