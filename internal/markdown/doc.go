// Package markdown holds the Markdown text helpers both report renderers
// share (compat/format and compat/assertformat): code spans whose fence
// no backtick in the text can close.
package markdown
