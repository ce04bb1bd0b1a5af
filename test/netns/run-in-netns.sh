#!/usr/bin/env bash
# Runs a command inside a fresh, private network namespace: loopback up and one lab interface
# with 10.77.250.1/24 (a dummy interface, or a veth pair kept inside the namespace on kernels
# built without the dummy driver). The end-to-end tests scan "this PC", which expands to every local
# interface, so inside the namespace "this PC" is only these lab addresses and no real network is
# ever touched. The namespace is deleted on every exit path, and the command's exit code is kept.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 64
fi

ns="pa-e2e-$$"

cleanup() {
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ip netns add "$ns"
ip -n "$ns" link set lo up
if ! ip -n "$ns" link add pa-e2e0 type dummy 2>/dev/null; then
  ip -n "$ns" link add pa-e2e0 type veth peer name pa-e2e1
  ip -n "$ns" link set pa-e2e1 up
fi
ip -n "$ns" addr add 10.77.250.1/24 dev pa-e2e0
ip -n "$ns" link set pa-e2e0 up

set +e
ip netns exec "$ns" "$@"
status=$?
set -e
exit "$status"
