#!/usr/bin/env bash
# run.sh — the logic of the wfcompat GitHub Action (action.yml at the
# repository root). It runs outside GitHub too: everything it needs comes
# from environment variables, so internal/actiontest runs it against a fake
# environment (temporary files for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY,
# an httptest server for GITHUB_API_URL).
#
# Inputs (set by action.yml from the action's inputs):
#   WFCOMPAT_NEW            the new build (path)                        required
#   WFCOMPAT_BASELINE       the running build: a path, git:REV:PATH,
#                           oci://REGISTRY/REPO:TAG, https://URL, -     required
#   WFCOMPAT_MODES          gating modes, comma-separated               optional
#   WFCOMPAT_PLATFORM       platform profile (--platform)               optional
#   WFCOMPAT_REQUIRE_PROOF  "true": unproven gating modes fail           optional
#   WFCOMPAT_CONFIG         configuration file                          optional
#   WFCOMPAT_ARGS           extra arguments for wfcompat diff            optional
#   WFCOMPAT_SUMMARY        "true" (default): append the markdown report
#                           to GITHUB_STEP_SUMMARY
#   WFCOMPAT_COMMENT        "true": comment on the pull request (one
#                           comment, updated on every run)
#   WFCOMPAT_BIN            the wfcompat command (default: wfcompat)
#   GITHUB_TOKEN            for the comment
# Outputs (GITHUB_OUTPUT): outcome (pass|unproven|fail|error), exit-code,
# sarif, markdown, json (report files under RUNNER_TEMP).
# The script itself exits 0 unless it cannot run; action.yml's last step
# exits with exit-code, after the SARIF upload.
set -euo pipefail

die() { echo "::error title=wfcompat action::$*" >&2; exit 2; }

new=${WFCOMPAT_NEW:?WFCOMPAT_NEW (input new) is required}
baseline=${WFCOMPAT_BASELINE:?WFCOMPAT_BASELINE (input baseline) is required}
bin=${WFCOMPAT_BIN:-wfcompat}
out_dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/wfcompat
mkdir -p "$out_dir"

