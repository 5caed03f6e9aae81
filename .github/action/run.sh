#!/usr/bin/env bash
# The GitHub Action's work (action.yml passes its inputs as INPUT_* variables): install cdpspec
# at the pinned version, validate with annotations in the log, write the Markdown report (and
# coverage) to the job summary, set the step's outputs, and fail as the gates say.
#
# Reads: INPUT_PATHS, INPUT_PLAN, INPUT_DESTINATION, INPUT_FORMAT, INPUT_FAIL_ON,
# INPUT_COVERAGE_FAIL_UNDER, INPUT_COVERAGE_FAIL_ON, INPUT_CONFIG, INPUT_VERSION, INPUT_INSTALL;
# GITHUB_STEP_SUMMARY, GITHUB_OUTPUT (files GitHub gives every step); RUNNER_TEMP.
set -uo pipefail

fail() { echo "::error title=cdpspec action::$*"; exit 2; }

version="${INPUT_VERSION:-0.1.0}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cdpspec-action-$$"
mkdir -p "$tmp" || fail "cannot create $tmp"
trap 'rm -rf "$tmp"' EXIT
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
outputs="${GITHUB_OUTPUT:-/dev/null}"

# 1. cdpspec at the pinned version.
installed="$(cdpspec --version 2>/dev/null || true)"
case "${INPUT_INSTALL:-pip}" in
  none) [ -n "$installed" ] || fail "install: none, but there is no cdpspec on PATH" ;;
  pip)
    if [ "$installed" != "cdpspec $version" ]; then
      python3 -m pip install --quiet --disable-pip-version-check "cdpspec==$version" || fail "pip install cdpspec==$version failed"
    fi ;;
  cargo)
    if [ "$installed" != "cdpspec $version" ]; then
      cargo install --locked --git https://github.com/cdpspec/cdpspec --tag "v$version" cdpspec-cli || fail "cargo install of cdpspec v$version failed"
    fi ;;
  *) fail "install must be pip, cargo or none, not '$INPUT_INSTALL'" ;;
esac
echo "::notice title=cdpspec::$(cdpspec --version)"

# 2. The arguments every run shares.
common=()
[ -n "${INPUT_CONFIG:-}" ] && common+=(--config "$INPUT_CONFIG")
validate=(validate --no-progress)
[ -n "${INPUT_PLAN:-}" ] && validate+=(--plan "$INPUT_PLAN")
case "${INPUT_FAIL_ON:-error}" in
  error|never) ;;
  warning) validate+=(--deny warnings) ;;
  *) fail "fail-on must be error, warning or never, not '$INPUT_FAIL_ON'" ;;
esac
# Paths are split on white space and new lines.
read -r -d '' -a paths <<< "${INPUT_PATHS:-}"

# 3. Validate: findings in the log (annotations with --format github), the report in the summary.
cdpspec "${validate[@]}" "${common[@]}" --format "${INPUT_FORMAT:-github}" "${paths[@]}" > "$tmp/log" 2> "$tmp/stderr"
status=$?
cat "$tmp/log"
cat "$tmp/stderr" >&2
[ "$status" -ge 2 ] && fail "cdpspec validate could not run (exit $status): $(tail -n 3 "$tmp/stderr")"
cdpspec "${validate[@]}" "${common[@]}" --format json "${paths[@]}" > "$tmp/findings.ndjson" 2> /dev/null
errors=$(grep -c '"severity":"error"' "$tmp/findings.ndjson" || true)
warnings=$(grep -c '"severity":"warning"' "$tmp/findings.ndjson" || true)
cdpspec "${validate[@]}" "${common[@]}" --format markdown "${paths[@]}" >> "$summary" 2> /dev/null
{ echo "errors=$errors"; echo "warnings=$warnings"; } >> "$outputs"

# 4. Coverage, when a destination is given: reported in the summary, gated as asked.
coverage_status=0
if [ -n "${INPUT_DESTINATION:-}" ]; then
  gates=()
  [ -n "${INPUT_COVERAGE_FAIL_UNDER:-}" ] && gates+=(--fail-under "$INPUT_COVERAGE_FAIL_UNDER")
  for gate in ${INPUT_COVERAGE_FAIL_ON:-}; do gates+=(--fail-on "$gate"); done
  plan=()
  [ -n "${INPUT_PLAN:-}" ] && plan+=(--plan "$INPUT_PLAN")
  echo >> "$summary"
  cdpspec coverage "${common[@]}" "${plan[@]}" --destination "$INPUT_DESTINATION" --format markdown "${gates[@]}" "${paths[@]}" >> "$summary" 2> "$tmp/coverage-stderr"
  coverage_status=$?
  cat "$tmp/coverage-stderr" >&2
  [ "$coverage_status" -ge 2 ] && fail "cdpspec coverage could not run (exit $coverage_status): $(tail -n 3 "$tmp/coverage-stderr")"
  percent=$(cdpspec coverage "${common[@]}" "${plan[@]}" --destination "$INPUT_DESTINATION" --format json "${paths[@]}" 2> /dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(100*d["covered"]/d["calls"], 1) if d["calls"] else "")' 2> /dev/null || true)
  echo "coverage=$percent" >> "$outputs"
  if [ "$coverage_status" -ne 0 ]; then
    while IFS= read -r line; do echo "::error title=cdpspec coverage::${line#cdpspec: }"; done < <(grep '^cdpspec: ' "$tmp/coverage-stderr")
  fi
fi
# 5. The gates.
if [ "${INPUT_FAIL_ON:-error}" != never ] && [ "$status" -ne 0 ]; then
  exit 1
fi
exit "$coverage_status"
