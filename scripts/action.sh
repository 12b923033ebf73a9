#!/usr/bin/env bash
# The GitHub Action's step (action.yml): the inputs come as PORTLENS_* variables. PORTLENS_CLI runs a local bundle
# instead of the npm package (the CLI tests use it).
set -euo pipefail

if [[ -n "${PORTLENS_CLI:-}" ]]; then
  portlens=(node "$PORTLENS_CLI")
else
  portlens=(npx --yes --package "port-lens@${PORTLENS_VERSION:?}" portlens)
fi

settings=()
if [[ -n "${PORTLENS_CONFIG:-}" ]]; then settings=(--no-config-lookup --config "$PORTLENS_CONFIG"); fi

read -r -a paths <<< "${PORTLENS_PATHS:-.}"

if [[ -n "${PORTLENS_SARIF:-}" ]]; then
  "${portlens[@]}" scan "${settings[@]}" --format sarif --fail-on none -o "$PORTLENS_SARIF" -- "${paths[@]}"
fi
# Workflow commands annotate each finding's line in the pull request; the exit status gates the job.
"${portlens[@]}" scan "${settings[@]}" --format github --fail-on "${PORTLENS_FAIL_ON:-error}" -- "${paths[@]}"