# A git baseline in a shallow checkout: fetch the revision if it is missing,
# so that wfcompat can read it from the object store.
if [[ $baseline == git:* ]]; then
  rest=${baseline#git:}
  rev=${rest%%:*}
  if ! git rev-parse --verify --quiet "$rev^{commit}" >/dev/null; then
    remote_ref=${rev#origin/}
    # A stalled http transfer ends after a minute without data, as
    # wfcompat's own git: reads do (package source), not at the job's
    # timeout.
    git_bounds=(-c http.lowSpeedLimit=1 -c http.lowSpeedTime=60)
    # An ssh origin neither waits for a person (a host key to trust, a
    # passphrase: BatchMode fails instead) nor on a silent server (no
    # connection in a minute; four 15-second keep-alives unanswered), as
    # wfcompat's own git runs (package source, gitSSHCommand) — unless the
    # user chose how git runs ssh (GIT_SSH_COMMAND, core.sshCommand,
    # GIT_SSH, even set empty), which is left alone. git config exits 1
    # when the key is not set; anything else is not ours to override.
    ssh_config_status=0
    git config --get core.sshCommand >/dev/null || ssh_config_status=$?
    if [[ -z ${GIT_SSH_COMMAND+x} && -z ${GIT_SSH+x} && $ssh_config_status == 1 ]]; then
      git_bounds+=(-c "core.sshCommand=ssh -o BatchMode=yes -o ConnectTimeout=60 -o ServerAliveInterval=15 -o ServerAliveCountMax=4")
    fi
    # An origin that wants credentials no credential helper gives fails
    # instead of asking on a terminal (a self-hosted runner started by
    # hand has one), in an askpass dialog (GIT_ASKPASS empty turns off
    # core.askPass and SSH_ASKPASS) or in Git Credential Manager's window,
    # as wfcompat's own git runs (package source) — unless the user set
    # the variable, even empty (a CI job's token script is theirs).
    fetch_origin() {
      GIT_TERMINAL_PROMPT=${GIT_TERMINAL_PROMPT-0} GIT_ASKPASS=${GIT_ASKPASS-} GCM_INTERACTIVE=${GCM_INTERACTIVE-never} \
        git "${git_bounds[@]}" fetch --no-tags --depth=1 origin "$@"
    }
    echo "wfcompat: fetching $remote_ref from origin for the baseline"
    if [[ $rev == origin/* ]]; then
      fetch_origin "+refs/heads/$remote_ref:refs/remotes/origin/$remote_ref" ||
        die "cannot fetch $remote_ref from origin for baseline $baseline"
    else
      fetch_origin "$rev" ||
        die "cannot fetch $rev from origin for baseline $baseline"
      # A fetched commit, tag or branch is FETCH_HEAD until named.
      if ! git rev-parse --verify --quiet "$rev^{commit}" >/dev/null; then
        baseline="git:$(git rev-parse FETCH_HEAD):${rest#*:}"
      fi
    fi
  fi
fi

args=(diff)
if [[ -n ${WFCOMPAT_MODES:-} ]]; then
  IFS=',' read -ra modes <<<"$WFCOMPAT_MODES"
  for m in "${modes[@]}"; do
    m=${m// /}
    [[ -n $m ]] && args+=(--mode "$m")
  done
fi
[[ -n ${WFCOMPAT_PLATFORM:-} ]] && args+=(--platform "$WFCOMPAT_PLATFORM")
[[ ${WFCOMPAT_REQUIRE_PROOF:-false} == true ]] && args+=(--require-proof)
[[ -n ${WFCOMPAT_CONFIG:-} ]] && args+=(--config "$WFCOMPAT_CONFIG")
if [[ -n ${WFCOMPAT_ARGS:-} ]]; then
  read -ra extra <<<"$WFCOMPAT_ARGS"
  args+=("${extra[@]}")
fi

sarif=$out_dir/wfcompat.sarif
markdown=$out_dir/wfcompat.md
json=$out_dir/wfcompat.json

# One run: the annotations and the log in GitHub's own format on stdout,
# the same report for code scanning, the comment and other tools in files.
# wfcompat appends the markdown report to GITHUB_STEP_SUMMARY itself when
# it is set, so it is unset when the summary is turned off. The exit
# status is the gate's: 0 pass, 1 fail, 2 error.
summary_env=()
[[ ${WFCOMPAT_SUMMARY:-true} == true ]] || summary_env=(-u GITHUB_STEP_SUMMARY)
set +e
env "${summary_env[@]}" "$bin" "${args[@]}" --format github \
  --output "sarif=$sarif" --output "markdown=$markdown" --output "json=$json" "$baseline" "$new"
code=$?
set -e
if [[ $code -ne 0 && $code -ne 1 ]]; then
  echo "outcome=error" >>"${GITHUB_OUTPUT:-/dev/null}"
  echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
  exit 0
fi
outcome=$(jq -r '.gate.outcome // "unknown"' "$json")

{
  echo "outcome=$outcome"
  echo "exit-code=$code"
  echo "sarif=$sarif"
  echo "markdown=$markdown"
  echo "json=$json"
} >>"${GITHUB_OUTPUT:-/dev/null}"

# One pull-request comment, found again by its marker and updated.
if [[ ${WFCOMPAT_COMMENT:-false} == true ]]; then
  event=${GITHUB_EVENT_PATH:-}
  pr=""
  [[ -n $event && -f $event ]] && pr=$(jq -r '.pull_request.number // .issue.number // empty' "$event")
  if [[ -z $pr ]]; then
    echo "::notice title=wfcompat action::not a pull request event: no comment posted"
  elif [[ -z ${GITHUB_TOKEN:-} ]]; then
    echo "::warning title=wfcompat action::no token: cannot comment on pull request #$pr"
  else
    api=${GITHUB_API_URL:-https://api.github.com}
    repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}
    marker="<!-- wfcompat: $new -->"
    body=$(jq -Rs --arg m "$marker" '{body: ($m + "\n" + .)}' <"$markdown")
    # A stalled API call ends in two minutes, not at the job's timeout.
    curl_args=(--connect-timeout 30 --max-time 120 -H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")
    existing=$(curl -fsSL "${curl_args[@]}" "$api/repos/$repo/issues/$pr/comments?per_page=100" |
      jq -r --arg m "$marker" '[.[] | select(.body | startswith($m))][0].id // empty') ||
      die "cannot list the comments of pull request #$pr"
    if [[ -n $existing ]]; then
      curl -fsSL -X PATCH "${curl_args[@]}" "$api/repos/$repo/issues/comments/$existing" -d "$body" >/dev/null ||
        die "cannot update comment $existing on pull request #$pr"
    else
      curl -fsSL -X POST "${curl_args[@]}" "$api/repos/$repo/issues/$pr/comments" -d "$body" >/dev/null ||
        die "cannot comment on pull request #$pr"
    fi
  fi
fi
