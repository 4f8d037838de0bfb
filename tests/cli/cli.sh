#!/usr/bin/env bash
# The mvm command line's specification: version and help texts, exit codes of
# usage errors (2), `info` and `estimate` on a real random4 instance and plan
# (exact lines and numbers), `verify` of the ten real mVM plans (valid, exit 0),
# of a mutated plan (invalid, exit 1), of an instance holding a constraint not
# supported yet (exit 2 unless --allow-unsupported), and `convert` round trips
# through gzip and atomic writes. Runs mvm ($MVM_BIN) on the data in $MVM_DATA,
# through $MVM_WRAPPER when set (e.g. valgrind with --error-exitcode=99: a case
# whose run exits 99 fails). Prints TAP.
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

# ---- version, help, usage errors ----

start "--version"
run --version
expect_rc 0
expect_out "mvm "
finish

start "--help"
run --help
expect_rc 0
expect_out "Usage:"
finish

for cmd in info estimate verify convert; do
    start "$cmd --help"
    run "$cmd" --help
    expect_rc 0
    expect_out "Usage:"
    expect_out "mvm $cmd"
    finish
done

start "no command exits 2"
run
expect_rc 2
finish

start "unknown command exits 2"
run frobnicate "$R4/instance.1.json"
expect_rc 2
expect_err "unknown command"
finish

for cmd in info estimate convert; do
    start "$cmd with an unknown option exits 2"
    run "$cmd" --bogus "$R4/instance.1.json"
    expect_rc 2
    finish
done

start "verify with an unknown option exits 2"
run verify --bogus "$R4/instance.1.json" "$R4/mvm-plan.1.json"
expect_rc 2
finish

start "info without a file exits 2"
run info
expect_rc 2
finish

start "estimate without an instance exits 2"
run estimate
expect_rc 2
finish

start "verify without a plan exits 2"
run verify "$R4/instance.1.json"
expect_rc 2
expect_err "expected INSTANCE and PLAN"
finish

start "convert without -o exits 2"
run convert "$R4/instance.1.json"
expect_rc 2
finish

start "verify with a bad --tolerance exits 2"
run verify --tolerance soon "$R4/instance.1.json" "$R4/mvm-plan.1.json"
expect_rc 2
finish

start "a missing file exits 2"
run info "$tmp/no-such-file.json"
expect_rc 2
expect_err "no-such-file.json"
finish

# ---- info ----

start "info of random4 instance 1"
run info "$R4/instance.1.json"
expect_rc 0
expect_line "nodes        4 (4 online, 0 offline)"
expect_line "VMs          10 (10 running, 0 sleeping, 0 ready)"
expect_line "resources    mem, cpu"
expect_line "network      1 switch (0 blocking), 4 links, default routing"
expect_line "constraints  10: fence 10"
expect_line "objective    minimizeMTTRMigrationScheduling"
expect_line "migrations   10 implied by the constraints"
finish

start "info of random4 plan 1"
run info "$R4/mvm-plan.1.json"
expect_rc 0
expect_out "(plan)"
expect_line "actions      10: migrateVM 10"
expect_line "makespan     192 s"
expect_line "sum of ends  1042 s"
finish

start "info --json of random4 instance 1"
run info --json "$R4/instance.1.json"
expect_rc 0
expect_out '"kind":"instance"'
expect_out '"vms":10'
expect_out '"constraints":{"fence":10}'
expect_out '"implied_migrations":10'
finish

start "info --json of random4 plan 1"
run info --json "$R4/mvm-plan.1.json"
expect_rc 0
expect_out '"kind":"plan"'
expect_out '"makespan_s":192'
finish

# ---- estimate ----

start "estimate of random4 instance 1"
run estimate "$R4/instance.1.json"
expect_rc 0
rows=$(grep -cE '^ +[0-9]+ +[0-9]+ +[0-9]+ ' "$tmp/out")
[ "$rows" -eq 10 ] || fail "$rows migration rows, expected 10"
expect_out "10 migrations (precopy model)"
# VM 8: 3000 MiB from node 0 (500 Mbit/s link) to node 3
grep -qE '^ +8 +0 +3 +3000 +500 +56\.2  node 0 > switch 0 > node 3$' "$tmp/out" ||
    fail "no row 'VM 8, 0 -> 3, 3000 MiB, 500 Mbit/s, 56.2 s'"
finish

start "estimate --json of random4 instance 1"
run estimate --json "$R4/instance.1.json"
expect_rc 0
expect_out '"model":"precopy"'
expect_out '"count":10'
expect_out '"non_convergent":0'
expect_out '{"vm":8,"from":0,"to":3,"mem_mib":3000,"path":"node 0 > switch 0 > node 3",'
expect_out '"max_bw_mbps":500,"min_bw_mbps":384,"converges":true,"duration_s":56.192}'
finish

