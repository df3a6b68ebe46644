# shellcheck shell=bash
# apt_install PACKAGE...: installs Debian packages quietly, running `apt-get update` once per
# shell first (root, as CI and the project's machines run). Source it.
apt_install() {
  [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
