#!/usr/bin/env bash
# Development run: build the jar if needed, then serve with VQ_PROFILE=dev (see README.md).
# When nothing answers at the configured Postgres or Redis address on this machine, the dev
# profile starts an embedded one (data in .dev/postgres); their libraries are not in the shaded
# jar, so this script puts them on the class path (target/dev-stores.classpath, written by
# `mvn package`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/virtual-queue.jar ] || [ ! -f target/dev-stores.classpath ] \
    || [ -n "$(find src pom.xml -newer target/virtual-queue.jar -print -quit)" ]; then
  mvn -q -B package -DskipTests -DskipITs
fi
export VQ_PROFILE=${VQ_PROFILE:-dev}
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "target/virtual-queue.jar:$(cat target/dev-stores.classpath)" dev.virtualqueue.Main "$@"
