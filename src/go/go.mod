module wasisock

// The oldest Go with GOOS=wasip1 and //go:wasmimport.  The package uses
// nothing newer, so the machine's Go from 1.21 on builds it (docs/GO.md).
go 1.21
