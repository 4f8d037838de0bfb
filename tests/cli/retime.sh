#!/usr/bin/env bash
# `mvm retime`'s specification: help and usage errors (exit 2), the exact
# summary of mVM's random4 plan 1 re-timed with our duration model (text and
# --json, with and without its instance, pre-copy and noDP), the re-timed plans
# of all ten random4 instances written with -o and accepted by `mvm verify`,
# the plan on standard output with the summary moved to stderr, a migration that
# never converges (exit 1, naming the VM) and unreadable input (exit 2, nothing
# written). Runs mvm ($MVM_BIN) on the data in $MVM_DATA, through $MVM_WRAPPER
# when set (e.g. valgrind with --error-exitcode=99: a case whose run exits 99
# fails). Prints TAP.
set -u

: "${MVM_BIN:?MVM_BIN must name the mvm binary}"
: "${MVM_DATA:?MVM_DATA must name tests/data}"
R4="$MVM_DATA/instances/random4"

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

count=0
failed=0
rc=0
case_ok=1
case_why=""

# run ARGS...: runs mvm, stdout in $tmp/out, stderr in $tmp/err, exit status in $rc.
run() {
    # shellcheck disable=SC2086 # the wrapper is a command line to split
    ${MVM_WRAPPER:-} "$MVM_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ -n "${MVM_WRAPPER:-}" ] && [ "$rc" -eq 99 ]; then
        fail "the wrapper found errors running: mvm $*"
    fi
}

# Checks within a case: each records the first failure.
fail() {
    if [ "$case_ok" -eq 1 ]; then
        case_ok=0
        case_why="$1"
    fi
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "exit $rc, expected $1"; }
expect_out() { grep -qF -- "$1" "$tmp/out" || fail "stdout lacks '$1'"; }
expect_line() { grep -qxF -- "$1" "$tmp/out" || fail "stdout lacks the line '$1'"; }
expect_err() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1'"; }
expect_no_out() { [ ! -s "$tmp/out" ] || fail "stdout is not empty"; }

# start NAME begins a case; finish ends it and prints its TAP line.
start() {
    case_ok=1
    case_why=""
    case_name="$1"
}
finish() {
    count=$((count + 1))
    if [ "$case_ok" -eq 1 ]; then
        echo "ok $count - $case_name"
    else
        failed=$((failed + 1))
        echo "not ok $count - $case_name # $case_why"
        sed 's/^/#   stderr: /' "$tmp/err" | head -n 5
    fi
}

# ---- help and usage errors ----

start "retime --help"
run retime --help
expect_rc 0
expect_out "Usage: mvm retime PLAN"
expect_out "--instance"
finish

start "mvm --help lists retime"
run --help
expect_rc 0
expect_out "retime"
finish

start "retime without a plan exits 2"
run retime
expect_rc 2
expect_err "expected one PLAN"
expect_no_out
finish

start "retime with an unknown option exits 2"
run retime --frobnicate "$R4/mvm-plan.1.json"
expect_rc 2
expect_no_out
finish

start "retime with an unknown model exits 2"
run retime --model fast "$R4/mvm-plan.1.json"
expect_rc 2
expect_err "--model: expected precopy, nodp or postcopy"
finish

# ---- summaries (numbers worked out in tests/unit/test_exec.c) ----

start "random4 plan 1 re-timed with pre-copy"
run retime "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json"
expect_rc 0
expect_line "plan: 10 actions, re-timed with the precopy model"
expect_line "makespan: 192 s -> 153 s"
expect_line "sum of ends: 1042 s -> 840 s"
finish

start "random4 plan 1 without its instance: same (the default network is a star too)"
run retime "$R4/mvm-plan.1.json"
expect_rc 0
expect_line "makespan: 192 s -> 153 s"
finish

start "random4 plan 1 --json, noDP"
run retime --json --model nodp "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json"
expect_rc 0
expect_line '{"model":"nodp","actions":10,"makespan_before":192,"makespan_after":128,"sum_ends_before":1042,"sum_ends_after":720}'
finish

# ---- written plans ----

makespans=(153 248 251 235 208 152 169 192 152 176)
for n in 1 2 3 4 5 6 7 8 9 10; do
    start "random4 plan $n re-timed to ${makespans[$((n - 1))]} s verifies"
    run retime "$R4/mvm-plan.$n.json" --instance "$R4/instance.$n.json" -o "$tmp/r$n.json"
    expect_rc 0
    expect_out "s -> ${makespans[$((n - 1))]} s"
    run verify "$R4/instance.$n.json" "$tmp/r$n.json"
    expect_rc 0
    expect_out "makespan ${makespans[$((n - 1))]} s"
    expect_out "VALID"
    finish
done

start "re-timing a re-timed plan changes nothing"
run retime "$tmp/r1.json" --instance "$R4/instance.1.json" -o "$tmp/r1-again.json"
expect_rc 0
expect_line "makespan: 153 s -> 153 s"
cmp -s "$tmp/r1.json" "$tmp/r1-again.json" || fail "the plan changed"
finish

start "-o - writes the plan to stdout and the summary to stderr"
run retime "$R4/mvm-plan.1.json" -o - --pretty
expect_rc 0
expect_out '"actions"'
expect_err "makespan: 192 s -> 153 s"
finish

start "a gzip output re-reads"
run retime "$R4/mvm-plan.2.json" --instance "$R4/instance.2.json" -o "$tmp/r2.json.gz"
expect_rc 0
run info "$tmp/r2.json.gz"
expect_rc 0
finish

# ---- failures ----

start "a migration that never converges exits 1 and names its VM"
sed 's/"bw":500/"bw":300/g' "$R4/mvm-plan.1.json" >"$tmp/slow.json"
run retime "$tmp/slow.json" --instance "$R4/instance.1.json" -o "$tmp/slow-out.json"
expect_rc 1
expect_err "vm 6: pre-copy never converges at 300 Mbit/s"
[ ! -e "$tmp/slow-out.json" ] || fail "an output was written"
finish

start "the same plan under noDP re-times"
run retime --model nodp "$tmp/slow.json" --instance "$R4/instance.1.json"
expect_rc 0
finish

start "a missing plan exits 2"
run retime "$tmp/missing.json"
expect_rc 2
expect_no_out
finish

start "an instance given as the plan exits 2"
run retime "$R4/instance.1.json"
expect_rc 2
finish

start "output into a missing directory exits 2 and leaves nothing"
run retime "$R4/mvm-plan.1.json" -o "$tmp/missing/out.json"
expect_rc 2
[ ! -e "$tmp/missing" ] || fail "$tmp/missing was created"
finish

echo "1..$count"
[ "$failed" -eq 0 ]
