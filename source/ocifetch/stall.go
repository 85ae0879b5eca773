package ocifetch

import "github.com/wfcompat/wfcompat/internal/stallhttp"

// DefaultStall is how long a registry request may go without receiving a
// byte (its response headers, then each read of its body) before it is
// given up, the policy of source/httpfetch's https downloads: a registry
// that accepts the connection and stops sending must not hang a CI job,
// and a slow download that keeps progressing is not cut short.
const DefaultStall = stallhttp.Default

// StallError is the error of a layer or manifest read given up because the
// registry sent nothing for Stall. It is not temporary:
// go-containerregistry does not retry it.
type StallError = stallhttp.Error
