# Sourced by the scripts that run inside the test containers (inside.sh, package-inside.sh):
# findings go to /vigil-out/result.txt, one PASS or FAIL line each; `failures` counts the FAILs.
out=/vigil-out/result.txt
: > "$out"
failures=0
pass() { echo "PASS $*" >> "$out"; }
fail() { echo "FAIL $*" >> "$out"; failures=$((failures + 1)); }
check() { local what="$1"; shift; if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi; }
wait_for() { local what="$1" secs="$2"; shift 2; for _ in $(seq 1 $((secs * 10))); do "$@" >/dev/null 2>&1 && { pass "$what"; return 0; }; sleep 0.1; done; fail "$what"; return 1; }