# ---- verify ----

for n in 1 2 3 4 5 6 7 8 9 10; do
    start "verify random4 pair $n is valid"
    run verify "$R4/instance.$n.json" "$R4/mvm-plan.$n.json"
    expect_rc 0
    expect_out "VALID: no violation"
    finish
done

# vm 2's migration (1000 Mbit/s, 17 s by the model) cut to 5 s
sed 's/"bw":1000,"vm":2,"start":70,"end":90/"bw":1000,"vm":2,"start":70,"end":75/' \
    "$R4/mvm-plan.1.json" >"$tmp/short.json"

start "the mutation changed the plan"
cmp -s "$R4/mvm-plan.1.json" "$tmp/short.json" && fail "sed did not change mvm-plan.1.json"
finish

start "verify of a too short migration exits 1"
run verify "$R4/instance.1.json" "$tmp/short.json"
expect_rc 1
expect_out "INVALID: 1 violation"
expect_out "duration"
expect_out "vm 2"
finish

start "verify --json of an invalid plan"
run verify --json "$R4/instance.1.json" "$tmp/short.json"
expect_rc 1
expect_out '"valid":false'
expect_out '"violation_count":1'
expect_out '"kind":"duration","time":70'
finish

start "verify --json of a valid plan"
run verify --json "$R4/instance.1.json" "$R4/mvm-plan.1.json"
expect_rc 0
expect_out '"valid":true,"violation_count":0'
finish

start "verify --quiet of an invalid plan prints nothing"
run verify --quiet "$R4/instance.1.json" "$tmp/short.json"
expect_rc 1
expect_no_out
finish

start "verify -q of a valid plan prints nothing"
run verify -q "$R4/instance.1.json" "$R4/mvm-plan.1.json"
expect_rc 0
expect_no_out
finish

start "verify --tolerance 12 accepts the short migration"
run verify --tolerance 12 "$R4/instance.1.json" "$tmp/short.json"
expect_rc 0
finish

sed 's/"constraints": \[/"constraints": [{"id": "mostlySpread", "vms": [0, 1], "continuous": true}, /' \
    "$R4/instance.1.json" >"$tmp/spread.json"

start "info flags a constraint not supported yet"
run info "$tmp/spread.json"
expect_rc 0
expect_out "mostlySpread 1 (not supported yet)"
finish

start "verify with an unsupported constraint exits 2"
run verify "$tmp/spread.json" "$R4/mvm-plan.1.json"
expect_rc 2
expect_out "unsupported"
expect_err "--allow-unsupported"
finish

start "verify --allow-unsupported checks the rest"
run verify --allow-unsupported "$tmp/spread.json" "$R4/mvm-plan.1.json"
expect_rc 0
expect_out "VALID"
finish

start "verify --allow-unsupported still finds violations"
run verify --allow-unsupported "$tmp/spread.json" "$tmp/short.json"
expect_rc 1
expect_out "INVALID: 1 violation"
finish

# ---- convert ----

start "convert to .json.gz writes gzip"
run convert "$R4/instance.1.json" -o "$tmp/i1.json.gz"
expect_rc 0
[ "$(od -An -tx1 -N2 "$tmp/i1.json.gz" | tr -d ' ')" = "1f8b" ] || fail "not gzip"
finish

start "convert back from .json.gz"
run convert "$tmp/i1.json.gz" -o "$tmp/i1.json"
expect_rc 0
[ "$(od -An -tx1 -N1 "$tmp/i1.json" | tr -d ' ')" = "7b" ] || fail "not plain JSON"
finish

start "info reads the round trip identically"
run info "$R4/instance.1.json"
tail -n +2 "$tmp/out" >"$tmp/info-original"
run info "$tmp/i1.json"
tail -n +2 "$tmp/out" >"$tmp/info-round-trip"
cmp -s "$tmp/info-original" "$tmp/info-round-trip" || fail "info differs after the round trip"
run info --json "$R4/instance.1.json"
mv "$tmp/out" "$tmp/json-original"
run info --json "$tmp/i1.json.gz"
cmp -s "$tmp/json-original" "$tmp/out" || fail "info --json differs after the round trip"
finish

start "a converted plan still verifies"
run convert "$R4/mvm-plan.1.json" -o "$tmp/p1.json.gz"
expect_rc 0
run verify "$tmp/i1.json.gz" "$tmp/p1.json.gz"
expect_rc 0
expect_out "VALID"
finish

start "convert into a missing directory exits 2 and leaves nothing"
run convert "$R4/instance.1.json" -o "$tmp/missing/out.json"
expect_rc 2
[ ! -e "$tmp/missing" ] || fail "$tmp/missing was created"
finish

echo "1..$count"
[ "$failed" -eq 0 ]
