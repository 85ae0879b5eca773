// Package junit is the JUnit XML document both report renderers write
// (compat/format for diff reports, compat/assertformat for assert
// reports): the types of one <testsuite> in the layout of the Ant JUnit
// schema (windyroad/JUnit-Schema), which Jenkins, GitLab and most CI test
// widgets read, and the writer that encodes it. What goes into the suite
// is the renderers' business.
package junit
