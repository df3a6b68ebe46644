#!/usr/bin/env bash
# Development run: build the jar if needed, then serve with VQ_PROFILE=dev (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/virtual-queue.jar ] || [ -n "$(find src pom.xml -newer target/virtual-queue.jar -print -quit)" ]; then
  mvn -q -B package -DskipTests
fi
export VQ_PROFILE=${VQ_PROFILE:-dev}
exec java ${JAVA_OPTS:-} -jar target/virtual-queue.jar "$@"
