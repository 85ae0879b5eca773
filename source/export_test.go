package source

// PinnedDigest is pinnedDigest, for the oracle test against the registry
// client's reference parser.
var PinnedDigest = pinnedDigest
