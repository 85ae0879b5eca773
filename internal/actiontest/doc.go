// Package actiontest runs the GitHub Action's script (.github/action/run.sh,
// called by action.yml) locally against a fake GitHub environment:
// temporary files for GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and the event
// payload, an httptest server standing for the GitHub API. It holds tests
// only.
package actiontest
